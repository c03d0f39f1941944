//! `--format markdown`: a pull-request comment. Verdict and counts first, then one
//! collapsible block per table, the migrations that are not applied, and the reader notes.
//! Everything a user named (tables, columns, tags, values, paths) is escaped for the
//! context it lands in: code spans, HTML (`<summary>`), table cells or plain text.

use super::text::{group_of, verdict};
use super::{Category, Finding, MigrationEntry, MigrationState, Report, Severity};
use serde_json::Value;
use std::fmt::Write;

/// GitHub refuses a comment body longer than this (counted in UTF-16 units, as the
/// browser counts; the strictest reading of the limit).
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// Room kept at the end for the note saying what was left out.
const TRUNCATION_RESERVE: usize = 400;

pub fn render(report: &Report) -> String {
    render_within(report, GITHUB_COMMENT_LIMIT)
}

/// The comment, at most `limit` UTF-16 units long: findings that do not fit are left out
/// and counted in a closing note.
pub fn render_within(report: &Report, limit: usize) -> String {
    let mut out = head(report);
    let budget = limit.saturating_sub(TRUNCATION_RESERVE);
    let fits = |out: &str, more: &[&str]| {
        units(out) + more.iter().map(|s| units(s)).sum::<usize>() <= budget
    };

    let groups = groups(report);
    let mut shown = 0;
    if !groups.is_empty() {
        out.push_str("### Findings\n\n");
    }
    let mut full = false;
    for (name, findings) in &groups {
        if full {
            break;
        }
        let open = group_open(name, findings);
        let close = "</details>\n\n";
        let mut blocks = findings.iter().map(|f| finding_block(report, f)).peekable();
        let Some(first) = blocks.peek() else { continue };
        if !fits(&out, &[&open, first, close]) {
            break;
        }
        out.push_str(&open);
        for block in blocks {
            if !fits(&out, &[&block, close]) {
                full = true;
                break;
            }
            out.push_str(&block);
            shown += 1;
        }
        out.push_str(close);
    }
    // With several targets a group's findings are shown once, not once per member.
    let total = super::fleet::shown(report).len();
    let omitted = total - shown;

    let mut left_out = Vec::new();
    if omitted > 0 {
        left_out.push(format!("{omitted} of {total} findings"));
    }
    let migrations = migrations_section(&report.migrations);
    if !fits(&out, &[&migrations]) {
        left_out.push("the migration list".to_string());
    } else {
        out.push_str(&migrations);
    }
    let notes = notes_section(report);
    if !fits(&out, &[&notes]) {
        left_out.push(format!("{} reader notes", report.diagnostics.len()));
    } else {
        out.push_str(&notes);
    }
    if !left_out.is_empty() {
        let _ = writeln!(
            out,
            "> [!NOTE]\n> Truncated to fit a GitHub comment ({GITHUB_COMMENT_LIMIT} characters): {} left out. \
             Run `drizzle-drift check` (or `--format json`) for the full report.",
            left_out.join(", ")
        );
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

fn head(report: &Report) -> String {
    let mut out = String::new();
    let mark = if report.summary.error > 0 || !report.incomplete.is_empty() {
        "❌"
    } else if report.findings.is_empty() {
        "✅"
    } else {
        "⚠️"
    };
    let _ = writeln!(out, "## {mark} drizzle-drift: {}\n", verdict(report));
    incomplete(report, &mut out);
    counts_table(report, &mut out);
    sources(report, &mut out);
    targets_table(report, &mut out);
    out
}

/// With several targets: the fleet in one line, then a row per target.
fn targets_table(report: &Report, out: &mut String) {
    if report.targets.is_none() {
        return;
    }
    let _ = writeln!(
        out,
        "**Targets**: {}\n",
        inline_text(&super::fleet::overview(report))
    );
    let _ = writeln!(out, "| {} |", super::fleet::COLUMNS.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(super::fleet::COLUMNS.len()));
    for row in super::fleet::rows(report) {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// A table cell: no line breaks, no column separators.
fn cell(text: &str) -> String {
    inline_text(text).replace('|', "\\|").replace('\n', " ")
}

/// What could not be read: the verdict does not cover it.
fn incomplete(report: &Report, out: &mut String) {
    if report.incomplete.is_empty() {
        return;
    }
    out.push_str("> [!CAUTION]\n> **Incomplete.** No finding rests on what could not be read:\n");
    for i in &report.incomplete {
        let at = i
            .location
            .as_deref()
            .map(|l| format!("{} ", code(l)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "> - {}: {at}{}",
            i.source.as_str(),
            inline_text(&i.reason)
        );
    }
    out.push('\n');
}

/// Findings per category and severity; only the rows and columns that have any.
fn counts_table(report: &Report, out: &mut String) {
    if report.findings.is_empty() {
        return;
    }
    let severities: Vec<Severity> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .filter(|s| report.findings.iter().any(|f| f.severity == *s))
        .collect();
    let categories = [
        Category::Ungenerated,
        Category::Pending,
        Category::Drift,
        Category::History,
        Category::Lint,
    ];
    out.push_str("| category |");
    for s in &severities {
        let _ = write!(out, " {} |", s.as_str());
    }
    out.push_str("\n|---|");
    for _ in &severities {
        out.push_str("---:|");
    }
    out.push('\n');
    for c in categories {
        if !report.findings.iter().any(|f| f.category == c) {
            continue;
        }
        let _ = write!(out, "| {} |", c.as_str());
        for s in &severities {
            let n = report
                .findings
                .iter()
                .filter(|f| f.category == c && f.severity == *s)
                .count();
            let _ = write!(out, " {n} |");
        }
        out.push('\n');
    }
    out.push('\n');
}

fn sources(report: &Report, out: &mut String) {
    let s = &report.sources;
    let _ = writeln!(out, "**Sources** ({})\n", report.dialect.as_str());
    if let Some(by) = &s.config_evaluated_by {
        let _ = writeln!(out, "- config: evaluated by {by}");
    }
    match &s.ts {
        Some(ts) => {
            let _ = writeln!(out, "- TypeScript: {}", code(ts));
        }
        None => out.push_str("- TypeScript: not read\n"),
    }
    if let Some(dir) = &s.snapshot {
        let latest = s
            .latest
            .as_deref()
            .map_or("no migrations".into(), |t| format!("latest {}", code(t)));
        let _ = writeln!(out, "- migrations: {} ({latest})", code(dir));
    } else {
        out.push_str("- migrations: not read\n");
    }
    match &s.live {
        Some(live) => {
            let applied = s
                .applied
                .as_deref()
                .map_or("none applied".into(), |t| format!("applied {}", code(t)));
            let _ = writeln!(out, "- database: {} ({applied})", code(live));
        }
        None => out.push_str("- database: not read (offline)\n"),
    }
    out.push('\n');
}

fn groups(report: &Report) -> Vec<(String, Vec<&Finding>)> {
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
    groups
}

fn group_open(name: &str, findings: &[&Finding]) -> String {
    let mut counts = Vec::new();
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        let n = findings.iter().filter(|f| f.severity == s).count();
        if n > 0 {
            counts.push(plural(n, s.as_str()));
        }
    }
    // An error in the group opens it: the reader should not have to click to see it.
    let open = if findings.iter().any(|f| f.severity == Severity::Error) {
        " open"
    } else {
        ""
    };
    // A table's name is shown as code; "migration history" or "database" as words.
    let label = if findings.iter().any(|f| f.table.is_some()) {
        format!("<code>{}</code>", html(name))
    } else {
        html(name)
    };
    format!(
        "<details{open}><summary>{label} — {}</summary>\n\n",
        counts.join(", ")
    )
}

fn plural(n: usize, word: &str) -> String {
    let s = if n == 1 || word == "info" { "" } else { "s" };
    format!("{n} {word}{s}")
}

fn finding_block(report: &Report, f: &Finding) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "**{}** · {} · {} {}",
        f.severity.as_str(),
        f.category.as_str(),
        f.object.noun(),
        code(&f.name)
    );
    if let Some(field) = &f.field {
        let _ = write!(out, " · {}", code(field));
    }
    if let Some(rule) = &f.rule {
        let _ = write!(out, " · rule {}", code(rule));
    }
    if let Some(loc) = &f.location {
        let _ = write!(out, " · {}", code(&loc.to_string()));
    }
    let _ = writeln!(out, "<br>\n{}\n", inline_text(&f.message));
    values_table(report, f, &mut out);
    changed(f, &mut out);
    if let Some(fix) = &f.fix {
        fix_text(fix, &mut out);
    }
    out.push_str("---\n\n");
    out
}

/// What each source says, when it says something.
fn values_table(report: &Report, f: &Finding, out: &mut String) {
    if f.category == Category::History || [&f.ts, &f.snapshot, &f.live].iter().all(|v| v.is_null())
    {
        return;
    }
    let cell = |v: &Value, read: bool| -> String {
        if !read {
            return "not read".into();
        }
        match (&f.field, v) {
            (None, Value::Bool(true)) => "present".into(),
            (None, Value::Bool(false)) => "absent".into(),
            (None, Value::Null) => "—".into(),
            (Some(_), v) => code_cell(&crate::diff::value_text(v)),
            (None, v) => code_cell(&crate::diff::value_text(v)),
        }
    };
    let _ = writeln!(
        out,
        "| TypeScript | migrations | database |\n|---|---|---|\n| {} | {} | {} |\n",
        cell(&f.ts, report.sources.ts.is_some()),
        cell(&f.snapshot, report.sources.snapshot.is_some()),
        cell(&f.live, report.sources.live.is_some()),
    );
}

/// The words that changed between the finding's two differing values (struck and
/// inserted), or for a long definition a `diff` block of its clauses.
fn changed(f: &Finding, out: &mut String) {
    let Some((from, a, to, b)) = super::word_diff::pair(f) else {
        return;
    };
    if super::word_diff::is_long(a, b) {
        let body = super::word_diff::unified(a, b);
        let fence = "`".repeat(longest_run(&body, '`').max(2) + 1);
        let _ = writeln!(out, "**{from} → {to}:**\n\n{fence}diff\n{body}{fence}\n");
        return;
    }
    let mut text = String::new();
    for (part, words) in super::word_diff::words(a, b) {
        let words = html(&words);
        match part {
            super::word_diff::Part::Same => text.push_str(&words),
            super::word_diff::Part::Removed => {
                let _ = write!(text, "<del>{words}</del>");
            }
            super::word_diff::Part::Added => {
                let _ = write!(text, "<ins>{words}</ins>");
            }
        }
    }
    let _ = writeln!(out, "**{from} → {to}:** <code>{text}</code>\n");
}

/// A fix is prose, SQL, or prose lines introducing SQL: the SQL goes in ```sql blocks.
fn fix_text(fix: &str, out: &mut String) {
    let mut segments: Vec<(bool, Vec<&str>)> = Vec::new();
    for line in fix.lines() {
        let sql = is_sql(line);
        match segments.last_mut() {
            Some((true, lines)) if sql => lines.push(line),
            _ => segments.push((sql, vec![line])),
        }
    }
    if segments.first().is_some_and(|(sql, _)| *sql) {
        out.push_str("**Fix:**\n\n");
    }
    for (i, (sql, lines)) in segments.iter().enumerate() {
        if *sql {
            let body = lines.join("\n");
            let fence = "`".repeat(longest_run(&body, '`').max(2) + 1);
            let _ = writeln!(out, "{fence}sql\n{body}\n{fence}\n");
        } else {
            for (j, line) in lines.iter().enumerate() {
                let label = if i == 0 && j == 0 { "**Fix:** " } else { "" };
                let _ = writeln!(out, "{label}{}\n", inline_text(line));
            }
        }
    }
}

fn is_sql(line: &str) -> bool {
    let t = line.trim_start();
    let upper = t.get(..t.len().min(12)).unwrap_or("").to_ascii_uppercase();
    const STARTS: [&str; 14] = [
        "ALTER ", "CREATE ", "DROP ", "SET ", "INSERT ", "UPDATE ", "DELETE ", "COMMENT ",
        "GRANT ", "REVOKE ", "VALUES ", "--", "BEGIN", "COMMIT",
    ];
    STARTS.iter().any(|s| upper.starts_with(s)) || (t.ends_with(';') && !t.ends_with(':'))
}

fn migrations_section(entries: &[MigrationEntry]) -> String {
    let mut out = String::new();
    let listed: Vec<&MigrationEntry> = entries
        .iter()
        .filter(|e| !matches!(e.state, MigrationState::Applied | MigrationState::Unknown))
        .collect();
    let unknown = entries
        .iter()
        .filter(|e| e.state == MigrationState::Unknown)
        .count();
    if listed.is_empty() && unknown == 0 {
        return out;
    }
    out.push_str("### Migrations not applied\n\n");
    if !listed.is_empty() {
        out.push_str("| migration | state |\n|---|---|\n");
        for e in &listed {
            let _ = writeln!(out, "| {} | {} |", code_cell(&e.tag), e.state.as_str());
        }
        out.push('\n');
    }
    if unknown > 0 {
        let _ = writeln!(
            out,
            "{} with an unknown state: the database was not read.\n",
            plural(unknown, "migration")
        );
    }
    out
}

fn notes_section(report: &Report) -> String {
    let mut out = String::new();
    if report.diagnostics.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "<details><summary>Reader notes ({})</summary>\n",
        report.diagnostics.len()
    );
    for d in &report.diagnostics {
        let mut at = d.location.clone();
        if let Some(line) = d.line {
            let _ = write!(at, ":{line}");
        }
        let _ = writeln!(
            out,
            "- {} {}: {}",
            level(d.level),
            code(&at),
            inline_text(&d.message)
        );
    }
    out.push_str("\n</details>\n\n");
    out
}

fn level(l: crate::diagnostic::Level) -> &'static str {
    match l {
        crate::diagnostic::Level::Error => "**error**",
        crate::diagnostic::Level::Warning => "**warning**",
        crate::diagnostic::Level::Info => "info",
    }
}

