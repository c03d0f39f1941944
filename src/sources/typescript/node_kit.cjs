// drizzle-drift: what both Node helpers (node_config.cjs, node_engine.cjs) start with — the
// project's drizzle-kit, and a loader of TypeScript files as drizzle-kit loads them.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

// drizzle-kit as `req` (a require from the project) finds it: its folder, version and a
// require from inside it. Its package.json is not in its "exports": found on the lookup path.
function findKit(req) {
  const dir = (req.resolve.paths("drizzle-kit") || [])
    .map((d) => path.join(d, "drizzle-kit"))
    .find((d) => fs.existsSync(path.join(d, "package.json")));
  if (!dir) return null;
  const pkg = path.join(dir, "package.json");
  return { dir, version: JSON.parse(fs.readFileSync(pkg, "utf8")).version, req: createRequire(pkg) };
}

// `file => Promise<module>` for .ts files. drizzle-kit 0.x registers tsx (its dependency) and
// requires them; 1.0 imports them with jiti, which it bundles where nothing else can reach it,
// so the project's own jiti (or tsx) stands in.
function tsLoader(req, kit, baseDir) {
  const tsx = () => {
    for (const r of [req, kit.req]) {
      try {
        r("tsx/cjs/api").register();
        return async (file) => require(file);
      } catch {}
    }
  };
  const jiti = () => {
    for (const r of [req, kit.req]) {
      try {
        const j = r("jiti").createJiti(baseDir, { interopDefault: true, requireCache: false });
        return (file) => j.import(file);
      } catch {}
    }
  };
  const v0 = kit.version.startsWith("0.");
  const load = v0 ? tsx() || jiti() : jiti() || tsx();
  if (load) return load;
  throw new Error(
    v0
      ? "tsx (a dependency of drizzle-kit) was not found: cannot load .ts files"
      : `drizzle-kit ${kit.version} loads .ts files with a jiti bundled inside it, which cannot be used from outside: add jiti (or tsx) to the project's devDependencies for --ts-engine node`,
  );
}
