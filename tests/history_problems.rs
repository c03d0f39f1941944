//! Every kind of history problem, on real fixtures or on temp copies of them broken the
//! way real projects get broken (each mutation is described where it is made).

mod history_support;

use drizzle_drift::diagnostic::Level;
use drizzle_drift::model::Dialect;
use drizzle_drift::sources::history::{self, Layout, ProblemKind};
use history_support::*;

#[test]
fn collision_names_both_migrations() {
    // Real: two branches generated 0001 from 0000; the second was renamed 0002 on merge.
    let h = load_pg(&drizzle("collision"));
    let found = problems_of(&h, ProblemKind::Collision);
    assert_eq!(found.len(), 1, "{:#?}", h.problems);
    let p = found[0];
    assert_eq!(p.level, Level::Error);
    assert_eq!(p.subject, "0002_add_phone");
    assert!(
        p.message.starts_with(
            "0001_add_avatar and 0002_add_phone were both generated from the snapshot of 0000_init"
        ),
        "{}",
        p.message
    );
    assert!(p.fix.contains("drizzle-kit generate"), "{}", p.fix);
    // A collision is not also a broken chain: both parents exist.
    assert!(problems_of(&h, ProblemKind::BrokenChain).is_empty());
    assert_eq!(h.problems.len(), 1);
}

#[test]
fn skipped_migration_has_an_older_timestamp() {
    // Real: the branch migration was generated before main's but merged after it.
    let h = load_pg(&drizzle("skipped"));
    let found = problems_of(&h, ProblemKind::WhenNotIncreasing);
    assert_eq!(found.len(), 1, "{:#?}", h.problems);
    let p = found[0];
    assert_eq!(p.subject, "0002_add_sku");
    assert_eq!(p.level, Level::Error);
    assert!(
        p.message.contains("is not after 0001_add_stock's"),
        "{}",
        p.message
    );
    assert!(p.message.contains("skips it"), "{}", p.message);
    // The `when` values in the message are dates, not raw milliseconds.
    assert!(p.message.contains(" UTC)"), "{}", p.message);
    assert_eq!(problems_of(&h, ProblemKind::Collision).len(), 1);
}

#[test]
fn missing_sql_file() {
    // Delete the SQL file of the middle migration; the journal still lists it.
    let (_tmp, dir) = temp_copy("kitchen");
    std::fs::remove_file(dir.join("0001_constraints_and_indexes.sql")).unwrap();
    let h = load_pg(&dir);
    let found = problems_of(&h, ProblemKind::MissingSql);
    assert_eq!(found.len(), 1, "{:#?}", h.problems);
    assert_eq!(found[0].subject, "0001_constraints_and_indexes");
    assert!(
        found[0].message.contains("does not exist"),
        "{}",
        found[0].message
    );
    assert_eq!(h.migrations[1].hash, None);
    assert!(h.migrations[0].hash.is_some() && h.migrations[2].hash.is_some());
    assert!(h.diagnostics.is_empty(), "{:#?}", h.diagnostics);
}

#[test]
fn missing_snapshot_is_a_warning_and_breaks_the_chain_after_it() {
    // Delete 0001's snapshot: 0002's prevId now names a snapshot that is gone.
    let (_tmp, dir) = temp_copy("kitchen");
    std::fs::remove_file(dir.join("meta/0001_snapshot.json")).unwrap();
    let h = load_pg(&dir);
    let missing = problems_of(&h, ProblemKind::MissingSnapshot);
    assert_eq!(missing.len(), 1, "{:#?}", h.problems);
    assert_eq!(missing[0].level, Level::Warning);
    assert_eq!(missing[0].subject, "0001_constraints_and_indexes");
    assert!(
        missing[0]
            .message
            .contains("the last state it knows before it is the snapshot of 0000_init"),
        "{}",
        missing[0].message
    );
    assert_eq!(h.migrations[1].snapshot_path, None);
    let broken = problems_of(&h, ProblemKind::BrokenChain);
    assert_eq!(broken.len(), 1, "{:#?}", h.problems);
    assert_eq!(broken[0].subject, "0002_rls_and_views");
    assert!(
        broken[0].message.contains("not in the history"),
        "{}",
        broken[0].message
    );
    assert!(history::snapshot(&h, 1).is_err());
    assert!(history::snapshot(&h, 2).is_ok());
}

