#!/usr/bin/env bash
# drizzle-drift side by side with `drizzle-kit pull` on the same generated PostgreSQL
# database (the generator of examples/bench_catalog.rs: N tables x 16 columns, 3 indexes,
# 2 foreign keys, 2 checks each, 20 enums). One command:
#
#     bash scripts/bench-vs-drizzle-kit.sh
#
# It starts throwaway servers (scripts/lib/servers.sh) unless DRIZZLE_DRIFT_TEST_PG is set
# (then that server is used; it must be on 127.0.0.1/localhost), builds the release binary,
# creates one database of 5,000 tables and one of 500, times
#   drizzle-drift inspect --source live   and   drizzle-drift check   (both sizes),
#   drizzle-kit pull 0.31.11 (500 tables) and 1.0.0-rc.5 (500; 5,000 if that looks
#   like it takes under BENCH_DK1_BIG_BUDGET seconds),
# measures peak RSS, counts the transactions each tool makes on the server, and prints a
# Markdown table (also written to target/bench-vs-drizzle-kit.md). Everything it creates
# (the two databases, one temp folder) is removed on exit, Ctrl-C included.
#
# drizzle-kit comes from benches/drizzle-kit/v0 and v1 (`npm ci` is run there when their
# node_modules is missing or holds another version; the npm registry is needed then).
# Timings use hyperfine when installed (as root it is installed with apt-get), else a loop
# of `date +%s%N`.
#
# Knobs (environment): BENCH_TABLES_BIG=5000 BENCH_TABLES_SMALL=500 BENCH_RUNS=10
# (drizzle-drift runs) BENCH_DK0_RUNS=1 BENCH_DK1_RUNS=3 BENCH_DK_TIMEOUT=900 (seconds,
# per drizzle-kit run) BENCH_DK1_BIG_BUDGET=120.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TABLES_BIG=${BENCH_TABLES_BIG:-5000}
TABLES_SMALL=${BENCH_TABLES_SMALL:-500}
RUNS=${BENCH_RUNS:-10}
DK0_RUNS=${BENCH_DK0_RUNS:-1}
DK1_RUNS=${BENCH_DK1_RUNS:-3}
DK_TIMEOUT=${BENCH_DK_TIMEOUT:-900}
DK1_BIG_BUDGET=${BENCH_DK1_BIG_BUDGET:-120}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
REPORT=$TARGET/bench-vs-drizzle-kit.md

say() { printf '%s\n' "$*" >&2; }
die() { say "bench-vs-drizzle-kit: $*"; exit 1; }

started_servers=""
work=""
BENCH_CATALOG=""

db_name() { local n=${1%%\?*}; printf '%s' "${n##*/}"; }

cleanup() {
  local status=$? f url
  trap - EXIT INT TERM
  if [ -n "$work" ]; then
    # Exactly the databases bench_catalog reported creating (one URL file per database).
    for f in "$work"/create-*.url; do
      [ -f "$f" ] || continue
      url=$(head -n 1 "$f")
      [ -n "$url" ] || continue
      "$BENCH_CATALOG" --drop "$(db_name "$url")" || say "could not drop database $(db_name "$url")"
    done
    rm -rf "$work"
  fi
  if [ -n "$started_servers" ]; then servers_stop; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- server -------------------------------------------------------------------------------
if [ -z "${DRIZZLE_DRIFT_TEST_PG:-}" ]; then
  # shellcheck source=lib/servers.sh
  . "$ROOT/scripts/lib/servers.sh"
  servers_start
  started_servers=1
  trap cleanup EXIT            # servers_start installed its own; ours stops them too
  trap 'exit 130' INT TERM
  [ -n "${DRIZZLE_DRIFT_TEST_PG:-}" ] || die "no PostgreSQL server could be started"
fi
host=$(python3 -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1]).hostname or "")' \
  "$DRIZZLE_DRIFT_TEST_PG")
case "$host" in
  127.0.0.1 | localhost) ;;
  *) die "DRIZZLE_DRIFT_TEST_PG must point at 127.0.0.1 (it points at '$host')" ;;
esac
export DRIZZLE_DRIFT_TEST_PG
command -v psql >/dev/null || die "psql is needed (apt-get install postgresql-client)"

# --- tools ----------------------------------------------------------------------------------
apt_install() {
  [ "$(id -u)" = 0 ] || return 1
  say "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; }
}
command -v hyperfine >/dev/null || apt_install hyperfine || say "hyperfine unavailable: timing with a shell loop"
[ -x /usr/bin/time ] || apt_install time || die "/usr/bin/time is needed for peak RSS (apt-get install time)"
HYPERFINE=$(command -v hyperfine || true)

