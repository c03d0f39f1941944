//! Stopping while work is in flight: `check` and the explorer, their catalog read waiting
//! for a lock another session holds, end within a second of SIGINT, SIGTERM, SIGHUP or
//! their terminal closing, and their connections to the server end with them
//! (`pg_stat_activity`, MariaDB's `PROCESSLIST`), as when the explorer quits. A command
//! stuck where it cannot notice exits when the grace is over, or at once on a second
//! signal.

mod support;
mod tui_support;

use mysql_async::prelude::Queryable;
use rustix::process::{kill_process, Pid, Signal};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::mysql::{self as my, MysqlDb, MysqlServer};
use support::{PgServer, TestDb};
use tui_support::pty::{until, wait_gone, Pty, Stop, WAIT};

const SECOND: Duration = Duration::from_secs(1);

fn runtime() -> tokio::runtime::Runtime {
    // A worker keeps the lock holder's connection going while the test waits.
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

/// The tool's connections to the test database: how many, and how many wait for a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sessions {
    open: i64,
    waiting: i64,
}

/// A migrated database with a lock held on it that the tool's catalog read waits for.
trait Locked {
    fn project(&self) -> PathBuf;
    fn url(&self) -> &str;
    fn sessions(&self) -> Sessions;
}

struct PgLocked {
    rt: tokio::runtime::Runtime,
    db: TestDb,
    _locker: tokio_postgres::Client,
    probe: tokio_postgres::Client,
}

impl PgLocked {
    fn new(server: &PgServer) -> PgLocked {
        let rt = runtime();
        let (db, locker, probe) = rt.block_on(async {
            let db = server.create_db().await;
            support::apply_migrations(
                &db,
                &support::fixture("pending").join("drizzle"),
                None,
                "drizzle",
                "__drizzle_migrations",
            )
            .await
            .expect("apply");
            // The server deparses a check constraint by opening its table: the catalog
            // read waits for the lock.
            db.execute("ALTER TABLE posts ADD CONSTRAINT posts_title_check CHECK (title <> '')")
                .await;
            let locker = db.client().await;
            locker
                .batch_execute("BEGIN; LOCK TABLE posts IN ACCESS EXCLUSIVE MODE")
                .await
                .expect("lock");
            (db, locker, support::pg::connect(server.admin_url()).await)
        });
        PgLocked {
            rt,
            db,
            _locker: locker,
            probe,
        }
    }
}

impl Locked for PgLocked {
    fn project(&self) -> PathBuf {
        support::fixture("pending")
    }

    fn url(&self) -> &str {
        self.db.url()
    }

    fn sessions(&self) -> Sessions {
        let row = self
            .rt
            .block_on(self.probe.query_one(
                "SELECT count(*), count(*) FILTER (WHERE wait_event_type = 'Lock') \
                 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'drizzle-drift'",
                &[&self.db.name()],
            ))
            .expect("pg_stat_activity");
        Sessions {
            open: row.get(0),
            waiting: row.get(1),
        }
    }
}

struct MyLocked {
    rt: tokio::runtime::Runtime,
    db: MysqlDb,
    locker: Option<mysql_async::Conn>,
    probe: std::sync::Mutex<mysql_async::Conn>,
}

impl Drop for MyLocked {
    fn drop(&mut self) {
        // Before the database is dropped, which would wait for the lock.
        if let Some(locker) = self.locker.take() {
            let _ = self.rt.block_on(locker.disconnect());
        }
    }
}

impl MyLocked {
    fn new(server: &MysqlServer) -> MyLocked {
        let rt = runtime();
        let (db, locker, probe) = rt.block_on(async {
            let db = server.create_db().await;
            my::apply_migrations(
                &db,
                &my::fixture("pending").join("drizzle"),
                None,
                "__drizzle_migrations",
            )
            .await
            .expect("apply");
            // A migration in progress: it holds the migrations table.
            let mut locker = db.conn().await;
            locker
                .query_drop("LOCK TABLES `__drizzle_migrations` WRITE")
                .await
                .expect("lock");
            (db, locker, my::connect(server.admin_url()).await)
        });
        MyLocked {
            rt,
            db,
            locker: Some(locker),
            probe: std::sync::Mutex::new(probe),
        }
    }
}

impl Locked for MyLocked {
    fn project(&self) -> PathBuf {
        my::fixture("pending")
    }

    fn url(&self) -> &str {
        self.db.url()
    }

    fn sessions(&self) -> Sessions {
        let locker = self.locker.as_ref().map_or(0, |c| c.id());
        let sql = format!(
            "SELECT count(*), CAST(coalesce(sum(state = 'Waiting for table metadata lock'), 0) \
             AS SIGNED) FROM information_schema.PROCESSLIST WHERE db = '{}' AND id <> {locker}",
            self.db.name()
        );
        let mut probe = self.probe.lock().expect("probe");
        let (open, waiting): (i64, i64) = self
            .rt
            .block_on(probe.query_first(sql))
            .expect("PROCESSLIST")
            .expect("a row");
        Sessions { open, waiting }
    }
}

/// Wait until the tool's catalog read waits for the lock.
fn until_blocked(lock: &dyn Locked) {
    until(WAIT, "the catalog read waits for the lock", || {
        lock.sessions().waiting == 1
    });
}

/// After the stop sent at `sent`: the tool's connections are gone within a second of it.
fn assert_connections_close(lock: &dyn Locked, sent: Instant, what: &str) -> Duration {
    until(SECOND, &format!("{what}: its connections close"), || {
        lock.sessions().open == 0
    });
    let closed = sent.elapsed();
    assert!(
        closed <= SECOND,
        "{what}: connections closed after {closed:?}"
    );
    closed
}

