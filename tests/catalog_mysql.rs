//! The live MySQL/MariaDB reader against real databases created for each test.

mod support;

use drizzle_drift::model::{normalize, Column, GeneratedKind, QualifiedName, Schema, Table};
use drizzle_drift::sources::catalog::mysql::{self, ReadOptions};
use drizzle_drift::sources::catalog::{capture, Catalog};
use support::mysql::{apply_migrations, fixture, MysqlDb, MysqlServer};

const EVERY_KIND: &str = r#"
CREATE TABLE users (
  id bigint unsigned NOT NULL AUTO_INCREMENT,
  email varchar(256) NOT NULL,
  nickname varchar(50) DEFAULT 'it''s me',
  note varchar(10) DEFAULT 'NULL',
  age tinyint unsigned,
  code int(5) unsigned zerofill,
  active boolean NOT NULL DEFAULT true,
  balance decimal(10,2) NOT NULL DEFAULT 0,
  role enum('admin','member') NOT NULL DEFAULT 'member',
  settings json DEFAULT ('{"a":1}'),
  created_at timestamp(3) NOT NULL DEFAULT (now(3)) ON UPDATE current_timestamp(3),
  seen_at datetime DEFAULT CURRENT_TIMESTAMP,
  first_name varchar(50),
  last_name varchar(50),
  full_name varchar(101) GENERATED ALWAYS AS (concat(first_name, ' ', last_name)) STORED,
  initials varchar(2) AS (concat(left(first_name, 1), left(last_name, 1))) VIRTUAL,
  PRIMARY KEY (id),
  CONSTRAINT users_email_unique UNIQUE (email),
  CONSTRAINT users_age_check CHECK (age >= 13)
);
CREATE TABLE memberships (
  user_id bigint unsigned NOT NULL,
  org_id int NOT NULL,
  inviter_id bigint unsigned,
  PRIMARY KEY (user_id, org_id),
  CONSTRAINT memberships_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE RESTRICT,
  CONSTRAINT memberships_inviter_fk FOREIGN KEY (inviter_id) REFERENCES users (id) ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX users_name_idx ON users (last_name DESC, first_name);
CREATE INDEX users_email_prefix_idx ON users (email(10));
CREATE FULLTEXT INDEX users_nickname_ft ON users (nickname);
CREATE VIEW adults AS SELECT id, email FROM users WHERE age >= 18;
"#;

fn q(name: &str) -> QualifiedName {
    QualifiedName::new("", name)
}

fn table<'a>(schema: &'a Schema, name: &str) -> &'a Table {
    schema
        .tables
        .get(&q(name))
        .unwrap_or_else(|| panic!("no table {name} in {:?}", schema.tables.keys()))
}

fn column<'a>(t: &'a Table, name: &str) -> &'a Column {
    t.column(name)
        .unwrap_or_else(|| panic!("no column {name} in {}", t.name))
}

fn normalized(catalog: &Catalog) -> Schema {
    let mut s = catalog.schema.clone();
    normalize::schema(&mut s);
    s
}

async fn read(db: &MysqlDb) -> Catalog {
    mysql::read(db.url(), &ReadOptions::default())
        .await
        .unwrap_or_else(|e| panic!("read {}: {e}", db.name()))
}

