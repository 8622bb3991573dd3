package io.catwrangler.query.natives;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.aws.testing.DeploymentZip;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The zips of the functions Terraform runs on arm64 by default (ingest and admin: ingest-fn's zip; query and the
 * projector: query-fn's) carry no native library, so nothing in them is tied to x86_64. Runs in the {@code verify}
 * phase, after both zips are built (see the pom).
 */
class Arm64ZipsTest {

  @Test
  void ingestAndQueryZipsArePureJava() throws IOException {
    for (String zip : new String[] {"ingest.zip", "query.zip"}) {
      Path path = Path.of(System.getProperty(zip));
      assertThat(path).as("the deployment zip (built by the package phase)").isRegularFile();
      assertThat(DeploymentZip.natives(path).keySet()).as(zip).isEmpty();
    }
  }

  @Test
  void theClassifyZipIsNotPureJavaWhichIsWhyItStaysOnX8664() throws IOException {
    Path classify = Path.of(System.getProperty("classify.zip"));
    assertThat(classify).isRegularFile();
    assertThat(DeploymentZip.natives(classify).keySet()).anyMatch(n -> n.contains("/linux-x64/"))
        .noneMatch(n -> n.contains("aarch64"));
  }
}
