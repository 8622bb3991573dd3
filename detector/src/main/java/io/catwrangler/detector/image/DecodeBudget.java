package io.catwrangler.detector.image;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.event.IIOReadUpdateListener;

/**
 * Stops an {@link ImageReader} once the decoding thread has used its processor-time budget. ImageIO calls its
 * listeners on the thread that reads: at the start of every pass (every scan of a progressive JPEG, every Adam7 pass
 * of a PNG) and every few percent of rows, so a read goes at most one pass over its budget. Where the JVM cannot
 * measure a thread's processor time, wall time stands in.
 */
final class DecodeBudget implements IIOReadProgressListener, IIOReadUpdateListener {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final boolean cpu;
  private final long deadlineNanos;
  private volatile boolean exceeded;

  private DecodeBudget(boolean cpu, long deadlineNanos) {
    this.cpu = cpu;
    this.deadlineNanos = deadlineNanos;
  }

  /** Starts counting on the calling thread, which must be the one that reads. */
  static DecodeBudget start(Duration budget) {
    boolean cpu = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    return new DecodeBudget(cpu, now(cpu) + budget.toNanos());
  }

  /** Whether the read was stopped for taking too long. */
  boolean exceeded() {
    return exceeded;
  }

  private void check(ImageReader reader) {
    if (!exceeded && now(cpu) - deadlineNanos > 0) {
      exceeded = true;
      reader.abort();
    }
  }

  private static long now(boolean cpu) {
    return cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  @Override
  public void imageProgress(ImageReader source, float percentageDone) {
    check(source);
  }

  @Override
  public void passStarted(ImageReader source, BufferedImage theImage, int pass, int minPass, int maxPass, int minX,
      int minY, int periodX, int periodY, int[] bands) {
    check(source);
  }

  @Override
  public void passComplete(ImageReader source, BufferedImage theImage) {
    check(source);
  }

  // ---- the rest of the two listener interfaces: nothing to check

  @Override
  public void sequenceStarted(ImageReader source, int minIndex) {}

  @Override
  public void sequenceComplete(ImageReader source) {}

  @Override
  public void imageStarted(ImageReader source, int imageIndex) {}

  @Override
  public void imageComplete(ImageReader source) {}

  @Override
  public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}

  @Override
  public void thumbnailProgress(ImageReader source, float percentageDone) {}

  @Override
  public void thumbnailComplete(ImageReader source) {}

  @Override
  public void readAborted(ImageReader source) {}

  @Override
  public void imageUpdate(ImageReader source, BufferedImage theImage, int minX, int minY, int width, int height,
      int periodX, int periodY, int[] bands) {}

  @Override
  public void thumbnailPassStarted(ImageReader source, BufferedImage theThumbnail, int pass, int minPass,
      int maxPass, int minX, int minY, int periodX, int periodY, int[] bands) {}

  @Override
  public void thumbnailUpdate(ImageReader source, BufferedImage theThumbnail, int minX, int minY, int width,
      int height, int periodX, int periodY, int[] bands) {}

  @Override
  public void thumbnailPassComplete(ImageReader source, BufferedImage theThumbnail) {}
}
