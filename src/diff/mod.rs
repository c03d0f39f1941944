//! The pure three-way comparison: models in, findings out. No I/O here.
//!
//! Every difference has one cause (DESIGN.md, "the three arrows"):
//! `ungenerated` compares the TS schema with the latest snapshot, `pending` the latest
//! snapshot with the snapshot of the last applied migration, `drift` that applied
//! snapshot with the live catalog. Comparing live against the *applied* snapshot is what
//! keeps a pending migration from being reported as drift.

pub mod base;
pub mod both_sides;
pub mod branches;
mod fix;
pub mod fk_actions;
pub mod generated_names;
pub mod lineage;
mod live;
mod messages;
pub(crate) use messages::{pending_text, value_text};
pub mod migrations;
pub mod objects;
pub mod partial;

use crate::model::normalize::expr;
use crate::model::{Dialect, Schema, UNKNOWN_ALL};
use crate::report::{Category, Finding, ObjectKind, Severity};
use objects::{flatten_part_with, parts, Object, ObjectKey, Objects};
use serde_json::Value;

/// The models to compare; `None` where a source was not loaded.
pub struct Inputs<'a> {
    pub dialect: Dialect,
    /// The only schemas the live catalog was read from, when the config's
    /// `schemaFilter` names them: objects of other schemas are not compared with it.
    pub live_schemas: Option<&'a std::collections::BTreeSet<String>>,
    pub ts: Option<&'a Schema>,
    /// The newest snapshot in the history (an empty schema when there are no migrations).
    pub latest: Option<&'a Schema>,
    /// The snapshot `drizzle-kit generate` compares the schema with, when it is not
    /// `latest`.
    pub base: Option<&'a Schema>,
    /// The snapshot of the last applied migration (an empty schema when nothing is applied).
    pub applied: Option<&'a Schema>,
    pub live: Option<&'a Schema>,
    /// Tags of the migrations that have not run yet, for messages.
    pub pending_tags: &'a [String],
    /// The project has no migrations (`drizzle-kit push`): drift compares the TypeScript
    /// schema with the live catalog directly, the migrations arrow does not exist.
    pub push: bool,
}

/// Which of the three report columns a compared side fills.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Ts,
    Snapshot,
    Live,
}

/// One part (see `objects::Part`) of each source, flattened.
struct Flat {
    ts: Option<Objects>,
    latest: Option<Objects>,
    base: Option<Objects>,
    applied: Option<Objects>,
    live: Option<Objects>,
}

