package io.catwrangler.detector.tflite;

import static io.catwrangler.detector.onnx.OnnxProtoWriter.floatTensor;
import static io.catwrangler.detector.onnx.OnnxProtoWriter.floatValueInfo;
import static io.catwrangler.detector.onnx.OnnxProtoWriter.int64Tensor;
import static io.catwrangler.detector.onnx.OnnxProtoWriter.intAttribute;
import static io.catwrangler.detector.onnx.OnnxProtoWriter.intsAttribute;
import static io.catwrangler.detector.onnx.OnnxProtoWriter.node;

import io.catwrangler.detector.onnx.AxisPadding;
import io.catwrangler.detector.onnx.OnnxProtoWriter;
import io.catwrangler.detector.onnx.OnnxProtoWriter.Message;
import io.catwrangler.detector.onnx.UnsupportedOpException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptions;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.Conv2DOptions;
import org.tensorflow.lite.schema.DepthwiseConv2DOptions;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.Pool2DOptions;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.ReducerOptions;
import org.tensorflow.lite.schema.SoftmaxOptions;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorType;

/**
 * Translates a quantized TFLite image classifier (the ops of MobileNetV2: CONV_2D, DEPTHWISE_CONV_2D, ADD, MEAN,
 * AVERAGE_POOL_2D, RESHAPE, SOFTMAX, QUANTIZE) into an ONNX model (opset 17) that computes in float.
 *
 * <p>The flatbuffer is read through the classes generated from TFLite's own schema ({@code org.tensorflow.lite.schema},
 * on flatbuffers-java). Quantized weights and biases are dequantized with the parameters stored beside them
 * ({@code real = (q - zero_point) · scale}, per output channel where the file says so), either once into float
 * weights ({@link Mode#FLOAT}) or in the graph with activations rounded as TFLite rounds them ({@link Mode#QDQ});
 * decision 0016 measures both against TFLite's own kernels. The graph's input is the model's own quantized input as floats
 * (e.g. pixel values 0–255 for a uint8 input), NHWC, and its first ops apply that input's zero point and scale read
 * from the file; the output keeps the model's output name and shape. Tensors are NCHW inside; a RESHAPE is only
 * accepted where it cannot tell the layouts apart (every spatial size 1). Any other op fails with an
 * {@link UnsupportedOpException}.
 */
public final class TfliteToOnnx {

  public static final int OPSET = 17;
  public static final String INPUT = "input";
  public static final String OUTPUT = "output";

  private static final String PRODUCER = "cat-wrangler tflite-to-onnx";
  private static final String RELU6_MIN = "relu6:min";
  private static final String RELU6_MAX = "relu6:max";
  private static final int[] NHWC_TO_NCHW = {0, 3, 1, 2};

  /** How the converted graph computes. */
  public enum Mode {
    /** Weights dequantized to float once, activations float throughout: the float network the file approximates. */
    FLOAT,
    /**
     * Weights kept 8-bit behind DequantizeLinear, every quantized activation rounded to its stored scale and zero
     * point (QuantizeLinear + DequantizeLinear), so the graph reproduces TFLite's integer arithmetic; ONNX Runtime may
     * run the pairs as integer kernels. The final softmax stays float (finer than TFLite's 1/256 steps).
     */
    QDQ
  }

  private final Model model;
  private final Mode mode;
  private final SubGraph graph;
  private final List<Message> nodes = new ArrayList<>();
  private final List<Message> initializers = new ArrayList<>();
  /** ONNX name of each converted TFLite tensor (by index). */
  private final Map<Integer, String> names = new HashMap<>();
  /** NCHW shape of each converted 4-D tensor, or the plain shape of a tensor after a RESHAPE. */
  private final Map<Integer, int[]> shapes = new HashMap<>();
  private boolean relu6Bounds;

  private TfliteToOnnx(Model model, Mode mode) {
    this.model = model;
    this.mode = mode;
    if (model.subgraphsLength() != 1) {
      throw new UnsupportedOpException("Model", "subgraphs", model.subgraphsLength() + " subgraphs, expected 1");
    }
    this.graph = model.subgraphs(0);
  }

