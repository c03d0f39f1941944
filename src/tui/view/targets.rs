//! The Targets screen: every database read, a line each (for a fleet, a line per group
//! of identical databases, listed on demand), and the selected line in full below.

use super::{block, fit, pad, wrap};
use crate::report::fleet::{names, phrase, replica, seconds};
use crate::report::{TargetInfo, TargetState};
use crate::tui::app::{LiveKind, SourceStatus, State};
use crate::tui::fleet::{counts_text, Fleet, Line as Row};
use crate::tui::keymap::Action;
use crate::tui::layout;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

const INFO_HEIGHT: u16 = 8;

fn split(body: Rect) -> (Rect, Rect) {
    layout::list_over_info(body, INFO_HEIGHT.min(body.height / 2))
}

/// The rows of the target list (inside its border, below the column header).
pub fn list_rect(body: Rect) -> Rect {
    let i = layout::inner(split(body).0);
    Rect::new(i.x, i.y + 1, i.width, i.height.saturating_sub(1))
}

pub fn list_height(body: Rect) -> usize {
    list_rect(body).height as usize
}

/// Column widths; 0: left out for want of room (role and lag go first: the box below
/// has them).
struct Columns {
    name: usize,
    state: usize,
    role: usize,
    lag: usize,
    applied: usize,
    pending: usize,
    findings: usize,
}

impl Columns {
    /// `width` characters for a fleet whose longest line label is `longest`: the name
    /// as long as the longest (at most 40), findings get what is left.
    fn new(width: usize, fleet: &Fleet, longest: usize) -> Columns {
        let applied = fleet
            .targets()
            .iter()
            .filter_map(|t| t.applied.as_ref().map(|a| a.chars().count()))
            .max()
            .unwrap_or(0)
            .clamp(7, 24);
        let mut c = Columns {
            name: longest.clamp(12, 40),
            state: 11,
            role: 7,
            lag: 12,
            applied,
            pending: 7,
            findings: 0,
        };
        // A space before each column after the name.
        let used = |c: &Columns| {
            c.name
                + [c.state, c.role, c.lag, c.applied, c.pending]
                    .iter()
                    .map(|w| if *w > 0 { w + 1 } else { 0 })
                    .sum::<usize>()
                + 1
        };
        const MIN_FINDINGS: usize = 12;
        if width < used(&c) + MIN_FINDINGS {
            c.lag = 0;
        }
        if width < used(&c) + MIN_FINDINGS {
            c.role = 0;
        }
        if width < used(&c) + MIN_FINDINGS {
            let over = used(&c) + MIN_FINDINGS - width;
            c.name = c.name.saturating_sub(over).max(8);
        }
        c.findings = width.saturating_sub(used(&c));
        c
    }

    fn line(&self, cells: [&str; 7]) -> String {
        let widths = [
            self.name,
            self.state,
            self.role,
            self.lag,
            self.applied,
            self.pending,
            self.findings,
        ];
        let mut out = String::new();
        for (i, (w, text)) in widths.into_iter().zip(cells).enumerate() {
            if w == 0 {
                continue;
            }
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&pad(text, w));
        }
        out
    }
}

