//! `ungenerated`: the TypeScript schema edited without `drizzle-kit generate`. Each case
//! edits one line of a real fixture's schema and expects exactly that object reported.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use support::{copy_dir, fixture};

/// `check --offline --format json` on a copy of `name` whose `file` had `from` replaced
/// by `to`; returns `category object table.name field` per finding, and the exit code.
fn check_after_edit(name: &str, file: &str, from: &str, to: &str) -> (Vec<String>, i32) {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(name), tmp.path());
    let path = tmp.path().join(file);
    let text = std::fs::read_to_string(&path).expect("schema file");
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    let out = Command::cargo_bin("drizzle-drift")
        .expect("binary")
        .current_dir(tmp.path())
        .env_remove("DATABASE_URL")
        .args(["check", "--offline", "--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let findings = report["findings"]
        .as_array()
        .expect("findings")
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
        .collect();
    (findings, out.status.code().unwrap_or(-1))
}

#[test]
fn projects_in_sync_report_nothing_offline() {
    for name in [
        "kitchen",
        "pending",
        "casing",
        "multischema",
        "custom-table",
        "legacy-v6",
    ] {
        let (findings, code) = check_after_edit(name, "drizzle.config.ts", "", "");
        assert_eq!(findings, Vec::<String>::new(), "{name}");
        assert_eq!(code, 0, "{name}");
    }
}

#[test]
fn each_schema_edit_is_ungenerated_on_exactly_that_object() {
    let schema = "src/schema.ts";
    let cases = [
        (
            "bio: text(\"bio\"),",
            "bio: text(\"bio\"),\n  nickname: text(\"nickname\"),",
            "ungenerated column users.nickname -",
        ),
        (
            "  bio: text(\"bio\"),\n",
            "",
            "ungenerated column users.bio -",
        ),
        (
            "varchar(\"email\", { length: 256 })",
            "varchar(\"email\", { length: 320 })",
            "ungenerated column users.email type",
        ),
        (
            "name: text(\"name\").notNull(),",
            "name: text(\"name\"),",
            "ungenerated column users.name not_null",
        ),
        (
            "integer(\"views\").notNull().default(0)",
            "integer(\"views\").notNull().default(1)",
            "ungenerated column posts.views default",
        ),
        (
            "index(\"posts_author_id_idx\").on(t.authorId)",
            "index(\"posts_author_id_idx\").on(t.authorId, t.createdAt)",
            "ungenerated index posts.posts_author_id_idx columns",
        ),
        (
            ".references(() => users.id, { onDelete: \"cascade\" })",
            ".references(() => users.id, { onDelete: \"restrict\" })",
            "ungenerated foreign_key posts.posts_author_id_users_id_fk on_delete",
        ),
    ];
    for (from, to, expected) in cases {
        let (findings, code) = check_after_edit("pending", schema, from, to);
        assert_eq!(findings, [expected], "after replacing {from:?}");
        assert_eq!(code, 1);
    }
}

#[test]
fn a_new_table_and_an_enum_value_are_ungenerated() {
    let (findings, _) = check_after_edit(
        "pending",
        "src/schema.ts",
        "export const comments",
        "export const tags = pgTable(\"tags\", { id: serial(\"id\").primaryKey() });\n\nexport const comments",
    );
    assert_eq!(findings, ["ungenerated table tags.tags -"]);
    let (findings, _) = check_after_edit(
        "kitchen",
        "src/schema.ts",
        "pgEnum(\"mood\", [\"sad\", \"ok\", \"happy\", \"ecstatic\"])",
        "pgEnum(\"mood\", [\"sad\", \"ok\", \"happy\", \"ecstatic\", \"bored\"])",
    );
    assert_eq!(findings, ["ungenerated enum -.mood values"]);
}

#[test]
fn a_half_typed_line_is_a_diagnostic_and_the_rest_still_loads() {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("pending"), tmp.path());
    let path = tmp.path().join("src/schema.ts");
    let text = std::fs::read_to_string(&path).expect("schema");
    std::fs::write(
        &path,
        text.replacen("bio: text(\"bio\"),", "bio: text(\"bio\"\n  nick: te", 1),
    )
    .expect("write");
    let out = Command::cargo_bin("drizzle-drift")
        .expect("binary")
        .current_dir(tmp.path())
        .env_remove("DATABASE_URL")
        .args(["check", "--offline", "--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diagnostics.iter().any(
            |d| d["location"].as_str().unwrap_or("").ends_with("schema.ts") && d["line"].is_u64()
        ),
        "{report:#}"
    );
}