  /**
   * Converts a TFLite flatbuffer with one input and one output into ONNX ModelProto bytes, the input named
   * {@value #INPUT} and the output {@value #OUTPUT}.
   *
   * @throws UnsupportedOpException an op, type or setting has no translation here
   */
  public static byte[] convert(byte[] tflite, Mode mode) {
    return new TfliteToOnnx(Model.getRootAsModel(ByteBuffer.wrap(tflite).order(ByteOrder.LITTLE_ENDIAN)), mode).run();
  }

  private byte[] run() {
    if (graph.inputsLength() != 1 || graph.outputsLength() != 1) {
      throw new UnsupportedOpException("SubGraph", "io", "expected one input and one output");
    }
    Message inputInfo = input(graph.inputs(0));
    for (int i = 0; i < graph.operatorsLength(); i++) {
      translate(graph.operators(i), i);
    }
    int output = graph.outputs(0);
    int[] outputShape = shape(output);
    if (outputShape.length == 4) {
      throw new UnsupportedOpException("SubGraph", tensorName(output), "a 4-D output would need a layout change back");
    }
    nodes.add(node("Identity", OUTPUT, List.of(name(output)), OUTPUT));
    Message graphMessage = OnnxProtoWriter.graph("tflite-graph", nodes, initializers, List.of(inputInfo),
        List.of(floatValueInfo(OUTPUT, outputShape)));
    return OnnxProtoWriter.model(graphMessage, PRODUCER, OPSET);
  }

  /** The graph input: NHWC as TFLite has it, then NCHW and dequantized with the input's own parameters. */
  private Message input(int index) {
    Tensor tensor = graph.tensors(index);
    int[] nhwc = tensorShape(tensor);
    if (nhwc.length != 4) {
      throw new UnsupportedOpException("SubGraph", tensor.name(), "input shape " + Arrays.toString(nhwc));
    }
    String nchw = "input:nchw";
    nodes.add(node("Transpose", nchw, List.of(INPUT), nchw, intsAttribute("perm", NHWC_TO_NCHW)));
    String current = nchw;
    if (tensor.type() != TensorType.FLOAT32) {
      Quantization q = quantization(tensor, "input");
      if (q.scales().length != 1) {
        throw new UnsupportedOpException("SubGraph", tensor.name(), "per-channel input quantization");
      }
      String zeroPoint = floatInitializer("input:zero_point", new int[0], new float[] {q.zeroPoints()[0]});
      String scale = floatInitializer("input:scale", new int[0], new float[] {q.scales()[0]});
      nodes.add(node("Sub", "input:centred", List.of(current, zeroPoint), "input:centred"));
      nodes.add(node("Mul", "input:real", List.of("input:centred", scale), "input:real"));
      current = "input:real";
    }
    names.put(index, current);
    shapes.put(index, new int[] {nhwc[0], nhwc[3], nhwc[1], nhwc[2]});
    return floatValueInfo(INPUT, nhwc);
  }

  private void translate(Operator op, int position) {
    OperatorCode code = model.operatorCodes((int) op.opcodeIndex());
    int builtin = Math.max(code.builtinCode(), code.deprecatedBuiltinCode());
    String opName = BuiltinOperator.name(builtin);
    String nodeName = position + ":" + opName.toLowerCase(java.util.Locale.ROOT);
    switch (builtin) {
      case BuiltinOperator.CONV_2D -> convolution(op, nodeName, false);
      case BuiltinOperator.DEPTHWISE_CONV_2D -> convolution(op, nodeName, true);
      case BuiltinOperator.ADD -> add(op, nodeName);
      case BuiltinOperator.MEAN -> mean(op, nodeName);
      case BuiltinOperator.AVERAGE_POOL_2D -> averagePool(op, nodeName);
      case BuiltinOperator.RESHAPE -> reshape(op, nodeName);
      case BuiltinOperator.SOFTMAX -> softmax(op, nodeName);
      // requantizing (uint8 ↔ int8) changes nothing in float, and rounds to the output's grid in QDQ
      case BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE ->
          settle(op.outputs(0), name(op.inputs(0)), shape(op.inputs(0)));
      default -> throw new UnsupportedOpException(opName, nodeName, "no ONNX translation for this op");
    }
  }

