//! The explorer's update loop: key sequences in, state and requested loads out.

mod tui_support;

use crossterm::event::{KeyCode, MouseButton, MouseEventKind};
use drizzle_drift::engine::{LiveSource, Options};
use drizzle_drift::tui::app::{
    self, update, Command, Focus, LiveKind, Msg, Outcome, Screen, SourceStatus, State,
};
use drizzle_drift::tui::data::{Mark, PaneRow, Side, Status};
use drizzle_drift::tui::keymap::{Action, Key, Keymap};
use drizzle_drift::tui::theme::{Theme, ThemeName};
use std::sync::Arc;
use tui_support::*;

fn names(cmds: &[Command]) -> Vec<&'static str> {
    cmds.iter().map(Command::name).collect()
}

fn selected(state: &State) -> String {
    state
        .selected_table()
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn selected_row(state: &State) -> String {
    state
        .tables
        .rows
        .get(state.tables.row.selected)
        .and_then(PaneRow::object)
        .map(|o| o.label.clone())
        .unwrap_or_default()
}

/// Run one command and return the message it answers with.
fn answer(ctx: &Arc<drizzle_drift::tui::tasks::Context>, cmd: Command) -> Msg {
    let rt = runtime();
    rt.block_on(drizzle_drift::tui::tasks::execute(ctx.clone(), cmd))
        .expect("a load answers")
}

#[test]
fn loads_go_config_then_history_and_catalog_then_one_report() {
    let options = demo_options();
    let ctx = context(options.clone());
    let mut s = new_state(&options, 120, 40, ThemeName::Default);
    let first = app::reload(&mut s);
    assert_eq!(names(&first), ["load-config"]);
    assert_eq!(s.config, SourceStatus::Loading);
    assert!(s.loading());

    let mut cmds = first;
    let config = answer(&ctx, cmds.remove(0));
    let cmds = update(&mut s, config);
    // A captured catalog does not wait for the history.
    assert_eq!(names(&cmds), ["load-history", "load-live"]);
    assert_eq!(s.snapshot, SourceStatus::Loading);
    assert_eq!(s.live, SourceStatus::Loading);

    let mut report_cmds = Vec::new();
    for cmd in cmds {
        let msg = answer(&ctx, cmd);
        report_cmds.extend(update(&mut s, msg));
    }
    assert_eq!(names(&report_cmds), ["build-report"], "built exactly once");
    assert!(s.data.is_none(), "nothing shown before the report is built");
    let msg = answer(&ctx, report_cmds.remove(0));
    assert!(update(&mut s, msg).is_empty());
    let data = s.data.as_ref().expect("report");
    assert_eq!(
        data.report.findings.len(),
        9,
        "6 + 3 lint findings of the pending migration"
    );
    assert_eq!(s.live, SourceStatus::Ready(DEMO_LABEL.into()));
    assert!(!s.loading());
    let tables: Vec<String> = data.tables.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(
        tables,
        [
            "billing.invoices",
            "memberships",
            "organizations",
            "projects",
            "users"
        ]
    );
    let status: Vec<Status> = data.tables.iter().map(|t| t.status).collect();
    assert_eq!(
        status,
        [
            Status::Pending,
            Status::InSync,
            Status::InSync,
            // Its pending migration has lint warnings.
            Status::Lint,
            Status::Drift
        ]
    );
}

#[test]
fn a_database_waits_for_the_history_and_offline_reads_none() {
    let dir = demo_dir().join("project");
    let db = Options {
        ts_engine: Default::default(),
        overrides: Default::default(),
        config: None,
        cwd: dir.clone(),
        live: LiveSource::Database {
            url: Some("postgres://nobody@127.0.0.1:1/none".into()),
        },
    };
    let ctx = context(db.clone());
    let mut s = new_state(&db, 120, 40, ThemeName::Default);
    assert_eq!(s.live_kind, LiveKind::Database);
    let mut cmds = app::reload(&mut s);
    let cmds = update(&mut s, answer(&ctx, cmds.remove(0)));
    assert_eq!(names(&cmds), ["load-history"]);
    assert_eq!(s.live, SourceStatus::Waiting);
    let mut cmds = cmds;
    let cmds = update(&mut s, answer(&ctx, cmds.remove(0)));
    assert_eq!(names(&cmds), ["load-live"]);

    let offline = Options {
        ts_engine: Default::default(),
        overrides: Default::default(),
        config: None,
        cwd: dir,
        live: LiveSource::Offline,
    };
    let ctx = context(offline.clone());
    let mut s = new_state(&offline, 120, 40, ThemeName::Default);
    let mut cmds = app::reload(&mut s);
    let mut cmds = update(&mut s, answer(&ctx, cmds.remove(0)));
    assert_eq!(names(&cmds), ["load-history"]);
    assert!(matches!(s.live, SourceStatus::Off(_)));
    let cmds2 = update(&mut s, answer(&ctx, cmds.remove(0)));
    assert_eq!(names(&cmds2), ["build-report"]);
}

#[test]
fn an_unreachable_database_still_shows_the_history_with_the_error_in_place() {
    let db = Options {
        ts_engine: Default::default(),
        overrides: Default::default(),
        config: None,
        cwd: demo_dir().join("project"),
        live: LiveSource::Database {
            // Port 1 on loopback: refused at once.
            url: Some("postgres://nobody@127.0.0.1:1/none?connect_timeout=2".into()),
        },
    };
    let s = loaded(db, 120, 40, ThemeName::Default);
    assert!(matches!(s.live, SourceStatus::Failed(_)), "{:?}", s.live);
    let data = s.data.as_ref().expect("report without the database");
    assert!(data.live.is_none());
    assert!(data.live_error.is_some());
    assert!(!data.tables.is_empty());
    let text = screen_text(&s);
    assert!(text.contains("database could not be read"), "{text}");
}

#[test]
fn results_of_an_older_generation_are_dropped() {
    let options = demo_options();
    let ctx = context(options.clone());
    let mut s = new_state(&options, 120, 40, ThemeName::Default);
    let mut old = app::reload(&mut s);
    let old_config = answer(&ctx, old.remove(0));
    // Reload before the first answer arrives.
    let mut fresh = app::reload(&mut s);
    assert_eq!(s.generation, 2);
    assert!(
        update(&mut s, old_config).is_empty(),
        "stale config ignored"
    );
    assert_eq!(s.config, SourceStatus::Loading);
    let cmds = update(&mut s, answer(&ctx, fresh.remove(0)));
    assert_eq!(names(&cmds), ["load-history", "load-live"]);

    // A full report from generation 1 arrives late: ignored too.
    let mut stale = new_state(&options, 120, 40, ThemeName::Default);
    let cmds = app::reload(&mut stale);
    drive(&mut stale, &ctx, cmds);
    let data = stale.data.clone().expect("data");
    let late = Msg::Done {
        generation: 1,
        outcome: Outcome::Report(Ok(data.clone())),
    };
    assert!(update(&mut s, late).is_empty());
    assert!(s.data.is_none());
    let current = Msg::Done {
        generation: 2,
        outcome: Outcome::Report(Ok(data)),
    };
    update(&mut s, current);
    assert!(s.data.is_some());
}

#[test]
fn reload_keeps_the_old_report_and_the_selection_until_the_new_one_arrives() {
    let mut s = demo(120, 40);
    press(&mut s, "G");
    assert_eq!(selected(&s), "users");
    let cmds = press(&mut s, "r");
    assert_eq!(names(&cmds), ["load-config"]);
    assert!(s.data.is_some(), "still showing the previous report");
    assert!(screen_text(&s).contains("reloading"));
    let ctx = context(demo_options());
    drive(&mut s, &ctx, cmds);
    assert!(!s.loading());
    assert_eq!(selected(&s), "users");
}

#[test]
fn a_watched_file_changing_reloads_keeping_the_screen_and_selection() {
    let mut s = demo(120, 40);
    press(&mut s, "G");
    press(&mut s, "\n");
    let screen = s.screen;
    let root = s.data.as_ref().expect("loaded").root.clone();
    // What the load read is what is watched.
    let watched = &s.data.as_ref().expect("loaded").watched;
    let schema = watched
        .files
        .iter()
        .find(|f| f.ends_with("src/db/schema.ts"))
        .expect("the schema file is watched")
        .clone();
    assert!(
        watched.trees.iter().any(|t| t.ends_with("drizzle")),
        "{watched:?}"
    );
    let cmds = update(&mut s, Msg::Changed(vec![root.join("src/db/schema.ts")]));
    assert_eq!(names(&cmds), ["load-config"]);
    assert_eq!(
        s.message.as_deref(),
        Some("src/db/schema.ts changed: reloading…")
    );
    assert!(schema.is_absolute());
    let ctx = context(demo_options());
    drive(&mut s, &ctx, cmds);
    assert!(!s.loading());
    assert_eq!(s.screen, screen);
    assert_eq!(selected(&s), "users");
}

fn captured(dir: &std::path::Path) -> Options {
    Options {
        config: None,
        cwd: dir.to_path_buf(),
        live: LiveSource::Captured(dir.join("big.json")),
        ts_engine: Default::default(),
        overrides: Default::default(),
    }
}

/// A reload (a watched file changed) keeps both cursors and both scroll offsets: the
/// screen is drawn the same, but for the status bar saying what changed.
#[test]
fn a_reload_keeps_the_list_and_pane_scroll() {
    let dir = big_project(200, 40);
    let options = captured(dir.path());
    let mut s = loaded(options.clone(), 80, 24, ThemeName::Default);
    press(&mut s, "Gkkk");
    assert_eq!(selected(&s), "table_00196");
    let list = s.tables.list;
    assert!(list.offset > 0 && list.selected > list.offset, "{list:?}");
    press(&mut s, "\nGkk");
    let row = s.tables.row;
    assert!(row.offset > 0 && row.selected > row.offset, "{row:?}");
    let before = screen_text(&s);
    let cmds = update(&mut s, Msg::Changed(vec![dir.path().join("big.json")]));
    drive(&mut s, &context(options), cmds);
    assert!(!s.loading());
    assert_eq!((s.tables.list, s.tables.row), (list, row));
    let above_the_bar = |t: &str| {
        t.lines()
            .take(usize::from(s.height) - 1)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(above_the_bar(&screen_text(&s)), above_the_bar(&before));
    assert!(screen_text(&s).contains("big.json changed: reloading…"));
}

/// The dotenv files the config read (and `.env`, read at start-up, whether or not it
/// exists) and the captured catalog are watched with the config.
#[test]
fn the_env_files_and_the_catalog_are_watched() {
    let dir = big_project(3, 2);
    let root = dir.path();
    std::fs::remove_file(root.join("drizzle.config.json")).expect("rm");
    std::fs::write(
        root.join("drizzle.config.ts"),
        "import { config } from \"dotenv\";\nimport { defineConfig } from \"drizzle-kit\";\n\
         config({ path: \"config/.env.local\" });\n\
         export default defineConfig({ dialect: \"postgresql\", dbCredentials: { url: process.env.DATABASE_URL! } });\n",
    )
    .expect("config");
    std::fs::create_dir(root.join("config")).expect("mkdir");
    std::fs::write(
        root.join("config/.env.local"),
        "DATABASE_URL=postgres://u@h/db\n",
    )
    .expect("env");
    let s = loaded(captured(root), 120, 40, ThemeName::Default);
    let watched = &s.data.as_ref().expect("loaded").watched;
    for file in ["drizzle.config.ts", ".env", "config/.env.local", "big.json"] {
        let want = root.canonicalize().expect("canonical").join(file);
        assert!(watched.files.contains(&want), "{file}: {watched:?}");
    }
}

#[test]
fn moving_through_the_table_list() {
    let mut s = demo(120, 40);
    assert_eq!(selected(&s), "billing.invoices");
    press(&mut s, "j");
    assert_eq!(selected(&s), "memberships");
    update(&mut s, key(KeyCode::Down));
    assert_eq!(selected(&s), "organizations");
    press(&mut s, "k");
    assert_eq!(selected(&s), "memberships");
    press(&mut s, "G");
    assert_eq!(selected(&s), "users");
    press(&mut s, "j");
    assert_eq!(selected(&s), "users", "stays at the end");
    press(&mut s, "g");
    assert_eq!(selected(&s), "billing.invoices");
    update(&mut s, ctrl('d'));
    assert_eq!(selected(&s), "users");
    update(&mut s, ctrl('u'));
    assert_eq!(selected(&s), "billing.invoices");
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(selected(&s), "users");
    update(&mut s, key(KeyCode::PageUp));
    assert_eq!(selected(&s), "billing.invoices");
}

#[test]
fn filtering_sorting_and_clearing() {
    let mut s = demo(120, 40);
    press(&mut s, "/proj");
    assert!(s.tables.editing);
    assert_eq!(s.tables.visible.len(), 1);
    assert_eq!(selected(&s), "projects");
    // While typing, q is a letter, not quit.
    press(&mut s, "q");
    assert!(!s.quit);
    assert_eq!(s.tables.filter, "projq");
    assert!(s.tables.visible.is_empty());
    update(&mut s, key(KeyCode::Backspace));
    press(&mut s, "\n");
    assert!(!s.tables.editing);
    assert_eq!(s.tables.filter, "proj");
    press(&mut s, "\u{1b}");
    assert_eq!(s.tables.filter, "", "Esc on the list clears the filter");
    assert_eq!(s.tables.visible.len(), 5);
    assert_eq!(selected(&s), "projects", "selection kept");

    press(&mut s, "s");
    let order: Vec<String> = s
        .tables
        .visible
        .iter()
        .map(|&i| s.data.as_ref().expect("data").tables[i].name.to_string())
        .collect();
    assert_eq!(order[0], "users", "by status: drift first");
    assert_eq!(order[1], "projects", "then pending with more findings");
    press(&mut s, "s");
    assert!(s.message.as_deref().is_some_and(|m| m.contains("findings")));
    press(&mut s, "s");
    assert!(s.message.as_deref().is_some_and(|m| m.contains("name")));
}

#[test]
fn enter_drills_from_table_to_its_first_difference_to_the_detail_and_back() {
    let mut s = demo(120, 40);
    press(&mut s, "G");
    press(&mut s, "\n");
    assert_eq!(s.tables.focus, Focus::Pane(Side::Snapshot));
    assert_eq!(
        selected_row(&s),
        "nickname",
        "the cursor lands on the difference"
    );
    let row = s.tables.rows[s.tables.row.selected]
        .object()
        .expect("object row")
        .clone();
    // Marked against the TypeScript schema: the snapshot agrees with it.
    assert_eq!(row.cells[Side::Snapshot.index()].mark, None);
    assert_eq!(row.cells[Side::Live.index()].mark, Some(Mark::Added));
    assert_eq!(row.cells[Side::Ts.index()].mark, None, "the reference");
    press(&mut s, "\n");
    assert_eq!(s.screen, Screen::Detail);
    let d = &s.detail.as_ref().expect("detail").detail;
    assert_eq!(d.label, "nickname");
    assert_eq!(d.findings.len(), 1);
    press(&mut s, "\u{1b}");
    assert_eq!(s.screen, Screen::Tables);
    assert_eq!(s.tables.focus, Focus::Pane(Side::Snapshot));
    press(&mut s, "\u{1b}");
    assert_eq!(s.tables.focus, Focus::List);
}

#[test]
fn rows_skip_section_headers_and_tab_cycles_the_panes() {
    let mut s = demo(120, 40);
    press(&mut s, "\t");
    assert_eq!(s.tables.focus, Focus::Pane(Side::Ts));
    assert_eq!(selected_row(&s), "invoices");
    press(&mut s, "j");
    assert_eq!(selected_row(&s), "id", "the `columns` header is skipped");
    press(&mut s, "k");
    assert_eq!(selected_row(&s), "invoices");
    press(&mut s, "\t");
    assert_eq!(s.tables.focus, Focus::Pane(Side::Snapshot));
    press(&mut s, "l");
    assert_eq!(s.tables.focus, Focus::Pane(Side::Live));
    press(&mut s, "\t");
    assert_eq!(s.tables.focus, Focus::List);
    update(&mut s, key(KeyCode::BackTab));
    assert_eq!(s.tables.focus, Focus::Pane(Side::Live));
    press(&mut s, "h");
    assert_eq!(s.tables.focus, Focus::Pane(Side::Snapshot));
}

#[test]
fn pending_rows_are_marked_in_the_live_pane_only() {
    let mut s = demo(120, 40);
    press(&mut s, "/projects\n");
    let slug = s
        .tables
        .rows
        .iter()
        .filter_map(PaneRow::object)
        .find(|o| o.label == "slug")
        .expect("slug row");
    assert_eq!(slug.cells[Side::Ts.index()].mark, None);
    assert_eq!(
        slug.cells[Side::Snapshot.index()].mark,
        None,
        "the snapshot has it, as the TypeScript schema"
    );
    assert_eq!(slug.cells[Side::Live.index()].mark, Some(Mark::Pending));
    let name = s
        .tables
        .rows
        .iter()
        .filter_map(PaneRow::object)
        .find(|o| o.label == "name")
        .expect("name row");
    assert!(name.cells.iter().all(|c| c.mark.is_none()), "in sync");
}

#[test]
fn n_and_shift_n_walk_the_findings_across_tables() {
    let mut s = demo(120, 40);
    press(&mut s, "n");
    assert_eq!(selected(&s), "billing.invoices");
    assert_eq!(selected_row(&s), "paid_at");
    assert!(matches!(s.tables.focus, Focus::Pane(_)));
    assert!(s
        .message
        .as_deref()
        .is_some_and(|m| m.starts_with("finding 1/9")));
    press(&mut s, "n");
    assert_eq!(selected(&s), "projects");
    press(&mut s, "N");
    assert_eq!(selected(&s), "billing.invoices");
    press(&mut s, "N");
    assert_eq!(selected(&s), "users", "wraps to the last");
    assert_eq!(selected_row(&s), "nickname");
    // A filter hiding the finding's table is cleared.
    press(&mut s, "\u{1b}/memb\n");
    press(&mut s, "n");
    assert_eq!(selected(&s), "billing.invoices");
    assert_eq!(s.tables.filter, "");
}

#[test]
fn findings_screen_groups_by_category_and_enter_jumps_to_the_table() {
    let mut s = demo(120, 40);
    press(&mut s, "3");
    assert_eq!(s.screen, Screen::Findings);
    let text = screen_text(&s);
    let drift = text.find("drift (1)").expect("drift header");
    let pending = text.find("pending (5)").expect("pending header");
    assert!(drift < pending, "drift is listed first");
    press(&mut s, "\n");
    assert_eq!(s.screen, Screen::Tables);
    assert_eq!(selected(&s), "users");
    assert_eq!(selected_row(&s), "nickname");
    press(&mut s, "3j\n");
    assert_eq!(selected(&s), "billing.invoices");
    assert_eq!(selected_row(&s), "paid_at");
}

#[test]
fn migrations_drill_into_a_pending_one_and_stale_views_are_ignored() {
    let mut s = demo(120, 40);
    press(&mut s, "2");
    assert_eq!(s.screen, Screen::Migrations);
    let mut cmds = press(&mut s, "G\n");
    assert_eq!(names(&cmds), ["load-migration"]);
    assert_eq!(s.screen, Screen::Migration);
    assert!(screen_text(&s).contains("loading the migration"));
    let ctx = context(demo_options());
    let msg = answer(&ctx, cmds.remove(0));
    update(&mut s, msg);
    let view = s
        .migration
        .as_ref()
        .and_then(|m| m.view.as_ref())
        .expect("loaded");
    assert_eq!(view.index, 3);
    assert_eq!(view.statements.as_ref().map(Vec::len), Ok(5));
    let changes = view.changes.as_ref().expect("changes");
    assert_eq!(changes.len(), 5);
    assert!(changes.iter().all(|c| c.mark == Mark::Added));
    let text = screen_text(&s);
    assert!(text.contains("what it will change"), "{text}");
    assert!(text.contains("projects.slug"), "{text}");

    // Open another migration; the answer for the first one must not land in it.
    press(&mut s, "\u{1b}k");
    let mut cmds2 = press(&mut s, "\n");
    let first_again = answer(
        &ctx,
        Command::LoadMigration {
            generation: s.generation,
            index: 3,
            data: s.data.clone().expect("data"),
        },
    );
    update(&mut s, first_again);
    assert!(s.migration.as_ref().is_some_and(|m| m.view.is_none()));
    update(&mut s, answer(&ctx, cmds2.remove(0)));
    assert_eq!(
        s.migration
            .as_ref()
            .and_then(|m| m.view.as_ref())
            .map(|v| v.index),
        Some(2)
    );
    press(&mut s, "\u{1b}");
    assert_eq!(s.screen, Screen::Migrations);
}

#[test]
fn an_edited_applied_migration_shows_stored_and_computed_hashes() {
    let dir = demo_copy();
    let sql = dir.path().join("project/drizzle/0001_projects.sql");
    let mut text = std::fs::read_to_string(&sql).expect("sql");
    text.push_str("\n-- edited after it ran\n");
    std::fs::write(&sql, text).expect("write");
    let options = Options {
        ts_engine: Default::default(),
        overrides: Default::default(),
        config: None,
        cwd: dir.path().join("project"),
        live: LiveSource::Captured(dir.path().join("catalog.json")),
    };
    let mut s = loaded(options.clone(), 120, 40, ThemeName::Default);
    let entry = &s.data.as_ref().expect("data").report.migrations[1];
    assert_eq!(entry.state.as_str(), "modified");
    let (stored, computed) = (
        entry.applied_hash.clone().expect("stored"),
        entry.hash.clone().expect("computed"),
    );
    assert_ne!(stored, computed);
    let cmds = press(&mut s, "2j\n");
    drive(&mut s, &context(options), cmds);
    let text = screen_text(&s);
    assert!(text.contains(&format!("stored hash   {stored}")), "{text}");
    assert!(
        text.contains(&format!("computed hash {computed}")),
        "{text}"
    );
}

#[test]
fn edit_asks_for_the_editor_at_the_typescript_declaration() {
    let mut s = demo(120, 40);
    press(&mut s, "/projects\n\n");
    // The first difference of projects is a pending column; its TypeScript declaration
    // comes first among its origins.
    let cmds = press(&mut s, "\n");
    assert_eq!(s.screen, Screen::Detail);
    assert!(cmds.is_empty());
    let cmds = press(&mut s, "e");
    match cmds.as_slice() {
        [Command::OpenEditor { path, line }] => {
            assert!(path.ends_with("src/db/schema.ts"), "{path:?}");
            assert!(line.is_some());
        }
        other => panic!("{:?}", names(other)),
    }
    // users.nickname exists only in the database: no file to open.
    press(&mut s, "\u{1b}\u{1b}/users\n\n");
    press(&mut s, "\n");
    assert!(press(&mut s, "e").is_empty());
    assert!(s.message.as_deref().is_some_and(|m| m.contains("no file")));
}

#[test]
fn screens_help_back_and_quit() {
    let mut s = demo(120, 40);
    press(&mut s, "2");
    assert_eq!(s.screen, Screen::Migrations);
    press(&mut s, "?");
    assert_eq!(s.screen, Screen::Help);
    press(&mut s, "?");
    assert_eq!(s.screen, Screen::Migrations, "? toggles back");
    press(&mut s, "4");
    press(&mut s, "\u{1b}");
    assert_eq!(s.screen, Screen::Migrations);
    press(&mut s, "\u{1b}");
    assert_eq!(s.screen, Screen::Tables);
    press(&mut s, "1");
    assert!(!s.quit);
    press(&mut s, "q");
    assert!(s.quit);

    // Ctrl-c quits from anywhere, even while typing a filter.
    let mut s = demo(120, 40);
    press(&mut s, "/abc");
    update(&mut s, ctrl('c'));
    assert!(s.quit);
}

#[test]
fn keys_follow_the_keymap() {
    let options = demo_options();
    let mut keymap = Keymap::default();
    keymap.rebind(Action::Quit, &[Key::ch('x')]);
    keymap.rebind(Action::Down, &[Key::ch('J')]);
    let mut s = State::new(
        120,
        40,
        LiveKind::Captured,
        Theme::new(ThemeName::Default),
        keymap,
    );
    let ctx = context(options);
    let cmds = app::reload(&mut s);
    drive(&mut s, &ctx, cmds);
    press(&mut s, "q");
    assert!(!s.quit);
    press(&mut s, "j");
    assert_eq!(selected(&s), "billing.invoices");
    press(&mut s, "J");
    assert_eq!(selected(&s), "memberships");
    let text = screen_text(&s);
    assert!(text.contains("x quit"), "the status bar follows the keymap");
    press(&mut s, "x");
    assert!(s.quit);
}

#[test]
fn mouse_wheel_and_clicks() {
    let mut s = demo(120, 40);
    // Row 4 is the first table row (tabs, summary, border, column header).
    update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), 5, 8));
    assert_eq!(selected(&s), "users");
    update(&mut s, mouse(MouseEventKind::ScrollUp, 5, 8));
    assert_eq!(selected(&s), "memberships", "the wheel moves three rows");
    // A click on a pane row focuses that pane and selects the row.
    update(
        &mut s,
        mouse(MouseEventKind::Down(MouseButton::Left), 100, 5),
    );
    assert_eq!(s.tables.focus, Focus::Pane(Side::Live));
    assert!(!selected_row(&s).is_empty());
    // The screen tabs.
    update(
        &mut s,
        mouse(MouseEventKind::Down(MouseButton::Left), 16, 0),
    );
    assert_eq!(s.screen, Screen::Migrations);
    // Mouse off: ignored.
    s.mouse = false;
    update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), 3, 0));
    assert_eq!(s.screen, Screen::Migrations);
}

