package io.catwrangler.detector.onnx;

/**
 * A model uses an op, or an op setting, that our converters (TFJS or TFLite to ONNX) cannot translate. Converting a
 * different model (or a new release of one) is where this shows up; failing here beats running a silently wrong graph.
 */
public class UnsupportedOpException extends RuntimeException {
  private final String op;
  private final String node;

  public UnsupportedOpException(String op, String node, String reason) {
    super("cannot convert op '" + op + "' at node '" + node + "': " + reason);
    this.op = op;
    this.node = node;
  }

  /** The source op type, e.g. {@code "Erf"} or {@code "CONV_2D"}. */
  public String op() {
    return op;
  }

  /** The name of the graph node that uses it. */
  public String node() {
    return node;
  }
}
