//! `drizzle-drift check` end to end: real drizzle-kit fixtures, applied to a real
//! PostgreSQL the way drizzle-orm's migrator does, then changed by hand.

mod support;

use serde_json::Value;
use std::path::Path;
use support::cli::run;
use support::{
    apply_folder_migrations, apply_migrations, copy_dir, fixture as pg_fixture, PgServer, TestDb,
};

fn check_json(project: &Path, db: &TestDb) -> (i32, Value) {
    let (code, stdout, stderr) = run(project, Some(db.url()), &["check", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("check printed no JSON ({e}); exit {code}\nstdout: {stdout}\nstderr: {stderr}")
    });
    (code, report)
}

fn findings(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .expect("findings is a list")
        .iter()
        .collect()
}

/// `category object table.name field` of every finding, for readable assertions.
fn summary(report: &Value) -> Vec<String> {
    findings(report)
        .iter()
        .map(|f| {
            format!(
                "{} {} {}.{} {}",
                f["category"].as_str().unwrap_or("?"),
                f["object"].as_str().unwrap_or("?"),
                f["table"].as_str().unwrap_or("-"),
                f["name"].as_str().unwrap_or("?"),
                f["field"].as_str().unwrap_or("-"),
            )
        })
        .collect()
}

async fn migrated(server: &PgServer, fixture: &str, upto: Option<usize>) -> TestDb {
    let db = server.create_db().await;
    apply_migrations(
        &db,
        &pg_fixture(fixture).join("drizzle"),
        upto,
        "drizzle",
        "__drizzle_migrations",
    )
    .await
    .unwrap_or_else(|e| panic!("applying {fixture}: {e}"));
    db
}

async fn assert_in_sync(fixture: &str) {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = migrated(&server, fixture, None).await;
    let (code, report) = check_json(&pg_fixture(fixture), &db);
    assert_eq!(
        summary(&report),
        Vec::<String>::new(),
        "{fixture} in sync must report nothing:\n{report:#}"
    );
    assert_eq!(code, 0);
    let states: Vec<&str> = report["migrations"]
        .as_array()
        .expect("migrations")
        .iter()
        .map(|m| m["state"].as_str().unwrap_or("?"))
        .collect();
    assert!(
        states.iter().all(|s| *s == "applied"),
        "{fixture}: {states:?}"
    );
}

#[tokio::test]
async fn kitchen_in_sync_reports_nothing() {
    assert_in_sync("kitchen").await;
}

#[tokio::test]
async fn casing_in_sync_reports_nothing() {
    assert_in_sync("casing").await;
}

#[tokio::test]
async fn multischema_in_sync_reports_nothing() {
    assert_in_sync("multischema").await;
}

#[tokio::test]
async fn pending_in_sync_reports_nothing() {
    assert_in_sync("pending").await;
}

#[tokio::test]
async fn legacy_snapshots_in_sync_report_nothing() {
    assert_in_sync("legacy-v5").await;
    assert_in_sync("legacy-v6").await;
}

/// The drizzle-kit 1.0 folder layout, applied like the 1.0 migrator (by folder name).
async fn assert_v1_in_sync(fixture: &str) {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let dir = pg_fixture(fixture).join("drizzle");
    apply_folder_migrations(&db, &dir, None)
        .await
        .unwrap_or_else(|e| panic!("{fixture}: {e}"));
    // Our stand-in must write what the real 1.0 migrator wrote.
    let rows = db
        .client()
        .await
        .query(
            "select hash, created_at, name from drizzle.__drizzle_migrations order by id",
            &[],
        )
        .await
        .expect("rows");
    let real: Value = serde_json::from_str(
        &std::fs::read_to_string(pg_fixture(fixture).join("applied.json")).expect("applied.json"),
    )
    .expect("json");
    for (row, real) in rows.iter().zip(real.as_array().expect("list")) {
        assert_eq!(
            row.get::<_, String>(0),
            real["hash"].as_str().expect("hash")
        );
        assert_eq!(Some(row.get::<_, i64>(1)), real["created_at"].as_i64());
        assert_eq!(
            row.get::<_, String>(2),
            real["name"].as_str().expect("name")
        );
    }
    let (code, report) = check_json(&pg_fixture(fixture), &db);
    assert_eq!(
        summary(&report),
        Vec::<String>::new(),
        "{fixture} in sync must report nothing:\n{report:#}"
    );
    assert_eq!(code, 0);
}

