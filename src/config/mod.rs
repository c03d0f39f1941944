//! `drizzle.config.{ts,js,mjs,cjs,json}` and `.env`, read without running Node.
//!
//! The config is parsed (oxc) and statically evaluated by [`crate::js`], imports followed:
//! literals, bindings, spreads, functions, `process.env` with `!`/`??`/`||`, `defineConfig`,
//! Node's `path`/`url`/`process.cwd()`. What cannot be known without running code (a
//! package's helper, an unset variable) leaves its key unset and becomes a [`Diagnostic`];
//! only a missing or unsupported `dialect` and an unreadable or unparseable file stop
//! loading.

mod discover;
mod env;
mod json;
mod node;
mod read;
mod script;
mod url;
mod value;

pub use discover::{find, DEFAULT_NAMES};
pub use env::{Env, EnvOrigin};

use crate::diagnostic::{Diagnostic, Incomplete, Source};
use crate::error::Error;
use crate::model::Dialect;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What drizzle-drift needs from a project's drizzle-kit config.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// The config file that was read.
    pub path: PathBuf,
    /// The folder paths are resolved against: where drizzle-kit runs, i.e. the current
    /// directory, not the config file's folder.
    pub root: PathBuf,
    pub dialect: Dialect,
    /// `schema` entries as written (files, folders or globs), relative to `root`.
    pub schema: Vec<String>,
    /// Migrations folder, resolved against `root` (`drizzle` by default).
    pub out: PathBuf,
    pub casing: Option<Casing>,
    #[serde(skip)]
    pub credentials: Option<Credentials>,
    pub migrations: MigrationsConfig,
    /// `schemaFilter` as the config writes it; empty when it has none.
    pub schema_filter: Vec<String>,
    pub tables_filter: Vec<String>,
    /// What the reader could not evaluate, with file:line.
    pub diagnostics: Vec<Diagnostic>,
    /// Values the comparison needs that could not be evaluated (`schema`, `out`, `casing`,
    /// filters, the migrations table) and were not given by a flag: never replaced by a
    /// default. The comparisons resting on them are not made ([`Config::incomplete`]).
    pub unread: Vec<Unread>,
    /// What the unread values leave incomplete.
    pub incomplete: Vec<Incomplete>,
    /// `node (drizzle-kit <version>)` when the static reader could not evaluate the config
    /// and Node did, with the project's drizzle-kit; `None`: read statically.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluated_by: Option<String>,
    /// The variables the config saw: the process environment and the dotenv files it
    /// loaded (see [`Env`] for precedence). `Debug` shows names only.
    #[serde(skip)]
    pub env: Env,
}

/// A config key whose value could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unread {
    /// `schema`, `out`, `casing`, `schemaFilter`, `tablesFilter`, `migrations.table`,
    /// `migrations.schema`.
    pub key: String,
    /// `file:line:col` of the value.
    pub location: String,
    pub reason: String,
}

/// Values given on the command line (drizzle-kit's own `--schema`, `--out`, `--casing`),
/// which take the place of the config's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub schema: Vec<String>,
    pub out: Option<String>,
    pub casing: Option<Casing>,
}

impl Config {
    /// Whether `key` (see [`Unread::key`]) could not be evaluated.
    pub fn is_unread(&self, key: &str) -> bool {
        self.unread.iter().any(|u| u.key == key)
    }

    /// Applies the command line's values.
    pub fn apply(&mut self, overrides: &Overrides) {
        if !overrides.schema.is_empty() {
            self.schema = overrides.schema.clone();
            self.unread.retain(|u| u.key != "schema");
        }
        if let Some(out) = &overrides.out {
            self.out = crate::js::resolve::normalize(&self.root.join(out));
            self.unread.retain(|u| u.key != "out");
        }
        if let Some(casing) = overrides.casing {
            self.casing = Some(casing);
            self.unread.retain(|u| u.key != "casing");
        }
        self.settle();
    }

    /// [`Config::incomplete`] from [`Config::unread`].
    fn settle(&mut self) {
        self.incomplete = self
            .unread
            .iter()
            .map(|u| {
                let (source, consequence) = match u.key.as_str() {
                    "schema" => (Source::Ts, "the TypeScript schema is not read (pass --schema)"),
                    "casing" => (
                        Source::Ts,
                        "the TypeScript schema is not compared (pass --casing)",
                    ),
                    "out" => (
                        Source::Snapshot,
                        "the migrations are not read and the database is not compared with them (pass --out)",
                    ),
                    "migrations.table" | "migrations.schema" => (
                        Source::Live,
                        "the applied migrations are not placed in the history",
                    ),
                    _ => (Source::Live, "the database is not compared"),
                };
                Incomplete::new(
                    source,
                    format!("`{}` cannot be evaluated ({}): {consequence}", u.key, u.reason),
                )
                .at(u.location.clone())
            })
            .collect();
    }
}