  private void convolution(Operator op, String nodeName, boolean depthwise) {
    String opName = depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D";
    int input = op.inputs(0);
    int[] in = shape(input);
    Tensor filter = graph.tensors(op.inputs(1));
    int[] f = tensorShape(filter);
    if (f.length != 4 || in.length != 4) {
      throw new UnsupportedOpException(opName, nodeName, "input and filter are not both 4-D");
    }
    ConvOptions o = depthwise
        ? ConvOptions.of((DepthwiseConv2DOptions) options(op, BuiltinOptions.DepthwiseConv2DOptions,
            new DepthwiseConv2DOptions(), opName, nodeName))
        : ConvOptions.of((Conv2DOptions) options(op, BuiltinOptions.Conv2DOptions, new Conv2DOptions(), opName,
            nodeName));
    int padding = o.padding();
    int strideH = o.strideH();
    int strideW = o.strideW();
    int activation = o.activation();
    int dilationH = o.dilationH();
    int dilationW = o.dilationW();
    if (Math.max(dilationH, 1) != 1 || Math.max(dilationW, 1) != 1) {
      throw new UnsupportedOpException(opName, nodeName, "dilation " + dilationH + "x" + dilationW);
    }
    // TFLite filters are [out, h, w, in]; depthwise ones [1, h, w, in · multiplier]
    int kernelH = f[1];
    int kernelW = f[2];
    int inChannels = in[1];
    int outChannels = depthwise ? f[3] : f[0];
    if (depthwise ? f[0] != 1 : f[3] != inChannels) {
      throw new UnsupportedOpException(opName, nodeName, "filter " + Arrays.toString(f) + " does not fit input "
          + inChannels + " channels");
    }
    int[] order = depthwise
        ? depthwiseToOihw(kernelH, kernelW, outChannels)
        : ohwiToOihw(outChannels, kernelH, kernelW, inChannels);
    int[] dims = {outChannels, depthwise ? 1 : inChannels, kernelH, kernelW};
    AxisPadding rows = padding(padding, in[2], kernelH, strideH, opName, nodeName);
    AxisPadding columns = padding(padding, in[3], kernelW, strideW, opName, nodeName);
    List<String> inputs = new ArrayList<>(List.of(name(input),
        constant(filter, nodeName + ":weights", dims, order, depthwise ? 3 : 0, opName, nodeName)));
    if (op.inputsLength() > 2 && op.inputs(2) >= 0) {
      Tensor bias = graph.tensors(op.inputs(2));
      inputs.add(constant(bias, nodeName + ":bias", new int[] {outChannels}, null, 0, opName, nodeName));
    }
    String conv = nodeName + ":conv";
    nodes.add(node("Conv", conv, inputs, conv,
        intsAttribute("kernel_shape", kernelH, kernelW),
        intsAttribute("strides", strideH, strideW),
        intsAttribute("pads", rows.begin(), columns.begin(), rows.end(), columns.end()),
        intAttribute("group", depthwise ? inChannels : 1)));
    settle(op.outputs(0), activation(conv, activation, opName, nodeName),
        new int[] {in[0], outChannels, rows.outputSize(), columns.outputSize()});
  }

  /** What CONV_2D and DEPTHWISE_CONV_2D share of their options (two generated types with the same fields). */
  private record ConvOptions(int padding, int strideH, int strideW, int activation, int dilationH, int dilationW) {
    static ConvOptions of(Conv2DOptions o) {
      return new ConvOptions(o.padding(), o.strideH(), o.strideW(), o.fusedActivationFunction(), o.dilationHFactor(),
          o.dilationWFactor());
    }

    static ConvOptions of(DepthwiseConv2DOptions o) {
      return new ConvOptions(o.padding(), o.strideH(), o.strideW(), o.fusedActivationFunction(), o.dilationHFactor(),
          o.dilationWFactor());
    }
  }

