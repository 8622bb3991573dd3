// Golden outputs of the MobileNetV2 classifier from TFLite's own kernels (the TFLite interpreter compiled to
// WebAssembly, shipped in the npm package @tensorflow/tfjs-tflite@0.0.1-alpha.10, folder wasm/), for the classifier
// inputs in testdata/mobilenet/golden/*.input.rgb.gz. Writes NAME.tflite.json beside each input.
//
//   mkdir -p /tmp/tflite && (cd /tmp/tflite && npm pack @tensorflow/tfjs-tflite@0.0.1-alpha.10 && tar xzf *.tgz)
//   node detector/golden/tflite_golden.js /tmp/tflite/package detector/models/mobilenet-v2/mobilenet_v2_1.0_224_quant.tflite testdata/mobilenet/golden
//
// The wasm runner is driven directly (TFLiteWebModelRunner of tflite_web_api_cc.js, no TensorFlow.js), one thread,
// no SIMD build; it applies TFLite's default XNNPACK delegate, as every TFLite runtime does by default.
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

async function main() {
  const [pkg, modelFile, folder] = process.argv.slice(2);
  if (!folder) throw new Error("usage: node tflite_golden.js TFJS_TFLITE_PACKAGE_DIR MODEL.tflite FOLDER");
  const factory = require(path.resolve(pkg, "wasm/tflite_web_api_cc.js"));
  const wasm = fs.readFileSync(path.resolve(pkg, "wasm/tflite_web_api_cc.wasm"));
  const module = await factory({ wasmBinary: wasm });
  const model = fs.readFileSync(modelFile);
  const pointer = module._malloc(model.length);
  module.HEAPU8.set(model, pointer);
  const created = module.TFLiteWebModelRunner.CreateFromBufferAndOptions(pointer, model.length,
    { numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024 });
  if (!created.ok()) throw new Error(created.errorMessage());
  const runner = created.value();
  const input = runner.GetInputs().get(0);
  const output = runner.GetOutputs().get(0);
  for (const file of fs.readdirSync(folder).filter((f) => f.endsWith(".input.rgb.gz")).sort()) {
    const pixels = zlib.gunzipSync(fs.readFileSync(path.join(folder, file)));
    if (pixels.length !== 224 * 224 * 3) throw new Error(`${file}: expected 224x224x3 bytes`);
    input.data().set(pixels);
    runner.Infer();
    const quantized = Array.from(output.data());
    const golden = {
      made_by: "detector/golden/tflite_golden.js: @tensorflow/tfjs-tflite@0.0.1-alpha.10 wasm (TFLite kernels, XNNPACK)",
      model_sha256: require("crypto").createHash("sha256").update(model).digest("hex"),
      input: file,
      output_type: output.dataType,
      output_scale: 1 / 256,
      output_zero_point: 0,
      quantized,
    };
    const name = file.replace(".input.rgb.gz", ".tflite.json");
    fs.writeFileSync(path.join(folder, name), JSON.stringify(golden) + "\n");
    const top = quantized.map((q, i) => [i, q]).sort((a, b) => b[1] - a[1]).slice(0, 5);
    console.log(name, top.map(([i, q]) => `${i}:${(q / 256).toFixed(4)}`).join(" "));
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
