package io.catwrangler.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every .tf file is valid HCL to HashiCorp's own parser. This is syntax only: {@code terraform validate} (types,
 * references, provider schemas) needs the AWS provider, which cannot be downloaded here.
 */
class TerraformParsesTest {

  @Test
  void everyTerraformFileParses() throws IOException {
    Set<String> onDisk;
    try (Stream<Path> walk = Files.walk(Hcl.terraformDir())) {
      onDisk = walk.filter(p -> p.toString().endsWith(".tf"))
          .filter(p -> Stream.of(".terraform", "target", "node_modules").noneMatch(d -> p.toString().contains("/" + d + "/")))
          .map(p -> Hcl.terraformDir().relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
    JsonNode parsed = Hcl.terraform();

    assertThat(parsed.path("errors").properties()).as("parse errors").isEmpty();
    Set<String> names = new TreeSet<>();
    parsed.path("files").fieldNames().forEachRemaining(names::add);
    assertThat(names).isEqualTo(onDisk).hasSizeGreaterThan(20);
  }

  @Test
  void theParserRejectsBrokenHcl(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("good.tf"), "variable \"x\" {\n  type = string\n}\n");
    Files.writeString(dir.resolve("broken.tf"), "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n");

    JsonNode parsed = Hcl.parse(dir);

    assertThat(parsed.path("files").has("good.tf")).isTrue();
    assertThat(parsed.path("errors").path("broken.tf").asText()).isNotBlank();
  }

  @Test
  void modulesAndTheExampleHaveTheirFiles() {
    for (String module : List.of("storage", "queue", "tables", "functions", "alarms")) {
      for (String file : List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf")) {
        Hcl.file("modules/" + module + "/" + file);
      }
    }
    for (String file : List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf")) {
      Hcl.file("examples/dev/" + file);
    }
    assertThat(Hcl.terraformDir().resolve("examples/dev/terraform.tfvars.example")).isRegularFile();
  }

  @Test
  void theExamplePinsTheAwsProvider() {
    JsonNode aws = Hcl.file("examples/dev/versions.tf").path("terraform").get(0).path("required_providers").get(0)
        .path("aws");
    assertThat(aws.path("source").asText()).isEqualTo("hashicorp/aws");
    assertThat(aws.path("version").asText()).matches("~> [56]\\.\\d+");
  }
}
