//! Environment variables as a drizzle-kit config sees them, read without changing the
//! process environment.

use crate::diagnostic::Diagnostic;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where a variable's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvOrigin {
    /// The environment drizzle-drift was started with.
    Process,
    /// A dotenv file (see [`Env::files`]).
    File,
}

/// The variables a config's `process.env.NAME` reads.
///
/// Precedence, highest first, mirroring what happens when drizzle-kit runs a config:
/// 1. files loaded by the config with `dotenv.config({ path, override: true })`;
/// 2. the process environment;
/// 3. `.env` in the current directory, or `DOTENV_CONFIG_PATH` (drizzle-kit itself loads
///    it at start-up, before the config runs; `import "dotenv/config"` and `dotenv.config()`
///    in the config load the same file);
/// 4. other files the config loads with `dotenv.config({ path })`,
///    `process.loadEnvFile(path)` or Next.js's `loadEnvConfig(dir)`, in the order it loads
///    them;
/// 5. `.env` next to the config file when that is another folder: drizzle-kit would not
///    read it, but configs kept in `server/db/` often have their `.env` beside them, so it
///    fills in what nothing else set.
///
/// Within dotenv files, the first file to set a variable wins, as dotenv does without
/// `override`. `Debug` prints variable names only, never values.
#[derive(Clone, Default)]
pub struct Env {
    process: HashMap<String, String>,
    overrides: HashMap<String, String>,
    files_vars: HashMap<String, String>,
    files: Vec<PathBuf>,
    diagnostics: Vec<Diagnostic>,
}

impl Env {
    /// The process environment (variables that are not valid UTF-8 are left out).
    pub fn from_process() -> Self {
        Env::with_vars(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        )
    }

    /// An environment with exactly these variables in place of the process environment.
    pub fn with_vars(vars: HashMap<String, String>) -> Self {
        Env {
            process: vars,
            ..Env::default()
        }
    }

    /// The process environment plus `.env` in `cwd`: what is visible when there is no
    /// config file.
    pub fn for_dir(process: Env, cwd: &Path) -> Self {
        let mut env = process;
        let startup = env.default_file(cwd);
        env.load_file(&startup, false, false);
        env
    }

    /// The file `dotenv/config` reads: `DOTENV_CONFIG_PATH` if the process sets it, else
    /// `.env` in `cwd`.
    pub fn default_file(&self, cwd: &Path) -> PathBuf {
        match self.process.get("DOTENV_CONFIG_PATH") {
            Some(path) if !path.is_empty() => cwd.join(path),
            _ => cwd.join(".env"),
        }
    }

    /// Looks a variable up, with where its value came from.
    pub fn get(&self, name: &str) -> Option<(&str, EnvOrigin)> {
        if let Some(v) = self.overrides.get(name) {
            return Some((v, EnvOrigin::File));
        }
        if let Some(v) = self.process.get(name) {
            return Some((v, EnvOrigin::Process));
        }
        self.files_vars
            .get(name)
            .map(|v| (v.as_str(), EnvOrigin::File))
    }

    /// Every variable with the value [`Env::get`] gives it.
    pub fn vars(&self) -> Vec<(&str, &str)> {
        let mut names: Vec<&str> = self
            .process
            .keys()
            .chain(self.overrides.keys())
            .chain(self.files_vars.keys())
            .map(String::as_str)
            .collect();
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .filter_map(|n| self.get(n).map(|(v, _)| (n, v)))
            .collect()
    }