#[test]
fn narrow_terminals_tab_the_panes_and_tiny_ones_say_so() {
    let mut s = demo(120, 40);
    assert!(s.side_by_side());
    update(&mut s, Msg::Resize(80, 24));
    assert!(!s.side_by_side());
    // Click the "Live" tab in the pane title.
    let text = screen_text(&s);
    let line = text.lines().nth(2).expect("line");
    let col = line.find(" Live ").expect("tab") as u16;
    let col = line[..col as usize].chars().count() as u16 + 2;
    update(
        &mut s,
        mouse(MouseEventKind::Down(MouseButton::Left), col, 2),
    );
    assert_eq!(s.shown_pane(), Side::Live);
    update(&mut s, Msg::Resize(60, 20));
    let text = screen_text(&s);
    assert!(text.contains("terminal too small"), "{text}");
    // Keys still work while too small.
    press(&mut s, "q");
    assert!(s.quit);
}

#[test]
fn a_broken_config_shows_its_error_in_every_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("drizzle.config.json"), "{ not json").expect("write");
    let options = Options {
        ts_engine: Default::default(),
        overrides: Default::default(),
        config: None,
        cwd: dir.path().to_path_buf(),
        live: LiveSource::Offline,
    };
    let s = loaded(options, 120, 40, ThemeName::Default);
    assert!(matches!(s.config, SourceStatus::Failed(_)));
    assert!(matches!(s.snapshot, SourceStatus::Failed(_)));
    assert!(s.data.is_none());
    let text = screen_text(&s);
    assert!(text.contains("the drizzle-kit config"), "{text}");
    assert!(text.contains("no config"), "{text}");
    assert!(text.contains("TypeScript schema not loaded"), "{text}");
}