/// Finds and reads the config (see [`find`]) with the process environment.
///
/// Paths are resolved against `cwd`, where drizzle-kit runs, not the config's folder.
pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Config, Error> {
    load_with_env(explicit, cwd, Env::from_process())
}

/// [`load`] with `process` standing in for the process environment.
pub fn load_with_env(explicit: Option<&Path>, cwd: &Path, process: Env) -> Result<Config, Error> {
    let path = find(explicit, cwd)?;
    let display = display_path(&path, cwd);
    let text = std::fs::read(&path)
        .map_err(|err| Error::Config(format!("{display}: cannot read: {err}")))?;
    // Node decodes invalid UTF-8 as U+FFFD and carries on; so does this reader.
    let text = String::from_utf8_lossy(&text).into_owned();

    let mut env = process;
    // drizzle-kit loads `.env` from the current directory before it runs the config.
    let startup = env.default_file(cwd);
    env.load_file(&startup, false, false);
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let read_statically = |env: &mut Env| -> Result<(read::Settings, read::Reader<'_>), Error> {
        let root = if is_json {
            env.load_file(&config_dir_env(&path), false, false);
            json::evaluate(&text, &display)?
        } else {
            let dirs = script::Dirs {
                config_file: path.clone(),
                cwd: cwd.to_path_buf(),
            };
            script::evaluate(&text, &display, &dirs, env)?
        };
        let mut reader = read::Reader::new(&display, (!is_json).then_some(text.as_str()));
        let settings = reader.read(&root)?;
        Ok((settings, reader))
    };
    let statically = read_statically(&mut env);
    let needs_node = match &statically {
        Ok((_, reader)) => !reader.unread.is_empty(),
        Err(_) => true,
    };
    let mut evaluated_by = None;
    let mut notes = Vec::new();
    let (settings, reader) = match statically {
        _ if needs_node && !is_json && node::kit_installed(&path) => {
            match node::evaluate(&path, cwd, &env).and_then(|(json, kit)| {
                let root = json::evaluate(&json, &display).map_err(|e| e.to_string())?;
                let mut reader = read::Reader::new(&display, None);
                let settings = reader.read(&root).map_err(|e| e.to_string())?;
                Ok((settings, reader, kit))
            }) {
                Ok((settings, reader, kit)) => {
                    evaluated_by = Some(format!("node (drizzle-kit {kit})"));
                    notes.push(Diagnostic::new(
                        crate::diagnostic::Level::Info,
                        display.as_str(),
                        "the static reader could not evaluate this config: it was evaluated by node with the project's drizzle-kit",
                    ));
                    (settings, reader)
                }
                Err(why) => {
                    let (settings, reader) = read_statically(&mut env)?;
                    notes.push(Diagnostic::new(
                        crate::diagnostic::Level::Warning,
                        display.as_str(),
                        format!("evaluating the config with node failed: {why}"),
                    ));
                    (settings, reader)
                }
            }
        }
        other => other?,
    };
    let mut diagnostics: Vec<Diagnostic> = env
        .diagnostics()
        .iter()
        .map(|d| Diagnostic {
            location: display_path(Path::new(&d.location), cwd),
            ..d.clone()
        })
        .collect();
    diagnostics.extend(reader.diagnostics);
    diagnostics.extend(notes);
    let mut config = Config {
        root: cwd.to_path_buf(),
        out: crate::js::resolve::normalize(&cwd.join(&settings.out)),
        path: path.clone(),
        dialect: settings.dialect,
        schema: settings.schema,
        casing: settings.casing,
        credentials: settings.credentials,
        migrations: settings.migrations,
        schema_filter: settings.schema_filter,
        tables_filter: settings.tables_filter,
        diagnostics,
        unread: reader.unread,
        incomplete: Vec::new(),
        evaluated_by,
        env,
    };
    config.settle();
    Ok(config)
}

impl Config {
    /// What drizzle-kit assumes without a config file (as `drizzle-kit pull` run with
    /// flags): `dialect`, the `drizzle` migrations folder, no schema files. `path` names
    /// the folder no config was found in.
    pub fn bare(dialect: Dialect, cwd: &Path) -> Config {
        Config {
            path: cwd.to_path_buf(),
            root: cwd.to_path_buf(),
            dialect,
            schema: Vec::new(),
            out: cwd.join("drizzle"),
            casing: None,
            credentials: None,
            migrations: MigrationsConfig {
                table: "__drizzle_migrations".to_string(),
                schema: "drizzle".to_string(),
                prefix: "index".to_string(),
            },
            schema_filter: Vec::new(),
            tables_filter: Vec::new(),
            diagnostics: Vec::new(),
            unread: Vec::new(),
            incomplete: Vec::new(),
            evaluated_by: None,
            env: Env::for_dir(Env::from_process(), cwd),
        }
    }
}

