//! Lint of pending migrations on the real drizzle-kit fixture `pg/lint`: 0001 was
//! generated with the rename prompt answered "create", 0002 hand-written with
//! `generate --custom`.

mod support;

use assert_cmd::Command;
use drizzle_drift::engine::{self, LiveSource, Options, TsEngine};
use drizzle_drift::report::{Category, Finding, Severity};
use serde_json::Value;
use std::path::Path;
use support::{apply_migrations, copy_dir, fixture, PgServer};

fn drift(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("drizzle-drift").expect("binary is built");
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("DRIZZLE_DRIFT_URL")
        .env("NO_COLOR", "1");
    cmd
}

/// `(rule, migration tag, line)` of every finding of `lint --offline --format json TAGS`.
fn lint_json(dir: &Path, tags: &[&str]) -> (i32, Vec<(String, String, u64)>) {
    let out = drift(dir)
        .args(["lint", "--offline", "--format", "json"])
        .args(tags)
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut rules: Vec<(String, String, u64)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            assert_eq!(f["category"], "lint");
            (
                f["rule"].as_str().expect("rule").to_string(),
                f["name"].as_str().expect("tag").to_string(),
                // 0: about the migration as a whole.
                f["location"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    rules.sort();
    (out.status.code().unwrap_or(-1), rules)
}

fn has(rules: &[(String, String, u64)], rule: &str, tag: &str, line: u64) -> bool {
    rules
        .iter()
        .any(|(r, t, l)| r == rule && t == tag && *l == line)
}

#[test]
fn every_rule_on_the_fixture_and_none_on_the_new_table() {
    let dir = fixture("lint");
    let (code, rules) = lint_json(&dir, &["0001", "0002"]);
    assert_eq!(code, 1, "errors fail the run: {rules:?}");
    let tag1 = "0001_risky_changes";
    let tag2 = "0002_backfill_and_index";
    for (rule, tag, line) in [
        ("drizzle-set-not-null", tag1, 9),
        ("drizzle-table-rewrite", tag1, 10),
        ("drizzle-constraint-not-valid", tag1, 15),
        ("require-concurrent-index-creation", tag1, 16),
        ("drizzle-drop-add-column", tag1, 17),
        ("ban-drop-column", tag1, 17),
        ("drizzle-unique-without-index", tag1, 18),
        ("drizzle-enum-value-in-same-batch", tag2, 2),
        ("drizzle-not-in-transaction", tag2, 4),
        ("drizzle-snapshot-mismatch", tag2, 6),
    ] {
        assert!(
            has(&rules, rule, tag, line),
            "{rule} at {tag}:{line} in {rules:?}"
        );
    }
    // orders is created by 0001 itself: its FK (line 11), indexes (12, 13), unique and
    // NOT NULL columns raise nothing.
    for line in [2, 11, 12, 13] {
        assert!(
            !rules.iter().any(|(_, t, l)| t == tag1 && *l == line),
            "no alarm on the new table at line {line}: {rules:?}"
        );
    }
    // Lines 8-10 of 0002 carry both ignore comments.
    assert!(
        !rules.iter().any(|(_, t, l)| t == tag2 && *l >= 8),
        "ignored statement: {rules:?}"
    );
    assert_eq!(rules.len(), 10, "{rules:?}");
}

#[test]
fn offline_lints_the_newest_migration_only() {
    let (_, rules) = lint_json(&fixture("lint"), &[]);
    assert!(rules.iter().all(|(_, t, _)| t == "0002_backfill_and_index"));
    // Without 0001 in the batch, the enum value was committed earlier: no alarm.
    assert!(!rules
        .iter()
        .any(|(r, _, _)| r == "drizzle-enum-value-in-same-batch"));
    assert!(has(
        &rules,
        "drizzle-not-in-transaction",
        "0002_backfill_and_index",
        4
    ));
}

#[test]
fn the_project_file_disables_rules_and_a_bad_one_names_its_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("lint"), tmp.path());
    std::fs::write(
        tmp.path().join("drizzle-drift.toml"),
        "# our tables are small\n[lint]\ndisable = [\"drizzle-set-not-null\", \"ban-drop-column\"]\n",
    )
    .expect("write");
    let (_, rules) = lint_json(tmp.path(), &["0001", "0002"]);
    assert!(!rules
        .iter()
        .any(|(r, _, _)| r == "drizzle-set-not-null" || r == "ban-drop-column"));
    assert!(has(
        &rules,
        "drizzle-table-rewrite",
        "0001_risky_changes",
        10
    ));

    std::fs::write(
        tmp.path().join("drizzle-drift.toml"),
        "[lint]\n\ndisable = [\"drizzle-set-not-nul\"]\n",
    )
    .expect("write");
    let out = drift(tmp.path())
        .args(["lint", "--offline"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("drizzle-drift.toml:3: unknown lint rule `drizzle-set-not-nul`"),
        "{err}"
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    let settings = drizzle_drift::lint::Settings::default();
    let pieces = [
        "ALTER TABLE ",
        "\"users\"",
        " ALTER COLUMN ",
        "SET NOT NULL",
        "ADD VALUE '",
        "'",
        "--> statement-breakpoint\n",
        "CREATE INDEX CONCURRENTLY ",
        "\u{0}",
        "é",
        ";",
        "(",
        "-- drizzle-drift-ignore",
        "DROP COLUMN ",
        "\"",
        ".",
        "UNIQUE(",
        "\n",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3000 {
        let mut sql = String::new();
        for _ in 0..(seed % 24) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            if seed.is_multiple_of(3) {
                let b = (seed >> 8) as u8;
                sql.push_str(&String::from_utf8_lossy(&[b, (seed >> 16) as u8]));
            } else {
                sql.push_str(pieces[(seed as usize >> 4) % pieces.len()]);
            }
        }
        let m = drizzle_drift::lint::Migration {
            tag: "0000_x".into(),
            file: "x.sql".into(),
            sql,
            before: None,
            after: None,
        };
        let _ = drizzle_drift::lint::lint(
            drizzle_drift::model::Dialect::Postgresql,
            std::slice::from_ref(&m),
            None,
            &settings,
        );
    }
}

/// A real database holding 0000 with rows in users: `check` lints the two pending
/// migrations as one batch and sizes the tables from the catalog.
#[tokio::test]
async fn a_live_database_sizes_the_tables_in_the_messages() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let dir = fixture("lint");
    let ran = apply_migrations(
        &db,
        &dir.join("drizzle"),
        Some(1),
        "drizzle",
        "__drizzle_migrations",
    )
    .await
    .expect("apply 0000");
    assert_eq!(ran, 1);
    db.execute(
        "INSERT INTO users (email, name, age) SELECT 'u' || g || '@x.io', 'n' || g, g % 90 \
         FROM generate_series(1, 20000) g; ANALYZE users;",
    )
    .await;
    let opts = Options {
        config: Some(dir.join("drizzle.config.ts")),
        cwd: dir.clone(),
        live: LiveSource::Database {
            url: Some(db.url().to_string()),
        },
        ts_engine: TsEngine::Static,
        overrides: Default::default(),
    };
    let loaded = engine::load(&opts).await.expect("load");
    let stats = loaded
        .catalog
        .as_ref()
        .and_then(|c| c.stats("public", "users"))
        .cloned()
        .expect("users stats");
    assert_eq!(stats.rows, Some(20000));
    assert!(stats.bytes > 500_000, "{stats:?}");
    let report = engine::report(&loaded);
    let lint: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.category == Category::Lint)
        .collect();
    let not_null = lint
        .iter()
        .find(|f| f.rule.as_deref() == Some("drizzle-set-not-null"))
        .expect("set not null finding");
    assert!(
        not_null.message.contains("(users: ~20k rows, ") && not_null.message.contains("B)"),
        "{}",
        not_null.message
    );
    assert_eq!(
        not_null
            .location
            .as_ref()
            .map(|o| (o.file.as_str(), o.line)),
        Some(("drizzle/0001_risky_changes.sql", Some(9)))
    );
    // One batch: 0002 uses the value 0001 adds.
    assert!(lint.iter().any(
        |f| f.rule.as_deref() == Some("drizzle-enum-value-in-same-batch")
            && f.severity == Severity::Error
    ));
}

