//! Definitions of the kept views and materialized views, in one query.

use super::relations::RelationRow;
use super::session::Session;
use super::Scope;
use crate::diagnostic::Diagnostic;
use crate::model::{QualifiedName, View};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
struct ViewRow {
    oid: u32,
    definition: Option<String>,
}

pub(super) async fn read(
    session: &mut Session,
    scope: &Scope,
    kept: &[RelationRow],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<View>, String> {
    let sql = format!(
        "SELECT json_build_object('oid', c.oid::bigint, 'definition', pg_get_viewdef(c.oid, true)) \
         FROM pg_class c WHERE {scope}",
        scope = scope.view("c.oid"),
    );
    let rows: Vec<ViewRow> = session.json_rows("views", &sql, diagnostics).await?;
    let mut definitions: HashMap<u32, Option<String>> =
        rows.into_iter().map(|r| (r.oid, r.definition)).collect();
    Ok(kept
        .iter()
        .map(|r| {
            let definition = definitions.remove(&r.oid).flatten();
            if definition.is_none() {
                diagnostics.push(Diagnostic::warning(
                    QualifiedName::new(&r.schema, &r.name).to_string(),
                    "view definition could not be read (dropped while reading?)",
                ));
            }
            View {
                name: QualifiedName::new(&r.schema, &r.name),
                materialized: r.kind == "m",
                definition,
                origin: None,
            }
        })
        .collect())
}
