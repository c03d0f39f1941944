//! Which files a config's `schema` names.

use crate::braces::expand_braces;
use crate::diagnostic::Diagnostic;
use crate::extglob;
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
                let full = full.to_string_lossy();
                let extended = extglob::has_groups(&full);
                let walk = if extended {
                    extglob::widen(&full)
                } else {
                    full.to_string()
                };
                match glob::glob_with(&walk, options) {
                    Ok(paths) => {
                        for path in paths.flatten() {
                            if !extended || extglob::matches(&full, &path.to_string_lossy()) {
                                add_path(&path, &mut found);
                            }
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
    s.contains(['*', '?', '[']) || extglob::has_groups(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extglob_negations_exclude() {
        let dir = tempfile::tempdir().expect("tempdir");
        let schema = dir.path().join("db/schema");
        std::fs::create_dir_all(&schema).expect("mkdir");
        for f in ["users.ts", "users.test.ts", "posts.ts"] {
            std::fs::write(schema.join(f), "").expect("write");
        }
        let mut notes = Vec::new();
        let files = schema_files(dir.path(), &["./db/schema/!(*.test).ts".into()], &mut notes);
        let names: Vec<_> = files.iter().filter_map(|f| f.file_name()).collect();
        assert_eq!(names, ["posts.ts", "users.ts"], "{notes:?}");
    }
}
