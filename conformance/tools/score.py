"""The conformance run's planner and scorer (called by conformance/run.sh; Python 3 only).

usage: python3 score.py plan GROUND_TRUTH CORPUS_DIR RUN_DIR [ID…]
           one tab-separated line per config for run.sh (and RUN_DIR/<id>/setup.sql)
       python3 score.py score GROUND_TRUTH RUN_DIR [--results FILE] [ID…]
           the table (stdout; also FILE with the date, commit and how to reproduce)
       python3 score.py explain GROUND_TRUTH RUN_DIR ID
           every finding counted false and every entry counted missed, for checking by hand

RUN_DIR/<id>/ holds what run.sh left: `missing` (no checkout), `server`, `migrate.json`, and
for each of `offline` and `live`: `.json` (stdout), `.err`, `.rc`, `.time`.

Scoring (ground-truth.json is described in conformance/README.md):
- false ungen: offline `ungenerated` findings where generate said no-changes, or on a table
  generate's statements do not touch (and matching no `real` ungenerated entry). Where
  generate failed (a snapshot collision, snapshots to upgrade) the real tool confirms
  nothing: those findings are unscored, their number is in the notes.
- missed tables: tables of generate's statements that no offline `ungenerated` finding names.
- false drift: every live `drift` finding (the databases were built by the migrator alone).
- false other: `history`, `pending` and `lint` findings matching no `real` entry; a `pending`
  finding is expected when the migrator failed (did not apply everything); a lint finding
  of a rule that claims something about this history (CLAIMS) is expected on the migration the
  migrator failed in, and everywhere when the migrator failed with that rule's error
  (CONFIRMED_BY). Other lint rules state facts about a pending statement (it takes this lock,
  it cannot run inside the migrator's transaction), true whatever the history: not scored.
- missed real: `real` entries no finding (offline or live) reports in their category (two
  entries with the same fields need two findings).
- incomplete: entries in the report's `incomplete` list (1 for an exit 2 without a report:
  nothing was read); crash: an exit code other than
  0/1/2, a panic, a timeout or unreadable JSON.
"""
import datetime
import json
import os
import shutil
import sys

CLAIMS = {
    "drizzle-enum-value-in-same-batch",
    "drizzle-drop-add-column",
    "drizzle-snapshot-mismatch",
}
# A rule whose every finding the real migrator confirmed when it failed with this error.
CONFIRMED_BY = {"drizzle-enum-value-in-same-batch": "unsafe use of new value"}
MATCH_KEYS = ("category", "object", "schema", "table", "name", "field")
RUNS = ("offline", "live")


def load_truth(path, ids):
    with open(path, encoding="utf-8") as f:
        truth = json.load(f)
    unknown = [i for i in ids if i not in truth]
    if unknown:
        sys.exit(f"not in {path}: {' '.join(unknown)}")
    return {i: truth[i] for i in (ids or truth)}


