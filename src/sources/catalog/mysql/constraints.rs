//! Foreign keys and check constraints.

use super::columns::clean_expression;
use super::server::{Flavor, ServerInfo};
use super::session::{Fields, Session};
use crate::diagnostic::{Diagnostic, Level};
use crate::model::{Check, ForeignKey, QualifiedName, Table};
use std::collections::HashMap;

/// The rows of [`foreign_key_rules`] and [`foreign_key_columns`].
pub(super) struct ForeignKeyRows {
    rules: Vec<Fields>,
    columns: Vec<Fields>,
}

/// Two queries, joined in [`foreign_keys`]: MariaDB cannot restrict a join of the two
/// views to one database and opens every table of the server for it.
pub(super) async fn foreign_key_rows(session: &mut Session) -> Result<ForeignKeyRows, String> {
    let rules = session
        .rows(
            "foreign keys",
            "SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE \
             FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
        )
        .await?;
    let columns = session
        .rows(
            "foreign key columns",
            "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, \
               REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME, ORDINAL_POSITION \
             FROM information_schema.KEY_COLUMN_USAGE \
             WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL",
        )
        .await?;
    Ok(ForeignKeyRows { rules, columns })
}

pub(super) fn foreign_keys(
    rows: ForeignKeyRows,
    info: &ServerInfo,
    tables: &mut HashMap<String, Table>,
) {
    let mut rules: HashMap<(String, String), (String, String)> = rows
        .rules
        .into_iter()
        .map(|mut r| ((r.take(0), r.take(1)), (r.take(2), r.take(3))))
        .collect();
    // (table, constraint, position): the columns of a key in order, whatever the
    // server's.
    let mut rows: Vec<_> = rows
        .columns
        .into_iter()
        .map(|row| {
            let position: u32 = row.text(6).parse().unwrap_or(u32::MAX);
            (position, row)
        })
        .collect();
    rows.sort_unstable_by(|(pa, a), (pb, b)| {
        (a.text(0), a.text(1), pa).cmp(&(b.text(0), b.text(1), pb))
    });
    for (_, mut row) in rows {
        let Some(table) = tables.get_mut(row.text(0)) else {
            continue;
        };
        let column = row.take(2);
        let ref_column = row.take(5);
        if let Some(fk) = table
            .foreign_keys
            .last_mut()
            .filter(|f| f.name == row.text(1))
        {
            fk.columns.push(column);
            fk.ref_columns.push(ref_column);
            continue;
        }
        let (table_name, name) = (row.take(0), row.take(1));
        let (on_update, on_delete) = rules
            .remove(&(table_name, name.clone()))
            .unwrap_or_default();
        // The current database is the model's default schema (spelled "").
        let ref_schema = row.take(3);
        let ref_schema = if ref_schema == info.database {
            String::new()
        } else {
            ref_schema
        };
        table.foreign_keys.push(ForeignKey {
            name,
            columns: vec![column],
            references: QualifiedName::new(ref_schema, row.take(4)),
            ref_columns: vec![ref_column],
            on_delete,
            on_update,
            origin: None,
        });
    }
}

/// The check constraints' rows; `None` when the server does not list them.
pub(super) async fn check_rows(
    session: &mut Session,
    info: &ServerInfo,
) -> Result<Option<Vec<Fields>>, String> {
    let sql = match info.flavor {
        // CHECK_CONSTRAINTS has TABLE_NAME since 10.3.10.
        Flavor::Mariadb if info.at_least(10, 3, 10) => {
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = DATABASE()"
        }
        // Enforced since 8.0.16; their names are unique per schema.
        Flavor::Mysql if info.at_least(8, 0, 16) => {
            "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE \
             FROM information_schema.TABLE_CONSTRAINTS tc \
             JOIN information_schema.CHECK_CONSTRAINTS cc \
               ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
             WHERE tc.TABLE_SCHEMA = DATABASE() AND cc.CONSTRAINT_SCHEMA = DATABASE() \
               AND tc.CONSTRAINT_TYPE = 'CHECK'"
        }
        _ => return Ok(None),
    };
    session.rows("checks", sql).await.map(Some)
}

pub(super) fn checks(
    rows: Option<Vec<Fields>>,
    info: &ServerInfo,
    tables: &mut HashMap<String, Table>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(rows) = rows else {
        diagnostics.push(Diagnostic::new(
            Level::Info,
            info.server_string(),
            "this server does not list check constraints (MySQL 8.0.16+ / MariaDB 10.3.10+); checks are not compared",
        ));
        return;
    };
    for mut row in rows {
        let Some(table) = tables.get_mut(row.text(0)) else {
            continue;
        };
        table.checks.push(Check {
            name: row.take(1),
            expression: clean_expression(row.text(2)),
            origin: None,
        });
    }
    for table in tables.values_mut() {
        table.checks.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    }
}