say "building the release binary"
cargo build --quiet --release --bin drizzle-drift --example bench_catalog
DRIFT=$TARGET/release/drizzle-drift
BENCH_CATALOG=$TARGET/release/examples/bench_catalog

npm_ready() { # folder, version expected of drizzle-kit
  local dir=$ROOT/benches/drizzle-kit/$1 have=""
  if [ -f "$dir/node_modules/drizzle-kit/package.json" ]; then
    have=$(node -p 'require(process.argv[1]).version' "$dir/node_modules/drizzle-kit/package.json")
  fi
  if [ "$have" != "$2" ]; then
    say "npm ci in benches/drizzle-kit/$1"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}
DK0_VERSION=$(node -p 'require(process.argv[1]).dependencies["drizzle-kit"]' "$ROOT/benches/drizzle-kit/v0/package.json")
DK1_VERSION=$(node -p 'require(process.argv[1]).dependencies["drizzle-kit"]' "$ROOT/benches/drizzle-kit/v1/package.json")
npm_ready v0 "$DK0_VERSION"
npm_ready v1 "$DK1_VERSION"

work=$(mktemp -d "${TMPDIR:-/tmp}/drizzle-drift-bench.XXXXXX")

# --- databases ------------------------------------------------------------------------------
make_db() { # tables -> prints the URL
  # bench_catalog prints the URL as soon as the database exists, so cleanup drops a
  # database whose build was interrupted too.
  local out=$work/create-$1.url
  "$BENCH_CATALOG" --create-only --tables "$1" >"$out" || die "building the $1-table database failed"
  head -n 1 "$out"
}
say "creating the ${TABLES_BIG}-table database"
URL_BIG=$(make_db "$TABLES_BIG")
say "creating the ${TABLES_SMALL}-table database"
URL_SMALL=$(make_db "$TABLES_SMALL")

# Transactions the server counted on a database: a proxy for the number of queries of a
# tool that sends each query on its own (drizzle-kit); drizzle-drift sends all of its
# queries in one transaction, so for it this is 1-2.
xacts() { # database name
  psql -X -At "$DRIZZLE_DRIFT_TEST_PG" \
    -c 'SELECT pg_stat_clear_snapshot()' \
    -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$1'" | tail -n 1
}

# --- measuring --------------------------------------------------------------------------------
ROWS=$work/rows.md
: >"$ROWS"
row() { printf '| %s |\n' "$*" >>"$ROWS"; }
MEDIANS=$work/medians.tsv
: >"$MEDIANS"
keep_median() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$MEDIANS"; } # label tables seconds
median_of() { # label tables -> seconds
  awk -F'\t' -v l="$1" -v t="$2" '$1 == l && $2 == t { print $3; exit }' "$MEDIANS"
}
fmt_s() { python3 -c 'import sys; v=float(sys.argv[1]); print(f"{v*1000:.0f} ms" if v < 10 else f"{v:.1f} s")' "$1"; }

stats_of() { # file of seconds, one a line -> "runs min median"
  python3 - "$1" <<'EOF'
import statistics, sys
v = sorted(float(x) for x in open(sys.argv[1]) if x.strip())
print(len(v), v[0], statistics.median(v))
EOF
}

# time_fast LABEL TABLES DIR OK_STATUS CMD... : many runs of a quick command.
time_fast() {
  local label=$1 tables=$2 dir=$3 ok=$4; shift 4
  local times=$work/times.txt status=0
  (cd "$dir" && "$@" >/dev/null 2>"$work/stderr.txt") || status=$?
  if [ "$status" -gt "$ok" ]; then
    sed 's/^/  /' "$work/stderr.txt" >&2
    row "$label | $tables | 0 | — | — | — | — | failed with status $status"
    return
  fi
  if [ -n "$HYPERFINE" ]; then
    local ignore=()
    [ "$ok" = 0 ] || ignore=(-i)
    (cd "$dir" && "$HYPERFINE" -N "${ignore[@]}" --style basic --warmup 2 --runs "$RUNS" \
      --export-json "$work/hf.json" -- "$(printf '%q ' "$@")" >&2)
    python3 -c 'import json,sys; [print(t) for t in json.load(open(sys.argv[1]))["results"][0]["times"]]' \
      "$work/hf.json" >"$times"
  else
    : >"$times"
    (cd "$dir" && "$@" >/dev/null 2>&1) || true
    for _ in $(seq 1 "$RUNS"); do
      local t0 t1
      t0=$(date +%s%N)
      (cd "$dir" && "$@" >/dev/null 2>&1) || true
      t1=$(date +%s%N)
      echo "$(( t1 - t0 ))e-9" >>"$times"
    done
  fi
  local before after rss
  read -r n min med < <(stats_of "$times")
  before=$(xacts "$CURRENT_DB")
  (cd "$dir" && /usr/bin/time -f %M -o "$work/rss.txt" "$@" >/dev/null 2>&1) || true
  after=$(xacts "$CURRENT_DB")
  rss=$(( $(tail -n 1 "$work/rss.txt") / 1024 ))
  row "$label | $tables | $n | $(fmt_s "$min") | $(fmt_s "$med") | $rss MB | $(( after - before )) | $NOTE"
  keep_median "$label" "$tables" "$med"
  say "  $label, $tables tables: median $(fmt_s "$med"), min $(fmt_s "$min"), $rss MB"
}

