//! The live PostgreSQL reader.
//!
//! One connection, one `READ ONLY REPEATABLE READ` transaction, one query per kind of
//! object whatever the number of tables, simple-query protocol only (PgBouncer in
//! transaction mode), rows as JSON objects built by the server. The model is filled with
//! the text the catalog gives (`format_type`, `pg_get_expr`…); `model::normalize` runs
//! afterwards.

mod applied;
mod columns;
mod connect;
mod constraints;
mod enums;
mod errors;
mod filter;
mod indexes;
mod locks;
mod policies;
mod relations;
mod roles;
mod sequences;
mod server;
mod session;
mod tls;
mod views;

pub use filter::NameFilter;
pub use session::QueryStat;

use super::{Catalog, CATALOG_VERSION};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::model::{Dialect, QualifiedName, Schema, Table};
use session::Session;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// What to read and how long to wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// drizzle-kit `schemaFilter`: glob patterns, `!` excludes; empty reads every schema.
    /// (drizzle-kit itself defaults to `["public"]`: the caller passes that.)
    pub schema_filter: Vec<String>,
    /// drizzle-kit `tablesFilter`, applied to table and view names.
    pub tables_filter: Vec<String>,
    pub migrations_table: String,
    pub migrations_schema: String,
    /// `statement_timeout` for each query, in ms (0: none).
    pub statement_timeout_ms: u64,
    /// `lock_timeout`, in ms (0: wait forever).
    pub lock_timeout_ms: u64,
    /// Read `pg_roles` (except the `pg_*` ones): roles are cluster-wide, so only wanted
    /// when the project manages roles (drizzle-kit `entities.roles`).
    pub include_roles: bool,
    /// MySQL/MariaDB: run the slow independent queries on three extra connections. Off
    /// when many databases are read at once (one connection each).
    pub parallel_sessions: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            schema_filter: Vec::new(),
            tables_filter: Vec::new(),
            migrations_table: "__drizzle_migrations".to_string(),
            migrations_schema: "drizzle".to_string(),
            statement_timeout_ms: 30_000,
            lock_timeout_ms: 5_000,
            include_roles: false,
            parallel_sessions: true,
        }
    }
}

/// What a read cost: every query sent, in order.
#[derive(Debug, Clone, Default)]
pub struct ReadStats {
    pub queries: Vec<QueryStat>,
    pub connect: Duration,
    pub total: Duration,
}

/// Read the catalog of the database at `url` (a `postgres://` URL or a libpq
/// `key=value` string).
pub async fn read(url: &str, opts: &ReadOptions) -> Result<Catalog, Error> {
    read_with_stats(url, opts).await.map(|(catalog, _)| catalog)
}

/// [`read`], also returning the queries it sent and how long each took.
pub async fn read_with_stats(url: &str, opts: &ReadOptions) -> Result<(Catalog, ReadStats), Error> {
    let started = Instant::now();
    let target = connect::parse(url).map_err(|message| Error::Database {
        target: connect::redact(url),
        message: errors::scrub(&message, None),
    })?;
    let password = target.password();
    let fail = |message: String| Error::Database {
        target: errors::scrub(&target.redacted, password.as_deref()),
        message: errors::scrub(&message, password.as_deref()),
    };
    let connection = connect::connect(&target)
        .await
        .map_err(|message| match fail(message) {
            Error::Database { target, message } => Error::Unreachable { target, message },
            other => other,
        })?;
    let connected = started.elapsed();
    let mut session = Session::new(connection, opts.lock_timeout_ms, opts.statement_timeout_ms);
    let mut diagnostics = Vec::new();
    for key in &target.ignored {
        diagnostics.push(Diagnostic::new(
            crate::diagnostic::Level::Info,
            "connection string",
            format!("`{key}` is not a PostgreSQL connection parameter; ignored"),
        ));
    }
    let mut catalog = match read_in_transaction(&mut session, opts, &mut diagnostics).await {
        Ok(catalog) => catalog,
        Err(message) if session.lock_timed_out => {
            return Err(fail(locks::explain(&mut session, message).await))
        }
        Err(message) => return Err(fail(message)),
    };
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
    opts: &ReadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Catalog, String> {
    // Constants in defaults and expressions are printed by their types' output functions,
    // which follow DateStyle, IntervalStyle and TimeZone: pin the settings normalization
    // reads (a server configured with `DateStyle = 'SQL, DMY'` would print '01/01/2020').
    session
        .execute(
            "transaction start",
            &format!(
                "BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ; \
                 SET LOCAL statement_timeout = {}; SET LOCAL lock_timeout = {}; \
                 SET LOCAL DateStyle = 'ISO, MDY'; SET LOCAL IntervalStyle = 'postgres'; \
                 SET LOCAL TimeZone = 'UTC'",
                opts.statement_timeout_ms, opts.lock_timeout_ms
            ),
        )
        .await?;
    let catalog = read_everything(session, opts, diagnostics).await?;
    session.execute("transaction end", "ROLLBACK").await?;
    Ok(catalog)
}

/// Which relations the per-kind queries look at: the oids the listing kept.
pub(super) struct Scope {
    pub version_num: i32,
    tables: String,
    views: String,
}

impl Scope {
    fn new(
        version_num: i32,
        tables: &[relations::RelationRow],
        views: &[relations::RelationRow],
    ) -> Self {
        let list = |rows: &[relations::RelationRow]| {
            let oids: Vec<String> = rows.iter().map(|r| r.oid.to_string()).collect();
            format!("'{{{}}}'::oid[]", oids.join(","))
        };
        Scope {
            version_num,
            tables: list(tables),
            views: list(views),
        }
    }

    /// `expr` is the oid of a kept table.
    pub fn table(&self, expr: &str) -> String {
        self.member(expr, &self.tables)
    }

    /// `expr` is the oid of a kept view.
    pub fn view(&self, expr: &str) -> String {
        self.member(expr, &self.views)
    }

    fn member(&self, expr: &str, list: &str) -> String {
        // PostgreSQL 14 hashes `= ANY(constant array)`; older servers scan the array for
        // every row, so give them a semi-join instead.
        if self.version_num >= 140_000 {
            format!("{expr} = ANY({list})")
        } else {
            format!("{expr} IN (SELECT unnest({list}))")
        }
    }
}

/// Schemas drizzle-drift never reads: `pg_catalog`, `pg_toast*`, `pg_temp*` (every
/// `pg_` name is reserved) and `information_schema`. Written without LIKE so no escape
/// setting can change it.
pub(super) const USER_NAMESPACE: &str =
    "n.nspname <> 'information_schema' AND left(n.nspname, 3) <> 'pg_'";

/// Not created by an extension (`CREATE EXTENSION postgis` makes tables and types).
pub(super) fn not_extension_member(catalog: &str, alias: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '{catalog}'::regclass \
         AND e.objid = {alias}.oid AND e.deptype = 'e')"
    )
}

