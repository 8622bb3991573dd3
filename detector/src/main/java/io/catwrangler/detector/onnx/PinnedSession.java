package io.catwrangler.detector.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.catwrangler.core.detection.DetectorUnavailableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * An ONNX Runtime session for a model with one float input and float outputs of fixed shapes, run with pinned
 * tensors: each inference writes into direct buffers that ONNX Runtime reads and writes in place, so an inference
 * allocates nothing the size of an image (garbage that otherwise kept the collector, and so the HTTP threads, busy).
 * As many tensor sets exist as inferences ever ran at the same time. Safe to share between threads.
 */
public final class PinnedSession implements AutoCloseable {

  /** A tensor's name and fixed shape. */
  public record Port(String name, long[] shape) {
    public Port {
      shape = shape.clone();
    }

    int size() {
      return (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }
  }

  /** How long loading took: reading the ONNX bytes from the classpath, and ONNX Runtime building the session. */
  public record LoadTimings(Duration read, Duration sessionCreation) {}

  private final String what;
  private final LoadTimings loadTimings;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final Port input;
  private final List<Port> outputs;
  private final Deque<Pinned> idle = new ConcurrentLinkedDeque<>();
  private final Queue<Pinned> all = new ConcurrentLinkedQueue<>();

  private PinnedSession(String what, OrtEnvironment environment, OrtSession session, Port input, List<Port> outputs,
      LoadTimings loadTimings) {
    this.what = what;
    this.loadTimings = loadTimings;
    this.environment = environment;
    this.session = session;
    this.input = input;
    this.outputs = List.copyOf(outputs);
  }

  /**
   * Creates the session from ONNX bytes.
   *
   * @param what the model's name in error messages
   * @param intraOpThreads threads one inference may use; inferences running side by side each use this many
   * @throws DetectorUnavailableException ONNX Runtime refused the model
   */
  public static PinnedSession create(String what, byte[] onnx, int intraOpThreads, Port input, List<Port> outputs) {
    return create(what, onnx, intraOpThreads, input, outputs, Duration.ZERO);
  }

  private static PinnedSession create(String what, byte[] onnx, int intraOpThreads, Port input, List<Port> outputs,
      Duration read) {
    long start = System.nanoTime();
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be at least 1, was " + intraOpThreads);
    }
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      // one graph, one branch: more inter-op threads would only add idle threads per session
      options.setInterOpNumThreads(1);
      // no busy-waiting between parallel sections: with inferences side by side (several workers, or callers) the
      // spinning threads took the cores the other inferences needed (2 × 2 threads on 2 cores: 25 → 32 img/s)
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      // ALL_OPT includes the layout pass that removes the Transpose pairs the converters put around NCHW ops
      options.setOptimizationLevel(OptLevel.ALL_OPT);
      OrtSession session = environment.createSession(onnx, options);
      return new PinnedSession(what, environment, session, input, outputs,
          new LoadTimings(read, Duration.ofNanos(System.nanoTime() - start)));
    } catch (OrtException e) {
      throw new DetectorUnavailableException("ONNX Runtime could not create a session for the " + what + " model", e);
    }
  }

  /**
   * Creates the session for a model the build bundled ({@link BundledModel}), timing both steps.
   *
   * @throws DetectorUnavailableException the file is missing or ONNX Runtime refused it
   */
  public static PinnedSession bundled(String what, String file, int intraOpThreads, Port input, List<Port> outputs) {
    long start = System.nanoTime();
    byte[] onnx = BundledModel.read(file);
    return create(what, onnx, intraOpThreads, input, outputs, Duration.ofNanos(System.nanoTime() - start));
  }

  public LoadTimings loadTimings() {
    return loadTimings;
  }

  public int inputSize() {
    return input.size();
  }

  /**
   * Runs the model on one input and gives the outputs (in the order the ports were given) to {@code use}, which must
   * not keep the arrays: they are reused by the next inference.
   *
   * @throws DetectorUnavailableException ONNX Runtime failed
   */
  public <T> T run(float[] values, Function<float[][], T> use) {
    if (values.length != input.size()) {
      throw new IllegalArgumentException(what + " expects " + input.size() + " input values, got " + values.length);
    }
    Pinned p = borrow();
    try {
      p.input.put(0, values);
      // the outputs are pinned: ONNX Runtime writes into the buffers, the result owns nothing to copy
      try (OrtSession.Result ignored = session.run(Map.of(input.name(), p.inputTensor), p.outputTensors)) {
        for (int i = 0; i < p.outputs.length; i++) {
          p.outputs[i].get(0, p.arrays[i]);
        }
      } catch (OrtException e) {
        throw new DetectorUnavailableException(what + " inference failed in ONNX Runtime", e);
      }
      return use.apply(p.arrays);
    } finally {
      idle.addFirst(p);
    }
  }

  private Pinned borrow() {
    Pinned p = idle.pollFirst();
    if (p != null) {
      return p;
    }
    try {
      p = new Pinned();
    } catch (OrtException e) {
      throw new DetectorUnavailableException("ONNX Runtime could not create the " + what + " tensors", e);
    }
    all.add(p);
    return p;
  }

  /** Input and output tensors over direct buffers, and the arrays the outputs are copied into. */
  private final class Pinned implements AutoCloseable {
    final FloatBuffer input = directFloats(PinnedSession.this.input.size());
    final FloatBuffer[] outputs = new FloatBuffer[PinnedSession.this.outputs.size()];
    final float[][] arrays = new float[outputs.length][];
    final OnnxTensor inputTensor;
    final Map<String, OnnxTensor> outputTensors = new LinkedHashMap<>();

    Pinned() throws OrtException {
      inputTensor = OnnxTensor.createTensor(environment, input, PinnedSession.this.input.shape());
      for (int i = 0; i < outputs.length; i++) {
        Port port = PinnedSession.this.outputs.get(i);
        outputs[i] = directFloats(port.size());
        arrays[i] = new float[port.size()];
        outputTensors.put(port.name(), OnnxTensor.createTensor(environment, outputs[i], port.shape()));
      }
    }

    private static FloatBuffer directFloats(int n) {
      return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public void close() {
      inputTensor.close();
      outputTensors.values().forEach(OnnxTensor::close);
    }
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
      throw new DetectorUnavailableException("ONNX Runtime failed to release the " + what + " session", e);
    }
  }
}
