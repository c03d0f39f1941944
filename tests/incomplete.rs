//! Never a verdict over what was not read: a source (or the config value it needs) that
//! could not be read is listed in `incomplete`, no finding rests on it, and `check` exits
//! 2 — whether the text, JSON, markdown or github format is asked for.

mod support;

use serde_json::Value;
use std::path::Path;
use support::cli::run;
use support::{apply_migrations, copy_dir, fixture, PgServer, TestDb};

fn check(project: &Path, url: Option<&str>, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(project, url, &args);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("check printed no JSON ({e}); exit {code}\nstdout: {stdout}\nstderr: {stderr}")
    });
    (code, report)
}

fn incomplete(report: &Value) -> Vec<(String, String)> {
    report["incomplete"]
        .as_array()
        .expect("incomplete is a list")
        .iter()
        .map(|i| {
            (
                i["source"].as_str().unwrap_or("?").to_string(),
                format!(
                    "{}: {}",
                    i["location"].as_str().unwrap_or("-"),
                    i["reason"].as_str().unwrap_or("?")
                ),
            )
        })
        .collect()
}

fn categories(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["category"].as_str().unwrap_or("?").to_string())
        .collect()
}

/// A copy of a fixture with `edit` applied, in a temporary folder.
fn edited(name: &str, edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(name), dir.path());
    edit(dir.path());
    dir
}

fn replace(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    assert!(text.contains(from), "{} has no {from:?}", file.display());
    std::fs::write(file, text.replace(from, to)).expect("write");
}

#[test]
fn complete_reads_list_nothing_incomplete() {
    let (code, report) = check(&fixture("pending"), None, &["--offline"]);
    assert_eq!(incomplete(&report), Vec::<(String, String)>::new());
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn a_schema_entry_that_matches_no_file_is_incomplete_not_in_sync() {
    let project = edited("pending", |p| {
        replace(
            &p.join("drizzle.config.ts"),
            "./src/schema.ts",
            "./src/db/schema.ts",
        )
    });
    let (code, report) = check(project.path(), None, &["--offline"]);
    let unread = incomplete(&report);
    assert!(
        unread
            .iter()
            .any(|(s, r)| s == "ts" && r.contains("schema")),
        "{unread:?}"
    );
    // The latest snapshot has three tables; none of them is reported as removed.
    assert!(
        !categories(&report).iter().any(|c| c == "ungenerated"),
        "{report:#}"
    );
    assert_eq!(code, 2);

    let (code, text, _) = run(project.path(), None, &["check", "--offline"]);
    assert_eq!(code, 2);
    assert!(text.contains("incomplete: ts:"), "{text}");
    assert!(!text.contains("in sync"), "{text}");
    assert!(
        text.contains("incomplete: no findings in what was read, 1 part not read"),
        "{text}"
    );
}

#[test]
fn markdown_and_github_formats_say_incomplete() {
    let project = edited("pending", |p| {
        replace(&p.join("drizzle.config.ts"), "./src/schema.ts", "./nope.ts")
    });
    let (code, md, _) = run(
        project.path(),
        None,
        &["check", "--offline", "--format", "markdown"],
    );
    assert_eq!(code, 2);
    assert!(md.contains("**Incomplete.**"), "{md}");
    assert!(md.starts_with("## ❌"), "{md}");
    let (code, gh, _) = run(
        project.path(),
        None,
        &["check", "--offline", "--format", "github"],
    );
    assert_eq!(code, 2);
    assert!(
        gh.lines()
            .any(|l| l.starts_with("::error title=drizzle-drift%3A ts incomplete::")),
        "{gh}"
    );
}

#[test]
fn an_unparseable_journal_is_incomplete_and_never_a_push_project() {
    let project = edited("pending", |p| {
        std::fs::write(p.join("drizzle/meta/_journal.json"), "{\"entries\": [").expect("write")
    });
    let (code, report) = check(project.path(), None, &["--offline"]);
    let unread = incomplete(&report);
    assert!(
        unread
            .iter()
            .any(|(s, r)| s == "snapshot" && r.contains("_journal.json")),
        "{unread:?}"
    );
    assert_ne!(report["sources"]["push"], Value::Bool(true), "{report:#}");
    assert_eq!(code, 2);
}

#[test]
fn an_unreadable_latest_snapshot_is_incomplete_and_hides_no_ungenerated_change() {
    let project = edited("pending", |p| {
        std::fs::write(p.join("drizzle/meta/0002_snapshot.json"), "{ not json").expect("write")
    });
    let (code, report) = check(project.path(), None, &["--offline"]);
    let unread = incomplete(&report);
    assert!(
        unread
            .iter()
            .any(|(s, r)| s == "snapshot" && r.contains("0002_snapshot.json")),
        "{unread:?}"
    );
    assert!(
        !categories(&report).iter().any(|c| c == "ungenerated"),
        "{report:#}"
    );
    assert_eq!(code, 2);
}

/// A last migration without a snapshot (hand-written SQL): drizzle-kit generate compares
/// the schema with the newest snapshot there is, and so does drizzle-drift — it is not
/// left uncompared.
#[test]
fn a_last_migration_without_snapshot_compares_with_the_one_before() {
    let project = edited("pending", |p| {
        std::fs::remove_file(p.join("drizzle/meta/0002_snapshot.json")).expect("remove")
    });
    let (code, report) = check(project.path(), None, &["--offline"]);
    assert_eq!(incomplete(&report), Vec::<(String, String)>::new());
    // The schema has the comments table that only the deleted snapshot recorded.
    let ungenerated: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["category"] == "ungenerated")
        .collect();
    assert!(
        ungenerated
            .iter()
            .any(|f| f["object"] == "table" && f["name"] == "comments" && f["ts"] == true),
        "{report:#}"
    );
    assert_eq!(code, 1);
}

