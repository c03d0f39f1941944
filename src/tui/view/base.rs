//! The Migrations screen with `--base REF`: the base's migrations and this branch's side
//! by side, row by row by position (a shared history lines up, and so do two migrations
//! with the same index), marked from the comparison `check --base` reports, with the
//! selected row's findings and their fix below.

use super::migrations::{finding_block, split, state_style, when_text};
use super::{block, pad, scrolled, wrap};
use crate::diff::base::Base;
use crate::report::{Finding, MigrationEntry, ObjectKind, Severity};
use crate::sources::history::Migration;
use crate::tui::app::State;
use crate::tui::data::Data;
use crate::tui::layout;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Where one migration stands against the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Both sides have it.
    Shared,
    /// Only this side has it.
    New,
    /// Only the branch has it, and it was generated from a snapshot that is no longer the
    /// base's newest.
    Stale,
}

impl Standing {
    fn word(self) -> &'static str {
        match self {
            Standing::Shared => "shared",
            Standing::New => "new",
            Standing::Stale => "stale",
        }
    }
}

/// One side of a row.
struct Cell<'a> {
    tag: &'a str,
    standing: Standing,
    /// Uses the same index (0.x) or folder (1.0) as a new migration of the other side.
    collides: bool,
}

fn base_cell(base: &Base, i: usize) -> Option<Cell<'_>> {
    let m: &Migration = base.history.migrations.get(i)?;
    let c = &base.comparison;
    Some(Cell {
        tag: &m.tag,
        standing: if c.base_new.contains(&i) {
            Standing::New
        } else {
            Standing::Shared
        },
        collides: c.collisions.iter().any(|(_, with)| with.contains(&i)),
    })
}

/// This branch's side: the report's entry (a migration only the database has is no
/// local migration: it is shown, unmarked).
fn branch_cell<'a>(
    data: &'a Data,
    base: &Base,
    i: usize,
) -> Option<(Cell<'a>, &'a MigrationEntry)> {
    let entry = data.report.migrations.get(i)?;
    let local = data
        .history
        .as_ref()
        .is_some_and(|h| i < h.migrations.len());
    let c = &base.comparison;
    let standing = if !local || !c.branch_new.contains(&i) {
        Standing::Shared
    } else if c.stale.contains(&i) {
        Standing::Stale
    } else {
        Standing::New
    };
    let cell = Cell {
        tag: &entry.tag,
        standing,
        collides: local && c.collisions.iter().any(|(b, _)| *b == i),
    };
    Some((cell, entry))
}

/// The comparison's findings about `tag` (its own migration findings).
fn findings_about<'a>(base: &'a Base, tag: &str) -> impl Iterator<Item = &'a Finding> {
    let tag = tag.to_string();
    base.comparison
        .findings
        .iter()
        .filter(move |f| f.object == ObjectKind::Migration && f.name == tag)
}

fn severity_style(t: &Theme, s: Severity) -> Style {
    match s {
        Severity::Error => t.error,
        Severity::Warning => t.warning,
        Severity::Info => t.info,
    }
}

fn standing_style(t: &Theme, base: &Base, cell: &Cell) -> Style {
    match cell.standing {
        Standing::Shared => t.dim,
        Standing::New => t.added,
        // As severe as what `check --base` says about it.
        Standing::Stale => findings_about(base, cell.tag)
            .map(|f| f.severity)
            .max()
            .map_or(t.warning, |s| severity_style(t, s)),
    }
}

/// `word × tag` in `width` cells.
fn cell_spans(t: &Theme, base: &Base, cell: &Cell, width: usize) -> Vec<Span<'static>> {
    let tag_style = if cell.collides { t.error } else { t.text };
    vec![
        Span::styled(pad(cell.standing.word(), 7), standing_style(t, base, cell)),
        Span::raw(" "),
        Span::styled(if cell.collides { "×" } else { " " }, t.error),
        Span::raw(" "),
        Span::styled(pad(cell.tag, width.saturating_sub(10)), tag_style),
    ]
}

