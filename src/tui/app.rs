//! The explorer's state and its one transition function. `update` never awaits and
//! never does I/O: it changes the state and returns the commands (loads, the editor) the
//! event loop runs. Load results come back tagged with the generation that asked for
//! them; results of an older generation (before a reload) are dropped.

use super::data::{Data, Detail, FindingLine, PaneRow, Side};
use super::fleet::{self, Fleet};
use super::keymap::{Action, Key, Keymap};
use super::layout::{self, Panes};
use super::theme::Theme;
use super::view;
use crate::config::Config;
use crate::diff::base::Base;
use crate::engine::{HistoryLoad, LiveLoad};
use crate::model::QualifiedName;
use crate::report::ObjectKind;
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Tables,
    Detail,
    Migrations,
    Migration,
    Findings,
    Help,
    Targets,
}

/// Where one source stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceStatus {
    /// Waiting for another source first (the database waits for the history).
    Waiting,
    Loading,
    Ready(String),
    Failed(String),
    /// Not read at all, and why.
    Off(String),
}

/// How the live side is read, which decides the order of the loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveKind {
    Offline,
    Captured,
    Database,
    /// Several databases (`--target`, `--targets`, `[targets]`), read once the history is.
    Targets,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Pane(Side),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Name,
    Status,
    Findings,
}

impl Sort {
    pub fn label(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Status => "status",
            Sort::Findings => "findings",
        }
    }
}

/// A selection in a list and the first visible row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    /// Keep `selected` inside `len` and visible in `height` rows.
    pub fn follow(&mut self, len: usize, height: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

pub struct TablesState {
    /// Indexes into `data.tables`, filtered and sorted.
    pub visible: Vec<usize>,
    pub list: Cursor,
    pub sort: Sort,
    pub filter: String,
    pub editing: bool,
    pub focus: Focus,
    /// The pane shown when the panes are tabbed and the list has the focus.
    pub tab: Side,
    pub rows: Vec<PaneRow>,
    pub row: Cursor,
    pub rows_for: Option<QualifiedName>,
    /// The finding `n`/`N` last went to.
    pub finding: Option<usize>,
}

pub struct DetailState {
    pub detail: Detail,
    pub scroll: usize,
}

/// What a migration holds, loaded when it is opened.
#[derive(Debug, Clone, PartialEq)]
pub struct MigrationView {
    pub index: usize,
    /// The SQL file as shown (relative to the project).
    pub file: String,
    pub statements: Result<Vec<crate::sources::history::Statement>, String>,
    pub changes: Result<Vec<super::data::Change>, String>,
}

pub struct MigrationState {
    pub index: usize,
    pub view: Option<MigrationView>,
    pub scroll: usize,
}

/// The Targets screen: its cursor and the clusters whose members are listed.
#[derive(Debug, Clone, Default)]
pub struct TargetsState {
    pub cursor: Cursor,
    pub expanded: std::collections::BTreeSet<usize>,
}

/// The `why` prompt: a database error typed or pasted, and its explanation.
#[derive(Debug, Clone, Default)]
pub struct WhyState {
    pub input: String,
    /// Waiting for the explanation task.
    pub running: bool,
    pub result: Option<Result<Box<crate::why::Explanation>, String>>,
    pub scroll: usize,
}

/// Everything a load task can send back.
pub enum Outcome {
    Config(Result<Arc<Config>, String>),
    History(Result<Arc<HistoryLoad>, String>),
    Live(Result<Option<Arc<LiveLoad>>, String>),
    /// Every target read and compared; `None`: no target named after all.
    Targets(Result<Option<Arc<Fleet>>, String>),
    Report(Result<Arc<Data>, String>),
    /// The migrations folder at the `--base` revision, compared with this branch's.
    Base(Result<Arc<Base>, String>),
    Migration(Box<MigrationView>),
    Editor(Result<(), String>),
    Why(Result<Box<crate::why::Explanation>, String>),
}

pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    /// Watched project files changed (debounced): reload.
    Changed(Vec<PathBuf>),
    Done {
        generation: u64,
        outcome: Outcome,
    },
}

/// Work for the event loop: loads run as tasks, the editor suspends the terminal.
pub enum Command {
    LoadConfig {
        generation: u64,
    },
    LoadHistory {
        generation: u64,
        config: Arc<Config>,
    },
    LoadLive {
        generation: u64,
        config: Arc<Config>,
        history: Option<Arc<HistoryLoad>>,
    },
    LoadTargets {
        generation: u64,
        config: Arc<Config>,
        history: Arc<HistoryLoad>,
    },
    BuildReport {
        generation: u64,
        config: Arc<Config>,
        history: Arc<HistoryLoad>,
        live: Result<Option<Arc<LiveLoad>>, String>,
        base: Option<Result<Arc<Base>, String>>,
    },
    /// Read the migrations folder at `rev` from git and compare `history` with it.
    LoadBase {
        generation: u64,
        config: Arc<Config>,
        history: Arc<HistoryLoad>,
        rev: String,
    },
    LoadMigration {
        generation: u64,
        index: usize,
        data: Arc<Data>,
    },
    OpenEditor {
        path: PathBuf,
        line: Option<u32>,
    },
    Explain {
        generation: u64,
        data: Arc<Data>,
        parsed: Box<crate::why::Parsed>,
    },
}

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::LoadConfig { .. } => "load-config",
            Command::LoadHistory { .. } => "load-history",
            Command::LoadLive { .. } => "load-live",
            Command::LoadTargets { .. } => "load-targets",
            Command::BuildReport { .. } => "build-report",
            Command::LoadBase { .. } => "load-base",
            Command::LoadMigration { .. } => "load-migration",
            Command::OpenEditor { .. } => "open-editor",
            Command::Explain { .. } => "explain",
        }
    }
}

#[derive(Default)]
struct Pieces {
    config: Option<Arc<Config>>,
    history: Option<Arc<HistoryLoad>>,
    live: Option<Result<Option<Arc<LiveLoad>>, String>>,
    base: Option<Result<Arc<Base>, String>>,
}