  private void add(Operator op, String nodeName) {
    AddOptions o = (AddOptions) options(op, BuiltinOptions.AddOptions, new AddOptions(), "ADD", nodeName);
    int left = op.inputs(0);
    int right = op.inputs(1);
    if (!Arrays.equals(shape(left), shape(right))) {
      throw new UnsupportedOpException("ADD", nodeName, "operands of different shapes");
    }
    String sum = nodeName + ":sum";
    nodes.add(node("Add", sum, List.of(name(left), name(right)), sum));
    settle(op.outputs(0), activation(sum, o.fusedActivationFunction(), "ADD", nodeName), shape(left));
  }

  /** MEAN over height and width, dimensions kept: a global average pool. */
  private void mean(Operator op, String nodeName) {
    ReducerOptions o = (ReducerOptions) options(op, BuiltinOptions.ReducerOptions, new ReducerOptions(), "MEAN",
        nodeName);
    int[] axes = intConstant(graph.tensors(op.inputs(1)), "MEAN", nodeName);
    int[] in = shape(op.inputs(0));
    int[] normalized = Arrays.stream(axes).map(a -> a < 0 ? a + 4 : a).sorted().toArray();
    if (in.length != 4 || !Arrays.equals(normalized, new int[] {1, 2}) || !o.keepDims()) {
      throw new UnsupportedOpException("MEAN", nodeName, "only a spatial mean with keep_dims is supported, axes "
          + Arrays.toString(axes));
    }
    String out = nodeName + ":mean";
    nodes.add(node("GlobalAveragePool", out, List.of(name(op.inputs(0))), out));
    settle(op.outputs(0), out, new int[] {in[0], in[1], 1, 1});
  }

  private void averagePool(Operator op, String nodeName) {
    Pool2DOptions o = (Pool2DOptions) options(op, BuiltinOptions.Pool2DOptions, new Pool2DOptions(),
        "AVERAGE_POOL_2D", nodeName);
    int[] in = shape(op.inputs(0));
    AxisPadding rows = padding(o.padding(), in[2], o.filterHeight(), o.strideH(), "AVERAGE_POOL_2D", nodeName);
    AxisPadding columns = padding(o.padding(), in[3], o.filterWidth(), o.strideW(), "AVERAGE_POOL_2D", nodeName);
    String pool = nodeName + ":pool";
    // TFLite averages only the cells inside the image, as count_include_pad = 0 does
    nodes.add(node("AveragePool", pool, List.of(name(op.inputs(0))), pool,
        intsAttribute("kernel_shape", o.filterHeight(), o.filterWidth()),
        intsAttribute("strides", o.strideH(), o.strideW()),
        intsAttribute("pads", rows.begin(), columns.begin(), rows.end(), columns.end()),
        intAttribute("count_include_pad", 0)));
    settle(op.outputs(0), activation(pool, o.fusedActivationFunction(), "AVERAGE_POOL_2D", nodeName),
        new int[] {in[0], in[1], rows.outputSize(), columns.outputSize()});
  }

  private void reshape(Operator op, String nodeName) {
    int[] in = shape(op.inputs(0));
    if (in.length == 4 && (in[2] != 1 || in[3] != 1)) {
      throw new UnsupportedOpException("RESHAPE", nodeName, "reshaping " + Arrays.toString(in)
          + " would depend on the layout");
    }
    int[] target = tensorShape(graph.tensors(op.outputs(0)));
    if (Arrays.stream(target).anyMatch(d -> d < 1)
        || Arrays.stream(target).asLongStream().reduce(1, (a, b) -> a * b)
            != Arrays.stream(in).asLongStream().reduce(1, (a, b) -> a * b)) {
      throw new UnsupportedOpException("RESHAPE", nodeName, "output shape " + Arrays.toString(target));
    }
    String shapeName = nodeName + ":shape";
    initializers.add(int64Tensor(shapeName, new int[] {target.length},
        Arrays.stream(target).asLongStream().toArray()));
    String out = nodeName + ":reshape";
    nodes.add(node("Reshape", out, List.of(name(op.inputs(0)), shapeName), out));
    // the values are those of the input, already on its grid
    names.put(op.outputs(0), out);
    shapes.put(op.outputs(0), target);
  }

