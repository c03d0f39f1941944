//! A folder as it is at a git revision, read from the repository's objects with the `git`
//! binary (no checkout): `--base REF` compares the migrations folder with the base branch's.

use crate::error::{Error, Result};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A copy of `<REF>:<folder>` in a temporary directory, removed on drop. The history
/// reader reads it like any folder.
pub struct FolderAtRef {
    temp: PathBuf,
    /// The copy of the folder (inside `temp`); it does not exist when the folder is not in
    /// the tree at REF.
    pub dir: PathBuf,
    /// The folder relative to the repository root, `/`-separated.
    pub repo_path: String,
    /// Files copied.
    pub files: usize,
}

impl Drop for FolderAtRef {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.temp);
    }
}

fn git(cwd: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(cwd)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::context("--base needs the `git` program", e))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(Error::Usage(format!(
            "git {} failed: {}",
            args.join(" "),
            stderr.trim()
        )));
    }
    Ok(out.stdout)
}

/// Copy `folder` (a path on disk inside a git work tree) as it is at `rev` into a
/// temporary directory. Errors: not in a git repository, `rev` is no commit, or the folder
/// is tracked neither at `rev` nor at HEAD (it is not in git at all).
pub fn folder_at(folder: &Path, rev: &str) -> Result<FolderAtRef> {
    // git would read it as an option.
    if rev.is_empty() || rev.starts_with('-') {
        return Err(Error::Usage(format!(
            "--base {rev:?}: not a git revision (a branch, tag or commit such as origin/main)"
        )));
    }
    let start = existing_ancestor(folder);
    let top = git(&start, &["rev-parse", "--show-toplevel"]).map_err(|_| {
        Error::Usage(format!(
            "--base {rev}: {} is not inside a git repository",
            folder.display()
        ))
    })?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    let commit_spec = format!("{rev}^{{commit}}");
    if git(&top, &["rev-parse", "--verify", "--quiet", &commit_spec]).is_err() {
        return Err(Error::Usage(format!(
            "--base {rev}: no such commit, branch or tag in {} (fetch it first, e.g. `git fetch origin`)",
            top.display()
        )));
    }
    let repo_path = relative_to(&top, folder)?;
    let listing = git(
        &top,
        &["ls-tree", "-r", "-z", "--full-tree", rev, "--", &repo_path],
    )?;
    let entries = parse_ls_tree(&listing, &repo_path);
    if entries.is_empty() {
        let at_head = git(
            &top,
            &[
                "ls-tree",
                "-r",
                "--name-only",
                "--full-tree",
                "HEAD",
                "--",
                &repo_path,
            ],
        )
        .unwrap_or_default();
        if at_head.is_empty() {
            return Err(Error::Usage(format!(
                "--base {rev}: the migrations folder {repo_path} is not in git (neither at {rev} nor at HEAD); commit it first"
            )));
        }
    }
    let temp = std::env::temp_dir().join(format!(
        "drizzle-drift-base-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let dir = temp.join("out");
    let copy = FolderAtRef {
        temp,
        dir,
        repo_path,
        files: entries.len(),
    };
    if entries.is_empty() {
        return Ok(copy);
    }
    let blobs = cat_blobs(&top, entries.iter().map(|e| e.oid.as_str()))?;
    for (entry, bytes) in entries.iter().zip(blobs) {
        let target = copy.dir.join(&entry.rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| temp_error(&target, e))?;
        }
        std::fs::write(&target, bytes).map_err(|e| temp_error(&target, e))?;
    }
    Ok(copy)
}

fn temp_error(path: &Path, e: std::io::Error) -> Error {
    Error::context(format!("cannot write {}", path.display()), e)
}

/// The nearest existing folder at or above `path` (the migrations folder may not exist in
/// this work tree).
fn existing_ancestor(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    while !p.is_dir() {
        if !p.pop() {
            return PathBuf::from(".");
        }
    }
    p
}

fn relative_to(top: &Path, folder: &Path) -> Result<String> {
    let top = top.canonicalize().unwrap_or_else(|_| top.to_path_buf());
    // The folder may not exist here: canonicalize its nearest existing ancestor.
    let base = existing_ancestor(folder);
    let rest = folder.strip_prefix(&base).unwrap_or(Path::new(""));
    let abs = base.canonicalize().unwrap_or(base).join(rest);
    let rel = abs.strip_prefix(&top).map_err(|_| {
        Error::Usage(format!(
            "--base: the migrations folder {} is outside the git repository {}",
            folder.display(),
            top.display()
        ))
    })?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok(if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    })
}

