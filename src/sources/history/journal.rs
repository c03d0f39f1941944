//! The drizzle-kit 0.x layout: `meta/_journal.json` lists the migrations in the order the
//! migrator runs them; `<tag>.sql` holds each one and `meta/<prefix>_snapshot.json` the
//! state after it.

use super::files::{read_all, show, Job};
use super::header::{json_error, lenient_string};
use super::{chain, parse_dialect, History, Migration, Problem, ProblemKind};
use crate::diagnostic::{Diagnostic, Incomplete, Level, Source};
use crate::model::Dialect;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
struct JournalFile {
    #[serde(default, deserialize_with = "lenient_string")]
    dialect: Option<String>,
    #[serde(default)]
    entries: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    #[serde(default)]
    idx: Option<i64>,
    #[serde(default)]
    when: Option<i64>,
    tag: String,
    #[serde(default)]
    breakpoints: Option<bool>,
}

pub(crate) fn load(history: &mut History, journal_path: &Path, dialect: Dialect) {
    let out_dir = history.dir.clone();
    let file = show(journal_path);
    let text = match std::fs::read(journal_path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let message = format!("{file} could not be read: {e}");
            history
                .incomplete
                .push(Incomplete::new(Source::Snapshot, &message).at(&file));
            history.diagnostics.push(Diagnostic::error(&file, message));
            return;
        }
    };
    let diagnostics_before = history.diagnostics.len();
    let parsed = parse(&text, &file, &mut history.diagnostics);
    // A journal read only in part lists only some migrations: which ones ran, and in
    // which order, is not known.
    for d in &history.diagnostics[diagnostics_before..] {
        let location = match d.line {
            Some(line) => format!("{file}:{line}:{}", d.column.unwrap_or(1)),
            None => file.clone(),
        };
        history
            .incomplete
            .push(Incomplete::new(Source::Snapshot, d.message.clone()).at(location));
    }
    let Some(journal) = parsed else {
        return;
    };

    if let Some(name) = &journal.dialect {
        history.dialect = parse_dialect(name);
        if history.dialect != Some(dialect) {
            history.problems.push(dialect_problem(&file, name, dialect));
        }
    }

    check_order(&journal.entries, &mut history.problems);

    // Snapshot file of each entry: `<tag up to the first _>_snapshot.json`, as drizzle-kit
    // writes it. Several entries can name one file (prefix `none`, or two branches that
    // both generated the same index); it holds the state of the last one written.
    let meta = out_dir.join("meta");
    let snapshot_of: Vec<PathBuf> = journal
        .entries
        .iter()
        .map(|e| meta.join(snapshot_name(&e.tag)))
        .collect();
    let mut last_user: HashMap<&Path, usize> = HashMap::new();
    for (i, path) in snapshot_of.iter().enumerate() {
        last_user.insert(path.as_path(), i);
    }
    report_shared(&journal.entries, &snapshot_of, &mut history.problems);

    let jobs: Vec<Job> = journal
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| Job {
            sql: out_dir.join(format!("{}.sql", e.tag)),
            // A file that does not exist is no one's: each entry naming it lacks a snapshot.
            snapshot: (last_user.get(snapshot_of[i].as_path()) == Some(&i)
                || !snapshot_of[i].is_file())
            .then(|| snapshot_of[i].clone()),
        })
        .collect();
    let reads = read_all(&jobs);

    let mut mismatched_snapshots = Vec::new();
    let mut first_snapshot_dialect = None;
    let mut last_with_snapshot: Option<String> = None;
    for ((entry, job), read) in journal.entries.iter().zip(jobs).zip(reads) {
        history.diagnostics.extend(read.diagnostics);
        if !read.sql_exists {
            history.problems.push(Problem::new(
                ProblemKind::MissingSql,
                Level::Error,
                entry.tag.clone(),
                format!(
                    "the journal lists {} but {} does not exist: the migrator will stop with \
                     an error when it reaches it",
                    entry.tag,
                    show(&job.sql)
                ),
                format!(
                    "restore {} from version control, or remove its entry from \
                     meta/_journal.json",
                    show(&job.sql)
                ),
            ));
        }
        let shared_away = job.snapshot.is_none();
        if !shared_away && !read.snapshot_exists {
            let expected = job.snapshot.as_deref().map(show).unwrap_or_default();
            let older = match &last_with_snapshot {
                Some(tag) => format!("the snapshot of {tag}"),
                None => "an empty database".to_string(),
            };
            history.problems.push(Problem::new(
                ProblemKind::MissingSnapshot,
                Level::Warning,
                entry.tag.clone(),
                format!(
                    "{} has no snapshot ({expected} does not exist): drizzle-kit generate \
                     does not know the state after it (the last state it knows before it is \
                     {older}), so schema changes made only in its SQL may be repeated or \
                     undone by a later generate",
                    entry.tag
                ),
                format!(
                    "write hand-made migrations with `drizzle-kit generate --custom`, which \
                     also writes a snapshot; if {expected} was lost, restore it from version \
                     control"
                ),
            ));
        }
        if read.snapshot_exists {
            last_with_snapshot = Some(entry.tag.clone());
        }
        if let Some(name) = read.header.as_ref().and_then(|h| h.dialect.clone()) {
            first_snapshot_dialect = first_snapshot_dialect.or(parse_dialect(&name));
            if parse_dialect(&name) != Some(dialect) {
                mismatched_snapshots.push((entry.tag.clone(), name));
            }
        }
        let (snapshot_id, prev_ids, snapshot_version) = match &read.header {
            Some(h) => (h.id.clone(), h.parents(), h.version.clone()),
            None => (None, Vec::new(), None),
        };
        history.migrations.push(Migration {
            tag: entry.tag.clone(),
            when: entry.when,
            breakpoints: entry.breakpoints.unwrap_or(true),
            sql_path: job.sql,
            hash: read.hash,
            snapshot_path: job.snapshot.filter(|_| read.snapshot_exists),
            snapshot_id,
            prev_ids,
            snapshot_version,
        });
    }

    if let Some((tag, name)) = mismatched_snapshots.first() {
        let more = match mismatched_snapshots.len() {
            1 => String::new(),
            n => format!(" (and {} more snapshots)", n - 1),
        };
        let mut p = dialect_problem(&format!("the snapshot of {tag}{more}"), name, dialect);
        p.subject = tag.clone();
        history.problems.push(p);
    }
    if history.dialect.is_none() {
        history.dialect = first_snapshot_dialect;
    }

    let listed: HashSet<&str> = journal.entries.iter().map(|e| e.tag.as_str()).collect();
    report_unlisted_sql(&out_dir, &listed, &mut history.problems);
    report_unlisted_snapshots(&meta, &journal.entries, &snapshot_of, &mut history.problems);
    history
        .problems
        .extend(chain::check(&history.migrations, super::Layout::Journal));
}