  private void softmax(Operator op, String nodeName) {
    SoftmaxOptions o = (SoftmaxOptions) options(op, BuiltinOptions.SoftmaxOptions, new SoftmaxOptions(), "SOFTMAX",
        nodeName);
    int[] in = shape(op.inputs(0));
    if (in.length != 2) {
      throw new UnsupportedOpException("SOFTMAX", nodeName, "only a softmax over a [batch, classes] tensor");
    }
    String logits = name(op.inputs(0));
    if (o.beta() != 1f) {
      String beta = floatInitializer(nodeName + ":beta", new int[0], new float[] {o.beta()});
      nodes.add(node("Mul", nodeName + ":scaled", List.of(logits, beta), nodeName + ":scaled"));
      logits = nodeName + ":scaled";
    }
    String out = nodeName + ":softmax";
    nodes.add(node("Softmax", out, List.of(logits), out, intAttribute("axis", 1)));
    names.put(op.outputs(0), out);
    shapes.put(op.outputs(0), in);
  }

  /**
   * Records what a TFLite tensor is called in the ONNX graph. In {@link Mode#QDQ} a quantized activation is first
   * rounded to its own grid (scale, zero point and type from the file), as TFLite stores it.
   */
  private void settle(int tensor, String value, int[] shape) {
    Tensor t = graph.tensors(tensor);
    String name = value;
    if (mode == Mode.QDQ && (t.type() == TensorType.UINT8 || t.type() == TensorType.INT8)) {
      Quantization q = quantization(t, value);
      if (q.scales().length != 1) {
        throw new UnsupportedOpException("QUANTIZE", value, "per-channel activation quantization");
      }
      String scale = floatInitializer(value + ":q_scale", new int[0], q.scales());
      String zeroPoint = value + ":q_zero_point";
      initializers.add(OnnxProtoWriter.tensor(zeroPoint, new int[0], onnxType(t.type(), value),
          new byte[] {(byte) q.zeroPoints()[0]}));
      nodes.add(node("QuantizeLinear", value + ":q", List.of(value, scale, zeroPoint), value + ":q"));
      name = value + ":dq";
      nodes.add(node("DequantizeLinear", name, List.of(value + ":q", scale, zeroPoint), name));
    }
    names.put(tensor, name);
    shapes.put(tensor, shape);
  }

  /**
   * A weight or bias tensor as an ONNX input, its elements reordered by {@code order} (destination i takes source
   * {@code order[i]}; null keeps the order): float values in {@link Mode#FLOAT}, the stored integers behind a
   * DequantizeLinear in {@link Mode#QDQ}.
   */
  private String constant(Tensor tensor, String name, int[] dims, int[] order, int channelAxis, String opName,
      String nodeName) {
    if (mode == Mode.FLOAT || tensor.type() == TensorType.FLOAT32) {
      float[] values = dequantize(tensor, opName, nodeName, channelAxis);
      return floatInitializer(name, dims, order == null ? values : permute(values, order));
    }
    Quantization q = quantization(tensor, nodeName);
    int channels = q.scales().length;
    if (channels != 1 && (q.axis() != channelAxis || dims[0] != channels)) {
      throw new UnsupportedOpException(opName, nodeName, "quantized along axis " + q.axis() + " with " + channels
          + " scales");
    }
    int type = onnxType(tensor.type(), nodeName);
    int width = type == OnnxProtoWriter.INT32 ? 4 : 1;
    ByteBuffer data = buffer(tensor, opName, nodeName);
    byte[] raw = new byte[data.remaining()];
    data.get(raw);
    if (order != null) {
      byte[] permuted = new byte[raw.length];
      for (int i = 0; i < order.length; i++) {
        System.arraycopy(raw, order[i] * width, permuted, i * width, width);
      }
      raw = permuted;
    }
    initializers.add(OnnxProtoWriter.tensor(name + ":q", dims, type, raw));
    int[] paramDims = channels == 1 ? new int[0] : new int[] {channels};
    String scale = floatInitializer(name + ":scale", paramDims, q.scales());
    ByteBuffer zeroPoints = ByteBuffer.allocate(channels * width).order(ByteOrder.LITTLE_ENDIAN);
    for (long z : q.zeroPoints()) {
      if (width == 4) {
        zeroPoints.putInt((int) z);
      } else {
        zeroPoints.put((byte) z);
      }
    }
    initializers.add(OnnxProtoWriter.tensor(name + ":zero_point", paramDims, type, zeroPoints.array()));
    List<Message> axis = channels == 1 ? List.of() : List.of(intAttribute("axis", 0));
    nodes.add(node("DequantizeLinear", name, List.of(name + ":q", name + ":scale", name + ":zero_point"), name,
        axis.toArray(Message[]::new)));
    return name;
  }

