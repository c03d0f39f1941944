//! Where everything goes, as a pure function of the terminal size. Rendering and mouse
//! hit-testing both use it, so a click lands where the row was drawn.

use super::keymap::{Action, Keymap};
use ratatui::layout::Rect;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// Below this width per pane, the three source panes become tabs.
pub const MIN_PANE_WIDTH: u16 = 28;

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The frame every screen shares: two header lines, the body, one status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    pub tabs: Rect,
    pub summary: Rect,
    pub body: Rect,
    pub status: Rect,
}

pub fn frame(area: Rect) -> Frame {
    let line = |y: u16| Rect::new(area.x, y, area.width, 1.min(area.height));
    let body_height = area.height.saturating_sub(3);
    Frame {
        tabs: line(area.y),
        summary: line(area.y + 1.min(area.height)),
        body: Rect::new(area.x, area.y + 2, area.width, body_height),
        status: line(area.y + area.height.saturating_sub(1)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panes {
    /// TypeScript, Snapshot, Live side by side.
    Side([Rect; 3]),
    /// One pane at a time; the tab names are in its title.
    Tabbed(Rect),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tables {
    pub list: Rect,
    pub panes: Panes,
}

/// Narrowest table list: room for its header and a short name.
pub const MIN_LIST_WIDTH: u16 = 26;

/// The table list's width for names up to `longest_name` characters: its content, but no
/// more than a quarter of the body (and never under [`MIN_LIST_WIDTH`]); the panes get
/// the rest, where the long column types and constraint names are.
pub fn list_width(body_width: u16, longest_name: usize) -> u16 {
    // Borders, cursor, `status `, name, ` ###`.
    let want = (2 + 1 + 8 + longest_name + 4).min(u16::MAX as usize) as u16;
    let cap = (body_width / 4).max(MIN_LIST_WIDTH);
    want.clamp(MIN_LIST_WIDTH, cap).min(body_width)
}

pub fn tables(body: Rect, list_width: u16) -> Tables {
    let list_width = list_width.min(body.width);
    let list = Rect::new(body.x, body.y, list_width, body.height);
    let rest = Rect::new(
        body.x + list_width,
        body.y,
        body.width - list_width,
        body.height,
    );
    let panes = if rest.width / 3 >= MIN_PANE_WIDTH {
        let w = rest.width / 3;
        let last = rest.width - 2 * w;
        Panes::Side([
            Rect::new(rest.x, rest.y, w, rest.height),
            Rect::new(rest.x + w, rest.y, w, rest.height),
            Rect::new(rest.x + 2 * w, rest.y, last, rest.height),
        ])
    } else {
        Panes::Tabbed(rest)
    };
    Tables { list, panes }
}

/// The rows inside a bordered block.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1),
        r.y.saturating_add(1),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

/// Visible rows of the table list (inside its border, below its column header).
pub fn list_rows(t: &Tables) -> Rect {
    let i = inner(t.list);
    Rect::new(
        i.x,
        i.y + 1.min(i.height),
        i.width,
        i.height.saturating_sub(1),
    )
}

pub fn contains(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
}

/// Screen tabs in the top line: label (with its key from the keymap) and x range.
pub fn screen_tabs(keymap: &Keymap) -> Vec<(String, u16, u16)> {
    let screens = [
        (Action::Tables, "Tables"),
        (Action::Migrations, "Migrations"),
        (Action::Findings, "Findings"),
        (Action::Help, "Help"),
    ];
    let mut x = 1u16;
    screens
        .into_iter()
        .map(|(a, name)| {
            // A digit reads best on a tab; any key otherwise.
            let key = keymap
                .keys(a)
                .find(
                    |k| matches!(k.code, crossterm::event::KeyCode::Char(c) if c.is_ascii_digit()),
                )
                .or_else(|| keymap.keys(a).next());
            let label = match key {
                Some(k) => format!("{k} {name}"),
                None => name.to_string(),
            };
            let w = label.chars().count() as u16 + 2;
            let start = x;
            x += w + 1;
            (label, start, start + w)
        })
        .collect()
}

/// Pane tab labels inside a tabbed pane's top border: x ranges relative to the pane.
pub fn pane_tabs() -> Vec<(&'static str, u16, u16)> {
    let labels = ["TypeScript", "Snapshot", "Live"];
    let mut x = 1u16;
    labels
        .into_iter()
        .map(|l| {
            let w = l.chars().count() as u16 + 2;
            let start = x;
            x += w + 1;
            (l, start, start + w)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_terminals_get_three_panes_and_narrow_ones_tabs() {
        let f = frame(Rect::new(0, 0, 120, 40));
        assert!(matches!(
            tables(f.body, list_width(120, 16)).panes,
            Panes::Side(_)
        ));
        let f = frame(Rect::new(0, 0, 80, 24));
        assert!(matches!(
            tables(f.body, list_width(80, 16)).panes,
            Panes::Tabbed(_)
        ));
        assert_eq!(f.body.height, 21);
        assert_eq!(f.status.y, 23);
    }

    #[test]
    fn panes_fill_the_width_exactly() {
        for (w, name) in (80..300).flat_map(|w| [(w, 0), (w, 16), (w, 200)]) {
            let t = tables(Rect::new(0, 0, w, 30), list_width(w, name));
            let right = match t.panes {
                Panes::Side(p) => p[2].x + p[2].width,
                Panes::Tabbed(p) => p.x + p.width,
            };
            assert_eq!(right, w);
        }
    }

    #[test]
    fn the_list_takes_its_content_and_no_more_than_a_quarter() {
        assert_eq!(list_width(160, 16), 31, "billing.invoices whole");
        assert_eq!(list_width(160, 80), 40);
        assert_eq!(list_width(160, 3), MIN_LIST_WIDTH);
        assert_eq!(list_width(80, 16), MIN_LIST_WIDTH);
    }
}
