//! Rows of the migrations table: drizzle 0.x (`id, hash, created_at`) and 1.0 (adds
//! `name, applied_at`), whichever columns exist.

use super::session::{ident, Session};
use super::ReadOptions;
use crate::diagnostic::Diagnostic;
use crate::sources::catalog::AppliedMigration;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct AppliedRow {
    id: Option<String>,
    hash: Option<String>,
    created_at: Option<String>,
    name: Option<String>,
    applied_at: Option<String>,
}

pub(super) async fn read(
    session: &mut Session,
    opts: &ReadOptions,
    columns: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<AppliedMigration>, String> {
    let table = format!(
        "{}.{}",
        ident(&opts.migrations_schema)?,
        ident(&opts.migrations_table)?
    );
    let location = format!("{}.{}", opts.migrations_schema, opts.migrations_table);
    let has = |c: &str| columns.iter().any(|x| x == c);
    if !has("hash") {
        diagnostics.push(Diagnostic::error(
            location,
            format!(
                "not a drizzle migrations table: it has no `hash` column (columns: {})",
                columns.join(", ")
            ),
        ));
        return Ok(Vec::new());
    }
    let field = |c: &str| {
        if has(c) {
            format!("{}::text", ident(c).unwrap_or_default())
        } else {
            "NULL".to_string()
        }
    };
    let order = if has("id") {
        "ORDER BY \"id\""
    } else if has("created_at") {
        "ORDER BY \"created_at\" NULLS FIRST"
    } else {
        ""
    };
    let sql = format!(
        "SELECT json_build_object('id', {id}, 'hash', {hash}, 'created_at', {created_at}, \
           'name', {name}, 'applied_at', {applied_at}) FROM {table} {order}",
        id = field("id"),
        hash = field("hash"),
        created_at = field("created_at"),
        name = field("name"),
        applied_at = field("applied_at"),
    );
    let rows: Vec<AppliedRow> = session
        .json_rows("applied migrations", &sql, diagnostics)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        let ordinal = i as i64 + 1;
        let id = match row.id.as_deref().map(str::parse::<i64>) {
            Some(Ok(id)) => id,
            None => ordinal,
            Some(Err(_)) => {
                diagnostics.push(Diagnostic::error(
                    location.clone(),
                    format!(
                        "row {ordinal}: id {:?} is not a number",
                        row.id.unwrap_or_default()
                    ),
                ));
                ordinal
            }
        };
        let created_at = match row.created_at.as_deref().map(str::parse::<i64>) {
            Some(Ok(ms)) => Some(ms),
            None => None,
            Some(Err(_)) => {
                diagnostics.push(Diagnostic::error(
                    location.clone(),
                    format!(
                        "row id {id}: created_at {:?} is not a number of milliseconds",
                        row.created_at.unwrap_or_default()
                    ),
                ));
                None
            }
        };
        let hash = row.hash.unwrap_or_else(|| {
            diagnostics.push(Diagnostic::error(
                location.clone(),
                format!("row id {id}: hash is NULL"),
            ));
            String::new()
        });
        out.push(AppliedMigration {
            id,
            hash,
            created_at,
            name: row.name,
            applied_at: row.applied_at,
        });
    }
    Ok(out)
}
