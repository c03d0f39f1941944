//! `drizzle-drift check` end to end on MySQL/MariaDB: real drizzle-kit fixtures, applied the
//! way drizzle-orm's mysql2 migrator does, then changed by hand.

mod support;

use serde_json::Value;
use std::path::Path;
use support::cli::run;
use support::copy_dir;
use support::mysql::{apply_folder_migrations, apply_migrations, fixture, MysqlDb, MysqlServer};

const TABLE: &str = "__drizzle_migrations";

fn check_json(project: &Path, db: &MysqlDb) -> (i32, Value) {
    let (code, stdout, stderr) = run(project, Some(db.url()), &["check", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("check printed no JSON ({e}); exit {code}\nstdout: {stdout}\nstderr: {stderr}")
    });
    (code, report)
}

fn findings(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .expect("findings is a list")
        .iter()
        .collect()
}

/// `category object table.name field` of every finding, for readable assertions.
fn summary(report: &Value) -> Vec<String> {
    findings(report)
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
        .collect()
}

fn states(report: &Value) -> Vec<String> {
    report["migrations"]
        .as_array()
        .expect("migrations")
        .iter()
        .map(|m| m["state"].as_str().unwrap_or("?").to_string())
        .collect()
}

async fn migrated(server: &MysqlServer, name: &str, upto: Option<usize>) -> MysqlDb {
    let db = server.create_db().await;
    apply_migrations(&db, &fixture(name).join("drizzle"), upto, TABLE)
        .await
        .unwrap_or_else(|e| panic!("applying {name}: {e}"));
    db
}

/// Our migrator must write the rows drizzle-orm's real one wrote (`applied.json`).
async fn assert_rows_match_real_migrator(db: &MysqlDb, name: &str) {
    let rows = db
        .rows(&format!("select hash, created_at from {TABLE} order by id"))
        .await;
    let real: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(name).join("applied.json")).expect("applied.json"),
    )
    .expect("json");
    let real = real.as_array().expect("list");
    assert_eq!(rows.len(), real.len(), "{name}: row count");
    for (row, real) in rows.iter().zip(real) {
        assert_eq!(row[0].as_deref(), real["hash"].as_str(), "{name}: hash");
        assert_eq!(
            row[1].as_deref().and_then(|s| s.parse::<i64>().ok()),
            real["created_at"].as_i64(),
            "{name}: created_at"
        );
    }
}

async fn assert_in_sync(name: &str) {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = migrated(&server, name, None).await;
    assert_rows_match_real_migrator(&db, name).await;
    let (code, report) = check_json(&fixture(name), &db);
    assert_eq!(
        summary(&report),
        Vec::<String>::new(),
        "{name} in sync must report nothing:\n{report:#}"
    );
    assert_eq!(code, 0);
    assert_eq!(report["dialect"], "mysql");
    assert!(
        states(&report).iter().all(|s| s == "applied"),
        "{name}: {:?}",
        states(&report)
    );
}

#[tokio::test]
async fn kitchen_in_sync_reports_nothing() {
    assert_in_sync("kitchen").await;
}