pub struct State {
    pub generation: u64,
    pub width: u16,
    pub height: u16,
    pub screen: Screen,
    back: Vec<Screen>,
    pub live_kind: LiveKind,
    pub config: SourceStatus,
    pub snapshot: SourceStatus,
    pub live: SourceStatus,
    /// `--base REF`: the git revision whose migrations the Migrations screen shows beside
    /// this branch's.
    pub base_rev: Option<String>,
    pub base: SourceStatus,
    pieces: Pieces,
    pub data: Option<Arc<Data>>,
    /// Several databases: every target, and the comparison of each.
    pub fleet: Option<Arc<Fleet>>,
    /// The target whose comparison `data` is (an index into the fleet's targets).
    pub target: usize,
    pub targets: TargetsState,
    pub tables: TablesState,
    pub detail: Option<DetailState>,
    pub findings: Cursor,
    pub migrations: Cursor,
    pub migration: Option<MigrationState>,
    pub help_scroll: usize,
    /// The `why` prompt, when open (it takes every key until Esc).
    pub why: Option<WhyState>,
    pub theme: Theme,
    pub keymap: Keymap,
    pub mouse: bool,
    /// A one-line note in the status bar until the next key.
    pub message: Option<String>,
    pub quit: bool,
}

impl State {
    pub fn new(
        width: u16,
        height: u16,
        live_kind: LiveKind,
        theme: Theme,
        keymap: Keymap,
    ) -> State {
        State {
            generation: 0,
            width,
            height,
            screen: Screen::Tables,
            back: Vec::new(),
            live_kind,
            config: SourceStatus::Waiting,
            snapshot: SourceStatus::Waiting,
            live: SourceStatus::Waiting,
            base_rev: None,
            base: SourceStatus::Off("no --base".into()),
            pieces: Pieces::default(),
            data: None,
            fleet: None,
            target: 0,
            targets: TargetsState::default(),
            tables: TablesState {
                visible: Vec::new(),
                list: Cursor::default(),
                sort: Sort::Name,
                filter: String::new(),
                editing: false,
                focus: Focus::List,
                tab: Side::Snapshot,
                rows: Vec::new(),
                row: Cursor::default(),
                rows_for: None,
                finding: None,
            },
            detail: None,
            findings: Cursor::default(),
            migrations: Cursor::default(),
            migration: None,
            help_scroll: 0,
            why: None,
            theme,
            keymap,
            mouse: true,
            message: None,
            quit: false,
        }
    }

    /// The table under the list cursor.
    pub fn selected_table(&self) -> Option<&QualifiedName> {
        let data = self.data.as_ref()?;
        let i = *self.tables.visible.get(self.tables.list.selected)?;
        data.tables.get(i).map(|t| &t.name)
    }

    /// The Tables screen's layout in `body`, the list sized to the longest table name.
    pub fn tables_layout(&self, body: Rect) -> layout::Tables {
        let longest = self.data.as_ref().map_or(0, |d| {
            d.tables
                .iter()
                .map(|t| t.name.to_string().chars().count())
                .max()
                .unwrap_or(0)
        });
        layout::tables_with(
            body,
            layout::list_width(body.width, longest),
            self.live_panes(),
        )
    }

    /// How many databases want a Live pane of their own: every target of a few.
    pub fn live_panes(&self) -> usize {
        match &self.fleet {
            Some(f) if !f.is_fleet() => f.targets().len(),
            _ => 1,
        }
    }

    /// The target the screens show, with several databases.
    pub fn current_target(&self) -> Option<&crate::report::TargetInfo> {
        self.fleet.as_ref()?.target(self.target)
    }

    /// The single Live pane's title: `Live`, or with several databases the target it
    /// shows, `Live · prod (2/3) t:next` (the key from the keymap).
    pub fn live_title(&self, room: usize) -> String {
        let (Some(fleet), Some(t)) = (&self.fleet, self.current_target()) else {
            return "Live".into();
        };
        let steps = fleet.steps();
        let pos = fleet.step_of(self.target) + 1;
        let base = format!("Live · {}", t.name);
        let counted = format!("{base} ({pos}/{})", steps.len());
        let key = self.keymap.keys(super::keymap::Action::NextTarget).next();
        let full = match key {
            Some(k) => format!("{counted} {k}:next"),
            None => counted.clone(),
        };
        [full, counted]
            .into_iter()
            .find(|s| s.chars().count() <= room)
            .unwrap_or_else(|| view::fit(&base, room))
    }

    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.width, self.height)
    }

    /// Are all three panes side by side at the current size?
    pub fn side_by_side(&self) -> bool {
        let f = layout::frame(self.area());
        !matches!(self.tables_layout(f.body).panes, Panes::Tabbed(_))
    }

    /// The pane shown when the panes are tabbed.
    pub fn shown_pane(&self) -> Side {
        match self.tables.focus {
            Focus::Pane(s) => s,
            Focus::List => self.tables.tab,
        }
    }

    pub fn loading(&self) -> bool {
        [&self.config, &self.snapshot, &self.live, &self.base]
            .iter()
            .any(|s| matches!(s, SourceStatus::Loading | SourceStatus::Waiting))
    }
}

/// Start (or restart) loading every source under a new generation.
pub fn reload(s: &mut State) -> Vec<Command> {
    s.generation += 1;
    s.pieces = Pieces::default();
    s.config = SourceStatus::Loading;
    s.snapshot = SourceStatus::Waiting;
    s.live = SourceStatus::Waiting;
    if s.base_rev.is_some() {
        s.base = SourceStatus::Waiting;
    }
    vec![Command::LoadConfig {
        generation: s.generation,
    }]
}

pub fn update(s: &mut State, msg: Msg) -> Vec<Command> {
    let mut out = Vec::new();
    match msg {
        Msg::Key(k) => key(s, k, &mut out),
        Msg::Mouse(m) => mouse(s, m, &mut out),
        Msg::Resize(w, h) => {
            s.width = w;
            s.height = h;
        }
        Msg::Paste(text) => {
            let why = s.why.get_or_insert_with(WhyState::default);
            // One line in the prompt; the parser reads a stack trace either way.
            why.input.push_str(&text.replace(['\r', '\n'], " "));
            why.result = None;
        }
        Msg::Changed(paths) => {
            out.extend(reload(s));
            let root = s.data.as_ref().map(|d| d.root.clone());
            let shown: Vec<String> = paths
                .iter()
                .take(3)
                .map(|p| {
                    let p = root
                        .as_deref()
                        .and_then(|r| p.strip_prefix(r).ok())
                        .unwrap_or(p);
                    p.display().to_string()
                })
                .collect();
            let more = paths.len().saturating_sub(shown.len());
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            s.message = Some(format!("{}{more} changed: reloading…", shown.join(", ")));
        }
        Msg::Done {
            generation,
            outcome,
        } => {
            if generation == s.generation {
                done(s, outcome, &mut out);
            }
        }
    }
    settle(s);
    out
}

