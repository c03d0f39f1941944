//! Putting a fleet's reads together: targets with one fingerprint share one comparison
//! (one model, one report kept per distinct fingerprint), and the final report lists the
//! file-only findings once and each database finding under its target.

use super::read::{Failure, Read, State};
use super::Target;
use crate::report::fleet::names;
use crate::report::{MigrationState, Report, TargetGroup, TargetInfo};
use crate::sources::catalog::Catalog;

/// `T`: what else is kept per distinct fingerprint (a `why` explanation).
pub struct Fleet<T = ()> {
    targets: Vec<TargetInfo>,
    /// Distinct fingerprints: members (indexes into `targets`) and their comparison.
    groups: Vec<Group<T>>,
}

struct Group<T> {
    fingerprint: String,
    members: Vec<usize>,
    report: Report,
    extra: T,
}

impl<T> Fleet<T> {
    pub fn new(targets: &[Target], cwd: &std::path::Path) -> Self {
        Fleet {
            targets: targets
                .iter()
                .map(|t| TargetInfo {
                    name: t.name.clone(),
                    url: t.label(cwd),
                    state: State::Error,
                    error: Some("not read".into()),
                    server: None,
                    role: None,
                    lag_seconds: None,
                    replay_paused: None,
                    applied: None,
                    pending: Vec::new(),
                    fingerprint: None,
                })
                .collect(),
            groups: Vec::new(),
        }
    }

    pub fn failed(&mut self, index: usize, failure: Failure) {
        if let Some(t) = self.targets.get_mut(index) {
            t.state = failure.state;
            t.error = Some(failure.reason);
        }
    }

    /// A target read: joins the group of its fingerprint, or `compare` makes the report
    /// of a new one (the catalog is dropped once compared).
    pub fn read(&mut self, index: usize, read: Read, compare: impl FnOnce(Catalog) -> (Report, T)) {
        let Some(t) = self.targets.get_mut(index) else {
            return;
        };
        t.state = State::Ok;
        t.error = None;
        t.server = Some(read.catalog.server.clone());
        if let Some(r) = &read.catalog.replication {
            t.role = Some(r.role);
            t.lag_seconds = r.lag_seconds.map(|s| (s * 1000.0).round() / 1000.0);
            t.replay_paused = Some(r.replay_paused);
        }
        t.fingerprint = Some(read.fingerprint.clone());
        let group = match self
            .groups
            .iter_mut()
            .position(|g| g.fingerprint == read.fingerprint)
        {
            Some(g) => g,
            None => {
                let (report, extra) = compare(read.catalog);
                self.groups.push(Group {
                    fingerprint: read.fingerprint,
                    members: Vec::new(),
                    report,
                    extra,
                });
                self.groups.len() - 1
            }
        };
        let group = &mut self.groups[group];
        group.members.push(index);
        t.applied = group.report.sources.applied.clone();
        t.pending = group
            .report
            .migrations
            .iter()
            .filter(|m| m.state == MigrationState::Pending)
            .map(|m| m.tag.clone())
            .collect();
    }

    /// The report: `base` (the comparison without a database: its findings are about
    /// files only) plus each group's own findings, copied to every member.
    pub fn finish(self, base: Report) -> Report {
        self.finish_with(base).0
    }

    /// [`Fleet::finish`], with what was kept of each group (in the report's group order).
    pub fn finish_with(self, mut base: Report) -> (Report, Vec<T>) {
        let Fleet {
            mut targets,
            mut groups,
        } = self;
        for g in &mut groups {
            g.members.sort_unstable();
        }
        groups.sort_by_key(|g| g.members.first().copied());
        let file_findings = std::mem::take(&mut base.findings);
        let mut findings = Vec::with_capacity(file_findings.len());
        for mut f in file_findings.iter().cloned() {
            f.target = Some(None);
            findings.push(f);
        }
        let name = |i: usize| targets[i].name.clone();
        for g in &groups {
            let own: Vec<&crate::report::Finding> = g
                .report
                .findings
                .iter()
                .filter(|f| !file_findings.contains(f))
                .collect();
            for &m in &g.members {
                for f in &own {
                    let mut f = (*f).clone();
                    f.target = Some(Some(name(m)));
                    findings.push(f);
                }
            }
            let who = names(&g.members.iter().map(|&m| name(m)).collect::<Vec<_>>());
            for i in &g.report.incomplete {
                if !base.incomplete.contains(i) {
                    let mut i = i.clone();
                    i.reason = format!("{who}: {}", i.reason);
                    base.incomplete.push(i);
                }
            }
            for d in &g.report.diagnostics {
                if !base.diagnostics.contains(d) {
                    let mut d = d.clone();
                    d.location = format!("{who}: {}", d.location);
                    base.diagnostics.push(d);
                }
            }
        }
        base.findings = findings;
        base.recount();
        let read = targets.iter().filter(|t| t.state == State::Ok).count();
        base.sources.live = Some(format!(
            "{} target{} ({read} read)",
            targets.len(),
            if targets.len() == 1 { "" } else { "s" }
        ));
        base.sources.applied = None;
        base.groups = Some(
            groups
                .iter()
                .map(|g| TargetGroup {
                    fingerprint: g.fingerprint.clone(),
                    targets: g.members.iter().map(|&m| targets[m].name.clone()).collect(),
                })
                .collect(),
        );
        for t in &mut targets {
            if t.state != State::Ok && t.error.is_none() {
                t.error = Some("not read".into());
            }
        }
        base.targets = Some(targets);
        (base, groups.into_iter().map(|g| g.extra).collect())
    }
}
