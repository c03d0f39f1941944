//! Turn mysql_async errors into messages that name the cause and what to do. Nothing here
//! may print a password: messages are built from the server's text, the endpoint and the
//! user name only.

use super::connect::Target;
use mysql_async::{DriverError, Error, IoError};
use std::error::Error as _;

/// Server error codes (MySQL and MariaDB share them).
pub(super) mod code {
    pub const DBACCESS_DENIED: u16 = 1044;
    pub const ACCESS_DENIED: u16 = 1045;
    pub const BAD_DB: u16 = 1049;
    pub const CON_COUNT: u16 = 1040;
    pub const HOST_NOT_PRIVILEGED: u16 = 1130;
    pub const TABLEACCESS_DENIED: u16 = 1142;
    pub const SPECIFIC_ACCESS_DENIED: u16 = 1227;
    pub const LOCK_WAIT_TIMEOUT: u16 = 1205;
    /// MariaDB `max_statement_time` exceeded.
    pub const STATEMENT_TIMEOUT: u16 = 1969;
    /// MySQL `max_execution_time` exceeded.
    pub const QUERY_TIMEOUT: u16 = 3024;
    pub const SECURE_TRANSPORT_REQUIRED: u16 = 3159;
}

/// The error and its causes, `: `-separated.
fn chain(e: &Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

fn io_error(e: &Error) -> Option<&std::io::Error> {
    match e {
        Error::Io(IoError::Io(io)) => Some(io),
        _ => None,
    }
}

/// The server does not offer TLS at all.
pub(super) fn is_tls_unavailable(e: &Error) -> bool {
    matches!(e, Error::Driver(DriverError::NoClientSslFlagFromServer))
}

/// The TLS handshake itself failed.
pub(super) fn is_tls_failure(e: &Error) -> bool {
    match e {
        Error::Io(IoError::Tls(_)) => true,
        Error::Io(IoError::Io(io)) => io
            .get_ref()
            .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some()),
        _ => false,
    }
}

pub(super) fn describe_connect(e: &Error, target: &Target) -> String {
    let at = &target.endpoint;
    if let Error::Server(server) = e {
        return match server.code {
            code::ACCESS_DENIED => format!(
                "authentication failed for user \"{}\" at {at}: {}",
                target.user, server.message
            ),
            code::BAD_DB => format!(
                "database \"{}\" does not exist at {at}",
                target.database.as_deref().unwrap_or_default()
            ),
            code::DBACCESS_DENIED => format!(
                "user \"{}\" may not open database \"{}\" at {at}: {}",
                target.user,
                target.database.as_deref().unwrap_or_default(),
                server.message
            ),
            code::HOST_NOT_PRIVILEGED => format!(
                "the server at {at} does not accept connections from this host: {}",
                server.message
            ),
            code::CON_COUNT => format!(
                "the server at {at} has no free connection: {}",
                server.message
            ),
            code::SECURE_TRANSPORT_REQUIRED => format!(
                "the server at {at} requires TLS: remove ssl-mode=disabled (or use ssl-mode=required): {}",
                server.message
            ),
            _ => format!(
                "the server at {at} refused the connection: {} (error {}, SQLSTATE {})",
                server.message, server.code, server.state
            ),
        };
    }
    if is_tls_unavailable(e) {
        return format!(
            "the server at {at} does not support TLS but ssl-mode={} requires it",
            target.tls.as_str()
        );
    }
    if is_tls_failure(e) {
        let detail = chain(e);
        return if detail.contains("certificate") || detail.contains("Certificate") {
            format!(
                "TLS certificate verification failed for {at} (ssl-mode={}): {detail}",
                target.tls.as_str()
            )
        } else {
            format!("TLS failed with {at}: {detail}")
        };
    }
    if let Some(io) = io_error(e) {
        use std::io::ErrorKind;
        return match io.kind() {
            ErrorKind::ConnectionRefused => {
                format!("connection refused at {at}: is MySQL/MariaDB running and listening there?")
            }
            ErrorKind::TimedOut => format!(
                "timed out after {} s connecting to {at}",
                target.connect_timeout.as_secs()
            ),
            ErrorKind::NotFound if at.starts_with('/') => {
                format!("no MySQL socket at {at}")
            }
            _ if io.to_string().contains("lookup") || io.to_string().contains("resolve") => {
                format!("cannot resolve the host name in {at}: {io}")
            }
            _ => format!("cannot connect to {at}: {io}"),
        };
    }
    format!("cannot connect to {at}: {}", chain(e))
}

/// What a failed query meant; `label` names the query (`columns`, `indexes`…).
pub(super) fn describe_query(
    e: &Error,
    label: &str,
    lock_timeout_ms: u64,
    statement_timeout_ms: u64,
) -> String {
    if let Error::Server(server) = e {
        return match server.code {
            code::LOCK_WAIT_TIMEOUT => format!(
                "reading {label} waited more than {} s for a lock held by another session ({}); a migration or another long transaction is probably holding it — retry when it ends",
                lock_timeout_ms.div_ceil(1000),
                server.message
            ),
            code::STATEMENT_TIMEOUT | code::QUERY_TIMEOUT => format!(
                "reading {label} took longer than the statement timeout of {statement_timeout_ms} ms ({})",
                server.message
            ),
            code::TABLEACCESS_DENIED | code::SPECIFIC_ACCESS_DENIED | code::DBACCESS_DENIED => {
                format!("reading {label}: permission denied: {}", server.message)
            }
            _ => format!(
                "reading {label} failed: {} (error {}, SQLSTATE {})",
                server.message, server.code, server.state
            ),
        };
    }
    if matches!(e, Error::Driver(DriverError::ConnectionClosed)) || io_error(e).is_some() {
        return format!(
            "the server closed the connection while reading {label}: {}",
            chain(e)
        );
    }
    format!("reading {label} failed: {}", chain(e))
}

/// Whether the error is a lock wait timeout (another session holds a metadata lock).
pub(super) fn is_lock_timeout(e: &Error) -> bool {
    matches!(e, Error::Server(s) if s.code == code::LOCK_WAIT_TIMEOUT)
}

/// Replace every occurrence of the password by `***` (long enough passwords only: a
/// short one would garble the message and cannot be told from ordinary words).
pub(super) fn scrub(message: &str, password: Option<&str>) -> String {
    match password {
        Some(p) if p.chars().count() >= 4 => message.replace(p, "***"),
        _ => message.to_string(),
    }
}
