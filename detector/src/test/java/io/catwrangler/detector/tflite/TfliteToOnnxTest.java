package io.catwrangler.detector.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.flatbuffers.FlatBufferBuilder;
import io.catwrangler.detector.onnx.PinnedSession;
import io.catwrangler.detector.onnx.PinnedSession.Port;
import io.catwrangler.detector.onnx.UnsupportedOpException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorT;

/** The converter on the committed MobileNetV2 file, and on copies of it changed to use what it cannot translate. */
class TfliteToOnnxTest {
  static final Path MODEL = Path.of("models/mobilenet-v2/mobilenet_v2_1.0_224_quant.tflite");

  static byte[] model() throws IOException {
    return Files.readAllBytes(MODEL);
  }

  @Test
  void convertsTheCommittedModelToTheBytesTheBuildChecksumsEveryTime() throws Exception {
    byte[] first = TfliteToOnnx.convert(model(), TfliteToOnnx.Mode.QDQ);
    byte[] second = TfliteToOnnx.convert(model(), TfliteToOnnx.Mode.QDQ);
    assertThat(second).isEqualTo(first);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(first));
    assertThat(Files.readString(Path.of("models/converted.sha256")))
        .contains(sha + "  mobilenet-v2-imagenet.onnx");
  }

  @Test
  void bothModesRunAndAgreeOnTheTopClassOfAGoldenCat() throws IOException {
    float[] input = goldenInput("cat-chelsea");
    for (TfliteToOnnx.Mode mode : TfliteToOnnx.Mode.values()) {
      try (PinnedSession session = session(TfliteToOnnx.convert(model(), mode))) {
        float[] p = session.run(input, o -> o[0].clone());
        double sum = 0;
        int best = 0;
        for (int i = 0; i < p.length; i++) {
          sum += p[i];
          best = p[i] > p[best] ? i : best;
        }
        assertThat(sum).as(mode.name()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        // 286 Egyptian cat, as TFLite answers (testdata/mobilenet/golden/cat-chelsea.tflite.json)
        assertThat(best).as(mode.name()).isEqualTo(286);
      }
    }
  }

  @Test
  void quantizedWeightsStayEightBitInQdq() throws IOException {
    int qdq = TfliteToOnnx.convert(model(), TfliteToOnnx.Mode.QDQ).length;
    int dense = TfliteToOnnx.convert(model(), TfliteToOnnx.Mode.FLOAT).length;
    // 3.5 million weights: one byte each against four
    assertThat(qdq).isLessThan(4_000_000);
    assertThat(dense).isGreaterThan(13_000_000);
  }

  @Test
  void anOpWithoutTranslationIsNamed() throws IOException {
    byte[] changed = changed(m -> {
      for (var code : m.getOperatorCodes()) {
        if (code.getBuiltinCode() == BuiltinOperator.SOFTMAX) {
          code.setBuiltinCode(BuiltinOperator.LOG_SOFTMAX);
          code.setDeprecatedBuiltinCode((byte) BuiltinOperator.LOG_SOFTMAX);
        }
      }
    });
    assertThatThrownBy(() -> TfliteToOnnx.convert(changed, TfliteToOnnx.Mode.FLOAT))
        .isInstanceOfSatisfying(UnsupportedOpException.class, e -> assertThat(e.op()).isEqualTo("LOG_SOFTMAX"))
        .hasMessageContaining("no ONNX translation");
  }

  @Test
  void aFusedActivationWithoutTranslationIsNamed() throws IOException {
    byte[] changed = changed(m -> {
      OperatorT first = m.getSubgraphs()[0].getOperators()[0];
      ((Conv2DOptionsT) first.getBuiltinOptions().getValue()).setFusedActivationFunction(ActivationFunctionType.TANH);
    });
    assertThatThrownBy(() -> TfliteToOnnx.convert(changed, TfliteToOnnx.Mode.QDQ))
        .isInstanceOf(UnsupportedOpException.class).hasMessageContaining("fused activation TANH");
  }

  @Test
  void dilationIsRefused() throws IOException {
    byte[] changed = changed(m -> {
      OperatorT first = m.getSubgraphs()[0].getOperators()[0];
      ((Conv2DOptionsT) first.getBuiltinOptions().getValue()).setDilationHFactor(2);
    });
    assertThatThrownBy(() -> TfliteToOnnx.convert(changed, TfliteToOnnx.Mode.FLOAT))
        .isInstanceOf(UnsupportedOpException.class).hasMessageContaining("dilation 2x1");
  }

  /** The committed model, changed through TFLite's object API and written back. */
  private static byte[] changed(Consumer<ModelT> change) throws IOException {
    ModelT m = Model.getRootAsModel(ByteBuffer.wrap(model()).order(ByteOrder.LITTLE_ENDIAN)).unpack();
    change.accept(m);
    FlatBufferBuilder builder = new FlatBufferBuilder(4 << 20);
    Model.finishModelBuffer(builder, Model.pack(builder, m));
    return builder.sizedByteArray();
  }

  private static PinnedSession session(byte[] onnx) {
    return PinnedSession.create("test", onnx, 1, new Port(TfliteToOnnx.INPUT, new long[] {1, 224, 224, 3}),
        List.of(new Port(TfliteToOnnx.OUTPUT, new long[] {1, 1001})));
  }

  static float[] goldenInput(String name) throws IOException {
    Path file = io.catwrangler.core.testdata.TestData.dir().resolve("mobilenet/golden/" + name + ".input.rgb.gz");
    try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      byte[] bytes = in.readAllBytes();
      float[] out = new float[bytes.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = bytes[i] & 0xff;
      }
      return out;
    }
  }
}
