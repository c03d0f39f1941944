//! `mysql://` URLs as drizzle users write them (mysql2's, Prisma's and the mysql client's
//! TLS keys), and connecting with mysql_async.
//!
//! TLS keys understood: `ssl=true|false|{"rejectUnauthorized":…}|<profile name>` (mysql2),
//! `sslmode` / `ssl-mode` / `ssl_mode` (`disable(d)`, `prefer(red)`, `require(d)`,
//! `verify-ca`, `verify-full` / `verify_identity`), `sslaccept=strict|accept_invalid_certs`
//! (Prisma, PlanetScale), `sslrootcert` / `ssl-ca`, `sslcert` / `ssl-cert`, `sslkey` /
//! `ssl-key`. Keys of other clients (`charset`, `connection_limit`…) are ignored and
//! reported. Without any TLS key the reader prefers TLS and falls back to a plain
//! connection, as the mysql client does.

use super::errors;
use mysql_async::{ClientIdentity, Conn, Opts, OptsBuilder, SslOpts};
use std::path::PathBuf;
use std::time::Duration;

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_PORT: u16 = 3306;

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
        match value.to_ascii_lowercase().replace('_', "-").as_str() {
            "disable" | "disabled" | "false" | "0" | "off" => Ok(TlsMode::Disable),
            "prefer" | "preferred" => Ok(TlsMode::Prefer),
            "require" | "required" | "true" | "1" | "on" => Ok(TlsMode::Require),
            "verify-ca" => Ok(TlsMode::VerifyCa),
            "verify-full" | "verify-identity" => Ok(TlsMode::VerifyFull),
            _ => Err(format!(
                "ssl mode {value} is not one of disabled, preferred, required, verify_ca, verify_identity"
            )),
        }
    }

    pub(super) fn as_str(self) -> &'static str {
        match self {
            TlsMode::Disable => "disabled",
            TlsMode::Prefer => "preferred",
            TlsMode::Require => "required",
            TlsMode::VerifyCa => "verify_ca",
            TlsMode::VerifyFull => "verify_identity",
        }
    }
}

/// A parsed connection target. Its `Debug` never shows the password.
pub(super) struct Target {
    host: String,
    port: u16,
    socket: Option<String>,
    pub user: String,
    password: Option<String>,
    pub database: Option<String>,
    pub tls: TlsMode,
    root_cert: Option<PathBuf>,
    client_cert: Option<(PathBuf, PathBuf)>,
    /// The URL with its password replaced by `***`.
    pub redacted: String,
    /// `host:port` or the socket path, for messages.
    pub endpoint: String,
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
    pub(super) fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }
}

pub(super) fn parse(url: &str) -> Result<Target, String> {
    let url = url.trim();
    let redacted = crate::config::redact_url(url);
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| "not a mysql:// URL".to_string())?;
    if !matches!(
        scheme.to_ascii_lowercase().as_str(),
        "mysql" | "mysqlx" | "mariadb" | "mysql2"
    ) {
        return Err(format!(
            "a MySQL connection URL starts with mysql://, not {scheme}://"
        ));
    }
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let before_query = before_query.split('#').next().unwrap_or(before_query);
    let (authority, path) = match before_query.find('/') {
        Some(i) => (&before_query[..i], &before_query[i + 1..]),
        None => (before_query, ""),
    };
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
        None => (None, authority),
    };
    let (user, password) = match userinfo {
        Some(info) => match info.split_once(':') {
            Some((u, p)) => (percent_decode(u)?, Some(percent_decode(p)?)),
            None => (percent_decode(info)?, None),
        },
        None => (String::new(), None),
    };
    let (host, port) = split_host_port(hostport)?;
    let database = Some(percent_decode(path)?).filter(|d| !d.is_empty());

    let mut tls = None;
    let mut root_cert = None;
    let mut cert = None;
    let mut key = None;
    let mut socket = None;
    let mut connect_timeout = DEFAULT_CONNECT_TIMEOUT;
    let mut ignored = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let (key_name, value) = (percent_decode(k)?, percent_decode(v)?);
        match key_name.to_ascii_lowercase().replace('_', "-").as_str() {
            "ssl" => tls = Some(mysql2_ssl(&value)?),
            // A config's `ssl: "Amazon RDS"` (a mysql2 certificate profile) arrives here.
            "sslmode" | "ssl-mode" => {
                tls = Some(TlsMode::parse(&value).or_else(|e| {
                    if value == "Amazon RDS" {
                        Ok(TlsMode::VerifyFull)
                    } else {
                        Err(e)
                    }
                })?)
            }
            "sslaccept" => {
                tls = Some(match value.as_str() {
                    "strict" => TlsMode::VerifyFull,
                    "accept-invalid-certs" | "accept_invalid_certs" => TlsMode::Require,
                    other => {
                        return Err(format!(
                            "sslaccept={other} is not strict or accept_invalid_certs"
                        ))
                    }
                })
            }
            "sslrootcert" | "ssl-ca" | "sslca" => root_cert = Some(PathBuf::from(value)),
            "sslcert" | "ssl-cert" => cert = Some(PathBuf::from(value)),
            "sslkey" | "ssl-key" => key = Some(PathBuf::from(value)),
            "socket" | "socketpath" => socket = Some(value),
            // Prisma and the mysql client: seconds; mysql2: milliseconds.
            "connect-timeout" => connect_timeout = Duration::from_secs(number(&key_name, &value)?),
            "connecttimeout" => connect_timeout = Duration::from_millis(number(&key_name, &value)?),
            _ => ignored.push(key_name),
        }
    }
    let client_cert = match (cert, key) {
        (Some(c), Some(k)) => Some((c, k)),
        (None, None) => None,
        _ => return Err("sslcert and sslkey must be given together".to_string()),
    };
    let mut tls = tls.unwrap_or(TlsMode::Prefer);
    if tls == TlsMode::Require && root_cert.is_some() {
        tls = TlsMode::VerifyCa;
    }
    let endpoint = match &socket {
        Some(path) => path.clone(),
        None if host.contains(':') => format!("[{host}]:{port}"),
        None => format!("{host}:{port}"),
    };
    Ok(Target {
        host,
        port,
        socket,
        user,
        password,
        database,
        tls,
        root_cert,
        client_cert,
        redacted,
        endpoint,
        connect_timeout,
        ignored,
    })
}

