//! Version 9 `diff` snapshots (drizzle-kit 1.0.0-rc.5): structural deltas over the entity
//! list of the first parent. Replayed as drizzle-kit does: follow the first parent back to
//! a `base`/`checkpoint`, then apply the diffs forward; at a merge, first apply the diffs
//! only the other parents have, in folder order. `create` adds a row, `drop` removes the
//! row with a key, `alter`/`rename` set fields of that row; a change of a row's identity
//! (a rename) moves the rows that point at it, along drizzle-kit's entity edges.

use super::ddl::{convert_rows, entity_lines};
use super::{parse_typed, read_text, Converted};
use crate::diagnostic::Diagnostic;
use crate::model::Origin;
use crate::sources::history::{History, ORIGIN_ID};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct SnapshotFile {
    #[serde(default, rename = "prevIds")]
    prev_ids: Vec<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    ddl: Vec<Value>,
    #[serde(default)]
    deltas: Vec<Delta>,
}

impl SnapshotFile {
    fn is_diff(&self) -> bool {
        self.kind.as_deref() == Some("diff")
    }
}

/// A snapshot file with the line of each entity row it holds (the `ddl` rows of a state,
/// the created rows of a diff), for origins.
struct Loaded {
    file: String,
    snapshot: SnapshotFile,
    lines: Option<Vec<u32>>,
}

impl Loaded {
    fn parse(file: String, text: &str) -> Result<Loaded, Diagnostic> {
        let snapshot: SnapshotFile = parse_typed(text, &file)?;
        let rows = if snapshot.is_diff() {
            snapshot
                .deltas
                .iter()
                .filter(|d| matches!(d, Delta::Create { .. }))
                .count()
        } else {
            snapshot.ddl.len()
        };
        let lines = entity_lines(text, rows);
        Ok(Loaded {
            file,
            snapshot,
            lines,
        })
    }

    fn origin(&self, row: usize) -> Origin {
        Origin {
            file: self.file.clone(),
            line: self.lines.as_ref().and_then(|l| l.get(row).copied()),
        }
    }
}

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub(super) enum Delta {
    Create {
        row: Value,
    },
    Drop {
        key: String,
    },
    Alter {
        key: String,
        #[serde(default)]
        set: Map<String, Value>,
    },
    Rename {
        key: String,
        #[serde(default)]
        set: Map<String, Value>,
    },
}

/// Snapshot files of a history by id, in migration order.
struct Files<'h> {
    path_of: HashMap<&'h str, &'h PathBuf>,
    parents_of: HashMap<&'h str, &'h [String]>,
    order: Vec<&'h str>,
}

impl<'h> Files<'h> {
    fn new(history: &'h History) -> Self {
        let mut files = Files {
            path_of: HashMap::new(),
            parents_of: HashMap::new(),
            order: Vec::new(),
        };
        for m in &history.migrations {
            if let (Some(id), Some(path)) = (m.snapshot_id.as_deref(), m.snapshot_path.as_ref()) {
                files.path_of.insert(id, path);
                files.parents_of.insert(id, m.prev_ids.as_slice());
                files.order.push(id);
            }
        }
        files
    }

    fn load(&self, id: &str, child: &str) -> Result<Loaded, Diagnostic> {
        let Some(path) = self.path_of.get(id) else {
            return Err(Diagnostic::error(
                child,
                format!(
                    "{child} was generated from snapshot {id}, which is not in the migrations \
                     folder, so its state cannot be rebuilt"
                ),
            ));
        };
        let text = read_text(path)?;
        Loaded::parse(path.display().to_string(), &text)
    }

    /// `ids` and all their ancestors, leaving out `known`.
    fn history_of(&self, ids: &[String], known: &HashSet<String>) -> HashSet<String> {
        let mut found = HashSet::new();
        let mut stack: Vec<&str> = ids.iter().map(String::as_str).collect();
        while let Some(id) = stack.pop() {
            if id == ORIGIN_ID || known.contains(id) || !found.insert(id.to_string()) {
                continue;
            }
            if let Some(parents) = self.parents_of.get(id) {
                stack.extend(parents.iter().map(String::as_str));
            }
        }
        found
    }
}

