//! `drizzle.config.{ts,js,mjs,cjs,json}` and `.env`, read without running Node.

use crate::diagnostic::Diagnostic;
use crate::model::Dialect;
use serde::Serialize;
use std::path::PathBuf;

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
    pub schema_filter: Vec<String>,
    pub tables_filter: Vec<String>,
    /// What the reader could not evaluate, with file:line.
    pub diagnostics: Vec<Diagnostic>,
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
