//! Version 9 `diff` snapshots: structural deltas (`create` a row, `drop` or `alter` the row
//! with a key) over the entity list of an ancestor. The ancestor is the parent for a linear
//! history and the fork point of the parents for a merge, as drizzle-kit computes it.

use super::ddl::{convert_rows, rows_of};
use super::{parse_typed, read_text, Converted};
use crate::diagnostic::Diagnostic;
use crate::sources::history::{History, ORIGIN_ID};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct DiffFile {
    #[serde(default, rename = "prevIds")]
    prev_ids: Vec<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    deltas: Vec<Delta>,
}

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
enum Delta {
    Create {
        row: Value,
    },
    Drop {
        key: String,
    },
    Alter {
        key: String,
        set: Map<String, Value>,
    },
}

/// The full state of the diff snapshot at `path`, replayed from the nearest full state.
pub(super) fn reconstruct(
    history: &History,
    path: &Path,
    text: &str,
) -> Result<Converted, Diagnostic> {
    let file = path.display().to_string();
    let graph: HashMap<&str, (&[String], &PathBuf)> = history
        .migrations
        .iter()
        .filter_map(|m| {
            Some((
                m.snapshot_id.as_deref()?,
                (m.prev_ids.as_slice(), m.snapshot_path.as_ref()?),
            ))
        })
        .collect();
    let parents_of = |id: &str| graph.get(id).map_or(&[][..], |(p, _)| *p);

    // Walk back from the target to a full state, remembering the diffs to replay.
    let mut diffs: Vec<(String, Vec<Delta>)> = Vec::new();
    let mut current_file = file.clone();
    let mut current: DiffFile = parse_typed(text, &file)?;
    let mut seen: HashSet<String> = HashSet::new();
    let base_rows = loop {
        // Keys borrowed from the graph, so the anchor outlives `current`.
        let parents: Vec<&str> = current
            .prev_ids
            .iter()
            .filter(|p| *p != ORIGIN_ID)
            .filter_map(|p| graph.get_key_value(p.as_str()).map(|(k, _)| *k))
            .collect();
        let Some(anchor) = fork_point(&parents, &parents_of) else {
            return Err(Diagnostic::error(
                &current_file,
                format!(
                    "{current_file} is a diff snapshot but none of its parents ({}) is in the \
                     history, so its state cannot be rebuilt",
                    current.prev_ids.join(", ")
                ),
            ));
        };
        if !seen.insert(anchor.to_string()) {
            return Err(Diagnostic::error(
                &current_file,
                format!("{current_file}: the snapshots' parents form a cycle through {anchor}"),
            ));
        }
        diffs.push((current_file.clone(), std::mem::take(&mut current.deltas)));
        let Some((_, anchor_path)) = graph.get(anchor) else {
            return Err(Diagnostic::error(&current_file, "anchor vanished"));
        };
        let anchor_file = anchor_path.display().to_string();
        let anchor_text = read_text(anchor_path)?;
        let anchor_snapshot: DiffFile = parse_typed(&anchor_text, &anchor_file)?;
        if anchor_snapshot.kind.as_deref() == Some("diff") {
            current = anchor_snapshot;
            current_file = anchor_file;
        } else {
            break rows_of(&anchor_text, &anchor_file)?;
        }
    };

    let mut store = Store::new(base_rows);
    let mut notes = Vec::new();
    for (diff_file, deltas) in diffs.into_iter().rev() {
        for delta in deltas {
            if let Err(message) = store.apply(delta) {
                notes.push(Diagnostic::warning(
                    &diff_file,
                    format!("{diff_file}: {message}"),
                ));
            }
        }
    }
    let mut converted = convert_rows(&store.rows(), &file, None);
    notes.append(&mut converted.notes);
    converted.notes = notes;
    Ok(converted)
}

/// The deepest snapshot that is an ancestor (or self) of every parent.
fn fork_point<'a>(
    parents: &[&'a str],
    parents_of: &dyn Fn(&str) -> &'a [String],
) -> Option<&'a str> {
    let ancestors = |start: &'a str| {
        let mut seen: HashSet<&'a str> = HashSet::new();
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            if id == ORIGIN_ID || !seen.insert(id) {
                continue;
            }
            stack.extend(parents_of(id).iter().map(String::as_str));
        }
        seen
    };
    let mut common: Option<HashSet<&'a str>> = None;
    for parent in parents {
        let a = ancestors(parent);
        common = Some(match common {
            None => a,
            Some(c) => c.intersection(&a).copied().collect(),
        });
    }
    let common = common?;
    // Every common ancestor reaches the deepest one; it has the most ancestors itself.
    common
        .iter()
        .map(|id| (ancestors(id).len(), *id))
        .max()
        .map(|(_, id)| id)
}

