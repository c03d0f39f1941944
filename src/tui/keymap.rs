//! Keys → actions. The same table drives the key handling, the status-bar hints and the
//! help screen, so what is shown is always what works. Ctrl-c is not in the table: it
//! always quits.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Up,
    Down,
    Left,
    Right,
    Top,
    Bottom,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    NextPane,
    PrevPane,
    Enter,
    Back,
    Tables,
    Migrations,
    Findings,
    Help,
    Filter,
    Sort,
    NextFinding,
    PrevFinding,
    Reload,
    Edit,
    Why,
    Targets,
    NextTarget,
}

impl Action {
    pub const ALL: [Action; 28] = [
        Action::Quit,
        Action::Up,
        Action::Down,
        Action::Left,
        Action::Right,
        Action::Top,
        Action::Bottom,
        Action::HalfPageDown,
        Action::HalfPageUp,
        Action::PageDown,
        Action::PageUp,
        Action::NextPane,
        Action::PrevPane,
        Action::Enter,
        Action::Back,
        Action::Tables,
        Action::Migrations,
        Action::Findings,
        Action::Help,
        Action::Filter,
        Action::Sort,
        Action::NextFinding,
        Action::PrevFinding,
        Action::Reload,
        Action::Edit,
        Action::Why,
        Action::Targets,
        Action::NextTarget,
    ];

    /// The name used in the config file's `[keys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Up => "up",
            Action::Down => "down",
            Action::Left => "left",
            Action::Right => "right",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::HalfPageDown => "half_page_down",
            Action::HalfPageUp => "half_page_up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::NextPane => "next_pane",
            Action::PrevPane => "prev_pane",
            Action::Enter => "enter",
            Action::Back => "back",
            Action::Tables => "tables",
            Action::Migrations => "migrations",
            Action::Findings => "findings",
            Action::Help => "help",
            Action::Filter => "filter",
            Action::Sort => "sort",
            Action::NextFinding => "next_finding",
            Action::PrevFinding => "prev_finding",
            Action::Reload => "reload",
            Action::Edit => "edit",
            Action::Why => "why",
            Action::Targets => "targets",
            Action::NextTarget => "next_target",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// One line for the help screen.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit (Ctrl-c always quits)",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::Left => "previous pane",
            Action::Right => "next pane",
            Action::Top => "first row",
            Action::Bottom => "last row",
            Action::HalfPageDown => "half a page down",
            Action::HalfPageUp => "half a page up",
            Action::PageDown => "a page down",
            Action::PageUp => "a page up",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::Enter => "drill down: table → its objects → detail; migration → its SQL",
            Action::Back => "back (clears the filter on the table list)",
            Action::Tables => "Tables screen",
            Action::Migrations => "Migrations screen",
            Action::Findings => "Findings screen",
            Action::Help => "this help",
            Action::Filter => "filter tables by name",
            Action::Sort => "sort tables: name, status, findings",
            Action::NextFinding => "next finding",
            Action::PrevFinding => "previous finding",
            Action::Reload => "reload every source",
            Action::Edit => "open the object's origin in $EDITOR",
            Action::Why => {
                "why: paste a database error (column \"x\" does not exist…), Enter explains it"
            }
            Action::Targets => "Targets screen: every database read (--target, --targets)",
            Action::NextTarget => "next target in the Live pane (with several databases)",
        }
    }

    /// The short word of a status-bar hint.
    pub fn hint(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Up | Action::Down => "move",
            Action::PageDown | Action::PageUp => "scroll",
            Action::Left | Action::Right => "pane",
            Action::NextPane | Action::PrevPane => "pane",
            Action::Enter => "open",
            Action::Back => "back",
            Action::Tables => "tables",
            Action::Migrations => "migrations",
            Action::Findings => "findings",
            Action::Help => "help",
            Action::Filter => "filter",
            Action::Sort => "sort",
            Action::NextFinding | Action::PrevFinding => "next finding",
            Action::Reload => "reload",
            Action::Edit => "edit",
            Action::Why => "why",
            Action::Targets => "targets",
            Action::NextTarget => "next target",
            Action::Top | Action::Bottom | Action::HalfPageDown | Action::HalfPageUp => "scroll",
        }
    }
}

