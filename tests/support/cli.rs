//! Running the binary the way a person does: in the project folder, with `DATABASE_URL`
//! as the only source of a database URL, without color.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// Run the binary in `project` (where drizzle-kit would run) with `DATABASE_URL` set:
/// exit code, stdout, stderr.
pub fn run(project: &Path, url: Option<&str>, args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("drizzle-drift").expect("binary is built");
    cmd.current_dir(project)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("DRIZZLE_DRIFT_URL")
        .env("NO_COLOR", "1");
    if let Some(url) = url {
        cmd.env("DATABASE_URL", url);
    }
    let out = cmd.output().expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `why --format json` plus extra args: exit code and the explanation.
pub fn why(project: &Path, url: Option<&str>, error: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["why", error, "--format", "json"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(project, url, &args);
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("why printed no JSON ({e}); exit {code}\nstdout: {stdout}\nstderr: {stderr}")
    });
    (code, v)
}

/// The hints of a `why` explanation, one per line.
pub fn hints(v: &Value) -> String {
    v["hints"]
        .as_array()
        .map(|h| {
            h.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// `check --format json` in `project` against `url`: exit code and the report.
pub fn check_json(project: &Path, url: &str) -> (i32, Value) {
    let (code, stdout, stderr) = run(project, Some(url), &["check", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("check printed no JSON ({e}); exit {code}\nstdout: {stdout}\nstderr: {stderr}")
    });
    (code, report)
}

/// `category severity object table.name field` of every finding, for readable assertions.
pub fn finding_lines(report: &Value) -> Vec<String> {
    let text = |v: &Value| v.as_str().unwrap_or("-").to_string();
    report["findings"]
        .as_array()
        .expect("findings is a list")
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}.{} {}",
                text(&f["category"]),
                text(&f["severity"]),
                text(&f["object"]),
                text(&f["table"]),
                text(&f["name"]),
                text(&f["field"]),
            )
        })
        .collect()
}
