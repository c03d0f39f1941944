//! One sentence a person understands for every change, and the fix that goes with it.

use super::objects::ObjectKey;
use super::{fix, Change, Inputs};
use crate::report::{Category, ObjectKind};
use serde_json::Value;

const PUSH_FIX: &str = "run `drizzle-kit push` (or generate and apply migrations)";

pub(crate) struct Text {
    pub message: String,
    pub fix: Option<String>,
}

/// `users.email`, `index users_email_idx on users`, `enum auth.role`.
pub(crate) fn subject(key: &ObjectKey, display: &str) -> String {
    let qualify = |name: &str| {
        if key.schema.is_empty() || key.schema == "public" {
            name.to_string()
        } else {
            format!("{}.{}", key.schema, name)
        }
    };
    match (key.kind, &key.table) {
        (ObjectKind::Table, _) => format!("table {}", qualify(display)),
        (ObjectKind::Column, Some(t)) => format!("{}.{}", qualify(t), display),
        (ObjectKind::PrimaryKey, Some(t)) => format!("primary key of {}", qualify(t)),
        (kind, Some(t)) => format!("{} {} on {}", kind.noun(), display, qualify(t)),
        (ObjectKind::Schema, None) | (ObjectKind::Role, None) => {
            format!("{} {}", key.kind.noun(), display)
        }
        (kind, None) => format!("{} {}", kind.noun(), qualify(display)),
    }
}

/// A value as it reads inside a sentence.
pub(crate) fn value_text(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(value_text).collect();
            format!("({})", parts.join(", "))
        }
        other => other.to_string(),
    }
}

fn field_label(field: &str) -> &str {
    match field {
        "not_null" => "NOT NULL",
        "rls_enabled" => "row level security",
        "with_check" => "WITH CHECK",
        "on_delete" => "ON DELETE",
        "on_update" => "ON UPDATE",
        other => other,
    }
}

fn pending_list(inputs: &Inputs) -> String {
    pending_text(inputs.pending_tags)
}

/// How a finding names the pending migrations that make a change: all of them when they
/// are few, else their count and range (the finding's location names the one).
pub(crate) fn pending_text(tags: &[String]) -> String {
    match tags {
        [] => "a pending migration".into(),
        [one] => format!("pending migration {one}"),
        [_, _] | [_, _, _] => format!("pending migrations {}", tags.join(", ")),
        [first, .., last] => format!(
            "one of {} pending migrations ({first} … {last})",
            tags.len()
        ),
    }
}

pub(crate) fn describe(inputs: &Inputs, change: &Change, display: &str) -> Text {
    let subj = subject(change.key, display);
    match (change.category, change.field) {
        (Category::Ungenerated, None) => Text {
            message: if change.b.is_some() {
                format!("{subj} is declared in the TypeScript schema but in no migration")
            } else {
                format!("{subj} is in the migrations but no longer in the TypeScript schema")
            },
            fix: Some("run `drizzle-kit generate` and review the new migration".into()),
        },
        (Category::Ungenerated, Some(field)) => {
            let (old, new) = values(change, field);
            Text {
                message: format!(
                    "{subj}: {} is {new} in the TypeScript schema but {old} in the latest migration",
                    field_label(field)
                ),
                fix: Some("run `drizzle-kit generate` and review the new migration".into()),
            }
        }
        (Category::Pending, None) => Text {
            message: if change.b.is_some() {
                format!("{subj} will be created by {}", pending_list(inputs))
            } else {
                format!("{subj} will be dropped by {}", pending_list(inputs))
            },
            fix: Some(
                "apply the pending migrations (`drizzle-kit migrate` or your app's migrator)"
                    .into(),
            ),
        },
        (Category::Pending, Some(field)) => {
            let (old, new) = values(change, field);
            Text {
                message: format!(
                    "{subj}: {} will change from {old} to {new} by {}",
                    field_label(field),
                    pending_list(inputs)
                ),
                fix: Some(
                    "apply the pending migrations (`drizzle-kit migrate` or your app's migrator)"
                        .into(),
                ),
            }
        }
        (Category::Drift, Some("order")) => {
            let (expected, actual) = values(change, "values");
            let place = if inputs.push {
                "the schema"
            } else {
                "the applied migrations"
            };
            Text {
                message: format!(
                    "{subj}: the same values in another order: {actual} in the database, {expected} in {place} (only comparisons and sorting on the enum see it)"
                ),
                fix: fix::drift(inputs.dialect, change),
            }
        }
        (Category::Drift, None) if inputs.push => {
            if change.b.is_some() {
                Text {
                    message: format!(
                        "{subj} exists in the database but not in the schema (push would drop it)"
                    ),
                    fix: Some(
                        "declare it in the schema, or drop it with `drizzle-kit push` once nothing uses it"
                            .into(),
                    ),
                }
            } else {
                Text {
                    message: format!("{subj} is declared in the schema but not in the database"),
                    fix: Some(PUSH_FIX.into()),
                }
            }
        }
        (Category::Drift, Some(field)) if inputs.push => {
            let (declared, actual) = values(change, field);
            Text {
                message: format!(
                    "{subj}: {} is {actual} in the database but {declared} in the schema",
                    field_label(field)
                ),
                fix: Some(PUSH_FIX.into()),
            }
        }
        (Category::Drift, None) => Text {
            message: if change.b.is_some() {
                format!("{subj} exists in the database but in no applied migration")
            } else {
                format!("{subj} is in the applied migrations but missing from the database")
            },
            fix: fix::drift(inputs.dialect, change),
        },
        (Category::Drift, Some(field)) => {
            let (expected, actual) = values(change, field);
            Text {
                message: format!(
                    "{subj}: {} is {actual} in the database but {expected} in the applied migrations",
                    field_label(field)
                ),
                fix: fix::drift(inputs.dialect, change),
            }
        }
        (Category::History | Category::Lint, _) => Text {
            message: subj,
            fix: None,
        },
    }
}

fn values(change: &Change, field: &str) -> (String, String) {
    let get = |o: Option<&super::Object>| {
        o.and_then(|o| o.get(field))
            .map_or("none".into(), value_text)
    };
    (get(change.a), get(change.b))
}
