package io.catwrangler.core.image;

/** What the header says about an accepted image, read without decoding pixels. */
public record ImageInfo(ImageFormat format, int width, int height, long byteSize) {}
