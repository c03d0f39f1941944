//! The interactive drift explorer: a full-screen view of the same `Report` that `check`
//! prints, with the three sources side by side.
//!
//! `app` holds the state and the one `update` function (never awaits, no I/O), `view`
//! draws the state (pure), `tasks` runs the loads `update` asks for, `terminal` owns the
//! real terminal and always gives it back.

pub mod app;
pub mod data;
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
use app::{update, Command, LiveKind, Msg, Outcome, State};
use std::collections::VecDeque;
use std::sync::Arc;
use tasks::Context;
use theme::{Theme, ThemeName};
use tokio::sync::mpsc;

/// How the explorer was asked for on the command line.
pub struct Launch {
    pub options: Options,
    /// Shown instead of the catalog file (the demo).
    pub live_label: Option<String>,
    /// `--no-mouse` turns mouse capture off.
    pub mouse: bool,
    /// `--color never` or NO_COLOR: the monochrome theme, whatever the config says.
    pub monochrome: bool,
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
        .map_err(|e| Error::Usage(format!("cannot start the async runtime: {e}")))?;
    let (width, height) = crossterm::terminal::size()
        .map_err(|e| Error::Usage(format!("cannot read the terminal size: {e}")))?;
    let mut state = State::new(
        width,
        height,
        live_kind(&launch.options.live),
        Theme::new(theme),
        settings.keymap,
    );
    state.mouse = mouse;
    let ctx = Arc::new(Context {
        options: launch.options,
        live_label: launch.live_label,
    });
    let result = runtime.block_on(event_loop(state, ctx));
    // Loads still running (a slow database) are abandoned, not awaited.
    runtime.shutdown_background();
    result
}

async fn event_loop(mut state: State, ctx: Arc<Context>) -> Result<i32> {
    let io = |e: std::io::Error| Error::Usage(format!("terminal: {e}"));
    let mut tui = terminal::Tui::enter(state.mouse).map_err(io)?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let (fatal_tx, mut fatal_rx) = mpsc::unbounded_channel::<String>();
    let input = terminal::Input::start(tx.clone(), fatal_tx);
    let mut terminate = signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut hangup = signal(tokio::signal::unix::SignalKind::hangup())?;
    let mut interrupt = signal(tokio::signal::unix::SignalKind::interrupt())?;

    let mut queue: VecDeque<Command> = app::reload(&mut state).into();
    tui.terminal.draw(|f| view::render(f, &state)).map_err(io)?;
    loop {
        let mut redraw = false;
        while let Some(cmd) = queue.pop_front() {
            match cmd {
                Command::OpenEditor { path, line } => {
                    redraw = true;
                    input.pause();
                    let r = tui
                        .suspend(|| terminal::open_editor(&path, line))
                        .map_err(io)?;
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
                    tokio::spawn(async move {
                        if let Some(msg) = tasks::execute(ctx, other).await {
                            let _ = tx.send(msg);
                        }
                    });
                }
            }
        }
        if state.quit {
            break;
        }
        if redraw {
            tui.terminal.draw(|f| view::render(f, &state)).map_err(io)?;
        }
        let msg = tokio::select! {
            m = rx.recv() => m,
            e = fatal_rx.recv() => {
                drop(tui);
                return Err(Error::Usage(e.unwrap_or_else(|| "the terminal closed".into())));
            }
            _ = terminate.recv() => None,
            _ = hangup.recv() => None,
            _ = interrupt.recv() => None,
        };
        let Some(msg) = msg else { break };
        queue.extend(update(&mut state, msg));
        // Everything already queued (a burst of keys, a resize storm) is drawn once.
        while !state.quit {
            match rx.try_recv() {
                Ok(m) => queue.extend(update(&mut state, m)),
                Err(_) => break,
            }
        }
        if state.quit {
            break;
        }
        tui.terminal.draw(|f| view::render(f, &state)).map_err(io)?;
    }
    drop(input);
    drop(tui);
    Ok(0)
}

fn signal(kind: tokio::signal::unix::SignalKind) -> Result<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(kind)
        .map_err(|e| Error::Usage(format!("cannot listen for signals: {e}")))
}
