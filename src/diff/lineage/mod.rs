//! Which applied migration made a difference between the applied snapshot and the
//! database. Real histories hold custom migrations (`drizzle-kit generate --custom`) and
//! hand-edited SQL: objects the SQL created that no snapshot records (a policy, a GIN
//! index), and snapshot changes no SQL made (an `ON DELETE` change never applied). Such a
//! difference is real and stays visible, but it is the history's, not push-style drift:
//!
//! - `sql-not-in-snapshot`: a statement of an applied migration made it, no snapshot has
//!   it (located at that statement);
//! - `snapshot-not-in-sql`: the snapshot of an applied migration has it, no statement of
//!   its SQL (nor a later applied one) made it (located at that migration's SQL file).
//!
//! Pure: the drift findings, each applied migration's events and the objects its snapshot
//! holds in, findings refiled out.

pub mod events;

use super::messages::{subject as named, value_text};
use super::objects::{ObjectKey, Objects};
use super::partial::finding_key;
use crate::model::{Dialect, Origin};
use crate::report::{Category, Finding, ObjectKind, Severity};
use events::{Change, Event};
use serde_json::Value;

pub const SQL_NOT_IN_SNAPSHOT: &str = "sql-not-in-snapshot";
pub const SNAPSHOT_NOT_IN_SQL: &str = "snapshot-not-in-sql";

/// One applied migration, in the order the migrator ran them.
pub struct Applied<'a> {
    pub tag: &'a str,
    /// The SQL file, relative to the project folder.
    pub file: String,
    pub events: Vec<Event>,
    /// The state after it as the snapshots know it: only the parts (tables, schemas) the
    /// drift findings are about, flattened as the drift comparison flattens them. `None`:
    /// not read (no drift finding's value changes after it; see [`subject`]).
    pub snapshot: Option<Objects>,
}