/// MySQL commits each DDL: only the Drizzle rules that do not depend on the migrator's
/// transaction apply, and squawk (PostgreSQL) is not run.
#[test]
fn mysql_gets_the_drop_add_rule_only() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mysql/lint");
    let (code, rules) = lint_json(&dir, &["0001"]);
    assert_eq!(code, 1, "{rules:?}");
    assert_eq!(
        rules,
        [(
            "drizzle-drop-add-column".to_string(),
            "0001_rename_name".to_string(),
            10
        )],
        "nothing on the new table teams, no squawk rule"
    );
    let out = drift(&dir)
        .args(["lint", "--offline", "0001"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ALTER TABLE `users` RENAME COLUMN `name` TO `display_name`;"),
        "{text}"
    );
}

/// A statement deleted by hand from a generated migration: its snapshot still adds the
/// column, no statement does.
#[test]
fn a_statement_deleted_by_hand_is_a_snapshot_mismatch() {
    let dir = fixture("lint-edited");
    let (code, rules) = lint_json(&dir, &[]);
    assert_eq!(code, 0, "a warning: {rules:?}");
    assert_eq!(
        rules,
        [(
            "drizzle-snapshot-mismatch".to_string(),
            "0001_nickname_and_tags".to_string(),
            0
        )],
        "the new table tags is created by the SQL: only the deleted column"
    );
    let out = drift(&dir)
        .args(["lint", "--offline"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("its snapshot adds column users.nickname but no statement of its SQL does"),
        "{text}"
    );
    // The generated migrations of the other fixtures agree with their snapshots.
    for name in ["lint", "pending", "kitchen"] {
        let (_, rules) = lint_json(&fixture(name), &["0000", "0001"]);
        assert!(
            !rules
                .iter()
                .any(|(r, _, l)| r == "drizzle-snapshot-mismatch" && *l == 0),
            "{name}: {rules:?}"
        );
    }
}

/// `drizzle-table-rewrite` agrees with PostgreSQL on every type change listed: the server
/// says whether it rewrote the table (`pg_class.relfilenode` changed), not our opinion.
/// The session TimeZone is not UTC, as the rule assumes (PostgreSQL 12+ skips the rewrite of
/// timestamp → timestamptz only under UTC).
#[tokio::test]
async fn the_rewrite_rule_agrees_with_postgresql() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let client = db.client().await;
    let cases = [
        ("varchar(10)", "varchar(20)"),
        ("varchar(20)", "varchar(10)"),
        ("varchar(10)", "varchar"),
        ("varchar", "varchar(10)"),
        ("character varying(10)", "text"),
        ("varchar", "text"),
        ("text", "varchar"),
        ("text", "varchar(10)"),
        ("char(5)", "text"),
        ("char(5)", "char(10)"),
        ("char(5)", "varchar(10)"),
        ("numeric(10, 2)", "numeric(12,2)"),
        ("numeric(10, 2)", "numeric(8,2)"),
        ("numeric(10, 2)", "numeric(12,3)"),
        ("numeric(10, 2)", "numeric"),
        ("numeric", "numeric(10,2)"),
        ("numeric(10)", "numeric(12,0)"),
        ("decimal(10,2)", "numeric(11,2)"),
        ("bit varying(5)", "bit varying(10)"),
        ("varbit(10)", "varbit(5)"),
        ("cidr", "inet"),
        ("inet", "cidr"),
        ("timestamp", "timestamp with time zone"),
        ("timestamp with time zone", "timestamp"),
        ("timestamp(3)", "timestamp(6)"),
        ("timestamp(6)", "timestamp(3)"),
        ("timestamp(3)", "timestamp"),
        ("timestamp", "timestamp(3)"),
        ("timestamp", "timestamp(6)"),
        ("timestamp(3) with time zone", "timestamp(6) with time zone"),
        ("time(3)", "time"),
        ("time", "time(2)"),
        ("integer", "bigint"),
        ("bigint", "integer"),
        ("smallint", "integer"),
        ("text", "text"),
        ("varchar(10)[]", "varchar(20)[]"),
        ("varchar(10)[]", "text[]"),
        ("integer", "text"),
    ];
    let relfilenode = |sql: String| {
        let client = &client;
        async move {
            let rows = client.simple_query(&sql).await.expect("relfilenode");
            rows.iter()
                .find_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                    _ => None,
                })
                .expect("a row")
        }
    };
    let mut disagree = Vec::new();
    for (i, (from, to)) in cases.iter().enumerate() {
        let table = format!("t{i}");
        client
            .batch_execute(&format!(
                "SET TimeZone = 'Europe/Paris'; CREATE TABLE {table} (c {from}); \
                 INSERT INTO {table} VALUES (NULL);"
            ))
            .await
            .expect("create");
        let q = format!("SELECT relfilenode::text FROM pg_class WHERE oid = '{table}'::regclass");
        let before = relfilenode(q.clone()).await;
        client
            .batch_execute(&format!(
                "ALTER TABLE {table} ALTER COLUMN c SET DATA TYPE {to}"
            ))
            .await
            .unwrap_or_else(|e| panic!("{from} -> {to}: {e}"));
        let pg_rewrote = relfilenode(q).await != before;
        let ours = drizzle_drift::lint::rewrite::rewrites(from, to);
        if pg_rewrote != ours {
            disagree.push(format!(
                "{from} -> {to}: PostgreSQL rewrote={pg_rewrote}, rule says {ours}"
            ));
        }
    }
    assert!(disagree.is_empty(), "{disagree:#?}");
}

