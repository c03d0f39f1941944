//! Indexes of every kept table that no constraint owns (primary keys, unique and
//! exclusion constraints bring their own), in one query, plus the operator classes in
//! another. Keys come as attribute numbers and are named from the columns
//! already read; only expression keys are deparsed by the server.

use super::columns::AttNames;
use super::session::Session;
use super::Scope;
use crate::diagnostic::{Diagnostic, Level};
use crate::model::{Index, IndexKey, Table};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

/// One row, positional (`json_build_array` in the order of the fields).
#[derive(Debug, Deserialize)]
struct IndexRow {
    rel: u32,
    name: String,
    unique: bool,
    method: String,
    where_clause: Option<String>,
    with: Option<Vec<String>>,
    valid: bool,
    /// `indnkeyatts`: the first keys; the rest are `INCLUDE` columns.
    key_count: usize,
    /// `indkey`: attribute numbers, 0 for an expression.
    attnums: Vec<i32>,
    /// `indoption` per key: bit 1 DESC, bit 2 NULLS FIRST.
    options: Vec<i32>,
    /// `indclass` per key: operator class oids.
    opclasses: Vec<u32>,
    /// Deparsed expression keys, in key order.
    expressions: Option<Vec<String>>,
    /// `indcollation` per key: collation oids (0: not collatable).
    collations: Vec<u32>,
}

/// `[oid, name]` of a collation as SQL writes it (`"C"`), schema-qualified outside
/// `pg_catalog` and `public`.
#[derive(Debug, Deserialize)]
struct CollationRow(u32, String);

/// The default collation's oid (`DEFAULT_COLLATION_OID`).
const DEFAULT_COLLATION: u32 = 100;

/// `[oid, name, access method, is the default for its type]` of an operator class.
#[derive(Debug, Deserialize)]
struct OpclassRow(u32, String, String, bool);

