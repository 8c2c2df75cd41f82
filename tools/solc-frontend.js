#!/usr/bin/env node
// Native-solc-compatible front end for solcjs (the npm `solc` package).
//
// py-solc-x (used by ape-solidity) runs an executable named `solc-v<version>` in one of two ways:
//   solc-vX.Y.Z --version
//   solc-vX.Y.Z --standard-json [--base-path P] [--allow-paths A,B] [--include-path I]...  < input.json
// The solcjs command line cannot stand in for it: it prints an SMT-solver notice on stdout and
// calls process.exit() before a piped stdout drains, truncating output past 64 KiB. This program
// answers both calls the way native solc does, resolves imports from the given paths, and lets
// Node exit on its own so stdout is always written in full.
"use strict";

const fs = require("fs");
const path = require("path");

const SOLC_MODULE = path.join(__dirname, "..", "node_modules", "solc");

function parseArgs(argv) {
  const args = { mode: null, basePath: null, includePaths: [], allowPaths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`missing value for ${arg}`);
      return argv[++i];
    };
    if (arg === "--version") args.mode = "version";
    else if (arg === "--standard-json") args.mode = "standard-json";
    else if (arg === "--base-path") args.basePath = value();
    else if (arg === "--include-path") args.includePaths.push(value());
    else if (arg === "--allow-paths") args.allowPaths.push(...value().split(",").filter(Boolean));
    else if (arg === "-") continue; // "read from stdin", which --standard-json does anyway
    else fail(`unsupported argument: ${arg}`);
  }
  return args;
}

function fail(message) {
  process.stderr.write(`solc-frontend: ${message}\n`);
  process.exitCode = 1;
  throw new Error(message);
}

// Native solc prints "Version: 0.8.24+commit.e11b9ed9.Linux.g++"; solcjs reports
// "0.8.24+commit.e11b9ed9.Emscripten.clang". py-solc-x parses the part after "Version: ".
function versionText(solc) {
  return `solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`;
}

function makeImportCallback(args) {
  const roots = [args.basePath, ...args.includePaths].filter(Boolean).map((p) => path.resolve(p));
  const allowed = [...roots, ...args.allowPaths.map((p) => path.resolve(p))];
  if (allowed.length === 0) allowed.push(process.cwd());
  const isAllowed = (file) => allowed.some((dir) => file === dir || file.startsWith(dir + path.sep));
  return (importPath) => {
    const candidates = path.isAbsolute(importPath)
      ? [importPath]
      : (roots.length ? roots : [process.cwd()]).map((root) => path.join(root, importPath));
    for (const file of candidates) {
      if (isAllowed(file) && fs.existsSync(file)) return { contents: fs.readFileSync(file, "utf8") };
    }
    return { error: `File not found inside the allowed paths: ${importPath}` };
  };
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const solc = require(SOLC_MODULE);
  if (args.mode === "version") {
    process.stdout.write(versionText(solc));
    return;
  }
  if (args.mode !== "standard-json") fail("expected --version or --standard-json");
  const input = fs.readFileSync(0, "utf8");
  const output = solc.compile(input, { import: makeImportCallback(args) });
  // No process.exit(): Node exits once stdout has drained, so large outputs arrive intact.
  process.stdout.write(output);
}

try {
  main();
} catch (err) {
  if (!process.exitCode) {
    process.stderr.write(`solc-frontend: ${err.stack || err}\n`);
    process.exitCode = 1;
  }
}
