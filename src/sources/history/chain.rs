//! The chain of snapshots: every snapshot names the one(s) it was generated from.

use super::{Layout, Migration, Problem, ProblemKind, ORIGIN_ID};
use crate::diagnostic::Level;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Problems of the id/prevId links between the migrations' snapshots, in migration order.
pub(crate) fn check(migrations: &[Migration], layout: Layout) -> Vec<Problem> {
    let mut problems = Vec::new();
    let nodes: Vec<(&Migration, &str)> = migrations
        .iter()
        .filter_map(|m| m.snapshot_id.as_deref().map(|id| (m, id)))
        .collect();

    let mut first_with_id: HashMap<&str, &Migration> = HashMap::new();
    // Snapshots copied byte for byte from an earlier one (a hand-written data migration
    // whose author copied the previous state): in the folders layout the chain is not
    // ambiguous. drizzle-kit 0.x (journal) files snapshots by their prevId and refuses
    // any two with the same one, a copy too (quackback's 0050-0052): a collision there.
    let mut copies: HashSet<&str> = HashSet::new();
    for (m, id) in &nodes {
        match first_with_id.get(id) {
            // Nothing the real drizzle-kit objects to, nothing to fix: no finding.
            Some(first) if layout == Layout::Folders && same_file(first, m) => {
                copies.insert(m.tag.as_str());
            }
            Some(first) => problems.push(Problem::new(
                ProblemKind::DuplicateId,
                Level::Error,
                m.tag.clone(),
                format!(
                    "the snapshots of {} and {} have the same id {id}, so the history cannot \
                     tell which one later migrations follow",
                    first.tag, m.tag
                ),
                format!(
                    "the snapshot of {} was probably copied from {}: regenerate it with \
                     `drizzle-kit generate` instead of copying",
                    m.tag, first.tag
                ),
            )),
            None => {
                first_with_id.insert(id, m);
            }
        }
    }

    // Children by parent id, in migration order.
    let mut children: BTreeMap<&str, Vec<&Migration>> = BTreeMap::new();
    for (m, _) in nodes
        .iter()
        .filter(|(m, _)| !copies.contains(m.tag.as_str()))
    {
        for parent in &m.prev_ids {
            children.entry(parent.as_str()).or_default().push(m);
        }
    }

    match layout {
        Layout::Journal => {
            for (parent, kids) in &children {
                if kids.len() < 2 {
                    continue;
                }
                let names: Vec<&str> = kids.iter().map(|m| m.tag.as_str()).collect();
                let parent_name = if *parent == ORIGIN_ID {
                    "the empty database (each starts a new history)".to_string()
                } else {
                    match first_with_id.get(parent) {
                        Some(p) => format!("the snapshot of {}", p.tag),
                        None => format!("snapshot {parent}"),
                    }
                };
                problems.push(Problem::new(
                    ProblemKind::Collision,
                    Level::Error,
                    names.last().copied().unwrap_or_default(),
                    format!(
                        "{} were {} generated from {parent_name}: two branches generated \
                         migrations from the same state and were merged, so each migration \
                         is missing the other's changes in its snapshot",
                        join_names(&names),
                        if names.len() == 2 { "both" } else { "all" }
                    ),
                    format!(
                        "keep the first of them, delete the later ones (SQL file, snapshot \
                         and journal entry) and run `drizzle-kit generate` again; \
                         drizzle-kit refuses to generate until this is fixed ({})",
                        names.join(", ")
                    ),
                ));
            }
        }
        Layout::Folders => {
            let referenced: HashSet<&str> = children.keys().copied().collect();
            let leaves: Vec<&str> = nodes
                .iter()
                .filter(|(_, id)| !referenced.contains(id))
                .map(|(m, _)| m.tag.as_str())
                .collect();
            if leaves.len() > 1 {
                problems.push(Problem::new(
                    ProblemKind::OpenBranches,
                    Level::Warning,
                    leaves.last().copied().unwrap_or_default(),
                    format!(
                        "the history has {} open branches ending at {}: they were generated \
                         from a common state on different branches and no later migration \
                         merges them",
                        leaves.len(),
                        join_names(&leaves)
                    ),
                    "run `drizzle-kit check` to see whether the branches touch the same \
                     objects, then `drizzle-kit generate` to add a migration that merges them",
                ));
            }
        }
        Layout::Empty => {}
    }

    // Broken links: a parent that is no earlier snapshot.
    let mut earlier: HashSet<&str> = HashSet::new();
    let all_ids: HashMap<&str, &Migration> = nodes.iter().map(|(m, id)| (*id, *m)).collect();
    for (m, id) in &nodes {
        for parent in &m.prev_ids {
            if parent == ORIGIN_ID || earlier.contains(parent.as_str()) {
                continue;
            }
            let message = match all_ids.get(parent.as_str()) {
                Some(later) if later.tag != m.tag => format!(
                    "the snapshot of {} was generated from the snapshot of {}, which comes \
                     after it in the history: the migrations are out of order",
                    m.tag, later.tag
                ),
                Some(_) => format!(
                    "the snapshot of {} names itself as its parent ({parent})",
                    m.tag
                ),
                None => format!(
                    "the snapshot of {} was generated from snapshot {parent}, which is not \
                     in the history: a migration was deleted or its snapshot replaced",
                    m.tag
                ),
            };
            problems.push(Problem::new(
                ProblemKind::BrokenChain,
                Level::Error,
                m.tag.clone(),
                message,
                "restore the missing migration from version control, or regenerate the \
                 migrations after the break with `drizzle-kit generate`",
            ));
        }
        earlier.insert(id);
    }
    problems
}

/// Both migrations have a snapshot file and the two hold the same bytes.
fn same_file(a: &Migration, b: &Migration) -> bool {
    let (Some(a), Some(b)) = (&a.snapshot_path, &b.snapshot_path) else {
        return false;
    };
    matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
}

fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn m(tag: &str, id: &str, prev: &[&str]) -> Migration {
        Migration {
            tag: tag.into(),
            when: None,
            breakpoints: true,
            sql_path: PathBuf::from(format!("{tag}.sql")),
            hash: None,
            snapshot_path: None,
            snapshot_id: Some(id.into()),
            prev_ids: prev.iter().map(|s| s.to_string()).collect(),
            snapshot_version: None,
        }
    }

    #[test]
    fn linear_chain_is_clean() {
        let ms = [m("0000_a", "A", &[ORIGIN_ID]), m("0001_b", "B", &["A"])];
        assert!(check(&ms, Layout::Journal).is_empty());
    }

    #[test]
    fn merge_node_closes_branches() {
        let ms = [
            m("1_a", "A", &[ORIGIN_ID]),
            m("2_b", "B", &["A"]),
            m("3_c", "C", &["A"]),
            m("4_d", "D", &["B", "C"]),
        ];
        assert!(check(&ms, Layout::Folders).is_empty());
        let open = check(&ms[..3], Layout::Folders);
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].kind, ProblemKind::OpenBranches);
        assert!(
            open[0].message.contains("2_b and 3_c"),
            "{}",
            open[0].message
        );
    }

    #[test]
    fn join_names_reads_naturally() {
        assert_eq!(join_names(&["a", "b", "c"]), "a, b and c");
    }
}
