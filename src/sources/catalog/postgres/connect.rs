//! Connection strings (URL or libpq `key=value`), libpq `sslmode`s, and connecting.
//!
//! tokio-postgres knows only `disable`/`prefer`/`require` and refuses keys it does not
//! know, so the `ssl*` keys are taken out here and turned into a rustls configuration;
//! keys of other clients (`pgbouncer=true`, `connection_limit`, `schema`) are dropped and
//! reported.

use super::errors;
use super::tls::{self, CertFiles, Verify};
use crate::shutdown;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::{CancelToken, Client, Config, NoTls};
use tokio_postgres_rustls::MakeRustlsConnect;

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const APPLICATION_NAME: &str = "drizzle-drift";

/// Keys tokio-postgres accepts as they are.
const PASSED_THROUGH: &[&str] = &[
    "user",
    "password",
    "dbname",
    "options",
    "application_name",
    "sslnegotiation",
    "host",
    "hostaddr",
    "port",
    "connect_timeout",
    "tcp_user_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_retries",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TlsMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl TlsMode {
    fn parse(value: &str) -> Result<TlsMode, String> {
        match value {
            "disable" | "allow" => Ok(TlsMode::Disable),
            "prefer" => Ok(TlsMode::Prefer),
            "require" | "no-verify" => Ok(TlsMode::Require),
            "verify-ca" => Ok(TlsMode::VerifyCa),
            "verify-full" => Ok(TlsMode::VerifyFull),
            other => Err(format!(
                "sslmode={other} is not one of disable, allow, prefer, require, verify-ca, verify-full"
            )),
        }
    }

    pub(super) fn as_str(self) -> &'static str {
        match self {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            TlsMode::Require => "require",
            TlsMode::VerifyCa => "verify-ca",
            TlsMode::VerifyFull => "verify-full",
        }
    }
}

/// A parsed connection target. Its `Debug` never shows the password.
pub(super) struct Target {
    pub config: Config,
    pub tls: TlsMode,
    pub cert_files: CertFiles,
    /// The connection string with its password replaced by `***`.
    pub redacted: String,
    /// `host:port` of every host tried, for messages.
    pub endpoints: String,
    pub user: String,
    pub dbname: String,
    pub connect_timeout: Duration,
    /// Keys of other clients that were ignored.
    pub ignored: Vec<String>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted)
    }
}

impl Target {
    /// The password given, if any (used only to scrub messages).
    pub(super) fn password(&self) -> Option<String> {
        self.config
            .get_password()
            .map(|p| String::from_utf8_lossy(p).into_owned())
    }
}

pub(super) fn parse(conn: &str) -> Result<Target, String> {
    let conn = conn.trim();
    let is_url = {
        let lower = conn.get(..13).unwrap_or(conn).to_ascii_lowercase();
        lower.starts_with("postgres://") || lower.starts_with("postgresql://")
    };
    let pairs = if is_url {
        let query = conn.split_once('?').map_or("", |(_, q)| q);
        url_query_pairs(query)?
    } else {
        keyword_pairs(conn)?
    };

    let mut tls_mode = None;
    let mut cert_files = CertFiles::default();
    let mut kept = Vec::new();
    let mut ignored = Vec::new();
    for (key, value) in pairs {
        match key.as_str() {
            "sslmode" => tls_mode = Some(TlsMode::parse(&value)?),
            "ssl" => {
                tls_mode = Some(match value.as_str() {
                    "true" | "1" | "on" => TlsMode::Require,
                    "false" | "0" | "off" => TlsMode::Disable,
                    other => return Err(format!("ssl={other} is not true or false")),
                })
            }
            "sslrootcert" => cert_files.root = Some(PathBuf::from(value)),
            "sslcert" => cert_files.cert = Some(PathBuf::from(value)),
            "sslkey" => cert_files.key = Some(PathBuf::from(value)),
            k if PASSED_THROUGH.contains(&k) => kept.push((key, value)),
            _ => ignored.push(key),
        }
    }

    let rebuilt = if is_url {
        let base = conn.split_once('?').map_or(conn, |(b, _)| b);
        let query: Vec<String> = kept
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect();
        if query.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", query.join("&"))
        }
    } else {
        let parts: Vec<String> = kept
            .iter()
            .map(|(k, v)| format!("{k}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'")))
            .collect();
        parts.join(" ")
    };
    let mut config = Config::from_str(&rebuilt).map_err(|e| e.to_string())?;
    apply_environment(&mut config, &mut tls_mode);
    if config.get_application_name().is_none() {
        config.application_name(APPLICATION_NAME);
    }
    let connect_timeout = *config
        .get_connect_timeout()
        .unwrap_or(&DEFAULT_CONNECT_TIMEOUT);
    config.connect_timeout(connect_timeout);

    // libpq's `require` becomes `verify-ca` when a root bundle is named.
    let mut tls = tls_mode.unwrap_or(TlsMode::Prefer);
    if tls == TlsMode::Require && cert_files.root.is_some() {
        tls = TlsMode::VerifyCa;
    }
    config.ssl_mode(match tls {
        TlsMode::Disable => SslMode::Disable,
        TlsMode::Prefer => SslMode::Prefer,
        _ => SslMode::Require,
    });

    let user = config.get_user().unwrap_or_default().to_string();
    let dbname = config.get_dbname().unwrap_or(&user).to_string();
    Ok(Target {
        endpoints: endpoints(&config),
        redacted: redact(conn),
        user,
        dbname,
        tls,
        cert_files,
        connect_timeout,
        ignored,
        config,
    })
}

