//! Reading the files of a history: every SQL file for its hash and every snapshot for its
//! header, spread over the machine's cores.

use super::header::{read_header, Header};
use super::sql::hash_sql;
use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// What to read for one migration.
pub(crate) struct Job {
    pub sql: PathBuf,
    pub snapshot: Option<PathBuf>,
}

/// What was read for one migration.
#[derive(Default)]
pub(crate) struct Read {
    /// `None` when the file does not exist.
    pub hash: Option<String>,
    pub sql_exists: bool,
    pub header: Option<Header>,
    pub snapshot_exists: bool,
    pub diagnostics: Vec<Diagnostic>,
}

pub(crate) fn read_all(jobs: &[Job]) -> Vec<Read> {
    par_map(jobs, read_one)
}

fn read_one(job: &Job) -> Read {
    let mut read = Read::default();
    match std::fs::read(&job.sql) {
        Ok(bytes) => {
            read.sql_exists = true;
            read.hash = Some(hash_sql(&bytes));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            read.sql_exists = job.sql.exists();
            read.diagnostics.push(Diagnostic::error(
                show(&job.sql),
                format!("{} could not be read: {e}", show(&job.sql)),
            ));
        }
    }
    if let Some(path) = &job.snapshot {
        match std::fs::read(path) {
            Ok(bytes) => {
                read.snapshot_exists = true;
                match read_header(&bytes, &show(path)) {
                    Ok(header) => read.header = Some(header),
                    Err(d) => read.diagnostics.push(d),
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                read.snapshot_exists = path.exists();
                read.diagnostics.push(Diagnostic::error(
                    show(path),
                    format!("{} could not be read: {e}", show(path)),
                ));
            }
        }
    }
    read
}

pub(crate) fn show(path: &Path) -> String {
    path.display().to_string()
}

/// `f` over `items` on up to as many threads as there are cores, results in input order.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8)
        .min(items.len().max(1));
    if threads <= 1 || items.len() < 4 {
        return items.iter().map(&f).collect();
    }
    // Interleaved assignment keeps the threads balanced when file sizes grow over time.
    let f = &f;
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t..items.len())
                        .step_by(threads)
                        .map(|i| (i, f(&items[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(part) => part,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    for (i, r) in parts.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_order() {
        let items: Vec<u32> = (0..101).collect();
        let out = par_map(&items, |x| x * 2);
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    }
}
