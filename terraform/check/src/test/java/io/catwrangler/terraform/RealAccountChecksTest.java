package io.catwrangler.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Validations and preconditions that keep a deployment from breaking on a real account in ways the emulator tests
 * cannot show (issue 14), checked on the parsed Terraform.
 */
class RealAccountChecksTest {

  @Test
  void theEmbeddedDetectorIsRefusedOnJava17WhoseGlibcCannotLoadOnnxRuntime() {
    List<String> conditions = conditions(variable("modules/functions/variables.tf", "java_runtime").path("validation"));
    assertThat(conditions).contains(
        "${var.detector != \"embedded\" || contains([\"java21\", \"java25\"], var.java_runtime)}");
    assertThat(conditions).anyMatch(c -> c.contains("\"java25\"") && c.contains("\"java17\""));
  }

  @Test
  void everyModuleNeedsATerraformThatEvaluatesCrossVariableValidations() {
    for (String file : List.of("modules/storage/versions.tf", "modules/queue/versions.tf",
        "modules/tables/versions.tf", "modules/functions/versions.tf", "modules/alarms/versions.tf",
        "examples/dev/versions.tf")) {
      assertThat(Hcl.file(file).path("terraform").get(0).path("required_version").asText()).as(file)
          .isEqualTo(">= 1.9");
    }
  }

  @Test
  void classifyKeepsAPerImageBudgetBelowItsTimeoutAndPassesItToTheCode() {
    assertThat(conditions(variable("modules/functions/variables.tf", "classify_image_budget_seconds")
        .path("validation"))).containsExactly(
            "${var.classify_image_budget_seconds >= 1 && var.classify_image_budget_seconds < var.classify_timeout_seconds}");
    assertThat(Hcl.file("modules/functions/main.tf").path("locals").get(0).path("environment")
        .path("CW_CLASSIFY_IMAGE_BUDGET_SECONDS").asText())
        .isEqualTo("${tostring(var.classify_image_budget_seconds)}");
  }

  @Test
  void arrivalsOutliveTheDlqByADaySoThatARedriveFindsThem() {
    JsonNode dlq = Hcl.file("modules/queue/main.tf").path("resource").path("aws_sqs_queue").path("dead_letters").get(0);
    assertThat(conditions(dlq.path("lifecycle").get(0).path("precondition"))).containsExactly(
        "${var.arrival_expiration_days * 86400 >= var.dead_letter_retention_seconds + 86400}");
    assertThat(Hcl.file("examples/dev/main.tf").path("module").path("queue").get(0)
        .path("arrival_expiration_days").asText()).isEqualTo("${var.incoming_expiration_days}");
    // the defaults pass it: 15 days of arrivals for 14 days of dead letters
    long days = variable("examples/dev/variables.tf", "incoming_expiration_days").path("default").asLong();
    long dlqSeconds = variable("modules/queue/variables.tf", "dead_letter_retention_seconds").path("default").asLong();
    assertThat(days * 86400).isGreaterThanOrEqualTo(dlqSeconds + 86400);
    assertThat(variable("modules/storage/variables.tf", "incoming_expiration_days").path("default").asLong())
        .isEqualTo(days);
  }

  @Test
  void aLostArrivalRaisesAnAlarm() {
    JsonNode alarms = Hcl.file("modules/alarms/main.tf").path("resource");
    JsonNode filter = alarms.path("aws_cloudwatch_log_metric_filter").path("arrivals_lost").get(0);
    // classify-fn's ClassifyMessages logs "arrival lost: ..." (ClassifyHandlerTest checks the line)
    assertThat(filter.path("pattern").asText()).isEqualTo("{ $.message = \"arrival lost*\" }");
    assertThat(filter.path("log_group_name").asText()).isEqualTo("${var.classify_log_group_name}");
    assertThat(alarms.path("aws_cloudwatch_metric_alarm").path("arrivals_lost").get(0).path("metric_name").asText())
        .contains("aws_cloudwatch_log_metric_filter.arrivals_lost");
    assertThat(Hcl.file("examples/dev/main.tf").path("module").path("alarms").get(0)
        .path("classify_log_group_name").asText()).isEqualTo("${module.functions.log_group_names[\"classify\"]}");
  }