pub fn findings(inputs: &Inputs) -> Vec<Finding> {
    let sources = [
        inputs.ts,
        inputs.latest,
        inputs.base,
        inputs.applied,
        inputs.live,
    ];
    let partial = |s: Option<&Schema>| s.is_some_and(|s| s.partial);
    // Part by part, so that only one table of each source is flattened at a time; each
    // category still lists its findings in key order, the categories one after another.
    let [mut ungenerated, mut pending, mut drift] = [Vec::new(), Vec::new(), Vec::new()];
    // With nothing pending, the latest snapshot can differ from the applied one only
    // through a history defect (a skipped migration), which the history findings name.
    let anything_pending = !inputs.pending_tags.is_empty();
    // Files are compared as drizzle-kit compares them (it recreates an index whose
    // operator class changes from `uuid_ops` to none); what only the database knows (that
    // `uuid_ops` is the default, a table's collation) applies to comparisons with it.
    let flat_part = |s: &Schema, part| flatten_part_with(s, part, None);
    let with_facts = |s: &Schema, part| flatten_part_with(s, part, inputs.live);
    let drift_reference = if inputs.push {
        inputs.ts
    } else {
        inputs.applied
    };
    let scope = live::Scope::new(drift_reference, inputs.live_schemas);
    for part in parts(&sources) {
        let flat = Flat {
            ts: inputs.ts.map(|s| flat_part(s, part)),
            latest: inputs.latest.map(|s| flat_part(s, part)),
            base: inputs.base.map(|s| flat_part(s, part)),
            applied: inputs.applied.map(|s| flat_part(s, part)),
            live: inputs.live.map(|s| with_facts(s, part)),
        };
        let reference = drift_reference
            .filter(|_| inputs.live.is_some())
            .map(|s| with_facts(s, part));
        if inputs.push {
            if let (Some(ts), Some(live)) = (&reference, &flat.live) {
                compare(
                    inputs,
                    &flat,
                    Category::Drift,
                    Some(&scope),
                    (ts, Some(Side::Ts), partial(inputs.ts)),
                    (live, Side::Live, partial(inputs.live)),
                    &mut drift,
                );
            }
            continue;
        }
        if let (Some(base), Some(ts)) = (flat.base.as_ref().or(flat.latest.as_ref()), &flat.ts) {
            compare(
                inputs,
                &flat,
                Category::Ungenerated,
                None,
                (base, Some(Side::Snapshot), false),
                (ts, Side::Ts, partial(inputs.ts)),
                &mut ungenerated,
            );
        }
        if let (Some(applied), Some(latest), true) = (&flat.applied, &flat.latest, anything_pending)
        {
            // The applied side of a pending change is shown as what the database really has.
            compare(
                inputs,
                &flat,
                Category::Pending,
                None,
                (applied, None, false),
                (latest, Side::Snapshot, false),
                &mut pending,
            );
        }
        if let (Some(applied), Some(live)) = (&reference, &flat.live) {
            compare(
                inputs,
                &flat,
                Category::Drift,
                Some(&scope),
                (applied, Some(Side::Snapshot), false),
                (live, Side::Live, partial(inputs.live)),
                &mut drift,
            );
        }
    }
    ungenerated.append(&mut pending);
    ungenerated.append(&mut drift);
    ungenerated
}

/// A difference between the two compared sides `a` (the reference) and `b`.
pub(crate) struct Change<'a> {
    pub category: Category,
    pub key: &'a ObjectKey,
    pub field: Option<&'static str>,
    pub a: Option<&'a Object>,
    pub b: Option<&'a Object>,
}

