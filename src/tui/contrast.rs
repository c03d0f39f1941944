//! Every theme's foreground/background pairs against the palettes of common terminals,
//! by WCAG contrast ratio: the named ANSI colors are the terminal's, so a color that
//! reads on one palette can vanish on another (xterm's blue on black is 2.2:1).

use super::theme::{Theme, ThemeName};
use ratatui::style::{Color, Modifier, Style};

/// ANSI 0–15, then the default foreground and background.
struct Palette {
    name: &'static str,
    ansi: [u32; 16],
    fg: u32,
    bg: u32,
}

const XTERM: [u32; 16] = [
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5, 0x7f7f7f,
    0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
];
const TANGO: [u32; 16] = [
    0x2e3436, 0xcc0000, 0x4e9a06, 0xc4a000, 0x3465a4, 0x75507b, 0x06989a, 0xd3d7cf, 0x555753,
    0xef2929, 0x8ae234, 0xfce94f, 0x729fcf, 0xad7fa8, 0x34e2e2, 0xeeeeec,
];

const DARK: [Palette; 4] = [
    Palette {
        name: "xterm (dark)",
        ansi: XTERM,
        fg: 0xe5e5e5,
        bg: 0x000000,
    },
    Palette {
        name: "Windows Terminal Campbell",
        ansi: [
            0x0c0c0c, 0xc50f1f, 0x13a10e, 0xc19c00, 0x0037da, 0x881798, 0x3a96dd, 0xcccccc,
            0x767676, 0xe74856, 0x16c60c, 0xf9f1a5, 0x3b78ff, 0xb4009e, 0x61d6d6, 0xf2f2f2,
        ],
        fg: 0xcccccc,
        bg: 0x0c0c0c,
    },
    Palette {
        name: "VS Code Dark+",
        ansi: [
            0x000000, 0xcd3131, 0x0dbc79, 0xe5e510, 0x2472c8, 0xbc3fbc, 0x11a8cd, 0xe5e5e5,
            0x666666, 0xf14c4c, 0x23d18b, 0xf5f543, 0x3b8eea, 0xd670d6, 0x29b8db, 0xe5e5e5,
        ],
        fg: 0xcccccc,
        bg: 0x1e1e1e,
    },
    Palette {
        name: "GNOME Terminal (dark)",
        ansi: [
            0x171421, 0xc01c28, 0x26a269, 0xa2734c, 0x12488b, 0xa347ba, 0x2aa1b3, 0xd0cfcc,
            0x5e5c64, 0xf66151, 0x33d17a, 0xe9ad0c, 0x2a7bde, 0xc061cb, 0x33c7de, 0xffffff,
        ],
        fg: 0xd0cfcc,
        bg: 0x171421,
    },
];

const LIGHT: [Palette; 4] = [
    Palette {
        name: "xterm (light)",
        ansi: XTERM,
        fg: 0x000000,
        bg: 0xffffff,
    },
    Palette {
        name: "Tango (light)",
        ansi: TANGO,
        fg: 0x2e3436,
        bg: 0xeeeeec,
    },
    Palette {
        name: "VS Code Light+",
        ansi: [
            0x000000, 0xcd3131, 0x00bc00, 0x949800, 0x0451a5, 0xbc05bc, 0x0598bc, 0x555555,
            0x666666, 0xcd3131, 0x14ce14, 0xb5ba00, 0x0451a5, 0xbc05bc, 0x0598bc, 0xa5a5a5,
        ],
        fg: 0x333333,
        bg: 0xffffff,
    },
    Palette {
        name: "macOS Terminal Basic",
        ansi: [
            0x000000, 0x990000, 0x00a600, 0x999900, 0x0000b2, 0xb200b2, 0x00a6b2, 0xbfbfbf,
            0x666666, 0xe50000, 0x00d900, 0xe5e500, 0x0000ff, 0xe500e5, 0x00e5e5, 0xe5e5e5,
        ],
        fg: 0x000000,
        bg: 0xffffff,
    },
];

