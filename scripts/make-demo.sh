#!/usr/bin/env bash
# Rebuilds assets/demo/catalog.json: the captured catalog of a database where the demo
# project's first three migrations were applied with drizzle-orm's real migrator, the
# fourth is pending, and a column was added by hand (as `drizzle-kit push` would).
#
#   bash scripts/make-demo.sh
#
# Needs node + npm (drizzle-orm is installed from tests/fixtures/tools' lockfile).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/lib/servers.sh
servers_start

tools=$root/tests/fixtures/tools
[ -d "$tools/node_modules" ] || (cd "$tools" && npm ci --no-audit --no-fund >/dev/null)

work=$(mktemp -d)
trap 'rm -rf "$work"; servers_stop' EXIT
cp -r assets/demo/project/drizzle "$work/drizzle"
# An older checkout: the journal as it was before the fourth migration.
node -e '
  const fs = require("fs"); const p = process.argv[1];
  const j = JSON.parse(fs.readFileSync(p, "utf8")); j.entries = j.entries.slice(0, 3);
  fs.writeFileSync(p, JSON.stringify(j, null, 2));' "$work/drizzle/meta/_journal.json"

db_url="${DRIZZLE_DRIFT_TEST_PG%/*}/demo"
psql "$DRIZZLE_DRIFT_TEST_PG" -q -c 'CREATE DATABASE demo'
NODE_PATH=$tools/node_modules node -e '
  const pg = require("pg");
  const { drizzle } = require("drizzle-orm/node-postgres");
  const { migrate } = require("drizzle-orm/node-postgres/migrator");
  (async () => {
    const client = new pg.Client({ connectionString: process.argv[1] });
    await client.connect();
    await migrate(drizzle({ client }), { migrationsFolder: process.argv[2] });
    await client.end();
  })().catch((e) => { console.error(e); process.exit(1); });' "$db_url" "$work/drizzle"

# The hand change: someone ran `drizzle-kit push` from a branch that added a column.
psql "$db_url" -q -c 'ALTER TABLE users ADD COLUMN nickname varchar(64)'

cargo build --release --quiet
(cd assets/demo/project && "$root/target/release/drizzle-drift" capture --url "$db_url" -o ../catalog.json)
