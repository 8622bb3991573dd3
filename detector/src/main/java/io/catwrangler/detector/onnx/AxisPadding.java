package io.catwrangler.detector.onnx;

/** Padding of one spatial axis, in TensorFlow's terms, and the output size it gives. */
public record AxisPadding(int begin, int end, int outputSize) {

  /**
   * TensorFlow "SAME": the output has ceil(input / stride) cells, and the padding this needs is split with the
   * odd cell at the end (ONNX's SAME_UPPER would agree, but explicit pads leave no room for interpretation).
   */
  public static AxisPadding same(int input, int kernel, int stride) {
    int outputSize = (input + stride - 1) / stride;
    int total = Math.max((outputSize - 1) * stride + kernel - input, 0);
    return new AxisPadding(total / 2, total - total / 2, outputSize);
  }

  /** TensorFlow "VALID": no padding; only windows that fit entirely inside the input. */
  public static AxisPadding valid(int input, int kernel, int stride) {
    return new AxisPadding(0, 0, (input - kernel) / stride + 1);
  }
}