#[tokio::test]
async fn reads_every_kind_of_object() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    db.execute(EVERY_KIND).await;
    let catalog = read(&db).await;
    assert!(
        catalog.server.starts_with("MariaDB ") || catalog.server.starts_with("MySQL "),
        "{}",
        catalog.server
    );
    assert_eq!(catalog.database, db.name());
    assert_eq!(catalog.applied, None, "no migrations table");

    // What the server says, before normalization.
    let raw = &catalog.schema;
    let users = table(raw, "users");
    let id = column(users, "id");
    assert!(id.autoincrement && id.not_null);
    assert!(id.sql_type.starts_with("bigint") && id.sql_type.ends_with("unsigned"));
    let created = column(users, "created_at");
    assert_eq!(created.sql_type, "timestamp(3)");
    assert_eq!(
        created.on_update.as_deref().map(str::to_ascii_lowercase),
        Some("current_timestamp(3)".to_string())
    );
    let full = column(users, "full_name");
    let generated = full.generated.as_ref().expect("generated");
    assert_eq!(generated.kind, GeneratedKind::Stored);
    assert!(generated.expression.contains("concat("), "{generated:?}");
    assert_eq!(
        column(users, "initials").generated.as_ref().map(|g| g.kind),
        Some(GeneratedKind::Virtual)
    );
    assert_eq!(
        users.primary_key.as_ref().map(|p| p.name.as_str()),
        Some("PRIMARY")
    );
    let memberships = table(raw, "memberships");
    assert_eq!(
        memberships.primary_key.as_ref().map(|p| p.columns.clone()),
        Some(vec!["user_id".to_string(), "org_id".to_string()])
    );
    let fk = memberships
        .foreign_keys
        .iter()
        .find(|f| f.name == "memberships_user_fk")
        .expect("memberships_user_fk");
    assert_eq!(fk.references, q("users"));
    assert_eq!(
        (fk.columns.clone(), fk.ref_columns.clone()),
        (vec!["user_id".into()], vec!["id".into()])
    );
    assert_eq!(raw.views.len(), 1);
    assert!(raw.views[&q("adults")].definition.is_some());

    // Normalized: the spellings drizzle-kit writes.
    let schema = normalized(&catalog);
    let users = table(&schema, "users");
    let ty = |c: &str| column(users, c).sql_type.clone();
    let default = |c: &str| column(users, c).default.clone();
    assert_eq!(ty("id"), "bigint unsigned");
    assert_eq!(ty("age"), "tinyint unsigned");
    assert_eq!(ty("code"), "int(5) unsigned zerofill");
    assert_eq!(ty("active"), "boolean");
    assert_eq!(ty("settings"), "json");
    assert_eq!(ty("role"), "enum('admin','member')");
    assert_eq!(default("nickname").as_deref(), Some("'it''s me'"));
    assert_eq!(
        default("note").as_deref(),
        Some("'NULL'"),
        "the string, not NULL"
    );
    assert_eq!(default("age"), None);
    assert_eq!(default("active").as_deref(), Some("true"));
    assert_eq!(default("balance").as_deref(), Some("0.00"));
    assert_eq!(default("role").as_deref(), Some("'member'"));
    assert_eq!(default("settings").as_deref(), Some(r#"'{"a":1}'"#));
    assert_eq!(
        default("created_at").as_deref(),
        Some("current_timestamp(3)")
    );
    assert_eq!(default("seen_at").as_deref(), Some("current_timestamp()"));
    assert_eq!(
        column(users, "full_name")
            .generated
            .as_ref()
            .map(|g| g.expression.as_str()),
        Some("concat(first_name, ' ', last_name)")
    );
    assert_eq!(
        users.primary_key.as_ref().map(|p| p.name.as_str()),
        Some("PRIMARY")
    );
    let uniques: Vec<&str> = users.uniques.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(uniques, ["users_email_unique"]);
    let checks: Vec<(&str, &str)> = users
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.expression.as_str()))
        .collect();
    assert_eq!(
        checks,
        [("users_age_check", "age >= 13")],
        "json's own check is gone"
    );
    let mut indexes: Vec<(String, Vec<String>, String)> = users
        .indexes
        .iter()
        .map(|i| {
            (
                i.name.clone(),
                i.keys
                    .iter()
                    .map(drizzle_drift::diff::objects::index_key_text)
                    .collect(),
                i.method.clone(),
            )
        })
        .collect();
    indexes.sort();
    assert_eq!(
        indexes,
        [
            (
                "users_email_prefix_idx".to_string(),
                vec!["email(10)".to_string()],
                "btree".to_string()
            ),
            (
                "users_name_idx".to_string(),
                vec!["last_name desc".to_string(), "first_name".to_string()],
                "btree".to_string()
            ),
            (
                "users_nickname_ft".to_string(),
                vec!["nickname".to_string()],
                "fulltext".to_string()
            ),
        ]
    );
    let memberships = table(&schema, "memberships");
    let actions: Vec<(&str, &str, &str)> = memberships
        .foreign_keys
        .iter()
        .map(|f| (f.name.as_str(), f.on_delete.as_str(), f.on_update.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("memberships_inviter_fk", "set null", "cascade"),
            // RESTRICT and NO ACTION are the same check in InnoDB.
            ("memberships_user_fk", "cascade", "no action"),
        ]
    );
    // InnoDB's own index for the inviter FK is not an object of the schema.
    assert!(
        table(raw, "memberships")
            .indexes
            .iter()
            .any(|i| i.name == "memberships_inviter_fk"),
        "the server has it"
    );
    assert!(memberships.indexes.is_empty(), "{:?}", memberships.indexes);
    let not_null: Vec<(&str, bool)> = memberships
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.not_null))
        .collect();
    assert_eq!(
        not_null,
        [("user_id", true), ("org_id", true), ("inviter_id", false)]
    );
}

