//! The command line: parse, dispatch into the library, map errors to exit codes.

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use drizzle_drift::commands::{self, Format, Source};
use drizzle_drift::engine::{LiveSource, Options, TsEngine};
use drizzle_drift::error::Error;
use drizzle_drift::report::Severity;
use drizzle_drift::shutdown;
use drizzle_drift::tui;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::LazyLock;

/// `0.1.0 (commit 1a2b3c4d5e)`; the version alone when not built from a git checkout.
static VERSION: LazyLock<String> = LazyLock::new(|| match option_env!("DRIZZLE_DRIFT_COMMIT") {
    Some(commit) => format!("{} (commit {commit})", env!("CARGO_PKG_VERSION")),
    None => env!("CARGO_PKG_VERSION").to_string(),
});

#[derive(Parser)]
#[command(
    name = "drizzle-drift",
    version = VERSION.as_str(),
    about = "Do your Drizzle schema, migration history and live database agree?",
    after_help = "Without a command, opens the interactive explorer (needs a terminal)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Explorer: show the migrations of this git revision (e.g. `origin/main`) beside
    /// this branch's, with what merging into it will do (as `check --base`)
    #[arg(long, value_name = "REF")]
    base: Option<String>,
    #[command(flatten)]
    common: Common,
}

#[derive(clap::Args)]
struct Common {
    /// drizzle-kit config file (default: drizzle.config.* in the current directory)
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Database URL (default: the config's dbCredentials, then DATABASE_URL)
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "DRIZZLE_DRIFT_URL",
        hide_env_values = true
    )]
    url: Option<String>,
    /// Use a captured catalog (from `capture`) instead of a live database
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "offline")]
    catalog: Option<PathBuf>,
    /// Do not read any database
    #[arg(long, global = true)]
    offline: bool,
    /// check, why, explorer: a database to read, named (repeatable): NAME=URL, or NAME=FILE for a
    /// captured catalog; `${VAR}` is taken from the environment and .env
    #[arg(
        long = "target",
        global = true,
        value_name = "NAME=URL",
        conflicts_with_all = ["catalog", "offline"]
    )]
    target: Vec<String>,
    /// check, why, explorer: a file naming databases, one a line: `NAME URL`, or a bare URL (named after
    /// its host and database); `#` comments; `${VAR}` from the environment and .env
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        conflicts_with_all = ["catalog", "offline"]
    )]
    targets: Option<PathBuf>,
    /// check, why, explorer: how many targets to read at once (one connection each)
    #[arg(long, global = true, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=512))]
    jobs: u16,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Exit with 1 when a finding at or above this severity exists
    #[arg(long, global = true, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Who reads the TypeScript schema: the built-in static reader, or the project's own
    /// drizzle-kit under Node (exact, needs node_modules)
    #[arg(long, global = true, value_enum, default_value_t = TsEngineArg::Static)]
    ts_engine: TsEngineArg,
    /// Schema files, folders or globs, instead of the config's `schema` (as drizzle-kit's
    /// --schema; repeatable)
    #[arg(long, global = true, value_name = "PATH")]
    schema: Vec<String>,
    /// Migrations folder, instead of the config's `out` (as drizzle-kit's --out)
    #[arg(long, global = true, value_name = "DIR")]
    out: Option<String>,
    /// Column name casing, instead of the config's `casing` (as drizzle-kit's --casing)
    #[arg(long, global = true, value_enum)]
    casing: Option<CasingArg>,
    /// When to color the output
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Interactive explorer: do not capture the mouse
    #[arg(long, global = true)]
    no_mouse: bool,
    /// Interactive explorer: do not reload when the config, a schema file or the
    /// migrations folder changes
    #[arg(long, global = true)]
    no_watch: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Report every difference between the schema, the migrations and the database
    Check {
        /// Also check what merging into this git revision (e.g. `origin/main`) will do to
        /// the migrations folder, read from git without a checkout
        #[arg(long, value_name = "REF")]
        base: Option<String>,
        /// Check again each time the config, a schema file or the migrations folder
        /// changes, until interrupted
        #[arg(long)]
        watch: bool,
        /// Also write the report in another format to a file (repeatable), e.g.
        /// `--report-file markdown=summary.md`: one check, several reports
        #[arg(long, value_name = "FORMAT=PATH", value_parser = parse_report_file)]
        report_file: Vec<(Format, PathBuf)>,
    },
    /// The explorer (or, when stdout is not a terminal, `check`) on the bundled demo
    /// project and captured catalog (no database needed)
    Demo,
    /// List migrations with their state (applied, pending, modified, skipped, missing)
    Migrations,
    /// Print one source's normalized model as JSON
    Inspect {
        /// Which source
        #[arg(long, value_enum)]
        source: SourceArg,
        /// For --source snapshot: the migration (tag or prefix) whose snapshot to print
        #[arg(long, value_name = "TAG")]
        at: Option<String>,
    },
    /// Lint migrations: squawk's PostgreSQL rules and the Drizzle-aware `drizzle-…` rules
    /// (disable in drizzle-drift.toml `[lint] disable = […]` or with a
    /// `-- drizzle-drift-ignore rule` comment above a statement)
    Lint {
        /// Migrations to lint (tag or prefix); default: the pending ones, or with
        /// --offline the newest
        #[arg(value_name = "TAG")]
        tags: Vec<String>,
    },
    /// Explain a database error such as `column "x" does not exist`: where the object
    /// exists, which arrow broke, the fix
    Why {
        /// The error text (a whole log line or stack trace is fine)
        error: String,
    },
    /// Write the live catalog to a JSON file (no credentials inside), for --catalog
    Capture {
        /// Output file
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    /// A pull-request comment (check, demo, migrations)
    Markdown,
    /// GitHub Actions annotations (check, demo)
    Github,
}

