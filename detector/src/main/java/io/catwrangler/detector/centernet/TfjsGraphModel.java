package io.catwrangler.detector.centernet;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.events.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A TensorFlow.js graph model as stored on disk: the nodes of {@code modelTopology} from the model JSON, and the
 * constant tensors that its {@code weightsManifest} lays out in the binary weight files. Float16-quantized weights
 * are widened to float32 on reading; int32 constants (axes, sizes) are kept as ints.
 */
public final class TfjsGraphModel {


  /** Opens one weight file named in the manifest; the paths there are relative to the model Json.MAPPER. */
  @FunctionalInterface
  public interface WeightFiles {
    InputStream open(String path) throws IOException;
  }

  /** A constant tensor of the graph (the value of a {@code Const} node), row-major in TensorFlow's layout. */
  public sealed interface Constant permits FloatConstant, IntConstant {
    int[] shape();
  }

  /** A float32 constant (float16 weights arrive here already widened). */
  public record FloatConstant(int[] shape, float[] values) implements Constant {}

  /** An int32 constant, e.g. reduction axes or a resize target size. */
  public record IntConstant(int[] shape, int[] values) implements Constant {}

  /** One node of the graph: its op type, its data inputs ({@code "name"} or {@code "name:1"}) and attributes. */
  public static final class Node {
    private final String name;
    private final String op;
    private final List<String> inputs;
    private final JsonNode attributes;

    Node(String name, String op, List<String> inputs, JsonNode attributes) {
      this.name = name;
      this.op = op;
      this.inputs = List.copyOf(inputs);
      this.attributes = attributes;
    }

    public String name() {
      return name;
    }

    public String op() {
      return op;
    }

    public List<String> inputs() {
      return inputs;
    }

    /** A string attribute ({@code padding}, {@code data_format}); TFJS stores them base64-encoded. */
    public Optional<String> string(String key) {
      JsonNode value = attributes.path(key).path("s");
      return value.isTextual() ? Optional.of(decodeBase64(value.asText())) : Optional.empty();
    }

    /** A boolean attribute; absent means false, which is TensorFlow's default for every flag this model uses. */
    public boolean bool(String key) {
      return attributes.path(key).path("b").asBoolean(false);
    }

    /** An int-list attribute ({@code strides}, {@code ksize}); absent means empty. TFJS writes the ints as strings. */
    public int[] ints(String key) {
      JsonNode list = attributes.path(key).path("list").path("i");
      int[] values = new int[list.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = list.get(i).asInt();
      }
      return values;
    }

    /** A string-list attribute ({@code fused_ops}); absent means empty. */
    public List<String> strings(String key) {
      List<String> values = new ArrayList<>();
      for (JsonNode value : attributes.path(key).path("list").path("s")) {
        values.add(decodeBase64(value.asText()));
      }
      return values;
    }

    /** A shape attribute (a {@code Placeholder}'s {@code shape}); unknown dimensions are -1. */
    public int[] shape(String key) {
      JsonNode dims = attributes.path(key).path("shape").path("dim");
      int[] shape = new int[dims.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = dims.get(i).path("size").asInt(-1);
      }
      return shape;
    }

    @Override
    public String toString() {
      return op + " " + name;
    }
  }

  private final Map<String, Node> nodes;
  private final Map<String, Constant> constants;

  private TfjsGraphModel(Map<String, Node> nodes, Map<String, Constant> constants) {
    this.nodes = Collections.unmodifiableMap(nodes);
    this.constants = Collections.unmodifiableMap(constants);
  }

  /**
   * Reads a graph model.
   *
   * @throws IOException a file cannot be read, or its content is not a TFJS graph model this reader understands
   *     (other quantizations than float16, weight files shorter or longer than the manifest says)
   */
  public static TfjsGraphModel read(InputStream modelJson, WeightFiles weightFiles) throws IOException {
    JsonNode root = Json.MAPPER.readTree(modelJson);
    if (root == null || !"graph-model".equals(root.path("format").asText())) {
      throw new IOException("not a TFJS graph model: \"format\" is not \"graph-model\"");
    }
    return new TfjsGraphModel(readNodes(root.path("modelTopology").path("node")),
        readWeights(root.path("weightsManifest"), weightFiles));
  }