/// The full state of the diff snapshot at `path`.
pub(super) fn reconstruct(
    history: &History,
    path: &Path,
    text: &str,
) -> Result<Converted, Diagnostic> {
    let file = path.display().to_string();
    let files = Files::new(history);
    let mut current = Loaded::parse(file.clone(), text)?;

    let mut chain: Vec<Loaded> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    while current.snapshot.is_diff() {
        let Some(parent) = current.snapshot.prev_ids.first().cloned() else {
            return Err(Diagnostic::error(
                &current.file,
                format!("{} is a diff snapshot without a parent", current.file),
            ));
        };
        if parent == ORIGIN_ID || !seen.insert(parent.clone()) {
            return Err(Diagnostic::error(
                &current.file,
                format!(
                    "{} is a diff snapshot but its parents never reach a base snapshot",
                    current.file
                ),
            ));
        }
        let next = files.load(&parent, &current.file)?;
        chain.push(std::mem::replace(&mut current, next));
    }

    let origins = (0..current.snapshot.ddl.len())
        .map(|i| current.origin(i))
        .collect();
    let mut store = Store::new(std::mem::take(&mut current.snapshot.ddl), origins);
    let mut notes = Vec::new();
    for diff in chain.into_iter().rev() {
        let prev_ids = &diff.snapshot.prev_ids;
        if prev_ids.len() > 1 {
            let first = files.history_of(&prev_ids[..1], &HashSet::new());
            let rest = files.history_of(&prev_ids[1..], &first);
            for id in &files.order {
                if !rest.contains(*id) {
                    continue;
                }
                let other = files.load(id, &diff.file)?;
                if other.snapshot.is_diff() {
                    store.apply_all(other, &mut notes);
                }
            }
        }
        store.apply_all(diff, &mut notes);
    }
    let (rows, origins) = store.rows();
    let mut converted = convert_rows(&rows, &origins, crate::model::Dialect::Postgresql);
    notes.append(&mut converted.notes);
    converted.notes = notes;
    Ok(converted)
}

/// Entity rows under drizzle-kit's keys: the entity type, then the JSON array of the
/// fields that identify the entity.
pub(super) struct Store {
    rows: Vec<Option<Value>>,
    origins: Vec<Origin>,
    index: HashMap<String, usize>,
}

impl Store {
    pub(super) fn new(rows: Vec<Value>, origins: Vec<Origin>) -> Self {
        let mut store = Store {
            rows: rows.into_iter().map(Some).collect(),
            origins,
            index: HashMap::new(),
        };
        store.reindex();
        store
    }

    fn reindex(&mut self) {
        self.index.clear();
        for (i, row) in self.rows.iter().enumerate() {
            if let Some(key) = row.as_ref().and_then(qualified_key) {
                self.index.insert(key, i);
            }
        }
    }

    fn apply_all(&mut self, mut diff: Loaded, notes: &mut Vec<Diagnostic>) {
        let mut created = 0;
        for delta in std::mem::take(&mut diff.snapshot.deltas) {
            let origin = diff.origin(created);
            if matches!(delta, Delta::Create { .. }) {
                created += 1;
            }
            if let Err(message) = self.apply(delta, origin) {
                notes.push(Diagnostic::warning(
                    &diff.file,
                    format!("{}: {message}", diff.file),
                ));
            }
        }
    }

    /// Find a row by a delta key; the identity part is re-serialized so that escaping
    /// differences between JSON writers do not matter.
    fn find(&self, key: &str) -> Result<usize, String> {
        let canonical =
            canonical_key(key).ok_or_else(|| format!("delta key {key:?} is malformed"))?;
        self.index.get(&canonical).copied().ok_or_else(|| {
            format!(
                "a delta targets {}, which the state before it does not have",
                show_key(key)
            )
        })
    }

