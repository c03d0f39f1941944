// drizzle-drift --ts-engine node: the project's own drizzle-kit turns its own schema files
// into a snapshot (generateDrizzleJson), exactly as `drizzle-kit generate` would.
// usage: node node_engine.cjs <project root> <postgresql|mysql> <casing|-> <file>...
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

async function main() {
  const [root, dialect, casingArg, ...files] = process.argv.slice(2);
  const casing = casingArg === "-" ? undefined : casingArg;
  const req = createRequire(path.join(path.resolve(root), "package.json"));
  // drizzle-kit's package.json is not in its "exports": find it on the lookup path.
  const kitDir = (req.resolve.paths("drizzle-kit") || [])
    .map((dir) => path.join(dir, "drizzle-kit"))
    .find((dir) => fs.existsSync(path.join(dir, "package.json")));
  if (!kitDir) {
    throw new Error(`drizzle-kit is not installed in ${root} (run npm install there, or use --ts-engine static)`);
  }
  const kit = JSON.parse(fs.readFileSync(path.join(kitDir, "package.json"), "utf8"));
  // TypeScript: drizzle-kit itself loads schema files through tsx.
  const kitReq = createRequire(path.join(kitDir, "package.json"));
  let tsx;
  for (const r of [req, kitReq]) {
    try {
      tsx = r("tsx/cjs/api");
      break;
    } catch {}
  }
  if (!tsx) throw new Error("tsx (a dependency of drizzle-kit) was not found: cannot load .ts schema files");
  tsx.register();
  const imports = {};
  for (const file of files) Object.assign(imports, require(path.resolve(file)));
  let snapshot;
  if (kit.version.startsWith("0.")) {
    const api = req("drizzle-kit/api");
    snapshot =
      dialect === "mysql"
        ? await api.generateMySQLDrizzleJson(imports, undefined, casing)
        : await api.generateDrizzleJson(imports, undefined, undefined, casing);
  } else {
    const api = req(dialect === "mysql" ? "drizzle-kit/api-mysql" : "drizzle-kit/api-postgres");
    snapshot = await api.generateDrizzleJson(imports);
  }
  process.stdout.write(JSON.stringify({ kit: kit.version, snapshot }));
}

main().catch((e) => {
  process.stderr.write(String((e && e.message) || e));
  process.exit(1);
});
