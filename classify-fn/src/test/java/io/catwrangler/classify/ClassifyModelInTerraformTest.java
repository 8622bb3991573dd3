package io.catwrangler.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.aws.RekognitionCatDetector;
import io.catwrangler.detector.ImageNetCatDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Terraform tells query-fn which model classify-fn answers with ({@code CW_CLASSIFY_MODEL_NAME}/{@code _VERSION}, the
 * model {@code GET /quality} measures; decision 0046): its {@code classify_model} must name the model this zip's
 * detectors record, or the figures would count every labelled answer as another model's.
 */
class ClassifyModelInTerraformTest {
  private static final Pattern EMBEDDED = Pattern.compile(
      "\n\\s*embedded\\s*=\\s*\\{ name = \"([^\"]+)\", version = \"([^\"]+)\" }\n");
  private static final Pattern REKOGNITION = Pattern.compile(
      "\n\\s*rekognition\\s*=\\s*\\{ name = \"([^\"]+)\", version = var\\.rekognition_model_version }\n");

  @Test
  void terraformNamesTheModelsTheDetectorsRecord() throws IOException {
    String main = Files.readString(Path.of(System.getProperty("terraform.functions")).resolve("main.tf"));
    String local = main.substring(main.indexOf("classify_model = {"), main.indexOf("}[var.detector]"));
    Matcher embedded = EMBEDDED.matcher(local);
    Matcher rekognition = REKOGNITION.matcher(local);
    assertThat(embedded.find()).as("local.classify_model.embedded in modules/functions/main.tf").isTrue();
    assertThat(rekognition.find()).as("local.classify_model.rekognition in modules/functions/main.tf").isTrue();

    assertThat(embedded.group(1)).isEqualTo(ImageNetCatDetector.MODEL.name());
    assertThat(embedded.group(2)).isEqualTo(ImageNetCatDetector.MODEL.version());
    assertThat(rekognition.group(1)).isEqualTo(RekognitionCatDetector.DETECTOR_NAME);
    assertThat(main).contains("CW_CLASSIFY_MODEL_NAME           = local.classify_model.name",
        "CW_CLASSIFY_MODEL_VERSION        = local.classify_model.version");
  }
}
