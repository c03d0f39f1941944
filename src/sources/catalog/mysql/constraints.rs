//! Foreign keys and check constraints.

use super::columns::clean_expression;
use super::server::{Flavor, ServerInfo};
use super::session::Session;
use crate::diagnostic::{Diagnostic, Level};
use crate::model::{Check, ForeignKey, QualifiedName, Table};
use std::collections::HashMap;

/// Two queries, joined here: MariaDB cannot restrict a join of the two views to one
/// database and opens every table of the server for it.
pub(super) async fn foreign_keys(
    session: &mut Session,
    info: &ServerInfo,
    tables: &mut HashMap<String, Table>,
) -> Result<(), String> {
    let rules = session
        .rows(
            "foreign keys",
            "SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE \
             FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
        )
        .await?;
    let rules: HashMap<(String, String), (String, String)> = rules
        .iter()
        .map(|r| ((r.owned(0), r.owned(1)), (r.owned(2), r.owned(3))))
        .collect();
    let rows = session
        .rows(
            "foreign key columns",
            "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, \
               REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME \
             FROM information_schema.KEY_COLUMN_USAGE \
             WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL \
             ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
        )
        .await?;
    for row in &rows {
        let Some(table) = tables.get_mut(row.text(0)) else {
            continue;
        };
        let name = row.text(1);
        let column = row.owned(2);
        let ref_column = row.owned(5);
        if let Some(fk) = table.foreign_keys.iter_mut().find(|f| f.name == name) {
            fk.columns.push(column);
            fk.ref_columns.push(ref_column);
            continue;
        }
        // The current database is the model's default schema (spelled "").
        let ref_schema = row.text(3);
        let ref_schema = if ref_schema == info.database {
            ""
        } else {
            ref_schema
        };
        let (on_update, on_delete) = rules
            .get(&(row.owned(0), name.to_string()))
            .cloned()
            .unwrap_or_default();
        table.foreign_keys.push(ForeignKey {
            name: name.to_string(),
            columns: vec![column],
            references: QualifiedName::new(ref_schema, row.text(4)),
            ref_columns: vec![ref_column],
            on_delete,
            on_update,
            origin: None,
        });
    }
    Ok(())
}

pub(super) async fn checks(
    session: &mut Session,
    info: &ServerInfo,
    tables: &mut HashMap<String, Table>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), String> {
    let sql = match info.flavor {
        // CHECK_CONSTRAINTS has TABLE_NAME since 10.3.10.
        Flavor::Mariadb if info.at_least(10, 3, 10) => {
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME"
        }
        // Enforced since 8.0.16; their names are unique per schema.
        Flavor::Mysql if info.at_least(8, 0, 16) => {
            "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE \
             FROM information_schema.TABLE_CONSTRAINTS tc \
             JOIN information_schema.CHECK_CONSTRAINTS cc \
               ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
             WHERE tc.TABLE_SCHEMA = DATABASE() AND cc.CONSTRAINT_SCHEMA = DATABASE() \
               AND tc.CONSTRAINT_TYPE = 'CHECK' \
             ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME"
        }
        _ => {
            diagnostics.push(Diagnostic::new(
                Level::Info,
                info.server_string(),
                "this server does not list check constraints (MySQL 8.0.16+ / MariaDB 10.3.10+); checks are not compared",
            ));
            return Ok(());
        }
    };
    let rows = session.rows("checks", sql).await?;
    for row in &rows {
        let Some(table) = tables.get_mut(row.text(0)) else {
            continue;
        };
        table.checks.push(Check {
            name: row.owned(1),
            expression: clean_expression(row.text(2)),
            origin: None,
        });
    }
    Ok(())
}
