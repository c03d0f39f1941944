//! Every screen of the explorer, drawn on a test backend at 80×24, 120×40 and 160×45 and compared
//! with the accepted snapshots in tests/snapshots; and the diff colors, read from the
//! drawn cells' styles.

mod tui_support;

use drizzle_drift::engine::{LiveSource, Options};
use drizzle_drift::tui::app::{self, State};
use drizzle_drift::tui::data::Side;
use drizzle_drift::tui::layout::{self, Panes};
use drizzle_drift::tui::theme::ThemeName;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use tui_support::*;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (160, 45)];

fn snap(name: &str, state: &State) {
    let text = screen_text(state);
    insta::assert_snapshot!(format!("{name}_{}x{}", state.width, state.height), text);
}

fn each_size(name: &str, setup: impl Fn(&mut State)) {
    for (w, h) in SIZES {
        let mut s = demo(w, h);
        setup(&mut s);
        snap(name, &s);
    }
}

#[test]
fn loading() {
    for (w, h) in SIZES {
        let options = demo_options();
        let mut s = new_state(&options, w, h, ThemeName::Default);
        let cmds = app::reload(&mut s);
        assert_eq!(cmds.len(), 1);
        snap("loading", &s);
    }
}

#[test]
fn tables() {
    each_size("tables", |s| {
        press(s, "G");
    });
}

#[test]
fn tables_drilled_into_a_table() {
    each_size("tables_drilled", |s| {
        press(s, "G\n");
    });
}

#[test]
fn tables_pending_table_live_pane() {
    each_size("tables_pending_live", |s| {
        press(s, "/projects\n\n\t");
    });
}

#[test]
fn tables_filter_typing() {
    each_size("tables_filter", |s| {
        press(s, "/pro");
    });
}

/// A sort and a filter in the title: shortened to fit the 80-column list.
#[test]
fn tables_sorted_and_filtered() {
    each_size("tables_sorted_filter", |s| {
        press(s, "s/pro\n");
        let text = screen_text(s);
        let title = if s.width == 80 {
            "┌ 1/5 /pro by status ─"
        } else {
            "┌ Tables 1/5 /pro by status ─"
        };
        assert!(text.contains(title), "{text}");
    });
}

#[test]
fn detail_of_a_drifted_column() {
    each_size("detail", |s| {
        press(s, "G\n\n");
    });
}

#[test]
fn detail_of_a_pending_column() {
    each_size("detail_pending_column", |s| {
        press(s, "/projects\n\n\n");
    });
}

#[test]
fn migrations() {
    each_size("migrations", |s| {
        press(s, "2");
    });
}

#[test]
fn migration_pending() {
    for (w, h) in SIZES {
        let mut s = demo(w, h);
        let cmds = press(&mut s, "2G\n");
        drive(&mut s, &context(demo_options()), cmds);
        snap("migration_pending", &s);
    }
}

#[test]
fn findings() {
    each_size("findings", |s| {
        press(s, "3j");
    });
}

#[test]
fn help() {
    each_size("help", |s| {
        press(s, "?");
    });
}

#[test]
fn monochrome() {
    for (w, h) in SIZES {
        let mut s = loaded(demo_options(), w, h, ThemeName::Monochrome);
        press(&mut s, "G\n");
        snap("monochrome", &s);
    }
}

#[test]
fn too_small() {
    let mut s = demo(60, 20);
    snap("too_small", &s);
    s.width = 100;
    s.height = 23;
    snap("too_small", &s);
}

#[test]
fn config_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("drizzle.config.json"), "{ not json").expect("write");
    for (w, h) in SIZES {
        let options = Options {
            config: None,
            cwd: dir.path().to_path_buf(),
            live: LiveSource::Offline,
            ts_engine: Default::default(),
            overrides: Default::default(),
        };
        snap("config_error", &loaded(options, w, h, ThemeName::Default));
    }
}

#[test]
fn catalog_error() {
    for (w, h) in SIZES {
        let options = Options {
            config: None,
            cwd: demo_dir().join("project"),
            // Relative to the test's working directory, so the message is the same
            // on every machine.
            live: LiveSource::Captured("no-such-catalog.json".into()),
            ts_engine: Default::default(),
            overrides: Default::default(),
        };
        let mut s = loaded(options, w, h, ThemeName::Default);
        press(&mut s, "G\t\t\t");
        snap("catalog_error", &s);
    }
}

#[test]
fn empty_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("drizzle.config.json"),
        r#"{"dialect":"postgresql","schema":"./s.ts","out":"./drizzle"}"#,
    )
    .expect("config");
    for (w, h) in SIZES {
        let options = Options {
            config: None,
            cwd: dir.path().to_path_buf(),
            live: LiveSource::Offline,
            ts_engine: Default::default(),
            overrides: Default::default(),
        };
        snap("empty", &loaded(options.clone(), w, h, ThemeName::Default));
        let mut s = loaded(options, w, h, ThemeName::Default);
        press(&mut s, "3");
        snap("empty_findings", &s);
        press(&mut s, "2");
        snap("empty_migrations", &s);
    }
}

// ---- colors, read from the cells ----

fn drawn(state: &State) -> Buffer {
    render(state).backend().buffer().clone()
}

fn pane_rects(state: &State) -> [Rect; 3] {
    let f = layout::frame(state.area());
    match state.tables_layout(f.body).panes {
        Panes::Side(p) => p.map(layout::inner),
        Panes::Lives { .. } | Panes::Tabbed(_) => panic!("not three panes at this size"),
    }
}

