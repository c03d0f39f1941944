//! Which rules are off: `drizzle-drift.toml` next to the drizzle-kit config
//! (`[lint] disable = ["rule", …]`), and `-- drizzle-drift-ignore rule[, rule]` comments.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "drizzle-drift.toml";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Rule names turned off for the whole project.
    pub disabled: BTreeSet<String>,
    /// The file they came from, for messages.
    pub file: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    lint: Option<LintSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LintSection {
    #[serde(default)]
    disable: Vec<String>,
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
    let mut disabled = BTreeSet::new();
    for rule in file.lint.map(|l| l.disable).unwrap_or_default() {
        if !super::is_rule(&rule) {
            let at = text.find(&format!("\"{rule}\"")).map_or(1, line_of);
            return Err(Error::Config(format!(
                "{}:{at}: unknown lint rule `{rule}` (see `drizzle-drift lint --help` or the README for the rule names)",
                path.display()
            )));
        }
        disabled.insert(rule);
    }
    Ok(Settings {
        disabled,
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
