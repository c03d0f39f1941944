//! `--format markdown` (a pull-request comment) and `--format github` (workflow
//! annotations): snapshots on the bundled demo and on a real PostgreSQL run, and the
//! locations the annotations point at.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use support::{apply_migrations, copy_dir, fixture, PgServer};

fn drift() -> Command {
    let mut cmd = Command::cargo_bin("drizzle-drift").expect("binary is built");
    cmd.env("NO_COLOR", "1").env_remove("DATABASE_URL");
    cmd
}

fn stdout_of(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// 1-based line of the first line of `file` containing `needle`.
fn line_of(file: &Path, needle: &str) -> u64 {
    let text = std::fs::read_to_string(file).expect("read");
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{} has no {needle:?}", file.display())) as u64
        + 1
}

fn finding<'a>(report: &'a Value, table: &str, name: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["table"] == table && f["name"] == name)
        .unwrap_or_else(|| panic!("no finding {table}.{name} in {report:#}"))
}

#[test]
fn demo_markdown() {
    let (code, out) = stdout_of(drift().args(["demo", "--format", "markdown"]));
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn demo_github() {
    let (code, out) = stdout_of(drift().args(["demo", "--format", "github"]));
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn demo_pending_columns_point_at_their_typescript_declaration() {
    let (_, out) = stdout_of(drift().args(["demo", "--format", "json"]));
    let report: Value = serde_json::from_str(&out).expect("json");
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/project/src/db/schema.ts");
    for (table, name, declared) in [
        (
            "projects",
            "slug",
            r#"slug: varchar("slug", { length: 64 }).notNull(),"#,
        ),
        (
            "projects",
            "archived_at",
            r#"archivedAt: timestamp("archived_at""#,
        ),
        ("invoices", "paid_at", r#"paidAt: timestamp("paid_at""#),
    ] {
        let f = finding(&report, table, name);
        assert_eq!(f["location"]["file"], "src/db/schema.ts", "{f:#}");
        assert_eq!(f["location"]["line"], line_of(&schema, declared), "{f:#}");
    }
}

/// Without a TypeScript schema, a pending change points at the statement of the pending
/// migration that makes it.
#[test]
fn pending_without_typescript_points_at_the_migration_statement() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    copy_dir(&demo, tmp.path());
    let project = tmp.path().join("project");
    let config = project.join("drizzle.config.ts");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(
        &config,
        text.replace("  schema: \"./src/db/schema.ts\",\n", ""),
    )
    .expect("write");
    let (_, out) = stdout_of(drift().current_dir(&project).args([
        "check",
        "--catalog",
        "../catalog.json",
        "--format",
        "json",
    ]));
    let report: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        report["sources"]["ts"],
        Value::Null,
        "the schema was not read"
    );
    let sql = project.join("drizzle/0003_project_slugs.sql");
    for (table, name, statement) in [
        ("projects", "slug", r#"ADD COLUMN "slug""#),
        (
            "projects",
            "projects_active_idx",
            r#"CREATE INDEX "projects_active_idx""#,
        ),
        ("invoices", "paid_at", r#"ADD COLUMN "paid_at""#),
    ] {
        let f = finding(&report, table, name);
        assert_eq!(
            f["location"]["file"], "drizzle/0003_project_slugs.sql",
            "{f:#}"
        );
        assert_eq!(f["location"]["line"], line_of(&sql, statement), "{f:#}");
    }
}

/// In a monorepo GitHub wants paths from the repository root, not the project folder.
#[test]
fn github_paths_start_at_the_git_work_tree_root() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let project = tmp.path().join("apps/web");
    copy_dir(&demo.join("project"), &project);
    let init = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(tmp.path())
        .status()
        .expect("git runs");
    assert!(init.success());
    let catalog = demo.join("catalog.json");
    let (_, out) = stdout_of(drift().current_dir(&project).args([
        "check",
        "--catalog",
        catalog.to_str().expect("utf-8 path"),
        "--format",
        "github",
    ]));
    assert!(
        out.contains("::warning file=apps/web/src/db/schema.ts,line=70,"),
        "{out}"
    );
    assert!(!out.contains("file=src/"), "{out}");
}

#[test]
fn migrations_markdown_and_the_formats_other_commands_refuse() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let (code, out) = stdout_of(drift().current_dir(demo.join("project")).args([
        "migrations",
        "--catalog",
        "../catalog.json",
        "--format",
        "markdown",
    ]));
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!(out);
    let (code, out) = stdout_of(drift().current_dir(demo.join("project")).args([
        "migrations",
        "--catalog",
        "../catalog.json",
        "--format",
        "github",
    ]));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("check --format github"), "{out}");
    let (code, out) = stdout_of(
        drift()
            .current_dir(demo.join("project"))
            .args(["inspect", "--source", "ts", "--format", "markdown"]),
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("inspect prints JSON"), "{out}");
}

