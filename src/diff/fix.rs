//! Forward-only SQL that brings the database back to what the applied migrations say.
//! Written to be safe on a busy table: a short `lock_timeout`, indexes built
//! `CONCURRENTLY`, constraints added `NOT VALID` and validated separately. MySQL's own
//! spelling lives in `mysql`.

mod mysql;

use super::messages::value_text;
use super::objects::{Object, ObjectKey};
use super::Change;
use crate::model::Dialect;
use crate::report::ObjectKind;
use serde_json::Value;

const LOCK: &str = "SET lock_timeout = '5s';";

fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn qualified(schema: &str, name: &str) -> String {
    if schema.is_empty() || schema == "public" {
        ident(name)
    } else {
        format!("{}.{}", ident(schema), ident(name))
    }
}

fn table_of(key: &ObjectKey) -> String {
    qualified(&key.schema, key.table.as_deref().unwrap_or(&key.name))
}

fn text(o: &Object, field: &str) -> Option<String> {
    match o.get(field)? {
        Value::Null => None,
        v => Some(value_text(v)),
    }
}

fn list(o: &Object, field: &str) -> String {
    match o.get(field) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) if is_plain_column(s) => ident(s),
                other => value_text(other),
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

fn is_plain_column(s: &str) -> bool {
    !s.contains(['(', ' '])
}

/// The statement that creates `o` as the migrations describe it.
fn create(key: &ObjectKey, o: &Object) -> Option<String> {
    let table = table_of(key);
    let name = ident(&o.display_name);
    Some(match key.kind {
        ObjectKind::Column => {
            let mut s = format!("ALTER TABLE {table} ADD COLUMN {name} {}", text(o, "type")?);
            if let Some(d) = text(o, "default") {
                s.push_str(&format!(" DEFAULT {d}"));
            }
            if o.get("not_null") == Some(&Value::Bool(true)) {
                s.push_str(" NOT NULL");
            }
            format!("{LOCK}\n{s};")
        }
        ObjectKind::Index => {
            let unique = if o.get("unique") == Some(&Value::Bool(true)) { "UNIQUE " } else { "" };
            let method = text(o, "method").unwrap_or_else(|| "btree".into());
            let mut s = format!(
                "CREATE {unique}INDEX CONCURRENTLY {name} ON {table} USING {method} ({})",
                list(o, "columns")
            );
            if let Some(w) = text(o, "where") {
                s.push_str(&format!(" WHERE {w}"));
            }
            format!("{s};")
        }
        ObjectKind::ForeignKey => {
            let references = text(o, "references")?;
            let (target, cols) = references.split_once('(')?;
            let cols: Vec<String> = cols.trim_end_matches(')').split(", ").map(ident).collect();
            let target = match target.split_once('.') {
                Some((s, t)) => qualified(s, t),
                None => ident(target),
            };
            format!(
                "{LOCK}\nALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({}) REFERENCES {target}({}) ON DELETE {} ON UPDATE {} NOT VALID;\nALTER TABLE {table} VALIDATE CONSTRAINT {name};",
                list(o, "columns"),
                cols.join(", "),
                text(o, "on_delete").unwrap_or_else(|| "no action".into()).to_uppercase(),
                text(o, "on_update").unwrap_or_else(|| "no action".into()).to_uppercase(),
            )
        }
        ObjectKind::Check => format!(
            "{LOCK}\nALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({}) NOT VALID;\nALTER TABLE {table} VALIDATE CONSTRAINT {name};",
            text(o, "definition")?
        ),
        ObjectKind::Unique => format!(
            "CREATE UNIQUE INDEX CONCURRENTLY {name} ON {table} ({cols});\n{LOCK}\nALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE USING INDEX {name};",
            cols = list(o, "columns")
        ),
        ObjectKind::PrimaryKey => format!(
            "{LOCK}\nALTER TABLE {table} ADD CONSTRAINT {name} PRIMARY KEY ({});",
            list(o, "columns")
        ),
        ObjectKind::Schema => format!("CREATE SCHEMA {};", ident(&key.name)),
        ObjectKind::Enum => format!(
            "CREATE TYPE {} AS ENUM ({});",
            qualified(&key.schema, &key.name),
            enum_values(o).join(", ")
        ),
        _ => return None,
    })
}

fn enum_values(o: &Object) -> Vec<String> {
    match o.get("values") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| format!("'{}'", value_text(v).replace('\'', "''")))
            .collect(),
        _ => Vec::new(),
    }
}

