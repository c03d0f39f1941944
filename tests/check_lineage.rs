//! Which migration made the difference (`diff::lineage`): real drizzle-kit histories with a
//! custom migration and a hand-edited one (tests/fixtures/{pg,mysql}/lineage), applied the
//! way drizzle-orm's migrator does to a real server, then checked.

mod support;

use serde_json::Value;
use support::cli::check_json;
use support::mysql::{self, MysqlServer};
use support::{apply_migrations, fixture as pg_fixture, PgServer};

/// `category severity object table.name field rule location` of every finding.
fn lines(report: &Value) -> Vec<String> {
    let text = |v: &Value| v.as_str().unwrap_or("-").to_string();
    let mut out: Vec<String> = report["findings"]
        .as_array()
        .expect("findings is a list")
        .iter()
        .map(|f| {
            let location = match (&f["location"]["file"], &f["location"]["line"]) {
                (Value::String(file), Value::Number(line)) => format!("{file}:{line}"),
                (Value::String(file), _) => file.clone(),
                _ => "-".into(),
            };
            format!(
                "{} {} {} {}.{} {} {} {location}",
                text(&f["category"]),
                text(&f["severity"]),
                text(&f["object"]),
                text(&f["table"]),
                text(&f["name"]),
                text(&f["field"]),
                text(&f["rule"]),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn postgres_differences_are_named_by_the_migration_that_made_them() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let fixture = pg_fixture("lineage");
    apply_migrations(
        &db,
        &fixture.join("drizzle"),
        None,
        "drizzle",
        "__drizzle_migrations",
    )
    .await
    .expect("apply");
    let (code, report) = check_json(&fixture, db.url());
    assert_eq!(
        lines(&report),
        [
            // The hand-edited 0002: its snapshot changes the FK and title, its SQL does not.
            "history error column posts.title type snapshot-not-in-sql drizzle/0002_cascade.sql",
            "history error foreign_key posts.posts_user_id_users_id_fk on_delete snapshot-not-in-sql drizzle/0002_cascade.sql",
            // The custom 0001 dropped an index the snapshots keep.
            "history error index posts.posts_user_idx - sql-not-in-snapshot drizzle/0001_rls_and_search.sql:10",
            "history warning check posts.posts_title_length - sql-not-in-snapshot drizzle/0001_rls_and_search.sql:6",
            "history warning column posts.body type sql-not-in-snapshot drizzle/0002_cascade.sql:1",
            "history warning enum -.mood - sql-not-in-snapshot drizzle/0001_rls_and_search.sql:7",
            "history warning index posts.posts_body_search - sql-not-in-snapshot drizzle/0001_rls_and_search.sql:5",
            "history warning policy posts.own posts - sql-not-in-snapshot drizzle/0001_rls_and_search.sql:4",
            "history warning table posts.posts rls_enabled sql-not-in-snapshot drizzle/0001_rls_and_search.sql:3",
            "history warning view -.post_titles - sql-not-in-snapshot drizzle/0001_rls_and_search.sql:8",
        ],
        "{report:#}"
    );
    let policy = report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["object"] == "policy"))
        .expect("the policy finding");
    assert_eq!(
        policy["message"],
        "policy own posts on posts was created by 0001_rls_and_search line 4: `CREATE POLICY \"own posts\" ON \"posts\" USING (\"user_id\" = current_setting('app.user_id')::int)`, but no snapshot records it: drizzle-kit does not know it exists"
    );
    assert_eq!(code, 1);
}

#[tokio::test]
async fn postgres_create_index_if_not_exists_of_an_index_sql_made_does_nothing() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let fixture = pg_fixture("lineage-guarded");
    apply_migrations(
        &db,
        &fixture.join("drizzle"),
        None,
        "drizzle",
        "__drizzle_migrations",
    )
    .await
    .expect("apply");
    let (code, report) = check_json(&fixture, db.url());
    // The custom 0001 made the index on one key; 0002's IF NOT EXISTS found it there.
    assert_eq!(
        lines(&report),
        ["history warning index names.names_lower_name columns sql-not-in-snapshot drizzle/0001_custom_index.sql:2"],
        "{report:#}"
    );
    let finding = &report["findings"][0];
    assert_eq!(finding["live"], serde_json::json!(["lower(name)"]));
    assert!(
        finding["message"]
            .as_str()
            .is_some_and(|m| m.contains("0002_declare_index only re-creates it with IF NOT EXISTS")),
        "{finding:#}"
    );
    // A warning: the history's, not an error of the database.
    assert_eq!(code, 0);
}

#[tokio::test]
async fn mysql_differences_are_named_by_the_migration_that_made_them() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let fixture = mysql::fixture("lineage");
    mysql::apply_migrations(&db, &fixture.join("drizzle"), None, "__drizzle_migrations")
        .await
        .expect("apply");
    let (code, report) = check_json(&fixture, db.url());
    assert_eq!(
        lines(&report),
        [
            "history error column posts.title type snapshot-not-in-sql drizzle/0002_cascade.sql",
            "history error foreign_key posts.posts_user_id_users_id_fk on_delete snapshot-not-in-sql drizzle/0002_cascade.sql",
            "history error index posts.posts_title_idx - sql-not-in-snapshot drizzle/0001_search.sql:11",
            "history warning check posts.posts_title_length - sql-not-in-snapshot drizzle/0001_search.sql:6",
            "history warning column posts.body type sql-not-in-snapshot drizzle/0002_cascade.sql:1",
            "history warning index posts.posts_body_search - sql-not-in-snapshot drizzle/0001_search.sql:4",
            "history warning view -.post_titles - sql-not-in-snapshot drizzle/0001_search.sql:8",
        ],
        "{report:#}"
    );
    assert_eq!(code, 1);
}

/// Offline, from the snapshots and SQL alone: a migration whose snapshot changes a foreign
/// key's action while no statement of it (nor of a later one) names the key — the
/// hand-edited 0002 of both lineage fixtures — is named before any database is built.
#[test]
fn an_action_only_the_snapshot_changes_is_found_offline() {
    for fixture in [pg_fixture("lineage"), mysql::fixture("lineage")] {
        let (code, stdout, stderr) =
            support::cli::run(&fixture, None, &["check", "--format", "json", "--offline"]);
        let report: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{e}: exit {code}\n{stdout}\n{stderr}"));
        let fk: Vec<String> = lines(&report)
            .into_iter()
            .filter(|l| l.contains(" foreign_key "))
            .collect();
        assert_eq!(
            fk,
            ["history error foreign_key posts.posts_user_id_users_id_fk on_delete snapshot-not-in-sql drizzle/0002_cascade.sql"],
            "{}: {report:#}",
            fixture.display()
        );
        assert_eq!(code, 1, "{stderr}");
    }
}
