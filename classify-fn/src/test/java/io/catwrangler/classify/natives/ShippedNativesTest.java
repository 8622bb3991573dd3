package io.catwrangler.classify.natives;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.aws.testing.DeploymentZip;
import io.catwrangler.classify.natives.ElfVersionNeeds.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native libraries inside the built {@code classify-fn-lambda.zip} load on the Lambda runtimes Terraform lets
 * the embedded detector run on: each {@code .so}'s GLIBC version needs (ELF {@code .gnu.version_r}) are at most the
 * glibc of those runtimes' OS. Runs in the {@code verify} phase, after the zip is built (see the pom).
 */
class ShippedNativesTest {
  /**
   * glibc of each Lambda Java runtime's OS: java17 runs on Amazon Linux 2 (glibc 2.26), java21 and java25 on
   * Amazon Linux 2023 (glibc 2.34).
   */
  static final Map<String, Version> RUNTIME_GLIBC =
      Map.of("java17", Version.parse("2.26"), "java21", Version.parse("2.34"), "java25", Version.parse("2.34"));

  private static Map<String, ElfVersionNeeds> natives;

  @BeforeAll
  static void readZip() throws IOException {
    Path zip = Path.of(System.getProperty("classify.zip"));
    assertThat(zip).as("the deployment zip (built by the package phase)").isRegularFile();
    natives = sharedObjects(zip);
  }

  @Test
  void theZipShipsOnnxRuntimesLinuxX64NativesAndNothingElse() {
    assertThat(natives.keySet()).containsExactlyInAnyOrder(
        "lib/onnxruntime-1.23.2-linux-x64.jar!ai/onnxruntime/native/linux-x64/libonnxruntime.so",
        "lib/onnxruntime-1.23.2-linux-x64.jar!ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so");
  }

  @Test
  void theVersionNeedsAreReadAsReadelfPrintsThem() {
    // readelf -V libonnxruntime4j_jni.so (ONNX Runtime 1.23.2), "Version needs section '.gnu.version_r'"
    ElfVersionNeeds jni = natives.get(
        "lib/onnxruntime-1.23.2-linux-x64.jar!ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so");
    assertThat(jni.byLibrary().get("libc.so.6"))
        .containsExactly("GLIBC_2.14", "GLIBC_2.2.5", "GLIBC_2.26", "GLIBC_2.4");
    assertThat(jni.highest("GLIBC_")).isEqualTo(Version.parse("2.26"));
  }

  @Test
  void everyRuntimeTerraformAllowsTheEmbeddedDetectorHasTheGlibcTheNativesNeed() throws IOException {
    List<String> allowed = embeddedDetectorRuntimes();
    assertThat(allowed).isNotEmpty();
    Map<String, Version> needs = new TreeMap<>();
    natives.forEach((name, elf) -> needs.put(name, elf.highest("GLIBC_")));
    for (String runtime : allowed) {
      assertThat(RUNTIME_GLIBC).as("glibc of runtime %s is known", runtime).containsKey(runtime);
      needs.forEach((name, need) -> assertThat(need.compareTo(RUNTIME_GLIBC.get(runtime)))
          .as("%s needs GLIBC_%s; %s has %s", name, need, runtime, RUNTIME_GLIBC.get(runtime))
          .isLessThanOrEqualTo(0));
    }
  }

  @Test
  void java17CannotLoadOnnxRuntimeWhichIsWhyTerraformRefusesIt() {
    Version need = natives.get(
        "lib/onnxruntime-1.23.2-linux-x64.jar!ai/onnxruntime/native/linux-x64/libonnxruntime.so").highest("GLIBC_");
    assertThat(need).isEqualTo(Version.parse("2.27")); // expf, powf, logf, ... of glibc 2.27
    assertThat(need.compareTo(RUNTIME_GLIBC.get("java17"))).isPositive();
  }

  /**
   * The runtimes in the {@code java_runtime} validation of terraform/modules/functions/variables.tf that ties the
   * runtime to the embedded detector: {@code var.detector != "embedded" || contains([...], var.java_runtime)}.
   */
  static List<String> embeddedDetectorRuntimes() throws IOException {
    String variables = Files.readString(Path.of(System.getProperty("terraform.functions")).resolve("variables.tf"));
    Matcher m = Pattern.compile(
        "var\\.detector\\s*!=\\s*\"embedded\"\\s*\\|\\|\\s*contains\\(\\[([^\\]]*)\\],\\s*var\\.java_runtime\\)")
        .matcher(variables);
    assertThat(m.find()).as("variables.tf ties java_runtime to the embedded detector").isTrue();
    return Pattern.compile("\"([^\"]+)\"").matcher(m.group(1)).results().map(r -> r.group(1)).toList();
  }

  /** Every native library of the zip with its version needs. */
  static Map<String, ElfVersionNeeds> sharedObjects(Path zip) throws IOException {
    Map<String, ElfVersionNeeds> found = new TreeMap<>();
    DeploymentZip.natives(zip).forEach((name, bytes) -> found.put(name, ElfVersionNeeds.read(bytes)));
    return found;
  }
}