/// libpq's environment defaults for what the string leaves out.
fn apply_environment(config: &mut Config, tls_mode: &mut Option<TlsMode>) {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
        let hosts = env("PGHOST").unwrap_or_else(|| "localhost".to_string());
        for host in hosts.split(',') {
            config.host(host);
        }
    }
    if config.get_ports().is_empty() {
        if let Some(port) = env("PGPORT").and_then(|p| p.parse::<u16>().ok()) {
            config.port(port);
        }
    }
    if config.get_user().is_none() {
        let user = env("PGUSER")
            .or_else(|| env("USER"))
            .unwrap_or_else(|| "postgres".to_string());
        config.user(user);
    }
    if config.get_password().is_none() {
        if let Some(password) = env("PGPASSWORD") {
            config.password(password);
        }
    }
    if config.get_dbname().is_none() {
        if let Some(db) = env("PGDATABASE") {
            config.dbname(db);
        }
    }
    if tls_mode.is_none() {
        *tls_mode = env("PGSSLMODE").and_then(|m| TlsMode::parse(&m).ok());
    }
}

fn endpoints(config: &Config) -> String {
    let ports = config.get_ports();
    let port_at = |i: usize| match ports.len() {
        0 => 5432,
        1 => ports[0],
        _ => ports.get(i).copied().unwrap_or(5432),
    };
    let mut out: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| match host {
            Host::Tcp(h) if h.contains(':') => format!("[{h}]:{}", port_at(i)),
            Host::Tcp(h) => format!("{h}:{}", port_at(i)),
            #[cfg(unix)]
            Host::Unix(path) => format!("{}/.s.PGSQL.{}", path.display(), port_at(i)),
        })
        .collect();
    if out.is_empty() {
        out = config
            .get_hostaddrs()
            .iter()
            .enumerate()
            .map(|(i, a)| format!("{a}:{}", port_at(i)))
            .collect();
    }
    out.join(", ")
}

