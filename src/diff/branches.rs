//! Drift that a branch merge explains. In the 0.x layout two branches that each ran
//! `drizzle-kit generate` from one snapshot leave a history whose newest snapshot lacks the
//! other branch's changes. The database has them (both migrations ran), so they look like
//! drift; the real defect is the history, and the next `generate` would undo them.

use super::objects::{flatten_part, ObjectKey, Part};
use crate::model::Schema;
use crate::report::{Category, Finding, ObjectKind};
use serde_json::Value;

/// An earlier migration's snapshot, and whether the database has applied it.
pub struct Earlier {
    pub tag: String,
    pub snapshot: Schema,
    pub applied: bool,
}

/// Re-file as `history` every drift finding that an earlier applied migration's snapshot
/// agrees with the database on, and every ungenerated finding that an earlier snapshot
/// agrees with the TypeScript schema on. `earlier`: newest first.
pub fn explain(findings: &mut [Finding], earlier: &[Earlier]) {
    for f in findings
        .iter_mut()
        .filter(|f| matches!(f.category, Category::Drift | Category::Ungenerated))
    {
        let (other, needs_applied) = match f.category {
            Category::Drift => (f.live.clone(), true),
            _ => (f.ts.clone(), false),
        };
        let key = ObjectKey {
            schema: f.schema.clone().unwrap_or_default(),
            table: f.table.clone(),
            kind: f.object,
            name: if f.object == ObjectKind::PrimaryKey {
                String::new()
            } else {
                f.name.clone()
            },
        };
        // Only the finding's own part of each snapshot: up to 50 whole snapshots
        // flattened at once would not fit the memory budget.
        let part = Part {
            schema: &key.schema,
            table: key.table.as_deref(),
        };
        let explained_by = earlier
            .iter()
            .filter(|e| e.applied || !needs_applied)
            .find(|e| {
                let objects = flatten_part(&e.snapshot, part);
                match &f.field {
                    None => Value::Bool(objects.contains_key(&key)) == other,
                    Some(field) => objects.get(&key).and_then(|o| o.get(field)) == Some(&other),
                }
            });
        if let Some(Earlier { tag, .. }) = explained_by {
            f.category = Category::History;
            f.message = format!(
                "{} matches migration {tag}, but the newest snapshot does not have it: {tag} came from another branch (snapshot collision), so the next `drizzle-kit generate` will try to undo it",
                super::messages::subject(&key, &f.name),
            );
            f.fix = Some(format!(
                "regenerate the migrations after {tag} on top of the merged history (delete them and their snapshots, then `drizzle-kit generate`), so the newest snapshot includes it"
            ));
        }
    }
}
