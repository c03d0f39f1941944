//! Turn tokio-postgres errors into messages that name the cause and what to do.
//! Nothing here may print a password: messages are built from the server's text, the
//! host list and the user name only.

use super::connect::{ConnectError, Target, TlsMode};
use std::error::Error as _;
use tokio_postgres::error::SqlState;

/// `error connecting to server: Connection refused (os error 111)`: the error and its causes.
fn chain(e: &tokio_postgres::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

fn io_error(e: &tokio_postgres::Error) -> Option<&std::io::Error> {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        source = s.source();
    }
    None
}

fn is_tls_error(e: &tokio_postgres::Error) -> bool {
    e.to_string().contains("TLS")
}

pub(super) fn is_tls_failure(e: &ConnectError) -> bool {
    matches!(e, ConnectError::Postgres(e) if is_tls_error(e))
}

pub(super) fn describe_connect(e: &tokio_postgres::Error, target: &Target) -> String {
    let at = &target.endpoints;
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        return if *code == SqlState::INVALID_PASSWORD {
            format!(
                "authentication failed for user \"{}\" at {at}: {}",
                target.user,
                db.message()
            )
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            format!("database \"{}\" does not exist at {at}", target.dbname)
        } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            let hint = if db.message().contains("no encryption") && target.tls == TlsMode::Disable {
                " (the server requires TLS: remove sslmode=disable or use sslmode=require)"
            } else {
                ""
            };
            format!(
                "the server at {at} refused the connection: {}{hint}",
                db.message()
            )
        } else if *code == SqlState::TOO_MANY_CONNECTIONS {
            format!(
                "the server at {at} has no free connection: {}",
                db.message()
            )
        } else if *code == SqlState::CANNOT_CONNECT_NOW {
            format!(
                "the server at {at} is not accepting connections yet: {}",
                db.message()
            )
        } else {
            format!(
                "the server at {at} refused the connection: {} (SQLSTATE {})",
                db.message(),
                code.code()
            )
        };
    }
    if is_tls_error(e) {
        let detail = chain(e);
        return if detail.contains("server does not support TLS") {
            format!(
                "the server at {at} does not support TLS but sslmode={} requires it",
                target.tls.as_str()
            )
        } else if detail.contains("certificate") || detail.contains("Certificate") {
            format!(
                "TLS certificate verification failed for {at} (sslmode={}): {}",
                target.tls.as_str(),
                strip_prefix(&detail)
            )
        } else {
            format!("TLS failed with {at}: {}", strip_prefix(&detail))
        };
    }
    if let Some(io) = io_error(e) {
        use std::io::ErrorKind;
        return match io.kind() {
            ErrorKind::ConnectionRefused => {
                format!("connection refused at {at}: is PostgreSQL running and listening there?")
            }
            ErrorKind::TimedOut => format!(
                "timed out after {} s connecting to {at}",
                target.connect_timeout.as_secs()
            ),
            ErrorKind::NotFound if at.contains(".s.PGSQL.") => {
                format!("no PostgreSQL socket at {at}")
            }
            _ if io.to_string().contains("lookup address") => {
                format!("cannot resolve the host name in {at}: {io}")
            }
            _ => format!("cannot connect to {at}: {io}"),
        };
    }
    let detail = chain(e);
    if detail.contains("password missing") {
        return format!(
            "the server at {at} asks user \"{}\" for a password and none was given",
            target.user
        );
    }
    if detail.contains("timeout waiting for server") {
        return format!(
            "timed out after {} s connecting to {at}",
            target.connect_timeout.as_secs()
        );
    }
    format!("cannot connect to {at}: {detail}")
}

/// Drop tokio-postgres' own prefix, keep the causes.
fn strip_prefix(detail: &str) -> &str {
    detail
        .strip_prefix("error performing TLS handshake: ")
        .unwrap_or(detail)
}

/// What a failed query meant; `label` names the query (`columns`, `indexes`…).
pub(super) fn describe_query(
    e: &tokio_postgres::Error,
    label: &str,
    lock_timeout_ms: u64,
    statement_timeout_ms: u64,
) -> String {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if *code == SqlState::LOCK_NOT_AVAILABLE {
            return format!(
                "reading {label} waited more than {lock_timeout_ms} ms for a lock held by another session ({}); a migration or another long transaction is probably holding it — retry when it ends",
                db.message()
            );
        }
        if *code == SqlState::QUERY_CANCELED && db.message().contains("statement timeout") {
            return format!(
                "reading {label} took longer than the statement timeout of {statement_timeout_ms} ms ({})",
                db.message()
            );
        }
        if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            return format!("reading {label}: permission denied: {}", db.message());
        }
        return format!(
            "reading {label} failed: {} (SQLSTATE {})",
            db.message(),
            code.code()
        );
    }
    if e.is_closed() {
        return format!("the server closed the connection while reading {label}");
    }
    format!("reading {label} failed: {}", chain(e))
}

/// Replace every occurrence of the password by `***` (long enough passwords only: a
/// short one would garble the message and cannot be told from ordinary words).
pub(super) fn scrub(message: &str, password: Option<&str>) -> String {
    match password {
        Some(p) if p.chars().count() >= 4 => message.replace(p, "***"),
        _ => message.to_string(),
    }
}