/// A drizzle-kit 1.0 history (snapshot version 6) applied as drizzle-orm 1.0's migrator
/// applies it: its 1.0 spellings meet what MariaDB stores (`(0x6162)` and `'ab'`,
/// `(9.5)` and `9.50`, `('it''s \\ here')` and `'it\'s \\ here'`). What differs is what
/// drizzle-kit 1.0.0-rc.5 itself left out: a foreign key it writes inside CREATE TABLE
/// loses its ON DELETE, so the database keeps NO ACTION while the snapshot says SET NULL —
/// `history` (sql-not-in-snapshot, citing that CREATE TABLE), not drift.
#[tokio::test]
async fn a_v1_history_differs_only_where_drizzle_kit_left_the_action_out_and_says_so() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let project = fixture("v1-kitchen");
    let ran = apply_folder_migrations(&db, &project.join("drizzle"))
        .await
        .unwrap_or_else(|e| panic!("applying v1-kitchen: {e}"));
    assert_eq!(ran, 3);
    let (code, report) = check_json(&project, &db);
    assert_eq!(
        summary(&report),
        [
            "history foreign_key events.events_membership_fk on_delete",
            "history foreign_key membership_audit_events_with_a_long_name.membership_audit_events_with_a_long_name_DrKYGKoYAvpf_fkey on_delete",
        ],
        "{report:#}"
    );
    for f in report["findings"].as_array().expect("findings") {
        assert_eq!(f["rule"], "sql-not-in-snapshot", "{f:#}");
        let file = f["location"]["file"].as_str().unwrap_or_default();
        assert!(file.ends_with("/migration.sql"), "{f:#}");
        assert!(f["location"]["line"].is_u64(), "{f:#}");
        assert_eq!(f["severity"], "warning", "{f:#}");
    }
    assert_eq!(code, 0, "warnings only: {report:#}");
    assert_eq!(states(&report), ["applied", "applied", "applied"]);
}

#[tokio::test]
async fn pending_in_sync_reports_nothing() {
    assert_in_sync("pending").await;
}

#[tokio::test]
async fn half_applied_cleanly_reports_nothing() {
    assert_in_sync("half").await;
}

#[tokio::test]
async fn a_column_added_by_hand_is_drift() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = migrated(&server, "pending", None).await;
    // What `drizzle-kit push` (or a hand-run ALTER) leaves behind.
    db.execute("ALTER TABLE `users` ADD `nickname` varchar(50)")
        .await;
    let (code, report) = check_json(&fixture("pending"), &db);
    assert_eq!(summary(&report), ["drift column users.nickname -"]);
    let f = findings(&report)[0];
    assert_eq!(f["snapshot"], Value::Bool(false));
    assert_eq!(f["live"], Value::Bool(true));
    assert_eq!(f["severity"], "error");
    assert!(f["message"]
        .as_str()
        .unwrap_or("")
        .contains("users.nickname exists in the database"));
    assert_eq!(code, 1);
}

#[tokio::test]
async fn an_unapplied_migration_is_pending_not_drift() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = migrated(&server, "pending", Some(2)).await;
    let (code, report) = check_json(&fixture("pending"), &db);
    let all = summary(&report);
    assert!(
        all.iter().all(|s| s.starts_with("pending ")),
        "only pending findings: {all:#?}"
    );
    for expected in [
        "pending table comments.comments -",
        "pending column posts.slug -",
        "pending column posts.views -",
        "pending unique posts.posts_slug_unique -",
    ] {
        assert!(
            all.iter().any(|s| s == expected),
            "missing {expected} in {all:#?}"
        );
    }
    assert_eq!(states(&report), ["applied", "applied", "pending"]);
    assert_eq!(code, 0);
    let (code, _, _) = run(
        &fixture("pending"),
        Some(db.url()),
        &["check", "--fail-on", "warning"],
    );
    assert_eq!(code, 1);
}

/// Each hand change is drift on exactly that object and field.
#[tokio::test]
async fn hand_changes_are_drift_on_exactly_that_field() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let cases: &[(&str, &str)] = &[
        (
            "ALTER TABLE `users` MODIFY COLUMN `email` varchar(320) NOT NULL",
            "drift column users.email type",
        ),
        (
            "ALTER TABLE `users` MODIFY COLUMN `name` varchar(100) NULL",
            "drift column users.name not_null",
        ),
        (
            "ALTER TABLE `posts` ALTER COLUMN `views` SET DEFAULT 1",
            "drift column posts.views default",
        ),
        (
            "ALTER TABLE `posts` MODIFY COLUMN `created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP",
            "drift column posts.created_at on_update",
        ),
        (
            "DROP INDEX `posts_published_created_at_idx` ON `posts`",
            "drift index posts.posts_published_created_at_idx -",
        ),
        (
            "ALTER TABLE `users` DROP INDEX `users_email_unique`",
            "drift unique users.users_email_unique -",
        ),
        (
            "ALTER TABLE `comments` DROP FOREIGN KEY `comments_post_id_posts_id_fk`; \
             ALTER TABLE `comments` ADD CONSTRAINT `comments_post_id_posts_id_fk` FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON DELETE restrict",
            "drift foreign_key comments.comments_post_id_posts_id_fk on_delete",
        ),
        (
            "ALTER TABLE `comments` ADD CONSTRAINT `comments_body_check` CHECK (char_length(`body`) > 0)",
            "drift check comments.comments_body_check -",
        ),
    ];
    for (sql, expected) in cases {
        let db = migrated(&server, "pending", None).await;
        db.execute(sql).await;
        let (code, report) = check_json(&fixture("pending"), &db);
        assert_eq!(summary(&report), [*expected], "after {sql}:\n{report:#}");
        assert_eq!(code, 1, "after {sql}");
    }
}