#[test]
fn sql_file_the_journal_does_not_list() {
    // A hand-written SQL file dropped next to the generated ones.
    let (_tmp, dir) = temp_copy("kitchen");
    write(
        &dir.join("0003_backfill.sql"),
        "UPDATE users SET karma = 0;",
    );
    let h = load_pg(&dir);
    let found = problems_of(&h, ProblemKind::UnlistedSql);
    assert_eq!(found.len(), 1, "{:#?}", h.problems);
    assert_eq!(found[0].subject, "0003_backfill");
    assert!(
        found[0].message.contains("will never run it"),
        "{}",
        found[0].message
    );
    assert_eq!(h.problems.len(), 1);
}

#[test]
fn journal_entry_removed_leaves_its_files_behind() {
    // Remove the last journal entry by hand (as `drizzle-kit drop` would, but keep files).
    let (_tmp, dir) = temp_copy("kitchen");
    let journal_path = dir.join("meta/_journal.json");
    let mut journal: serde_json::Value = serde_json::from_str(&read(&journal_path)).unwrap();
    journal["entries"].as_array_mut().unwrap().pop();
    write(
        &journal_path,
        &serde_json::to_string_pretty(&journal).unwrap(),
    );
    let h = load_pg(&dir);
    assert_eq!(h.migrations.len(), 2);
    let sql = problems_of(&h, ProblemKind::UnlistedSql);
    assert_eq!(sql.len(), 1, "{:#?}", h.problems);
    assert_eq!(sql[0].subject, "0002_rls_and_views");
    let snapshots = problems_of(&h, ProblemKind::UnlistedSnapshot);
    assert_eq!(snapshots.len(), 2, "{:#?}", h.problems);
    assert!(snapshots
        .iter()
        .all(|p| p.subject == "meta/0002_snapshot.json"));
    // The stray snapshot sorts last, so generate would diff against it.
    let generate = snapshots.iter().find(|p| p.level == Level::Error).unwrap();
    assert!(
        generate.message.contains("wrong state"),
        "{}",
        generate.message
    );
}

#[test]
fn idx_out_of_order() {
    // Swap the idx of the last two entries, as a hand-merged journal does.
    let (_tmp, dir) = temp_copy("kitchen");
    let journal_path = dir.join("meta/_journal.json");
    let mut journal: serde_json::Value = serde_json::from_str(&read(&journal_path)).unwrap();
    journal["entries"][1]["idx"] = 2.into();
    journal["entries"][2]["idx"] = 1.into();
    write(
        &journal_path,
        &serde_json::to_string_pretty(&journal).unwrap(),
    );
    let h = load_pg(&dir);
    let found = problems_of(&h, ProblemKind::IdxOrder);
    assert_eq!(found.len(), 1, "{:#?}", h.problems);
    assert_eq!(found[0].subject, "0002_rls_and_views");
    assert!(found[0].message.contains("idx 1"), "{}", found[0].message);
    assert_eq!(h.problems.len(), 1);
}

#[test]
fn duplicated_journal_entry() {
    // The journal lists the last migration twice (a merge that kept both sides).
    let (_tmp, dir) = temp_copy("kitchen");
    let journal_path = dir.join("meta/_journal.json");
    let mut journal: serde_json::Value = serde_json::from_str(&read(&journal_path)).unwrap();
    let entries = journal["entries"].as_array_mut().unwrap();
    let mut dup = entries[2].clone();
    dup["idx"] = 3.into();
    dup["when"] = (dup["when"].as_i64().unwrap() + 1000).into();
    entries.push(dup);
    write(
        &journal_path,
        &serde_json::to_string_pretty(&journal).unwrap(),
    );
    let h = load_pg(&dir);
    let found = problems_of(&h, ProblemKind::DuplicateTag);
    assert_eq!(found.len(), 1, "{:#?}", h.problems);
    assert_eq!(found[0].subject, "0002_rls_and_views");
    assert!(found[0].message.contains("twice"));
}

