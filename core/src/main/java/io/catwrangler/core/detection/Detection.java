package io.catwrangler.core.detection;

/** One object found in the image: a COCO label such as "cat" or "dog", its score in [0, 1], and where it is. */
public record Detection(String label, double score, BoundingBox box) {}
