//! Running the load commands `update` asks for. Each runs off the event loop (blocking
//! file work on tokio's blocking pool) and answers with one message tagged with the
//! generation that asked, so a reload makes older answers stale. On a stop each returns
//! at once (a database read after cancelling its query).

use super::app::{Command, MigrationView, Msg, Outcome};
use super::data::{migration_changes, Data};
use super::fleet::Fleet;
use crate::diff::base::Base;
use crate::engine::{self, LiveSource, Options};
use crate::model::Schema;
use crate::shutdown;
use crate::sources::history;
use std::path::Path;
use std::sync::Arc;

/// What the loads need beyond the commands themselves.
pub struct Context {
    pub options: Options,
    /// Shown instead of the catalog path (the demo).
    pub live_label: Option<String>,
    /// `--target`, `--targets`, `--jobs`: several databases.
    pub targets: crate::commands::TargetArgs,
}

/// Run `f` on the blocking pool; on a stop, answer at once and leave it to finish alone.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    match shutdown::unless_stopped(tokio::task::spawn_blocking(f)).await {
        Ok(r) => r.map_err(|e| format!("the load task stopped: {e}")),
        Err(reason) => Err(format!("stopped ({reason})")),
    }
}

/// Run one load command. The editor command is the event loop's; it answers `None`.
pub async fn execute(ctx: Arc<Context>, cmd: Command) -> Option<Msg> {
    let (generation, outcome) = match cmd {
        Command::LoadConfig { generation } => {
            let c = ctx.clone();
            let r = blocking(move || engine::load_config(&c.options).map_err(|e| e.to_string()))
                .await
                .and_then(|r| r);
            (generation, Outcome::Config(r.map(Arc::new)))
        }
        Command::LoadHistory { generation, config } => {
            let ts_engine = ctx.options.ts_engine;
            let h = blocking(move || engine::load_history(&config, ts_engine)).await;
            (generation, Outcome::History(h.map(Arc::new)))
        }
        Command::LoadLive {
            generation,
            config,
            history,
        } => {
            let r = match &ctx.options.live {
                // Reading a file and parsing JSON: keep it off the async threads.
                LiveSource::Captured(_) | LiveSource::Offline => {
                    let c = ctx.clone();
                    let handle = tokio::runtime::Handle::current();
                    blocking(move || {
                        handle.block_on(engine::load_live(&c.options.live, &config, None))
                    })
                    .await
                    .and_then(|r| r.map_err(|e| e.to_string()))
                }
                LiveSource::Database { .. } => {
                    let latest = history.as_ref().and_then(|h| h.managed());
                    engine::load_live(&ctx.options.live, &config, latest)
                        .await
                        .map_err(|e| e.to_string())
                }
            };
            let r = r.map(|live| {
                live.map(|mut l| {
                    if let Some(label) = &ctx.live_label {
                        l.label = label.clone();
                    }
                    Arc::new(l)
                })
            });
            (generation, Outcome::Live(r))
        }
        Command::LoadTargets {
            generation,
            config,
            history,
        } => {
            // The comparisons are CPU work: the whole run stays off the async threads.
            let c = ctx.clone();
            let handle = tokio::runtime::Handle::current();
            let r = blocking(move || handle.block_on(fleet(&c, &config, history)))
                .await
                .and_then(|r| r);
            (generation, Outcome::Targets(r.map(|f| f.map(Arc::new))))
        }
        Command::BuildReport {
            generation,
            config,
            history,
            live,
            base,
        } => {
            let c = ctx.clone();
            let data = blocking(move || build(&c, &config, history, live, base)).await;
            (generation, Outcome::Report(data.map(Arc::new)))
        }
        Command::LoadBase {
            generation,
            config,
            history,
            rev,
        } => {
            let r = blocking(move || {
                crate::diff::base::read(&history.history, &config.out, config.dialect, &rev)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .await
            .and_then(|r| r);
            (generation, Outcome::Base(r))
        }
        Command::LoadMigration {
            generation,
            index,
            data,
        } => {
            let view = blocking(move || migration(&data, index))
                .await
                .unwrap_or_else(|e| MigrationView {
                    index,
                    file: String::new(),
                    statements: Err(e.clone()),
                    changes: Err(e),
                });
            (generation, Outcome::Migration(Box::new(view)))
        }
        Command::OpenEditor { .. } => return None,
        Command::Explain {
            generation,
            data,
            parsed,
        } => {
            let r = blocking(move || explain(&data, &parsed))
                .await
                .and_then(|r| r);
            (generation, Outcome::Why(r))
        }
    };
    Some(Msg::Done {
        generation,
        outcome,
    })
}

fn build(
    ctx: &Context,
    config: &crate::config::Config,
    history: Arc<engine::HistoryLoad>,
    live: Result<Option<Arc<engine::LiveLoad>>, String>,
    base: Option<Result<Arc<Base>, String>>,
) -> Data {
    // Usually the last holder of both: take them instead of copying whole schemas.
    let (live, live_error) = match live {
        Ok(l) => (l.map(Arc::unwrap_or_clone), None),
        Err(e) => (None, Some(e)),
    };
    let history = Arc::unwrap_or_clone(history);
    // A failed database read still shows the history; the live pane shows the error.
    let source = if live_error.is_some() {
        LiveSource::Offline
    } else {
        ctx.options.live.clone()
    };
    let loaded = engine::assemble(&source, config.clone(), history, live);
    let watched = crate::watch::Targets::of(&loaded, &ctx.options.live);
    let mut report = engine::report(&loaded);
    // What `check --base` adds to its report, added here too.
    if let Some(Ok(b)) = &base {
        report
            .findings
            .extend(b.comparison.findings.iter().cloned());
        report.recount();
    }
    let ts = loaded.ts.map(Arc::new);
    let root = loaded.config.root.clone();
    let mut data = Data::new(
        report,
        root,
        loaded.latest.map(Arc::new),
        loaded.live,
        Some(Arc::new(loaded.history)),
    );
    data.live_error = live_error;
    data.ts = ts;
    data.database = loaded.catalog.as_ref().map(|c| c.database.clone());
    data.watched = watched;
    data.base = base;
    data
}

/// Every target read (at most `--jobs` at a time) and compared as `check` compares
/// them; `None` when none is named after all (an empty `[targets]`).
async fn fleet(
    ctx: &Context,
    config: &crate::config::Config,
    history: Arc<engine::HistoryLoad>,
) -> Result<Option<Fleet>, String> {
    let named = ctx
        .targets
        .named(&ctx.options, config)
        .map_err(|e| e.to_string())?;
    if named.is_empty() {
        return Ok(None);
    }
    // Besides the project's files, a reload follows the `--targets` file and the catalogs
    // named as targets (a database is not a file to watch).
    let mut named_files = crate::watch::Targets::default();
    if let Some(file) = &ctx.targets.file {
        named_files.file(ctx.options.cwd.join(file));
    }
    for t in &named {
        if let crate::targets::Location::Catalog(path) = &t.location {
            named_files.file(ctx.options.cwd.join(path));
        }
    }
    let mut shared: Shared = None;
    let compared = crate::targets::run::compare_loaded(
        &ctx.options,
        config.clone(),
        Arc::unwrap_or_clone(history),
        &named,
        ctx.targets.jobs.max(1),
        false,
        |loaded, report| Arc::new(data_of(loaded, report.clone(), &mut shared, &named_files)),
    )
    .await;
    let offline = Arc::new(data_of(
        &compared.offline,
        compared.base,
        &mut shared,
        &named_files,
    ));
    Ok(Some(Fleet::new(compared.report, compared.kept, offline)))
}

/// The project's sources, the same in every target's comparison: one copy for all.
type Shared = Option<(
    Option<Arc<crate::model::Schema>>,
    Option<Arc<crate::model::Schema>>,
    Arc<history::History>,
)>;

/// The screens' data of one comparison: its database's schema copied (`loaded` is the
/// run's), the project's sources shared with the other targets' through `shared`; what a
/// reload follows: the project's files and `named_files`.
fn data_of(
    loaded: &engine::Loaded,
    report: crate::report::Report,
    shared: &mut Shared,
    named_files: &crate::watch::Targets,
) -> Data {
    let (ts, latest, history) = shared
        .get_or_insert_with(|| {
            (
                loaded.ts.clone().map(Arc::new),
                loaded.latest.clone().map(Arc::new),
                Arc::new(loaded.history.clone()),
            )
        })
        .clone();
    let mut data = Data::new(
        report,
        loaded.config.root.clone(),
        latest,
        loaded.live.clone(),
        Some(history),
    );
    data.ts = ts;
    data.database = loaded.catalog.as_ref().map(|c| c.database.clone());
    data.watched = crate::watch::Targets::of(loaded, &LiveSource::Offline);
    data.watched.files.extend(named_files.files.iter().cloned());
    data
}

/// `why` on the loaded sources: the same explanation as the command line.
fn explain(
    data: &Data,
    parsed: &crate::why::Parsed,
) -> Result<Box<crate::why::Explanation>, String> {
    let history = data
        .history
        .as_ref()
        .ok_or("the migrations folder is not loaded")?;
    let ctx = crate::why::Context {
        dialect: data.report.dialect,
        root: &data.root,
        history,
        ts: data.ts.as_deref(),
        latest: data.latest.as_deref(),
        live: data.live.as_ref(),
        live_label: data.report.sources.live.as_deref(),
        database: data.database.as_deref(),
        report: &data.report,
    };
    Ok(Box::new(crate::why::explain(&ctx, parsed)))
}

/// A migration's SQL statements and what it changes against the previous snapshot.
fn migration(data: &Data, index: usize) -> MigrationView {
    let Some(history) = &data.history else {
        return MigrationView {
            index,
            file: String::new(),
            statements: Err("the migrations folder is not loaded".into()),
            changes: Err("the migrations folder is not loaded".into()),
        };
    };
    let Some(m) = history.migrations.get(index) else {
        return MigrationView {
            index,
            file: String::new(),
            statements: Err(format!("no migration #{index} in the history")),
            changes: Err(format!("no migration #{index} in the history")),
        };
    };
    let file = shown(&m.sql_path, &data.root);
    let statements = std::fs::read(&m.sql_path)
        .map(|bytes| history::statements(&String::from_utf8_lossy(&bytes)))
        .map_err(|e| format!("{file}: {e}"));
    let mut notes = Vec::new();
    let after = engine::snapshot_at(history, index, &mut notes);
    let before = match index {
        0 => Some(Schema::new(data.report.dialect)),
        i => engine::snapshot_at(history, i - 1, &mut notes),
    };
    let changes = match (before, after) {
        (Some(b), Some(a)) => Ok(migration_changes(&b, &a)),
        _ => Err(notes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")),
    };
    MigrationView {
        index,
        file,
        statements,
        changes,
    }
}

fn shown(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