#[test]
fn why_prompt_explains_a_pasted_error_and_esc_closes_it() {
    let options = demo_options();
    let mut s = loaded(options.clone(), 120, 40, ThemeName::Default);
    let ctx = context(options);
    // `w` opens the prompt; from then on keys are text, not actions (`q` does not quit).
    assert!(press(&mut s, "w").is_empty());
    assert!(s.why.is_some());
    press(&mut s, "q");
    assert!(!s.quit);
    assert_eq!(s.why.as_ref().map(|w| w.input.as_str()), Some("q"));
    update(&mut s, ctrl('u'));
    // A pasted log line arrives as one event; newlines become spaces.
    update(
        &mut s,
        Msg::Paste(
            "ERROR:  column \"paid_at\" of relation \"invoices\" does not exist\nSTATEMENT:  select".into(),
        ),
    );
    let cmds = press(&mut s, "\n");
    assert_eq!(names(&cmds), ["explain"]);
    assert!(s.why.as_ref().is_some_and(|w| w.running));
    drive(&mut s, &ctx, cmds);
    let w = s.why.as_ref().expect("still open");
    assert!(!w.running);
    let e = w
        .result
        .as_ref()
        .expect("answered")
        .as_ref()
        .expect("explained");
    assert_eq!(e.verdict, drizzle_drift::why::Verdict::Pending);
    assert_eq!(e.object.display(e.dialect), "billing.invoices.paid_at");
    assert_eq!(e.history.created_by.as_deref(), Some("0003_project_slugs"));
    // Text no form matches is answered at once, without a task.
    update(&mut s, ctrl('u'));
    let cmds = press(&mut s, "oops\n");
    assert!(cmds.is_empty());
    assert!(matches!(
        s.why.as_ref().and_then(|w| w.result.as_ref()),
        Some(Err(m)) if m.contains("Understood forms")
    ));
    press(&mut s, "\u{1b}");
    assert!(s.why.is_none());
    // The key is in the keymap, so help and the status bar show it.
    assert_eq!(Keymap::default().action(Key::ch('w')), Some(Action::Why));
}
