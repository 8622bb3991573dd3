package io.catwrangler.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.terraform.check.ProviderSchemaCheck.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider-schema check catches each kind of mistake: every case is a copy of one real file of terraform/ with
 * one mistake put in, and must give exactly that one finding, on the mistake's line. (The unchanged files give none:
 * {@link TerraformMatchesProviderSchemaTest}.)
 */
class ProviderSchemaCheckTest {

  /**
   * @param file        the real file, relative to terraform/
   * @param pattern     what to replace in it (a regex, must match)
   * @param replacement the mistake
   * @param at          a regex whose first match in the changed file is on the line the finding must name
   * @param problem     what the finding must say
   */
  record Mistake(String name, String file, String pattern, String replacement, String at, String problem) {}

  private static final String FUNCTIONS = "modules/functions/main.tf";
  private static final String IAM = "modules/functions/iam.tf";
  private static final String MAPPINGS = "modules/functions/mappings.tf";
  private static final String TABLES = "modules/tables/main.tf";
  private static final String QUEUE = "modules/queue/main.tf";
  private static final String STORAGE = "modules/storage/main.tf";
  private static final String EXAMPLE_VERSIONS = "examples/dev/versions.tf";

  static final List<Mistake> MISTAKES = List.of(
      new Mistake("unknown resource type", QUEUE, "resource \"aws_sqs_queue_policy\"",
          "resource \"aws_sqs_queue_policies\"", "aws_sqs_queue_policies",
          "aws_sqs_queue_policies.classify: The provider hashicorp/aws 6.66.0 does not support resource type "
              + "\"aws_sqs_queue_policies\"."),
      new Mistake("unknown data source", FUNCTIONS, "data \"aws_caller_identity\"", "data \"aws_caller_identities\"",
          "aws_caller_identities", "does not support data source \"aws_caller_identities\"."),
      new Mistake("unknown argument", FUNCTIONS, "memory_size(\\s*)=", "memory_mb$1=", "memory_mb\\s*=",
          "aws_lambda_function.function: An argument named \"memory_mb\" is not expected here."),
      new Mistake("unknown argument in a nested block", MAPPINGS, "maximum_concurrency = ", "max_concurrency = ",
          "max_concurrency", "An argument named \"scaling_config.max_concurrency\" is not expected here."),
      new Mistake("unknown block", TABLES, "point_in_time_recovery \\{", "point_in_time_backup {",
          "point_in_time_backup", "aws_dynamodb_table.events: Blocks of type \"point_in_time_backup\" are not "
              + "expected here."),
      new Mistake("missing required argument", FUNCTIONS, "\n\\s*function_name\\s*=[^\n]*", "",
          "resource \"aws_lambda_function\"",
          "The argument \"function_name\" is required, but no definition was found."),
      new Mistake("missing required argument in a nested block", TABLES, "\n\\s*type = \"N\"", "",
          "attribute \\{\\s*name = \"version\"",
          "aws_dynamodb_table.events: The argument \"attribute.type\" is required"),
      new Mistake("missing required block", STORAGE,
          "\n  rule \\{\\s*apply_server_side_encryption_by_default \\{[^}]*}\\s*}", "",
          "resource \"aws_s3_bucket_server_side_encryption_configuration\"", "At least 1 \"rule\" block is required."),
      new Mistake("block written as an argument (object)", FUNCTIONS, "environment \\{", "environment = {",
          "environment = \\{\\s*variables", "An argument named \"environment\" is not expected here: it is a block"),
      new Mistake("block written as an argument (list of objects)", TABLES,
          "point_in_time_recovery \\{\\s*enabled = true\\s*}", "point_in_time_recovery = [{ enabled = true }]",
          "point_in_time_recovery =",
          "An argument named \"point_in_time_recovery\" is not expected here: it is a block"),
      new Mistake("argument written as a block", FUNCTIONS, "\n  tags = var.tags",
          "\n  tags {\n    project = \"x\"\n  }",
          "tags \\{", "aws_lambda_function.function: Blocks of type \"tags\" are not expected here: it is an argument"),
      new Mistake("argument written as a block in a nested block", MAPPINGS,
          "maximum_concurrency = var.classify_maximum_concurrency", "maximum_concurrency {\n    }",
          "maximum_concurrency \\{", "Blocks of type \"scaling_config.maximum_concurrency\" are not expected here"),
      new Mistake("one block given twice where one is allowed", TABLES,
          "(point_in_time_recovery \\{\\s*enabled = true\\s*})",
          "$1\n  point_in_time_recovery {\n    enabled = false\n  }",
          "point_in_time_recovery \\{\\s*enabled = false",
          "No more than 1 \"point_in_time_recovery\" block is allowed."),
      new Mistake("string where a number is required", QUEUE, "receive_wait_time_seconds(\\s*)= 20",
          "receive_wait_time_seconds$1= \"twenty\"", "twenty",
          "aws_sqs_queue.classify: Inappropriate value for \"receive_wait_time_seconds\": a number is required, "
              + "not the string \"twenty\"."),
      new Mistake("number where a bool is required", MAPPINGS, "bisect_batch_on_function_error(\\s*)= true",
          "bisect_batch_on_function_error$1= 1", "bisect_batch_on_function_error",
          "Inappropriate value for \"bisect_batch_on_function_error\": a bool is required, not 1."),
      new Mistake("string where a list is required", MAPPINGS,
          "function_response_types(\\s*)= \\[\"ReportBatchItemFailures\"]",
          "function_response_types$1= \"ReportBatchItemFailures\"", "function_response_types",
          "Inappropriate value for \"function_response_types\": a list is required"),
      new Mistake("list where a string is required, in a nested block", TABLES, "type = \"S\"", "type = [\"S\"]",
          "type = \\[", "Inappropriate value for \"attribute.type\": a string is required, not a list."),
      new Mistake("unknown argument inside a dynamic block", IAM, "sid(\\s*)= \"RekognitionDetectLabels\"",
          "sids$1= \"RekognitionDetectLabels\"", "sids",
          "data.aws_iam_policy_document.classify: An argument named \"statement.sids\" is not expected here."),
      new Mistake("wrong type inside a dynamic block", IAM, "resources = \\[\"\\*\"]", "resources = \"*\"",
          "resources = \"\\*\"", "Inappropriate value for \"statement.resources\": a list is required"),
      new Mistake("dynamic block of an unknown block type", IAM, "dynamic \"statement\"", "dynamic \"statements\"",
          "dynamic \"statements\"", "Blocks of type \"statements\" are not expected here."),
      new Mistake("content of a dynamic block written as an argument", IAM, "content \\{", "content = {",
          "content =", "dynamic \"statement\": content is a block, write content { … }."),
      new Mistake("unknown block in the provider block", EXAMPLE_VERSIONS, "default_tags \\{", "default_tag {",
          "default_tag", "provider.aws: Blocks of type \"default_tag\" are not expected here."),
      new Mistake("version constraint that excludes the schema's version", EXAMPLE_VERSIONS,
          "version = \"~> 6\\.\\d+\"", "version = \"~> 5.80\"", "aws = \\{",
          "aws = \"~> 5.80\" does not admit hashicorp/aws 6.66.0"),
      new Mistake("version constraint that excludes the schema's version, source implied", EXAMPLE_VERSIONS,
          "source\\s*=\\s*\"hashicorp/aws\"\\s*version = \"~> 6\\.\\d+\"", "version = \"~> 6.29.0\"",
          "aws = \\{", "aws = \"~> 6.29.0\" does not admit hashicorp/aws 6.66.0"),
      new Mistake("no version constraint on the provider", "modules/functions/versions.tf",
          "\n\\s*version\\s*=\\s*\">= 6\\.\\d+\"", "", "aws = \\{",
          "terraform.required_providers: aws has no version constraint"));

