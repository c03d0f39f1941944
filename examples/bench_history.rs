//! Benchmark of the history reader on a large generated history.
//!
//! Builds, in a temp folder, a 0.x journal history of 300 migrations whose snapshots are
//! the real `kitchen` fixture's last snapshot with its tables replicated (about 270 KB
//! each, 80 MB in all) and chained by fresh ids, then times `load` (journal, every SQL
//! hash, every snapshot header, chain checks) and `snapshot(last)` (full conversion).
//!
//!     cargo run --release --example bench_history [-- ROUNDS]

use drizzle_drift::model::Dialect;
use drizzle_drift::sources::history;
use serde_json::{json, Map, Value};
use std::error::Error;
use std::path::Path;
use std::time::{Duration, Instant};

const MIGRATIONS: usize = 300;
const COPIES: usize = 8;

fn main() -> Result<(), Box<dyn Error>> {
    let rounds: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(15);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg/kitchen/drizzle");
    let tmp = tempfile::tempdir()?;
    let out = tmp.path().join("drizzle");
    let bytes = build(&fixture, &out)?;
    println!(
        "history: {MIGRATIONS} migrations, {:.1} MB of snapshots in {}",
        bytes as f64 / 1e6,
        out.display()
    );

    let mut load_times = Vec::new();
    let mut snapshot_times = Vec::new();
    let mut total_times = Vec::new();
    for _ in 0..rounds {
        let start = Instant::now();
        let h = history::load(&out, Dialect::Postgresql);
        let loaded = start.elapsed();
        if h.migrations.len() != MIGRATIONS || !h.problems.is_empty() || !h.diagnostics.is_empty() {
            return Err(format!(
                "unexpected history: {} migrations, {} problems, {} diagnostics",
                h.migrations.len(),
                h.problems.len(),
                h.diagnostics.len()
            )
            .into());
        }
        let before = Instant::now();
        let schema = history::snapshot(&h, MIGRATIONS - 1).map_err(|d| d.to_string())?;
        let converted = before.elapsed();
        if schema.tables.len() < COPIES * 10 {
            return Err(format!("only {} tables", schema.tables.len()).into());
        }
        load_times.push(loaded);
        snapshot_times.push(converted);
        total_times.push(start.elapsed());
    }
    report("load", &mut load_times);
    report("snapshot(last)", &mut snapshot_times);
    report("load + snapshot(last)", &mut total_times);
    Ok(())
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what:>24}: min {:8.2} ms   median {:8.2} ms   ({} rounds)",
        ms(times[0]),
        ms(times[times.len() / 2]),
        times.len()
    );
}

/// Write the history; returns the total size of the snapshots.
fn build(fixture: &Path, out: &Path) -> Result<u64, Box<dyn Error>> {
    let meta = out.join("meta");
    std::fs::create_dir_all(&meta)?;
    let mut snapshot: Value = serde_json::from_str(&std::fs::read_to_string(
        fixture.join("meta/0002_snapshot.json"),
    )?)?;
    let sql = std::fs::read(fixture.join("0002_rls_and_views.sql"))?;

    // Replicate every table under new names to reach a large real-world snapshot size.
    let tables = snapshot["tables"].as_object().cloned().ok_or("no tables")?;
    let mut grown = Map::new();
    for copy in 0..COPIES {
        for (key, table) in &tables {
            let mut table = table.clone();
            let name = format!("{}_{copy}", table["name"].as_str().ok_or("table name")?);
            table["name"] = Value::String(name.clone());
            let schema = key.split('.').next().unwrap_or("public");
            grown.insert(format!("{schema}.{name}"), table);
        }
    }
    snapshot["tables"] = Value::Object(grown);

    let mut entries = Vec::new();
    let mut prev = "00000000-0000-0000-0000-000000000000".to_string();
    let mut total = 0u64;
    let start_when: i64 = 1_700_000_000_000;
    for i in 0..MIGRATIONS {
        let id = format!("{i:08x}-0000-4000-8000-{i:012x}");
        snapshot["id"] = Value::String(id.clone());
        snapshot["prevId"] = Value::String(prev);
        let text = serde_json::to_string_pretty(&snapshot)?;
        total += text.len() as u64;
        std::fs::write(meta.join(format!("{i:04}_snapshot.json")), text)?;
        let tag = format!("{i:04}_step_{i}");
        std::fs::write(out.join(format!("{tag}.sql")), &sql)?;
        entries.push(json!({
            "idx": i,
            "version": "7",
            "when": start_when + i as i64 * 60_000,
            "tag": tag,
            "breakpoints": true
        }));
        prev = id;
    }
    let journal = json!({"version": "7", "dialect": "postgresql", "entries": entries});
    std::fs::write(
        meta.join("_journal.json"),
        serde_json::to_string_pretty(&journal)?,
    )?;
    Ok(total)
}
