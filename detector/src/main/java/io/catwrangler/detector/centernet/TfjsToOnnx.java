package io.catwrangler.detector.centernet;

import static io.catwrangler.detector.onnx.OnnxProtoWriter.floatTensor;
import static io.catwrangler.detector.onnx.OnnxProtoWriter.floatValueInfo;
import static io.catwrangler.detector.onnx.OnnxProtoWriter.int64Tensor;
import static io.catwrangler.detector.onnx.OnnxProtoWriter.intAttribute;
import static io.catwrangler.detector.onnx.OnnxProtoWriter.intsAttribute;
import static io.catwrangler.detector.onnx.OnnxProtoWriter.node;
import static io.catwrangler.detector.onnx.OnnxProtoWriter.stringAttribute;

import io.catwrangler.detector.onnx.AxisPadding;
import io.catwrangler.detector.onnx.OnnxProtoWriter;
import io.catwrangler.detector.onnx.OnnxProtoWriter.Message;
import io.catwrangler.detector.onnx.UnsupportedOpException;
import io.catwrangler.detector.centernet.TfjsGraphModel.Constant;
import io.catwrangler.detector.centernet.TfjsGraphModel.FloatConstant;
import io.catwrangler.detector.centernet.TfjsGraphModel.IntConstant;
import io.catwrangler.detector.centernet.TfjsGraphModel.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Translates a TFJS graph model into an ONNX model (opset 17), for the ops of a MobileNetV3 + CenterNet head.
 *
 * <p>Tensors stay NHWC as in TensorFlow, so constants broadcast exactly as they did there. Conv and MaxPool, which
 * ONNX defines on NCHW only, and Resize (kept with them, so that every spatial op sees one layout) are wrapped in
 * a Transpose pair; ONNX Runtime's transpose optimizer removes the pairs that cancel out. Only the part of the graph
 * that the requested outputs depend on is converted, so a graph can be cut before a tail this converter cannot
 * translate. Any other op fails the conversion with an {@link UnsupportedOpException} naming op and node.
 */
public final class TfjsToOnnx {

  public static final int OPSET = 17;

  private static final String PRODUCER = "cat-wrangler tfjs-to-onnx";
  private static final int[] NHWC_TO_NCHW = {0, 3, 1, 2};
  private static final int[] NCHW_TO_NHWC = {0, 2, 3, 1};
  private static final String RELU6_MIN = "relu6:min";
  private static final String RELU6_MAX = "relu6:max";
  /** Marks a reduced axis while working out a reduction's output shape. */
  private static final int REDUCED = -1;

  private final TfjsGraphModel model;
  private final List<Message> nodes = new ArrayList<>();
  private final List<Message> initializers = new ArrayList<>();
  private final List<Message> inputs = new ArrayList<>();
  private final Set<String> initializerNames = new HashSet<>();
  /** NHWC (or whatever rank the tensor has) shape of every converted tensor, for padding and output shapes. */
  private final Map<String, int[]> shapes = new HashMap<>();

  private TfjsToOnnx(TfjsGraphModel model) {
    this.model = model;
  }

  /**
   * Converts the part of {@code model} that computes {@code outputs} (node names) into ONNX ModelProto bytes.
   *
   * @throws UnsupportedOpException an op on the way to the outputs has no translation here
   * @throws IllegalArgumentException an output or an input of a node is not in the graph
   */
  public static byte[] convert(TfjsGraphModel model, List<String> outputs) {
    TfjsToOnnx conversion = new TfjsToOnnx(model);
    for (Node node : conversion.nodesComputing(outputs)) {
      conversion.translate(node);
    }
    List<Message> outputInfos = outputs.stream()
        .map(output -> floatValueInfo(output, conversion.shape(output)))
        .toList();
    Message graph = OnnxProtoWriter.graph("tfjs-graph", conversion.nodes, conversion.initializers,
        conversion.inputs, outputInfos);
    return OnnxProtoWriter.model(graph, PRODUCER, OPSET);
  }