/// `migrations --format markdown`: the full list, with when each was generated.
pub fn render_migrations(entries: &[MigrationEntry]) -> String {
    if entries.is_empty() {
        return "no migrations\n".into();
    }
    let mut out = String::from("| migration | state | generated (UTC) |\n|---|---|---|\n");
    for e in entries {
        let when = e.when.map(crate::civil_time::utc).unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {when} |",
            code_cell(&e.tag),
            e.state.as_str()
        );
    }
    out
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in s.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// GitHub links `@name` to a user and notifies them, in text and HTML alike (not in
/// code). A word joiner after the `@` breaks the link and is invisible.
fn unmention(s: &str) -> String {
    s.replace('@', "@\u{2060}")
}

/// An inline code span holding `s` verbatim, however many backticks it contains.
pub fn code(s: &str) -> String {
    let s = s.replace(['\r', '\n'], " ");
    let fence = "`".repeat(longest_run(&s, '`') + 1);
    // A span that starts or ends with a backtick needs a space inside the fence; the
    // renderer strips one space on each side.
    if s.starts_with('`') || s.ends_with('`') || (s.starts_with(' ') && s.ends_with(' ')) {
        format!("{fence} {s} {fence}")
    } else if s.is_empty() {
        "` `".into()
    } else {
        format!("{fence}{s}{fence}")
    }
}

