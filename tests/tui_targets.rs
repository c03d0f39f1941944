//! The explorer over several databases: the Targets screen and a Live pane per target,
//! drawn at 80×24, 120×40 and 160×45 in both themes. The targets are catalogs captured
//! from a real primary and its real streaming replica (scripts/make-targets-demo.sh), the
//! demo's own catalog, a database that cannot be reached and a catalog file that is not
//! there; and, against the throwaway PostgreSQL, two databases at different migration
//! levels.

mod support;
mod tui_support;

use drizzle_drift::commands::TargetArgs;
use drizzle_drift::engine::{LiveSource, Options};
use drizzle_drift::report::ObjectKind;
use drizzle_drift::tui::app::{self, LiveKind, Screen, State};
use drizzle_drift::tui::data::{CellValue, Mark, PaneRow};
use drizzle_drift::tui::keymap::Keymap;
use drizzle_drift::tui::layout::{self, Panes};
use drizzle_drift::tui::tasks::Context;
use drizzle_drift::tui::theme::{Theme, ThemeName};
use ratatui::style::Color;
use std::path::Path;
use std::sync::Arc;
use tui_support::*;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (160, 45)];
const THEMES: [(ThemeName, &str); 2] = [(ThemeName::Default, ""), (ThemeName::Monochrome, "_mono")];
/// Nothing listens on port 1: refused at once, the same words on every machine.
const GONE: &str = "gone=postgres://app:secret@127.0.0.1:1/app";

/// The demo project in a temporary folder, with the captured catalogs beside it in
/// `targets/` (so they are shown by a path relative to the project).
fn project() -> tempfile::TempDir {
    let dir = demo_copy();
    let targets = dir.path().join("project/targets");
    std::fs::create_dir_all(&targets).expect("mkdir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/targets");
    for name in ["primary", "replica"] {
        std::fs::copy(
            fixtures.join(format!("{name}.json")),
            targets.join(format!("{name}.json")),
        )
        .expect("copy catalog");
    }
    std::fs::copy(dir.path().join("catalog.json"), targets.join("demo.json")).expect("copy");
    dir
}

/// The explorer on `cwd` with `flags` as `--target`s, every load run.
fn with_targets(cwd: &Path, flags: &[&str], w: u16, h: u16, theme: ThemeName) -> State {
    let options = Options {
        config: None,
        cwd: cwd.to_path_buf(),
        live: LiveSource::Database { url: None },
        ts_engine: Default::default(),
        overrides: Default::default(),
    };
    let mut state = State::new(
        w,
        h,
        LiveKind::Targets,
        Theme::new(theme),
        Keymap::default(),
    );
    let ctx = Arc::new(Context {
        options,
        live_label: None,
        targets: TargetArgs {
            flags: flags.iter().map(|f| f.to_string()).collect(),
            file: None,
            jobs: 4,
        },
    });
    let cmds = app::reload(&mut state);
    drive(&mut state, &ctx, cmds);
    state
}

fn snap(name: &str, state: &State) {
    insta::assert_snapshot!(
        format!("{name}_{}x{}", state.width, state.height),
        screen_text(state)
    );
}

const PRIMARY_REPLICA: [&str; 2] = [
    "primary=targets/primary.json",
    "replica-1=targets/replica.json",
];

#[test]
fn targets_screen_lists_each_target_with_its_state() {
    let dir = project();
    let cwd = dir.path().join("project");
    let flags = [PRIMARY_REPLICA[0], PRIMARY_REPLICA[1], GONE];
    for (theme, suffix) in THEMES {
        for (w, h) in SIZES {
            let mut s = with_targets(&cwd, &flags, w, h, theme);
            press(&mut s, "5j");
            assert_eq!(s.screen, Screen::Targets);
            snap(&format!("targets_screen{suffix}"), &s);
        }
    }
}

