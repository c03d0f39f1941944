//! `why "<db error>"`: read the object out of a pasted error, then say where it exists,
//! which arrow broke and the fix. Text, JSON and the TUI render one `Explanation`.

pub mod explain;
pub mod parse;

pub use explain::{explain, Context, Explanation, Verdict};
pub use parse::{parse, Parsed};

use crate::report::text::Palette;
use anstyle::AnsiColor;
use std::fmt::Write;

/// The message for text no form matched.
pub fn not_understood() -> String {
    let mut s = String::from(
        "no database error about a missing object was found in the text. Understood forms:\n",
    );
    for f in parse::FORMS {
        let _ = writeln!(s, "  {f}");
    }
    s.push_str("(whole log lines, stack traces and SQLSTATE codes around them are fine)");
    s
}

/// One line of the "where it exists" table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: &'static str,
    /// `Some(true)` has it, `Some(false)` lacks it, `None` not read.
    pub present: Option<bool>,
    pub detail: String,
}

/// Where the object exists, source by source, in arrow order.
pub fn rows(e: &Explanation) -> Vec<Row> {
    let mut rows = Vec::new();
    rows.push(match &e.ts {
        None => Row {
            label: "TS schema",
            present: None,
            detail: "not read".into(),
        },
        Some(ts) => Row {
            label: "TS schema",
            present: Some(ts.present),
            detail: match (&ts.location, &ts.property) {
                (Some(l), Some(p)) => format!("{l} (property {p})"),
                (Some(l), None) => l.to_string(),
                _ if ts.present => "declared".into(),
                _ => "not declared".into(),
            },
        },
    });
    let h = &e.history;
    let mut detail = Vec::new();
    if let Some(c) = &h.created_by {
        detail.push(format!("created by {c}"));
    }
    if let Some(c) = &h.changed_by {
        detail.push(format!("last changed by {c}"));
    }
    if let Some(d) = &h.dropped_by {
        detail.push(format!("dropped by {d}"));
    }
    detail.push(format!(
        "latest {}",
        h.latest.as_deref().unwrap_or("(no migrations)")
    ));
    rows.push(Row {
        label: "migrations",
        present: Some(h.present),
        detail: detail.join(", "),
    });
    match &e.live {
        None => rows.push(Row {
            label: "database",
            present: None,
            detail: "not read (--offline)".into(),
        }),
        Some(l) => {
            rows.push(Row {
                label: "applied",
                present: Some(l.in_applied_snapshot),
                detail: match &l.applied {
                    Some(a) => format!("up to {a}"),
                    None => "no migration applied".into(),
                },
            });
            rows.push(Row {
                label: "database",
                present: Some(l.present),
                detail: l.source.clone().unwrap_or_default(),
            });
        }
    }
    rows
}

pub fn render_text(e: &Explanation, p: Palette) -> String {
    let mut out = String::new();
    let verdict_style = match e.verdict {
        Verdict::Drift | Verdict::Ungenerated => AnsiColor::Red.on_default().bold(),
        Verdict::Pending => AnsiColor::Yellow.on_default().bold(),
        Verdict::Dropped | Verdict::Nowhere => AnsiColor::Magenta.on_default().bold(),
        Verdict::InSync | Verdict::NotChecked => AnsiColor::Green.on_default().bold(),
    };
    let _ = writeln!(
        out,
        "{} {}  {}",
        e.object.kind.noun(),
        p.bold(&e.object.display(e.dialect)),
        p.paint(verdict_style, e.verdict.as_str())
    );
    for r in rows(e) {
        let mark = match r.present {
            Some(true) => p.paint(AnsiColor::Green.on_default(), "yes"),
            Some(false) => p.paint(AnsiColor::Red.on_default(), "no "),
            None => p.dim("-  "),
        };
        let _ = writeln!(out, "  {:<11}{mark}  {}", r.label, p.dim(&r.detail));
    }
    if let Some(arrow) = e.arrow() {
        let _ = writeln!(out, "  broken     {arrow}");
    }
    let _ = writeln!(out, "\n{}", e.message);
    if let Some(fix) = &e.fix {
        let _ = writeln!(out, "{} {}", p.bold("fix:"), fix.replace('\n', "\n     "));
    }
    for h in &e.hints {
        let _ = writeln!(out, "{} {h}", p.dim("note:"));
    }
    out
}

pub fn render_json(e: &Explanation) -> String {
    let mut s =
        serde_json::to_string_pretty(e).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
