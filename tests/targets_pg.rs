//! `check` over several PostgreSQL databases: a fleet of tenant databases made from one
//! template (`CREATE DATABASE … TEMPLATE`), a few changed by hand, one behind, one that
//! cannot be reached.

mod support;

use serde_json::Value;
use std::path::Path;
use support::cli::run;
use support::pg::{connect, describe, with_database};
use support::{apply_migrations, copy_dir, fixture, PgServer};

/// Databases made by the test from a template; dropped (`WITH (FORCE)`) on drop.
struct Tenants {
    admin_url: String,
    names: Vec<String>,
}

impl Tenants {
    fn url(&self, i: usize) -> String {
        with_database(&self.admin_url, &self.names[i])
    }
}

impl Drop for Tenants {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let names = self.names.clone();
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let (client, connection) =
                    tokio_postgres::connect(&admin_url, tokio_postgres::NoTls)
                        .await
                        .ok()?;
                tokio::spawn(connection);
                for n in names {
                    let _ = client
                        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{n}\" WITH (FORCE)"))
                        .await;
                }
                Some(())
            })
        })
        .join();
    }
}

/// `count` databases copied from `template` (no session may be connected to it: the
/// migrator's connection may take a moment to go away, so this retries).
async fn from_template(server: &PgServer, template: &str, count: usize) -> Tenants {
    let admin = connect(server.admin_url()).await;
    let mut tenants = Tenants {
        admin_url: server.admin_url().to_string(),
        names: Vec::new(),
    };
    for i in 0..count {
        let name = format!("{template}_tenant_{i:02}");
        let sql = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        let mut tries = 0;
        loop {
            match admin.batch_execute(&sql).await {
                Ok(()) => break,
                Err(e) if tries < 50 && describe(&e).starts_with("55006") => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("{sql}: {}", describe(&e)),
            }
        }
        tenants.names.push(name);
    }
    tenants
}

async fn exec(url: &str, sql: &str) {
    connect(url)
        .await
        .batch_execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {}", describe(&e)));
}

fn json(project: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run(project, None, &all);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("check printed no JSON ({e}); exit {code}\nstdout: {stdout}\nstderr: {stderr}")
    });
    (code, report, stderr)
}