pub fn render(buf: &mut Buffer, body: Rect, state: &State, data: &Data, base: &Base) {
    let t = &state.theme;
    let count = super::migrations::row_count(data);
    let (list, info) = split(body, Some(count));
    let rev = &base.rev;
    let title = format!(
        " Migrations · {rev} {} · this branch {} ",
        base.history.migrations.len(),
        data.report.migrations.len(),
    );
    block(title, true, t).render(list, buf);
    let inner = layout::inner(list);
    let w = inner.width as usize;
    // Cursor and base cell | divider | branch cell.
    let left = w.saturating_sub(1) / 2;
    let right = w.saturating_sub(left + 1);
    // The branch's database state and journal time, when there is room for them.
    let state_col = right >= 40;
    let when_col = right >= 66;
    let tag_room = right
        .saturating_sub(1 + 10)
        .saturating_sub(if state_col { 9 } else { 0 })
        .saturating_sub(if when_col { 21 } else { 0 });
    let mut mine = pad(" this branch", 11 + tag_room);
    if state_col {
        mine.push_str(" state   ");
    }
    if when_col {
        mine.push_str(" when");
    }
    let header = Line::from(vec![
        Span::styled(pad(&format!(" {rev} (base)"), left), t.header),
        Span::styled("│", t.border),
        Span::styled(mine, t.header),
    ]);
    buf.set_line(inner.x, inner.y, &header, inner.width);

    let rows = super::migrations::list_rect(body, data);
    let c = &state.migrations;
    for i in (c.offset..count).take(rows.height as usize) {
        let y = rows.y + (i - c.offset) as u16;
        let selected = i == c.selected;
        let mut spans = vec![Span::raw(if selected { ">" } else { " " })];
        match base_cell(base, i) {
            Some(cell) => spans.extend(cell_spans(t, base, &cell, left.saturating_sub(1))),
            None => spans.push(Span::raw(" ".repeat(left.saturating_sub(1)))),
        }
        spans.push(Span::styled("│", t.border));
        spans.push(Span::raw(" "));
        if let Some((cell, entry)) = branch_cell(data, base, i) {
            spans.extend(cell_spans(t, base, &cell, 10 + tag_room));
            if state_col {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    pad(entry.state.as_str(), 8),
                    state_style(t, entry.state),
                ));
            }
            if when_col {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    entry.when.map(when_text).unwrap_or_default(),
                    t.dim,
                ));
            }
        }
        buf.set_line(rows.x, y, &Line::from(spans), rows.width);
        if selected {
            buf.set_style(Rect::new(rows.x, y, rows.width, 1), t.selected);
        }
    }
    if count == 0 {
        buf.set_stringn(rows.x + 1, rows.y, "no migrations on either side", w, t.dim);
    }
    legend(
        buf,
        Rect::new(inner.x, rows.y + rows.height, inner.width, 1),
        t,
        rev,
    );

    block(" Selected ", false, t).render(info, buf);
    let info_inner = layout::inner(info);
    let lines = selected_lines(t, data, base, c.selected, info_inner.width as usize);
    scrolled(buf, info_inner, &lines, 0);
}

