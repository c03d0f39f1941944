//! Layout detection, migration lists, snapshot headers and SQL hashes, on the real
//! drizzle-kit fixtures.

mod history_support;

use drizzle_drift::model::Dialect;
use drizzle_drift::sources::history::{self, Layout};
use history_support::*;

#[test]
fn journal_layout_lists_the_journal_in_order() {
    let h = load_pg(&drizzle("kitchen"));
    assert_eq!(h.layout, Layout::Journal);
    assert_eq!(h.dialect, Some(Dialect::Postgresql));
    assert!(h.problems.is_empty(), "{:#?}", h.problems);
    assert!(h.diagnostics.is_empty(), "{:#?}", h.diagnostics);
    let tags: Vec<&str> = h.migrations.iter().map(|m| m.tag.as_str()).collect();
    assert_eq!(
        tags,
        [
            "0000_init",
            "0001_constraints_and_indexes",
            "0002_rls_and_views"
        ]
    );
    for (i, m) in h.migrations.iter().enumerate() {
        assert_eq!(
            m.sql_path,
            drizzle("kitchen").join(format!("{}.sql", m.tag))
        );
        assert_eq!(
            m.snapshot_path.as_deref(),
            Some(
                drizzle("kitchen")
                    .join(format!("meta/{i:04}_snapshot.json"))
                    .as_path()
            )
        );
        assert!(m.breakpoints);
        assert_eq!(m.snapshot_version.as_deref(), Some("7"));
    }
    // Each snapshot names the previous one; the first names the all-zero id.
    assert_eq!(
        h.migrations[0].prev_ids,
        ["00000000-0000-0000-0000-000000000000"]
    );
    for pair in h.migrations.windows(2) {
        assert_eq!(pair[1].prev_ids, [pair[0].snapshot_id.clone().unwrap()]);
    }
}

#[test]
fn headers_match_the_snapshot_files() {
    let h = load_pg(&drizzle("kitchen"));
    for m in &h.migrations {
        let text = read(m.snapshot_path.as_ref().unwrap());
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(m.snapshot_id.as_deref(), v["id"].as_str());
        assert_eq!(m.prev_ids, [v["prevId"].as_str().unwrap().to_string()]);
    }
}

#[test]
fn folder_layout_lists_folders_by_name() {
    let h = load_pg(&drizzle("v1-rc5"));
    assert_eq!(h.layout, Layout::Folders);
    assert_eq!(h.dialect, Some(Dialect::Postgresql));
    assert!(h.problems.is_empty(), "{:#?}", h.problems);
    assert!(h.diagnostics.is_empty(), "{:#?}", h.diagnostics);
    let tags: Vec<&str> = h.migrations.iter().map(|m| m.tag.as_str()).collect();
    assert_eq!(
        tags,
        [
            "20261125211128_init",
            "20261125211130_published_flag",
            "20261125211132_comments"
        ]
    );
    for m in &h.migrations {
        assert_eq!(
            m.sql_path,
            drizzle("v1-rc5").join(&m.tag).join("migration.sql")
        );
        assert_eq!(m.snapshot_version.as_deref(), Some("9"));
        assert!(m.snapshot_id.is_some());
    }
    for pair in h.migrations.windows(2) {
        assert_eq!(pair[1].prev_ids, [pair[0].snapshot_id.clone().unwrap()]);
    }
}

/// The real migrator's rows: the same hash for every file, `created_at` = the journal's
/// `when` (0.x) or the folder timestamp (1.0), in the order the history lists them.
#[test]
fn hashes_and_times_match_what_the_migrator_stored() {
    let mut checked = 0;
    for name in all_fixtures() {
        if !fixture(&name).join("applied.json").exists() {
            continue;
        }
        let h = load_pg(&drizzle(&name));
        let rows = applied(&name);
        assert_eq!(rows.len(), h.migrations.len(), "{name}");
        for (row, m) in rows.iter().zip(&h.migrations) {
            assert_eq!(
                m.hash.as_deref(),
                Some(row.hash.as_str()),
                "{name} {}",
                m.tag
            );
            assert_eq!(m.when, Some(row.created_at), "{name} {}", m.tag);
            if let Some(applied_name) = &row.name {
                assert_eq!(&m.tag, applied_name, "{name}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} fixtures have applied.json");
}

#[test]
fn legacy_journals_are_read() {
    for (name, version) in [("legacy-v5", "5"), ("legacy-v6", "6")] {
        let h = load_pg(&drizzle(name));
        assert_eq!(h.layout, Layout::Journal, "{name}");
        assert_eq!(h.dialect, Some(Dialect::Postgresql), "{name}");
        assert_eq!(h.migrations.len(), 2, "{name}");
        assert!(h.problems.is_empty(), "{name}: {:#?}", h.problems);
        assert!(h
            .migrations
            .iter()
            .all(|m| m.snapshot_version.as_deref() == Some(version)));
    }
}

#[test]
fn rc4_folders_have_version_8() {
    let h = load_pg(&drizzle("v1-rc4"));
    assert_eq!(h.layout, Layout::Folders);
    assert!(h.problems.is_empty(), "{:#?}", h.problems);
    assert!(h
        .migrations
        .iter()
        .all(|m| m.snapshot_version.as_deref() == Some("8")));
}

#[test]
fn every_fixture_loads_without_diagnostics() {
    for name in all_fixtures() {
        let h = load_pg(&drizzle(&name));
        assert_ne!(h.layout, Layout::Empty, "{name}");
        assert!(h.diagnostics.is_empty(), "{name}: {:#?}", h.diagnostics);
        assert!(h.migrations.iter().all(|m| m.hash.is_some()), "{name}");
    }
}

#[test]
fn missing_folder_is_an_empty_history() {
    let tmp = tempfile::tempdir().unwrap();
    let h = load_pg(&tmp.path().join("drizzle"));
    assert_eq!(h.layout, Layout::Empty);
    assert!(h.migrations.is_empty());
    assert!(h.problems.is_empty());
    assert!(h.diagnostics.is_empty());
    assert_eq!(h.dialect, None);
}

#[test]
fn folder_without_migrations_is_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("meta")).unwrap();
    std::fs::create_dir_all(tmp.path().join("notes")).unwrap();
    write(&tmp.path().join("README.md"), "nothing here");
    let h = load_pg(tmp.path());
    assert_eq!(h.layout, Layout::Empty);
    assert!(h.problems.is_empty());
}

#[test]
fn statements_follow_breakpoints_with_lines() {
    let h = load_pg(&drizzle("kitchen"));
    let sql = read(&h.migrations[1].sql_path);
    let statements = history::statements(&sql);
    assert_eq!(
        statements.len(),
        sql.matches(history::BREAKPOINT).count() + 1,
        "every breakpoint separates two non-empty statements"
    );
    let lines: Vec<&str> = sql.lines().collect();
    for st in &statements {
        let first_line = st.sql.lines().next().unwrap();
        assert!(
            lines[st.line as usize - 1]
                .trim_start()
                .starts_with(first_line),
            "{st:?}"
        );
        assert!(!st.sql.contains(history::BREAKPOINT));
    }
    assert_eq!(
        history::hash_sql(sql.as_bytes()),
        h.migrations[1].hash.clone().unwrap()
    );
}

#[test]
fn out_path_that_is_a_file_is_a_diagnostic() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("drizzle");
    write(&file, "not a folder");
    let h = load_pg(&file);
    assert_eq!(h.layout, Layout::Empty);
    assert_eq!(h.diagnostics.len(), 1);
    assert!(h.diagnostics[0].message.contains("is a file, not a folder"));
}
