//! The migrations folder: the 0.x journal layout and the 1.0 folder layout, their
//! snapshots and SQL files, and the chain that links them.

use crate::diagnostic::Diagnostic;
use crate::model::{Dialect, Schema};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// `meta/_journal.json` + `<tag>.sql` + `meta/<prefix>_snapshot.json` (drizzle-kit 0.x).
    Journal,
    /// `<YYYYMMDDHHMMSS>_<name>/{migration.sql,snapshot.json}` (drizzle-kit 1.0).
    Folders,
    /// The folder does not exist or holds no migrations.
    Empty,
}

/// One migration as the migrator sees it, in the order it would run.
#[derive(Debug, Clone, Serialize)]
pub struct Migration {
    /// `0000_init`, or the 1.0 folder name.
    pub tag: String,
    /// The journal's `when` (ms since the epoch); for 1.0, the folder timestamp.
    pub when: Option<i64>,
    /// The journal's `breakpoints` flag (1.0: always true).
    pub breakpoints: bool,
    pub sql_path: PathBuf,
    /// Lowercase hex sha256 of the whole SQL file, as the migrator stores it; `None`
    /// when the file is missing or unreadable.
    pub hash: Option<String>,
    pub snapshot_path: Option<PathBuf>,
    /// The snapshot's `id` and `prevId`/`prevIds`, read without parsing the rest.
    pub snapshot_id: Option<String>,
    pub prev_ids: Vec<String>,
}

/// A defect of the history itself: becomes a `history` finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Migration tag or file the problem is about.
    pub subject: String,
    pub message: String,
    pub fix: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub dir: PathBuf,
    pub layout: Layout,
    pub dialect: Option<Dialect>,
    pub migrations: Vec<Migration>,
    pub problems: Vec<Problem>,
    /// Files that could not be read or parsed, with position.
    pub diagnostics: Vec<Diagnostic>,
}

/// A snapshot converted to the model, or why it could not be.
pub type SnapshotResult = Result<Schema, Diagnostic>;