#[test]
fn dialect_differs_from_the_config() {
    let h = history::load(&drizzle("kitchen"), Dialect::Mysql);
    let found = problems_of(&h, ProblemKind::DialectMismatch);
    // One for the journal, one summing up the snapshots.
    assert_eq!(found.len(), 2, "{:#?}", h.problems);
    assert!(
        found[0].message.contains("\"postgresql\""),
        "{}",
        found[0].message
    );
    assert!(found[0].message.contains("mysql"), "{}", found[0].message);
    assert!(
        found[1].message.contains("and 2 more snapshots"),
        "{}",
        found[1].message
    );
    assert_eq!(h.dialect, Some(Dialect::Postgresql));

    let h = history::load(&drizzle("v1-rc5"), Dialect::Mysql);
    let found = problems_of(&h, ProblemKind::DialectMismatch);
    assert_eq!(found.len(), 1, "{:#?}", h.problems);
    assert!(
        found[0].message.contains("\"postgres\""),
        "{}",
        found[0].message
    );
}

#[test]
fn broken_chain_names_the_unknown_parent() {
    // Point 0001's prevId at a snapshot that never existed (a squashed history).
    let (_tmp, dir) = temp_copy("kitchen");
    let path = dir.join("meta/0001_snapshot.json");
    let mut snap: serde_json::Value = serde_json::from_str(&read(&path)).unwrap();
    snap["prevId"] = "11111111-2222-3333-4444-555555555555".into();
    write(&path, &serde_json::to_string_pretty(&snap).unwrap());
    let h = load_pg(&dir);
    let found = problems_of(&h, ProblemKind::BrokenChain);
    assert_eq!(found.len(), 1, "{:#?}", h.problems);
    assert_eq!(found[0].subject, "0001_constraints_and_indexes");
    assert!(
        found[0]
            .message
            .contains("11111111-2222-3333-4444-555555555555"),
        "{}",
        found[0].message
    );
}

#[test]
fn chain_out_of_order() {
    // Swap the journal order of the last two entries (and their `when`s, so only the
    // order is wrong): 0001's snapshot now comes after its child.
    let (_tmp, dir) = temp_copy("kitchen");
    let journal_path = dir.join("meta/_journal.json");
    let mut journal: serde_json::Value = serde_json::from_str(&read(&journal_path)).unwrap();
    let entries = journal["entries"].as_array_mut().unwrap();
    entries.swap(1, 2);
    let (w1, w2) = (entries[1]["when"].clone(), entries[2]["when"].clone());
    entries[1]["when"] = w2;
    entries[2]["when"] = w1;
    entries[1]["idx"] = 1.into();
    entries[2]["idx"] = 2.into();
    write(
        &journal_path,
        &serde_json::to_string_pretty(&journal).unwrap(),
    );
    let h = load_pg(&dir);
    let found = problems_of(&h, ProblemKind::BrokenChain);
    assert_eq!(found.len(), 1, "{:#?}", h.problems);
    assert_eq!(found[0].subject, "0002_rls_and_views");
    assert!(
        found[0].message.contains("out of order"),
        "{}",
        found[0].message
    );
}

#[test]
fn duplicate_snapshot_id() {
    // Copy 0000's id into 0002's snapshot (a snapshot copied instead of generated).
    let (_tmp, dir) = temp_copy("kitchen");
    let first: serde_json::Value =
        serde_json::from_str(&read(&dir.join("meta/0000_snapshot.json"))).unwrap();
    let path = dir.join("meta/0002_snapshot.json");
    let mut snap: serde_json::Value = serde_json::from_str(&read(&path)).unwrap();
    snap["id"] = first["id"].clone();
    write(&path, &serde_json::to_string_pretty(&snap).unwrap());
    let h = load_pg(&dir);
    let found = problems_of(&h, ProblemKind::DuplicateId);
    assert_eq!(found.len(), 1, "{:#?}", h.problems);
    assert_eq!(found[0].subject, "0002_rls_and_views");
    assert!(found[0]
        .message
        .contains("0000_init and 0002_rls_and_views"));
}

#[test]
fn snapshot_copied_byte_for_byte_is_a_collision_in_the_journal_layout() {
    // Copy 0001's snapshot file over 0002's (a hand-written migration whose author copied
    // the previous state): drizzle-kit 0.x generate refuses both as pointing to one parent.
    let (_tmp, dir) = temp_copy("kitchen");
    std::fs::copy(
        dir.join("meta/0001_snapshot.json"),
        dir.join("meta/0002_snapshot.json"),
    )
    .unwrap();
    let h = load_pg(&dir);
    let duplicate = problems_of(&h, ProblemKind::DuplicateId);
    assert_eq!(duplicate.len(), 1, "{:#?}", h.problems);
    assert_eq!(duplicate[0].subject, "0002_rls_and_views");
    let collision = problems_of(&h, ProblemKind::Collision);
    assert_eq!(collision.len(), 1, "{:#?}", h.problems);
    assert_eq!(collision[0].subject, "0002_rls_and_views");
    assert_eq!(collision[0].level, Level::Error);
}