/// A real run: the `pending` fixture fully applied, then a column added to the schema
/// (ungenerated), two changes by hand in the database (drift, one with a hostile name),
/// and an applied migration edited afterwards (history).
#[tokio::test]
async fn postgres_ungenerated_drift_and_history() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
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
    db.execute(
        r#"ALTER TABLE users ALTER COLUMN email TYPE varchar(320);
           ALTER TABLE posts ADD COLUMN "we|rd <b>`x`</b> @octocat" text"#,
    )
    .await;

    let tmp = tempfile::tempdir().expect("tempdir");
    let project = tmp.path();
    copy_dir(&fixture("pending"), project);
    let schema = project.join("src/schema.ts");
    let ts = std::fs::read_to_string(&schema).expect("schema");
    let bio = "  bio: text(\"bio\"),\n";
    assert!(ts.contains(bio));
    std::fs::write(
        &schema,
        ts.replacen(bio, &format!("{bio}  twitter: text(\"twitter\"),\n"), 1),
    )
    .expect("write schema");
    let first_sql = std::fs::read_dir(project.join("drizzle"))
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .min()
        .expect("a migration");
    let mut sql = std::fs::read_to_string(&first_sql).expect("sql");
    sql.push_str("\n-- edited after it was applied\n");
    std::fs::write(&first_sql, sql).expect("write sql");
    let first_sql_rel = first_sql
        .strip_prefix(project)
        .expect("inside")
        .display()
        .to_string();

    let run = |format: &str| {
        stdout_of(
            drift()
                .current_dir(project)
                .env("DATABASE_URL", db.url())
                .args(["check", "--format", format]),
        )
    };
    let (code, out) = run("json");
    assert_eq!(code, 1, "{out}");
    let report: Value = serde_json::from_str(&out).expect("json");
    let twitter = finding(&report, "users", "twitter");
    assert_eq!(twitter["category"], "ungenerated");
    assert_eq!(twitter["location"]["file"], "src/schema.ts");
    assert_eq!(
        twitter["location"]["line"],
        line_of(&schema, "twitter: text(\"twitter\")")
    );
    let email = finding(&report, "users", "email");
    assert_eq!(email["category"], "drift");
    assert_eq!(
        email["location"]["line"],
        line_of(&schema, "email: varchar(")
    );
    let history: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["category"] == "history")
        .collect();
    assert_eq!(history.len(), 1, "{history:#?}");
    assert_eq!(history[0]["location"]["file"], first_sql_rel.as_str());

    // The database label names a throwaway database and port: not for a snapshot.
    let label = report["sources"]["live"]
        .as_str()
        .expect("label")
        .to_string();
    let redact = |s: String| s.replace(&label, "[database]");
    let (code, markdown) = run("markdown");
    assert_eq!(code, 1, "{markdown}");
    assert!(markdown.contains(&label), "{markdown}");
    insta::assert_snapshot!("postgres_markdown", redact(markdown));
    let (code, github) = run("github");
    assert_eq!(code, 1, "{github}");
    insta::assert_snapshot!("postgres_github", redact(github));
}

/// `--report-file`: one check, the other formats written to files, each the same as that
/// format on stdout (the GitHub Action takes annotations and the summary from one run).
#[test]
fn report_files_hold_what_each_format_prints() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let project = demo.join("project");
    let tmp = tempfile::tempdir().expect("tempdir");
    let md = tmp.path().join("summary.md");
    let json = tmp.path().join("report.json");
    let out = drift()
        .current_dir(&project)
        .args([
            "check",
            "--catalog",
            "../catalog.json",
            "--format",
            "github",
        ])
        .arg("--report-file")
        .arg(format!("markdown={}", md.display()))
        .arg("--report-file")
        .arg(format!("JSON={}", json.display()))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let check = |format: &str| {
        let out = drift()
            .current_dir(&project)
            .args(["check", "--catalog", "../catalog.json", "--format", format])
            .output()
            .expect("runs");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    assert_eq!(
        String::from_utf8(out.stdout).expect("utf-8"),
        check("github")
    );
    assert_eq!(
        std::fs::read_to_string(&md).expect("markdown"),
        check("markdown")
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("valid json");
    let printed: Value = serde_json::from_str(&check("json")).expect("valid json");
    assert_eq!(written["findings"], printed["findings"]);

    for (arg, error) in [
        ("markdown", "is not FORMAT=PATH"),
        ("yaml=x.yml", "unknown format `yaml`"),
        ("markdown=", "names no file"),
    ] {
        let (code, out) = stdout_of(drift().current_dir(&project).args([
            "check",
            "--offline",
            "--report-file",
            arg,
        ]));
        assert_eq!(code, 2, "{out}");
        assert!(out.contains(error), "{arg}: {out}");
    }
}