/// mysql2's `ssl` option in a URL: a boolean, a JSON object of TLS options (mysql2 parses
/// query values as JSON), or the name of a bundled certificate profile (`Amazon RDS`).
fn mysql2_ssl(value: &str) -> Result<TlsMode, String> {
    let trimmed = value.trim();
    if trimmed.starts_with('{') {
        let options: serde_json::Value = serde_json::from_str(trimmed)
            .map_err(|e| format!("ssl={trimmed} is not a JSON object: {e}"))?;
        // mysql2 verifies certificates unless told not to.
        return Ok(match options.get("rejectUnauthorized") {
            Some(serde_json::Value::Bool(false)) => TlsMode::Require,
            _ => TlsMode::VerifyFull,
        });
    }
    match TlsMode::parse(trimmed) {
        Ok(mode) => Ok(mode),
        Err(_) if !trimmed.is_empty() => Ok(TlsMode::VerifyFull),
        Err(e) => Err(e),
    }
}

fn number(key: &str, value: &str) -> Result<u64, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("{key}={value} is not a whole number"))
}

fn split_host_port(hostport: &str) -> Result<(String, u16), String> {
    if hostport.is_empty() {
        return Ok(("localhost".to_string(), DEFAULT_PORT));
    }
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let (h, after) = rest
            .split_once(']')
            .ok_or_else(|| "unterminated [IPv6 address] in the connection URL".to_string())?;
        (h.to_string(), after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (percent_decode(h)?, Some(p)),
            None => (percent_decode(hostport)?, None),
        }
    };
    let port = match port {
        Some(p) if !p.is_empty() => p
            .parse()
            .map_err(|_| format!("port {p} in the connection URL is not a number"))?,
        _ => DEFAULT_PORT,
    };
    let host = if host.is_empty() {
        "localhost".to_string()
    } else {
        host
    };
    Ok((host, port))
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

fn opts(target: &Target, ssl: Option<SslOpts>) -> Opts {
    let mut builder = OptsBuilder::default()
        .ip_or_hostname(target.host.clone())
        .tcp_port(target.port)
        .user(Some(target.user.clone()).filter(|u| !u.is_empty()))
        .pass(target.password.clone())
        .db_name(target.database.clone())
        .prefer_socket(false)
        // Only the text protocol is used: nothing to cache.
        .stmt_cache_size(0)
        .ssl_opts(ssl);
    if let Some(socket) = &target.socket {
        builder = builder.socket(Some(socket.clone()));
    }
    builder.into()
}

