//! Loading the three sources and building the one `Report` every view shows.
//! This is the only place that decides *which* snapshots and catalog to compare; the
//! comparison itself is the pure `diff`.

use crate::config::{self, Config};
use crate::diagnostic::{Diagnostic, Incomplete, Source};
use crate::diff::{self, migrations};
use crate::error::{Error, Result};
use crate::model::{normalize, Schema};
use crate::report::{Report, SourceInfo};
use crate::sources::catalog::{self, Catalog};
use crate::sources::history::{self, History};
use crate::sources::typescript;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Where the live side comes from.
#[derive(Debug, Clone)]
pub enum LiveSource {
    /// Do not read a database.
    Offline,
    /// A captured catalog file.
    Captured(PathBuf),
    /// `--url`, else the config's credentials, else `DATABASE_URL`.
    Database { url: Option<String> },
}

#[derive(Debug, Clone)]
pub struct Options {
    pub config: Option<PathBuf>,
    pub cwd: PathBuf,
    pub live: LiveSource,
    pub ts_engine: TsEngine,
    /// `--schema`, `--out`, `--casing`.
    pub overrides: config::Overrides,
}

/// Who reads the TypeScript schema.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TsEngine {
    /// drizzle-drift's own static reader (no Node needed).
    #[default]
    Static,
    /// The project's own drizzle-kit under Node (`generateDrizzleJson`).
    Node,
}

/// Everything read, normalized, ready to compare.
pub struct Loaded {
    pub config: Config,
    /// Which files and which engine produced `ts`, for the report header.
    pub ts_label: Option<String>,
    /// Every TypeScript file read (the schema files and what they import).
    pub ts_files: Vec<PathBuf>,
    /// The TypeScript schema, normalized; `None` when the config names no schema.
    pub ts: Option<Schema>,
    pub history: History,
    /// The state after every local migration: the newest snapshot (empty when there are no
    /// migrations).
    pub latest: Option<Schema>,
    /// The snapshot `drizzle-kit generate` compares the schema with, when it is not
    /// `latest` (a snapshot file the journal does not list sorts last).
    pub base: Option<Schema>,
    /// The catalog read, without its schema (moved, normalized, into `live`).
    pub catalog: Option<Catalog>,
    /// The live schema, normalized.
    pub live: Option<Schema>,
    /// Redacted URL or captured file name.
    pub live_label: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// What could not be read: nothing may rest on it, and `check` exits 2.
    pub incomplete: Vec<Incomplete>,
}

pub async fn load(opts: &Options) -> Result<Loaded> {
    let config = load_config(opts)?;
    let history = load_history(&config, opts.ts_engine);
    let live = load_live(&opts.live, &config, history.managed()).await?;
    Ok(assemble(&opts.live, config, history, live))
}

/// The migrations folder half of a load: the history and its newest snapshot.
#[derive(Clone)]
pub struct HistoryLoad {
    /// The TypeScript schema, normalized (`None`: not read, or its reader failed).
    pub ts: Option<Schema>,
    /// Which files and which engine produced `ts`.
    pub ts_label: Option<String>,
    /// Every TypeScript file read (the schema files and what they import).
    pub ts_files: Vec<PathBuf>,
    pub history: History,
    /// The state after every local migration (empty when there are no migrations).
    pub latest: Option<Schema>,
    /// See [`Loaded::base`].
    pub base: Option<Schema>,
    /// What reading the history and the newest snapshot could not understand.
    pub diagnostics: Vec<Diagnostic>,
    /// What could not be read of the schema and the history.
    pub incomplete: Vec<Incomplete>,
}

impl HistoryLoad {
    /// What the database should hold: the newest snapshot, or the TypeScript schema in a
    /// project without migrations. Widens the schemas read from the database.
    pub fn managed(&self) -> Option<&Schema> {
        if no_migrations(&self.history) {
            self.ts.as_ref().or(self.latest.as_ref())
        } else {
            self.latest.as_ref()
        }
    }
}

impl Loaded {
    /// A project without migrations whose TypeScript schema was read (the
    /// `drizzle-kit push` workflow): drift compares that schema with the database directly.
    pub fn pushes(&self) -> bool {
        self.ts.is_some() && no_migrations(&self.history)
    }
}

/// No migration at all, and no broken history file that would hide some.
pub fn no_migrations(history: &History) -> bool {
    history.migrations.is_empty()
        && history.problems.is_empty()
        && history.diagnostics.is_empty()
        && history.incomplete.is_empty()
}

/// The live half of a load: the catalog read (or captured) and how to name it.
#[derive(Clone)]
pub struct LiveLoad {
    pub catalog: Catalog,
    /// Redacted URL or captured file name.
    pub label: String,
}

/// First step of a load: the drizzle-kit config.
pub fn load_config(opts: &Options) -> Result<Config> {
    let mut config = config::load(opts.config.as_deref(), &opts.cwd)?;
    config.apply(&opts.overrides);
    Ok(config)
}