fn done(s: &mut State, outcome: Outcome, out: &mut Vec<Command>) {
    let generation = s.generation;
    match outcome {
        Outcome::Config(Ok(config)) => {
            s.config = SourceStatus::Ready(config.path.display().to_string());
            s.snapshot = SourceStatus::Loading;
            out.push(Command::LoadHistory {
                generation,
                config: config.clone(),
            });
            match s.live_kind {
                LiveKind::Targets => s.live = SourceStatus::Waiting,
                LiveKind::Offline => {
                    s.live = SourceStatus::Off("no database read (--offline)".into());
                    s.pieces.live = Some(Ok(None));
                }
                LiveKind::Captured => {
                    s.live = SourceStatus::Loading;
                    out.push(Command::LoadLive {
                        generation,
                        config: config.clone(),
                        history: None,
                    });
                }
                // The schemas to read come from the history.
                LiveKind::Database => s.live = SourceStatus::Waiting,
            }
            s.pieces.config = Some(config);
        }
        Outcome::Config(Err(e)) => {
            s.config = SourceStatus::Failed(e.clone());
            s.snapshot = SourceStatus::Failed(e.clone());
            if s.base_rev.is_some() {
                s.base = SourceStatus::Failed(e.clone());
            }
            s.live = SourceStatus::Failed(e);
        }
        Outcome::History(Err(e)) => {
            if s.base_rev.is_some() {
                s.base = SourceStatus::Failed(e.clone());
            }
            s.snapshot = SourceStatus::Failed(e);
        }
        Outcome::Base(r) => {
            s.base = match &r {
                Ok(b) => SourceStatus::Ready(format!(
                    "{}: {} migrations",
                    b.rev,
                    b.history.migrations.len()
                )),
                Err(e) => {
                    // The Migrations screen shows it too; said here wherever the user is.
                    s.message = Some(e.clone());
                    SourceStatus::Failed(e.clone())
                }
            };
            s.pieces.base = Some(r);
        }
        Outcome::History(Ok(h)) => {
            let n = h.history.migrations.len();
            s.snapshot = SourceStatus::Ready(match h.history.migrations.last() {
                Some(m) => format!("{n} migrations, latest {}", m.tag),
                None => "no migrations".into(),
            });
            if let (Some(rev), Some(config)) = (&s.base_rev, &s.pieces.config) {
                s.base = SourceStatus::Loading;
                out.push(Command::LoadBase {
                    generation,
                    config: config.clone(),
                    history: h.clone(),
                    rev: rev.clone(),
                });
            }
            if let Some(config) = &s.pieces.config {
                match s.live_kind {
                    LiveKind::Database => {
                        s.live = SourceStatus::Loading;
                        out.push(Command::LoadLive {
                            generation,
                            config: config.clone(),
                            history: Some(h.clone()),
                        });
                    }
                    LiveKind::Targets => {
                        s.live = SourceStatus::Loading;
                        out.push(Command::LoadTargets {
                            generation,
                            config: config.clone(),
                            history: h.clone(),
                        });
                    }
                    LiveKind::Offline | LiveKind::Captured => {}
                }
            }
            s.pieces.history = Some(h);
        }
        Outcome::Live(r) => {
            s.live = match &r {
                Ok(Some(l)) => SourceStatus::Ready(l.label.clone()),
                Ok(None) => SourceStatus::Off("no database read (--offline)".into()),
                Err(e) => SourceStatus::Failed(e.clone()),
            };
            s.pieces.live = Some(r);
        }
        Outcome::Targets(Ok(Some(f))) => {
            s.live = SourceStatus::Ready(f.report.sources.live.clone().unwrap_or_default());
            s.target = s.target.min(f.targets().len().saturating_sub(1));
            let data = f.data_of(s.target).clone();
            s.fleet = Some(f);
            install(s, data);
        }
        Outcome::Targets(Ok(None)) => {
            // `[targets]` names none after all: the one database of before.
            s.live_kind = LiveKind::Database;
            s.live = SourceStatus::Loading;
            if let (Some(config), Some(history)) = (&s.pieces.config, &s.pieces.history) {
                out.push(Command::LoadLive {
                    generation,
                    config: config.clone(),
                    history: Some(history.clone()),
                });
            }
        }
        Outcome::Targets(Err(e)) => {
            s.live = SourceStatus::Failed(e.clone());
            s.fleet = None;
            s.pieces.live = Some(Err(e));
        }
        Outcome::Report(Err(e)) => s.message = Some(format!("could not build the report: {e}")),
        Outcome::Report(Ok(data)) => install(s, data),
        Outcome::Migration(view) => {
            if let Some(m) = &mut s.migration {
                if m.index == view.index {
                    m.view = Some(*view);
                }
            }
        }
        Outcome::Editor(r) => {
            if let Err(e) = r {
                s.message = Some(e);
            }
        }
        Outcome::Why(r) => {
            if let Some(w) = &mut s.why {
                w.running = false;
                w.scroll = 0;
                w.result = Some(r);
            }
        }
    }
    let base_ready = s.base_rev.is_none() || s.pieces.base.is_some();
    if let (Some(config), Some(history), Some(live), true) = (
        &s.pieces.config,
        &s.pieces.history,
        &s.pieces.live,
        base_ready,
    ) {
        out.push(Command::BuildReport {
            generation,
            config: config.clone(),
            history: history.clone(),
            live: live.clone(),
            base: s.pieces.base.clone(),
        });
        // Built once per generation.
        s.pieces = Pieces::default();
    }
}

