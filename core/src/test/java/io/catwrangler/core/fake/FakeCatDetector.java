package io.catwrangler.core.fake;

import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.core.detection.StageTimings;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.image.InvalidImageException;
import io.catwrangler.events.Box;
import io.catwrangler.events.DetectedObject;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.ImageId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted detector: a cat score per image (0.5 unless set), images it rejects, images it fails on a number of
 * times, a delay to widen race windows, and a count of calls.
 */
public final class FakeCatDetector implements CatDetector {
  private final double threshold;
  private volatile DetectorModel model = new DetectorModel("fake-detector", "v1");
  private volatile Duration delay = Duration.ZERO;
  private final Map<ImageId, Double> scores = new ConcurrentHashMap<>();
  private final Set<ImageId> rejected = ConcurrentHashMap.newKeySet();
  private final Map<ImageId, Integer> outages = new ConcurrentHashMap<>();
  private volatile boolean down;
  private final AtomicInteger calls = new AtomicInteger();

  public FakeCatDetector(double threshold) {
    this.threshold = threshold;
  }

  public FakeCatDetector score(ImageId id, double score) {
    scores.put(id, score);
    return this;
  }

  public FakeCatDetector reject(ImageId id) {
    rejected.add(id);
    return this;
  }

  /** Fails the next {@code times} calls for the image as unavailable. */
  public FakeCatDetector failTimes(ImageId id, int times) {
    outages.put(id, times);
    return this;
  }

  public FakeCatDetector down(boolean isDown) {
    this.down = isDown;
    return this;
  }

  public FakeCatDetector delay(Duration each) {
    this.delay = each;
    return this;
  }

  public FakeCatDetector model(String version) {
    this.model = new DetectorModel("fake-detector", version);
    return this;
  }

  public int calls() {
    return calls.get();
  }

  @Override
  public CatVerdict detect(byte[] image) throws ImageRejectedException {
    calls.incrementAndGet();
    ImageId id = ImageId.sha256Of(image);
    if (!delay.isZero()) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (rejected.contains(id)) {
      throw new InvalidImageException("JPEG data ends early (truncated file)");
    }
    if (down) {
      throw new DetectorUnavailableException("inference runtime not loaded", null);
    }
    int[] failNow = {0};
    outages.computeIfPresent(id, (k, left) -> {
      failNow[0] = 1;
      return left > 1 ? left - 1 : null;
    });
    if (failNow[0] == 1) {
      throw new DetectorUnavailableException("inference session busy", null);
    }
    double score = scores.getOrDefault(id, 0.5);
    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("decode", 1.5);
    timings.put("inference", 4.0);
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("cat_score", score);
    raw.put("heatmap_max", Map.of("class", 15, "value", score));
    return new CatVerdict(
        score >= threshold,
        score,
        threshold,
        List.of(new DetectedObject("cat", score, new Box(1, 2, 15, 11))),
        model,
        new StageTimings(timings),
        16,
        12,
        raw);
  }

  @Override
  public DetectorModel model() {
    return model;
  }
}