/// The SQL statements of a finding's fix (its lines ending in `;`, comments left out).
fn fix_statements(finding: &Value) -> Vec<String> {
    finding["fix"]
        .as_str()
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| l.ends_with(';') && !l.starts_with("--"))
        .map(str::to_string)
        .collect()
}

/// Every drift fix is real MySQL/MariaDB SQL that removes the drift: after a hand change,
/// run the printed statements (removals first, as a reader would after dropping what is
/// in the way) and check again: nothing is left.
#[tokio::test]
async fn drift_fixes_applied_to_the_database_remove_the_drift() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let cases: &[(&str, &str)] = &[
        ("pending", "ALTER TABLE `users` ADD `nickname` varchar(50)"),
        ("pending", "ALTER TABLE `users` DROP COLUMN `bio`"),
        (
            "pending",
            "ALTER TABLE `users` MODIFY COLUMN `email` varchar(320) NOT NULL",
        ),
        (
            "pending",
            "ALTER TABLE `users` MODIFY COLUMN `name` varchar(100) NULL",
        ),
        (
            "pending",
            "ALTER TABLE `posts` ALTER COLUMN `views` SET DEFAULT 1",
        ),
        (
            "pending",
            "ALTER TABLE `posts` MODIFY COLUMN `created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP",
        ),
        (
            "pending",
            "DROP INDEX `posts_published_created_at_idx` ON `posts`",
        ),
        ("pending", "CREATE INDEX `by_hand_idx` ON `posts` (`title`(20), `views` DESC)"),
        ("pending", "ALTER TABLE `users` DROP INDEX `users_email_unique`"),
        ("pending", "ALTER TABLE `users` ADD UNIQUE KEY `users_name_unique` (`name`)"),
        (
            "pending",
            "ALTER TABLE `comments` DROP FOREIGN KEY `comments_post_id_posts_id_fk`; \
             ALTER TABLE `comments` ADD CONSTRAINT `comments_post_id_posts_id_fk` FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON DELETE restrict",
        ),
        (
            "pending",
            "ALTER TABLE `comments` DROP FOREIGN KEY `comments_author_id_users_id_fk`",
        ),
        (
            "pending",
            "ALTER TABLE `posts` ADD CONSTRAINT `posts_by_hand_fk` FOREIGN KEY (`author_id`) REFERENCES `users`(`id`)",
        ),
        (
            "pending",
            "ALTER TABLE `comments` ADD CONSTRAINT `comments_body_check` CHECK (char_length(`body`) > 0)",
        ),
        (
            "kitchen",
            "ALTER TABLE `users` MODIFY COLUMN `role` enum('admin','member','guest','owner') NOT NULL DEFAULT 'member'; \
             ALTER TABLE `users` MODIFY COLUMN `balance` decimal(10,2) NOT NULL DEFAULT 1.00; \
             ALTER TABLE `users` MODIFY COLUMN `settings` json DEFAULT ('{\"theme\":\"light\"}'); \
             ALTER TABLE `events` MODIFY COLUMN `processed` boolean NOT NULL DEFAULT true",
        ),
        ("kitchen", "ALTER TABLE `users` DROP CONSTRAINT `users_age_check`"),
        ("kitchen", "ALTER TABLE `users` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`, `email`)"),
    ];
    for (fixture_name, sql) in cases {
        let db = migrated(&server, fixture_name, None).await;
        db.execute(sql).await;
        let (code, report) = check_json(&fixture(fixture_name), &db);
        assert_eq!(code, 1, "after {sql}:\n{report:#}");
        let found = findings(&report);
        assert!(!found.is_empty(), "after {sql}: no drift");
        let mut removals = Vec::new();
        let mut others = Vec::new();
        for f in &found {
            assert_eq!(f["category"], "drift", "after {sql}:\n{report:#}");
            let statements = fix_statements(f);
            assert!(
                statements.iter().any(|s| !s.starts_with("SET ")),
                "after {sql}: no SQL in the fix of {f:#}"
            );
            if f["snapshot"] == Value::Bool(false) {
                removals.extend(statements);
            } else {
                others.extend(statements);
            }
        }
        removals.extend(others);
        let fix = removals.join("\n");
        db.execute(&fix).await;
        let (code, report) = check_json(&fixture(fixture_name), &db);
        assert_eq!(
            summary(&report),
            Vec::<String>::new(),
            "after {sql} and the fix\n{fix}\n{report:#}"
        );
        assert_eq!(code, 0, "after {sql} and the fix\n{fix}");
    }
}