  @Test
  void classifyRunsWithC2WhichLambdaOnlyGivesWhenAskedAndTheOthersStayOnC1() {
    JsonNode options = Hcl.file("modules/functions/main.tf").path("locals").get(0).path("java_tool_options");
    assertThat(options.path("classify").asText()).isEqualTo("${var.classify_java_tool_options}");
    JsonNode classify = variable("modules/functions/variables.tf", "classify_java_tool_options");
    assertThat(classify.path("default").asText()).contains("-XX:TieredStopAtLevel=4");
    assertThat(conditions(classify.path("validation"))).singleElement().asString().contains("TieredStopAtLevel=4");
    for (String other : List.of("ingest", "query", "projector", "admin")) {
      assertThat(options.path(other).asText()).as(other).isEqualTo("${var.java_tool_options}");
    }
    assertThat(variable("modules/functions/variables.tf", "java_tool_options").path("default").asText())
        .contains("-XX:TieredStopAtLevel=1");
  }

  @Test
  void classifyDefaultsToNoMoreMemoryThanOneVcpuItsSingleThreadedImagesCanUse() {
    // decision 0032: one image at a time, mostly waiting; memory above 1,769 MB (one vCPU) is billed and idle, and
    // 1,024 MB keeps twice the models' measured footprint. The example deploys what the module defaults to.
    for (String file : List.of("modules/functions/variables.tf", "examples/dev/variables.tf")) {
      assertThat(variable(file, "classify_memory_mb").path("default").asInt()).as(file).isEqualTo(1024);
    }
  }

  @Test
  void lambdaKeepsItsReportLinesWhichTheCostAndRunbookSectionsRead() {
    JsonNode logging = Hcl.file("modules/functions/main.tf").path("resource").path("aws_lambda_function")
        .path("function").get(0).path("logging_config").get(0);
    assertThat(logging.path("system_log_level").asText()).isEqualTo("${var.system_log_level}");
    JsonNode level = variable("modules/functions/variables.tf", "system_log_level");
    assertThat(level.path("default").asText()).isEqualTo("INFO");
    assertThat(conditions(level.path("validation"))).singleElement().asString().doesNotContain("WARN");
  }

  @Test
  void callersGetAnIdentityPolicyWithBothActionsAndTheirConditions() {
    JsonNode policy = Hcl.file("modules/functions/urls.tf").path("data").path("aws_iam_policy_document")
        .path("url_caller").get(0);
    assertThat(policy.path("for_each").path("callers").toString()).isEqualTo("[\"ingest\",\"query\"]");
    assertThat(policy.path("for_each").path("admin").toString()).isEqualTo("[\"admin\"]");
    JsonNode statements = policy.path("statement");
    assertThat(statements).hasSize(2);
    JsonNode url = statements.get(0);
    assertThat(url.path("actions").toString()).isEqualTo("[\"lambda:InvokeFunctionUrl\"]");
    assertThat(url.path("condition").get(0).path("variable").asText()).isEqualTo("lambda:FunctionUrlAuthType");
    assertThat(url.path("condition").get(0).path("values").toString()).isEqualTo("[\"AWS_IAM\"]");
    JsonNode via = statements.get(1);
    assertThat(via.path("actions").toString()).isEqualTo("[\"lambda:InvokeFunction\"]");
    assertThat(via.path("condition").get(0).path("variable").asText()).isEqualTo("lambda:InvokedViaFunctionUrl");
    assertThat(via.path("condition").get(0).path("values").toString()).isEqualTo("[\"true\"]");

    JsonNode outputs = Hcl.file("examples/dev/outputs.tf").path("output");
    assertThat(outputs.path("caller_policy_json").get(0).path("value").asText())
        .isEqualTo("${module.functions.caller_policy_json}");
    assertThat(outputs.path("admin_caller_policy_json").get(0).path("value").asText())
        .isEqualTo("${module.functions.admin_caller_policy_json}");
  }