  private static int onnxType(byte tfliteType, String nodeName) {
    return switch (tfliteType) {
      case TensorType.UINT8 -> OnnxProtoWriter.UINT8;
      case TensorType.INT8 -> OnnxProtoWriter.INT8;
      case TensorType.INT32 -> OnnxProtoWriter.INT32;
      default -> throw new UnsupportedOpException(TensorType.name(tfliteType), nodeName, "no 8/32-bit integer type");
    };
  }

  private static float[] permute(float[] values, int[] order) {
    float[] out = new float[values.length];
    for (int i = 0; i < order.length; i++) {
      out[i] = values[order[i]];
    }
    return out;
  }

  private String activation(String input, int function, String opName, String nodeName) {
    switch (function) {
      case ActivationFunctionType.NONE -> {
        return input;
      }
      case ActivationFunctionType.RELU -> {
        String out = input + ":relu";
        nodes.add(node("Relu", out, List.of(input), out));
        return out;
      }
      case ActivationFunctionType.RELU6 -> {
        if (!relu6Bounds) {
          initializers.add(floatTensor(RELU6_MIN, new int[0], new float[] {0}));
          initializers.add(floatTensor(RELU6_MAX, new int[0], new float[] {6}));
          relu6Bounds = true;
        }
        String out = input + ":relu6";
        nodes.add(node("Clip", out, List.of(input, RELU6_MIN, RELU6_MAX), out));
        return out;
      }
      default -> throw new UnsupportedOpException(opName, nodeName, "fused activation "
          + ActivationFunctionType.name(function));
    }
  }