/// Compare `a` (the reference) with `b`. `scope` is given for a comparison with the live
/// database (see `live`).
fn compare(
    inputs: &Inputs,
    flat: &Flat,
    category: Category,
    scope: Option<&live::Scope>,
    (a, a_side, a_partial): (&Objects, Option<Side>, bool),
    (b, b_side, b_partial): (&Objects, Side, bool),
    out: &mut Vec<Finding>,
) {
    let keys: std::collections::BTreeSet<&ObjectKey> = a.keys().chain(b.keys()).collect();
    let matches = match scope {
        Some(_) => live::Matches::new(inputs.dialect, a, b),
        None => live::Matches::default(),
    };
    for key in keys {
        if category == Category::Drift && key.kind == ObjectKind::Role {
            // The catalog reader does not manage roles: drizzle-kit only does so on request.
            continue;
        }
        if scope.is_some_and(|s| s.ignores(key, a.contains_key(key)))
            || matches.folded.contains(key)
            || matches.partners.contains(key)
        {
            continue;
        }
        let (oa, ob) = (a.get(key), b.get(key));
        if let (Some(x), Some(&partner)) = (oa, matches.renamed.get(key)) {
            // The same object under another name: one finding, for information.
            let y = &b[partner];
            let change = Change {
                category,
                key,
                field: Some("name"),
                a: oa,
                b: Some(y),
            };
            let name = |o: &Object| Value::String(o.display_name.clone());
            let mut f = finding(inputs, flat, &change, (a_side, name(x)), (b_side, name(y)));
            f.severity = Severity::Info;
            out.push(f);
            continue;
        }
        match (oa, ob) {
            (Some(_), Some(_)) | (None, None) => {}
            // Unknown is never "removed": a source that could not read everything says
            // nothing by lacking an object.
            (None, Some(_)) if a_partial || part_unknown(key, a) => continue,
            (Some(_), None) if b_partial || part_unknown(key, b) => continue,
            _ if parent_missing(key, a, b) => continue,
            _ => {}
        }
        match (oa, ob) {
            (Some(x), Some(y)) => {
                // An attribute only one side spells out (MySQL `on_update`,
                // `autoincrement`) is compared with its absence on the other.
                const ABSENT: &Value = &Value::Null;
                let only_in_y = y
                    .attributes
                    .iter()
                    .filter(|(n, _)| x.get(n).is_none())
                    .map(|(n, _)| (n, ABSENT));
                let names = x.attributes.iter().map(|(n, v)| (n, v)).chain(only_in_y);
                for (name, xv) in names {
                    if x.unknown
                        .iter()
                        .chain(&y.unknown)
                        .any(|u| u == name || u == UNKNOWN_ALL)
                    {
                        continue;
                    }
                    let view_query = *name == "definition"
                        && key.kind == ObjectKind::View
                        && category == Category::Drift;
                    if view_query && inputs.dialect == Dialect::Mysql {
                        // MySQL rewrites a view's query into its own form (every column
                        // qualified with the database): compared by presence only.
                        continue;
                    }
                    let yv = y.get(name).unwrap_or(&Value::Null);
                    if !same(key.kind, name, xv, yv) {
                        // Enum values in another order only matter to comparisons and
                        // sorting on the enum.
                        let reordered = scope.is_some()
                            && key.kind == ObjectKind::Enum
                            && *name == "values"
                            && live::same_values_reordered(xv, yv);
                        let change = Change {
                            category,
                            key,
                            field: Some(if reordered { "order" } else { name }),
                            a: oa,
                            b: ob,
                        };
                        let mut f = finding(
                            inputs,
                            flat,
                            &change,
                            (a_side, xv.clone()),
                            (b_side, yv.clone()),
                        );
                        if reordered {
                            f.severity = Severity::Info;
                        }
                        if view_query {
                            // pg_get_viewdef prints the query back in its own words; what
                            // normalization does not know of that shows here as well.
                            f.severity = Severity::Warning;
                            f.message.push_str(
                                " (compared after normalizing how PostgreSQL prints a view's query back; read both texts: a rewrite drizzle-drift does not know reads as a difference too)",
                            );
                        }
                        out.push(f);
                    }
                }
                if category == Category::Ungenerated {
                    written_differently(inputs, flat, key, (x, y), (a_side, b_side), out);
                }
            }
            (Some(_), None) | (None, Some(_)) => {
                let change = Change {
                    category,
                    key,
                    field: None,
                    a: oa,
                    b: ob,
                };
                let present = |o: Option<&Object>| Value::Bool(o.is_some());
                out.push(finding(
                    inputs,
                    flat,
                    &change,
                    (a_side, present(oa)),
                    (b_side, present(ob)),
                ));
            }
            (None, None) => {}
        }
    }
}

/// Texts that mean the same but are written differently in the schema and the snapshot
/// (`"external_id" IS NOT NULL`, `"t"."external_id" is not null`): drizzle-kit compares
/// the text, so `generate` would recreate the object. Said once, for information.
fn written_differently(
    inputs: &Inputs,
    flat: &Flat,
    key: &ObjectKey,
    (x, y): (&Object, &Object),
    (a_side, b_side): (Option<Side>, Side),
    out: &mut Vec<Finding>,
) {
    for (name, xv) in &x.written {
        let Some(yv) = y.written(name) else {
            continue;
        };
        let unknown = x
            .unknown
            .iter()
            .chain(&y.unknown)
            .any(|u| u == name || u == UNKNOWN_ALL);
        if xv == yv || unknown || x.get(name) != y.get(name) {
            continue;
        }
        let change = Change {
            category: Category::Ungenerated,
            key,
            field: Some(name),
            a: Some(x),
            b: Some(y),
        };
        let mut f = finding(
            inputs,
            flat,
            &change,
            (a_side, Value::String(xv.clone())),
            (b_side, Value::String(yv.to_string())),
        );
        f.severity = Severity::Info;
        f.message = format!(
            "{}: {} is written `{yv}` in the TypeScript schema but `{xv}` in the latest migration; the database sees no difference, but drizzle-kit compares the text and `generate` will recreate it",
            messages::subject(key, &x.display_name),
            name
        );
        f.fix = Some(
            "write it as the migration does, or run `drizzle-kit generate` and apply the migration it writes"
                .into(),
        );
        out.push(f);
    }
}