  /** The nodes the outputs depend on, each after its inputs. */
  private Set<Node> nodesComputing(List<String> outputs) {
    Set<Node> ordered = new LinkedHashSet<>();
    for (String output : outputs) {
      Node node = model.node(output)
          .orElseThrow(() -> new IllegalArgumentException("requested output '" + output + "' is not in the graph"));
      addWithInputs(node, ordered);
    }
    return ordered;
  }

  private void addWithInputs(Node node, Set<Node> ordered) {
    if (ordered.contains(node)) {
      return;
    }
    for (String input : node.inputs()) {
      addWithInputs(producer(node, input), ordered);
    }
    ordered.add(node);
  }

  /** The node whose output {@code input} ("name" or "name:index") is. */
  private Node producer(Node consumer, String input) {
    int colon = input.lastIndexOf(':');
    Node producer = model.node(colon < 0 ? input : input.substring(0, colon)).orElseThrow(() ->
        new IllegalArgumentException("node '" + consumer.name() + "' reads '" + input + "', not in the graph"));
    if (colon >= 0 && !input.substring(colon + 1).equals("0")) {
      // every op translated here has a single output; a second output belongs to an op we cannot translate anyway
      throw new UnsupportedOpException(producer.op(), producer.name(), "its output " + input + " is used");
    }
    return producer;
  }

  private void translate(Node node) {
    switch (node.op()) {
      // constants become initializers where they are used, with the layout that use needs
      case "Const" -> { }
      case "Placeholder" -> placeholder(node);
      case "Conv2D", "_FusedConv2D" -> convolution(node, false);
      case "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative" -> convolution(node, true);
      case "MaxPool" -> maxPool(node);
      case "ResizeBilinear" -> resizeBilinear(node);
      case "Relu", "Sigmoid", "Identity" -> sameNamedUnary(node);
      case "Relu6" -> relu6(operand(node, 0), node.name());
      case "Add", "AddV2" -> binary(node, "Add");
      case "Sub" -> binary(node, "Sub");
      case "Mul" -> binary(node, "Mul");
      case "Mean" -> mean(node);
      case "ConcatV2" -> concat(node);
      default -> throw new UnsupportedOpException(node.op(), node.name(), "no ONNX translation for this op");
    }
  }

  private void placeholder(Node node) {
    int[] shape = node.shape("shape");
    if (shape.length == 0 || Arrays.stream(shape).anyMatch(dim -> dim < 1)) {
      // SAME padding is turned into fixed pads, which needs every dimension known
      throw new UnsupportedOpException(node.op(), node.name(), "input shape " + Arrays.toString(shape)
          + " is not fully known");
    }
    inputs.add(floatValueInfo(node.name(), shape));
    shapes.put(node.name(), shape);
  }