#[test]
fn two_entries_sharing_one_snapshot_file() {
    // Renumber the last migration to 0001 (two branches both generated a 0001): the SQL
    // file is renamed with its tag, and both entries now name meta/0001_snapshot.json.
    let (_tmp, dir) = temp_copy("kitchen");
    let journal_path = dir.join("meta/_journal.json");
    let journal = read(&journal_path).replace("0002_rls_and_views", "0001_rls_and_views");
    write(&journal_path, &journal);
    std::fs::rename(
        dir.join("0002_rls_and_views.sql"),
        dir.join("0001_rls_and_views.sql"),
    )
    .unwrap();
    let h = load_pg(&dir);
    let shared = problems_of(&h, ProblemKind::SharedSnapshot);
    assert_eq!(shared.len(), 1, "{:#?}", h.problems);
    assert_eq!(shared[0].subject, "0001_rls_and_views");
    assert!(shared[0]
        .message
        .contains("0001_constraints_and_indexes, 0001_rls_and_views"));
    // The file belongs to the later entry; the earlier has none (and is not reported
    // again as missing).
    assert_eq!(h.migrations[1].snapshot_path, None);
    assert!(h.migrations[2].snapshot_path.is_some());
    assert!(problems_of(&h, ProblemKind::MissingSnapshot).is_empty());
    assert_eq!(problems_of(&h, ProblemKind::UnlistedSnapshot).len(), 2);
}

#[test]
fn two_entries_naming_one_snapshot_file_that_does_not_exist_each_lack_a_snapshot() {
    // As above, and the shared file is gone too: neither entry has a snapshot, and there
    // is no file for them to share.
    let (_tmp, dir) = temp_copy("kitchen");
    let journal_path = dir.join("meta/_journal.json");
    let journal = read(&journal_path).replace("0002_rls_and_views", "0001_rls_and_views");
    write(&journal_path, &journal);
    std::fs::rename(
        dir.join("0002_rls_and_views.sql"),
        dir.join("0001_rls_and_views.sql"),
    )
    .unwrap();
    std::fs::remove_file(dir.join("meta/0001_snapshot.json")).unwrap();
    let h = load_pg(&dir);
    assert!(
        problems_of(&h, ProblemKind::SharedSnapshot).is_empty(),
        "{:#?}",
        h.problems
    );
    let missing: Vec<&str> = problems_of(&h, ProblemKind::MissingSnapshot)
        .iter()
        .map(|p| p.subject.as_str())
        .collect();
    assert_eq!(
        missing,
        ["0001_constraints_and_indexes", "0001_rls_and_views"]
    );
}

#[test]
fn a_snapshot_copied_byte_for_byte_is_not_an_ambiguous_chain() {
    // A hand-written data migration whose author copied the previous folder's snapshot:
    // same id, same parents, same bytes. drizzle-kit check accepts it.
    let (_tmp, dir) = temp_copy("v1-rc4");
    let copy = dir.join("20261125211136_backfill");
    std::fs::create_dir(&copy).unwrap();
    std::fs::copy(
        dir.join("20261125211135_published_flag/snapshot.json"),
        copy.join("snapshot.json"),
    )
    .unwrap();
    write(
        &copy.join("migration.sql"),
        "UPDATE \"posts\" SET \"published\" = true;",
    );
    let h = load_pg(&dir);
    // Nothing to fix, nothing drizzle-kit objects to: no problem at all (no duplicate id,
    // no collision, no open branch), where a snapshot of other bytes with that id is one.
    assert!(h.problems.is_empty(), "{:#?}", h.problems);
    let mut snap: serde_json::Value =
        serde_json::from_str(&read(&copy.join("snapshot.json"))).unwrap();
    snap["tables"] = serde_json::json!({});
    write(
        &copy.join("snapshot.json"),
        &serde_json::to_string_pretty(&snap).unwrap(),
    );
    let h = load_pg(&dir);
    assert_eq!(
        problems_of(&h, ProblemKind::DuplicateId).len(),
        1,
        "{:#?}",
        h.problems
    );
}