/// drizzle-kit generate takes the last `meta/` file in sorted order, journaled or not.
#[test]
fn a_stray_snapshot_sorting_last_is_what_generate_compares_with() {
    let project = edited("pending", |p| {
        let meta = p.join("drizzle/meta");
        // The state before comments, under a name that sorts after every journaled one.
        std::fs::copy(
            meta.join("0001_snapshot.json"),
            meta.join("0003_snapshot.json"),
        )
        .expect("copy");
    });
    let (_, report) = check(project.path(), None, &["--offline"]);
    let ungenerated: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["category"] == "ungenerated")
        .map(|f| format!("{} {}", f["object"], f["name"]))
        .collect();
    assert!(
        ungenerated.contains(&"\"table\" \"comments\"".to_string()),
        "{report:#}"
    );
}

async fn migrated_pending(server: &PgServer) -> TestDb {
    let db = server.create_db().await;
    apply_migrations(
        &db,
        &fixture("pending").join("drizzle"),
        None,
        "drizzle",
        "__drizzle_migrations",
    )
    .await
    .unwrap_or_else(|e| panic!("applying pending: {e}"));
    db
}

/// `out` names a folder without migrations while the database lists applied ones: not
/// three `missing` migrations and every table as drift, but one clear incomplete entry.
#[tokio::test]
async fn applied_migrations_matching_no_local_one_are_incomplete_not_drift() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = migrated_pending(&server).await;

    let empty_out = edited("pending", |p| {
        replace(&p.join("drizzle.config.ts"), "./drizzle", "./migrations")
    });
    let (code, report) = check(empty_out.path(), Some(db.url()), &[]);
    let unread = incomplete(&report);
    assert!(
        unread.iter().any(|(s, r)| s == "live"
            && r.contains("3 applied migrations")
            && r.contains("holds no migrations")),
        "{unread:?}"
    );
    let found = categories(&report);
    assert!(
        !found.iter().any(|c| c == "drift" || c == "history"),
        "{report:#}"
    );
    assert_eq!(code, 2);

    // Another project's history: the kitchen fixture's migrations.
    let other = edited("pending", |p| {
        std::fs::remove_dir_all(p.join("drizzle")).expect("remove");
        copy_dir(&fixture("kitchen").join("drizzle"), &p.join("drizzle"));
    });
    let (code, report) = check(other.path(), Some(db.url()), &[]);
    let unread = incomplete(&report);
    assert!(
        unread
            .iter()
            .any(|(s, r)| s == "live" && r.contains("none matches one of the 3 migrations")),
        "{unread:?}"
    );
    assert!(
        !categories(&report).iter().any(|c| c == "drift"),
        "{report:#}"
    );
    assert_eq!(code, 2);

    // The right folder reads complete.
    let (code, report) = check(&fixture("pending"), Some(db.url()), &[]);
    assert_eq!(incomplete(&report), Vec::<(String, String)>::new());
    assert_eq!(code, 0, "{report:#}");
}

/// Readers name files by their full path; the report names them from the project folder.
#[test]
fn findings_name_files_from_the_project_folder() {
    let project = fixture("messy");
    let (_, report) = check(&project, None, &["--offline"]);
    let root = format!("{}/", project.display());
    let text = report.to_string();
    assert!(!text.contains(&root), "{report:#}");
    let names: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert!(names.contains(&"0004_draft"), "{names:?}\n{report:#}");
}

