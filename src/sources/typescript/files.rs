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
            // `!(x)` (extglob, which drizzle-kit's glob reads): anything `x` does not match.
            let (pattern, excluded) = negations(&pattern);
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
                            let rel = path.strip_prefix(root).unwrap_or(&path);
                            if !excluded.iter().any(|x| x.matches_path_with(rel, options)) {
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

/// A pattern with each `!(a|b)` turned into `*`, and the patterns naming what the
/// negations exclude (`!(*.test).ts` → `*.ts` without `*.test.ts`).
fn negations(pattern: &str) -> (String, Vec<glob::Pattern>) {
    let Some(start) = pattern.find("!(") else {
        return (pattern.to_string(), Vec::new());
    };
    let Some(len) = pattern[start..].find(')') else {
        return (pattern.to_string(), Vec::new());
    };
    let inner = &pattern[start + 2..start + len];
    let (head, tail) = (&pattern[..start], &pattern[start + len + 1..]);
    let (rest, mut excluded) = negations(tail);
    let tail_plain = tail.replace("!(", "(");
    for alt in inner.split('|') {
        let text = strip_dot(&format!("{head}{alt}{tail_plain}")).to_string();
        if let Ok(p) = glob::Pattern::new(&text) {
            excluded.push(p);
        }
    }
    (format!("{head}*{rest}"), excluded)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extglob_negations_exclude() {
        let (glob, excluded) = negations("./db/schema/!(*.test).ts");
        assert_eq!(glob, "./db/schema/*.ts");
        assert!(excluded[0].matches("db/schema/users.test.ts"));
        assert!(!excluded[0].matches("db/schema/users.ts"));
        let (glob, excluded) = negations("src/*.ts");
        assert_eq!((glob.as_str(), excluded.len()), ("src/*.ts", 0));
    }
}
