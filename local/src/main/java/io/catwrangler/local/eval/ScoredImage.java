package io.catwrangler.local.eval;

/** A labelled image and the score a detector gave it. */
public record ScoredImage(boolean isCat, double score) {}