/// Attribute equality, with the one place where values are not plain equal: a policy
/// `TO current_user` is stored by PostgreSQL as the role that ran the migration, which no
/// source can know, so it matches any one role.
fn same(kind: ObjectKind, field: &str, a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    if let (Value::String(x), Value::String(y)) = (a, b) {
        // drizzle-kit writes `$1` where a value was interpolated into an expression: the
        // value itself is not known.
        if x.contains('$') || y.contains('$') {
            return expr::same_but_parameters(x, y);
        }
    }
    if kind != ObjectKind::Policy || field != "to" {
        return false;
    }
    let (Value::Array(a), Value::Array(b)) = (a, b) else {
        return false;
    };
    if a.len() != b.len() {
        return false;
    }
    let is_session_role = |v: &Value| {
        matches!(
            v.as_str(),
            Some("current_user" | "session_user" | "current_role")
        )
    };
    let mut rest: Vec<&Value> = b.iter().collect();
    let mut wildcards = 0;
    for v in a {
        if is_session_role(v) {
            wildcards += 1;
        } else if let Some(pos) = rest.iter().position(|w| *w == v) {
            rest.remove(pos);
        } else if let Some(pos) = rest.iter().position(|w| is_session_role(w)) {
            rest.remove(pos);
        } else {
            return false;
        }
    }
    rest.len() == wildcards
}

/// A column of a table that one side lacks altogether is reported once, as the table; an
/// index or constraint of a table whose constraints a source could not read is not
/// reported at all.
fn parent_missing(key: &ObjectKey, a: &Objects, b: &Objects) -> bool {
    if key.kind == ObjectKind::Table {
        return false;
    }
    let Some(table) = &key.table else {
        return false;
    };
    let table_key = ObjectKey {
        schema: key.schema.clone(),
        table: Some(table.clone()),
        kind: ObjectKind::Table,
        name: table.clone(),
    };
    let constraints_unknown = key.kind != ObjectKind::Column
        && [a, b].iter().any(|side| {
            side.get(&table_key).is_some_and(|t| {
                t.unknown
                    .iter()
                    .any(|u| u == crate::model::UNKNOWN_CONSTRAINTS)
            })
        });
    constraints_unknown || a.contains_key(&table_key) != b.contains_key(&table_key)
}

/// The columns of the object's table are unknown on this side (a spread the reader could
/// not evaluate), so a column it lacks may be there.
fn part_unknown(key: &ObjectKey, side: &Objects) -> bool {
    let Some(table) = key
        .table
        .as_ref()
        .filter(|_| key.kind == ObjectKind::Column)
    else {
        return false;
    };
    let table_key = ObjectKey {
        schema: key.schema.clone(),
        table: Some(table.clone()),
        kind: ObjectKind::Table,
        name: table.clone(),
    };
    side.get(&table_key)
        .is_some_and(|t| t.unknown.iter().any(|u| u == crate::model::UNKNOWN_COLUMNS))
}

fn lookup(objects: Option<&Objects>, key: &ObjectKey, field: Option<&str>) -> Value {
    let Some(objects) = objects else {
        return Value::Null;
    };
    match field {
        None => Value::Bool(objects.contains_key(key)),
        Some(f) => objects
            .get(key)
            .and_then(|o| o.get(f))
            .cloned()
            .unwrap_or(Value::Null),
    }
}

