//! After a lock timeout: name the sessions holding exclusive locks, so the message says
//! who to wait for. Only pids, application names and states are shown, never query text
//! (it may hold secrets).

use super::session::Session;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Holder {
    relation: String,
    mode: String,
    pid: i32,
    application: Option<String>,
    state: Option<String>,
    seconds: Option<f64>,
}

pub(super) async fn explain(session: &mut Session, message: String) -> String {
    if session
        .execute("rollback after lock timeout", "ROLLBACK")
        .await
        .is_err()
    {
        return message;
    }
    let sql = "SELECT json_build_object('relation', l.relation::regclass::text, 'mode', l.mode, \
                 'pid', l.pid, 'application', a.application_name, 'state', a.state, \
                 'seconds', extract(epoch FROM now() - a.xact_start)::float8) \
               FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid \
               WHERE l.locktype = 'relation' AND l.granted \
                 AND l.mode IN ('AccessExclusiveLock', 'ExclusiveLock') \
                 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
                 AND l.pid <> pg_backend_pid() \
               ORDER BY a.xact_start NULLS LAST LIMIT 5";
    let mut ignored = Vec::new();
    let holders: Vec<Holder> = match session.json_rows("lock holders", sql, &mut ignored).await {
        Ok(h) => h,
        Err(_) => return message,
    };
    if holders.is_empty() {
        return message;
    }
    let list: Vec<String> = holders
        .iter()
        .map(|h| {
            let mut about = Vec::new();
            if let Some(app) = h.application.as_deref().filter(|a| !a.is_empty()) {
                about.push(app.to_string());
            }
            if let Some(state) = h.state.as_deref().filter(|s| !s.is_empty()) {
                about.push(state.to_string());
            }
            if let Some(secs) = h.seconds {
                about.push(format!("transaction open for {secs:.0} s"));
            }
            let mut s = format!("{} {} held by pid {}", h.relation, h.mode, h.pid);
            if !about.is_empty() {
                s.push_str(&format!(" ({})", about.join(", ")));
            }
            s
        })
        .collect();
    format!("{message}. Locks held now: {}", list.join("; "))
}
