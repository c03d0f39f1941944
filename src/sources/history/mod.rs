//! The migrations folder: the 0.x journal layout and the 1.0 folder layout, their
//! snapshots and SQL files, and the chain that links them.
//!
//! [`load`] reads only what it needs to list migrations and check the chain (the journal,
//! every SQL file for its hash, and the header of every snapshot). The full conversion of
//! a snapshot to the model happens in [`snapshot`].

mod chain;
mod files;
mod folders;
mod header;
mod journal;
mod snapshot;
mod sql;

use crate::diagnostic::{Diagnostic, Incomplete, Level, Source};
use crate::model::{Dialect, Schema};
use serde::Serialize;
use std::path::{Path, PathBuf};

pub use snapshot::{parse_snapshot, parse_snapshot_with_notes, Converted};
pub use sql::{hash_sql, statements, Statement, BREAKPOINT};

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
    /// The snapshot's `version` (`"7"`, `"8"`…), when its header could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_version: Option<String>,
}

/// What kind of defect a [`Problem`] is, for callers that treat kinds differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Two snapshots name the same parent (two branches generated from one state).
    Collision,
    /// 1.0 layout: more than one snapshot is not the parent of any other.
    OpenBranches,
    /// A snapshot's parent is no earlier snapshot.
    BrokenChain,
    /// Two snapshots carry the same `id`.
    DuplicateId,
    /// A migration's SQL file does not exist.
    MissingSql,
    /// A migration has no snapshot.
    MissingSnapshot,
    /// A SQL file the migrator will never run.
    UnlistedSql,
    /// A snapshot that belongs to no migration.
    UnlistedSnapshot,
    /// A journal `when` that is not after the previous entry's.
    WhenNotIncreasing,
    /// Journal `idx` values out of order or duplicated.
    IdxOrder,
    /// Two journal entries with the same tag.
    DuplicateTag,
    /// The journal or a snapshot is for another dialect than the config's.
    DialectMismatch,
    /// `migrations.prefix: "none"`: every migration shares `meta/_snapshot.json`.
    SharedSnapshot,
    /// The folder holds both layouts.
    MixedLayout,
}

/// A defect of the history itself: becomes a `history` finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub level: Level,
    /// Migration tag or file the problem is about.
    pub subject: String,
    pub message: String,
    pub fix: String,
}

impl Problem {
    fn new(
        kind: ProblemKind,
        level: Level,
        subject: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Problem {
            kind,
            level,
            subject: subject.into(),
            message: message.into(),
            fix: fix.into(),
        }
    }
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
    /// What could not be read at all (the folder, the journal, entries of it): the
    /// migration list is not known, so nothing may rest on it.
    pub incomplete: Vec<Incomplete>,
    /// The snapshot `drizzle-kit generate` (0.x) diffs the schema against: the last
    /// `meta/*.json` in sorted order, journaled or not.
    pub generate_base: Option<PathBuf>,
}

impl History {
    /// The history of a folder that was not read (its name could not be evaluated): no
    /// migration is known, and nothing may rest on the list (`why`).
    pub fn not_read(dir: &Path, why: Incomplete) -> Self {
        let mut history = History::empty(dir);
        history.incomplete.push(why);
        history
    }

    fn empty(dir: &Path) -> Self {
        History {
            dir: dir.to_path_buf(),
            layout: Layout::Empty,
            dialect: None,
            migrations: Vec::new(),
            problems: Vec::new(),
            diagnostics: Vec::new(),
            incomplete: Vec::new(),
            generate_base: None,
        }
    }

    /// The index of the migration with this tag.
    pub fn position(&self, tag: &str) -> Option<usize> {
        self.migrations.iter().position(|m| m.tag == tag)
    }
}

/// A snapshot converted to the model, or why it could not be.
pub type SnapshotResult = Result<Schema, Diagnostic>;

/// Read a migrations folder. Never fails: what it cannot read becomes a diagnostic, what
/// is wrong with the history becomes a problem, and the rest still loads.
pub fn load(out_dir: &Path, dialect: Dialect) -> History {
    let mut history = History::empty(out_dir);
    if let Err(e) = std::fs::read_dir(out_dir) {
        // A project without migrations yet has no folder: that is not a problem.
        if e.kind() != std::io::ErrorKind::NotFound {
            let shown = display(out_dir);
            let why = if out_dir.is_file() {
                "is a file, not a folder".to_string()
            } else {
                format!("could not be read: {e}")
            };
            let message = format!("the migrations folder {shown} {why}");
            history
                .incomplete
                .push(Incomplete::new(Source::Snapshot, &message).at(&shown));
            history.diagnostics.push(Diagnostic::error(&shown, message));
        }
        return history;
    }
    let journal_path = out_dir.join("meta").join("_journal.json");
    if journal_path.is_file() {
        history.layout = Layout::Journal;
        journal::load(&mut history, &journal_path, dialect);
        history.generate_base = journal::generate_base(&out_dir.join("meta"));
        if folders::has_migration_folders(out_dir) {
            history.problems.push(Problem::new(
                ProblemKind::MixedLayout,
                Level::Warning,
                display(out_dir),
                format!(
                    "{} holds both meta/_journal.json (drizzle-kit 0.x) and migration folders \
                     (drizzle-kit 1.0); the 0.x migrator reads only the journal and the 1.0 \
                     migrator refuses to run while the journal exists",
                    display(out_dir)
                ),
                "run `drizzle-kit up` with drizzle-kit 1.0 to convert the folder, or remove \
                 the layout you no longer use",
            ));
        }
    } else if folders::has_migration_folders(out_dir) {
        history.layout = Layout::Folders;
        folders::load(&mut history, dialect);
    }
    history
}

/// Migration `index`'s snapshot converted to the model (for a 1.0 diff snapshot, replayed
/// onto its base).
pub fn snapshot(history: &History, index: usize) -> SnapshotResult {
    snapshot_with_notes(history, index).map(|c| c.schema)
}

/// Like [`snapshot`], with the notes the conversion made about objects it had to skip or
/// guess (an index on a table the snapshot does not declare…).
pub fn snapshot_with_notes(history: &History, index: usize) -> Result<Converted, Diagnostic> {
    let Some(migration) = history.migrations.get(index) else {
        return Err(Diagnostic::error(
            display(&history.dir),
            format!(
                "there is no migration #{index}: the history has {} migrations",
                history.migrations.len()
            ),
        ));
    };
    let Some(path) = &migration.snapshot_path else {
        return Err(Diagnostic::error(
            migration.tag.clone(),
            format!("migration {} has no snapshot", migration.tag),
        ));
    };
    snapshot::load_for_history(history, path)
}

/// A snapshot file of this history (not necessarily one a migration names) converted to
/// the model.
pub fn snapshot_file(history: &History, path: &Path) -> SnapshotResult {
    snapshot::load_for_history(history, path).map(|c| c.schema)
}

/// A path as shown to the user.
fn display(path: &Path) -> String {
    path.display().to_string()
}

/// The all-zero id drizzle-kit gives the parent of the first snapshot.
const ORIGIN_ID: &str = "00000000-0000-0000-0000-000000000000";

fn parse_dialect(text: &str) -> Option<Dialect> {
    match text {
        "pg" | "postgresql" | "postgres" => Some(Dialect::Postgresql),
        "mysql" => Some(Dialect::Mysql),
        _ => None,
    }
}