/// The journal, typed when it has the expected shape; otherwise every entry that can be
/// understood on its own, with a diagnostic for the rest.
fn parse(bytes: &[u8], file: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<JournalFile> {
    let error = match serde_json::from_slice::<JournalFile>(bytes) {
        Ok(journal) => return Some(journal),
        Err(e) => e,
    };
    diagnostics.push(json_error(file, &error));
    if error.classify() != serde_json::error::Category::Data {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let object = value.as_object()?;
    let dialect = object
        .get("dialect")
        .and_then(|d| d.as_str())
        .map(str::to_string);
    let entries = object
        .get("entries")
        .and_then(|e| e.as_array())
        .map(|entries| {
            entries
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    serde_json::from_value::<Entry>(v.clone())
                        .map_err(|e| {
                            diagnostics.push(Diagnostic::error(
                                file,
                                format!("{file}: entry #{i} is left out: {e}"),
                            ))
                        })
                        .ok()
                })
                .collect()
        })
        .unwrap_or_default();
    Some(JournalFile { dialect, entries })
}

/// The snapshot drizzle-kit 0.x `generate` takes as the previous state: the last file of
/// `meta/` in sorted order whose name does not start with `_`, whether or not the journal
/// names it.
pub(crate) fn generate_base(meta: &Path) -> Option<PathBuf> {
    std::fs::read_dir(meta)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('_'))
        .max()
        .map(|n| meta.join(n))
}

