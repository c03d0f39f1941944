//! Shared by the `ts_*` tests: loading a project's TypeScript schema and comparing it,
//! object by object and field by field, with the snapshot the real drizzle-kit wrote.
#![allow(dead_code)]

use drizzle_drift::config;
use drizzle_drift::model::{normalize, Schema};
use drizzle_drift::sources::history::parse_snapshot;
use drizzle_drift::sources::typescript::{self, TsSchema};
use std::fmt::Debug;
use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Loads the config of a project folder (or the given config file) and its TS schema.
pub fn load_ts(dir: &Path, config_file: Option<&Path>) -> TsSchema {
    let env = config::Env::default();
    let cfg = config::load_with_env(config_file, dir, env)
        .unwrap_or_else(|e| panic!("config of {}: {e}", dir.display()));
    typescript::load(&cfg)
}

/// The lexically last snapshot of a 0.x migrations folder.
pub fn latest_snapshot(out: &Path) -> PathBuf {
    let meta = out.join("meta");
    let mut snapshots: Vec<PathBuf> = std::fs::read_dir(&meta)
        .unwrap_or_else(|e| panic!("{}: {e}", meta.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("_snapshot.json") && !n.starts_with('_'))
        })
        .collect();
    snapshots.sort();
    snapshots
        .pop()
        .unwrap_or_else(|| panic!("no snapshot in {}", meta.display()))
}

pub fn snapshot_schema(path: &Path) -> Schema {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_snapshot(&text, &path.display().to_string())
        .unwrap_or_else(|d| panic!("{}: {d}", path.display()))
}

/// Removes what only says where an object was read from.
pub fn strip_origins(s: &mut Schema) {
    for e in s.enums.values_mut() {
        e.origin = None;
    }
    for q in s.sequences.values_mut() {
        q.origin = None;
    }
    for v in s.views.values_mut() {
        v.origin = None;
    }
    for t in s.tables.values_mut() {
        t.origin = None;
        for c in &mut t.columns {
            c.origin = None;
        }
        for i in &mut t.indexes {
            i.origin = None;
        }
        for f in &mut t.foreign_keys {
            f.origin = None;
        }
        for u in &mut t.uniques {
            u.origin = None;
        }
        for c in &mut t.checks {
            c.origin = None;
        }
        for p in &mut t.policies {
            p.origin = None;
        }
    }
}

fn field<T: PartialEq + Debug>(out: &mut Vec<String>, what: &str, ts: &T, snap: &T) {
    if ts != snap {
        out.push(format!(
            "{what}:\n      ts:       {ts:?}\n      snapshot: {snap:?}"
        ));
    }
}

fn keyed<K: Ord + Debug + Clone, V>(
    out: &mut Vec<String>,
    what: &str,
    ts: &std::collections::BTreeMap<K, V>,
    snap: &std::collections::BTreeMap<K, V>,
    mut each: impl FnMut(&mut Vec<String>, &K, &V, &V),
) {
    for k in ts.keys() {
        if !snap.contains_key(k) {
            out.push(format!("{what} {k:?} only in ts"));
        }
    }
    for (k, s) in snap {
        match ts.get(k) {
            Some(t) => each(out, k, t, s),
            None => out.push(format!("{what} {k:?} only in the snapshot")),
        }
    }
}

/// Every difference between two models, one line per field.
pub fn differences(ts: &Schema, snap: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    field(&mut out, "schemas", &ts.schemas, &snap.schemas);
    keyed(&mut out, "enum", &ts.enums, &snap.enums, |o, k, t, s| {
        field(o, &format!("enum {k:?}"), t, s)
    });
    keyed(
        &mut out,
        "sequence",
        &ts.sequences,
        &snap.sequences,
        |o, k, t, s| field(o, &format!("sequence {k:?}"), t, s),
    );
    keyed(&mut out, "view", &ts.views, &snap.views, |o, k, t, s| {
        field(o, &format!("view {k:?}"), t, s)
    });
    keyed(&mut out, "role", &ts.roles, &snap.roles, |o, k, t, s| {
        field(o, &format!("role {k:?}"), t, s)
    });
    keyed(&mut out, "table", &ts.tables, &snap.tables, |o, k, t, s| {
        let name = format!("{}.{}", k.schema, k.name);
        let tc: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        let sc: Vec<&str> = s.columns.iter().map(|c| c.name.as_str()).collect();
        field(o, &format!("{name} column order"), &tc, &sc);
        for sc in &s.columns {
            match t.column(&sc.name) {
                Some(tc) => field(o, &format!("column {name}.{}", sc.name), tc, sc),
                None => o.push(format!("column {name}.{} only in the snapshot", sc.name)),
            }
        }
        field(
            o,
            &format!("{name} primary key"),
            &t.primary_key,
            &s.primary_key,
        );
        field(o, &format!("{name} rls"), &t.rls_enabled, &s.rls_enabled);
        list(o, &format!("{name} index"), &t.indexes, &s.indexes, |i| {
            i.name.clone()
        });
        list(
            o,
            &format!("{name} foreign key"),
            &t.foreign_keys,
            &s.foreign_keys,
            |i| i.name.clone(),
        );
        list(o, &format!("{name} unique"), &t.uniques, &s.uniques, |i| {
            i.name.clone()
        });
        list(o, &format!("{name} check"), &t.checks, &s.checks, |i| {
            i.name.clone()
        });
        list(
            o,
            &format!("{name} policy"),
            &t.policies,
            &s.policies,
            |i| i.name.clone(),
        );
    });
    out
}

fn list<T: PartialEq + Debug>(
    out: &mut Vec<String>,
    what: &str,
    ts: &[T],
    snap: &[T],
    name: impl Fn(&T) -> String,
) {
    let tn: Vec<String> = ts.iter().map(&name).collect();
    let sn: Vec<String> = snap.iter().map(&name).collect();
    field(out, &format!("{what} names"), &tn, &sn);
    for s in snap {
        if let Some(t) = ts.iter().find(|t| name(t) == name(s)) {
            field(out, &format!("{what} {}", name(s)), t, s);
        }
    }
}

/// Compares the TS schema of a project with a snapshot: raw (drizzle-kit's spellings,
/// which the reader promises to match) and after normalization.
pub fn compare(ts: &TsSchema, snapshot: &Path) -> Vec<String> {
    let mut snap = snapshot_schema(snapshot);
    let mut mine = ts.schema.clone();
    strip_origins(&mut snap);
    strip_origins(&mut mine);
    let mut out: Vec<String> = differences(&mine, &snap)
        .into_iter()
        .map(|d| format!("raw {d}"))
        .collect();
    normalize::schema(&mut snap);
    normalize::schema(&mut mine);
    out.extend(
        differences(&mine, &snap)
            .into_iter()
            .map(|d| format!("normalized {d}")),
    );
    out
}