/// The statement that removes `o` (something the migrations do not know).
fn drop(key: &ObjectKey, o: &Object) -> Option<String> {
    let table = table_of(key);
    let name = ident(&o.display_name);
    Some(match key.kind {
        ObjectKind::Column => format!("{LOCK}\nALTER TABLE {table} DROP COLUMN {name};"),
        ObjectKind::Index => format!(
            "DROP INDEX CONCURRENTLY {};",
            qualified(&key.schema, &o.display_name)
        ),
        ObjectKind::ForeignKey
        | ObjectKind::Check
        | ObjectKind::Unique
        | ObjectKind::PrimaryKey => {
            format!("{LOCK}\nALTER TABLE {table} DROP CONSTRAINT {name};")
        }
        ObjectKind::Policy => format!("DROP POLICY {name} ON {table};"),
        ObjectKind::Table => format!("DROP TABLE {table};"),
        ObjectKind::View => format!("DROP VIEW {};", qualified(&key.schema, &key.name)),
        ObjectKind::Sequence => format!("DROP SEQUENCE {};", qualified(&key.schema, &key.name)),
        ObjectKind::Enum => format!("DROP TYPE {};", qualified(&key.schema, &key.name)),
        _ => return None,
    })
}

/// The fix of a drift change: make the database match the applied migrations, or (for
/// objects only the database has) keep them by declaring them in the schema.
pub(crate) fn drift(dialect: Dialect, change: &Change) -> Option<String> {
    let mysql = dialect == Dialect::Mysql;
    let key = change.key;
    match (change.field, change.a, change.b) {
        (None, None, Some(live)) => {
            let keep = "to keep it, declare it in the schema, run `drizzle-kit generate` and mark that migration as applied";
            let sql = if mysql {
                mysql::extra(key, live)
            } else {
                drop(key, live)
            };
            Some(match sql {
                Some(sql) => format!("{keep}; to remove it:\n{sql}"),
                None => keep.to_string(),
            })
        }
        (None, Some(expected), None) => {
            let sql = if mysql {
                mysql::missing(key, expected)
            } else {
                create(key, expected)
            };
            Some(sql.unwrap_or_else(|| {
                "re-run the statement of the migration that creates it (see `drizzle-drift migrations`)".into()
            }))
        }
        (Some(field), Some(expected), Some(live)) if mysql => {
            mysql::alter(key, field, expected, live)
        }
        (Some(field), Some(expected), Some(live)) => alter(key, field, expected, live),
        _ => None,
    }
}

fn alter(key: &ObjectKey, field: &str, expected: &Object, live: &Object) -> Option<String> {
    let table = table_of(key);
    let name = ident(&expected.display_name);
    match (key.kind, field) {
        (ObjectKind::Column, "type" | "collation") => Some(format!(
            "{LOCK}\nALTER TABLE {table} ALTER COLUMN {name} SET DATA TYPE {}{};",
            text(expected, "type")?,
            text(expected, "collation")
                // A collation's name can hold dots (`en_US.utf8`): one identifier.
                .map(|c| format!(" COLLATE {}", ident(&c)))
                .unwrap_or_default()
        )),
        (ObjectKind::Column, "not_null") => {
            Some(if expected.get("not_null") == Some(&Value::Bool(true)) {
                format!("{LOCK}\nALTER TABLE {table} ALTER COLUMN {name} SET NOT NULL;")
            } else {
                format!("{LOCK}\nALTER TABLE {table} ALTER COLUMN {name} DROP NOT NULL;")
            })
        }
        (ObjectKind::Column, "default") => Some(match text(expected, "default") {
            Some(d) => format!("{LOCK}\nALTER TABLE {table} ALTER COLUMN {name} SET DEFAULT {d};"),
            None => format!("{LOCK}\nALTER TABLE {table} ALTER COLUMN {name} DROP DEFAULT;"),
        }),
        (ObjectKind::Table, "rls_enabled") => {
            Some(if expected.get("rls_enabled") == Some(&Value::Bool(true)) {
                format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;")
            } else {
                format!("ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;")
            })
        }
        (ObjectKind::Enum, "values") => {
            let have = enum_values(live);
            let missing: Vec<String> = enum_values(expected)
                .into_iter()
                .filter(|v| !have.contains(v))
                .collect();
            let ty = qualified(&key.schema, &key.name);
            if missing.is_empty() {
                Some(format!("the database has values the migrations do not; PostgreSQL cannot drop enum values: recreate {ty} or declare the values in the schema"))
            } else {
                Some(
                    missing
                        .iter()
                        .map(|v| format!("ALTER TYPE {ty} ADD VALUE IF NOT EXISTS {v};"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            }
        }
        (ObjectKind::Enum, "order") => Some(format!(
            "PostgreSQL cannot reorder enum values; if comparisons or sorting on {} need the migrations' order, recreate the type",
            qualified(&key.schema, &key.name)
        )),
        // The same object under another name.
        (ObjectKind::Index, "name") => Some(format!(
            "ALTER INDEX {} RENAME TO {name};",
            qualified(&key.schema, &live.display_name)
        )),
        (ObjectKind::ForeignKey | ObjectKind::Unique | ObjectKind::Check, "name") => Some(format!(
            "{LOCK}\nALTER TABLE {table} RENAME CONSTRAINT {} TO {name};",
            ident(&live.display_name)
        )),
        (
            ObjectKind::Index
            | ObjectKind::ForeignKey
            | ObjectKind::Check
            | ObjectKind::Unique
            | ObjectKind::PrimaryKey,
            _,
        ) => Some(format!("{}\n{}", drop(key, live)?, create(key, expected)?)),
        _ => None,
    }
}
