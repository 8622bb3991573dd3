package io.catwrangler.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The settings of issue 4 that are easy to lose in an edit, checked on the parsed Terraform. */
class DeploymentShapeTest {

  @Test
  void classifyTakesPartialBatchFailuresWithBoundedConcurrency() {
    JsonNode sqs = Hcl.file("modules/functions/mappings.tf").path("resource")
        .path("aws_lambda_event_source_mapping").path("classify_queue").get(0);
    assertThat(sqs.path("function_response_types").toString()).isEqualTo("[\"ReportBatchItemFailures\"]");
    assertThat(sqs.path("scaling_config").get(0).has("maximum_concurrency")).isTrue();
    assertThat(sqs.has("maximum_batching_window_in_seconds")).isTrue();
  }

  @Test
  void theProjectorTakesInsertsOnlyAndParksWhatItCannotProject() {
    JsonNode stream = Hcl.file("modules/functions/mappings.tf").path("resource")
        .path("aws_lambda_event_source_mapping").path("event_stream").get(0);
    assertThat(stream.path("bisect_batch_on_function_error").asBoolean()).isTrue();
    assertThat(stream.path("function_response_types").toString()).isEqualTo("[\"ReportBatchItemFailures\"]");
    assertThat(stream.path("filter_criteria").toString()).contains("eventName").contains("INSERT")
        .doesNotContain("MODIFY").doesNotContain("REMOVE");
    assertThat(stream.path("destination_config").get(0).path("on_failure").get(0).path("destination_arn").asText())
        .isEqualTo("${var.stream_failure_queue_arn}");
    assertThat(stream.has("maximum_retry_attempts") && stream.has("maximum_record_age_in_seconds")).isTrue();
  }

  @Test
  void functionUrlsNeedSignedCallersWithBothPermissions() {
    JsonNode urls = Hcl.file("modules/functions/urls.tf").path("resource");
    assertThat(urls.path("aws_lambda_function_url").path("function").get(0).path("authorization_type").asText())
        .isEqualTo("AWS_IAM");
    JsonNode permissions = urls.path("aws_lambda_permission");
    assertThat(permissions.path("invoke_function_url").get(0).path("action").asText())
        .isEqualTo("lambda:InvokeFunctionUrl");
    assertThat(permissions.path("invoke_function_via_url").get(0).path("action").asText())
        .isEqualTo("lambda:InvokeFunction");
    assertThat(permissions.path("invoke_function_via_url").get(0).path("invoked_via_function_url").asBoolean())
        .isTrue();
  }

  @Test
  void onlyTheAdminCallersMayReplayAndTheyMayCallNothingElse() {
    JsonNode file = Hcl.file("modules/functions/urls.tf");
    JsonNode locals = file.path("locals").get(0);

    // who may call which URL: one place, two lists
    JsonNode invokers = locals.path("url_invokers");
    Set<String> urls = new TreeSet<>();
    invokers.fieldNames().forEachRemaining(urls::add);
    assertThat(urls).isEqualTo(Set.of("admin", "ingest", "query"));
    assertThat(invokers.path("admin").asText()).isEqualTo("${var.admin_url_invoker_principals}");
    assertThat(invokers.path("ingest").asText()).isEqualTo("${var.url_invoker_principals}");
    assertThat(invokers.path("query").asText()).isEqualTo("${var.url_invoker_principals}");
    assertThat(locals.path("url_functions").asText()).isEqualTo("${toset(keys(local.url_invokers))}");

    // neither list is read anywhere else in urls.tf (no grant around url_invokers)
    Map<String, String> strings = new TreeMap<>();
    collectStrings(file, "", strings);
    Pattern callerLists = Pattern.compile("\\bvar\\.(admin_)?url_invoker_principals\\b");
    assertThat(strings.keySet().stream().filter(k -> callerLists.matcher(strings.get(k)).find()))
        .as("expressions of urls.tf that read a list of callers")
        .containsExactlyInAnyOrder("/locals/0/url_invokers/admin", "/locals/0/url_invokers/ingest",
            "/locals/0/url_invokers/query");

    // every grant pairs a URL with a caller of that URL's own list, under a stable, unique statement id
    assertThat(locals.path("url_grants").asText().replaceAll("\\s+", " ")).isEqualTo(
        "${merge([ for name, principals in local.url_invokers : {"
            + " for principal in principals : \"${name} ${principal}\" => { function = name, principal = principal }"
            + " } ]...)}");
    JsonNode permissions = file.path("resource").path("aws_lambda_permission");
    for (String permission : new String[] {"invoke_function_url", "invoke_function_via_url"}) {
      JsonNode grant = permissions.path(permission).get(0);
      assertThat(grant.path("for_each").asText()).as(permission).isEqualTo("${local.url_grants}");
      assertThat(grant.path("function_name").asText()).as(permission)
          .isEqualTo("${aws_lambda_function.function[each.value.function].function_name}");
      assertThat(grant.path("principal").asText()).as(permission).isEqualTo("${each.value.principal}");
      // unique per function and principal, whatever the principal's position in its list (issue 14)
      assertThat(grant.path("statement_id").asText()).as(permission)
          .endsWith("-${each.value.function}-${substr(sha256(each.value.principal), 0, 16)}");
    }

    // the example hands each list to its own variable
    JsonNode functions = Hcl.file("examples/dev/main.tf").path("module").path("functions").get(0);
    assertThat(functions.path("admin_url_invoker_principals").asText())
        .isEqualTo("${var.admin_url_invoker_principals}");
    assertThat(functions.path("url_invoker_principals").asText()).isEqualTo("${var.url_invoker_principals}");
  }

