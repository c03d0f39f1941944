//! Lint of pending migrations against a live MySQL/MariaDB database: the real drizzle-kit
//! fixture `mysql/lint`, whose 0001 drops `users.name` and adds `display_name`.

mod support;

use drizzle_drift::engine::{self, LiveSource, Options, TsEngine};
use drizzle_drift::report::Category;
use support::mysql::{apply_migrations, fixture, MysqlServer};

#[tokio::test]
async fn a_live_database_sizes_the_tables_in_the_messages() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    let dir = fixture("lint");
    apply_migrations(&db, &dir.join("drizzle"), Some(1), "__drizzle_migrations")
        .await
        .expect("apply 0000");
    db.execute(
        "INSERT INTO users (name) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n \
         WHERE i < 1000) SELECT CONCAT('user ', a.i, '.', b.i) FROM n a, n b WHERE b.i <= 3; \
         ANALYZE TABLE users;",
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
        .and_then(|c| c.stats("", "users"))
        .cloned()
        .expect("users stats");
    // InnoDB's row count is an estimate from sampled pages.
    let rows = stats.rows.expect("users row estimate");
    assert!((1500..=6000).contains(&rows), "{stats:?}");
    assert!(stats.bytes >= 16 * 1024, "{stats:?}");
    let report = engine::report(&loaded);
    let drop_add = report
        .findings
        .iter()
        .find(|f| {
            f.category == Category::Lint && f.rule.as_deref() == Some("drizzle-drop-add-column")
        })
        .expect("drop-add finding");
    assert!(
        drop_add
            .message
            .contains("loses every value of name (users: ~")
            && drop_add.message.contains(" rows, ")
            && drop_add.message.ends_with("B)"),
        "{}",
        drop_add.message
    );
}