/// `meta/<prefix>_snapshot.json`, the prefix being the tag up to its first `_`.
fn snapshot_name(tag: &str) -> String {
    let prefix = tag.split('_').next().unwrap_or_default();
    format!("{prefix}_snapshot.json")
}

fn dialect_problem(what: &str, found: &str, expected: Dialect) -> Problem {
    Problem::new(
        ProblemKind::DialectMismatch,
        Level::Error,
        what.to_string(),
        format!(
            "{what} is for dialect \"{found}\" but the config says {expected}: the history \
             belongs to another database"
        ),
        "point `out` in drizzle.config at this dialect's migrations folder, or fix `dialect`",
    )
}

fn check_order(entries: &[Entry], problems: &mut Vec<Problem>) {
    let mut seen_tags: HashSet<&str> = HashSet::new();
    let mut newest: Option<(i64, &str)> = None;
    let mut prev_idx: Option<(i64, &str)> = None;
    for entry in entries {
        if !seen_tags.insert(entry.tag.as_str()) {
            problems.push(Problem::new(
                ProblemKind::DuplicateTag,
                Level::Error,
                entry.tag.clone(),
                format!(
                    "the journal lists {} twice: the migrator runs the same file twice",
                    entry.tag
                ),
                "remove the duplicate entry from meta/_journal.json",
            ));
        }
        if let Some(idx) = entry.idx {
            if let Some((before, before_tag)) = prev_idx {
                if idx <= before {
                    problems.push(Problem::new(
                        ProblemKind::IdxOrder,
                        Level::Warning,
                        entry.tag.clone(),
                        format!(
                            "journal entry {} has idx {idx}, not after {before_tag}'s idx \
                             {before}: the journal was merged by hand or from two branches",
                            entry.tag
                        ),
                        "renumber the journal entries so idx increases by one, keeping \
                         the order the migrations must run in",
                    ));
                }
            }
            prev_idx = Some((idx, entry.tag.as_str()));
        }
        if let Some(when) = entry.when {
            if let Some((newest_when, newest_tag)) = newest {
                if when <= newest_when {
                    problems.push(Problem::new(
                        ProblemKind::WhenNotIncreasing,
                        Level::Error,
                        entry.tag.clone(),
                        format!(
                            "{}'s timestamp ({}) is not after {newest_tag}'s ({}): the \
                             migrator skips it, without an error, on every database where \
                             {newest_tag} is already applied",
                            entry.tag,
                            format_millis(when),
                            format_millis(newest_when)
                        ),
                        format!(
                            "give {} a `when` after {newest_when} in meta/_journal.json \
                             (databases that skipped it need its SQL run by hand), or \
                             regenerate it after {newest_tag}",
                            entry.tag
                        ),
                    ));
                }
            }
            if newest.is_none_or(|(w, _)| when > w) {
                newest = Some((when, entry.tag.as_str()));
            }
        }
    }
}

fn report_shared(entries: &[Entry], snapshot_of: &[PathBuf], problems: &mut Vec<Problem>) {
    let mut users: Vec<(&Path, Vec<&str>)> = Vec::new();
    for (entry, path) in entries.iter().zip(snapshot_of) {
        match users.iter_mut().find(|(p, _)| *p == path.as_path()) {
            Some((_, tags)) => tags.push(entry.tag.as_str()),
            None => users.push((path.as_path(), vec![entry.tag.as_str()])),
        }
    }
    for (path, tags) in users
        .into_iter()
        .filter(|(p, t)| t.len() > 1 && p.is_file())
    {
        let file = show(path);
        let last = tags.last().copied().unwrap_or_default();
        let none_prefix = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy() == "_snapshot.json");
        let (message, fix) = if none_prefix {
            (
                format!(
                    "{} migrations ({}) share {file}: with `migrations.prefix: \"none\"` \
                     drizzle-kit overwrites that one file at every generate, and never reads \
                     it back, so each new migration repeats everything before it",
                    tags.len(),
                    tags.join(", ")
                ),
                "use the default prefix (`index`) or `timestamp`; check the latest migration \
                 does not recreate objects that already exist"
                    .to_string(),
            )
        } else {
            (
                format!(
                    "{} journal entries ({}) name the same snapshot file {file}; it holds \
                     only the state after {last}, and the others have no snapshot",
                    tags.len(),
                    tags.join(", ")
                ),
                "two branches generated a migration with the same number: renumber the later \
                 one (its SQL file, snapshot and journal tag) or regenerate it"
                    .to_string(),
            )
        };
        problems.push(Problem::new(
            ProblemKind::SharedSnapshot,
            Level::Warning,
            last,
            message,
            fix,
        ));
    }
}

