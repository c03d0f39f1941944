//! `drizzle-drift why` against PostgreSQL: each error form, in each situation (ungenerated,
//! pending, drift, dropped, in sync but failing elsewhere, nowhere), live, with a captured
//! catalog and offline. Fixtures are the real drizzle-kit ones; databases are throwaway.

mod support;

use serde_json::Value;
use support::cli::{hints, run, why};
use support::{apply_migrations, copy_dir, fixture, PgServer, TestDb};

async fn migrated(server: &PgServer, name: &str, upto: Option<usize>) -> TestDb {
    let db = server.create_db().await;
    apply_migrations(
        &db,
        &fixture(name).join("drizzle"),
        upto,
        "drizzle",
        "__drizzle_migrations",
    )
    .await
    .unwrap_or_else(|e| panic!("applying {name}: {e}"));
    db
}

fn object(v: &Value) -> String {
    let o = &v["object"];
    format!(
        "{} {}.{}.{}",
        o["kind"].as_str().unwrap_or("?"),
        o["schema"].as_str().unwrap_or("?"),
        o["table"].as_str().unwrap_or("-"),
        o["name"].as_str().unwrap_or("?")
    )
}

#[tokio::test]
async fn pending_migration_creates_the_table_column_and_type() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let project = fixture("pending");
    // An older deploy: 0002_comments is not applied.
    let db = migrated(&server, "pending", Some(2)).await;
    let (code, v) = why(
        &project,
        Some(db.url()),
        "ERROR:  relation \"comments\" does not exist at character 15",
        &[],
    );
    assert_eq!(v["verdict"], "pending", "{v:#}");
    assert_eq!(object(&v), "table public.comments.comments");
    assert_eq!(v["history"]["created_by"], "0002_comments");
    assert_eq!(v["live"]["applied"], "0001_published_flag");
    assert_eq!(v["live"]["present"], false);
    assert!(
        v["fix"].as_str().unwrap_or("").contains("0002_comments"),
        "{v:#}"
    );
    assert_eq!(v["severity"], "warning");
    assert_eq!(code, 0, "pending is a warning, below --fail-on error");
    let (code, v) = why(
        &project,
        Some(db.url()),
        r#"error: column "views" of relation "posts" does not exist"#,
        &["--fail-on", "warning"],
    );
    assert_eq!(v["verdict"], "pending", "{v:#}");
    assert_eq!(object(&v), "column public.posts.views");
    assert_eq!(v["ts"]["location"]["file"], "src/schema.ts");
    assert_eq!(v["ts"]["location"]["line"], 23);
    assert_eq!(code, 1);

    // An enum a pending migration creates.
    let db = migrated(&server, "kitchen", Some(2)).await;
    let (_, v) = why(
        &fixture("kitchen"),
        Some(db.url()),
        r#"PostgresError: type "visibility" does not exist"#,
        &[],
    );
    assert_eq!(v["verdict"], "pending", "{v:#}");
    assert_eq!(object(&v), "enum public.-.visibility");
    assert_eq!(v["history"]["created_by"], "0002_rls_and_views");
}

#[tokio::test]
async fn dropped_by_hand_is_drift_with_forward_sql() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let project = fixture("pending");
    let db = migrated(&server, "pending", None).await;
    db.execute("ALTER TABLE posts DROP COLUMN views").await;
    // Qualified by an alias the schema does not know.
    let (code, v) = why(
        &project,
        Some(db.url()),
        "column p.views does not exist",
        &[],
    );
    assert_eq!(v["verdict"], "drift", "{v:#}");
    assert_eq!(object(&v), "column public.posts.views");
    assert_eq!(v["history"]["created_by"], "0002_comments");
    assert_eq!(v["live"]["in_applied_snapshot"], true);
    let fix = v["fix"].as_str().unwrap_or("");
    assert!(
        fix.contains("ALTER TABLE") && fix.contains("views"),
        "forward SQL expected: {fix}"
    );
    assert!(hints(&v).contains("`p` is no table"), "{v:#}");
    assert_eq!(v["findings"][0]["category"], "drift");
    assert_eq!(code, 1, "drift is an error");

    let db = migrated(&server, "kitchen", None).await;
    db.execute("DROP TYPE visibility CASCADE").await;
    let (code, v) = why(
        &fixture("kitchen"),
        Some(db.url()),
        "type \"visibility\" does not exist",
        &[],
    );
    assert_eq!(v["verdict"], "drift", "{v:#}");
    assert_eq!(code, 1);
}

#[tokio::test]
async fn declared_but_not_generated() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("pending"), tmp.path());
    let schema = tmp.path().join("src/schema.ts");
    let text = std::fs::read_to_string(&schema).expect("schema");
    let text = text.replacen(
        "    views: integer(\"views\")",
        "    pinnedAt: timestamp(\"pinned_at\"),\n    views: integer(\"views\")",
        1,
    );
    std::fs::write(&schema, text).expect("write schema");
    let db = migrated(&server, "pending", None).await;
    let (code, v) = why(
        tmp.path(),
        Some(db.url()),
        "Error: column \"pinned_at\" does not exist\n    at /app/node_modules/pg/lib/client.js:545:17\n  code: '42703'",
        &[],
    );
    assert_eq!(v["verdict"], "ungenerated", "{v:#}");
    assert_eq!(object(&v), "column public.posts.pinned_at");
    assert_eq!(v["error"]["code"], "42703");
    assert_eq!(v["ts"]["location"]["line"], 23);
    assert_eq!(v["ts"]["property"], "pinnedAt");
    assert_eq!(v["history"]["present"], false);
    assert!(v["fix"]
        .as_str()
        .unwrap_or("")
        .contains("drizzle-kit generate"));
    assert_eq!(code, 1);
    // Offline, the same: the TS schema and the history are enough to say it.
    let (_, v) = why(
        tmp.path(),
        None,
        "column \"pinned_at\" does not exist",
        &["--offline"],
    );
    assert_eq!(v["verdict"], "ungenerated", "{v:#}");
    assert_eq!(v["live"], Value::Null);
}

