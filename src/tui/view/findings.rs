//! Every finding, grouped by category; the selected one's message and fix below.

use super::{block, category_style, pad, scrolled, wrap};
use crate::report::{Finding, ObjectKind, Severity};
use crate::tui::app::State;
use crate::tui::data::FindingLine;
use crate::tui::layout;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

const INFO_HEIGHT: u16 = 8;

fn split(body: Rect) -> (Rect, Rect) {
    layout::list_over_info(body, INFO_HEIGHT.min(body.height / 2))
}

pub fn list_rect(body: Rect) -> Rect {
    layout::inner(split(body).0)
}

pub fn list_height(body: Rect) -> usize {
    list_rect(body).height as usize
}

/// `users.nickname`, `index x on users`, `migration 0003_x`.
pub fn subject(f: &Finding) -> String {
    let table = f.table.as_ref().map(|t| match f.schema.as_deref() {
        Some(s) if !s.is_empty() && s != "public" => format!("{s}.{t}"),
        _ => t.clone(),
    });
    match (f.object, table) {
        (ObjectKind::Table, Some(t)) => format!("table {t}"),
        (ObjectKind::Column, Some(t)) => format!("{t}.{}", f.name),
        (kind, Some(t)) => format!("{} {} on {t}", kind.noun(), f.name),
        (kind, None) => format!("{} {}", kind.noun(), f.name),
    }
}

pub fn render(buf: &mut Buffer, body: Rect, state: &State) {
    let t = &state.theme;
    let (list, info) = split(body);
    let Some(data) = &state.data else {
        block(" Findings ", true, t).render(list, buf);
        buf.set_stringn(list.x + 2, list.y + 1, "loading…", 20, t.dim);
        return;
    };
    let r = &data.report;
    let title = format!(
        " Findings {} · {} errors, {} warnings, {} info ",
        r.findings.len(),
        r.summary.error,
        r.summary.warning,
        r.summary.info
    );
    block(title, true, t).render(list, buf);
    let rows = list_rect(body);
    let w = rows.width as usize;
    if data.finding_lines.is_empty() {
        let (text, style) = if state.live == crate::tui::app::SourceStatus::Loading {
            ("no findings yet".to_string(), t.sync)
        } else if !r.incomplete.is_empty() {
            (
                format!(
                    "no findings in what was read; incomplete: {}",
                    r.incomplete
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" · ")
                ),
                t.error,
            )
        } else {
            ("no findings: the loaded sources agree".to_string(), t.sync)
        };
        for (i, line) in super::wrap(&text, w.saturating_sub(1))
            .into_iter()
            .take(rows.height as usize)
            .enumerate()
        {
            buf.set_stringn(rows.x + 1, rows.y + i as u16, line, w, style);
        }
    }
    let c = &state.findings;
    for (i, line) in data
        .finding_lines
        .iter()
        .enumerate()
        .skip(c.offset)
        .take(rows.height as usize)
    {
        let y = rows.y + (i - c.offset) as u16;
        let l = match line {
            FindingLine::Header(cat, n) => Line::from(vec![Span::styled(
                format!("{} ({n})", cat.as_str()),
                category_style(t, *cat).add_modifier(ratatui::style::Modifier::BOLD),
            )]),
            FindingLine::Item(fi) => {
                let Some(f) = r.findings.get(*fi) else {
                    continue;
                };
                let sev = match f.severity {
                    Severity::Error => t.error,
                    Severity::Warning => t.warning,
                    Severity::Info => t.info,
                };
                let subj_w = (w / 3).clamp(12, 40);
                Line::from(vec![
                    Span::raw(if i == c.selected { " >" } else { "  " }),
                    Span::styled(pad(f.severity.as_str(), 8), sev),
                    Span::raw(pad(&subject(f), subj_w)),
                    Span::raw(" "),
                    Span::raw(f.message.clone()),
                ])
            }
        };
        buf.set_line(rows.x, y, &l, rows.width);
        if i == c.selected && matches!(line, FindingLine::Item(_)) {
            buf.set_style(Rect::new(rows.x, y, rows.width, 1), t.selected);
        }
    }
    block(" Selected ", false, t).render(info, buf);
    let inner = layout::inner(info);
    let Some(FindingLine::Item(fi)) = data.finding_lines.get(c.selected) else {
        return;
    };
    let Some(f) = r.findings.get(*fi) else {
        return;
    };
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for l in wrap(&f.message, width) {
        lines.push(Line::raw(l));
    }
    if let Some(fix) = &f.fix {
        let mut first = true;
        for raw in fix.lines() {
            for l in wrap(raw, width.saturating_sub(5)) {
                lines.push(Line::from(vec![
                    Span::styled(if first { "fix: " } else { "     " }, t.key),
                    Span::raw(l),
                ]));
                first = false;
            }
        }
    }
    scrolled(buf, inner, &lines, 0);
}