/// Show `data`: the table, object and migration open stay open when they still exist.
fn install(s: &mut State, data: Arc<Data>) {
    let keep = s.selected_table().cloned();
    // The pane's row and scroll, kept when the table still has the object.
    let row = s
        .tables
        .rows
        .get(s.tables.row.selected)
        .and_then(PaneRow::object)
        .map(|o| o.key.clone());
    let row_offset = s.tables.row.offset;
    s.data = Some(data);
    refilter(s);
    if let Some(name) = &keep {
        select_table(s, name, false);
    }
    s.tables.rows_for = None;
    refresh_rows(s);
    let same_table = keep.is_some() && s.selected_table() == keep.as_ref();
    let found = row.and_then(|key| {
        s.tables
            .rows
            .iter()
            .position(|r| r.object().is_some_and(|o| o.key == key))
    });
    if let (true, Some(i)) = (same_table, found) {
        s.tables.row = Cursor {
            selected: i,
            offset: row_offset,
        };
    }
    refresh_detail(s);
    if let (Some(m), Some(d)) = (&s.migration, &s.data) {
        if m.index >= d.report.migrations.len() {
            s.migration = None;
            if s.screen == Screen::Migration {
                s.screen = Screen::Migrations;
            }
        }
    }
}

/// Make target `i` the one the screens show.
pub fn set_target(s: &mut State, i: usize) {
    let Some(f) = s.fleet.clone() else {
        return;
    };
    if i >= f.targets().len() {
        return;
    }
    s.target = i;
    // `install` keeps the same object under the cursor in the other database.
    install(s, f.data_of(i).clone());
}

/// `t`: the next target (for a fleet, the next distinct database).
fn next_target(s: &mut State) {
    let Some(f) = s.fleet.clone() else {
        s.message = Some(
            "one database: name several with --target NAME=URL, --targets FILE or [targets] in drizzle-drift.toml"
                .into(),
        );
        return;
    };
    let steps = f.steps();
    if steps.is_empty() {
        return;
    }
    let pos = (f.step_of(s.target) + 1) % steps.len();
    set_target(s, steps[pos]);
    if let Some(t) = s.current_target() {
        let state = match t.state {
            crate::report::TargetState::Ok => String::new(),
            other => format!(" — {}", other.as_str()),
        };
        s.message = Some(format!(
            "target {} ({}/{}){state}",
            t.name,
            pos + 1,
            steps.len()
        ));
    }
}

fn key(s: &mut State, k: KeyEvent, out: &mut Vec<Command>) {
    if k.kind == KeyEventKind::Release {
        return;
    }
    if k.modifiers.contains(KeyModifiers::CONTROL) && matches!(k.code, KeyCode::Char('c' | 'C')) {
        s.quit = true;
        return;
    }
    s.message = None;
    if s.why.is_some() {
        why_key(s, &k, out);
        return;
    }
    if s.screen == Screen::Tables && s.tables.editing && filter_key(s, &k) {
        return;
    }
    if let Some(action) = s.keymap.action(Key::from_event(&k)) {
        act(s, action, out);
    }
}

/// The `why` prompt takes every key: text edits the error, Enter explains it, arrows and
/// pages scroll the explanation, Esc closes.
fn why_key(s: &mut State, k: &KeyEvent, out: &mut Vec<Command>) {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let height = body_height(s);
    let generation = s.generation;
    let data = s.data.clone();
    let Some(w) = &mut s.why else { return };
    match k.code {
        KeyCode::Esc => s.why = None,
        KeyCode::Enter => match crate::why::parse(&w.input) {
            None => w.result = Some(Err(crate::why::not_understood())),
            Some(parsed) => match data {
                None => w.result = Some(Err("the sources are still loading".into())),
                Some(data) => {
                    w.running = true;
                    w.result = None;
                    out.push(Command::Explain {
                        generation,
                        data,
                        parsed: Box::new(parsed),
                    });
                }
            },
        },
        KeyCode::Char('u') if ctrl => {
            w.input.clear();
            w.result = None;
        }
        KeyCode::Char(c) if !ctrl => {
            w.input.push(c);
            w.result = None;
        }
        KeyCode::Backspace => {
            w.input.pop();
            w.result = None;
        }
        KeyCode::Up => w.scroll = w.scroll.saturating_sub(1),
        KeyCode::Down => w.scroll += 1,
        KeyCode::PageUp => w.scroll = w.scroll.saturating_sub(height.max(1)),
        KeyCode::PageDown => w.scroll += height.max(1),
        _ => {}
    }
}

/// Typing into the filter. Returns false for keys the filter does not take.
fn filter_key(s: &mut State, k: &KeyEvent) -> bool {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Char('u') if ctrl => s.tables.filter.clear(),
        KeyCode::Char(c) if !ctrl => s.tables.filter.push(c),
        KeyCode::Backspace => {
            s.tables.filter.pop();
        }
        KeyCode::Enter => {
            s.tables.editing = false;
            return true;
        }
        KeyCode::Esc => {
            s.tables.editing = false;
            s.tables.filter.clear();
        }
        _ => return false,
    }
    let keep = s.selected_table().cloned();
    refilter(s);
    match keep {
        Some(name)
            if s.tables
                .visible
                .iter()
                .any(|&i| table_name(s, i) == Some(&name)) =>
        {
            select_table(s, &name, false)
        }
        _ => s.tables.list.selected = 0,
    }
    refresh_rows(s);
    true
}

fn table_name(s: &State, i: usize) -> Option<&QualifiedName> {
    s.data.as_ref()?.tables.get(i).map(|t| &t.name)
}

fn goto_top(s: &mut State, screen: Screen) {
    s.back.clear();
    s.screen = screen;
}

fn push(s: &mut State, screen: Screen) {
    if s.screen != screen {
        s.back.push(s.screen);
        s.screen = screen;
    }
}

