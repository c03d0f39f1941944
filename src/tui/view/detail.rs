//! One column, index or constraint in the three sources: every attribute side by side,
//! the findings about it with their fixes, and where each source declared it.

use super::{block, category_style, fit, pad, scrolled, wrap};
use crate::report::word_diff::{self, Part};
use crate::report::Severity;
use crate::tui::app::{DetailState, State};
use crate::tui::data::{CellValue, Data, Detail, Side};
use crate::tui::keymap::Action;
use crate::tui::layout;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub fn render(buf: &mut Buffer, body: Rect, state: &State) {
    let (Some(d), Some(data)) = (&state.detail, &state.data) else {
        return;
    };
    let title = format!(" {} {} ", d.detail.key.kind.noun(), d.detail.label);
    block(title, true, &state.theme).render(body, buf);
    let inner = layout::inner(body);
    let lines = lines(state, data, d, inner.width as usize);
    scrolled(buf, inner, &lines, d.scroll);
}

const ATTR_W: usize = 14;

pub fn lines(state: &State, data: &Data, d: &DetailState, width: usize) -> Vec<Line<'static>> {
    let t = &state.theme;
    let det = &d.detail;
    let col_w = (width.saturating_sub(ATTR_W + 1) / 3).max(8);
    let mut out: Vec<Line<'static>> = Vec::new();
    out.push(Line::from(vec![
        Span::styled(format!("{} {}", det.key.kind.noun(), det.label), t.title),
        Span::styled(format!(" on table {}", det.table), t.dim),
    ]));
    out.push(Line::raw(""));
    let mut header = vec![Span::raw(pad("", ATTR_W + 1))];
    for side in Side::ALL {
        header.push(Span::styled(pad(side.title(), col_w), t.header));
    }
    out.push(Line::from(header));

    let cell = |v: &CellValue, differs: bool| -> Span<'static> {
        let w = col_w.saturating_sub(1);
        match v {
            CellValue::NotLoaded => Span::styled(pad("not loaded", col_w), t.dim),
            CellValue::Absent => Span::styled(pad("- absent", w) + " ", t.missing),
            CellValue::Present(s) if differs => {
                Span::styled(pad(&format!("~ {s}"), w) + " ", t.differs)
            }
            CellValue::Present(s) => Span::raw(pad(&format!("  {s}"), w) + " "),
        }
    };
    let mut row = vec![Span::styled(pad("present", ATTR_W + 1), t.dim)];
    let any_absent = det.presence.contains(&CellValue::Absent);
    for p in &det.presence {
        row.push(match p {
            CellValue::Present(_) if any_absent => Span::styled(pad("+ yes", col_w), t.added),
            CellValue::Present(_) => Span::raw(pad("  yes", col_w)),
            other => cell(other, false),
        });
    }
    out.push(Line::from(row));
    let mut long: Vec<Line<'static>> = Vec::new();
    for a in &det.attributes {
        let mut row = vec![Span::raw(pad(a.name, ATTR_W + 1))];
        for (side, v) in Side::ALL.into_iter().zip(&a.values) {
            row.push(cell(v, a.differs));
            if let CellValue::Present(s) = v {
                if a.differs && s.chars().count() + 2 > col_w.saturating_sub(1) {
                    for (i, l) in wrap(s, width.saturating_sub(6)).into_iter().enumerate() {
                        let head = if i == 0 {
                            format!("  {} in {}: ", a.name, side.title())
                        } else {
                            "    ".to_string()
                        };
                        long.push(Line::from(vec![
                            Span::styled(head, t.dim),
                            Span::styled(l, t.differs),
                        ]));
                    }
                }
            }
        }
        out.push(Line::from(row));
    }
    if !long.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled("values in full", t.header));
        out.extend(long);
    }
    if let Some(reference) = data.reference() {
        let changes = changed_words(state, det, reference, width);
        if !changes.is_empty() {
            out.push(Line::raw(""));
            out.push(Line::styled(
                format!(
                    "changed words vs {} ([-removed-] {{+added+}})",
                    reference.title()
                ),
                t.header,
            ));
            out.extend(changes);
        }
    }

    out.push(Line::raw(""));
    out.push(Line::styled(
        format!("findings ({})", det.findings.len()),
        t.header,
    ));
    if det.findings.is_empty() {
        out.push(Line::styled("  none: the loaded sources agree", t.dim));
    }
    for &i in &det.findings {
        let Some(f) = data.report.findings.get(i) else {
            continue;
        };
        let sev = match f.severity {
            Severity::Error => t.error,
            Severity::Warning => t.warning,
            Severity::Info => t.info,
        };
        let head = format!(
            "  {} {} ",
            pad(f.category.as_str(), 11),
            pad(f.severity.as_str(), 7)
        );
        let indent = head.chars().count();
        for (j, l) in wrap(&f.message, width.saturating_sub(indent))
            .into_iter()
            .enumerate()
        {
            if j == 0 {
                out.push(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(pad(f.category.as_str(), 11), category_style(t, f.category)),
                    Span::raw(" "),
                    Span::styled(pad(f.severity.as_str(), 7), sev),
                    Span::raw(" "),
                    Span::raw(l),
                ]));
            } else {
                out.push(Line::raw(format!("{}{l}", " ".repeat(indent))));
            }
        }
        if let Some(lineage) = crate::diff::lineage::lineage_text(f) {
            // Which migration made the difference, where to look.
            out.push(Line::from(vec![
                Span::raw(" ".repeat(indent)),
                Span::styled("lineage: ", t.key),
                Span::raw(fit(&lineage, width.saturating_sub(indent + 9))),
            ]));
        }
        if let Some(fix) = &f.fix {
            let mut first = true;
            for raw in fix.lines() {
                for l in wrap(raw, width.saturating_sub(indent + 5)) {
                    let lead = if first { "fix: " } else { "     " };
                    first = false;
                    out.push(Line::from(vec![
                        Span::raw(" ".repeat(indent)),
                        Span::styled(lead, t.key),
                        Span::raw(l),
                    ]));
                }
            }
        }
    }

    out.push(Line::raw(""));
    out.push(Line::styled("origin", t.header));
    for side in Side::ALL {
        let text = match (&det.origins[side.index()], &det.presence[side.index()]) {
            (Some((o, true)), _) => data.origin_text(o),
            (Some((o, false)), _) => format!("{} (its table)", data.origin_text(o)),
            (None, CellValue::NotLoaded) => "not loaded".into(),
            (None, CellValue::Absent) => "absent".into(),
            (None, CellValue::Present(_)) if side == Side::Live => "the database catalog".into(),
            (None, CellValue::Present(_)) => "no file recorded".into(),
        };
        out.push(Line::from(vec![
            Span::styled(pad(&format!("  {}", side.title()), ATTR_W + 1), t.dim),
            Span::raw(fit(&text, width.saturating_sub(ATTR_W + 1))),
        ]));
    }
    if det.origins[..2].iter().any(Option::is_some) {
        if let Some(k) = state.keymap.keys(Action::Edit).next() {
            out.push(Line::styled(format!("  {k} opens it in $EDITOR"), t.dim));
        }
    }
    out
}

