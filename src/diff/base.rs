//! `check --base REF`: what merging this branch into the base will do to the history,
//! seen before the merge. Both histories are compared by snapshot id (a migration both
//! sides have carries the same snapshot): the rest are each side's new migrations.
//! Objects both sides changed are `both_sides`'.

use super::migrations::migration_finding;
use crate::error::{Error, Result};
use crate::model::Dialect;
use crate::report::{Finding, Severity};
use crate::sources::git;
use crate::sources::history::{self, History, Layout, Migration};
use std::collections::HashSet;
use std::path::Path;

/// The base's migrations folder at a git revision, and what merging into it does.
pub struct Base {
    pub rev: String,
    /// Read from a temporary copy that is gone now: its migrations' tags and ids are
    /// here, its files no longer.
    pub history: History,
    pub comparison: Comparison,
}

/// Read the migrations folder `out` as it is at `rev` (from git, no checkout) and
/// compare `branch` with it.
pub fn read(branch: &History, out: &Path, dialect: Dialect, rev: &str) -> Result<Base> {
    let copy = git::folder_at(out, rev)?;
    let base = history::load(&copy.dir, dialect);
    if let Some(why) = base.incomplete.first() {
        return Err(Error::Usage(format!(
            "--base {rev}: the migrations folder {} at {rev} could not be read: {}",
            copy.repo_path, why.reason
        )));
    }
    // While the copy exists: the comparison reads the base's snapshots.
    let comparison = compare(branch, &base, rev);
    Ok(Base {
        rev: rev.to_string(),
        history: base,
        comparison,
    })
}

/// What merging `branch` into `base` does, by migration (indexes into each side's
/// `migrations`), with the findings that say it. The explorer draws the sides from it.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// The branch's migrations the base does not have.
    pub branch_new: Vec<usize>,
    /// The base's migrations the branch does not have.
    pub base_new: Vec<usize>,
    /// Branch migrations generated from a snapshot that is no longer the base's newest.
    pub stale: Vec<usize>,
    /// A branch migration and the base migrations that use the same index (0.x) or
    /// folder (1.0).
    pub collisions: Vec<(usize, Vec<usize>)>,
    pub findings: Vec<Finding>,
}

/// `history` findings for merging `branch` into `base` (the folder at `rev`).
pub fn findings(branch: &History, base: &History, rev: &str) -> Vec<Finding> {
    compare(branch, base, rev).findings
}

pub fn compare(branch: &History, base: &History, rev: &str) -> Comparison {
    let layout = if branch.layout == Layout::Empty {
        base.layout
    } else {
        branch.layout
    };
    let base_new_at = new_in(base, branch);
    let branch_new_at = new_in(branch, base);
    let base_new: Vec<&Migration> = base_new_at.iter().map(|&i| &base.migrations[i]).collect();
    let branch_new: Vec<&Migration> = branch_new_at
        .iter()
        .map(|&i| &branch.migrations[i])
        .collect();
    let mut cmp = Comparison {
        branch_new: branch_new_at.clone(),
        base_new: base_new_at.clone(),
        ..Comparison::default()
    };
    let out = &mut cmp.findings;
    if branch_new.is_empty() {
        return cmp;
    }
    let branch_tags = tags(&branch_new);
    let base_tags = tags(&base_new);

    // Stale parent: the branch's first new snapshot does not follow the base's newest.
    if !base_new.is_empty() {
        let new_ids: HashSet<&str> = branch_new
            .iter()
            .filter_map(|m| m.snapshot_id.as_deref())
            .collect();
        let heads = heads(base);
        for (&at, root) in branch_new_at
            .iter()
            .zip(&branch_new)
            .filter(|(_, m)| !m.prev_ids.iter().any(|p| new_ids.contains(p.as_str())))
        {
            if heads.iter().all(|h| root.prev_ids.iter().any(|p| p == h.0)) {
                continue;
            }
            cmp.stale.push(at);
            let parent = root
                .prev_ids
                .iter()
                .map(|p| name_of(p, branch))
                .collect::<Vec<_>>()
                .join(" and ");
            let head_names = heads.iter().map(|h| h.1).collect::<Vec<_>>().join(" and ");
            let (severity, after) = match layout {
                Layout::Folders => (
                    Severity::Warning,
                    "after the merge the history has open branches: the base's changes are \
                     missing from your snapshots, and yours from the base's",
                ),
                _ => (
                    Severity::Error,
                    "after the merge two snapshots name the same parent (a snapshot \
                     collision): drizzle-kit refuses to generate, and your snapshot lacks the \
                     base's changes",
                ),
            };
            out.push(migration_finding(
                severity,
                &root.tag,
                format!(
                    "{} was generated from {parent}, but {rev}'s newest migration is now \
                     {head_names} ({rev} gained {base_tags} meanwhile); {after}",
                    root.tag
                ),
                Some(format!(
                    "merge {rev}, delete yours ({branch_tags}: {}), run `drizzle-kit generate` again",
                    match layout {
                        Layout::Folders => "the migration folders",
                        _ => "SQL files, snapshots and journal entries",
                    }
                )),
            ));
        }
    }

    // The same file name on both sides with other contents: an add/add conflict.
    let base_by_key: Vec<(String, usize)> = base_new_at
        .iter()
        .map(|&i| (collision_key(&base.migrations[i], layout), i))
        .collect();
    for (&at, m) in branch_new_at.iter().zip(&branch_new) {
        let key = collision_key(m, layout);
        let with: Vec<usize> = base_by_key
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, i)| *i)
            .collect();
        if with.is_empty() {
            continue;
        }
        let same: Vec<&str> = with
            .iter()
            .map(|&i| base.migrations[i].tag.as_str())
            .collect();
        cmp.collisions.push((at, with));
        let what = match layout {
            Layout::Folders => format!("the migration folder {key}"),
            _ => format!("index {key} (meta/{key}_snapshot.json)"),
        };
        out.push(migration_finding(
            Severity::Error,
            &m.tag,
            format!(
                "{} and {rev}'s {} both use {what}: the merge will conflict on the same file, \
                 and keeping both needs one renumbered",
                m.tag,
                same.join(", ")
            ),
            Some(format!(
                "merge {rev}, delete yours ({branch_tags}), run `drizzle-kit generate` again"
            )),
        ));
    }

    // Both sides appended to the journal: git will report a conflict in it.
    if layout == Layout::Journal && !base_new.is_empty() {
        out.push(migration_finding(
            Severity::Warning,
            "meta/_journal.json",
            format!(
                "meta/_journal.json will conflict: this branch appended {branch_tags} and {rev} \
                 appended {base_tags}"
            ),
            Some(format!(
                "merge {rev} and keep its journal, delete yours ({branch_tags}), run `drizzle-kit generate` again"
            )),
        ));
    }
    if !base_new.is_empty() {
        out.extend(super::both_sides::findings(
            branch,
            base,
            &branch_new,
            &base_new,
            rev,
        ));
    }
    cmp
}