fn check(project: &Path, url: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_drizzle-drift"))
        .arg("check")
        .current_dir(project)
        .env_remove("DRIZZLE_DRIFT_URL")
        .env("DATABASE_URL", url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn check")
}

fn kill(child: &Child, signal: Signal) {
    kill_process(Pid::from_child(child), signal).expect("kill");
}

/// `check` waiting for the lock stops on SIGINT and SIGTERM.
fn check_stops(db: &str, lock: &dyn Locked) {
    for (signal, code) in [(Signal::INT, 130), (Signal::TERM, 143)] {
        let what = format!(
            "{db} check, SIG{}",
            if code == 130 { "INT" } else { "TERM" }
        );
        let mut child = check(&lock.project(), lock.url());
        until_blocked(lock);
        let sent = Instant::now();
        kill(&child, signal);
        let exit = wait_gone(&mut child, SECOND);
        let exited = sent.elapsed();
        assert_eq!(exit, Some(code), "{what}: exit code");
        let closed = assert_connections_close(lock, sent, &what);
        eprintln!("{what}: exited after {exited:?}, connections closed after {closed:?}");
    }
}

/// The explorer, its live load waiting for the lock, stops each way.
fn explorer_stops(db: &str, lock: &dyn Locked) {
    for stop in Stop::ALL {
        let what = format!("{db} explorer loading, {stop:?}");
        let project = lock.project();
        let mut t = Pty::spawn_in(
            Some(&project),
            &[],
            120,
            40,
            &[("DATABASE_URL", lock.url())],
        );
        until_blocked(lock);
        let sent = Instant::now();
        stop.send(&mut t);
        let (code, _) = t.wait_gone(SECOND);
        let exited = sent.elapsed();
        assert_eq!(code, stop.exit_code(), "{what}: exit code");
        let closed = assert_connections_close(lock, sent, &what);
        eprintln!("{what}: exited after {exited:?}, connections closed after {closed:?}");
        if stop.terminal_stays() {
            t.assert_restored();
        }
    }
    // Quitting does not leave the query behind either.
    let what = format!("{db} explorer loading, q");
    let project = lock.project();
    let mut t = Pty::spawn_in(
        Some(&project),
        &[],
        120,
        40,
        &[("DATABASE_URL", lock.url())],
    );
    until_blocked(lock);
    let sent = Instant::now();
    t.send("q");
    let (code, _) = t.wait_gone(SECOND);
    assert_eq!(code, 0, "{what}: exit code");
    let closed = assert_connections_close(lock, sent, &what);
    eprintln!("{what}: connections closed after {closed:?}");
    t.assert_restored();
}

#[test]
fn postgres_check_waiting_for_a_lock_stops_and_disconnects() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    check_stops("PostgreSQL", &PgLocked::new(&server));
}

#[test]
fn postgres_explorer_waiting_for_a_lock_stops_and_disconnects() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    explorer_stops("PostgreSQL", &PgLocked::new(&server));
}

#[test]
fn mariadb_check_waiting_for_a_lock_stops_and_disconnects() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    check_stops("MariaDB", &MyLocked::new(&server));
}

#[test]
fn mariadb_explorer_waiting_for_a_lock_stops_and_disconnects() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    explorer_stops("MariaDB", &MyLocked::new(&server));
}

/// `check --ts-engine node` with a `node` that never answers: the command waits for it
/// on its own thread, where no stop request is seen.
fn stuck_check(dir: &Path) -> (Child, i32) {
    let pid_file = dir.join("node.pid");
    let _ = std::fs::remove_file(&pid_file);
    let node = dir.join("node");
    std::fs::write(
        &node,
        format!(
            "#!/bin/sh\necho $$ > '{0}.tmp' && mv '{0}.tmp' '{0}'\nexec sleep 30\n",
            pid_file.display()
        ),
    )
    .expect("script");
    std::fs::set_permissions(&node, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let child = Command::new(env!("CARGO_BIN_EXE_drizzle-drift"))
        .args(["check", "--offline", "--ts-engine", "node"])
        .current_dir(support::fixture("pending"))
        .env("PATH", path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn check");
    until(WAIT, "node runs", || pid_file.exists());
    let pid = std::fs::read_to_string(&pid_file).expect("pid");
    (child, pid.trim().parse().expect("a pid"))
}

#[test]
fn a_command_that_cannot_notice_exits_after_the_grace_or_at_a_second_signal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let end_node = |pid: i32| {
        if let Some(pid) = Pid::from_raw(pid) {
            let _ = kill_process(pid, Signal::KILL);
        }
    };

    let (mut child, node) = stuck_check(dir.path());
    let sent = Instant::now();
    kill(&child, Signal::TERM);
    let exit = wait_gone(&mut child, SECOND);
    let exited = sent.elapsed();
    end_node(node);
    eprintln!("stuck check, SIGTERM: exited after {exited:?}");
    assert_eq!(exit, Some(143));
    assert!(
        exited >= Duration::from_millis(400),
        "it had the grace to wind down: {exited:?}"
    );

    let (mut child, node) = stuck_check(dir.path());
    kill(&child, Signal::TERM);
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        child.try_wait().expect("wait").is_none(),
        "still winding down"
    );
    let again = Instant::now();
    kill(&child, Signal::INT);
    let exit = wait_gone(&mut child, SECOND);
    let exited = again.elapsed();
    end_node(node);
    eprintln!("stuck check, a second signal: exited after {exited:?}");
    // The first signal's code.
    assert_eq!(exit, Some(143));
    assert!(
        exited < Duration::from_millis(250),
        "the second signal ends it at once: {exited:?}"
    );
}
