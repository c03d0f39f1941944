//! Several databases in the explorer: every target's state from the run `check` makes
//! (`targets::run`), one [`Data`] per distinct fingerprint (identical databases share
//! one comparison), and the lines of the Targets screen.

use super::data::{category_index, Data, CATEGORY_ORDER};
use super::layout::MAX_LIVE_PANES;
use crate::report::{Report, TargetInfo, TargetState};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

pub struct Fleet {
    /// The whole run: `targets`, `groups`, each database finding under its target.
    pub report: Report,
    /// One comparison per distinct fingerprint, in `report.groups` order.
    pub groups: Vec<Arc<Data>>,
    /// The project without a database: what a target that was not read shows.
    pub offline: Arc<Data>,
    /// Each target's group; `None`: not read.
    group_of: Vec<Option<usize>>,
    /// Targets listed together on the Targets screen of a fleet: identical databases,
    /// and those not read for the same reason.
    pub clusters: Vec<Cluster>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Indexes into the targets, in their order.
    pub members: Vec<usize>,
    /// The comparison they share; `None`: not read.
    pub group: Option<usize>,
}

/// A line of the Targets screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// One target, listed alone.
    Target(usize),
    /// Several targets as one line (a fleet's identical databases), and whether their
    /// members are listed below it.
    Cluster(usize, bool),
    /// A member of the cluster above.
    Member(usize),
}

impl Fleet {
    pub fn new(report: Report, groups: Vec<Arc<Data>>, offline: Arc<Data>) -> Fleet {
        let targets = report.targets.as_deref().unwrap_or_default();
        let mut group_of = vec![None; targets.len()];
        let index: HashMap<&str, usize> = targets
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.as_str(), i))
            .collect();
        let mut clusters = Vec::new();
        for (g, group) in report
            .groups
            .as_deref()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let members: Vec<usize> = group
                .targets
                .iter()
                .filter_map(|n| index.get(n.as_str()).copied())
                .collect();
            for &m in &members {
                group_of[m] = Some(g);
            }
            clusters.push(Cluster {
                members,
                group: Some(g),
            });
        }
        let mut failed: Vec<Cluster> = Vec::new();
        for (i, t) in targets.iter().enumerate() {
            if t.state == TargetState::Ok {
                continue;
            }
            let same = failed.iter_mut().find(|c| {
                let first = &targets[c.members[0]];
                first.state == t.state && first.error == t.error
            });
            match same {
                Some(c) => c.members.push(i),
                None => failed.push(Cluster {
                    members: vec![i],
                    group: None,
                }),
            }
        }
        clusters.extend(failed);
        Fleet {
            report,
            groups,
            offline,
            group_of,
            clusters,
        }
    }

    pub fn targets(&self) -> &[TargetInfo] {
        self.report.targets.as_deref().unwrap_or_default()
    }

    pub fn target(&self, i: usize) -> Option<&TargetInfo> {
        self.targets().get(i)
    }

    /// More targets than Live panes: the Targets screen lists clusters, `t` steps
    /// through distinct databases.
    pub fn is_fleet(&self) -> bool {
        self.targets().len() > MAX_LIVE_PANES
    }

    /// What target `i`'s screens show: its group's comparison, or the project alone.
    pub fn data_of(&self, i: usize) -> &Arc<Data> {
        self.group_of
            .get(i)
            .copied()
            .flatten()
            .and_then(|g| self.groups.get(g))
            .unwrap_or(&self.offline)
    }

    /// The comparison of target `i` when it was read.
    pub fn read_data(&self, i: usize) -> Option<&Data> {
        let g = self.group_of.get(i).copied().flatten()?;
        self.groups.get(g).map(|d| d.as_ref())
    }

    /// The targets `t` steps through: every one, or for a fleet the first of each cluster.
    pub fn steps(&self) -> Vec<usize> {
        if self.is_fleet() {
            self.clusters.iter().map(|c| c.members[0]).collect()
        } else {
            (0..self.targets().len()).collect()
        }
    }

    /// Where target `i` is among [`Fleet::steps`]: its own place, or its cluster's.
    pub fn step_of(&self, i: usize) -> usize {
        if self.is_fleet() {
            self.clusters
                .iter()
                .position(|c| c.members.contains(&i))
                .unwrap_or(0)
        } else {
            i
        }
    }

    /// The Targets screen's lines; `expanded`: the clusters whose members are listed.
    pub fn lines(&self, expanded: &BTreeSet<usize>) -> Vec<Line> {
        if !self.is_fleet() {
            return (0..self.targets().len()).map(Line::Target).collect();
        }
        let mut out = Vec::new();
        for (c, cluster) in self.clusters.iter().enumerate() {
            if let [only] = cluster.members[..] {
                out.push(Line::Target(only));
                continue;
            }
            let open = expanded.contains(&c);
            out.push(Line::Cluster(c, open));
            if open {
                out.extend(cluster.members.iter().map(|&m| Line::Member(m)));
            }
        }
        out
    }

    /// The target a line opens: itself, or its cluster's first.
    pub fn line_target(&self, line: Line) -> Option<usize> {
        match line {
            Line::Target(t) | Line::Member(t) => Some(t),
            Line::Cluster(c, _) => self.clusters.get(c).map(|c| c.members[0]),
        }
    }

    /// Target `i`'s own findings (those about its database) per category, in
    /// `CATEGORY_ORDER`; the findings about the files are every target's.
    pub fn counts(&self, i: usize) -> [usize; 5] {
        let mut out = [0; 5];
        let Some(name) = self.target(i).map(|t| t.name.as_str()) else {
            return out;
        };
        for f in &self.report.findings {
            if matches!(&f.target, Some(Some(n)) if n == name) {
                out[category_index(f.category)] += 1;
            }
        }
        out
    }

    /// How many findings are about the files (the same for every target).
    pub fn file_findings(&self) -> usize {
        self.report
            .findings
            .iter()
            .filter(|f| matches!(f.target, None | Some(None)))
            .count()
    }

    /// How many targets were read.
    pub fn read(&self) -> usize {
        self.targets()
            .iter()
            .filter(|t| t.state == TargetState::Ok)
            .count()
    }
}

/// `1 drift · 2 pending`, or `none`.
pub fn counts_text(counts: &[usize; 5]) -> String {
    let parts: Vec<String> = CATEGORY_ORDER
        .iter()
        .filter(|c| counts[category_index(**c)] > 0)
        .map(|c| format!("{} {}", counts[category_index(*c)], c.as_str()))
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(" · ")
    }
}