    /// The dotenv files that were read, in the order they were read.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Problems met reading dotenv files (unparseable lines, a missing file a config names).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Reads one dotenv file. A file already read is not read again (dotenv would find the
    /// same values, which could not win anyway). A missing file is reported only when
    /// `required` (the config named it). Returns whether the file was read.
    pub fn load_file(&mut self, path: &Path, override_existing: bool, required: bool) -> bool {
        if self.files.iter().any(|f| f == path) && !override_existing {
            return true;
        }
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                if required || err.kind() != std::io::ErrorKind::NotFound {
                    self.diagnostics.push(Diagnostic::warning(
                        path.display().to_string(),
                        format!("cannot read env file: {err}"),
                    ));
                }
                return false;
            }
        };
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let text = String::from_utf8_lossy(body);
        let mut iter = dotenvy::from_read_iter(body);
        // The iterator resumes after a bad line; the bound only guards against a reader
        // error that would repeat forever.
        for _ in 0..=body.len() {
            match iter.next() {
                None => break,
                Some(Ok((key, value))) => {
                    if override_existing {
                        self.overrides.insert(key, value);
                    } else if !self.overrides.contains_key(&key) {
                        self.files_vars.entry(key).or_insert(value);
                    }
                }
                Some(Err(dotenvy::Error::LineParse(line, _))) => {
                    // Never echo the line: it may hold a secret.
                    let mut diag = Diagnostic::warning(
                        path.display().to_string(),
                        "cannot parse this line; it is ignored",
                    );
                    if let Some(n) = text.lines().position(|l| l.trim() == line.trim()) {
                        diag = diag.at(n as u32 + 1, 1);
                    }
                    self.diagnostics.push(diag);
                }
                Some(Err(err)) => {
                    self.diagnostics.push(Diagnostic::warning(
                        path.display().to_string(),
                        format!("cannot read env file: {err}"),
                    ));
                    break;
                }
            }
        }
        self.files.push(path.to_path_buf());
        true
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut from_files: Vec<&String> = self
            .files_vars
            .keys()
            .chain(self.overrides.keys())
            .collect();
        from_files.sort();
        from_files.dedup();
        f.debug_struct("Env")
            .field("files", &self.files)
            .field("file_variables", &from_files)
            .field("process_variables", &self.process.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn process_beats_files_and_first_file_wins() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.env");
        let b = dir.path().join("b.env");
        std::fs::write(
            &a,
            "X=from_a\nY=from_a\n# comment\nBAD LINE\nZ=\"quoted value\"\n",
        )
        .unwrap();
        std::fs::write(&b, "X=from_b\nW=from_b\n").unwrap();
        let mut env = Env::with_vars(vars(&[("Y", "from_process")]));
        assert!(env.load_file(&a, false, false));
        assert!(env.load_file(&b, false, false));
        assert_eq!(env.get("X"), Some(("from_a", EnvOrigin::File)));
        assert_eq!(env.get("Y"), Some(("from_process", EnvOrigin::Process)));
        assert_eq!(env.get("Z"), Some(("quoted value", EnvOrigin::File)));
        assert_eq!(env.get("W"), Some(("from_b", EnvOrigin::File)));
        assert_eq!(env.diagnostics().len(), 1, "{:?}", env.diagnostics());
        assert_eq!(env.diagnostics()[0].line, Some(4));
        assert!(!env.diagnostics()[0].message.contains("BAD"));
    }

    #[test]
    fn override_beats_process_and_debug_hides_values() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join(".env.local");
        std::fs::write(&a, "\u{feff}SECRET=hunter2\n").unwrap();
        let mut env = Env::with_vars(vars(&[("SECRET", "process")]));
        env.load_file(&a, true, true);
        assert_eq!(env.get("SECRET"), Some(("hunter2", EnvOrigin::File)));
        let debug = format!("{env:?}");
        assert!(
            debug.contains("SECRET") && !debug.contains("hunter2"),
            "{debug}"
        );
    }

    #[test]
    fn missing_files_are_reported_only_when_required() {
        let dir = tempfile::tempdir().unwrap();
        let mut env = Env::default();
        assert!(!env.load_file(&dir.path().join(".env"), false, false));
        assert!(env.diagnostics().is_empty());
        assert!(!env.load_file(&dir.path().join(".env.prod"), false, true));
        assert_eq!(env.diagnostics().len(), 1);
    }
}
