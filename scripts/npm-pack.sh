#!/usr/bin/env bash
# The npm packages, as tarballs ready for `npm publish` (or `npm install ./x.tgz`):
#   drizzle-drift-VERSION.tgz            the launcher (npm/drizzle-drift), whose bin runs…
#   drizzle-drift-linux-x64-VERSION.tgz  …the prebuilt binary (npm/platforms/linux-x64),
#                                        an optional dependency npm installs only on Linux x64
#
#   bash scripts/npm-pack.sh OUTDIR
#
# Builds the release binary first (`cargo build --release --locked`). To pack a binary
# built already, name it: DRIZZLE_DRIFT_BINARY=target/debug/drizzle-drift (the tests do,
# so they need not wait for a release build). The packages' versions must be Cargo.toml's.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

if [ $# -ne 1 ]; then
  echo "usage: bash scripts/npm-pack.sh OUTDIR" >&2
  exit 2
fi
command -v npm >/dev/null || { echo "npm-pack.sh: npm is not installed" >&2; exit 2; }
mkdir -p "$1"
out="$(cd "$1" && pwd)"

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/Cargo.toml" | head -n 1)
for manifest in "$here/npm/drizzle-drift/package.json" "$here/npm/platforms/linux-x64/package.json"; do
  v=$(node -p 'require(process.argv[1]).version' "$manifest")
  if [ "$v" != "$version" ]; then
    echo "npm-pack.sh: $manifest has version $v, Cargo.toml $version: make them the same" >&2
    exit 2
  fi
done
dep=$(node -p 'require(process.argv[1]).optionalDependencies["drizzle-drift-linux-x64"]' \
  "$here/npm/drizzle-drift/package.json")
if [ "$dep" != "$version" ]; then
  echo "npm-pack.sh: npm/drizzle-drift/package.json wants drizzle-drift-linux-x64 $dep, not $version" >&2
  exit 2
fi

binary="${DRIZZLE_DRIFT_BINARY:-}"
if [ -z "$binary" ]; then
  (cd "$here" && cargo build --release --locked)
  binary="$here/target/release/drizzle-drift"
fi
[ -x "$binary" ] || { echo "npm-pack.sh: $binary is not an executable" >&2; exit 2; }
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "npm-pack.sh: the binary is packed as linux-x64; build on Linux x86_64" >&2; exit 2 ;;
esac

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$here/npm/drizzle-drift" "$stage/drizzle-drift"
cp -R "$here/npm/platforms/linux-x64" "$stage/linux-x64"
mkdir -p "$stage/linux-x64/bin"
cp "$binary" "$stage/linux-x64/bin/drizzle-drift"
chmod 755 "$stage/linux-x64/bin/drizzle-drift" "$stage/drizzle-drift/bin/drizzle-drift.js"

for pkg in linux-x64 drizzle-drift; do
  (cd "$stage/$pkg" && npm pack --silent --pack-destination "$out" >/dev/null)
done
ls -1 "$out"/drizzle-drift-"$version".tgz "$out"/drizzle-drift-linux-x64-"$version".tgz
