//! The same fixes in MySQL/MariaDB SQL. DDL commits on its own there and takes a metadata
//! lock: a short `lock_wait_timeout` first, and `ALGORITHM=INPLACE, LOCK=NONE` where both
//! servers document it (indexes, dropping columns and foreign keys) so the statement fails
//! instead of blocking writes when the server would have to copy the table. Foreign keys
//! are validated as they are added (there is no `NOT VALID`).

use super::text;
use crate::diff::objects::{Object, ObjectKey};
use crate::report::ObjectKind;
use serde_json::Value;

const LOCK: &str = "SET SESSION lock_wait_timeout = 5;";
const ONLINE: &str = "ALGORITHM=INPLACE, LOCK=NONE";

fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

fn table_of(key: &ObjectKey) -> String {
    let table = ident(key.table.as_deref().unwrap_or(&key.name));
    if key.schema.is_empty() {
        table
    } else {
        format!("{}.{table}", ident(&key.schema))
    }
}

/// `` `a`.`b` `` from `a.b` (the model prints another database's table so).
fn qualified_text(name: &str) -> String {
    match name.split_once('.') {
        Some((schema, table)) => format!("{}.{}", ident(schema), ident(table)),
        None => ident(name),
    }
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty() && !s.contains(['(', ')', ' ', '`', '\'', ','])
}

/// One index key as `index_key_text` printed it (`name`, `name desc`, `name(10)`,
/// `lower(email)`) back in MySQL syntax.
fn key_part(key: &str) -> String {
    let (body, desc) = match key.strip_suffix(" desc") {
        Some(b) => (b, " DESC"),
        None => (key, ""),
    };
    // A column name with capitals reads `"createdAt"`.
    let unquoted = body.strip_prefix('"').and_then(|b| b.strip_suffix('"'));
    let body = unquoted.filter(|b| !b.contains('"')).unwrap_or(body);
    if is_identifier(body) {
        return format!("{}{desc}", ident(body));
    }
    // a prefix: `name(10)`
    if let Some((column, rest)) = body.split_once('(') {
        let length = rest.strip_suffix(')').unwrap_or("");
        if is_identifier(column) && !length.is_empty() && length.chars().all(|c| c.is_ascii_digit())
        {
            return format!("{}({length}){desc}", ident(column));
        }
    }
    // a functional key part (MySQL 8.0.13+) is written in its own parentheses
    format!("({body}){desc}")
}

