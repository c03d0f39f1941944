#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, starts throwaway
# PostgreSQL and MariaDB servers on free loopback ports in a temporary directory, runs
# fmt, clippy and every test against them, and stops the servers on exit.
#
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -- NAME    # only tests whose name contains NAME
#
# The servers' admin URLs reach the tests as DRIZZLE_DRIFT_TEST_PG and
# DRIZZLE_DRIFT_TEST_MYSQL. Each test creates (and drops) its own database on them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/servers.sh

filter=()
if [ "${1:-}" = "--" ]; then shift; filter=("$@"); fi

servers_start

# The --ts-engine node tests run the project's own drizzle-kit: install the pinned ones
# (0.x in tools, 1.0 with jiti in tools-v1).
for tools in tests/fixtures/tools tests/fixtures/tools-v1; do
  if [ ! -d "$tools/node_modules" ] && command -v npm >/dev/null; then
    echo "== npm ci in $tools (drizzle-kit for the --ts-engine node tests)"
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error) || echo "npm ci in $tools failed" >&2
  fi
done

export INSTA_UPDATE=no
export RUST_BACKTRACE=1
if [ ${#filter[@]} -eq 0 ]; then
  echo "== cargo fmt --check"
  cargo fmt --all -- --check
  echo "== cargo clippy"
  cargo clippy --all-targets --locked -- -D warnings
fi
echo "== cargo test"
log=$(mktemp)
status=0
cargo test --locked --all-targets "${filter[@]}" 2>&1 | tee "$log" || status=$?
# One closing line for the whole suite (cargo prints one per test binary).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
exit "$status"
