//! The interactive drift explorer: a full-screen view of the same `Report` that `check`
//! prints, with the three sources side by side.
//!
//! `app` holds the state and the one `update` function (never awaits, no I/O), `view`
//! draws the state (pure), `tasks` runs the loads `update` asks for, `terminal` owns the
//! real terminal and always gives it back.

pub mod app;
#[cfg(test)]
mod contrast;
pub mod data;
pub mod fleet;
pub mod keymap;
pub mod layout;
pub mod settings;
pub mod sql;
pub mod tasks;
pub mod terminal;
pub mod theme;
pub mod view;

use crate::engine::{LiveSource, Options};
use crate::error::{Error, Result};
use crate::shutdown::{self, Reason};
use crate::watch::{self, Targets};
use app::{update, Command, LiveKind, Msg, Outcome, State};
use std::collections::VecDeque;
use std::sync::Arc;
use tasks::Context;
use theme::{Theme, ThemeName};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// How the explorer was asked for on the command line.
pub struct Launch {
    pub options: Options,
    /// Shown instead of the catalog file (the demo).
    pub live_label: Option<String>,
    /// `--no-mouse` turns mouse capture off.
    pub mouse: bool,
    /// `--color never` or NO_COLOR: the monochrome theme, whatever the config says.
    pub monochrome: bool,
    /// Reload when the project's files change (off with `--no-watch`).
    pub watch: bool,
    /// `--base REF`: the Migrations screen shows this revision's migrations beside the
    /// branch's.
    pub base: Option<String>,
    /// `--target`, `--targets`, `--jobs`: several databases.
    pub targets: crate::commands::TargetArgs,
}

/// [`live_kind`], or several databases when targets are named (by flag, or by
/// `[targets]` in drizzle-drift.toml when no `--url`, `--catalog` or `--offline` is given).
pub fn launch_kind(options: &Options, targets: &crate::commands::TargetArgs) -> LiveKind {
    let toml = matches!(options.live, LiveSource::Database { url: None })
        && crate::targets::toml_names_targets(options.config.as_deref(), &options.cwd);
    if targets.given() || toml {
        LiveKind::Targets
    } else {
        live_kind(&options.live)
    }
}

pub fn live_kind(live: &LiveSource) -> LiveKind {
    match live {
        LiveSource::Offline => LiveKind::Offline,
        LiveSource::Captured(_) => LiveKind::Captured,
        LiveSource::Database { .. } => LiveKind::Database,
    }
}

/// Open the explorer and run it until the user quits. Returns the exit code.
pub fn run(launch: Launch) -> Result<i32> {
    let settings = settings::load()?;
    let theme = if launch.monochrome {
        ThemeName::Monochrome
    } else {
        settings.theme.unwrap_or(ThemeName::Default)
    };
    let mouse = launch.mouse && settings.mouse.unwrap_or(true);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::context("cannot start the async runtime", e))?;
    let (width, height) = crossterm::terminal::size()
        .map_err(|e| Error::context("cannot read the terminal size", e))?;
    let mut state = State::new(
        width,
        height,
        launch_kind(&launch.options, &launch.targets),
        Theme::new(theme),
        settings.keymap,
    );
    state.mouse = mouse;
    state.base_rev = launch.base;
    let ctx = Arc::new(Context {
        options: launch.options,
        live_label: launch.live_label,
        targets: launch.targets,
    });
    let result = runtime.block_on(event_loop(state, ctx, launch.watch));
    // Loads stuck in CPU work (parsing a big schema) are abandoned, not awaited.
    runtime.shutdown_background();
    result
}

/// The watch on what the current data read (or, before any, where the config is looked
/// for), moved to new files when a reload read others.
struct Watching {
    targets: Option<Targets>,
    watch: Option<watch::Watch>,
}

impl Watching {
    fn follow(&mut self, state: &mut State, ctx: &Context, tx: &mpsc::UnboundedSender<Msg>) {
        let wanted = match &state.data {
            Some(d) if !d.watched.files.is_empty() => d.watched.clone(),
            _ => Targets::config_of(&ctx.options),
        };
        if self.targets.as_ref() == Some(&wanted) {
            return;
        }
        self.watch = None;
        let tx = tx.clone();
        match watch::start(wanted.clone(), move |paths| {
            let _ = tx.send(Msg::Changed(paths));
        }) {
            Ok(w) => self.watch = Some(w),
            Err(e) => state.message = Some(e),
        }
        self.targets = Some(wanted);
    }
}

async fn event_loop(mut state: State, ctx: Arc<Context>, watch: bool) -> Result<i32> {
    let io = |e: std::io::Error| Error::context("terminal", e);
    let mut tui = terminal::Tui::enter(state.mouse).map_err(io)?;
    shutdown::listen(terminal::give_back)
        .map_err(|e| Error::context("cannot listen for signals", e))?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let input = terminal::Input::start(tx.clone()).map_err(io)?;
    let mut loads = JoinSet::new();

    let mut queue: VecDeque<Command> = app::reload(&mut state).into();
    let mut watching = Watching {
        targets: None,
        watch: None,
    };
    let stop = 'run: loop {
        if state.quit {
            break Reason::Quit;
        }
        if watch {
            watching.follow(&mut state, &ctx, &tx);
        }
        while let Some(cmd) = queue.pop_front() {
            match cmd {
                Command::OpenEditor { path, line } => {
                    input.pause();
                    tui.leave();
                    let r = terminal::open_editor(&path, line).await;
                    if let Some(reason) = shutdown::reason() {
                        break 'run reason;
                    }
                    if tui.resume().is_err() {
                        break 'run Reason::HangUp;
                    }
                    input.resume();
                    let generation = state.generation;
                    queue.extend(update(
                        &mut state,
                        Msg::Done {
                            generation,
                            outcome: Outcome::Editor(r),
                        },
                    ));
                }
                other => {
                    let (tx, ctx) = (tx.clone(), ctx.clone());
                    loads.spawn(async move {
                        if let Some(msg) = tasks::execute(ctx, other).await {
                            let _ = tx.send(msg);
                        }
                    });
                }
            }
        }
        while loads.try_join_next().is_some() {}
        // A terminal that cannot be written to has hung up: it is not written to again.
        if tui.draw(&state).is_err() {
            break Reason::HangUp;
        }
        let msg = tokio::select! {
            Some(m) = rx.recv() => m,
            reason = shutdown::requested() => break reason,
        };
        #[cfg(any(debug_assertions, feature = "test-hooks"))]
        if matches!(msg, Msg::Key(_)) && std::env::var_os("DRIZZLE_DRIFT_TEST_PANIC").is_some() {
            panic!("DRIZZLE_DRIFT_TEST_PANIC: a panic on the first key, as asked");
        }
        queue.extend(update(&mut state, msg));
        // Everything already queued (a burst of keys, a resize storm) is drawn once.
        while !state.quit {
            match rx.try_recv() {
                Ok(m) => queue.extend(update(&mut state, m)),
                Err(_) => break,
            }
        }
    };
    // The loads (and their database readers) stop too; the terminal is given back, if it
    // is still there, before waiting for them.
    shutdown::request(stop);
    drop(input);
    drop(tui);
    while loads.join_next().await.is_some() {}
    Ok(shutdown::reason().unwrap_or(stop).exit_code())
}
