//! What the renderers say about several targets: one line for the whole fleet ("996
//! identical (in sync at 0042_x) · 3 at 0041_y (pending 1) · 1 differs: tenant_0413 has
//! users.nickname"), the targets worth a line of their own, and each group's findings
//! shown once (those of its first member) under the group's names.

use super::{Category, Finding, Report, TargetGroup, TargetInfo, TargetState};

/// The findings to show, each with the targets it stands for (`None`: about files):
/// every file finding, and each group's first member's findings.
pub fn shown(report: &Report) -> Vec<(Option<String>, &Finding)> {
    let groups = report.groups.as_deref().unwrap_or_default();
    let first_of = |name: &str| {
        groups
            .iter()
            .find(|g| g.targets.first().is_some_and(|n| n == name))
    };
    report
        .findings
        .iter()
        .filter_map(|f| match &f.target {
            None | Some(None) => Some((None, f)),
            Some(Some(name)) => first_of(name).map(|g| (Some(names(&g.targets)), f)),
        })
        .collect()
}

/// The findings made on `name`.
fn own<'a>(report: &'a Report, name: &str) -> Vec<&'a Finding> {
    report
        .findings
        .iter()
        .filter(|f| matches!(&f.target, Some(Some(n)) if n == name))
        .collect()
}

fn info<'a>(report: &'a Report, name: &str) -> Option<&'a TargetInfo> {
    report.targets.as_deref()?.iter().find(|t| t.name == name)
}

/// How a group stands: `3 identical (in sync at 0042_x)`, `tenant_7 at 0041_y (pending
/// 1)`, `1 differs: tenant_0413 has users.nickname`.
pub fn phrase(report: &Report, group: &TargetGroup) -> String {
    let Some(first) = group.targets.first() else {
        return String::new();
    };
    let n = group.targets.len();
    let who = names(&group.targets);
    let t = info(report, first);
    // Without migrations (drizzle-kit push) there is no level to name.
    let at = match t.and_then(|t| t.applied.as_ref()) {
        _ if report.sources.push => String::new(),
        Some(a) => format!(" at {a}"),
        None => " with no migration applied".into(),
    };
    let pending = t.map_or(0, |t| t.pending.len());
    let pending_note = if pending > 0 {
        format!(" (pending {pending})")
    } else {
        String::new()
    };
    let findings = own(report, first);
    let other: Vec<&&Finding> = findings
        .iter()
        .filter(|f| !matches!(f.category, Category::Pending | Category::Lint))
        .collect();
    if findings.is_empty() {
        return match n {
            1 => format!("{who} in sync{at}"),
            _ => format!("{n} identical (in sync{at})"),
        };
    }
    if other.is_empty() {
        return match n {
            1 => format!("{who}{at}{pending_note}"),
            _ => format!("{n}{at}{pending_note} ({who})"),
        };
    }
    let mut what = describe(other[0]);
    if other.len() > 1 {
        what.push_str(&format!(" (+{} more)", other.len() - 1));
    }
    let verb = if n == 1 { "differs" } else { "differ" };
    format!("{n} {verb}: {who} {what}{pending_note}")
}

/// `has users.nickname`, `lacks index users_email_idx`, `users.name type differs`.
fn describe(f: &Finding) -> String {
    let object = match (&f.table, f.object) {
        (Some(t), super::ObjectKind::Table) => t.clone(),
        (Some(t), super::ObjectKind::Column) => format!("{t}.{}", f.name),
        (Some(t), kind) => format!("{} {} on {t}", kind.noun(), f.name),
        (None, kind) => format!("{} {}", kind.noun(), f.name),
    };
    match (&f.field, &f.live) {
        (None, serde_json::Value::Bool(true)) => format!("has {object}"),
        (None, serde_json::Value::Bool(false)) => format!("lacks {object}"),
        (Some(field), _) => format!("{object} {field} differs"),
        (None, _) => format!("{} {object}", f.category.as_str()),
    }
}

/// The fleet in one line: each group's phrase, then the targets that were not read.
pub fn overview(report: &Report) -> String {
    let mut parts: Vec<String> = report
        .groups
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|g| phrase(report, g))
        .collect();
    for state in [TargetState::Unreachable, TargetState::Error] {
        let failed: Vec<String> = report
            .targets
            .as_deref()
            .unwrap_or_default()
            .iter()
            .filter(|t| t.state == state)
            .map(|t| t.name.clone())
            .collect();
        if !failed.is_empty() {
            let what = match state {
                TargetState::Unreachable => "unreachable",
                _ => "not readable",
            };
            parts.push(format!("{} {what}: {}", failed.len(), names(&failed)));
        }
    }
    parts.join(" · ")
}

/// The targets worth a line of their own: those not read (with the reason) and
/// replicas (with their lag), at most `limit`, then how many more.
pub fn notable(report: &Report, limit: usize) -> Vec<String> {
    let all: Vec<String> = report
        .targets
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter_map(|t| match t.state {
            TargetState::Ok => replica(t).map(|r| format!("{}: {r}", t.name)),
            state => Some(format!(
                "{} ({}): {} — {}",
                t.name,
                t.url,
                state.as_str(),
                t.error.as_deref().unwrap_or("not read")
            )),
        })
        .collect();
    let mut out: Vec<String> = all.iter().take(limit).cloned().collect();
    if all.len() > limit {
        out.push(format!(
            "… and {} more (see --format json)",
            all.len() - limit
        ));
    }
    out
}

/// `replica, replay lag 12.5 s, replay paused`; `None` for a primary or unknown role.
pub fn replica(t: &TargetInfo) -> Option<String> {
    if t.role != Some(crate::sources::catalog::Role::Replica) {
        return None;
    }
    let mut s = String::from("replica");
    match t.lag_seconds {
        Some(lag) => s.push_str(&format!(", replay lag {}", seconds(lag))),
        None => s.push_str(", nothing replayed yet"),
    }
    if t.replay_paused == Some(true) {
        s.push_str(", replay paused");
    }
    Some(s)
}

pub fn seconds(s: f64) -> String {
    if s < 10.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.0} s")
    }
}

/// One row per target: name, state, server, role, lag, applied, pending, findings.
pub fn rows(report: &Report) -> Vec<[String; 8]> {
    report
        .targets
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|t| {
            let findings = own(report, &t.name).len();
            [
                t.name.clone(),
                match t.state {
                    TargetState::Ok => "ok".into(),
                    s => format!("{}: {}", s.as_str(), t.error.as_deref().unwrap_or_default()),
                },
                t.server.clone().unwrap_or_default(),
                t.role.map(|r| r.as_str().to_string()).unwrap_or_default(),
                match (t.lag_seconds, t.replay_paused) {
                    (Some(l), Some(true)) => format!("{} (paused)", seconds(l)),
                    (Some(l), _) => seconds(l),
                    _ => String::new(),
                },
                t.applied.clone().unwrap_or_default(),
                t.pending.len().to_string(),
                if t.state == TargetState::Ok {
                    findings.to_string()
                } else {
                    String::new()
                },
            ]
        })
        .collect()
}

pub const COLUMNS: [&str; 8] = [
    "target", "state", "server", "role", "lag", "applied", "pending", "findings",
];

/// `a`, `a, b, c`, or `a, b, c and 7 more`.
pub fn names(all: &[String]) -> String {
    match all.len() {
        0..=3 => all.join(", "),
        n => format!("{} and {} more", all[..3].join(", "), n - 3),
    }
}
