//! Columns of every kept table, in one query.

use super::sequences::IdentitySequence;
use super::session::Session;
use super::Scope;
use crate::diagnostic::Diagnostic;
use crate::model::{Column, Generated, GeneratedKind, Identity, IdentityKind, Table};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
struct ColumnRow {
    rel: u32,
    num: i32,
    name: String,
    /// `format_type` (with one `[]` per declared dimension), or `schema.name` for an enum.
    #[serde(rename = "type")]
    sql_type: String,
    not_null: bool,
    default: Option<String>,
    /// `pg_attribute.attidentity`: `a` always, `d` by default, empty otherwise.
    identity: String,
    /// `pg_attribute.attgenerated`: `s` stored, `v` virtual (PostgreSQL 18), empty otherwise.
    generated: String,
    generated_expr: Option<String>,
}

pub(super) async fn read(
    session: &mut Session,
    scope: &Scope,
    tables: &mut HashMap<u32, Table>,
    identities: &HashMap<(u32, i32), IdentitySequence>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), String> {
    let generated = if scope.version_num >= 120_000 {
        "a.attgenerated::text"
    } else {
        "''"
    };
    // Enums (and arrays of enums) are named `schema.name` whatever the search_path, so
    // normalization can decide; arrays get one `[]` per declared dimension, which
    // format_type leaves out.
    let sql = format!(
        "SELECT json_build_object('rel', a.attrelid::bigint, 'num', a.attnum, 'name', a.attname, \
           'type', CASE \
              WHEN t.typtype = 'e' THEN tn.nspname || '.' || t.typname \
              WHEN et.typtype = 'e' THEN etn.nspname || '.' || et.typname || repeat('[]', greatest(a.attndims, 1)) \
              WHEN et.oid IS NOT NULL AND a.attndims > 1 THEN format_type(a.atttypid, a.atttypmod) || repeat('[]', a.attndims - 1) \
              ELSE format_type(a.atttypid, a.atttypmod) END, \
           'not_null', a.attnotnull, \
           'default', CASE WHEN {generated} = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END, \
           'identity', a.attidentity::text, 'generated', {generated}, \
           'generated_expr', CASE WHEN {generated} <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END) \
         FROM pg_attribute a \
         JOIN pg_class c ON c.oid = a.attrelid \
         JOIN pg_type t ON t.oid = a.atttypid \
         JOIN pg_namespace tn ON tn.oid = t.typnamespace \
         LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A' \
         LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace \
         LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum \
         WHERE {scope} AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY a.attrelid, a.attnum",
        scope = scope.tables,
    );
    let rows: Vec<ColumnRow> = session.json_rows("columns", &sql, diagnostics).await?;
    for row in rows {
        let Some(table) = tables.get_mut(&row.rel) else {
            continue;
        };
        let location = format!("{}.{}", table.name, row.name);
        let mut column = Column::new(row.name, row.sql_type);
        column.not_null = row.not_null;
        column.default = row.default;
        column.identity = match row.identity.as_str() {
            "" => None,
            kind => {
                let kind = if kind == "a" {
                    IdentityKind::Always
                } else {
                    IdentityKind::ByDefault
                };
                match identities.get(&(row.rel, row.num)) {
                    Some(seq) => Some(Identity {
                        kind,
                        sequence: Some(seq.name.clone()),
                        options: seq.options.clone(),
                    }),
                    None => {
                        diagnostics.push(Diagnostic::warning(
                            location.clone(),
                            "identity column without a readable sequence: options unknown",
                        ));
                        column.unknown.insert("identity".to_string());
                        Some(Identity {
                            kind,
                            sequence: None,
                            options: Default::default(),
                        })
                    }
                }
            }
        };
        column.generated = match (row.generated.as_str(), row.generated_expr) {
            ("", _) => None,
            (kind, Some(expression)) => Some(Generated {
                expression,
                kind: if kind == "v" {
                    GeneratedKind::Virtual
                } else {
                    GeneratedKind::Stored
                },
            }),
            (_, None) => {
                diagnostics.push(Diagnostic::warning(
                    location,
                    "generated column without a readable expression",
                ));
                column.unknown.insert("generated".to_string());
                None
            }
        };
        table.columns.push(column);
    }
    Ok(())
}
