//! The `Report` every view renders — `check`, `--format json` and the TUI are three views
//! of one value — and its renderers.

pub mod fleet;
pub mod github;
pub mod json;
pub mod markdown;
pub mod text;
pub mod word_diff;

use crate::diagnostic::{Diagnostic, Incomplete};
use crate::model::Dialect;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Ungenerated,
    Pending,
    Drift,
    History,
    Lint,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Ungenerated => "ungenerated",
            Category::Pending => "pending",
            Category::Drift => "drift",
            Category::History => "history",
            Category::Lint => "lint",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Schema,
    Enum,
    Sequence,
    Table,
    Column,
    PrimaryKey,
    Index,
    ForeignKey,
    Unique,
    Check,
    Policy,
    View,
    Role,
    Migration,
}

impl ObjectKind {
    /// How a person calls it in a sentence.
    pub fn noun(self) -> &'static str {
        match self {
            ObjectKind::Schema => "schema",
            ObjectKind::Enum => "enum",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Table => "table",
            ObjectKind::Column => "column",
            ObjectKind::PrimaryKey => "primary key",
            ObjectKind::Index => "index",
            ObjectKind::ForeignKey => "foreign key",
            ObjectKind::Unique => "unique constraint",
            ObjectKind::Check => "check constraint",
            ObjectKind::Policy => "policy",
            ObjectKind::View => "view",
            ObjectKind::Role => "role",
            ObjectKind::Migration => "migration",
        }
    }
}

/// One difference, with the one cause the tool names for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub category: Category,
    pub severity: Severity,
    pub object: ObjectKind,
    pub schema: Option<String>,
    /// The table of a table-scoped object (column, index, constraint, policy), or the
    /// table itself.
    pub table: Option<String>,
    /// The object's own name (column name, constraint name, migration tag…).
    pub name: String,
    /// `None` for a presence difference; otherwise the attribute that differs.
    pub field: Option<String>,
    pub ts: Value,
    pub snapshot: Value,
    pub live: Value,
    pub message: String,
    pub fix: Option<String>,
    /// Where a person goes to fix it: the TypeScript declaration, or the migration file
    /// and statement line. Paths are relative to the project folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<crate::model::Origin>,
    /// For a lint finding: the rule that raised it (`drizzle-…` or a squawk rule name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// With several targets: the target a finding about a database was made on, `null`
    /// for a finding about files only; absent with one database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Option<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MigrationState {
    Applied,
    Pending,
    Modified,
    Skipped,
    Missing,
    Unknown,
}

impl MigrationState {
    pub fn as_str(self) -> &'static str {
        match self {
            MigrationState::Applied => "applied",
            MigrationState::Pending => "pending",
            MigrationState::Modified => "modified",
            MigrationState::Skipped => "skipped",
            MigrationState::Missing => "missing",
            MigrationState::Unknown => "unknown",
        }
    }
}

impl fmt::Display for MigrationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MigrationEntry {
    pub tag: String,
    pub state: MigrationState,
    /// Journal `when` (ms since the epoch).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<i64>,
    /// sha256 of the local file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// The hash the database stored when it applied the migration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_hash: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

/// What each source was, for the header of every view.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SourceInfo {
    /// `null` when the TypeScript schema was not read.
    pub ts: Option<String>,
    /// The migrations folder.
    pub snapshot: Option<String>,
    /// The database (redacted URL) or captured catalog file.
    pub live: Option<String>,
    /// Tag of the newest local migration.
    pub latest: Option<String>,
    /// Tag of the newest migration applied to the database.
    pub applied: Option<String>,
    /// The project has no migrations: drift compares the schema with the database directly.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub push: bool,
    /// Who evaluated the config when the static reader could not: `node (drizzle-kit
    /// 0.31.4)`. Absent: read statically.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_evaluated_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub version: u32,
    pub dialect: Dialect,
    pub findings: Vec<Finding>,
    pub migrations: Vec<MigrationEntry>,
    pub summary: Summary,
    pub sources: SourceInfo,
    /// What the readers could not understand.
    pub diagnostics: Vec<Diagnostic>,
    /// What could not be read or evaluated: no finding rests on it, and `check` exits 2.
    pub incomplete: Vec<Incomplete>,
    /// With several targets: each one, in the order named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<TargetInfo>>,
    /// With several targets: those read, grouped by fingerprint (identical databases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<TargetGroup>>,
}

/// One database of a run over several.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetInfo {
    pub name: String,
    /// The URL without its password, or the captured catalog file.
    pub url: String,
    pub state: TargetState,
    /// Why it could not be read (`state` unreachable or error).
    pub error: Option<String>,
    /// `PostgreSQL 16.4`, `MariaDB 10.11.6`.
    pub server: Option<String>,
    /// PostgreSQL: `primary` or `replica`.
    pub role: Option<crate::sources::catalog::Role>,
    /// A replica's replay lag.
    pub lag_seconds: Option<f64>,
    /// A replica whose replay is paused.
    pub replay_paused: Option<bool>,
    /// The newest migration applied there.
    pub applied: Option<String>,
    /// The migrations pending there.
    pub pending: Vec<String>,
    pub fingerprint: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetState {
    Ok,
    /// No session could be opened.
    Unreachable,
    /// Connected (or a file found), but the catalog could not be read or is not the
    /// project's dialect.
    Error,
}

impl TargetState {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetState::Ok => "ok",
            TargetState::Unreachable => "unreachable",
            TargetState::Error => "error",
        }
    }
}

/// Targets with one fingerprint: the same schema and the same applied migrations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetGroup {
    pub fingerprint: String,
    pub targets: Vec<String>,
}

impl Report {
    pub fn new(dialect: Dialect, mut findings: Vec<Finding>) -> Self {
        findings.sort_by(|a, b| {
            (&a.schema, &a.table, a.category, a.object, &a.name)
                .cmp(&(&b.schema, &b.table, b.category, b.object, &b.name))
        });
        let mut report = Report {
            version: 1,
            dialect,
            findings,
            migrations: Vec::new(),
            summary: Summary::default(),
            sources: SourceInfo::default(),
            diagnostics: Vec::new(),
            incomplete: Vec::new(),
            targets: None,
            groups: None,
        };
        report.recount();
        report
    }

    pub fn recount(&mut self) {
        let mut s = Summary::default();
        for f in &self.findings {
            match f.severity {
                Severity::Error => s.error += 1,
                Severity::Warning => s.warning += 1,
                Severity::Info => s.info += 1,
            }
        }
        self.summary = s;
    }

    /// Is there a finding at or above `threshold`? (exit code 1)
    pub fn fails(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }
}
