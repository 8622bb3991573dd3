package io.catwrangler.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Damaged JPEG and PNG files must end as an {@link ImageInfo} or an {@link ImageRejectedException}: never another
 * exception, never a hang. Seeded, so a failure names a round that can be replayed.
 */
class ImageInspectorFuzzTest {
  private static final long SEED = 0xCA7_F00DL;
  private static final int ROUNDS = 2_000;
  /** Generous: the loop takes well under a second; this only catches a loop that never ends. */
  private static final Duration NO_HANG = Duration.ofSeconds(10);

  private final ImageLimits limits = ImageLimits.DEFAULT;
  private final ImageInspector inspector = new ImageInspector(limits);

  @Test
  void mutatedJpegAndPngOnlyEverGiveImageInfoOrRejection() {
    Original[] originals = {
      jpegOriginal(TestImages.jpeg(64, 48)),
      jpegOriginal(TestImages.jpegWithFillBytesAndAppSegment(40, 30)),
      jpegOriginal(TestImages.progressiveJpeg(48, 64)),
      jpegOriginal(TestImages.grayJpeg(20, 20)),
      new Original(TestImages.png(64, 48), 33),
      new Original(TestImages.alphaPng(48, 64), 33),
    };
    Random random = new Random(SEED);
    Outcomes outcomes = new Outcomes();

    assertTimeoutPreemptively(
        NO_HANG,
        () -> {
          for (int round = 0; round < ROUNDS; round++) {
            Original original = originals[round % originals.length];
            StringBuilder applied = new StringBuilder();
            byte[] mutated = original.bytes();
            int mutations = 1 + random.nextInt(3);
            for (int i = 0; i < mutations; i++) {
              mutated = ByteMutations.mutate(mutated, original.headerEnd(), random, applied);
            }
            check(mutated, "round " + round + " (seed " + SEED + "):" + applied, outcomes);
          }
        });

    assertThat(outcomes.accepted).as("accepted").isPositive();
    assertThat(outcomes.rejected).as("rejected").isPositive();
  }

  @Test
  void randomSegmentsAfterJpegSignatureOnlyEverGiveImageInfoOrRejection() {
    Random random = new Random(SEED);
    Outcomes outcomes = new Outcomes();

    assertTimeoutPreemptively(
        NO_HANG,
        () -> {
          for (int round = 0; round < ROUNDS; round++) {
            check(randomSegments(random), "segment soup round " + round + " (seed " + SEED + ")", outcomes);
          }
        });

    assertThat(outcomes.accepted + outcomes.rejected).isEqualTo(ROUNDS);
  }

  private void check(byte[] bytes, String what, Outcomes outcomes) {
    try {
      ImageInfo info = inspector.inspect(bytes);
      assertThat(info.width()).as(what).isBetween(1, limits.maxSide());
      assertThat(info.height()).as(what).isBetween(1, limits.maxSide());
      assertThat((long) info.width() * info.height()).as(what).isLessThanOrEqualTo(limits.maxPixels());
      assertThat(info.byteSize()).as(what).isEqualTo(bytes.length);
      outcomes.accepted++;
    } catch (ImageRejectedException e) {
      assertThat(e.getMessage()).as(what).isNotBlank();
      assertThat(e.code()).as(what).isIn("UNSUPPORTED_FORMAT", "TOO_LARGE", "INVALID_IMAGE");
      outcomes.rejected++;
    } catch (RuntimeException e) {
      fail(what + " threw " + e, e);
    }
  }

  /** FF D8 FF, then random markers (standalone, fill bytes, segments of random length), maybe a frame header. */
  private static byte[] randomSegments(Random random) {
    byte[] bytes = {(byte) 0xFF, (byte) 0xD8};
    int parts = random.nextInt(12);
    for (int i = 0; i < parts; i++) {
      int marker = random.nextInt(4) == 0 ? 0xC0 + random.nextInt(16) : random.nextInt(256);
      byte[] part =
          switch (random.nextInt(4)) {
            case 0 -> TestImages.marker(marker);
            case 1 -> new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
            case 2 ->
                TestImages.frameHeader(
                    0xC0 + random.nextInt(16), random.nextInt(0x10000), random.nextInt(0x10000));
            default -> {
              byte[] payload = new byte[random.nextInt(64)];
              random.nextBytes(payload);
              byte[] segment = TestImages.segment(marker, payload);
              if (random.nextBoolean()) {
                segment[2] = (byte) random.nextInt(256); // a length that lies
              }
              yield segment;
            }
          };
      bytes = TestImages.concat(bytes, part);
    }
    if (bytes.length == 2 || (bytes[2] & 0xFF) != 0xFF) {
      // the signature is FF D8 FF: without the third byte this would only test the format check
      bytes =
          TestImages.concat(
              TestImages.truncated(bytes, 2), new byte[] {(byte) 0xFF}, Arrays.copyOfRange(bytes, 2, bytes.length));
    }
    return bytes;
  }

  private static Original jpegOriginal(byte[] jpeg) {
    return new Original(jpeg, TestImages.frameHeaderEnd(jpeg));
  }

  private record Original(byte[] bytes, int headerEnd) {}

  private static final class Outcomes {
    int accepted;
    int rejected;
  }
}