/// The parts of the schema [`explain`] needs of each applied snapshot: `(schema, table)`
/// of every drift finding (`None`: the objects outside tables).
pub fn needed_parts(findings: &[Finding]) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = findings
        .iter()
        .filter(|f| f.category == Category::Drift)
        .map(|f| (f.schema.clone().unwrap_or_default(), f.table.clone()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A renamed object keeps its history: what earlier statements did to `a` is, after a
/// rename of `a` to `b`, about `b` (and a renamed table keeps its columns, indexes and
/// constraints).
fn follow_renames(events: &mut [(usize, Event)], dialect: Dialect) {
    for p in 0..events.len() {
        let (_, e) = &events[p];
        let (Change::RenameFrom(to), Some(from)) = (&e.change, e.name.clone()) else {
            continue;
        };
        let (to, kinds, table, schema) = (to.clone(), e.kinds, e.table.clone(), e.schema.clone());
        let is_table = kinds == [ObjectKind::Table];
        for (_, q) in events[..p].iter_mut() {
            if !same_schema(dialect, q.schema.as_deref(), schema.as_deref()) {
                continue;
            }
            if is_table {
                if q.table
                    .as_deref()
                    .is_some_and(|t| same_name(dialect, t, &from))
                {
                    if q.kinds == [ObjectKind::Table] {
                        q.name = Some(to.clone());
                    }
                    q.table = Some(to.clone());
                }
                continue;
            }
            let same_table = match (&q.table, &table) {
                (Some(a), Some(b)) => same_name(dialect, a, b),
                _ => true,
            };
            let same_object = q.kinds.iter().any(|k| kinds.contains(k))
                && q.name
                    .as_deref()
                    .is_some_and(|n| same_name(dialect, n, &from));
            if same_table && same_object {
                q.name = Some(to.clone());
            }
        }
    }
}

/// `DROP CONSTRAINT x` where x is the table's primary key (under the name the SQL gave
/// it, or the unique PostgreSQL merged into it) drops the primary key.
fn resolve_primary_keys(events: &mut [(usize, Event)], dialect: Dialect) {
    let mut names: Vec<(String, String)> = Vec::new();
    let find = |names: &[(String, String)], t: &str| {
        names
            .iter()
            .position(|(table, _)| same_name(dialect, table, t))
    };
    for (_, e) in events.iter_mut() {
        let Some(table) = e.table.clone() else {
            continue;
        };
        match (&e.change, e.kinds) {
            (Change::Create, [ObjectKind::PrimaryKey]) => {
                let name = e.name.clone().unwrap_or_else(|| match dialect {
                    Dialect::Postgresql => format!("{table}_pkey"),
                    Dialect::Mysql => "PRIMARY".into(),
                });
                match find(&names, &table) {
                    Some(i) => names[i].1 = name,
                    None => names.push((table, name)),
                }
            }
            (Change::RenameFrom(to), [ObjectKind::Table]) => {
                if let Some(i) = find(&names, &table) {
                    names[i].0 = to.clone();
                }
            }
            (Change::Drop, kinds) if kinds.len() > 1 => {
                let is_pk = find(&names, &table).is_some_and(|i| {
                    e.name
                        .as_deref()
                        .is_some_and(|n| same_name(dialect, n, &names[i].1))
                });
                if is_pk {
                    e.kinds = &[ObjectKind::PrimaryKey];
                    e.name = None;
                }
            }
            _ => {}
        }
    }
}

/// `CREATE … IF NOT EXISTS` of an object an earlier statement created (and none dropped)
/// does nothing, whatever it says: it made nothing (with everything in its statement).
fn drop_noop_creates(events: &mut Vec<(usize, Event)>, dialect: Dialect) {
    let same = |a: &Event, b: &Event| {
        a.kinds.iter().any(|k| b.kinds.contains(k))
            && match (&a.table, &b.table) {
                (Some(x), Some(y)) => same_name(dialect, x, y),
                _ => true,
            }
            && match (&a.name, &b.name) {
                (Some(x), Some(y)) => same_name(dialect, x, y),
                _ => a.kinds == [ObjectKind::PrimaryKey],
            }
    };
    let mut alive: Vec<Event> = Vec::new();
    let mut noop: Option<std::rc::Rc<str>> = None;
    let mut previous: Option<std::rc::Rc<str>> = None;
    let mut keep = Vec::with_capacity(events.len());
    for (_, e) in events.iter() {
        // The IF NOT EXISTS is the statement's object's (its first event: the table of a
        // CREATE TABLE), not its columns' and constraints', whose names a later rename
        // may have given to another column too (flowglad: externalId renamed to id).
        let first = previous
            .replace(e.sql.clone())
            .is_none_or(|p| !std::rc::Rc::ptr_eq(&p, &e.sql));
        if noop
            .as_ref()
            .is_some_and(|n| std::rc::Rc::ptr_eq(n, &e.sql))
        {
            keep.push(false);
            continue;
        }
        match e.change {
            Change::Create | Change::RenameTo(_) => {
                if e.guarded && first && alive.iter().any(|a| same(a, e)) {
                    noop = Some(e.sql.clone());
                    keep.push(false);
                    continue;
                }
                alive.push(e.clone());
            }
            Change::Drop | Change::RenameFrom(_) => {
                let table_gone = e.kinds == [ObjectKind::Table];
                alive.retain(|a| {
                    !(same(a, e)
                        || table_gone
                            && a.table
                                .as_deref()
                                .zip(e.name.as_deref())
                                .is_some_and(|(t, n)| same_name(dialect, t, n)))
                });
            }
            Change::Alter(_) => {}
        }
        keep.push(true);
    }
    let mut flags = keep.into_iter();
    events.retain(|_| flags.next().unwrap_or(true));
}

/// PostgreSQL cuts identifiers to 63 bytes.
fn cut(dialect: Dialect, name: &str) -> &str {
    if dialect == Dialect::Mysql || name.len() <= 63 {
        return name;
    }
    let mut end = 63;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

fn same_name(dialect: Dialect, a: &str, b: &str) -> bool {
    match dialect {
        Dialect::Postgresql => cut(dialect, a) == cut(dialect, b),
        Dialect::Mysql => a.eq_ignore_ascii_case(b),
    }
}

fn same_schema(dialect: Dialect, a: Option<&str>, b: Option<&str>) -> bool {
    match dialect {
        Dialect::Postgresql => {
            fn public(s: Option<&str>) -> &str {
                s.filter(|s| !s.is_empty()).unwrap_or("public")
            }
            public(a) == public(b)
        }
        Dialect::Mysql => true,
    }
}

/// What a finding compares: presence (also a same object under another name, which the
/// reference side has under its own) or one attribute.
fn compared_field(f: &Finding) -> Option<&str> {
    match f.field.as_deref() {
        None => None,
        Some("name") if f.object != ObjectKind::PrimaryKey => None,
        Some("order") => Some("values"),
        other => other,
    }
}

/// Whether `e` did something to the object of `f` that bears on `field` (`None`:
/// presence; then `creates` says which way: a create or a rename into the name, or a
/// drop or a rename away).
fn touches(
    dialect: Dialect,
    e: &Event,
    (f, columns): (&Finding, &[String]),
    field: Option<&str>,
    creates_it: Option<bool>,
) -> bool {
    let schema_ok = f.object == ObjectKind::Schema
        || same_schema(dialect, e.schema.as_deref(), f.schema.as_deref());
    if !schema_ok {
        return false;
    }
    let on_table = |t: &Option<String>| match (t, &f.table) {
        (Some(a), Some(b)) => same_name(dialect, a, b),
        (None, _) => true,
        (Some(_), None) => false,
    };
    let creates = matches!(e.change, Change::Create | Change::RenameTo(_));
    let removes = matches!(e.change, Change::Drop | Change::RenameFrom(_));
    let direction_ok = match (field, creates_it) {
        (None, Some(true)) => creates,
        (None, Some(false)) => removes,
        (None, None) => creates || removes,
        (Some(x), _) => match e.change {
            Change::Alter(fields) => fields.contains(&x),
            Change::Create | Change::RenameTo(_) => true,
            _ => false,
        },
    };
    if e.kinds == [ObjectKind::Column]
        && e.change == Change::Drop
        && f.object != ObjectKind::Column
        && creates_it == Some(false)
    {
        // Dropping a column drops the indexes and constraints on it.
        return on_table(&e.table)
            && e.name
                .as_deref()
                .is_some_and(|c| columns.iter().any(|k| same_name(dialect, k, c)));
    }
    if e.kinds == [ObjectKind::Table] && f.object != ObjectKind::Table {
        // What happens to a table happens to everything on it: a drop removes it, a
        // rename carries its columns and primary key along.
        let carries = match e.change {
            // A table's rename or drop says nothing about an attribute of its objects.
            _ if field.is_some() => false,
            Change::Drop | Change::RenameFrom(_) => true,
            Change::RenameTo(_) => {
                matches!(f.object, ObjectKind::Column | ObjectKind::PrimaryKey)
            }
            _ => false,
        };
        return carries && on_table(&e.table) && e.table.is_some() && direction_ok;
    }
    if !e.kinds.contains(&f.object) || !on_table(&e.table) {
        return false;
    }
    let name_ok = match (&e.name, f.object) {
        (None, _) => true,
        // A primary key's name is an attribute: `CONSTRAINT x PRIMARY KEY` is the table's
        // one key whatever x is; `DROP CONSTRAINT x` is it only when x is its name.
        (Some(_), ObjectKind::PrimaryKey) if e.kinds == [ObjectKind::PrimaryKey] => true,
        (Some(n), _) => same_name(dialect, n, &f.name),
    };
    name_ok && direction_ok
}

/// Refile as `history` each drift finding an applied migration explains.
pub fn explain(dialect: Dialect, findings: &mut [Finding], applied: &[Applied]) {
    if applied.is_empty() {
        return;
    }
    let mut all: Vec<(usize, Event)> = applied
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.events.iter().map(move |e| (i, e.clone())))
        .collect();
    resolve_primary_keys(&mut all, dialect);
    follow_renames(&mut all, dialect);
    drop_noop_creates(&mut all, dialect);
    for f in findings
        .iter_mut()
        .filter(|f| f.category == Category::Drift && f.object != ObjectKind::Migration)
    {
        explain_one(dialect, f, applied, &all);
    }
}

/// The value of `field` (`None`: presence) of the object at `key`; `None`: no object.
pub fn value(objects: &Objects, key: &ObjectKey, field: Option<&str>) -> Option<Value> {
    let o = objects.get(key)?;
    Some(match field {
        None => Value::Bool(true),
        // A serial column's default is its sequence: a snapshot that changes the type
        // away from serial removes that default, whether or not the SQL does.
        Some("default")
            if o.get("default") == Some(&Value::Null)
                && o.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| matches!(t, "serial" | "bigserial" | "smallserial")) =>
        {
            Value::String("nextval (serial)".into())
        }
        Some(x) => o.get(x).cloned().unwrap_or(Value::Null),
    })
}

/// The columns an index or constraint of the applied snapshot is on (an index key's
/// column, unquoted; an expression names none).
fn object_columns(objects: Option<&Objects>, key: &ObjectKey) -> Vec<String> {
    let Some(Value::Array(keys)) = objects
        .and_then(|o| o.get(key))
        .and_then(|o| o.get("columns"))
    else {
        return Vec::new();
    };
    keys.iter()
        .filter_map(Value::as_str)
        .map(|k| {
            let k = k.trim();
            match k.strip_prefix('"') {
                Some(rest) => rest.split('"').next().unwrap_or(rest).to_string(),
                None => k.split(' ').next().unwrap_or(k).to_string(),
            }
        })
        .collect()
}

/// What a drift finding compares, as [`value`] reads it from a snapshot: the object's
/// key and the attribute (`None`: presence). A reader of the applied snapshots may stop
/// going back once every finding's value differs from the one the last applied snapshot
/// gives it: nothing before that point bears on it.
pub fn subject(f: &Finding) -> (ObjectKey, Option<String>) {
    (finding_key(f), compared_field(f).map(str::to_string))
}

/// The same object under another name in the database: the statement that gave it that
/// name, if an applied one did.
fn named_by_sql(
    dialect: Dialect,
    f: &mut Finding,
    applied: &[Applied],
    all: &[(usize, Event)],
) -> bool {
    let (Some("name"), Value::String(live), Value::String(snapshot)) =
        (f.field.as_deref(), &f.live, &f.snapshot)
    else {
        return false;
    };
    let found = all.iter().rev().find(|(_, e)| {
        matches!(e.change, Change::Create | Change::RenameTo(_))
            && e.kinds.contains(&f.object)
            && e.name
                .as_deref()
                .is_some_and(|n| same_name(dialect, n, live))
            && match (&e.table, &f.table) {
                (Some(a), Some(b)) => same_name(dialect, a, b),
                (None, _) => true,
                _ => false,
            }
    });
    let Some((i, e)) = found else {
        return false;
    };
    let a = &applied[*i];
    let message = format!(
        "{} is {live} in the database: {} line {} made it under that name (`{}`), but the snapshot names it {snapshot}",
        named(&finding_key(f), &f.name),
        a.tag,
        e.line,
        e.excerpt
    );
    let fix = format!(
        "nothing to do if the name does not matter to you; to make them agree, rename it in the database (a custom migration: `drizzle-kit generate --custom`) to {snapshot}"
    );
    refile(f, SQL_NOT_IN_SNAPSHOT, message, fix, &a.file, Some(e.line));
    true
}

fn explain_one(dialect: Dialect, f: &mut Finding, applied: &[Applied], all: &[(usize, Event)]) {
    if named_by_sql(dialect, f, applied, all) {
        return;
    }
    let (key, field) = subject(f);
    let field = field.as_deref();
    let value_at = |i: usize| applied[i].snapshot.as_ref().map(|o| value(o, &key, field));
    let Some(last) = value_at(applied.len() - 1) else {
        return;
    };
    let last = &last;
    // The migration whose snapshot gave the object the value the applied snapshot has.
    let mut m = applied.len() - 1;
    while m > 0 {
        match value_at(m - 1) {
            // Not read: the reader stopped too early; say nothing.
            None => return,
            Some(v) if v == *last => m -= 1,
            Some(_) => break,
        }
    }
    let introduced = (m > 0 || last.is_some()).then_some(m);
    // Which way a presence difference goes, read from the snapshots themselves.
    let live_has_it = field.map_or(Some(last.is_none()), |_| None);
    // Later SQL explains what the database has; the introducing migration's own SQL
    // should have made what its snapshot says.
    let columns = object_columns(applied.last().and_then(|a| a.snapshot.as_ref()), &key);
    let explains = |e: &Event| touches(dialect, e, (f, &columns), field, live_has_it);
    // Carrying an object over (a rename) does not make an attribute's value.
    let made = |e: &Event| {
        touches(dialect, e, (f, &columns), field, live_has_it.map(|x| !x))
            && (field.is_none() || !matches!(e.change, Change::RenameTo(_)))
    };
    // The last statement of the introducing migration that made it; what comes after
    // that (in the same migration or a later one) is what explains the database.
    let made_at = introduced.and_then(|m| all.iter().rposition(|(i, e)| *i == m && made(e)));
    let later: Vec<&(usize, Event)> = all
        .iter()
        .enumerate()
        .filter(|(p, (i, e))| {
            let after = match (made_at, introduced) {
                (Some(at), _) => *p > at,
                (None, Some(m)) => *i >= m,
                (None, None) => true,
            };
            after && explains(e)
        })
        .map(|(_, x)| x)
        .collect();
    // The statement cited: one about the object itself rather than its table's rename,
    // and for an attribute one that set it rather than a rename into the name.
    let rank = |e: &Event| {
        let direct = e.kinds != [ObjectKind::Table] || f.object == ObjectKind::Table;
        let renamed = matches!(e.change, Change::RenameTo(_)) && field.is_some();
        u8::from(direct) * 2 + u8::from(!renamed)
    };
    let best = later.iter().map(|(_, e)| rank(e)).max();
    let cited = later.iter().rev().find(|(_, e)| Some(rank(e)) == best);
    if let Some((i, e)) = cited {
        let a = &applied[*i];
        let verb = match (&e.change, field) {
            (Change::RenameTo(from), None)
                if e.kinds == [ObjectKind::Table] && f.object != ObjectKind::Table =>
            {
                format!("carried over from table {from} by")
            }
            (Change::RenameTo(from), None) => format!("renamed from {from} by"),
            (Change::RenameFrom(to), None) => format!("renamed to {to} by"),
            (_, None) if live_has_it == Some(true) => "created by".to_string(),
            (Change::Create, Some(_)) => "created by".to_string(),
            (_, None) => "dropped by".to_string(),
            (_, Some(_)) => "changed by".to_string(),
        };
        let what = named(&key, &f.name);
        let statement = format!("{} line {}: `{}`", a.tag, e.line, e.excerpt);
        let (message, fix) = match (field, live_has_it) {
            (None, Some(true)) => (
                format!(
                    "{what} was {verb} {statement}, but no snapshot records it: drizzle-kit does not know it exists"
                ),
                "nothing to do if it is meant to live outside the Drizzle schema (drizzle-kit never drops what no snapshot has); to let the schema own it, declare it in the TypeScript schema, generate, and mark the statement generate writes as already applied (or make it IF NOT EXISTS)".to_string(),
            ),
            (None, _) => (
                format!(
                    "{what} was {verb} {statement}, but the snapshot still has it: the database does not"
                ),
                "remove it from the TypeScript schema and generate, so the snapshots agree with the SQL; or restore it with a custom migration (`drizzle-kit generate --custom`)".to_string(),
            ),
            (Some(x), _) => (
                format!(
                    "{what}: {x} was {verb} {statement} to what the database has ({}), but the snapshot says {}",
                    value_text(&f.live),
                    value_text(&f.snapshot)
                ),
                "make the TypeScript schema say what the SQL did and generate (then mark that migration applied), or change it back with a custom migration (`drizzle-kit generate --custom`)".to_string(),
            ),
        };
        refile(f, SQL_NOT_IN_SNAPSHOT, message, fix, &a.file, Some(e.line));
        if live_has_it == Some(true) || field.is_some() {
            f.severity = f.severity.min(Severity::Warning);
        }
        return;
    }
    let Some(m) = introduced else {
        return;
    };
    let own: Vec<&Event> = made_at.map(|at| &all[at].1).into_iter().collect();
    if let Some(e) = field.and_then(|x| own.iter().rev().find(|e| shows(dialect, e, f, x))) {
        // Its own statement wrote what the database has, not what its snapshot says.
        let a = &applied[m];
        let x = field.unwrap_or_default();
        let message = format!(
            "{}: {x} was written {} by {} line {}: `{}`, but its snapshot says {}",
            named(&key, &f.name),
            value_text(&f.live),
            a.tag,
            e.line,
            e.excerpt,
            value_text(&f.snapshot)
        );
        let fix = "make the TypeScript schema say what the SQL did and generate (then mark that migration applied), or change it with a custom migration (`drizzle-kit generate --custom`)".to_string();
        refile(f, SQL_NOT_IN_SNAPSHOT, message, fix, &a.file, Some(e.line));
        f.severity = f.severity.min(Severity::Warning);
        return;
    }
    if !own.is_empty() {
        // Its own SQL did it: what the database has instead is not the history's doing.
        return;
    }
    if field.is_some() && (m == 0 || value_at(m - 1).flatten().is_none()) {
        // The object itself first appears in this snapshot: its attribute can only be
        // the history's doing when this migration's SQL carried the object over (a table
        // renamed), not when no statement made it at all.
        let carried = all.iter().any(|(i, e)| {
            *i == m
                && e.kinds == [ObjectKind::Table]
                && matches!(e.change, Change::RenameTo(_))
                && e.name
                    .as_deref()
                    .zip(f.table.as_deref())
                    .is_some_and(|(a, b)| same_name(dialect, a, b))
        });
        if !carried {
            if let Some((i, e)) = made_before(dialect, f, &columns, all, m) {
                // An earlier statement made it and this migration's `CREATE … IF NOT
                // EXISTS` did nothing: the database has that statement's definition.
                let (a, x) = (&applied[i], field.unwrap_or_default());
                let message = format!(
                    "{}: {x} was written {} by {} line {}: `{}`; {} only re-creates it with IF NOT EXISTS, which does nothing when it exists, but its snapshot says {}",
                    named(&key, &f.name),
                    value_text(&f.live),
                    a.tag,
                    e.line,
                    e.excerpt,
                    applied[m].tag,
                    value_text(&f.snapshot)
                );
                let fix = "drop and re-create it in a custom migration (`drizzle-kit generate --custom`) to get the snapshot's definition, or make the TypeScript schema say what the database has and generate".to_string();
                refile(f, SQL_NOT_IN_SNAPSHOT, message, fix, &a.file, Some(e.line));
                f.severity = f.severity.min(Severity::Warning);
            }
            return;
        }
    }
    let a = &applied[m];
    let what = named(&key, &f.name);
    let message = match (field, live_has_it) {
        (None, Some(false)) => format!(
            "{what} is in the snapshot of {} but no statement of its SQL creates it (nor of any later applied migration): the database never had it",
            a.tag
        ),
        (None, _) => format!(
            "{what} was removed from the snapshot by {} but no statement of its SQL drops or renames it (nor of any later applied migration): the database still has it",
            a.tag
        ),
        (Some(x), _) => format!(
            "{what}: the snapshot of {} has {x} {}, but no statement of its SQL makes it so (nor of any later applied migration): the database has {}",
            a.tag,
            value_text(&f.snapshot),
            value_text(&f.live)
        ),
    };
    let fix = format!(
        "write the statement {} is missing in a custom migration (`drizzle-kit generate --custom`); or, if the database is right, change the TypeScript schema to match it and generate",
        a.tag
    );
    refile(f, SNAPSHOT_NOT_IN_SQL, message, fix, &a.file, None);
}

/// The statement of a migration before `m` that created the object of `f` (with no later
/// statement removing it): an object a custom migration made before any snapshot had it.
fn made_before<'e>(
    dialect: Dialect,
    f: &Finding,
    columns: &[String],
    all: &'e [(usize, Event)],
    m: usize,
) -> Option<(usize, &'e Event)> {
    let at = all.iter().rposition(|(i, e)| {
        *i < m
            && e.kinds != [ObjectKind::Table]
            && matches!(e.change, Change::Create)
            && touches(dialect, e, (f, columns), None, Some(true))
    })?;
    let removed = all[at + 1..]
        .iter()
        .any(|(_, e)| touches(dialect, e, (f, columns), None, Some(false)));
    (!removed).then(|| (all[at].0, &all[at].1))
}