#[test]
fn both_layouts_in_one_folder() {
    let (_tmp, dir) = temp_copy("kitchen");
    copy_dir(&drizzle("v1-rc5"), &dir);
    let h = load_pg(&dir);
    assert_eq!(h.layout, Layout::Journal);
    assert_eq!(
        problems_of(&h, ProblemKind::MixedLayout).len(),
        1,
        "{:#?}",
        h.problems
    );
}

#[test]
fn folders_with_two_open_branches() {
    // Make the third migration a child of the first, as if generated on a branch: the
    // second and third now both follow the first and nothing merges them.
    let (_tmp, dir) = temp_copy("v1-rc5");
    let h = load_pg(&dir);
    let first_id = h.migrations[0].snapshot_id.clone().unwrap();
    let path = h.migrations[2].snapshot_path.clone().unwrap();
    let mut snap: serde_json::Value = serde_json::from_str(&read(&path)).unwrap();
    snap["prevIds"] = serde_json::json!([first_id]);
    write(&path, &serde_json::to_string_pretty(&snap).unwrap());
    let h = load_pg(&dir);
    let found = problems_of(&h, ProblemKind::OpenBranches);
    assert_eq!(found.len(), 1, "{:#?}", h.problems);
    assert_eq!(found[0].level, Level::Warning);
    assert!(
        found[0]
            .message
            .contains("20261125211130_published_flag and 20261125211132_comments"),
        "{}",
        found[0].message
    );
    assert!(problems_of(&h, ProblemKind::Collision).is_empty());
}

#[test]
fn folder_without_sql_or_snapshot() {
    let (_tmp, dir) = temp_copy("v1-rc5");
    std::fs::remove_file(dir.join("20261125211130_published_flag/migration.sql")).unwrap();
    std::fs::remove_file(dir.join("20261125211132_comments/snapshot.json")).unwrap();
    write(&dir.join("stray.sql"), "SELECT 1;");
    let h = load_pg(&dir);
    assert_eq!(h.migrations.len(), 3);
    let sql = problems_of(&h, ProblemKind::MissingSql);
    assert_eq!(sql.len(), 1, "{:#?}", h.problems);
    assert_eq!(sql[0].subject, "20261125211130_published_flag");
    let snap = problems_of(&h, ProblemKind::MissingSnapshot);
    assert_eq!(snap.len(), 1, "{:#?}", h.problems);
    assert_eq!(snap[0].subject, "20261125211132_comments");
    let loose = problems_of(&h, ProblemKind::UnlistedSql);
    assert_eq!(loose.len(), 1);
    assert_eq!(loose[0].subject, "stray");
}

#[test]
fn malformed_snapshot_is_a_diagnostic_and_the_rest_loads() {
    // Cut the middle snapshot in half.
    let (_tmp, dir) = temp_copy("kitchen");
    let path = dir.join("meta/0001_snapshot.json");
    let text = read(&path);
    write(&path, &text[..text.len() / 2]);
    let h = load_pg(&dir);
    assert_eq!(h.migrations.len(), 3);
    assert_eq!(h.diagnostics.len(), 1, "{:#?}", h.diagnostics);
    let d = &h.diagnostics[0];
    assert_eq!(d.level, Level::Error);
    assert!(d.location.ends_with("0001_snapshot.json"), "{}", d.location);
    assert!(d.line.is_some() && d.column.is_some());
    assert!(d.message.contains("not valid JSON"), "{}", d.message);
    assert_eq!(h.migrations[1].snapshot_id, None);
    assert!(h.migrations[0].snapshot_id.is_some() && h.migrations[2].snapshot_id.is_some());
    let err = history::snapshot(&h, 1).unwrap_err();
    assert!(err.location.ends_with("0001_snapshot.json"));
    assert!(err.line.is_some());
}

