//! Which files a config's `schema` names, and where a relative import leads.

use crate::diagnostic::Diagnostic;
use std::path::{Component, Path, PathBuf};

/// Extensions drizzle-kit loads schema files with.
const SCHEMA_EXTENSIONS: &[&str] = &["ts", "js", "cjs", "mjs", "mts", "cts"];

/// Extensions an extension-less import may resolve to, in the order esbuild tries them.
const IMPORT_EXTENSIONS: &[&str] = &["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];

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
                        format!("schema pattern {entry:?} is not a valid glob: {err}"),
                    )),
                }
            } else if full.exists() {
                add_path(&full, &mut found);
            }
        }
        if found.is_empty() {
            diagnostics.push(Diagnostic::error(
                entry.as_str(),
                format!("no schema files found for {entry:?}"),
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

/// `a/{b,c}/*.ts` → `a/b/*.ts`, `a/c/*.ts` (nested braces included).
fn expand_braces(pattern: &str) -> Vec<String> {
    let bytes = pattern.as_bytes();
    let Some(open) = pattern.find('{') else {
        return vec![pattern.to_string()];
    };
    let mut depth = 0;
    let mut close = None;
    let mut commas = Vec::new();
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            b',' if depth == 1 => commas.push(i),
            _ => {}
        }
    }
    let Some(close) = close else {
        return vec![pattern.to_string()];
    };
    if commas.is_empty() {
        // `{a}` is literal in node-glob; keep it and expand the rest.
        return expand_braces(&pattern[close + 1..])
            .into_iter()
            .map(|rest| format!("{}{rest}", &pattern[..=close]))
            .collect();
    }
    let mut bounds = vec![open];
    bounds.extend(commas);
    bounds.push(close);
    let mut out = Vec::new();
    for pair in bounds.windows(2) {
        let alt = &pattern[pair[0] + 1..pair[1]];
        let joined = format!("{}{alt}{}", &pattern[..open], &pattern[close + 1..]);
        out.extend(expand_braces(&joined));
    }
    out
}

/// Resolves a relative import from `from` the way esbuild/Node do for TypeScript sources.
/// `None` for package imports and imports that lead nowhere.
pub(super) fn resolve_import(from: &Path, spec: &str) -> Option<PathBuf> {
    if !(spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == "..") {
        return None;
    }
    let base = normalize(&from.parent()?.join(spec));
    resolve_path(&base)
}

fn resolve_path(base: &Path) -> Option<PathBuf> {
    if base.is_file() {
        return Some(base.to_path_buf());
    }
    // `./users.js` in TypeScript source means `./users.ts`.
    if let Some(ext) = base.extension().and_then(|e| e.to_str()) {
        let swaps: &[&str] = match ext {
            "js" => &["ts", "tsx"],
            "jsx" => &["tsx"],
            "mjs" => &["mts"],
            "cjs" => &["cts"],
            _ => &[],
        };
        for swap in swaps {
            let candidate = base.with_extension(swap);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    let name = base.file_name()?.to_string_lossy().into_owned();
    for ext in IMPORT_EXTENSIONS {
        let candidate = base.with_file_name(format!("{name}.{ext}"));
        if candidate.is_file() {
            return Some(candidate);
        }
    }
    if base.is_dir() {
        for ext in IMPORT_EXTENSIONS {
            let candidate = base.join(format!("index.{ext}"));
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Removes `.` and resolves `..` lexically, so one file has one path.
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for comp in path.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_expand_like_node_glob() {
        assert_eq!(
            expand_braces("src/{a,b}/*.ts"),
            vec!["src/a/*.ts", "src/b/*.ts"]
        );
        assert_eq!(
            expand_braces("{x,y/{1,2}}.ts"),
            vec!["x.ts", "y/1.ts", "y/2.ts"]
        );
        assert_eq!(expand_braces("plain.ts"), vec!["plain.ts"]);
        assert_eq!(expand_braces("odd{.ts"), vec!["odd{.ts"]);
    }

    #[test]
    fn normalizes_dots() {
        assert_eq!(
            normalize(Path::new("/a/./b/../c.ts")),
            PathBuf::from("/a/c.ts")
        );
    }
}