/// `enable` turns on a squawk rule left out by default, `[lint.severity]` changes a rule's
/// severity (here a warning becomes an error and an error a warning).
#[test]
fn the_project_file_enables_rules_and_sets_severities() {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("lint"), tmp.path());
    let (_, before) = lint_json(tmp.path(), &["0001"]);
    assert!(!before.iter().any(|(r, _, _)| r == "prefer-identity"));
    std::fs::write(
        tmp.path().join("drizzle-drift.toml"),
        "[lint]\nenable = [\"prefer-identity\"]\n\n[lint.severity]\ndrizzle-set-not-null = \"error\"\ndrizzle-drop-add-column = \"warning\"\n",
    )
    .expect("write");
    let (_, rules) = lint_json(tmp.path(), &["0001"]);
    assert!(
        has(&rules, "prefer-identity", "0001_risky_changes", 2),
        "{rules:?}"
    );
    let out = drift(tmp.path())
        .args(["lint", "--offline", "--format", "json", "0001"])
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let severity = |rule: &str| {
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["rule"] == rule)
            .map(|f| f["severity"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(severity("drizzle-set-not-null").as_deref(), Some("error"));
    assert_eq!(
        severity("drizzle-drop-add-column").as_deref(),
        Some("warning")
    );

    std::fs::write(
        tmp.path().join("drizzle-drift.toml"),
        "[lint.severity]\ndrizzle-set-not-null = \"loud\"\n",
    )
    .expect("write");
    let out = drift(tmp.path())
        .args(["lint", "--offline"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("drizzle-drift.toml:2: unknown severity `loud` for `drizzle-set-not-null`"),
        "{err}"
    );
}

/// drizzle-kit's own migration for a `.notNull()` column without a default (the demo's
/// 0003 adds `projects.slug`), pending on a table that has rows: PostgreSQL rejects it, so
/// the lint is an error that says so, and PostgreSQL confirms it.
#[tokio::test]
async fn a_required_column_on_a_table_with_rows_is_an_error() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/project");
    let ran = apply_migrations(
        &db,
        &dir.join("drizzle"),
        Some(3),
        "drizzle",
        "__drizzle_migrations",
    )
    .await
    .expect("apply 0000-0002");
    assert_eq!(ran, 3);
    db.execute(
        "INSERT INTO organizations (name, slug) VALUES ('Acme', 'acme'); \
         INSERT INTO projects (organization_id, name) \
         SELECT 1, 'p' || g FROM generate_series(1, 500) g; ANALYZE projects;",
    )
    .await;
    let opts = Options {
        config: Some(dir.join("drizzle.config.ts")),
        cwd: dir.clone(),
        live: LiveSource::Database {
            url: Some(db.url().to_string()),
        },
        ts_engine: TsEngine::Static,
        overrides: Default::default(),
    };
    let loaded = engine::load(&opts).await.expect("load");
    let report = engine::report(&loaded);
    let required = report
        .findings
        .iter()
        .find(|f| f.rule.as_deref() == Some("adding-required-field"))
        .expect("adding-required-field finding");
    assert_eq!(required.severity, Severity::Error, "{required:?}");
    assert!(
        required.message.contains("contains null values")
            && required.message.contains("(projects: ~500 rows, "),
        "{}",
        required.message
    );
    assert_eq!(
        required
            .location
            .as_ref()
            .map(|o| (o.file.as_str(), o.line)),
        Some(("drizzle/0003_project_slugs.sql", Some(2)))
    );

    let client = db.client().await;
    let err = client
        .batch_execute(r#"ALTER TABLE "projects" ADD COLUMN "slug" varchar(64) NOT NULL"#)
        .await
        .expect_err("PostgreSQL rejects the column on a table with rows");
    let text = support::pg::describe(&err);
    assert!(text.contains("contains null values"), "{text}");
}

const HISTORY: [&str; 12] = [
    "0000", "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011",
];

/// The rules that claim something about a history (the rest describe locks).
fn claims(rules: &[(String, String, u64)]) -> Vec<&(String, String, u64)> {
    rules
        .iter()
        .filter(|(r, _, _)| {
            [
                "drizzle-not-in-transaction",
                "drizzle-enum-value-in-same-batch",
                "drizzle-drop-add-column",
                "drizzle-snapshot-mismatch",
            ]
            .contains(&r.as_str())
        })
        .collect()
}

/// `pg/lint-history` is what real histories do (see regenerate.sh), and the real migrator
/// applies it whole in one run (applied.json: 12 rows): a `COMMIT;` after an ADD VALUE, a
/// CONCURRENTLY index after it, columns replaced by ones that are no renames, a recreate
/// written as one chunk of two statements, a custom migration's rename and a hand-written
/// drop that later snapshots catch up with, a deleted statement a later migration supplies.
#[test]
fn a_history_the_migrator_applies_makes_no_claim() {
    let dir = fixture("lint-history");
    let applied: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("applied.json")).expect("applied.json"),
    )
    .expect("json");
    assert_eq!(applied.as_array().map(Vec::len), Some(12));
    let (_, rules) = lint_json(&dir, &HISTORY);
    assert!(claims(&rules).is_empty(), "{rules:?}");
}

