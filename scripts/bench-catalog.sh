#!/bin/sh
# Times the live PostgreSQL catalog reader on a generated database of 5,000 tables x 16
# columns (see examples/bench_catalog.rs). Needs DRIZZLE_DRIFT_TEST_PG; extra arguments
# go to the benchmark (--tables N, --iterations N, --sslmode MODE).
set -eu
: "${DRIZZLE_DRIFT_TEST_PG:?set DRIZZLE_DRIFT_TEST_PG to a PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432/postgres}"
cd "$(dirname "$0")/.."
exec cargo run --quiet --release --example bench_catalog -- "$@"