async fn read_everything(
    session: &mut Session,
    opts: &ReadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Catalog, String> {
    let schema_filter = NameFilter::new(&opts.schema_filter);
    let tables_filter = NameFilter::new(&opts.tables_filter);

    let info = server::read(session, opts, diagnostics).await?;
    if info.version_num < 100_000 {
        return Err(format!(
            "PostgreSQL {} is not supported: drizzle-drift reads PostgreSQL 10 and later",
            info.version
        ));
    }

    if info.version_num >= 110_000 {
        // Catalog queries over thousands of tables look expensive to the planner, which
        // then spends more time JIT-compiling them than running them.
        session.execute("settings", "SET LOCAL jit = off").await?;
    }

    let listing = relations::read(session, diagnostics).await?;
    let kept = relations::keep(listing, opts, &schema_filter, &tables_filter, diagnostics);
    let scope = Scope::new(info.version_num, &kept.tables, &kept.views);
    let table_stats = kept
        .tables
        .iter()
        .map(|r| super::TableStats {
            schema: r.schema.clone(),
            name: r.name.clone(),
            rows: r.rows.filter(|n| *n >= 0.0).map(|n| n.round() as i64),
            bytes: r.bytes.unwrap_or(0),
        })
        .collect();

    let mut tables: HashMap<u32, Table> = kept
        .tables
        .iter()
        .map(|r| {
            let mut table = Table::new(QualifiedName::new(&r.schema, &r.name));
            table.rls_enabled = r.rls;
            (r.oid, table)
        })
        .collect();

    let sequence_rows = sequences::read(session, diagnostics).await?;
    let column_sequences = columns::ColumnSequences {
        identities: sequences::identities(&sequence_rows),
        owned: sequences::owned(&sequence_rows),
    };
    let attnames =
        columns::read(session, &scope, &mut tables, &column_sequences, diagnostics).await?;
    constraints::read(session, &scope, &mut tables, &attnames, diagnostics).await?;
    let default_opclasses =
        indexes::read(session, &scope, &mut tables, &attnames, diagnostics).await?;
    policies::read(session, &scope, &mut tables, diagnostics).await?;
    let enums = enums::read(session, diagnostics).await?;
    let view_list = views::read(session, &scope, &kept.views, diagnostics).await?;
    let roles = if opts.include_roles {
        roles::read(session, diagnostics).await?
    } else {
        Default::default()
    };
    let applied = match &info.migrations_columns {
        Some(columns) => Some(applied::read(session, opts, columns, diagnostics).await?),
        None => None,
    };

    let mut schema = Schema::new(Dialect::Postgresql);
    schema.default_opclasses = default_opclasses;
    for table in tables.into_values() {
        schema.tables.insert(table.name.clone(), table);
    }
    for view in view_list {
        schema.views.insert(view.name.clone(), view);
    }
    for e in enums
        .into_iter()
        .filter(|e| schema_filter.allows(&e.name.schema, None))
    {
        schema.enums.insert(e.name.clone(), e);
    }
    for s in sequences::standalone(sequence_rows)
        .into_iter()
        .filter(|s| schema_filter.allows(&s.name.schema, None))
    {
        schema.sequences.insert(s.name.clone(), s);
    }
    schema.roles = roles;
    schema.schemas = info
        .schemas
        .iter()
        .filter(|s| schema_filter.allows(s, None))
        .filter(|s| **s != opts.migrations_schema || holds_anything(&schema, s))
        .cloned()
        .collect();

    let replication = info.replication();
    Ok(Catalog {
        version: CATALOG_VERSION,
        server: info.server_string(),
        database: info.database,
        schema,
        applied,
        diagnostics: Vec::new(),
        table_stats,
        replication: Some(replication),
    })
}

/// Whether anything read lives in schema `s` (the migrations schema is left out of the
/// schema list when it holds only the migrations table).
fn holds_anything(schema: &Schema, s: &str) -> bool {
    schema.tables.keys().any(|k| k.schema == s)
        || schema.views.keys().any(|k| k.schema == s)
        || schema.enums.keys().any(|k| k.schema == s)
        || schema.sequences.keys().any(|k| k.schema == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The TUI runs loads as spawned tasks: the read must be `Send`.
    #[test]
    fn read_can_run_on_a_spawned_task() {
        fn assert_send<T: Send + 'static>(_: &T) {}
        let opts = ReadOptions::default();
        let read = async move { read("postgres://localhost/db", &opts).await };
        assert_send(&read);
    }
}