/// `pg/lint-reshape`: a jsonb array column replaced by a jsonb object column (answered
/// "create") is new data, not a rename answered wrong.
#[test]
fn a_json_array_replaced_by_a_json_object_is_no_rename() {
    let dir = fixture("lint-reshape");
    let (_, rules) = lint_json(&dir, &["0000", "0001"]);
    assert!(
        !rules.iter().any(|(r, _, _)| r == "drizzle-drop-add-column"),
        "{rules:?}"
    );
    // The same replacement with the old column's default kept is the rename again.
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&dir, tmp.path());
    let snapshot = tmp.path().join("drizzle/meta/0001_snapshot.json");
    let text = std::fs::read_to_string(&snapshot).expect("snapshot");
    std::fs::write(&snapshot, text.replace("'{}'::jsonb", "'[]'::jsonb")).expect("write");
    let (_, rules) = lint_json(tmp.path(), &["0000", "0001"]);
    assert!(
        has(&rules, "drizzle-drop-add-column", "0001_hour_histogram", 2),
        "{rules:?}"
    );
}

/// The same files cut short, or without the hand-written COMMIT, are claims again: each
/// exemption above rests on the part of the history that makes it true.
#[test]
fn the_history_cut_short_is_a_claim_again() {
    let dir = fixture("lint-history");
    // The snapshot's rename, or the deleted ADD COLUMN, with nothing after that settles it.
    for (tags, tag) in [
        (&["0007"][..], "0007_rename_editors"),
        (&["0008"][..], "0008_archived"),
        (&["0011"][..], "0011_drop_authors"),
    ] {
        let (_, rules) = lint_json(&dir, tags);
        assert!(
            has(&rules, "drizzle-snapshot-mismatch", tag, 0),
            "{tags:?}: {rules:?}"
        );
    }
    for tags in [&["0006", "0007"][..], &["0008", "0009"], &["0010", "0011"]] {
        let (_, rules) = lint_json(&dir, tags);
        assert!(claims(&rules).is_empty(), "{tags:?}: {rules:?}");
    }

    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&dir, tmp.path());
    let first = tmp.path().join("drizzle/0001_link_kind.sql");
    let sql = std::fs::read_to_string(&first).expect("read");
    std::fs::write(&first, sql.replace("COMMIT;", "")).expect("write");
    let (_, rules) = lint_json(tmp.path(), &HISTORY);
    assert!(
        has(
            &rules,
            "drizzle-enum-value-in-same-batch",
            "0002_link_index",
            1
        ) && has(&rules, "drizzle-not-in-transaction", "0003_body_index", 3),
        "{rules:?}"
    );
    // The two statements of 0005 as the head of one text would be a lone DROP COLUMN.
    let recreate = tmp.path().join("drizzle/0005_rescore.sql");
    let sql = std::fs::read_to_string(&recreate).expect("read");
    std::fs::write(
        &recreate,
        sql.replace("ADD COLUMN \"score\"", "ADD COLUMN \"score2\""),
    )
    .expect("write");
    let (_, rules) = lint_json(tmp.path(), &["0005"]);
    assert!(
        has(&rules, "drizzle-snapshot-mismatch", "0005_rescore", 3),
        "{rules:?}"
    );
}

