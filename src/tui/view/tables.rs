//! The home screen: the table list and the three aligned source panes.

use super::{block, fit, pad, wrap};
use crate::tui::app::{Focus, SourceStatus, State};
use crate::tui::data::{CellValue, Mark, PaneRow, Side, Status};
use crate::tui::layout::{self, Panes};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub const TS_NOT_LOADED: &str = "TypeScript schema not loaded";

pub fn render(buf: &mut Buffer, body: Rect, state: &State) {
    let t = state.tables_layout(body);
    list(buf, &t, state);
    let source_pane = |buf: &mut Buffer, side: Side, rect: Rect| {
        let focused = state.tables.focus == Focus::Pane(side);
        let reference = state.data.as_ref().and_then(|d| d.reference()) == Some(side);
        let name = match side {
            Side::Live => state.live_title((rect.width as usize).saturating_sub(4)),
            _ => side.title().to_string(),
        };
        let title = if reference {
            format!(" {name} (reference) ")
        } else {
            format!(" {name} ")
        };
        block(title, focused, &state.theme).render(rect, buf);
        pane(buf, layout::inner(rect), side, None, state);
    };
    match t.panes {
        Panes::Side(rects) => {
            for (side, rect) in Side::ALL.into_iter().zip(rects) {
                source_pane(buf, side, rect);
            }
        }
        Panes::Lives {
            sources,
            lives,
            count,
        } => {
            source_pane(buf, Side::Ts, sources[0]);
            source_pane(buf, Side::Snapshot, sources[1]);
            let fleet = state.fleet.as_ref();
            for (i, rect) in lives.into_iter().take(count).enumerate() {
                let current = i == state.target;
                let focused = current && state.tables.focus == Focus::Pane(Side::Live);
                let name = fleet
                    .and_then(|f| f.target(i))
                    .map_or("?", |t| t.name.as_str());
                let title = Span::styled(
                    fit(
                        &format!(" Live · {name} "),
                        rect.width.saturating_sub(2) as usize,
                    ),
                    if current {
                        state.theme.tab_active
                    } else {
                        state.theme.title
                    },
                );
                block(title, focused, &state.theme).render(rect, buf);
                pane(buf, layout::inner(rect), Side::Live, Some(i), state);
            }
        }
        Panes::Tabbed(rect) => {
            let shown = state.shown_pane();
            let focused = matches!(state.tables.focus, Focus::Pane(_));
            block("", focused, &state.theme).render(rect, buf);
            let live = state.live_title((rect.width as usize / 2).saturating_sub(2));
            for ((label, start, end), side) in layout::pane_tabs(&live).into_iter().zip(Side::ALL) {
                if rect.x + end > rect.x + rect.width {
                    break;
                }
                let style = if side == shown {
                    state.theme.tab_active
                } else {
                    state.theme.tab
                };
                buf.set_string(rect.x + start, rect.y, format!(" {label} "), style);
            }
            pane(buf, layout::inner(rect), shown, None, state);
        }
    }
    legend(buf, t.panes.around(), state);
}

/// What the marks mean and what they are relative to, on the panes' bottom border.
fn legend(buf: &mut Buffer, panes: Rect, state: &State) {
    let Some(reference) = state.data.as_ref().and_then(|d| d.reference()) else {
        return;
    };
    if panes.height < 3 || panes.width < 4 {
        return;
    }
    let theme = &state.theme;
    let room = (panes.width - 2) as usize;
    let line = |prefix: String, texts: [&str; 4], gap: &str| {
        let mut spans = vec![Span::styled(prefix, theme.dim)];
        for (i, ((mark, _), text)) in LEGEND.into_iter().zip(texts).enumerate() {
            if i > 0 {
                spans.push(Span::styled(gap.to_string(), theme.dim));
            }
            spans.push(Span::styled(
                mark.glyph().to_string(),
                mark_style(theme, Some(mark)),
            ));
            spans.push(Span::styled(text.to_string(), theme.dim));
        }
        spans.push(Span::styled(" ", theme.dim));
        Line::from(spans)
    };
    let long = line(
        format!(" marks vs {}: ", reference.title()),
        LEGEND.map(|(_, text)| text),
        "  ",
    );
    let line = if long.width() <= room {
        long
    } else {
        line(
            format!("vs {}: ", reference.title()),
            ["only here", "missing", "differs", "pending"],
            " ",
        )
    };
    let y = panes.y + panes.height - 1;
    buf.set_line(panes.x + 1, y, &line, panes.width - 2);
}

