//! Shared by the explorer's tests: the bundled demo as sources, a driver that runs the
//! load commands `update` asks for (as the event loop would) and a renderer.

#![allow(dead_code)]

pub mod pty;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use drizzle_drift::engine::{LiveSource, Options};
use drizzle_drift::tui::app::{self, update, Command, Msg, State};
use drizzle_drift::tui::keymap::Keymap;
use drizzle_drift::tui::tasks::{self, Context};
use drizzle_drift::tui::theme::{Theme, ThemeName};
use drizzle_drift::tui::{live_kind, view};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const DEMO_LABEL: &str = "demo catalog assets/demo/catalog.json";

pub fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo")
}

/// The demo project and its captured catalog, read in place.
pub fn demo_options() -> Options {
    Options {
        config: None,
        cwd: demo_dir().join("project"),
        live: LiveSource::Captured(demo_dir().join("catalog.json")),
        ts_engine: Default::default(),
        overrides: Default::default(),
    }
}

pub fn context(options: Options) -> Arc<Context> {
    Arc::new(Context {
        options,
        live_label: Some(DEMO_LABEL.into()),
        targets: Default::default(),
    })
}

pub fn new_state(options: &Options, width: u16, height: u16, theme: ThemeName) -> State {
    State::new(
        width,
        height,
        live_kind(&options.live),
        Theme::new(theme),
        Keymap::default(),
    )
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

/// Run `cmds` and every command their results ask for, until nothing is left. The
/// editor is not run; its requests are returned.
pub fn drive(state: &mut State, ctx: &Arc<Context>, cmds: Vec<Command>) -> Vec<Command> {
    let rt = runtime();
    let mut queue: VecDeque<Command> = cmds.into();
    let mut editor = Vec::new();
    while let Some(cmd) = queue.pop_front() {
        if let Command::OpenEditor { .. } = cmd {
            editor.push(cmd);
            continue;
        }
        if let Some(msg) = rt.block_on(tasks::execute(ctx.clone(), cmd)) {
            queue.extend(update(state, msg));
        }
    }
    editor
}

/// A state with every source of `options` loaded.
pub fn loaded(options: Options, width: u16, height: u16, theme: ThemeName) -> State {
    let mut state = new_state(&options, width, height, theme);
    let ctx = context(options);
    let cmds = app::reload(&mut state);
    drive(&mut state, &ctx, cmds);
    state
}

pub fn demo(width: u16, height: u16) -> State {
    loaded(demo_options(), width, height, ThemeName::Default)
}

pub fn render(state: &State) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(state.width, state.height)).expect("terminal");
    term.draw(|f| view::render(f, state)).expect("draw");
    term
}

pub fn screen_text(state: &State) -> String {
    let term = render(state);
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

/// Send keys; returns every command they asked for.
pub fn press(state: &mut State, keys: &str) -> Vec<Command> {
    let mut out = Vec::new();
    for c in keys.chars() {
        let msg = match c {
            '\n' => key(KeyCode::Enter),
            '\u{1b}' => key(KeyCode::Esc),
            '\t' => key(KeyCode::Tab),
            c => ch(c),
        };
        out.extend(update(state, msg));
    }
    out
}

/// A copy of the demo project in a temporary folder, to change.
pub fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&demo_dir(), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A project with no migrations and a captured catalog `big.json` of `n` tables, each
/// with `columns` columns (integer, text, timestamp with time zone, jsonb, over again) and
/// a primary key: every table is drift.
pub fn big_project(n: usize, columns: usize) -> tempfile::TempDir {
    use drizzle_drift::model::{Column, Dialect, PrimaryKey, QualifiedName, Schema, Table};
    use drizzle_drift::sources::catalog::{capture, Catalog, CATALOG_VERSION};
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("drizzle.config.json"),
        r#"{"dialect":"postgresql"}"#,
    )
    .expect("config");
    let mut schema = Schema::new(Dialect::Postgresql);
    let types = ["integer", "text", "timestamp with time zone", "jsonb"];
    for i in 0..n {
        let name = QualifiedName::new("public", format!("table_{i:05}"));
        let mut t = Table::new(name.clone());
        for c in 0..columns {
            let mut col = Column::new(format!("column_{c:02}"), types[c % types.len()]);
            col.not_null = c == 0;
            t.columns.push(col);
        }
        t.primary_key = Some(PrimaryKey {
            name: format!("table_{i:05}_pkey"),
            columns: vec!["column_00".into()],
        });
        schema.tables.insert(name, t);
    }
    let catalog = Catalog {
        version: CATALOG_VERSION,
        server: "PostgreSQL 16.4".into(),
        database: "big".into(),
        schema,
        applied: None,
        diagnostics: Vec::new(),
        table_stats: Vec::new(),
        replication: None,
    };
    capture::save(&catalog, &dir.path().join("big.json")).expect("save");
    dir
}
