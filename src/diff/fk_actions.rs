//! Foreign-key actions a snapshot changes and no SQL does. drizzle-kit writes a changed
//! `ON DELETE`/`ON UPDATE` as a drop and re-add of the constraint; when a migration's
//! snapshot changes the action and no statement of it (nor of a later migration) names the
//! constraint, the databases it builds keep the old action while every later `generate`
//! believes the new one (drizzle-kit 0.20 wrote only one such change per table; hand edits
//! delete them). Applied migrations are explained against the database by the lineage;
//! this reads the ones not known to be applied, from their snapshots and SQL alone. A 0.x
//! snapshot is read raw; a 1.0 one (the folder layout: full `ddl` lists, or diffs replayed
//! onto their ancestors) through its conversion to the model.

use crate::model::Origin;
use crate::report::{Category, Finding, ObjectKind, Severity};
use crate::sources::history::{History, Layout};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

pub const RULE: &str = "snapshot-not-in-sql";

/// The part of a 0.x snapshot this reads; everything else is skipped unparsed. Tables are
/// keyed as the snapshot keys them (1.0: `schema.name`).
#[derive(Deserialize)]
struct Snapshot {
    #[serde(default)]
    tables: BTreeMap<String, Table>,
}

#[derive(Deserialize)]
struct Table {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    schema: Option<String>,
    #[serde(default, rename = "foreignKeys")]
    foreign_keys: BTreeMap<String, ForeignKey>,
}

#[derive(Deserialize)]
struct ForeignKey {
    #[serde(default, rename = "onDelete")]
    on_delete: Option<String>,
    #[serde(default, rename = "onUpdate")]
    on_update: Option<String>,
}

impl Snapshot {
    /// The foreign keys of a converted (1.0) snapshot.
    fn of(schema: &crate::model::Schema) -> Snapshot {
        let tables = schema
            .tables
            .iter()
            .map(|(name, t)| {
                let keys = t.foreign_keys.iter().map(|fk| {
                    let actions = ForeignKey {
                        on_delete: Some(fk.on_delete.clone()),
                        on_update: Some(fk.on_update.clone()),
                    };
                    (fk.name.clone(), actions)
                });
                let table = Table {
                    name: Some(name.name.clone()),
                    schema: Some(name.schema.clone()),
                    foreign_keys: keys.collect(),
                };
                (format!("{}.{}", name.schema, name.name), table)
            })
            .collect();
        Snapshot { tables }
    }
}

fn action(a: &Option<String>) -> String {
    a.as_deref().unwrap_or("no action").to_lowercase()
}

