//! `--format github`: one GitHub Actions workflow command per finding
//! (`::error file=…,line=…,title=…::message`), which GitHub shows as an annotation on the
//! file and line, then a plain summary line.
//!
//! GitHub resolves `file=` from the repository root, while findings carry paths from the
//! project folder (where drizzle.config is); `repo_prefix` finds the project folder's
//! place in the git work tree so the two agree in a monorepo.

use super::text::{group_of, verdict};
use super::{Finding, Report, Severity};
use crate::diagnostic::Level;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// `prefix`: the project folder relative to the repository root (`None` or empty when
/// they are the same folder).
pub fn render(report: &Report, prefix: Option<&Path>) -> String {
    let mut out = String::new();
    for (targets, f) in super::fleet::shown(report) {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(loc) = &f.location {
            props.push(format!("file={}", property(&repo_path(prefix, &loc.file))));
            if let Some(line) = loc.line {
                props.push(format!("line={line}"));
            }
        }
        let title = match &targets {
            Some(t) => format!("{} [{t}]", title(f)),
            None => title(f),
        };
        props.push(format!("title={}", property(&title)));
        let mut message = f.message.clone();
        if let Some(fix) = &f.fix {
            let _ = write!(message, "\nfix: {fix}");
        }
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
    }
    for i in &report.incomplete {
        let title = property(&format!("drizzle-drift: {} incomplete", i.source.as_str()));
        let _ = writeln!(out, "::error title={title}::{}", data(&i.to_string()));
    }
    for d in &report.diagnostics {
        let command = match d.level {
            Level::Error => "warning",
            Level::Warning | Level::Info => "notice",
        };
        let title = property("drizzle-drift: reader note");
        let _ = writeln!(out, "::{command} title={title}::{}", data(&d.to_string()));
    }
    for t in report.targets.as_deref().unwrap_or_default() {
        if t.state != super::TargetState::Ok {
            let title = property(&format!(
                "drizzle-drift: target {} {}",
                t.name,
                t.state.as_str()
            ));
            let reason = t.error.as_deref().unwrap_or("not read");
            let _ = writeln!(
                out,
                "::error title={title}::{}",
                data(&format!("{} ({}): {reason}", t.name, t.url))
            );
        }
    }
    targets_table(report, &mut out);
    let _ = writeln!(out, "drizzle-drift: {}", verdict(report));
    out
}

/// With several targets: the fleet in one line and an aligned row per target, in the
/// job's log.
fn targets_table(report: &Report, out: &mut String) {
    if report.targets.is_none() {
        return;
    }
    let _ = writeln!(
        out,
        "drizzle-drift targets: {}",
        super::fleet::overview(report)
    );
    let rows = super::fleet::rows(report);
    let mut widths = super::fleet::COLUMNS.map(str::len);
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(super::fleet::COLUMNS.to_vec()));
    for row in &rows {
        let _ = writeln!(out, "{}", line(row.iter().map(String::as_str).collect()));
    }
}

fn title(f: &Finding) -> String {
    let mut t = format!("drizzle-drift {}: ", f.category.as_str());
    match &f.table {
        Some(_) if f.object == super::ObjectKind::Table => t.push_str(&group_of(f)),
        Some(_) => {
            let _ = write!(t, "{} {} {}", group_of(f), f.object.noun(), f.name);
        }
        None => {
            let _ = write!(t, "{} {}", f.object.noun(), f.name);
        }
    }
    if let Some(field) = &f.field {
        let _ = write!(t, " ({field})");
    }
    if let Some(rule) = &f.rule {
        let _ = write!(t, " [{rule}]");
    }
    t
}

fn repo_path(prefix: Option<&Path>, file: &str) -> String {
    match prefix {
        Some(p) if !p.as_os_str().is_empty() => {
            let p = p.to_string_lossy().replace('\\', "/");
            format!("{}/{file}", p.trim_end_matches('/'))
        }
        _ => file.to_string(),
    }
}

/// The project folder relative to the root of the git work tree above it (the folder
/// holding `.git`, a directory or, in a worktree or submodule, a file). `None` when
/// there is no work tree.
pub fn repo_prefix(project: &Path) -> Option<PathBuf> {
    let project = project.canonicalize().ok()?;
    project
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .and_then(|root| project.strip_prefix(root).ok())
        .map(Path::to_path_buf)
}

/// Escape a command's message (GitHub's `escapeData`).
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command property value (GitHub's `escapeProperty`).
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dialect, Origin};
    use crate::report::{Category, ObjectKind};
    use serde_json::Value;

    fn finding(severity: Severity, location: Option<Origin>) -> Finding {
        Finding {
            category: Category::Drift,
            severity,
            object: ObjectKind::Column,
            schema: Some("public".into()),
            table: Some("a,b:c".into()),
            name: "100%\r\n::error::owned".into(),
            field: None,
            ts: Value::Null,
            snapshot: Value::Bool(false),
            live: Value::Bool(true),
            message: "50% of\nit".into(),
            fix: Some("DROP;".into()),
            location,
            rule: None,
            target: None,
        }
    }

    #[test]
    fn escapes_follow_the_actions_toolkit() {
        assert_eq!(data("100%\r\nx:y,z"), "100%25%0D%0Ax:y,z");
        assert_eq!(property("100%\r\nx:y,z"), "100%25%0D%0Ax%3Ay%2Cz");
    }

    #[test]
    fn one_command_per_finding_each_on_one_line() {
        let report = Report::new(
            Dialect::Postgresql,
            vec![
                finding(
                    Severity::Error,
                    Some(Origin {
                        file: "src/db/schema,1.ts".into(),
                        line: Some(12),
                    }),
                ),
                finding(Severity::Info, None),
            ],
        );
        let out = render(&report, Some(Path::new("apps/web")));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert_eq!(
            lines[0],
            "::error file=apps/web/src/db/schema%2C1.ts,line=12,title=drizzle-drift drift%3A a%2Cb%3Ac column 100%25%0D%0A%3A%3Aerror%3A%3Aowned::50%25 of%0Ait%0Afix: DROP;"
        );
        assert!(lines[1].starts_with("::notice title="), "{out}");
        assert_eq!(lines[2], "drizzle-drift: 2 findings: 1 error, 1 info");
    }

    #[test]
    fn the_project_folder_is_placed_in_its_work_tree() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let project = tmp.path().join("apps/web");
        std::fs::create_dir_all(&project).expect("mkdir");
        std::fs::write(tmp.path().join(".git"), "gitdir: elsewhere\n").expect("write");
        assert_eq!(repo_prefix(&project), Some(PathBuf::from("apps/web")));
        assert_eq!(repo_prefix(tmp.path()), Some(PathBuf::new()));
    }
}