#[test]
fn malformed_journal_is_a_diagnostic() {
    let (_tmp, dir) = temp_copy("kitchen");
    let path = dir.join("meta/_journal.json");
    // A doubled comma after the dialect (line 3).
    let text = read(&path).replacen("\"postgresql\",", "\"postgresql\",,", 1);
    write(&path, &text);
    let h = load_pg(&dir);
    assert_eq!(h.layout, Layout::Journal);
    assert!(h.migrations.is_empty());
    assert_eq!(h.diagnostics.len(), 1, "{:#?}", h.diagnostics);
    assert!(h.diagnostics[0].location.ends_with("_journal.json"));
    assert_eq!(h.diagnostics[0].line, Some(3));
    assert!(h.diagnostics[0].message.contains("not valid JSON"));
}

#[test]
fn bad_journal_entry_is_left_out_and_the_others_load() {
    // One entry's `when` is a string.
    let (_tmp, dir) = temp_copy("kitchen");
    let path = dir.join("meta/_journal.json");
    let mut journal: serde_json::Value = serde_json::from_str(&read(&path)).unwrap();
    journal["entries"][1]["when"] = "yesterday".into();
    let text = serde_json::to_string_pretty(&journal).unwrap();
    write(&path, &text);
    let h = load_pg(&dir);
    let tags: Vec<&str> = h.migrations.iter().map(|m| m.tag.as_str()).collect();
    assert_eq!(tags, ["0000_init", "0002_rls_and_views"]);
    assert_eq!(h.diagnostics.len(), 2, "{:#?}", h.diagnostics);
    // The typed read names the position, the lenient read names the entry.
    let line = text.lines().position(|l| l.contains("yesterday")).unwrap() as u32 + 1;
    assert_eq!(h.diagnostics[0].line, Some(line));
    assert!(
        h.diagnostics[1].message.contains("entry #1"),
        "{}",
        h.diagnostics[1].message
    );
    // The snapshot of the left-out entry is reported as unlisted.
    assert_eq!(problems_of(&h, ProblemKind::UnlistedSql).len(), 1);
}

#[test]
fn messy_folder_hand_written_migration_and_stray_files() {
    // Real: a hand-written 0003 with a journal entry but no snapshot, a 0004 draft in no
    // journal entry, plus a `.sql.backup` copy and a `seed.ts` that are not migrations.
    let h = load_pg(&drizzle("messy"));
    assert_eq!(h.migrations.len(), 4);
    assert_eq!(h.problems.len(), 2, "{:#?}", h.problems);
    let missing = problems_of(&h, ProblemKind::MissingSnapshot);
    assert_eq!(missing[0].subject, "0003_backfill");
    assert!(
        missing[0].message.contains("snapshot of 0002_comments"),
        "{}",
        missing[0].message
    );
    assert!(missing[0].fix.contains("--custom"), "{}", missing[0].fix);
    let unlisted = problems_of(&h, ProblemKind::UnlistedSql);
    assert_eq!(unlisted[0].subject, "0004_draft");
    // The applied 0001 was edited after deployment: its hash is no longer the deployed one.
    let before = applied_rows(&fixture("messy").join("applied-before-edits.json"));
    assert_ne!(
        h.migrations[1].hash.as_deref(),
        Some(before[1].hash.as_str())
    );
    assert_eq!(
        h.migrations[0].hash.as_deref(),
        Some(before[0].hash.as_str())
    );
}

#[test]
fn custom_migration_has_a_snapshot_equal_to_its_parent() {
    // Real `generate --custom`: the snapshot repeats the previous state under a new id.
    let h = load_pg(&drizzle("custom"));
    assert!(h.problems.is_empty(), "{:#?}", h.problems);
    let strip = |mut s: drizzle_drift::model::Schema| {
        for t in s.tables.values_mut() {
            t.origin = None;
        }
        s.tables
    };
    let before = strip(history::snapshot(&h, 0).unwrap());
    let custom = strip(history::snapshot(&h, 1).unwrap());
    assert_eq!(before, custom);
    assert_ne!(h.migrations[0].snapshot_id, h.migrations[1].snapshot_id);
}

#[test]
fn timestamp_prefix_names_snapshots_by_timestamp() {
    let h = load_pg(&drizzle("config-subdir"));
    assert!(h.problems.is_empty(), "{:#?}", h.problems);
    for m in &h.migrations {
        let prefix = m.tag.split('_').next().unwrap();
        let expected = format!("{prefix}_snapshot.json");
        assert!(m
            .snapshot_path
            .as_ref()
            .unwrap()
            .ends_with(format!("meta/{expected}")));
    }
}