#[tokio::test]
async fn kitchen_hand_changes_are_drift() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = migrated(&server, "kitchen", None).await;
    db.execute(
        "ALTER TABLE `users` MODIFY COLUMN `role` enum('admin','member','guest','owner') NOT NULL DEFAULT 'member'; \
         ALTER TABLE `users` MODIFY COLUMN `balance` decimal(10,2) NOT NULL DEFAULT 1.00; \
         ALTER TABLE `users` MODIFY COLUMN `settings` json DEFAULT ('{\"theme\":\"light\"}'); \
         ALTER TABLE `users` DROP CONSTRAINT `users_age_check`; \
         ALTER TABLE `events` MODIFY COLUMN `processed` boolean NOT NULL DEFAULT true; \
         DROP VIEW `active_users`",
    )
    .await;
    let (code, report) = check_json(&fixture("kitchen"), &db);
    let mut all = summary(&report);
    all.sort();
    assert_eq!(
        all,
        [
            "drift check users.users_age_check -",
            "drift column events.processed default",
            "drift column users.balance default",
            "drift column users.role type",
            "drift column users.settings default",
            "drift view -.active_users -",
        ],
        "{report:#}"
    );
    assert_eq!(code, 1);
}

#[tokio::test]
async fn an_edited_applied_migration_is_modified() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = migrated(&server, "pending", None).await;
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("pending"), tmp.path());
    let sql = tmp.path().join("drizzle/0001_published_flag.sql");
    let mut text = std::fs::read_to_string(&sql).expect("sql");
    text.push_str("\n-- edited after it was applied\n");
    std::fs::write(&sql, text).expect("write");
    let (code, report) = check_json(tmp.path(), &db);
    assert_eq!(
        summary(&report),
        ["history migration -.0001_published_flag -"]
    );
    assert_eq!(states(&report), ["applied", "modified", "applied"]);
    assert_eq!(code, 1);
}

#[tokio::test]
async fn a_migration_older_than_the_newest_applied_is_skipped() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    // The deployed database had main's two migrations before the branch was merged.
    let fresh = migrated(&server, "skipped", None).await;
    assert_rows_match_real_migrator(&fresh, "skipped").await;
    let db = migrated(&server, "skipped", Some(2)).await;
    // Our migrator, given the merged folder, skips the branch migration as the real one
    // did (applied-after-deploy.json).
    let ran = apply_migrations(&db, &fixture("skipped").join("drizzle"), None, TABLE)
        .await
        .expect("re-run");
    assert_eq!(ran, 0);
    let (code, report) = check_json(&fixture("skipped"), &db);
    assert_eq!(states(&report), ["applied", "applied", "skipped"]);
    let all = summary(&report);
    assert!(
        all.iter()
            .any(|s| s == "history migration -.0002_add_sku -"),
        "{all:#?}"
    );
    assert!(
        !all.iter().any(|s| s.starts_with("drift ")),
        "no drift: {all:#?}"
    );
    assert_eq!(code, 1);
}

