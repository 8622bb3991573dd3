package io.catwrangler.detector.centernet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Builds small TFJS graph models in the file format of the real one (JSON + one weight file), for tests. */
final class TinyTfjsModel {

  static final String WEIGHT_FILE = "tiny.bin";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode root = JSON.createObjectNode();
  private final ArrayNode nodes;
  private final ArrayNode weights;
  private final ByteArrayOutputStream weightBytes = new ByteArrayOutputStream();

  TinyTfjsModel() {
    root.put("format", "graph-model");
    nodes = root.putObject("modelTopology").putArray("node");
    ObjectNode group = root.putArray("weightsManifest").addObject();
    group.putArray("paths").add(WEIGHT_FILE);
    weights = group.putArray("weights");
  }

  TinyTfjsModel placeholder(String name, int... shape) {
    ArrayNode dims = JSON.createArrayNode();
    for (int dim : shape) {
      dims.addObject().put("size", String.valueOf(dim));
    }
    ObjectNode attributes = JSON.createObjectNode();
    attributes.putObject("shape").putObject("shape").set("dim", dims);
    attributes.putObject("dtype").put("type", "DT_FLOAT");
    return node(name, "Placeholder", List.of(), attributes);
  }

  TinyTfjsModel node(String name, String op, List<String> inputs, Attributes attributes) {
    return node(name, op, inputs, attributes.json);
  }

  TinyTfjsModel node(String name, String op, String... inputs) {
    return node(name, op, List.of(inputs), JSON.createObjectNode());
  }

  /** A float32 constant stored as float32. */
  TinyTfjsModel floatConst(String name, int[] shape, float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    weightBytes.writeBytes(buffer.array());
    weight(name, shape, "float32");
    return constNode(name);
  }

  /** A float32 constant stored quantized to float16, as the real model's weights are; values given as bits. */
  TinyTfjsModel float16Const(String name, int[] shape, int... halfBits) {
    ByteBuffer buffer = ByteBuffer.allocate(2 * halfBits.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int bits : halfBits) {
      buffer.putShort((short) bits);
    }
    weightBytes.writeBytes(buffer.array());
    weight(name, shape, "float32").putObject("quantization").put("dtype", "float16").put("original_dtype", "float32");
    return constNode(name);
  }

  TinyTfjsModel intConst(String name, int[] shape, int... values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asIntBuffer().put(values);
    weightBytes.writeBytes(buffer.array());
    weight(name, shape, "int32");
    return constNode(name);
  }

  /** Adds raw bytes to the weight file that no manifest entry describes, to model a corrupt file. */
  TinyTfjsModel extraWeightBytes(int count) {
    weightBytes.writeBytes(new byte[count]);
    return this;
  }

  TfjsGraphModel read() throws IOException {
    byte[] json = JSON.writeValueAsBytes(root);
    byte[] bin = weightBytes.toByteArray();
    return TfjsGraphModel.read(new ByteArrayInputStream(json), path -> {
      if (!path.equals(WEIGHT_FILE)) {
        throw new FileNotFoundException(path);
      }
      return new ByteArrayInputStream(bin);
    });
  }

  private TinyTfjsModel node(String name, String op, List<String> inputs, ObjectNode attributes) {
    ObjectNode node = nodes.addObject().put("name", name).put("op", op);
    if (!inputs.isEmpty()) {
      inputs.forEach(node.putArray("input")::add);
    }
    node.set("attr", attributes);
    return this;
  }

  private ObjectNode weight(String name, int[] shape, String dtype) {
    ObjectNode weight = weights.addObject().put("name", name);
    ArrayNode dims = weight.putArray("shape");
    for (int dim : shape) {
      dims.add(dim);
    }
    return weight.put("dtype", dtype);
  }

  private TinyTfjsModel constNode(String name) {
    return node(name, "Const", List.of(), JSON.createObjectNode());
  }

  /** Node attributes in TFJS's JSON encoding: strings base64, ints as decimal strings. */
  static final class Attributes {
    private final ObjectNode json = JSON.createObjectNode();

    Attributes string(String key, String value) {
      json.putObject(key).put("s", base64(value));
      return this;
    }

    Attributes strings(String key, String... values) {
      ArrayNode list = json.putObject(key).putObject("list").putArray("s");
      for (String value : values) {
        list.add(base64(value));
      }
      return this;
    }

    Attributes ints(String key, int... values) {
      ArrayNode list = json.putObject(key).putObject("list").putArray("i");
      for (int value : values) {
        list.add(String.valueOf(value));
      }
      return this;
    }

    Attributes bool(String key, boolean value) {
      json.putObject(key).put("b", value);
      return this;
    }

    private static String base64(String value) {
      return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
