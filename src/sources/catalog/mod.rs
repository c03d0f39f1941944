//! Live readers and captured catalogs.

pub mod capture;
pub mod mysql;
pub mod postgres;

use crate::diagnostic::Diagnostic;
use crate::model::{Dialect, Schema};
use serde::{Deserialize, Serialize};

/// Format version of a captured catalog file written by [`capture::save`].
pub const CATALOG_VERSION: u32 = 1;

/// A row of the migrations table, in id order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedMigration {
    pub id: i64,
    pub hash: String,
    /// The journal `when` of the migration (ms).
    pub created_at: Option<i64>,
    /// 1.0 migrators store the folder name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// 1.0 migrators record when the row was inserted (`applied_at timestamptz`), as the
    /// server prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_at: Option<String>,
}

/// Everything read from a live database (or a captured file): no credentials inside.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    /// Format version of a captured catalog file.
    pub version: u32,
    /// Server version string, e.g. `PostgreSQL 15.19`.
    pub server: String,
    /// Database name.
    pub database: String,
    pub schema: Schema,
    /// `None` when there is no migrations table (nothing applied).
    pub applied: Option<Vec<AppliedMigration>>,
    /// What the reader met but could not represent in the model (exclusion constraints,
    /// partitions, invalid indexes, unreadable migration rows…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
    /// Size of each table read, for lint messages ("rewrites users: ~1.2M rows"); not
    /// part of the compared model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub table_stats: Vec<TableStats>,
    /// PostgreSQL: primary or replica, and a replica's replay lag; `None` on MySQL and in
    /// catalogs captured before it was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication: Option<Replication>,
}

/// Where a PostgreSQL server stands in replication (`pg_is_in_recovery()`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replication {
    pub role: Role,
    /// A replica's replay lag in seconds: 0 when it has replayed all it received, else
    /// `now() - pg_last_xact_replay_timestamp()` (`None`: nothing replayed yet).
    pub lag_seconds: Option<f64>,
    /// A replica whose replay is paused (`pg_wal_replay_pause()`).
    pub replay_paused: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Primary,
    Replica,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Replica => "replica",
        }
    }
}

/// How big a live table is, as the catalog estimates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableStats {
    pub schema: String,
    pub name: String,
    /// `pg_class.reltuples`; `None` when the table was never analyzed or vacuumed.
    pub rows: Option<i64>,
    /// Heap, indexes and TOAST in bytes, from `relpages` (as of the last VACUUM/ANALYZE).
    pub bytes: i64,
}

impl Catalog {
    /// The stats of table `schema.name` (an empty schema means the default one: `public`
    /// on PostgreSQL, the database read on MySQL).
    pub fn stats(&self, schema: &str, name: &str) -> Option<&TableStats> {
        let schema = match self.schema.dialect {
            Dialect::Postgresql if schema.is_empty() => "public",
            _ => schema,
        };
        self.table_stats
            .iter()
            .find(|t| t.schema == schema && t.name == name)
    }
}
