//! The `why` prompt: a popup over the current screen with the error being typed and, after
//! Enter, where the object exists and which arrow broke.

use super::{block, category_style, fit, scrolled, wrap};
use crate::report::Category;
use crate::tui::app::{State, WhyState};
use crate::tui::theme::Theme;
use crate::why::{self, Explanation, Verdict};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

pub fn render(buf: &mut Buffer, body: Rect, state: &State, w: &WhyState) {
    let area = body;
    Clear.render(area, buf);
    let t = &state.theme;
    block(" why — paste a database error ", true, t).render(area, buf);
    let inner = Rect::new(
        area.x + 2,
        area.y + 1,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    let width = inner.width as usize;
    // The end of a long error stays visible while typing.
    let shown: String = {
        let n = w.input.chars().count();
        let room = width.saturating_sub(8);
        w.input.chars().skip(n.saturating_sub(room)).collect()
    };
    let prompt = Line::from(vec![
        Span::styled("error: ", t.key),
        Span::styled(shown, t.text),
        Span::styled("▏", t.key),
    ]);
    buf.set_line(inner.x, inner.y, &prompt, inner.width);
    let rest = Rect::new(
        inner.x,
        inner.y + 2,
        inner.width,
        inner.height.saturating_sub(2),
    );
    let lines: Vec<Line> = match (&w.result, w.running) {
        (_, true) => vec![Line::styled("reading every snapshot…", t.dim)],
        (None, false) => {
            let mut l = vec![Line::styled("Enter explains it. Understood forms:", t.dim)];
            l.extend(
                why::parse::FORMS
                    .iter()
                    .map(|f| Line::styled(format!("  {f}"), t.dim)),
            );
            l
        }
        (Some(Err(e)), false) => wrap(e, width)
            .into_iter()
            .map(|s| Line::styled(s, t.warning))
            .collect(),
        (Some(Ok(e)), false) => lines(e, t, width),
    };
    scrolled(buf, rest, &lines, w.scroll);
}

fn verdict_style(t: &Theme, v: Verdict) -> ratatui::style::Style {
    match v {
        Verdict::Ungenerated => category_style(t, Category::Ungenerated),
        Verdict::Pending => category_style(t, Category::Pending),
        Verdict::Drift => category_style(t, Category::Drift),
        Verdict::Dropped | Verdict::Nowhere => t.warning,
        Verdict::InSync | Verdict::NotChecked => t.sync,
    }
}

fn lines(e: &Explanation, t: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(vec![
        Span::styled(format!("{} ", e.object.kind.noun()), t.text),
        Span::styled(e.object.display(e.dialect), t.title),
        Span::raw("  "),
        Span::styled(e.verdict.as_str(), verdict_style(t, e.verdict)),
    ])];
    for r in why::rows(e) {
        let (mark, style) = match r.present {
            Some(true) => ("yes", t.added),
            Some(false) => ("no ", t.missing),
            None => ("-  ", t.dim),
        };
        out.push(Line::from(vec![
            Span::styled(format!("  {:<11}", r.label), t.text),
            Span::styled(mark, style),
            Span::styled(
                fit(&format!("  {}", r.detail), width.saturating_sub(16)),
                t.dim,
            ),
        ]));
    }
    if let Some(arrow) = e.arrow() {
        out.push(Line::from(vec![
            Span::styled("  broken     ", t.text),
            Span::styled(arrow, verdict_style(t, e.verdict)),
        ]));
    }
    out.push(Line::raw(""));
    out.extend(
        wrap(&e.message, width)
            .into_iter()
            .map(|s| Line::styled(s, t.text)),
    );
    if let Some(fix) = &e.fix {
        for (i, s) in wrap(fix, width.saturating_sub(5)).into_iter().enumerate() {
            out.push(Line::from(vec![
                Span::styled(if i == 0 { "fix: " } else { "     " }, t.key),
                Span::styled(s, t.text),
            ]));
        }
    }
    for h in &e.hints {
        for (i, s) in wrap(h, width.saturating_sub(6)).into_iter().enumerate() {
            out.push(Line::from(vec![
                Span::styled(if i == 0 { "note: " } else { "      " }, t.dim),
                Span::styled(s, t.dim),
            ]));
        }
    }
    out
}
