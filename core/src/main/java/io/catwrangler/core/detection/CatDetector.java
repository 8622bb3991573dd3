package io.catwrangler.core.detection;

import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.events.DetectorModel;

/**
 * The port every detector implements (embedded CenterNet, Amazon Rekognition): bytes of one JPEG or PNG in,
 * a decided answer with its evidence out. Implementations are thread-safe; one instance serves a whole process.
 */
public interface CatDetector extends AutoCloseable {

  /**
   * Classifies one image.
   *
   * @throws ImageRejectedException the bytes are not an acceptable image (terminal: retrying cannot help)
   * @throws DetectorUnavailableException the detector itself failed (transient: worth a retry)
   */
  CatVerdict detect(byte[] image) throws ImageRejectedException;

  /** Name and version of the model, as recorded in events. */
  DetectorModel model();

  @Override
  default void close() {}
}