    /// Apply one delta; `origin` is where a created row is written.
    pub(super) fn apply(&mut self, delta: Delta, origin: Origin) -> Result<(), String> {
        match delta {
            Delta::Create { row } => {
                let key =
                    qualified_key(&row).ok_or("a create delta has a row without an entity type")?;
                if let Some(&at) = self.index.get(&key) {
                    if self.rows[at].as_ref() == Some(&row) {
                        return Ok(());
                    }
                    return Err(format!(
                        "a create delta adds {}, which already exists with other values; the \
                         new values are kept",
                        show_key(&key)
                    ));
                }
                self.rows.push(Some(row));
                self.origins.push(origin);
                self.index.insert(key, self.rows.len() - 1);
                Ok(())
            }
            Delta::Drop { key } => {
                let at = self.find(&key)?;
                self.rows[at] = None;
                self.reindex();
                Ok(())
            }
            Delta::Alter { key, set } | Delta::Rename { key, set } => {
                let at = self.find(&key)?;
                self.update(at, set)
            }
        }
    }

    fn update(&mut self, at: usize, set: Map<String, Value>) -> Result<(), String> {
        let Some(Value::Object(row)) = self.rows[at].as_mut() else {
            return Ok(());
        };
        let old = Value::Object(row.clone());
        for (k, v) in set {
            row.insert(k, v);
        }
        let new = Value::Object(row.clone());
        let (Some(old_key), Some(new_key)) = (qualified_key(&old), qualified_key(&new)) else {
            return Ok(());
        };
        if old_key != new_key {
            self.relocate_dependents(old_key, old, new);
        }
        self.reindex();
        let live = self.rows.iter().flatten().count();
        if self.index.len() != live {
            return Err(format!(
                "a rename to {} gives two entities the same key",
                show_key(&new_key)
            ));
        }
        Ok(())
    }

    /// Point the rows that referenced a renamed entity at its new identity, and so on for
    /// rows whose identity changes in turn.
    fn relocate_dependents(&mut self, old_key: String, old: Value, new: Value) {
        let mut reverse: HashMap<String, Vec<(usize, &'static Edge)>> = HashMap::new();
        for (i, row) in self.rows.iter().enumerate() {
            let Some(row) = row else { continue };
            let kind = row.get("entityType").and_then(Value::as_str).unwrap_or("");
            for edge in EDGES.iter().filter(|e| e.from == kind) {
                for target in edge.resolve(row) {
                    reverse.entry(target).or_default().push((i, edge));
                }
            }
        }
        let mut visited: HashSet<String> = HashSet::from([old_key.clone()]);
        let mut queue = vec![(old_key, old, new)];
        let mut next = 0;
        while next < queue.len() {
            let (key, from, to) = queue[next].clone();
            next += 1;
            for (i, edge) in reverse.get(&key).into_iter().flatten() {
                let Some(Value::Object(row)) = self.rows[*i].as_mut() else {
                    continue;
                };
                let before = Value::Object(row.clone());
                let Some(patch) = edge.relocate(&before, &from, &to) else {
                    continue;
                };
                for (k, v) in patch {
                    row.insert(k, v);
                }
                let after = Value::Object(row.clone());
                if let (Some(b), Some(a)) = (qualified_key(&before), qualified_key(&after)) {
                    if a != b && visited.insert(b.clone()) {
                        queue.push((b, before, after));
                    }
                }
            }
        }
    }

    /// The remaining rows and where each was written.
    pub(super) fn rows(self) -> (Vec<Value>, Vec<Origin>) {
        self.rows
            .into_iter()
            .zip(self.origins)
            .filter_map(|(row, origin)| row.map(|r| (r, origin)))
            .unzip()
    }
}

/// The fields that identify a PostgreSQL entity in drizzle-kit 1.0.0-rc.5.
fn identity_fields(entity_type: &str) -> &'static [&'static str] {
    match entity_type {
        "schemas" | "roles" => &["name"],
        "tables" | "enums" | "sequences" | "views" | "indexes" => &["schema", "name"],
        "privileges" => &["schema", "table", "grantor", "grantee", "type"],
        _ => &["schema", "table", "name"],
    }
}

