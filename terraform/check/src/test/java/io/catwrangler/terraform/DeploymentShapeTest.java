package io.catwrangler.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
}
