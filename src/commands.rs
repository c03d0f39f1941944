//! The headless commands. Each returns the process exit code: 0 nothing at or above
//! `--fail-on`, 1 findings, and errors (exit 2) as `Err`.

use crate::diff;
use crate::engine::{self, LiveSource, Loaded, Options};
use crate::error::{Error, Result};
use crate::model::Schema;
use crate::report::{github, json, markdown, text, Report, Severity};
use crate::sources::catalog;
use crate::watch::{self, Targets};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    /// A pull-request comment.
    Markdown,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Github => "github",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Ts,
    Snapshot,
    Live,
}

fn print(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::context("cannot write to stdout", e))
        }
        _ => Ok(()),
    }
}

/// Where `check`'s report goes: stdout in `format`, and each of `files` in its own format
/// (`--report-file`), all from the one check.
pub struct Output {
    pub format: Format,
    pub color: bool,
    pub files: Vec<(Format, PathBuf)>,
}

/// `base`: a git revision whose migrations folder this branch will be merged into
/// (`--base`); what the merge will do to the history becomes `history` findings.
pub async fn check(
    opts: &Options,
    fleet: &TargetArgs,
    base: Option<&str>,
    output: &Output,
    fail_on: Severity,
) -> Result<i32> {
    let (code, _, out) = check_once(opts, fleet, base, output, fail_on).await?;
    print(&out)?;
    Ok(code)
}

/// One `check`: its exit code, the files it read, and the report to print (the
/// `--report-file`s are written here).
async fn check_once(
    opts: &Options,
    fleet: &TargetArgs,
    base: Option<&str>,
    output: &Output,
    fail_on: Severity,
) -> Result<(i32, Targets, String)> {
    let config = engine::load_config(opts)?;
    let named = fleet.named(opts, &config)?;
    let (loaded, mut report) = if named.is_empty() {
        let history = engine::load_history(&config, opts.ts_engine);
        let live = engine::load_live(&opts.live, &config, history.managed()).await?;
        let loaded = engine::assemble(&opts.live, config, history, live);
        let report = engine::report(&loaded);
        (loaded, report)
    } else {
        crate::targets::run::check(opts, config, &named, fleet.jobs).await
    };
    if let Some(rev) = base {
        let mut found = base_findings(&loaded, rev)?;
        if report.targets.is_some() {
            for f in &mut found {
                f.target = Some(None);
            }
        }
        report.findings.extend(found);
        report.recount();
    }
    let prefix = github::repo_prefix(&loaded.config.root);
    for (format, path) in &output.files {
        let text = render(&report, *format, false, prefix.as_deref());
        std::fs::write(path, text).map_err(|e| {
            Error::Usage(format!(
                "cannot write the report to {}: {e}",
                path.display()
            ))
        })?;
    }
    Ok((
        exit_code(&report, fail_on),
        Targets::of(&loaded, &opts.live),
        render(&report, output.format, output.color, prefix.as_deref()),
    ))
}

/// `check --watch`: check, then again each time the config, a schema file or the
/// migrations folder changes, until stopped. An error (a config saved half-written) is
/// printed and waited out. Returns the last check's exit code.
pub async fn check_watch(
    opts: &Options,
    fleet: &TargetArgs,
    base: Option<&str>,
    output: &Output,
    fail_on: Severity,
) -> Result<i32> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<std::path::PathBuf>>();
    let mut watching: Option<(Targets, watch::Watch)> = None;
    loop {
        let (code, targets, out) = match check_once(opts, fleet, base, output, fail_on).await {
            Ok(done) => done,
            Err(e) => {
                eprintln!("drizzle-drift: {:?}", crate::failure::report(&e));
                let mut t = watching
                    .as_ref()
                    .map_or_else(Targets::default, |(t, _)| t.clone());
                let config = Targets::config_of(opts);
                t.files.extend(config.files);
                (2, t, String::new())
            }
        };
        if watching.as_ref().is_none_or(|(t, _)| *t != targets) {
            // The old watch ends before the new one starts.
            drop(watching.take());
            let tx = tx.clone();
            let w = watch::start(targets.clone(), move |paths| {
                let _ = tx.send(paths);
            })
            .map_err(Error::Usage)?;
            watching = Some((targets, w));
        }
        // Printed once the watch is on: an edit made after reading the report is seen.
        print(&out)?;
        let changed = tokio::select! {
            Some(paths) = rx.recv() => paths,
            _ = crate::shutdown::requested() => return Ok(code),
        };
        let shown: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
        print(&format!(
            "\n--- {} changed: checking again ---\n\n",
            shown.join(", ")
        ))?;
    }
}

/// `--target NAME=URL` (repeatable), `--targets FILE` and `--jobs N`.
#[derive(Debug, Clone, Default)]
pub struct TargetArgs {
    pub flags: Vec<String>,
    pub file: Option<std::path::PathBuf>,
    pub jobs: usize,
}

impl TargetArgs {
    pub fn given(&self) -> bool {
        !self.flags.is_empty() || self.file.is_some()
    }

