//! Primary keys, unique keys and indexes from `information_schema.STATISTICS`, one query.
//! MySQL makes no difference between a unique constraint and a unique index: a unique key
//! on plain columns becomes a `Unique`, anything else (prefix lengths, expressions) an
//! `Index`.

use super::server::{Flavor, ServerInfo};
use super::session::Session;
use super::tables::Listing;
use crate::model::{Index, IndexKey, PrimaryKey, Table, Unique};
use std::collections::HashMap;

pub(super) async fn read(
    session: &mut Session,
    info: &ServerInfo,
    listing: &Listing,
    tables: &mut HashMap<String, Table>,
) -> Result<(), String> {
    // Functional key parts (MySQL 8.0.13+) have no column name but an expression.
    let expression = if info.flavor == Flavor::Mysql && info.at_least(8, 0, 13) {
        "EXPRESSION"
    } else {
        "NULL"
    };
    let sql = format!(
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, COLLATION, INDEX_TYPE, \
           {expression} \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
    );
    let rows = session.rows("indexes", &sql).await?;

    struct Raw {
        unique: bool,
        method: String,
        keys: Vec<IndexKey>,
        plain: bool,
    }
    // (table, index) in the server's order, keys in SEQ_IN_INDEX order.
    let mut order: Vec<(String, String)> = Vec::new();
    let mut found: HashMap<(String, String), Raw> = HashMap::new();
    for row in &rows {
        let table = row.text(0);
        if !listing.has_table(table) {
            continue;
        }
        let key = (table.to_string(), row.owned(1));
        let column = row.opt(3);
        let sub_part = row.opt(4).filter(|s| !s.is_empty());
        let (expression, is_expression) = match (column, row.opt(7)) {
            (Some(c), _) => match sub_part {
                Some(n) => (format!("{c}({n})"), true),
                None => (c.to_string(), false),
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
        let raw = found.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            Raw {
                unique: row.text(2) == "0",
                method: row.text(6).to_ascii_lowercase(),
                keys: Vec::new(),
                plain: true,
            }
        });
        raw.plain &= !index_key.is_expression && index_key.asc;
        raw.keys.push(index_key);
    }
    for key in order {
        let Some(raw) = found.remove(&key) else {
            continue;
        };
        let (table_name, name) = key;
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let columns = || raw.keys.iter().map(|k| k.expression.clone()).collect();
        if name == "PRIMARY" {
            table.primary_key = Some(PrimaryKey {
                name,
                columns: columns(),
            });
        } else if raw.unique && raw.plain && raw.method == "btree" {
            table.uniques.push(Unique {
                name,
                columns: columns(),
                nulls_not_distinct: false,
                origin: None,
            });
        } else {
            table.indexes.push(Index {
                name,
                keys: raw.keys,
                unique: raw.unique,
                method: raw.method,
                where_clause: None,
                with: Vec::new(),
                origin: None,
            });
        }
    }
    Ok(())
}
