package io.catwrangler.detector.centernet;

import static io.catwrangler.detector.centernet.TfjsGraphModel.widenFloat16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.detector.centernet.TfjsGraphModel.FloatConstant;
import io.catwrangler.detector.centernet.TfjsGraphModel.IntConstant;
import io.catwrangler.detector.centernet.TinyTfjsModel.Attributes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TfjsGraphModelTest {

  @Test
  void widensNormalFloat16Values() {
    assertThat(widenFloat16((short) 0x3C00)).isEqualTo(1.0f);
    assertThat(widenFloat16((short) 0xC000)).isEqualTo(-2.0f);
    assertThat(widenFloat16((short) 0x3555)).isEqualTo(0.333251953125f); // 1/3 rounded to float16
    assertThat(widenFloat16((short) 0x7BFF)).isEqualTo(65504f); // largest float16
    assertThat(widenFloat16((short) 0x0400)).isEqualTo(0x1p-14f); // smallest normal
  }

  @Test
  void widensSubnormalFloat16Values() {
    assertThat(widenFloat16((short) 0x0001)).isEqualTo(0x1p-24f); // smallest subnormal
    assertThat(widenFloat16((short) 0x0200)).isEqualTo(0x1p-15f);
    assertThat(widenFloat16((short) 0x03FF)).isEqualTo(1023 * 0x1p-24f); // largest subnormal
    assertThat(widenFloat16((short) 0x8001)).isEqualTo(-0x1p-24f);
  }

  @Test
  void keepsSignedZerosInfinitiesAndNaN() {
    assertThat(Float.floatToRawIntBits(widenFloat16((short) 0x0000))).isZero();
    assertThat(Float.floatToRawIntBits(widenFloat16((short) 0x8000))).isEqualTo(0x80000000);
    assertThat(widenFloat16((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(widenFloat16((short) 0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(widenFloat16((short) 0x7E00)).isNaN();
  }

  /** Every finite float16 value against its definition, (-1)^s · 2^(e-15) · (1 + m/1024), or 2^-14 · m/1024. */
  @Test
  void widensEveryFiniteFloat16ValueExactly() {
    for (int bits = 0; bits <= 0xFFFF; bits++) {
      int exponent = (bits >>> 10) & 0x1F;
      if (exponent == 0x1F) {
        continue;
      }
      int mantissa = bits & 0x3FF;
      double magnitude = exponent == 0
          ? Math.scalb(mantissa / 1024.0, -14)
          : Math.scalb(1 + mantissa / 1024.0, exponent - 15);
      double expected = (bits & 0x8000) != 0 ? -magnitude : magnitude;
      assertThat((double) widenFloat16((short) bits)).as("float16 bits %04x", bits).isEqualTo(expected);
    }
  }

  @Test
  void readsNodesAndWeightsOfEveryStoredType() throws IOException {
    TfjsGraphModel model = new TinyTfjsModel()
        .placeholder("image", 1, 2, 2, 3)
        .floatConst("scale", new int[] {3}, 0.5f, -1f, 2f)
        .float16Const("filter", new int[] {1, 1, 1, 2}, 0x3C00, 0x0001)
        .intConst("axes", new int[] {2}, 1, 2)
        .node("mean", "Mean", List.of("image", "axes", "^scale"), new Attributes().bool("keep_dims", true))
        .read();

    assertThat(model.constant("scale")).get().isInstanceOfSatisfying(FloatConstant.class, c -> {
      assertThat(c.shape()).containsExactly(3);
      assertThat(c.values()).containsExactly(0.5f, -1f, 2f);
    });
    assertThat(model.constant("filter")).get().isInstanceOfSatisfying(FloatConstant.class, c -> {
      assertThat(c.shape()).containsExactly(1, 1, 1, 2);
      assertThat(c.values()).containsExactly(1f, 0x1p-24f);
    });
    assertThat(model.constant("axes")).get().isInstanceOfSatisfying(IntConstant.class,
        c -> assertThat(c.values()).containsExactly(1, 2));
    TfjsGraphModel.Node mean = model.node("mean").orElseThrow();
    assertThat(mean.op()).isEqualTo("Mean");
    assertThat(mean.inputs()).as("control dependencies carry no data").containsExactly("image", "axes");
    assertThat(mean.bool("keep_dims")).isTrue();
    assertThat(mean.bool("absent")).isFalse();
    assertThat(model.node("image").orElseThrow().shape("shape")).containsExactly(1, 2, 2, 3);
    assertThat(model.nodes()).extracting(TfjsGraphModel.Node::name)
        .containsExactly("image", "scale", "filter", "axes", "mean");
  }

  @Test
  void decodesBase64StringAttributes() throws IOException {
    TfjsGraphModel model = new TinyTfjsModel()
        .node("conv", "_FusedConv2D", List.of(), new Attributes()
            .string("padding", "SAME")
            .strings("fused_ops", "BiasAdd", "Relu")
            .ints("strides", 1, 2, 2, 1))
        .read();

    TfjsGraphModel.Node conv = model.node("conv").orElseThrow();
    assertThat(conv.string("padding")).contains("SAME");
    assertThat(conv.string("data_format")).isEmpty();
    assertThat(conv.strings("fused_ops")).containsExactly("BiasAdd", "Relu");
    assertThat(conv.ints("strides")).containsExactly(1, 2, 2, 1);
  }

  @Test
  void rejectsWeightFilesLongerThanTheManifest() {
    TinyTfjsModel model = new TinyTfjsModel().floatConst("w", new int[] {1}, 1f).extraWeightBytes(2);

    assertThatThrownBy(model::read).isInstanceOf(IOException.class).hasMessageContaining("2 bytes more");
  }

  @Test
  void rejectsWeightFilesShorterThanTheManifest() {
    String json = """
        {"format": "graph-model", "modelTopology": {"node": [{"name": "w", "op": "Const"}]},
         "weightsManifest": [{"paths": ["w.bin"], "weights": [{"name": "w", "shape": [4], "dtype": "float32"}]}]}
        """;

    assertThatThrownBy(() -> TfjsGraphModel.read(stream(json), path -> stream("short")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("'w'");
  }

  @Test
  void rejectsOtherQuantizations() {
    String json = """
        {"format": "graph-model", "modelTopology": {"node": [{"name": "w", "op": "Const"}]},
         "weightsManifest": [{"paths": ["w.bin"], "weights": [{"name": "w", "shape": [1], "dtype": "float32",
           "quantization": {"dtype": "uint8", "min": 0, "scale": 1}}]}]}
        """;

    assertThatThrownBy(() -> TfjsGraphModel.read(stream(json), path -> stream("x")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("uint8");
  }

  @Test
  void rejectsJsonThatIsNotAGraphModel() {
    assertThatThrownBy(() -> TfjsGraphModel.read(stream("{\"format\": \"layers-model\"}"), path -> stream("")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("graph-model");
  }

  private static ByteArrayInputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
