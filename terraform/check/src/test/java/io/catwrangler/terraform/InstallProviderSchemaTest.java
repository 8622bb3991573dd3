package io.catwrangler.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code install-provider-schema.sh} uses a cached package only when its checksums match: run on a stand-in
 * package (a tarball holding a small {@code package/.jsii}) already in the cache, so that npm is never needed.
 */
class InstallProviderSchemaTest {
  private static final String VERSION = "0.0.1-test";
  private static final String TARBALL = "cdktn-provider-aws-" + VERSION + ".tgz";
  private static final String MANIFEST = "provider-aws-" + VERSION + ".jsii";
  private static final String CONTENT = "{\"name\": \"stand-in\"}\n";

  @TempDir Path dir;
  private Path script;
  private Path cache;

  @BeforeEach
  void standInPackageInTheCache() throws IOException, InterruptedException {
    Path scripts = Files.createDirectories(dir.resolve("check"));
    script = scripts.resolve("install-provider-schema.sh");
    Files.copy(Hcl.terraformDir().resolve("check/install-provider-schema.sh"), script);
    cache = Files.createDirectories(dir.resolve("cache"));
    Path staging = Files.createDirectories(dir.resolve("staging/package"));
    Files.writeString(staging.resolve(".jsii"), CONTENT, StandardCharsets.UTF_8);
    assertThat(run(List.of("tar", "-czf", cache.resolve(TARBALL).toString(),
        "-C", dir.resolve("staging").toString(), "package/.jsii"))).isZero();
  }

  @Test
  void extractsTheManifestWhenBothChecksumsMatchAndThenDoesNothing() throws Exception {
    writeChecksums(sha256(Files.readAllBytes(cache.resolve(TARBALL))),
        sha256(CONTENT.getBytes(StandardCharsets.UTF_8)));

    assertThat(install()).isZero();
    assertThat(cache.resolve(MANIFEST)).hasContent(CONTENT);
    assertThat(cache.resolve(TARBALL).toFile().delete()).isTrue();
    assertThat(install()).as("a matching manifest needs nothing else").isZero();
  }

  @Test
  void refusesAManifestThatDoesNotMatch() throws Exception {
    writeChecksums(sha256(Files.readAllBytes(cache.resolve(TARBALL))), "0".repeat(64));

    assertThat(install()).isNotZero();
    assertThat(cache.resolve(MANIFEST)).doesNotExist();
  }

  @Test
  void refusesAVersionWithoutChecksums() throws Exception {
    Files.writeString(script.resolveSibling("provider-aws.sha256"), "", StandardCharsets.UTF_8);

    assertThat(install()).isNotZero();
    assertThat(cache.resolve(MANIFEST)).doesNotExist();
  }

  private void writeChecksums(String tarball, String manifest) throws IOException {
    Files.writeString(script.resolveSibling("provider-aws.sha256"),
        tarball + "  " + TARBALL + "\n" + manifest + "  " + MANIFEST + "\n", StandardCharsets.UTF_8);
  }

  private int install() throws IOException, InterruptedException {
    return run(List.of("bash", script.toString(), cache.toString(), VERSION));
  }

  private int run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("out.txt").toFile()).start();
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    return process.exitValue();
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
