#!/usr/bin/env bash
# Materializes the corpus projects (conformance/corpus.tsv) at their pinned commits into
# $CORPUS_DIR/src/<id>/ (default /work/corpus), outside this repository, without
# node_modules: the state of a teammate's fresh clone. Reads the bare git directories the
# `fetch` tool brought to $MIRROR_DIR/<owner>+<name>/repo (default /work/.mirror).
#
#   bash conformance/checkout.sh            # every project (existing checkouts are kept)
#   bash conformance/checkout.sh codu hollo # only these ids
#   FORCE=1 bash conformance/checkout.sh …  # materialize again
#
# A mirror can lack a few large blobs; `git archive` then fails and the tree is written
# file by file, skipping (and naming) what is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=${CORPUS_DIR:-/work/corpus}
mirrors=${MIRROR_DIR:-/work/.mirror}
mkdir -p "$corpus/src"

want=("$@")
missing=0
while IFS=$'\t' read -r id repo commit _config _cwd _dialect; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " == *" $id "* ]]; then continue; fi
  dest="$corpus/src/$id"
  if [ -d "$dest" ] && [ -z "${FORCE:-}" ]; then continue; fi
  git_dir="$mirrors/${repo/\//+}/repo"
  if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "$id: no mirror of $repo with $commit at $git_dir (bring it with fetch github:$repo)" >&2
    missing=$((missing + 1))
    continue
  fi
  rm -rf "$dest" && mkdir -p "$dest"
  if ! git --git-dir="$git_dir" archive "$commit" 2>/dev/null | tar -x -C "$dest" 2>/dev/null; then
    rm -rf "$dest" && mkdir -p "$dest"
    git --git-dir="$git_dir" ls-tree -r -z "$commit" |
      python3 "$here/tools/write_tree.py" "$git_dir" "$dest"
  fi
  echo "$id: $(find "$dest" -type f | wc -l) files at ${commit:0:12}" >&2
done <"$here/corpus.tsv"
[ "$missing" = 0 ]
