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

/// Most Live panes side by side (one per target); with more targets, one Live pane
/// shows the current one.
pub const MAX_LIVE_PANES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panes {
    /// TypeScript, Snapshot, Live side by side.
    Side([Rect; 3]),
    /// TypeScript, Snapshot, then one Live pane per target: the first `count` of `lives`.
    Lives {
        sources: [Rect; 2],
        lives: [Rect; MAX_LIVE_PANES],
        count: usize,
    },
    /// One pane at a time; the tab names are in its title.
    Tabbed(Rect),
}

impl Panes {
    /// The TypeScript pane's rectangle (the height every pane shares), or the tabbed one.
    pub fn first(&self) -> Rect {
        match self {
            Panes::Side(p) => p[0],
            Panes::Lives { sources, .. } => sources[0],
            Panes::Tabbed(p) => *p,
        }
    }

    /// The rectangle around every pane.
    pub fn around(&self) -> Rect {
        let last = match self {
            Panes::Side(p) => p[2],
            Panes::Lives { lives, count, .. } => {
                lives[count.saturating_sub(1).min(MAX_LIVE_PANES - 1)]
            }
            Panes::Tabbed(p) => *p,
        };
        let first = self.first();
        Rect::new(
            first.x,
            first.y,
            last.x + last.width - first.x,
            first.height,
        )
    }
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
    tables_with(body, list_width, 1)
}

/// [`tables`] with `lives` targets: one Live pane each when 2 to [`MAX_LIVE_PANES`] of
/// them fit beside the TypeScript and Snapshot panes at [`MIN_PANE_WIDTH`] each (160
/// columns hold two); else the three panes of one database.
pub fn tables_with(body: Rect, list_width: u16, lives: usize) -> Tables {
    let list_width = list_width.min(body.width);
    let list = Rect::new(body.x, body.y, list_width, body.height);
    let rest = Rect::new(
        body.x + list_width,
        body.y,
        body.width - list_width,
        body.height,
    );
    let split = |n: u16| -> Vec<Rect> {
        let w = rest.width / n;
        (0..n)
            .map(|i| {
                let width = if i + 1 == n { rest.width - i * w } else { w };
                Rect::new(rest.x + i * w, rest.y, width, rest.height)
            })
            .collect()
    };
    let n = 2 + lives as u16;
    let panes = if (2..=MAX_LIVE_PANES).contains(&lives) && rest.width / n >= MIN_PANE_WIDTH {
        let r = split(n);
        let mut all = [Rect::default(); MAX_LIVE_PANES];
        all[..lives].copy_from_slice(&r[2..]);
        Panes::Lives {
            sources: [r[0], r[1]],
            lives: all,
            count: lives,
        }
    } else if rest.width / 3 >= MIN_PANE_WIDTH {
        let r = split(3);
        Panes::Side([r[0], r[1], r[2]])
    } else {
        Panes::Tabbed(rest)
    };
    Tables { list, panes }
}

/// `body` cut into a list and, under it, an info pane `info_h` rows tall.
pub fn list_over_info(body: Rect, info_h: u16) -> (Rect, Rect) {
    let info_h = info_h.min(body.height);
    let list = Rect::new(body.x, body.y, body.width, body.height - info_h);
    let info = Rect::new(body.x, body.y + list.height, body.width, info_h);
    (list, info)
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

/// The screens with a tab, in order; Targets only when several databases are read.
pub fn screens(targets: bool) -> Vec<(Action, &'static str)> {
    let mut out = vec![
        (Action::Tables, "Tables"),
        (Action::Migrations, "Migrations"),
        (Action::Findings, "Findings"),
        (Action::Help, "Help"),
    ];
    if targets {
        out.push((Action::Targets, "Targets"));
    }
    out
}

/// Screen tabs in the top line: action, label (with its key from the keymap) and x range.
pub fn screen_tabs(keymap: &Keymap, targets: bool) -> Vec<(Action, String, u16, u16)> {
    let mut x = 1u16;
    screens(targets)
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
            (a, label, start, start + w)
        })
        .collect()
}

/// Pane tab labels inside a tabbed pane's top border (`live`: the Live tab's, which
/// names the target shown): x ranges relative to the pane.
pub fn pane_tabs(live: &str) -> Vec<(String, u16, u16)> {
    let labels = ["TypeScript", "Snapshot", live];
    let mut x = 1u16;
    labels
        .into_iter()
        .map(|l| {
            let l = l.to_string();
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
                Panes::Lives { .. } | Panes::Tabbed(_) => t.panes.around().right(),
            };
            assert_eq!(right, w);
            for lives in 2..=MAX_LIVE_PANES {
                let t = tables_with(Rect::new(0, 0, w, 30), list_width(w, name), lives);
                assert_eq!(t.panes.around().right(), w);
            }
        }
    }

    #[test]
    fn two_live_panes_need_160_columns_and_three_need_more() {
        let panes = |w: u16, lives: usize| {
            let f = frame(Rect::new(0, 0, w, 45));
            tables_with(f.body, list_width(w, 16), lives).panes
        };
        assert!(matches!(panes(160, 2), Panes::Lives { count: 2, .. }));
        assert!(matches!(panes(160, 3), Panes::Side(_)));
        assert!(matches!(panes(200, 3), Panes::Lives { count: 3, .. }));
        assert!(matches!(panes(120, 2), Panes::Side(_)));
        assert!(matches!(panes(80, 2), Panes::Tabbed(_)));
        if let Panes::Lives { sources, lives, .. } = panes(160, 2) {
            assert!(sources
                .iter()
                .chain(&lives[..2])
                .all(|r| r.width >= MIN_PANE_WIDTH));
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