/// [`load_config`], or — when no config was asked for and none is in the folder — the
/// config drizzle-kit assumes without one, taking the dialect from the database URL or
/// the captured catalog: for the commands that only read the database (`inspect --source
/// live`, `capture`, `why`).
pub fn load_config_or_bare(opts: &Options) -> Result<Config> {
    match load_config(opts) {
        Ok(c) => Ok(c),
        Err(e) if opts.config.is_some() || config::find(None, &opts.cwd).is_ok() => Err(e),
        Err(e) => {
            let dialect = match &opts.live {
                LiveSource::Offline => return Err(e),
                LiveSource::Captured(path) => catalog::capture::load(path)?.schema.dialect,
                LiveSource::Database { url } => {
                    let env = config::Env::for_dir(config::Env::from_process(), &opts.cwd);
                    let Some((url, _)) = config::resolve_url_with_env(None, url.as_deref(), &env)
                    else {
                        return Err(e);
                    };
                    config::dialect_of_url(&url).ok_or_else(|| {
                        Error::Usage(format!(
                            "without a drizzle config the dialect comes from the URL, and {} \
                             starts with neither postgres:// nor mysql://",
                            config::redact_url(&url)
                        ))
                        .advise("pass --config PATH")
                    })?
                }
            };
            let mut config = Config::bare(dialect, &opts.cwd);
            config.apply(&opts.overrides);
            Ok(config)
        }
    }
}

/// [`load`] with [`load_config_or_bare`].
pub async fn load_or_bare(opts: &Options) -> Result<Loaded> {
    let config = load_config_or_bare(opts)?;
    let history = load_history(&config, opts.ts_engine);
    let live = load_live(&opts.live, &config, history.managed()).await?;
    Ok(assemble(&opts.live, config, history, live))
}

/// Second step: the project's files — the migrations folder, its newest snapshot, and
/// the TypeScript schema. Never fails.
pub fn load_history(config: &Config, ts_engine: TsEngine) -> HistoryLoad {
    // An `out` that could not be evaluated is not replaced by the default folder.
    let unread_out = config
        .incomplete
        .iter()
        .find(|i| i.source == Source::Snapshot && config.is_unread("out"));
    let history = if let Some(why) = unread_out {
        history::History::not_read(&config.out, why.clone())
    } else {
        history::load(&config.out, config.dialect)
    };
    let mut diagnostics = history.diagnostics.clone();
    let mut incomplete = history.incomplete.clone();
    let latest = latest_snapshot(&history, config.dialect, &mut diagnostics, &mut incomplete)
        .filter(|_| !config.is_unread("out"));
    let base = generate_base(&history, &mut diagnostics, &mut incomplete);
    let mut ts_files = Vec::new();
    let (ts, ts_label) = load_ts(
        config,
        &history,
        base.as_ref().or(latest.as_ref()),
        ts_engine,
        &mut ts_files,
        &mut diagnostics,
        &mut incomplete,
    );
    HistoryLoad {
        ts,
        ts_label,
        ts_files,
        history,
        latest,
        base,
        diagnostics,
        incomplete,
    }
}

/// The TypeScript schema and the label naming its engine. `reference` is the snapshot
/// `generate` compares it with.
fn load_ts(
    config: &Config,
    history: &History,
    reference: Option<&Schema>,
    ts_engine: TsEngine,
    files: &mut Vec<PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
    incomplete: &mut Vec<Incomplete>,
) -> (Option<Schema>, Option<String>) {
    if config.schema.is_empty() || config.is_unread("schema") || config.is_unread("casing") {
        return (None, None);
    }
    // A folder history is drizzle-kit 1.0's: the static reader spells what 1.0 writes.
    let static_engine = ts_engine == TsEngine::Static;
    let kit = match history.layout {
        history::Layout::Folders => typescript::Kit::V1,
        _ => typescript::Kit::V0,
    };
    let schemas = config.schema.join(", ");
    let (read, label) = if static_engine {
        (
            typescript::load_as(config, kit),
            Some(format!("{schemas} (static reader)")),
        )
    } else {
        let (read, version) = typescript::node::load(config);
        (
            read,
            version.map(|v| format!("{schemas} (drizzle-kit {v} via node)")),
        )
    };
    diagnostics.extend(read.diagnostics);
    incomplete.extend(read.incomplete);
    files.clone_from(&read.files);
    // A failed node engine leaves no schema to compare, not an empty one.
    let Some(label) = label else {
        return (None, None);
    };
    if read.files.is_empty() {
        // Nothing was read: an empty schema would say every table was deleted.
        incomplete.push(
            Incomplete::new(
                Source::Ts,
                format!("no TypeScript file matches `schema` ({schemas})"),
            )
            .at(display_path(&config.path, &config.root)),
        );
        return (None, None);
    }
    let mut schema = read.schema;
    normalize::drizzle_implied(&mut schema);
    normalize::schema(&mut schema);
    if let Some(reference) = reference {
        diff::generated_names::keep_snapshot_names(&mut schema, reference);
    }
    (Some(schema), Some(label))
}