/// Findings for migrations `first..` of a history (`first`: the first migration not known
/// to be applied). `root`: the project folder locations are relative to.
///
/// Follows each action as the SQL leaves it: a migration whose SQL names the key made what
/// its snapshot says; one whose snapshot changes the action and whose SQL does not leaves
/// the old one. Reported: where, after the last migration, the two still disagree (at the
/// migration whose snapshot last moved away from it; one that moves back settles it).
pub fn unsettled(history: &History, first: usize, root: &Path) -> Vec<Finding> {
    let migrations = &history.migrations;
    if history.layout == Layout::Empty || first >= migrations.len() {
        return Vec::new();
    }
    let read = |i: usize| -> Option<Snapshot> {
        let path = migrations.get(i)?.snapshot_path.as_ref()?;
        match history.layout {
            Layout::Folders => Some(Snapshot::of(
                &crate::sources::history::snapshot(history, i).ok()?,
            )),
            _ => serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok(),
        }
    };
    // The state before migration `i`: the nearest earlier snapshot.
    let state_before = |i: usize| {
        (0..i.min(migrations.len()))
            .rev()
            .find(|&i| migrations[i].snapshot_path.is_some())
            .and_then(read)
    };
    let mut before = state_before(first);
    // (table key, key name, field) → (migration, what the SQL left, what the snapshot says).
    let mut open: BTreeMap<(String, String, &'static str), (usize, String, String)> =
        BTreeMap::new();
    let mut tables: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::new();
    for (i, m) in migrations.iter().enumerate().skip(first) {
        if m.snapshot_path.is_none() {
            continue;
        }
        let sql = std::fs::read_to_string(&m.sql_path)
            .unwrap_or_default()
            .to_lowercase();
        if history.layout == Layout::Folders {
            // A 1.0 diff is replayed from its base: only the few that alter, drop or
            // rename a key or table are (with their parent state); for the rest the keys
            // stand as they were, and their SQL can only settle one by naming it.
            if !m.snapshot_path.as_deref().is_some_and(touches_keys) {
                open.retain(|(_, name, _), _| !sql.contains(&name.to_lowercase()));
                continue;
            }
            before = state_before(i);
        }
        let Some(after) = read(i) else {
            // A snapshot that cannot be read: what follows is not known.
            before = None;
            open.clear();
            continue;
        };
        if let Some(before) = &before {
            for (key, table) in &after.tables {
                tables.insert(key.clone(), (table.name.clone(), table.schema.clone()));
                let Some(old) = before.tables.get(key) else {
                    continue;
                };
                for (name, fk) in &table.foreign_keys {
                    let Some(was) = old.foreign_keys.get(name) else {
                        continue;
                    };
                    let named = sql.contains(&name.to_lowercase());
                    for (field, a, b) in [
                        ("on_delete", &was.on_delete, &fk.on_delete),
                        ("on_update", &was.on_update, &fk.on_update),
                    ] {
                        let id = (key.clone(), name.clone(), field);
                        let (a, b) = (action(a), action(b));
                        if named {
                            open.remove(&id);
                            continue;
                        }
                        let left = open.get(&id).map_or(a.clone(), |o| o.1.clone());
                        if b == left {
                            open.remove(&id);
                        } else if a != b {
                            open.insert(id, (i, left, b));
                        }
                    }
                }
            }
            // A key the snapshot no longer has is no longer compared.
            open.retain(|(table, name, _), _| {
                after
                    .tables
                    .get(table)
                    .is_some_and(|t| t.foreign_keys.contains_key(name))
            });
        }
        before = Some(after);
    }
    open.into_iter()
        .map(|((table, fk, field), (i, was, now))| {
            let (name, schema) = tables.get(&table).cloned().unwrap_or_default();
            finding(history, i, root, (name, schema), &fk, field, (was, now))
        })
        .collect()
}

/// Whether a 1.0 snapshot file may change a foreign key's action or existence: any but a
/// version 9 `diff` whose deltas only create rows or touch neither keys nor tables.
fn touches_keys(path: &Path) -> bool {
    #[derive(Deserialize)]
    struct Diff {
        #[serde(default, rename = "type")]
        kind: Option<String>,
        #[serde(default, rename = "prevIds")]
        prev_ids: Vec<String>,
        #[serde(default)]
        deltas: Vec<Delta>,
    }
    #[derive(Deserialize)]
    struct Delta {
        #[serde(default)]
        key: Option<String>,
    }
    let Some(diff) = std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str::<Diff>(&text).ok())
    else {
        return true;
    };
    diff.kind.as_deref() != Some("diff")
        || diff.prev_ids.len() > 1
        || diff.deltas.iter().any(|d| {
            d.key
                .as_deref()
                .is_some_and(|k| k.starts_with("fks\u{0}") || k.starts_with("tables\u{0}"))
        })
}

fn finding(
    history: &History,
    i: usize,
    root: &Path,
    (table_name, schema): (Option<String>, Option<String>),
    fk: &str,
    field: &'static str,
    (was, now): (String, String),
) -> Finding {
    let m = &history.migrations[i];
    let file = m
        .sql_path
        .strip_prefix(root)
        .unwrap_or(&m.sql_path)
        .display()
        .to_string();
    let table_name = table_name.unwrap_or_default();
    let words = field.replace('_', " ");
    Finding {
        category: Category::History,
        // As the lineage reports the same defect once applied: the database will differ.
        severity: Severity::Error,
        object: ObjectKind::ForeignKey,
        schema: schema.filter(|s| !s.is_empty()),
        table: Some(table_name.clone()),
        name: fk.to_string(),
        field: Some(field.to_string()),
        ts: Value::Null,
        snapshot: Value::String(now.clone()),
        live: Value::Null,
        message: format!(
            "foreign key {fk} on {table_name}: the snapshot of {} says {words} {now}, but no statement of its SQL (nor of a later migration) changes it from {was}: a database these migrations build keeps {was}, while drizzle-kit generate believes {now}",
            m.tag
        ),
        fix: Some(format!(
            "add a custom migration (`drizzle-kit generate --custom`) that drops {fk} and adds it again with {} {now}",
            words.to_uppercase()
        )),
        location: Some(Origin { file, line: None }),
        rule: Some(RULE.to_string()),
        target: None,
    }
}

#[cfg(test)]
mod tests {
    use super::touches_keys;
    use std::path::Path;

    /// The 1.0 snapshot files drizzle-kit 1.0.0-rc.5 wrote (tests/fixtures/pg): a base and
    /// a diff altering a key are read; a diff that only creates rows is not.
    #[test]
    fn only_diffs_touching_keys_or_tables_are_replayed() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg");
        let snapshot = |project: &str, suffix: &str| {
            let dir = fixtures.join(project).join("drizzle");
            let mut found: Vec<_> = std::fs::read_dir(&dir)
                .expect("drizzle/")
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(suffix))
                .collect();
            assert_eq!(found.len(), 1, "{project} {suffix}");
            found.remove(0).join("snapshot.json")
        };
        assert!(touches_keys(&snapshot("v1-rc5", "_init")));
        assert!(!touches_keys(&snapshot("v1-rc5", "_published_flag")));
        assert!(touches_keys(&snapshot("v1-unsettled", "_cascade")));
        assert!(touches_keys(Path::new("/nonexistent/snapshot.json")));
    }
}
