package io.catwrangler.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.terraform.check.HclSyntax;
import io.catwrangler.terraform.check.ProviderSchemaCheck;
import io.catwrangler.terraform.check.ProviderSchemaCheck.Finding;
import io.catwrangler.terraform.schema.JsiiManifest;
import io.catwrangler.terraform.schema.ProviderSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The AWS provider's schema as the build installed it ({@code install-provider-schema.sh}), read once per test run,
 * and the check of parsed Terraform against it.
 */
final class ProviderAws {
  private static ProviderSchema schema;

  private ProviderAws() {}

  static synchronized ProviderSchema schema() {
    if (schema == null) {
      String manifest = System.getProperty("provider-aws.manifest");
      if (manifest == null || manifest.isBlank()) {
        throw new IllegalStateException("system property provider-aws.manifest is not set: run the tests with Maven");
      }
      try {
        schema = JsiiManifest.readProviderSchema(Path.of(manifest));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return schema;
  }

  /** Every finding in every file of {@code parsed} (from {@link Hcl#parse}), whose sources are under {@code dir}. */
  static List<Finding> check(Path dir, JsonNode parsed) {
    ProviderSchemaCheck check = new ProviderSchemaCheck(schema());
    List<Finding> findings = new ArrayList<>();
    for (Map.Entry<String, JsonNode> file : parsed.path("files").properties()) {
      findings.addAll(check.check(file.getKey(), file.getValue(), syntax(dir.resolve(file.getKey()))));
    }
    return findings;
  }

  static HclSyntax syntax(Path file) {
    try {
      return HclSyntax.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
