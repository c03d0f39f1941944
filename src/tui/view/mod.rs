//! Drawing: a pure function of the state. Nothing here changes the state or does I/O.

pub mod base;
pub mod detail;
pub mod findings;
pub mod help;
pub mod migrations;
pub mod tables;
pub mod targets;
pub mod why;

use super::app::{Focus, Screen, SourceStatus, State};
use super::data::{category_index, CATEGORY_ORDER};
use super::keymap::Action;
use super::layout;
use super::theme::Theme;
use crate::report::Category;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};
use ratatui::Frame;

pub fn render(frame: &mut Frame, state: &State) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    if layout::too_small(area) {
        too_small(buf, area, &state.theme);
        return;
    }
    let f = layout::frame(area);
    tabs(buf, f.tabs, state);
    summary(buf, f.summary, state);
    match state.screen {
        Screen::Tables => tables::render(buf, f.body, state),
        Screen::Detail => detail::render(buf, f.body, state),
        Screen::Migrations => migrations::render_list(buf, f.body, state),
        Screen::Migration => migrations::render_detail(buf, f.body, state),
        Screen::Findings => findings::render(buf, f.body, state),
        Screen::Help => help::render(buf, f.body, state),
        Screen::Targets => targets::render(buf, f.body, state),
    }
    status_bar(buf, f.status, state);
    if let Some(w) = &state.why {
        why::render(buf, f.body, state, w);
    }
}

fn too_small(buf: &mut Buffer, area: Rect, theme: &Theme) {
    let lines = vec![
        Line::styled("terminal too small", theme.title),
        Line::raw(format!(
            "{}×{} — needs at least {}×{}",
            area.width,
            area.height,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        )),
        Line::styled("enlarge the window, or press q to quit", theme.dim),
    ];
    let y = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    let r = Rect::new(
        area.x,
        y,
        area.width,
        area.height.saturating_sub(y - area.y),
    );
    Paragraph::new(lines)
        .centered()
        .wrap(Wrap { trim: true })
        .render(r, buf);
}

/// Cut `s` to `width` characters, ending with `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(width - 1).collect();
    out.push('…');
    out
}

/// `s` cut or padded to exactly `width` characters.
pub fn pad(s: &str, width: usize) -> String {
    let f = fit(s, width);
    let n = f.chars().count();
    format!("{f}{}", " ".repeat(width.saturating_sub(n)))
}

/// Split `text` into lines of at most `width` characters, at spaces when possible.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    for raw in text.lines() {
        let mut line = String::new();
        for word in raw.split(' ') {
            let wl = word.chars().count();
            let ll = line.chars().count();
            if ll > 0 && ll + 1 + wl > width {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            let mut w = word.to_string();
            while w.chars().count() > width {
                let head: String = w.chars().take(width).collect();
                let rest: String = w.chars().skip(width).collect();
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                out.push(head);
                w = rest;
            }
            line.push_str(&w);
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

pub fn block<'a>(title: impl Into<Line<'a>>, focused: bool, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        })
        .title(title.into())
        .title_style(theme.title)
}

/// Draw `lines` from `scroll` (clamped so the last page stays full) inside `area`.
pub fn scrolled(buf: &mut Buffer, area: Rect, lines: &[Line], scroll: usize) {
    let height = area.height as usize;
    let start = scroll.min(lines.len().saturating_sub(height));
    for (i, line) in lines.iter().skip(start).take(height).enumerate() {
        buf.set_line(area.x, area.y + i as u16, line, area.width);
    }
}

pub fn category_style(theme: &Theme, c: Category) -> Style {
    match c {
        Category::Drift => theme.drift,
        Category::Ungenerated => theme.ungenerated,
        Category::Pending => theme.pending,
        Category::History => theme.history,
        Category::Lint => theme.lint,
    }
}

fn tabs(buf: &mut Buffer, area: Rect, state: &State) {
    let t = &state.theme;
    let current = match state.screen {
        Screen::Tables | Screen::Detail => Action::Tables,
        Screen::Migrations | Screen::Migration => Action::Migrations,
        Screen::Findings => Action::Findings,
        Screen::Help => Action::Help,
        Screen::Targets => Action::Targets,
    };
    let mut right_edge = 0;
    for (a, label, start, end) in layout::screen_tabs(&state.keymap, state.fleet.is_some()) {
        if end > area.width {
            break;
        }
        let style = if a == current { t.tab_active } else { t.tab };
        buf.set_string(area.x + start, area.y, format!(" {label} "), style);
        right_edge = end;
    }
    // The database, right-aligned: what this whole screen is about.
    let db = match (&state.data, &state.fleet) {
        // `3 targets (2 read)`
        (Some(d), Some(f)) => format!(
            "{} · {}",
            d.report.dialect,
            f.report.sources.live.as_deref().unwrap_or("targets")
        ),
        (Some(d), None) => format!(
            "{} · {}",
            d.report.dialect,
            match (&d.report.sources.live, &d.live_error) {
                (Some(l), _) => l.clone(),
                (None, Some(_)) => "database error".into(),
                (None, None) => "no database".into(),
            }
        ),
        (None, _) => "drizzle-drift".into(),
    };
    let room = area.width.saturating_sub(right_edge + 2) as usize;
    // Several databases: `3 targets (2 read)` matters more than the dialect.
    let db = match (&state.fleet, db.chars().count() > room) {
        (Some(f), true) => f.report.sources.live.clone().unwrap_or(db),
        _ => db,
    };
    let db = fit(&db, room);
    let x = area.width.saturating_sub(db.chars().count() as u16 + 1);
    buf.set_string(area.x + x, area.y, db, t.title);
}

