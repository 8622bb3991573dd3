package io.catwrangler.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Terraform files as HashiCorp's HCL parser reads them: {@code hcl2json.mjs} runs {@code @cdktf/hcl2json} (the Go
 * HCL library compiled to WebAssembly) under node and hands back each file as JSON.
 */
final class Hcl {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode terraform;

  private Hcl() {}

  static Path terraformDir() {
    return Path.of(property("terraform.dir")).normalize();
  }

  static Path repositoryRoot() {
    return Path.of(property("repository.root")).normalize();
  }

  /** {@code {"files": {relative path: JSON}, "errors": {relative path: message}}} for all of terraform/. */
  static synchronized JsonNode terraform() {
    if (terraform == null) {
      terraform = parse(terraformDir());
    }
    return terraform;
  }

  /** One parsed file of terraform/, by its path relative to terraform/ ({@code modules/functions/iam.tf}). */
  static JsonNode file(String relativePath) {
    JsonNode errors = terraform().path("errors");
    if (errors.has(relativePath)) {
      throw new AssertionError(relativePath + " does not parse: " + errors.get(relativePath).asText());
    }
    JsonNode file = terraform().path("files").get(relativePath);
    if (file == null) {
      throw new AssertionError("no file terraform/" + relativePath);
    }
    return file;
  }

  /** Every .tf file under {@code dir} parsed. */
  static JsonNode parse(Path dir) {
    List<String> command = new ArrayList<>(List.of("node", property("hcl2json.script"), property("hcl2json.modules"),
        dir.toString()));
    try {
      Path out = Files.createTempFile("hcl2json", ".json");
      Path err = Files.createTempFile("hcl2json", ".err");
      try {
        Process node = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!node.waitFor(2, TimeUnit.MINUTES)) {
          node.destroyForcibly();
          throw new AssertionError("hcl2json did not finish within 2 minutes");
        }
        if (node.exitValue() != 0) {
          throw new AssertionError("hcl2json failed (" + node.exitValue() + "): "
              + Files.readString(err, StandardCharsets.UTF_8));
        }
        return JSON.readTree(out.toFile());
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("system property " + name + " is not set: run the tests with Maven");
    }
    return value;
  }
}
