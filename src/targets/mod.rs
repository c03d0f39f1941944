//! Several databases in one run: a primary and its replicas, staging and production, a
//! fleet of tenant databases. Each target is read on its own (one connection, the usual
//! timeouts, read-only), compared with the history on its own, and identical targets
//! (same fingerprint) share one comparison.

pub mod fingerprint;
pub mod group;
pub mod parse;
pub mod read;
pub mod run;
pub mod why;

use crate::config::Config;
use crate::error::Result;
use std::path::{Path, PathBuf};

/// Where a target's catalog comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A database URL (or libpq `key=value` string).
    Url(String),
    /// A catalog captured with `capture`.
    Catalog(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub location: Location,
}

impl Target {
    /// The URL without its password, or the catalog file (relative to `cwd` when in it).
    pub fn label(&self, cwd: &Path) -> String {
        match &self.location {
            Location::Url(url) => crate::config::redact_url(url),
            Location::Catalog(path) => path.strip_prefix(cwd).unwrap_or(path).display().to_string(),
        }
    }
}

/// The targets named on the command line (`--target`, then the `--targets` file), else
/// `[targets]` in `drizzle-drift.toml` beside the config when `toml` (no `--url`,
/// `--catalog` or `--offline` was given). Empty: the one database of before.
pub fn named(
    flags: &[String],
    file: Option<&Path>,
    toml: bool,
    config: &Config,
    cwd: &Path,
) -> Result<Vec<Target>> {
    let mut out = Vec::new();
    for flag in flags {
        out.push(parse::flag(flag, &config.env, cwd)?);
    }
    if let Some(file) = file {
        out.extend(parse::file(&cwd.join(file), &config.env)?);
    }
    if out.is_empty() && toml {
        let dir = config.path.parent().unwrap_or_else(|| Path::new("."));
        out = parse::toml_table(dir, &config.env)?;
    }
    parse::unique(&out)?;
    Ok(out)
}

/// Whether `drizzle-drift.toml` beside the config (found as `load_config` finds it) has a
/// `[targets]` table: a cheap look before the config is evaluated.
pub fn toml_names_targets(explicit: Option<&Path>, cwd: &Path) -> bool {
    let Ok(config) = crate::config::find(explicit, cwd) else {
        return false;
    };
    let dir = config.parent().unwrap_or_else(|| Path::new("."));
    std::fs::read_to_string(dir.join(crate::lint::settings::FILE_NAME))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|t| t.contains_key("targets"))
}
