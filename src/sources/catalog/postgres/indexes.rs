//! Indexes of every kept table that no constraint owns (primary keys, unique and
//! exclusion constraints bring their own), in one query.

use super::session::Session;
use super::Scope;
use crate::diagnostic::{Diagnostic, Level};
use crate::model::{Index, IndexKey, Table};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
struct IndexRow {
    rel: u32,
    name: String,
    unique: bool,
    method: String,
    #[serde(rename = "where")]
    where_clause: Option<String>,
    with: Option<Vec<String>>,
    valid: bool,
    keys: Option<Vec<KeyRow>>,
    include: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct KeyRow {
    /// Column name, or the expression (`pg_get_indexdef(index, n, true)`).
    expr: Option<String>,
    is_expr: bool,
    desc: bool,
    nulls_first: bool,
    /// Only when not the default operator class of the column's type.
    opclass: Option<String>,
}

pub(super) async fn read(
    session: &mut Session,
    scope: &Scope,
    tables: &mut HashMap<u32, Table>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), String> {
    let key_count = if scope.version_num >= 110_000 {
        "i.indnkeyatts"
    } else {
        "i.indnatts"
    };
    // indkey, indoption and indclass are 0-based vectors; pg_get_indexdef counts from 1.
    let sql = format!(
        "SELECT json_build_object('rel', i.indrelid::bigint, 'name', ic.relname, 'unique', i.indisunique, \
           'method', am.amname, 'where', pg_get_expr(i.indpred, i.indrelid), 'with', ic.reloptions, \
           'valid', i.indisvalid, \
           'keys', (SELECT json_agg(json_build_object( \
                 'expr', CASE WHEN i.indkey[k] = 0 THEN pg_get_indexdef(i.indexrelid, k + 1, true) ELSE a.attname::text END, \
                 'is_expr', i.indkey[k] = 0, \
                 'desc', (i.indoption[k] & 1) = 1, 'nulls_first', (i.indoption[k] & 2) = 2, \
                 'opclass', CASE WHEN NOT opc.opcdefault THEN opc.opcname END) ORDER BY k) \
              FROM generate_series(0, {key_count} - 1) AS k \
              LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k] \
              LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k]), \
           'include', (SELECT json_agg(a.attname ORDER BY k) \
              FROM generate_series({key_count}, i.indnatts - 1) AS k \
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k])) \
         FROM pg_index i \
         JOIN pg_class c ON c.oid = i.indrelid \
         JOIN pg_class ic ON ic.oid = i.indexrelid \
         JOIN pg_am am ON am.oid = ic.relam \
         WHERE {scope} \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid \
                           AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')) \
         ORDER BY i.indrelid, ic.relname",
        scope = scope.tables,
    );
    let rows: Vec<IndexRow> = session.json_rows("indexes", &sql, diagnostics).await?;
    for row in rows {
        let Some(table) = tables.get_mut(&row.rel) else {
            continue;
        };
        let location = format!("{}.{}", table.name, row.name);
        if !row.valid {
            diagnostics.push(Diagnostic::warning(
                location.clone(),
                "index is INVALID (a failed CREATE INDEX CONCURRENTLY?): queries do not use it",
            ));
        }
        if let Some(include) = row.include.filter(|c| !c.is_empty()) {
            diagnostics.push(Diagnostic::new(
                Level::Info,
                location.clone(),
                format!("INCLUDE ({}) is not compared", include.join(", ")),
            ));
        }
        let mut keys = Vec::new();
        for key in row.keys.unwrap_or_default() {
            let Some(expression) = key.expr else {
                diagnostics.push(Diagnostic::warning(
                    location.clone(),
                    "index key that names neither a column nor an expression",
                ));
                continue;
            };
            keys.push(IndexKey {
                expression,
                is_expression: key.is_expr,
                asc: !key.desc,
                nulls_first: key.nulls_first,
                opclass: key.opclass,
            });
        }
        let mut with = row.with.unwrap_or_default();
        with.sort();
        table.indexes.push(Index {
            name: row.name,
            keys,
            unique: row.unique,
            method: row.method,
            where_clause: row.where_clause,
            with,
            origin: None,
        });
    }
    Ok(())
}