/// The marks in the panes, each relative to the reference pane.
pub const LEGEND: [(Mark, &str); 4] = [
    (Mark::Added, "only here"),
    (Mark::Missing, "missing here"),
    (Mark::Differs, "differs"),
    (Mark::Pending, "pending migration changes it"),
];

pub fn status_style(theme: &Theme, s: Status) -> Style {
    match s {
        Status::InSync => theme.sync,
        Status::Pending => theme.pending,
        Status::Lint => theme.lint,
        Status::History => theme.history,
        Status::Ungenerated => theme.ungenerated,
        Status::Drift => theme.drift,
    }
}

fn message(buf: &mut Buffer, area: Rect, text: &str, style: Style) {
    let w = area.width as usize;
    for (i, l) in wrap(text, w)
        .into_iter()
        .take(area.height as usize)
        .enumerate()
    {
        buf.set_stringn(area.x, area.y + i as u16, l, w, style);
    }
}

fn status_message(status: &SourceStatus, what: &str) -> (String, bool) {
    match status {
        SourceStatus::Waiting => (format!("{what}: waiting"), false),
        SourceStatus::Loading => (format!("loading {what}…"), false),
        SourceStatus::Ready(_) => (format!("{what}: building the report…"), false),
        SourceStatus::Failed(e) => (format!("{what} could not be loaded: {e}"), true),
        SourceStatus::Off(why) => (why.clone(), false),
    }
}

/// The list's title in `room` cells: ` Tables 12/5000 /filter by status `, shortened as
/// needed: the word `Tables` goes first (the border says it is the list), then the
/// filter is cut (the status bar shows it whole while typing).
pub fn list_title(
    visible: usize,
    total: usize,
    filter: &str,
    sort: Option<&str>,
    room: usize,
) -> String {
    let sort = sort.map(|s| format!("by {s} ")).unwrap_or_default();
    let filter = if filter.is_empty() {
        String::new()
    } else {
        format!("/{filter} ")
    };
    let counts = format!("{visible}/{total} ");
    let full = format!(" Tables {counts}{filter}{sort}");
    if full.chars().count() <= room {
        return full;
    }
    let short = format!(" {counts}{filter}{sort}");
    if short.chars().count() <= room || filter.is_empty() {
        return fit(&short, room);
    }
    let left = room.saturating_sub(1 + counts.chars().count() + sort.chars().count() + 1);
    let filter = pad(&fit(filter.trim_end(), left.max(2)), left.max(2) + 1);
    fit(&format!(" {counts}{filter}{sort}"), room)
}

fn list(buf: &mut Buffer, t: &layout::Tables, state: &State) {
    let theme = &state.theme;
    let ts = &state.tables;
    let title = match &state.data {
        Some(d) => list_title(
            ts.visible.len(),
            d.tables.len(),
            &ts.filter,
            (ts.sort != crate::tui::app::Sort::Name).then(|| ts.sort.label()),
            t.list.width.saturating_sub(2) as usize,
        ),
        None => " Tables ".to_string(),
    };
    block(title, ts.focus == Focus::List, theme).render(t.list, buf);
    let inner = layout::inner(t.list);
    let w = inner.width as usize;
    let Some(data) = &state.data else {
        let (text, failed) = status_message(&state.snapshot, "migrations");
        let (text, failed) = match &state.config {
            SourceStatus::Failed(e) => (
                format!("the drizzle-kit config could not be loaded: {e}"),
                true,
            ),
            SourceStatus::Loading => ("reading the drizzle-kit config…".into(), false),
            _ => (text, failed),
        };
        message(
            buf,
            inner,
            &text,
            if failed { theme.error } else { theme.dim },
        );
        return;
    };
    // `> status  name    #`
    let name_w = w.saturating_sub(1 + 8 + 4);
    let header = format!(" {} {} {:>3}", pad("status", 7), pad("table", name_w), "#");
    buf.set_stringn(inner.x, inner.y, fit(&header, w), w, theme.dim);
    let rows = layout::list_rows(t);
    if data.tables.is_empty() {
        message(buf, rows, "no tables in any source", theme.dim);
        return;
    }
    if ts.visible.is_empty() {
        message(
            buf,
            rows,
            &format!("no table matches /{}", ts.filter),
            theme.dim,
        );
        return;
    }
    for (i, &ti) in ts
        .visible
        .iter()
        .enumerate()
        .skip(ts.list.offset)
        .take(rows.height as usize)
    {
        let Some(row) = data.tables.get(ti) else {
            continue;
        };
        let y = rows.y + (i - ts.list.offset) as u16;
        let selected = i == ts.list.selected;
        let count = if row.findings > 0 {
            row.findings.to_string()
        } else {
            String::new()
        };
        let line = Line::from(vec![
            Span::raw(if selected { ">" } else { " " }),
            Span::styled(pad(row.status.label(), 7), status_style(theme, row.status)),
            Span::raw(" "),
            Span::raw(pad(&row.name.to_string(), name_w)),
            Span::raw(format!(" {count:>3}")),
        ]);
        buf.set_line(inner.x, y, &line, inner.width);
        if selected {
            let style = if ts.focus == Focus::List {
                theme.selected
            } else {
                theme.title
            };
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        }
    }
}