/// Third step: the live catalog (`None` when offline). `latest` widens the schemas read
/// to every schema the history declares; a captured catalog does not need it.
pub async fn load_live(
    live: &LiveSource,
    config: &Config,
    latest: Option<&Schema>,
) -> Result<Option<LiveLoad>> {
    let loaded = match live {
        LiveSource::Offline => return Ok(None),
        LiveSource::Captured(path) => LiveLoad {
            catalog: catalog::capture::load(path)?,
            label: path.display().to_string(),
        },
        LiveSource::Database { url } => {
            let url = config::resolve_url(Some(config), url.as_deref()).ok_or_else(|| {
                Error::Config(format!(
                    "no database to read: pass --url, set dbCredentials in {}, or set DATABASE_URL (or use --offline / --catalog FILE)",
                    config.path.display()
                ))
            })?;
            let read_opts = schemas_to_read(config, latest);
            LiveLoad {
                catalog: read_live(&url.0, &read_opts, config).await?,
                label: config::redact_url(&url.0),
            }
        }
    };
    if loaded.catalog.schema.dialect != config.dialect {
        return Err(Error::Config(format!(
            "the database is {} but {} says dialect {}",
            loaded.catalog.schema.dialect,
            config.path.display(),
            config.dialect
        )));
    }
    Ok(Some(loaded))
}

/// Last step: put the three halves together, normalizing the live schema.
pub fn assemble(
    live_source: &LiveSource,
    config: Config,
    history: HistoryLoad,
    live: Option<LiveLoad>,
) -> Loaded {
    assemble_with(live_source, config, history, live, true)
}

/// [`assemble`]; `normalize_live: false` when the catalog's schema is normalized already
/// (a target read for a fleet, normalized to be fingerprinted).
pub fn assemble_with(
    live_source: &LiveSource,
    config: Config,
    history: HistoryLoad,
    live: Option<LiveLoad>,
    normalize_live: bool,
) -> Loaded {
    let reads_database = matches!(live_source, LiveSource::Database { .. });
    // Unresolvable credentials matter only when a database is to be read.
    let mut diagnostics: Vec<Diagnostic> = config
        .diagnostics
        .iter()
        .filter(|d| reads_database || !d.message.starts_with("dbCredentials"))
        .cloned()
        .collect();
    diagnostics.extend(history.diagnostics);
    let (mut catalog, live_label) = match live {
        Some(l) => (Some(l.catalog), Some(l.label)),
        None => (None, None),
    };
    let mut incomplete = config.incomplete.clone();
    incomplete.extend(history.incomplete);
    // The catalog's schema moves into `live`: two copies of a big database do not fit
    // the memory budget.
    let live = catalog.as_mut().map(|c| {
        let empty = Schema::new(c.schema.dialect);
        let mut s = std::mem::replace(&mut c.schema, empty);
        if normalize_live {
            normalize::schema(&mut s);
        }
        s
    });
    Loaded {
        config,
        ts_label: history.ts_label,
        ts_files: history.ts_files,
        ts: history.ts,
        history: history.history,
        latest: history.latest,
        base: history.base,
        catalog,
        live,
        live_label,
        diagnostics,
        incomplete,
    }
}

async fn read_live(
    url: &str,
    opts: &catalog::postgres::ReadOptions,
    config: &Config,
) -> Result<Catalog> {
    match config.dialect {
        crate::model::Dialect::Postgresql => catalog::postgres::read(url, opts).await,
        crate::model::Dialect::Mysql => catalog::mysql::read(url, opts).await,
    }
}

/// Read the schemas the project manages: the config's `schemaFilter` when it has one
/// (drizzle-kit manages nothing else: a Supabase `auth.users` the snapshot mirrors is
/// not compared), else `public` plus every schema the history declares, so a
/// `pgSchema("auth")` table is never reported missing.
pub fn read_options(
    config: &Config,
    history: &History,
    latest: Option<&Schema>,
) -> catalog::postgres::ReadOptions {
    let _ = history;
    schemas_to_read(config, latest)
}

fn schemas_to_read(config: &Config, latest: Option<&Schema>) -> catalog::postgres::ReadOptions {
    let mut schemas: BTreeSet<String> = config.schema_filter.iter().cloned().collect();
    if schemas.is_empty() {
        schemas.insert("public".into());
        if let Some(s) = latest {
            schemas.extend(s.schemas.iter().cloned());
            schemas.extend(s.tables.keys().map(|k| k.schema.clone()));
            schemas.extend(s.enums.keys().map(|k| k.schema.clone()));
        }
    }
    catalog::postgres::ReadOptions {
        schema_filter: schemas.into_iter().collect(),
        tables_filter: config.tables_filter.clone(),
        migrations_table: config.migrations.table.clone(),
        migrations_schema: config.migrations.schema.clone(),
        statement_timeout_ms: 15_000,
        lock_timeout_ms: 3_000,
        include_roles: false,
        parallel_sessions: true,
    }
}

