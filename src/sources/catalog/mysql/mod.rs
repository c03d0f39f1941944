//! The live MySQL / MariaDB reader.
//!
//! One query per kind of object on `information_schema` whatever the number of tables,
//! the independent ones at the same time on four connections (see `pool`), each in a
//! `READ ONLY` transaction, text protocol only (never a
//! server-side prepared statement), short timeouts (`max_execution_time` on MySQL,
//! `max_statement_time` on MariaDB, `lock_wait_timeout`). The model is filled with what
//! the server says (`int(11)`, `current_timestamp()`, `tinyint(1)`, InnoDB's own FK
//! indexes…); `model::normalize` runs afterwards and knows what each spelling means.

mod applied;
mod columns;
mod connect;
mod constraints;
mod errors;
mod indexes;
mod pool;
mod server;
mod session;
mod tables;
mod views;

pub use crate::sources::catalog::postgres::{QueryStat, ReadOptions, ReadStats};

use super::{Catalog, CATALOG_VERSION};
use crate::diagnostic::{Diagnostic, Level};
use crate::error::Error;
use crate::model::{Dialect, QualifiedName, Schema, Table};
use server::Flavor;
use session::{Fields, Session};
use std::collections::HashMap;
use std::time::Instant;

/// Read the catalog of the database named by `url` (`mysql://user:pw@host:port/db`).
/// Only [`ReadOptions::tables_filter`], `migrations_table` and the two timeouts apply:
/// MySQL has no schemas inside a database, and the migrations table lives in the
/// database the URL opens.
pub async fn read(url: &str, opts: &ReadOptions) -> Result<Catalog, Error> {
    read_with_stats(url, opts).await.map(|(catalog, _)| catalog)
}

/// [`read`], also returning the queries it sent and how long each took.
pub async fn read_with_stats(url: &str, opts: &ReadOptions) -> Result<(Catalog, ReadStats), Error> {
    let started = Instant::now();
    let target = connect::parse(url).map_err(|message| Error::Database {
        target: crate::config::redact_url(url),
        message,
    })?;
    let password = target.password().map(str::to_string);
    let fail = |message: String| Error::Database {
        target: errors::scrub(&target.redacted, password.as_deref()),
        message: errors::scrub(&message, password.as_deref()),
    };
    let conn = connect::connect(&target)
        .await
        .map_err(|message| match fail(message) {
            Error::Database { target, message } => Error::Unreachable { target, message },
            other => other,
        })?;
    let connected = started.elapsed();
    let mut session = Session::new(conn, opts.lock_timeout_ms, opts.statement_timeout_ms);
    let mut diagnostics = Vec::new();
    for key in &target.ignored {
        diagnostics.push(Diagnostic::new(
            Level::Info,
            "connection string",
            format!("`{key}` is not a MySQL connection parameter drizzle-drift uses; ignored"),
        ));
    }
    let mut extras = Vec::new();
    let result =
        read_in_transaction(&mut session, &mut extras, &target, opts, &mut diagnostics).await;
    let lock_timed_out = session.lock_timed_out || extras.iter().any(|s| s.lock_timed_out);
    let result = match result {
        Err(message) if lock_timed_out => Err(explain_lock(&mut session, message).await),
        other => other,
    };
    tokio::join!(session.close(), pool::close(&mut extras));
    let mut catalog = result.map_err(fail)?;
    catalog.diagnostics.extend(diagnostics);
    let stats = ReadStats {
        queries: std::mem::take(&mut session.stats),
        connect: connected,
        total: started.elapsed(),
    };
    Ok((catalog, stats))
}