pub fn mark_style(theme: &Theme, mark: Option<Mark>) -> Style {
    match mark {
        None => theme.text,
        Some(Mark::Added) => theme.added,
        Some(Mark::Missing) => theme.missing,
        Some(Mark::Differs) => theme.differs,
        Some(Mark::Pending) => theme.will_change,
    }
}

/// A source's pane: its rows, or why it has none. `live`: the target of a Live pane of
/// its own (its cell of each row), when several are side by side.
fn pane(buf: &mut Buffer, area: Rect, side: Side, live: Option<usize>, state: &State) {
    let theme = &state.theme;
    let status = match side {
        Side::Ts => None,
        Side::Snapshot => Some((&state.snapshot, "migrations")),
        Side::Live if state.live_kind == crate::tui::app::LiveKind::Targets => {
            Some((&state.live, "the targets"))
        }
        Side::Live => Some((&state.live, "database")),
    };
    let Some(current) = &state.data else {
        let (text, failed) = match (status, &state.config) {
            (None, _) => (TS_NOT_LOADED.to_string(), false),
            (Some(_), SourceStatus::Failed(_)) => {
                ("no config: see the table list".to_string(), true)
            }
            (Some(_), SourceStatus::Loading) => {
                ("reading the drizzle-kit config…".to_string(), false)
            }
            (Some((s, what)), _) => status_message(s, what),
        };
        message(
            buf,
            area,
            &text,
            if failed { theme.error } else { theme.dim },
        );
        return;
    };
    // A target not read: its state and why, in its Live pane.
    let target = match (&state.fleet, side) {
        (Some(f), Side::Live) => f.target(live.unwrap_or(state.target)),
        _ => None,
    };
    if let Some(t) = target.filter(|t| t.state != crate::report::TargetState::Ok) {
        let text = format!(
            "{}: {} — {}",
            t.name,
            t.state.as_str(),
            t.error.as_deref().unwrap_or("not read")
        );
        message(buf, area, &text, theme.error);
        return;
    }
    let data: &crate::tui::data::Data = match (&state.fleet, live) {
        (Some(f), Some(i)) => f.data_of(i),
        _ => current,
    };
    let missing = match side {
        Side::Ts => data
            .ts
            .is_none()
            .then(|| (TS_NOT_LOADED.to_string(), false)),
        Side::Snapshot if data.report.sources.latest.is_none() => Some((
            if data.report.sources.push {
                "no migrations (drizzle-kit push: schema ↔ database)".to_string()
            } else {
                "no migrations".to_string()
            },
            false,
        )),
        Side::Snapshot => data.latest.is_none().then(|| {
            (
                "the latest snapshot could not be read (see the Findings screen)".to_string(),
                true,
            )
        }),
        Side::Live => data.live.is_none().then(|| match &data.live_error {
            Some(e) => (format!("database could not be read: {e}"), true),
            None => match &state.live {
                SourceStatus::Off(why) => (why.clone(), false),
                _ => ("no database read".to_string(), false),
            },
        }),
    };
    let unread: Vec<String> = data
        .report
        .incomplete
        .iter()
        .filter(|i| side.reads(i.source))
        .map(|i| format!("incomplete: {i}"))
        .collect();
    if let Some((text, failed)) = missing {
        let (text, failed) = match unread.first() {
            Some(reason) => (reason.clone(), true),
            None => (text, failed),
        };
        message(
            buf,
            area,
            &text,
            if failed { theme.error } else { theme.dim },
        );
        return;
    }
    // What this source could not read stays on top of its rows: they are not all of it.
    let mut area = area;
    for reason in &unread {
        let lines = wrap(reason, area.width as usize).len().min(3) as u16;
        let banner = Rect::new(area.x, area.y, area.width, lines.min(area.height));
        message(buf, banner, reason, theme.error);
        area.y += banner.height;
        area.height -= banner.height;
    }
    let ts = &state.tables;
    if ts.rows.is_empty() {
        let text = if data.tables.is_empty() {
            "no tables"
        } else {
            "no table selected"
        };
        message(buf, area, text, theme.dim);
        return;
    }
    let w = area.width as usize;
    let label_ws = label_widths(&ts.rows, w);
    let focused = matches!(ts.focus, Focus::Pane(_));
    for (i, row) in ts
        .rows
        .iter()
        .enumerate()
        .skip(ts.row.offset)
        .take(area.height as usize)
    {
        let y = area.y + (i - ts.row.offset) as u16;
        match row {
            PaneRow::Section(title) => {
                buf.set_stringn(area.x, y, *title, w, theme.header);
            }
            PaneRow::Object(o) => {
                let cell = match live {
                    Some(i) => o.lives.get(i).unwrap_or(&o.cells[side.index()]),
                    None => &o.cells[side.index()],
                };
                let style = mark_style(theme, cell.mark);
                let glyph = cell.mark.map_or(' ', Mark::glyph);
                let text = match &cell.value {
                    CellValue::Present(summary) => {
                        // A name longer than its column is drawn whole; the summary moves.
                        let label_w = label_ws[i];
                        if o.label.chars().count() > label_w {
                            format!("{} {summary}", o.label)
                        } else {
                            format!("{} {summary}", pad(&o.label, label_w))
                        }
                    }
                    CellValue::Absent | CellValue::NotLoaded => String::new(),
                };
                // The mark in its own column then the name, as in a unified diff: one
                // column more for the name and type than a spaced-out mark.
                let line = Line::from(vec![
                    Span::styled(glyph.to_string(), style),
                    Span::styled(fit(&text, w.saturating_sub(1)), style),
                ]);
                buf.set_line(area.x, y, &line, area.width);
                if focused && i == ts.row.selected {
                    buf.set_style(Rect::new(area.x, y, area.width, 1), theme.selected);
                }
            }
        }
    }
}