/// A code span inside a table cell: GFM splits cells on `|` before it sees code spans,
/// so the pipe is escaped even there.
fn code_cell(s: &str) -> String {
    code(s).replace('|', "\\|")
}

/// Tool-written text on one line, where `backticks` mark code: balanced pairs become
/// code spans, everything else is escaped so markdown reads no markup in it.
pub fn inline_text(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape_text(s);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 && !part.is_empty() {
                code(part)
            } else {
                escape_text(part)
            }
        })
        .collect()
}

/// Plain text on one line: every character markdown could read as markup is escaped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(ch),
        }
    }
    unmention(&out)
}

/// Text inside raw HTML (`<summary>`), where markdown is not read.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' | '\n' => out.push(' '),
            _ => out.push(ch),
        }
    }
    unmention(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dialect, Origin};
    use crate::report::ObjectKind;

    fn finding(table: &str, name: &str, message: &str, fix: Option<&str>) -> Finding {
        Finding {
            category: Category::Drift,
            severity: Severity::Error,
            object: ObjectKind::Column,
            schema: Some("public".into()),
            table: Some(table.into()),
            name: name.into(),
            field: Some("default".into()),
            ts: Value::String("'a|b'".into()),
            snapshot: Value::String("'a|b'".into()),
            live: Value::String("`x` <y>".into()),
            message: message.into(),
            fix: fix.map(Into::into),
            location: Some(Origin {
                file: "src/db/sch`ema.ts".into(),
                line: Some(7),
            }),
            rule: None,
            target: None,
        }
    }

    fn report(findings: Vec<Finding>) -> Report {
        let mut r = Report::new(Dialect::Postgresql, findings);
        r.sources.ts = Some("src/db/schema.ts (static reader)".into());
        r.sources.snapshot = Some("drizzle".into());
        r.sources.live = Some("postgres://app@db:5432/app".into());
        r
    }

    #[test]
    fn code_spans_hold_any_backticks() {
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("two\nlines"), "`two lines`");
        assert_eq!(code_cell("a|b"), "`a\\|b`");
    }

    #[test]
    fn text_escapes_markup_and_mentions() {
        assert_eq!(
            escape_text("a|b <img> *x* [l](u)"),
            "a\\|b \\<img\\> \\*x\\* \\[l\\](u)"
        );
        assert_eq!(escape_text("ping @octocat"), "ping @\u{2060}octocat");
        assert_eq!(escape_text("two\nlines"), "two lines");
        // Balanced backticks in tool-written text become code spans; unbalanced are text.
        assert_eq!(
            inline_text("run `drizzle-kit generate`"),
            "run `drizzle-kit generate`"
        );
        assert_eq!(inline_text("it`s <b>"), "it\\`s \\<b\\>");
        assert_eq!(
            html("<b>&\"x\"</b> @me"),
            "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt; @\u{2060}me"
        );
    }

    #[test]
    fn hostile_names_stay_inside_their_code_spans_and_html() {
        let table = "t|<script>alert(1)</script>`";
        let name = "c``ol @octocat";
        let f = finding(
            table,
            name,
            &format!("{table}.{name}: default is `x` <y> in the database"),
            Some("SET lock_timeout = '5s';\nALTER TABLE \"t\" ALTER COLUMN \"c```ol\" SET DEFAULT 1;"),
        );
        let out = render(&report(vec![f]));
        assert!(!out.contains("<script>"), "{out}");
        assert!(
            out.contains("<summary><code>t|&lt;script&gt;alert(1)&lt;/script&gt;`</code>"),
            "{out}"
        );
        assert!(out.contains("column ```c``ol @octocat```"), "{out}");
        assert!(out.contains("· ``src/db/sch`ema.ts:7``"), "{out}");
        // The SQL fence is longer than any backtick run inside it.
        assert!(out.contains("````sql\nSET lock_timeout"), "{out}");
        assert!(out.contains("\n````\n"), "{out}");
        // Table cells escape the pipe even inside code.
        assert!(
            out.contains("| `'a\\|b'` | `'a\\|b'` | `` `x` <y> `` |"),
            "{out}"
        );
        assert!(!out.contains(" @octocat in"), "{out}");
    }

    #[test]
    fn a_long_report_is_cut_to_the_comment_limit_with_a_count() {
        let findings: Vec<Finding> = (0..2000)
            .map(|i| {
                finding(
                    &format!("table_{:04}", i / 10),
                    &format!("column_{i}"),
                    &format!("column_{i} differs: {}", "é€𝄞".repeat(20)),
                    Some("SET lock_timeout = '5s';\nALTER TABLE \"t\" DROP COLUMN \"c\";"),
                )
            })
            .collect();
        let r = report(findings);
        let out = render(&r);
        assert!(units(&out) <= GITHUB_COMMENT_LIMIT, "{}", units(&out));
        assert!(units(&out) > GITHUB_COMMENT_LIMIT - 2 * TRUNCATION_RESERVE - 2000);
        let shown = out.matches("**error** · drift").count();
        assert!(shown > 10 && shown < 2000, "{shown}");
        assert!(
            out.contains(&format!("{} of 2000 findings left out", 2000 - shown)),
            "{}",
            &out[out.len() - 400..]
        );
        // Every opened block is closed.
        assert_eq!(
            out.matches("<details").count(),
            out.matches("</details>").count()
        );

        let small = render_within(&r, 3000);
        assert!(units(&small) <= 3000);
        assert!(small.contains("left out"), "{small}");
        assert_eq!(
            small.matches("<details").count(),
            small.matches("</details>").count()
        );
    }

    #[test]
    fn a_report_that_fits_has_no_truncation_note() {
        let out = render(&report(vec![finding("users", "nick", "m", None)]));
        assert!(!out.contains("Truncated"), "{out}");
        assert!(
            out.starts_with("## ❌ drizzle-drift: 1 finding: 1 error\n"),
            "{out}"
        );
    }

    #[test]
    fn reader_notes_close_the_comment_escaped_and_unknown_states_are_counted() {
        let mut r = report(vec![finding("users", "nick", "m", None)]);
        r.sources.live = None;
        r.migrations = vec![crate::report::MigrationEntry {
            tag: "0000_a|b".into(),
            state: MigrationState::Unknown,
            when: None,
            hash: None,
            applied_hash: None,
        }];
        r.diagnostics = vec![crate::diagnostic::Diagnostic::warning(
            "src/db/schema.ts",
            "cannot evaluate <Foo> | `x",
        )
        .at(12, 3)];
        let out = render(&r);
        assert!(out.contains("- database: not read (offline)"), "{out}");
        assert!(out.contains("1 migration with an unknown state"), "{out}");
        assert!(
            out.ends_with(
                "<details><summary>Reader notes (1)</summary>\n\n- **warning** `src/db/schema.ts:12`: cannot evaluate \\<Foo\\> \\| \\`x\n\n</details>\n"
            ),
            "{out}"
        );
    }
}