#[test]
fn a_fleet_is_listed_by_group_and_a_group_opens() {
    let dir = project();
    let cwd = dir.path().join("project");
    let flags = [
        "tenant_a=targets/primary.json",
        "tenant_b=targets/primary.json",
        "tenant_c=targets/primary.json",
        "legacy=targets/demo.json",
        "replica-1=targets/replica.json",
        "gone_1=postgres://app@127.0.0.1:1/one",
        "gone_2=postgres://app@127.0.0.1:1/two",
    ];
    for (theme, suffix) in THEMES {
        for (w, h) in SIZES {
            let mut s = with_targets(&cwd, &flags, w, h, theme);
            // The three identical tenants are one line, listed with →.
            press(&mut s, "5l");
            snap(&format!("targets_fleet{suffix}"), &s);
        }
    }
    let mut s = with_targets(&cwd, &flags, 120, 40, ThemeName::Default);
    let fleet = s.fleet.clone().expect("fleet");
    assert!(fleet.is_fleet());
    assert_eq!(fleet.groups.len(), 3, "tenants, legacy, replica");
    // Enter on the group opens its first target; `t` steps through distinct databases.
    press(&mut s, "5\n");
    assert_eq!(s.screen, Screen::Tables);
    assert_eq!(
        s.current_target().map(|t| t.name.as_str()),
        Some("tenant_a")
    );
    press(&mut s, "t");
    assert_eq!(s.current_target().map(|t| t.name.as_str()), Some("legacy"));
    press(&mut s, "tt");
    assert_eq!(s.current_target().map(|t| t.name.as_str()), Some("gone_1"));
    let text = screen_text(&s);
    assert!(text.contains("gone_1: unreachable"), "{text}");
    press(&mut s, "t");
    assert_eq!(
        s.current_target().map(|t| t.name.as_str()),
        Some("tenant_a")
    );
}

/// The projects table: the replica is two migrations behind (its slug column pending).
fn projects(s: &mut State) {
    press(s, "/projects\n\n");
}

#[test]
fn a_live_pane_per_target_when_wide_else_t_cycles() {
    let dir = project();
    let cwd = dir.path().join("project");
    for (theme, suffix) in THEMES {
        for (w, h) in SIZES {
            let mut s = with_targets(&cwd, &PRIMARY_REPLICA, w, h, theme);
            projects(&mut s);
            snap(&format!("tables_targets{suffix}"), &s);
        }
    }
    // 160 columns: two Live panes; 120: one, titled with its target, `t` for the next.
    let mut s = with_targets(&cwd, &PRIMARY_REPLICA, 160, 45, ThemeName::Default);
    projects(&mut s);
    let f = layout::frame(s.area());
    assert!(matches!(
        s.tables_layout(f.body).panes,
        Panes::Lives { count: 2, .. }
    ));
    let text = screen_text(&s);
    assert!(text.contains("Live · primary") && text.contains("Live · replica-1"));
    let slug = s
        .tables
        .rows
        .iter()
        .filter_map(PaneRow::object)
        .find(|o| o.label == "slug")
        .expect("a slug row");
    assert!(matches!(slug.lives[0].value, CellValue::Present(_)));
    assert_eq!(slug.lives[0].mark, None);
    assert_eq!(slug.lives[1].value, CellValue::Absent);
    assert_eq!(slug.lives[1].mark, Some(Mark::Pending));

    let mut s = with_targets(&cwd, &PRIMARY_REPLICA, 120, 40, ThemeName::Default);
    projects(&mut s);
    let text = screen_text(&s);
    assert!(text.contains("Live · primary (1/2)"), "{text}");
    assert!(text.contains("t next target"), "{text}");
    press(&mut s, "t");
    let text = screen_text(&s);
    assert!(text.contains("Live · replica-1 (2/2)"), "{text}");
    assert!(
        text.contains("replica-1: applied 0001_projects"),
        "the summary is the replica's: {text}"
    );
    assert!(text.contains("2 targets (2 read)"), "{text}");
}

