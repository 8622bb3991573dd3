package io.catwrangler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.catwrangler.aws.testing.TestAws;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.image.InvalidImageException;
import io.catwrangler.core.image.TestImages;
import io.catwrangler.core.image.UnsupportedFormatException;
import io.catwrangler.events.Box;
import io.catwrangler.events.DetectedObject;
import io.catwrangler.events.ImageId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rekognition.RekognitionClient;

/**
 * The Rekognition detector against a local server that speaks Rekognition's JSON protocol (AWS JSON 1.1,
 * {@code X-Amz-Target: RekognitionService.DetectLabels}) with responses of the recorded shape: no AWS account here.
 */
class RekognitionCatDetectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] IMAGE = TestImages.jpeg(1000, 800);
  private static final ImageId IMAGE_ID = ImageId.sha256Of(IMAGE);

  /** One scripted answer: HTTP status, the error type for errors, the body. */
  private record Reply(int status, String errorType, String body) {
    static Reply ok(String fixture) {
      return new Reply(200, null, fixture(fixture));
    }

    static Reply error(int status, String type) {
      return new Reply(status, type, "{\"__type\":\"" + type + "\",\"message\":\"" + type + " from the test\"}");
    }
  }

  private final Deque<Reply> replies = new ArrayDeque<>();
  private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> targets = Collections.synchronizedList(new ArrayList<>());
  private HttpServer server;
  private RekognitionClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        requests.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
        Reply reply;
        synchronized (replies) {
          reply = replies.isEmpty() ? Reply.error(500, "InternalServerError") : replies.poll();
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().add("x-amzn-RequestId", "test-request");
        if (reply.errorType() != null) {
          exchange.getResponseHeaders().add("x-amzn-ErrorType", reply.errorType() + ":");
        }
        exchange.sendResponseHeaders(reply.status(), body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.start();
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    client =
        TestAws.configure(RekognitionClient.builder(), endpoint)
            .httpClientBuilder(TestAws.http())
            .overrideConfiguration(o -> o.retryStrategy(
                AwsClients.detectorRetries(3, Duration.ofMillis(10), Duration.ofMillis(50))))
            .build();
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.stop(0);
  }

  private RekognitionCatDetector detector(double threshold) {
    return new RekognitionCatDetector(client, Optional.of("cw-images"), threshold, 50, "3.0", ImageLimits.DEFAULT);
  }

  private void reply(Reply... scripted) {
    replies.addAll(List.of(scripted));
  }

  private static String fixture(String name) {
    try (InputStream in = RekognitionCatDetectorTest.class.getResourceAsStream("/rekognition/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void asksAboutTheStoredImageWithoutMaxLabels() throws Exception {
    reply(Reply.ok("cat.json"));

    detector(0.8).detect(IMAGE);

    assertThat(targets).containsExactly("RekognitionService.DetectLabels");
    JsonNode request = requests.get(0);
    assertThat(request.at("/Image/S3Object/Bucket").asText()).isEqualTo("cw-images");
    assertThat(request.at("/Image/S3Object/Name").asText()).isEqualTo("images/" + IMAGE_ID.value());
    assertThat(request.has("MaxLabels")).isFalse();
    assertThat(request.get("MinConfidence").asDouble()).isEqualTo(50.0);
  }

  @Test
  void aCatLabelAboveTheThresholdIsACatWithItsBoxInPixels() throws Exception {
    reply(Reply.ok("cat.json"));

    CatVerdict verdict = detector(0.8).detect(IMAGE);

    assertThat(verdict.isCat()).isTrue();
    assertThat(verdict.catScore()).isCloseTo(0.9871234, within(1e-9));
    assertThat(verdict.threshold()).isEqualTo(0.8);
    assertThat(verdict.width()).isEqualTo(1000);
    assertThat(verdict.height()).isEqualTo(800);
    assertThat(verdict.model().name()).isEqualTo("amazon-rekognition-detect-labels");
    assertThat(verdict.model().version()).isEqualTo("3.0");
    assertThat(verdict.detections()).containsExactly(
        new DetectedObject("person", 0.99, new Box(0, 0, 100, 160)),
        new DetectedObject("cat", 0.965, new Box(250, 100, 750, 700)));
    assertThat(verdict.timings().millis()).containsKey("rekognition");
  }

  @Test
  void keepsTheWholeResponseAsRawOutput() throws Exception {
    reply(Reply.ok("cat.json"));

    CatVerdict verdict = detector(0.8).detect(IMAGE);

    assertThat(verdict.raw()).containsEntry("LabelModelVersion", "3.0");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> labels = (List<Map<String, Object>>) verdict.raw().get("Labels");
    assertThat(labels).extracting(l -> l.get("Name")).containsExactly("Cat", "Animal", "Person");
    assertThat(labels.get(0)).containsEntry("Confidence", 98.71234);
    assertThat(JSON.valueToTree(verdict.raw()).at("/Labels/0/Instances/0/BoundingBox/Left").asDouble())
        .isEqualTo(0.25);
    assertThat(JSON.valueToTree(verdict.raw()).at("/Labels/0/Parents/2/Name").asText()).isEqualTo("Pet");
  }

  @Test
  void aLabelWithCatAmongItsParentsCounts() throws Exception {
    reply(Reply.ok("kitten-only.json"));

    CatVerdict verdict = detector(0.8).detect(IMAGE);

    assertThat(verdict.isCat()).isTrue();
    assertThat(verdict.catScore()).isCloseTo(0.9125, within(1e-9));
    assertThat(verdict.detections()).isEmpty();
  }

  @Test
  void aDogIsNoCat() throws Exception {
    reply(Reply.ok("dog.json"));

    CatVerdict verdict = detector(0.8).detect(IMAGE);

    assertThat(verdict.isCat()).isFalse();
    assertThat(verdict.catScore()).isZero();
    assertThat(verdict.detections()).singleElement()
        .satisfies(d -> assertThat(d.label()).isEqualTo("dog"));
  }

  @Test
  void aCatBelowTheThresholdIsNoCatButKeepsItsScore() throws Exception {
    reply(Reply.ok("weak-cat.json"));

    CatVerdict verdict = detector(0.45).detect(IMAGE);

    assertThat(verdict.isCat()).isFalse();
    assertThat(verdict.catScore()).isCloseTo(0.40, within(1e-9));
    assertThat(requests.get(0).get("MinConfidence").asDouble())
        .as("never asks for less than the threshold would need")
        .isEqualTo(45.0);
  }

  @Test
  void throttlingIsRetriedWithBackoffThenSucceeds() throws Exception {
    reply(Reply.error(400, "ThrottlingException"), Reply.ok("cat.json"));

    CatVerdict verdict = detector(0.8).detect(IMAGE);

    assertThat(verdict.isCat()).isTrue();
    assertThat(requests).hasSize(2);
  }

  @Test
  void throttlingThatDoesNotStopMakesTheDetectorUnavailable() {
    reply(
        Reply.error(400, "ProvisionedThroughputExceededException"),
        Reply.error(400, "ProvisionedThroughputExceededException"),
        Reply.error(400, "ProvisionedThroughputExceededException"),
        Reply.ok("cat.json"));

    assertThatThrownBy(() -> detector(0.8).detect(IMAGE)).isInstanceOf(DetectorUnavailableException.class);
    assertThat(requests).as("the configured three attempts").hasSize(3);
  }

  @Test
  void serverErrorsAreRetriedToo() throws Exception {
    reply(Reply.error(500, "InternalServerError"), Reply.ok("dog.json"));

    assertThat(detector(0.8).detect(IMAGE).isCat()).isFalse();
    assertThat(requests).hasSize(2);
  }

  @Test
  void anImageRekognitionCannotReadIsRejectedNotRetried() {
    reply(Reply.error(400, "InvalidImageFormatException"));

    assertThatThrownBy(() -> detector(0.8).detect(IMAGE)).isInstanceOf(InvalidImageException.class);
    assertThat(requests).hasSize(1);
  }

  @Test
  void accessDeniedIsAnUnavailableDetector() {
    reply(Reply.error(400, "AccessDeniedException"));

    assertThatThrownBy(() -> detector(0.8).detect(IMAGE)).isInstanceOf(DetectorUnavailableException.class);
  }

  @Test
  void bytesThatAreNoImageAreRejectedBeforeAnyCall() {
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> detector(0.8).detect(webp)).isInstanceOf(UnsupportedFormatException.class);
    assertThat(requests).isEmpty();
  }

  @Test
  void withoutABucketTheBytesGoInline() throws Exception {
    reply(Reply.ok("cat.json"));
    RekognitionCatDetector inline =
        new RekognitionCatDetector(client, Optional.empty(), 0.8, 50, "3.0", ImageLimits.DEFAULT);

    assertThat(inline.detect(IMAGE).isCat()).isTrue();
    assertThat(Base64.getDecoder().decode(requests.get(0).at("/Image/Bytes").asText())).isEqualTo(IMAGE);
  }
}