#[tokio::test]
async fn reads_what_the_drizzle_migrator_applied() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    apply_migrations(
        &db,
        &fixture("pending").join("drizzle"),
        None,
        "__drizzle_migrations",
    )
    .await
    .expect("apply");
    let catalog = read(&db).await;
    let real: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("pending").join("applied.json")).expect("applied.json"),
    )
    .expect("json");
    let applied = catalog.applied.as_ref().expect("a migrations table");
    let got: Vec<(i64, String, Option<i64>)> = applied
        .iter()
        .map(|a| (a.id, a.hash.clone(), a.created_at))
        .collect();
    let want: Vec<(i64, String, Option<i64>)> = real
        .as_array()
        .expect("list")
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap_or(0),
                r["hash"].as_str().unwrap_or("").to_string(),
                r["created_at"].as_i64(),
            )
        })
        .collect();
    assert_eq!(got, want);
    let tables: Vec<&str> = catalog
        .schema
        .tables
        .keys()
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(tables, ["comments", "posts", "users"]);
}

#[tokio::test]
async fn reads_a_custom_migrations_table_and_tells_empty_from_absent() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    apply_migrations(
        &db,
        &fixture("pending").join("drizzle"),
        Some(1),
        "my_migrations",
    )
    .await
    .expect("apply");
    let opts = ReadOptions {
        migrations_table: "my_migrations".into(),
        ..ReadOptions::default()
    };
    let catalog = mysql::read(db.url(), &opts).await.expect("read");
    assert_eq!(catalog.applied.as_ref().map(Vec::len), Some(1));
    assert!(!catalog.schema.tables.contains_key(&q("my_migrations")));
    // With the default name, the custom table is an ordinary table and nothing is applied.
    let default = read(&db).await;
    assert_eq!(default.applied, None);
    assert!(default.schema.tables.contains_key(&q("my_migrations")));

    db.execute("DELETE FROM my_migrations").await;
    let empty = mysql::read(db.url(), &opts).await.expect("read");
    assert_eq!(empty.applied, Some(Vec::new()));

    db.execute("CREATE TABLE __drizzle_migrations (id int)")
        .await;
    let odd = read(&db).await;
    assert_eq!(odd.applied, Some(Vec::new()));
    assert!(
        odd.diagnostics
            .iter()
            .any(|d| d.message.contains("not a drizzle migrations table")),
        "{:?}",
        odd.diagnostics
    );
}

#[tokio::test]
async fn a_locked_migrations_table_fails_within_the_lock_timeout() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    apply_migrations(
        &db,
        &fixture("pending").join("drizzle"),
        Some(1),
        "__drizzle_migrations",
    )
    .await
    .expect("apply");
    // A migration in progress: it holds the migrations table.
    let mut locker = db.conn().await;
    use mysql_async::prelude::Queryable;
    locker
        .query_drop("LOCK TABLES `__drizzle_migrations` WRITE")
        .await
        .expect("lock");
    let opts = ReadOptions {
        lock_timeout_ms: 1_000,
        ..ReadOptions::default()
    };
    let started = std::time::Instant::now();
    let outcome = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        mysql::read(db.url(), &opts),
    )
    .await
    .expect("the read must not hang on a lock");
    let err = outcome.expect_err("the lock blocks the read").to_string();
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(err.contains("lock held by another session"), "{err}");
    assert!(err.contains("reading applied migrations"), "{err}");
    assert!(err.contains("other sessions on this database"), "{err}");

    let opts = ReadOptions {
        lock_timeout_ms: 0,
        statement_timeout_ms: 400,
        ..ReadOptions::default()
    };
    let err = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        mysql::read(db.url(), &opts),
    )
    .await
    .expect("the read must not hang")
    .expect_err("times out")
    .to_string();
    assert!(err.contains("statement timeout of 400 ms"), "{err}");

    locker.query_drop("UNLOCK TABLES").await.expect("unlock");
    let _ = locker.disconnect().await;
    mysql::read(db.url(), &ReadOptions::default())
        .await
        .expect("readable once the lock is gone");
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[tokio::test]
async fn unreachable_server_names_host_and_port_never_the_password() {
    let port = closed_port();
    for url in [
        format!("mysql://app:Sup3r-Secret@127.0.0.1:{port}/appdb"),
        format!("mysql://app:Sup3r-Secret@127.0.0.1:{port}/appdb?ssl-mode=DISABLED"),
        format!("mysql://app:Sup3r-Secret@127.0.0.1:{port}/appdb?sslaccept=strict"),
    ] {
        let err = mysql::read(&url, &ReadOptions::default())
            .await
            .expect_err("nothing listens there")
            .to_string();
        assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
        assert!(err.contains("connection refused"), "{err}");
        assert!(!err.contains("Sup3r-Secret"), "{err}");
    }
    let err = mysql::read("postgres://h/d", &ReadOptions::default())
        .await
        .expect_err("not a MySQL URL")
        .to_string();
    assert!(err.contains("mysql://"), "{err}");
}