fn ssl_opts(target: &Target, mode: TlsMode) -> SslOpts {
    let mut ssl = SslOpts::default();
    match &target.root_cert {
        Some(path) => {
            ssl = ssl
                .with_root_certs(vec![path.clone().into()])
                .with_disable_built_in_roots(true);
        }
        None if matches!(mode, TlsMode::VerifyCa | TlsMode::VerifyFull) => {
            let native = rustls_native_certs::load_native_certs();
            let roots: Vec<_> = native
                .certs
                .into_iter()
                .map(|c| c.as_ref().to_vec().into())
                .collect();
            ssl = ssl.with_root_certs(roots);
        }
        None => {}
    }
    if let Some((cert, key)) = &target.client_cert {
        ssl = ssl.with_client_identity(Some(ClientIdentity::new(
            cert.clone().into(),
            key.clone().into(),
        )));
    }
    match mode {
        TlsMode::Disable | TlsMode::Prefer | TlsMode::Require => {
            ssl.with_danger_accept_invalid_certs(true)
        }
        TlsMode::VerifyCa => ssl.with_danger_skip_domain_validation(true),
        TlsMode::VerifyFull => ssl,
    }
}

/// Open a connection, within the connect timeout.
pub(super) async fn connect(target: &Target) -> Result<Conn, String> {
    let attempt = async {
        match target.tls {
            TlsMode::Disable => Conn::new(opts(target, None)).await,
            TlsMode::Prefer => {
                let tls = opts(target, Some(ssl_opts(target, TlsMode::Prefer)));
                match Conn::new(tls).await {
                    // Like the mysql client's PREFERRED: plain when the server has no TLS.
                    Err(e) if errors::is_tls_unavailable(&e) || errors::is_tls_failure(&e) => {
                        Conn::new(opts(target, None)).await
                    }
                    other => other,
                }
            }
            mode => Conn::new(opts(target, Some(ssl_opts(target, mode)))).await,
        }
        .map_err(|e| errors::describe_connect(&e, target))
    };
    let attempt = tokio::time::timeout(target.connect_timeout, attempt);
    let answer = crate::shutdown::unless_stopped(attempt)
        .await
        .map_err(|reason| format!("stopped ({reason}) while connecting"))?;
    match answer {
        Ok(result) => result,
        Err(_) => Err(format!(
            "timed out after {} s connecting to {} (no answer from the server)",
            target.connect_timeout.as_secs(),
            target.endpoint
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_with_passwords_and_tls_keys() {
        let t = parse(
            "mysql://app:p%40ss@db.internal:3307/shop?ssl-mode=VERIFY_IDENTITY&charset=utf8mb4",
        )
        .expect("parse");
        assert_eq!(t.user, "app");
        assert_eq!(t.password(), Some("p@ss"));
        assert_eq!(t.database.as_deref(), Some("shop"));
        assert_eq!(t.endpoint, "db.internal:3307");
        assert_eq!(t.tls, TlsMode::VerifyFull);
        assert_eq!(t.ignored, vec!["charset".to_string()]);
        assert!(!format!("{t:?}").contains("p%40ss"));
        assert!(!t.redacted.contains("p%40ss"));
    }

    #[test]
    fn drizzle_users_tls_spellings() {
        let mode = |q: &str| parse(&format!("mysql://u@h/d?{q}")).map(|t| t.tls);
        assert_eq!(
            mode(r#"ssl={"rejectUnauthorized":true}"#),
            Ok(TlsMode::VerifyFull)
        );
        assert_eq!(
            mode("ssl=%7B%22rejectUnauthorized%22%3Afalse%7D"),
            Ok(TlsMode::Require)
        );
        assert_eq!(mode("ssl=Amazon%20RDS"), Ok(TlsMode::VerifyFull));
        assert_eq!(mode("ssl=false"), Ok(TlsMode::Disable));
        assert_eq!(mode("sslaccept=strict"), Ok(TlsMode::VerifyFull));
        assert_eq!(mode("sslaccept=accept_invalid_certs"), Ok(TlsMode::Require));
        assert_eq!(mode("sslmode=require"), Ok(TlsMode::Require));
        assert_eq!(mode("sslmode=Amazon%20RDS"), Ok(TlsMode::VerifyFull));
        assert_eq!(
            mode("sslmode=require&sslrootcert=/ca.pem"),
            Ok(TlsMode::VerifyCa)
        );
        assert_eq!(mode(""), Ok(TlsMode::Prefer));
        assert!(mode("ssl-mode=sometimes").is_err());
        assert!(mode("sslcert=/c.pem").is_err());
    }

    #[test]
    fn hosts_ports_and_sockets() {
        let t = parse("mysql://root@[::1]/x").expect("parse");
        assert_eq!(t.endpoint, "[::1]:3306");
        let t = parse("mariadb://root@/x?socket=%2Frun%2Fmysqld%2Fmysqld.sock").expect("parse");
        assert_eq!(t.endpoint, "/run/mysqld/mysqld.sock");
        let t = parse("mysql://root@h?connectTimeout=2500").expect("parse");
        assert_eq!(t.database, None);
        assert_eq!(t.connect_timeout, Duration::from_millis(2500));
        assert!(parse("postgres://h/d").is_err());
        assert!(parse("mysql://h:port/d").is_err());
    }
}
