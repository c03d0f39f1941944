//! Real git repositories with a base branch and a feature branch, each side holding real
//! drizzle-kit output (the `sides/*` of tests/fixtures/pg/base-branch and v1-base-branch,
//! made by tests/fixtures/regenerate.sh).

use super::{copy_dir, fixture};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Run git in `repo` with a fixed identity; panics with git's stderr when it fails.
pub fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(repo)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Put side `side` of fixture `name` (its drizzle/ and src/) into `app` and commit it.
pub fn commit_side(repo: &Path, name: &str, side: &str) {
    let app = repo.join("app");
    for dir in ["drizzle", "src"] {
        let _ = std::fs::remove_dir_all(app.join(dir));
        copy_dir(
            &fixture(name).join("sides").join(side).join(dir),
            &app.join(dir),
        );
    }
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", side]);
}

/// A repository whose project lives in `app/`: the ancestor on `main`, then `feature`
/// (the branch side) made from it, then `main` gains the base side; `feature` is checked
/// out. Returns the temp dir (kept alive) and the repository path.
pub fn two_branch_repo(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join("app")).expect("mkdir");
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::copy(
        fixture(name).join("drizzle.config.ts"),
        repo.join("app/drizzle.config.ts"),
    )
    .expect("copy config");
    commit_side(&repo, name, "ancestor");
    git(&repo, &["checkout", "-q", "-b", "feature"]);
    commit_side(&repo, name, "branch");
    git(&repo, &["checkout", "-q", "main"]);
    commit_side(&repo, name, "base");
    git(&repo, &["checkout", "-q", "feature"]);
    (tmp, repo)
}
