//! `check --base REF`: what merging this branch into the base will do to the history,
//! seen before the merge. Both histories are compared by snapshot id (a migration both
//! sides have carries the same snapshot): the rest are each side's new migrations.
//! Objects both sides changed are `both_sides`'.

use super::migrations::migration_finding;
use crate::report::{Finding, Severity};
use crate::sources::history::{History, Layout, Migration};
use std::collections::HashSet;

/// `history` findings for merging `branch` into `base` (the folder at `rev`).
pub fn findings(branch: &History, base: &History, rev: &str) -> Vec<Finding> {
    let layout = if branch.layout == Layout::Empty {
        base.layout
    } else {
        branch.layout
    };
    let base_new = new_in(base, branch);
    let branch_new = new_in(branch, base);
    let mut out = Vec::new();
    if branch_new.is_empty() {
        return out;
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
        for root in branch_new
            .iter()
            .filter(|m| !m.prev_ids.iter().any(|p| new_ids.contains(p.as_str())))
        {
            if heads.iter().all(|h| root.prev_ids.iter().any(|p| p == h.0)) {
                continue;
            }
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
    let base_by_key: Vec<(String, &Migration)> = base_new
        .iter()
        .map(|m| (collision_key(m, layout), *m))
        .collect();
    for m in &branch_new {
        let key = collision_key(m, layout);
        let same: Vec<&str> = base_by_key
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, b)| b.tag.as_str())
            .collect();
        if same.is_empty() {
            continue;
        }
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
    out
}

fn tags(ms: &[&Migration]) -> String {
    ms.iter()
        .map(|m| m.tag.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `side`'s migrations the other side does not have: by snapshot id, else by tag and
/// SQL hash (a migration without a readable snapshot).
fn new_in<'a>(side: &'a History, other: &History) -> Vec<&'a Migration> {
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
        .filter(|m| match m.snapshot_id.as_deref() {
            Some(id) => !ids.contains(id),
            None => !files.contains(&(m.tag.as_str(), m.hash.as_deref())),
        })
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