/// Open a session. The connection task is spawned on the current tokio runtime and ends
/// when the returned client is dropped.
pub(super) async fn connect(target: &Target) -> Result<(Client, Canceller), String> {
    let hosts = target.config.get_hosts().len().max(1) as u32;
    let overall = target.connect_timeout * hosts + Duration::from_secs(5);
    let attempt = async {
        match target.tls {
            TlsMode::Disable => connect_plain(&target.config).await,
            TlsMode::Prefer => match connect_tls(target, Verify::Nothing).await {
                // libpq's `prefer` retries without TLS when the handshake fails.
                Err(e) if errors::is_tls_failure(&e) => {
                    let mut plain = target.config.clone();
                    plain.ssl_mode(SslMode::Disable);
                    connect_plain(&plain).await
                }
                other => other,
            },
            TlsMode::Require => connect_tls(target, Verify::Nothing).await,
            TlsMode::VerifyCa => connect_tls(target, Verify::Chain).await,
            TlsMode::VerifyFull => connect_tls(target, Verify::Full).await,
        }
    };
    let answer = shutdown::unless_stopped(tokio::time::timeout(overall, attempt))
        .await
        .map_err(|reason| format!("stopped ({reason}) while connecting"))?;
    match answer {
        Ok(Ok(connected)) => Ok(connected),
        Ok(Err(ConnectError::Setup(message))) => Err(message),
        Ok(Err(ConnectError::Postgres(e))) => Err(errors::describe_connect(&e, target)),
        Err(_) => Err(format!(
            "timed out after {} s connecting to {} (no answer from the server)",
            overall.as_secs(),
            target.endpoints
        )),
    }
}

pub(super) enum ConnectError {
    /// The TLS configuration could not be built (certificate files…).
    Setup(String),
    Postgres(tokio_postgres::Error),
}

/// Asks the server to cancel the query running on a connection. Without it, a query
/// waiting for a lock outlives a client that went away: the server notices the closed
/// socket only once the lock is granted or the lock timeout fires.
pub(super) struct Canceller {
    token: CancelToken,
    /// The cancel request goes over a new connection, with the same TLS as the first.
    tls: Option<MakeRustlsConnect>,
}

impl Canceller {
    pub(super) async fn cancel(&self) {
        let _ = match &self.tls {
            None => self.token.cancel_query(NoTls).await,
            Some(tls) => self.token.cancel_query(tls.clone()).await,
        };
    }
}

async fn connect_plain(config: &Config) -> Result<(Client, Canceller), ConnectError> {
    let (client, connection) = config
        .connect(NoTls)
        .await
        .map_err(ConnectError::Postgres)?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let token = client.cancel_token();
    Ok((client, Canceller { token, tls: None }))
}

async fn connect_tls(target: &Target, verify: Verify) -> Result<(Client, Canceller), ConnectError> {
    let tls_config = tls::client_config(verify, &target.cert_files).map_err(ConnectError::Setup)?;
    let tls = MakeRustlsConnect::new(tls_config);
    let (client, connection) = target
        .config
        .connect(tls.clone())
        .await
        .map_err(ConnectError::Postgres)?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let token = client.cancel_token();
    Ok((
        client,
        Canceller {
            token,
            tls: Some(tls),
        },
    ))
}

/// `key=value` pairs of a URL query, percent-decoded.
fn url_query_pairs(query: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        out.push((percent_decode(k)?, percent_decode(v)?));
    }
    Ok(out)
}

fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| "invalid percent-encoding in the connection URL".to_string())?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "the connection URL is not valid UTF-8".to_string())
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// libpq `key = value` pairs; values may be single-quoted with `\` escapes.
fn keyword_pairs(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(format!(
                "invalid connection string: expected `=` after `{key}` (use a postgres:// URL or key=value pairs)"
            ));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\'') => break,
                    Some('\\') => match chars.next() {
                        Some(c) => value.push(c),
                        None => {
                            return Err(format!(
                                "invalid connection string: unterminated value of `{key}`"
                            ))
                        }
                    },
                    Some(c) => value.push(c),
                    None => {
                        return Err(format!(
                            "invalid connection string: unterminated value of `{key}`"
                        ))
                    }
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    if let Some(next) = chars.next() {
                        value.push(next);
                    }
                } else {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
}