pub fn render(buf: &mut Buffer, body: Rect, state: &State) {
    let theme = &state.theme;
    let (list, info) = split(body);
    let Some(fleet) = &state.fleet else {
        block(" Targets ", true, theme).render(body, buf);
        let text = match (&state.live_kind, &state.live) {
            (LiveKind::Targets, SourceStatus::Failed(e)) => {
                format!("the targets could not be read: {e}")
            }
            (LiveKind::Targets, _) => "reading every target…".to_string(),
            _ => "one database: name several with --target NAME=URL (repeatable), \
                  --targets FILE or [targets] in drizzle-drift.toml"
                .to_string(),
        };
        let inner = layout::inner(body);
        for (i, l) in wrap(&text, inner.width as usize)
            .into_iter()
            .take(inner.height as usize)
            .enumerate()
        {
            buf.set_stringn(
                inner.x,
                inner.y + i as u16,
                l,
                inner.width as usize,
                theme.dim,
            );
        }
        return;
    };
    let total = fleet.targets().len();
    let mut title = format!(" Targets {total} · {} read ", fleet.read());
    if fleet.is_fleet() {
        title.push_str(&format!("· {} distinct ", fleet.groups.len()));
    }
    block(title, true, theme).render(list, buf);
    let inner = layout::inner(list);
    let w = inner.width as usize;
    let lines = fleet.lines(&state.targets.expanded);
    let longest = lines
        .iter()
        .map(|l| label(fleet, *l).chars().count())
        .max()
        .unwrap_or(0);
    let cols = Columns::new(w.saturating_sub(1), fleet, longest);
    let header = format!(
        " {}",
        cols.line(["target", "state", "role", "lag", "applied", "pending", "findings"])
    );
    buf.set_stringn(inner.x, inner.y, fit(&header, w), w, theme.dim);
    let rows = list_rect(body);
    let cursor = &state.targets.cursor;
    for (i, row) in lines
        .iter()
        .enumerate()
        .skip(cursor.offset)
        .take(rows.height as usize)
    {
        let y = rows.y + (i - cursor.offset) as u16;
        let selected = i == cursor.selected;
        let (text, style) = row_text(fleet, *row, &cols, state);
        let line = Line::from(vec![
            Span::raw(if selected { ">" } else { " " }),
            Span::styled(fit(&text, w.saturating_sub(1)), style),
        ]);
        buf.set_line(inner.x, y, &line, inner.width);
        if selected {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), theme.selected);
        }
    }
    let selected = lines.get(cursor.selected).copied();
    details(buf, info, fleet, selected, state);
}

fn state_style(state: &State, t: &TargetInfo) -> Style {
    match t.state {
        TargetState::Ok => state.theme.text,
        _ => state.theme.error,
    }
}

/// A line's name column: the target, or for a group how it stands (`▸ 996 identical
/// (in sync at 0042_x)`, `▸ 3 unreachable`).
fn label(fleet: &Fleet, row: Row) -> String {
    match row {
        Row::Target(i) => fleet.target(i).map(|t| t.name.clone()).unwrap_or_default(),
        Row::Member(i) => fleet
            .target(i)
            .map(|t| format!("  {}", t.name))
            .unwrap_or_default(),
        Row::Cluster(c, open) => {
            let cluster = &fleet.clusters[c];
            let sign = if open { "▾" } else { "▸" };
            let text = match cluster
                .group
                .and_then(|g| fleet.report.groups.as_ref()?.get(g))
            {
                Some(group) => phrase(&fleet.report, group),
                None => format!(
                    "{} {}",
                    cluster.members.len(),
                    fleet
                        .target(cluster.members[0])
                        .map_or("", |t| t.state.as_str())
                ),
            };
            format!("{sign} {text}")
        }
    }
}

fn row_text(fleet: &Fleet, row: Row, cols: &Columns, state: &State) -> (String, Style) {
    let Some((target, t)) = fleet
        .line_target(row)
        .and_then(|i| Some((i, fleet.target(i)?)))
    else {
        return (String::new(), state.theme.text);
    };
    let name = label(fleet, row);
    if t.state != TargetState::Ok {
        // The reason where the columns of a database read would be.
        let reason = t.error.as_deref().unwrap_or("not read");
        let text = format!("{} {} — {reason}", pad(&name, cols.name), t.state.as_str());
        return (text, state_style(state, t));
    }
    let lag = match (t.lag_seconds, t.replay_paused) {
        (Some(l), Some(true)) => format!("{} paused", seconds(l)),
        (Some(l), _) => seconds(l),
        _ => String::new(),
    };
    let role = t.role.map(|r| r.as_str()).unwrap_or_default();
    let text = cols.line([
        &name,
        t.state.as_str(),
        role,
        &lag,
        t.applied.as_deref().unwrap_or("none"),
        &t.pending.len().to_string(),
        &findings_text(&fleet.counts(target), cols.findings),
    ]);
    (text, state_style(state, t))
}

