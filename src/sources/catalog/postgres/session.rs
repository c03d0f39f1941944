//! One read-only session: simple-query protocol only (no named prepared statements, so
//! PgBouncer in transaction mode works), one JSON value per row, every query counted.

use super::connect::Canceller;
use super::errors;
use crate::diagnostic::Diagnostic;
use crate::shutdown;
use serde::de::DeserializeOwned;
use std::time::{Duration, Instant};
use tokio_postgres::{Client, SimpleQueryMessage};

/// One query the reader sent.
#[derive(Debug, Clone)]
pub struct QueryStat {
    /// What it read: `relations`, `columns`, `indexes`…
    pub label: &'static str,
    pub rows: usize,
    pub elapsed: Duration,
}

pub(super) struct Session {
    client: Client,
    canceller: Canceller,
    pub stats: Vec<QueryStat>,
    pub lock_timeout_ms: u64,
    pub statement_timeout_ms: u64,
    /// The last failure was a lock timeout (another session holds a lock).
    pub lock_timed_out: bool,
}

/// How long to wait for an answer on top of the server's own statement timeout before
/// deciding the network is gone.
const NETWORK_GRACE: Duration = Duration::from_secs(15);

impl Session {
    pub fn new(
        (client, canceller): (Client, Canceller),
        lock_timeout_ms: u64,
        statement_timeout_ms: u64,
    ) -> Self {
        Session {
            client,
            canceller,
            stats: Vec::new(),
            lock_timeout_ms,
            statement_timeout_ms,
            lock_timed_out: false,
        }
    }

    /// Run `sql`; every message the server sent, rows included.
    async fn messages(
        &mut self,
        label: &'static str,
        sql: &str,
    ) -> Result<Vec<SimpleQueryMessage>, String> {
        let started = Instant::now();
        let limit = Duration::from_millis(self.statement_timeout_ms) + NETWORK_GRACE;
        let query = async {
            if self.statement_timeout_ms == 0 {
                Ok(self.client.simple_query(sql).await)
            } else {
                tokio::time::timeout(limit, self.client.simple_query(sql)).await
            }
        };
        let answer = match shutdown::unless_stopped(query).await {
            Ok(answer) => answer,
            Err(reason) => {
                self.canceller.cancel().await;
                return Err(format!("reading {label}: stopped ({reason})"));
            }
        };
        let messages = match answer {
            Ok(Ok(messages)) => messages,
            Ok(Err(e)) => {
                self.lock_timed_out =
                    e.code() == Some(&tokio_postgres::error::SqlState::LOCK_NOT_AVAILABLE);
                return Err(errors::describe_query(
                    &e,
                    label,
                    self.lock_timeout_ms,
                    self.statement_timeout_ms,
                ));
            }
            Err(_) => {
                return Err(format!(
                    "reading {label}: no answer from the server after {} s",
                    limit.as_secs()
                ))
            }
        };
        self.stats.push(QueryStat {
            label,
            rows: messages
                .iter()
                .filter(|m| matches!(m, SimpleQueryMessage::Row(_)))
                .count(),
            elapsed: started.elapsed(),
        });
        Ok(messages)
    }

    /// Run a query whose rows are one JSON value each (an object, or an array read in
    /// field order) and decode them. A row that does not decode becomes a diagnostic; the
    /// others are kept.
    pub async fn json_rows<T: DeserializeOwned>(
        &mut self,
        label: &'static str,
        sql: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Vec<T>, String> {
        let messages = self.messages(label, sql).await?;
        let mut out = Vec::with_capacity(messages.len());
        let rows = messages.iter().filter_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(row),
            _ => None,
        });
        for (i, row) in rows.enumerate() {
            let Some(text) = row.get(0) else {
                diagnostics.push(Diagnostic::error(
                    format!("catalog query {label}"),
                    format!("row {} is NULL", i + 1),
                ));
                continue;
            };
            match serde_json::from_str(text) {
                Ok(v) => out.push(v),
                Err(e) => diagnostics.push(Diagnostic::error(
                    format!("catalog query {label}"),
                    format!("row {} cannot be read ({e}): {}", i + 1, excerpt(text)),
                )),
            }
        }
        Ok(out)
    }

    /// Send statements whose results do not matter (transaction control).
    pub async fn execute(&mut self, label: &'static str, sql: &str) -> Result<(), String> {
        self.messages(label, sql).await.map(|_| ())
    }
}

fn excerpt(text: &str) -> String {
    let mut s: String = text.chars().take(200).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

/// A SQL string literal. `E''` form so the text means the same whatever
/// `standard_conforming_strings` is.
pub(super) fn literal(s: &str) -> Result<String, String> {
    if s.contains('\0') {
        return Err(format!("{s:?} contains a NUL character"));
    }
    Ok(format!(
        "E'{}'",
        s.replace('\\', "\\\\").replace('\'', "''")
    ))
}

/// A quoted SQL identifier.
pub(super) fn ident(s: &str) -> Result<String, String> {
    if s.contains('\0') {
        return Err(format!("{s:?} contains a NUL character"));
    }
    Ok(format!("\"{}\"", s.replace('"', "\"\"")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_identifiers_are_escaped() {
        assert_eq!(
            literal("it's a \\ test").as_deref(),
            Ok("E'it''s a \\\\ test'")
        );
        assert_eq!(ident("we\"ird").as_deref(), Ok("\"we\"\"ird\""));
        assert!(literal("a\0b").is_err());
    }
}