fn tags(ms: &[&Migration]) -> String {
    ms.iter()
        .map(|m| m.tag.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `side`'s migrations the other side does not have: by snapshot id, else by tag and
/// SQL hash (a migration without a readable snapshot). Indexes into `side.migrations`.
fn new_in(side: &History, other: &History) -> Vec<usize> {
    let ids: HashSet<&str> = other
        .migrations
        .iter()
        .filter_map(|m| m.snapshot_id.as_deref())
        .collect();
    let files: HashSet<(&str, Option<&str>)> = other
        .migrations
        .iter()
        .map(|m| (m.tag.as_str(), m.hash.as_deref()))
        .collect();
    side.migrations
        .iter()
        .enumerate()
        .filter(|(_, m)| match m.snapshot_id.as_deref() {
            Some(id) => !ids.contains(id),
            None => !files.contains(&(m.tag.as_str(), m.hash.as_deref())),
        })
        .map(|(i, _)| i)
        .collect()
}

/// The snapshots the next migration must follow, with their migration's tag: the last in
/// a journal; every snapshot no other names as parent in the 1.0 layout.
fn heads(history: &History) -> Vec<(&str, &str)> {
    let with_id = || {
        history
            .migrations
            .iter()
            .filter_map(|m| Some((m.snapshot_id.as_deref()?, m.tag.as_str())))
    };
    match history.layout {
        Layout::Folders => {
            let parents: HashSet<&str> = history
                .migrations
                .iter()
                .flat_map(|m| m.prev_ids.iter().map(String::as_str))
                .collect();
            with_id().filter(|(id, _)| !parents.contains(id)).collect()
        }
        _ => history
            .migrations
            .last()
            .and_then(|m| Some((m.snapshot_id.as_deref()?, m.tag.as_str())))
            .into_iter()
            .collect(),
    }
}

/// The migration whose snapshot has this id, else the id itself.
fn name_of(id: &str, history: &History) -> String {
    if id.chars().all(|c| c == '0' || c == '-') {
        return "an empty history".into();
    }
    history
        .migrations
        .iter()
        .find(|m| m.snapshot_id.as_deref() == Some(id))
        .map_or_else(
            || format!("snapshot {id}"),
            |m| format!("the snapshot of {}", m.tag),
        )
}

/// What two migrations must not share: the 0.x index prefix (`0042`), or the 1.0 folder.
fn collision_key(m: &Migration, layout: Layout) -> String {
    match layout {
        Layout::Folders => m.tag.clone(),
        _ => m.tag.split('_').next().unwrap_or(&m.tag).to_string(),
    }
}
