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

export INSTA_UPDATE=no
export RUST_BACKTRACE=1
if [ ${#filter[@]} -eq 0 ]; then
  echo "== cargo fmt --check"
  cargo fmt --all -- --check
  echo "== cargo clippy"
  cargo clippy --all-targets --locked -- -D warnings
fi
echo "== cargo test"
cargo test --locked --all-targets "${filter[@]}"
cargo test --locked --doc