def checkouts(corpus_tsv):
    """repository → checkout id, from corpus.tsv."""
    out = {}
    with open(corpus_tsv, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and not line.startswith("#"):
                out[cols[1]] = cols[0]
    return out


def plan(truth, corpus, run_dir):
    repos = checkouts(os.path.join(os.path.dirname(__file__), "..", "corpus.tsv"))
    for cid, e in truth.items():
        d = os.path.join(run_dir, cid)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        m = e["migrate"]
        setup = "-"
        if m.get("setup"):
            setup = os.path.join(d, "setup.sql")
            with open(setup, "w", encoding="utf-8") as f:
                f.write(m["setup"])
        config = os.path.relpath(e["config"], e["cwd"])
        fields = [
            cid,
            repos.get(e["repo"], "-"),
            os.path.join(corpus, "src", repos.get(e["repo"], "-")),
            e["repo"],
            e["cwd"],
            config if config.startswith(".") else "./" + config,
            e["dialect"],
            e["drizzle_kit"],
            e["drizzle_orm"],
            e["out"],
            m.get("table") or "__drizzle_migrations",
            m.get("schema") or "-",
            e.get("server", "-"),
            setup,
        ]
        print("\t".join(fields))


def read(path, default=None):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return default


def run_result(d, run):
    """One drizzle-drift run: report (or None), exit code, seconds, crash reason."""
    rc = int((read(os.path.join(d, run + ".rc")) or "-1").strip() or -1)
    secs = float((read(os.path.join(d, run + ".time")) or "0").strip() or 0)
    err = read(os.path.join(d, run + ".err"), "")
    try:
        report = json.loads(read(os.path.join(d, run + ".json"), ""))
    except ValueError:
        report = None
    crash = None
    if rc == 124:
        crash = "timeout"
    elif "panicked at" in err:
        crash = "panic"
    elif rc not in (0, 1, 2):
        crash = f"exit {rc}"
    elif report is None and rc != 2:
        crash = "no JSON"
    return {"report": report, "rc": rc, "time": secs, "err": err, "crash": crash}


def matches(real, f):
    return all(real.get(k) is None or real.get(k) == f.get(k) for k in MATCH_KEYS)


def qualified(f):
    if f.get("table") is None:
        return None
    return f"{f['schema']}.{f['table']}" if f.get("schema") else f["table"]


def migrate_truth(e, server):
    """The migrator's result the database should show (PostgreSQL 15 when 17 was not there)."""
    if e.get("server") == "postgresql-17" and server != "postgresql-17":
        return e.get("migrate_postgresql_15", e["migrate"])
    return e["migrate"]


def judge(e, d):
    """Counts for one config, and the findings/entries behind each count."""
    server = (read(os.path.join(d, "server")) or "").strip()
    mig = migrate_truth(e, server)
    runs = {r: run_result(d, r) for r in RUNS}
    findings = {r: (runs[r]["report"] or {}).get("findings") or [] for r in RUNS}
    gen = e["generate"]
    gen_tables = set(gen.get("tables") or []) if gen["result"] == "statements" else set()
    real = e.get("real") or []
    keys = ("false ungen", "unscored ungen", "missed tables", "false drift", "missed real")
    bad = {k: [] for k in keys}
    bad.update({("false other", r): [] for r in RUNS})

    def expected(f):
        if any(matches(r, f) for r in real):
            return True
        if f["category"] == "pending":
            return mig["result"] == "error"
        if f["category"] == "lint":
            rule = f.get("rule")
            confirmed = CONFIRMED_BY.get(rule, "\0") in (mig.get("error") or "")
            return rule not in CLAIMS or confirmed or f.get("name") == mig.get("failed_at")
        return False

    for f in findings["offline"]:
        if f["category"] == "ungenerated" and qualified(f) not in gen_tables:
            if not any(r["category"] == "ungenerated" and matches(r, f) for r in real):
                bad["unscored ungen" if gen["result"] == "error" else "false ungen"].append(f)
    named = {qualified(f) for f in findings["offline"] if f["category"] == "ungenerated"}
    bad["missed tables"] = sorted(gen_tables - named)
    bad["false drift"] = [f for f in findings["live"] if f["category"] == "drift"]
    for r in RUNS:
        bad[("false other", r)] = [
            f
            for f in findings[r]
            if f["category"] in ("history", "pending", "lint") and not expected(f)
        ]
    bad["missed real"] = missed(real, findings)
    return server, mig, runs, bad


def missed(real, findings):
    """Entries no finding reports; n entries with the same fields need n findings (in one run:
    the live run repeats the offline findings)."""
    groups = {}
    for r in real:
        groups.setdefault(tuple(r.get(k) for k in MATCH_KEYS), []).append(r)
    out = []
    for group in groups.values():
        found = max(sum(1 for f in findings[run] if matches(group[0], f)) for run in RUNS)
        out += group[found:]
    return out


def notes(e, d, server, mig, runs, bad):
    out = []
    if bad["unscored ungen"]:
        out.append(f"generate failed: {len(bad['unscored ungen'])} ungenerated findings unscored")
    got = read(os.path.join(d, "migrate.json"))
    try:
        got = json.loads(got) if got else None
    except ValueError:
        got = None
    if got is None:
        out.append("migrate.cjs printed nothing")
    else:
        want = (mig["applied"], mig["tables"], mig["result"] == "error")
        have = (got["applied"], got["tables"], got["error"] is not None)
        if want != have:
            out.append(
                f"db differs from ground truth: applied {have[0]}/{want[0]}, tables {have[1]}/{want[1]}"
                + (f", error {got['error']!r}" if have[2] != want[2] else "")
            )
    if e.get("server") == "postgresql-17":
        out.append("PostgreSQL 17" if server == "postgresql-17" else "PostgreSQL 17 missing: scored on 15")
    said = {}
    for r in RUNS:
        x = runs[r]
        if x["crash"]:
            said.setdefault(x["crash"], []).append(r)
        elif x["report"] is None:
            first = (x["err"].strip().splitlines() or ["no output"])[0][:100]
            said.setdefault(f"exit {x['rc']}: {first}", []).append(r)
    out += [f"{'+'.join(rs)} {what}" for what, rs in said.items()]
    return "; ".join(out)


def incomplete(run):
    """Entries of the report's `incomplete` list; a run that exits 2 without a report read
    nothing: 1."""
    if run["report"] is None:
        return 1 if run["rc"] == 2 else 0
    return len(run["report"].get("incomplete") or [])


def pair(a, b):
    return f"{a}/{b}"


def score(truth, run_dir):
    rows, tot = [], {}
    for cid, e in truth.items():
        d = os.path.join(run_dir, cid)
        missing = read(os.path.join(d, "missing"))
        if missing is not None:
            rows.append([cid] + [""] * 8 + [missing.strip()])
            continue
        server, mig, runs, bad = judge(e, d)
        inc = [incomplete(runs[r]) for r in RUNS]
        counts = {
            "false ungen": len(bad["false ungen"]),
            "missed tables": len(bad["missed tables"]),
            "false drift": len(bad["false drift"]),
            "false other off": len(bad[("false other", "offline")]),
            "false other live": len(bad[("false other", "live")]),
            "missed real": len(bad["missed real"]),
            "incomplete off": inc[0],
            "incomplete live": inc[1],
            "crash": sum(1 for r in RUNS if runs[r]["crash"]),
            "time off": runs["offline"]["time"],
            "time live": runs["live"]["time"],
        }
        for k, v in counts.items():
            tot[k] = tot.get(k, 0) + v
        rows.append(row(cid, counts) + [notes(e, d, server, mig, runs, bad)])
    rows.append(row(f"**total** ({len(truth)} configs)", tot) + [""])
    return rows


def row(name, c):
    if not c:
        return [name] + [""] * 8
    return [
        name,
        str(c["false ungen"]),
        str(c["missed tables"]),
        str(c["false drift"]),
        pair(c["false other off"], c["false other live"]),
        str(c["missed real"]),
        pair(c["incomplete off"], c["incomplete live"]),
        str(c["crash"]),
        pair(f"{c['time off']:.1f}", f"{c['time live']:.1f}"),
    ]


HEADER = [
    "config",
    "false ungen",
    "missed tables",
    "false drift",
    "false other off/live",
    "missed real",
    "incomplete off/live",
    "crash",
    "time s off/live",
    "notes",
]


def table(rows):
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def results_md(text):
    commit = os.environ.get("DRIZZLE_DRIFT_COMMIT", "unknown")
    wall = os.environ.get("CONFORMANCE_WALL", "?")
    today = datetime.date.today().isoformat()
    return f"""# Conformance results

{today}, drizzle-drift `{commit}`.
The whole run took {wall} s of wall time on {os.cpu_count()} cores (build excluded).

Reproduce: `bash conformance/checkout.sh` (after `fetch`ing the repositories, see README.md),
then `bash conformance/run.sh` (needs Node and npm for the pinned drizzle-kit/drizzle-orm,
and the PostgreSQL 15 and MariaDB binaries `scripts/lib/servers.sh` starts).
`python3 conformance/tools/score.py explain conformance/ground-truth.json $CORPUS_DIR/results ID`
lists the findings and entries behind each count of one config.

{text}

- false ungen: offline `ungenerated` findings drizzle-kit generate does not confirm
  (it said no-changes, or its statements touch no such table; unscored where it failed).
- missed tables: tables of generate's statements no offline `ungenerated` finding names.
- false drift: live `drift` findings (every database was built by the real migrator alone).
- false other: `history`/`pending`/`lint` findings matching no `real` entry (pending is
  expected where the migrator failed; lock/safety advice lint is not scored).
- missed real: `real` entries of ground-truth.json no finding reports in their category.
- incomplete: entries in the report's `incomplete` list; crash: exit code not 0/1/2, panic,
  timeout; time: wall seconds.
"""


def explain(e, d):
    _, mig, runs, bad = judge(e, d)
    print(f"migrator expected: {json.dumps({k: mig[k] for k in ('result', 'applied', 'tables')})}")
    for r in RUNS:
        x = runs[r]
        print(f"{r}: exit {x['rc']}, {x['time']:.1f}s, crash {x['crash']}")
        for i in (x["report"] or {}).get("incomplete") or []:
            print(f"  incomplete: {json.dumps(i)}")
    for k, items in bad.items():
        label = " ".join(k) if isinstance(k, tuple) else k
        for it in items:
            if isinstance(it, str):
                print(f"{label}: {it}")
            else:
                keys = MATCH_KEYS + ("rule",)
                short = {k2: it.get(k2) for k2 in keys if it.get(k2) is not None}
                msg = it.get("message") or it.get("evidence", "")
                print(f"{label}: {json.dumps(short)} {msg[:160]}")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd, gt = argv[0], argv[1]
    if cmd == "plan":
        corpus, run_dir, ids = argv[2], argv[3], argv[4:]
        plan(load_truth(gt, ids), corpus, run_dir)
    elif cmd == "score":
        run_dir, rest = argv[2], argv[3:]
        results = None
        if rest[:1] == ["--results"]:
            results, rest = rest[1], rest[2:]
        text = table(score(load_truth(gt, rest), run_dir))
        print(text)
        if results:
            with open(results, "w", encoding="utf-8") as f:
                f.write(results_md(text))
    elif cmd == "explain":
        truth = load_truth(gt, argv[3:4])
        cid = argv[3]
        explain(truth[cid], os.path.join(argv[2], cid))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