#[tokio::test]
async fn v1_layouts_in_sync_report_nothing() {
    assert_v1_in_sync("v1-rc4").await;
    assert_v1_in_sync("v1-rc5").await;
    assert_v1_in_sync("v1-rc5-kitchen").await;
}

#[tokio::test]
async fn v1_pending_folder_is_pending() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    apply_folder_migrations(&db, &pg_fixture("v1-rc5").join("drizzle"), Some(2))
        .await
        .expect("apply");
    let (code, report) = check_json(&pg_fixture("v1-rc5"), &db);
    // The pending migration is also linted (its unique constraint on an existing table).
    let all: Vec<String> = summary(&report)
        .into_iter()
        .filter(|s| !s.starts_with("lint "))
        .collect();
    assert!(
        !all.is_empty() && all.iter().all(|s| s.starts_with("pending ")),
        "{all:#?}"
    );
    assert!(
        all.iter().any(|s| s == "pending table comments.comments -"),
        "{all:#?}"
    );
    assert_eq!(report["migrations"][2]["state"], "pending");
    assert_eq!(code, 0);
}

#[tokio::test]
async fn a_column_added_by_hand_is_drift() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = migrated(&server, "pending", None).await;
    db.execute("ALTER TABLE users ADD COLUMN nickname text")
        .await;
    let (code, report) = check_json(&pg_fixture("pending"), &db);
    assert_eq!(summary(&report), ["drift column users.nickname -"]);
    let f = findings(&report)[0];
    assert_eq!(f["snapshot"], Value::Bool(false));
    assert_eq!(f["live"], Value::Bool(true));
    assert_eq!(f["severity"], "error");
    assert!(f["message"]
        .as_str()
        .unwrap_or("")
        .contains("users.nickname exists in the database"));
    assert!(f["fix"]
        .as_str()
        .unwrap_or("")
        .contains(r#"ALTER TABLE "users" DROP COLUMN "nickname";"#));
    assert_eq!(code, 1);
}

#[tokio::test]
async fn an_unapplied_migration_is_pending_not_drift() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = migrated(&server, "pending", Some(2)).await;
    let (code, report) = check_json(&pg_fixture("pending"), &db);
    // The pending migration is linted too: posts exists, comments is new in it.
    let lint: Vec<&Value> = findings(&report)
        .into_iter()
        .filter(|f| f["category"] == "lint")
        .collect();
    assert!(
        lint.iter()
            .any(|f| f["rule"] == "drizzle-unique-without-index"
                && f["table"] == "posts"
                && f["location"]["file"] == "drizzle/0002_comments.sql"),
        "{lint:#?}"
    );
    assert!(lint.iter().all(|f| f["table"] != "comments"), "{lint:#?}");
    let all: Vec<String> = summary(&report)
        .into_iter()
        .filter(|s| !s.starts_with("lint "))
        .collect();
    assert!(
        all.iter().all(|s| s.starts_with("pending ")),
        "only pending findings: {all:#?}"
    );
    for expected in [
        "pending table comments.comments -",
        "pending column posts.slug -",
        "pending column posts.views -",
        "pending unique posts.posts_slug_unique -",
    ] {
        assert!(
            all.iter().any(|s| s == expected),
            "missing {expected} in {all:#?}"
        );
    }
    let states: Vec<(String, String)> = report["migrations"]
        .as_array()
        .expect("migrations")
        .iter()
        .map(|m| {
            (
                m["tag"].as_str().unwrap_or("").to_string(),
                m["state"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(states[2].1, "pending", "{states:?}");
    assert_eq!(states[0].1, "applied");
    // Pending findings are warnings: the default --fail-on error passes.
    assert_eq!(code, 0);
    let (code, _, _) = run(
        &pg_fixture("pending"),
        Some(db.url()),
        &["check", "--fail-on", "warning"],
    );
    assert_eq!(code, 1);
}

/// Each hand change is drift on exactly that object and field.
#[tokio::test]
async fn hand_changes_are_drift_on_exactly_that_field() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let cases: &[(&str, &str, &str)] = &[
        ("ALTER TABLE users ALTER COLUMN email TYPE varchar(320)", "pending", "drift column users.email type"),
        ("ALTER TABLE users ALTER COLUMN name DROP NOT NULL", "pending", "drift column users.name not_null"),
        ("ALTER TABLE posts ALTER COLUMN views SET DEFAULT 1", "pending", "drift column posts.views default"),
        ("DROP INDEX posts_author_id_idx", "pending", "drift index posts.posts_author_id_idx -"),
        (
            "ALTER TABLE comments DROP CONSTRAINT comments_post_id_posts_id_fk; ALTER TABLE comments ADD CONSTRAINT comments_post_id_posts_id_fk FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE restrict",
            "pending",
            "drift foreign_key comments.comments_post_id_posts_id_fk on_delete",
        ),
    ];
    for (sql, fixture, expected) in cases {
        let db = migrated(&server, fixture, None).await;
        db.execute(sql).await;
        let (code, report) = check_json(&pg_fixture(fixture), &db);
        assert_eq!(summary(&report), [*expected], "after {sql}");
        assert_eq!(code, 1, "after {sql}");
    }
}

/// Every drift fix is real SQL that removes the drift: after a hand change, run the
/// printed statements one by one (`CONCURRENTLY` cannot run inside a batch; removals
/// first) and check again: nothing is left.
#[tokio::test]
async fn drift_fixes_applied_to_the_database_remove_the_drift() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let cases: &[&str] = &[
        "ALTER TABLE users ADD COLUMN nickname text",
        "ALTER TABLE users DROP COLUMN bio",
        "ALTER TABLE users ALTER COLUMN email TYPE varchar(320)",
        "ALTER TABLE users ALTER COLUMN name DROP NOT NULL",
        "ALTER TABLE posts ALTER COLUMN views SET DEFAULT 1",
        "DROP INDEX posts_author_id_idx",
        "CREATE INDEX by_hand_idx ON posts (lower(title), views DESC)",
        "ALTER TABLE posts DROP CONSTRAINT posts_slug_unique",
        "ALTER TABLE comments DROP CONSTRAINT comments_post_id_posts_id_fk; ALTER TABLE comments ADD CONSTRAINT comments_post_id_posts_id_fk FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE restrict",
        "ALTER TABLE comments DROP CONSTRAINT comments_author_id_users_id_fk",
        "ALTER TABLE comments ADD CONSTRAINT comments_body_check CHECK (length(body) > 0)",
    ];
    for sql in cases {
        let db = migrated(&server, "pending", None).await;
        db.execute(sql).await;
        let (code, report) = check_json(&pg_fixture("pending"), &db);
        assert_eq!(code, 1, "after {sql}:\n{report:#}");
        let found = findings(&report);
        assert!(!found.is_empty(), "after {sql}: no drift");
        let mut removals = Vec::new();
        let mut others = Vec::new();
        for f in &found {
            assert_eq!(f["category"], "drift", "after {sql}:\n{report:#}");
            let statements: Vec<String> = f["fix"]
                .as_str()
                .unwrap_or("")
                .lines()
                .map(str::trim)
                .filter(|l| l.ends_with(';') && !l.starts_with("--"))
                .map(str::to_string)
                .collect();
            assert!(
                statements.iter().any(|s| !s.starts_with("SET ")),
                "after {sql}: no SQL in the fix of {f:#}"
            );
            if f["snapshot"] == Value::Bool(false) {
                removals.extend(statements);
            } else {
                others.extend(statements);
            }
        }
        removals.extend(others);
        for statement in &removals {
            db.execute(statement).await;
        }
        let (code, report) = check_json(&pg_fixture("pending"), &db);
        assert_eq!(
            summary(&report),
            Vec::<String>::new(),
            "after {sql} and the fix\n{}\n{report:#}",
            removals.join("\n")
        );
        assert_eq!(code, 0, "after {sql} and the fix");
    }
}

#[tokio::test]
async fn kitchen_hand_changes_are_drift() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = migrated(&server, "kitchen", None).await;
    let kitchen = pg_fixture("kitchen");
    let (_, report) = check_json(&kitchen, &db);
    assert_eq!(summary(&report), Vec::<String>::new());

    let snap: Value = serde_json::from_str(
        &std::fs::read_to_string(kitchen.join("drizzle/meta/0002_snapshot.json"))
            .expect("snapshot"),
    )
    .expect("json");
    // Pick real objects from the snapshot so the test follows the fixture.
    let (enum_key, enum_def) = snap["enums"]
        .as_object()
        .expect("enums")
        .iter()
        .next()
        .expect("an enum");
    let enum_name = enum_def["name"].as_str().expect("enum name");
    let enum_schema = enum_def["schema"].as_str().unwrap_or("public");
    let (check_table, check_name) = snap["tables"]
        .as_object()
        .expect("tables")
        .values()
        .find_map(|t| {
            let checks = t["checkConstraints"].as_object()?;
            let (name, _) = checks.iter().next()?;
            Some((t["name"].as_str()?.to_string(), name.clone()))
        })
        .expect("a check constraint");
    db.execute(&format!(
        "ALTER TYPE \"{enum_schema}\".\"{enum_name}\" ADD VALUE 'zzz_added_by_hand'"
    ))
    .await;
    db.execute(&format!(
        "ALTER TABLE \"{check_table}\" DROP CONSTRAINT \"{check_name}\""
    ))
    .await;
    db.execute("ALTER TABLE documents DISABLE ROW LEVEL SECURITY")
        .await;
    let (code, report) = check_json(&kitchen, &db);
    let mut all = summary(&report);
    all.sort();
    let mut expected = vec![
        format!("drift enum -.{enum_name} values"),
        format!("drift check {check_table}.{check_name} -"),
        "drift table documents.documents rls_enabled".to_string(),
    ];
    expected.sort();
    assert_eq!(all, expected, "enum {enum_key}");
    assert_eq!(code, 1);
}

#[tokio::test]
async fn a_non_default_migrations_table_is_read() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let fixture = pg_fixture("custom-table");
    apply_migrations(&db, &fixture.join("drizzle"), None, "ops", "my_migrations")
        .await
        .expect("apply");
    let (code, report) = check_json(&fixture, &db);
    assert_eq!(summary(&report), Vec::<String>::new());
    assert_eq!(code, 0);
    assert_eq!(report["sources"]["applied"], report["sources"]["latest"]);
}

