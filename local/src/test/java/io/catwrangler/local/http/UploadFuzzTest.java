package io.catwrangler.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.image.ByteMutations;
import io.catwrangler.core.image.ImageInfo;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.image.ScanBombs;
import io.catwrangler.core.image.TestImages;
import io.catwrangler.detector.image.DecodedImage;
import io.catwrangler.detector.image.ImageDecoder;
import io.catwrangler.local.runtime.LocalConfig;
import io.catwrangler.local.runtime.LocalRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random and damaged JPEG and PNG bytes through {@code POST /images} of a real embedded server (SQLite, files, Jetty;
 * a fake detector) and through the decoder the workers use: never a 5xx, never a hang, never more pixels in memory
 * than the decoder's bound. Seeded, so a failure names the case (seed and case number) that replays it.
 */
class UploadFuzzTest {
  private static final long SEED = 0x17_F0_22L;
  private static final int CASES = 1_500;
  /** The answers an upload may get: accepted, or refused for a reason that is the client's. */
  private static final Set<Integer> CLIENT_ANSWERS = Set.of(202, 400, 413, 415, 422);
  /** Far above the decoder's 5 s budget of processor time: only a decode that ignores its budget reaches it. */
  private static final Duration NO_HANG = Duration.ofSeconds(20);
  /** The decoder keeps at most about four input sizes a side after subsampling (512 × 4). */
  private static final long MAX_DECODED_PIXELS = 2048L * 2048;

  private static final List<byte[]> SEEDS = List.of(
      TestImages.jpeg(64, 48),
      TestImages.progressiveJpeg(96, 64),
      TestImages.grayJpeg(40, 40),
      TestImages.jpegWithFillBytesAndAppSegment(40, 30),
      TestImages.png(64, 48),
      TestImages.alphaPng(48, 64),
      TestImages.grayPng(30, 20),
      ScanBombs.withScans(ScanBombs.progressive(32, 32), 40));

  private static Path dataDir;
  private static LocalRuntime runtime;
  private static EmbeddedHttpServer server;
  private static URI base;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final ImageInspector INSPECTOR = new ImageInspector(ImageLimits.DEFAULT);
  private static final ImageDecoder DECODER = new ImageDecoder(512);

  @BeforeAll
  static void startServer() throws IOException {
    dataDir = Files.createTempDirectory("catwrangler-fuzz-");
    LocalConfig config = LocalConfig.defaults(dataDir).withWorkers(1);
    runtime = LocalRuntime.open(config, new FakeCatDetector(config.detector().threshold()));
    server = EmbeddedApi.serve(runtime, HttpServerConfig.loopback(0).withAccessLog(false));
    base = server.url();
  }

  @AfterAll
  static void stopServer() throws IOException {
    server.close();
    runtime.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Damaged seed images (6 in 9), random bytes behind a JPEG or PNG signature (2 in 9), random bytes (1 in 9). */
  private static byte[] imageLikeBytes(Random random) {
    int kind = random.nextInt(9);
    if (kind < 6) {
      return mutated(random.nextInt(SEEDS.size()), random.nextLong(), 1 + random.nextInt(4));
    }
    byte[] tail = new byte[random.nextInt(4097)];
    random.nextBytes(tail);
    if (kind == 8) {
      return tail;
    }
    byte[] signature = random.nextBoolean() ? new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}
        : TestImages.pngSignature();
    return TestImages.concat(signature, tail);
  }

  private static byte[] mutated(int seed, long randomSeed, int mutations) {
    byte[] bytes = SEEDS.get(seed);
    Random random = new Random(randomSeed);
    StringBuilder applied = new StringBuilder();
    int headerEnd = Math.min(bytes.length, 600);
    for (int i = 0; i < mutations; i++) {
      bytes = ByteMutations.mutate(bytes, headerEnd, random, applied);
    }
    return bytes;
  }

  @Test
  void postImagesAnswersEveryUploadWithAcceptanceOrTheClientsError() throws Exception {
    Random random = new Random(SEED);
    int accepted = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] bytes = imageLikeBytes(random);
      String what = "case " + i + " of seed " + SEED + " (" + bytes.length + " bytes)";
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/images")).timeout(NO_HANG)
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).as(what + ": " + r.body()).isIn(CLIENT_ANSWERS);
      assertThat(r.body()).as(what).contains(r.statusCode() == 202 ? "\"image_id\"" : "\"error\"");
      accepted += r.statusCode() == 202 ? 1 : 0;
    }
    assertThat(accepted).as("some damaged images still pass the header checks").isBetween(1, CASES - 1);
  }

  @Test
  void theDecoderEndsInPixelsOrARejectionWithinItsBounds() {
    Random random = new Random(SEED + 1);
    int decoded = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] bytes = imageLikeBytes(random);
      String what = "case " + i + " of seed " + (SEED + 1);
      long start = System.nanoTime();
      try {
        ImageInfo info = INSPECTOR.inspect(bytes);
        DecodedImage image = DECODER.decode(bytes, info);
        assertThat((long) image.width() * image.height()).as(what).isLessThanOrEqualTo(MAX_DECODED_PIXELS);
        assertThat(image.rgb()).as(what).hasSize(image.width() * image.height());
        decoded++;
      } catch (ImageRejectedException e) {
        assertThat(e.getMessage()).as(what).isNotBlank();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as(what).isLessThan(NO_HANG);
    }
    assertThat(decoded).as("some damaged images still decode").isBetween(1, CASES - 1);
  }
}