fn legend(buf: &mut Buffer, area: Rect, t: &Theme, rev: &str) {
    let mut spans = vec![Span::raw(" ")];
    for (word, style, text) in [
        ("shared", t.dim, " in both  "),
        ("new", t.added, " one side only  "),
        ("stale", t.warning, &*format!(" not from {rev}'s newest  ")),
        ("×", t.error, " same index on both sides"),
    ] {
        spans.push(Span::styled(word.to_string(), style));
        spans.push(Span::styled(text.to_string(), t.dim));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

fn describe(cell: &Cell, side: &str, rev: &str) -> String {
    let mut s = match cell.standing {
        Standing::Shared => "in both".to_string(),
        Standing::New => format!("only in {side}"),
        Standing::Stale => {
            format!("only in {side}, generated from a snapshot that is no longer {rev}'s newest")
        }
    };
    if cell.collides {
        s.push_str("; its index is used on both sides");
    }
    s
}

/// Both sides of the selected row, what to do about them and why (the findings), then the
/// findings about the merge as a whole (the journal, objects changed on both sides).
fn selected_lines(
    t: &Theme,
    data: &Data,
    base: &Base,
    row: usize,
    width: usize,
) -> Vec<Line<'static>> {
    let rev = &base.rev;
    let label_w = rev.chars().count().max("this branch".len()) + 2;
    let mut out = Vec::new();
    let mut tags = Vec::new();
    let mut side = |label: &str, cell: &Cell, state: Option<&MigrationEntry>| {
        let mut spans = vec![
            Span::styled(pad(label, label_w), t.dim),
            Span::styled(cell.tag.to_string(), t.title),
        ];
        if let Some(e) = state {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(e.state.as_str(), state_style(t, e.state)));
        }
        let before: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let words = describe(cell, if state.is_some() { "this branch" } else { rev }, rev);
        let mut rest = wrap(&words, width.saturating_sub(label_w)).into_iter();
        match rest.next() {
            Some(first) if before + 2 + first.chars().count() <= width => {
                spans.push(Span::styled(format!("  {first}"), t.dim));
                out.push(Line::from(spans));
            }
            Some(first) => {
                out.push(Line::from(spans));
                out.push(Line::styled(
                    format!("{}{first}", " ".repeat(label_w)),
                    t.dim,
                ));
            }
            None => out.push(Line::from(spans)),
        }
        for l in rest {
            out.push(Line::styled(format!("{}{l}", " ".repeat(label_w)), t.dim));
        }
        tags.push(cell.tag.to_string());
    };
    if let Some(cell) = base_cell(base, row) {
        side(rev, &cell, None);
    }
    if let Some((cell, entry)) = branch_cell(data, base, row) {
        side("this branch", &cell, Some(entry));
    }
    let about_row: Vec<&Finding> = base
        .comparison
        .findings
        .iter()
        .filter(|f| f.object == ObjectKind::Migration && tags.contains(&f.name))
        .collect();
    findings(t, &about_row, width, &mut out);
    let about_tags: Vec<&str> = base
        .history
        .migrations
        .iter()
        .map(|m| m.tag.as_str())
        .chain(data.report.migrations.iter().map(|m| m.tag.as_str()))
        .collect();
    let merge: Vec<&Finding> = base
        .comparison
        .findings
        .iter()
        .filter(|f| !(f.object == ObjectKind::Migration && about_tags.contains(&f.name.as_str())))
        .collect();
    if !merge.is_empty() {
        out.push(Line::styled(
            format!("merging into {rev} ({})", merge.len()),
            t.header,
        ));
        findings(t, &merge, width, &mut out);
    }
    if base.comparison.findings.is_empty() {
        let text = format!(
            "nothing to fix before merging into {rev}: this branch's migrations follow its newest"
        );
        for l in wrap(&text, width) {
            out.push(Line::styled(l, t.sync));
        }
    }
    out
}

/// The fixes first (each once: findings about one migration share theirs), then each
/// finding's message.
fn findings(t: &Theme, fs: &[&Finding], width: usize, out: &mut Vec<Line<'static>>) {
    let mut fixes: Vec<&str> = Vec::new();
    for fix in fs.iter().filter_map(|f| f.fix.as_deref()) {
        if !fixes.contains(&fix) {
            fixes.push(fix);
        }
    }
    for fix in fixes {
        for (i, l) in wrap(fix, width.saturating_sub(5)).into_iter().enumerate() {
            let lead = if i == 0 { "fix: " } else { "     " };
            out.push(Line::from(vec![Span::styled(lead, t.key), Span::raw(l)]));
        }
    }
    for f in fs {
        let message = Finding {
            fix: None,
            ..(*f).clone()
        };
        out.extend(finding_block(t, &message, &finding_text(f), width));
    }
}

fn finding_text(f: &Finding) -> String {
    format!("{} {}", f.severity.as_str(), f.message)
}