/// MySQL commits each DDL statement: a migration that fails part way leaves some of its
/// objects behind. The report names the statements that took effect.
#[tokio::test]
async fn a_half_applied_migration_is_history_naming_what_took_effect() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = migrated(&server, "half", Some(1)).await;
    db.execute(&std::fs::read_to_string(fixture("half").join("steps/seed.sql")).expect("seed.sql"))
        .await;
    let failure = apply_migrations(&db, &fixture("half").join("drizzle"), None, TABLE)
        .await
        .expect_err("the unique key must fail on the duplicate names");
    let real_failure =
        std::fs::read_to_string(fixture("half").join("failure.txt")).expect("failure.txt");
    assert!(
        failure.contains(real_failure.trim()),
        "{failure} vs the real migrator's {real_failure}"
    );
    let (code, report) = check_json(&fixture("half"), &db);
    let mut all = summary(&report);
    all.sort();
    assert_eq!(
        all,
        [
            "history column users.display_name -",
            "history migration -.0001_handles -",
            "history table profiles.profiles -",
            "pending index users.users_display_name_idx -",
            "pending unique users.users_name_unique -",
        ],
        "{report:#}"
    );
    let migration = findings(&report)
        .into_iter()
        .find(|f| f["object"] == "migration")
        .expect("the migration finding");
    let message = migration["message"].as_str().unwrap_or("");
    assert!(
        message.contains("2 of its 5 statements took effect"),
        "{message}"
    );
    assert!(message.contains("CREATE TABLE `profiles`"), "{message}");
    assert!(
        message.contains("ALTER TABLE `users` ADD `display_name`"),
        "{message}"
    );
    let fix = migration["fix"].as_str().unwrap_or("");
    assert!(
        fix.contains("ALTER TABLE `users` ADD CONSTRAINT `users_name_unique` UNIQUE(`name`);"),
        "{fix}"
    );
    assert!(fix.contains("INSERT INTO `__drizzle_migrations`"), "{fix}");
    assert!(fix.contains("DROP TABLE `profiles`;"), "{fix}");
    assert_eq!(states(&report), ["applied", "pending"]);
    assert_eq!(code, 1);
}

/// A migration that stopped after its `DROP FOREIGN KEY`s (MariaDB refused the first
/// re-added key): the keys are gone because a statement dropped them, and the index
/// InnoDB had made for one of them stayed behind. One history finding, not drift.
#[tokio::test]
async fn a_migration_that_stopped_after_its_drops_is_history_not_drift() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = migrated(&server, "half-fk", Some(2)).await;
    let failure = apply_migrations(&db, &fixture("half-fk").join("drizzle"), None, TABLE)
        .await
        .expect_err("MariaDB refuses ON UPDATE CASCADE on a CHECK column");
    let real_failure =
        std::fs::read_to_string(fixture("half-fk").join("failure.txt")).expect("failure.txt");
    assert!(
        failure.contains(real_failure.trim()),
        "{failure} vs the real migrator's {real_failure}"
    );
    let (_, report) = check_json(&fixture("half-fk"), &db);
    let mut keys: Vec<String> = summary(&report)
        .into_iter()
        .filter(|s| {
            s.contains(" foreign_key ") || s.contains(" index ") || s.contains(" migration ")
        })
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "history foreign_key friendships.friendships_user1_users_id_fk -",
            "history foreign_key friendships.friendships_user2_users_id_fk -",
            "history index friendships.friendships_user2_users_id_fk -",
            "history migration -.0002_cascade -",
        ],
        "{report:#}"
    );
    let migration = findings(&report)
        .into_iter()
        .find(|f| f["object"] == "migration")
        .expect("the migration finding");
    let message = migration["message"].as_str().unwrap_or("");
    assert!(
        message.contains("2 of its 4 statements took effect"),
        "{message}"
    );
    let index = findings(&report)
        .into_iter()
        .find(|f| f["object"] == "index")
        .expect("the index finding");
    assert!(
        index["message"]
            .as_str()
            .unwrap_or("")
            .contains("stayed when statement #2 of 0002_cascade dropped"),
        "{index:#}"
    );
}