fn act(s: &mut State, action: Action, out: &mut Vec<Command>) {
    match action {
        Action::Quit => s.quit = true,
        Action::Tables => goto_top(s, Screen::Tables),
        Action::Migrations => goto_top(s, Screen::Migrations),
        Action::Findings => goto_top(s, Screen::Findings),
        Action::Targets => goto_top(s, Screen::Targets),
        Action::NextTarget => next_target(s),
        Action::Help if s.screen == Screen::Help => back(s),
        Action::Help => {
            s.help_scroll = 0;
            push(s, Screen::Help);
        }
        Action::Why => s.why = Some(WhyState::default()),
        Action::Reload => {
            out.extend(reload(s));
            s.message = Some("reloading every source…".into());
        }
        _ => match s.screen {
            Screen::Tables => tables_action(s, action, out),
            Screen::Detail => detail_action(s, action, out),
            Screen::Migrations => migrations_action(s, action, out),
            Screen::Migration => {
                let height = body_height(s);
                if let Some(m) = &mut s.migration {
                    if !scroll(&mut m.scroll, action, height) && action == Action::Back {
                        back(s);
                    }
                }
            }
            Screen::Findings => findings_action(s, action),
            Screen::Targets => targets_action(s, action),
            Screen::Help => {
                let height = body_height(s);
                if !scroll(&mut s.help_scroll, action, height) && action == Action::Back {
                    back(s);
                }
            }
        },
    }
}

fn back(s: &mut State) {
    match s.back.pop() {
        Some(prev) => s.screen = prev,
        None => match s.screen {
            Screen::Tables => {
                if let Focus::Pane(_) = s.tables.focus {
                    s.tables.focus = Focus::List;
                } else if !s.tables.filter.is_empty() {
                    s.tables.filter.clear();
                    let keep = s.selected_table().cloned();
                    refilter(s);
                    if let Some(name) = keep {
                        select_table(s, &name, false);
                    }
                    refresh_rows(s);
                }
            }
            Screen::Migration => s.screen = Screen::Migrations,
            _ => s.screen = Screen::Tables,
        },
    }
}

/// Move `c` over `len` rows by a movement action. Returns false for other actions.
fn step(c: &mut usize, len: usize, page: usize, action: Action) -> bool {
    let last = len.saturating_sub(1);
    let page = page.max(1);
    *c = match action {
        Action::Up => c.saturating_sub(1),
        Action::Down => (*c + 1).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        Action::HalfPageDown => (*c + page.div_ceil(2)).min(last),
        Action::HalfPageUp => c.saturating_sub(page.div_ceil(2)),
        Action::PageDown => (*c + page).min(last),
        Action::PageUp => c.saturating_sub(page),
        _ => return false,
    };
    true
}

/// Scroll a text view; the renderer clamps past the end.
fn scroll(offset: &mut usize, action: Action, height: usize) -> bool {
    step(offset, usize::MAX, height, action)
}

fn body_height(s: &State) -> usize {
    layout::inner(layout::frame(s.area()).body).height as usize
}

fn list_height(s: &State) -> usize {
    let f = layout::frame(s.area());
    layout::list_rows(&s.tables_layout(f.body)).height as usize
}

fn pane_height(s: &State) -> usize {
    let f = layout::frame(s.area());
    layout::inner(s.tables_layout(f.body).panes.first()).height as usize
}

const FOCUS_ORDER: [Focus; 4] = [
    Focus::List,
    Focus::Pane(Side::Ts),
    Focus::Pane(Side::Snapshot),
    Focus::Pane(Side::Live),
];

fn cycle_focus(s: &mut State, forward: bool) {
    // With a Live pane per target the focus visits each, making its target current.
    let f = layout::frame(s.area());
    if let Panes::Lives { count, .. } = s.tables_layout(f.body).panes {
        let live = Focus::Pane(Side::Live);
        let to = match (s.tables.focus, forward) {
            (focus, true) if focus == live && s.target + 1 < count => Some(s.target + 1),
            (focus, false) if focus == live && s.target > 0 => Some(s.target - 1),
            (Focus::Pane(Side::Snapshot), true) => Some(0),
            (Focus::List, false) => Some(count - 1),
            _ => None,
        };
        if let Some(t) = to {
            s.tables.focus = live;
            s.tables.tab = Side::Live;
            set_target(s, t);
            on_an_object(s);
            return;
        }
    }
    let i = FOCUS_ORDER
        .iter()
        .position(|f| *f == s.tables.focus)
        .unwrap_or(0);
    let n = FOCUS_ORDER.len();
    let next = if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    };
    s.tables.focus = FOCUS_ORDER[next];
    if let Focus::Pane(side) = s.tables.focus {
        s.tables.tab = side;
        on_an_object(s);
    }
}

fn tables_action(s: &mut State, action: Action, out: &mut Vec<Command>) {
    match action {
        Action::NextPane | Action::Right => cycle_focus(s, true),
        Action::PrevPane | Action::Left => cycle_focus(s, false),
        Action::Filter => {
            // A new search, as in less and vim.
            s.tables.editing = true;
            s.tables.focus = Focus::List;
            if !s.tables.filter.is_empty() {
                s.tables.filter.clear();
                let keep = s.selected_table().cloned();
                refilter(s);
                if let Some(name) = keep {
                    select_table(s, &name, false);
                }
            }
        }
        Action::Sort => {
            s.tables.sort = match s.tables.sort {
                Sort::Name => Sort::Status,
                Sort::Status => Sort::Findings,
                Sort::Findings => Sort::Name,
            };
            let keep = s.selected_table().cloned();
            refilter(s);
            if let Some(name) = keep {
                select_table(s, &name, false);
            }
            s.message = Some(format!("sorted by {}", s.tables.sort.label()));
        }
        Action::NextFinding => next_finding(s, true),
        Action::PrevFinding => next_finding(s, false),
        Action::Back => back(s),
        _ => match s.tables.focus {
            Focus::List => {
                let len = s.tables.visible.len();
                let page = list_height(s);
                if step(&mut s.tables.list.selected, len, page, action) {
                    refresh_rows(s);
                } else if action == Action::Enter && !s.tables.rows.is_empty() {
                    s.tables.focus = Focus::Pane(s.tables.tab);
                    first_difference(s);
                }
            }
            Focus::Pane(_) => {
                let len = s.tables.rows.len();
                let page = pane_height(s);
                let before = s.tables.row.selected;
                if step(&mut s.tables.row.selected, len, page, action) {
                    skip_sections(s, s.tables.row.selected >= before);
                } else if action == Action::Enter {
                    open_detail(s);
                } else if action == Action::Edit {
                    open_detail(s);
                    edit(s, out);
                    if s.screen == Screen::Detail {
                        back(s);
                    }
                }
            }
        },
    }
}