  @Test
  void theExampleNamesCallersByRoleArn() throws java.io.IOException {
    String tfvars = java.nio.file.Files.readString(
        Hcl.terraformDir().resolve("examples/dev/terraform.tfvars.example"));
    assertThat(tfvars).containsPattern("(?m)^url_invoker_principals = \\[\"arn:aws:iam::\\d{12}:role/[^\"]+\"\\]$");
  }

  @Test
  void classifyIsX8664AndTheOtherFunctionsDefaultToArm64() {
    JsonNode function = Hcl.file("modules/functions/main.tf").path("resource").path("aws_lambda_function")
        .path("function").get(0);
    assertThat(function.path("architectures").toString())
        .isEqualTo("[\"${each.key == \\\"classify\\\" ? var.classify_architecture : var.architecture}\"]");
    assertThat(variable("modules/functions/variables.tf", "architecture").path("default").asText()).isEqualTo("arm64");
    JsonNode classify = variable("modules/functions/variables.tf", "classify_architecture");
    assertThat(classify.path("default").asText()).isEqualTo("x86_64");
    assertThat(conditions(classify.path("validation"))).containsExactly("${var.classify_architecture == \"x86_64\"}");
    assertThat(variable("examples/dev/variables.tf", "architecture").path("default").asText()).isEqualTo("arm64");
  }

  @Test
  void globalNamesCarryTheRegion() {
    JsonNode role = Hcl.file("modules/functions/iam.tf").path("resource").path("aws_iam_role").path("function").get(0);
    assertThat(role.path("name").asText())
        .isEqualTo("${var.name_prefix}-${data.aws_region.current.region}-${each.key}");
    assertThat(conditions(role.path("lifecycle").get(0).path("precondition"))).singleElement().asString()
        .contains("<= 64");
    assertThat(Hcl.file("examples/dev/main.tf").path("locals").get(0).path("bucket_name").asText())
        .contains("${data.aws_region.current.region}").contains("${data.aws_caller_identity.current.account_id}");
  }

  @Test
  void theBucketPolicyTakesExtraStatements() {
    JsonNode policy = Hcl.file("modules/storage/main.tf").path("data").path("aws_iam_policy_document")
        .path("tls_only").get(0);
    assertThat(policy.path("source_policy_documents").asText()).isEqualTo("${var.extra_bucket_policy_json}");
    assertThat(variable("modules/storage/variables.tf", "extra_bucket_policy_json").path("default").toString())
        .isEqualTo("[]");
    assertThat(Hcl.file("examples/dev/main.tf").path("module").path("storage").get(0)
        .path("extra_bucket_policy_json").asText()).isEqualTo("${var.extra_bucket_policy_json}");
  }

  @Test
  void mappingSettingsLambdaWouldRefuseAreRefusedAtPlan() {
    assertThat(conditions(variable("modules/functions/variables.tf", "classify_batch_size").path("validation")))
        .contains("${var.classify_batch_size <= 10 || var.classify_batching_window_seconds > 0}");
    assertThat(conditions(variable("modules/functions/variables.tf", "stream_parallelization_factor")
        .path("validation"))).containsExactly(
            "${var.stream_parallelization_factor >= 1 && var.stream_parallelization_factor <= 10}");
  }

  static JsonNode variable(String file, String name) {
    JsonNode variable = Hcl.file(file).path("variable").path(name);
    assertThat(variable.isArray()).as("variable %s in %s", name, file).isTrue();
    return variable.get(0);
  }

  /** The conditions of validation or precondition blocks, whitespace collapsed. */
  static List<String> conditions(JsonNode blocks) {
    List<String> found = new ArrayList<>();
    blocks.forEach(b -> found.add(b.path("condition").asText().replaceAll("\\s+", " ")));
    return found;
  }
}
