"""Writes a tree listed by `git ls-tree -r -z` (on stdin) into a folder, blob by blob,
through one `git cat-file --batch`; blobs the mirror lacks are named on stderr and skipped.

usage: git ls-tree -r -z COMMIT | python3 write_tree.py GIT_DIR DEST
"""
import os
import subprocess
import sys

git_dir, dest = sys.argv[1], sys.argv[2]
entries = []
for record in sys.stdin.buffer.read().split(b"\0"):
    if not record:
        continue
    meta, path = record.split(b"\t", 1)
    mode, kind, oid = meta.split()
    if kind == b"blob":
        entries.append((mode, oid, path.decode("utf-8", "surrogateescape")))

cat = subprocess.Popen(
    ["git", "--git-dir", git_dir, "cat-file", "--batch"],
    stdin=subprocess.PIPE,
    stdout=subprocess.PIPE,
)
for mode, oid, path in entries:
    cat.stdin.write(oid + b"\n")
    cat.stdin.flush()
    header = cat.stdout.readline().split()
    if len(header) < 3 or header[1] == b"missing":
        print(f"missing blob {oid.decode()} {path}", file=sys.stderr)
        continue
    data = cat.stdout.read(int(header[2]))
    cat.stdout.read(1)
    target = os.path.join(dest, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if mode == b"120000":
        os.symlink(data.decode("utf-8", "surrogateescape"), target)
    else:
        with open(target, "wb") as f:
            f.write(data)
        if mode == b"100755":
            os.chmod(target, 0o755)
cat.stdin.close()
cat.wait()
