//! Which rules run and how loud: `drizzle-drift.toml` next to the drizzle-kit config
//! (`[lint] disable = […]`, `enable = […]`, `[lint.severity] rule = "error"`), and
//! `-- drizzle-drift-ignore rule[, rule]` comments.

use crate::error::{Error, Result};
use crate::report::Severity;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "drizzle-drift.toml";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Rule names turned off for the whole project.
    pub disabled: BTreeSet<String>,
    /// squawk rules turned on that are off by default (opt-in, or left out for drizzle-kit).
    pub enabled: BTreeSet<String>,
    /// Severity per rule, instead of the rule's own.
    pub severity: BTreeMap<String, Severity>,
    /// The file they came from, for messages.
    pub file: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    lint: Option<LintSection>,
    /// `[targets]`: read by `targets::parse`.
    #[serde(default, rename = "targets")]
    _targets: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LintSection {
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    enable: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
}

/// Read `drizzle-drift.toml` from `dir` (the drizzle-kit config's folder); no file means
/// every rule is on. A bad file or an unknown rule name is an error naming file:line.
pub fn load(dir: &Path) -> Result<Settings> {
    let path = dir.join(FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(e) => {
            return Err(Error::Config(format!("{}: {e}", path.display())));
        }
    };
    parse(&text, &path)
}

pub fn parse(text: &str, path: &Path) -> Result<Settings> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let file: File = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(s.start));
        Error::Config(format!(
            "{}:{line}: {}",
            path.display(),
            e.message().trim_end()
        ))
    })?;
    let lint = file.lint.unwrap_or(LintSection {
        disable: Vec::new(),
        enable: Vec::new(),
        severity: BTreeMap::new(),
    });
    let unknown = |rule: &str, quoted: &str| {
        let at = text.find(quoted).map_or(1, line_of);
        Error::Config(format!(
            "{}:{at}: unknown lint rule `{rule}` (see `drizzle-drift lint --help` or the README for the rule names)",
            path.display()
        ))
    };
    let mut disabled = BTreeSet::new();
    for rule in lint.disable {
        if !super::is_rule(&rule) {
            return Err(unknown(&rule, &format!("\"{rule}\"")));
        }
        disabled.insert(rule);
    }
    let mut enabled = BTreeSet::new();
    for rule in lint.enable {
        if !super::is_rule(&rule) {
            return Err(unknown(&rule, &format!("\"{rule}\"")));
        }
        enabled.insert(rule);
    }
    let mut severity = BTreeMap::new();
    for (rule, level) in lint.severity {
        if !super::is_rule(&rule) {
            return Err(unknown(&rule, &rule));
        }
        let level = match level.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => {
                let at = text.find(&format!("\"{level}\"")).map_or(1, line_of);
                return Err(Error::Config(format!(
                    "{}:{at}: unknown severity `{level}` for `{rule}` (error, warning or info)",
                    path.display()
                )));
            }
        };
        severity.insert(rule, level);
    }
    Ok(Settings {
        disabled,
        enabled,
        severity,
        file: Some(path.to_path_buf()),
    })
}

/// The rules a `-- drizzle-drift-ignore a, b` comment in the statement's text turns off;
/// `Some(empty)` means every rule.
pub fn ignored_in(sql: &str) -> Option<BTreeSet<String>> {
    let mut out: Option<BTreeSet<String>> = None;
    for line in sql.lines() {
        let Some(comment) = line.trim_start().strip_prefix("--") else {
            continue;
        };
        let Some(rest) = comment.trim_start().strip_prefix("drizzle-drift-ignore") else {
            continue;
        };
        let set = out.get_or_insert_with(BTreeSet::new);
        // A trailing `-- why` is a reason, not a rule name.
        let names = rest.split("--").next().unwrap_or("");
        for name in names.split([',', ' ', '\t']).filter(|s| !s.is_empty()) {
            set.insert(name.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_files_name_their_line() {
        let p = Path::new("drizzle-drift.toml");
        let e = parse("[lint]\ndisable = [\"drizzle-set-not-null\",\n", p).unwrap_err();
        assert!(e.to_string().contains("drizzle-drift.toml:"), "{e}");
        let e = parse("[lint]\n\ndisable = [\"no-such-rule\"]\n", p).unwrap_err();
        assert!(
            e.to_string()
                .contains("drizzle-drift.toml:3: unknown lint rule `no-such-rule`"),
            "{e}"
        );
        let s = parse(
            "[lint]\ndisable = [\"prefer-robust-stmts\", \"drizzle-set-not-null\"]\n",
            p,
        )
        .unwrap();
        assert_eq!(s.disabled.len(), 2);
        // `[targets]` belongs to `check`, not to the lint settings.
        let s = parse(
            "[lint]\ndisable = [\"drizzle-set-not-null\"]\n[targets]\nprod = \"${URL}\"\n",
            p,
        )
        .unwrap();
        assert_eq!(s.disabled.len(), 1);

        let s = parse(
            "[lint]\nenable = [\"ban-drop-index\"]\n[lint.severity]\ndrizzle-set-not-null = \"error\"\n",
            p,
        )
        .unwrap();
        assert!(s.enabled.contains("ban-drop-index"));
        assert_eq!(s.severity["drizzle-set-not-null"], Severity::Error);
        let e = parse("[lint]\nenable = [\"ban-drop-indexx\"]\n", p).unwrap_err();
        assert!(
            e.to_string()
                .contains("drizzle-drift.toml:2: unknown lint rule `ban-drop-indexx`"),
            "{e}"
        );
        let e = parse("[lint.severity]\n\nno-such = \"error\"\n", p).unwrap_err();
        assert!(
            e.to_string()
                .contains("drizzle-drift.toml:3: unknown lint rule `no-such`"),
            "{e}"
        );
        let e = parse("[lint.severity]\nban-drop-column = \"fatal\"\n", p).unwrap_err();
        assert!(
            e.to_string()
                .contains("drizzle-drift.toml:2: unknown severity `fatal` for `ban-drop-column`"),
            "{e}"
        );
    }

    #[test]
    fn ignore_comments() {
        assert_eq!(ignored_in("SELECT 1"), None);
        let set = ignored_in("-- drizzle-drift-ignore a, b -- we backfilled\nSELECT 1").unwrap();
        assert_eq!(set.into_iter().collect::<Vec<_>>(), vec!["a", "b"]);
        assert!(ignored_in("-- drizzle-drift-ignore\nSELECT 1")
            .unwrap()
            .is_empty());
    }
}
