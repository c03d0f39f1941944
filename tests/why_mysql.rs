//! `drizzle-drift why` against MySQL/MariaDB: `Unknown column` and `Table … doesn't exist`
//! in each situation, live, with a captured catalog and offline.

mod support;

use serde_json::Value;
use support::cli::{hints, run, why};
use support::copy_dir;
use support::mysql::{apply_migrations, fixture, MysqlDb, MysqlServer};

const TABLE: &str = "__drizzle_migrations";

async fn migrated(server: &MysqlServer, upto: Option<usize>) -> MysqlDb {
    let db = server.create_db().await;
    apply_migrations(&db, &fixture("pending").join("drizzle"), upto, TABLE)
        .await
        .unwrap_or_else(|e| panic!("applying pending: {e}"));
    db
}

fn object(v: &Value) -> String {
    let o = &v["object"];
    format!(
        "{} {}.{}",
        o["kind"].as_str().unwrap_or("?"),
        o["table"].as_str().unwrap_or("-"),
        o["name"].as_str().unwrap_or("?")
    )
}

#[tokio::test]
async fn pending_table_and_column() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = migrated(&server, Some(2)).await;
    let project = fixture("pending");
    let error = format!(
        "Error: Table '{}.comments' doesn't exist\n    at PromiseConnection.query (/app/node_modules/mysql2/lib/promise/connection.js:29:22) {{\n  code: 'ER_NO_SUCH_TABLE',\n  errno: 1146,\n  sqlState: '42S02'",
        db.name()
    );
    let (code, v) = why(&project, Some(db.url()), &error, &[]);
    assert_eq!(v["verdict"], "pending", "{v:#}");
    assert_eq!(object(&v), "table comments.comments");
    assert_eq!(v["history"]["created_by"], "0002_comments");
    assert_eq!(v["error"]["form"], "mysql_no_table");
    assert_eq!(code, 0);
    let (code, v) = why(
        &project,
        Some(db.url()),
        "Unknown column 'views' in 'field list'",
        &["--fail-on", "warning"],
    );
    assert_eq!(v["verdict"], "pending", "{v:#}");
    assert_eq!(object(&v), "column posts.views");
    assert_eq!(v["ts"]["location"]["line"], 23);
    assert_eq!(code, 1);
}

#[tokio::test]
async fn dropped_by_hand_is_drift() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = migrated(&server, None).await;
    db.execute("ALTER TABLE posts DROP COLUMN views").await;
    let (code, v) = why(
        &fixture("pending"),
        Some(db.url()),
        "ER_BAD_FIELD_ERROR: Unknown column 'p.views' in 'where clause'",
        &[],
    );
    assert_eq!(v["verdict"], "drift", "{v:#}");
    assert_eq!(object(&v), "column posts.views");
    assert_eq!(v["error"]["clause"], "where clause");
    let fix = v["fix"].as_str().unwrap_or("");
    assert!(
        fix.contains("ALTER TABLE") && fix.contains("views"),
        "{fix}"
    );
    assert_eq!(code, 1);
}

#[tokio::test]
async fn declared_but_not_generated() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("pending"), tmp.path());
    let schema = tmp.path().join("src/schema.ts");
    let text = std::fs::read_to_string(&schema).expect("schema");
    let text = text.replacen(
        "    views: int(\"views\")",
        "    pinnedAt: timestamp(\"pinned_at\"),\n    views: int(\"views\")",
        1,
    );
    std::fs::write(&schema, text).expect("write schema");
    let db = migrated(&server, None).await;
    let (code, v) = why(
        tmp.path(),
        Some(db.url()),
        "Unknown column 'pinned_at' in 'field list'",
        &[],
    );
    assert_eq!(v["verdict"], "ungenerated", "{v:#}");
    assert_eq!(v["ts"]["property"], "pinnedAt");
    assert_eq!(code, 1);
}

#[tokio::test]
async fn in_sync_errors_come_from_elsewhere() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = migrated(&server, None).await;
    let project = fixture("pending");
    let (code, v) = why(
        &project,
        Some(db.url()),
        "Unknown column 'views' in 'field list'",
        &[],
    );
    assert_eq!(v["verdict"], "in_sync", "{v:#}");
    assert!(hints(&v).contains("raw SQL"), "{v:#}");
    assert_eq!(code, 0);
    // The application reads another database than the URL.
    let (_, v) = why(
        &project,
        Some(db.url()),
        "Table 'app_staging.comments' doesn't exist",
        &[],
    );
    assert_eq!(v["verdict"], "in_sync", "{v:#}");
    assert!(hints(&v).contains("`app_staging`"), "{v:#}");
}

#[tokio::test]
async fn captured_catalog_and_offline() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = migrated(&server, Some(2)).await;
    let project = fixture("pending");
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("catalog.json");
    let file_arg = file.to_string_lossy().into_owned();
    let (code, _, stderr) = run(&project, Some(db.url()), &["capture", "-o", &file_arg]);
    assert_eq!(code, 0, "{stderr}");
    let (_, v) = why(
        &project,
        None,
        "Unknown column 'slug' in 'field list'",
        &["--catalog", &file_arg],
    );
    assert_eq!(v["verdict"], "pending", "{v:#}");
    let (_, v) = why(
        &project,
        None,
        "Unknown column 'slgu' in 'field list'",
        &["--offline"],
    );
    assert_eq!(v["verdict"], "nowhere", "{v:#}");
    assert_eq!(v["suggestions"][0], "posts.slug", "{v:#}");
}