  @Test
  void aReplayCanTakeAsLongAsAFunctionUrlCallCanLast() {
    // a BUFFERED Function URL call lasts at most the function's timeout, and Lambda's timeout at most 900 s
    assertThat(Hcl.file("modules/functions/main.tf").path("locals").get(0).path("functions").path("admin")
        .path("timeout").asText()).isEqualTo("${var.admin_timeout_seconds}");
    JsonNode timeout = Hcl.file("modules/functions/variables.tf").path("variable").path("admin_timeout_seconds")
        .get(0);
    String condition = timeout.path("validation").path(0).path("condition").asText();
    Matcher upper = Pattern.compile("var\\.admin_timeout_seconds\\s*<=\\s*(\\d+)").matcher(condition);
    assertThat(upper.find()).as("upper bound in %s", condition).isTrue();
    assertThat(Integer.parseInt(upper.group(1))).isLessThanOrEqualTo(900);
    assertThat(timeout.path("default").asInt()).isBetween(1, Integer.parseInt(upper.group(1)));
    JsonNode example = Hcl.file("examples/dev/variables.tf").path("variable").path("admin_timeout_seconds").get(0);
    assertThat(example.path("default").asInt()).isBetween(1, 900);
  }

  @Test
  void theQueueIsInvisibleForAtLeastSixClassifyTimeouts() {
    JsonNode queue = Hcl.file("modules/queue/main.tf");
    assertThat(queue.path("locals").get(0).path("visibility_timeout_seconds").asText())
        .isEqualTo("${var.consumer_timeout_seconds * var.visibility_timeout_multiplier + var.batching_window_seconds}");
    JsonNode multiplier = Hcl.file("modules/queue/variables.tf").path("variable")
        .path("visibility_timeout_multiplier").get(0);
    assertThat(multiplier.path("validation").get(0).path("condition").asText())
        .isEqualTo("${var.visibility_timeout_multiplier >= 6}");
    assertThat(Hcl.file("examples/dev/main.tf").path("module").path("queue").get(0)
        .path("consumer_timeout_seconds").asText()).isEqualTo("${var.classify_timeout_seconds}");
  }

  @Test
  void theEventTableIsProtectedAndStreamsNewImages() {
    JsonNode events = Hcl.file("modules/tables/main.tf").path("resource").path("aws_dynamodb_table").path("events")
        .get(0);
    assertThat(events.path("stream_view_type").asText()).isEqualTo("NEW_IMAGE");
    assertThat(events.path("hash_key").asText()).isEqualTo("image_id");
    assertThat(events.path("range_key").asText()).isEqualTo("version");
    assertThat(events.path("point_in_time_recovery").get(0).path("enabled").asBoolean()).isTrue();
    assertThat(events.path("deletion_protection_enabled").asText()).isEqualTo("${var.deletion_protection}");
    JsonNode idempotency = Hcl.file("modules/tables/main.tf").path("resource").path("aws_dynamodb_table")
        .path("idempotency").get(0);
    assertThat(idempotency.path("ttl").get(0).path("attribute_name").asText()).isEqualTo("expiration");
  }

  @Test
  void functionsLogJsonToGroupsMadeBeforeThem() {
    JsonNode function = Hcl.file("modules/functions/main.tf").path("resource").path("aws_lambda_function")
        .path("function").get(0);
    assertThat(function.path("logging_config").get(0).path("log_format").asText()).isEqualTo("JSON");
    assertThat(function.path("depends_on").toString()).contains("aws_cloudwatch_log_group.function");
  }

  /** Every string in {@code node} by its JSON pointer. */
  private static void collectStrings(JsonNode node, String path, Map<String, String> into) {
    if (node.isTextual()) {
      into.put(path, node.asText());
    } else if (node.isObject()) {
      node.properties().forEach(e -> collectStrings(e.getValue(), path + "/" + e.getKey(), into));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectStrings(node.get(i), path + "/" + i, into);
      }
    }
  }
}