async fn read_in_transaction(
    session: &mut Session,
    extras: &mut Vec<Session>,
    target: &connect::Target,
    opts: &ReadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Catalog, String> {
    let info = server::read(session).await?;
    if (info.flavor == Flavor::Mysql && !info.at_least(5, 7, 8))
        || (info.flavor == Flavor::Mariadb && !info.at_least(10, 2, 7))
    {
        return Err(format!(
            "{} is not supported: drizzle-drift reads MySQL 5.7.8+ and MariaDB 10.2.7+ (tested on MariaDB 10.11; MySQL 8 and MariaDB 10.6+ are the targets)",
            info.server_string()
        ));
    }
    let mut settings = Vec::new();
    if opts.statement_timeout_ms > 0 {
        settings.push(match info.flavor {
            Flavor::Mysql => format!("max_execution_time = {}", opts.statement_timeout_ms),
            Flavor::Mariadb => format!(
                "max_statement_time = {}.{:03}",
                opts.statement_timeout_ms / 1000,
                opts.statement_timeout_ms % 1000
            ),
        });
    }
    if opts.lock_timeout_ms > 0 {
        settings.push(format!(
            "lock_wait_timeout = {}",
            opts.lock_timeout_ms.div_ceil(1000).max(1)
        ));
    }
    let mut start = String::new();
    if !settings.is_empty() {
        start = format!("SET SESSION {}; ", settings.join(", SESSION "));
    }
    start.push_str("START TRANSACTION READ ONLY");
    session.execute("transaction start", &start).await?;
    let catalog =
        read_everything(session, extras, target, &start, &info, opts, diagnostics).await?;
    session.execute("transaction end", "ROLLBACK").await?;
    Ok(catalog)
}

/// The extra sessions' share of the queries.
type Others = (
    Result<Vec<Fields>, String>,
    Result<constraints::ForeignKeyRows, String>,
    Result<Option<Vec<Fields>>, String>,
);

async fn read_everything(
    session: &mut Session,
    extras: &mut Vec<Session>,
    target: &connect::Target,
    start: &str,
    info: &server::ServerInfo,
    opts: &ReadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Catalog, String> {
    let first = async {
        let listing = tables::read(session, opts, diagnostics).await?;
        let columns = columns::query(session).await?;
        let views = views::query(session, &listing).await?;
        let charsets = tables::charset_collations(session).await?;
        Ok::<_, String>((listing, columns, views, charsets))
    };
    let others = async {
        let (opened, stat) = if opts.parallel_sessions {
            pool::open(
                target,
                start,
                opts.lock_timeout_ms,
                opts.statement_timeout_ms,
            )
            .await
        } else {
            (Vec::new(), pool::none())
        };
        *extras = opened;
        let read: Option<Others> = match extras.as_mut_slice() {
            [a, b, c] => Some(tokio::join!(
                indexes::query(a, info),
                constraints::foreign_key_rows(b),
                constraints::check_rows(c, info),
            )),
            _ => None,
        };
        (stat, read)
    };
    let (first, (stat, others)) = tokio::join!(first, others);
    // The stats in a fixed order, whatever the order the queries ran in.
    session.stats.push(stat);
    for extra in extras.iter_mut() {
        session.stats.append(&mut extra.stats);
    }
    let (mut listing, column_rows, view_rows, charset_collations) = first?;
    let (index_rows, fk_rows, check_rows) = match others {
        Some(read) => read,
        None => (
            indexes::query(session, info).await,
            constraints::foreign_key_rows(session).await,
            constraints::check_rows(session, info).await,
        ),
    };
    let (index_rows, fk_rows, check_rows) = (index_rows?, fk_rows?, check_rows?);
    let mut columns = columns::build(
        column_rows,
        info.flavor,
        &listing,
        &opts.migrations_table,
        diagnostics,
    );
    let table_stats = std::mem::take(&mut listing.stats);
    let mut tables: HashMap<String, Table> = listing
        .tables
        .iter()
        .map(|name| {
            let mut table = Table::new(QualifiedName::new("", name));
            table.columns = columns.by_table.remove(name).unwrap_or_default();
            table.collation = listing.collations.get(name).cloned();
            (name.clone(), table)
        })
        .collect();
    indexes::apply(index_rows, &listing, &mut tables);
    constraints::foreign_keys(fk_rows, info, &mut tables);
    constraints::checks(check_rows, info, &mut tables, diagnostics);
    let views = views::build(view_rows, &listing);
    let applied = if listing.migrations_table {
        Some(
            applied::read(
                session,
                &opts.migrations_table,
                &columns.migrations_columns,
                diagnostics,
            )
            .await?,
        )
    } else {
        None
    };

    let mut schema = Schema::new(Dialect::Mysql);
    schema.charset_collations = charset_collations;
    for table in tables.into_values() {
        schema.tables.insert(table.name.clone(), table);
    }
    for view in views {
        schema.views.insert(view.name.clone(), view);
    }
    Ok(Catalog {
        version: CATALOG_VERSION,
        server: info.server_string(),
        database: info.database.clone(),
        schema,
        applied,
        diagnostics: Vec::new(),
        table_stats,
        replication: None,
    })
}

/// After a lock wait timeout: who else is connected and doing what (a migration holding
/// a metadata lock shows up here; an idle transaction that holds one shows as `Sleep`).
async fn explain_lock(session: &mut Session, message: String) -> String {
    let sql = "SELECT ID, USER, COMMAND, TIME, COALESCE(STATE, ''), LEFT(COALESCE(INFO, ''), 120) \
               FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() \
               AND DB = DATABASE() ORDER BY TIME DESC LIMIT 5";
    let Ok(rows) = session.rows("lock holders", sql).await else {
        return message;
    };
    if rows.is_empty() {
        return message;
    }
    let holders: Vec<String> = rows
        .iter()
        .map(|r| {
            let what = [r.text(4), r.text(5)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(": ");
            format!(
                "session {} ({}) {} for {} s{}",
                r.text(0),
                r.text(1),
                r.text(2),
                r.text(3),
                if what.is_empty() {
                    String::new()
                } else {
                    format!(", {what}")
                }
            )
        })
        .collect();
    format!(
        "{message}\nother sessions on this database:\n  {}",
        holders.join("\n  ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The TUI runs loads as spawned tasks: the read must be `Send`.
    #[test]
    fn read_can_run_on_a_spawned_task() {
        fn assert_send<T: Send + 'static>(_: &T) {}
        let opts = ReadOptions::default();
        let read = async move { read("mysql://localhost/db", &opts).await };
        assert_send(&read);
    }
}