/// With many pending migrations, each pending finding names the one migration whose
/// statement makes the change, not the whole list.
#[tokio::test]
async fn a_pending_change_names_its_own_migration() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let (_, report) = check(&fixture("messy"), Some(db.url()), &[]);
    let pending: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["category"] == "pending")
        .collect();
    assert!(!pending.is_empty(), "{report:#}");
    for f in pending {
        let message = f["message"].as_str().unwrap_or_default();
        let tag = message
            .rsplit_once("pending migration ")
            .map(|(_, tag)| tag)
            .unwrap_or_default();
        let sql = std::fs::read_to_string(fixture("messy").join(format!("drizzle/{tag}.sql")))
            .unwrap_or_else(|_| panic!("{message}: names no one migration"));
        let name = format!("\"{}\"", f["name"].as_str().unwrap_or_default());
        assert!(sql.contains(&name), "{message}: {tag} does not name {name}");
    }
}

/// A config value the comparisons need that cannot be evaluated is never replaced by a
/// default: each makes what rests on it incomplete, and its flag restores it.
#[tokio::test]
async fn config_values_that_cannot_be_evaluated_are_not_defaulted() {
    let unknown = |key: &str| {
        edited("pending", |p| {
            let config = p.join("drizzle.config.ts");
            let text = std::fs::read_to_string(&config).expect("read");
            let text = text
                .replace(
                    "import { defineConfig }",
                    "import { pick } from \"some-helper\";\nimport { defineConfig }",
                )
                .replace("  schema: \"./src/schema.ts\",\n", "")
                .replace("  out: \"./drizzle\",\n", "");
            let (schema, out) = match key {
                "schema" => ("pick(\"schema\")", "\"./drizzle\""),
                "out" => ("\"./src/schema.ts\"", "pick(\"out\")"),
                _ => ("\"./src/schema.ts\"", "\"./drizzle\""),
            };
            let extra = match key {
                "casing" => "  casing: pick(\"casing\"),\n".to_string(),
                "tablesFilter" => "  tablesFilter: [pick(\"t\")],\n".to_string(),
                "schemaFilter" => "  schemaFilter: pick(\"s\"),\n".to_string(),
                "migrations.table" => "  migrations: { table: pick(\"m\") },\n".to_string(),
                _ => String::new(),
            };
            let text = text.replace(
                "  dialect: \"postgresql\",\n",
                &format!("  dialect: \"postgresql\",\n  schema: {schema},\n  out: {out},\n{extra}"),
            );
            std::fs::write(&config, text).expect("write");
        })
    };

    // Offline: schema, casing and out each leave their part unread, exit 2.
    for (key, source) in [("schema", "ts"), ("casing", "ts"), ("out", "snapshot")] {
        let project = unknown(key);
        let (code, report) = check(project.path(), None, &["--offline"]);
        let unread = incomplete(&report);
        assert!(
            unread.iter().any(|(s, r)| s == source
                && r.contains(&format!(
                    "`{key}` cannot be evaluated (uses `pick` imported from some-helper)"
                ))
                && r.starts_with("drizzle.config.ts:")),
            "{key}: {unread:?}"
        );
        assert_eq!(code, 2, "{key}: {report:#}");
        if key == "out" {
            assert!(report["sources"]["snapshot"].is_null(), "{report:#}");
            assert_eq!(report["migrations"].as_array().map(Vec::len), Some(0));
            let (_, stdout, _) = run(project.path(), None, &["check", "--offline"]);
            assert!(stdout.contains("migrations not read"), "{stdout}");
        } else {
            assert!(report["sources"]["ts"].is_null(), "{report:#}");
        }
        assert!(categories(&report).is_empty(), "{key}: {report:#}");
    }

    // The flags stand in for what could not be evaluated: complete again.
    for (key, flags) in [
        ("schema", vec!["--schema", "./src/schema.ts"]),
        ("out", vec!["--out", "drizzle"]),
        ("casing", vec!["--casing", "camelCase"]),
    ] {
        let project = unknown(key);
        let mut args = vec!["--offline"];
        args.extend(flags);
        let (code, report) = check(project.path(), None, &args);
        assert_eq!(incomplete(&report), Vec::<(String, String)>::new(), "{key}");
        assert_eq!(code, 0, "{key}: {report:#}");
    }

    // Against the database: unknown filters and migrations table leave the live side
    // uncompared, and nothing is reported as drift or as a missing migration.
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = migrated_pending(&server).await;
    for key in ["schemaFilter", "tablesFilter", "migrations.table", "out"] {
        let project = unknown(key);
        let (code, report) = check(project.path(), Some(db.url()), &[]);
        let unread = incomplete(&report);
        assert!(
            unread
                .iter()
                .any(|(_, r)| r.contains(&format!("`{key}` cannot be evaluated"))),
            "{key}: {unread:?}"
        );
        let found = categories(&report);
        assert!(
            !found.iter().any(|c| c == "drift" || c == "history"),
            "{key}: {report:#}"
        );
        assert!(
            !report["migrations"]
                .as_array()
                .expect("migrations")
                .iter()
                .any(|m| m["state"] == "missing"),
            "{key}: {report:#}"
        );
        assert_eq!(code, 2, "{key}");
    }
}
