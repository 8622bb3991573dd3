package io.catwrangler.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.terraform.check.VersionConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every resource, data source and provider block of terraform/ against the AWS provider's own schema (what
 * {@code terraform validate} would say about them, see docs/deploy-aws.md), and every version constraint on the
 * provider admits the release that schema describes.
 */
class TerraformMatchesProviderSchemaTest {

  @Test
  void everyResourceAndDataBlockMatchesTheProvidersSchema() {
    assertThat(ProviderAws.check(Hcl.terraformDir(), Hcl.terraform())).isEmpty();
    // not vacuous: what was checked
    assertThat(typesUsed("resource")).hasSizeGreaterThanOrEqualTo(25)
        .allSatisfy(type -> assertThat(ProviderAws.schema().type(false, type)).isPresent());
    assertThat(typesUsed("data")).hasSizeGreaterThanOrEqualTo(5)
        .allSatisfy(type -> assertThat(ProviderAws.schema().type(true, type)).isPresent());
  }

  @Test
  void everyConstraintOnTheAwsProviderAdmitsTheVersionOfTheSchema() {
    assertThat(ProviderAws.schema().providerAddress()).isEqualTo("hashicorp/aws");
    assertThat(ProviderAws.schema().providerVersion()).isEqualTo("6.66.0");
    List<String> constraints = new ArrayList<>();
    for (Map.Entry<String, JsonNode> file : Hcl.terraform().path("files").properties()) {
      for (JsonNode terraform : file.getValue().path("terraform")) {
        for (JsonNode required : terraform.path("required_providers")) {
          JsonNode aws = required.path("aws");
          assertThat(aws.path("source").asText()).as(file.getKey()).isEqualTo("hashicorp/aws");
          constraints.add(file.getKey() + " " + aws.path("version").asText());
        }
      }
    }
    // the example and each of the five modules says which provider versions it works with
    assertThat(constraints).hasSizeGreaterThanOrEqualTo(6).allSatisfy(c -> assertThat(
        VersionConstraint.admits(c.substring(c.indexOf(' ') + 1), ProviderAws.schema().providerVersion())).as(c)
        .isTrue());
  }

  /** Resource or data types, one entry per block. */
  private static List<String> typesUsed(String keyword) {
    List<String> types = new ArrayList<>();
    for (JsonNode file : Hcl.terraform().path("files")) {
      for (Map.Entry<String, JsonNode> type : file.path(keyword).properties()) {
        type.getValue().properties().forEach(named -> named.getValue().forEach(body -> types.add(type.getKey())));
      }
    }
    return types;
  }
}