/// `1 drift · 5 pending`, or when that is too long `6 findings`.
fn findings_text(counts: &[usize; 5], width: usize) -> String {
    let full = counts_text(counts);
    if full.chars().count() <= width {
        return full;
    }
    let total: usize = counts.iter().sum();
    format!("{total} findings")
}

/// The selected line in full: where the target is, its server and role, what it has
/// applied and what is pending there, its findings; for a group, who is in it.
fn details(buf: &mut Buffer, area: Rect, fleet: &Fleet, row: Option<Row>, state: &State) {
    let theme = &state.theme;
    block("", false, theme).render(area, buf);
    let inner = layout::inner(area);
    let w = inner.width as usize;
    let mut lines: Vec<(String, Style)> = Vec::new();
    let target = row.and_then(|r| fleet.line_target(r));
    if let Some(Row::Cluster(c, _)) = row {
        let members: Vec<String> = fleet.clusters[c]
            .members
            .iter()
            .filter_map(|&m| fleet.target(m).map(|t| t.name.clone()))
            .collect();
        lines.push((
            format!("{} targets: {}", members.len(), names(&members)),
            theme.title,
        ));
    }
    if let Some(t) = target.and_then(|i| fleet.target(i)) {
        lines.push((format!("{} · {}", t.name, t.url), theme.title));
        if t.state != TargetState::Ok {
            let reason = format!(
                "{} — {}",
                t.state.as_str(),
                t.error.as_deref().unwrap_or("not read")
            );
            lines.extend(wrap(&reason, w).into_iter().map(|l| (l, theme.error)));
        } else {
            let mut server = t.server.clone().unwrap_or_default();
            match replica(t) {
                Some(r) => server.push_str(&format!(" · {r}")),
                None => {
                    if let Some(role) = t.role {
                        server.push_str(&format!(" · {}", role.as_str()));
                    }
                }
            }
            lines.push((server, theme.text));
            let pending = if t.pending.is_empty() {
                "nothing pending".to_string()
            } else {
                format!("pending {}", t.pending.join(", "))
            };
            lines.push((
                format!(
                    "applied {} · {pending}",
                    t.applied.as_deref().unwrap_or("none")
                ),
                theme.text,
            ));
            let mut findings = format!(
                "findings on this database: {}",
                counts_text(&fleet.counts(target.unwrap_or_default()))
            );
            match fleet.file_findings() {
                0 => {}
                n => findings.push_str(&format!(" (and {n} about the files, on every target)")),
            }
            lines.push((findings, theme.text));
            if let Some(fp) = &t.fingerprint {
                lines.push((format!("fingerprint {}", fit(fp, 16)), theme.dim));
            }
        }
    }
    let keys = |a: Action| state.keymap.keys(a).next().map(|k| k.to_string());
    let mut help = Vec::new();
    if let Some(k) = keys(Action::Enter) {
        help.push(format!("{k} opens its tables"));
    }
    if fleet.is_fleet() {
        if let (Some(r), Some(l)) = (keys(Action::Right), keys(Action::Left)) {
            help.push(format!("{r} lists a group's targets, {l} folds it"));
        }
    }
    let height = inner.height as usize;
    for (i, (text, style)) in lines.iter().take(height.saturating_sub(1)).enumerate() {
        buf.set_stringn(inner.x, inner.y + i as u16, fit(text, w), w, *style);
    }
    if height > 0 {
        buf.set_stringn(
            inner.x,
            inner.y + inner.height - 1,
            fit(&help.join(" · "), w),
            w,
            theme.dim,
        );
    }
}
