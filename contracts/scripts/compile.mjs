// Compiles src/main/solidity/*.sol with the pinned solcjs (npm `solc`) through its standard-JSON
// JS API and writes, per contract, <Name>.abi (JSON) and <Name>.bin (creation bytecode, hex without
// 0x) plus build-info.json (compiler version, settings, source hashes) into the output directory.
//
// Why the JS API and not `solcjs --standard-json`: the CLI prints a non-JSON banner line first.
// Why no network: solcjs is the compiler itself (emscripten build), so nothing is downloaded.
// Imports `@openzeppelin/...` resolve from node_modules; nothing else is allowed, so a stray import
// cannot silently pull code from elsewhere.
//
// Usage: node scripts/compile.mjs [--out DIR]   (default target/solidity)
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));

function fail(message) {
  console.error(`compile.mjs: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
let outDir = join(root, "target", "solidity");
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--out" && i + 1 < args.length) outDir = resolve(args[++i]);
  else fail(`unknown argument ${args[i]}; usage: node scripts/compile.mjs [--out DIR]`);
}

if (!existsSync(join(root, "node_modules", "solc"))) {
  fail("node_modules/solc is missing; run `npm ci --ignore-scripts` in contracts/ first");
}
const solc = require("solc");
const pinned = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies.solc;
const actual = solc.version(); // e.g. "0.8.37+commit.xxxx.Emscripten.clang"
if (!actual.startsWith(pinned + "+")) {
  fail(`solc ${actual} is installed but package.json pins ${pinned}; run \`npm ci --ignore-scripts\``);
}

const srcDir = join(root, "src", "main", "solidity");
const sources = {};
for (const file of readdirSync(srcDir).filter((f) => f.endsWith(".sol")).sort()) {
  sources[file] = { content: readFileSync(join(srcDir, file), "utf8") };
}

// Pinned settings: they change bytecode and gas, so docs/benchmarks.md quotes them.
const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun",
  viaIR: false,
  metadata: { bytecodeHash: "none" },
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
};

function findImports(path) {
  if (!path.startsWith("@openzeppelin/contracts/")) {
    return { error: `import ${path} not allowed: only @openzeppelin/contracts/ resolves from node_modules` };
  }
  try {
    return { contents: readFileSync(require.resolve(path), "utf8") };
  } catch (e) {
    return { error: `import ${path} not found in node_modules: ${e.message}` };
  }
}

const output = JSON.parse(
  solc.compile(JSON.stringify({ language: "Solidity", sources, settings }), { import: findImports })
);
const diagnostics = output.errors ?? [];
for (const d of diagnostics) console.error(d.formattedMessage ?? d.message);
// Warnings fail the build too: a warning in a contract that guards loans is a bug until shown not to be.
if (diagnostics.some((d) => d.severity === "error" || d.severity === "warning")) {
  fail("compilation produced errors or warnings (see above)");
}

mkdirSync(outDir, { recursive: true });
const contracts = [];
for (const file of Object.keys(sources)) {
  for (const [name, c] of Object.entries(output.contracts[file] ?? {})) {
    writeFileSync(join(outDir, `${name}.abi`), JSON.stringify(c.abi, null, 2) + "\n");
    // No trailing newline: web3j codegen embeds the file verbatim as the deploy bytecode.
    writeFileSync(join(outDir, `${name}.bin`), c.evm.bytecode.object);
    contracts.push({ name, source: file, creationSizeBytes: c.evm.bytecode.object.length / 2,
      runtimeSizeBytes: c.evm.deployedBytecode.object.length / 2 });
  }
}
const sha256 = (s) => createHash("sha256").update(s).digest("hex");
const buildInfo = {
  compiler: `solcjs ${actual}`,
  openzeppelinContracts: require("@openzeppelin/contracts/package.json").version,
  settings: { ...settings, outputSelection: undefined },
  sources: Object.fromEntries(Object.entries(sources).map(([f, s]) => [f, sha256(s.content)])),
  contracts,
};
writeFileSync(join(outDir, "build-info.json"), JSON.stringify(buildInfo, null, 2) + "\n");
console.log(`compile.mjs: ${contracts.length} contracts -> ${outDir} (${actual})`);
