//! One `check` over several targets: the project's files read once, every target read
//! (at most `jobs` at a time), identical targets compared once.

use super::group::Fleet;
use super::read;
use super::Target;
use crate::config::Config;
use crate::engine::{self, LiveLoad, LiveSource, Loaded, Options};
use crate::report::Report;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Instant;

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
        progress.done();
    })
    .await;
    progress.finish();
    let (report, kept) = fleet.finish_with(base.clone());
    Compared {
        offline,
        base,
        report,
        kept,
    }
}

/// `targets 120/1000 · 2 failed · 45/s` on stderr when it is a terminal (indicatif,
/// redrawn at most 20 times a second, cleared at the end); nothing when it is piped.
struct Progress {
    bar: ProgressBar,
    failed: usize,
    started: Instant,
}

impl Progress {
    fn new(total: usize, wanted: bool) -> Self {
        let bar = if wanted && total >= 2 && std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(
                Some(total as u64),
                ProgressDrawTarget::stderr_with_hz(20),
            );
            // The template is a constant: it parses.
            if let Ok(style) = ProgressStyle::with_template("targets {pos}/{len} · {msg}") {
                bar.set_style(style);
            }
            bar.set_message("0 failed");
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress {
            bar,
            failed: 0,
            started: Instant::now(),
        }
    }

    /// One more target done.
    fn done(&mut self) {
        let done = self.bar.position() + 1;
        let rate = done as f64 / self.started.elapsed().as_secs_f64().max(0.001);
        // The message first: one redraw shows both.
        self.bar
            .set_message(format!("{} failed · {rate:.0}/s", self.failed));
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
