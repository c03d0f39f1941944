//! The migration history with a state per migration, and one migration in full: what it
//! changes and its SQL statement by statement.

use super::{block, fit, pad, scrolled, wrap};
use crate::diff::base::Base;
use crate::report::{Category, Finding, MigrationEntry, MigrationState, ObjectKind, Severity};
use crate::tui::app::State;
use crate::tui::data::{Data, Mark};
use crate::tui::layout;
use crate::tui::sql;
use crate::tui::theme::Theme;
use crate::tui::view::tables::mark_style;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

const INFO_HEIGHT: u16 = 7;

/// With `--base` (`sides`: its row count) the selected row's findings and their fix need
/// room: the list takes what its rows need, the lower pane the rest.
pub(super) fn split(body: Rect, sides: Option<usize>) -> (Rect, Rect) {
    let info_h = match sides {
        Some(rows) => {
            // Borders, the column header and the legend.
            let list_h = (rows + 4).clamp(6, usize::from(body.height.saturating_sub(INFO_HEIGHT)));
            body.height.saturating_sub(list_h as u16)
        }
        None => INFO_HEIGHT.min(body.height / 2),
    };
    layout::list_over_info(body, info_h)
}

/// Are the base's and this branch's migrations shown side by side?
fn sides(data: &Data) -> Option<&Base> {
    match &data.base {
        Some(Ok(b)) => Some(b),
        _ => None,
    }
}

/// The rows of the migration list (inside its border, below the column header; with
/// `--base`, above the legend line).
pub fn list_rect(body: Rect, data: &Data) -> Rect {
    let two = sides(data).is_some();
    let i = layout::inner(split(body, two.then(|| row_count(data))).0);
    let below = u16::from(two);
    Rect::new(i.x, i.y + 1, i.width, i.height.saturating_sub(1 + below))
}

pub fn list_height(body: Rect, data: &Data) -> usize {
    list_rect(body, data).height as usize
}

/// Rows of the list: one a migration, or with `--base` one a position in both histories.
pub fn row_count(data: &Data) -> usize {
    let mine = data.report.migrations.len();
    sides(data).map_or(mine, |b| mine.max(b.history.migrations.len()))
}

pub fn state_style(t: &Theme, s: MigrationState) -> Style {
    match s {
        MigrationState::Applied => t.sync,
        MigrationState::Pending => t.pending,
        MigrationState::Modified | MigrationState::Skipped => t.history,
        MigrationState::Missing => t.drift,
        MigrationState::Unknown => t.dim,
    }
}

pub fn meaning(s: MigrationState) -> &'static str {
    match s {
        MigrationState::Applied => "in the migrations table, file unchanged",
        MigrationState::Pending => "the migrator will run it next",
        MigrationState::Modified => {
            "applied, but the file changed since: the migrator never notices"
        }
        MigrationState::Skipped => {
            "the 0.x migrator will never run it: its `when` is not after the newest applied one"
        }
        MigrationState::Missing => "recorded as applied in the database, no local file",
        MigrationState::Unknown => "no database was read",
    }
}

