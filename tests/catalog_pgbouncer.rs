//! The live reader through PgBouncer in transaction pooling mode, where named prepared
//! statements do not survive a transaction. Optional: runs when
//! `DRIZZLE_DRIFT_TEST_PGBOUNCER` names a bouncer (e.g. `postgres://postgres@127.0.0.1:6439`,
//! `pool_mode = transaction`, a `* = host=… port=…` database entry) in front of the server
//! of `DRIZZLE_DRIFT_TEST_PG`.

mod support;

use drizzle_drift::sources::catalog::postgres::{self, ReadOptions};
use support::PgServer;

#[tokio::test]
async fn reads_through_pgbouncer_in_transaction_mode() {
    let Ok(bouncer) = std::env::var("DRIZZLE_DRIFT_TEST_PGBOUNCER") else {
        eprintln!("notice: DRIZZLE_DRIFT_TEST_PGBOUNCER is not set; skipping the PgBouncer test");
        return;
    };
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    db.execute(
        "CREATE TYPE mood AS ENUM ('a', 'b');
         CREATE TABLE users (id serial PRIMARY KEY, mood mood, age int CHECK (age > 0));
         CREATE INDEX users_age_idx ON users (age) WHERE age > 10;
         CREATE SCHEMA drizzle;
         CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);
         INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('h', 1);",
    )
    .await;
    let url = support::pg::with_database(&bouncer, db.name());
    // Twice: a second session on a pooled server connection would meet any statement the
    // first one left behind.
    for _ in 0..2 {
        let catalog = postgres::read(&url, &ReadOptions::default())
            .await
            .expect("read through PgBouncer");
        assert_eq!(catalog.schema.tables.len(), 1);
        assert_eq!(catalog.applied.map(|a| a.len()), Some(1));
    }
}