/// Whether the statement of `e` spells the database's value of `field` (a type after the
/// column's name, a default, an index's WHERE, a foreign key's action): its SQL wrote what
/// the database has.
fn shows(dialect: Dialect, e: &Event, f: &Finding, field: &str) -> bool {
    if field == "not_null" && f.object == ObjectKind::Column {
        return shows_not_null(e, f);
    }
    if matches!(field, "on_delete" | "on_update") && f.object == ObjectKind::ForeignKey {
        return shows_action(dialect, e, f, field);
    }
    let Value::String(live) = &f.live else {
        return false;
    };
    let flat = |s: &str| {
        let s: String = s
            .to_lowercase()
            .chars()
            .filter(|c| *c != '"' && *c != '`' && (field != "collation" || *c != '\''))
            .collect();
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("( ", "(")
            .replace(" )", ")")
    };
    let (sql, live) = (flat(&e.sql), flat(live));
    // A column's own definition: from its name to the next comma outside parentheses.
    let sql = if f.object == ObjectKind::Column {
        match column_segment(&sql, &flat(spelled(e, f))) {
            Some(segment) => segment.to_string(),
            None => return false,
        }
    } else {
        sql
    };
    let needle = match field {
        "type" if f.object == ObjectKind::Column => format!("{} {live}", flat(spelled(e, f))),
        "default" => format!("default {live}"),
        "collation" => format!("collate {}", live.replace('\'', "")),
        "where" => format!("where {live}"),
        _ => return false,
    };
    sql.contains(&needle)
}

