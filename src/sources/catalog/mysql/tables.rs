//! The tables and views of the current database, and which of them drizzle-drift reads.

use super::session::Session;
use crate::diagnostic::{Diagnostic, Level};
use crate::sources::catalog::postgres::{NameFilter, ReadOptions};
use crate::sources::catalog::TableStats;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub(super) struct Listing {
    /// Kept base tables, by name.
    pub tables: Vec<String>,
    pub views: Vec<String>,
    /// The migrations table exists (it is never one of `tables`).
    pub migrations_table: bool,
    /// The size of each kept table, as InnoDB estimates it.
    pub stats: Vec<TableStats>,
    /// Each kept table's default collation (`TABLE_COLLATION`).
    pub collations: HashMap<String, String>,
}

impl Listing {
    pub fn has_table(&self, name: &str) -> bool {
        self.tables
            .binary_search_by(|t| t.as_str().cmp(name))
            .is_ok()
    }

    pub fn has_view(&self, name: &str) -> bool {
        self.views
            .binary_search_by(|t| t.as_str().cmp(name))
            .is_ok()
    }
}

/// Each character set's default collation.
pub(super) async fn charset_collations(
    session: &mut Session,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let rows = session
        .rows(
            "character sets",
            "SELECT CHARACTER_SET_NAME, DEFAULT_COLLATE_NAME FROM information_schema.CHARACTER_SETS",
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|mut r| (r.take(0), r.take(1)))
        .collect())
}

pub(super) async fn read(
    session: &mut Session,
    opts: &ReadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Listing, String> {
    let rows = session
        .rows(
            "tables",
            "SELECT TABLE_NAME, TABLE_TYPE, TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH, TABLE_COLLATION \
             FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE()",
        )
        .await?;
    let filter = NameFilter::new(&opts.tables_filter);
    let mut listing = Listing::default();
    for mut row in rows {
        let name = row.take(0);
        let kind = row.text(1);
        if name == opts.migrations_table {
            listing.migrations_table = true;
            continue;
        }
        if !filter.allows(&name, None) {
            continue;
        }
        match kind {
            "BASE TABLE" | "SYSTEM VERSIONED" => {
                listing.stats.push(TableStats {
                    schema: String::new(),
                    name: name.clone(),
                    rows: row.text(2).parse().ok(),
                    bytes: row.text(3).parse().unwrap_or(0),
                });
                if let Some(collation) = row.opt(4).filter(|c| !c.is_empty()) {
                    listing
                        .collations
                        .insert(name.clone(), collation.to_string());
                }
                listing.tables.push(name);
            }
            "VIEW" => listing.views.push(name),
            "SEQUENCE" => diagnostics.push(Diagnostic::new(
                Level::Info,
                name,
                "MariaDB sequence: drizzle-kit does not manage sequences on MySQL; not compared",
            )),
            other => diagnostics.push(Diagnostic::new(
                Level::Info,
                name,
                format!("{other}: not a table or a view; not compared"),
            )),
        }
    }
    // The server's order is its collation's; lookups need byte order.
    listing.tables.sort();
    listing.views.sort();
    Ok(listing)
}
