//! MySQL snapshots of drizzle-kit 0.x (version 5): tables keyed by bare name, single-column
//! primary keys in `compositePrimaryKeys`, `checkConstraint` (singular), `autoincrement`
//! and `onUpdate` on columns.

use super::pg_legacy::{column, RawCheck, RawColumn, RawPrimaryKey, RawUnique, RawView};
use super::{fk_action, parse_typed, table_lines, Converted, Ordered};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Check, Dialect, ForeignKey, Index, IndexKey, Origin, PrimaryKey, QualifiedName, Schema, Table,
    Unique,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Snapshot {
    #[serde(default)]
    tables: Ordered<RawTable>,
    #[serde(default)]
    views: Ordered<RawView>,
    #[serde(default)]
    internal: Option<Internal>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTable {
    name: String,
    #[serde(default)]
    columns: Ordered<RawColumn>,
    #[serde(default)]
    indexes: Ordered<RawIndex>,
    #[serde(default)]
    foreign_keys: Ordered<RawForeignKey>,
    #[serde(default)]
    composite_primary_keys: Ordered<RawPrimaryKey>,
    #[serde(default)]
    unique_constraints: Ordered<RawUnique>,
    #[serde(default)]
    check_constraint: Ordered<RawCheck>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawIndex {
    name: String,
    #[serde(default)]
    columns: Vec<String>,
    #[serde(default)]
    is_unique: bool,
    #[serde(default)]
    using: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawForeignKey {
    name: String,
    table_to: String,
    #[serde(default)]
    columns_from: Vec<String>,
    #[serde(default)]
    columns_to: Vec<String>,
    #[serde(default)]
    on_delete: Option<String>,
    #[serde(default)]
    on_update: Option<String>,
}

/// `internal.indexes.<index>.columns.<text>.isExpression`: which index columns are SQL
/// expressions rather than column names.
#[derive(Deserialize, Default)]
struct Internal {
    #[serde(default)]
    indexes: Ordered<InternalIndex>,
}

#[derive(Deserialize, Default)]
struct InternalIndex {
    #[serde(default)]
    columns: Ordered<InternalIndexColumn>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct InternalIndexColumn {
    #[serde(default)]
    is_expression: Option<bool>,
}

pub(super) fn convert(text: &str, file: &str) -> Result<Converted, Diagnostic> {
    let raw: Snapshot = parse_typed(text, file)?;
    let mut schema = Schema::new(Dialect::Mysql);
    let mut notes = Vec::new();
    let internal = raw.internal.unwrap_or_default();
    let is_expression = |index: &str, column: &str| {
        internal
            .indexes
            .0
            .iter()
            .find(|(k, _)| k == index)
            .and_then(|(_, i)| i.columns.0.iter().find(|(c, _)| c == column))
            .and_then(|(_, c)| c.is_expression)
            .unwrap_or(false)
    };

    let mut lines = table_lines(text, raw.tables.0.iter().map(|(k, _)| k.as_str()));
    for (key, t) in &raw.tables.0 {
        let name = QualifiedName::new("", t.name.clone());
        let mut table = Table::new(name.clone());
        table.origin = Some(Origin {
            file: file.to_string(),
            line: lines.remove(key.as_str()),
        });
        let mut marked = Vec::new();
        for c in t.columns.values() {
            if c.primary_key {
                marked.push(c.name.clone());
            }
            table.columns.push(column(c));
        }
        table.primary_key = match t.composite_primary_keys.values().next() {
            Some(pk) => Some(PrimaryKey {
                name: pk.name.clone(),
                columns: pk.columns.clone(),
            }),
            // MySQL names every primary key PRIMARY.
            None if !marked.is_empty() => Some(PrimaryKey {
                name: "PRIMARY".to_string(),
                columns: marked,
            }),
            None => None,
        };
        if t.composite_primary_keys.0.len() > 1 {
            notes.push(Diagnostic::warning(
                file,
                format!("{file}: table {name} has several primary keys; the first one is kept"),
            ));
        }
        for i in t.indexes.values() {
            table.indexes.push(Index {
                name: i.name.clone(),
                keys: i
                    .columns
                    .iter()
                    .map(|c| IndexKey {
                        expression: c.clone(),
                        is_expression: is_expression(&i.name, c),
                        asc: true,
                        nulls_first: false,
                        opclass: None,
                    })
                    .collect(),
                unique: i.is_unique,
                method: i.using.clone().unwrap_or_else(|| "btree".to_string()),
                where_clause: None,
                with: Vec::new(),
                origin: None,
            });
        }
        for fk in t.foreign_keys.values() {
            table.foreign_keys.push(ForeignKey {
                name: fk.name.clone(),
                columns: fk.columns_from.clone(),
                references: QualifiedName::new("", fk.table_to.clone()),
                ref_columns: fk.columns_to.clone(),
                on_delete: fk_action(&fk.on_delete),
                on_update: fk_action(&fk.on_update),
                origin: None,
            });
        }
        for u in t.unique_constraints.values() {
            table.uniques.push(Unique {
                name: u.name.clone(),
                columns: u.columns.clone(),
                nulls_not_distinct: false,
                origin: None,
            });
        }
        for c in t.check_constraint.values() {
            table.checks.push(Check {
                name: c.name.clone(),
                expression: c.value.clone(),
                origin: None,
            });
        }
        schema.tables.insert(name, table);
    }
    for v in raw.views.values() {
        let name = QualifiedName::new("", v.name.clone());
        schema
            .views
            .insert(name.clone(), super::pg_legacy::view(name, v, file));
    }
    Ok(Converted { schema, notes })
}
