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
            "are for `check`, `why` and the explorer",
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

#[test]
fn version_names_the_version_and_the_commit() {
    let out = drift().arg("--version").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let manifest = env!("CARGO_MANIFEST_DIR");
    let head = std::process::Command::new("git")
        .args(["-C", manifest, "rev-parse", "--short=10", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let version = env!("CARGO_PKG_VERSION");
    match head {
        // Built from this checkout: the commit it was built at (build.rs reruns when HEAD
        // moves, so it is the current one).
        Some(head) => assert_eq!(text, format!("drizzle-drift {version} (commit {head})\n")),
        None => assert_eq!(text, format!("drizzle-drift {version}\n")),
    }
}

#[test]
fn an_error_prints_what_failed_its_cause_and_a_suggestion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = drift()
        .current_dir(dir.path())
        .args(["check", "--offline"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("0: the project's configuration cannot be used"),
        "{err}"
    );
    assert!(err.contains("1: no drizzle config in"), "{err}");
    assert!(err.contains("Suggestion: pass --config PATH"), "{err}");
    // The advice is given apart from the message, and printed once.
    assert_eq!(err.matches("pass --config PATH").count(), 1, "{err}");
    assert!(!err.contains('\u{1b}'), "NO_COLOR: no color: {err}");

    let out = drift()
        .current_dir(dir.path())
        .args(["check", "--offline", "--color", "always"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains('\u{1b}'),
        "--color always colors the error: {err}"
    );
    assert!(err.contains("pass --config PATH"), "{err}");
}

#[test]
fn base_before_a_command_is_the_explorers() {
    let out = drift()
        .args(["--base", "main", "check", "--offline"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`drizzle-drift check --base REF`"), "{err}");
}

#[test]
fn check_watch_prints_the_report_again_after_an_edit() {
    use std::io::Read;
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = |from: &std::path::Path, to: &std::path::Path| {
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from, to).expect("copy");
    };
    for entry in ["drizzle.config.ts", "src/db/schema.ts"] {
        copy(&demo.join("project").join(entry), &dir.path().join(entry));
    }
    for entry in std::fs::read_dir(demo.join("project/drizzle/meta")).expect("meta") {
        let entry = entry.expect("entry");
        copy(
            &entry.path(),
            &dir.path().join("drizzle/meta").join(entry.file_name()),
        );
    }
    for entry in std::fs::read_dir(demo.join("project/drizzle")).expect("drizzle") {
        let entry = entry.expect("entry");
        if entry.path().is_file() {
            copy(
                &entry.path(),
                &dir.path().join("drizzle").join(entry.file_name()),
            );
        }
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_drizzle-drift"))
        .current_dir(dir.path())
        .args(["check", "--watch", "--offline"])
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(String::from_utf8_lossy(&buf[..n]).into()).is_err() {
                break;
            }
        }
    });
    let mut out = String::new();
    let wait_for = |out: &mut String, what: &str| {
        let end = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !out.contains(what) {
            let left = end.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(chunk) => out.push_str(&chunk),
                Err(_) => panic!("no {what:?} within 20 s; printed:\n{out}"),
            }
        }
    };
    wait_for(&mut out, "findings");
    assert!(!out.contains("ungenerated"), "{out}");
    let schema = dir.path().join("src/db/schema.ts");
    let text = std::fs::read_to_string(&schema).expect("schema");
    std::fs::write(
        &schema,
        text.replacen("name: text(\"name\")", "name: varchar(\"name\")", 1),
    )
    .expect("write");
    wait_for(&mut out, "changed: checking again");
    let second = out
        .split("changed: checking again")
        .nth(1)
        .unwrap_or("")
        .to_string();
    let mut second = second;
    wait_for(&mut second, "ungenerated");
    let _ = child.kill();
    let _ = child.wait();
}
