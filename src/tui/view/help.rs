//! Help, generated from the keymap that handles the keys.

use super::{block, pad, scrolled};
use crate::tui::app::State;
use crate::tui::data::Mark;
use crate::tui::keymap::{Action, Keymap};
use crate::tui::layout;
use crate::tui::theme::Theme;
use crate::tui::view::tables::mark_style;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub fn render(buf: &mut Buffer, body: Rect, state: &State) {
    block(" Help ", true, &state.theme).render(body, buf);
    let inner = layout::inner(body);
    let lines = lines(&state.keymap, &state.theme);
    scrolled(buf, inner, &lines, state.help_scroll);
}

pub fn lines(keymap: &Keymap, t: &Theme) -> Vec<Line<'static>> {
    let groups: [(&str, &[Action]); 5] = [
        (
            "moving",
            &[
                Action::Up,
                Action::Down,
                Action::Top,
                Action::Bottom,
                Action::HalfPageDown,
                Action::HalfPageUp,
                Action::PageDown,
                Action::PageUp,
                Action::NextPane,
                Action::PrevPane,
                Action::Left,
                Action::Right,
            ],
        ),
        (
            "screens",
            &[
                Action::Tables,
                Action::Migrations,
                Action::Findings,
                Action::Help,
                Action::Enter,
                Action::Back,
            ],
        ),
        (
            "tables",
            &[
                Action::Filter,
                Action::Sort,
                Action::NextFinding,
                Action::PrevFinding,
                Action::Edit,
            ],
        ),
        ("several databases", &[Action::Targets, Action::NextTarget]),
        ("everywhere", &[Action::Why, Action::Reload, Action::Quit]),
    ];
    let mut out = Vec::new();
    for (title, actions) in groups {
        out.push(Line::styled(title, t.header));
        for a in actions {
            out.push(Line::from(vec![
                Span::styled(pad(&format!("  {}", keymap.keys_text(*a)), 22), t.key),
                Span::raw(a.describe()),
            ]));
        }
        if title == "several databases" {
            out.push(Line::raw(format!(
                "{}a wide terminal shows a Live pane per target (up to {}); on the",
                " ".repeat(22),
                layout::MAX_LIVE_PANES
            )));
            out.push(Line::raw(format!(
                "{}Targets screen {} lists a group's targets, {} folds it",
                " ".repeat(22),
                keymap.keys_text(Action::Right),
                keymap.keys_text(Action::Left)
            )));
        }
        out.push(Line::raw(""));
    }
    out.push(Line::styled("marks in the panes", t.header));
    out.push(Line::raw(
        "  relative to the reference pane: the TypeScript schema (the latest snapshot",
    ));
    out.push(Line::raw(
        "  when the schema is not loaded), which has no marks itself",
    ));
    for (mark, text) in [
        (Mark::Added, "only here: not in the reference"),
        (Mark::Missing, "missing here, in the reference"),
        (
            Mark::Differs,
            "here and in the reference, an attribute differs",
        ),
        (
            Mark::Pending,
            "database pane: a pending migration changes it (to the snapshot)",
        ),
    ] {
        out.push(Line::from(vec![
            Span::styled(format!("  {}  ", mark.glyph()), mark_style(t, Some(mark))),
            Span::raw(text),
        ]));
    }
    out.push(Line::raw(
        "  in a migration's changes they are against the snapshot before it:",
    ));
    out.push(Line::raw(
        "  + created, - dropped, ~ altered; ! not applied yet (pending)",
    ));
    out.push(Line::raw(""));
    out.push(Line::styled("table status", t.header));
    for (word, text) in [
        ("sync", "the loaded sources agree"),
        ("drift", "the database differs from its applied migrations"),
        (
            "ungen",
            "the TypeScript schema differs from the latest snapshot",
        ),
        ("pending", "a migration not applied yet changes it"),
        ("history", "a problem in the migration history"),
    ] {
        out.push(Line::raw(format!("  {}{text}", pad(word, 9))));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        "migrations beside a base branch (drizzle-drift --base origin/main)",
        t.header,
    ));
    for (word, style, text) in [
        ("shared", t.dim, "both sides have it"),
        ("new", t.added, "only this side has it"),
        (
            "stale",
            t.warning,
            "this branch's, generated from a snapshot that is no longer the base's newest",
        ),
        (
            "×",
            t.error,
            "the same index (0.x) or folder (1.0) on both sides: the merge conflicts",
        ),
    ] {
        out.push(Line::from(vec![
            Span::styled(format!("  {}", pad(word, 7)), style),
            Span::raw(text),
        ]));
    }
    out.push(Line::raw(
        "  below the list: the selected row's fix and findings, as `check --base` reports",
    ));
    out.push(Line::raw(""));
    out.push(Line::styled(
        "mouse: wheel scrolls, click selects (--no-mouse turns it off)",
        t.dim,
    ));
    out.push(Line::styled(
        "config: $XDG_CONFIG_HOME/drizzle-drift/config.toml or $DRIZZLE_DRIFT_CONFIG",
        t.dim,
    ));
    out
}
