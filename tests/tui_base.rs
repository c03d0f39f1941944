//! The explorer with `--base REF`: the Migrations screen shows the base's migrations
//! beside this branch's, marked from the same comparison `check --base` reports. Real git
//! repositories with two branches of real drizzle-kit output (tests/fixtures/pg/base-*,
//! made by tests/fixtures/regenerate.sh), as in tests/check_base.rs.

mod support;
mod tui_support;

use drizzle_drift::engine::{LiveSource, Options};
use drizzle_drift::tui::app::{self, State};
use drizzle_drift::tui::tasks::Context;
use drizzle_drift::tui::theme::ThemeName;
use ratatui::style::Color;
use std::path::Path;
use std::sync::Arc;
use support::git_repo::two_branch_repo;
use tui_support::pty::Pty;
use tui_support::{drive, new_state, press, render, screen_text};

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (160, 45)];

fn options(repo: &Path) -> Options {
    Options {
        config: None,
        cwd: repo.join("app"),
        live: LiveSource::Offline,
        ts_engine: Default::default(),
        overrides: Default::default(),
    }
}

/// The explorer on `repo`'s work tree with `--base rev`, every source loaded.
fn explorer(repo: &Path, rev: &str, size: (u16, u16), theme: ThemeName) -> State {
    let options = options(repo);
    let mut state = new_state(&options, size.0, size.1, theme);
    state.base_rev = Some(rev.into());
    let ctx = Arc::new(Context {
        options,
        live_label: None,
        targets: Default::default(),
    });
    let cmds = app::reload(&mut state);
    drive(&mut state, &ctx, cmds);
    state
}

fn snap(name: &str, state: &State) {
    let text = screen_text(state);
    insta::assert_snapshot!(format!("{name}_{}x{}", state.width, state.height), text);
}

fn no_color(state: &State) {
    let term = render(state);
    for cell in term.backend().buffer().content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "colored cell {cell:?}"
        );
    }
}

/// The row the stale, colliding migration is on; its findings are the ones `check --base`
/// prints, fix included.
#[test]
fn journal_sides_at_every_size() {
    let (_tmp, repo) = two_branch_repo("base-branch");
    for size in SIZES {
        for (theme, name) in [
            (ThemeName::Default, "base_sides"),
            (ThemeName::Monochrome, "base_sides_monochrome"),
        ] {
            let mut s = explorer(&repo, "main", size, theme);
            press(&mut s, "2j");
            let text = screen_text(&s);
            assert!(text.contains("main (base)"), "{text}");
            assert!(text.contains("shared"), "{text}");
            assert!(text.contains("stale   × 0001_add_phone"), "{text}");
            assert!(text.contains("new     × 0001_add_avatar"), "{text}");
            assert!(text.contains("new       0002_add_posts"), "{text}");
            assert!(text.contains("merge main, delete yours"), "{text}");
            if theme == ThemeName::Monochrome {
                no_color(&s);
            }
            snap(name, &s);
        }
    }
}

/// The explorer adds to its report exactly what `check --base` finds (the Findings
/// screen and the summary count them).
#[test]
fn explorer_findings_are_the_checks() {
    let (_tmp, repo) = two_branch_repo("base-branch");
    let s = explorer(&repo, "main", (120, 40), ThemeName::Default);
    let data = s.data.clone().expect("loaded");
    let (code, out, err) = support::cli::run(
        &repo.join("app"),
        None,
        &["check", "--offline", "--base", "main", "--format", "json"],
    );
    assert_eq!(code, 1, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("json");
    let messages = |fs: Vec<String>| {
        let mut fs = fs;
        fs.sort();
        fs
    };
    let check: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{} {}", f["message"], f["fix"]))
        .collect();
    let explorer: Vec<String> = data
        .report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                serde_json::Value::from(f.message.clone()),
                f.fix
                    .clone()
                    .map_or(serde_json::Value::Null, serde_json::Value::from)
            )
        })
        .collect();
    assert_eq!(messages(explorer), messages(check));
    assert_eq!(data.report.summary.error, 2);
}