/// A replaced column that may well be a rename still is one: same type, same reference.
#[test]
fn a_replacement_that_may_be_a_rename_still_is_one() {
    let dir = fixture("lint");
    let (_, rules) = lint_json(&dir, &["0001"]);
    assert!(
        rules
            .iter()
            .any(|(r, t, _)| r == "drizzle-drop-add-column" && t == "0001_risky_changes"),
        "{rules:?}"
    );
}

/// drizzle-kit writes `SET DATA TYPE integer` from text without USING (fixture `pg/lint-cast`):
/// the rule flags exactly the statements the real server refuses, on an empty table.
#[tokio::test]
async fn a_type_change_without_a_cast_is_an_error_the_server_confirms() {
    let dir = fixture("lint-cast");
    let (code, rules) = lint_json(&dir, &["0001"]);
    assert_eq!(code, 1, "{rules:?}");
    let flagged: Vec<u64> = rules
        .iter()
        .filter(|(r, _, _)| r == "drizzle-cast-needs-using")
        .map(|(_, _, l)| *l)
        .collect();
    assert_eq!(flagged, [1, 2, 3], "{rules:?}");

    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let client = db.client().await;
    let read = |name: &str| std::fs::read_to_string(dir.join("drizzle").join(name)).expect("sql");
    for statement in read("0000_init.sql").split("--> statement-breakpoint") {
        client.batch_execute(statement).await.expect("0000");
    }
    for (i, statement) in read("0001_numeric_tiers.sql")
        .split("--> statement-breakpoint")
        .enumerate()
    {
        let refused = match client.batch_execute(statement).await {
            Ok(()) => false,
            Err(e) => {
                let text = support::pg::describe(&e);
                assert!(text.contains("cannot be cast automatically"), "{text}");
                true
            }
        };
        let line = i as u64 + 1;
        assert_eq!(refused, flagged.contains(&line), "line {line}: {statement}");
    }
}

