//! `why "<db error>"` over several targets: the object explained on each distinct
//! database, so the answer names where it is missing and why there (a replica behind, a
//! migration not applied there, dropped by hand there).

use crate::engine::Options;
use crate::report::fleet::{names, replica};
use crate::report::text::Palette;
use crate::report::{Report, Severity, TargetGroup, TargetInfo, TargetState};
use crate::why::{self, Explanation, Parsed, Verdict};
use serde::Serialize;
use std::fmt::Write;

#[derive(Serialize)]
pub struct FleetExplanation {
    pub version: u32,
    pub error: Parsed,
    pub targets: Vec<TargetInfo>,
    /// One explanation per distinct fingerprint.
    pub groups: Vec<GroupExplanation>,
}

#[derive(Serialize)]
pub struct GroupExplanation {
    pub fingerprint: String,
    pub targets: Vec<String>,
    pub explanation: Explanation,
}

pub async fn explain(
    opts: &Options,
    config: crate::config::Config,
    targets: &[super::Target],
    jobs: usize,
    parsed: &Parsed,
) -> FleetExplanation {
    let (_, report, explanations): (_, Report, Vec<Explanation>) =
        super::run::compare(opts, config, targets, jobs, |loaded, report| {
            why::explain(&why::Context::of(loaded, report), parsed)
        })
        .await;
    let groups: &[TargetGroup] = report.groups.as_deref().unwrap_or_default();
    FleetExplanation {
        version: 1,
        error: parsed.clone(),
        groups: groups
            .iter()
            .zip(explanations)
            .map(|(g, explanation)| GroupExplanation {
                fingerprint: g.fingerprint.clone(),
                targets: g.targets.clone(),
                explanation,
            })
            .collect(),
        targets: report.targets.clone().unwrap_or_default(),
    }
}

impl FleetExplanation {
    /// 2 when a target could not be read, else 1 when an explanation is at or above
    /// `fail_on`, else 0.
    pub fn exit_code(&self, fail_on: Severity) -> i32 {
        if self.targets.iter().any(|t| t.state != TargetState::Ok) {
            2
        } else {
            i32::from(
                self.groups
                    .iter()
                    .any(|g| g.explanation.severity.is_some_and(|s| s >= fail_on)),
            )
        }
    }

    pub fn render_json(&self) -> String {
        let mut s =
            serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
        s.push('\n');
        s
    }

    /// Where the object is missing and why, a line per group of identical targets, then
    /// each group's full explanation.
    pub fn render_text(&self, p: Palette) -> String {
        let mut out = String::new();
        let missing: usize = self
            .groups
            .iter()
            .filter(|g| g.explanation.live.as_ref().is_some_and(|l| !l.present))
            .map(|g| g.targets.len())
            .sum();
        if let Some(first) = self.groups.first() {
            let e = &first.explanation;
            let _ = writeln!(
                out,
                "{} {}: missing on {missing} of {} target{}\n",
                e.object.kind.noun(),
                p.bold(&e.object.display(e.dialect)),
                self.targets.len(),
                if self.targets.len() == 1 { "" } else { "s" }
            );
        }
        for g in &self.groups {
            let e = &g.explanation;
            let who = match g.targets.len() {
                1 => g.targets[0].clone(),
                n => format!("{n} identical ({})", names(&g.targets)),
            };
            let notes: Vec<String> = g
                .targets
                .iter()
                .filter_map(|n| self.targets.iter().find(|t| &t.name == n))
                .filter_map(|t| replica(t).map(|r| format!("{}: {r}", t.name)))
                .collect();
            let present = match e.live.as_ref().map(|l| l.present) {
                Some(true) => "present",
                Some(false) => "missing",
                None => "not read",
            };
            let _ = writeln!(
                out,
                "{}: {present} — {}{}",
                p.bold(&who),
                e.verdict.as_str(),
                if notes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", notes.join("; "))
                }
            );
            if e.verdict != Verdict::InSync {
                for line in why::render_text(e, p).lines().skip(1) {
                    if line.is_empty() {
                        out.push('\n');
                    } else {
                        let _ = writeln!(out, "  {line}");
                    }
                }
            }
        }
        for t in self.targets.iter().filter(|t| t.state != TargetState::Ok) {
            let _ = writeln!(
                out,
                "{}: {} — {}",
                p.bold(&t.name),
                t.state.as_str(),
                t.error.as_deref().unwrap_or("not read")
            );
        }
        out
    }
}