  private void convolution(Node node, boolean depthwise) {
    requireNhwc(node);
    int[] dilations = node.ints("dilations");
    if (Arrays.stream(dilations).anyMatch(d -> d != 1)) {
      throw new UnsupportedOpException(node.op(), node.name(), "dilations " + Arrays.toString(dilations));
    }
    String input = operand(node, 0);
    int[] inputShape = shape(input);
    FloatConstant filter = floatConstant(node, 1);
    if (filter.shape().length != 4 || inputShape.length != 4) {
      throw new UnsupportedOpException(node.op(), node.name(), "input " + Arrays.toString(inputShape)
          + " and filter " + Arrays.toString(filter.shape()) + " are not both 4-D");
    }
    // TensorFlow filters are [height, width, in, out]; depthwise ones [height, width, in, multiplier]
    int kernelHeight = filter.shape()[0];
    int kernelWidth = filter.shape()[1];
    int inChannels = filter.shape()[2];
    int outChannels = depthwise ? inChannels * filter.shape()[3] : filter.shape()[3];
    int[] strides = spatial(node, "strides");
    AxisPadding rows = padding(node, inputShape[1], kernelHeight, strides[0]);
    AxisPadding columns = padding(node, inputShape[2], kernelWidth, strides[1]);

    List<String> convInputs = new ArrayList<>(List.of(toNchw(input, node.name()),
        initializer(node.name() + ":weights", new int[] {outChannels, depthwise ? 1 : inChannels, kernelHeight,
            kernelWidth}, toOihw(filter, depthwise))));
    List<String> fusedOps = node.strings("fused_ops");
    boolean fused = node.op().startsWith("_Fused") || node.op().startsWith("Fused");
    if (fused) {
      if (fusedOps.isEmpty() || !fusedOps.get(0).equals("BiasAdd") || fusedOps.size() > 2) {
        throw new UnsupportedOpException(node.op(), node.name(), "fused ops " + fusedOps);
      }
      FloatConstant bias = floatConstant(node, 2);
      convInputs.add(initializer(node.name() + ":bias", bias.shape(), bias.values()));
    }
    String result = node.name() + ":conv";
    nodes.add(node("Conv", result, convInputs, result,
        intsAttribute("kernel_shape", kernelHeight, kernelWidth),
        intsAttribute("strides", strides),
        intsAttribute("pads", rows.begin(), columns.begin(), rows.end(), columns.end()),
        intAttribute("group", depthwise ? inChannels : 1)));
    if (fused && fusedOps.size() == 2) {
      // the activation is element-wise, so it can run while the tensor is still NCHW
      result = activation(node, fusedOps.get(1), result);
    }
    toNhwc(result, node.name());
    shapes.put(node.name(), new int[] {inputShape[0], rows.outputSize(), columns.outputSize(), outChannels});
  }

  private String activation(Node node, String activation, String input) {
    String output = input + ":" + activation.toLowerCase(Locale.ROOT);
    switch (activation) {
      case "Relu" -> nodes.add(node("Relu", output, List.of(input), output));
      case "Relu6" -> relu6(input, output);
      default -> throw new UnsupportedOpException(node.op(), node.name(), "fused activation " + activation);
    }
    return output;
  }

  /** TensorFlow HWIO filter to ONNX OIHW; a depthwise [h, w, c, m] filter becomes [c·m, 1, h, w] for group = c. */
  private static float[] toOihw(FloatConstant filter, boolean depthwise) {
    int[] s = filter.shape();
    int kernelHeight = s[0];
    int kernelWidth = s[1];
    int in = s[2];
    int out = s[3];
    float[] hwio = filter.values();
    float[] oihw = new float[hwio.length];
    for (int y = 0; y < kernelHeight; y++) {
      for (int x = 0; x < kernelWidth; x++) {
        for (int i = 0; i < in; i++) {
          for (int o = 0; o < out; o++) {
            float value = hwio[((y * kernelWidth + x) * in + i) * out + o];
            // depthwise output channel i·m + o reads input channel i, as in TensorFlow
            int target = depthwise
                ? ((i * out + o) * kernelHeight + y) * kernelWidth + x
                : ((o * in + i) * kernelHeight + y) * kernelWidth + x;
            oihw[target] = value;
          }
        }
      }
    }
    return oihw;
  }

  private void maxPool(Node node) {
    requireNhwc(node);
    String input = operand(node, 0);
    int[] inputShape = shape(input);
    int[] kernel = spatial(node, "ksize");
    int[] strides = spatial(node, "strides");
    AxisPadding rows = padding(node, inputShape[1], kernel[0], strides[0]);
    AxisPadding columns = padding(node, inputShape[2], kernel[1], strides[1]);
    String result = node.name() + ":maxpool";
    // ONNX MaxPool ignores padded cells, just as TensorFlow's SAME max pooling does
    nodes.add(node("MaxPool", result, List.of(toNchw(input, node.name())), result,
        intsAttribute("kernel_shape", kernel),
        intsAttribute("strides", strides),
        intsAttribute("pads", rows.begin(), columns.begin(), rows.end(), columns.end())));
    toNhwc(result, node.name());
    shapes.put(node.name(), new int[] {inputShape[0], rows.outputSize(), columns.outputSize(), inputShape[3]});
  }