/// A key with its modifiers, as written in the config file: `q`, `ctrl-d`, `shift-tab`,
/// `enter`, `pgdn`…
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// The key a terminal event stands for. Shift is part of the character (`G`) or of
    /// the code (BackTab), so it is dropped.
    pub fn from_event(e: &KeyEvent) -> Key {
        let code = match e.code {
            KeyCode::Char(c) if e.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        Key {
            code,
            ctrl: e.modifiers.contains(KeyModifiers::CONTROL),
            alt: e.modifiers.contains(KeyModifiers::ALT),
        }
    }

    pub fn parse(text: &str) -> Result<Key, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = text.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.len() > 1 && (lower.starts_with("ctrl-") || lower.starts_with("ctrl+")) {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.len() > 1 && (lower.starts_with("alt-") || lower.starts_with("alt+")) {
                alt = true;
                rest = &rest[4..];
            } else if rest.len() > 1 && (lower.starts_with("shift-") || lower.starts_with("shift+"))
            {
                shift = true;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                let c = if ctrl { c.to_ascii_lowercase() } else { c };
                KeyCode::Char(if shift { c.to_ascii_uppercase() } else { c })
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if shift => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pagedown" => KeyCode::PageDown,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                f if f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) => {
                    KeyCode::F(f[1..].parse().unwrap_or(1))
                }
                _ => {
                    return Err(format!(
                        "unknown key {text:?} (write a character, or ctrl-x, alt-x, enter, esc, tab, shift-tab, up, down, left, right, home, end, pgup, pgdn, space, backspace, f1…f12)"
                    ))
                }
            },
        };
        if ctrl && matches!(code, KeyCode::Char('c')) {
            return Err("ctrl-c always quits and cannot be rebound".into());
        }
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: Vec<(Key, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        use Action::*;
        use KeyCode as K;
        let bindings = vec![
            (Key::ch('q'), Quit),
            (Key::ch('k'), Up),
            (Key::plain(K::Up), Up),
            (Key::ch('j'), Down),
            (Key::plain(K::Down), Down),
            (Key::ch('h'), Left),
            (Key::plain(K::Left), Left),
            (Key::ch('l'), Right),
            (Key::plain(K::Right), Right),
            (Key::ch('g'), Top),
            (Key::plain(K::Home), Top),
            (Key::ch('G'), Bottom),
            (Key::plain(K::End), Bottom),
            (Key::ctrl('d'), HalfPageDown),
            (Key::ctrl('u'), HalfPageUp),
            (Key::plain(K::PageDown), PageDown),
            (Key::ctrl('f'), PageDown),
            (Key::plain(K::PageUp), PageUp),
            (Key::ctrl('b'), PageUp),
            (Key::plain(K::Tab), NextPane),
            (Key::plain(K::BackTab), PrevPane),
            (Key::plain(K::Enter), Enter),
            (Key::plain(K::Esc), Back),
            (Key::ch('1'), Tables),
            (Key::ch('2'), Migrations),
            (Key::ch('3'), Findings),
            (Key::ch('?'), Help),
            (Key::ch('4'), Help),
            (Key::ch('/'), Filter),
            (Key::ch('s'), Sort),
            (Key::ch('n'), NextFinding),
            (Key::ch('N'), PrevFinding),
            (Key::ch('r'), Reload),
            (Key::ch('e'), Edit),
            (Key::ch('w'), Why),
            (Key::ch('5'), Targets),
            (Key::ch('t'), NextTarget),
        ];
        Keymap { bindings }
    }
}

impl Keymap {
    pub fn action(&self, key: Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, a)| *a)
    }

    pub fn keys(&self, action: Action) -> impl Iterator<Item = Key> + '_ {
        self.bindings
            .iter()
            .filter(move |(_, a)| *a == action)
            .map(|(k, _)| *k)
    }

    /// Replace every binding of `action` with `keys`; a key bound elsewhere moves here.
    pub fn rebind(&mut self, action: Action, keys: &[Key]) {
        self.bindings
            .retain(|(k, a)| *a != action && !keys.contains(k));
        for k in keys {
            self.bindings.push((*k, action));
        }
    }

    /// `j/↓` — every key of an action, for the help screen.
    pub fn keys_text(&self, action: Action) -> String {
        let keys: Vec<String> = self.keys(action).map(|k| k.to_string()).collect();
        if keys.is_empty() {
            "(unbound)".into()
        } else {
            keys.join(" ")
        }
    }

    /// `q quit` — the first key of each action, for the status bar; unbound actions are
    /// left out.
    pub fn hints(&self, actions: &[Action]) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = Vec::new();
        for a in actions {
            if let Some(k) = self.keys(*a).next() {
                if out.iter().any(|(_, h)| *h == a.hint()) {
                    continue;
                }
                out.push((k.to_string(), a.hint()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_keys() {
        assert_eq!(Key::parse("ctrl-d"), Ok(Key::ctrl('d')));
        assert_eq!(Key::parse("Ctrl+D"), Ok(Key::ctrl('d')));
        assert_eq!(Key::parse("shift-tab"), Ok(Key::plain(KeyCode::BackTab)));
        assert_eq!(Key::parse("G"), Ok(Key::ch('G')));
        assert_eq!(Key::parse("pgdn"), Ok(Key::plain(KeyCode::PageDown)));
        assert_eq!(Key::parse("f5"), Ok(Key::plain(KeyCode::F(5))));
        assert!(Key::parse("ctrl-c").is_err());
        assert!(Key::parse("hyper-x").is_err());
        assert_eq!(Key::ctrl('d').to_string(), "Ctrl-d");
        assert_eq!(Key::plain(KeyCode::BackTab).to_string(), "Shift-Tab");
    }

    #[test]
    fn every_action_has_a_default_key_and_a_unique_name() {
        let map = Keymap::default();
        for a in Action::ALL {
            assert!(map.keys(a).next().is_some(), "{a:?} unbound");
            assert_eq!(Action::from_name(a.name()), Some(a));
        }
    }

    #[test]
    fn rebinding_moves_a_key() {
        let mut map = Keymap::default();
        map.rebind(Action::Quit, &[Key::ch('x'), Key::ch('j')]);
        assert_eq!(map.action(Key::ch('q')), None);
        assert_eq!(map.action(Key::ch('j')), Some(Action::Quit));
        assert_eq!(map.action(Key::plain(KeyCode::Down)), Some(Action::Down));
        assert_eq!(map.hints(&[Action::Quit]), vec![("x".to_string(), "quit")]);
    }

    #[test]
    fn shift_is_part_of_the_character() {
        let e = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&e), Key::ch('G'));
        let e = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&e), Key::plain(KeyCode::BackTab));
    }
}