/// The connection string with every password replaced by `***`. Errs on the side of
/// hiding too much: in a URL everything between the first `:` of the user info and the
/// last `@` before the query goes.
pub(super) fn redact(conn: &str) -> String {
    let conn = conn.trim();
    if let Some(scheme_end) = conn.find("://") {
        let start = scheme_end + 3;
        let query_at = conn[start..].find('?').map_or(conn.len(), |i| start + i);
        let mut out = match conn[start..query_at].rfind('@') {
            Some(at) => {
                let userinfo = &conn[start..start + at];
                match userinfo.find(':') {
                    Some(colon) => format!(
                        "{}***{}",
                        &conn[..start + colon + 1],
                        &conn[start + at..query_at]
                    ),
                    None => conn[..query_at].to_string(),
                }
            }
            None => conn[..query_at].to_string(),
        };
        if query_at < conn.len() {
            let query: Vec<String> = conn[query_at + 1..]
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if is_secret_key(k) => format!("{k}=***"),
                    _ => kv.to_string(),
                })
                .collect();
            out.push('?');
            out.push_str(&query.join("&"));
        }
        out
    } else {
        match keyword_pairs(conn) {
            Ok(pairs) => pairs
                .iter()
                .map(|(k, v)| {
                    if is_secret_key(k) {
                        format!("{k}=***")
                    } else if v.is_empty() || v.contains(char::is_whitespace) || v.contains('\'') {
                        format!("{k}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
                    } else {
                        format!("{k}={v}")
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
            Err(_) => "(unparsable connection string)".to_string(),
        }
    }
}

fn is_secret_key(k: &str) -> bool {
    let k = k.to_ascii_lowercase();
    k == "password" || k == "sslpassword" || k.ends_with("%70assword")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_url_and_keyword_passwords() {
        assert_eq!(
            redact("postgres://app:s3/cr@t@db:5432/prod?sslmode=require&password=x"),
            "postgres://app:***@db:5432/prod?sslmode=require&password=***"
        );
        assert_eq!(
            redact("postgresql://app@db/prod"),
            "postgresql://app@db/prod"
        );
        assert_eq!(
            redact("host=db user=app password='se cr\\'et' dbname=prod"),
            "host=db user=app password=*** dbname=prod"
        );
    }

    #[test]
    fn verify_modes_are_taken_out_of_the_string() {
        let t =
            parse("postgres://u:pw@h:6543/d?sslmode=verify-full&pgbouncer=true&connect_timeout=3")
                .expect("parse");
        assert_eq!(t.tls, TlsMode::VerifyFull);
        assert_eq!(t.ignored, vec!["pgbouncer".to_string()]);
        assert_eq!(t.endpoints, "h:6543");
        assert_eq!(t.connect_timeout, Duration::from_secs(3));
        assert_eq!(t.dbname, "d");
        assert_eq!(t.password().as_deref(), Some("pw"));
        assert_eq!(t.config.get_application_name(), Some("drizzle-drift"));
        assert!(!format!("{t:?}").contains("pw@"));
    }

    #[test]
    fn keyword_strings_keep_quoted_values() {
        let t = parse("host=db port=5433 user=app password='a b\\'c' dbname=x sslmode=require sslrootcert=/r.pem")
            .expect("parse");
        assert_eq!(t.password().as_deref(), Some("a b'c"));
        assert_eq!(
            t.tls,
            TlsMode::VerifyCa,
            "require with a root bundle verifies the chain"
        );
        assert_eq!(t.endpoints, "db:5433");
        assert_eq!(t.cert_files.root, Some(PathBuf::from("/r.pem")));
    }

    #[cfg(unix)]
    #[test]
    fn unix_sockets_and_node_style_ssl_flags() {
        let t = parse("postgresql:///app?host=%2Fvar%2Frun%2Fpostgresql&ssl=true&user=me")
            .expect("parse");
        assert_eq!(
            t.config.get_hosts(),
            [Host::Unix(PathBuf::from("/var/run/postgresql"))]
        );
        assert_eq!(t.endpoints, "/var/run/postgresql/.s.PGSQL.5432");
        assert_eq!(t.tls, TlsMode::Require);
        assert_eq!(t.user, "me");
        let plain = parse("postgres://me@db/app?sslmode=disable").expect("parse");
        assert_eq!(plain.tls, TlsMode::Disable);
        assert_eq!(plain.config.get_ssl_mode(), SslMode::Disable);
    }

    #[test]
    fn bad_sslmode_is_named() {
        let err = parse("postgres://h/d?sslmode=always").expect_err("must fail");
        assert!(err.contains("sslmode=always"), "{err}");
    }
}