/// Move off a section header, in the direction of travel (or back, at an edge).
fn skip_sections(s: &mut State, forward: bool) {
    let rows = &s.tables.rows;
    let is_obj = |i: usize| rows.get(i).is_some_and(|r| r.object().is_some());
    let mut i = s.tables.row.selected;
    if is_obj(i) {
        return;
    }
    let found = if forward {
        (i..rows.len())
            .find(|&j| is_obj(j))
            .or_else(|| (0..i).rev().find(|&j| is_obj(j)))
    } else {
        (0..i)
            .rev()
            .find(|&j| is_obj(j))
            .or_else(|| (i..rows.len()).find(|&j| is_obj(j)))
    };
    if let Some(j) = found {
        i = j;
    }
    s.tables.row.selected = i;
}

fn first_row(s: &mut State) {
    s.tables.row.selected = 0;
    skip_sections(s, true);
}

/// The row cursor on an object: the first one when it is not.
fn on_an_object(s: &mut State) {
    let row = s.tables.rows.get(s.tables.row.selected);
    if row.and_then(PaneRow::object).is_none() {
        first_row(s);
    }
}

/// Put the row cursor on the first marked row (or the first row).
fn first_difference(s: &mut State) {
    let marked = s.tables.rows.iter().position(|r| {
        r.object()
            .is_some_and(|o| o.cells.iter().any(|c| c.mark.is_some()) || !o.findings.is_empty())
    });
    match marked {
        Some(i) => s.tables.row.selected = i,
        None => first_row(s),
    }
}

fn open_detail(s: &mut State) {
    let (Some(data), Some(table)) = (s.data.clone(), s.selected_table().cloned()) else {
        return;
    };
    let Some(row) = s
        .tables
        .rows
        .get(s.tables.row.selected)
        .and_then(PaneRow::object)
    else {
        return;
    };
    let detail = data.detail(&table, &row.key);
    s.detail = Some(DetailState { detail, scroll: 0 });
    push(s, Screen::Detail);
}

/// Recompute the open detail from new data (after a reload).
fn refresh_detail(s: &mut State) {
    let (Some(data), Some(d)) = (s.data.clone(), &mut s.detail) else {
        return;
    };
    d.detail = data.detail(&d.detail.table, &d.detail.key);
}

fn detail_action(s: &mut State, action: Action, out: &mut Vec<Command>) {
    let height = body_height(s);
    match action {
        Action::Back => back(s),
        Action::Edit => edit(s, out),
        Action::NextFinding | Action::PrevFinding => {
            back(s);
            next_finding(s, action == Action::NextFinding);
        }
        _ => {
            if let Some(d) = &mut s.detail {
                scroll(&mut d.scroll, action, height);
            }
        }
    }
}

/// Ask to open the detail's origin in the editor: the TypeScript declaration when it is
/// known, else the snapshot.
fn edit(s: &mut State, out: &mut Vec<Command>) {
    let (Some(d), Some(data)) = (&s.detail, &s.data) else {
        return;
    };
    let origin = d.detail.origins[Side::Ts.index()]
        .as_ref()
        .or(d.detail.origins[Side::Snapshot.index()].as_ref())
        .map(|(o, _)| o);
    match origin {
        Some(o) => {
            let path = PathBuf::from(&o.file);
            let path = if path.is_absolute() {
                path
            } else {
                data.root.join(path)
            };
            out.push(Command::OpenEditor { path, line: o.line });
        }
        None => s.message = Some("no file declares this object in a loaded source".into()),
    }
}

fn migrations_action(s: &mut State, action: Action, out: &mut Vec<Command>) {
    let Some(data) = s.data.clone() else {
        if action == Action::Back {
            back(s);
        }
        return;
    };
    let len = view::migrations::row_count(&data);
    let page = body_height(s).saturating_sub(6);
    if step(&mut s.migrations.selected, len, page, action) {
        return;
    }
    match action {
        Action::Enter if len > 0 => {
            let index = s.migrations.selected.min(len - 1);
            if index >= data.report.migrations.len() {
                s.message =
                    Some("only the base has this migration: it is not in this work tree".into());
                return;
            }
            if data.history.is_none() {
                s.message = Some("the migrations folder is not loaded".into());
                return;
            }
            s.migration = Some(MigrationState {
                index,
                view: None,
                scroll: 0,
            });
            push(s, Screen::Migration);
            out.push(Command::LoadMigration {
                generation: s.generation,
                index,
                data,
            });
        }
        Action::Back => back(s),
        _ => {}
    }
}

fn findings_action(s: &mut State, action: Action) {
    let Some(data) = s.data.clone() else {
        if action == Action::Back {
            back(s);
        }
        return;
    };
    let lines = &data.finding_lines;
    let is_item = |i: usize| matches!(lines.get(i), Some(FindingLine::Item(_)));
    let page = layout_findings_height(s);
    let before = s.findings.selected;
    let moved = match action {
        Action::NextFinding => step(&mut s.findings.selected, lines.len(), page, Action::Down),
        Action::PrevFinding => step(&mut s.findings.selected, lines.len(), page, Action::Up),
        a => step(&mut s.findings.selected, lines.len(), page, a),
    };
    if moved {
        let forward = s.findings.selected >= before;
        let i = s.findings.selected;
        if !is_item(i) {
            let found = if forward {
                (i..lines.len())
                    .find(|&j| is_item(j))
                    .or_else(|| (0..i).rev().find(|&j| is_item(j)))
            } else {
                (0..i)
                    .rev()
                    .find(|&j| is_item(j))
                    .or_else(|| (i..lines.len()).find(|&j| is_item(j)))
            };
            if let Some(j) = found {
                s.findings.selected = j;
            }
        }
        return;
    }
    match action {
        Action::Enter => {
            if let Some(FindingLine::Item(i)) = lines.get(s.findings.selected) {
                jump_to_finding(s, *i);
            }
        }
        Action::Back => back(s),
        _ => {}
    }
}

