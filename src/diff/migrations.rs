//! Migration states: which local migrations the database has applied, which will run,
//! and which the migrator will silently never run.

use crate::diagnostic::Level;
use crate::report::{Category, Finding, MigrationEntry, MigrationState, ObjectKind, Severity};
use crate::sources::catalog::AppliedMigration;
use crate::sources::history::{History, Layout};
use serde_json::Value;
use std::path::Path;

/// The migration list with states, and the index of the last local migration the
/// database has applied (`None`: nothing applied).
pub struct States {
    pub entries: Vec<MigrationEntry>,
    pub last_applied: Option<usize>,
}

/// `applied`: the migrations table's rows, `None` when the database has no such table
/// (nothing applied) — and no states at all when no database was read.
pub fn states(history: &History, applied: Option<&[AppliedMigration]>) -> States {
    let Some(rows) = applied else {
        return States {
            entries: history
                .migrations
                .iter()
                .map(|m| MigrationEntry {
                    tag: m.tag.clone(),
                    state: MigrationState::Unknown,
                    when: m.when,
                    hash: m.hash.clone(),
                    applied_hash: None,
                })
                .collect(),
            last_applied: None,
        };
    };
    let newest_applied = rows.iter().filter_map(|r| r.created_at).max();
    let mut used = vec![false; rows.len()];
    let mut entries = Vec::new();
    let mut last_applied = None;
    for (i, m) in history.migrations.iter().enumerate() {
        let row = rows.iter().enumerate().find(|(j, r)| {
            !used[*j]
                && match (history.layout, &r.name) {
                    (Layout::Folders, Some(name)) => *name == m.tag,
                    _ => r.created_at.is_some() && r.created_at == m.when,
                }
        });
        // A row without a matching timestamp may still be this migration by its hash.
        let row = row.or_else(|| {
            rows.iter()
                .enumerate()
                .find(|(j, r)| !used[*j] && m.hash.as_deref() == Some(r.hash.as_str()))
        });
        let (state, applied_hash) = match row {
            Some((j, r)) => {
                used[j] = true;
                last_applied = Some(i);
                let state = if m.hash.as_deref().is_some_and(|h| h != r.hash) {
                    MigrationState::Modified
                } else {
                    MigrationState::Applied
                };
                (state, Some(r.hash.clone()))
            }
            None => {
                let skipped = history.layout != Layout::Folders
                    && matches!((m.when, newest_applied), (Some(w), Some(n)) if w <= n);
                let state = if skipped {
                    MigrationState::Skipped
                } else {
                    MigrationState::Pending
                };
                (state, None)
            }
        };
        entries.push(MigrationEntry {
            tag: m.tag.clone(),
            state,
            when: m.when,
            hash: m.hash.clone(),
            applied_hash,
        });
    }
    for (j, r) in rows.iter().enumerate() {
        if !used[j] {
            entries.push(MigrationEntry {
                tag: r
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("#{} ({})", r.id, short(&r.hash))),
                state: MigrationState::Missing,
                when: r.created_at,
                hash: None,
                applied_hash: Some(r.hash.clone()),
            });
        }
    }
    States {
        entries,
        last_applied,
    }
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

/// `history` findings: defects of the migrations folder, and migrations whose state
/// means the migrator will not do what the team thinks.
pub fn history_findings(history: &History, entries: &[MigrationEntry]) -> Vec<Finding> {
    let mut out: Vec<Finding> = history
        .problems
        .iter()
        .map(|p| {
            let severity = match p.level {
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
                Level::Info => Severity::Info,
            };
            migration_finding(severity, &p.subject, p.message.clone(), Some(p.fix.clone()))
        })
        .collect();
    // A file drizzle-kit itself could not read is a defect of the history, not a note.
    for d in history
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
    {
        let name = Path::new(&d.location)
            .file_name()
            .map_or(d.location.clone(), |n| n.to_string_lossy().into_owned());
        let position = d
            .line
            .map(|l| format!(":{l}:{}", d.column.unwrap_or(1)))
            .unwrap_or_default();
        out.push(migration_finding(
            Severity::Error,
            &name,
            format!("{}{position}: {}", d.location, d.message),
            Some("restore the file from version control (drizzle-kit generate and the migrator cannot read it either)".into()),
        ));
    }
    let newest_applied = entries
        .iter()
        .filter(|e| matches!(e.state, MigrationState::Applied | MigrationState::Modified))
        .filter_map(|e| e.when.map(|w| (w, e.tag.as_str())))
        .max();
    for e in entries {
        let finding = match e.state {
            MigrationState::Modified => migration_finding(
                Severity::Error,
                &e.tag,
                format!("{} was edited after it was applied: its sha256 no longer matches the one the database stored", e.tag),
                Some(format!(
                    "restore the applied version of {} (git log -p on the file) and put the change in a new migration; the migrator never re-runs an applied file",
                    e.tag
                )),
            ),
            MigrationState::Skipped => migration_finding(
                Severity::Error,
                &e.tag,
                match newest_applied {
                    Some((_, newer)) => format!(
                        "{} will never run: its timestamp is not after that of {newer}, which is already applied, and the migrator only runs newer ones",
                        e.tag
                    ),
                    None => format!("{} will never run: its timestamp is not after the newest applied migration", e.tag),
                },
                Some(format!(
                    "regenerate it on top of the current history (delete {} and its snapshot, then `drizzle-kit generate`), or apply its SQL by hand and record it",
                    e.tag
                )),
            ),
            MigrationState::Missing => migration_finding(
                Severity::Warning,
                &e.tag,
                format!("migration {} is recorded as applied in the database but has no local file", e.tag),
                Some("check out the branch that has it, or verify the database was migrated from this project".into()),
            ),
            _ => continue,
        };
        out.push(finding);
    }
    out
}

pub(crate) fn migration_finding(
    severity: Severity,
    tag: &str,
    message: String,
    fix: Option<String>,
) -> Finding {
    Finding {
        category: Category::History,
        severity,
        object: ObjectKind::Migration,
        schema: None,
        table: None,
        name: tag.to_string(),
        field: None,
        ts: Value::Null,
        snapshot: Value::Null,
        live: Value::Null,
        message,
        fix,
        location: None,
        rule: None,
        target: None,
    }
}