#[test]
fn indexes_the_reader_cannot_evaluate_are_not_reported_missing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("pending"), tmp.path());
    let path = tmp.path().join("src/schema.ts");
    let text = std::fs::read_to_string(&path).expect("schema");
    let original = "(t) => [index(\"posts_author_id_idx\").on(t.authorId)]";
    assert!(
        text.contains(original),
        "the fixture still has the index line"
    );
    let edited = format!(
        "import {{ postIndexes }} from \"some-index-helpers\";\n{}",
        text.replacen(original, "(t) => postIndexes(t)", 1)
    );
    std::fs::write(&path, edited).expect("write");
    let out = Command::cargo_bin("drizzle-drift")
        .expect("binary")
        .current_dir(tmp.path())
        .env_remove("DATABASE_URL")
        .args(["check", "--offline", "--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    let incomplete = report["incomplete"].to_string();
    assert!(
        incomplete.contains("posts") && incomplete.contains("\"ts\""),
        "the TypeScript source is incomplete, naming the table: {incomplete}"
    );
    assert_eq!(out.status.code(), Some(2), "{report:#}");
}

/// `--ts-engine node` runs the project's own drizzle-kit (0.31.11 from tests/fixtures/tools,
/// installed by scripts/test.sh) on the project's own files.
#[test]
fn the_node_engine_reads_what_drizzle_kit_reads() {
    node_engine_sees_a_new_column("tools", "pending", "drizzle-kit 0.31.11 via node");
}

/// drizzle-kit 1.0 loads .ts files with a jiti bundled where nothing else can reach it: the
/// project's own jiti stands in (tests/fixtures/tools-v1 has jiti 2.6.1, the version 1.0.0-rc.5
/// bundles).
#[test]
fn the_node_engine_reads_a_drizzle_kit_1_0_project_with_its_jiti() {
    node_engine_sees_a_new_column("tools-v1", "v1-rc5", "drizzle-kit 1.0.0-rc.5 via node");
}

/// The pg `fixture` with `tests/fixtures/<tools>/node_modules`: no finding, then the
/// `ungenerated` column a schema edit adds.
fn node_engine_sees_a_new_column(tools: &str, fixture_name: &str, engine: &str) {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(tools)
        .join("node_modules");
    if !tools.join("drizzle-kit").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have {} (npm ci)",
            tools.display()
        );
        eprintln!(
            "notice: {} is missing; skipping the node engine test",
            tools.display()
        );
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(fixture_name), tmp.path());
    #[cfg(unix)]
    std::os::unix::fs::symlink(&tools, tmp.path().join("node_modules")).expect("symlink");
    let run = |dir: &Path| {
        let out = Command::cargo_bin("drizzle-drift")
            .expect("binary")
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .args([
                "check",
                "--offline",
                "--format",
                "json",
                "--ts-engine",
                "node",
            ])
            .output()
            .expect("runs");
        let report: Value = serde_json::from_slice(&out.stdout).expect("json");
        (report, out.status.code())
    };
    let (report, code) = run(tmp.path());
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    assert_eq!(code, Some(0));
    assert!(
        report["sources"]["ts"]
            .as_str()
            .unwrap_or("")
            .contains(engine),
        "{report:#}"
    );

    let path = tmp.path().join("src/schema.ts");
    let text = std::fs::read_to_string(&path).expect("schema");
    std::fs::write(
        &path,
        text.replacen(
            "bio: text(\"bio\"),",
            "bio: text(\"bio\"),\n  nickname: text(\"nickname\"),",
            1,
        ),
    )
    .expect("write");
    let (report, code) = run(tmp.path());
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{report:#}");
    assert_eq!(findings[0]["category"], "ungenerated");
    assert_eq!(findings[0]["name"], "nickname");
    assert_eq!(code, Some(1));
}

#[test]
fn a_failing_node_engine_is_a_note_not_a_flood_of_findings() {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("pending"), tmp.path());
    let out = Command::cargo_bin("drizzle-drift")
        .expect("binary")
        .current_dir(tmp.path())
        .env_remove("DATABASE_URL")
        .args([
            "check",
            "--offline",
            "--format",
            "json",
            "--ts-engine",
            "node",
        ])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    assert!(
        report["diagnostics"]
            .to_string()
            .contains("--ts-engine node"),
        "{report:#}"
    );
    assert_eq!(report["sources"]["ts"], Value::Null);
}