/// `target category object table.name` of each finding made on a database.
fn target_findings(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| !f["target"].is_null())
        .map(|f| {
            format!(
                "{} {} {} {}.{}",
                f["target"].as_str().unwrap_or("?"),
                f["category"].as_str().unwrap_or("?"),
                f["object"].as_str().unwrap_or("?"),
                f["table"].as_str().unwrap_or("-"),
                f["name"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_fleet_from_one_template_reports_only_the_changed_tenants() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let template = server.create_db().await;
    apply_migrations(
        &template,
        &fixture("pending").join("drizzle"),
        None,
        "drizzle",
        "__drizzle_migrations",
    )
    .await
    .expect("migrate the template");
    let tenants = from_template(&server, template.name(), 10).await;
    // By hand: a column on two tenants, an index dropped on a third.
    exec(
        &tenants.url(3),
        "ALTER TABLE users ADD COLUMN nickname text",
    )
    .await;
    exec(
        &tenants.url(7),
        "ALTER TABLE users ADD COLUMN nickname text",
    )
    .await;
    exec(&tenants.url(5), "DROP INDEX posts_author_id_idx").await;
    let behind = server.create_db().await;
    apply_migrations(
        &behind,
        &fixture("pending").join("drizzle"),
        Some(2),
        "drizzle",
        "__drizzle_migrations",
    )
    .await
    .expect("migrate the one behind");

    // The tenants by a --targets file: named, and bare URLs with the password from .env.
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("pending"), dir.path());
    let password_free = |i: usize| tenants.url(i).replacen(":postgres@", ":${TENANT_PW}@", 1);
    assert!(
        password_free(0).contains("${TENANT_PW}"),
        "{}",
        password_free(0)
    );
    let mut file = String::from("# tenants\n");
    for i in 0..10usize {
        if i.is_multiple_of(2) {
            file.push_str(&format!("tenant_{i:02} {}\n", password_free(i)));
        } else {
            file.push_str(&format!("{}   # bare\n", password_free(i)));
        }
    }
    std::fs::write(dir.path().join("targets.txt"), file).expect("write targets");
    std::fs::write(dir.path().join(".env"), "TENANT_PW=postgres\n").expect("write .env");
    let bare = |i: usize| {
        format!(
            "127.0.0.1:{}/{}",
            port(server.admin_url()),
            tenants.names[i]
        )
    };
    let behind_flag = format!("behind={}", behind.url());
    let args = [
        "--targets",
        "targets.txt",
        "--target",
        &behind_flag,
        "--target",
        "gone=postgres://postgres:secret@127.0.0.1:1/nothing",
        "--jobs",
        "4",
    ];
    let (code, report, stderr) = json(dir.path(), &args);
    assert_eq!(code, 2, "a target could not be read: exit 2\n{stderr}");
    let text = report.to_string();
    assert!(
        !text.contains("secret") && !text.contains(":postgres@"),
        "no password: {text}"
    );

    let targets = report["targets"].as_array().expect("targets");
    assert_eq!(targets.len(), 12);
    let name = |i: usize| {
        if i.is_multiple_of(2) {
            format!("tenant_{i:02}")
        } else {
            bare(i)
        }
    };
    let by_name = |n: &str| {
        targets
            .iter()
            .find(|t| t["name"] == n)
            .unwrap_or_else(|| panic!("no target {n}: {targets:#?}"))
    };
    // --target flags first, then the file's lines in order.
    let order: Vec<String> = ["behind".to_string(), "gone".to_string()]
        .into_iter()
        .chain((0..10).map(name))
        .collect();
    let listed: Vec<&str> = targets
        .iter()
        .map(|t| t["name"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(listed, order);
    let gone = by_name("gone");
    assert_eq!(gone["state"], "unreachable", "{gone:#}");
    assert!(gone["error"].as_str().is_some_and(|e| !e.is_empty()));
    assert_eq!(gone["url"], "postgres://postgres:***@127.0.0.1:1/nothing");
    for t in targets.iter().filter(|t| t["name"] != "gone") {
        assert_eq!(t["state"], "ok", "{t:#}");
        assert_eq!(t["role"], "primary", "{t:#}");
        assert!(t["server"]
            .as_str()
            .unwrap_or("")
            .starts_with("PostgreSQL "));
        assert!(t["url"].as_str().unwrap_or("").contains(":***@"), "{t:#}");
    }
    assert_eq!(by_name("tenant_00")["applied"], "0002_comments");
    assert_eq!(by_name(&name(1))["pending"], serde_json::json!([]));
    let behind_info = by_name("behind");
    assert_eq!(behind_info["applied"], "0001_published_flag");
    assert_eq!(behind_info["pending"], serde_json::json!(["0002_comments"]));

    // Exactly the changed tenants (and the one behind) have findings.
    let found = target_findings(&report);
    let changed: std::collections::BTreeSet<String> = found
        .iter()
        .map(|f| f.split(' ').next().unwrap_or_default().to_string())
        .collect();
    let expected: std::collections::BTreeSet<String> =
        [name(3), name(5), name(7), "behind".to_string()]
            .into_iter()
            .collect();
    assert_eq!(changed, expected, "{found:#?}");
    assert!(
        found.contains(&format!("{} drift column users.nickname", name(3))),
        "{found:#?}"
    );
    assert!(
        found.contains(&format!("{} drift column users.nickname", name(7))),
        "{found:#?}"
    );
    assert!(
        found.contains(&format!(
            "{} drift index posts.posts_author_id_idx",
            name(5)
        )),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .filter(|f| f.starts_with("behind "))
            .all(|f| f.starts_with("behind pending ") || f.starts_with("behind lint ")),
        "{found:#?}"
    );
    assert!(
        found.contains(&"behind pending table comments.comments".to_string()),
        "{found:#?}"
    );

    // The rest share one fingerprint; the two with the same change share another.
    let groups: Vec<Vec<String>> = report["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            g["targets"]
                .as_array()
                .expect("group targets")
                .iter()
                .map(|n| n.as_str().unwrap_or("?").to_string())
                .collect()
        })
        .collect();
    let same: Vec<String> = [0, 1, 2, 4, 6, 8, 9].into_iter().map(name).collect();
    assert_eq!(
        groups,
        vec![
            vec!["behind".to_string()],
            same,
            vec![name(3), name(7)],
            vec![name(5)]
        ],
    );
    for g in report["groups"].as_array().expect("groups") {
        assert_eq!(g["fingerprint"].as_str().map(str::len), Some(64));
    }

    // The text report: the fleet in one line, each change once.
    let mut text_args = vec!["check"];
    text_args.extend_from_slice(&args);
    let (code, stdout, _) = run(dir.path(), None, &text_args);
    assert_eq!(code, 2);
    let overview = stdout
        .lines()
        .find(|l| l.starts_with("targets: "))
        .unwrap_or_else(|| panic!("no targets line:\n{stdout}"));
    assert_eq!(
        overview,
        format!(
            "targets: behind at 0001_published_flag (pending 1) · 7 identical (in sync at 0002_comments) · 2 differ: {}, {} has users.nickname · 1 differs: {} lacks index posts_author_id_idx on posts · 1 unreachable: gone",
            name(3),
            name(7),
            name(5)
        ),
        "{stdout}"
    );
    assert_eq!(
        stdout
            .matches("users.nickname exists in the database")
            .count(),
        1,
        "a group's finding is shown once:\n{stdout}"
    );
    assert!(
        stdout.contains("gone (postgres://postgres:***@127.0.0.1:1/nothing): unreachable — "),
        "{stdout}"
    );

    // Markdown: a row per target.
    let mut md_args = vec!["check", "--format", "markdown"];
    md_args.extend_from_slice(&args);
    let (_, md, _) = run(dir.path(), None, &md_args);
    assert!(
        md.contains("| target | state | server | role | lag | applied | pending | findings |"),
        "{md}"
    );
    assert!(md.contains("| behind | ok | PostgreSQL "), "{md}");
    assert!(
        md.lines().any(|l| l.starts_with("| gone | unreachable: ")),
        "{md}"
    );
}

#[tokio::test]
async fn one_target_per_flag_keeps_findings_per_target_and_exit_1() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let staging = server.create_db().await;
    let production = server.create_db().await;
    // Staging one migration behind: its pending migration is linted too, with the
    // lint settings read from the drizzle-drift.toml that names the targets.
    for (db, upto) in [(&staging, Some(2)), (&production, None)] {
        apply_migrations(
            db,
            &fixture("pending").join("drizzle"),
            upto,
            "drizzle",
            "__drizzle_migrations",
        )
        .await
        .expect("migrate");
    }
    production
        .execute("ALTER TABLE posts ADD COLUMN legacy_flag boolean")
        .await;
    // [targets] in drizzle-drift.toml, with ${VAR} from the environment.
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("pending"), dir.path());
    std::fs::write(
        dir.path().join("drizzle-drift.toml"),
        format!(
            "[targets]\nstaging = \"{}\"\nproduction = \"${{PROD_URL}}\"\n",
            staging.url()
        ),
    )
    .expect("toml");
    std::fs::write(
        dir.path().join(".env"),
        format!("PROD_URL={}\n", production.url()),
    )
    .expect(".env");
    let (code, report, stderr) = json(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}\n{report:#}");
    let names: Vec<&str> = report["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|t| t["name"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(names, ["staging", "production"]);
    let found = target_findings(&report);
    let production_findings: Vec<&String> = found
        .iter()
        .filter(|f| f.starts_with("production "))
        .collect();
    assert_eq!(
        production_findings,
        ["production drift column posts.legacy_flag"]
    );
    assert!(
        found.contains(&"staging pending table comments.comments".to_string()),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|f| f.starts_with("staging lint ")),
        "{found:#?}"
    );
    assert!(
        found.iter().all(|f| f.starts_with("production ")
            || f.starts_with("staging pending ")
            || f.starts_with("staging lint ")),
        "{found:#?}"
    );
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report:#}");

    // --url is still the one database: no targets, no target fields.
    let (code, stdout, _) = run(
        dir.path(),
        None,
        &["check", "--format", "json", "--url", production.url()],
    );
    assert_eq!(code, 1, "{stdout}");
    let single: Value = serde_json::from_str(&stdout).expect("json");
    assert!(single.get("targets").is_none() && single.get("groups").is_none());
}

fn port(url: &str) -> String {
    let after = url.rsplit_once('@').map_or(url, |(_, h)| h);
    let host = after.split('/').next().unwrap_or_default();
    host.rsplit_once(':')
        .map(|(_, p)| p.to_string())
        .unwrap_or_default()
}

/// The streaming replica `scripts/lib/servers.sh` starts of the test server.
const REPLICA_ENV: &str = "DRIZZLE_DRIFT_TEST_PG_REPLICA";

/// Wait until `sql` (one text value) returns `want` on the replica. Generous: under the
/// whole suite the replica replays every other test's CREATE/DROP DATABASE first.
async fn replica_sees(url: &str, sql: &str, want: &str) {
    for _ in 0..1800 {
        if let Ok((client, connection)) = tokio_postgres::connect(url, tokio_postgres::NoTls).await
        {
            tokio::spawn(connection);
            if let Ok(rows) = client.simple_query(sql).await {
                let got = rows.iter().find_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                    _ => None,
                });
                if got.as_deref() == Some(want) {
                    return;
                }
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the replica never answered {want} to {sql}");
}

/// Resumes replay when dropped, so a failed assertion does not leave the replica paused.
struct Paused(String);

impl Drop for Paused {
    fn drop(&mut self) {
        let url = self.0.clone();
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                    .await
                    .ok()?;
                tokio::spawn(connection);
                client
                    .batch_execute("SELECT pg_wal_replay_resume()")
                    .await
                    .ok()
            })
        })
        .join();
    }
}