#[tokio::test]
async fn tls_modes_against_a_server_without_tls() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    db.execute("CREATE TABLE t (id int)").await;
    let with = |q: &str| format!("{}?{q}", db.url().split('?').next().unwrap_or(db.url()));
    let tls_enabled = !db
        .rows("SHOW VARIABLES LIKE 'have_ssl'")
        .await
        .iter()
        .any(|r| r.get(1).and_then(|v| v.as_deref()) == Some("DISABLED"));
    // Preferred (the default) and disabled always connect.
    for q in ["", "ssl-mode=PREFERRED", "ssl-mode=DISABLED", "ssl=false"] {
        let catalog = mysql::read(&with(q), &ReadOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{q}: {e}"));
        assert!(catalog.schema.tables.contains_key(&q_t()));
    }
    let required = mysql::read(&with("ssl-mode=REQUIRED"), &ReadOptions::default()).await;
    if tls_enabled {
        required.expect("the server has TLS");
    } else {
        let err = required.expect_err("no TLS on this server").to_string();
        assert!(err.contains("does not support TLS"), "{err}");
    }
}

fn q_t() -> QualifiedName {
    q("t")
}

fn one_table_sql(i: usize) -> String {
    format!(
        "CREATE TABLE t{i} (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, parent int, \
           state enum('a','b') NOT NULL DEFAULT 'a', n int CHECK (n > 0), label varchar(20) UNIQUE, \
           CONSTRAINT t{i}_parent_fk FOREIGN KEY (parent) REFERENCES t{i} (id));
         CREATE INDEX t{i}_label_idx ON t{i} (label, n);
         CREATE VIEW v{i} AS SELECT id FROM t{i};"
    )
}

#[tokio::test]
async fn query_count_does_not_grow_with_tables() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let small = server.create_db().await;
    let large = server.create_db().await;
    small.execute(&one_table_sql(0)).await;
    let many: Vec<String> = (0..50).map(one_table_sql).collect();
    large.execute(&many.join("\n")).await;
    let opts = ReadOptions::default();
    let (one, one_stats) = mysql::read_with_stats(small.url(), &opts)
        .await
        .expect("read 1");
    let (fifty, fifty_stats) = mysql::read_with_stats(large.url(), &opts)
        .await
        .expect("read 50");
    assert_eq!(one.schema.tables.len(), 1);
    assert_eq!(fifty.schema.tables.len(), 50);
    assert_eq!(fifty.schema.views.len(), 50);
    assert!(fifty
        .schema
        .tables
        .values()
        .all(|t| t.foreign_keys.len() == 1 && t.checks.len() == 1 && t.columns.len() == 5));
    let labels = |s: &mysql::ReadStats| s.queries.iter().map(|q| q.label).collect::<Vec<_>>();
    assert_eq!(labels(&one_stats), labels(&fifty_stats));
    assert!(
        one_stats.queries.len() <= 12,
        "one query per kind: {:?}",
        labels(&one_stats)
    );
    let columns = fifty_stats
        .queries
        .iter()
        .find(|q| q.label == "columns")
        .expect("columns query");
    assert_eq!(
        columns.rows,
        50 * 5 + 50,
        "every column of every table and view in one query"
    );
}

#[tokio::test]
async fn the_tables_filter_follows_drizzle_kit() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    db.execute(
        "CREATE TABLE app_users (id int); CREATE TABLE app_tmp (id int); CREATE TABLE other (id int);
         CREATE VIEW app_view AS SELECT id FROM app_users;",
    )
    .await;
    let names = |c: &Catalog| {
        let mut n: Vec<String> = c
            .schema
            .tables
            .keys()
            .chain(c.schema.views.keys())
            .map(|k| k.name.clone())
            .collect();
        n.sort();
        n
    };
    let opts = |patterns: &[&str]| ReadOptions {
        tables_filter: patterns.iter().map(|s| s.to_string()).collect(),
        ..ReadOptions::default()
    };
    let c = mysql::read(db.url(), &opts(&["app_*"]))
        .await
        .expect("read");
    assert_eq!(names(&c), ["app_tmp", "app_users", "app_view"]);
    let c = mysql::read(db.url(), &opts(&["app_*", "!app_tmp"]))
        .await
        .expect("read");
    assert_eq!(names(&c), ["app_users", "app_view", "other"]);
}

#[tokio::test]
async fn a_captured_catalog_reads_back_the_same() {
    let Some(server) = MysqlServer::from_env() else {
        return;
    };
    let db = server.create_db().await;
    db.execute(EVERY_KIND).await;
    let catalog = read(&db).await;
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("catalog.json");
    capture::save(&catalog, &file).expect("save");
    let back = capture::load(&file).expect("load");
    assert_eq!(back.schema, catalog.schema);
    assert_eq!(back.server, catalog.server);
    let text = std::fs::read_to_string(&file).expect("text");
    assert!(!text.contains("mysql://"), "no URL in a capture");
}
