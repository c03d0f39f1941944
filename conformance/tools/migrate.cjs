// Applies a project's migrations folder with drizzle-orm's real migrator (the version
// installed in --orm DIR) to a fresh database and prints what happened as one JSON line:
//   {"orm":"0.44.2","applied":11,"tables":23,"error":null}
//
// usage: node migrate.cjs --orm DIR --dialect postgresql|mysql --server URL --db NAME
//                         --folder DIR [--table T] [--schema S] [--setup FILE.sql]
//   --orm DIR      a folder whose node_modules holds drizzle-orm and pg / mysql2
//   --server URL   the server (admin) URL; NAME is created there, after dropping an old
//                  one of that name (only names starting with `corpus_` are accepted)
//   --setup FILE   statements run before migrating (what the project's environment
//                  provides: extensions, a Supabase `auth` schema…), separated by lines
//                  holding only `--> statement-breakpoint`
// The database is left in place for drizzle-drift to read; the caller drops it.
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const { createRequire } = require("node:module");

function args(argv) {
  const o = { table: "__drizzle_migrations", schema: "drizzle" };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, "");
    if (!["orm", "dialect", "server", "db", "folder", "table", "schema", "setup"].includes(k)) {
      throw new Error(`unknown option ${argv[i]}`);
    }
    o[k] = argv[i + 1];
  }
  for (const k of ["orm", "dialect", "server", "db", "folder"]) {
    if (!o[k]) throw new Error(`--${k} is required`);
  }
  if (!/^corpus_[a-z0-9_]+$/.test(o.db)) throw new Error(`--db must match corpus_[a-z0-9_]+`);
  return o;
}

function setupStatements(file) {
  if (!file) return [];
  return fs
    .readFileSync(file, "utf8")
    .split(/^--> statement-breakpoint$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}

function ormVersion(dir) {
  const file = path.join(path.resolve(dir), "node_modules", "drizzle-orm", "package.json");
  return JSON.parse(fs.readFileSync(file, "utf8")).version;
}

// Every 0.x takes the client itself (0.33.0's mysql2 driver takes nothing else); 1.0 only
// `{ client }`.
function makeDb(drizzle, client, version) {
  return version.startsWith("0.") ? drizzle(client) : drizzle({ client });
}

async function postgres(o, req, version) {
  const pg = req("pg");
  const { drizzle } = req("drizzle-orm/node-postgres");
  const { migrate } = req("drizzle-orm/node-postgres/migrator");
  const admin = new pg.Client({ connectionString: o.server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${o.db}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${o.db}"`);
  await admin.end();
  const url = new URL(o.server);
  url.pathname = `/${o.db}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const out = { orm: version, applied: 0, tables: 0, error: null };
  try {
    for (const s of setupStatements(o.setup)) await client.query(s);
    const db = makeDb(drizzle, client, version);
    try {
      await migrate(db, { migrationsFolder: path.resolve(o.folder), migrationsTable: o.table, migrationsSchema: o.schema });
    } catch (e) {
      out.error = errorText(e);
    }
    const t = await client.query(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog','information_schema') AND NOT (schemaname = $1 AND tablename = $2)`,
      [o.schema, o.table],
    );
    out.tables = t.rows[0].n;
    const a = await client
      .query(`SELECT count(*)::int AS n FROM "${o.schema}"."${o.table}"`)
      .catch(() => ({ rows: [{ n: 0 }] }));
    out.applied = a.rows[0].n;
  } finally {
    await client.end().catch(() => {});
  }
  return out;
}

async function mysql(o, req, version) {
  const my = req("mysql2/promise");
  const admin = await my.createConnection({ uri: o.server });
  await admin.query(`DROP DATABASE IF EXISTS \`${o.db}\``);
  await admin.query(`CREATE DATABASE \`${o.db}\``);
  await admin.end();
  const url = new URL(o.server);
  url.pathname = `/${o.db}`;
  const { drizzle } = req("drizzle-orm/mysql2");
  const { migrate } = req("drizzle-orm/mysql2/migrator");
  const client = await my.createConnection({ uri: url.toString() });
  const out = { orm: version, applied: 0, tables: 0, error: null };
  try {
    for (const s of setupStatements(o.setup)) await client.query(s);
    const db = makeDb(drizzle, client, version);
    try {
      await migrate(db, { migrationsFolder: path.resolve(o.folder), migrationsTable: o.table });
    } catch (e) {
      out.error = errorText(e);
    }
    const [t] = await client.query(
      `SELECT count(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME <> ?`,
      [o.db, o.table],
    );
    out.tables = Number(t[0].n);
    const [a] = await client.query(`SELECT count(*) AS n FROM \`${o.table}\``).catch(() => [[{ n: 0 }]]);
    out.applied = Number(a[0].n);
  } finally {
    await client.end().catch(() => {});
  }
  return out;
}

// The migrator wraps the server's error; the cause carries the server's message.
function errorText(e) {
  const parts = [];
  for (let x = e; x && parts.length < 4; x = x.cause) parts.push(String(x.message || x).split("\n")[0]);
  return parts.join(" <- ");
}

async function main() {
  const o = args(process.argv.slice(2));
  const req = createRequire(path.join(path.resolve(o.orm), "package.json"));
  const version = ormVersion(o.orm);
  const out = o.dialect === "mysql" ? await mysql(o, req, version) : await postgres(o, req, version);
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ orm: null, applied: 0, tables: 0, error: errorText(e) }) + "\n");
  process.exit(1);
});