/// The snapshot of migration `index`, normalized; a failure becomes a diagnostic.
pub fn snapshot_at(
    history: &History,
    index: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Schema> {
    match history::snapshot(history, index) {
        Ok(mut s) => {
            normalize::drizzle_implied(&mut s);
            normalize::schema(&mut s);
            Some(s)
        }
        Err(d) => {
            diagnostics.push(d);
            None
        }
    }
}

/// The state after migration `index` as the snapshots know it: its own snapshot, or for a
/// migration without one (hand-written SQL) that of the nearest earlier migration that has
/// one. `None`, with an incomplete entry, when that snapshot cannot be read.
pub fn state_after(
    history: &History,
    index: usize,
    diagnostics: &mut Vec<Diagnostic>,
    incomplete: &mut Vec<Incomplete>,
) -> Option<Schema> {
    let Some(known) = (0..=index).rev().find(|&i| {
        history
            .migrations
            .get(i)
            .is_some_and(|m| m.snapshot_path.is_some())
    }) else {
        if history.migrations.is_empty() {
            return Some(Schema::new(
                history.dialect.unwrap_or(crate::model::Dialect::Postgresql),
            ));
        }
        incomplete.push(
            Incomplete::new(
                Source::Snapshot,
                format!(
                    "no migration up to {} has a snapshot, so the state it leaves is not known",
                    history.migrations[index.min(history.migrations.len() - 1)].tag
                ),
            )
            .at(history.dir.display().to_string()),
        );
        return None;
    };
    let before = diagnostics.len();
    let schema = snapshot_at(history, known, diagnostics);
    if schema.is_none() {
        for d in &diagnostics[before..] {
            incomplete
                .push(Incomplete::new(Source::Snapshot, d.message.clone()).at(location_of(d)));
        }
    }
    schema
}

/// `file:line:col` of a diagnostic.
fn location_of(d: &Diagnostic) -> String {
    match (d.line, d.column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}", d.location),
        (Some(line), None) => format!("{}:{line}", d.location),
        _ => d.location.clone(),
    }
}

fn latest_snapshot(
    history: &History,
    dialect: crate::model::Dialect,
    diagnostics: &mut Vec<Diagnostic>,
    incomplete: &mut Vec<Incomplete>,
) -> Option<Schema> {
    match history.migrations.len() {
        0 => Some(Schema::new(dialect)),
        n => state_after(history, n - 1, diagnostics, incomplete),
    }
}

/// The snapshot `drizzle-kit generate` diffs the schema against, when it is another file
/// than the newest journaled snapshot (`None`: it is that one, or there is none).
fn generate_base(
    history: &History,
    diagnostics: &mut Vec<Diagnostic>,
    incomplete: &mut Vec<Incomplete>,
) -> Option<Schema> {
    let path = history.generate_base.as_ref()?;
    let latest_path = history
        .migrations
        .iter()
        .rev()
        .find_map(|m| m.snapshot_path.as_ref());
    if latest_path == Some(path) {
        return None;
    }
    match history::snapshot_file(history, path) {
        Ok(mut s) => {
            normalize::drizzle_implied(&mut s);
            normalize::schema(&mut s);
            diagnostics.push(Diagnostic::new(
                crate::diagnostic::Level::Info,
                display_path(path, &history.dir),
                "drizzle-kit generate compares the schema with this file (the last in meta/ in sorted order), not with the newest snapshot the journal lists",
            ));
            Some(s)
        }
        Err(d) => {
            incomplete
                .push(Incomplete::new(Source::Snapshot, d.message.clone()).at(location_of(&d)));
            diagnostics.push(d);
            None
        }
    }
}

