//! The binary's headless contract on the bundled demo: no database needed.

use assert_cmd::Command;
use serde_json::Value;

fn drift() -> Command {
    let mut cmd = Command::cargo_bin("drizzle-drift").expect("binary is built");
    cmd.env("NO_COLOR", "1").env_remove("DATABASE_URL");
    cmd
}

#[test]
fn demo_reports_the_hand_added_column_and_the_pending_migration() {
    let out = drift().arg("demo").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("users.nickname exists in the database but in no applied migration"),
        "{text}"
    );
    assert!(
        text.contains("projects.slug will be created by pending migration 0003_project_slugs"),
        "{text}"
    );
    // 5 pending + 3 lint warnings on the pending migration (a required column added to an
    // existing table, two indexes built without CONCURRENTLY) + 1 drift error.
    assert!(text.contains("9 findings: 1 error, 8 warnings"), "{text}");
    assert!(
        text.contains("at: drizzle/0003_project_slugs.sql:2 [adding-required-field]"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no color when NO_COLOR is set and stdout is a pipe"
    );
}

#[test]
fn demo_json_follows_the_contract() {
    let out = drift()
        .args(["demo", "--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(report["version"], 1);
    assert_eq!(report["dialect"], "postgresql");
    assert_eq!(
        report["summary"],
        serde_json::json!({"error": 1, "warning": 8, "info": 0})
    );
    let drift: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["category"] == "drift")
        .collect();
    assert_eq!(drift.len(), 1);
    let f = drift[0];
    assert_eq!(f["object"], "column");
    assert_eq!(f["schema"], "public");
    assert_eq!(f["table"], "users");
    assert_eq!(f["name"], "nickname");
    assert_eq!(f["field"], Value::Null);
    assert_eq!(f["snapshot"], false);
    assert_eq!(f["live"], true);
    assert_eq!(
        f["ts"], false,
        "the TypeScript schema does not declare it either"
    );
    let states: Vec<&str> = report["migrations"]
        .as_array()
        .expect("migrations")
        .iter()
        .map(|m| m["state"].as_str().expect("state"))
        .collect();
    assert_eq!(states, ["applied", "applied", "applied", "pending"]);
}

#[test]
fn fail_on_warning_counts_pending() {
    let out = drift()
        .args(["demo", "--fail-on", "info"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn color_always_colors() {
    let out = drift()
        .args(["demo", "--color", "always"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn bare_command_prints_usage_and_exits_2() {
    let out = drift().output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage"));
}

#[test]
fn a_missing_catalog_file_exits_2_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("drizzle.config.json"),
        r#"{"dialect":"postgresql","schema":"./s.ts"}"#,
    )
    .expect("config");
    let out = drift()
        .current_dir(dir.path())
        .args(["check", "--catalog", "nope.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.json"));
}

#[test]
fn migrations_lists_states_from_a_captured_catalog() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let out = drift()
        .current_dir(root.join("project"))
        .args(["migrations", "--catalog", "../catalog.json"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("pending") && l.contains("0003_project_slugs")),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("applied")).count(),
        3,
        "{text}"
    );
}

#[test]
fn inspect_prints_a_model_that_names_every_table() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/project");
    let out = drift()
        .current_dir(&root)
        .args(["inspect", "--source", "snapshot", "--offline"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let model: Value = serde_json::from_slice(&out.stdout).expect("json");
    let tables = model["tables"].as_array().expect("tables are a list");
    assert!(tables.iter().any(|t| t["name"]["name"] == "users"));
}

#[test]
fn targets_are_named_by_target_flags_not_beside_url() {
    let dir = tempfile::tempdir().expect("tempdir");
    // DRIZZLE_DRIFT_URL in the environment does not stand in the way of --target…
    let out = drift()
        .current_dir(dir.path())
        .env("DRIZZLE_DRIFT_URL", "postgres://u@127.0.0.1:1/one")
        .args(["check", "--target", "a=postgres://u@127.0.0.1:1/a"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("cannot be used with"), "{err}");
    // …but --url beside --target is refused, as are --target for other commands and a
    // value without a name.
    let project =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg/pending");
    for (args, says) in [
        (
            &[
                "check",
                "--url",
                "postgres://u@h/db",
                "--target",
                "a=postgres://u@h/a",
            ][..],
            "--url names the one database",
        ),
        (
            &["migrations", "--target", "a=postgres://u@h/a"][..],
            "are for `check` and `why`",
        ),
        (
            &["check", "--target", "postgres://u@h/a"][..],
            "expected NAME=URL",
        ),
        (
            &[
                "check",
                "--target",
                "a=postgres://u@h/a",
                "--target",
                "a=postgres://u@h/b",
            ][..],
            "2 targets are named a",
        ),
    ] {
        let out = drift()
            .current_dir(&project)
            .env_remove("DRIZZLE_DRIFT_URL")
            .args(args)
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}