#[test]
fn offline_a_collision_explains_what_the_newest_snapshot_lacks() {
    let (findings, code) = check_after_edit("collision", "drizzle.config.ts", "", "");
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert!(
        findings.iter().all(|f| f.starts_with("history ")),
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f == "history column users.avatar_url -"),
        "{findings:#?}"
    );
    assert_eq!(code, 1);
}

/// A config the static reader cannot evaluate is evaluated by Node when the project's own
/// drizzle-kit is installed, and the header says so; without it, the value is unread.
#[test]
fn a_config_the_static_reader_cannot_evaluate_is_evaluated_by_node() {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tools/node_modules");
    if !tools.join("drizzle-kit").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have tests/fixtures/tools/node_modules (npm ci)"
        );
        eprintln!("notice: tests/fixtures/tools/node_modules is missing; skipping");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("pending"), tmp.path());
    let config = tmp.path().join("drizzle.config.ts");
    let text = std::fs::read_to_string(&config).expect("config");
    // A `switch` is beyond the static evaluator; Node runs it.
    let text = text.replace(
        "export default defineConfig({",
        "function folder(kind: string): string {\n  switch (kind) {\n    case \"out\":\n      return \"./drizzle\";\n    default:\n      return \"./elsewhere\";\n  }\n}\n\nexport default defineConfig({",
    );
    std::fs::write(
        &config,
        text.replace("out: \"./drizzle\",", "out: folder(\"out\"),"),
    )
    .expect("write");
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("drizzle-drift")
            .expect("binary")
            .current_dir(tmp.path())
            .env_remove("DATABASE_URL")
            .args(args)
            .output()
            .expect("runs");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            out.status.code(),
        )
    };

    // Without the project's drizzle-kit: `out` is unread, the migrations are not read.
    let (stdout, code) = run(&["check", "--offline", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(code, Some(2), "{report:#}");
    assert!(report["sources"]["snapshot"].is_null(), "{report:#}");

    #[cfg(unix)]
    std::os::unix::fs::symlink(&tools, tmp.path().join("node_modules")).expect("symlink");
    let (stdout, code) = run(&["check", "--offline", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(report["incomplete"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    assert_eq!(code, Some(0));
    assert_eq!(
        report["sources"]["config_evaluated_by"], "node (drizzle-kit 0.31.11)",
        "{report:#}"
    );
    assert_eq!(report["sources"]["snapshot"], "drizzle", "{report:#}");
    let (stdout, _) = run(&["check", "--offline"]);
    assert!(
        stdout.contains("config evaluated by node (drizzle-kit 0.31.11)"),
        "{stdout}"
    );
}

/// A column whose value comes from a package the reader does not read is unknown, not
/// removed: neither it nor the index naming it is reported, and an export that could not
/// be evaluated (it may be a table) hides no table either.
#[test]
fn unknown_columns_and_exports_are_never_removed() {
    let (found, code) = check_after_edit(
        "pending",
        "src/schema.ts",
        "export const comments = pgTable(",
        "import { legacyTable } from \"some-table-helpers\";\nexport const legacy = legacyTable;\nconst comments = pgTable(",
    );
    assert_eq!(found, Vec::<String>::new());
    // The export may be a table the reader could not see: the ts source is incomplete.
    assert_eq!(code, 2);
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("pending"), tmp.path());
    let path = tmp.path().join("src/schema.ts");
    let text = std::fs::read_to_string(&path).expect("schema");
    let text = format!(
        "import {{ authorColumn }} from \"some-column-helpers\";\n{}",
        text.replacen(
            "authorId: integer(\"author_id\")",
            "authorId: authorColumn(\"author_id\")",
            1
        )
    );
    std::fs::write(&path, text).expect("write");
    let out = Command::cargo_bin("drizzle-drift")
        .expect("binary")
        .current_dir(tmp.path())
        .env_remove("DATABASE_URL")
        .args(["check", "--offline", "--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    assert!(
        report["incomplete"].to_string().contains("posts.authorId"),
        "{report:#}"
    );
    assert_eq!(out.status.code(), Some(2), "{report:#}");
}
