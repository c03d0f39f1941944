//! Roles (cluster-wide), without the built-in `pg_*` ones, in one query.

use super::session::Session;
use crate::diagnostic::Diagnostic;
use crate::model::Role;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
struct RoleRow {
    name: String,
    create_db: bool,
    create_role: bool,
    inherit: bool,
}

pub(super) async fn read(
    session: &mut Session,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<BTreeMap<String, Role>, String> {
    let sql = "SELECT json_build_object('name', r.rolname, 'create_db', r.rolcreatedb, \
                 'create_role', r.rolcreaterole, 'inherit', r.rolinherit) \
               FROM pg_roles r WHERE left(r.rolname, 3) <> 'pg_' ORDER BY r.rolname";
    let rows: Vec<RoleRow> = session.json_rows("roles", sql, diagnostics).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.name.clone(),
                Role {
                    name: r.name,
                    create_db: r.create_db,
                    create_role: r.create_role,
                    inherit: r.inherit,
                },
            )
        })
        .collect())
}