    /// The databases named by these flags, or by `[targets]` in drizzle-drift.toml, which
    /// stands in for the one database only when no `--url`, `--catalog` or `--offline` is
    /// given.
    pub fn named(
        &self,
        opts: &Options,
        config: &crate::config::Config,
    ) -> Result<Vec<crate::targets::Target>> {
        let toml = matches!(opts.live, LiveSource::Database { url: None });
        crate::targets::named(&self.flags, self.file.as_deref(), toml, config, &opts.cwd)
    }
}

fn base_findings(loaded: &Loaded, rev: &str) -> Result<Vec<crate::report::Finding>> {
    let config = &loaded.config;
    let base = diff::base::read(&loaded.history, &config.out, config.dialect, rev)?;
    Ok(base.comparison.findings)
}

/// 2 when a source (or a target) could not be read fully (the report says what it could compare),
/// else 1 for findings at or above `fail_on`, else 0.
pub fn exit_code(report: &Report, fail_on: Severity) -> i32 {
    let unread_target = report
        .targets
        .iter()
        .flatten()
        .any(|t| t.state != crate::report::TargetState::Ok);
    if !report.incomplete.is_empty() || unread_target {
        2
    } else {
        i32::from(report.fails(fail_on))
    }
}

/// `repo_prefix`: the project folder relative to the git work tree root, for
/// `Format::Github` (see `report::github`).
pub fn render(report: &Report, format: Format, color: bool, repo_prefix: Option<&Path>) -> String {
    match format {
        Format::Json => json::render(report),
        Format::Text => text::render(report, text::Palette { color }),
        Format::Markdown => markdown::render(report),
        Format::Github => github::render(report, repo_prefix),
    }
}

pub async fn migrations(opts: &Options, format: Format, color: bool) -> Result<i32> {
    let loaded = engine::load(opts).await?;
    let report = engine::report(&loaded);
    let out =
        match format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&serde_json::json!({
                    "version": 1,
                    "migrations": report.migrations,
                    "applied": report.sources.applied,
                    "latest": report.sources.latest,
                }))
                .map_err(|e| Error::Usage(e.to_string()))?;
                s.push('\n');
                s
            }
            Format::Text => text::render_migrations(&report.migrations, text::Palette { color }),
            Format::Markdown => markdown::render_migrations(&report.migrations),
            Format::Github => return Err(Error::Usage(
                "`migrations --format github` has nothing to annotate: `check --format github` \
                 annotates the modified, skipped and missing migrations"
                    .into(),
            )),
        };
    print(&out)?;
    Ok(0)
}

/// One source's normalized model, as JSON. `at`: a migration tag for the snapshot source.
pub async fn inspect(
    opts: &Options,
    source: Source,
    at: Option<&str>,
    format: Format,
) -> Result<i32> {
    if matches!(format, Format::Markdown | Format::Github) {
        return Err(Error::Usage(format!(
            "inspect prints JSON; --format {} is for `check` (and `demo`)",
            format.name()
        )));
    }
    let opts = match source {
        Source::Snapshot | Source::Ts => Options {
            live: LiveSource::Offline,
            ..opts.clone()
        },
        Source::Live => opts.clone(),
    };
    let loaded = match source {
        Source::Live => engine::load_or_bare(&opts).await?,
        Source::Snapshot | Source::Ts => engine::load(&opts).await?,
    };
    let schema = match source {
        Source::Ts => loaded.ts.clone().ok_or_else(|| {
            Error::Usage(format!(
                "{} names no schema files",
                loaded.config.path.display()
            ))
        })?,
        Source::Snapshot => snapshot_for(&loaded, at)?,
        Source::Live => loaded.live.clone().ok_or_else(|| {
            Error::Usage("inspect --source live needs a database (--url) or --catalog FILE".into())
        })?,
    };
    let mut s = serde_json::to_string_pretty(&schema).map_err(|e| Error::Usage(e.to_string()))?;
    s.push('\n');
    print(&s)?;
    for d in &loaded.diagnostics {
        eprintln!("note: {d}");
    }
    Ok(0)
}