/// Journal `when` (ms since the epoch) as `2025-11-26 09:14 UTC`.
pub fn when_text(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

pub fn render_list(buf: &mut Buffer, body: Rect, state: &State) {
    let t = &state.theme;
    if let Some(data) = &state.data {
        if let Some(base) = sides(data) {
            super::base::render(buf, body, state, data, base);
            return;
        }
    }
    let (list, info) = split(body, None);
    let Some(data) = &state.data else {
        block(" Migrations ", true, t).render(list, buf);
        let text = match &state.snapshot {
            crate::tui::app::SourceStatus::Failed(e) => {
                format!("migrations could not be loaded: {e}")
            }
            _ => "loading migrations…".into(),
        };
        buf.set_stringn(
            list.x + 2,
            list.y + 1,
            text,
            list.width.saturating_sub(4) as usize,
            t.dim,
        );
        return;
    };
    let ms = &data.report.migrations;
    let title = format!(
        " Migrations {} · applied {} · latest {} ",
        ms.len(),
        data.report.sources.applied.as_deref().unwrap_or("none"),
        data.report.sources.latest.as_deref().unwrap_or("none")
    );
    block(title, true, t).render(list, buf);
    let inner = layout::inner(list);
    let w = inner.width as usize;
    let tag_w = w.saturating_sub(1 + 9 + 21);
    buf.set_stringn(
        inner.x,
        inner.y,
        format!(" {} {} {}", pad("state", 8), pad("tag", tag_w), "when"),
        w,
        t.dim,
    );
    let rows = list_rect(body, data);
    if ms.is_empty() {
        buf.set_stringn(rows.x + 1, rows.y, "no migrations", w, t.dim);
    }
    let c = &state.migrations;
    for (i, m) in ms
        .iter()
        .enumerate()
        .skip(c.offset)
        .take(rows.height as usize)
    {
        let y = rows.y + (i - c.offset) as u16;
        let selected = i == c.selected;
        let line = Line::from(vec![
            Span::raw(if selected { ">" } else { " " }),
            Span::styled(pad(m.state.as_str(), 8), state_style(t, m.state)),
            Span::raw(" "),
            Span::raw(pad(&m.tag, tag_w)),
            Span::raw(" "),
            Span::styled(m.when.map(when_text).unwrap_or_default(), t.dim),
        ]);
        buf.set_line(rows.x, y, &line, rows.width);
        if selected {
            buf.set_style(Rect::new(rows.x, y, rows.width, 1), t.selected);
        }
    }
    block(" Selected ", false, t).render(info, buf);
    let info_inner = layout::inner(info);
    let mut lines = Vec::new();
    if let Some(Some(Err(e))) = state.data.as_ref().map(|d| &d.base) {
        for l in wrap(e, info_inner.width as usize) {
            lines.push(Line::styled(l, t.error));
        }
    }
    if let Some(m) = ms.get(c.selected) {
        lines.extend(entry_lines(t, m, info_inner.width as usize));
    }
    scrolled(buf, info_inner, &lines, 0);
}

fn hash_lines(t: &Theme, m: &MigrationEntry) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if m.state == MigrationState::Modified {
        out.push(Line::from(vec![
            Span::styled("stored hash   ", t.dim),
            Span::styled(m.applied_hash.clone().unwrap_or_default(), t.history),
            Span::styled("  (the database, when it ran)", t.dim),
        ]));
        out.push(Line::from(vec![
            Span::styled("computed hash ", t.dim),
            Span::styled(m.hash.clone().unwrap_or_default(), t.history),
            Span::styled("  (the file today)", t.dim),
        ]));
    } else if let Some(h) = &m.hash {
        out.push(Line::from(vec![
            Span::styled("hash ", t.dim),
            Span::raw(h.clone()),
        ]));
    }
    out
}

pub fn entry_lines(t: &Theme, m: &MigrationEntry, width: usize) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(vec![
        Span::styled(m.tag.clone(), t.title),
        Span::raw("  "),
        Span::styled(m.state.as_str(), state_style(t, m.state)),
        Span::styled(
            m.when
                .map(|w| format!("  {}", when_text(w)))
                .unwrap_or_default(),
            t.dim,
        ),
    ])];
    out.push(Line::raw(fit(meaning(m.state), width)));
    out.extend(hash_lines(t, m));
    out
}

pub fn render_detail(buf: &mut Buffer, body: Rect, state: &State) {
    let t = &state.theme;
    let (Some(data), Some(ms)) = (&state.data, &state.migration) else {
        return;
    };
    let Some(entry) = data.report.migrations.get(ms.index) else {
        return;
    };
    block(format!(" migration {} ", entry.tag), true, t).render(body, buf);
    let inner = layout::inner(body);
    let lines = detail_lines(state, entry, inner.width as usize);
    scrolled(buf, inner, &lines, ms.scroll);
}