/// The dialect a connection URL names by its scheme.
pub fn dialect_of_url(url: &str) -> Option<Dialect> {
    let scheme = url.split_once("://")?.0.to_ascii_lowercase();
    match scheme.as_str() {
        "postgres" | "postgresql" => Some(Dialect::Postgresql),
        "mysql" | "mariadb" => Some(Dialect::Mysql),
        _ => None,
    }
}

/// The connection URL to use and where it came from, first match wins: `--url`, the
/// config's `dbCredentials`, then `DATABASE_URL` as the config saw it (process
/// environment, then the `.env` files it loaded). Without a config, only the process
/// environment is consulted: use [`resolve_url_with_env`] to include `.env`.
pub fn resolve_url(
    config: Option<&Config>,
    cli_url: Option<&str>,
) -> Option<(String, &'static str)> {
    match config {
        Some(c) => resolve_url_with_env(Some(c), cli_url, &c.env),
        None => resolve_url_with_env(None, cli_url, &Env::from_process()),
    }
}

/// [`resolve_url`] reading `DATABASE_URL` from `env`. Without a config, pass
/// `Env::for_dir(Env::from_process(), cwd)` so `.env` in the current directory is seen.
pub fn resolve_url_with_env(
    config: Option<&Config>,
    cli_url: Option<&str>,
    env: &Env,
) -> Option<(String, &'static str)> {
    if let Some(url) = cli_url {
        return Some((url.to_string(), "--url"));
    }
    if let Some(config) = config {
        if let Some(credentials) = &config.credentials {
            return Some((
                credentials.to_url(config.dialect),
                "dbCredentials in the config",
            ));
        }
    }
    match env.get("DATABASE_URL")? {
        (url, EnvOrigin::Process) => Some((url.to_string(), "DATABASE_URL in the environment")),
        (url, EnvOrigin::File) => Some((url.to_string(), "DATABASE_URL in a .env file")),
    }
}

/// `.env` beside the config file (read last; see [`Env`]).
fn config_dir_env(config_file: &Path) -> PathBuf {
    config_file
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(".env")
}

/// `path` relative to `cwd` when it is inside it, for messages.
fn display_path(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Casing {
    SnakeCase,
    CamelCase,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationsConfig {
    /// `__drizzle_migrations` unless configured.
    pub table: String,
    /// `drizzle` on PostgreSQL unless configured; unused on MySQL.
    pub schema: String,
    /// `index`, `timestamp`, `supabase`, `unix` or `none`.
    pub prefix: String,
}

/// `dbCredentials`. Never printed as is: use [`Credentials::redacted`].
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    Url(String),
    Params {
        host: String,
        port: Option<u16>,
        user: Option<String>,
        password: Option<String>,
        database: String,
        /// `ssl` as written: `true`/`false`, or a libpq `sslmode` name.
        ssl: Option<String>,
    },
}

impl Credentials {
    /// A printable form with the password replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            Credentials::Url(url) => redact_url(url),
            Credentials::Params {
                host,
                port,
                user,
                password,
                database,
                ..
            } => {
                let mut s = String::new();
                if let Some(user) = user {
                    s.push_str(user);
                    if password.is_some() {
                        s.push_str(":***");
                    }
                    s.push('@');
                }
                s.push_str(host);
                if let Some(port) = port {
                    s.push_str(&format!(":{port}"));
                }
                s.push('/');
                s.push_str(database);
                s
            }
        }
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Replace the password of a `scheme://user:password@host/...` URL (and any
/// `password=` query parameter) with `***`.
pub fn redact_url(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest_start = scheme_end + 3;
        let authority_end = out[rest_start..]
            .find(['/', '?', '#'])
            .map_or(out.len(), |i| rest_start + i);
        if let Some(at) = out[rest_start..authority_end].rfind('@') {
            let userinfo = &out[rest_start..rest_start + at];
            if let Some(colon) = userinfo.find(':') {
                let start = rest_start + colon + 1;
                out.replace_range(start..rest_start + at, "***");
            }
        }
    }
    if let Some(q) = out.find('?') {
        let (head, query) = out.split_at(q + 1);
        let query: Vec<String> = query
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => kv.to_string(),
            })
            .collect();
        out = format!("{head}{}", query.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_url_passwords() {
        assert_eq!(
            redact_url("postgres://app:s3cr@t@db:5432/prod?sslmode=require"),
            "postgres://app:***@db:5432/prod?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://app@db/prod"),
            "postgres://app@db/prod"
        );
        assert_eq!(
            redact_url("postgresql://db/prod?user=a&password=hunter2"),
            "postgresql://db/prod?user=a&password=***"
        );
    }
}