fn key_of(entity_type: &str, row: &Value) -> String {
    let parts: Vec<Value> = identity_fields(entity_type)
        .iter()
        .map(|f| row.get(*f).cloned().unwrap_or(Value::Null))
        .collect();
    format!("{entity_type}\0{}", Value::Array(parts))
}

fn qualified_key(row: &Value) -> Option<String> {
    let entity_type = row.get("entityType")?.as_str()?;
    Some(key_of(entity_type, row))
}

fn canonical_key(key: &str) -> Option<String> {
    let (entity_type, identity) = key.split_once('\0')?;
    let value: Value = serde_json::from_str(identity).ok()?;
    Some(format!("{entity_type}\0{value}"))
}

/// `columns public.users.email` for messages.
fn show_key(key: &str) -> String {
    let (entity_type, identity) = key.split_once('\0').unwrap_or((key, ""));
    let parts = match serde_json::from_str::<Value>(identity) {
        Ok(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("."),
        _ => identity.to_string(),
    };
    format!("{entity_type} {parts}")
}

/// A reference from one entity to another: target identity field ← source field, and at
/// most one list of names (`columns` of an index) that each point at a target.
struct Edge {
    from: &'static str,
    to: &'static str,
    scalars: &'static [(&'static str, &'static str)],
    list: Option<ListRef>,
    /// Columns reference their enum only when `typeSchema` names a user schema.
    enum_type: bool,
}

struct ListRef {
    target: &'static str,
    field: &'static str,
    pick: Option<&'static str>,
    skip_when: Option<&'static str>,
}

const TABLE: &[(&str, &str)] = &[("schema", "schema"), ("name", "table")];
const COLUMNS_OF_TABLE: &[(&str, &str)] = &[("schema", "schema"), ("table", "table")];

const fn list(field: &'static str) -> Option<ListRef> {
    Some(ListRef {
        target: "name",
        field,
        pick: None,
        skip_when: None,
    })
}

const fn edge(
    from: &'static str,
    to: &'static str,
    scalars: &'static [(&'static str, &'static str)],
    list: Option<ListRef>,
) -> Edge {
    Edge {
        from,
        to,
        scalars,
        list,
        enum_type: false,
    }
}

static EDGES: &[Edge] = &[
    edge("tables", "schemas", &[("name", "schema")], None),
    edge("enums", "schemas", &[("name", "schema")], None),
    edge("sequences", "schemas", &[("name", "schema")], None),
    edge("views", "schemas", &[("name", "schema")], None),
    edge("checks", "tables", TABLE, None),
    edge("policies", "tables", TABLE, None),
    edge("policies", "roles", &[], list("roles")),
    edge("privileges", "tables", TABLE, None),
    edge("privileges", "roles", &[("name", "grantee")], None),
    edge("privileges", "roles", &[("name", "grantor")], None),
    edge("columns", "tables", TABLE, None),
    Edge {
        from: "columns",
        to: "enums",
        scalars: &[("schema", "typeSchema"), ("name", "type")],
        list: None,
        enum_type: true,
    },
    edge("indexes", "tables", TABLE, None),
    edge(
        "indexes",
        "columns",
        COLUMNS_OF_TABLE,
        Some(ListRef {
            target: "name",
            field: "columns",
            pick: Some("value"),
            skip_when: Some("isExpression"),
        }),
    ),
    edge("pks", "tables", TABLE, None),
    edge("pks", "columns", COLUMNS_OF_TABLE, list("columns")),
    edge("uniques", "tables", TABLE, None),
    edge("uniques", "columns", COLUMNS_OF_TABLE, list("columns")),
    edge("fks", "tables", TABLE, None),
    edge("fks", "columns", COLUMNS_OF_TABLE, list("columns")),
    edge(
        "fks",
        "tables",
        &[("schema", "schemaTo"), ("name", "tableTo")],
        None,
    ),
    edge(
        "fks",
        "columns",
        &[("schema", "schemaTo"), ("table", "tableTo")],
        list("columnsTo"),
    ),
];

impl Edge {
    fn applies(&self, row: &Value) -> bool {
        if !self.enum_type {
            return true;
        }
        matches!(row.get("typeSchema").and_then(Value::as_str), Some(s) if !s.is_empty() && s != "pg_catalog")
    }

    fn list_values<'r>(&self, list: &ListRef, row: &'r Value) -> Vec<&'r Value> {
        let Some(Value::Array(items)) = row.get(list.field) else {
            return Vec::new();
        };
        items
            .iter()
            .filter(|it| {
                !list
                    .skip_when
                    .is_some_and(|s| it.get(s).is_some_and(is_truthy))
            })
            .filter_map(|it| match list.pick {
                Some(p) => it.get(p),
                None => Some(it),
            })
            .collect()
    }

    /// Keys of the entities `row` points at through this edge.
    fn resolve(&self, row: &Value) -> Vec<String> {
        if !self.applies(row) {
            return Vec::new();
        }
        let mut target = Map::new();
        for (tf, sf) in self.scalars {
            target.insert(
                (*tf).to_string(),
                row.get(*sf).cloned().unwrap_or(Value::Null),
            );
        }
        match &self.list {
            None => vec![key_of(self.to, &Value::Object(target))],
            Some(list) => self
                .list_values(list, row)
                .into_iter()
                .map(|v| {
                    let mut t = target.clone();
                    t.insert(list.target.to_string(), v.clone());
                    key_of(self.to, &Value::Object(t))
                })
                .collect(),
        }
    }

    /// The fields to change in `row` so that it points at `to` instead of `from`, or
    /// `None` when it does not point at `from`.
    fn relocate(&self, row: &Value, from: &Value, to: &Value) -> Option<Map<String, Value>> {
        if !self.applies(row) {
            return None;
        }
        let null = Value::Null;
        for (tf, sf) in self.scalars {
            if row.get(*sf).unwrap_or(&null) != from.get(*tf).unwrap_or(&null) {
                return None;
            }
        }
        let mut patch = Map::new();
        for (tf, sf) in self.scalars {
            patch.insert(
                (*sf).to_string(),
                to.get(*tf).cloned().unwrap_or(Value::Null),
            );
        }
        let Some(list) = &self.list else {
            return Some(patch);
        };
        let Some(Value::Array(items)) = row.get(list.field) else {
            return None;
        };
        let old = from.get(list.target).unwrap_or(&null);
        let new = to.get(list.target).cloned().unwrap_or(Value::Null);
        let mut changed = false;
        let next: Vec<Value> = items
            .iter()
            .map(|it| {
                if list
                    .skip_when
                    .is_some_and(|s| it.get(s).is_some_and(is_truthy))
                {
                    return it.clone();
                }
                let value = match list.pick {
                    Some(p) => it.get(p).unwrap_or(&null),
                    None => it,
                };
                if value != old {
                    return it.clone();
                }
                changed = true;
                match (list.pick, it) {
                    (Some(p), Value::Object(o)) => {
                        let mut o = o.clone();
                        o.insert(p.to_string(), new.clone());
                        Value::Object(o)
                    }
                    _ => new.clone(),
                }
            })
            .collect();
        if !changed {
            return None;
        }
        patch.insert(list.field.to_string(), Value::Array(next));
        Some(patch)
    }
}