  private void resizeBilinear(Node node) {
    String input = operand(node, 0);
    int[] inputShape = shape(input);
    int[] size = intConstant(node, 1).values();
    boolean alignCorners = node.bool("align_corners");
    boolean halfPixelCenters = node.bool("half_pixel_centers");
    if (alignCorners && halfPixelCenters) {
      throw new UnsupportedOpException(node.op(), node.name(), "align_corners and half_pixel_centers both set");
    }
    // TensorFlow's legacy default (neither flag) maps output x to input x·in/out: ONNX "asymmetric"
    String mode = alignCorners ? "align_corners" : halfPixelCenters ? "half_pixel" : "asymmetric";
    String sizes = initializerInt64(node.name() + ":sizes", new long[] {inputShape[0], inputShape[3], size[0],
        size[1]});
    String result = node.name() + ":resize";
    // Resize's optional roi and scales inputs are left out (empty names); sizes says it all
    nodes.add(node("Resize", result, List.of(toNchw(input, node.name()), "", "", sizes), result,
        stringAttribute("mode", "linear"),
        stringAttribute("coordinate_transformation_mode", mode)));
    toNhwc(result, node.name());
    shapes.put(node.name(), new int[] {inputShape[0], size[0], size[1], inputShape[3]});
  }

  private void sameNamedUnary(Node node) {
    String input = operand(node, 0);
    nodes.add(node(node.op(), node.name(), List.of(input), node.name()));
    shapes.put(node.name(), shape(input));
  }

  /** ONNX has no Relu6; Clip to [0, 6] is the same function. */
  private void relu6(String input, String output) {
    if (initializerNames.add(RELU6_MIN)) {
      initializers.add(floatTensor(RELU6_MIN, new int[0], new float[] {0}));
      initializers.add(floatTensor(RELU6_MAX, new int[0], new float[] {6}));
      initializerNames.add(RELU6_MAX);
    }
    nodes.add(node("Clip", output, List.of(input, RELU6_MIN, RELU6_MAX), output));
    shapes.put(output, shapes.get(input));
  }

  private void binary(Node node, String onnxOp) {
    String left = operand(node, 0);
    String right = operand(node, 1);
    nodes.add(node(onnxOp, node.name(), List.of(left, right), node.name()));
    shapes.put(node.name(), broadcast(node, shape(left), shape(right)));
  }

  private void mean(Node node) {
    String input = operand(node, 0);
    int[] inputShape = shape(input);
    int[] axes = Arrays.stream(intConstant(node, 1).values())
        .map(axis -> axis < 0 ? axis + inputShape.length : axis)
        .toArray();
    boolean keepDims = node.bool("keep_dims");
    // opset 17 still takes ReduceMean's axes as an attribute (opset 18 moved them to an input)
    nodes.add(node("ReduceMean", node.name(), List.of(input), node.name(),
        intsAttribute("axes", axes), intAttribute("keepdims", keepDims ? 1 : 0)));
    int[] outputShape = inputShape.clone();
    for (int axis : axes) {
      outputShape[axis] = REDUCED;
    }
    shapes.put(node.name(), keepDims
        ? Arrays.stream(outputShape).map(dim -> dim == REDUCED ? 1 : dim).toArray()
        : Arrays.stream(outputShape).filter(dim -> dim != REDUCED).toArray());
  }

