//! The explorer's budget (DESIGN.md): first frame under 150 ms whatever is still loading,
//! a key press redrawn under 16 ms with 5,000 tables, under 150 MB resident.
//!
//! A synthetic report of 5,000 tables × 16 columns (latest snapshot, applied snapshot,
//! live catalog; every 100th table has a pending column, every 50th a hand-added one) is
//! built with the real diff, then drawn on a ratatui test backend at 120×40.
//!
//! `cargo run --release --example bench_tui`

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use drizzle_drift::diff;
use drizzle_drift::model::{
    Column, Dialect, Index, IndexKey, PrimaryKey, QualifiedName, Schema, Table,
};
use drizzle_drift::report::Report;
use drizzle_drift::tui::app::{self, update, LiveKind, Msg, Outcome, State};
use drizzle_drift::tui::data::Data;
use drizzle_drift::tui::keymap::Keymap;
use drizzle_drift::tui::theme::{Theme, ThemeName};
use drizzle_drift::tui::view;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TABLES: usize = 5_000;
const COLUMNS: usize = 16;

fn table(i: usize, extra: Option<&str>, skip_pending: bool) -> Table {
    let name = QualifiedName::new("public", format!("table_{i:05}"));
    let mut t = Table::new(name.clone());
    for c in 0..COLUMNS {
        let mut col = Column::new(
            format!("column_{c:02}"),
            if c == 0 { "integer" } else { "text" },
        );
        col.not_null = c < 4;
        if c == 5 {
            col.default = Some("'x'::text".into());
        }
        t.columns.push(col);
    }
    if i.is_multiple_of(100) && !skip_pending {
        t.columns.push(Column::new("pending_column", "varchar(64)"));
    }
    if let Some(e) = extra {
        t.columns.push(Column::new(e, "jsonb"));
    }
    t.primary_key = Some(PrimaryKey {
        name: format!("{}_pkey", name.name),
        columns: vec!["column_00".into()],
    });
    t.indexes.push(Index {
        name: format!("{}_column_01_idx", name.name),
        keys: vec![IndexKey {
            expression: "column_01".into(),
            is_expression: false,
            asc: true,
            nulls_first: false,
            opclass: None,
        }],
        unique: false,
        method: "btree".into(),
        where_clause: None,
        with: Vec::new(),
        origin: None,
    });
    t
}

fn schema(f: impl Fn(usize) -> Table) -> Schema {
    let mut s = Schema::new(Dialect::Postgresql);
    for i in 0..TABLES {
        let t = f(i);
        s.tables.insert(t.name.clone(), t);
    }
    s
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let width = 120;
    let height = 40;

    // First frame: nothing loaded yet.
    let start = Instant::now();
    let mut state = State::new(
        width,
        height,
        LiveKind::Captured,
        Theme::new(ThemeName::Default),
        Keymap::default(),
    );
    let cmds = app::reload(&mut state);
    let mut term = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    term.draw(|f| view::render(f, &state)).expect("draw");
    let first_frame = start.elapsed();

    // The models and the report, built with the real diff.
    let t = Instant::now();
    let latest = schema(|i| table(i, None, false));
    let applied = schema(|i| table(i, None, true));
    let live = schema(|i| table(i, i.is_multiple_of(50).then_some("hand_added"), true));
    let models_rss = rss_kib("VmRSS:");
    let pending = vec!["0042_pending".to_string()];
    let inputs = diff::Inputs {
        dialect: Dialect::Postgresql,
        live_schemas: None,
        ts: None,
        latest: Some(&latest),
        base: None,
        applied: Some(&applied),
        live: Some(&live),
        pending_tags: &pending,
        push: false,
    };
    let findings = diff::findings(&inputs);
    let report = Report::new(Dialect::Postgresql, findings);
    let n_findings = report.findings.len();
    let data = Data::new(
        report,
        std::env::temp_dir(),
        Some(Arc::new(latest)),
        Some(live),
        None,
    );
    drop(applied);
    let build = t.elapsed();

    // The report arrives: the frame that shows it.
    let t = Instant::now();
    let generation = state.generation;
    drop(cmds);
    update(
        &mut state,
        Msg::Done {
            generation,
            outcome: Outcome::Report(Ok(Arc::new(data))),
        },
    );
    term.draw(|f| view::render(f, &state)).expect("draw");
    let report_frame = t.elapsed();

    // Key presses, each followed by a redraw, as the event loop does.
    let mut keys: Vec<Msg> = Vec::new();
    for _ in 0..50 {
        keys.push(key(KeyCode::Char('j')));
    }
    keys.push(key(KeyCode::Char('G')));
    keys.push(key(KeyCode::Char('g')));
    for _ in 0..10 {
        keys.push(key(KeyCode::PageDown));
    }
    for _ in 0..20 {
        keys.push(key(KeyCode::Char('n')));
    }
    keys.push(key(KeyCode::Char('s')));
    keys.push(key(KeyCode::Char('/')));
    for c in "table_04".chars() {
        keys.push(key(KeyCode::Char(c)));
    }
    keys.push(key(KeyCode::Backspace));
    keys.push(key(KeyCode::Enter));
    keys.push(key(KeyCode::Enter));
    keys.push(key(KeyCode::Enter));
    keys.push(key(KeyCode::Esc));
    keys.push(key(KeyCode::Esc));
    keys.push(key(KeyCode::Esc));
    keys.push(key(KeyCode::Char('3')));
    for _ in 0..20 {
        keys.push(key(KeyCode::Char('j')));
    }
    keys.push(key(KeyCode::Enter));
    let mut times: Vec<Duration> = Vec::new();
    for k in keys {
        let t = Instant::now();
        update(&mut state, k);
        term.draw(|f| view::render(f, &state)).expect("draw");
        times.push(t.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    let p95 = times[times.len() * 95 / 100];
    let max = times[times.len() - 1];

    println!("tables {TABLES} × {COLUMNS} columns, {n_findings} findings, frame {width}×{height}");
    println!("first frame (loading)      {}", ms(first_frame));
    println!("report built (diff+index)  {}", ms(build));
    println!("frame showing the report   {}", ms(report_frame));
    println!(
        "key + redraw ({} keys)     median {}, p95 {}, max {}",
        times.len(),
        ms(median),
        ms(p95),
        ms(max)
    );
    println!(
        "RSS with the 3 models      {:.1} MB (before the diff)",
        models_rss as f64 / 1024.0
    );
    println!(
        "peak RSS                   {:.1} MB (now {:.1} MB)",
        rss_kib("VmHWM:") as f64 / 1024.0,
        rss_kib("VmRSS:") as f64 / 1024.0
    );
}
