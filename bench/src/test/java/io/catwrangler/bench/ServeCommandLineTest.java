package io.catwrangler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load test's server is {@code catwrangler serve} started from the shipped jar. */
class ServeCommandLineTest {
  @TempDir Path temp;

  @Test
  void fromAJarTheServerIsThatJar() throws Exception {
    Path jar = Files.createFile(temp.resolve("catwrangler.jar"));

    List<String> command = LoadTestCommand.serveCommand("/jdk/bin/java", " -Xmx512m  -XX:+UseSerialGC ", jar,
        "bench.jar:" + jar, List.of("--data", "d", "--boxes", "never"));

    assertThat(command).containsExactly("/jdk/bin/java", "-Xmx512m", "-XX:+UseSerialGC", "-jar", jar.toString(),
        "serve", "--data", "d", "--boxes", "never");
  }

  @Test
  void fromAClassFolderTheServerRunsOnTheSameClassPath() {
    List<String> command = LoadTestCommand.serveCommand("java", "-Xmx1g", temp, "classes:lib/x.jar",
        List.of("--port", "0"));

    assertThat(command).containsExactly("java", "-Xmx1g", "-cp", "classes:lib/x.jar", "io.catwrangler.local.cli.Main",
        "serve", "--port", "0");
  }
}
