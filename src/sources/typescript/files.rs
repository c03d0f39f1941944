//! Which files a config's `schema` names.

use crate::braces::expand_braces;
use crate::diagnostic::Diagnostic;
use crate::js::resolve::normalize;
use std::path::{Path, PathBuf};

/// Extensions drizzle-kit loads schema files with.
const SCHEMA_EXTENSIONS: &[&str] = &["ts", "js", "cjs", "mjs", "mts", "cts"];

/// The files `schema` names, as drizzle-kit's `prepareFilenames` finds them: each entry is
/// a glob (or a plain path); a folder contributes the files directly inside it. Sorted and
/// without duplicates.
pub(super) fn schema_files(
    root: &Path,
    entries: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let mut found = Vec::new();
        for pattern in expand_braces(entry) {
            let full = root.join(strip_dot(&pattern));
            if has_glob_chars(&pattern) {
                let options = glob::MatchOptions {
                    case_sensitive: true,
                    require_literal_separator: true,
                    require_literal_leading_dot: true,
                };
                match glob::glob_with(&full.to_string_lossy(), options) {
                    Ok(paths) => {
                        for path in paths.flatten() {
                            add_path(&path, &mut found);
                        }
                    }
                    Err(err) => diagnostics.push(Diagnostic::error(
                        entry.as_str(),
                        format!("this `schema` entry is not a valid glob: {err}"),
                    )),
                }
            } else if full.exists() {
                add_path(&full, &mut found);
            }
        }
        if found.is_empty() {
            diagnostics.push(Diagnostic::error(
                entry.as_str(),
                "no schema files match this `schema` entry",
            ));
        }
        for path in found {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !SCHEMA_EXTENSIONS.contains(&ext) {
                continue;
            }
            let path = normalize(&path);
            if !out.contains(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn add_path(path: &Path, found: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if let Ok(read) = std::fs::read_dir(path) {
            let mut files: Vec<PathBuf> = read
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            found.extend(files);
        }
    } else if path.is_file() {
        found.push(path.to_path_buf());
    }
}

fn strip_dot(pattern: &str) -> &str {
    let mut p = pattern;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p
}

fn has_glob_chars(s: &str) -> bool {
    s.contains(['*', '?', '['])
}