fn keys(o: &Object, field: &str) -> String {
    match o.get(field) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(key_part)
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

fn is_true(o: &Object, field: &str) -> bool {
    o.get(field) == Some(&Value::Bool(true))
}

/// A default as `DEFAULT` takes it: literals as they are, anything else (and any value
/// of a JSON/TEXT/BLOB column, which MySQL 8 accepts only as an expression) in
/// parentheses.
fn default_clause(default: &str, ty: &str) -> String {
    let lower = default.to_ascii_lowercase();
    let base = ty.split(['(', ' ']).next().unwrap_or(ty);
    let needs_expression = base == "json" || base.ends_with("text") || base.ends_with("blob");
    let literal = default.starts_with('\'')
        || default.starts_with("b'")
        || default.starts_with("x'")
        || matches!(lower.as_str(), "true" | "false")
        || default.parse::<f64>().is_ok();
    let now = lower.starts_with("current_timestamp")
        || lower.starts_with("now(")
        || lower.starts_with("localtime");
    let parenthesized = default.starts_with('(') && default.ends_with(')');
    if ((literal || now) && !needs_expression) || parenthesized {
        default.to_string()
    } else {
        format!("({default})")
    }
}

/// The whole column definition the migrations describe: `MODIFY COLUMN` restates every
/// attribute, so nothing may be left out.
fn column_definition(o: &Object) -> Option<String> {
    let ty = text(o, "type")?;
    let mut s = format!("{} {ty}", ident(&o.display_name));
    // None: the table's own, which MODIFY gives a column that names none.
    if let Some(charset) = text(o, "charset") {
        s.push_str(&format!(" CHARACTER SET {charset}"));
    }
    if let Some(collation) = text(o, "collation") {
        s.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(generated) = text(o, "generated") {
        // `expr (stored)` / `expr (virtual)`
        let (expression, kind) = generated.rsplit_once(" (")?;
        let kind = kind.trim_end_matches(')').to_ascii_uppercase();
        s.push_str(&format!(" GENERATED ALWAYS AS ({expression}) {kind}"));
        if is_true(o, "not_null") {
            s.push_str(" NOT NULL");
        }
        return Some(s);
    }
    s.push_str(if is_true(o, "not_null") {
        " NOT NULL"
    } else {
        " NULL"
    });
    if let Some(d) = text(o, "default") {
        s.push_str(&format!(" DEFAULT {}", default_clause(&d, &ty)));
    }
    if let Some(u) = text(o, "on_update") {
        s.push_str(&format!(" ON UPDATE {u}"));
    }
    if is_true(o, "autoincrement") {
        s.push_str(" AUTO_INCREMENT");
    }
    Some(s)
}

fn references(o: &Object) -> Option<(String, String)> {
    let references = text(o, "references")?;
    let (target, cols) = references.split_once('(')?;
    let cols: Vec<String> = cols.trim_end_matches(')').split(", ").map(ident).collect();
    Some((qualified_text(target), cols.join(", ")))
}

fn action(o: &Object, field: &str) -> String {
    text(o, field)
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "no action".into())
        .to_uppercase()
}

/// `ADD …` clause of an index or unique key.
fn add_index(o: &Object, unique: bool) -> String {
    let method = text(o, "method").unwrap_or_default();
    let (kind, online) = match method.as_str() {
        "fulltext" => ("FULLTEXT INDEX", false),
        "spatial" => ("SPATIAL INDEX", false),
        _ if unique => ("UNIQUE INDEX", true),
        _ => ("INDEX", true),
    };
    let clause = format!(
        "ADD {kind} {} ({})",
        ident(&o.display_name),
        keys(o, "columns")
    );
    if online {
        format!("{clause}, {ONLINE}")
    } else {
        clause
    }
}

/// The statement that creates `o` as the migrations describe it.
fn create(key: &ObjectKey, o: &Object) -> Option<String> {
    let table = table_of(key);
    let name = ident(&o.display_name);
    Some(match key.kind {
        ObjectKind::Column => {
            let definition = column_definition(o)?;
            // Auto-increment and stored generated columns need a copy of the table.
            let online = if is_true(o, "autoincrement")
                || text(o, "generated").is_some_and(|g| g.ends_with("(stored)"))
            {
                String::new()
            } else {
                format!(", {ONLINE}")
            };
            format!("{LOCK}\nALTER TABLE {table} ADD COLUMN {definition}{online};")
        }
        ObjectKind::Index => format!(
            "{LOCK}\nALTER TABLE {table} {};",
            add_index(o, is_true(o, "unique"))
        ),
        ObjectKind::Unique => format!("{LOCK}\nALTER TABLE {table} {};", add_index(o, true)),
        ObjectKind::ForeignKey => {
            let (target, ref_columns) = references(o)?;
            format!(
                "{LOCK}\nALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({}) REFERENCES {target} ({ref_columns}) ON DELETE {} ON UPDATE {};",
                keys(o, "columns"),
                action(o, "on_delete"),
                action(o, "on_update"),
            )
        }
        ObjectKind::Check => format!(
            "{LOCK}\nALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({});",
            text(o, "definition")?
        ),
        ObjectKind::PrimaryKey => format!(
            "{LOCK}\nALTER TABLE {table} ADD PRIMARY KEY ({});",
            keys(o, "columns")
        ),
        _ => return None,
    })
}

/// The statement that removes `o` (something the migrations do not know).
fn drop(key: &ObjectKey, o: &Object) -> Option<String> {
    let table = table_of(key);
    let name = ident(&o.display_name);
    Some(match key.kind {
        ObjectKind::Column => {
            format!("{LOCK}\nALTER TABLE {table} DROP COLUMN {name}, {ONLINE};")
        }
        ObjectKind::Index | ObjectKind::Unique => {
            format!("{LOCK}\nALTER TABLE {table} DROP INDEX {name}, {ONLINE};")
        }
        ObjectKind::ForeignKey => format!(
            "{LOCK}\nALTER TABLE {table} DROP FOREIGN KEY {name}, {ONLINE};\n-- InnoDB keeps the index it made for the key: ALTER TABLE {table} DROP INDEX {name}; if one is left"
        ),
        ObjectKind::Check => format!("{LOCK}\nALTER TABLE {table} DROP CONSTRAINT {name};"),
        ObjectKind::PrimaryKey => format!("{LOCK}\nALTER TABLE {table} DROP PRIMARY KEY;"),
        ObjectKind::Table => format!("DROP TABLE {table};"),
        ObjectKind::View => format!("DROP VIEW {};", table_of(key)),
        _ => return None,
    })
}

pub(super) fn missing(key: &ObjectKey, expected: &Object) -> Option<String> {
    create(key, expected)
}

pub(super) fn extra(key: &ObjectKey, live: &Object) -> Option<String> {
    drop(key, live)
}

pub(super) fn alter(
    key: &ObjectKey,
    field: &str,
    expected: &Object,
    live: &Object,
) -> Option<String> {
    let table = table_of(key);
    match (key.kind, field) {
        (ObjectKind::Column, _) => Some(format!(
            "{LOCK}\n-- MODIFY restates the whole column: add its COMMENT if it has one\nALTER TABLE {table} MODIFY COLUMN {};",
            column_definition(expected)?
        )),
        // One statement: the table is never without its key.
        (ObjectKind::PrimaryKey, _) => Some(format!(
            "{LOCK}\nALTER TABLE {table} DROP PRIMARY KEY, ADD PRIMARY KEY ({});",
            keys(expected, "columns")
        )),
        (ObjectKind::Index | ObjectKind::Unique, "name") => Some(format!(
            "{LOCK}\nALTER TABLE {table} RENAME INDEX {} TO {};",
            ident(&live.display_name),
            ident(&expected.display_name)
        )),
        (ObjectKind::Index | ObjectKind::Unique, _) => Some(format!(
            "{LOCK}\nALTER TABLE {table} DROP INDEX {}, {};",
            ident(&live.display_name),
            add_index(
                expected,
                key.kind == ObjectKind::Unique || is_true(expected, "unique")
            )
        )),
        // A foreign key or check cannot be dropped and re-added under the same name in
        // one statement.
        (ObjectKind::ForeignKey, _) => Some(format!(
            "{LOCK}\nALTER TABLE {table} DROP FOREIGN KEY {}, {ONLINE};\n{}",
            ident(&live.display_name),
            create(key, expected)?
                .trim_start_matches(LOCK)
                .trim_start()
        )),
        (ObjectKind::Check, _) => Some(format!(
            "{}\n{}",
            drop(key, live)?,
            create(key, expected)?.trim_start_matches(LOCK).trim_start()
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_parts_are_mysql_syntax() {
        assert_eq!(key_part("email"), "`email`");
        assert_eq!(key_part("created_at desc"), "`created_at` DESC");
        assert_eq!(key_part("name(10)"), "`name`(10)");
        assert_eq!(key_part("lower(`email`)"), "(lower(`email`))");
    }

    #[test]
    fn defaults_are_literals_or_expressions() {
        assert_eq!(default_clause("'member'", "varchar(20)"), "'member'");
        assert_eq!(default_clause("1.00", "decimal(10,2)"), "1.00");
        assert_eq!(default_clause("true", "boolean"), "true");
        assert_eq!(
            default_clause("current_timestamp(3)", "timestamp(3)"),
            "current_timestamp(3)"
        );
        assert_eq!(default_clause("'{\"a\":1}'", "json"), "('{\"a\":1}')");
        assert_eq!(default_clause("uuid()", "varchar(36)"), "(uuid())");
    }
}
