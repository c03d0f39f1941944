#!/usr/bin/env bash
# Rebuilds tests/fixtures/targets/{primary,replica}.json: catalogs captured from a real
# primary and its real streaming replica, for the explorer's several-database tests. The
# demo project's first two migrations are applied with drizzle-orm's real migrator and
# reach the replica; replay is paused there; the last two are applied on the primary.
# So the primary is at 0003_project_slugs and the replica, lagging with replay paused,
# at 0001_projects. (assets/demo/catalog.json, from scripts/make-demo.sh, is a third
# database: 0002 applied and a column added by hand.)
#
#   bash scripts/make-targets-demo.sh
#
# Needs node + npm (drizzle-orm is installed from tests/fixtures/tools' lockfile).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/lib/servers.sh
servers_start
[ -n "${DRIZZLE_DRIFT_TEST_PG_REPLICA:-}" ] || { echo "no streaming replica started" >&2; exit 1; }

tools=$root/tests/fixtures/tools
[ -d "$tools/node_modules" ] || (cd "$tools" && npm ci --no-audit --no-fund >/dev/null)

work=$(mktemp -d)
trap 'psql "$DRIZZLE_DRIFT_TEST_PG_REPLICA" -q -c "SELECT pg_wal_replay_resume()" >/dev/null 2>&1 || true; rm -rf "$work"; servers_stop' EXIT

# Apply the demo's first $1 migrations (an older checkout's journal) to database $2.
migrate() {
  rm -rf "$work/drizzle"
  cp -r assets/demo/project/drizzle "$work/drizzle"
  node -e '
    const fs = require("fs"); const p = process.argv[1]; const n = Number(process.argv[2]);
    const j = JSON.parse(fs.readFileSync(p, "utf8")); j.entries = j.entries.slice(0, n);
    fs.writeFileSync(p, JSON.stringify(j, null, 2));' "$work/drizzle/meta/_journal.json" "$1"
  NODE_PATH=$tools/node_modules node -e '
    const pg = require("pg");
    const { drizzle } = require("drizzle-orm/node-postgres");
    const { migrate } = require("drizzle-orm/node-postgres/migrator");
    (async () => {
      const client = new pg.Client({ connectionString: process.argv[1] });
      await client.connect();
      await migrate(drizzle({ client }), { migrationsFolder: process.argv[2] });
      await client.end();
    })().catch((e) => { console.error(e); process.exit(1); });' "$2" "$work/drizzle"
}

primary_url="${DRIZZLE_DRIFT_TEST_PG%/*}/fleet"
replica_url="${DRIZZLE_DRIFT_TEST_PG_REPLICA%/*}/fleet"
psql "$DRIZZLE_DRIFT_TEST_PG" -q -c 'CREATE DATABASE fleet'
migrate 2 "$primary_url"
for _ in $(seq 1 600); do
  n=$(psql "$replica_url" -tAq -c 'SELECT count(*) FROM drizzle.__drizzle_migrations' 2>/dev/null || true)
  [ "$n" = 2 ] && break
  sleep 0.1
done
[ "$n" = 2 ] || { echo "the replica never replayed the first migrations" >&2; exit 1; }
psql "$DRIZZLE_DRIFT_TEST_PG_REPLICA" -q -c 'SELECT pg_wal_replay_pause()' >/dev/null
migrate 4 "$primary_url"
sleep 2

cargo build --quiet
mkdir -p tests/fixtures/targets
(cd assets/demo/project &&
  "$root/target/debug/drizzle-drift" capture --url "$primary_url" -o "$root/tests/fixtures/targets/primary.json" &&
  "$root/target/debug/drizzle-drift" capture --url "$replica_url" -o "$root/tests/fixtures/targets/replica.json")
