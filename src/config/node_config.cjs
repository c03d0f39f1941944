// drizzle-drift: the config evaluated by Node, loaded the way drizzle-kit loads it (its
// own tsx, CommonJS, `default ?? module.exports`), printed as JSON.
// usage: node node_config.cjs <config file>
// (node_kit.cjs comes first: findKit, tsLoader)

async function main() {
  const file = path.resolve(process.argv[2]);
  const req = createRequire(file);
  const kit = findKit(req);
  if (!kit) throw new Error(`drizzle-kit is not installed for ${file}`);
  const load = tsLoader(req, kit, path.dirname(file));
  const loaded = await load(file);
  const config = await (loaded.default ?? loaded);
  process.stdout.write(JSON.stringify({ kit: kit.version, config }));
}

main().catch((e) => {
  process.stderr.write(String((e && e.message) || e));
  process.exit(1);
});
