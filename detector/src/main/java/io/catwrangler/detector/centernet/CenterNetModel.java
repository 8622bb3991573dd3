package io.catwrangler.detector.centernet;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.core.detection.ModelInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * CenterNet (MobileNetV3 backbone, COCO's 80 classes) running on ONNX Runtime. The TFJS graph model bundled on the
 * classpath is converted to ONNX in memory when the model is loaded, cut before the graph's own box decoding
 * (that is {@link CenterNetDecoder}'s job). One instance holds one session and is safe to share between threads.
 */
public final class CenterNetModel implements AutoCloseable {

  /** The network sees a 512 × 512 RGB image (letterboxed by the caller), values 0–255, NHWC. */
  public static final int INPUT_SIZE = 512;
  /** Each output cell covers {@link #STRIDE} × {@link #STRIDE} input pixels. */
  public static final int STRIDE = 4;
  public static final int GRID_SIZE = INPUT_SIZE / STRIDE;
  public static final int CLASS_COUNT = CocoLabels.COUNT;
  public static final ModelInfo MODEL_INFO = new ModelInfo("centernet-mobilenetv3-coco", "human-3.3.6");

  static final String RESOURCE_FOLDER = "/io/catwrangler/detector/model/";
  static final String INPUT = "tower_0/images";
  static final String HEAT_OUTPUT = "tower_0/keypoints";
  static final String BOX_OUTPUT = "tower_0/wh";

  private static final long[] INPUT_SHAPE = {1, INPUT_SIZE, INPUT_SIZE, 3};
  private static final long[] HEAT_SHAPE = {1, GRID_SIZE, GRID_SIZE, CLASS_COUNT};
  private static final long[] BOX_SHAPE = {1, GRID_SIZE, GRID_SIZE, 4};

  /**
   * What the network says about one image, both NHWC without the batch dimension: {@code heat} is
   * [{@value #GRID_SIZE}][{@value #GRID_SIZE}][{@value #CLASS_COUNT}] class scores after the sigmoid, {@code wh}
   * is [{@value #GRID_SIZE}][{@value #GRID_SIZE}][4] distances in input pixels from a cell's centre to the left,
   * top, right and bottom edge of the box of an object centred there.
   */
  public record RawOutput(float[] heat, float[] wh) {}

  /** How long {@link #load} took to turn the TFJS files into ONNX bytes, and ONNX Runtime to build the session. */
  public record LoadTimings(Duration conversion, Duration sessionCreation) {}

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final LoadTimings loadTimings;
  /** Tensors for one inference at a time ({@link Pinned}), made when none is free, all closed with the model. */
  private final Deque<Pinned> idle = new ConcurrentLinkedDeque<>();
  private final Queue<Pinned> all = new ConcurrentLinkedQueue<>();

  private CenterNetModel(OrtEnvironment environment, OrtSession session, LoadTimings loadTimings) {
    this.environment = environment;
    this.session = session;
    this.loadTimings = loadTimings;
  }

  /**
   * Reads and converts the bundled model and creates its ONNX Runtime session (about a second; do it once).
   *
   * @param intraOpThreads threads one inference may use; inferences running side by side each use this many
   * @throws DetectorUnavailableException the model files are missing from the classpath or ONNX Runtime refused them
   */
  public static CenterNetModel load(int intraOpThreads) {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be at least 1, was " + intraOpThreads);
    }
    long start = System.nanoTime();
    byte[] onnx = convertBundledModel();
    long converted = System.nanoTime();
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      // one graph, one branch: more inter-op threads would only add idle threads per session
      options.setInterOpNumThreads(1);
      // no busy-waiting between parallel sections: with inferences side by side (several workers, or callers) the
      // spinning threads took the cores the other inferences needed (2 × 2 threads on 2 cores: 25 → 32 img/s)
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      // ALL_OPT includes the layout pass that removes the Transpose pairs the converter put around NCHW ops
      options.setOptimizationLevel(OptLevel.ALL_OPT);
      OrtSession session = environment.createSession(onnx, options);
      LoadTimings timings = new LoadTimings(Duration.ofNanos(converted - start),
          Duration.ofNanos(System.nanoTime() - converted));
      return new CenterNetModel(environment, session, timings);
    } catch (OrtException e) {
      throw new DetectorUnavailableException("ONNX Runtime could not create a session for the CenterNet model", e);
    }
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
    if (nhwc512.length != INPUT_SIZE * INPUT_SIZE * 3) {
      throw new IllegalArgumentException("expected " + INPUT_SIZE + "×" + INPUT_SIZE + "×3 floats, got "
          + nhwc512.length);
    }
    Pinned p = borrow();
    try {
      p.input.put(0, nhwc512);
      // the outputs are pinned: ONNX Runtime writes into the buffers, the result owns nothing to copy
      try (OrtSession.Result ignored = session.run(Map.of(INPUT, p.inputTensor), p.outputs)) {
        p.heat.get(0, p.heatArray);
        p.wh.get(0, p.whArray);
      } catch (OrtException e) {
        throw new DetectorUnavailableException("CenterNet inference failed in ONNX Runtime", e);
      }
      return use.apply(new RawOutput(p.heatArray, p.whArray));
    } finally {
      idle.addFirst(p);
    }
  }

  /** A set of tensors no other inference is using: as many exist as inferences ever ran at the same time. */
  private Pinned borrow() {
    Pinned p = idle.pollFirst();
    if (p != null) {
      return p;
    }
    try {
      p = new Pinned(environment);
    } catch (OrtException e) {
      throw new DetectorUnavailableException("ONNX Runtime could not create the CenterNet tensors", e);
    }
    all.add(p);
    return p;
  }

  /**
   * Input and output tensors over direct buffers (ONNX Runtime reads and writes them in place), and the arrays the
   * outputs are copied into for the decoder.
   */
  private static final class Pinned implements AutoCloseable {
    final FloatBuffer input = directFloats(INPUT_SIZE * INPUT_SIZE * 3);
    final FloatBuffer heat = directFloats(GRID_SIZE * GRID_SIZE * CLASS_COUNT);
    final FloatBuffer wh = directFloats(GRID_SIZE * GRID_SIZE * 4);
    final float[] heatArray = new float[heat.capacity()];
    final float[] whArray = new float[wh.capacity()];
    final OnnxTensor inputTensor;
    final Map<String, OnnxTensor> outputs;

    Pinned(OrtEnvironment environment) throws OrtException {
      inputTensor = OnnxTensor.createTensor(environment, input, INPUT_SHAPE);
      OnnxTensor heatTensor = OnnxTensor.createTensor(environment, heat, HEAT_SHAPE);
      OnnxTensor whTensor = OnnxTensor.createTensor(environment, wh, BOX_SHAPE);
      outputs = Map.of(HEAT_OUTPUT, heatTensor, BOX_OUTPUT, whTensor);
    }

    private static FloatBuffer directFloats(int n) {
      return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public void close() {
      inputTensor.close();
      outputs.values().forEach(OnnxTensor::close);
    }
  }

  public LoadTimings loadTimings() {
    return loadTimings;
  }

  /** Releases the session's native memory; the shared ONNX Runtime environment stays for other sessions. */
  @Override
  public void close() {
    Pinned p;
    while ((p = all.poll()) != null) {
      p.close();
    }
    try {
      session.close();
    } catch (OrtException e) {
      throw new DetectorUnavailableException("ONNX Runtime failed to release the CenterNet session", e);
    }
  }

  private static byte[] convertBundledModel() {
    try (InputStream json = resource("centernet.json")) {
      TfjsGraphModel graph = TfjsGraphModel.read(json, CenterNetModel::resource);
      return TfjsToOnnx.convert(graph, List.of(HEAT_OUTPUT, BOX_OUTPUT));
    } catch (IOException e) {
      throw new DetectorUnavailableException("cannot read the CenterNet model from the classpath", e);
    }
  }

  private static InputStream resource(String file) throws IOException {
    InputStream in = CenterNetModel.class.getResourceAsStream(RESOURCE_FOLDER + file);
    if (in == null) {
      // the detector build fetches the model (fetch-model.sh); a jar without it was built some other way
      throw new IOException("model resource " + RESOURCE_FOLDER + file + " is not on the classpath");
    }
    return in;
  }
}
