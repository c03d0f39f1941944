//! The human report: findings grouped by table, one line each with its fix beneath.

use super::word_diff::{self, Part};
use super::{Category, Finding, MigrationEntry, MigrationState, Report, Severity};
use anstyle::{AnsiColor, Style};
use std::fmt::Write;

/// Styles for the text report; all plain when color is off.
#[derive(Clone, Copy)]
pub struct Palette {
    pub color: bool,
}

impl Palette {
    pub(crate) fn paint(self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    pub(crate) fn severity(self, s: Severity) -> String {
        let style = match s {
            Severity::Error => AnsiColor::Red.on_default().bold(),
            Severity::Warning => AnsiColor::Yellow.on_default().bold(),
            Severity::Info => AnsiColor::Blue.on_default(),
        };
        self.paint(style, &format!("{:<7}", s.as_str()))
    }

    fn category(self, c: Category) -> String {
        let style = match c {
            Category::Drift => AnsiColor::Red.on_default(),
            Category::Pending => AnsiColor::Yellow.on_default(),
            Category::Ungenerated => AnsiColor::Magenta.on_default(),
            Category::History => AnsiColor::Cyan.on_default(),
            Category::Lint => AnsiColor::Blue.on_default(),
        };
        self.paint(style, &format!("{:<11}", c.as_str()))
    }

    pub(crate) fn bold(self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    pub(crate) fn dim(self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }

    fn state(self, s: MigrationState) -> String {
        let style = match s {
            MigrationState::Applied => AnsiColor::Green.on_default(),
            MigrationState::Pending => AnsiColor::Yellow.on_default(),
            MigrationState::Modified | MigrationState::Skipped => {
                AnsiColor::Red.on_default().bold()
            }
            MigrationState::Missing => AnsiColor::Red.on_default(),
            MigrationState::Unknown => Style::new().dimmed(),
        };
        self.paint(style, &format!("{:<9}", s.as_str()))
    }
}

/// The group a finding is listed under: its table, or the kind of thing it is about.
pub fn group_of(f: &Finding) -> String {
    match (&f.schema, &f.table) {
        (Some(s), Some(t)) if s != "public" => format!("{s}.{t}"),
        (_, Some(t)) => t.clone(),
        _ if f.category == Category::History => "migration history".into(),
        (Some(s), None) if s != "public" => format!("schema {s}"),
        _ => "database".into(),
    }
}

pub fn render(report: &Report, p: Palette) -> String {
    let mut out = String::new();
    header(report, p, &mut out);
    targets(report, p, &mut out);
    incomplete(report, p, &mut out);
    for d in &report.diagnostics {
        let _ = writeln!(
            out,
            "{} {d}",
            p.paint(AnsiColor::Yellow.on_default(), "note:")
        );
    }
    if !report.diagnostics.is_empty() {
        out.push('\n');
    }
    let mut groups: Vec<(String, Vec<&Finding>)> = Vec::new();
    for (targets, f) in super::fleet::shown(report) {
        let g = match targets {
            Some(t) => format!("{t} · {}", group_of(f)),
            None => group_of(f),
        };
        match groups.iter_mut().find(|(name, _)| *name == g) {
            Some((_, list)) => list.push(f),
            None => groups.push((g, vec![f])),
        }
    }
    // A fix shared by many findings (apply the pending migrations) is shown once.
    let mut shown_fixes: Vec<&str> = Vec::new();
    for (name, findings) in &groups {
        let _ = writeln!(out, "{}", p.bold(name));
        for f in findings {
            let _ = writeln!(
                out,
                "  {} {} {}",
                p.severity(f.severity),
                p.category(f.category),
                f.message
            );
            changed(f, p, &mut out);
            if let Some(rule) = &f.rule {
                let at = f
                    .location
                    .as_ref()
                    .map(|o| match o.line {
                        Some(line) => format!("{}:{line} ", o.file),
                        None => format!("{} ", o.file),
                    })
                    .unwrap_or_default();
                let _ = writeln!(out, "  {:<19} {} {at}[{rule}]", "", p.dim("at:"));
            }
            let fix = f.fix.as_deref().filter(|fix| !shown_fixes.contains(fix));
            if let Some(fix) = fix {
                shown_fixes.push(fix);
                let mut lines = fix.lines();
                if let Some(first) = lines.next() {
                    let _ = writeln!(out, "  {:<19} {} {first}", "", p.dim("fix:"));
                }
                for line in lines {
                    let _ = writeln!(out, "  {:<19}      {line}", "");
                }
            }
        }
        out.push('\n');
    }
    summary(report, p, &mut out);
    out
}

/// The words that changed between the finding's two differing values, or for a long
/// definition a unified diff of its clauses.
fn changed(f: &Finding, p: Palette, out: &mut String) {
    let Some((from, a, to, b)) = word_diff::pair(f) else {
        return;
    };
    let removed = AnsiColor::Red.on_default();
    let added = AnsiColor::Green.on_default();
    let label = p.dim(&format!("{from} → {to}:"));
    if word_diff::is_long(a, b) {
        let _ = writeln!(out, "  {:<19} {label}", "");
        for line in word_diff::unified(a, b).lines() {
            let line = match line.chars().next() {
                Some('-') => p.paint(removed, line),
                Some('+') => p.paint(added, line),
                Some('@') => p.dim(line),
                _ => line.to_string(),
            };
            let _ = writeln!(out, "  {:<19}   {line}", "");
        }
        return;
    }
    let mut text = String::new();
    for (part, words) in word_diff::words(a, b) {
        text.push_str(&match part {
            Part::Same => words,
            Part::Removed => p.paint(removed, &format!("[-{words}-]")),
            Part::Added => p.paint(added, &format!("{{+{words}+}}")),
        });
    }
    let _ = writeln!(out, "  {:<19} {label} {text}", "");
}

fn header(report: &Report, p: Palette, out: &mut String) {
    let s = &report.sources;
    let mut parts = vec![report.dialect.as_str().to_string()];
    if let Some(by) = &s.config_evaluated_by {
        parts.push(format!("config evaluated by {by}"));
    }
    if let Some(ts) = &s.ts {
        parts.push(format!("schema {ts}"));
    }
    if let (true, Some(dir)) = (s.push, &s.snapshot) {
        parts.push(format!(
            "no migrations in {dir}: comparing schema ↔ database directly"
        ));
    } else if let Some(dir) = &s.snapshot {
        let latest = s.latest.as_deref().unwrap_or("no migrations");
        parts.push(format!("migrations {dir} (latest {latest})"));
    } else {
        parts.push("migrations not read".into());
    }
    match &s.live {
        Some(live) if report.targets.is_some() => parts.push(format!("databases: {live}")),
        Some(live) if s.push => parts.push(format!("database {live}")),
        Some(live) => {
            let applied = s.applied.as_deref().unwrap_or("none applied");
            parts.push(format!("database {live} (applied {applied})"));
        }
        None => parts.push("database not read (offline)".into()),
    }
    let _ = writeln!(out, "{}\n", p.dim(&parts.join(" · ")));
}

/// With several targets: the fleet in one line, then the targets not read and the
/// replicas, one line each.
fn targets(report: &Report, p: Palette, out: &mut String) {
    if report.targets.is_none() {
        return;
    }
    let _ = writeln!(
        out,
        "{} {}",
        p.bold("targets:"),
        super::fleet::overview(report)
    );
    for line in super::fleet::notable(report, 20) {
        let _ = writeln!(out, "  {line}");
    }
    out.push('\n');
}

/// What could not be read, first and in red: the verdict below does not cover it.
fn incomplete(report: &Report, p: Palette, out: &mut String) {
    if report.incomplete.is_empty() {
        return;
    }
    let label = p.paint(AnsiColor::Red.on_default().bold(), "incomplete:");
    for i in &report.incomplete {
        let _ = writeln!(out, "{label} {i}");
    }
    let _ = writeln!(
        out,
        "{}\n",
        p.dim("no finding rests on what could not be read; fix it (or pass --schema/--out/--casing) for a full comparison")
    );
}

/// The summary line without color: `6 findings: 1 error, 5 warnings · 1 pending migration`.
pub fn verdict(report: &Report) -> String {
    let mut out = String::new();
    summary(report, Palette { color: false }, &mut out);
    out.trim_end().to_string()
}

fn summary(report: &Report, p: Palette, out: &mut String) {
    let s = report.summary;
    let pending = report
        .migrations
        .iter()
        .filter(|m| m.state == MigrationState::Pending)
        .count();
    let total = report.findings.len();
    let unread = report.incomplete.len();
    let unread_targets = report
        .targets
        .iter()
        .flatten()
        .filter(|t| t.state != super::TargetState::Ok)
        .count();
    let mut line = if total == 0 && unread > 0 {
        p.paint(
            AnsiColor::Red.on_default().bold(),
            &format!(
                "incomplete: no findings in what was read, {unread} part{} not read",
                if unread == 1 { "" } else { "s" }
            ),
        )
    } else if total == 0 && unread_targets > 0 {
        "no findings in the targets read".to_string()
    } else if total == 0 {
        p.paint(AnsiColor::Green.on_default().bold(), "in sync: no findings")
    } else {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let mut counts = Vec::new();
        if s.error > 0 {
            counts.push(p.paint(
                AnsiColor::Red.on_default().bold(),
                &plural(s.error, "error"),
            ));
        }
        if s.warning > 0 {
            counts.push(p.paint(
                AnsiColor::Yellow.on_default().bold(),
                &plural(s.warning, "warning"),
            ));
        }
        if s.info > 0 {
            counts.push(plural(s.info, "info"));
        }
        format!("{}: {}", plural(total, "finding"), counts.join(", "))
    };
    if pending > 0 {
        line.push_str(&format!(
            " · {pending} pending migration{}",
            if pending == 1 { "" } else { "s" }
        ));
    }
    if unread_targets > 0 {
        line.push_str(&p.paint(
            AnsiColor::Red.on_default().bold(),
            &format!(
                " · {unread_targets} target{} not read",
                if unread_targets == 1 { "" } else { "s" }
            ),
        ));
    }
    if total > 0 && unread > 0 {
        line.push_str(&p.paint(
            AnsiColor::Red.on_default().bold(),
            &format!(
                " · incomplete: {unread} part{} not read",
                if unread == 1 { "" } else { "s" }
            ),
        ));
    }
    let _ = writeln!(out, "{line}");
}

pub fn render_migrations(entries: &[MigrationEntry], p: Palette) -> String {
    let mut out = String::new();
    if entries.is_empty() {
        out.push_str("no migrations\n");
        return out;
    }
    let width = entries
        .iter()
        .map(|e| e.tag.len())
        .max()
        .unwrap_or(0)
        .max(3);
    let _ = writeln!(
        out,
        "{}",
        p.dim(&format!("{:<9} {:<width$}  when (UTC)", "state", "tag"))
    );
    for e in entries {
        let when = e.when.map(crate::civil_time::utc).unwrap_or_default();
        let _ = writeln!(
            out,
            "{} {:<width$}  {}",
            p.state(e.state),
            e.tag,
            p.dim(&when)
        );
        if e.state == MigrationState::Modified {
            let _ = writeln!(
                out,
                "{:<9} {}",
                "",
                p.dim(&format!(
                    "file sha256 {} ≠ applied {}",
                    e.hash.as_deref().unwrap_or("?"),
                    e.applied_hash.as_deref().unwrap_or("?")
                ))
            );
        }
    }
    out
}
