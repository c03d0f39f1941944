//! What the servers store differently from what drizzle-kit writes: real drizzle-kit
//! fixtures (`pg/rewrites`, `pg/enum-order`, `mysql/rewrites`; see their READMEs), applied
//! the way drizzle-orm's migrator does, must read as in sync. The only findings left are
//! the ones a person should see: a constraint under another name (`history`: the
//! hand-written SQL named it), enum values in another order (both `info`).

mod support;

use serde_json::Value;
use support::cli::{check_json, finding_lines, run};
use support::mysql::{self, MysqlServer};
use support::{apply_migrations, copy_dir, fixture, PgServer, TestDb};

async fn pg_migrated(server: &PgServer, name: &str) -> TestDb {
    let db = server.create_db().await;
    apply_migrations(
        &db,
        &fixture(name).join("drizzle"),
        None,
        "drizzle",
        "__drizzle_migrations",
    )
    .await
    .unwrap_or_else(|e| panic!("applying {name}: {e}"));
    db
}

async fn mysql_migrated(server: &MysqlServer) -> (mysql::MysqlDb, std::path::PathBuf) {
    let db = server.create_db().await;
    let project = mysql::fixture("rewrites");
    mysql::apply_migrations(&db, &project.join("drizzle"), None, "__drizzle_migrations")
        .await
        .unwrap_or_else(|e| panic!("applying mysql rewrites: {e}"));
    (db, project)
}

/// Default operator classes, a UNIQUE folded into the primary key, a renamed table's
/// primary key and serial sequence, expressions PostgreSQL deparses its own way, jsonb,
/// array, date and time defaults, a schemaFilter that leaves out `auth`, a schema created
/// by hand: nothing to report but the hand-written foreign key's name.
#[tokio::test]
async fn pg_rewrites_report_only_the_renamed_foreign_key() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = pg_migrated(&server, "rewrites").await;
    let (code, report) = check_json(&fixture("rewrites"), db.url());
    assert_eq!(
        finding_lines(&report),
        ["history info foreign_key posts.posts_author_id_profiles_id_fk name"],
        "{report:#}"
    );
    let f = &report["findings"][0];
    assert_eq!(f["snapshot"], "posts_author_id_profiles_id_fk");
    assert_eq!(f["live"], "posts_author_id_fkey");
    assert_eq!(code, 0, "{report:#}");
}

/// What normalization joins must not hide a real change: another collation on a column
/// and on an index key, a check whose grouping changed, a view whose query changed (a
/// warning: views are compared through normalized text).
#[tokio::test]
async fn pg_real_changes_behind_the_rewrites_are_reported() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = pg_migrated(&server, "rewrites").await;
    db.execute(
        "ALTER TABLE tickets ALTER COLUMN ref TYPE text COLLATE \"POSIX\"; \
         DROP INDEX tickets_code_c_idx; CREATE INDEX tickets_code_c_idx ON tickets (code); \
         ALTER TABLE tickets DROP CONSTRAINT tickets_grouped, \
           ADD CONSTRAINT tickets_grouped CHECK (kind = 'x' OR (weight > 1 AND weight < 10)); \
         CREATE OR REPLACE VIEW ticket_codes AS SELECT tickets.id, \
           tickets.code || '-' || tickets.kind AS label, ticket_watchers.watcher_id \
           FROM tickets JOIN ticket_watchers ON ticket_watchers.ticket_id = tickets.id",
    )
    .await;
    let (code, report) = check_json(&fixture("rewrites"), db.url());
    assert_eq!(
        finding_lines(&report),
        [
            "drift warning view -.ticket_codes definition",
            "history info foreign_key posts.posts_author_id_profiles_id_fk name",
            "drift error column tickets.ref collation",
            "drift error index tickets.tickets_code_c_idx columns",
            "drift error check tickets.tickets_grouped definition",
        ],
        "{report:#}"
    );
    let collation = &report["findings"][2];
    assert_eq!(collation["snapshot"], "C");
    assert_eq!(collation["live"], "POSIX");
    assert!(
        collation["fix"]
            .as_str()
            .is_some_and(|f| f.contains(r#"ALTER COLUMN "ref" SET DATA TYPE text COLLATE "C";"#)),
        "{collation:#}"
    );
    assert_eq!(code, 1, "{report:#}");
}

/// drizzle-kit compares a `where` as text: written another way in the schema, `generate`
/// recreates the index (checked with drizzle-kit 0.31.11 on this change) although the
/// database would see no difference. One info finding says so.
#[test]
fn a_where_written_differently_is_what_generate_recreates() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("rewrites"), dir.path());
    let schema = dir.path().join("src/schema.ts");
    let text = std::fs::read_to_string(&schema).expect("schema");
    let written = "where(sql`${t.snooze} > interval '1 hour'`)";
    assert!(text.contains(written), "the fixture's where");
    std::fs::write(
        &schema,
        text.replace(written, "where(sql`\"snooze\" > interval '1 hour'`)"),
    )
    .expect("write schema");
    let (code, stdout, stderr) = run(
        dir.path(),
        None,
        &["check", "--offline", "--format", "json"],
    );
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(
        finding_lines(&report),
        ["ungenerated info index profiles.profiles_snooze_idx where"],
        "{report:#}"
    );
    let f = &report["findings"][0];
    assert_eq!(f["ts"], "\"snooze\" > interval '1 hour'");
    assert_eq!(f["snapshot"], "\"profiles\".\"snooze\" > interval '1 hour'");
    assert_eq!(code, 0, "{report:#}");
}