#[tokio::test]
async fn an_edited_applied_migration_is_modified() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = migrated(&server, "pending", None).await;
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&pg_fixture("pending"), tmp.path());
    let sql = tmp.path().join("drizzle/0001_published_flag.sql");
    let sql = if sql.exists() {
        sql
    } else {
        std::fs::read_dir(tmp.path().join("drizzle"))
            .expect("dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .nth(1)
            .expect("a second migration")
    };
    let mut text = std::fs::read_to_string(&sql).expect("sql");
    text.push_str("\n-- edited after it was applied\n");
    std::fs::write(&sql, text).expect("write");
    let (code, report) = check_json(tmp.path(), &db);
    let all = summary(&report);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert!(all[0].starts_with("history migration -."), "{all:#?}");
    assert!(report["migrations"]
        .as_array()
        .expect("list")
        .iter()
        .any(|m| m["state"] == "modified"));
    assert_eq!(code, 1);
}

#[tokio::test]
async fn a_migration_older_than_the_newest_applied_is_skipped() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    // The deployed database had main's two migrations before the branch was merged.
    let db = migrated(&server, "skipped", Some(2)).await;
    let (code, report) = check_json(&pg_fixture("skipped"), &db);
    let migrations = report["migrations"].as_array().expect("list");
    assert_eq!(migrations[2]["state"], "skipped", "{migrations:#?}");
    let all = summary(&report);
    assert!(
        all.iter()
            .any(|s| s == "history migration -.0002_add_sku -"),
        "{all:#?}"
    );
    assert!(
        !all.iter().any(|s| s.starts_with("drift ")),
        "no drift: {all:#?}"
    );
    assert_eq!(code, 1);
}