  /** Element order from TFLite [out, h, w, in] to ONNX [out, in, h, w]. */
  static int[] ohwiToOihw(int out, int height, int width, int in) {
    int[] order = new int[out * height * width * in];
    for (int o = 0; o < out; o++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          for (int i = 0; i < in; i++) {
            order[((o * in + i) * height + y) * width + x] = ((o * height + y) * width + x) * in + i;
          }
        }
      }
    }
    return order;
  }

  /**
   * Element order from TFLite depthwise [1, h, w, c·m] to ONNX [c·m, 1, h, w]: output channel k reads input channel
   * k / m in both.
   */
  static int[] depthwiseToOihw(int height, int width, int channels) {
    int[] order = new int[height * width * channels];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          order[(c * height + y) * width + x] = (y * width + x) * channels + c;
        }
      }
    }
    return order;
  }

  /** Real values of a constant tensor: {@code (q - zero_point) · scale}, per channel along {@code channelAxis}. */
  private float[] dequantize(Tensor tensor, String opName, String nodeName, int expectedAxis) {
    ByteBuffer data = buffer(tensor, opName, nodeName);
    int[] shape = tensorShape(tensor);
    int count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (tensor.type() == TensorType.FLOAT32) {
      float[] out = new float[count];
      data.asFloatBuffer().get(out);
      return out;
    }
    Quantization q = quantization(tensor, nodeName);
    int channels = q.scales().length;
    int axis = channels == 1 ? 0 : q.axis();
    if (channels != 1 && (axis != expectedAxis || shape[axis] != channels)) {
      throw new UnsupportedOpException(opName, nodeName, "quantized along axis " + axis + " with " + channels
          + " scales for shape " + Arrays.toString(shape));
    }
    // elements per step of the quantized axis, and how often the axis repeats (row-major layout)
    int inner = 1;
    for (int d = axis + 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      int channel = channels == 1 ? 0 : (i / inner) % channels;
      long raw = switch (tensor.type()) {
        case TensorType.UINT8 -> data.get(i) & 0xff;
        case TensorType.INT8 -> data.get(i);
        case TensorType.INT32 -> data.getInt(i * 4);
        default -> throw new UnsupportedOpException(opName, nodeName, "constant of type "
            + TensorType.name(tensor.type()));
      };
      out[i] = (float) ((raw - q.zeroPoints()[channel]) * (double) q.scales()[channel]);
    }
    return out;
  }

  private int[] intConstant(Tensor tensor, String opName, String nodeName) {
    if (tensor.type() != TensorType.INT32) {
      throw new UnsupportedOpException(opName, nodeName, "expected an int32 constant");
    }
    ByteBuffer data = buffer(tensor, opName, nodeName);
    int[] out = new int[data.remaining() / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.getInt(i * 4);
    }
    return out;
  }

  private ByteBuffer buffer(Tensor tensor, String opName, String nodeName) {
    ByteBuffer data = model.buffers((int) tensor.buffer()).dataAsByteBuffer();
    if (data == null || !data.hasRemaining()) {
      throw new UnsupportedOpException(opName, nodeName, "tensor '" + tensor.name() + "' is computed, expected a "
          + "constant");
    }
    return data.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Scale, zero point and axis of a tensor, as stored beside it. */
  record Quantization(float[] scales, long[] zeroPoints, int axis) {}

  private static Quantization quantization(Tensor tensor, String nodeName) {
    QuantizationParameters q = tensor.quantization();
    if (q == null || q.scaleLength() == 0 || q.zeroPointLength() != q.scaleLength()) {
      throw new UnsupportedOpException(TensorType.name(tensor.type()), nodeName, "tensor '" + tensor.name()
          + "' has no usable quantization parameters");
    }
    float[] scales = new float[q.scaleLength()];
    long[] zeroPoints = new long[q.zeroPointLength()];
    for (int i = 0; i < scales.length; i++) {
      scales[i] = q.scale(i);
      zeroPoints[i] = q.zeroPoint(i);
    }
    return new Quantization(scales, zeroPoints, q.quantizedDimension());
  }

  private static com.google.flatbuffers.Table options(Operator op, byte type, com.google.flatbuffers.Table into,
      String opName, String nodeName) {
    if (op.builtinOptionsType() != type) {
      throw new UnsupportedOpException(opName, nodeName, "options of type "
          + BuiltinOptions.name(op.builtinOptionsType()));
    }
    return op.builtinOptions(into);
  }

  private static AxisPadding padding(int padding, int input, int kernel, int stride, String opName, String nodeName) {
    return switch (padding) {
      case Padding.SAME -> AxisPadding.same(input, kernel, stride);
      case Padding.VALID -> AxisPadding.valid(input, kernel, stride);
      default -> throw new UnsupportedOpException(opName, nodeName, "padding " + padding);
    };
  }

  private String floatInitializer(String name, int[] dims, float[] values) {
    initializers.add(floatTensor(name, dims, values));
    return name;
  }

  private String name(int tensor) {
    String name = names.get(tensor);
    if (name == null) {
      throw new UnsupportedOpException("SubGraph", tensorName(tensor), "read before it is computed");
    }
    return name;
  }

  private int[] shape(int tensor) {
    int[] shape = shapes.get(tensor);
    if (shape == null) {
      throw new UnsupportedOpException("SubGraph", tensorName(tensor), "read before it is computed");
    }
    return shape;
  }

  private String tensorName(int tensor) {
    return graph.tensors(tensor).name();
  }

  private static int[] tensorShape(Tensor tensor) {
    int[] shape = new int[tensor.shapeLength()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = tensor.shape(i);
    }
    return shape;
  }
}