/// Build the report: migration states, history findings, and the three comparisons.
pub fn report(loaded: &Loaded) -> Report {
    let ts = loaded.ts.as_ref();
    let dialect = loaded.config.dialect;
    // Applied migrations are placed only in a history that was read, from the table the
    // config names.
    let history_read = !loaded.config.is_unread("out");
    let table_known = !loaded.config.is_unread("migrations.table")
        && !loaded.config.is_unread("migrations.schema");
    let applied_rows = loaded
        .catalog
        .as_ref()
        .filter(|_| history_read && table_known)
        .map(|c| c.applied.as_deref().unwrap_or(&[]));
    let mut incomplete = loaded.incomplete.clone();
    let mut states = migrations::states(&loaded.history, applied_rows);
    if let Some(unplaced) = unplaced_applied(loaded, applied_rows, &states) {
        // The database's migrations are not this history's: where it stands is unknown.
        incomplete.push(unplaced);
        states = migrations::states(&loaded.history, None);
    }
    let placed = history_read && !incomplete.iter().any(|i| i.source == Source::Live);
    let mut diagnostics = loaded.diagnostics.clone();

    let push = loaded.pushes() && placed;
    if !push && loaded.catalog.is_some() && no_migrations(&loaded.history) {
        diagnostics.push(Diagnostic::new(
            crate::diagnostic::Level::Info,
            display_path(&loaded.history.dir, &loaded.config.root),
            "the project has no migrations and no TypeScript schema was read, so the database is compared with an empty history: every object in it is reported as drift",
        ));
    }
    // The snapshot the database should match: that of the last applied migration.
    let applied_snapshot = match (&loaded.catalog, states.last_applied) {
        (_, _) if push || !placed => None,
        (None, _) => None,
        (Some(_), None) => Some(Cow::Owned(Schema::new(dialect))),
        (Some(_), Some(i)) if Some(i + 1) == Some(loaded.history.migrations.len()) => {
            loaded.latest.as_ref().map(Cow::Borrowed)
        }
        (Some(_), Some(i)) => {
            state_after(&loaded.history, i, &mut diagnostics, &mut incomplete).map(Cow::Owned)
        }
    };
    let pending_tags: Vec<String> = states
        .entries
        .iter()
        .filter(|e| e.state == crate::report::MigrationState::Pending)
        .map(|e| e.tag.clone())
        .collect();
    let live_schemas: Option<BTreeSet<String>> = (dialect == crate::model::Dialect::Postgresql
        && !loaded.config.schema_filter.is_empty())
    .then(|| loaded.config.schema_filter.iter().cloned().collect());
    let inputs = diff::Inputs {
        dialect,
        live_schemas: live_schemas.as_ref(),
        ts,
        latest: loaded.latest.as_ref().filter(|_| !push),
        base: loaded.base.as_ref().filter(|_| !push),
        applied: applied_snapshot.as_deref(),
        live: loaded.live.as_ref(),
        pending_tags: &pending_tags,
        push,
    };
    let mut findings = diff::findings(&inputs);
    findings.extend(migrations::history_findings(
        &loaded.history,
        &states.entries,
    ));
    // What is applied is explained against the database by the lineage below; the rest
    // from the snapshots and SQL alone.
    let unapplied = match (&loaded.live, placed) {
        (Some(_), true) => states.last_applied.map_or(0, |l| l + 1),
        _ => 0,
    };
    if !push {
        findings.extend(diff::fk_actions::unsettled(
            &loaded.history,
            unapplied,
            &loaded.config.root,
        ));
    }
    if dialect == crate::model::Dialect::Mysql {
        stopped_part_way(
            loaded,
            &states,
            applied_snapshot.as_deref(),
            &mut findings,
            &mut diagnostics,
        );
    }

    if !push && placed {
        lineage(loaded, &states, &mut findings);
    }

    if findings.iter().any(|f| {
        matches!(
            f.category,
            crate::report::Category::Drift | crate::report::Category::Ungenerated
        )
    }) && loaded
        .history
        .problems
        .iter()
        .any(|p| p.kind == history::ProblemKind::Collision)
    {
        let earlier = earlier_snapshots(loaded, &states, &mut diagnostics);
        diff::branches::explain(&mut findings, &earlier);
    }

    if loaded.catalog.is_some() {
        let pending: Vec<usize> = states
            .entries
            .iter()
            .take(loaded.history.migrations.len())
            .enumerate()
            .filter(|(_, e)| e.state == crate::report::MigrationState::Pending)
            .map(|(i, _)| i)
            .collect();
        if !pending.is_empty() {
            match lint_settings(loaded) {
                Ok(settings) => findings.extend(lint_migrations(
                    loaded,
                    &pending,
                    &settings,
                    &mut diagnostics,
                )),
                Err(e) => diagnostics.push(Diagnostic::error("lint", e.to_string())),
            }
        }
    }

    locate(&mut findings, loaded);
    locate_pending(&mut findings, loaded, &pending_tags);
    let mut report = Report::new(dialect, findings);
    report.migrations = states.entries;
    // Unreadable history files became findings; everything else stays a note, once.
    diagnostics.retain(|d| {
        !(d.level == crate::diagnostic::Level::Error && loaded.history.diagnostics.contains(d))
    });
    let mut seen = Vec::new();
    diagnostics.retain(|d| {
        let new = !seen.contains(d);
        if new {
            seen.push(d.clone());
        }
        new
    });
    report.diagnostics = diagnostics;
    let mut seen = Vec::new();
    incomplete.retain(|i| {
        let new = !seen.contains(i);
        if new {
            seen.push(i.clone());
        }
        new
    });
    report.incomplete = incomplete;
    relative_paths(&mut report, &loaded.config.root);
    report.sources = SourceInfo {
        ts: loaded.ts_label.clone(),
        snapshot: (!loaded.config.is_unread("out"))
            .then(|| display_path(&loaded.history.dir, &loaded.config.root)),
        live: loaded.live_label.clone(),
        latest: loaded.history.migrations.last().map(|m| m.tag.clone()),
        applied: states
            .last_applied
            .map(|i| loaded.history.migrations[i].tag.clone()),
        push,
        config_evaluated_by: loaded.config.evaluated_by.clone(),
    };
    report
}

