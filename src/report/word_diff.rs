//! Which words of a value changed between two sources: for the explorer's detail view and
//! the text and markdown reports. Long definitions (a view's query, a policy's expression, a
//! function-like default) are shown as a unified diff, a clause a line.

use super::{Category, Finding};
use similar::{ChangeTag, TextDiff};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Same,
    /// In the reference, not in this value.
    Removed,
    /// In this value, not in the reference.
    Added,
}

/// `value` against `reference`, word by word (spaces kept), adjacent runs merged.
pub fn words(reference: &str, value: &str) -> Vec<(Part, String)> {
    let diff = TextDiff::from_words(reference, value);
    let mut out: Vec<(Part, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let part = match change.tag() {
            ChangeTag::Equal => Part::Same,
            ChangeTag::Delete => Part::Removed,
            ChangeTag::Insert => Part::Added,
        };
        match out.last_mut() {
            Some((p, text)) if *p == part => text.push_str(change.value()),
            _ => out.push((part, change.value().to_string())),
        }
    }
    out
}

/// Longer than this (or on several lines), a value is shown as a unified diff.
const LONG: usize = 60;

/// Whether `a` against `b` reads better as a unified diff than inline.
pub fn is_long(a: &str, b: &str) -> bool {
    a.contains('\n') || b.contains('\n') || a.chars().count() > LONG || b.chars().count() > LONG
}

/// SQL words that start a clause: each starts a line of a long definition.
const CLAUSES: &[&str] = &[
    "select",
    "from",
    "where",
    "join",
    "left",
    "right",
    "inner",
    "full",
    "cross",
    "on",
    "and",
    "or",
    "group",
    "order",
    "having",
    "limit",
    "union",
    "except",
    "intersect",
    "with",
    "using",
    "returning",
    "case",
    "when",
    "else",
    "end",
];

/// A definition a clause a line, whitespace collapsed: the same query written on one line
/// or on many gives the same lines.
fn clause_lines(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        let lower = word.trim_start_matches('(').to_ascii_lowercase();
        if !out.is_empty() {
            out.push(if CLAUSES.contains(&lower.as_str()) {
                '\n'
            } else {
                ' '
            });
        }
        out.push_str(word);
    }
    out.push('\n');
    out
}

/// `value` against `reference` as a unified diff of their clauses (`-` reference, `+`
/// value, two lines of context), without the file header lines.
pub fn unified(reference: &str, value: &str) -> String {
    let (a, b) = (clause_lines(reference), clause_lines(value));
    let diff = TextDiff::from_lines(&a, &b);
    let mut out = String::new();
    for hunk in diff.unified_diff().context_radius(2).iter_hunks() {
        out.push_str(&hunk.to_string());
    }
    out
}

/// The two values of a finding that differ, for a diff: the reference (the source the
/// finding compares against) and the other, with the sources' names. `None` for a presence
/// difference or values that are not text.
pub fn pair(f: &Finding) -> Option<(&'static str, &str, &'static str, &str)> {
    f.field.as_ref()?;
    let (a, b) = match f.category {
        Category::Ungenerated => (("migrations", &f.snapshot), ("TypeScript", &f.ts)),
        Category::Drift | Category::Pending => (("migrations", &f.snapshot), ("database", &f.live)),
        Category::History | Category::Lint => return None,
    };
    let (Some(x), Some(y)) = (a.1.as_str(), b.1.as_str()) else {
        return None;
    };
    (x != y).then_some((a.0, x, b.0, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_changed_words_are_marked() {
        let parts = words("varchar(64) not null", "varchar(128) not null");
        assert_eq!(
            parts,
            vec![
                (Part::Removed, "varchar(64)".to_string()),
                (Part::Added, "varchar(128)".to_string()),
                (Part::Same, " not null".to_string()),
            ]
        );
        assert_eq!(words("a b", "a b"), vec![(Part::Same, "a b".to_string())]);
    }

    #[test]
    fn a_long_definition_is_a_diff_of_its_clauses() {
        let one_line = "select id, name from users where deleted_at is null and active";
        let many = "select id, name\n  from users\n where deleted_at is null and active = true";
        assert!(is_long(one_line, many));
        let diff = unified(one_line, many);
        // The clauses that are the same are context, not changes.
        assert!(diff.contains(" from users\n"), "{diff}");
        assert!(diff.contains("-and active\n"), "{diff}");
        assert!(diff.contains("+and active = true\n"), "{diff}");
        assert!(diff.starts_with("@@"), "{diff}");
    }
}

#[cfg(test)]
mod report_tests {
    use super::super::{markdown, text, Category, Finding, ObjectKind, Report, Severity};
    use crate::model::Dialect;
    use serde_json::Value;

    fn finding(field: &str, snapshot: &str, live: &str) -> Finding {
        Finding {
            category: Category::Drift,
            severity: Severity::Error,
            object: ObjectKind::View,
            schema: Some("public".into()),
            table: None,
            name: "active_users".into(),
            field: Some(field.into()),
            ts: Value::Null,
            snapshot: Value::String(snapshot.into()),
            live: Value::String(live.into()),
            message: "the view differs".into(),
            fix: None,
            location: None,
            rule: None,
            target: None,
        }
    }

    #[test]
    fn reports_mark_changed_words_and_diff_long_definitions() {
        let mut report = Report::new(
            Dialect::Postgresql,
            vec![
                finding("type", "varchar(64)", "varchar(128)"),
                finding(
                    "definition",
                    "select id, email from users where deleted_at is null",
                    "select id, email from users where deleted_at is null and active",
                ),
            ],
        );
        report.sources.snapshot = Some("drizzle".into());
        report.sources.live = Some("postgres://db".into());
        let t = text::render(&report, text::Palette { color: false });
        assert!(
            t.contains("migrations → database: [-varchar(64)-]{+varchar(128)+}"),
            "{t}"
        );
        // The clause that stayed is context; only the new one is added.
        assert!(t.contains("   where deleted_at is null\n"), "{t}");
        assert!(t.contains("+and active\n"), "{t}");
        assert!(!t.contains("-where"), "{t}");
        let m = markdown::render(&report);
        assert!(
            m.contains("<code><del>varchar(64)</del><ins>varchar(128)</ins></code>"),
            "{m}"
        );
        assert!(m.contains("```diff\n@@"), "{m}");
        assert!(m.contains("+and active\n"), "{m}");
    }
}