/// Each differing attribute of each source against the reference source, the changed words
/// marked in git's word-diff notation (readable without color) and colored, wrapped to
/// `width`.
fn changed_words(state: &State, det: &Detail, reference: Side, width: usize) -> Vec<Line<'static>> {
    let t = &state.theme;
    let mut out = Vec::new();
    for a in det.attributes.iter().filter(|a| a.differs) {
        let CellValue::Present(base) = &a.values[reference.index()] else {
            continue;
        };
        for side in Side::ALL.into_iter().filter(|&s| s != reference) {
            let CellValue::Present(value) = &a.values[side.index()] else {
                continue;
            };
            if value == base {
                continue;
            }
            if word_diff::is_long(base, value) {
                out.push(Line::from(Span::styled(
                    format!("  {} in {}:", a.name, side.title()),
                    t.dim,
                )));
                for line in word_diff::unified(base, value).lines() {
                    let style = match line.chars().next() {
                        Some('-') => t.missing,
                        Some('+') => t.added,
                        _ => t.dim,
                    };
                    let spans = vec![Span::styled(format!("    {line}"), style)];
                    out.extend(wrap_spans(spans, width.max(20)));
                }
                continue;
            }
            let mut spans = vec![Span::styled(
                format!("  {} in {}: ", a.name, side.title()),
                t.dim,
            )];
            for (part, text) in word_diff::words(base, value) {
                spans.push(match part {
                    Part::Same => Span::raw(text),
                    Part::Removed => Span::styled(format!("[-{text}-]"), t.missing),
                    Part::Added => Span::styled(format!("{{+{text}+}}"), t.added),
                });
            }
            out.extend(wrap_spans(spans, width.max(20)));
        }
    }
    out
}

/// Break a line of spans into lines of at most `width` characters, continuing indented.
fn wrap_spans(spans: Vec<Span<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut line: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in spans {
        let mut rest: Vec<char> = span.content.chars().collect();
        while !rest.is_empty() {
            let room = width - used;
            let take = rest.len().min(room);
            let piece: String = rest.drain(..take).collect();
            used += take;
            line.push(Span::styled(piece, span.style));
            if used == width {
                lines.push(Line::from(std::mem::take(&mut line)));
                line.push(Span::raw("    "));
                used = 4;
            }
        }
    }
    if used > 4 || lines.is_empty() {
        lines.push(Line::from(line));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_spans_keep_their_styles_and_indent_the_rest() {
        let style = ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let lines = wrap_spans(
            vec![Span::raw("abcdefgh"), Span::styled("ijklmnopqrst", style)],
            10,
        );
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(text, ["abcdefghij", "    klmnop", "    qrst"]);
        assert_eq!(lines[1].spans[1].style, style);
    }
}