/// The migrations table lists applied migrations and not one of them is a local
/// migration (by hash or timestamp): `out` names another folder, or the database belongs
/// to another project. Reporting each as missing and every table as drift would be noise.
fn unplaced_applied(
    loaded: &Loaded,
    rows: Option<&[crate::sources::catalog::AppliedMigration]>,
    states: &migrations::States,
) -> Option<Incomplete> {
    let rows = rows.filter(|r| !r.is_empty())?;
    if states.last_applied.is_some() {
        return None;
    }
    let table = match loaded.config.dialect {
        crate::model::Dialect::Postgresql => format!(
            "{}.{}",
            loaded.config.migrations.schema, loaded.config.migrations.table
        ),
        crate::model::Dialect::Mysql => loaded.config.migrations.table.clone(),
    };
    let dir = display_path(&loaded.history.dir, &loaded.config.root);
    let local = match loaded.history.migrations.len() {
        0 => format!("{dir} holds no migrations"),
        n => format!("none matches one of the {n} migrations in {dir} (by hash or timestamp)"),
    };
    Some(
        Incomplete::new(
            Source::Live,
            format!(
                "the database lists {} applied migration{} in {table} but {local}: `out` names another folder, or this is another project's database; pending and drift are not compared",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" },
            ),
        )
        .at(dir),
    )
}

/// MySQL commits each DDL statement: when the first pending migration's objects are
/// partly in the database, it stopped part way (see `diff::partial`).
fn stopped_part_way(
    loaded: &Loaded,
    states: &migrations::States,
    applied_snapshot: Option<&Schema>,
    findings: &mut Vec<crate::report::Finding>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let (Some(before), Some(live)) = (applied_snapshot, loaded.live.as_ref()) else {
        return;
    };
    let Some(index) = states
        .entries
        .iter()
        .take(loaded.history.migrations.len())
        .position(|e| e.state == crate::report::MigrationState::Pending)
    else {
        return;
    };
    let migration = &loaded.history.migrations[index];
    let Ok(bytes) = std::fs::read(&migration.sql_path) else {
        return;
    };
    let Some(after) = snapshot_at(&loaded.history, index, diagnostics) else {
        return;
    };
    let statements = history::statements(&String::from_utf8_lossy(&bytes));
    let effects = diff::partial::analyze(&statements, before, &after, live);
    let pending = diff::partial::Pending {
        tag: &migration.tag,
        hash: migration.hash.as_deref(),
        when: migration.when,
        table: &loaded.config.migrations.table,
    };
    if let Some(finding) = diff::partial::finding(&pending, &effects) {
        diff::partial::refile(findings, &migration.tag, &effects);
        findings.push(finding);
    }
}

/// Drift an applied migration explains becomes `history` (see `diff::lineage`): each
/// applied migration's statements, and what its snapshot holds of the tables the drift
/// findings are about, read from the last applied one back until every finding's value
/// has changed (a name a snapshot file does not contain is not read further).
fn lineage(loaded: &Loaded, states: &migrations::States, findings: &mut [crate::report::Finding]) {
    use crate::report::{Category, MigrationState, ObjectKind};
    let (Some(live), Some(last)) = (loaded.live.as_ref(), states.last_applied) else {
        return;
    };
    let subjects: Vec<(diff::objects::ObjectKey, Option<String>)> = findings
        .iter()
        .filter(|f| f.category == Category::Drift && f.object != ObjectKind::Migration)
        .map(diff::lineage::subject)
        .collect();
    if subjects.is_empty() {
        return;
    }
    let parts = diff::lineage::needed_parts(findings);
    let migrations = &loaded.history.migrations;
    let ran: Vec<usize> = (0..=last.min(migrations.len().saturating_sub(1)))
        .filter(|&i| {
            states.entries.get(i).is_some_and(|e| {
                matches!(e.state, MigrationState::Applied | MigrationState::Modified)
            })
        })
        .collect();
    // The migration whose snapshot holds the state after each one (a hand-added one has
    // none: the state is that of the one before).
    let mut source = Vec::with_capacity(ran.len());
    let mut known = None;
    for &i in &ran {
        if migrations[i].snapshot_path.is_some() {
            known = Some(i);
        }
        source.push(known);
    }
    let mut snapshots: Vec<Option<diff::objects::Objects>> = vec![None; ran.len()];
    let mut lasts: Vec<Option<serde_json::Value>> = vec![None; subjects.len()];
    let mut open = vec![true; subjects.len()];
    let mut read: std::collections::BTreeMap<usize, diff::objects::Objects> = Default::default();
    for pos in (0..ran.len()).rev() {
        if !open.contains(&true) {
            break;
        }
        let objects = match source[pos] {
            None => diff::objects::Objects::new(),
            Some(k) => match read.get(&k) {
                Some(o) => o.clone(),
                None => {
                    let wanted: Vec<&(diff::objects::ObjectKey, Option<String>)> = subjects
                        .iter()
                        .zip(&open)
                        .filter(|(_, o)| **o)
                        .map(|(s, _)| s)
                        .collect();
                    let Some(o) = lineage_snapshot(loaded, k, &parts, &wanted, live) else {
                        // A snapshot that cannot be read leaves the lineage unknown.
                        return;
                    };
                    read.insert(k, o.clone());
                    o
                }
            },
        };
        for (j, (key, field)) in subjects.iter().enumerate() {
            let v = diff::lineage::value(&objects, key, field.as_deref());
            if pos + 1 == ran.len() {
                lasts[j] = v;
            } else if open[j] && v != lasts[j] {
                open[j] = false;
            }
        }
        snapshots[pos] = Some(objects);
    }
    let applied: Vec<diff::lineage::Applied> = ran
        .iter()
        .zip(snapshots)
        .map(|(&i, snapshot)| {
            let m = &migrations[i];
            let sql = std::fs::read(&m.sql_path).unwrap_or_default();
            let statements = history::statements(&String::from_utf8_lossy(&sql));
            diff::lineage::Applied {
                tag: &m.tag,
                file: display_path(&m.sql_path, &loaded.config.root),
                events: diff::lineage::events::events(loaded.config.dialect, &statements),
                snapshot,
            }
        })
        .collect();
    diff::lineage::explain(loaded.config.dialect, findings, &applied);
}

