package io.catwrangler.events;

/**
 * Where an image stands. PENDING until the first terminal outcome; CLASSIFIED once any classification exists
 * (a later failure does not take a valid answer away); FAILED when the only terminal outcomes are failures.
 */
public enum ImageStatus {
  PENDING,
  CLASSIFIED,
  FAILED
}
