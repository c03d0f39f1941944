//! Conformance of the static TypeScript reader with the real drizzle-kit 0.31.11: every
//! case under tests/fixtures/ts/<case>/ is a schema written for this test plus the snapshot
//! `drizzle-kit generate` wrote for it (tests/fixtures/ts/regenerate.sh). The reader's model
//! must equal the snapshot's, field by field, raw and after normalization.
//!
//! A case may list the diagnostics it expects in `expected-diagnostics.txt`, one substring
//! per line; any other diagnostic fails the case.

mod ts_support;

use std::path::Path;
use ts_support::{compare, fixtures, load_ts};

fn check(case: &str) {
    let dir = fixtures().join("ts").join(case);
    let config = dir.join("drizzle.config.ts");
    let ts = load_ts(&dir, Some(&config));
    let expected: Vec<String> = std::fs::read_to_string(dir.join("expected-diagnostics.txt"))
        .map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let mut failures = Vec::new();
    for d in &ts.diagnostics {
        let text = d.to_string();
        if !expected.iter().any(|e| text.contains(e.as_str())) {
            failures.push(format!("unexpected diagnostic: {text}"));
        }
    }
    for e in &expected {
        if !ts
            .diagnostics
            .iter()
            .any(|d| d.to_string().contains(e.as_str()))
        {
            failures.push(format!("expected a diagnostic containing {e:?}"));
        }
    }
    let out = drizzle_drift::config::load_with_env(
        Some(&config),
        &dir,
        drizzle_drift::config::Env::default(),
    )
    .expect("config")
    .out;
    failures.extend(compare(&ts, &out.join("meta/0000_snapshot.json")));
    check_origins(&ts, &dir);
    assert!(failures.is_empty(), "{case}:\n  {}", failures.join("\n  "));
}

/// Every object carries a file:line inside the files that were read.
fn check_origins(ts: &drizzle_drift::sources::typescript::TsSchema, dir: &Path) {
    use drizzle_drift::model::Origin;
    let ok = |o: &Option<Origin>, what: &str| {
        let o = o.as_ref().unwrap_or_else(|| panic!("{what} has no origin"));
        assert!(o.line.is_some_and(|l| l > 0), "{what}: {o}");
        assert!(dir.join(&o.file).is_file(), "{what}: {o} is no file");
    };
    let s = &ts.schema;
    for (k, e) in &s.enums {
        ok(&e.origin, &format!("enum {k}"));
    }
    for (k, q) in &s.sequences {
        ok(&q.origin, &format!("sequence {k}"));
    }
    for (k, v) in &s.views {
        ok(&v.origin, &format!("view {k}"));
    }
    for (k, t) in &s.tables {
        ok(&t.origin, &format!("table {k}"));
        for c in &t.columns {
            ok(&c.origin, &format!("column {k}.{}", c.name));
        }
        for i in &t.indexes {
            ok(&i.origin, &format!("index {}", i.name));
        }
        for f in &t.foreign_keys {
            ok(&f.origin, &format!("foreign key {}", f.name));
        }
        for u in &t.uniques {
            ok(&u.origin, &format!("unique {}", u.name));
        }
        for c in &t.checks {
            ok(&c.origin, &format!("check {}", c.name));
        }
        for p in &t.policies {
            ok(&p.origin, &format!("policy {}", p.name));
        }
    }
}

#[test]
fn builders() {
    check("builders");
}

#[test]
fn constraints() {
    check("constraints");
}

#[test]
fn identity() {
    check("identity");
}

#[test]
fn modules() {
    check("modules");
}

#[test]
fn rls() {
    check("rls");
}

#[test]
fn views() {
    check("views");
}

#[test]
fn saas() {
    check("saas");
}

#[test]
fn authjs() {
    check("authjs");
}

#[test]
fn t3() {
    check("t3");
}

#[test]
fn supabase() {
    check("supabase");
}

#[test]
fn mysql() {
    check("mysql");
}

#[test]
fn quirks() {
    check("quirks");
}

#[test]
fn mutation() {
    check("mutation");
}

/// zod enums giving pgEnum its values (`.options`) and defaults (`.Enum.x`, `.enum.x`);
/// zod validation schemas exported beside the tables are not schema objects.
#[test]
fn zod() {
    check("zod");
}