#[tokio::test]
async fn a_snapshot_collision_is_history() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = migrated(&server, "collision", None).await;
    let (code, report) = check_json(&pg_fixture("collision"), &db);
    // Both branch migrations ran, so the database matches the merged schema; the defect
    // is the history, and the newest snapshot lacks the other branch's column.
    let all = summary(&report);
    assert!(all.iter().all(|s| s.starts_with("history ")), "{all:#?}");
    let messages: Vec<&str> = findings(&report)
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("were both generated from the snapshot of")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("users.avatar_url matches migration 0001_add_avatar")),
        "{messages:#?}"
    );
    assert_eq!(code, 1);
}

#[tokio::test]
async fn check_offline_reads_no_database() {
    let (code, stdout, stderr) = run(&pg_fixture("pending"), None, &["check", "--offline"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("offline"), "{stdout}");
}

#[tokio::test]
async fn an_unreachable_database_exits_2_without_the_password() {
    let (code, stdout, stderr) = run(
        &pg_fixture("pending"),
        Some("postgres://app:hunter2@127.0.0.1:1/app"),
        &["check"],
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("127.0.0.1:1"), "{stderr}");
    assert!(!stderr.contains("hunter2") && !stdout.contains("hunter2"));
}

#[tokio::test]
async fn a_missing_config_exits_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (code, _, stderr) = run(tmp.path(), None, &["check", "--offline"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("drizzle.config"), "{stderr}");
}

#[tokio::test]
async fn a_truncated_snapshot_is_reported_not_a_crash() {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&pg_fixture("pending"), tmp.path());
    let snap = tmp.path().join("drizzle/meta/0002_snapshot.json");
    let text = std::fs::read_to_string(&snap).expect("snapshot");
    std::fs::write(&snap, &text[..text.len() / 2]).expect("truncate");
    let (code, stdout, stderr) = run(tmp.path(), None, &["check", "--offline"]);
    assert!(code == 1 || code == 2, "exit {code}: {stdout}{stderr}");
    assert!(
        stdout.contains("0002_snapshot.json") || stderr.contains("0002_snapshot.json"),
        "{stdout}{stderr}"
    );
}

