//! What the servers store differently from what drizzle-kit writes: real drizzle-kit
//! fixtures (`pg/rewrites`, `pg/enum-order`, `mysql/rewrites`; see their READMEs), applied
//! the way drizzle-orm's migrator does, must read as in sync. The only findings left are
//! the ones a person should see: a constraint under another name, enum values in another
//! order (both `info`).

mod support;

use serde_json::Value;
use support::cli::{check_json, finding_lines};
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
        ["drift info foreign_key posts.posts_author_id_profiles_id_fk name"],
        "{report:#}"
    );
    let f = &report["findings"][0];
    assert_eq!(f["snapshot"], "posts_author_id_profiles_id_fk");
    assert_eq!(f["live"], "posts_author_id_fkey");
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
        ["drift info foreign_key posts.posts_author_id_profiles_id_fk name"],
        "{report:#}"
    );
}

/// Without an explicit schemaFilter the schemas the snapshot names are compared too:
/// Supabase's auth.users has columns the mirror in the schema does not declare.
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
            "drift error column users.created_at -",
            "drift error column users.email -",
            "drift error column users.encrypted_password -",
            "drift error column users.raw_app_meta_data -",
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
    let db = server.create_db().await;
    let project = mysql::fixture("rewrites");
    mysql::apply_migrations(&db, &project.join("drizzle"), None, "__drizzle_migrations")
        .await
        .unwrap_or_else(|e| panic!("applying mysql rewrites: {e}"));
    let (code, report) = check_json(&project, db.url());
    assert_eq!(
        finding_lines(&report),
        ["drift info foreign_key entries.entries_owner_id_accounts_id_fk name"],
        "{report:#}"
    );
    let f: &Value = &report["findings"][0];
    assert_eq!(f["live"], "entries_ibfk_1");
    assert_eq!(code, 0, "{report:#}");
}
