package io.catwrangler.terraform.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.terraform.schema.JsiiManifest;
import io.catwrangler.terraform.schema.ProviderSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Times the provider-schema check as the build runs it: reading the schema out of the jsii manifest, then checking
 * every file of terraform/ (as {@code hcl2json.mjs} printed it) against it. Numbers in docs/benchmarks.md.
 *
 * <pre>
 * java -Xmx64m -cp … io.catwrangler.terraform.check.ProviderSchemaBenchmark MANIFEST TERRAFORM_DIR PARSED.json [ROUNDS]
 * </pre>
 */
public final class ProviderSchemaBenchmark {
  private ProviderSchemaBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: ProviderSchemaBenchmark MANIFEST TERRAFORM_DIR PARSED.json [ROUNDS]");
      System.exit(2);
    }
    Path manifest = Path.of(args[0]);
    Path terraform = Path.of(args[1]);
    JsonNode parsed = new ObjectMapper().readTree(Path.of(args[2]).toFile());
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Runtime runtime = Runtime.getRuntime();
    for (int round = 1; round <= rounds; round++) {
      long start = System.nanoTime();
      ProviderSchema schema = JsiiManifest.readProviderSchema(manifest);
      long read = System.nanoTime();
      ProviderSchemaCheck check = new ProviderSchemaCheck(schema);
      int files = 0;
      int findings = 0;
      for (Map.Entry<String, JsonNode> file : parsed.path("files").properties()) {
        HclSyntax syntax = HclSyntax.of(Files.readString(terraform.resolve(file.getKey()), StandardCharsets.UTF_8));
        findings += check.check(file.getKey(), file.getValue(), syntax).size();
        files++;
      }
      long checked = System.nanoTime();
      System.gc();
      System.out.printf("round %d: schema read %d ms (%d resource types, %d data sources), %d files checked in %d ms,"
              + " %d findings; heap in use after GC %d MB (max heap %d MB)%n", round, (read - start) / 1_000_000,
          schema.resources().size(), schema.dataSources().size(), files, (checked - read) / 1_000_000, findings,
          (runtime.totalMemory() - runtime.freeMemory()) >> 20, runtime.maxMemory() >> 20);
    }
  }
}
