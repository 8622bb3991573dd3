package io.catwrangler.detector.centernet;

/**
 * The TFJS graph uses an op, or an op setting, that {@link TfjsToOnnx} cannot translate. Converting a different
 * model (or a new release of this one) is where this shows up; failing here beats running a silently wrong graph.
 */
public class UnsupportedOpException extends RuntimeException {
  private final String op;
  private final String node;

  public UnsupportedOpException(String op, String node, String reason) {
    super("cannot convert TFJS op '" + op + "' at node '" + node + "': " + reason);
    this.op = op;
    this.node = node;
  }

  /** The TFJS op type, e.g. {@code "Erf"}. */
  public String op() {
    return op;
  }

  /** The name of the graph node that uses it. */
  public String node() {
    return node;
  }
}
