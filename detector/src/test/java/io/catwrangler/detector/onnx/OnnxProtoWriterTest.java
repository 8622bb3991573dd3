package io.catwrangler.detector.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.detector.onnx.OnnxProtoWriter.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-level checks against the protobuf encoding guide's examples; ONNX Runtime checks the messages as a whole. */
class OnnxProtoWriterTest {

  @Test
  void writesVarintFieldsLeastSignificantGroupFirst() {
    assertThat(new Message().varint(1, 150).toByteArray()).containsExactly(0x08, 0x96, 0x01);
    assertThat(new Message().varint(2, 300).toByteArray()).containsExactly(0x10, 0xAC, 0x02);
    assertThat(new Message().varint(1, 0).toByteArray()).containsExactly(0x08, 0x00);
  }

  @Test
  void writesNegativeInt64AsTenBytes() {
    assertThat(new Message().varint(1, -1).toByteArray())
        .containsExactly(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
  }

  @Test
  void writesFieldNumbersAboveFifteenWithATwoByteTag() {
    // AttributeProto.type is field 20: tag (20 << 3 | 0) = 160 needs two varint bytes
    assertThat(new Message().varint(20, 7).toByteArray()).containsExactly(0xA0, 0x01, 0x07);
  }

  @Test
  void writesStringsAndNestedMessagesWithTheirLength() {
    assertThat(new Message().string(2, "testing").toByteArray())
        .containsExactly(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g');
    Message inner = new Message().varint(1, 150);
    assertThat(new Message().message(3, inner).toByteArray()).containsExactly(0x1A, 0x03, 0x08, 0x96, 0x01);
  }

  @Test
  void writesOnnxAttributesWithTheirType() {
    assertThat(OnnxProtoWriter.intAttribute("group", 3).toByteArray())
        .containsExactly(0x0A, 0x05, 'g', 'r', 'o', 'u', 'p', 0x18, 0x03, 0xA0, 0x01, 0x02);
    assertThat(OnnxProtoWriter.intsAttribute("perm", 0, 3).toByteArray())
        .containsExactly(0x0A, 0x04, 'p', 'e', 'r', 'm', 0x40, 0x00, 0x40, 0x03, 0xA0, 0x01, 0x07);
  }

  @Test
  void writesFloatTensorsAsLittleEndianRawData() {
    byte[] tensor = OnnxProtoWriter.floatTensor("w", new int[] {1}, new float[] {1.0f}).toByteArray();

    assertThat(tensor).containsExactly(
        0x08, 0x01, // dims: 1
        0x10, 0x01, // data_type: FLOAT
        0x42, 0x01, 'w', // name
        0x4A, 0x04, 0x00, 0x00, 0x80, 0x3F); // raw_data: 1.0f little-endian
  }

  @Test
  void leavesOutOptionalNodeInputsAsEmptyNames() {
    byte[] node = OnnxProtoWriter.node("Resize", "r", List.of("x", "", "s"), "y").toByteArray();

    assertThat(node).containsExactly(
        0x0A, 0x01, 'x', 0x0A, 0x00, 0x0A, 0x01, 's', // inputs
        0x12, 0x01, 'y', // output
        0x1A, 0x01, 'r', // name
        0x22, 0x06, 'R', 'e', 's', 'i', 'z', 'e'); // op_type
  }
}
