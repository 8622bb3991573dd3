package io.catwrangler.detector.imagenet;

import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.detector.onnx.PinnedSession.Port;
import io.catwrangler.detector.onnx.PinnedSession;
import io.catwrangler.detector.tflite.TfliteToOnnx;
import io.catwrangler.events.DetectorModel;
import java.util.List;

/**
 * Google's MobileNetV2 ImageNet classifier (1001 outputs: background and the 1000 ImageNet classes), converted by the
 * build from its TFLite file to {@value #ONNX_FILE} and run on ONNX Runtime. Input: one 224 × 224 RGB image as the
 * model's own quantized input values (0–255), NHWC; output: the softmax over the 1001 classes. One instance holds one
 * session and is safe to share between threads.
 */
public final class ImageNetModel implements AutoCloseable {

  public static final int INPUT_SIZE = 224;
  public static final int CLASS_COUNT = 1001;
  public static final String ONNX_FILE = "mobilenet-v2-imagenet.onnx";
  public static final String LABELS_FILE = "imagenet-labels.txt";
  /** How the build converts the TFLite file: decision 0016. */
  public static final TfliteToOnnx.Mode CONVERSION = TfliteToOnnx.Mode.QDQ;
  public static final DetectorModel MODEL_INFO = new DetectorModel("mobilenet-v2-imagenet", "coral-tf1-quant");

  private final PinnedSession session;

  private ImageNetModel(PinnedSession session) {
    this.session = session;
  }

  /**
   * Reads the bundled model and creates its session.
   *
   * @throws DetectorUnavailableException the model is missing from the classpath or ONNX Runtime refused it
   */
  public static ImageNetModel load(int intraOpThreads) {
    return new ImageNetModel(PinnedSession.bundled("MobileNetV2", ONNX_FILE, intraOpThreads,
        new Port(TfliteToOnnx.INPUT, new long[] {1, INPUT_SIZE, INPUT_SIZE, 3}),
        List.of(new Port(TfliteToOnnx.OUTPUT, new long[] {1, CLASS_COUNT}))));
  }

  /**
   * The probability of each of the {@value #CLASS_COUNT} classes (index 0 is background), the caller's to keep.
   *
   * @param nhwc224 a 224 × 224 RGB image, whole numbers 0–255, row by row, three per pixel
   * @throws DetectorUnavailableException ONNX Runtime failed
   */
  public float[] classify(float[] nhwc224) {
    return session.run(nhwc224, outputs -> outputs[0].clone());
  }

  public PinnedSession.LoadTimings loadTimings() {
    return session.loadTimings();
  }

  @Override
  public void close() {
    session.close();
  }
}