pub fn detail_lines(state: &State, entry: &MigrationEntry, width: usize) -> Vec<Line<'static>> {
    let t = &state.theme;
    let mut out = entry_lines(t, entry, width);
    out.push(Line::raw(""));
    let Some(ms) = &state.migration else {
        return out;
    };
    let Some(view) = &ms.view else {
        out.push(Line::styled("loading the migration…", t.dim));
        return out;
    };
    out.push(Line::styled(
        if entry.state == MigrationState::Pending {
            "what it will change"
        } else {
            "what it changes (its snapshot against the previous one)"
        },
        t.header,
    ));
    match &view.changes {
        Err(e) => {
            for l in wrap(e, width.saturating_sub(2)) {
                out.push(Line::styled(format!("  {l}"), t.error));
            }
        }
        Ok(changes) if changes.is_empty() => {
            out.push(Line::styled("  no schema change", t.dim));
        }
        Ok(changes) => {
            out.push(change_legend(state, entry.state == MigrationState::Pending));
            for c in changes {
                let mark = if entry.state == MigrationState::Pending {
                    Mark::Pending
                } else {
                    c.mark
                };
                let style = mark_style(t, Some(mark));
                let text = format!(
                    "{} {} {}: {}",
                    c.mark.glyph(),
                    c.kind.noun(),
                    c.name,
                    c.detail
                );
                let mut first = true;
                for l in wrap(&text, width.saturating_sub(4)) {
                    let lead = if first && mark == Mark::Pending {
                        "! "
                    } else {
                        "  "
                    };
                    first = false;
                    out.push(Line::from(vec![
                        Span::styled(lead, style),
                        Span::styled(l, style),
                    ]));
                }
            }
        }
    }
    out.push(Line::raw(""));
    lint_lines(state, entry, width, &mut out);
    match &view.statements {
        Err(e) => {
            out.push(Line::styled(format!("SQL  {}", view.file), t.header));
            for l in wrap(e, width.saturating_sub(2)) {
                out.push(Line::styled(format!("  {l}"), t.error));
            }
        }
        Ok(statements) => {
            out.push(Line::styled(
                format!("SQL  {} ({} statements)", view.file, statements.len()),
                t.header,
            ));
            let last_line = statements
                .iter()
                .map(|s| s.line as usize + s.sql.lines().count())
                .max()
                .unwrap_or(1);
            let gutter = last_line.to_string().len();
            for (i, st) in statements.iter().enumerate() {
                out.push(Line::styled(
                    format!(
                        "{} -- statement {} of {}",
                        " ".repeat(gutter),
                        i + 1,
                        statements.len()
                    ),
                    t.comment,
                ));
                for (j, spans) in sql::highlight(&st.sql, t).into_iter().enumerate() {
                    let room = width.saturating_sub(gutter + 1).max(10);
                    for (k, part) in wrap_spans(spans, room).into_iter().enumerate() {
                        let number = if k == 0 {
                            format!("{:>gutter$} ", st.line as usize + j)
                        } else {
                            format!("{:>gutter$} ", "↪")
                        };
                        let mut line = vec![Span::styled(number, t.dim)];
                        line.extend(part);
                        out.push(Line::from(line));
                    }
                }
            }
        }
    }
    out
}

