//! A `drizzle-kit push` project (no migrations folder): `check` compares the TypeScript
//! schema with the database directly. The database is made from push.sql, drizzle-kit's
//! own SQL for the fixture's schema (see regenerate.sh).

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use support::mysql::MysqlServer;
use support::{copy_dir, PgServer};

fn check(project: &Path, url: &str, format: &str) -> (i32, String) {
    let out = Command::cargo_bin("drizzle-drift")
        .expect("binary is built")
        .current_dir(project)
        .args(["check", "--format", format])
        .env("DATABASE_URL", url)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.code().is_some(),
        "killed; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), stdout)
}

fn check_json(project: &Path, url: &str) -> Value {
    let (code, stdout) = check(project, url, "json");
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}), exit {code}:\n{stdout}"))
}

fn findings(report: &Value) -> Vec<Value> {
    report["findings"].as_array().expect("findings").clone()
}

fn push_sql(fixture: &Path) -> String {
    std::fs::read_to_string(fixture.join("push.sql"))
        .expect("push.sql (tests/fixtures/regenerate.sh push)")
        .replace("--> statement-breakpoint", "")
}

/// The fixture's schema with one more column in the `posts` table.
fn with_extra_ts_column(project: &Path, column: &str) {
    let schema = project.join("src/schema.ts");
    let text = std::fs::read_to_string(&schema).expect("schema.ts");
    let marker = "  published: boolean(\"published\").notNull().default(false),\n";
    assert!(text.contains(marker), "the fixture's posts table changed");
    let edited = text.replace(marker, &format!("{marker}{column}\n"));
    std::fs::write(&schema, edited).expect("write schema.ts");
}

fn assert_declared_not_in_database(report: &Value, column: &str) {
    let found = findings(report);
    assert_eq!(found.len(), 1, "{report:#}");
    let f = &found[0];
    assert_eq!(f["category"], "drift");
    assert_eq!(f["object"], "column");
    assert_eq!(f["name"], column);
    assert_eq!(f["ts"], true);
    assert_eq!(f["live"], false);
    assert_eq!(f["snapshot"], Value::Null);
    let message = f["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("is declared in the schema but not in the database"),
        "{message}"
    );
    assert!(
        f["fix"]
            .as_str()
            .unwrap_or_default()
            .contains("drizzle-kit push"),
        "{f:#}"
    );
}

fn assert_in_database_not_in_schema(report: &Value, column: &str) {
    let found = findings(report);
    assert_eq!(found.len(), 1, "{report:#}");
    let f = &found[0];
    assert_eq!(f["category"], "drift");
    assert_eq!(f["name"], column);
    assert_eq!(f["ts"], false);
    assert_eq!(f["live"], true);
    assert_eq!(f["snapshot"], Value::Null);
    let message = f["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("exists in the database but not in the schema (push would drop it)"),
        "{message}"
    );
}

#[tokio::test]
async fn pg_push_project_compares_schema_with_database() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let fixture = support::fixture("push");
    assert!(
        !fixture.join("drizzle").exists(),
        "a push project has no migrations"
    );
    let db = server.create_db().await;
    db.execute(&push_sql(&fixture)).await;

    let report = check_json(&fixture, db.url());
    assert_eq!(findings(&report), Vec::<Value>::new(), "{report:#}");
    assert_eq!(report["sources"]["push"], true);
    let (code, text) = check(&fixture, db.url(), "text");
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("no migrations in drizzle: comparing schema ↔ database directly"),
        "{text}"
    );

    // A column added to the schema and never pushed.
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture, tmp.path());
    with_extra_ts_column(tmp.path(), "  slug: text(\"slug\"),");
    assert_declared_not_in_database(&check_json(tmp.path(), db.url()), "slug");

    // A column added to the database by hand.
    db.execute("ALTER TABLE posts ADD COLUMN views integer")
        .await;
    let report = check_json(&fixture, db.url());
    assert_in_database_not_in_schema(&report, "views");
    let (code, text) = check(&fixture, db.url(), "text");
    assert_ne!(code, 0, "{text}");

    // An attribute: both values named.
    db.execute(
        "ALTER TABLE posts DROP COLUMN views; ALTER TABLE posts ALTER COLUMN title DROP NOT NULL",
    )
    .await;
    let report = check_json(&fixture, db.url());
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0]["field"], "not_null");
    assert_eq!(
        found[0]["message"],
        "posts.title: NOT NULL is false in the database but true in the schema"
    );
}

#[tokio::test]
async fn mysql_push_project_compares_schema_with_database() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let fixture = support::mysql::fixture("push");
    let db = server.create_db().await;
    db.execute(&push_sql(&fixture)).await;

    let report = check_json(&fixture, db.url());
    assert_eq!(findings(&report), Vec::<Value>::new(), "{report:#}");

    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture, tmp.path());
    with_extra_ts_column(tmp.path(), "  slug: varchar(\"slug\", { length: 100 }),");
    assert_declared_not_in_database(&check_json(tmp.path(), db.url()), "slug");

    db.execute("ALTER TABLE posts ADD COLUMN views int").await;
    assert_in_database_not_in_schema(&check_json(&fixture, db.url()), "views");
}

/// Without a schema to compare (the config names none), the database is still compared
/// with the empty history, and a note says why.
#[tokio::test]
async fn pg_no_migrations_and_no_schema_says_why() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let fixture = support::fixture("push");
    let db = server.create_db().await;
    db.execute(&push_sql(&fixture)).await;
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture, tmp.path());
    let config = tmp.path().join("drizzle.config.ts");
    let text = std::fs::read_to_string(&config).expect("config");
    let edited = text.replace("  schema: \"./src/schema.ts\",\n", "");
    assert_ne!(edited, text, "the fixture's config changed");
    std::fs::write(&config, edited).expect("write config");
    let report = check_json(tmp.path(), db.url());
    let notes = report["diagnostics"].to_string();
    assert!(
        notes.contains("compared with an empty history"),
        "{report:#}"
    );
}

fn why_json(project: &Path, url: &str, error: &str) -> Value {
    let out = Command::cargo_bin("drizzle-drift")
        .expect("binary is built")
        .current_dir(project)
        .args(["why", error, "--format", "json"])
        .env("DATABASE_URL", url)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "why printed no JSON ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `why` in a push project: a column declared but never pushed is drift along push's
/// arrow, not "generate was not run".
#[tokio::test]
async fn pg_why_in_push_project() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let fixture = support::fixture("push");
    let db = server.create_db().await;
    db.execute(&push_sql(&fixture)).await;
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture, tmp.path());
    with_extra_ts_column(tmp.path(), "  slug: text(\"slug\"),");

    let e = why_json(tmp.path(), db.url(), "column \"slug\" does not exist");
    assert_eq!(e["verdict"], "drift", "{e:#}");
    assert_eq!(e["push"], true);
    let message = e["message"].as_str().unwrap_or_default();
    assert!(message.contains("the schema was not pushed"), "{message}");
    assert!(
        e["fix"]
            .as_str()
            .unwrap_or_default()
            .contains("drizzle-kit push"),
        "{e:#}"
    );

    let e = why_json(tmp.path(), db.url(), "column \"title\" does not exist");
    assert_eq!(e["verdict"], "in_sync", "{e:#}");
    let message = e["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("agrees with the TS schema (the project has no migrations)"),
        "{message}"
    );
}
