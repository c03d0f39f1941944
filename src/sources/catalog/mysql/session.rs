//! One read-only session: text protocol only (`COM_QUERY`, never a server-side prepared
//! statement), rows as lists of optional strings, every query counted.

use super::errors;
use crate::shutdown;
use crate::sources::catalog::postgres::QueryStat;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts, Row, Value};
use std::time::{Duration, Instant};

/// One row, read by position.
#[derive(Debug)]
pub(super) struct Fields(Vec<Option<String>>);

impl Fields {
    /// The value at `i`; `None` for SQL NULL (or a missing field).
    pub fn opt(&self, i: usize) -> Option<&str> {
        self.0.get(i).and_then(|v| v.as_deref())
    }

    /// The value at `i`, empty for NULL.
    pub fn text(&self, i: usize) -> &str {
        self.opt(i).unwrap_or_default()
    }

    pub fn owned(&self, i: usize) -> String {
        self.text(i).to_string()
    }

    /// The value at `i`, moved out (empty for NULL); the field reads as NULL afterwards.
    pub fn take(&mut self, i: usize) -> String {
        self.take_opt(i).unwrap_or_default()
    }

    pub fn take_opt(&mut self, i: usize) -> Option<String> {
        self.0.get_mut(i).and_then(Option::take)
    }
}

pub(super) struct Session {
    conn: Option<Conn>,
    pub stats: Vec<QueryStat>,
    pub lock_timeout_ms: u64,
    pub statement_timeout_ms: u64,
    /// The last failure was a lock wait timeout (another session holds a metadata lock).
    pub lock_timed_out: bool,
}

/// How long to wait for an answer on top of the server's own statement timeout before
/// deciding the network is gone.
const NETWORK_GRACE: Duration = Duration::from_secs(15);

impl Session {
    pub fn new(conn: Conn, lock_timeout_ms: u64, statement_timeout_ms: u64) -> Self {
        Session {
            conn: Some(conn),
            stats: Vec::new(),
            lock_timeout_ms,
            statement_timeout_ms,
            lock_timed_out: false,
        }
    }

    /// Run `sql` (one statement or several separated by `;`); the rows of its first result.
    pub async fn rows(&mut self, label: &'static str, sql: &str) -> Result<Vec<Fields>, String> {
        let started = Instant::now();
        let conn = self
            .conn
            .as_mut()
            .ok_or_else(|| format!("reading {label}: the connection is already closed"))?;
        let limit = Duration::from_millis(self.statement_timeout_ms) + NETWORK_GRACE;
        let (id, opts) = (conn.id(), conn.opts().clone());
        let query = async {
            let query = conn.query::<Row, _>(sql);
            if self.statement_timeout_ms == 0 {
                Ok(query.await)
            } else {
                tokio::time::timeout(limit, query).await
            }
        };
        let answer = match shutdown::unless_stopped(query).await {
            Ok(answer) => answer,
            Err(reason) => {
                self.kill(id, opts).await;
                return Err(format!("reading {label}: stopped ({reason})"));
            }
        };
        let rows = match answer {
            Ok(Ok(rows)) => rows,
            Ok(Err(e)) => {
                self.lock_timed_out = errors::is_lock_timeout(&e);
                return Err(errors::describe_query(
                    &e,
                    label,
                    self.lock_timeout_ms,
                    self.statement_timeout_ms,
                ));
            }
            Err(_) => {
                // The connection is in an unknown state: never reuse it.
                self.conn = None;
                return Err(format!(
                    "reading {label}: no answer from the server after {} s",
                    limit.as_secs()
                ));
            }
        };
        let out: Vec<Fields> = rows
            .into_iter()
            .map(|row| Fields(row.unwrap().into_iter().map(text).collect()))
            .collect();
        self.stats.push(QueryStat {
            label,
            rows: out.len(),
            elapsed: started.elapsed(),
        });
        Ok(out)
    }

    /// Send statements whose results do not matter (settings, transaction control).
    pub async fn execute(&mut self, label: &'static str, sql: &str) -> Result<(), String> {
        self.rows(label, sql).await.map(|_| ())
    }

    /// End the connection on the server, from a new one: a query waiting for a metadata
    /// lock notices a closed socket only about a second later. (`KILL` of one's own
    /// connection needs no privilege.)
    async fn kill(&mut self, id: u32, opts: Opts) {
        let conn = self.conn.take();
        if let Ok(mut killer) = Conn::new(opts).await {
            let _ = killer.query_drop(format!("KILL CONNECTION {id}")).await;
            let _ = killer.disconnect().await;
        }
        drop(conn);
    }

    /// Close the connection politely (`COM_QUIT`).
    pub async fn close(&mut self) {
        if let Some(conn) = self.conn.take() {
            let _ = tokio::time::timeout(Duration::from_secs(2), conn.disconnect()).await;
        }
    }
}

/// A text-protocol value as text (the server sends every value as bytes there).
fn text(value: Value) -> Option<String> {
    match value {
        Value::NULL => None,
        Value::Bytes(bytes) => Some(match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }),
        Value::Int(n) => Some(n.to_string()),
        Value::UInt(n) => Some(n.to_string()),
        Value::Float(n) => Some(n.to_string()),
        Value::Double(n) => Some(n.to_string()),
        other => Some(other.as_sql(true).trim_matches('\'').to_string()),
    }
}

/// A quoted SQL identifier.
pub(super) fn ident(s: &str) -> Result<String, String> {
    if s.contains('\0') {
        return Err(format!("{s:?} contains a NUL character"));
    }
    Ok(format!("`{}`", s.replace('`', "``")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_escaped() {
        assert_eq!(ident("we`ird").as_deref(), Ok("`we``ird`"));
        assert!(ident("a\0b").is_err());
    }
}