#[tokio::test]
async fn a_paused_replica_is_lagging_with_the_new_migration_pending_there_only() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let Some(replica_admin) = std::env::var(REPLICA_ENV).ok().filter(|u| !u.is_empty()) else {
        // Under CI a replica that did not start is a failure, unless turned off on purpose.
        let off = std::env::var("DRIZZLE_DRIFT_REPLICA").is_ok_and(|v| v == "0");
        assert!(
            std::env::var_os("CI").is_none() || off,
            "{REPLICA_ENV} is not set under CI: scripts/test.sh could not start the streaming replica"
        );
        eprintln!("notice: {REPLICA_ENV} is not set; skipping the replica test");
        return;
    };
    let db = server.create_db().await;
    let dir = fixture("pending").join("drizzle");
    apply_migrations(&db, &dir, Some(2), "drizzle", "__drizzle_migrations")
        .await
        .expect("migrate the primary");
    let replica_url = with_database(&replica_admin, db.name());
    let count = "SELECT count(*)::text FROM drizzle.__drizzle_migrations";
    // The first two migrations arrive on the replica.
    replica_sees(&replica_url, count, "2").await;

    exec(&replica_admin, "SELECT pg_wal_replay_pause()").await;
    let paused = Paused(replica_admin.clone());
    replica_sees(
        &replica_admin,
        "SELECT pg_is_wal_replay_paused()::text",
        "true",
    )
    .await;
    apply_migrations(&db, &dir, None, "drizzle", "__drizzle_migrations")
        .await
        .expect("the third migration on the primary");
    // WAL received and not replayed; the lag counts from the last transaction replayed.
    replica_sees(
        &replica_admin,
        "SELECT (pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn())::text",
        "true",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let project = fixture("pending");
    let primary_flag = format!("primary={}", db.url());
    let replica_flag = format!("replica={replica_url}");
    let (code, report, stderr) = json(
        &project,
        &["--target", &primary_flag, "--target", &replica_flag],
    );
    drop(paused);
    assert_eq!(code, 0, "pending is a warning: {stderr}\n{report:#}");
    let targets = report["targets"].as_array().expect("targets");
    assert_eq!(targets[0]["role"], "primary");
    assert_eq!(targets[0]["applied"], "0002_comments");
    assert_eq!(targets[0]["lag_seconds"], Value::Null);
    assert_eq!(targets[1]["role"], "replica", "{:#}", targets[1]);
    assert_eq!(targets[1]["replay_paused"], true);
    assert!(
        targets[1]["lag_seconds"].as_f64().is_some_and(|l| l >= 1.0),
        "{:#}",
        targets[1]
    );
    assert_eq!(targets[1]["applied"], "0001_published_flag");
    assert_eq!(targets[1]["pending"], serde_json::json!(["0002_comments"]));
    let found = target_findings(&report);
    assert!(
        found.iter().all(|f| f.starts_with("replica ")),
        "{found:#?}"
    );
    assert!(
        found.contains(&"replica pending table comments.comments".to_string()),
        "{found:#?}"
    );
    assert!(
        found.contains(&"replica pending column posts.slug".to_string()),
        "the new column is missing on the replica only: {found:#?}"
    );
}