  /** Every node, in the order of the file. */
  public Collection<Node> nodes() {
    return nodes.values();
  }

  public Optional<Node> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  public Optional<Constant> constant(String name) {
    return Optional.ofNullable(constants.get(name));
  }

  private static Map<String, Node> readNodes(JsonNode nodeArray) throws IOException {
    if (!nodeArray.isArray() || nodeArray.isEmpty()) {
      throw new IOException("TFJS model has no modelTopology.node");
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (JsonNode json : nodeArray) {
      String name = json.path("name").asText();
      List<String> inputs = new ArrayList<>();
      for (JsonNode input : json.path("input")) {
        // "^name" is a control dependency: it orders execution in TensorFlow but carries no data
        if (!input.asText().startsWith("^")) {
          inputs.add(input.asText());
        }
      }
      nodes.put(name, new Node(name, json.path("op").asText(), inputs, json.path("attr")));
    }
    return nodes;
  }

  private static Map<String, Constant> readWeights(JsonNode manifest, WeightFiles weightFiles) throws IOException {
    Map<String, Constant> constants = new HashMap<>();
    for (JsonNode group : manifest) {
      // a group's weights are laid out back to back across its shard files, in the order of "paths"
      ByteArrayOutputStream groupBytes = new ByteArrayOutputStream();
      for (JsonNode path : group.path("paths")) {
        try (InputStream in = weightFiles.open(path.asText())) {
          in.transferTo(groupBytes);
        }
      }
      ByteBuffer data = ByteBuffer.wrap(groupBytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
      for (JsonNode weight : group.path("weights")) {
        String name = weight.path("name").asText();
        try {
          constants.put(name, readConstant(weight, data));
        } catch (BufferUnderflowException e) {
          throw new IOException("weight files end inside weight '" + name + "'", e);
        }
      }
      if (data.hasRemaining()) {
        throw new IOException("weight files hold " + data.remaining() + " bytes more than the manifest describes");
      }
    }
    return constants;
  }

  private static Constant readConstant(JsonNode weight, ByteBuffer data) throws IOException {
    String name = weight.path("name").asText();
    int[] shape = new int[weight.path("shape").size()];
    int count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = weight.path("shape").get(i).asInt(-1);
      if (shape[i] < 0) {
        throw new IOException("weight '" + name + "' has an invalid shape " + weight.path("shape"));
      }
      count = Math.multiplyExact(count, shape[i]);
    }
    String dtype = weight.path("dtype").asText();
    JsonNode quantization = weight.path("quantization");
    if (!quantization.isMissingNode()) {
      String stored = quantization.path("dtype").asText();
      if (!stored.equals("float16") || !dtype.equals("float32")) {
        throw new IOException("weight '" + name + "': quantization " + stored + " of " + dtype + " is not supported");
      }
      // bulk copy first: a per-element getShort() costs about three times as much before the JIT has warmed up
      short[] halves = new short[count];
      data.asShortBuffer().get(halves);
      data.position(data.position() + 2 * count);
      float[] values = new float[count];
      for (int i = 0; i < count; i++) {
        values[i] = widenFloat16(halves[i]);
      }
      return new FloatConstant(shape, values);
    }
    switch (dtype) {
      case "float32" -> {
        float[] values = new float[count];
        data.asFloatBuffer().get(values);
        data.position(data.position() + 4 * count);
        return new FloatConstant(shape, values);
      }
      case "int32" -> {
        int[] values = new int[count];
        data.asIntBuffer().get(values);
        data.position(data.position() + 4 * count);
        return new IntConstant(shape, values);
      }
      default -> throw new IOException("weight '" + name + "': dtype " + dtype + " is not supported");
    }
  }

  /** IEEE 754 half precision to single precision; exact, since every float16 value is a float32 value. */
  static float widenFloat16(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) { // infinity, or NaN with its payload kept
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // zero or subnormal (no implicit leading 1): mantissa × 2^-24; float32 represents these as normal numbers
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    // normal: re-bias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits
    return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
  }

  private static String decodeBase64(String value) {
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }
}