#[tokio::test]
async fn inspect_capture_and_migrations_work_on_mysql() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = migrated(&server, "pending", Some(2)).await;
    let project = fixture("pending");
    let (code, stdout, stderr) = run(
        &project,
        Some(db.url()),
        &["inspect", "--source", "live", "--format", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let live: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(live["dialect"], "mysql");
    let tables: Vec<&str> = live["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .filter_map(|t| t["name"]["name"].as_str())
        .collect();
    assert_eq!(
        tables,
        ["posts", "users"],
        "the migrations table is left out"
    );

    let (code, stdout, _) = run(&project, Some(db.url()), &["migrations"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("pending") && stdout.contains("0002_comments"),
        "{stdout}"
    );

    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("catalog.json");
    let file_arg = file.to_string_lossy().into_owned();
    let (code, _, stderr) = run(&project, Some(db.url()), &["capture", "-o", &file_arg]);
    assert_eq!(code, 0, "{stderr}");
    let captured = std::fs::read_to_string(&file).expect("captured");
    assert!(captured.contains("MariaDB") || captured.contains("MySQL"));
    let (code, report) = {
        let (code, stdout, _) = run(
            &project,
            None,
            &["check", "--catalog", &file_arg, "--format", "json"],
        );
        (code, serde_json::from_str::<Value>(&stdout).expect("json"))
    };
    assert!(
        summary(&report).iter().all(|s| s.starts_with("pending ")),
        "{report:#}"
    );
    assert_eq!(code, 0);
}

#[tokio::test]
async fn an_unreachable_server_exits_2_without_the_password() {
    let (code, stdout, stderr) = run(
        &fixture("pending"),
        Some("mysql://app:hunter2@127.0.0.1:1/app"),
        &["check"],
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("127.0.0.1:1"), "{stderr}");
    assert!(stderr.contains("connection refused"), "{stderr}");
    assert!(!stderr.contains("hunter2") && !stdout.contains("hunter2"));
}

#[tokio::test]
async fn a_wrong_password_exits_2_naming_the_user_not_the_password() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let user = format!("dd_pw_{}", std::process::id());
    server
        .execute(&format!(
            "CREATE USER '{user}'@'%' IDENTIFIED BY 'right-one'; CREATE USER '{user}'@'localhost' IDENTIFIED BY 'right-one'"
        ))
        .await;
    let url = url_with_user(db.url(), &user, "wrong-one-123");
    let (code, stdout, stderr) = run(&fixture("pending"), Some(&url), &["check"]);
    server
        .execute(&format!(
            "DROP USER '{user}'@'%'; DROP USER '{user}'@'localhost'"
        ))
        .await;
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("authentication failed"), "{stderr}");
    assert!(stderr.contains(&user), "{stderr}");
    assert!(
        !stderr.contains("wrong-one-123") && !stdout.contains("wrong-one-123"),
        "{stderr}"
    );
}

#[tokio::test]
async fn an_unknown_database_exits_2_naming_it() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let url = support::mysql::with_database(server.admin_url(), "dd_no_such_database_here");
    let (code, stdout, stderr) = run(&fixture("pending"), Some(&url), &["check"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("database \"dd_no_such_database_here\" does not exist"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_url_without_a_database_exits_2() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let url = support::mysql::with_database(server.admin_url(), "");
    let url = url.trim_end_matches('/').to_string();
    let (code, stdout, stderr) = run(&fixture("pending"), Some(&url), &["check"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("names no database"), "{stderr}");
}

/// `mysql://user:pw@host/db` with another user and password.
fn url_with_user(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://{user}:{password}@{host}")
}