/// The mark cell of `label`'s row in `side`'s pane, found by the row in the pane that
/// has the label (the absent side has no label: the same y is used).
fn row_marks(state: &State, label: &str) -> [(String, ratatui::style::Style); 3] {
    let buf = drawn(state);
    let panes = pane_rects(state);
    let present = [Side::Live, Side::Snapshot]
        .into_iter()
        .find_map(|side| {
            let pane = panes[side.index()];
            (pane.y..pane.y + pane.height).find(|&y| {
                let line: String = (pane.x..pane.x + pane.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect();
                line.get(1..)
                    .is_some_and(|l| l.starts_with(&format!("{label} ")))
            })
        })
        .expect("label drawn");
    panes.map(|p| {
        let c = &buf[(p.x, present)];
        (c.symbol().to_string(), c.style())
    })
}

/// Every pane is marked against the reference pane (the TypeScript schema here), which
/// has no marks itself.
#[test]
fn diff_marks_are_glyphs_and_colors() {
    let mut s = demo(120, 40);
    press(&mut s, "G");
    let [ts, snapshot, live] = row_marks(&s, "nickname");
    assert_eq!(ts.0, " ", "the reference has no marks");
    assert_eq!(
        snapshot.0, " ",
        "the snapshot does not have it either, as the reference"
    );
    assert_eq!(live.0, "+", "only the database has it");
    assert_eq!(live.1.fg, Some(Color::Green));
    let [_, _, live_id] = row_marks(&s, "email");
    assert_eq!(live_id.0, " ", "in sync rows have no mark");
    assert!(matches!(live_id.1.fg, None | Some(Color::Reset)));

    // The issue's example: created by the pending migration.
    press(&mut s, "/invoices\n");
    let [ts, snapshot, live] = row_marks(&s, "paid_at");
    assert_eq!(
        (ts.0.as_str(), snapshot.0.as_str(), live.0.as_str()),
        (" ", " ", "!")
    );
    assert_eq!(live.1.fg, Some(Color::Cyan));
    let text = screen_text(&s);
    assert!(text.contains("TypeScript (reference)"), "{text}");
    assert!(text.contains("vs TypeScript: +only here"), "{text}");
}

#[test]
fn colour_blind_theme_uses_blue_and_orange() {
    let mut s = loaded(demo_options(), 120, 40, ThemeName::ColorBlind);
    press(&mut s, "G");
    let [_, _, live] = row_marks(&s, "nickname");
    assert_eq!(live.1.fg, Some(Color::Indexed(33)));
    press(&mut s, "/projects\n");
    let [_, _, live] = row_marks(&s, "slug");
    assert_eq!(live.1.fg, Some(Color::Indexed(75)));
}

#[test]
fn monochrome_uses_no_color_at_all() {
    for (w, h) in SIZES {
        let mut s = loaded(demo_options(), w, h, ThemeName::Monochrome);
        let check = |s: &State, what: &str| {
            let buf = drawn(s);
            for cell in buf.content() {
                assert!(
                    matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
                    "{what}: colored cell {cell:?}"
                );
            }
        };
        press(&mut s, "G");
        check(&s, "tables");
        press(&mut s, "\n");
        check(&s, "panes");
        press(&mut s, "\n");
        check(&s, "detail");
        press(&mut s, "3");
        check(&s, "findings");
        let cmds = press(&mut s, "2G\n");
        drive(&mut s, &context(demo_options()), cmds);
        check(&s, "migration");
        press(&mut s, "?");
        check(&s, "help");
    }
    // Marks still stand out: bold for present-only-here.
    let mut s = loaded(demo_options(), 120, 40, ThemeName::Monochrome);
    press(&mut s, "G");
    let [_, _, live] = row_marks(&s, "nickname");
    assert!(live.1.add_modifier.contains(Modifier::BOLD));
}

#[test]
fn light_theme_draws() {
    let mut s = loaded(demo_options(), 120, 40, ThemeName::Light);
    press(&mut s, "G");
    let [_, snapshot, live] = row_marks(&s, "nickname");
    assert_eq!(live.0, "+");
    assert_eq!(snapshot.0, " ");
    assert!(live.1.fg.is_some());
}

#[test]
fn why_prompt() {
    let options = demo_options();
    for (w, h) in SIZES {
        let mut s = demo(w, h);
        let ctx = context(options.clone());
        press(&mut s, "w");
        snap("why_prompt", &s);
        let cmds = press(&mut s, "column \"nickname\" does not exist\n");
        drive(&mut s, &ctx, cmds);
        snap("why_explained", &s);
    }
}

/// At 160 columns each pane has 41 cells inside: a name of up to 40 characters (the mark
/// takes one) is drawn whole, and so is `timestamp with time zone` next to a short name.
#[test]
fn wide_terminal_shows_the_demo_names_whole() {
    let mut m = demo(160, 45);
    press(&mut m, "/memberships\n");
    snap("wide_memberships", &m);
    let mut s = demo(160, 45);
    let tables = s.tables.visible.len();
    assert_eq!(tables, 5);
    press(&mut s, "g");
    let mut checked = 0;
    for _ in 0..tables {
        let text = screen_text(&s);
        for o in s.tables.rows.iter().filter_map(|r| r.object()) {
            if o.label.chars().count() <= 40 {
                checked += 1;
                assert!(
                    text.contains(&format!("{} ", o.label)),
                    "{} cut at 160 columns:\n{text}",
                    o.label
                );
            }
        }
        press(&mut s, "j");
    }
    assert!(checked > 30, "{checked}");
    press(&mut s, "G");
    let text = screen_text(&s);
    assert!(
        text.contains("last_seen_at timestamp with time zone "),
        "{text}"
    );
}
