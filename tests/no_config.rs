//! The commands that only read the database (`inspect --source live`, `capture`, `why`)
//! in a folder without a drizzle config, as `drizzle-kit pull` runs from flags: the dialect
//! comes from the URL (or the captured catalog). Real servers, throwaway databases.

mod support;

use serde_json::Value;
use support::cli::run;
use support::mysql::MysqlServer;
use support::PgServer;

fn table_names(model: &Value) -> Vec<String> {
    model["tables"]
        .as_array()
        .expect("tables are a list")
        .iter()
        .map(|t| t["name"]["name"].as_str().unwrap_or("?").to_string())
        .collect()
}

fn json(code: i32, stdout: &str, stderr: &str) -> Value {
    assert_eq!(code, 0, "{stdout}{stderr}");
    serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e})\nstdout: {stdout}\nstderr: {stderr}"))
}

#[tokio::test]
async fn postgres_inspect_capture_and_why_need_no_config() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    db.execute("CREATE TABLE widgets (id integer PRIMARY KEY, name text NOT NULL)")
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let here = dir.path();

    // Without a URL there is still nothing to go on: the missing config is the error.
    let (code, _, stderr) = run(here, None, &["inspect", "--source", "live"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no drizzle config"), "{stderr}");

    let (code, stdout, stderr) = run(
        here,
        None,
        &["inspect", "--source", "live", "--url", db.url()],
    );
    let model = json(code, &stdout, &stderr);
    assert_eq!(model["dialect"], "postgresql", "{model:#}");
    assert_eq!(table_names(&model), ["widgets"]);

    // DATABASE_URL counts as --url.
    let (code, stdout, stderr) = run(here, Some(db.url()), &["inspect", "--source", "live"]);
    assert_eq!(table_names(&json(code, &stdout, &stderr)), ["widgets"]);

    let file = here.join("catalog.json");
    let file_arg = file.display().to_string();
    let (code, _, stderr) = run(here, None, &["capture", "-o", &file_arg, "--url", db.url()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("captured 1 tables"), "{stderr}");

    // The captured catalog names its dialect.
    let (code, stdout, stderr) = run(
        here,
        None,
        &["inspect", "--source", "live", "--catalog", "catalog.json"],
    );
    assert_eq!(table_names(&json(code, &stdout, &stderr)), ["widgets"]);

    let (code, stdout, stderr) = run(
        here,
        None,
        &[
            "why",
            "ERROR: column \"colour\" of relation \"widgets\" does not exist",
            "--format",
            "json",
            "--url",
            db.url(),
        ],
    );
    assert!(code == 0 || code == 1, "{stdout}{stderr}");
    let v: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("why printed no JSON ({e})\n{stdout}{stderr}"));
    assert_eq!(v["object"]["name"], "colour", "{v:#}");
    assert_eq!(v["live"]["present"], false, "{v:#}");

    // A URL whose scheme names no dialect is an error saying so.
    let (code, _, stderr) = run(
        here,
        None,
        &["inspect", "--source", "live", "--url", "sqlite://x.db"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("dialect comes from the URL"), "{stderr}");
}

#[tokio::test]
async fn mysql_inspect_needs_no_config() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    db.execute("CREATE TABLE gadgets (id int PRIMARY KEY, label varchar(40))")
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, stdout, stderr) = run(
        dir.path(),
        None,
        &["inspect", "--source", "live", "--url", db.url()],
    );
    let model = json(code, &stdout, &stderr);
    assert_eq!(model["dialect"], "mysql", "{model:#}");
    assert_eq!(table_names(&model), ["gadgets"]);
}
