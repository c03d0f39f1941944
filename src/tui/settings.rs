//! The optional user config: `$DRIZZLE_DRIFT_CONFIG`, else
//! `$XDG_CONFIG_HOME/drizzle-drift/config.toml` (`~/.config/…` without XDG).
//!
//! ```toml
//! theme = "colorblind"      # default | light | colorblind | monochrome
//! mouse = false
//! [keys]
//! quit = ["q", "ctrl-q"]    # an action's keys replace its defaults
//! down = "j"
//! ```
//! A mistake is an error naming the file and line, never silently ignored.

use super::keymap::{Action, Key, Keymap};
use super::theme::ThemeName;
use crate::diagnostic::line_col;
use crate::error::Error;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub theme: Option<ThemeName>,
    pub mouse: Option<bool>,
    pub keymap: Keymap,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    theme: Option<Spanned<String>>,
    mouse: Option<bool>,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<Keys>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

/// Where the config file is, if there is one to read. A path given by
/// `DRIZZLE_DRIFT_CONFIG` must exist; the default one is optional.
pub fn location(
    explicit: Option<String>,
    xdg: Option<String>,
    home: Option<String>,
) -> Option<(PathBuf, bool)> {
    if let Some(p) = explicit.filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(p), true));
    }
    let base = match (
        xdg.filter(|x| !x.is_empty()),
        home.filter(|h| !h.is_empty()),
    ) {
        (Some(x), _) => PathBuf::from(x),
        (None, Some(h)) => Path::new(&h).join(".config"),
        (None, None) => return None,
    };
    Some((base.join("drizzle-drift").join("config.toml"), false))
}

/// Read the user config from the environment's location.
pub fn load() -> Result<Settings, Error> {
    let var = |k: &str| std::env::var(k).ok();
    let Some((path, required)) = location(
        var("DRIZZLE_DRIFT_CONFIG"),
        var("XDG_CONFIG_HOME"),
        var("HOME"),
    ) else {
        return Ok(Settings::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text).map_err(|message| Error::File { path, message }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(Settings::default()),
        Err(e) => Err(Error::File {
            path,
            message: format!("cannot read the drizzle-drift config: {e}"),
        }),
    }
}

pub fn parse(text: &str) -> Result<Settings, String> {
    let at = |span: std::ops::Range<usize>| {
        let (line, col) = line_col(text, span.start);
        format!("line {line}, column {col}")
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let place = e.span().map(&at).unwrap_or_default();
        let msg = e.message().trim().to_string();
        if place.is_empty() {
            msg
        } else {
            format!("{place}: {msg}")
        }
    })?;
    let theme = match raw.theme {
        None => None,
        Some(t) => Some(ThemeName::parse(t.get_ref()).ok_or_else(|| {
            format!(
                "{}: unknown theme {:?} (one of: {})",
                at(t.span()),
                t.get_ref(),
                ThemeName::NAMES
            )
        })?),
    };
    let mut keymap = Keymap::default();
    for (name, keys) in &raw.keys {
        let action = Action::from_name(name.get_ref()).ok_or_else(|| {
            let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
            format!(
                "{}: unknown action {:?} in [keys] (one of: {})",
                at(name.span()),
                name.get_ref(),
                names.join(", ")
            )
        })?;
        let list = match keys.get_ref() {
            Keys::One(k) => vec![k.clone()],
            Keys::Many(ks) => ks.clone(),
        };
        if list.is_empty() {
            return Err(format!(
                "{}: {} needs at least one key",
                at(keys.span()),
                action.name()
            ));
        }
        let parsed = list
            .iter()
            .map(|k| Key::parse(k))
            .collect::<Result<Vec<Key>, String>>()
            .map_err(|e| format!("{}: {e}", at(keys.span())))?;
        keymap.rebind(action, &parsed);
    }
    Ok(Settings {
        theme,
        mouse: raw.mouse,
        keymap,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_theme_mouse_and_keys() {
        let s = parse(
            "theme = \"light\"\nmouse = false\n[keys]\nquit = [\"x\", \"ctrl-q\"]\ndown = \"J\"\n",
        )
        .expect("valid");
        assert_eq!(s.theme, Some(ThemeName::Light));
        assert_eq!(s.mouse, Some(false));
        assert_eq!(s.keymap.action(Key::ch('x')), Some(Action::Quit));
        assert_eq!(s.keymap.action(Key::ctrl('q')), Some(Action::Quit));
        assert_eq!(s.keymap.action(Key::ch('q')), None);
        assert_eq!(s.keymap.action(Key::ch('J')), Some(Action::Down));
        assert_eq!(s.keymap.action(Key::ch('j')), None);
    }

    #[test]
    fn mistakes_name_the_line() {
        let e = parse("theme = \"dark\"\n\n[keys]\nquit = \"hyper-q\"\n").expect_err("bad key");
        assert!(e.starts_with("line 4"), "{e}");
        assert!(e.contains("hyper-q"), "{e}");
        let e = parse("theme = \"sepia\"\n").expect_err("bad theme");
        assert!(e.starts_with("line 1"), "{e}");
        let e = parse("[keys]\nfly = \"f\"\n").expect_err("bad action");
        assert!(e.starts_with("line 2") && e.contains("fly"), "{e}");
        let e = parse("\ncolour = 1\n").expect_err("unknown field");
        assert!(e.starts_with("line 2"), "{e}");
        let e = parse("theme = \n").expect_err("syntax");
        assert!(e.starts_with("line 1"), "{e}");
        let e = parse("[keys]\nquit = []\n").expect_err("empty");
        assert!(e.contains("at least one key"), "{e}");
        let e = parse("[keys]\nquit = 3\n").expect_err("wrong type");
        assert!(e.starts_with("line 2"), "{e}");
    }

    #[test]
    fn location_prefers_the_explicit_path_then_xdg_then_home() {
        assert_eq!(
            location(Some("/c.toml".into()), Some("/x".into()), None),
            Some((PathBuf::from("/c.toml"), true))
        );
        assert_eq!(
            location(None, Some("/x".into()), Some("/h".into())),
            Some((PathBuf::from("/x/drizzle-drift/config.toml"), false))
        );
        assert_eq!(
            location(None, None, Some("/h".into())),
            Some((PathBuf::from("/h/.config/drizzle-drift/config.toml"), false))
        );
        assert_eq!(location(None, None, None), None);
    }
}