/// The objects of the `parts` in migration `index`'s snapshot, normalized and flattened as
/// the drift comparison does. When no `wanted` subject can be in the file (each is a
/// presence whose plain name the file's text does not contain), it is not parsed.
fn lineage_snapshot(
    loaded: &Loaded,
    index: usize,
    parts: &[(String, Option<String>)],
    wanted: &[&(diff::objects::ObjectKey, Option<String>)],
    live: &Schema,
) -> Option<diff::objects::Objects> {
    let path = loaded
        .history
        .migrations
        .get(index)?
        .snapshot_path
        .as_ref()?;
    let text = std::fs::read_to_string(path).ok()?;
    let absent = |(key, field): &&(diff::objects::ObjectKey, Option<String>)| {
        let plain = !key.name.is_empty()
            && key
                .name
                .chars()
                .all(|c| c != '"' && c != '\\' && !c.is_control());
        field.is_none() && plain && !text.contains(key.name.as_str())
    };
    if wanted.iter().all(absent) {
        return Some(diff::objects::Objects::new());
    }
    let mut schema = history::snapshot(&loaded.history, index).ok()?;
    // Only the tables asked about are normalized: a snapshot of a big schema is read for
    // every applied migration.
    schema.tables.retain(|name, _| {
        parts
            .iter()
            .any(|(s, t)| t.as_deref() == Some(name.name.as_str()) && *s == name.schema)
    });
    normalize::drizzle_implied(&mut schema);
    normalize::schema(&mut schema);
    let mut out = diff::objects::Objects::new();
    for (s, t) in parts {
        let part = diff::objects::Part {
            schema: s,
            table: t.as_deref(),
        };
        out.append(&mut diff::objects::flatten_part_with(
            &schema,
            part,
            Some(live),
        ));
    }
    Some(out)
}

