//! Row-level security policies of every kept table, in one query.

use super::session::Session;
use super::Scope;
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, Table};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
struct PolicyRow {
    rel: u32,
    name: String,
    permissive: bool,
    /// `pg_policy.polcmd`: `*` all, `r` select, `a` insert, `w` update, `d` delete.
    cmd: String,
    roles: Option<Vec<String>>,
    using: Option<String>,
    with_check: Option<String>,
}

pub(super) async fn read(
    session: &mut Session,
    scope: &Scope,
    tables: &mut HashMap<u32, Table>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), String> {
    let sql = format!(
        "SELECT json_build_object('rel', p.polrelid::bigint, 'name', p.polname, \
           'permissive', p.polpermissive, 'cmd', p.polcmd::text, \
           'roles', (SELECT json_agg(CASE WHEN r.oid = 0 THEN 'public' ELSE pg_get_userbyid(r.oid)::text END) \
              FROM unnest(p.polroles) AS r(oid)), \
           'using', pg_get_expr(p.polqual, p.polrelid), \
           'with_check', pg_get_expr(p.polwithcheck, p.polrelid)) \
         FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid \
         WHERE {scope} ORDER BY p.polrelid, p.polname",
        scope = scope.table("c.oid"),
    );
    let rows: Vec<PolicyRow> = session.json_rows("policies", &sql, diagnostics).await?;
    for row in rows {
        let Some(table) = tables.get_mut(&row.rel) else {
            continue;
        };
        let command = match row.cmd.as_str() {
            "r" => "select",
            "a" => "insert",
            "w" => "update",
            "d" => "delete",
            _ => "all",
        };
        let mut to = row.roles.unwrap_or_default();
        to.sort();
        table.policies.push(Policy {
            name: row.name,
            kind: if row.permissive {
                "permissive"
            } else {
                "restrictive"
            }
            .to_string(),
            command: command.to_string(),
            to,
            using: row.using,
            with_check: row.with_check,
            origin: None,
        });
    }
    Ok(())
}