#[tokio::test]
async fn a_journal_entry_without_its_sql_is_history() {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&pg_fixture("pending"), tmp.path());
    let sql = std::fs::read_dir(tmp.path().join("drizzle"))
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("0001"))
        })
        .expect("0001 sql");
    std::fs::remove_file(&sql).expect("remove");
    let (code, stdout, _) = run(
        tmp.path(),
        None,
        &["check", "--offline", "--format", "json"],
    );
    let report: Value = serde_json::from_str(&stdout).expect("json");
    assert!(
        summary(&report)
            .iter()
            .any(|s| s.starts_with("history migration")),
        "{report:#}"
    );
    assert_eq!(code, 1);
}

#[tokio::test]
async fn a_locked_table_fails_fast_with_a_lock_message() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = migrated(&server, "pending", None).await;
    let db = &db;
    let lock = |table: &'static str| async move {
        let locker = db.client().await;
        locker
            .batch_execute(&format!(
                "BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"
            ))
            .await
            .expect("lock");
        locker
    };
    // The catalog is read without opening plain tables: a migration holding a lock on
    // one does not stop the check.
    let locker = lock("users").await;
    let (code, stdout, stderr) = run(&pg_fixture("pending"), Some(db.url()), &["check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    locker.batch_execute("ROLLBACK").await.expect("unlock");

    // A check constraint is deparsed by the server, which must open the table.
    db.execute("ALTER TABLE posts ADD CONSTRAINT posts_title_check CHECK (title <> '')")
        .await;
    let locker = lock("posts").await;
    let started = std::time::Instant::now();
    let (code, stdout, stderr) = run(&pg_fixture("pending"), Some(db.url()), &["check"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.to_lowercase().contains("lock"), "{stderr}");
    assert!(stderr.contains("posts"), "names the locked table: {stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    locker.batch_execute("ROLLBACK").await.expect("unlock");
}

#[tokio::test]
async fn a_wrong_password_exits_2_naming_the_user_not_the_password() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let role = format!("dd_pw_{}", std::process::id());
    db.execute(&format!("CREATE ROLE {role} LOGIN PASSWORD 'right-one'"))
        .await;
    let url = url_with_user(db.url(), &role, "wrong-one");
    let (code, stdout, stderr) = run(&pg_fixture("pending"), Some(&url), &["check"]);
    db.execute(&format!("DROP ROLE {role}")).await;
    if code == 0 && std::env::var_os("CI").is_none() {
        eprintln!("notice: this server does not check passwords (trust auth); skipping");
        return;
    }
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("password authentication failed") || stderr.contains(&role),
        "{stderr}"
    );
    assert!(
        !stderr.contains("wrong-one") && !stdout.contains("wrong-one"),
        "{stderr}"
    );
}

/// `postgres://user:pw@host/db` with another user and password.
fn url_with_user(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://{user}:{password}@{host}")
}

#[tokio::test]
async fn a_broken_snapshot_chain_is_history() {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&pg_fixture("pending"), tmp.path());
    let snap = tmp.path().join("drizzle/meta/0002_snapshot.json");
    let mut json: Value =
        serde_json::from_str(&std::fs::read_to_string(&snap).expect("read")).expect("json");
    json["prevId"] = Value::String("6a2c6a1e-0000-4000-8000-000000000000".into());
    std::fs::write(&snap, serde_json::to_string_pretty(&json).expect("encode")).expect("write");
    let (code, stdout, _) = run(
        tmp.path(),
        None,
        &["check", "--offline", "--format", "json"],
    );
    let report: Value = serde_json::from_str(&stdout).expect("json");
    let history: Vec<&Value> = findings(&report)
        .into_iter()
        .filter(|f| f["category"] == "history")
        .collect();
    assert_eq!(history.len(), 1, "{report:#}");
    assert_eq!(history[0]["name"], "0002_comments");
    assert_eq!(code, 1);
}
