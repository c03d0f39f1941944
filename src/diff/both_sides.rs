//! `check --base REF`: objects (a table, a column, an index…) that both sides changed
//! since the last snapshot they share. Git merges the two migration folders without
//! complaint when the files differ, but the database then gets both ALTERs in file order,
//! and a `drizzle-kit generate` after the merge diffs the schema against one side's
//! snapshot only: one side's change is silently kept or reverted.

use super::objects::{flatten, Object, ObjectKey, Objects};
use crate::model::Schema;
use crate::report::{Category, Finding, ObjectKind, Severity};
use crate::sources::history::{self, History, Migration};
use serde_json::Value;
use std::collections::BTreeMap;

/// Each object both `branch_new` and `base_new` changed, as a `history` warning naming the
/// migrations on each side and what each did. A snapshot that cannot be read leaves this
/// comparison out (the history findings name it).
pub fn findings(
    branch: &History,
    base: &History,
    branch_new: &[&Migration],
    base_new: &[&Migration],
    rev: &str,
) -> Vec<Finding> {
    let Some(parent) = shared_parent(branch, branch_new) else {
        return Vec::new();
    };
    let (Some(mine), Some(theirs)) = (
        changes(branch, branch_new, &parent),
        changes(base, base_new, &parent),
    ) else {
        return Vec::new();
    };
    let mine_tags = tag_list(branch_new);
    let mut out = Vec::new();
    for (key, my_change) in &mine {
        let Some(their_change) = theirs.get(key) else {
            continue;
        };
        let what = object_name(key);
        out.push(Finding {
            category: Category::History,
            severity: Severity::Warning,
            object: key.kind,
            schema: (!key.schema.is_empty()).then(|| key.schema.clone()),
            table: key.table.clone(),
            name: key.name.clone(),
            field: None,
            ts: Value::Null,
            snapshot: Value::Null,
            live: Value::Null,
            message: format!(
                "{what} changed on both sides since the snapshot of {}: this branch's {} ({}) \
                 and {rev}'s {} ({}); after the merge both run, and a `drizzle-kit generate` \
                 compares with one side's snapshot only",
                parent.tag,
                my_change.tags.join(", "),
                my_change.what,
                their_change.tags.join(", "),
                their_change.what,
            ),
            fix: Some(format!(
                "merge {rev}, decide what {what} should be in the schema, delete yours \
                 ({mine_tags}), run `drizzle-kit generate` again"
            )),
            location: None,
            rule: None,
            target: None,
        });
    }
    out
}

/// The newest migration of `side` that is not new (both sides have it), with its schema;
/// an empty schema when every migration is new. `None` when its snapshot cannot be read.
struct Parent {
    tag: String,
    schema: Schema,
}

fn shared_parent(side: &History, new: &[&Migration]) -> Option<Parent> {
    let index = side
        .migrations
        .iter()
        .rposition(|m| !new.iter().any(|n| std::ptr::eq(*n, m)));
    match index {
        Some(i) => Some(Parent {
            tag: side.migrations[i].tag.clone(),
            schema: history::snapshot(side, i).ok()?,
        }),
        None => Some(Parent {
            tag: "an empty history".into(),
            schema: Schema::new(side.dialect?),
        }),
    }
}

struct Change {
    /// The new migrations whose snapshot changed the object, in order.
    tags: Vec<String>,
    /// From the parent's state to the side's newest: `created`, `dropped` or the changed
    /// attributes (`type: text → varchar(100)`).
    what: String,
}

/// Every object `new` changed, walking its snapshots in order from the parent. `None` when
/// a snapshot cannot be read.
fn changes(
    side: &History,
    new: &[&Migration],
    parent: &Parent,
) -> Option<BTreeMap<ObjectKey, Change>> {
    let start = flatten(&parent.schema);
    let mut previous = start.clone();
    let mut tags: BTreeMap<ObjectKey, Vec<String>> = BTreeMap::new();
    for m in new {
        let index = side.migrations.iter().position(|x| std::ptr::eq(x, *m))?;
        let now = flatten(&history::snapshot(side, index).ok()?);
        for key in changed_keys(&previous, &now) {
            tags.entry(key).or_default().push(m.tag.clone());
        }
        previous = now;
    }
    Some(
        tags.into_iter()
            .filter_map(|(key, tags)| {
                // Changed and changed back: nothing left to conflict.
                let what = describe(start.get(&key), previous.get(&key))?;
                Some((key, Change { tags, what }))
            })
            .collect(),
    )
}

fn changed_keys(a: &Objects, b: &Objects) -> Vec<ObjectKey> {
    let mut keys: Vec<ObjectKey> = a
        .iter()
        .filter(|(k, o)| b.get(*k).is_none_or(|p| p.attributes != o.attributes))
        .map(|(k, _)| k.clone())
        .collect();
    keys.extend(b.keys().filter(|k| !a.contains_key(*k)).cloned());
    keys
}

fn describe(before: Option<&Object>, after: Option<&Object>) -> Option<String> {
    match (before, after) {
        (None, None) => None,
        (None, Some(_)) => Some("created".into()),
        (Some(_), None) => Some("dropped".into()),
        (Some(b), Some(a)) => {
            let mut parts = Vec::new();
            for (name, value) in &a.attributes {
                let old = b.get(name).unwrap_or(&Value::Null);
                if old != value {
                    parts.push(format!("{name}: {} → {}", show(old), show(value)));
                }
            }
            for (name, old) in &b.attributes {
                if a.get(name).is_none() {
                    parts.push(format!("{name}: {} → none", show(old)));
                }
            }
            (!parts.is_empty()).then(|| parts.join(", "))
        }
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "none".into(),
        other => other.to_string(),
    }
}

fn object_name(key: &ObjectKey) -> String {
    let table = key.table.as_deref().map(|t| match key.schema.as_str() {
        "" | "public" => t.to_string(),
        s => format!("{s}.{t}"),
    });
    match (key.kind, table) {
        (ObjectKind::Table, Some(t)) => format!("table {t}"),
        (ObjectKind::Column, Some(t)) => format!("column {t}.{}", key.name),
        (kind, Some(t)) => format!("{} {} on {t}", kind.noun(), key.name),
        (kind, None) => format!("{} {}", kind.noun(), key.name),
    }
}

fn tag_list(ms: &[&Migration]) -> String {
    ms.iter()
        .map(|m| m.tag.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
