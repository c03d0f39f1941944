//! drizzle-orm's PostgreSQL migrator (0.x, `pg-core/dialect.ts` `migrate()`), step for
//! step, so tests can put a database in the state a real project's would be in.

use super::pg::{describe, TestDb};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::Path;

#[derive(Debug, Deserialize)]
struct Journal {
    entries: Vec<JournalEntry>,
}

#[derive(Debug, Deserialize)]
struct JournalEntry {
    when: i64,
    tag: String,
}

/// Apply the journal migrations of `dir` (the `out` folder) like drizzle-orm does:
/// create schema and table if missing, take `MAX(created_at)` (the last row by
/// `created_at`), run every entry whose `when` is greater, statement by statement (split
/// on `--> statement-breakpoint`), inserting `(sha256(file), when)` after each, all in one
/// transaction. `upto` limits the journal to its first entries (an older checkout).
/// Returns how many migrations ran.
pub async fn apply_migrations(
    db: &TestDb,
    dir: &Path,
    upto: Option<usize>,
    schema: &str,
    table: &str,
) -> Result<usize, String> {
    let journal_path = dir.join("meta/_journal.json");
    let journal_text = std::fs::read_to_string(&journal_path)
        .map_err(|e| format!("{}: {e}", journal_path.display()))?;
    let journal: Journal = serde_json::from_str(&journal_text)
        .map_err(|e| format!("{}: {e}", journal_path.display()))?;
    let mut migrations = Vec::new();
    for entry in journal.entries.iter().take(upto.unwrap_or(usize::MAX)) {
        let path = dir.join(format!("{}.sql", entry.tag));
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        // Node reads the file with toString(): UTF-8, invalid bytes replaced.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let hash = format!("{:x}", Sha256::digest(text.as_bytes()));
        let statements: Vec<String> = text
            .split("--> statement-breakpoint")
            .map(str::to_string)
            .collect();
        migrations.push((entry.when, hash, statements));
    }

    let quoted = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let target = format!("{}.{}", quoted(schema), quoted(table));
    let mut client = db.client().await;
    let fail = |what: &str, e: tokio_postgres::Error| format!("{what}: {}", describe(&e));
    client
        .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {}", quoted(schema)))
        .await
        .map_err(|e| fail("create schema", e))?;
    client
        .batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {target} (\n\t\t\t\tid SERIAL PRIMARY KEY,\n\t\t\t\thash text NOT NULL,\n\t\t\t\tcreated_at bigint\n\t\t\t)"
        ))
        .await
        .map_err(|e| fail("create migrations table", e))?;
    let last = client
        .query(
            &format!("select id, hash, created_at from {target} order by created_at desc limit 1"),
            &[],
        )
        .await
        .map_err(|e| fail("read migrations table", e))?;
    let last_created_at: Option<i64> = last.first().and_then(|row| row.get(2));

    let tx = client.transaction().await.map_err(|e| fail("begin", e))?;
    let mut ran = 0;
    for (when, hash, statements) in &migrations {
        if last_created_at.is_some_and(|last| last >= *when) {
            continue;
        }
        for statement in statements {
            tx.batch_execute(statement)
                .await
                .map_err(|e| fail(&format!("migration {when}: {statement}"), e))?;
        }
        tx.execute(
            &format!("insert into {target} (\"hash\", \"created_at\") values($1, $2)"),
            &[hash, when],
        )
        .await
        .map_err(|e| fail("record migration", e))?;
        ran += 1;
    }
    tx.commit().await.map_err(|e| fail("commit", e))?;
    Ok(ran)
}

/// One folder of a drizzle-kit 1.0 layout (`<YYYYMMDDHHMMSS>_<name>/migration.sql`) as
/// the 1.0 migrators read it.
pub struct Folder {
    pub name: String,
    /// sha256 of `migration.sql`.
    pub hash: String,
    /// Split on `--> statement-breakpoint`.
    pub statements: Vec<String>,
    /// The folder timestamp as UTC milliseconds (`created_at`).
    pub millis: i64,
}

/// The migration folders of `dir`, oldest first, the first `upto` of them.
pub fn folders(dir: &Path, upto: Option<usize>) -> Result<Vec<Folder>, String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .filter(|e| e.path().join("migration.sql").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.truncate(upto.unwrap_or(usize::MAX));
    names
        .into_iter()
        .map(|name| {
            let path = dir.join(&name).join("migration.sql");
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let millis =
                folder_millis(&name).ok_or_else(|| format!("{name}: no timestamp prefix"))?;
            Ok(Folder {
                hash: format!("{:x}", Sha256::digest(text.as_bytes())),
                statements: text
                    .split("--> statement-breakpoint")
                    .map(str::to_string)
                    .collect(),
                millis,
                name,
            })
        })
        .collect()
}

/// Apply a drizzle-kit 1.0 folder layout like the 1.0 migrator: pending = folder name not
/// in the table; rows get `hash`, `created_at` (the folder timestamp as UTC ms) and
/// `name`. `upto` limits to the first folders.
pub async fn apply_folder_migrations(
    db: &TestDb,
    dir: &Path,
    upto: Option<usize>,
) -> Result<usize, String> {
    let folders = folders(dir, upto)?;
    let mut client = db.client().await;
    let fail = |what: &str, e: tokio_postgres::Error| format!("{what}: {}", describe(&e));
    client
        .batch_execute(
            "CREATE SCHEMA IF NOT EXISTS drizzle;
             CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (
               id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint,
               name text, applied_at timestamp with time zone DEFAULT now())",
        )
        .await
        .map_err(|e| fail("create migrations table", e))?;
    let done: Vec<String> = client
        .query(
            "select name from drizzle.__drizzle_migrations where name is not null",
            &[],
        )
        .await
        .map_err(|e| fail("read migrations table", e))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let tx = client.transaction().await.map_err(|e| fail("begin", e))?;
    let mut ran = 0;
    for folder in folders.iter().filter(|f| !done.contains(&f.name)) {
        for statement in &folder.statements {
            tx.batch_execute(statement)
                .await
                .map_err(|e| fail(&format!("{}: {statement}", folder.name), e))?;
        }
        tx.execute(
            "insert into drizzle.__drizzle_migrations (hash, created_at, name) values ($1, $2, $3)",
            &[&folder.hash, &folder.millis, &folder.name],
        )
        .await
        .map_err(|e| fail("record migration", e))?;
        ran += 1;
    }
    tx.commit().await.map_err(|e| fail("commit", e))?;
    Ok(ran)
}

/// `20240102030405_name` → milliseconds since the epoch (UTC).
fn folder_millis(folder: &str) -> Option<i64> {
    let digits = folder.get(..14)?;
    let n = |r: std::ops::Range<usize>| digits.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (hh, mm, ss) = (n(8..10)?, n(10..12)?, n(12..14)?);
    // days from civil (Howard Hinnant)
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + hh) * 60 + mm) * 60 * 1000 + ss * 1000)
}