/// The lint findings of this migration (the report has them for pending migrations), then
/// its history findings (`--base` adds some).
fn lint_lines(state: &State, entry: &MigrationEntry, width: usize, out: &mut Vec<Line<'static>>) {
    let Some(data) = &state.data else {
        return;
    };
    for (category, title) in [(Category::Lint, "lint"), (Category::History, "history")] {
        let findings: Vec<&Finding> = data
            .report
            .findings
            .iter()
            .filter(|f| {
                f.category == category && f.object == ObjectKind::Migration && f.name == entry.tag
            })
            .collect();
        if findings.is_empty() {
            continue;
        }
        let t = &state.theme;
        out.push(Line::styled(
            format!("{title} ({})", findings.len()),
            t.header,
        ));
        for f in findings {
            let line = f
                .location
                .as_ref()
                .and_then(|o| o.line)
                .map(|l| format!("line {l} "))
                .unwrap_or_default();
            let rule = match (&f.rule, category) {
                (Some(r), _) => format!("[{r}] "),
                (None, Category::Lint) => "[lint] ".into(),
                (None, _) => String::new(),
            };
            let message = f
                .message
                .strip_prefix(&format!("{}: ", entry.tag))
                .unwrap_or(&f.message);
            let text = format!("{} {line}{rule}{message}", f.severity.as_str());
            out.extend(finding_block(t, f, &text, width));
        }
        out.push(Line::raw(""));
    }
}

/// A finding as `! text` wrapped to `width`, then its fix.
pub fn finding_block(t: &Theme, f: &Finding, text: &str, width: usize) -> Vec<Line<'static>> {
    let room = width.saturating_sub(4).max(10);
    let style = if f.severity == Severity::Error {
        t.error
    } else {
        t.warning
    };
    let mut out = Vec::new();
    for (i, l) in wrap(text, room).into_iter().enumerate() {
        let lead = if i == 0 { "! " } else { "  " };
        out.push(Line::from(vec![
            Span::styled(lead, style),
            Span::styled(l, style),
        ]));
    }
    if let Some(fix) = &f.fix {
        for (i, l) in fix
            .lines()
            .flat_map(|l| wrap(l, room.saturating_sub(5).max(10)))
            .enumerate()
        {
            let lead = if i == 0 { "  fix: " } else { "       " };
            out.push(Line::from(vec![Span::styled(lead, t.dim), Span::raw(l)]));
        }
    }
    out
}

/// Break a line of styled spans into lines of at most `width` characters.
fn wrap_spans(spans: Vec<Span<'static>>, width: usize) -> Vec<Vec<Span<'static>>> {
    let mut out: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for span in spans {
        let mut rest: Vec<char> = span.content.chars().collect();
        while !rest.is_empty() {
            if used == width {
                out.push(Vec::new());
                used = 0;
            }
            let take = rest.len().min(width - used);
            let piece: String = rest.drain(..take).collect();
            used += take;
            if let Some(line) = out.last_mut() {
                line.push(Span::styled(piece, span.style));
            }
        }
    }
    out
}

/// What a change's mark means here: against the snapshot before the migration, not the
/// Tables screen's reference.
fn change_legend(state: &State, pending: bool) -> Line<'static> {
    let t = &state.theme;
    let mut spans = vec![Span::styled("  vs the previous snapshot: ", t.dim)];
    let mut marks = vec![
        (Mark::Added, " created"),
        (Mark::Missing, " dropped"),
        (Mark::Differs, " altered"),
    ];
    if pending {
        marks.push((Mark::Pending, " pending"));
    }
    for (i, (mark, text)) in marks.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("  ", t.dim));
        }
        spans.push(Span::styled(
            mark.glyph().to_string(),
            mark_style(t, Some(mark)),
        ));
        spans.push(Span::styled(text, t.dim));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::{when_text, wrap_spans};
    use ratatui::text::Span;

    #[test]
    fn long_sql_lines_wrap_without_losing_text() {
        let spans = vec![Span::raw("abcdef"), Span::raw("ghij")];
        let lines = wrap_spans(spans, 4);
        let texts: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|s| s.content.to_string()).collect())
            .collect();
        assert_eq!(texts, ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn formats_journal_times_in_utc() {
        assert_eq!(when_text(0), "1970-01-01 00:00 UTC");
        assert_eq!(when_text(1_795_641_260_000), "2026-11-25 21:14 UTC");
        assert_eq!(when_text(951_782_400_000), "2000-02-29 00:00 UTC");
    }
}
