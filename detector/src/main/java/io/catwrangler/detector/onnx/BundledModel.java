package io.catwrangler.detector.onnx;

import io.catwrangler.core.detection.DetectorUnavailableException;
import java.io.IOException;
import java.io.InputStream;

/** The ONNX models the build converted and packaged (see {@code ModelConversion}), read from the classpath. */
public final class BundledModel {
  /** Where the build puts the converted models, with their labels. */
  public static final String FOLDER = "/io/catwrangler/detector/model/";

  private BundledModel() {}

  /**
   * The bytes of one bundled file.
   *
   * @throws DetectorUnavailableException the file is not on the classpath (a jar built without the detector's build)
   */
  public static byte[] read(String file) {
    try (InputStream in = BundledModel.class.getResourceAsStream(FOLDER + file)) {
      if (in == null) {
        throw new IOException("model resource " + FOLDER + file + " is not on the classpath (the detector build"
            + " converts the models into it)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new DetectorUnavailableException("cannot read the bundled model file " + file, e);
    }
  }
}
