//! The drizzle-kit 1.0 layout: one folder per migration, `<YYYYMMDDHHMMSS>_<name>/` with
//! `migration.sql` and `snapshot.json`, run in folder-name order.

use super::files::{read_all, show, Job};
use super::{chain, parse_dialect, History, Layout, Migration, Problem, ProblemKind};
use crate::diagnostic::Level;
use crate::model::Dialect;
use std::path::Path;

const SQL_FILE: &str = "migration.sql";
const SNAPSHOT_FILE: &str = "snapshot.json";

/// Whether `out_dir` has at least one subfolder holding a migration or a snapshot.
pub(crate) fn has_migration_folders(out_dir: &Path) -> bool {
    !migration_folders(out_dir).is_empty()
}

/// Subfolder names holding `migration.sql` or `snapshot.json`, sorted by name.
fn migration_folders(out_dir: &Path) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(out_dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = dir
        .flatten()
        .filter(|e| {
            let path = e.path();
            path.is_dir() && (path.join(SQL_FILE).is_file() || path.join(SNAPSHOT_FILE).is_file())
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub(crate) fn load(history: &mut History, dialect: Dialect) {
    let out_dir = history.dir.clone();
    let names = migration_folders(&out_dir);
    let jobs: Vec<Job> = names
        .iter()
        .map(|name| Job {
            sql: out_dir.join(name).join(SQL_FILE),
            snapshot: Some(out_dir.join(name).join(SNAPSHOT_FILE)),
        })
        .collect();
    let reads = read_all(&jobs);

    let mut mismatched: Vec<(String, String)> = Vec::new();
    for ((name, job), read) in names.iter().zip(jobs).zip(reads) {
        history.diagnostics.extend(read.diagnostics);
        if !read.sql_exists {
            history.problems.push(Problem::new(
                ProblemKind::MissingSql,
                Level::Error,
                name.clone(),
                format!(
                    "{name} has a snapshot but no {SQL_FILE}: the migrator skips the folder, \
                     while drizzle-kit generate treats its changes as already migrated"
                ),
                format!(
                    "restore {} from version control, or delete the folder and run \
                     `drizzle-kit generate` again",
                    show(&job.sql)
                ),
            ));
        }
        if !read.snapshot_exists {
            history.problems.push(Problem::new(
                ProblemKind::MissingSnapshot,
                Level::Warning,
                name.clone(),
                format!(
                    "{name} has no {SNAPSHOT_FILE}: drizzle-kit generate does not know the \
                     state after it, so schema changes made only in its SQL may be repeated \
                     or undone by a later generate"
                ),
                format!(
                    "restore {name}/{SNAPSHOT_FILE} from version control; if it is lost, run \
                     `drizzle-kit generate` and check the new migration does not repeat {name}"
                ),
            ));
        }
        let header = read.header;
        if let Some(found) = header.as_ref().and_then(|h| h.dialect.clone()) {
            let parsed = parse_dialect(&found);
            history.dialect = history.dialect.or(parsed);
            if parsed != Some(dialect) {
                mismatched.push((name.clone(), found));
            }
        }
        history.migrations.push(Migration {
            tag: name.clone(),
            when: folder_millis(name),
            breakpoints: true,
            sql_path: job.sql,
            hash: read.hash,
            snapshot_path: job.snapshot.filter(|_| read.snapshot_exists),
            snapshot_id: header.as_ref().and_then(|h| h.id.clone()),
            prev_ids: header.as_ref().map(|h| h.parents()).unwrap_or_default(),
            snapshot_version: header.as_ref().and_then(|h| h.version.clone()),
        });
    }

    if let Some((name, found)) = mismatched.first() {
        let more = match mismatched.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        history.problems.push(Problem::new(
            ProblemKind::DialectMismatch,
            Level::Error,
            name.clone(),
            format!(
                "the snapshot of {name}{more} is for dialect \"{found}\" but the config says \
                 {dialect}: the history belongs to another database"
            ),
            "point `out` in drizzle.config at this dialect's migrations folder, or fix `dialect`",
        ));
    }

    report_loose_sql(&out_dir, &mut history.problems);
    history
        .problems
        .extend(chain::check(&history.migrations, Layout::Folders));
}

/// `.sql` files directly in the migrations folder: the 1.0 migrator runs only
/// `<folder>/migration.sql`.
fn report_loose_sql(out_dir: &Path, problems: &mut Vec<Problem>) {
    let Ok(dir) = std::fs::read_dir(out_dir) else {
        return;
    };
    let mut loose: Vec<String> = dir
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    loose.sort();
    for name in loose {
        let path = show(&out_dir.join(&name));
        problems.push(Problem::new(
            ProblemKind::UnlistedSql,
            Level::Warning,
            name.strip_suffix(".sql").unwrap_or(&name),
            format!(
                "{path} is not inside a migration folder: the migrator runs only \
                 <folder>/{SQL_FILE} and will never run it"
            ),
            "if it must run, create a migration with `drizzle-kit generate --custom` and \
             move its SQL into the new migration.sql; otherwise delete it",
        ));
    }
}

/// The folder's `YYYYMMDDHHMMSS` prefix as ms since the epoch, computed like the 1.0
/// migrator's `Date.UTC` (out-of-range fields roll over).
pub(crate) fn folder_millis(name: &str) -> Option<i64> {
    let digits = name.get(..14)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let field = |a: usize, b: usize| digits[a..b].parse::<i64>().ok();
    let (year, month, day) = (field(0, 4)?, field(4, 6)?, field(6, 8)?);
    let (hour, minute, second) = (field(8, 10)?, field(10, 12)?, field(12, 14)?);
    let months = year * 12 + (month - 1);
    let days = days_from_civil(months.div_euclid(12), months.rem_euclid(12) + 1) + day - 1;
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000)
}

/// Days since 1970-01-01 of the first day of `month` in `year`.
fn days_from_civil(year: i64, month: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_millis_matches_date_utc() {
        // Date.UTC(2024, 4, 1, 12, 0, 0)
        assert_eq!(
            folder_millis("20240501120000_init"),
            Some(1_714_564_800_000)
        );
        assert_eq!(folder_millis("19700101000000_x"), Some(0));
        // Date.UTC(2024, 12, 1) rolls over to 2025-01-01.
        assert_eq!(folder_millis("20241301000000_x"), Some(1_735_689_600_000));
        assert_eq!(folder_millis("2024_init"), None);
    }
}