fn finding(
    inputs: &Inputs,
    flat: &Flat,
    change: &Change,
    (a_side, a_value): (Option<Side>, Value),
    (b_side, b_value): (Side, Value),
) -> Finding {
    let key = change.key;
    let mut values = [Value::Null, Value::Null, Value::Null];
    let slot = |s: Side| match s {
        Side::Ts => 0,
        Side::Snapshot => 1,
        Side::Live => 2,
    };
    // An order difference shows the values themselves.
    let field = change
        .field
        .map(|f| if f == "order" { "values" } else { f });
    values[slot(Side::Ts)] = lookup(flat.ts.as_ref(), key, field);
    values[slot(Side::Live)] = lookup(flat.live.as_ref(), key, field);
    let snapshot = match change.category {
        Category::Ungenerated => flat.base.as_ref().or(flat.latest.as_ref()),
        _ => flat.latest.as_ref(),
    };
    values[slot(Side::Snapshot)] = lookup(snapshot, key, field);
    if inputs.push {
        values[slot(Side::Snapshot)] = Value::Null;
    } else if change.category == Category::Drift {
        values[slot(Side::Snapshot)] = lookup(flat.applied.as_ref(), key, field);
    }
    if let Some(a_side) = a_side {
        values[slot(a_side)] = a_value;
    }
    values[slot(b_side)] = b_value;
    let [ts, snapshot, live] = values;
    let display = change
        .a
        .or(change.b)
        .map_or(key.name.as_str(), |o| o.display_name.as_str());
    let text = messages::describe(inputs, change, display);
    Finding {
        category: change.category,
        severity: severity(change.category),
        object: key.kind,
        schema: Some(key.schema.clone()).filter(|s| !s.is_empty()),
        table: key.table.clone(),
        name: display.to_string(),
        field: change.field.map(str::to_string),
        ts,
        snapshot,
        live,
        message: text.message,
        fix: text.fix,
        location: None,
        rule: None,
        target: None,
    }
}

fn severity(category: Category) -> Severity {
    match category {
        Category::Pending => Severity::Warning,
        Category::Ungenerated | Category::Drift | Category::History => Severity::Error,
        Category::Lint => Severity::Warning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, QualifiedName, Table, UNKNOWN_COLUMNS};

    fn schema(tables: &[(&str, &[&str])]) -> Schema {
        let mut s = Schema::new(Dialect::Postgresql);
        for (name, columns) in tables {
            let mut t = Table::new(QualifiedName::new("public", *name));
            t.columns = columns.iter().map(|c| Column::new(*c, "text")).collect();
            s.tables.insert(t.name.clone(), t);
        }
        s
    }

    fn ungenerated(ts: &Schema, snapshot: &Schema) -> Vec<String> {
        let inputs = Inputs {
            dialect: Dialect::Postgresql,
            ts: Some(ts),
            live_schemas: None,
            latest: Some(snapshot),
            base: None,
            applied: None,
            live: None,
            pending_tags: &[],
            push: false,
        };
        findings(&inputs)
            .iter()
            .map(|f| format!("{} {} {}", f.object.noun(), f.name, f.ts))
            .collect()
    }

    #[test]
    fn a_partial_schema_reports_what_it_has_but_not_what_it_lacks() {
        let snapshot = schema(&[("users", &["id"]), ("posts", &["id"])]);
        let mut ts = schema(&[("users", &["id"]), ("tags", &["id"])]);
        assert_eq!(
            ungenerated(&ts, &snapshot),
            ["table posts false", "table tags true"]
        );
        ts.partial = true;
        assert_eq!(ungenerated(&ts, &snapshot), ["table tags true"]);
    }

    #[test]
    fn a_table_with_unknown_columns_lacks_none() {
        let snapshot = schema(&[("users", &["id", "email"])]);
        let mut ts = schema(&[("users", &["id", "nickname"])]);
        assert_eq!(
            ungenerated(&ts, &snapshot),
            ["column email false", "column nickname true"]
        );
        let users = QualifiedName::new("public", "users");
        ts.tables
            .get_mut(&users)
            .expect("users")
            .unknown
            .insert(UNKNOWN_COLUMNS.to_string());
        assert_eq!(ungenerated(&ts, &snapshot), ["column nickname true"]);
    }
}