struct Entry {
    oid: String,
    /// Path inside the folder.
    rel: PathBuf,
}

/// `git ls-tree -r -z` output: `<mode> SP <type> SP <oid> TAB <path> NUL`; blobs only
/// (a submodule has no content here), paths made relative to `folder`.
fn parse_ls_tree(listing: &[u8], folder: &str) -> Vec<Entry> {
    let prefix = if folder == "." {
        String::new()
    } else {
        format!("{folder}/")
    };
    listing
        .split(|b| *b == 0)
        .filter_map(|record| {
            let record = std::str::from_utf8(record).ok()?;
            let (meta, path) = record.split_once('\t')?;
            let mut meta = meta.split(' ');
            let (_mode, kind, oid) = (meta.next()?, meta.next()?, meta.next()?);
            if kind != "blob" {
                return None;
            }
            let rel = path.strip_prefix(&prefix)?;
            if rel.split('/').any(|c| c.is_empty() || c == "..") {
                return None;
            }
            Some(Entry {
                oid: oid.to_string(),
                rel: PathBuf::from(rel),
            })
        })
        .collect()
}

/// The contents of these blobs, in order, from one `git cat-file --batch`.
fn cat_blobs<'a>(top: &Path, oids: impl Iterator<Item = &'a str>) -> Result<Vec<Vec<u8>>> {
    let request: String = oids.map(|o| format!("{o}\n")).collect();
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Error::context("--base needs the `git` program", e))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| Error::Usage("git cat-file: no stdin".into()))?;
    // Written from another thread: git answers while it reads, and a full pipe both ways
    // would block.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(request.as_bytes());
    });
    let mut output = Vec::new();
    let read = child
        .stdout
        .take()
        .ok_or_else(|| Error::Usage("git cat-file: no stdout".into()))?
        .read_to_end(&mut output);
    let _ = writer.join();
    let status = child.wait();
    read.map_err(|e| Error::context("git cat-file", e))?;
    if !status.is_ok_and(|s| s.success()) {
        return Err(Error::Usage("git cat-file --batch failed".into()));
    }
    parse_batch(&output)
}

/// `<oid> SP <type> SP <size> LF <contents> LF` per object.
fn parse_batch(mut out: &[u8]) -> Result<Vec<Vec<u8>>> {
    let bad = || Error::Usage("git cat-file --batch: unexpected output".into());
    let mut blobs = Vec::new();
    while !out.is_empty() {
        let nl = out.iter().position(|b| *b == b'\n').ok_or_else(bad)?;
        let header = std::str::from_utf8(&out[..nl]).map_err(|_| bad())?;
        if header.ends_with(" missing") {
            return Err(Error::Usage(format!("git cat-file: {header}")));
        }
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        let start = nl + 1;
        let end = start
            .checked_add(size)
            .filter(|e| *e < out.len())
            .ok_or_else(bad)?;
        blobs.push(out[start..end].to_vec());
        out = &out[end + 1..];
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ls_tree_keeps_blobs_under_the_folder() {
        let listing = b"100644 blob aaa\tdb/drizzle/0000_a.sql\x00160000 commit bbb\tdb/drizzle/sub\x00100644 blob ccc\tdb/drizzle/meta/_journal.json\0";
        let entries = parse_ls_tree(listing, "db/drizzle");
        let rels: Vec<_> = entries.iter().map(|e| e.rel.clone()).collect();
        assert_eq!(
            rels,
            [
                PathBuf::from("0000_a.sql"),
                PathBuf::from("meta/_journal.json")
            ]
        );
    }

    #[test]
    fn batch_output_splits_by_size() {
        let out = b"aaa blob 3\nab\n\nbbb blob 0\n\n";
        let blobs = parse_batch(out).unwrap();
        assert_eq!(blobs, vec![b"ab\n".to_vec(), Vec::new()]);
        assert!(parse_batch(b"aaa blob 9\nab\n").is_err());
    }
}