  private static Path root;
  private static JsonNode parsed;

  @BeforeAll
  static void writeAndParseEveryMistake(@TempDir Path dir) throws IOException {
    root = dir;
    for (Mistake m : MISTAKES) {
      String original = Files.readString(Hcl.terraformDir().resolve(m.file()), StandardCharsets.UTF_8);
      String changed = Pattern.compile(m.pattern()).matcher(original).replaceFirst(m.replacement());
      assertThat(changed).as(m.name() + ": the pattern no longer matches " + m.file()).isNotEqualTo(original);
      Path copy = dir.resolve(caseDir(m)).resolve(m.file());
      Files.createDirectories(copy.getParent());
      Files.writeString(copy, changed, StandardCharsets.UTF_8);
    }
    parsed = Hcl.parse(dir); // one run of the HCL parser for all cases
    assertThat(parsed.path("errors").properties()).as("the mistakes are still valid HCL").isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> eachMistakeIsFoundOnItsLine() {
    List<Finding> findings = ProviderAws.check(root, parsed);
    return MISTAKES.stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
      String file = caseDir(m) + "/" + m.file();
      List<Finding> mine = findings.stream().filter(f -> f.file().equals(file)).toList();
      assertThat(mine).as(m.name()).hasSize(1);
      assertThat(mine.get(0).toString()).contains(m.problem());
      assertThat(mine.get(0).line()).as(mine.get(0).toString()).isEqualTo(lineOf(root.resolve(file), m.at()));
    }));
  }

  /** What Terraform accepts and the real files do not use: no finding either. */
  @Test
  void constructsTerraformAcceptsGiveNoFinding(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("ok.tf"), """
        resource "aws_security_group" "web" {
          count  = 1
          name   = "web"
          vpc_id = "vpc-1"
          ingress {
            from_port   = "443"
            to_port     = 443
            protocol    = "tcp"
            cidr_blocks = ["10.0.0.0/8"]
            self        = "false"
          }
          dynamic "egress" {
            for_each = var.egress
            iterator = rule
            content {
              from_port = rule.value
              to_port   = rule.value
              protocol  = "-1"
            }
          }
          timeouts {
            create = "5m"
          }
          lifecycle {
            create_before_destroy = true
          }
          provisioner "local-exec" {
            command = "true"
          }
        }
        resource "aws_default_route_table" "main" {
          default_route_table_id = "rtb-1"
          route = [{ cidr_block = "0.0.0.0/0", gateway_id = "igw-1" }]
        }
        data "aws_iam_policy_document" "p" {
          statement {
            actions   = ["s3:GetObject"]
            resources = [for b in var.buckets : "${b}/*"]
            condition {
              test     = "Bool"
              variable = "aws:SecureTransport"
              values   = [true]
            }
          }
        }
        resource "aws_s3_bucket_server_side_encryption_configuration" "e" {
          bucket = "b"
          dynamic "rule" {
            for_each = [1]
            content {
              bucket_key_enabled = true
            }
          }
        }
        provider "aws" {
          alias  = "us"
          region = "us-east-1"
        }
        """, StandardCharsets.UTF_8);

    assertThat(ProviderAws.check(dir, Hcl.parse(dir))).isEmpty();
  }

  private static String caseDir(Mistake m) {
    return m.name().replaceAll("[^a-z]+", "-");
  }

  private static int lineOf(Path file, String regex) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertThat(matcher.find()).as(regex + " in " + file).isTrue();
    return (int) text.substring(0, matcher.start()).chars().filter(c -> c == '\n').count() + 1;
  }
}
