// drizzle-drift --ts-engine node: the project's own drizzle-kit turns its own schema files
// into a snapshot (generateDrizzleJson), exactly as `drizzle-kit generate` would.
// usage: node node_engine.cjs <project root> <postgresql|mysql> <casing|-> <file>...
// (node_kit.cjs comes first: findKit, tsLoader)

async function main() {
  const [root, dialect, casingArg, ...files] = process.argv.slice(2);
  const casing = casingArg === "-" ? undefined : casingArg;
  const req = createRequire(path.join(path.resolve(root), "package.json"));
  const kit = findKit(req);
  if (!kit) {
    throw new Error(`drizzle-kit is not installed in ${root} (run npm install there, or use --ts-engine static)`);
  }
  const load = tsLoader(req, kit, path.resolve(root));
  const imports = {};
  for (const file of files) Object.assign(imports, await load(path.resolve(file)));
  let snapshot;
  if (kit.version.startsWith("0.")) {
    const api = req("drizzle-kit/api");
    snapshot =
      dialect === "mysql"
        ? await api.generateMySQLDrizzleJson(imports, undefined, casing)
        : await api.generateDrizzleJson(imports, undefined, undefined, casing);
  } else {
    const module = dialect === "mysql" ? "drizzle-kit/api-mysql" : "drizzle-kit/api-postgres";
    const api = req(module);
    if (typeof api.generateDrizzleJson !== "function") {
      throw new Error(`${module} of drizzle-kit ${kit.version} exports no generateDrizzleJson: use --ts-engine static`);
    }
    snapshot = await api.generateDrizzleJson(imports);
  }
  process.stdout.write(JSON.stringify({ kit: kit.version, snapshot }));
}

main().catch((e) => {
  process.stderr.write(String((e && e.message) || e));
  process.exit(1);
});