/// Room the summary keeps next to a long name.
const MIN_SUMMARY: usize = 8;

/// Each row's name column: as wide as the longest name in its section (columns,
/// indexes, constraints…), so one long constraint name does not push the column
/// types aside, but never so wide that the summary has no room.
fn label_widths(rows: &[PaneRow], pane_width: usize) -> Vec<usize> {
    let cap = pane_width.saturating_sub(1 + 1 + MIN_SUMMARY).max(4);
    let mut out = vec![0; rows.len()];
    let mut start = 0;
    while start < rows.len() {
        let end = rows[start + 1..]
            .iter()
            .position(|r| matches!(r, PaneRow::Section(_)))
            .map_or(rows.len(), |p| start + 1 + p);
        let w = rows[start..end]
            .iter()
            .filter_map(PaneRow::object)
            .map(|o| o.label.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(4, cap);
        out[start..end].fill(w);
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::list_title;

    #[test]
    fn the_list_title_fits_its_border() {
        // The 80-column list has 24 cells for its title.
        assert_eq!(list_title(5000, 5000, "", None, 24), " Tables 5000/5000 ");
        assert_eq!(
            list_title(5000, 5000, "", Some("status"), 24),
            " 5000/5000 by status "
        );
        assert_eq!(
            list_title(11, 5000, "0432", Some("findings"), 24),
            " 11/5000 /… by findings "
        );
        assert_eq!(
            list_title(11, 5000, "0432", None, 24),
            " Tables 11/5000 /0432 "
        );
        for room in 0..40 {
            let t = list_title(12345, 67890, "a long filter", Some("findings"), room);
            assert!(t.chars().count() <= room, "{room}: {t:?}");
        }
    }
}