/// Whether the statement of `e` defines the foreign key with the action the database has:
/// its `ON DELETE`/`ON UPDATE` clause, or none, which is `NO ACTION` (drizzle-kit
/// 1.0.0-rc.5 leaves the clause out of a key it writes inside MySQL's CREATE TABLE).
fn shows_action(dialect: Dialect, e: &Event, f: &Finding, field: &str) -> bool {
    let Value::String(live) = &f.live else {
        return false;
    };
    let sql = e
        .sql
        .to_lowercase()
        .replace(['"', '`'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let key = format!("constraint {}", f.name.to_lowercase());
    let Some(definition) = column_segment(&sql, &key) else {
        return false;
    };
    let clause = if field == "on_delete" {
        "on delete "
    } else {
        "on update "
    };
    let written = match definition.find(clause) {
        Some(at) => {
            let words: Vec<&str> = definition[at + clause.len()..].split(' ').collect();
            match words.as_slice() {
                [first @ ("set" | "no"), second, ..] => format!("{first} {second}"),
                [first, ..] => first.to_string(),
                [] => return false,
            }
        }
        None => "no action".to_string(),
    };
    // InnoDB's RESTRICT is its NO ACTION (the catalog reader says so too).
    let written = match (dialect, written.as_str()) {
        (Dialect::Mysql, "restrict") => "no action".to_string(),
        _ => written,
    };
    written == live.to_lowercase()
}

/// The column's name as the statement of `e` spells it: a later rename does not change
/// the text of a CREATE TABLE written under the old name.
fn spelled<'e>(e: &'e Event, f: &'e Finding) -> &'e str {
    match (&e.written, e.kinds) {
        (Some(written), [ObjectKind::Column]) => written,
        _ => &f.name,
    }
}

/// Whether the statement of `e` made the column as nullable or not as the database has
/// it: `SET NOT NULL`/`DROP NOT NULL`, or a definition with or without `NOT NULL`.
fn shows_not_null(e: &Event, f: &Finding) -> bool {
    let Value::Bool(not_null) = f.live else {
        return false;
    };
    let sql = e
        .sql
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let sql = sql.replace(['"', '`'], "");
    let Some(segment) = column_segment(&sql, &spelled(e, f).to_lowercase()) else {
        return false;
    };
    let says_not_null = segment.contains("not null") && !segment.contains("drop not null");
    match e.change {
        Change::Alter(_) => segment.contains("not null") && says_not_null == not_null,
        Change::Create => (says_not_null || segment.contains("primary key")) == not_null,
        _ => false,
    }
}

/// The definition of column `name` in a flattened statement (see [`shows`]).
fn column_segment<'s>(sql: &'s str, name: &str) -> Option<&'s str> {
    let bytes = sql.as_bytes();
    let mut from = 0;
    while let Some(pos) = sql.get(from..)?.find(&format!("{name} ")) {
        let start = from + pos;
        let boundary = start == 0 || matches!(bytes[start - 1], b' ' | b'(' | b',');
        if boundary {
            let mut depth = 0i32;
            let end = sql[start..]
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' if depth == 0 => return true,
                        ')' => depth -= 1,
                        ',' if depth == 0 => return true,
                        _ => {}
                    }
                    false
                })
                .map_or(sql.len(), |(i, _)| start + i);
            return Some(&sql[start..end]);
        }
        from = start + name.len();
    }
    None
}

