package io.catwrangler.detector.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The few ONNX messages a converted graph needs, written straight to protobuf bytes. ONNX defines about ten
 * messages that matter here and uses two wire types for them (varint and length-delimited), so a small encoder
 * costs less than a protobuf runtime plus generated classes. Field numbers are those of {@code onnx/onnx.proto}.
 */
public final class OnnxProtoWriter {

  /** ONNX IR version 8 is the one that goes with opset 17. */
  public static final int IR_VERSION = 8;

  private static final int WIRE_VARINT = 0;
  private static final int WIRE_LENGTH_DELIMITED = 2;

  // TensorProto.DataType
  public static final int FLOAT = 1;
  public static final int UINT8 = 2;
  public static final int INT8 = 3;
  public static final int INT32 = 6;
  public static final int INT64 = 7;
  // AttributeProto.AttributeType
  private static final int ATTRIBUTE_INT = 2;
  private static final int ATTRIBUTE_STRING = 3;
  private static final int ATTRIBUTE_INTS = 7;

  private OnnxProtoWriter() {}

  /** One protobuf message being written: fields are appended in the order the methods are called. */
  public static final class Message {
    private final Buffer bytes = new Buffer();

    public Message varint(int field, long value) {
      tag(field, WIRE_VARINT);
      writeVarint(value);
      return this;
    }

    public Message string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    public Message bytes(int field, byte[] value) {
      tag(field, WIRE_LENGTH_DELIMITED);
      writeVarint(value.length);
      bytes.writeBytes(value);
      return this;
    }

    public Message message(int field, Message value) {
      tag(field, WIRE_LENGTH_DELIMITED);
      writeVarint(value.bytes.size());
      value.bytes.appendTo(bytes);
      return this;
    }

    public byte[] toByteArray() {
      return bytes.toByteArray();
    }

    private void tag(int field, int wireType) {
      writeVarint((long) field << 3 | wireType);
    }

    /** Base-128, least significant group first; negative int64 values take ten bytes, as protobuf specifies. */
    private void writeVarint(long value) {
      while ((value & ~0x7FL) != 0) {
        bytes.write((int) (value & 0x7F) | 0x80);
        value >>>= 7;
      }
      bytes.write((int) value);
    }
  }

  /** Lets a nested message be appended straight from its buffer: initializers are megabytes, copies add up. */
  private static final class Buffer extends ByteArrayOutputStream {
    void appendTo(ByteArrayOutputStream target) {
      target.write(buf, 0, count);
    }
  }

  /** ModelProto with a single opset import of the default ONNX domain. */
  public static byte[] model(Message graph, String producer, int opset) {
    Message opsetImport = new Message().string(1, "").varint(2, opset);
    return new Message()
        .varint(1, IR_VERSION)
        .string(2, producer)
        .message(7, graph)
        .message(8, opsetImport)
        .toByteArray();
  }

  public static Message graph(String name, List<Message> nodes, List<Message> initializers, List<Message> inputs,
      List<Message> outputs) {
    Message graph = new Message();
    nodes.forEach(node -> graph.message(1, node));
    graph.string(2, name);
    initializers.forEach(initializer -> graph.message(5, initializer));
    inputs.forEach(input -> graph.message(11, input));
    outputs.forEach(output -> graph.message(12, output));
    return graph;
  }

  /** NodeProto; an empty input name marks an optional input that is left out. */
  public static Message node(String opType, String name, List<String> inputs, String output, Message... attributes) {
    Message node = new Message();
    inputs.forEach(input -> node.string(1, input));
    node.string(2, output).string(3, name).string(4, opType);
    for (Message attribute : attributes) {
      node.message(5, attribute);
    }
    return node;
  }

  public static Message intAttribute(String name, long value) {
    return new Message().string(1, name).varint(3, value).varint(20, ATTRIBUTE_INT);
  }

  public static Message intsAttribute(String name, int... values) {
    Message attribute = new Message().string(1, name);
    for (int value : values) {
      attribute.varint(8, value);
    }
    return attribute.varint(20, ATTRIBUTE_INTS);
  }

  public static Message stringAttribute(String name, String value) {
    return new Message().string(1, name).string(4, value).varint(20, ATTRIBUTE_STRING);
  }

  /** TensorProto holding float32 values as little-endian raw data, the compact form ONNX Runtime reads fastest. */
  public static Message floatTensor(String name, int[] dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return tensor(name, dims, FLOAT, raw.array());
  }

  public static Message int64Tensor(String name, int[] dims, long[] values) {
    ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    return tensor(name, dims, INT64, raw.array());
  }

  /** ValueInfoProto of a float32 tensor with a fixed shape, for the graph's inputs and outputs. */
  public static Message floatValueInfo(String name, int[] dims) {
    Message shape = new Message();
    for (int dim : dims) {
      shape.message(1, new Message().varint(1, dim));
    }
    Message tensorType = new Message().varint(1, FLOAT).message(2, shape);
    return new Message().string(1, name).message(2, new Message().message(1, tensorType));
  }

  /** TensorProto of any element type, from its little-endian raw bytes. */
  public static Message tensor(String name, int[] dims, int dataType, byte[] raw) {
    Message tensor = new Message();
    for (int dim : dims) {
      tensor.varint(1, dim);
    }
    return tensor.varint(2, dataType).string(8, name).bytes(9, raw);
  }
}
