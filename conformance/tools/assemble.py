"""Assembles conformance/ground-truth.json from the per-config records the corpus engineers
wrote ($CORPUS_DIR/gt/<id>.json, see conformance/README.md), normalizing as it goes:

- `real` entries: a difference between a migration's SQL and its snapshots (an object the SQL
  created that no snapshot records, a snapshot change no SQL made, hand-edited SQL) is
  `history`, never `drift` (issue 10 §4): these databases were built by the migrator alone,
  so every `drift` entry the engineers recorded is such a difference and becomes `history`.
- `real` entries get `schema` and `table` as separate fields (PostgreSQL: "public.users" →
  schema "public", table "users"; an enum without a table is in "public"; a schema object is
  its own schema; MySQL: no schema), so a finding can be matched field by field.
- One constraint that the SQL named differently from the snapshot is one `real` entry (issue
  10 §3: "name differs", one finding), under the snapshot's name: an entry whose evidence says
  it is "the same constraint under" the SQL's name is folded into the entry before it.
- `out`: the migrations folder each config names (relative to its cwd), read by hand from the
  config files, so run.sh can rebuild the database with migrate.cjs.
- hackerspub and hollo need PostgreSQL 16+: their database is rebuilt on PostgreSQL 17
  (`"server": "postgresql-17"`) with the result the engineers recorded in their notes; the
  PostgreSQL 15 record is kept as `migrate_postgresql_15`.

The facts (generate, migrate, stubs, notes) are copied as recorded.

usage: python3 conformance/tools/assemble.py [GT_DIR [OUT]]
       (defaults: $CORPUS_DIR/gt, conformance/ground-truth.json; needs only Python 3)
"""
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# The config's `out`, relative to its cwd; "drizzle" where the config has none (drizzle-kit's
# default).
OUT = {
    "autumn": "drizzle",
    "autumn-events": "drizzle",
    "auxx-ai": "drizzle",
    "bestofjs": "drizzle",
    "better-chatbot": "src/lib/db/migrations/pg",
    "codu": "drizzle",
    "flowglad": "db-core/migrations",
    "garden-of-eden": "drizzle",
    "hackerspub": "drizzle",
    "helper": "db/drizzle",
    "hollo": "drizzle",
    "honghong": "src/migrations",
    "hontokun-backend": "drizzle",
    "hoof": "drizzle",
    "hydra": "drizzle/mysql",
    "imake": "app/sql/migrations",
    "inkeep-agents": "drizzle/runtime",
    "inkeep-agents-manage": "drizzle/manage",
    "kaneo": "drizzle",
    "keystone": "drizzle/mysql",
    "languine": "migrations",
    "lmnr": "lib/db/migrations",
    "metamcp": "drizzle",
    "musiccloud": "apps/backend/src/db/migrations/postgres",
    "norish": "server/db/migrations",
    "pagepin": "drizzle/mysql",
    "pagespace": "packages/db/drizzle",
    "pagespace-admin": "drizzle-admin",
    "pagespace-control-plane": "drizzle",
    "qrh-flash-cards": "migrations",
    "quackback": "drizzle",
    "roo-code": "src/db/migrations",
    "sate-jip": "drizzle",
    "spotify-utils": "server/database/migrations",
    "streamystats": "drizzle",
    "termix": "drizzle/mysql",
    "tiny-issue-tracker": "drizzle",
    "tracearr": "src/db/migrations",
    "wdc-saas-starter-kit": "drizzle",
}

# What the migrator did on PostgreSQL 17 (from each record's notes: "applies all 152
# (applied 152, tables 55, error null)", "applies all 106 (applied 106, tables 39, error null)").
POSTGRESQL_17 = {"hackerspub": (152, 55), "hollo": (106, 39)}


def split_real(entry, dialect):
    """One `real` entry in the matchable shape: schema and table apart, drift → history."""
    r = dict(entry)
    if r["category"] == "drift":
        r["category"] = "history"
    qualified = r.pop("table", None)
    schema = table = None
    if qualified:
        if dialect == "postgresql" and "." in qualified:
            schema, table = qualified.split(".", 1)
        elif dialect == "postgresql":
            schema, table = "public", qualified
        else:
            table = qualified
    elif dialect == "postgresql" and r["object"] == "schema":
        schema = r["name"]
    elif dialect == "postgresql" and r["object"] in ("enum", "sequence", "view", "table"):
        schema = "public"
    if r["object"] == "table" and table is None:
        table = r["name"]
    out = {"category": r.pop("category"), "object": r.pop("object")}
    if schema is not None:
        out["schema"] = schema
    if table is not None:
        out["table"] = table
    out["name"] = r.pop("name")
    out.update(r)  # field, severity, evidence
    return out


def fold_renamed(real):
    out = []
    for r in real:
        if r["evidence"].startswith("the same constraint under") and out:
            out[-1] = dict(out[-1], evidence=f"{out[-1]['evidence']}; the database has it as {r['name']}")
        else:
            out.append(r)
    return out


def assemble(gt_dir):
    truth = {}
    for path in sorted(glob.glob(os.path.join(gt_dir, "*.json"))):
        cid = os.path.basename(path)[: -len(".json")]
        with open(path, encoding="utf-8") as f:
            rec = json.load(f)
        if cid not in OUT:
            sys.exit(f"{path}: no `out` known for {cid}; add it to OUT in {__file__}")
        entry = {}
        for key, value in rec.items():
            entry[key] = value
            if key == "cwd":
                entry["out"] = OUT[cid]
        if cid in POSTGRESQL_17:
            applied, tables = POSTGRESQL_17[cid]
            entry["server"] = "postgresql-17"
            entry["migrate_postgresql_15"] = rec["migrate"]
            entry["migrate"] = dict(
                rec["migrate"], result="ok", applied=applied, tables=tables, error=None, failed_at=None
            )
        entry["real"] = fold_renamed([split_real(r, rec["dialect"]) for r in rec.get("real") or []])
        truth[cid] = entry
    return truth


def main():
    corpus = os.environ.get("CORPUS_DIR", "/work/corpus")
    gt_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(corpus, "gt")
    default = os.path.normpath(os.path.join(HERE, "..", "ground-truth.json"))
    out = sys.argv[2] if len(sys.argv) > 2 else default
    truth = assemble(gt_dir)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=2, ensure_ascii=False)
        f.write("\n")
    n = sum(len(e["real"]) for e in truth.values())
    print(f"{out}: {len(truth)} configs, {n} real entries", file=sys.stderr)


if __name__ == "__main__":
    main()
