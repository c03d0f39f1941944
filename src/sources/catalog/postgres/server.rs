//! Server version, database name, schemas and the shape of the migrations table, in
//! the transaction's first query.

use super::session::{literal, Session};
use super::{not_extension_member, ReadOptions, USER_NAMESPACE};
use crate::diagnostic::Diagnostic;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub(super) struct ServerInfo {
    /// `server_version`, e.g. `15.20 (Debian 15.20-0+deb12u1)`.
    pub version: String,
    pub version_num: i32,
    pub database: String,
    /// Every user schema but `public`.
    pub schemas: Vec<String>,
    /// Columns of the migrations table; `None` when there is no such table.
    pub migrations_columns: Option<Vec<String>>,
    pub in_recovery: bool,
    pub lag_seconds: Option<f64>,
    pub replay_paused: Option<bool>,
}

impl ServerInfo {
    /// `PostgreSQL 15.20`.
    pub fn server_string(&self) -> String {
        let number = self.version.split_whitespace().next().unwrap_or_default();
        format!("PostgreSQL {number}")
    }

    pub fn replication(&self) -> crate::sources::catalog::Replication {
        use crate::sources::catalog::{Replication, Role};
        Replication {
            role: if self.in_recovery {
                Role::Replica
            } else {
                Role::Primary
            },
            lag_seconds: self.lag_seconds.filter(|_| self.in_recovery),
            replay_paused: self.in_recovery && self.replay_paused == Some(true),
        }
    }
}

pub(super) async fn read(
    session: &mut Session,
    opts: &ReadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<ServerInfo, String> {
    let sql = format!(
        "SELECT json_build_object(\
           'version', current_setting('server_version'), \
           'version_num', current_setting('server_version_num')::int, \
           'database', current_database(), \
           'schemas', coalesce((SELECT json_agg(n.nspname ORDER BY n.nspname) FROM pg_namespace n \
              WHERE {USER_NAMESPACE} AND n.nspname <> 'public' AND {ns_not_ext}), '[]'::json), \
           'migrations_columns', (SELECT json_agg(a.attname ORDER BY a.attnum) \
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
              JOIN pg_namespace n ON n.oid = c.relnamespace \
              WHERE n.nspname = {schema} AND c.relname = {table} \
                AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped), \
           'in_recovery', pg_is_in_recovery(), \
           'lag_seconds', CASE WHEN pg_is_in_recovery() THEN \
              CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0::float8 \
              ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END END, \
           'replay_paused', CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END)",
        ns_not_ext = not_extension_member("pg_namespace", "n"),
        schema = literal(&opts.migrations_schema)?,
        table = literal(&opts.migrations_table)?,
    );
    let mut rows: Vec<ServerInfo> = session.json_rows("server", &sql, diagnostics).await?;
    rows.pop()
        .ok_or_else(|| "reading server: the server returned no row".to_string())
}
