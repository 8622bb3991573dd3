package io.catwrangler.core.image;

import java.time.Duration;
import java.util.Locale;

/**
 * Decoding was stopped because it took more processor time than the decoder allows for one image: a file built to
 * be slow (a scan bomb under the scan limit, say), not a photo. Terminal, like every {@link ImageRejectedException}:
 * the same bytes cost about the same again. Its code is {@code INVALID_IMAGE}.
 */
public final class DecodeBudgetExceededException extends InvalidImageException {
  private final Duration budget;

  public DecodeBudgetExceededException(ImageFormat format, Duration budget) {
    super(String.format(Locale.ROOT,
        "decoding this %s was stopped after %.1f s of processor time, the limit per image (a 50-megapixel"
            + " progressive photo takes about 2 s)", format, budget.toMillis() / 1000.0));
    this.budget = budget;
  }

  /** The processor time allowed for one decode. */
  public Duration budget() {
    return budget;
  }
}