/// Constants in defaults and expressions print by DateStyle, IntervalStyle and TimeZone:
/// a database configured otherwise reads the same.
#[tokio::test]
async fn pg_rewrites_read_the_same_under_other_date_settings() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = pg_migrated(&server, "rewrites").await;
    let name = db.name().to_string();
    db.execute(&format!(
        "ALTER DATABASE \"{name}\" SET datestyle = 'SQL, DMY'; \
         ALTER DATABASE \"{name}\" SET intervalstyle = 'iso_8601'; \
         ALTER DATABASE \"{name}\" SET timezone = 'Europe/Amsterdam'"
    ))
    .await;
    let (_, report) = check_json(&fixture("rewrites"), db.url());
    assert_eq!(
        finding_lines(&report),
        ["history info foreign_key posts.posts_author_id_profiles_id_fk name"],
        "{report:#}"
    );
}

/// Without an explicit schemaFilter the schemas the snapshot names are compared too:
/// Supabase's auth.users has columns the mirror in the schema does not declare (the
/// custom migration 0001 created them: history, not drift).
#[tokio::test]
async fn pg_without_a_schema_filter_auth_users_is_compared() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = pg_migrated(&server, "rewrites").await;
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("rewrites"), dir.path());
    let config = dir.path().join("drizzle.config.ts");
    let text = std::fs::read_to_string(&config).expect("config");
    let without = text.replace("  schemaFilter: [\"public\", \"app\"],\n", "");
    assert_ne!(text, without, "the fixture's config names a schemaFilter");
    std::fs::write(&config, without).expect("write config");
    let (_, report) = check_json(dir.path(), db.url());
    let lines = finding_lines(&report);
    let auth: Vec<&String> = lines.iter().filter(|l| l.contains(" users.")).collect();
    assert_eq!(
        auth,
        [
            "history warning column users.created_at -",
            "history warning column users.email -",
            "history warning column users.encrypted_password -",
            "history warning column users.raw_app_meta_data -",
        ],
        "{report:#}"
    );
    assert!(
        !lines.iter().any(|l| l.contains(" schema ")),
        "a schema holding snapshot tables is expected: {lines:#?}"
    );
}

/// drizzle-kit 0.20 appends an enum value (`ADD VALUE` without `BEFORE`): same values,
/// another order.
#[tokio::test]
async fn pg_enum_values_in_another_order_are_info() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = pg_migrated(&server, "enum-order").await;
    let (code, report) = check_json(&fixture("enum-order"), db.url());
    assert_eq!(
        finding_lines(&report),
        ["drift info enum -.priority order"],
        "{report:#}"
    );
    let f = &report["findings"][0];
    assert_eq!(f["snapshot"], serde_json::json!(["low", "medium", "high"]));
    assert_eq!(f["live"], serde_json::json!(["low", "high", "medium"]));
    assert_eq!(code, 0, "{report:#}");
}

/// `DEFAULT … ON UPDATE …` in one default, MariaDB's spellings of defaults, and a
/// hand-written foreign key (InnoDB names it `entries_ibfk_1` and indexes its column).
#[tokio::test]
async fn mysql_rewrites_report_only_the_renamed_foreign_key() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let (db, project) = mysql_migrated(&server).await;
    let (code, report) = check_json(&project, db.url());
    assert_eq!(
        finding_lines(&report),
        ["history info foreign_key entries.entries_owner_id_accounts_id_fk name"],
        "{report:#}"
    );
    let f: &Value = &report["findings"][0];
    assert_eq!(f["live"], "entries_ibfk_1");
    assert_eq!(code, 0, "{report:#}");
}

/// Another collation than the migration gave is a difference, whether the snapshot
/// spelled it out (`ref`) or left the table's (`created_at`).
#[tokio::test]
async fn mysql_another_collation_is_reported() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let (db, project) = mysql_migrated(&server).await;
    db.execute(
        "ALTER TABLE tokens MODIFY ref char(36) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL, \
         MODIFY created_at varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT (CURRENT_TIMESTAMP)",
    )
    .await;
    let (_, report) = check_json(&project, db.url());
    assert_eq!(
        finding_lines(&report),
        [
            "history info foreign_key entries.entries_owner_id_accounts_id_fk name",
            "drift error column tokens.created_at collation",
            "drift error column tokens.ref collation",
        ],
        "{report:#}"
    );
    // MODIFY restates the collation the migrations gave, or none for the table's.
    let fix = |i: usize| {
        report["findings"][i]["fix"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(
        fix(1).contains("MODIFY COLUMN `created_at` varchar(255) NOT NULL DEFAULT"),
        "{}",
        fix(1)
    );
    assert!(
        fix(2).contains("MODIFY COLUMN `ref` char(36) COLLATE ascii_bin NOT NULL;"),
        "{}",
        fix(2)
    );
}