fn refile(
    f: &mut Finding,
    rule: &str,
    message: String,
    fix: String,
    file: &str,
    line: Option<u32>,
) {
    f.category = Category::History;
    f.rule = Some(rule.to_string());
    f.message = message;
    f.fix = Some(fix);
    f.location = Some(Origin {
        file: file.to_string(),
        line,
    });
}

/// The lineage of a history finding this module made, as the explorer shows it:
/// `created by 0006_rls.sql:14`, `in the snapshot of 0014_x, not in its SQL`.
pub fn lineage_text(f: &Finding) -> Option<String> {
    let rule = f.rule.as_deref()?;
    let loc = f.location.as_ref()?;
    let file = loc.file.rsplit(['/', '\\']).next().unwrap_or(&loc.file);
    match rule {
        SQL_NOT_IN_SNAPSHOT => {
            let at = loc.line.map(|l| format!(":{l}")).unwrap_or_default();
            let (verb, rest) = match (f.field.as_deref(), &f.live) {
                (Some("name"), _) if f.object != ObjectKind::PrimaryKey => {
                    ("named by", "not as the snapshot names it")
                }
                (Some(_), _) => ("changed by", "not in the snapshot"),
                (None, Value::Bool(true)) => ("created by", "in no snapshot"),
                (None, _) => ("dropped by", "still in the snapshot"),
            };
            Some(format!("{verb} {file}{at}, {rest}"))
        }
        SNAPSHOT_NOT_IN_SQL => {
            let tag = file.strip_suffix(".sql").unwrap_or(file);
            Some(format!("in the snapshot of {tag}, not in its SQL ({file})"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::history::statements;

    #[test]
    fn create_table_if_not_exists_is_a_noop_only_for_its_table() {
        // flowglad: a column later renamed to the name of a dropped one (externalId to id)
        // makes two `id` columns in one CREATE TABLE IF NOT EXISTS; the table was not there,
        // so the statement made everything in it, the unique constraint too.
        let sql = "CREATE TABLE IF NOT EXISTS \"t\" (\"id\" serial PRIMARY KEY, \"ext\" text, \"name\" text, CONSTRAINT \"t_ext_unique\" UNIQUE(\"ext\"));\n--> statement-breakpoint\nALTER TABLE \"t\" DROP COLUMN \"id\";\n--> statement-breakpoint\nALTER TABLE \"t\" RENAME COLUMN \"ext\" TO \"id\";\n--> statement-breakpoint\nCREATE TABLE IF NOT EXISTS \"t\" (\"id\" text);";
        let mut all: Vec<(usize, Event)> = events::events(Dialect::Postgresql, &statements(sql))
            .into_iter()
            .map(|e| (0, e))
            .collect();
        follow_renames(&mut all, Dialect::Postgresql);
        drop_noop_creates(&mut all, Dialect::Postgresql);
        let made: Vec<String> = all
            .iter()
            .filter(|(_, e)| e.change == Change::Create)
            .map(|(_, e)| format!("{}:{}", e.line, e.name.as_deref().unwrap_or("-")))
            .collect();
        // The first statement made all it says; the last found the table there: nothing.
        assert_eq!(
            made,
            ["1:t", "1:id", "1:-", "1:id", "1:name", "1:t_ext_unique"]
        );
    }

    #[test]
    fn a_column_definition_is_found_under_the_name_its_statement_wrote() {
        // garden-of-eden: `code` created with a hand-written COLLATE, then renamed to `id`;
        // the database's collation of `id` was written by the CREATE TABLE, not the rename.
        let sql = "CREATE TABLE `h` (\n\t`code` char(5) NOT NULL COLLATE 'utf8mb3_bin',\n\t`n` int\n);\n--> statement-breakpoint\nALTER TABLE `h` RENAME COLUMN `code` TO `id`;";
        let mut all: Vec<(usize, Event)> = events::events(Dialect::Mysql, &statements(sql))
            .into_iter()
            .map(|e| (0, e))
            .collect();
        follow_renames(&mut all, Dialect::Mysql);
        let finding = Finding {
            category: Category::Drift,
            severity: Severity::Error,
            object: ObjectKind::Column,
            schema: None,
            table: Some("h".into()),
            name: "id".into(),
            field: Some("collation".into()),
            ts: Value::Null,
            snapshot: Value::Null,
            live: Value::String("utf8mb3_bin".into()),
            message: String::new(),
            fix: None,
            location: None,
            rule: None,
            target: None,
        };
        let shown: Vec<u32> = all
            .iter()
            .filter(|(_, e)| {
                e.kinds == [ObjectKind::Column] && shows(Dialect::Mysql, e, &finding, "collation")
            })
            .map(|(_, e)| e.line)
            .collect();
        assert_eq!(shown, [1]);
    }
}