#[tokio::test]
async fn in_sync_errors_come_from_elsewhere() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    // Raw SQL against the right table: the schema is not the cause.
    let db = migrated(&server, "pending", None).await;
    let (code, v) = why(
        &fixture("pending"),
        Some(db.url()),
        "column \"views\" does not exist",
        &[],
    );
    assert_eq!(v["verdict"], "in_sync", "{v:#}");
    assert_eq!(object(&v), "column public.posts.views");
    assert!(hints(&v).contains("raw SQL"), "{v:#}");
    assert_eq!(code, 0);

    // Another schema: the table lives in auth, the query left it unqualified.
    let db = migrated(&server, "multischema", None).await;
    let (code, v) = why(
        &fixture("multischema"),
        Some(db.url()),
        "relation \"sessions\" does not exist",
        &[],
    );
    assert_eq!(v["verdict"], "in_sync", "{v:#}");
    assert_eq!(object(&v), "table auth.sessions.sessions");
    assert!(hints(&v).contains("search_path"), "{v:#}");
    assert_eq!(code, 0);

    // Identifier case: "userAccounts" queried unquoted folds to useraccounts.
    let db = migrated(&server, "casing", None).await;
    let (_, v) = why(
        &fixture("casing"),
        Some(db.url()),
        "relation \"useraccounts\" does not exist",
        &[],
    );
    assert_eq!(v["verdict"], "in_sync", "{v:#}");
    assert_eq!(object(&v), "table public.userAccounts.userAccounts");
    assert!(hints(&v).contains("\"userAccounts\""), "{v:#}");
}

#[tokio::test]
async fn dropped_by_a_migration_and_typos() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = migrated(&server, "kitchen", None).await;
    let project = fixture("kitchen");
    let (code, v) = why(
        &project,
        Some(db.url()),
        "column \"legacy_code\" does not exist",
        &[],
    );
    assert_eq!(v["verdict"], "dropped", "{v:#}");
    assert_eq!(object(&v), "column public.devices.legacy_code");
    assert_eq!(
        v["history"]["dropped_by"], "0001_constraints_and_indexes",
        "{v:#}"
    );
    assert_eq!(code, 0);

    let (code, v) = why(
        &fixture("pending"),
        Some(db.url()),
        "relation \"coments\" does not exist",
        &["--offline"],
    );
    assert_eq!(v["verdict"], "nowhere", "{v:#}");
    assert_eq!(v["suggestions"][0], "comments");
    assert_eq!(code, 0);
}

#[tokio::test]
async fn captured_catalog_and_offline() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let project = fixture("pending");
    let db = migrated(&server, "pending", Some(2)).await;
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("catalog.json");
    let file_arg = file.to_string_lossy().into_owned();
    let (code, _, stderr) = run(&project, Some(db.url()), &["capture", "-o", &file_arg]);
    assert_eq!(code, 0, "{stderr}");
    let (_, v) = why(
        &project,
        None,
        "column \"slug\" does not exist",
        &["--catalog", &file_arg],
    );
    assert_eq!(v["verdict"], "pending", "{v:#}");
    assert_eq!(v["live"]["source"], file_arg.as_str());
    let (code, v) = why(
        &project,
        None,
        "column \"slug\" does not exist",
        &["--offline"],
    );
    assert_eq!(v["verdict"], "not_checked", "{v:#}");
    assert_eq!(v["history"]["created_by"], "0002_comments");
    assert_eq!(code, 0);
}

#[test]
fn text_output_and_unparseable_input() {
    let project = fixture("pending");
    let (code, stdout, stderr) = run(
        &project,
        None,
        &["why", "column \"views\" does not exist", "--offline"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("column posts.views  not_checked"),
        "{stdout}"
    );
    assert!(stdout.contains("created by 0002_comments"), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "NO_COLOR: {stdout:?}");
    let (code, stdout, stderr) = run(&project, None, &["why", "connection refused", "--offline"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("Unknown column 'x'"), "{stderr}");
}

#[tokio::test]
async fn schema_qualified_relation_and_snake_case_column_drift() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = migrated(&server, "multischema", None).await;
    db.execute("DROP TABLE auth.sessions").await;
    let (code, v) = why(
        &fixture("multischema"),
        Some(db.url()),
        "ERROR:  relation \"auth.sessions\" does not exist",
        &[],
    );
    assert_eq!(v["verdict"], "drift", "{v:#}");
    assert_eq!(object(&v), "table auth.sessions.sessions");
    assert_eq!(v["history"]["created_by"], "0001_sessions_and_numbers");
    assert_eq!(code, 1);

    // casing: "snake_case": the database says first_name, the TS property is firstName.
    let db = migrated(&server, "casing", None).await;
    db.execute("ALTER TABLE \"userAccounts\" DROP COLUMN first_name CASCADE")
        .await;
    let (_, v) = why(
        &fixture("casing"),
        Some(db.url()),
        "column \"first_name\" of relation \"userAccounts\" does not exist",
        &[],
    );
    assert_eq!(v["verdict"], "drift", "{v:#}");
    assert_eq!(object(&v), "column public.userAccounts.first_name");
    assert_eq!(v["ts"]["property"], "firstName");
    assert_eq!(v["ts"]["location"]["line"], 20);
}
