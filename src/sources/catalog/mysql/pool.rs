//! The extra connections the independent catalog queries run on at the same time.
//! MariaDB's `information_schema` is no consistent snapshot even inside one transaction,
//! so reading it from several sessions loses nothing; each is set up like the first one
//! (same timeouts, `READ ONLY` transaction).

use super::connect::{self, Target};
use super::session::Session;
use crate::sources::catalog::postgres::QueryStat;
use std::time::Instant;

/// How many connections besides the first: one per slow query (indexes, foreign key
/// columns, checks), the first reads the columns meanwhile.
pub(super) const EXTRA: usize = 3;

/// [`EXTRA`] sessions with `start` sent on each, or none when any of them cannot be
/// opened (a `max_user_connections` limit…): the reader then sends every query on the
/// first connection. The stat covers connecting and `start` on all of them.
pub(super) async fn open(
    target: &Target,
    start: &str,
    lock_timeout_ms: u64,
    statement_timeout_ms: u64,
) -> (Vec<Session>, QueryStat) {
    let started = Instant::now();
    let one = || open_one(target, start, lock_timeout_ms, statement_timeout_ms);
    let (a, b, c) = tokio::join!(one(), one(), one());
    let mut opened: Vec<Session> = [a, b, c].into_iter().flatten().collect();
    if opened.len() < EXTRA {
        close(&mut opened).await;
        opened.clear();
    }
    let stat = QueryStat {
        label: "parallel sessions",
        rows: opened.len(),
        elapsed: started.elapsed(),
    };
    (opened, stat)
}

/// The stat of not opening any (one connection per database asked for).
pub(super) fn none() -> QueryStat {
    QueryStat {
        label: "parallel sessions",
        rows: 0,
        elapsed: std::time::Duration::ZERO,
    }
}

async fn open_one(
    target: &Target,
    start: &str,
    lock_timeout_ms: u64,
    statement_timeout_ms: u64,
) -> Option<Session> {
    let conn = connect::connect(target).await.ok()?;
    let mut session = Session::new(conn, lock_timeout_ms, statement_timeout_ms);
    if session.execute("transaction start", start).await.is_err() {
        session.close().await;
        return None;
    }
    session.stats.clear();
    Some(session)
}

/// Close all at once; leaving ends their read-only transactions.
pub(super) async fn close(sessions: &mut [Session]) {
    match sessions {
        [a, b, c] => {
            tokio::join!(a.close(), b.close(), c.close());
        }
        others => {
            for session in others {
                session.close().await;
            }
        }
    }
}