/// Top-level `.sql` files that no journal entry names.
fn report_unlisted_sql(out_dir: &Path, listed: &HashSet<&str>, problems: &mut Vec<Problem>) {
    let Ok(dir) = std::fs::read_dir(out_dir) else {
        return;
    };
    let mut unlisted: BTreeSet<String> = BTreeSet::new();
    for entry in dir.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(tag) = name.strip_suffix(".sql") {
            if !listed.contains(tag) && entry.path().is_file() {
                unlisted.insert(name);
            }
        }
    }
    for name in unlisted {
        let path = out_dir.join(&name);
        // Named like a migration: its tag is the file name without `.sql`.
        let tag = name.strip_suffix(".sql").unwrap_or(&name);
        problems.push(Problem::new(
            ProblemKind::UnlistedSql,
            Level::Warning,
            tag,
            format!(
                "{} is not listed in meta/_journal.json: the migrator will never run it",
                show(&path)
            ),
            "if it must run, add it with `drizzle-kit generate --custom` and move its SQL \
             into the new file; otherwise delete it",
        ));
    }
}

/// Snapshots in `meta/` that belong to no journal entry, and a latest file that is not the
/// last migration's snapshot (`generate` diffs against the lexically last file).
fn report_unlisted_snapshots(
    meta: &Path,
    entries: &[Entry],
    snapshot_of: &[PathBuf],
    problems: &mut Vec<Problem>,
) {
    let Ok(dir) = std::fs::read_dir(meta) else {
        return;
    };
    let mut candidates: Vec<String> = dir
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('_'))
        .collect();
    candidates.sort();
    let owned: HashSet<PathBuf> = snapshot_of.iter().cloned().collect();
    for name in candidates.iter().filter(|n| n.ends_with("_snapshot.json")) {
        let path = meta.join(name);
        if !owned.contains(&path) {
            problems.push(Problem::new(
                ProblemKind::UnlistedSnapshot,
                Level::Warning,
                format!("meta/{name}"),
                format!(
                    "{} belongs to no migration in meta/_journal.json",
                    show(&path)
                ),
                "delete it if its migration was removed; if the migration is still wanted, \
                 restore its journal entry and SQL file",
            ));
        }
    }
    let (Some(latest), Some(last_entry), Some(expected)) =
        (candidates.last(), entries.last(), snapshot_of.last())
    else {
        return;
    };
    let latest_path = meta.join(latest);
    if latest_path != *expected && expected.exists() {
        problems.push(Problem::new(
            ProblemKind::UnlistedSnapshot,
            Level::Error,
            format!("meta/{latest}"),
            format!(
                "drizzle-kit generate takes the last file in meta/ by name as the current \
                 state; that is {}, not {} (the snapshot of the last migration {}), so the \
                 next migration will be generated against the wrong state",
                show(&latest_path),
                show(expected),
                last_entry.tag
            ),
            format!(
                "move {} out of meta/ (or delete it) before running drizzle-kit generate",
                show(&latest_path)
            ),
        ));
    }
}

/// `2024-05-01 12:00:00 UTC` for a journal `when`.
pub(crate) fn format_millis(millis: i64) -> String {
    format!("{} UTC", crate::civil_time::utc(millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_names_follow_the_prefix() {
        assert_eq!(snapshot_name("0003_init"), "0003_snapshot.json");
        assert_eq!(
            snapshot_name("20240501120000_add_x"),
            "20240501120000_snapshot.json"
        );
        assert_eq!(snapshot_name("_one"), "_snapshot.json");
        assert_eq!(snapshot_name("noprefix"), "noprefix_snapshot.json");
    }

    #[test]
    fn millis_are_formatted_in_utc() {
        assert_eq!(format_millis(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_millis(1_714_564_800_000), "2024-05-01 12:00:00 UTC");
    }
}
