package io.catwrangler.core.image;

/** Width and height as a header declares them, before any limit is applied. */
record Dimensions(int width, int height) {}
