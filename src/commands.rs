//! The headless commands. Each returns the process exit code: 0 nothing at or above
//! `--fail-on`, 1 findings, and errors (exit 2) as `Err`.

use crate::engine::{self, LiveSource, Loaded, Options};
use crate::error::{Error, Result};
use crate::model::Schema;
use crate::report::{json, text, Report, Severity};
use crate::sources::catalog;
use std::io::Write;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
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
            Err(Error::Usage(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

pub async fn check(opts: &Options, format: Format, fail_on: Severity, color: bool) -> Result<i32> {
    let loaded = engine::load(opts).await?;
    let report = engine::report(&loaded);
    print(&render(&report, format, color))?;
    Ok(i32::from(report.fails(fail_on)))
}

pub fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Json => json::render(report),
        Format::Text => text::render(report, text::Palette { color }),
    }
}

pub async fn migrations(opts: &Options, format: Format, color: bool) -> Result<i32> {
    let loaded = engine::load(opts).await?;
    let report = engine::report(&loaded);
    let out = match format {
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
    };
    print(&out)?;
    Ok(0)
}

/// One source's normalized model, as JSON. `at`: a migration tag for the snapshot source.
pub async fn inspect(opts: &Options, source: Source, at: Option<&str>) -> Result<i32> {
    let opts = match source {
        Source::Snapshot | Source::Ts => Options {
            live: LiveSource::Offline,
            ..opts.clone()
        },
        Source::Live => opts.clone(),
    };
    let loaded = engine::load(&opts).await?;
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
    let config = engine::load_config(opts)?;
    let history = engine::load_history(&config, opts.ts_engine);
    let live = engine::load_live(&opts.live, &config, history.latest.as_ref())
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
    };
    let loaded = engine::load(&opts).await?;
    let mut report = engine::report(&loaded);
    report.sources.live = Some("demo catalog assets/demo/catalog.json".into());
    print(&render(&report, format, color))?;
    Ok(i32::from(report.fails(fail_on)))
}
