// drizzle-drift: the config evaluated by Node, loaded the way drizzle-kit loads it (its
// own tsx, CommonJS, `default ?? module.exports`), printed as JSON.
// usage: node node_config.cjs <config file>
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

async function main() {
  const file = path.resolve(process.argv[2]);
  const req = createRequire(file);
  const kitDir = (req.resolve.paths("drizzle-kit") || [])
    .map((dir) => path.join(dir, "drizzle-kit"))
    .find((dir) => fs.existsSync(path.join(dir, "package.json")));
  if (!kitDir) throw new Error(`drizzle-kit is not installed for ${file}`);
  const kit = JSON.parse(fs.readFileSync(path.join(kitDir, "package.json"), "utf8"));
  const kitReq = createRequire(path.join(kitDir, "package.json"));
  let tsx;
  for (const r of [req, kitReq]) {
    try {
      tsx = r("tsx/cjs/api");
      break;
    } catch {}
  }
  if (!tsx) throw new Error("tsx (a dependency of drizzle-kit) was not found");
  tsx.register();
  const loaded = require(file);
  const config = await (loaded.default ?? loaded);
  process.stdout.write(JSON.stringify({ kit: kit.version, config }));
}

main().catch((e) => {
  process.stderr.write(String((e && e.message) || e));
  process.exit(1);
});
