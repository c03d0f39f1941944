//! Colors and text attributes. Every theme also marks differences with a glyph, so color
//! is never the only carrier of meaning; the monochrome theme uses no color at all.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeName {
    Default,
    Light,
    ColorBlind,
    Monochrome,
}

impl ThemeName {
    pub fn parse(s: &str) -> Option<ThemeName> {
        match s {
            "default" | "dark" => Some(ThemeName::Default),
            "light" => Some(ThemeName::Light),
            "colorblind" | "colourblind" | "color-blind" | "colour-blind" => {
                Some(ThemeName::ColorBlind)
            }
            "monochrome" | "mono" | "none" => Some(ThemeName::Monochrome),
            _ => None,
        }
    }

    pub const NAMES: &'static str = "default, light, colorblind, monochrome";
}

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: ThemeName,
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub border: Style,
    pub border_focus: Style,
    /// The cursor row.
    pub selected: Style,
    /// Section headers inside a pane (columns, indexes…).
    pub header: Style,
    pub bar: Style,
    pub key: Style,
    pub tab_active: Style,
    pub tab: Style,
    // Table status and finding categories.
    pub sync: Style,
    pub drift: Style,
    pub pending: Style,
    pub ungenerated: Style,
    pub history: Style,
    pub lint: Style,
    // Diff marks in the panes.
    pub added: Style,
    pub missing: Style,
    pub differs: Style,
    pub will_change: Style,
    pub error: Style,
    pub warning: Style,
    pub info: Style,
    // SQL.
    pub keyword: Style,
    pub string: Style,
    pub ident: Style,
    pub number: Style,
    pub comment: Style,
}

fn fg(c: Color) -> Style {
    Style::new().fg(c)
}

impl Theme {
    pub fn new(name: ThemeName) -> Theme {
        match name {
            ThemeName::Default => Theme::default_dark(),
            ThemeName::Light => Theme::light(),
            ThemeName::ColorBlind => Theme::color_blind(),
            ThemeName::Monochrome => Theme::monochrome(),
        }
    }

    /// The 16 named ANSI colors, so the terminal's own palette decides the shades. Blue,
    /// magenta and red are the bright variants: the dark ones fall under 3:1 on black in
    /// common palettes (see `contrast`).
    fn default_dark() -> Theme {
        let bold = Modifier::BOLD;
        Theme {
            name: ThemeName::Default,
            text: Style::new(),
            dim: Style::new().add_modifier(Modifier::DIM),
            title: Style::new().add_modifier(bold),
            border: fg(Color::DarkGray),
            border_focus: fg(Color::Cyan),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            header: fg(Color::Cyan).add_modifier(bold),
            bar: Style::new().add_modifier(Modifier::DIM),
            key: fg(Color::Cyan).add_modifier(bold),
            tab_active: fg(Color::Black).bg(Color::Cyan).add_modifier(bold),
            tab: fg(Color::Gray),
            sync: fg(Color::Green),
            drift: fg(Color::LightRed).add_modifier(bold),
            pending: fg(Color::Yellow),
            ungenerated: fg(Color::LightMagenta),
            history: fg(Color::LightYellow),
            lint: fg(Color::LightBlue),
            added: fg(Color::Green),
            missing: fg(Color::LightRed),
            differs: fg(Color::Yellow),
            will_change: fg(Color::Cyan),
            error: fg(Color::LightRed).add_modifier(bold),
            warning: fg(Color::Yellow),
            info: fg(Color::LightBlue),
            keyword: fg(Color::LightMagenta).add_modifier(bold),
            string: fg(Color::Green),
            ident: fg(Color::Cyan),
            number: fg(Color::Yellow),
            comment: fg(Color::Gray).add_modifier(Modifier::ITALIC),
        }
    }

