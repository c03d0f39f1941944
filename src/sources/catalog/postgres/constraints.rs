//! Primary keys, foreign keys, unique and check constraints of every kept table, in one
//! query (`pg_constraint`). Key columns come as attribute numbers and are named from the
//! columns already read; only a foreign key to a table that was not read gets its
//! referenced names from the server.

use super::columns::AttNames;
use super::session::Session;
use super::Scope;
use crate::diagnostic::{Diagnostic, Level};
use crate::model::{Check, ForeignKey, PrimaryKey, QualifiedName, Table, Unique};
use serde::Deserialize;
use std::collections::HashMap;

/// One row, positional (`json_build_array` in the order of the fields).
#[derive(Debug, Deserialize)]
struct ConstraintRow {
    rel: u32,
    name: String,
    /// `pg_constraint.contype`.
    kind: String,
    keys: Option<Vec<i32>>,
    ref_rel: u32,
    ref_schema: Option<String>,
    ref_table: Option<String>,
    ref_keys: Option<Vec<i32>>,
    /// Only for a foreign key to a table that was not read.
    ref_names: Option<Vec<String>>,
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
    attnames: &AttNames,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), String> {
    let nulls_not_distinct = if scope.version_num >= 150_000 {
        "coalesce(ix.indnullsnotdistinct, false)"
    } else {
        "false"
    };
    let sql = format!(
        "SELECT json_build_array(co.conrelid::bigint, co.conname, co.contype::text, co.conkey, \
           co.confrelid::bigint, fn.nspname, fc.relname, co.confkey, \
           CASE WHEN co.contype = 'f' AND NOT ({ref_read}) THEN \
              (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(co.confkey) WITH ORDINALITY AS k(num, i) \
               JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num) END, \
           co.confdeltype::text, co.confupdtype::text, co.confmatchtype::text, \
           {nulls_not_distinct}, \
           CASE WHEN co.contype = 'c' THEN pg_get_expr(co.conbin, co.conrelid) END, \
           CASE WHEN co.contype = 'x' OR co.confmatchtype IN ('f', 'p') \
              THEN pg_get_constraintdef(co.oid) END, \
           co.convalidated, co.condeferrable) \
         FROM pg_constraint co \
         LEFT JOIN pg_class fc ON fc.oid = co.confrelid \
         LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
         LEFT JOIN pg_index ix ON ix.indexrelid = co.conindid AND co.contype = 'u' \
         WHERE {scope} AND co.contype IN ('p', 'f', 'u', 'c', 'x')",
        ref_read = scope.table("co.confrelid"),
        scope = scope.table("co.conrelid"),
    );
    let mut rows: Vec<ConstraintRow> = session.json_rows("constraints", &sql, diagnostics).await?;
    rows.sort_unstable_by(|a, b| (a.rel, &a.name).cmp(&(b.rel, &b.name)));
    for row in rows {
        let Some(table) = tables.get_mut(&row.rel) else {
            continue;
        };
        let location = || format!("{}.{}", table.name, row.name);
        if !row.validated {
            diagnostics.push(Diagnostic::new(
                Level::Info,
                location(),
                "constraint is NOT VALID: existing rows were never checked",
            ));
        }
        if row.deferrable {
            diagnostics.push(Diagnostic::new(
                Level::Info,
                location(),
                "constraint is DEFERRABLE; deferrability is not compared",
            ));
        }
        // Checks and exclusions carry their columns in their expression.
        let keys = match row.kind.as_str() {
            "p" | "f" | "u" => row.keys.as_deref().unwrap_or_default(),
            _ => &[],
        };
        let columns = match attnames.names(row.rel, keys) {
            Ok(names) => names,
            Err(num) => {
                diagnostics.push(Diagnostic::warning(
                    location(),
                    format!("constraint names column number {num}, which was not read; constraint skipped"),
                ));
                continue;
            }
        };
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
                        location(),
                        format!(
                            "foreign key {}: the MATCH type is not compared",
                            row.definition.as_deref().unwrap_or_default()
                        ),
                    ));
                }
                let ref_columns = match row.ref_names {
                    Some(names) => Ok(names),
                    None => {
                        attnames.names(row.ref_rel, row.ref_keys.as_deref().unwrap_or_default())
                    }
                };
                let (Some(schema), Some(ref_table), Ok(ref_columns)) =
                    (row.ref_schema, row.ref_table, ref_columns)
                else {
                    diagnostics.push(Diagnostic::warning(
                        location(),
                        format!("foreign key {} has an unreadable target; skipped", row.name),
                    ));
                    continue;
                };
                table.foreign_keys.push(ForeignKey {
                    name: row.name,
                    columns,
                    references: QualifiedName::new(schema, ref_table),
                    ref_columns,
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
                    location(),
                    format!("check constraint {} has no readable expression", row.name),
                )),
            },
            _ => diagnostics.push(Diagnostic::warning(
                location(),
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