/// The same column changed on both sides: a finding about the merge as a whole, shown
/// under every row; and the 1.0 layout by folders.
#[test]
fn both_sides_and_folders() {
    let (_tmp, repo) = two_branch_repo("base-conflict");
    let mut s = explorer(&repo, "main", (160, 45), ThemeName::Default);
    press(&mut s, "2");
    let text = screen_text(&s);
    assert!(text.contains("merging into main (2)"), "{text}");
    assert!(
        text.contains("column users.name changed on both sides"),
        "{text}"
    );
    snap("base_both_sides", &s);

    let (_tmp, repo) = two_branch_repo("v1-base-branch");
    let mut s = explorer(&repo, "main", (120, 40), ThemeName::Default);
    press(&mut s, "2j");
    let text = screen_text(&s);
    assert!(text.contains("open branches"), "{text}");
    snap("base_folders", &s);
}

/// Regenerated on top of the base: every branch row shared or new, nothing to fix.
#[test]
fn rebased_branch_is_clean() {
    let (_tmp, repo) = two_branch_repo("base-branch");
    support::git_repo::git(&repo, &["checkout", "-q", "-b", "rebased", "main"]);
    support::git_repo::commit_side(&repo, "base-branch", "rebased");
    let mut s = explorer(&repo, "main", (80, 24), ThemeName::Default);
    press(&mut s, "2G");
    let text = screen_text(&s);
    assert!(
        text.contains("nothing to fix before merging into main"),
        "{text}"
    );
    assert!(!text.contains("× 0"), "{text}");
    assert!(!text.contains("stale   "), "{text}");
}

/// Enter opens this branch's migration, with its `--base` findings; a row only the base
/// has cannot be opened here.
#[test]
fn opening_rows() {
    let (_tmp, repo) = two_branch_repo("base-branch");
    let mut s = explorer(&repo, "main", (120, 40), ThemeName::Default);
    let ctx = Arc::new(Context {
        options: options(&repo),
        live_label: None,
        targets: Default::default(),
    });
    press(&mut s, "2G\n");
    assert!(
        s.message
            .as_deref()
            .is_some_and(|m| m.contains("only the base has this migration")),
        "{:?}",
        s.message
    );
    let cmds = press(&mut s, "k\n");
    drive(&mut s, &ctx, cmds);
    let text = screen_text(&s);
    assert!(text.contains("migration 0001_add_phone"), "{text}");
    assert!(text.contains("history (2)"), "{text}");
    assert!(
        text.contains("was generated from the snapshot of 0000_init"),
        "{text}"
    );
}

/// A revision git does not know: the list stays this branch's, the error is shown.
#[test]
fn unknown_revision_is_shown() {
    let (_tmp, repo) = two_branch_repo("base-branch");
    let mut s = explorer(&repo, "origin/nope", (80, 24), ThemeName::Default);
    assert!(
        s.message
            .as_deref()
            .is_some_and(|m| m.starts_with("--base origin/nope: no such commit")),
        "{:?}",
        s.message
    );
    press(&mut s, "2");
    let text = screen_text(&s);
    assert!(
        text.contains("--base origin/nope: no such commit"),
        "{text}"
    );
    assert!(text.contains("0001_add_phone"), "{text}");
}

/// The real binary: `drizzle-drift --base main` in the repository.
#[test]
fn binary_takes_base() {
    let (_tmp, repo) = two_branch_repo("base-branch");
    let app = repo.join("app");
    let mut t = Pty::spawn_in(Some(&app), &["--offline", "--base", "main"], 80, 24, &[]);
    t.wait_for("Tables");
    t.send("2");
    t.wait_for("main (base)");
    t.send("j");
    t.wait_for(">new     × 0001_add_avatar");
    t.wait_for("stale   × 0001_add_phone");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}