# time_pull LABEL TABLES RUNS KIT_DIR URL : drizzle-kit pull, each run in a fresh folder,
# under a timeout; sets DK_MED to the median seconds (empty when a run failed).
time_pull() {
  DK_MED=""
  local label=$1 tables=$2 runs=$3 kit=$ROOT/benches/drizzle-kit/$4 url=$5
  local times=$work/pull-times.txt rss_max=0 xact="" note="" i
  : >"$times"
  for i in $(seq 1 "$runs"); do
    local dir=$work/pull-$4-$tables-$i
    mkdir -p "$dir"
    printf 'export default {\n  dialect: "postgresql",\n  out: "./out",\n  schemaFilter: ["public"],\n  dbCredentials: { url: %s },\n};\n' \
      "$(node -p 'JSON.stringify(process.argv[1])' "$url")" >"$dir/drizzle.config.ts"
    local before after t0 t1 status=0
    before=$(xacts "$CURRENT_DB")
    say "  $label on $tables tables, run $i/$runs (timeout ${DK_TIMEOUT}s)"
    t0=$(date +%s%N)
    (cd "$dir" && /usr/bin/time -f %M -o "$dir/rss.txt" \
      timeout --kill-after=10 "$DK_TIMEOUT" node "$kit/node_modules/drizzle-kit/bin.cjs" pull \
      --config drizzle.config.ts </dev/null >"$dir/log.txt" 2>&1) || status=$?
    t1=$(date +%s%N)
    after=$(xacts "$CURRENT_DB")
    local secs; secs=$(python3 -c "print(($t1 - $t0) / 1e9)")
    if [ "$status" = 124 ] || [ "$status" = 137 ]; then
      note="timed out after ${DK_TIMEOUT} s (lower bound)"
      row "$label | $tables | $i | > $(fmt_s "$secs") | > $(fmt_s "$secs") | — | ≥ $(( after - before )) | $note"
      say "  timed out after $(fmt_s "$secs") ($(( after - before )) transactions so far)"
      return
    fi
    local found=0
    [ -f "$dir/out/schema.ts" ] && found=$(grep -c 'pgTable(' "$dir/out/schema.ts" || true)
    if [ "$status" != 0 ] || [ "$found" != "$tables" ]; then
      tail -n 20 "$dir/log.txt" | sed 's/^/    /' >&2
      row "$label | $tables | $i | — | — | — | $(( after - before )) | failed: status $status, $found of $tables tables in schema.ts"
      return
    fi
    echo "$secs" >>"$times"
    local rss; rss=$(( $(tail -n 1 "$dir/rss.txt") / 1024 ))
    [ "$rss" -gt "$rss_max" ] && rss_max=$rss
    xact=$(( after - before ))
    say "  $(fmt_s "$secs"), $rss MB, $xact transactions"
    rm -rf "$dir"
  done
  read -r n min med < <(stats_of "$times")
  row "$label | $tables | $n | $(fmt_s "$min") | $(fmt_s "$med") | $rss_max MB | $xact | schema.ts has all $tables tables"
  DK_MED=$med
  keep_median "$label" "$tables" "$med"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
pg_version=$(psql -X -At "$DRIZZLE_DRIFT_TEST_PG" -c 'SHOW server_version')

drift_dir=$work/drift
mkdir -p "$drift_dir/drizzle"
printf '{ "dialect": "postgresql", "schemaFilter": ["public"], "out": "./drizzle" }\n' \
  >"$drift_dir/drizzle.config.json"

for size in big small; do
  if [ "$size" = big ]; then url=$URL_BIG; tables=$TABLES_BIG; else url=$URL_SMALL; tables=$TABLES_SMALL; fi
  CURRENT_DB=$(db_name "$url")
  say "drizzle-drift on $tables tables"
  NOTE="JSON model on stdout"
  time_fast "drizzle-drift inspect --source live" "$tables" "$drift_dir" 0 \
    "$DRIFT" inspect --source live --url "$url"
  NOTE="empty migrations folder: every object is reported as drift (exit 1)"
  time_fast "drizzle-drift check" "$tables" "$drift_dir" 1 \
    "$DRIFT" check --url "$url" --color never
done

CURRENT_DB=$(db_name "$URL_SMALL")
say "drizzle-kit pull $DK0_VERSION"
time_pull "drizzle-kit $DK0_VERSION pull" "$TABLES_SMALL" "$DK0_RUNS" v0 "$URL_SMALL"
dk0_med=$DK_MED
say "drizzle-kit pull $DK1_VERSION"
time_pull "drizzle-kit $DK1_VERSION pull" "$TABLES_SMALL" "$DK1_RUNS" v1 "$URL_SMALL"
dk1_med=$DK_MED
if [ -n "$dk1_med" ]; then
  estimate=$(python3 -c "print(int($dk1_med * $TABLES_BIG / $TABLES_SMALL))")
  if [ "$estimate" -le "$DK1_BIG_BUDGET" ]; then
    CURRENT_DB=$(db_name "$URL_BIG")
    time_pull "drizzle-kit $DK1_VERSION pull" "$TABLES_BIG" 1 v1 "$URL_BIG"
  else
    row "drizzle-kit $DK1_VERSION pull | $TABLES_BIG | 0 | — | — | — | — | not run: about $estimate s expected from the $TABLES_SMALL-table runs (budget ${DK1_BIG_BUDGET} s)"
  fi
fi
if [ -n "$dk0_med" ]; then
  row "drizzle-kit $DK0_VERSION pull | $TABLES_BIG | 0 | — | — | — | — | not run: $(fmt_s "$dk0_med") at $TABLES_SMALL tables with a few queries per table; hangs are reported from ~900 tables"
fi

# The catalog read alone, in process (no process start, no output): the number the
# performance budget of DESIGN.md is about, with its query count.
say "drizzle-drift catalog read in process (bench_catalog --existing)"
"$BENCH_CATALOG" --existing "$URL_BIG" --iterations "$RUNS" >"$work/in-process.txt"
read -r n queries min med < <(python3 - "$work/in-process.txt" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"read\(\): (\d+) iterations, (\d+) queries each.*?min ([\d.]+) ms, median ([\d.]+) ms", text)
print(*(m.groups() if m else ("0", "?", "nan", "nan")))
EOF
)
row "drizzle-drift catalog read, in process (examples/bench_catalog.rs) | $TABLES_BIG | $n | $(fmt_s "$(python3 -c "print($min / 1000)")") | $(fmt_s "$(python3 -c "print($med / 1000)")") | — | 1 | $queries queries in one transaction"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report -------------------------------------------------------------------------------------
ratio() { # numerator-label denominator-label tables -> "N×" or nothing
  local a b
  a=$(median_of "$1" "$3"); b=$(median_of "$2" "$3")
  [ -n "$a" ] && [ -n "$b" ] || return 0
  python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.0f}×")' "$a" "$b"
}
{
  echo "## drizzle-drift vs drizzle-kit pull"
  echo
  echo "Generated catalog (examples/bench_catalog.rs): N tables × 16 columns, 3 indexes, 2 foreign"
  echo "keys and 2 checks each, 20 enums; PostgreSQL $pg_version on 127.0.0.1; $(nproc) cores;"
  echo "load average $load_before before, $load_after after. $(date -u +%Y-%m-%d)."
  echo "Timings are wall-clock of the whole command (process start, connect, read, output)."
  echo
  echo "| tool | tables | runs | min | median | peak RSS | server transactions / run | notes |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  cat "$ROWS"
  echo
  drift="drizzle-drift inspect --source live"
  for t in "$TABLES_SMALL" "$TABLES_BIG"; do
    for kit in "$DK0_VERSION" "$DK1_VERSION"; do
      r=$(ratio "drizzle-kit $kit pull" "$drift" "$t")
      [ -z "$r" ] || echo "- $t tables: drizzle-kit $kit pull takes $r the time of \`$drift\` (medians)."
    done
  done
  echo
  echo "drizzle-drift reads the catalog in one READ ONLY transaction with a fixed number of"
  echo "queries; drizzle-kit sends its queries one by one (one server transaction each)."
} | tee "$REPORT"
say "written to $REPORT"