fn targets_action(s: &mut State, action: Action) {
    let Some(f) = s.fleet.clone() else {
        if action == Action::Back {
            back(s);
        }
        return;
    };
    let lines = f.lines(&s.targets.expanded);
    let page = view::targets::list_height(layout::frame(s.area()).body);
    if step(&mut s.targets.cursor.selected, lines.len(), page, action) {
        return;
    }
    let line = lines.get(s.targets.cursor.selected).copied();
    match (action, line) {
        (Action::Enter, Some(line)) => {
            if let Some(t) = f.line_target(line) {
                set_target(s, t);
                goto_top(s, Screen::Tables);
                if let Some(t) = s.current_target() {
                    s.message = Some(format!("target {}", t.name));
                }
            }
        }
        (Action::Right, Some(fleet::Line::Cluster(c, false))) => {
            s.targets.expanded.insert(c);
        }
        (Action::Left, Some(fleet::Line::Cluster(c, true))) => {
            s.targets.expanded.remove(&c);
        }
        (Action::Left, Some(fleet::Line::Member(_))) => {
            let above = lines[..s.targets.cursor.selected]
                .iter()
                .rposition(|l| matches!(l, fleet::Line::Cluster(..)));
            if let Some(i) = above {
                if let fleet::Line::Cluster(c, _) = lines[i] {
                    s.targets.expanded.remove(&c);
                }
                s.targets.cursor.selected = i;
            }
        }
        (Action::Back, _) => back(s),
        _ => {}
    }
}

fn layout_findings_height(s: &State) -> usize {
    let f = layout::frame(s.area());
    view::findings::list_height(f.body)
}

/// Go to where finding `i` is shown: its table's row, or its migration.
pub fn jump_to_finding(s: &mut State, i: usize) {
    let Some(data) = s.data.clone() else {
        return;
    };
    let Some(f) = data.report.findings.get(i) else {
        return;
    };
    if let Some(table) = super::data::finding_table(f) {
        goto_top(s, Screen::Tables);
        select_table(s, &table, true);
        let row = s
            .tables
            .rows
            .iter()
            .position(|r| r.object().is_some_and(|o| o.findings.contains(&i)));
        if let Some(row) = row {
            s.tables.row.selected = row;
            if s.tables.focus == Focus::List {
                s.tables.focus = Focus::Pane(s.tables.tab);
            }
        }
        s.tables.finding = Some(i);
    } else if f.object == ObjectKind::Migration {
        goto_top(s, Screen::Migrations);
        if let Some(m) = data.report.migrations.iter().position(|m| m.tag == f.name) {
            s.migrations.selected = m;
        }
    } else {
        s.message = Some(format!("{} (not about a table)", f.message));
    }
}

/// `n` / `N`: the next finding about a table, wrapping around.
fn next_finding(s: &mut State, forward: bool) {
    let Some(data) = s.data.clone() else {
        return;
    };
    let with_table: Vec<usize> = data
        .report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.table.is_some())
        .map(|(i, _)| i)
        .collect();
    if with_table.is_empty() {
        s.message = Some("no findings about tables".into());
        return;
    }
    let next = match (s.tables.finding, forward) {
        (None, true) => with_table[0],
        (None, false) => with_table[with_table.len() - 1],
        (Some(cur), true) => with_table
            .iter()
            .copied()
            .find(|&i| i > cur)
            .unwrap_or(with_table[0]),
        (Some(cur), false) => with_table
            .iter()
            .rev()
            .copied()
            .find(|&i| i < cur)
            .unwrap_or(with_table[with_table.len() - 1]),
    };
    jump_to_finding(s, next);
    let pos = with_table.iter().position(|&i| i == next).unwrap_or(0) + 1;
    if let Some(f) = data.report.findings.get(next) {
        s.message = Some(format!("finding {pos}/{}: {}", with_table.len(), f.message));
    }
}

/// Recompute the visible tables from the filter and sort order.
pub fn refilter(s: &mut State) {
    let Some(data) = &s.data else {
        s.tables.visible.clear();
        return;
    };
    let needle = s.tables.filter.to_lowercase();
    let mut visible: Vec<usize> = (0..data.tables.len())
        .filter(|&i| {
            needle.is_empty()
                || data.tables[i]
                    .name
                    .to_string()
                    .to_lowercase()
                    .contains(&needle)
        })
        .collect();
    let t = &data.tables;
    match s.tables.sort {
        Sort::Name => {}
        Sort::Status => visible.sort_by(|&a, &b| {
            (t[b].status, t[b].findings)
                .cmp(&(t[a].status, t[a].findings))
                .then_with(|| t[a].name.cmp(&t[b].name))
        }),
        Sort::Findings => visible.sort_by(|&a, &b| {
            t[b].findings
                .cmp(&t[a].findings)
                .then_with(|| t[a].name.cmp(&t[b].name))
        }),
    }
    s.tables.visible = visible;
}

/// Put the list cursor on `name`; with `force`, clear a filter that hides it.
fn select_table(s: &mut State, name: &QualifiedName, force: bool) {
    let find = |s: &State| {
        s.tables
            .visible
            .iter()
            .position(|&i| table_name(s, i) == Some(name))
    };
    let mut pos = find(s);
    if pos.is_none() && force && !s.tables.filter.is_empty() {
        s.tables.filter.clear();
        s.tables.editing = false;
        refilter(s);
        pos = find(s);
    }
    if let Some(p) = pos {
        s.tables.list.selected = p;
    }
    refresh_rows(s);
}

/// Recompute the pane rows when the selected table changed.
fn refresh_rows(s: &mut State) {
    let selected = s.selected_table().cloned();
    if selected == s.tables.rows_for {
        return;
    }
    // A few databases: each one's Live cell beside the others.
    let fleet = s.fleet.clone().filter(|_| s.live_panes() > 1);
    let lives: Vec<Option<&Data>> = match &fleet {
        Some(f) => (0..f.targets().len()).map(|i| f.read_data(i)).collect(),
        None => Vec::new(),
    };
    s.tables.rows = match (&s.data, &selected) {
        (Some(d), Some(t)) => d.pane_rows_with(t, &lives),
        _ => Vec::new(),
    };
    s.tables.rows_for = selected;
    s.tables.row = Cursor::default();
    first_row(s);
}