/// `--report-file FORMAT=PATH`.
fn parse_report_file(s: &str) -> Result<(Format, PathBuf), String> {
    let (format, path) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not FORMAT=PATH (e.g. markdown=summary.md)"))?;
    let format = FormatArg::from_str(format, true)
        .map_err(|_| format!("unknown format `{format}` (text, json, markdown, github)"))?;
    if path.is_empty() {
        return Err(format!("`{s}` names no file"));
    }
    Ok((format.into(), PathBuf::from(path)))
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Github => Format::Github,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Copy, ValueEnum)]
enum CasingArg {
    #[value(name = "snake_case")]
    SnakeCase,
    #[value(name = "camelCase")]
    CamelCase,
}

#[derive(Clone, Copy, ValueEnum)]
enum TsEngineArg {
    Static,
    Node,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum SourceArg {
    Ts,
    Snapshot,
    Live,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let c = &cli.common;
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("drizzle-drift: cannot read the current directory: {e}");
            return ExitCode::from(2);
        }
    };
    let live = if c.offline {
        LiveSource::Offline
    } else if let Some(file) = &c.catalog {
        LiveSource::Captured(file.clone())
    } else {
        LiveSource::Database { url: c.url.clone() }
    };
    let opts = Options {
        config: c.config.clone(),
        cwd,
        live,
        ts_engine: match c.ts_engine {
            TsEngineArg::Static => TsEngine::Static,
            TsEngineArg::Node => TsEngine::Node,
        },
        overrides: drizzle_drift::config::Overrides {
            schema: c.schema.clone(),
            out: c.out.clone(),
            casing: c.casing.map(|c| match c {
                CasingArg::SnakeCase => drizzle_drift::config::Casing::SnakeCase,
                CasingArg::CamelCase => drizzle_drift::config::Casing::CamelCase,
            }),
        },
    };
    let format = Format::from(c.format);
    let color = match c.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let fail_on = match c.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    drizzle_drift::failure::install(match c.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stderr().is_terminal() && !no_color,
    });
    let targets = commands::TargetArgs {
        flags: c.target.clone(),
        file: c.targets.clone(),
        jobs: usize::from(c.jobs),
    };
    // Not a clap conflict: DRIZZLE_DRIFT_URL in the environment would count as --url.
    let url_flag =
        std::env::args_os().any(|a| a == "--url" || a.to_string_lossy().starts_with("--url="));
    if targets.given() && url_flag {
        eprintln!(
            "drizzle-drift: --url names the one database; with several, name each with --target (or list them in --targets)"
        );
        return ExitCode::from(2);
    }
    if targets.given()
        && !matches!(
            cli.command,
            None | Some(Command::Check { .. } | Command::Why { .. })
        )
    {
        eprintln!("drizzle-drift: --target and --targets are for `check`, `why` and the explorer");
        return ExitCode::from(2);
    }
    let launch = |options: Options, live_label: Option<String>, targets| tui::Launch {
        options,
        live_label,
        base: cli.base.clone(),
        mouse: !c.no_mouse,
        watch: !c.no_watch,
        monochrome: matches!(c.color, ColorArg::Never) || no_color,
        targets,
    };
    let interactive = std::io::stdout().is_terminal();
    if cli.base.is_some() && cli.command.is_some() {
        eprintln!(
            "drizzle-drift: --base before the command is the explorer's; for a report put it after: `drizzle-drift check --base REF`"
        );
        return ExitCode::from(2);
    }
    let tui_result = match &cli.command {
        None if interactive => Some(tui::run(launch(opts.clone(), None, targets.clone()))),
        None => {
            eprintln!(
                "drizzle-drift: the interactive explorer needs a terminal, and stdout is not one; \
                 for a report run `drizzle-drift check`\n\n{}",
                Cli::command().render_usage()
            );
            return ExitCode::from(2);
        }
        Some(Command::Demo) if interactive && matches!(format, Format::Text) => {
            Some(drizzle_drift::demo::Demo::unpack().and_then(|demo| {
                let options = Options {
                    config: None,
                    cwd: demo.project(),
                    live: LiveSource::Captured(demo.catalog()),
                    ts_engine: TsEngine::Static,
                    overrides: Default::default(),
                };
                tui::run(launch(
                    options,
                    Some("demo catalog assets/demo/catalog.json".into()),
                    commands::TargetArgs::default(),
                ))
            }))
        }
        Some(_) => None,
    };
    if let Some(result) = tui_result {
        return finish(result);
    }
    let Some(command) = &cli.command else {
        return ExitCode::from(2);
    };
    // A worker besides this thread: signals are heard while the command is busy here.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("drizzle-drift: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async {
        shutdown::listen(|| {}).map_err(|e| Error::context("cannot listen for signals", e))?;
        match command {
            Command::Check {
                base,
                watch,
                report_file,
            } => {
                let output = commands::Output {
                    format,
                    color,
                    files: report_file.clone(),
                };
                if *watch {
                    commands::check_watch(&opts, &targets, base.as_deref(), &output, fail_on).await
                } else {
                    commands::check(&opts, &targets, base.as_deref(), &output, fail_on).await
                }
            }
            Command::Demo => commands::demo(format, fail_on, color).await,
            Command::Migrations => commands::migrations(&opts, format, color).await,
            Command::Inspect { source, at } => {
                let source = match source {
                    SourceArg::Ts => Source::Ts,
                    SourceArg::Snapshot => Source::Snapshot,
                    SourceArg::Live => Source::Live,
                };
                commands::inspect(&opts, source, at.as_deref(), format).await
            }
            Command::Lint { tags } => commands::lint(&opts, tags, format, fail_on, color).await,
            Command::Capture { output } => commands::capture(&opts, output).await,
            Command::Why { error } => {
                commands::why(&opts, &targets, error, format, fail_on, color).await
            }
        }
    });
    // A command stuck in CPU work is not waited for.
    runtime.shutdown_background();
    finish(result)
}

fn finish(result: drizzle_drift::error::Result<i32>) -> ExitCode {
    // Stopped by a signal or a hang-up (or the explorer's quit): nothing is printed; stderr
    // may be gone, and a database reader's "stopped" error is no news.
    if let Some(reason) = shutdown::reason() {
        return ExitCode::from(reason.exit_code() as u8);
    }
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("drizzle-drift: {:?}", drizzle_drift::failure::report(&e));
            ExitCode::from(2)
        }
    }
}
