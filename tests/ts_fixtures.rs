//! The static TS reader over the real drizzle-kit fixtures under tests/fixtures/pg: every
//! schema step of a project must give exactly the model of the snapshot drizzle-kit
//! 0.31.11 generated from that step.

mod ts_support;

use std::path::{Path, PathBuf};
use ts_support::{compare, fixtures, latest_snapshot, load_ts};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Checks each `(step, snapshot)` of a project: the step copied to `src/schema.ts` of a
/// scratch copy of the project must read as the snapshot.
fn check_steps(project: &Path, steps: &[(&str, &str)]) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    std::fs::copy(
        project.join("drizzle.config.ts"),
        dir.join("drizzle.config.ts"),
    )
    .expect("copy config");
    std::fs::create_dir_all(dir.join("src")).expect("src");
    let mut failures = Vec::new();
    for (step, snapshot) in steps {
        std::fs::copy(project.join("steps").join(step), dir.join("src/schema.ts"))
            .expect("copy step");
        let ts = load_ts(dir, None);
        for d in &ts.diagnostics {
            failures.push(format!("{step}: diagnostic {d}"));
        }
        let snap = project.join("drizzle/meta").join(snapshot);
        for d in compare(&ts, &snap) {
            failures.push(format!("{step} vs {snapshot}: {d}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{}:\n  {}",
        project.display(),
        failures.join("\n  ")
    );
}

fn pg(name: &str) -> PathBuf {
    fixtures().join("pg").join(name)
}

fn in_order(n: usize) -> Vec<(String, String)> {
    (1..=n)
        .map(|i| (format!("{i:02}.ts"), format!("{:04}_snapshot.json", i - 1)))
        .collect()
}

fn check_in_order(project: &Path, n: usize) {
    let owned = in_order(n);
    let steps: Vec<(&str, &str)> = owned
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    check_steps(project, &steps);
}

#[test]
fn kitchen_every_step() {
    check_in_order(&pg("kitchen"), 3);
}

#[test]
fn kitchen_current_schema() {
    let dir = pg("kitchen");
    let ts = load_ts(&dir, None);
    assert!(ts.diagnostics.is_empty(), "{:?}", ts.diagnostics);
    let diffs = compare(&ts, &latest_snapshot(&dir.join("drizzle")));
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn casing_every_step() {
    check_in_order(&pg("casing"), 2);
}

#[test]
fn multischema_every_step() {
    check_in_order(&pg("multischema"), 2);
}

#[test]
fn pending_every_step() {
    check_in_order(&pg("pending"), 3);
}

#[test]
fn roles_every_step() {
    check_in_order(&pg("roles"), 2);
}

#[test]
fn custom_table_every_step() {
    check_in_order(&pg("custom-table"), 2);
}

#[test]
fn messy_every_step() {
    check_in_order(&pg("messy"), 3);
}

#[test]
fn custom_every_step() {
    // `generate --custom` wrote 0001 as a copy of 0000.
    check_steps(
        &pg("custom"),
        &[
            ("01.ts", "0000_snapshot.json"),
            ("01.ts", "0001_snapshot.json"),
            ("03.ts", "0002_snapshot.json"),
        ],
    );
}

#[test]
fn collision_branches() {
    check_steps(
        &pg("collision"),
        &[
            ("01.ts", "0000_snapshot.json"),
            ("02-a.ts", "0001_snapshot.json"),
            ("02-b.ts", "0002_snapshot.json"),
        ],
    );
}

#[test]
fn skipped_branches() {
    check_steps(
        &pg("skipped"),
        &[
            ("01.ts", "0000_snapshot.json"),
            ("02-main.ts", "0001_snapshot.json"),
            ("02-branch.ts", "0002_snapshot.json"),
        ],
    );
}

#[test]
fn demo_every_step() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/project");
    let steps = fixtures().join("demo/steps");
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&project, tmp.path());
    let mut failures = Vec::new();
    for i in 1..=4 {
        std::fs::copy(
            steps.join(format!("{i:02}.ts")),
            tmp.path().join("src/db/schema.ts"),
        )
        .expect("copy step");
        let ts = load_ts(tmp.path(), None);
        failures.extend(ts.diagnostics.iter().map(|d| format!("{i}: {d}")));
        let snap = project
            .join("drizzle/meta")
            .join(format!("{:04}_snapshot.json", i - 1));
        failures.extend(compare(&ts, &snap).into_iter().map(|d| format!("{i}: {d}")));
    }
    assert!(failures.is_empty(), "demo:\n  {}", failures.join("\n  "));
}

#[test]
fn config_subdir_every_step() {
    let project = pg("config-subdir");
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&project.join("server"), &tmp.path().join("server"));
    let snapshots = {
        let mut s: Vec<PathBuf> = std::fs::read_dir(project.join("server/db/migrations/meta"))
            .expect("meta")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with("_snapshot.json"))
            .collect();
        s.sort();
        s
    };
    assert_eq!(snapshots.len(), 2);
    let mut failures = Vec::new();
    for (i, snap) in snapshots.iter().enumerate() {
        let schema = tmp.path().join("server/db/schema");
        std::fs::remove_dir_all(&schema).expect("clear schema");
        copy_dir(&project.join(format!("steps/{:02}", i + 1)), &schema);
        let config = tmp.path().join("server/db/drizzle.config.ts");
        let ts = load_ts(tmp.path(), Some(&config));
        failures.extend(ts.diagnostics.iter().map(|d| format!("{i}: {d}")));
        failures.extend(compare(&ts, snap).into_iter().map(|d| format!("{i}: {d}")));
        if i == 1 {
            // The glob reads every file; the barrel re-exports the same tables again.
            assert_eq!(ts.files.len(), 3, "{:?}", ts.files);
        }
    }
    assert!(
        failures.is_empty(),
        "config-subdir:\n  {}",
        failures.join("\n  ")
    );
}
