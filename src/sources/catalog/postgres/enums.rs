//! Enum types and their labels in declaration order, in one query.

use super::session::Session;
use super::{not_extension_member, USER_NAMESPACE};
use crate::diagnostic::Diagnostic;
use crate::model::{Enum, QualifiedName};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct EnumRow {
    schema: String,
    name: String,
    values: Vec<String>,
}

pub(super) async fn read(
    session: &mut Session,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Enum>, String> {
    let sql = format!(
        "SELECT json_build_object('schema', n.nspname, 'name', t.typname, \
           'values', coalesce((SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) \
              FROM pg_enum e WHERE e.enumtypid = t.oid), '[]'::json)) \
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE t.typtype = 'e' AND {USER_NAMESPACE} AND {not_ext} \
         ORDER BY n.nspname, t.typname",
        not_ext = not_extension_member("pg_type", "t"),
    );
    let rows: Vec<EnumRow> = session.json_rows("enums", &sql, diagnostics).await?;
    Ok(rows
        .into_iter()
        .map(|r| Enum {
            name: QualifiedName::new(r.schema, r.name),
            values: r.values,
            origin: None,
        })
        .collect())
}
