//! Benchmark of the live MySQL/MariaDB reader (not a test: run it by hand).
//!
//! Builds a database of N tables × 16 columns (auto-increment key, two foreign keys, a
//! unique key, a check, an enum, three more indexes each) on the server named by
//! `DRIZZLE_DRIFT_TEST_MYSQL`, in a database of its own that is dropped afterwards, and
//! times `mysql::read()`.
//!
//! ```text
//! DRIZZLE_DRIFT_TEST_MYSQL=mysql://root@127.0.0.1:3306/mysql \
//!   cargo run --release --example bench_catalog_mysql -- [--tables 5000] [--iterations 7]
//! ```
//!
//! `--existing URL` times reads of an existing database instead (nothing is created,
//! changed or dropped).

use drizzle_drift::sources::catalog::mysql::{self, ReadOptions, ReadStats};
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts};
use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const CHUNK: usize = 100;

struct Args {
    tables: usize,
    iterations: usize,
    existing: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut out = Args {
        tables: 5000,
        iterations: 7,
        existing: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--tables" => out.tables = value()?.parse().map_err(|e| format!("--tables: {e}"))?,
            "--iterations" => {
                out.iterations = value()?.parse().map_err(|e| format!("--iterations: {e}"))?
            }
            "--existing" => out.existing = Some(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if out.tables == 0 || out.iterations == 0 {
        return Err("--tables and --iterations must be positive".into());
    }
    Ok(out)
}

fn table_sql(i: usize) -> String {
    let parent = if i == 0 { 0 } else { i - 1 };
    format!(
        "CREATE TABLE t{i} (
           id bigint unsigned NOT NULL AUTO_INCREMENT,
           parent_id bigint unsigned,
           owner_id bigint unsigned,
           name varchar(256) NOT NULL,
           email varchar(320),
           status enum('active','archived','deleted') NOT NULL DEFAULT 'active',
           tags json,
           amount decimal(12,2) DEFAULT 0.00,
           qty int NOT NULL DEFAULT 1,
           created_at timestamp(3) NOT NULL DEFAULT current_timestamp(3),
           updated_at timestamp NULL DEFAULT NULL ON UPDATE current_timestamp(),
           data text,
           flag boolean NOT NULL DEFAULT false,
           code char(8),
           ratio double,
           note varchar(100) DEFAULT 'none',
           PRIMARY KEY (id),
           CONSTRAINT t{i}_email_unique UNIQUE (email),
           CONSTRAINT t{i}_parent_fk FOREIGN KEY (parent_id) REFERENCES t{parent} (id) ON DELETE CASCADE,
           CONSTRAINT t{i}_owner_fk FOREIGN KEY (owner_id) REFERENCES t{i} (id),
           CONSTRAINT t{i}_qty_check CHECK (qty > 0));
         CREATE INDEX t{i}_name_idx ON t{i} (name);
         CREATE INDEX t{i}_created_idx ON t{i} (created_at, flag);
         CREATE INDEX t{i}_status_idx ON t{i} (status, qty);\n"
    )
}

fn with_database(url: &str, db: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = scheme_end + 3;
    let query_at = url[rest..].find('?').map_or(url.len(), |i| rest + i);
    let path_at = url[rest..query_at].find('/').map_or(query_at, |i| rest + i);
    format!("{}/{db}{}", &url[..path_at], &url[query_at..])
}

async fn connect(url: &str) -> Result<Conn, String> {
    let opts = Opts::from_url(url).map_err(|e| format!("URL: {e}"))?;
    Conn::new(opts).await.map_err(|e| format!("connect: {e}"))
}

async fn build(url: &str, tables: usize) -> Result<(), String> {
    let mut conn = connect(url).await?;
    conn.query_drop("SET SESSION foreign_key_checks = 0")
        .await
        .map_err(|e| format!("settings: {e}"))?;
    let started = Instant::now();
    for chunk in (0..tables).collect::<Vec<_>>().chunks(CHUNK) {
        let sql: String = chunk.iter().map(|&i| table_sql(i)).collect();
        conn.query_drop(sql)
            .await
            .map_err(|e| format!("tables {}..: {e}", chunk[0]))?;
        if chunk[0] % 500 == 0 {
            eprint!(
                "\r  built {} tables ({:.0?})",
                chunk[0] + chunk.len(),
                started.elapsed()
            );
        }
    }
    let _ = conn.disconnect().await;
    eprintln!(
        "\r  built {tables} tables in {:.1?}          ",
        started.elapsed()
    );
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

async fn run(admin: &str, url: &str, args: &Args) -> Result<(), String> {
    if args.existing.is_none() {
        build(url, args.tables).await?;
    }
    let opts = ReadOptions::default();
    // Warm-up: server caches (MariaDB's table definition cache), page cache.
    let (catalog, _) = mysql::read_with_stats(url, &opts)
        .await
        .map_err(|e| e.to_string())?;
    let tables = catalog.schema.tables.values();
    let columns: usize = tables.clone().map(|t| t.columns.len()).sum();
    let indexes: usize = tables
        .clone()
        .map(|t| t.indexes.len() + t.uniques.len())
        .sum();
    let fks: usize = tables.clone().map(|t| t.foreign_keys.len()).sum();
    let checks: usize = tables.map(|t| t.checks.len()).sum();
    println!(
        "catalog: {} tables, {columns} columns, {indexes} indexes and unique keys, {fks} foreign keys, {checks} checks ({} at {})",
        catalog.schema.tables.len(),
        catalog.server,
        drizzle_drift::config::redact_url(admin),
    );

    let mut totals = Vec::new();
    let mut per_query: BTreeMap<(usize, &'static str), Vec<Duration>> = BTreeMap::new();
    let mut all_stats: Vec<ReadStats> = Vec::new();
    for _ in 0..args.iterations {
        let (_, stats) = mysql::read_with_stats(url, &opts)
            .await
            .map_err(|e| e.to_string())?;
        totals.push(stats.total);
        for (i, q) in stats.queries.iter().enumerate() {
            per_query.entry((i, q.label)).or_default().push(q.elapsed);
        }
        all_stats.push(stats);
    }
    let queries = all_stats.first().map_or(0, |s| s.queries.len());
    let connects: Vec<Duration> = all_stats.iter().map(|s| s.connect).collect();
    let min = totals.iter().min().copied().unwrap_or_default();
    let max = totals.iter().max().copied().unwrap_or_default();
    println!(
        "read(): {} iterations, {queries} queries each: min {}, median {}, max {} (connect median {})",
        args.iterations,
        ms(min),
        ms(median(totals)),
        ms(max),
        ms(median(connects)),
    );
    let client_side: Vec<Duration> = all_stats
        .iter()
        .map(|s| {
            let queries: Duration = s.queries.iter().map(|q| q.elapsed).sum();
            s.total.saturating_sub(queries + s.connect)
        })
        .collect();
    println!(
        "  (building the model between queries: median {})",
        ms(median(client_side))
    );
    for ((_, label), times) in per_query {
        println!("  {label:<20} median {:>9}", ms(median(times)));
    }
    Ok(())
}

async fn drop_db(admin: &str, name: &str) -> Result<(), String> {
    let mut conn = connect(admin).await?;
    let result = conn
        .query_drop(format!("DROP DATABASE IF EXISTS `{name}`"))
        .await
        .map_err(|e| format!("drop {name}: {e}"));
    let _ = conn.disconnect().await;
    result
}

#[tokio::main]
async fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench_catalog_mysql: {e}");
            std::process::exit(2);
        }
    };
    if let Some(url) = &args.existing {
        if let Err(e) = run(url, url, &args).await {
            eprintln!("bench_catalog_mysql: {e}");
            std::process::exit(1);
        }
        return;
    }
    let Ok(admin) = std::env::var("DRIZZLE_DRIFT_TEST_MYSQL") else {
        eprintln!(
            "bench_catalog_mysql: set DRIZZLE_DRIFT_TEST_MYSQL to a MySQL/MariaDB server URL"
        );
        std::process::exit(2);
    };
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!("dd_bench_{}_{nanos}", std::process::id());
    let created = match connect(&admin).await {
        Ok(mut c) => {
            let r = c
                .query_drop(format!("CREATE DATABASE `{name}`"))
                .await
                .map_err(|e| format!("create database: {e}"));
            let _ = c.disconnect().await;
            r
        }
        Err(e) => Err(e),
    };
    if let Err(e) = created {
        eprintln!("bench_catalog_mysql: {e}");
        std::process::exit(2);
    }
    eprintln!("building {} tables in {name}…", args.tables);
    let outcome = run(&admin, &with_database(&admin, &name), &args).await;
    if let Err(e) = drop_db(&admin, &name).await {
        eprintln!("bench_catalog_mysql: {e}");
    }
    if let Err(e) = outcome {
        eprintln!("bench_catalog_mysql: {e}");
        std::process::exit(1);
    }
}
