//! Columns of every kept table, in one query.

use super::sequences::IdentitySequence;
use super::session::Session;
use super::Scope;
use crate::diagnostic::Diagnostic;
use crate::model::normalize::nextval_sequence;
use crate::model::normalize::types::{pg_type, serial_for};
use crate::model::{Column, Generated, GeneratedKind, Identity, IdentityKind, Table};
use serde::Deserialize;
use std::collections::HashMap;

/// Column names and collation oids by (table oid, attribute number), for the keys of
/// constraints and indexes, which the catalog gives as numbers.
#[derive(Debug, Default)]
pub(super) struct AttNames(HashMap<(u32, i32), String>, HashMap<(u32, i32), u32>);

impl AttNames {
    pub fn get(&self, rel: u32, num: i32) -> Option<&str> {
        self.0.get(&(rel, num)).map(String::as_str)
    }

    /// `attcollation` of the column (0: not collatable).
    pub fn collation(&self, rel: u32, num: i32) -> u32 {
        self.1.get(&(rel, num)).copied().unwrap_or(0)
    }

    /// Names of the columns of `rel` whose collation is `collation`.
    pub fn with_collation(&self, rel: u32, collation: u32) -> impl Iterator<Item = &str> {
        self.1
            .iter()
            .filter(move |((r, _), c)| *r == rel && **c == collation)
            .filter_map(move |((_, n), _)| self.get(rel, *n))
    }

    /// Names of `nums` in `rel`; `Err` with the first number that has none.
    pub fn names(&self, rel: u32, nums: &[i32]) -> Result<Vec<String>, i32> {
        nums.iter()
            .map(|n| self.get(rel, *n).map(str::to_string).ok_or(*n))
            .collect()
    }
}

/// The sequences behind columns, by (table oid, column number).
pub(super) struct ColumnSequences {
    pub identities: HashMap<(u32, i32), IdentitySequence>,
    /// Owned (`serial`) sequences: schema and name.
    pub owned: HashMap<(u32, i32), (String, String)>,
}

/// An integer column whose default takes the next value of the sequence it owns is what
/// `serial` creates, whatever that sequence is called (a renamed table keeps
/// `<old name>_<column>_seq`).
fn serial(column: &mut Column, (schema, name): &(String, String)) {
    let Some((seq_schema, seq_name)) = column.default.as_deref().and_then(nextval_sequence) else {
        return;
    };
    if seq_name != *name || seq_schema.is_some_and(|s| s != *schema) {
        return;
    }
    if let Some(serial) = serial_for(&pg_type(&column.sql_type)) {
        column.sql_type = serial.to_string();
        column.default = None;
    }
}

/// One row, positional (`json_build_array` in the order of the fields).
#[derive(Debug, Deserialize)]
struct ColumnRow {
    rel: u32,
    num: i32,
    name: String,
    /// `format_type` (with one `[]` per declared dimension), or `schema.name` for an enum.
    sql_type: String,
    not_null: bool,
    default: Option<String>,
    /// `pg_attribute.attidentity`: `a` always, `d` by default, empty otherwise.
    identity: String,
    /// `pg_attribute.attgenerated`: `s` stored, `v` virtual (PostgreSQL 18), empty otherwise.
    generated: String,
    generated_expr: Option<String>,
    /// The collation's name when the column's is not its type's default (`COLLATE "C"`);
    /// schema-qualified outside `pg_catalog` and `public`.
    collation: Option<String>,
    /// `pg_attribute.attcollation`, for the keys of indexes.
    collation_oid: u32,
}

pub(super) async fn read(
    session: &mut Session,
    scope: &Scope,
    tables: &mut HashMap<u32, Table>,
    sequences: &ColumnSequences,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<AttNames, String> {
    let identities = &sequences.identities;
    let generated = if scope.version_num >= 120_000 {
        "a.attgenerated::text"
    } else {
        "''"
    };
    // Enums (and arrays of enums) are named `schema.name` whatever the search_path, so
    // normalization can decide; arrays get one `[]` per declared dimension, which
    // format_type leaves out. A default cannot refer to a column, so it is deparsed
    // without its table (relation 0): no table is opened or locked, which is most of
    // pg_get_expr's cost. Generation expressions do refer to columns.
    let sql = format!(
        "SELECT json_build_array(a.attrelid::bigint, a.attnum, a.attname, \
           CASE \
              WHEN t.typtype = 'e' THEN tn.nspname || '.' || t.typname \
              WHEN et.typtype = 'e' THEN etn.nspname || '.' || et.typname || repeat('[]', greatest(a.attndims, 1)) \
              WHEN et.oid IS NOT NULL AND a.attndims > 1 THEN format_type(a.atttypid, a.atttypmod) || repeat('[]', a.attndims - 1) \
              ELSE format_type(a.atttypid, a.atttypmod) END, \
           a.attnotnull, \
           CASE WHEN {generated} = '' THEN pg_get_expr(ad.adbin, 0) END, \
           a.attidentity::text, {generated}, \
           CASE WHEN {generated} <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END, \
           CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0 THEN \
              (SELECT CASE WHEN cn.nspname IN ('pg_catalog', 'public') THEN c.collname \
                      ELSE cn.nspname || '.' || c.collname END \
               FROM pg_collation c JOIN pg_namespace cn ON cn.oid = c.collnamespace \
               WHERE c.oid = a.attcollation) END, \
           a.attcollation::bigint) \
         FROM pg_attribute a \
         JOIN pg_type t ON t.oid = a.atttypid \
         JOIN pg_namespace tn ON tn.oid = t.typnamespace \
         LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A' \
         LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace \
         LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum \
         WHERE {scope} AND a.attnum > 0 AND NOT a.attisdropped",
        scope = scope.table("a.attrelid"),
    );
    let rows: Vec<ColumnRow> = session.json_rows("columns", &sql, diagnostics).await?;
    // Rows come in no particular order: sort small keys, not the rows, and size each
    // table's column list once (a Column is a few hundred bytes).
    let mut order: Vec<(u32, i32, usize)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.rel, r.num, i))
        .collect();
    order.sort_unstable();
    let mut counts: HashMap<u32, usize> = HashMap::with_capacity(tables.len());
    for (rel, _, _) in &order {
        *counts.entry(*rel).or_default() += 1;
    }
    for (rel, count) in counts {
        if let Some(table) = tables.get_mut(&rel) {
            table.columns.reserve_exact(count);
        }
    }
    let mut rows: Vec<Option<ColumnRow>> = rows.into_iter().map(Some).collect();
    let mut names = AttNames(
        HashMap::with_capacity(rows.len()),
        HashMap::with_capacity(rows.len()),
    );
    for (_, _, i) in order {
        let Some(row) = rows.get_mut(i).and_then(Option::take) else {
            continue;
        };
        let Some(table) = tables.get_mut(&row.rel) else {
            continue;
        };
        names.0.insert((row.rel, row.num), row.name.clone());
        names.1.insert((row.rel, row.num), row.collation_oid);
        let mut column = Column::new(row.name, row.sql_type);
        column.collation = row.collation;
        column.not_null = row.not_null;
        column.default = row.default;
        if let Some(owned) = sequences.owned.get(&(row.rel, row.num)) {
            serial(&mut column, owned);
        }
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
                            format!("{}.{}", table.name, column.name),
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
                    format!("{}.{}", table.name, column.name),
                    "generated column without a readable expression",
                ));
                column.unknown.insert("generated".to_string());
                None
            }
        };
        table.columns.push(column);
    }
    Ok(names)
}
