//! Rows of the migrations table (`__drizzle_migrations` in the current database unless
//! configured): drizzle-orm 0.x writes `id, hash, created_at`; whichever columns exist.

use super::session::{ident, Session};
use crate::diagnostic::Diagnostic;
use crate::sources::catalog::AppliedMigration;

pub(super) async fn read(
    session: &mut Session,
    table: &str,
    columns: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<AppliedMigration>, String> {
    let has = |c: &str| columns.iter().any(|x| x.eq_ignore_ascii_case(c));
    if !has("hash") {
        diagnostics.push(Diagnostic::error(
            table,
            format!(
                "not a drizzle migrations table: it has no `hash` column (columns: {})",
                columns.join(", ")
            ),
        ));
        return Ok(Vec::new());
    }
    let field = |c: &str| {
        if has(c) {
            format!("CAST({} AS CHAR)", ident(c).unwrap_or_default())
        } else {
            "NULL".to_string()
        }
    };
    let order = if has("id") {
        "ORDER BY `id`"
    } else if has("created_at") {
        "ORDER BY `created_at`"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {id}, {hash}, {created_at}, {name}, {applied_at} FROM {table} {order}",
        id = field("id"),
        hash = field("hash"),
        created_at = field("created_at"),
        name = field("name"),
        applied_at = field("applied_at"),
        table = ident(table)?,
    );
    let rows = session.rows("applied migrations", &sql).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let ordinal = i as i64 + 1;
        let id = match row.opt(0).map(str::parse::<i64>) {
            Some(Ok(id)) => id,
            None => ordinal,
            Some(Err(_)) => {
                diagnostics.push(Diagnostic::error(
                    table,
                    format!("row {ordinal}: id {:?} is not a number", row.text(0)),
                ));
                ordinal
            }
        };
        let created_at = match row.opt(2).map(str::parse::<i64>) {
            Some(Ok(ms)) => Some(ms),
            None => None,
            Some(Err(_)) => {
                diagnostics.push(Diagnostic::error(
                    table,
                    format!(
                        "row id {id}: created_at {:?} is not a number of milliseconds",
                        row.text(2)
                    ),
                ));
                None
            }
        };
        let hash = match row.opt(1) {
            Some(h) => h.to_string(),
            None => {
                diagnostics.push(Diagnostic::error(
                    table,
                    format!("row id {id}: hash is NULL"),
                ));
                String::new()
            }
        };
        out.push(AppliedMigration {
            id,
            hash,
            created_at,
            name: row.opt(3).map(str::to_string),
            applied_at: row.opt(4).map(str::to_string),
        });
    }
    Ok(out)
}
