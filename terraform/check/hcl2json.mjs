// Parses every .tf file under a folder with HashiCorp's HCL parser (@cdktf/hcl2json, WebAssembly) and prints one
// JSON object: {"files": {relative path: the file as JSON}, "errors": {relative path: parser message}}.
// Usage: node hcl2json.mjs NODE_MODULES_DIR TERRAFORM_DIR      (exit 0 even with errors: the caller judges)
import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const [modulesDir, root] = process.argv.slice(2);
if (!modulesDir || !root) {
  console.error("usage: node hcl2json.mjs NODE_MODULES_DIR TERRAFORM_DIR");
  process.exit(2);
}
const { parse } = createRequire(join(modulesDir, "noop.js"))("@cdktf/hcl2json");

function tfFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // provider downloads and build output are not ours
      return [".terraform", "node_modules", "target"].includes(entry.name) ? [] : tfFiles(path);
    }
    return entry.name.endsWith(".tf") ? [path] : [];
  });
}

const result = { files: {}, errors: {} };
for (const file of tfFiles(root).sort()) {
  const name = relative(root, file);
  try {
    result.files[name] = await parse(name, readFileSync(file, "utf8"));
  } catch (e) {
    result.errors[name] = String(e && e.message ? e.message : e);
  }
}
process.stdout.write(JSON.stringify(result));