/// Entity rows keyed as drizzle-kit keys them: `entityType`, NUL, then the JSON array of
/// the entity's identifying fields.
struct Store {
    rows: Vec<Option<Value>>,
    index: HashMap<(String, String), usize>,
}

impl Store {
    fn new(rows: Vec<Value>) -> Self {
        let mut store = Store {
            rows: Vec::new(),
            index: HashMap::new(),
        };
        for row in rows {
            store.insert(row);
        }
        store
    }

    fn insert(&mut self, row: Value) {
        let key = identity(&row);
        self.rows.push(Some(row));
        if let Some(key) = key {
            self.index.insert(key, self.rows.len() - 1);
        }
    }

    fn find(&self, key: &str) -> Result<usize, String> {
        let (entity_type, identity) = key
            .split_once('\0')
            .ok_or_else(|| format!("delta key {key:?} has no entity type"))?;
        // Re-serialize so escaping differences between JSON writers do not matter.
        let canonical = serde_json::from_str::<Value>(identity)
            .map(|v| v.to_string())
            .unwrap_or_else(|_| identity.to_string());
        self.index
            .get(&(entity_type.to_string(), canonical))
            .copied()
            .ok_or_else(|| {
                format!("delta targets {entity_type} {identity}, which the base does not have")
            })
    }

    fn apply(&mut self, delta: Delta) -> Result<(), String> {
        match delta {
            Delta::Create { row } => {
                self.insert(row);
                Ok(())
            }
            Delta::Drop { key } => {
                let at = self.find(&key)?;
                if let Some(row) = self.rows[at].take() {
                    if let Some(k) = identity(&row) {
                        self.index.remove(&k);
                    }
                }
                Ok(())
            }
            Delta::Alter { key, set } => {
                let at = self.find(&key)?;
                if let Some(Value::Object(row)) = self.rows[at].as_mut() {
                    for (k, v) in set {
                        row.insert(k, v);
                    }
                }
                Ok(())
            }
        }
    }

    fn rows(self) -> Vec<Value> {
        self.rows.into_iter().flatten().collect()
    }
}

/// drizzle-kit's identity of a PostgreSQL entity: `[name]` for schemas and roles,
/// `[schema, name]` for objects in a schema, `[schema, table, name]` for objects in a
/// table; other kinds (grants) are keyed by all their fields.
fn identity(row: &Value) -> Option<(String, String)> {
    let entity_type = row.get("entityType")?.as_str()?.to_string();
    let field = |k: &str| row.get(k).cloned().unwrap_or(Value::Null);
    let key = match entity_type.as_str() {
        "schemas" | "roles" => Value::Array(vec![field("name")]),
        "tables" | "enums" | "sequences" | "views" => {
            Value::Array(vec![field("schema"), field("name")])
        }
        "columns" | "indexes" | "fks" | "pks" | "uniques" | "checks" | "policies" => {
            Value::Array(vec![field("schema"), field("table"), field("name")])
        }
        _ => row.clone(),
    };
    Some((entity_type, key.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn store_applies_create_drop_alter() {
        let mut store = Store::new(vec![
            json!({"entityType": "tables", "schema": "public", "name": "a", "isRlsEnabled": false}),
            json!({"entityType": "columns", "schema": "public", "table": "a", "name": "x", "type": "int"}),
        ]);
        store
            .apply(Delta::Alter {
                key: "tables\0[\"public\",\"a\"]".into(),
                set: json!({"isRlsEnabled": true})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            })
            .unwrap();
        store
            .apply(Delta::Drop {
                key: "columns\0[ \"public\", \"a\", \"x\" ]".into(),
            })
            .unwrap();
        store
            .apply(Delta::Create {
                row: json!({"entityType": "columns", "schema": "public", "table": "a", "name": "y", "type": "text"}),
            })
            .unwrap();
        assert!(store
            .apply(Delta::Drop {
                key: "tables\0[\"public\",\"zz\"]".into()
            })
            .is_err());
        let rows = store.rows();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["isRlsEnabled"], json!(true));
        assert_eq!(rows[1]["name"], json!("y"));
    }

    #[test]
    fn fork_point_of_a_merge_is_the_common_ancestor() {
        let graph: HashMap<&str, Vec<String>> = HashMap::from([
            ("A", vec![ORIGIN_ID.to_string()]),
            ("B", vec!["A".to_string()]),
            ("C", vec!["B".to_string()]),
            ("D", vec!["B".to_string()]),
        ]);
        let parents_of = |id: &str| graph.get(id).map_or(&[][..], |v| v.as_slice());
        assert_eq!(fork_point(&["C", "D"], &parents_of), Some("B"));
        assert_eq!(fork_point(&["C"], &parents_of), Some("C"));
        assert_eq!(fork_point(&[], &parents_of), None);
    }
}