    /// Every style text is drawn in, by field name (the borders are lines, not text).
    #[cfg(test)]
    pub(crate) fn text_styles(&self) -> Vec<(&'static str, Style)> {
        vec![
            ("text", self.text),
            ("dim", self.dim),
            ("title", self.title),
            ("selected", self.selected),
            ("header", self.header),
            ("bar", self.bar),
            ("key", self.key),
            ("tab_active", self.tab_active),
            ("tab", self.tab),
            ("sync", self.sync),
            ("drift", self.drift),
            ("pending", self.pending),
            ("ungenerated", self.ungenerated),
            ("history", self.history),
            ("lint", self.lint),
            ("added", self.added),
            ("missing", self.missing),
            ("differs", self.differs),
            ("will_change", self.will_change),
            ("error", self.error),
            ("warning", self.warning),
            ("info", self.info),
            ("keyword", self.keyword),
            ("string", self.string),
            ("ident", self.ident),
            ("number", self.number),
            ("comment", self.comment),
        ]
    }

    /// Darker colors for a light background: no light/bright variants, and a dark green
    /// from the 256-color cube (ANSI green is 2.2:1 on white in xterm).
    fn light() -> Theme {
        let bold = Modifier::BOLD;
        let green = Color::Indexed(28);
        Theme {
            name: ThemeName::Light,
            border: fg(Color::Gray),
            border_focus: fg(Color::Blue),
            header: fg(Color::Blue).add_modifier(bold),
            key: fg(Color::Blue).add_modifier(bold),
            tab_active: fg(Color::White).bg(Color::Blue).add_modifier(bold),
            tab: fg(Color::DarkGray),
            sync: fg(green),
            added: fg(green),
            string: fg(green),
            drift: fg(Color::Red).add_modifier(bold),
            missing: fg(Color::Red),
            error: fg(Color::Red).add_modifier(bold),
            ungenerated: fg(Color::Magenta),
            lint: fg(Color::Blue),
            info: fg(Color::Blue),
            history: fg(Color::Red),
            pending: fg(Color::Magenta),
            differs: fg(Color::Magenta),
            will_change: fg(Color::Blue),
            warning: fg(Color::Magenta),
            keyword: fg(Color::Blue).add_modifier(bold),
            ident: fg(Color::Magenta),
            number: fg(Color::Red),
            comment: fg(Color::DarkGray).add_modifier(Modifier::ITALIC),
            ..Theme::default_dark()
        }
    }

    /// Blue and orange (256-color palette) in place of green and red.
    fn color_blind() -> Theme {
        let blue = Color::Indexed(33);
        let orange = Color::Indexed(208);
        let bold = Modifier::BOLD;
        Theme {
            name: ThemeName::ColorBlind,
            sync: fg(blue),
            drift: fg(orange).add_modifier(bold),
            pending: fg(Color::Indexed(75)),
            ungenerated: fg(Color::Indexed(214)),
            history: fg(orange),
            added: fg(blue).add_modifier(bold),
            missing: fg(orange).add_modifier(bold),
            differs: fg(Color::Indexed(214)),
            will_change: fg(Color::Indexed(75)),
            error: fg(orange).add_modifier(bold),
            warning: fg(Color::Indexed(214)),
            info: fg(blue),
            string: fg(blue),
            ..Theme::default_dark()
        }
    }

    /// NO_COLOR / `--color never`: bold, reverse, underline and dim only.
    fn monochrome() -> Theme {
        let s = Style::new();
        let bold = s.add_modifier(Modifier::BOLD);
        let dim = s.add_modifier(Modifier::DIM);
        let under = s.add_modifier(Modifier::UNDERLINED);
        Theme {
            name: ThemeName::Monochrome,
            text: s,
            dim,
            title: bold,
            border: s,
            border_focus: bold,
            selected: s.add_modifier(Modifier::REVERSED),
            header: bold.add_modifier(Modifier::UNDERLINED),
            bar: dim,
            key: bold,
            tab_active: s.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            tab: s,
            sync: s,
            drift: bold,
            pending: under,
            ungenerated: bold,
            history: bold,
            lint: under,
            added: bold,
            missing: dim,
            differs: under,
            will_change: bold.add_modifier(Modifier::UNDERLINED),
            error: bold,
            warning: under,
            info: s,
            keyword: bold,
            string: under,
            ident: s,
            number: s,
            comment: dim,
        }
    }
}
