#!/usr/bin/env node
// Runs the prebuilt drizzle-drift binary that npm installed from the optional dependency
// matching this platform (the package's `os`/`cpu`/`libc` let npm skip the others).
"use strict";

const { spawn } = require("node:child_process");
const path = require("node:path");

// `${process.platform}-${process.arch}` -> the package holding that platform's binary.
const PACKAGES = {
  "linux-x64": "drizzle-drift-linux-x64",
};

function isMusl() {
  if (process.platform !== "linux") return false;
  const report = process.report && process.report.getReport ? process.report.getReport() : null;
  const header = report && (typeof report === "string" ? JSON.parse(report) : report).header;
  return Boolean(header && !header.glibcVersionRuntime);
}

function fail(message) {
  process.stderr.write(`drizzle-drift: ${message}\n`);
  process.exit(2);
}

function binaryPath() {
  const platform = `${process.platform}-${process.arch}`;
  const pkg = PACKAGES[platform];
  const fromSource =
    "build it from source with Rust instead (`cargo install --path .` in a checkout of drizzle-drift)";
  if (!pkg) {
    fail(
      `no prebuilt binary for this platform (${platform}); prebuilt: ${Object.keys(PACKAGES).join(", ")}. ` +
        fromSource,
    );
  }
  if (isMusl()) {
    fail(`no prebuilt binary for ${platform} with musl libc (${pkg} is built for glibc); ${fromSource}`);
  }
  let manifest;
  try {
    manifest = require.resolve(`${pkg}/package.json`);
  } catch {
    fail(
      `the binary for this platform (${platform}) comes in the optional dependency ${pkg}, ` +
        "which is not installed (npm skips an optional dependency installed with " +
        "--omit=optional, or one it could not fetch); install again without --omit=optional, " +
        `or add ${pkg} to your dependencies`,
    );
  }
  return path.join(path.dirname(manifest), "bin", "drizzle-drift");
}

const binary = binaryPath();
const child = spawn(binary, process.argv.slice(2), { stdio: "inherit" });

// A terminal's Ctrl-C or hang-up reaches the whole process group, the binary included:
// forwarding those would be a second signal, which makes it exit without cleaning up.
// SIGTERM is usually sent to this process alone (a CI runner, `kill`): pass it on.
const ignore = () => {};
process.on("SIGINT", ignore);
process.on("SIGHUP", ignore);
const forward = () => child.kill("SIGTERM");
process.on("SIGTERM", forward);

child.on("error", (err) => {
  fail(`cannot run ${binary}: ${err.message}`);
});
child.on("exit", (code, signal) => {
  if (signal) {
    process.removeListener("SIGINT", ignore);
    process.removeListener("SIGHUP", ignore);
    process.removeListener("SIGTERM", forward);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code === null ? 2 : code);
});