/// Keep every cursor inside its list and on screen.
fn settle(s: &mut State) {
    if layout::too_small(s.area()) {
        return;
    }
    let (list_h, pane_h) = (list_height(s), pane_height(s));
    s.tables.list.follow(s.tables.visible.len(), list_h);
    s.tables.row.follow(s.tables.rows.len(), pane_h);
    if let Some(d) = &s.data {
        // The findings cursor rests on a finding, never on a category header.
        let lines = &d.finding_lines;
        if !matches!(lines.get(s.findings.selected), Some(FindingLine::Item(_))) {
            if let Some(i) = (s.findings.selected..lines.len())
                .chain(0..s.findings.selected)
                .find(|&i| matches!(lines.get(i), Some(FindingLine::Item(_))))
            {
                s.findings.selected = i;
            }
        }
        s.migrations.follow(
            view::migrations::row_count(d),
            view::migrations::list_height(layout::frame(s.area()).body, d),
        );
        s.findings
            .follow(d.finding_lines.len(), layout_findings_height(s));
    }
    if let Some(f) = &s.fleet {
        let len = f.lines(&s.targets.expanded).len();
        let height = view::targets::list_height(layout::frame(s.area()).body);
        s.targets.cursor.follow(len, height);
    }
}

fn mouse(s: &mut State, m: MouseEvent, out: &mut Vec<Command>) {
    if !s.mouse || layout::too_small(s.area()) {
        return;
    }
    let f = layout::frame(s.area());
    let (x, y) = (m.column, m.row);
    match m.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let action = if m.kind == MouseEventKind::ScrollDown {
                Action::Down
            } else {
                Action::Up
            };
            for _ in 0..3 {
                wheel(s, &f, x, y, action, out);
            }
        }
        MouseEventKind::Down(MouseButton::Left) => click(s, &f, x, y, out),
        _ => {}
    }
}

fn wheel(s: &mut State, f: &layout::Frame, x: u16, y: u16, action: Action, out: &mut Vec<Command>) {
    if s.screen == Screen::Tables {
        let t = s.tables_layout(f.body);
        if layout::contains(t.list, x, y) {
            let len = s.tables.visible.len();
            step(&mut s.tables.list.selected, len, 1, action);
            refresh_rows(s);
        } else if layout::contains(f.body, x, y) {
            let len = s.tables.rows.len();
            let before = s.tables.row.selected;
            step(&mut s.tables.row.selected, len, 1, action);
            skip_sections(s, s.tables.row.selected >= before);
        }
        return;
    }
    act(s, action, out);
}

fn click(s: &mut State, f: &layout::Frame, x: u16, y: u16, out: &mut Vec<Command>) {
    if layout::contains(f.tabs, x, y) {
        for (a, _, start, end) in layout::screen_tabs(&s.keymap, s.fleet.is_some()) {
            if x >= start && x < end {
                act(s, a, out);
            }
        }
        return;
    }
    match s.screen {
        Screen::Tables => {
            let t = s.tables_layout(f.body);
            let rows = layout::list_rows(&t);
            if layout::contains(rows, x, y) {
                let i = s.tables.list.offset + (y - rows.y) as usize;
                if i < s.tables.visible.len() {
                    s.tables.list.selected = i;
                    s.tables.focus = Focus::List;
                    refresh_rows(s);
                }
                return;
            }
            let panes: Vec<(Side, Rect)> = match t.panes {
                Panes::Side(p) => Side::ALL.into_iter().zip(p).collect(),
                Panes::Lives {
                    sources,
                    lives,
                    count,
                } => {
                    let hit = lives[..count]
                        .iter()
                        .position(|r| layout::contains(*r, x, y));
                    if let Some(i) = hit {
                        if i != s.target {
                            set_target(s, i);
                        }
                    }
                    let live = hit.map_or(lives[0], |i| lives[i]);
                    vec![
                        (Side::Ts, sources[0]),
                        (Side::Snapshot, sources[1]),
                        (Side::Live, live),
                    ]
                }
                Panes::Tabbed(p) => {
                    if y == p.y {
                        let live = s.live_title(p.width as usize / 2);
                        for ((_, start, end), side) in
                            layout::pane_tabs(&live).into_iter().zip(Side::ALL)
                        {
                            if x >= p.x + start && x < p.x + end {
                                s.tables.tab = side;
                                if let Focus::Pane(_) = s.tables.focus {
                                    s.tables.focus = Focus::Pane(side);
                                }
                            }
                        }
                        return;
                    }
                    vec![(s.shown_pane(), p)]
                }
            };
            for (side, rect) in panes {
                let inner = layout::inner(rect);
                if layout::contains(inner, x, y) {
                    let i = s.tables.row.offset + (y - inner.y) as usize;
                    if s.tables.rows.get(i).and_then(PaneRow::object).is_some() {
                        s.tables.row.selected = i;
                        s.tables.focus = Focus::Pane(side);
                        s.tables.tab = side;
                    }
                }
            }
        }
        Screen::Findings => {
            let list = view::findings::list_rect(f.body);
            if layout::contains(list, x, y) {
                let i = s.findings.offset + (y - list.y) as usize;
                if let Some(d) = &s.data {
                    if matches!(d.finding_lines.get(i), Some(FindingLine::Item(_))) {
                        s.findings.selected = i;
                    }
                }
            }
        }
        Screen::Targets => {
            let list = view::targets::list_rect(f.body);
            if layout::contains(list, x, y) {
                let i = s.targets.cursor.offset + (y - list.y) as usize;
                let len = s
                    .fleet
                    .as_ref()
                    .map_or(0, |f| f.lines(&s.targets.expanded).len());
                if i < len {
                    s.targets.cursor.selected = i;
                }
            }
        }
        Screen::Migrations => {
            let Some(d) = &s.data else { return };
            let list = view::migrations::list_rect(f.body, d);
            if layout::contains(list, x, y) {
                let i = s.migrations.offset + (y - list.y) as usize;
                if i < view::migrations::row_count(d) {
                    s.migrations.selected = i;
                }
            }
        }
        _ => {}
    }
}
