//! Primary keys, foreign keys, unique and check constraints of every kept table, in one
//! query (`pg_constraint`).

use super::session::Session;
use super::Scope;
use crate::diagnostic::{Diagnostic, Level};
use crate::model::{Check, ForeignKey, PrimaryKey, QualifiedName, Table, Unique};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
struct ConstraintRow {
    rel: u32,
    name: String,
    /// `pg_constraint.contype`.
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    columns: Option<Vec<String>>,
    ref_schema: Option<String>,
    ref_table: Option<String>,
    #[serde(default)]
    ref_columns: Option<Vec<String>>,
    on_delete: String,
    on_update: String,
    /// `MATCH FULL` / `MATCH PARTIAL` (`f` / `p`); `s` is the default `MATCH SIMPLE`.
    match_type: String,
    nulls_not_distinct: bool,
    check: Option<String>,
    /// Only for what the model cannot hold and is reported instead.
    definition: Option<String>,
    validated: bool,
    deferrable: bool,
}

pub(super) async fn read(
    session: &mut Session,
    scope: &Scope,
    tables: &mut HashMap<u32, Table>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), String> {
    let nulls_not_distinct = if scope.version_num >= 150_000 {
        "coalesce(ix.indnullsnotdistinct, false)"
    } else {
        "false"
    };
    let sql = format!(
        "SELECT json_build_object('rel', co.conrelid::bigint, 'name', co.conname, 'type', co.contype::text, \
           'columns', (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(co.conkey) WITH ORDINALITY AS k(num, i) \
              JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.num), \
           'ref_schema', fn.nspname, 'ref_table', fc.relname, \
           'ref_columns', (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(co.confkey) WITH ORDINALITY AS k(num, i) \
              JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num), \
           'on_delete', co.confdeltype::text, 'on_update', co.confupdtype::text, \
           'match_type', co.confmatchtype::text, \
           'nulls_not_distinct', {nulls_not_distinct}, \
           'check', CASE WHEN co.contype = 'c' THEN pg_get_expr(co.conbin, co.conrelid) END, \
           'definition', CASE WHEN co.contype = 'x' OR co.confmatchtype IN ('f', 'p') \
              THEN pg_get_constraintdef(co.oid) END, \
           'validated', co.convalidated, 'deferrable', co.condeferrable) \
         FROM pg_constraint co \
         JOIN pg_class c ON c.oid = co.conrelid \
         LEFT JOIN pg_class fc ON fc.oid = co.confrelid \
         LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
         LEFT JOIN pg_index ix ON ix.indexrelid = co.conindid AND co.contype = 'u' \
         WHERE {scope} AND co.contype IN ('p', 'f', 'u', 'c', 'x') \
         ORDER BY co.conrelid, co.conname",
        scope = scope.tables,
    );
    let rows: Vec<ConstraintRow> = session.json_rows("constraints", &sql, diagnostics).await?;
    for row in rows {
        let Some(table) = tables.get_mut(&row.rel) else {
            continue;
        };
        let location = format!("{}.{}", table.name, row.name);
        if !row.validated {
            diagnostics.push(Diagnostic::new(
                Level::Info,
                location.clone(),
                "constraint is NOT VALID: existing rows were never checked",
            ));
        }
        if row.deferrable {
            diagnostics.push(Diagnostic::new(
                Level::Info,
                location.clone(),
                "constraint is DEFERRABLE; deferrability is not compared",
            ));
        }
        let columns = row.columns.unwrap_or_default();
        match row.kind.as_str() {
            "p" => {
                table.primary_key = Some(PrimaryKey {
                    name: row.name,
                    columns,
                })
            }
            "f" => {
                if row.match_type == "f" || row.match_type == "p" {
                    diagnostics.push(Diagnostic::new(
                        Level::Info,
                        location.clone(),
                        format!(
                            "foreign key {}: the MATCH type is not compared",
                            row.definition.as_deref().unwrap_or_default()
                        ),
                    ));
                }
                let (Some(schema), Some(ref_table)) = (row.ref_schema, row.ref_table) else {
                    diagnostics.push(Diagnostic::warning(
                        location,
                        format!("foreign key {} has an unreadable target", row.name),
                    ));
                    continue;
                };
                table.foreign_keys.push(ForeignKey {
                    name: row.name,
                    columns,
                    references: QualifiedName::new(schema, ref_table),
                    ref_columns: row.ref_columns.unwrap_or_default(),
                    on_delete: action(&row.on_delete),
                    on_update: action(&row.on_update),
                    origin: None,
                })
            }
            "u" => table.uniques.push(Unique {
                name: row.name,
                columns,
                nulls_not_distinct: row.nulls_not_distinct,
                origin: None,
            }),
            "c" => match row.check {
                Some(expression) => table.checks.push(Check {
                    name: row.name,
                    expression,
                    origin: None,
                }),
                None => diagnostics.push(Diagnostic::warning(
                    location,
                    format!("check constraint {} has no readable expression", row.name),
                )),
            },
            _ => diagnostics.push(Diagnostic::warning(
                location,
                format!(
                    "exclusion constraint not compared (the model has no place for it): {}",
                    row.definition.as_deref().unwrap_or_default()
                ),
            )),
        }
    }
    Ok(())
}

/// `pg_constraint.confdeltype` / `confupdtype` as the words of the model.
fn action(code: &str) -> String {
    match code {
        "r" => "restrict",
        "c" => "cascade",
        "n" => "set null",
        "d" => "set default",
        _ => "no action",
    }
    .to_string()
}
