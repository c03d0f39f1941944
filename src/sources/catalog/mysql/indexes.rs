//! Primary keys, unique keys and indexes from `information_schema.STATISTICS`, one query.
//! MySQL makes no difference between a unique constraint and a unique index: a unique key
//! on plain columns becomes a `Unique`, anything else (prefix lengths, expressions) an
//! `Index`.

use super::server::{Flavor, ServerInfo};
use super::session::{Fields, Session};
use super::tables::Listing;
use crate::model::{Index, IndexKey, PrimaryKey, Table, Unique};
use std::collections::HashMap;

pub(super) async fn query(session: &mut Session, info: &ServerInfo) -> Result<Vec<Fields>, String> {
    // Functional key parts (MySQL 8.0.13+) have no column name but an expression.
    let expression = if info.flavor == Flavor::Mysql && info.at_least(8, 0, 13) {
        "EXPRESSION"
    } else {
        "NULL"
    };
    let sql = format!(
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, COLLATION, INDEX_TYPE, \
           {expression}, SEQ_IN_INDEX \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
    );
    session.rows("indexes", &sql).await
}

pub(super) fn apply(rows: Vec<Fields>, listing: &Listing, tables: &mut HashMap<String, Table>) {
    struct Raw {
        unique: bool,
        method: String,
        /// (SEQ_IN_INDEX, key): the server sends them in no particular order.
        keys: Vec<(u32, IndexKey)>,
        plain: bool,
    }
    let mut found: HashMap<(String, String), Raw> = HashMap::new();
    for mut row in rows {
        if !listing.has_table(row.text(0)) {
            continue;
        }
        let key = (row.take(0), row.take(1));
        let seq: u32 = row.text(8).parse().unwrap_or(u32::MAX);
        let column = row.take_opt(3);
        let sub_part = row.opt(4).filter(|s| !s.is_empty());
        let (expression, is_expression) = match (column, row.opt(7)) {
            (Some(c), _) => match sub_part {
                Some(n) => (format!("{c}({n})"), true),
                None => (c, false),
            },
            (None, Some(e)) => (super::columns::clean_expression(e), true),
            (None, None) => (String::new(), true),
        };
        let asc = row.text(5) != "D";
        let index_key = IndexKey {
            expression,
            is_expression,
            asc,
            // MySQL sorts NULLs first ascending and last descending, and has no option:
            // record the spelling that prints nothing.
            nulls_first: !asc,
            opclass: None,
        };
        let raw = found.entry(key).or_insert_with(|| Raw {
            unique: row.text(2) == "0",
            method: row.text(6).to_ascii_lowercase(),
            keys: Vec::new(),
            plain: true,
        });
        raw.plain &= !index_key.is_expression && index_key.asc;
        raw.keys.push((seq, index_key));
    }
    let mut found: Vec<_> = found.into_iter().collect();
    found.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for ((table_name, name), mut raw) in found {
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        raw.keys.sort_unstable_by_key(|(seq, _)| *seq);
        let keys: Vec<IndexKey> = raw.keys.into_iter().map(|(_, k)| k).collect();
        let columns = |keys: Vec<IndexKey>| keys.into_iter().map(|k| k.expression).collect();
        if name == "PRIMARY" {
            table.primary_key = Some(PrimaryKey {
                name,
                columns: columns(keys),
            });
        } else if raw.unique && raw.plain && raw.method == "btree" {
            table.uniques.push(Unique {
                name,
                columns: columns(keys),
                nulls_not_distinct: false,
                origin: None,
            });
        } else {
            table.indexes.push(Index {
                name,
                keys,
                unique: raw.unique,
                method: raw.method,
                where_clause: None,
                with: Vec::new(),
                origin: None,
            });
        }
    }
}
