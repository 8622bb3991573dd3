package io.catwrangler.detector.centernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.catwrangler.detector.onnx.AxisPadding;
import io.catwrangler.detector.onnx.UnsupportedOpException;
import io.catwrangler.detector.centernet.TinyTfjsModel.Attributes;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The converter on hand-made graphs: unsupported input fails loudly, and each translated op, run by ONNX Runtime,
 * computes what TensorFlow computes (expected values worked out by hand in the comments).
 */
class TfjsToOnnxTest {

  private static final int FLOAT16_ONE = 0x3C00;

  @Test
  void unknownOpFailsNamingOpAndNode() {
    assertThatThrownBy(() -> convert(new TinyTfjsModel()
        .placeholder("image", 1, 2, 2, 1)
        .node("head/erf", "Erf", "image")
        .node("out", "Identity", "head/erf"), "out"))
        .isInstanceOfSatisfying(UnsupportedOpException.class, e -> {
          assertThat(e.op()).isEqualTo("Erf");
          assertThat(e.node()).isEqualTo("head/erf");
        })
        .hasMessageContaining("'Erf'")
        .hasMessageContaining("'head/erf'");
  }

  @Test
  void opsBeyondTheRequestedOutputsAreNotConverted() throws IOException {
    byte[] onnx = convert(new TinyTfjsModel()
        .placeholder("image", 1, 2, 2, 1)
        .node("features", "Relu", "image")
        .node("tail", "TopKV2", "features"), "features");

    assertThat(run(onnx, new float[] {-1, 2, -3, 4}, "features")).containsExactly(0, 2, 0, 4);
  }

