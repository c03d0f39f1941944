//! `check --base REF`: real git repositories with a base branch and a feature branch, each
//! holding real drizzle-kit output (tests/fixtures/pg/base-branch and v1-base-branch,
//! `sides/*`, made by tests/fixtures/regenerate.sh). The base is read from git objects;
//! the work tree stays on the feature branch.

mod support;

use serde_json::Value;
use std::path::Path;
use support::git_repo::{commit_side, git, two_branch_repo as repo};
use support::{cli, copy_dir, fixture};

fn check(repo: &Path, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["check", "--offline", "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = cli::run(&repo.join("app"), None, &args);
    let report = serde_json::from_str(&out).unwrap_or(Value::Null);
    (code, report, err)
}

fn history(report: &Value) -> Vec<(String, String, String, String)> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["category"] == "history")
        .map(|f| {
            (
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["name"].as_str().unwrap_or_default().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
                f["fix"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn journal_branch_generated_from_an_old_base_snapshot() {
    let (_tmp, repo) = repo("base-branch");
    // The branch alone is a clean history.
    let (code, report, err) = check(&repo, &[]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    assert!(history(&report).is_empty(), "{report:#}");

    let (code, report, err) = check(&repo, &["--base", "main"]);
    assert_eq!(code, 1, "{err}\n{report:#}");
    let found = history(&report);
    let stale = found
        .iter()
        .find(|f| f.2.contains("was generated from"))
        .unwrap_or_else(|| panic!("no stale-parent finding: {found:#?}"));
    assert_eq!(stale.0, "error");
    assert_eq!(stale.1, "0001_add_phone");
    assert!(stale.2.contains("the snapshot of 0000_init"), "{}", stale.2);
    assert!(
        stale
            .2
            .contains("main's newest migration is now 0002_add_posts"),
        "{}",
        stale.2
    );
    assert!(
        stale.2.contains("0001_add_avatar, 0002_add_posts"),
        "{}",
        stale.2
    );
    assert!(
        stale.3.contains("merge main, delete yours (0001_add_phone")
            && stale.3.contains("run `drizzle-kit generate` again"),
        "{}",
        stale.3
    );
    let collision = found
        .iter()
        .find(|f| f.2.contains("both use index 0001"))
        .unwrap_or_else(|| panic!("no index collision: {found:#?}"));
    assert_eq!(
        (collision.0.as_str(), collision.1.as_str()),
        ("error", "0001_add_phone")
    );
    assert!(
        collision.2.contains("main's 0001_add_avatar"),
        "{}",
        collision.2
    );
    let journal = found
        .iter()
        .find(|f| f.1 == "meta/_journal.json")
        .unwrap_or_else(|| panic!("no journal conflict: {found:#?}"));
    assert_eq!(journal.0, "warning");
    assert_eq!(found.len(), 3, "{found:#?}");
}

#[test]
fn journal_branch_regenerated_on_the_base_is_clean() {
    let (_tmp, repo) = repo("base-branch");
    git(&repo, &["checkout", "-q", "-b", "rebased", "main"]);
    commit_side(&repo, "base-branch", "rebased");
    let (code, report, err) = check(&repo, &["--base", "main"]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    assert!(history(&report).is_empty(), "{report:#}");
    // The other way round: main's new migrations follow 0000_init, feature's newest is
    // 0001_add_phone, so main (as the branch here) is the stale one.
    git(&repo, &["checkout", "-q", "main"]);
    let (code, report, err) = check(&repo, &["--base", "feature"]);
    assert_eq!(code, 1, "{err}\n{report:#}");
    assert!(history(&report).iter().any(|f| f.1 == "0001_add_avatar"
        && f.2
            .contains("feature's newest migration is now 0001_add_phone")));
}

#[test]
fn folders_branch_generated_from_an_old_base_snapshot() {
    let (_tmp, repo) = repo("v1-base-branch");
    let (code, report, err) = check(&repo, &[]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    assert!(history(&report).is_empty(), "{report:#}");

    let (code, report, err) = check(&repo, &["--base", "main", "--fail-on", "warning"]);
    assert_eq!(code, 1, "{err}\n{report:#}");
    let found = history(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (severity, name, message, fix) = &found[0];
    assert_eq!(severity, "warning");
    assert!(name.ends_with("_add_phone"), "{name}");
    assert!(
        message.contains("_init") && message.contains("_add_posts"),
        "{message}"
    );
    assert!(message.contains("open branches"), "{message}");
    assert!(fix.contains("the migration folders"), "{fix}");

    git(&repo, &["checkout", "-q", "-b", "rebased", "main"]);
    commit_side(&repo, "v1-base-branch", "rebased");
    let (code, report, err) = check(&repo, &["--base", "main", "--fail-on", "warning"]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    assert!(history(&report).is_empty(), "{report:#}");
}

#[test]
fn unknown_ref_is_an_error() {
    let (_tmp, repo) = repo("base-branch");
    let (code, _, err) = check(&repo, &["--base", "origin/nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("--base origin/nope: no such commit"), "{err}");
    let (code, _, err) = check(&repo, &["--base=--output=x"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a git revision"), "{err}");
    assert!(!repo.join("app/x").exists());
}

#[test]
fn folder_not_in_git_is_an_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join("app")).expect("mkdir");
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::copy(
        fixture("base-branch").join("drizzle.config.ts"),
        repo.join("app/drizzle.config.ts"),
    )
    .expect("copy config");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "config only"]);
    // The migrations exist in the work tree but were never committed.
    for dir in ["drizzle", "src"] {
        copy_dir(
            &fixture("base-branch").join("sides/branch").join(dir),
            &repo.join("app").join(dir),
        );
    }
    let (code, _, err) = check(&repo, &["--base", "main"]);
    assert_eq!(code, 2);
    assert!(err.contains("app/drizzle is not in git"), "{err}");

    // Outside any repository.
    let plain = tmp.path().join("plain");
    copy_dir(&repo.join("app"), &plain);
    let (code, _, err) = cli::run(&plain, None, &["check", "--offline", "--base", "main"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not inside a git repository"), "{err}");
}

#[test]
fn journal_same_column_changed_on_both_sides() {
    let (_tmp, repo) = repo("base-conflict");
    let (code, report, err) = check(&repo, &["--base", "main"]);
    assert_eq!(code, 1, "{err}\n{report:#}");
    let both: Vec<Value> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            f["message"]
                .as_str()
                .unwrap_or_default()
                .contains("on both sides")
        })
        .cloned()
        .collect();
    assert_eq!(both.len(), 1, "{report:#}");
    let f = &both[0];
    assert_eq!(
        (
            &f["category"],
            &f["severity"],
            &f["object"],
            &f["table"],
            &f["name"]
        ),
        (
            &Value::from("history"),
            &Value::from("warning"),
            &Value::from("column"),
            &Value::from("users"),
            &Value::from("name")
        ),
        "{f:#}"
    );
    assert_eq!(
        f["message"],
        "column users.name changed on both sides since the snapshot of 0000_init: this \
         branch's 0001_name_optional (not_null: true → false) and main's 0001_name_varchar \
         (type: text → varchar(100)); after the merge both run, and a `drizzle-kit generate` \
         compares with one side's snapshot only",
        "{f:#}"
    );
    assert_eq!(
        f["fix"],
        "merge main, decide what column users.name should be in the schema, delete yours \
         (0001_name_optional), run `drizzle-kit generate` again"
    );
    // The phone column only the branch added, and posts only the base: not on both sides.
    assert!(!report.to_string().contains("column users.phone changed"));

    // Regenerated on top of the base: nothing new on the base's side, nothing on both.
    git(&repo, &["checkout", "-q", "-b", "rebased", "main"]);
    commit_side(&repo, "base-conflict", "rebased");
    let (code, report, err) = check(&repo, &["--base", "main"]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    assert!(history(&report).is_empty(), "{report:#}");
}

#[test]
fn folders_same_column_changed_on_both_sides() {
    let (_tmp, repo) = repo("v1-base-conflict");
    let (code, report, err) = check(&repo, &["--base", "main", "--fail-on", "warning"]);
    assert_eq!(code, 1, "{err}\n{report:#}");
    let found = history(&report);
    let both: Vec<_> = found
        .iter()
        .filter(|f| f.2.contains("on both sides"))
        .collect();
    assert_eq!(both.len(), 1, "{found:#?}");
    let (severity, name, message, fix) = both[0];
    assert_eq!((severity.as_str(), name.as_str()), ("warning", "name"));
    assert!(
        message.starts_with("column users.name changed on both sides since the snapshot of ")
            && message.contains("_init: this branch's ")
            && message.contains("_name_optional (not_null: true → false) and main's ")
            && message.contains("_name_varchar (type: text → varchar(100))"),
        "{message}"
    );
    assert!(
        fix.contains("_name_optional), run `drizzle-kit generate` again"),
        "{fix}"
    );
    // The open-branches warning stays.
    assert!(
        found.iter().any(|f| f.2.contains("open branches")),
        "{found:#?}"
    );

    git(&repo, &["checkout", "-q", "-b", "rebased", "main"]);
    commit_side(&repo, "v1-base-conflict", "rebased");
    let (code, report, err) = check(&repo, &["--base", "main", "--fail-on", "warning"]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    assert!(history(&report).is_empty(), "{report:#}");
}
