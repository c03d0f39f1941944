//! Watching the project's files: the drizzle config, every TypeScript file the reader
//! read, and the migrations folder. Changes are debounced (an editor's save is several
//! events; `generate` writes three files) and handed on as one call.
//!
//! Folders are watched rather than files: an editor that saves by writing a new file and
//! renaming it over the old one would leave a watch on the old file's inode seeing nothing.

use notify::{Event, EventKind, EventKindMask, RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Quiet time after the last change before it is handed on.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// What a load read, to be watched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// Single files (the config, the schema files).
    pub files: BTreeSet<PathBuf>,
    /// Folders watched with everything inside them (the migrations folder).
    pub trees: BTreeSet<PathBuf>,
}

impl Targets {
    pub fn file(&mut self, path: impl Into<PathBuf>) {
        self.files.insert(absolute(path.into()));
    }

    pub fn tree(&mut self, path: impl Into<PathBuf>) {
        self.trees.insert(absolute(path.into()));
    }

    /// What a load read: its config, the dotenv files the config saw (and `.env`, which
    /// drizzle-kit reads at start-up, while it does not exist), its TypeScript files, its
    /// migrations folder and a captured catalog (`live`).
    pub fn of(loaded: &crate::engine::Loaded, live: &crate::engine::LiveSource) -> Targets {
        let mut t = Targets::default();
        let config = &loaded.config;
        t.file(&config.path);
        t.file(config.env.default_file(&config.root));
        for f in config.env.files() {
            t.file(f);
        }
        for f in &loaded.ts_files {
            t.file(f);
        }
        t.tree(&loaded.history.dir);
        if let crate::engine::LiveSource::Captured(catalog) = live {
            t.file(catalog);
        }
        t
    }

    /// Where a config would be found, for a load that found none (or a broken one):
    /// `--config`, else each name drizzle-kit looks for in `cwd`.
    pub fn config_of(options: &crate::engine::Options) -> Targets {
        let mut t = Targets::default();
        match &options.config {
            Some(c) => t.file(options.cwd.join(c)),
            None => {
                for name in crate::config::DEFAULT_NAMES {
                    t.file(options.cwd.join(name));
                }
            }
        }
        t
    }

    /// Whether a change at `path` concerns a target.
    pub fn covers(&self, path: &Path) -> bool {
        self.files.contains(path) || self.trees.iter().any(|t| path.starts_with(t))
    }

    /// The folders to ask the kernel about: each file's folder (not recursively), each
    /// tree (recursively, or its nearest existing ancestor while it does not exist).
    fn watches(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut out: Vec<(PathBuf, RecursiveMode)> = Vec::new();
        for tree in &self.trees {
            match existing_ancestor(tree) {
                Some(dir) if dir == *tree => out.push((dir, RecursiveMode::Recursive)),
                Some(dir) => out.push((dir, RecursiveMode::NonRecursive)),
                None => {}
            }
        }
        for file in &self.files {
            if let Some(dir) = file.parent().and_then(existing_ancestor) {
                out.push((dir, RecursiveMode::NonRecursive));
            }
        }
        out.sort();
        out.dedup();
        // A folder inside a recursively watched tree is seen already.
        let recursive: Vec<PathBuf> = out
            .iter()
            .filter(|(_, m)| *m == RecursiveMode::Recursive)
            .map(|(p, _)| p.clone())
            .collect();
        out.retain(|(p, m)| {
            *m == RecursiveMode::Recursive || !recursive.iter().any(|r| p.starts_with(r))
        });
        out
    }
}

fn absolute(path: PathBuf) -> PathBuf {
    let path = std::path::absolute(&path).unwrap_or(path);
    // Event paths name the real folders; a symlinked project folder (macOS /tmp) would not
    // match otherwise.
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => match dir.canonicalize() {
            Ok(dir) => dir.join(name),
            Err(_) => path,
        },
        _ => path,
    }
}

fn existing_ancestor(path: &Path) -> Option<PathBuf> {
    path.ancestors().find(|p| p.is_dir()).map(Path::to_path_buf)
}

/// Whether an event is a change to contents or names (not a read, which the loads
/// themselves cause).
fn is_change(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    )
}

/// A running watch. Dropping it stops the watch and its thread.
pub struct Watch {
    _watcher: notify::RecommendedWatcher,
}

/// Watch `targets`; after a change and [`DEBOUNCE`] of quiet, call `on_change` with the
/// changed targets' paths, from a thread of its own.
pub fn start(
    targets: Targets,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<Watch, String> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let filter = targets.clone();
    let config = notify::Config::default().with_event_kinds(EventKindMask::CORE);
    let mut watcher = notify::RecommendedWatcher::new(
        move |event: notify::Result<Event>| {
            let Ok(event) = event else { return };
            if !is_change(&event.kind) {
                return;
            }
            for path in event.paths {
                if filter.covers(&path) {
                    let _ = tx.send(path);
                }
            }
        },
        config,
    )
    .map_err(|e| format!("cannot watch the project's files: {e}"))?;
    for (dir, mode) in targets.watches() {
        watcher
            .watch(&dir, mode)
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    }
    std::thread::spawn(move || {
        // Ends when the watcher (holding the sender) is dropped.
        while let Ok(first) = rx.recv() {
            let mut changed = BTreeSet::from([first]);
            loop {
                match rx.recv_timeout(DEBOUNCE) {
                    Ok(p) => {
                        changed.insert(p);
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            on_change(changed.into_iter().collect());
        }
    });
    Ok(Watch { _watcher: watcher })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_burst_of_writes_is_one_change_and_other_files_none() {
        let dir = tempfile::tempdir().unwrap();
        let schema = dir.path().join("schema.ts");
        let other = dir.path().join("notes.md");
        std::fs::write(&schema, "a").unwrap();
        let mut targets = Targets::default();
        targets.file(&schema);
        targets.tree(dir.path().join("drizzle"));
        let (tx, rx) = mpsc::channel();
        let _watch = start(targets, move |paths| {
            let _ = tx.send(paths);
        })
        .unwrap();
        std::fs::write(&other, "x").unwrap();
        for i in 0..5 {
            std::fs::write(&schema, format!("b{i}")).unwrap();
        }
        // The migrations folder does not exist yet: its creation is seen too.
        std::fs::create_dir(dir.path().join("drizzle")).unwrap();
        let started = Instant::now();
        let paths = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(started.elapsed() >= DEBOUNCE);
        let schema = absolute(schema);
        assert!(paths.contains(&schema), "{paths:?}");
        assert!(!paths.iter().any(|p| p.ends_with("notes.md")), "{paths:?}");
        assert!(rx.recv_timeout(DEBOUNCE * 3).is_err(), "one call per burst");
    }
}
