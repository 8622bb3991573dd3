package io.catwrangler.detector.centernet;

import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.detector.onnx.PinnedSession.Port;
import io.catwrangler.detector.onnx.PinnedSession;
import io.catwrangler.events.DetectorModel;
import java.util.List;
import java.util.function.Function;

/**
 * CenterNet (MobileNetV3 backbone, COCO's 80 classes) running on ONNX Runtime. The build converts the TFJS graph
 * model to {@value #ONNX_FILE} ({@code ModelConversion}), cut before the graph's own box decoding (that is
 * {@link CenterNetDecoder}'s job); loading reads those bytes from the classpath and converts nothing. One instance
 * holds one session and is safe to share between threads.
 */
public final class CenterNetModel implements AutoCloseable {

  /** The network sees a 512 × 512 RGB image (letterboxed by the caller), values 0–255, NHWC. */
  public static final int INPUT_SIZE = 512;
  /** Each output cell covers {@link #STRIDE} × {@link #STRIDE} input pixels. */
  public static final int STRIDE = 4;
  public static final int GRID_SIZE = INPUT_SIZE / STRIDE;
  public static final int CLASS_COUNT = CocoLabels.COUNT;
  public static final DetectorModel MODEL_INFO = new DetectorModel("centernet-mobilenetv3-coco", "human-3.3.6");

  /** The ONNX file the build writes from the TFJS model, on the classpath beside the other bundled models. */
  public static final String ONNX_FILE = "centernet.onnx";
  /** The node names of the TFJS graph, kept by the conversion. */
  public static final String INPUT = "tower_0/images";
  public static final String HEAT_OUTPUT = "tower_0/keypoints";
  public static final String BOX_OUTPUT = "tower_0/wh";

  /**
   * What the network says about one image, both NHWC without the batch dimension: {@code heat} is
   * [{@value #GRID_SIZE}][{@value #GRID_SIZE}][{@value #CLASS_COUNT}] class scores after the sigmoid, {@code wh}
   * is [{@value #GRID_SIZE}][{@value #GRID_SIZE}][4] distances in input pixels from a cell's centre to the left,
   * top, right and bottom edge of the box of an object centred there.
   */
  public record RawOutput(float[] heat, float[] wh) {}

  private final PinnedSession session;

  private CenterNetModel(PinnedSession session) {
    this.session = session;
  }

  /**
   * Reads the bundled ONNX model and creates its ONNX Runtime session (well under a second; do it once).
   *
   * @param intraOpThreads threads one inference may use; inferences running side by side each use this many
   * @throws DetectorUnavailableException the model is missing from the classpath or ONNX Runtime refused it
   */
  public static CenterNetModel load(int intraOpThreads) {
    return new CenterNetModel(PinnedSession.bundled("CenterNet", ONNX_FILE, intraOpThreads,
        new Port(INPUT, new long[] {1, INPUT_SIZE, INPUT_SIZE, 3}),
        List.of(new Port(HEAT_OUTPUT, new long[] {1, GRID_SIZE, GRID_SIZE, CLASS_COUNT}),
            new Port(BOX_OUTPUT, new long[] {1, GRID_SIZE, GRID_SIZE, 4}))));
  }

  /**
   * Runs the network on one image; the arrays returned are the caller's to keep.
   *
   * @param nhwc512 a letterboxed 512 × 512 RGB image, values 0–255, row by row, three floats per pixel
   * @throws DetectorUnavailableException ONNX Runtime failed
   */
  public RawOutput run(float[] nhwc512) {
    return run(nhwc512, output -> new RawOutput(output.heat().clone(), output.wh().clone()));
  }

  /**
   * Runs the network on one image and gives its output to {@code use}, which must not keep the arrays: they are
   * reused by the next inference. The detector's path: an inference then allocates nothing the size of an image
   * (about 12 MB per image otherwise, which kept the garbage collector, and so the HTTP threads, busy).
   *
   * @param nhwc512 as for {@link #run(float[])}
   * @throws DetectorUnavailableException ONNX Runtime failed
   */
  public <T> T run(float[] nhwc512, Function<RawOutput, T> use) {
    return session.run(nhwc512, outputs -> use.apply(new RawOutput(outputs[0], outputs[1])));
  }

  public PinnedSession.LoadTimings loadTimings() {
    return session.loadTimings();
  }

  /** Releases the session's native memory; the shared ONNX Runtime environment stays for other sessions. */
  @Override
  public void close() {
    session.close();
  }
}