#[tokio::test]
async fn why_names_the_targets_missing_the_object_and_why_there() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let dir = fixture("pending").join("drizzle");
    let current = server.create_db().await;
    let behind = server.create_db().await;
    let by_hand = server.create_db().await;
    for (db, upto) in [(&current, None), (&behind, Some(2)), (&by_hand, None)] {
        apply_migrations(db, &dir, upto, "drizzle", "__drizzle_migrations")
            .await
            .expect("migrate");
    }
    by_hand.execute("ALTER TABLE posts DROP COLUMN slug").await;
    let flags: Vec<String> = [
        ("current", &current),
        ("behind", &behind),
        ("by_hand", &by_hand),
    ]
    .iter()
    .map(|(n, db)| format!("{n}={}", db.url()))
    .collect();
    let mut args = vec![
        "why",
        "ERROR: column \"slug\" does not exist",
        "--format",
        "json",
    ];
    for f in &flags {
        args.extend(["--target", f.as_str()]);
    }
    let (code, stdout, stderr) = run(&fixture("pending"), None, &args);
    let v: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    assert_eq!(code, 1, "{v:#}");
    let groups: Vec<String> = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            format!(
                "{} {} {}",
                g["targets"][0].as_str().unwrap_or("?"),
                g["explanation"]["live"]["present"],
                g["explanation"]["verdict"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            "current true in_sync",
            "behind false pending",
            "by_hand false drift"
        ],
        "{v:#}"
    );
    args.retain(|a| *a != "--format" && *a != "json");
    let (_, text, _) = run(&fixture("pending"), None, &args);
    assert!(
        text.starts_with("column posts.slug: missing on 2 of 3 targets"),
        "{text}"
    );
    assert!(text.contains("behind: missing — pending"), "{text}");
    assert!(text.contains("by_hand: missing — drift"), "{text}");
}
