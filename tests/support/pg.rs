//! Throwaway databases on the server named by `DRIZZLE_DRIFT_TEST_PG`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio_postgres::{Client, NoTls};

pub const ENV: &str = "DRIZZLE_DRIFT_TEST_PG";

/// The test server: its admin URL (a database tests may connect to in order to create
/// and drop their own).
#[derive(Debug, Clone)]
pub struct PgServer {
    admin_url: String,
}

impl PgServer {
    /// The server from `DRIZZLE_DRIFT_TEST_PG`. When the variable is missing: fails the
    /// test if `CI` is set, otherwise prints a notice and returns `None` (skip).
    pub fn from_env() -> Option<PgServer> {
        match std::env::var(ENV) {
            Ok(url) if !url.trim().is_empty() => Some(PgServer {
                admin_url: url.trim().to_string(),
            }),
            _ => {
                if std::env::var_os("CI").is_some() {
                    panic!("{ENV} must name a PostgreSQL server when CI is set");
                }
                eprintln!("notice: {ENV} is not set; skipping this PostgreSQL test");
                None
            }
        }
    }

    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// Create `dd_t_<pid>_<counter>_<nanos>`; it is dropped when the value is dropped.
    pub async fn create_db(&self) -> TestDb {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "dd_t_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            nanos
        );
        let admin = connect(&self.admin_url).await;
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {}", describe(&e)));
        TestDb {
            url: with_database(&self.admin_url, &name),
            admin_url: self.admin_url.clone(),
            name,
        }
    }
}

/// A database created for one test, dropped (`WITH (FORCE)`) on drop.
#[derive(Debug)]
pub struct TestDb {
    name: String,
    url: String,
    admin_url: String,
}

impl TestDb {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Connection URL of this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new connection (its task runs on the current runtime).
    pub async fn client(&self) -> Client {
        connect(&self.url).await
    }

    /// Run a batch of statements (simple query protocol); panics with the server's message.
    pub async fn execute(&self, sql: &str) {
        self.client()
            .await
            .batch_execute(sql)
            .await
            .unwrap_or_else(|e| panic!("in {}: {}\n--- SQL ---\n{sql}", self.name, describe(&e)));
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Drop cannot await and may run inside a runtime: use a thread with its own.
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let (client, connection) = tokio_postgres::connect(&admin_url, NoTls)
                    .await
                    .map_err(|e| describe(&e))?;
                tokio::spawn(connection);
                client
                    .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .map_err(|e| describe(&e))
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("warning: could not drop test database {}: {e}", self.name);
        }
    }
}

pub async fn connect(url: &str) -> Client {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .unwrap_or_else(|e| panic!("connect to the test server: {}", describe(&e)));
    tokio::spawn(connection);
    client
}

/// The server's message when there is one (tokio-postgres' Display says only "db error").
pub fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => format!("{e:?}"),
    }
}

/// `url` with its database replaced by `db` (URL or `key=value` form).
pub fn with_database(url: &str, db: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return format!("{url} dbname={db}");
    };
    let rest = scheme_end + 3;
    let query_at = url[rest..].find('?').map_or(url.len(), |i| rest + i);
    let path_at = url[rest..query_at].find('/').map_or(query_at, |i| rest + i);
    format!("{}/{db}{}", &url[..path_at], &url[query_at..])
}