/// WCAG's minimum for large text and interface parts; the marks and statuses are also
/// glyphs and words, so color only has to be seen, not carry the meaning alone.
const MIN_RATIO: f64 = 3.0;

/// `None` is the terminal's default color.
fn rgb(p: &Palette, c: Option<Color>, default: u32) -> u32 {
    let ansi = |i: usize| p.ansi[i];
    match c {
        None | Some(Color::Reset) => default,
        Some(Color::Black) => ansi(0),
        Some(Color::Red) => ansi(1),
        Some(Color::Green) => ansi(2),
        Some(Color::Yellow) => ansi(3),
        Some(Color::Blue) => ansi(4),
        Some(Color::Magenta) => ansi(5),
        Some(Color::Cyan) => ansi(6),
        Some(Color::Gray) => ansi(7),
        Some(Color::DarkGray) => ansi(8),
        Some(Color::LightRed) => ansi(9),
        Some(Color::LightGreen) => ansi(10),
        Some(Color::LightYellow) => ansi(11),
        Some(Color::LightBlue) => ansi(12),
        Some(Color::LightMagenta) => ansi(13),
        Some(Color::LightCyan) => ansi(14),
        Some(Color::White) => ansi(15),
        Some(Color::Indexed(i)) if i < 16 => ansi(i as usize),
        // The 6×6×6 cube and the gray ramp are the same in every xterm-like terminal.
        Some(Color::Indexed(i)) if i < 232 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v as u32 };
            let n = i - 16;
            (level(n / 36) << 16) | (level(n / 6 % 6) << 8) | level(n % 6)
        }
        Some(Color::Indexed(i)) => {
            let g = 8 + 10 * (i as u32 - 232);
            (g << 16) | (g << 8) | g
        }
        Some(Color::Rgb(r, g, b)) => ((r as u32) << 16) | ((g as u32) << 8) | b as u32,
    }
}

fn luminance(c: u32) -> f64 {
    let channel = |v: u32| {
        let s = v as f64 / 255.0;
        if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c >> 16 & 0xff) + 0.7152 * channel(c >> 8 & 0xff) + 0.0722 * channel(c & 0xff)
}

fn ratio(a: u32, b: u32) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// The colors a style's text is drawn in: reversed swaps them.
fn drawn(p: &Palette, s: Style) -> (u32, u32) {
    let fg = rgb(p, s.fg, p.fg);
    let bg = rgb(p, s.bg, p.bg);
    if s.add_modifier.contains(Modifier::REVERSED) {
        (bg, fg)
    } else {
        (fg, bg)
    }
}

fn failures(theme: ThemeName, palettes: &[Palette]) -> Vec<String> {
    let t = Theme::new(theme);
    let mut out = Vec::new();
    for p in palettes {
        for (name, style) in t.text_styles() {
            let (fg, bg) = drawn(p, style);
            let r = ratio(fg, bg);
            if r < MIN_RATIO {
                out.push(format!("{theme:?}.{name} on {}: {r:.2}:1", p.name));
            }
        }
    }
    out
}

#[test]
fn the_ratio_is_wcags() {
    assert!((ratio(0x000000, 0xffffff) - 21.0).abs() < 1e-9);
    assert!((ratio(0x777777, 0x777777) - 1.0).abs() < 1e-9);
    // xterm's blue on black, the header's unreadable `lint 3`.
    assert!(ratio(0x0000ee, 0x000000) < MIN_RATIO);
}

#[test]
fn dark_themes_read_on_dark_palettes() {
    let mut bad = Vec::new();
    for theme in [
        ThemeName::Default,
        ThemeName::ColorBlind,
        ThemeName::Monochrome,
    ] {
        bad.extend(failures(theme, &DARK));
    }
    assert!(bad.is_empty(), "too little contrast:\n{}", bad.join("\n"));
}

#[test]
fn light_themes_read_on_light_palettes() {
    let mut bad = Vec::new();
    for theme in [ThemeName::Light, ThemeName::Monochrome] {
        bad.extend(failures(theme, &LIGHT));
    }
    assert!(bad.is_empty(), "too little contrast:\n{}", bad.join("\n"));
}