fn is_truthy(v: &Value) -> bool {
    !matches!(v, Value::Null | Value::Bool(false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn at(line: u32) -> Origin {
        Origin {
            file: "f.json".into(),
            line: Some(line),
        }
    }

    fn store(rows: Vec<Value>) -> Store {
        let origins = (0..rows.len() as u32).map(at).collect();
        Store::new(rows, origins)
    }

    #[test]
    fn create_drop_alter() {
        let mut store = store(vec![
            json!({"entityType": "tables", "schema": "public", "name": "a", "isRlsEnabled": false}),
            json!({"entityType": "columns", "schema": "public", "table": "a", "name": "x", "type": "int"}),
        ]);
        store
            .apply(
                Delta::Alter {
                    key: "tables\0[\"public\",\"a\"]".into(),
                    set: set(json!({"isRlsEnabled": true})),
                },
                at(99),
            )
            .unwrap();
        // Spaces in the key do not matter.
        store
            .apply(
                Delta::Drop {
                    key: "columns\0[ \"public\", \"a\", \"x\" ]".into(),
                },
                at(99),
            )
            .unwrap();
        store
            .apply(Delta::Create {
                row: json!({"entityType": "columns", "schema": "public", "table": "a", "name": "y", "type": "text"}),
            }, at(7))
            .unwrap();
        let missing = store.apply(
            Delta::Drop {
                key: "tables\0[\"public\",\"zz\"]".into(),
            },
            at(99),
        );
        assert_eq!(
            missing.unwrap_err(),
            "a delta targets tables public.zz, which the state before it does not have"
        );
        let (rows, origins) = store.rows();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            origins[0].line,
            Some(0),
            "a row keeps the origin it was created with"
        );
        assert_eq!(origins[1].line, Some(7));
        assert_eq!(rows[0]["isRlsEnabled"], json!(true));
        assert_eq!(rows[1]["name"], json!("y"));
    }

    #[test]
    fn renaming_a_column_moves_the_index_and_fk_that_use_it() {
        let mut store = store(vec![
            json!({"entityType": "tables", "schema": "public", "name": "users"}),
            json!({"entityType": "columns", "schema": "public", "table": "users", "name": "mail"}),
            json!({"entityType": "indexes", "schema": "public", "table": "users", "name": "i",
                   "columns": [{"value": "mail", "isExpression": false}, {"value": "lower(mail)", "isExpression": true}]}),
            json!({"entityType": "fks", "schema": "public", "table": "posts", "name": "f",
                   "columns": ["author"], "schemaTo": "public", "tableTo": "users", "columnsTo": ["mail"]}),
        ]);
        store
            .apply(
                Delta::Rename {
                    key: "columns\0[\"public\",\"users\",\"mail\"]".into(),
                    set: set(json!({"name": "email"})),
                },
                at(99),
            )
            .unwrap();
        let (rows, _) = store.rows();
        assert_eq!(rows[1]["name"], json!("email"));
        assert_eq!(rows[2]["columns"][0]["value"], json!("email"));
        assert_eq!(rows[2]["columns"][1]["value"], json!("lower(mail)"));
        assert_eq!(rows[3]["columnsTo"], json!(["email"]));
        assert_eq!(rows[3]["columns"], json!(["author"]));
    }

    #[test]
    fn renaming_a_table_moves_its_columns_and_references() {
        let mut store = store(vec![
            json!({"entityType": "tables", "schema": "public", "name": "users"}),
            json!({"entityType": "columns", "schema": "public", "table": "users", "name": "id"}),
            json!({"entityType": "fks", "schema": "public", "table": "posts", "name": "f",
                   "columns": ["author"], "schemaTo": "public", "tableTo": "users", "columnsTo": ["id"]}),
        ]);
        store
            .apply(
                Delta::Rename {
                    key: "tables\0[\"public\",\"users\"]".into(),
                    set: set(json!({"name": "accounts"})),
                },
                at(99),
            )
            .unwrap();
        let (rows, _) = store.rows();
        assert_eq!(rows[1]["table"], json!("accounts"));
        assert_eq!(rows[2]["tableTo"], json!("accounts"));
        assert_eq!(rows[2]["table"], json!("posts"));
        // The moved column is found under its new key.
        let origins = (0..rows.len() as u32).map(at).collect();
        let mut store = Store::new(rows, origins);
        store
            .apply(
                Delta::Drop {
                    key: "columns\0[\"public\",\"accounts\",\"id\"]".into(),
                },
                at(99),
            )
            .unwrap();
        assert_eq!(store.rows().0.len(), 2);
    }
}
