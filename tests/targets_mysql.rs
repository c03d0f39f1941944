//! `check` over several MariaDB databases at different migration levels, and a captured
//! catalog as a target beside them.

mod support;

use serde_json::Value;
use support::cli::run;
use support::copy_dir;
use support::mysql::{apply_migrations, fixture, MysqlServer};

const TABLE: &str = "__drizzle_migrations";

#[tokio::test]
async fn two_databases_at_different_levels_each_get_their_own_pending() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let ahead = server.create_db().await;
    let behind = server.create_db().await;
    apply_migrations(&ahead, &fixture("pending").join("drizzle"), None, TABLE)
        .await
        .expect("migrate ahead");
    apply_migrations(&behind, &fixture("pending").join("drizzle"), Some(1), TABLE)
        .await
        .expect("migrate behind");
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("pending"), dir.path());
    // The database that is ahead, captured: the same fingerprint as the live one.
    let (code, _, stderr) = run(
        dir.path(),
        None,
        &["capture", "-o", "ahead.json", "--url", ahead.url()],
    );
    assert_eq!(code, 0, "{stderr}");

    let ahead_flag = format!("ahead={}", ahead.url());
    let behind_flag = format!("behind={}", behind.url());
    let args = [
        "check",
        "--format",
        "json",
        "--target",
        &ahead_flag,
        "--target",
        &behind_flag,
        "--target",
        "captured=ahead.json",
    ];
    let (code, stdout, stderr) = run(dir.path(), None, &args);
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}): {stdout}\n{stderr}"));
    assert_eq!(code, 0, "pending migrations are warnings: {report:#}");
    let targets = report["targets"].as_array().expect("targets");
    let row = |i: usize| {
        let t = &targets[i];
        format!(
            "{} {} {} {} {}",
            t["name"].as_str().unwrap_or("?"),
            t["state"].as_str().unwrap_or("?"),
            t["applied"].as_str().unwrap_or("-"),
            t["pending"],
            t["role"],
        )
    };
    assert_eq!(
        (0..3).map(row).collect::<Vec<_>>(),
        [
            "ahead ok 0002_comments [] null",
            "behind ok 0000_init [\"0001_published_flag\",\"0002_comments\"] null",
            "captured ok 0002_comments [] null",
        ]
    );
    assert!(targets[0]["server"]
        .as_str()
        .unwrap_or("")
        .starts_with("MariaDB "));
    assert_eq!(targets[2]["url"], "ahead.json");
    assert_eq!(targets[0]["fingerprint"], targets[2]["fingerprint"]);
    assert_eq!(
        report["groups"],
        serde_json::json!([
            { "fingerprint": targets[0]["fingerprint"], "targets": ["ahead", "captured"] },
            { "fingerprint": targets[1]["fingerprint"], "targets": ["behind"] },
        ])
    );
    let db_findings: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| !f["target"].is_null())
        .map(|f| {
            format!(
                "{} {} {}",
                f["target"].as_str().unwrap_or("?"),
                f["category"].as_str().unwrap_or("?"),
                f["name"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    assert!(!db_findings.is_empty());
    assert!(
        db_findings
            .iter()
            .all(|f| f.starts_with("behind pending ") || f.starts_with("behind lint ")),
        "{db_findings:#?}"
    );
    assert!(
        db_findings.contains(&"behind pending comments".to_string()),
        "{db_findings:#?}"
    );
    assert!(
        db_findings.contains(&"behind pending published".to_string()),
        "{db_findings:#?}"
    );
}
