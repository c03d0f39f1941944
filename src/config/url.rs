//! Connection URLs built from `dbCredentials` parameters.

use super::Credentials;
use crate::model::Dialect;

impl Credentials {
    /// A connection URL: `url` as written, or one built from host/port/user/password/database
    /// with user, password and database percent-encoded. `ssl` becomes `sslmode`: `true`
    /// → `verify-full` (node-postgres, postgres.js and mysql2 verify the certificate unless
    /// told not to), `false` → `disable`, a mode name as written.
    /// A PostgreSQL host that is a socket folder (`/var/run/postgresql`) goes into the
    /// `host` query parameter, as libpq expects.
    pub fn to_url(&self, dialect: Dialect) -> String {
        let (host, port, user, password, database, ssl) = match self {
            Credentials::Url(url) => return url.clone(),
            Credentials::Params {
                host,
                port,
                user,
                password,
                database,
                ssl,
            } => (host, port, user, password, database, ssl),
        };
        let scheme = match dialect {
            Dialect::Postgresql => "postgresql",
            Dialect::Mysql => "mysql",
        };
        let mut url = format!("{scheme}://");
        if let Some(user) = user {
            url.push_str(&encode(user));
            if let Some(password) = password {
                url.push(':');
                url.push_str(&encode(password));
            }
            url.push('@');
        }
        let mut query = Vec::new();
        let socket = host.starts_with('/');
        if socket {
            query.push(format!("host={}", encode(host)));
        } else if host.contains(':') && !host.starts_with('[') {
            url.push_str(&format!("[{host}]"));
        } else {
            url.push_str(&encode_host(host));
        }
        if let Some(port) = port {
            if socket {
                query.push(format!("port={port}"));
            } else {
                url.push_str(&format!(":{port}"));
            }
        }
        url.push('/');
        url.push_str(&encode(database));
        if let Some(ssl) = ssl {
            let mode = match ssl.as_str() {
                "true" => "verify-full",
                "false" => "disable",
                other => other,
            };
            query.push(format!("sslmode={}", encode(mode)));
        }
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query.join("&"));
        }
        url
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Host names pass through; only characters that would end the authority are encoded.
fn encode_host(s: &str) -> String {
    if s.bytes()
        .any(|b| matches!(b, b'/' | b'?' | b'#' | b'@' | b' '))
    {
        encode(s)
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(host: &str, password: Option<&str>, ssl: Option<&str>) -> Credentials {
        Credentials::Params {
            host: host.to_string(),
            port: Some(5433),
            user: Some("app user".to_string()),
            password: password.map(str::to_string),
            database: "my/db".to_string(),
            ssl: ssl.map(str::to_string),
        }
    }

    #[test]
    fn builds_encoded_urls() {
        assert_eq!(
            params("db.internal", Some("p@ss:w/rd"), Some("true")).to_url(Dialect::Postgresql),
            "postgresql://app%20user:p%40ss%3Aw%2Frd@db.internal:5433/my%2Fdb?sslmode=verify-full"
        );
        assert_eq!(
            params("::1", None, None).to_url(Dialect::Mysql),
            "mysql://app%20user@[::1]:5433/my%2Fdb"
        );
        assert_eq!(
            params("/var/run/postgresql", None, Some("false")).to_url(Dialect::Postgresql),
            "postgresql://app%20user@/my%2Fdb?host=%2Fvar%2Frun%2Fpostgresql&port=5433&sslmode=disable"
        );
        assert_eq!(
            Credentials::Url("postgres://x@y/z".into()).to_url(Dialect::Postgresql),
            "postgres://x@y/z"
        );
    }
}