fn snapshot_for(loaded: &Loaded, at: Option<&str>) -> Result<Schema> {
    let Some(tag) = at else {
        return loaded.latest.clone().ok_or_else(|| {
            Error::Usage("the latest snapshot could not be read (see the notes above)".into())
        });
    };
    let index = loaded
        .history
        .migrations
        .iter()
        .position(|m| m.tag == tag || m.tag.starts_with(&format!("{tag}_")))
        .ok_or_else(|| {
            Error::Usage(format!(
                "no migration {tag} in {}",
                loaded.history.dir.display()
            ))
        })?;
    let mut diagnostics = Vec::new();
    engine::snapshot_at(&loaded.history, index, &mut diagnostics).ok_or_else(|| {
        Error::Usage(
            diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

/// Read the live catalog and write it to `out`, without credentials.
pub async fn capture(opts: &Options, out: &Path) -> Result<i32> {
    if matches!(opts.live, LiveSource::Offline | LiveSource::Captured(_)) {
        return Err(Error::Usage(
            "capture reads a live database: drop --offline/--catalog".into(),
        ));
    }
    // The catalog as read, before `engine::assemble` normalizes its schema away.
    let config = engine::load_config_or_bare(opts)?;
    let history = engine::load_history(&config, opts.ts_engine);
    let live = engine::load_live(&opts.live, &config, history.managed())
        .await?
        .ok_or_else(|| Error::Usage("no database was read".into()))?;
    catalog::capture::save(&live.catalog, out)?;
    eprintln!(
        "captured {} tables from {} into {}",
        live.catalog.schema.tables.len(),
        live.label,
        out.display()
    );
    Ok(0)
}

/// `check` on the bundled demo project and its captured catalog: no database needed.
pub async fn demo(format: Format, fail_on: Severity, color: bool) -> Result<i32> {
    let demo = crate::demo::Demo::unpack()?;
    let opts = Options {
        config: None,
        cwd: demo.project(),
        live: LiveSource::Captured(demo.catalog()),
        ts_engine: engine::TsEngine::Static,
        overrides: Default::default(),
    };
    let loaded = engine::load(&opts).await?;
    let mut report = engine::report(&loaded);
    report.sources.live = Some("demo catalog assets/demo/catalog.json".into());
    // The unpacked demo sits in a temporary folder, outside any repository.
    print(&render(&report, format, color, None))?;
    Ok(exit_code(&report, fail_on))
}

/// `lint [TAG…]`: the named migrations, else the pending ones (a database or captured
/// catalog loaded), else — offline — the newest migration.
pub async fn lint(
    opts: &Options,
    tags: &[String],
    format: Format,
    fail_on: Severity,
    color: bool,
) -> Result<i32> {
    let loaded = engine::load(opts).await?;
    let settings = engine::lint_settings(&loaded)?;
    let migrations = &loaded.history.migrations;
    let indexes: Vec<usize> = if !tags.is_empty() {
        let mut out = Vec::new();
        for tag in tags {
            let i = migrations
                .iter()
                .position(|m| m.tag == *tag || m.tag.starts_with(&format!("{tag}_")))
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "no migration {tag} in {}",
                        loaded.history.dir.display()
                    ))
                })?;
            out.push(i);
        }
        out.sort_unstable();
        out.dedup();
        out
    } else if loaded.catalog.is_some() {
        let report = engine::report(&loaded);
        report
            .migrations
            .iter()
            .take(migrations.len())
            .enumerate()
            .filter(|(_, e)| e.state == crate::report::MigrationState::Pending)
            .map(|(i, _)| i)
            .collect()
    } else {
        migrations.len().checked_sub(1).into_iter().collect()
    };
    let mut diagnostics = loaded.diagnostics.clone();
    let findings = engine::lint_migrations(&loaded, &indexes, &settings, &mut diagnostics);
    let mut report = Report::new(loaded.config.dialect, findings);
    report.diagnostics = diagnostics;
    let dir = &loaded.history.dir;
    let shown = dir.strip_prefix(&loaded.config.root).unwrap_or(dir);
    report.sources.snapshot = Some(shown.display().to_string());
    report.sources.live = loaded.live_label.clone();
    report.sources.latest = migrations.last().map(|m| m.tag.clone());
    let prefix = github::repo_prefix(&loaded.config.root);
    print(&render(&report, format, color, prefix.as_deref()))?;
    Ok(i32::from(report.fails(fail_on)))
}

/// `why "<db error>"`: explain the object the error names. Exit 1 when `check` reports
/// it at or above `fail_on` (as `check` would), 0 otherwise; text no form matches is an
/// error (exit 2) listing the forms.
pub async fn why(
    opts: &Options,
    fleet: &TargetArgs,
    error: &str,
    format: Format,
    fail_on: Severity,
    color: bool,
) -> Result<i32> {
    if matches!(format, Format::Markdown | Format::Github) {
        return Err(Error::Usage(
            "`why` prints --format text or json; markdown and github are for `check`".into(),
        ));
    }
    let parsed =
        crate::why::parse(error).ok_or_else(|| Error::Usage(crate::why::not_understood()))?;
    let toml = matches!(opts.live, LiveSource::Database { url: None })
        && crate::targets::toml_names_targets(opts.config.as_deref(), &opts.cwd);
    if fleet.given() || toml {
        let config = engine::load_config(opts)?;
        let named = fleet.named(opts, &config)?;
        if !named.is_empty() {
            let explained =
                crate::targets::why::explain(opts, config, &named, fleet.jobs, &parsed).await;
            print(&match format {
                Format::Json => explained.render_json(),
                _ => explained.render_text(text::Palette { color }),
            })?;
            return Ok(explained.exit_code(fail_on));
        }
    }
    let loaded = engine::load_or_bare(opts).await?;
    let report = engine::report(&loaded);
    let explanation = crate::why::explain(&crate::why::Context::of(&loaded, &report), &parsed);
    print(&match format {
        Format::Json => crate::why::render_json(&explanation),
        Format::Text | Format::Markdown | Format::Github => {
            crate::why::render_text(&explanation, text::Palette { color })
        }
    })?;
    Ok(i32::from(
        explanation.severity.is_some_and(|s| s >= fail_on),
    ))
}
