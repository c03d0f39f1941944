//! Columns of every kept table in one query. Defaults are put in MariaDB's spelling
//! (literals quoted, expressions bare) whatever the server, so normalization meets one
//! form: MySQL 8 prints literals unquoted and expressions with charset introducers and
//! backslash-escaped quotes, marked `DEFAULT_GENERATED`.

use super::server::Flavor;
use super::session::{Fields, Session};
use super::tables::Listing;
use crate::diagnostic::Diagnostic;
use crate::model::{Column, Generated, GeneratedKind};
use std::collections::HashMap;

/// Columns by table name, in ordinal order; and the columns of the migrations table.
pub(super) struct Read {
    pub by_table: HashMap<String, Vec<Column>>,
    pub migrations_columns: Vec<String>,
}

pub(super) async fn query(session: &mut Session) -> Result<Vec<Fields>, String> {
    session
        .rows(
            "columns",
            // No ORDER BY: the server would sort every row of every table; the
            // ordinals are sorted here, per table.
            "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT, \
               EXTRA, GENERATION_EXPRESSION, ORDINAL_POSITION, CHARACTER_SET_NAME, COLLATION_NAME \
             FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()",
        )
        .await
}

pub(super) fn build(
    rows: Vec<Fields>,
    flavor: Flavor,
    listing: &Listing,
    migrations_table: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Read {
    let mut by_table: HashMap<String, Vec<(u32, Column)>> =
        HashMap::with_capacity(listing.tables.len());
    let mut migrations: Vec<(u32, String)> = Vec::new();
    for mut row in rows {
        let position: u32 = row.text(8).parse().unwrap_or(u32::MAX);
        let table = row.text(0);
        if table == migrations_table {
            migrations.push((position, row.take(1)));
            continue;
        }
        if !listing.has_table(table) {
            continue;
        }
        let table = row.take(0);
        let mut column = column(&table, &mut row, flavor, diagnostics);
        // Only a collation other than the table's was given to the column.
        let collation = row.opt(10).filter(|c| !c.is_empty()).map(str::to_string);
        if collation.is_some() && collation.as_ref() != listing.collations.get(&table) {
            column.charset = row.opt(9).filter(|c| !c.is_empty()).map(str::to_string);
            column.collation = collation;
        }
        by_table
            .entry(table)
            .or_insert_with(|| Vec::with_capacity(16))
            .push((position, column));
    }
    migrations.sort_unstable_by_key(|(p, _)| *p);
    Read {
        by_table: by_table
            .into_iter()
            .map(|(table, mut columns)| {
                columns.sort_unstable_by_key(|(p, _)| *p);
                (table, columns.into_iter().map(|(_, c)| c).collect())
            })
            .collect(),
        migrations_columns: migrations.into_iter().map(|(_, c)| c).collect(),
    }
}

fn column(
    table: &str,
    row: &mut Fields,
    flavor: Flavor,
    diagnostics: &mut Vec<Diagnostic>,
) -> Column {
    let name = row.take(1);
    let column_type = row.take(2);
    let data_type = row.text(3).to_ascii_lowercase();
    let extra = row.text(6).to_ascii_lowercase();
    let mut column = Column::new(name, column_type);
    column.not_null = row.text(4) == "NO";
    column.autoincrement = extra.contains("auto_increment");
    column.on_update = extra
        .find("on update ")
        .map(|at| extra[at + "on update ".len()..].trim().to_string())
        .filter(|s| !s.is_empty());
    if extra.contains("generated") && !extra.contains("default_generated") {
        let kind = if extra.contains("virtual") {
            GeneratedKind::Virtual
        } else {
            GeneratedKind::Stored
        };
        match row.opt(7).filter(|e| !e.is_empty()) {
            Some(expression) => {
                column.generated = Some(Generated {
                    expression: clean_expression(expression),
                    kind,
                })
            }
            None => diagnostics.push(Diagnostic::warning(
                format!("{table}.{}", column.name),
                "a generated column without an expression in information_schema; its expression is not compared",
            )),
        }
        return column;
    }
    column.default = match flavor {
        Flavor::Mariadb => mariadb_default(row.opt(5)),
        Flavor::Mysql => mysql_default(row.opt(5), &data_type, &extra),
    };
    column
}

/// MariaDB 10.2.7+: `NULL` (SQL NULL) for no default, the text `NULL` for `DEFAULT NULL`,
/// otherwise the default as SQL (`'x'`, `0`, `current_timestamp()`, `(1 + 1)`).
fn mariadb_default(raw: Option<&str>) -> Option<String> {
    let raw = raw?.trim();
    if raw.eq_ignore_ascii_case("null") {
        return None;
    }
    Some(raw.to_string())
}

/// MySQL: SQL NULL for no default or `DEFAULT NULL`; expressions (`DEFAULT_GENERATED`)
/// as written but with introducers; literals bare.
fn mysql_default(raw: Option<&str>, data_type: &str, extra: &str) -> Option<String> {
    let raw = raw?;
    if extra.contains("default_generated") {
        let expression = clean_expression(raw);
        let bare = expression.trim();
        let lower = bare.to_ascii_lowercase();
        return Some(
            if lower.starts_with("current_timestamp")
                || lower.starts_with("now(")
                || lower.starts_with("localtime")
                || (bare.starts_with('(') && bare.ends_with(')'))
            {
                bare.to_string()
            } else {
                format!("({bare})")
            },
        );
    }
    let numeric = matches!(
        data_type,
        "tinyint"
            | "smallint"
            | "mediumint"
            | "int"
            | "integer"
            | "bigint"
            | "decimal"
            | "numeric"
            | "float"
            | "double"
            | "real"
            | "year"
    );
    if numeric || (data_type == "bit" && raw.starts_with("b'")) {
        Some(raw.to_string())
    } else {
        Some(format!("'{}'", raw.replace('\'', "''")))
    }
}

/// MySQL prints expressions from the data dictionary with charset introducers and
/// backslash-escaped quotes (`concat(_utf8mb4\'a\',`b`)`): back to plain SQL.
pub(super) fn clean_expression(raw: &str) -> String {
    let unescaped = raw.replace("\\'", "'");
    let mut out = String::with_capacity(unescaped.len());
    let mut rest = unescaped.as_str();
    let mut in_string = false;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            in_string = !in_string;
        }
        if !in_string && c == '_' && !out.ends_with(|p: char| p.is_alphanumeric() || p == '_') {
            // `_utf8mb4'…'`, `_latin1'…'`, `_binary'…'`
            let word_end = rest[1..]
                .find(|ch: char| !(ch.is_ascii_alphanumeric()))
                .map_or(rest.len(), |i| i + 1);
            if word_end > 1 && rest[word_end..].starts_with('\'') {
                rest = &rest[word_end..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mysql_spellings_become_mariadb_spellings() {
        assert_eq!(
            mysql_default(Some("anonymous"), "varchar", ""),
            Some("'anonymous'".into())
        );
        assert_eq!(
            mysql_default(Some("it's"), "varchar", ""),
            Some("'it''s'".into())
        );
        assert_eq!(
            mysql_default(Some("0.00"), "decimal", ""),
            Some("0.00".into())
        );
        assert_eq!(
            mysql_default(
                Some("CURRENT_TIMESTAMP(3)"),
                "timestamp",
                "default_generated"
            ),
            Some("CURRENT_TIMESTAMP(3)".into())
        );
        assert_eq!(
            mysql_default(Some("now()"), "timestamp", "default_generated"),
            Some("now()".into())
        );
        assert_eq!(
            mysql_default(Some(r#"_utf8mb4\'{"a":1}\'"#), "json", "default_generated"),
            Some(r#"('{"a":1}')"#.into())
        );
        assert_eq!(mysql_default(None, "int", ""), None);
        assert_eq!(mariadb_default(Some("NULL")), None);
        assert_eq!(mariadb_default(Some("'NULL'")), Some("'NULL'".into()));
    }

    #[test]
    fn introducers_and_escapes_are_removed() {
        assert_eq!(
            clean_expression(r"concat(`first_name`,_utf8mb4\' \',`last_name`)"),
            "concat(`first_name`,' ',`last_name`)"
        );
        assert_eq!(clean_expression("`my_col` > 0"), "`my_col` > 0");
        assert_eq!(clean_expression("a_b('x')"), "a_b('x')");
        assert_eq!(clean_expression("'_utf8mb4'"), "'_utf8mb4'");
    }
}
