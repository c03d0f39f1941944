//! One `check` over several targets: the project's files read once, every target read
//! (at most `jobs` at a time), identical targets compared once.

use super::group::Fleet;
use super::read;
use super::Target;
use crate::config::Config;
use crate::engine::{self, LiveLoad, LiveSource, Loaded, Options};
use crate::report::Report;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// The report over `targets`, and the project loaded without a database (for `--base`).
pub async fn check(
    opts: &Options,
    config: Config,
    targets: &[Target],
    jobs: usize,
) -> (Loaded, Report) {
    let (offline, report, _) = compare(opts, config, targets, jobs, |_, _| ()).await;
    (offline, report)
}

/// Read and compare every target; `extra` is called once per distinct fingerprint with
/// the target's load and report, and what it returns is kept for that group.
pub async fn compare<T>(
    opts: &Options,
    config: Config,
    targets: &[Target],
    jobs: usize,
    extra: impl FnMut(&Loaded, &Report) -> T,
) -> (Loaded, Report, Vec<T>) {
    let history = engine::load_history(&config, opts.ts_engine);
    let c = compare_loaded(opts, config, history, targets, jobs, true, extra).await;
    (c.offline, c.report, c.kept)
}

/// What [`compare_loaded`] found.
pub struct Compared<T> {
    /// The project loaded without a database.
    pub offline: Loaded,
    /// The comparison without a database: its findings are about files only.
    pub base: Report,
    /// Every target's findings, each under its target.
    pub report: Report,
    /// What `extra` returned, per distinct fingerprint, in the report's group order.
    pub kept: Vec<T>,
}

/// [`compare`] with the history already loaded (the explorer has it), and the progress
/// line on stderr only when `progress` (the explorer owns the terminal).
pub async fn compare_loaded<T>(
    opts: &Options,
    config: Config,
    history: engine::HistoryLoad,
    targets: &[Target],
    jobs: usize,
    progress: bool,
    mut extra: impl FnMut(&Loaded, &Report) -> T,
) -> Compared<T> {
    let mut read_opts = engine::read_options(&config, &history.history, history.managed());
    read_opts.parallel_sessions = false;
    let offline = engine::assemble(&LiveSource::Offline, config.clone(), history.clone(), None);
    let base = engine::report(&offline);
    let mut fleet = Fleet::new(targets, &opts.cwd);
    let mut progress = Progress::new(targets.len(), progress);
    read::all(targets, config.dialect, &read_opts, jobs, |i, outcome| {
        match outcome {
            Ok(read) => fleet.read(i, read, |catalog| {
                let live = LiveLoad {
                    catalog,
                    label: targets[i].label(&opts.cwd),
                };
                // Offline as the source: the config's own credentials are not what is read.
                let loaded = engine::assemble_with(
                    &LiveSource::Offline,
                    config.clone(),
                    history.clone(),
                    Some(live),
                    false,
                );
                let report = engine::report(&loaded);
                let kept = extra(&loaded, &report);
                (report, kept)
            }),
            Err(failure) => {
                progress.failed += 1;
                fleet.failed(i, failure);
            }
        }
        progress.done += 1;
        progress.show(false);
    })
    .await;
    progress.show(true);
    let (report, kept) = fleet.finish_with(base.clone());
    Compared {
        offline,
        base,
        report,
        kept,
    }
}

/// `targets 120/1000 · 2 failed · 45/s` on stderr when it is a terminal; nothing when it
/// is piped.
struct Progress {
    total: usize,
    done: usize,
    failed: usize,
    started: Instant,
    shown: Option<Instant>,
    terminal: bool,
}

impl Progress {
    fn new(total: usize, wanted: bool) -> Self {
        Progress {
            total,
            done: 0,
            failed: 0,
            started: Instant::now(),
            shown: None,
            terminal: wanted && std::io::stderr().is_terminal(),
        }
    }

    fn show(&mut self, last: bool) {
        if !self.terminal || self.total < 2 {
            return;
        }
        let mut err = std::io::stderr().lock();
        if last {
            if self.shown.is_some() {
                let _ = write!(err, "\r\x1b[K");
            }
            return;
        }
        if self
            .shown
            .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.shown = Some(Instant::now());
        let rate = self.done as f64 / self.started.elapsed().as_secs_f64().max(0.001);
        let _ = write!(
            err,
            "\r\x1b[Ktargets {}/{} · {} failed · {rate:.0}/s",
            self.done, self.total, self.failed
        );
        let _ = err.flush();
    }
}
