#!/usr/bin/env bash
# Installs a pinned drizzle-kit / drizzle-orm pair (with pg and mysql2) into a scratch
# folder outside the project, once: $CORPUS_DIR/tools/<kit>+<orm>/node_modules.
# Prints the folder. Several callers at once are serialized by a lock.
#
#   bash conformance/tools/install.sh KIT_VERSION ORM_VERSION
set -euo pipefail
kit=$1 orm=$2
base=${CORPUS_DIR:-/work/corpus}/tools
dir="$base/$kit+$orm"
mkdir -p "$base"
exec 9>"$base/.lock"
flock 9
if [ ! -f "$dir/.done" ]; then
  rm -rf "$dir"; mkdir -p "$dir"
  (cd "$dir" && echo '{"name":"corpus-tools","private":true}' >package.json &&
    npm install --no-audit --no-fund --loglevel=error --ignore-scripts \
      "drizzle-kit@$kit" "drizzle-orm@$orm" pg@8 mysql2@3 >&2)
  touch "$dir/.done"
fi
echo "$dir"