/// The snapshots of the migrations before the newest (newest first, at most 50): a branch
/// merged in through a snapshot collision left its changes only there.
fn earlier_snapshots(
    loaded: &Loaded,
    states: &migrations::States,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<diff::branches::Earlier> {
    let count = loaded.history.migrations.len();
    (0..count.saturating_sub(1))
        .rev()
        .take(50)
        .filter_map(|i| {
            let applied = states.entries.get(i).is_some_and(|e| {
                matches!(
                    e.state,
                    crate::report::MigrationState::Applied
                        | crate::report::MigrationState::Modified
                )
            });
            snapshot_at(&loaded.history, i, diagnostics).map(|snapshot| diff::branches::Earlier {
                tag: loaded.history.migrations[i].tag.clone(),
                snapshot,
                applied,
            })
        })
        .collect()
}

/// Point each finding at the place a person edits: a migration's SQL file, or the
/// TypeScript declaration of the object.
fn locate(findings: &mut [crate::report::Finding], loaded: &Loaded) {
    use crate::report::ObjectKind;
    for f in findings.iter_mut().filter(|f| f.location.is_none()) {
        f.location = if f.object == ObjectKind::Migration {
            // A journaled migration, else a file of the folder named by the finding (a SQL
            // file the journal does not list, a snapshot of no migration).
            let file = loaded
                .history
                .migrations
                .iter()
                .find(|m| m.tag == f.name)
                .map(|m| m.sql_path.clone())
                .or_else(|| {
                    [format!("{}.sql", f.name), f.name.clone()]
                        .into_iter()
                        .map(|n| loaded.history.dir.join(n))
                        .find(|p| p.is_file())
                });
            file.map(|file| crate::model::Origin {
                file: display_path(&file, &loaded.config.root),
                line: None,
            })
        } else {
            let (Some(ts), Some(table)) = (loaded.ts.as_ref(), f.table.as_ref()) else {
                continue;
            };
            let table =
                crate::model::QualifiedName::new(f.schema.clone().unwrap_or_default(), table);
            diff::objects::origin(ts, &table, f.object, &f.name).map(|o| crate::model::Origin {
                file: display_path(Path::new(&o.file), &loaded.config.root),
                line: o.line,
            })
        };
    }
}

/// A pending change names the pending migration whose statement makes it (the first one
/// naming the object and its table); one the TypeScript side does not place (no schema
/// read, or an object the schema no longer has) points at that statement, else at the
/// first pending file.
fn locate_pending(findings: &mut [crate::report::Finding], loaded: &Loaded, pending: &[String]) {
    use crate::report::{Category, ObjectKind};
    let files: Vec<(&history::Migration, Vec<history::Statement>)> = pending
        .iter()
        .filter_map(|tag| loaded.history.migrations.iter().find(|m| &m.tag == tag))
        .map(|m| {
            let sql = std::fs::read(&m.sql_path).unwrap_or_default();
            (m, history::statements(&String::from_utf8_lossy(&sql)))
        })
        .collect();
    let quote = |name: &str| match loaded.config.dialect {
        crate::model::Dialect::Postgresql => format!("\"{}\"", name.replace('"', "\"\"")),
        crate::model::Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
    };
    let many = diff::pending_text(pending);
    for f in findings
        .iter_mut()
        .filter(|f| f.category == Category::Pending && f.object != ObjectKind::Migration)
    {
        let name = quote(&f.name);
        let table = f.table.as_deref().map(&quote);
        let found = files.iter().find_map(|(m, statements)| {
            statements
                .iter()
                .find(|s| s.sql.contains(&name) && table.as_ref().is_none_or(|t| s.sql.contains(t)))
                .map(|s| (*m, Some(s.line)))
        });
        if let Some((m, _)) = found {
            // The statement names the one migration that makes the change.
            f.message = f
                .message
                .replace(&many, &format!("pending migration {}", m.tag));
        }
        if f.location.is_some() {
            continue;
        }
        let Some((m, line)) = found.or_else(|| files.first().map(|(m, _)| (*m, None))) else {
            continue;
        };
        f.location = Some(crate::model::Origin {
            file: display_path(&m.sql_path, &loaded.config.root),
            line,
        });
    }
}

/// The readers name files by their full path; a person reads them from the project
/// folder, as every other path in the report is written.
fn relative_paths(report: &mut Report, root: &Path) {
    let prefix = format!("{}{}", root.display(), std::path::MAIN_SEPARATOR);
    if prefix.len() <= 1 {
        return;
    }
    let strip = |s: &mut String| {
        if s.contains(&prefix) {
            *s = s.replace(&prefix, "");
        }
    };
    for f in &mut report.findings {
        strip(&mut f.name);
        strip(&mut f.message);
        if let Some(fix) = &mut f.fix {
            strip(fix);
        }
    }
    for d in &mut report.diagnostics {
        strip(&mut d.location);
        strip(&mut d.message);
    }
    for i in &mut report.incomplete {
        strip(&mut i.reason);
        if let Some(l) = &mut i.location {
            strip(l);
        }
    }
}

fn display_path(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The project's lint settings: `drizzle-drift.toml` next to the drizzle-kit config.
pub fn lint_settings(loaded: &Loaded) -> Result<crate::lint::Settings> {
    let dir = loaded
        .config
        .path
        .parent()
        .unwrap_or_else(|| Path::new("."));
    crate::lint::settings::load(dir)
}

/// Lint findings for the migrations at `indexes` (in history order), run as one batch.
pub fn lint_migrations(
    loaded: &Loaded,
    indexes: &[usize],
    settings: &crate::lint::Settings,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<crate::report::Finding> {
    let dialect = loaded.config.dialect;
    let mut batch = Vec::new();
    for &i in indexes {
        let Some(m) = loaded.history.migrations.get(i) else {
            continue;
        };
        let sql = match std::fs::read(&m.sql_path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    m.sql_path.display().to_string(),
                    format!("cannot read the migration to lint it: {e}"),
                ));
                continue;
            }
        };
        let (before, after) = if m.snapshot_path.is_some() {
            // The snapshot it was generated from (its prevId): after a branch merge that is
            // not the one before it in the journal.
            let parent = m.prev_ids.first().and_then(|id| {
                loaded
                    .history
                    .migrations
                    .iter()
                    .position(|p| p.snapshot_id.as_deref() == Some(id.as_str()))
            });
            let before = match (parent, i) {
                (Some(p), _) => snapshot_at(&loaded.history, p, diagnostics),
                (None, 0) => Some(Schema::new(dialect)),
                (None, _)
                    if m.prev_ids
                        .iter()
                        .all(|id| id.chars().all(|c| c == '0' || c == '-')) =>
                {
                    Some(Schema::new(dialect))
                }
                (None, _) => snapshot_at(&loaded.history, i - 1, diagnostics),
            };
            (before, snapshot_at(&loaded.history, i, diagnostics))
        } else {
            (None, None)
        };
        batch.push(crate::lint::Migration {
            tag: m.tag.clone(),
            file: display_path(&m.sql_path, &loaded.config.root),
            sql,
            before,
            after,
        });
    }
    crate::lint::lint(dialect, &batch, loaded.catalog.as_ref(), settings)
}