fn source_text(status: &SourceStatus) -> String {
    match status {
        SourceStatus::Waiting => "waiting".into(),
        SourceStatus::Loading => "loading…".into(),
        SourceStatus::Ready(s) => s.clone(),
        SourceStatus::Failed(e) => format!("error: {e}"),
        SourceStatus::Off(why) => why.clone(),
    }
}

fn summary(buf: &mut Buffer, area: Rect, state: &State) {
    let t = &state.theme;
    let mut spans: Vec<Span> = Vec::new();
    let sep = || Span::styled(" · ", t.dim);
    match &state.data {
        Some(d) => {
            let r = &d.report;
            if let Some(target) = state.current_target() {
                spans.push(Span::styled(format!("{}: ", target.name), t.title));
                if target.state != crate::report::TargetState::Ok {
                    spans.push(Span::styled(target.state.as_str(), t.error));
                    spans.push(sep());
                }
            }
            let applied = match (&d.live, &d.live_error) {
                (None, None) if state.fleet.is_some() => "unknown (not read)".into(),
                (Some(_), _) => r.sources.applied.clone().unwrap_or_else(|| "none".into()),
                (None, Some(_)) => "unknown (the database could not be read)".into(),
                (None, None) => "unknown (no database read)".into(),
            };
            spans.push(Span::raw(format!("applied {applied}")));
            spans.push(sep());
            spans.push(Span::raw(format!(
                "latest {}",
                r.sources.latest.as_deref().unwrap_or("none")
            )));
            spans.push(Span::styled(" │ ", t.dim));
            let mut counts = [0usize; 5];
            for f in &r.findings {
                counts[category_index(f.category)] += 1;
            }
            let mut any = false;
            for c in CATEGORY_ORDER {
                let n = counts[category_index(c)];
                if n == 0 {
                    continue;
                }
                if any {
                    spans.push(sep());
                }
                any = true;
                spans.push(Span::styled(
                    format!("{} {n}", c.as_str()),
                    category_style(t, c),
                ));
            }
            if !r.incomplete.is_empty() {
                if any {
                    spans.push(sep());
                }
                any = true;
                spans.push(Span::styled(
                    format!("incomplete {}", r.incomplete.len()),
                    t.error,
                ));
            }
            if !any {
                spans.push(Span::styled("in sync", t.sync));
            }
            if state.loading() {
                spans.push(sep());
                spans.push(Span::styled("reloading…", t.dim));
            }
        }
        None => {
            spans.push(Span::raw("TypeScript: not loaded"));
            spans.push(sep());
            spans.push(Span::raw(format!(
                "Snapshot: {}",
                source_text(&state.snapshot)
            )));
            spans.push(sep());
            spans.push(Span::raw(format!("Live: {}", source_text(&state.live))));
        }
    }
    buf.set_line(
        area.x + 1,
        area.y,
        &Line::from(spans),
        area.width.saturating_sub(1),
    );
}

/// The actions whose hints the status bar shows for the current screen and focus.
pub fn hint_actions(state: &State) -> Vec<Action> {
    use Action::*;
    let several = state.fleet.is_some();
    let hints: &[Action] = match state.screen {
        Screen::Tables if several => match state.tables.focus {
            Focus::List => &[
                Enter,
                NextTarget,
                Targets,
                Filter,
                NextFinding,
                Why,
                Help,
                Quit,
            ],
            Focus::Pane(_) => &[Enter, Back, NextPane, NextTarget, NextFinding, Help, Quit],
        },
        Screen::Tables => match state.tables.focus {
            Focus::List => &[Enter, Filter, Sort, NextFinding, NextPane, Why, Help, Quit],
            Focus::Pane(_) => &[Enter, Back, NextPane, NextFinding, Edit, Help, Quit],
        },
        Screen::Targets if several => &[Enter, Down, Back, Help, Quit],
        Screen::Targets => &[Back, Help, Quit],
        Screen::Detail => &[PageDown, Edit, Back, NextFinding, Help, Quit],
        Screen::Migrations => &[Enter, Down, Reload, Help, Quit],
        Screen::Migration => &[PageDown, Back, Help, Quit],
        Screen::Findings => &[Enter, NextFinding, Back, Help, Quit],
        Screen::Help => &[PageDown, Back, Quit],
    };
    hints.to_vec()
}

fn status_bar(buf: &mut Buffer, area: Rect, state: &State) {
    let t = &state.theme;
    let line = if state.why.is_some() {
        Line::from(vec![
            Span::styled(" why: ", t.key),
            Span::styled(
                "type or paste a database error · Enter explain · ↑↓ PgUp PgDn scroll · Ctrl-u clear · Esc close",
                t.dim,
            ),
        ])
    } else if state.screen == Screen::Tables && state.tables.editing {
        Line::from(vec![
            Span::styled(" filter: ", t.key),
            Span::raw(state.tables.filter.clone()),
            Span::styled("▏", t.key),
            Span::styled("  Enter keep · Esc clear", t.dim),
        ])
    } else if let Some(m) = &state.message {
        Line::from(vec![Span::raw(" "), Span::raw(m.clone())])
    } else {
        let mut spans = vec![Span::raw(" ")];
        for (key, hint) in state.keymap.hints(&hint_actions(state)) {
            spans.push(Span::styled(key, t.key));
            spans.push(Span::styled(format!(" {hint}  "), t.bar));
        }
        Line::from(spans)
    };
    buf.set_line(area.x, area.y, &line, area.width);
}