/// Every pair `cast::needs_using` claims, and its neighbours, against a real server.
#[tokio::test]
async fn the_cast_rule_agrees_with_postgresql() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let client = db.client().await;
    let types = [
        "text",
        "varchar(20)",
        "char(5)",
        "smallint",
        "integer",
        "bigint",
        "numeric(10,2)",
        "real",
        "double precision",
        "boolean",
        "uuid",
        "json",
        "jsonb",
        "date",
        "timestamp",
        "timestamp with time zone",
        "interval",
        "inet",
        "bytea",
    ];
    let mut disagree = Vec::new();
    let mut n = 0;
    for from in types {
        for to in types {
            n += 1;
            let table = format!("c{n}");
            client
                .batch_execute(&format!("CREATE TABLE {table} (c {from})"))
                .await
                .expect("create");
            let refused = match client
                .batch_execute(&format!(
                    "ALTER TABLE {table} ALTER COLUMN c SET DATA TYPE {to}"
                ))
                .await
            {
                Ok(()) => false,
                Err(e) => support::pg::describe(&e).contains("cannot be cast automatically"),
            };
            let ours = drizzle_drift::lint::cast::needs_using(from, to);
            // Among the types the rule knows, it claims exactly what the server refuses.
            if ours && !refused {
                disagree.push(format!(
                    "{from} -> {to}: PostgreSQL converts it, rule says USING"
                ));
            }
            if refused && !ours {
                disagree.push(format!("{from} -> {to}: refused, rule silent"));
            }
        }
    }
    assert!(disagree.is_empty(), "{disagree:#?}");
}
