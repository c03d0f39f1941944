//! Shared by the `history_*` tests: the real drizzle-kit fixtures and temp copies of them.
#![allow(dead_code)]

use drizzle_drift::model::Dialect;
use drizzle_drift::sources::history::{self, History, ProblemKind};
use std::path::{Path, PathBuf};

/// `tests/fixtures/pg/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pg")
        .join(name)
}

/// The migrations folder of a fixture: `drizzle/`, or wherever its config's `out` put it
/// (the first folder holding `meta/_journal.json` or 1.0 migration folders).
pub fn drizzle(name: &str) -> PathBuf {
    let root = fixture(name);
    let default = root.join("drizzle");
    if default.is_dir() {
        return default;
    }
    find_out(&root, 4).unwrap_or(default)
}

fn find_out(dir: &Path, depth: usize) -> Option<PathBuf> {
    if dir.join("meta/_journal.json").is_file() {
        return Some(dir.to_path_buf());
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.ends_with("node_modules") && !p.ends_with("steps"))
        .collect();
    subdirs.sort();
    if subdirs.iter().any(|p| p.join("migration.sql").is_file()) {
        return Some(dir.to_path_buf());
    }
    if depth == 0 {
        return None;
    }
    subdirs.iter().find_map(|p| find_out(p, depth - 1))
}

pub fn load_pg(dir: &Path) -> History {
    history::load(dir, Dialect::Postgresql)
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create temp dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// A temp copy of a fixture's migrations folder: `(guard, folder)`.
pub fn temp_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("drizzle");
    copy_dir(&drizzle(name), &dir);
    (tmp, dir)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read file")
}

pub fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write file");
}

/// Rows of a fixture's `applied.json`: what the real migrator stored.
pub struct Applied {
    pub hash: String,
    pub created_at: i64,
    pub name: Option<String>,
}

pub fn applied(name: &str) -> Vec<Applied> {
    applied_rows(&fixture(name).join("applied.json"))
}

pub fn applied_rows(path: &Path) -> Vec<Applied> {
    let text = read(path);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).expect("applied.json");
    rows.iter()
        .map(|r| Applied {
            hash: r["hash"].as_str().expect("hash").to_string(),
            created_at: match &r["created_at"] {
                serde_json::Value::Number(n) => n.as_i64().expect("created_at"),
                serde_json::Value::String(s) => s.parse().expect("created_at"),
                other => panic!("created_at {other}"),
            },
            name: r["name"].as_str().map(str::to_string),
        })
        .collect()
}

/// The problems of one kind.
pub fn problems_of(h: &History, kind: ProblemKind) -> Vec<&history::Problem> {
    h.problems.iter().filter(|p| p.kind == kind).collect()
}

/// Every fixture folder under tests/fixtures/pg.
pub fn all_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture(""))
        .expect("fixtures")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| find_out(&fixture(name), 4).is_some())
        .collect();
    names.sort();
    names
}