  private void concat(Node node) {
    // ConcatV2's last input is the axis; the ones before it are the tensors
    int partCount = node.inputs().size() - 1;
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < partCount; i++) {
      parts.add(operand(node, i));
    }
    int[] outputShape = shape(parts.get(0)).clone();
    int axis = intConstant(node, partCount).values()[0];
    if (axis < 0) {
      axis += outputShape.length;
    }
    outputShape[axis] = 0;
    for (String part : parts) {
      outputShape[axis] += shape(part)[axis];
    }
    nodes.add(node("Concat", node.name(), parts, node.name(), intAttribute("axis", axis)));
    shapes.put(node.name(), outputShape);
  }

  /**
   * The ONNX name of a node's data input: the producing node's name, after turning a constant producer into a
   * float initializer (an element-wise operand such as the 1/6 of hard-swish).
   */
  private String operand(Node node, int index) {
    Node producer = producer(node, node.inputs().get(index));
    if (producer.op().equals("Const")) {
      FloatConstant constant = floatConstant(node, index);
      return initializer(producer.name(), constant.shape(), constant.values());
    }
    return producer.name();
  }

  private FloatConstant floatConstant(Node node, int index) {
    if (constant(node, index) instanceof FloatConstant value) {
      return value;
    }
    throw new UnsupportedOpException(node.op(), node.name(), "input " + index + " is not a float32 constant");
  }

  private IntConstant intConstant(Node node, int index) {
    if (constant(node, index) instanceof IntConstant value) {
      return value;
    }
    throw new UnsupportedOpException(node.op(), node.name(), "input " + index + " is not an int32 constant");
  }

  private Constant constant(Node node, int index) {
    if (index >= node.inputs().size()) {
      throw new UnsupportedOpException(node.op(), node.name(), "has no input " + index);
    }
    String name = producer(node, node.inputs().get(index)).name();
    return model.constant(name).orElseThrow(() -> new UnsupportedOpException(node.op(), node.name(),
        "input " + index + " ('" + name + "') is computed, and only a constant is supported there"));
  }

  private String initializer(String name, int[] dims, float[] values) {
    if (initializerNames.add(name)) {
      initializers.add(floatTensor(name, dims, values));
      shapes.put(name, dims);
    }
    return name;
  }

  private String initializerInt64(String name, long[] values) {
    if (initializerNames.add(name)) {
      initializers.add(int64Tensor(name, new int[] {values.length}, values));
    }
    return name;
  }

  private String toNchw(String input, String consumer) {
    String output = consumer + ":input_nchw";
    nodes.add(node("Transpose", output, List.of(input), output, intsAttribute("perm", NHWC_TO_NCHW)));
    return output;
  }

  private void toNhwc(String input, String output) {
    nodes.add(node("Transpose", output, List.of(input), output, intsAttribute("perm", NCHW_TO_NHWC)));
  }

  private int[] shape(String tensor) {
    int[] shape = shapes.get(tensor);
    if (shape == null) {
      throw new IllegalStateException("no shape known for '" + tensor + "'");
    }
    return shape;
  }

  private static void requireNhwc(Node node) {
    String format = node.string("data_format").orElse("NHWC");
    if (!format.equals("NHWC")) {
      throw new UnsupportedOpException(node.op(), node.name(), "data_format " + format);
    }
  }

  /** The height and width entries of an NHWC attribute such as {@code strides = [1, 2, 2, 1]}. */
  private static int[] spatial(Node node, String attribute) {
    int[] values = node.ints(attribute);
    if (values.length != 4 || values[0] != 1 || values[3] != 1) {
      throw new UnsupportedOpException(node.op(), node.name(), attribute + " " + Arrays.toString(values));
    }
    return new int[] {values[1], values[2]};
  }

  private static AxisPadding padding(Node node, int input, int kernel, int stride) {
    String padding = node.string("padding").orElse("");
    return switch (padding) {
      case "SAME" -> AxisPadding.same(input, kernel, stride);
      case "VALID" -> AxisPadding.valid(input, kernel, stride);
      default -> throw new UnsupportedOpException(node.op(), node.name(), "padding '" + padding + "'");
    };
  }

  /** NumPy/TensorFlow broadcasting, which ONNX's element-wise ops follow too. */
  private static int[] broadcast(Node node, int[] left, int[] right) {
    int rank = Math.max(left.length, right.length);
    int[] result = new int[rank];
    for (int i = 0; i < rank; i++) {
      int l = i < rank - left.length ? 1 : left[i - (rank - left.length)];
      int r = i < rank - right.length ? 1 : right[i - (rank - right.length)];
      if (l != r && l != 1 && r != 1) {
        throw new IllegalArgumentException("node '" + node.name() + "': shapes " + Arrays.toString(left) + " and "
            + Arrays.toString(right) + " do not broadcast");
      }
      result[i] = Math.max(l, r);
    }
    return result;
  }
}