pub(super) async fn read(
    session: &mut Session,
    scope: &Scope,
    tables: &mut HashMap<u32, Table>,
    attnames: &AttNames,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<BTreeSet<String>, String> {
    let key_count = if scope.version_num >= 110_000 {
        "i.indnkeyatts"
    } else {
        "i.indnatts"
    };
    // indkey is 0-based; pg_get_indexdef counts keys from 1.
    let sql = format!(
        "SELECT json_build_array(i.indrelid::bigint, ic.relname, i.indisunique, am.amname, \
           pg_get_expr(i.indpred, i.indrelid), ic.reloptions, i.indisvalid, {key_count}, \
           i.indkey::int2[], i.indoption::int2[], i.indclass::oid[]::int8[], \
           CASE WHEN 0 = ANY(i.indkey::int2[]) THEN \
              (SELECT json_agg(pg_get_indexdef(i.indexrelid, k + 1, true) ORDER BY k) \
               FROM generate_series(0, {key_count} - 1) AS k WHERE i.indkey[k] = 0) END, \
           i.indcollation::oid[]::int8[]) \
         FROM pg_index i \
         JOIN pg_class ic ON ic.oid = i.indexrelid \
         JOIN pg_am am ON am.oid = ic.relam \
         WHERE {scope} \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid \
                           AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x'))",
        scope = scope.table("i.indrelid"),
    );
    let mut rows: Vec<IndexRow> = session.json_rows("indexes", &sql, diagnostics).await?;
    let opclasses: Vec<OpclassRow> = session
        .json_rows(
            "operator classes",
            "SELECT json_build_array(c.oid::bigint, c.opcname, am.amname, c.opcdefault) \
             FROM pg_opclass c JOIN pg_am am ON am.oid = c.opcmethod",
            diagnostics,
        )
        .await?;
    // A key with its type's default class reads as one without a class (as in
    // pg_get_indexdef); the defaults are kept so the other sources can do the same.
    let defaults: BTreeSet<String> = opclasses
        .iter()
        .filter(|r| r.3)
        .map(|r| format!("{} {}", r.2, r.1))
        .collect();
    let opclasses: HashMap<u32, String> = opclasses
        .into_iter()
        .filter(|r| !r.3)
        .map(|r| (r.0, r.1))
        .collect();

    rows.sort_unstable_by(|a, b| (a.rel, &a.name).cmp(&(b.rel, &b.name)));
    let collations = collation_names(session, &rows, attnames, diagnostics).await?;
    for row in rows {
        let Some(table) = tables.get_mut(&row.rel) else {
            continue;
        };
        let location = || format!("{}.{}", table.name, row.name);
        if !row.valid {
            diagnostics.push(Diagnostic::warning(
                location(),
                "index is INVALID (a failed CREATE INDEX CONCURRENTLY?): queries do not use it",
            ));
        }
        match keys(&row, attnames, &opclasses, &collations) {
            Ok(keys) => {
                let include = &row.attnums[row.key_count.min(row.attnums.len())..];
                if !include.is_empty() {
                    let names = attnames.names(row.rel, include).unwrap_or_default();
                    diagnostics.push(Diagnostic::new(
                        Level::Info,
                        location(),
                        format!("INCLUDE ({}) is not compared", names.join(", ")),
                    ));
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
            Err(problem) => diagnostics.push(Diagnostic::warning(
                location(),
                format!("{problem}; index skipped"),
            )),
        }
    }
    Ok(defaults)
}

/// The collation a key is given when it is not the one its column (or expression) has
/// anyway, which `pg_get_indexdef` prints as `COLLATE "C"`. An expression's own collation
/// is taken to be the one of a column it names that has the key's collation, else the
/// default; `None` where no COLLATE is printed.
fn key_collation(
    row: &IndexRow,
    k: usize,
    attnames: &AttNames,
    expression: Option<&str>,
) -> Option<u32> {
    let collation = *row.collations.get(k)?;
    let attnum = *row.attnums.get(k)?;
    let natural = if attnum != 0 {
        attnames.collation(row.rel, attnum)
    } else {
        let named = expression.is_some_and(|e| {
            let tokens = crate::model::normalize::expr::identifiers(e);
            attnames
                .with_collation(row.rel, collation)
                .any(|c| tokens.iter().any(|t| t == c))
        });
        if named {
            collation
        } else {
            DEFAULT_COLLATION
        }
    };
    (collation != 0 && collation != natural).then_some(collation)
}

/// Names of the collations index keys are given explicitly (one query, only when some
/// key has one).
async fn collation_names(
    session: &mut Session,
    rows: &[IndexRow],
    attnames: &AttNames,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<HashMap<u32, String>, String> {
    let mut wanted = BTreeSet::new();
    for row in rows {
        let mut expressions = row.expressions.iter().flatten();
        for k in 0..row.key_count.min(row.attnums.len()) {
            let expression = (row.attnums[k] == 0).then(|| expressions.next()).flatten();
            wanted.extend(key_collation(
                row,
                k,
                attnames,
                expression.map(String::as_str),
            ));
        }
    }
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let oids: Vec<String> = wanted.iter().map(u32::to_string).collect();
    let names: Vec<CollationRow> = session
        .json_rows(
            "collations",
            &format!(
                "SELECT json_build_array(c.oid::bigint, CASE WHEN n.nspname IN ('pg_catalog', 'public') \
                   THEN quote_ident(c.collname) \
                   ELSE quote_ident(n.nspname) || '.' || quote_ident(c.collname) END) \
                 FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace \
                 WHERE c.oid = ANY('{{{}}}'::oid[])",
                oids.join(",")
            ),
            diagnostics,
        )
        .await?;
    Ok(names.into_iter().map(|r| (r.0, r.1)).collect())
}

fn keys(
    row: &IndexRow,
    attnames: &AttNames,
    opclasses: &HashMap<u32, String>,
    collations: &HashMap<u32, String>,
) -> Result<Vec<IndexKey>, String> {
    let mut expressions = row.expressions.iter().flatten();
    let mut keys = Vec::with_capacity(row.key_count);
    for k in 0..row.key_count {
        let attnum = *row
            .attnums
            .get(k)
            .ok_or_else(|| format!("key {} missing from indkey", k + 1))?;
        let (expression, is_expression) = if attnum == 0 {
            let e = expressions
                .next()
                .ok_or_else(|| format!("expression of key {} not readable", k + 1))?;
            (e.clone(), true)
        } else {
            let name = attnames.get(row.rel, attnum).ok_or_else(|| {
                format!(
                    "key {} names column number {attnum}, which was not read",
                    k + 1
                )
            })?;
            (name.to_string(), false)
        };
        let option = row.options.get(k).copied().unwrap_or(0);
        let given = key_collation(
            row,
            k,
            attnames,
            is_expression.then_some(expression.as_str()),
        )
        .and_then(|oid| collations.get(&oid));
        // `name COLLATE "C"` is what drizzle-kit writes for it: an expression.
        let (expression, is_expression) = match given {
            Some(collation) if is_expression => {
                (format!("({expression}) COLLATE {collation}"), true)
            }
            Some(collation) => (
                format!(
                    "{} COLLATE {collation}",
                    crate::model::normalize::expr::quote_ident(&expression)
                ),
                true,
            ),
            None => (expression, is_expression),
        };
        keys.push(IndexKey {
            expression,
            is_expression,
            asc: option & 1 == 0,
            nulls_first: option & 2 != 0,
            opclass: row.opclasses.get(k).and_then(|o| opclasses.get(o)).cloned(),
        });
    }
    Ok(keys)
}
