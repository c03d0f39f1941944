#!/usr/bin/env bash
# Times `check --targets` over a fleet of tenant databases on one throwaway PostgreSQL
# server: a template database of 20 tables, copied N times with CREATE DATABASE …
# TEMPLATE, one tenant changed by hand, then checked with --jobs 8. Prints wall time and
# peak resident memory for each fleet size.
#
#   bash scripts/bench-targets.sh            # 10, 100 and 1000 tenants
#   bash scripts/bench-targets.sh 50 500     # other sizes
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/servers.sh
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1000)

# No replica: it would replay every database the benchmark creates.
DRIZZLE_DRIFT_REPLICA=0 servers_start
cargo build --quiet --release --locked
bin=$PWD/target/release/drizzle-drift
work=$(mktemp -d)
trap 'rm -rf "$work"; servers_stop' EXIT
pg=$DRIZZLE_DRIFT_TEST_PG
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
base=${pg%/*}

# The project: a TypeScript schema of 20 tables and no migrations (drizzle-kit push),
# so the database is compared with the schema directly.
mkdir -p "$work/project/src"
{
  echo 'import { pgTable, serial, text, integer, timestamp } from "drizzle-orm/pg-core";'
  for i in $(seq -w 1 20); do
    echo "export const t$i = pgTable(\"t$i\", {"
    echo '  id: serial("id").primaryKey(),'
    echo '  name: text("name").notNull(),'
    echo '  ref: integer("ref"),'
    echo '  createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),'
    echo '});'
  done
} >"$work/project/src/schema.ts"
cat >"$work/project/drizzle.config.ts" <<'TS'
import { defineConfig } from "drizzle-kit";
export default defineConfig({ dialect: "postgresql", schema: "./src/schema.ts", out: "./drizzle" });
TS

psql "$pg" -c "CREATE DATABASE bench_template"
for i in $(seq -w 1 20); do
  echo "CREATE TABLE t$i (id serial PRIMARY KEY, name text NOT NULL, ref integer, created_at timestamp with time zone DEFAULT now() NOT NULL);"
done | psql "$base/bench_template"

made=0
for n in "${sizes[@]}"; do
  : >"$work/create.sql"
  while [ "$made" -lt "$n" ]; do
    made=$((made + 1))
    printf 'CREATE DATABASE bench_tenant_%04d TEMPLATE bench_template;\n' "$made" >>"$work/create.sql"
  done
  started=$(date +%s)
  psql "$pg" -f "$work/create.sql"
  echo "(created tenants up to $n in $(( $(date +%s) - started )) s)" >&2
  psql "$base/bench_tenant_0001" -c "ALTER TABLE t01 ADD COLUMN IF NOT EXISTS nickname text"
  : >"$work/targets.txt"
  for i in $(seq 1 "$n"); do
    printf 'tenant_%04d %s/bench_tenant_%04d\n' "$i" "$base" "$i" >>"$work/targets.txt"
  done
  cd "$work/project"
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" check --targets "$work/targets.txt" --jobs 8 \
    >"$work/report.txt" 2>/dev/null || true
  cd - >/dev/null
  # The last line: a failing exit adds "Command exited with non-zero status 1" above it.
  read -r secs kb < <(tail -1 "$work/time.txt")
  line=$(grep -m1 '^targets:' "$work/report.txt" || true)
  printf '%5d targets: %6.2f s, peak RSS %4d MB   %s\n' "$n" "$secs" $((kb / 1024)) "$line"
done