#[test]
fn help_lists_the_target_keys() {
    let dir = project();
    let cwd = dir.path().join("project");
    let mut s = with_targets(&cwd, &PRIMARY_REPLICA, 120, 40, ThemeName::Default);
    press(&mut s, "?");
    let text = screen_text(&s);
    assert!(text.contains("several databases"), "{text}");
    assert!(text.contains("next target in the Live pane"), "{text}");
    assert!(text.contains("Targets screen"), "{text}");
    press(&mut s, "\u{1b}");
    assert!(screen_text(&s).contains("t next target"));
}

/// Two real databases at different migration levels and one that cannot be reached, on
/// a terminal wide enough for three Live panes.
#[test]
fn two_databases_at_different_levels_side_by_side() {
    let Some(server) = support::PgServer::from_env() else {
        return;
    };
    let rt = runtime();
    let (ahead, behind) = rt.block_on(async {
        let ahead = server.create_db().await;
        let behind = server.create_db().await;
        let dir = support::fixture("pending").join("drizzle");
        for (db, upto) in [(&ahead, None), (&behind, Some(2))] {
            support::apply_migrations(db, &dir, upto, "drizzle", "__drizzle_migrations")
                .await
                .expect("migrate");
        }
        (ahead, behind)
    });
    let ahead_flag = format!("ahead={}", ahead.url());
    let behind_flag = format!("behind={}", behind.url());
    let flags = [ahead_flag.as_str(), behind_flag.as_str(), GONE];
    let mut s = with_targets(
        &support::fixture("pending"),
        &flags,
        200,
        50,
        ThemeName::Default,
    );
    let f = layout::frame(s.area());
    assert!(matches!(
        s.tables_layout(f.body).panes,
        Panes::Lives { count: 3, .. }
    ));
    press(&mut s, "/comments\n\n");
    let text = screen_text(&s);
    assert!(text.contains("3 targets (2 read)"), "{text}");
    assert!(text.contains("Live · ahead") && text.contains("Live · behind"));
    assert!(text.contains("gone: unreachable — "), "{text}");
    assert!(!text.contains("secret"), "{text}");
    let row = |kind: ObjectKind, name: &str| {
        s.tables
            .rows
            .iter()
            .filter_map(PaneRow::object)
            .find(|o| o.key.kind == kind && o.label == name)
            .unwrap_or_else(|| panic!("no {name} row"))
            .lives
            .iter()
            .map(|c| (c.value.clone(), c.mark))
            .collect::<Vec<_>>()
    };
    let table = row(ObjectKind::Table, "comments");
    assert!(
        matches!(table[0], (CellValue::Present(_), None)),
        "{table:?}"
    );
    assert_eq!(
        table[1],
        (CellValue::Absent, Some(Mark::Pending)),
        "the comments table is pending on behind only"
    );
    assert_eq!(table[2], (CellValue::NotLoaded, None));
    let id = row(ObjectKind::Column, "id");
    assert!(matches!(id[0], (CellValue::Present(_), None)), "{id:?}");
    assert_eq!(id[1], (CellValue::Absent, Some(Mark::Missing)));

    // The Targets screen: a row each, with its own applied migration and pending count.
    press(&mut s, "5");
    let text = screen_text(&s);
    let row = |name: &str| {
        text.lines()
            .map(|l| {
                l.replace(['│', '>'], " ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row {name}:\n{text}"))
    };
    assert!(
        row("ahead").contains("ahead ok primary 0002_comments 0 "),
        "{}",
        row("ahead")
    );
    assert!(
        row("behind").contains("behind ok primary 0001_published_flag 1 "),
        "{}",
        row("behind")
    );
    assert!(
        row("gone").contains("gone unreachable — "),
        "{}",
        row("gone")
    );
    // Enter on behind: the screens are behind's (its migrations, its findings).
    press(&mut s, "j\n");
    assert_eq!(s.current_target().map(|t| t.name.as_str()), Some("behind"));
    let data = s.data.clone().expect("data");
    let pending: Vec<&str> = data
        .report
        .migrations
        .iter()
        .filter(|m| m.state == drizzle_drift::report::MigrationState::Pending)
        .map(|m| m.tag.as_str())
        .collect();
    assert_eq!(pending, ["0002_comments"]);
    drop((ahead, behind));
}

#[test]
fn monochrome_targets_use_no_color() {
    let dir = project();
    let cwd = dir.path().join("project");
    let flags = [PRIMARY_REPLICA[0], PRIMARY_REPLICA[1], GONE];
    for (w, h) in SIZES {
        let mut s = with_targets(&cwd, &flags, w, h, ThemeName::Monochrome);
        let check = |s: &State, what: &str| {
            let term = render(s);
            for cell in term.backend().buffer().content() {
                assert!(
                    matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
                    "{what}: colored cell {cell:?}"
                );
            }
        };
        projects(&mut s);
        check(&s, "tables");
        press(&mut s, "5");
        check(&s, "targets");
    }
}

/// The real binary: `--target` flags open the explorer on both databases.
/// A reload follows the catalogs named as targets, as it follows the project's files.
#[test]
fn the_targets_catalog_files_are_watched() {
    let dir = project();
    let cwd = dir.path().join("project");
    let s = with_targets(&cwd, &PRIMARY_REPLICA, 120, 40, ThemeName::Default);
    let fleet = s.fleet.as_ref().expect("targets read");
    for i in 0..fleet.targets().len() {
        let watched = &fleet.data_of(i).watched;
        for file in [
            "targets/primary.json",
            "targets/replica.json",
            "drizzle.config.ts",
        ] {
            let want = cwd.join(file).canonicalize().expect("exists");
            assert!(watched.files.contains(&want), "{file}: {watched:?}");
        }
    }
}

#[test]
fn the_explorer_reads_the_targets_named_on_the_command_line() {
    let dir = project();
    let cwd = dir.path().join("project");
    let mut t = tui_support::pty::Pty::spawn_in(
        Some(&cwd),
        &[
            "--target",
            PRIMARY_REPLICA[0],
            "--target",
            PRIMARY_REPLICA[1],
            "--no-watch",
        ],
        160,
        45,
        &[],
    );
    let screen = t.wait_for("Live · replica-1");
    assert!(screen.contains("Live · primary"), "{screen}");
    assert!(screen.contains("2 targets (2 read)"), "{screen}");
    t.send("5");
    let screen = t.wait_for("Targets 2 · 2 read");
    assert!(screen.contains("replica 4.9 s paused"), "{screen}");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

/// `check` over several targets: a progress line on stderr when it is a terminal,
/// cleared before the report; nothing on stderr when it is piped.
#[test]
fn check_shows_progress_on_a_terminal_only() {
    let dir = project();
    let cwd = dir.path().join("project");
    let args = [
        "check",
        "--target",
        PRIMARY_REPLICA[0],
        "--target",
        PRIMARY_REPLICA[1],
        "--target",
        GONE,
    ];
    let mut t = tui_support::pty::Pty::spawn_in(Some(&cwd), &args, 160, 45, &[]);
    assert_eq!(t.wait_exit(), 2, "a target was not read");
    let raw = t.raw();
    // Redraws are rate-limited: which counts were drawn depends on the machine.
    assert!(
        raw.contains("targets ") && raw.contains("/3 · ") && raw.contains(" failed"),
        "{raw}"
    );
    let screen = t.screen();
    assert!(!screen.contains("targets 3/3"), "cleared: {screen}");
    assert!(screen.contains("1 unreachable: gone"), "{screen}");

    let (code, stdout, stderr) = support::cli::run(&cwd, None, &args);
    assert_eq!(code, 2, "{stdout}");
    assert_eq!(stderr, "", "nothing on a piped stderr");
}
