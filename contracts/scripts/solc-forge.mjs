#!/usr/bin/env node
// The pinned npm solc (solcjs) behind the command-line interface forge expects of a native solc,
// so `forge build/test` compile with exactly the compiler of the Maven build and never download
// one (foundry.toml: solc = this file, offline = true). Forge runs:
//   <solc> --version                       -> the two lines native solc prints
//   <solc> [--base-path P] [--allow-paths P] [--include-path P] --standard-json   (input on stdin)
// Forge puts the content of every source into the standard-JSON input, so no import callback is
// needed; one is given anyway for files under the project root and node_modules only.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const solc = require("solc");
const args = process.argv.slice(2);

if (args.includes("--version")) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
if (!args.includes("--standard-json")) {
  process.stderr.write(`solc-forge.mjs: only --version and --standard-json are supported, got ${args.join(" ")}\n`);
  process.exit(2);
}
let base = root;
for (let i = 0; i < args.length - 1; i++) if (args[i] === "--base-path") base = resolve(args[i + 1]);
function findImports(path) {
  const file = resolve(base, path);
  if (!(file + sep).startsWith(root + sep)) return { error: `import ${path} is outside ${root}` };
  try {
    return { contents: readFileSync(file, "utf8") };
  } catch (e) {
    return { error: `import ${path}: ${e.message}` };
  }
}
process.stdout.write(solc.compile(readFileSync(0, "utf8"), { import: findImports }));