  @Test
  void unknownOutputIsRejected() {
    assertThatThrownBy(() -> convert(new TinyTfjsModel().placeholder("image", 1, 1, 1, 1), "nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nope'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "fused LeakyRelu | fused activation LeakyRelu",
      "dilated         | dilations [1, 2, 2, 1]",
      "NCHW            | data_format NCHW",
      "EXPLICIT        | padding 'EXPLICIT'"})
  void unsupportedConvolutionSettingsFailLoudly(String variant, String reason) {
    Attributes attributes = new Attributes()
        .ints("strides", 1, 1, 1, 1)
        .string("padding", variant.equals("EXPLICIT") ? "EXPLICIT" : "SAME")
        .strings("fused_ops", variant.equals("fused LeakyRelu") ? new String[] {"BiasAdd", "LeakyRelu"}
            : new String[] {"BiasAdd"})
        .ints("dilations", variant.equals("dilated") ? new int[] {1, 2, 2, 1} : new int[] {1, 1, 1, 1})
        .string("data_format", variant.equals("NCHW") ? "NCHW" : "NHWC");
    TinyTfjsModel model = new TinyTfjsModel()
        .placeholder("image", 1, 4, 4, 1)
        .float16Const("filter", new int[] {1, 1, 1, 1}, FLOAT16_ONE)
        .floatConst("bias", new int[] {1}, 0f)
        .node("conv", "_FusedConv2D", List.of("image", "filter", "bias"), attributes);

    assertThatThrownBy(() -> convert(model, "conv"))
        .isInstanceOf(UnsupportedOpException.class)
        .hasMessageContaining("'conv'")
        .hasMessageContaining(reason);
  }

  /** TensorFlow's SAME padding: ceil(input / stride) outputs, the odd padding cell at the end. */
  @ParameterizedTest(name = "input {0}, kernel {1}, stride {2} -> pads {3}+{4}, output {5}")
  @CsvSource({
      "512, 3, 2, 0, 1, 256", // even input, stride 2: one cell of padding, at the end only
      "5,   3, 2, 1, 1, 3",
      "4,   3, 1, 1, 1, 4",
      "8,   5, 2, 1, 2, 4",
      "7,   1, 2, 0, 0, 4", // a 1×1 kernel never needs padding
      "1,   3, 2, 1, 1, 1",
      "64,  5, 1, 2, 2, 64"})
  void samePaddingPutsTheOddCellAtTheEnd(int input, int kernel, int stride, int begin, int end, int output) {
    assertThat(AxisPadding.same(input, kernel, stride)).isEqualTo(new AxisPadding(begin, end, output));
  }

  @Test
  void validPaddingKeepsOnlyWholeWindows() {
    assertThat(AxisPadding.valid(16, 1, 1)).isEqualTo(new AxisPadding(0, 0, 16));
    assertThat(AxisPadding.valid(7, 3, 2)).isEqualTo(new AxisPadding(0, 0, 3));
  }

  /**
   * A strided depthwise convolution with SAME padding on an even input, where TensorFlow pads only at the end:
   * input 4×4 holding 1..16 row by row, 3×3 filter of ones (stored as float16), bias 0.5, stride 2. Output cell
   * (0,0) sums rows 0–2 × columns 0–2; cell (1,1) rows 2–3 × columns 2–3 plus the zero padding.
   */
  @Test
  void depthwiseConvolutionPadsLikeTensorFlow() throws IOException {
    int[] ones = new int[9];
    Arrays.fill(ones, FLOAT16_ONE);
    byte[] onnx = convert(new TinyTfjsModel()
        .placeholder("image", 1, 4, 4, 1)
        .float16Const("filter", new int[] {3, 3, 1, 1}, ones)
        .floatConst("bias", new int[] {1}, 0.5f)
        .node("dw", "FusedDepthwiseConv2dNative", List.of("image", "filter", "bias"), new Attributes()
            .ints("strides", 1, 2, 2, 1)
            .string("padding", "SAME")
            .strings("fused_ops", "BiasAdd")), "dw");

    float[] input = new float[16];
    for (int i = 0; i < 16; i++) {
      input[i] = i + 1;
    }
    // 1+2+3+5+6+7+9+10+11, 3+4+7+8+11+12, 9+10+11+13+14+15, 11+12+15+16; each + 0.5
    assertThat(run(onnx, input, "dw")).containsExactly(54.5f, 45.5f, 72.5f, 54.5f);
  }

  /**
   * A depthwise filter with channel multiplier 2 on 2 channels: output channel c·2 + m reads input channel c with
   * filter [.., c, m], as TensorFlow orders them. 1×1 filter [[2, 3], [5, 7]] on a pixel (1, 10).
   */
  @Test
  void depthwiseChannelMultiplierKeepsTensorFlowsChannelOrder() throws IOException {
    byte[] onnx = convert(new TinyTfjsModel()
        .placeholder("image", 1, 1, 1, 2)
        .floatConst("filter", new int[] {1, 1, 2, 2}, 2, 3, 5, 7)
        .node("dw", "DepthwiseConv2dNative", List.of("image", "filter"), new Attributes()
            .ints("strides", 1, 1, 1, 1)
            .string("padding", "VALID")), "dw");

    assertThat(run(onnx, new float[] {1, 10}, "dw")).containsExactly(2, 3, 50, 70);
  }

  /**
   * A 2×1 convolution, 2 channels in, 3 out, VALID, with fused Relu6: checks the HWIO → OIHW reordering.
   * Input rows (1, 2) and (3, 4); out[o] = Σ x[y][i] · w[y][0][i][o] + bias[o], then clipped to [0, 6].
   */
  @Test
  void convolutionReordersFiltersAndFusesRelu6() throws IOException {
    byte[] onnx = convert(new TinyTfjsModel()
        .placeholder("image", 1, 2, 1, 2)
        // w[y][0][i][o]: y=0: i=0 → (1, 0, -1), i=1 → (0, 1, 0); y=1: i=0 → (0, 0, 0), i=1 → (1, 0, 2)
        .floatConst("filter", new int[] {2, 1, 2, 3}, 1, 0, -1, 0, 1, 0, 0, 0, 0, 1, 0, 2)
        .floatConst("bias", new int[] {3}, 0, 0.5f, 0)
        .node("conv", "_FusedConv2D", List.of("image", "filter", "bias"), new Attributes()
            .ints("strides", 1, 1, 1, 1)
            .string("padding", "VALID")
            .strings("fused_ops", "BiasAdd", "Relu6")), "conv");

    // o=0: 1·1 + 4·1 = 5; o=1: 2·1 + 0.5 = 2.5; o=2: 1·(-1) + 4·2 = 7 → clipped to 6
    assertThat(run(onnx, new float[] {1, 2, 3, 4}, "conv")).containsExactly(5, 2.5f, 6);
  }

  /** 3×3 max pooling, stride 1, SAME: padded cells never win, as in TensorFlow. */
  @Test
  void maxPoolIgnoresPadding() throws IOException {
    byte[] onnx = convert(new TinyTfjsModel()
        .placeholder("image", 1, 3, 3, 1)
        .node("pool", "MaxPool", List.of("image"), new Attributes()
            .ints("ksize", 1, 3, 3, 1)
            .ints("strides", 1, 1, 1, 1)
            .string("padding", "SAME")), "pool");

    float[] input = {-1, -9, -2, -3, -4, -5, -8, -6, -7};
    assertThat(run(onnx, input, "pool")).containsExactly(-1, -1, -2, -1, -1, -2, -3, -3, -4);
  }

  /**
   * ResizeBilinear without align_corners or half-pixel centres (TensorFlow's legacy default): output x reads input
   * x / 2, clamped at the last row and column. 2×2 → 4×4, two channels (the second one negated).
   */
  @Test
  void resizeBilinearUsesAsymmetricCoordinates() throws IOException {
    byte[] onnx = convert(new TinyTfjsModel()
        .placeholder("image", 1, 2, 2, 2)
        .intConst("size", new int[] {2}, 4, 4)
        .node("up", "ResizeBilinear", List.of("image", "size"), new Attributes()
            .bool("align_corners", false)
            .bool("half_pixel_centers", false)), "up");

    float[] output = run(onnx, new float[] {0, 0, 10, -10, 20, -20, 30, -30}, "up");

    float[] expectedRows = {0, 5, 10, 10, 10, 15, 20, 20, 20, 25, 30, 30, 20, 25, 30, 30};
    for (int i = 0; i < expectedRows.length; i++) {
      assertThat(output[2 * i]).as("channel 0, cell %d", i).isEqualTo(expectedRows[i]);
      assertThat(output[2 * i + 1]).as("channel 1, cell %d", i).isEqualTo(-expectedRows[i]);
    }
  }

  /**
   * A squeeze-and-excite block as MobileNetV3 writes it: global mean (keep_dims), hard-sigmoid from Add/Mul/Relu6
   * with scalar constants, a channel-wise Mul back onto the features, then element-wise and Concat ops.
   */
  @Test
  void elementWiseReductionAndConcatOpsBroadcastLikeTensorFlow() throws IOException {
    byte[] onnx = convert(new TinyTfjsModel()
        .placeholder("image", 1, 1, 2, 2)
        .intConst("spatial", new int[] {2}, 1, 2)
        .floatConst("three", new int[0], 3)
        .floatConst("sixth", new int[0], 1 / 6f)
        .floatConst("offset", new int[] {2}, 1, -1)
        .intConst("last", new int[0], -1)
        .node("mean", "Mean", List.of("image", "spatial"), new Attributes().bool("keep_dims", true))
        .node("shifted", "AddV2", "mean", "three")
        .node("clipped", "Relu6", "shifted")
        .node("gate", "Mul", "clipped", "sixth")
        .node("excited", "Mul", "image", "gate")
        .node("moved", "Sub", "excited", "offset")
        .node("both", "ConcatV2", "moved", "image", "last")
        .node("out", "Identity", "both"), "out");

    // image pixels (channel 0, channel 1): (2, -12), (4, 0); means 3 and -6; gates (3+3)/6 = 1 and (−6+3 → 0)/6 = 0
    float[] output = run(onnx, new float[] {2, -12, 4, 0}, "out");

    // per pixel: (c0·1 − 1, c1·0 + 1, c0, c1)
    assertThat(output).containsExactly(new float[] {1, 1, 2, -12, 3, 1, 4, 0}, within(1e-6f));
  }

  @Test
  void sigmoidAndReluAreElementWise() throws IOException {
    byte[] onnx = convert(new TinyTfjsModel()
        .placeholder("image", 1, 1, 1, 2)
        .node("relu", "Relu", "image")
        .node("out", "Sigmoid", "relu"), "out");

    assertThat(run(onnx, new float[] {-5, 0}, "out")).containsExactly(0.5f, 0.5f);
  }

  private static byte[] convert(TinyTfjsModel model, String output) throws IOException {
    return TfjsToOnnx.convert(model.read(), List.of(output));
  }

  /** Runs a converted single-input model whose input is the node "image". */
  private static float[] run(byte[] onnx, float[] input, String output) {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = environment.createSession(onnx, options)) {
      long[] shape = ((TensorInfo) session.getInputInfo().get("image").getInfo()).getShape();
      try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input), shape);
          OrtSession.Result result = session.run(Map.of("image", tensor))) {
        FloatBuffer values = ((OnnxTensor) result.get(output).orElseThrow()).getFloatBuffer();
        float[] floats = new float[values.remaining()];
        values.get(floats);
        return floats;
      }
    } catch (OrtException e) {
      throw new AssertionError("ONNX Runtime rejected the converted model", e);
    }
  }
}
