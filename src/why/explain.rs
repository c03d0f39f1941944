//! For the object a database error names: where it exists (TS, each snapshot, the
//! applied snapshot, the database), which arrow broke, and the fix.

use super::parse::{Form, Parsed, Target};
use crate::engine::{self, Loaded};
use crate::model::{Dialect, QualifiedName, Schema};
use crate::report::{Category, Finding, ObjectKind, Report, Severity};
use crate::sources::history::History;
use serde::Serialize;
use std::path::Path;

/// Which arrow broke, as in DESIGN.md's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// In the TS schema, not in the latest snapshot: `drizzle-kit generate` not run.
    Ungenerated,
    /// In the latest snapshot, not applied to the database.
    Pending,
    /// In the snapshot of the last applied migration, missing from the database.
    Drift,
    /// A migration dropped it and the TS schema no longer declares it.
    Dropped,
    /// The database has it: the failing query comes from elsewhere.
    InSync,
    /// In the TS schema and the migrations; no database was read to say more.
    NotChecked,
    /// In no source at all.
    Nowhere,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ungenerated => "ungenerated",
            Verdict::Pending => "pending",
            Verdict::Drift => "drift",
            Verdict::Dropped => "dropped",
            Verdict::InSync => "in_sync",
            Verdict::NotChecked => "not_checked",
            Verdict::Nowhere => "nowhere",
        }
    }

    /// The arrow of DESIGN.md that broke, for the text view.
    pub fn arrow(self) -> Option<&'static str> {
        match self {
            Verdict::Ungenerated => Some("TS schema --generate--> snapshots"),
            Verdict::Pending => Some("snapshots --migrate--> database"),
            Verdict::Drift => Some("applied snapshot --> live database"),
            _ => None,
        }
    }
}

/// The object the explanation settled on, with names as the database spells them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Object {
    pub kind: ObjectKind,
    pub schema: String,
    /// The table of a column, or the table itself.
    pub table: Option<String>,
    pub name: String,
}

impl Object {
    /// `posts.views`, `auth.sessions`, `enum mood`.
    pub fn display(&self, dialect: Dialect) -> String {
        let schema = if self.schema.is_empty() || self.schema == dialect.default_schema() {
            String::new()
        } else {
            format!("{}.", self.schema)
        };
        match (self.kind, &self.table) {
            (ObjectKind::Column, Some(t)) => format!("{schema}{t}.{}", self.name),
            _ => format!("{schema}{}", self.name),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TsSide {
    pub present: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<crate::model::Origin>,
    /// The TypeScript property, when it differs from the database name (casing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistorySide {
    /// In the newest snapshot.
    pub present: bool,
    /// The migration whose snapshot added it last.
    pub created_by: Option<String>,
    /// The last migration that changed its definition (columns and enums).
    pub changed_by: Option<String>,
    /// The migration whose snapshot dropped it last.
    pub dropped_by: Option<String>,
    /// Tag of the newest migration.
    pub latest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveSide {
    pub present: bool,
    /// Redacted URL or captured catalog file.
    pub source: Option<String>,
    /// The newest applied migration (`null`: none).
    pub applied: Option<String>,
    /// In the snapshot of that migration.
    pub in_applied_snapshot: bool,
}

/// The answer to `why`, rendered as text, JSON and in the TUI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub version: u32,
    pub dialect: Dialect,
    pub error: Parsed,
    pub object: Object,
    pub verdict: Verdict,
    /// The highest severity of `findings`; `null` when `check` reports nothing for it.
    pub severity: Option<Severity>,
    /// `null` when the TypeScript schema was not read.
    pub ts: Option<TsSide>,
    pub history: HistorySide,
    /// `null` offline.
    pub live: Option<LiveSide>,
    pub message: String,
    pub fix: Option<String>,
    /// What else the evidence says (another schema, identifier case, an alias…).
    pub hints: Vec<String>,
    /// Closest existing names, for a `nowhere` verdict.
    pub suggestions: Vec<String>,
    /// `check`'s findings about this object.
    pub findings: Vec<Finding>,
    /// The project has no migrations (`drizzle-kit push`): the schema is the reference.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub push: bool,
}

impl Explanation {
    /// The arrow of DESIGN.md that broke; without migrations there is only push's.
    pub fn arrow(&self) -> Option<&'static str> {
        match self.verdict {
            Verdict::Drift if self.push => Some("TS schema --push--> database"),
            v => v.arrow(),
        }
    }
}

/// Every source, for lookups.
struct Sources<'a> {
    dialect: Dialect,
    ts: Option<&'a Schema>,
    snapshots: Vec<Option<Schema>>,
    tags: Vec<String>,
    applied: Option<Option<usize>>,
    live: Option<&'a Schema>,
}

impl Sources<'_> {
    fn all(&self) -> impl Iterator<Item = &Schema> {
        self.ts
            .into_iter()
            .chain(self.live)
            .chain(self.snapshots.iter().rev().flatten())
    }

    fn latest(&self) -> Option<&Schema> {
        self.snapshots.last().and_then(Option::as_ref)
    }
}

/// What an explanation reads: the sources as `check` loaded them, and its report.
pub struct Context<'a> {
    pub dialect: Dialect,
    /// The project folder: locations are shown relative to it.
    pub root: &'a Path,
    pub history: &'a History,
    pub ts: Option<&'a Schema>,
    pub latest: Option<&'a Schema>,
    pub live: Option<&'a Schema>,
    /// Redacted URL or captured catalog file.
    pub live_label: Option<&'a str>,
    /// The database the catalog was read from (a MySQL error names its own).
    pub database: Option<&'a str>,
    pub report: &'a Report,
}

impl<'a> Context<'a> {
    pub fn of(loaded: &'a Loaded, report: &'a Report) -> Context<'a> {
        Context {
            dialect: loaded.config.dialect,
            root: &loaded.config.root,
            history: &loaded.history,
            ts: loaded.ts.as_ref(),
            latest: loaded.latest.as_ref(),
            live: loaded.live.as_ref(),
            live_label: loaded.live_label.as_deref(),
            database: loaded.catalog.as_ref().map(|c| c.database.as_str()),
            report,
        }
    }
}

/// Explain `parsed`. Reads every snapshot of the history (file I/O): run it off the
/// render path.
pub fn explain(ctx: &Context, parsed: &Parsed) -> Explanation {
    let dialect = ctx.dialect;
    let mut diagnostics = Vec::new();
    let count = ctx.history.migrations.len();
    let snapshots: Vec<Option<Schema>> = (0..count)
        .map(|i| {
            if i + 1 == count {
                ctx.latest.cloned()
            } else {
                engine::snapshot_at(ctx.history, i, &mut diagnostics)
            }
        })
        .collect();
    let applied = ctx.live.map(|_| {
        ctx.report
            .sources
            .applied
            .as_ref()
            .and_then(|t| ctx.history.position(t))
    });
    let sources = Sources {
        dialect,
        ts: ctx.ts,
        snapshots,
        tags: ctx
            .history
            .migrations
            .iter()
            .map(|m| m.tag.clone())
            .collect(),
        applied,
        live: ctx.live,
    };
    let mut hints = Vec::new();
    let object = resolve(&sources, parsed, &mut hints);
    let mut e = build(&sources, ctx, parsed, object, hints);
    if parsed.form.is_mysql() {
        mysql_database_hint(&mut e, parsed, ctx);
    }
    e
}

/// Pick the object the error means among every source, noting how the names differ.
fn resolve(s: &Sources, parsed: &Parsed, hints: &mut Vec<String>) -> Object {
    let default = s.dialect.default_schema();
    // A MySQL qualifier is the database, not a schema.
    let schema_of = |q: &Option<String>| {
        if s.dialect == Dialect::Mysql {
            None
        } else {
            q.clone()
        }
    };
    match &parsed.target {
        Target::Table { schema, table } => {
            let schema = schema_of(schema);
            let (name, case) = table_named(s, schema.as_deref(), table);
            if let Some(name) = name {
                note_case(case, table, &name.name, hints);
                note_schema(s, schema.as_deref(), &name, hints);
                return Object {
                    kind: ObjectKind::Table,
                    schema: name.schema,
                    table: Some(name.name.clone()),
                    name: name.name,
                };
            }
            Object {
                kind: ObjectKind::Table,
                schema: schema.unwrap_or_else(|| default.to_string()),
                table: Some(table.clone()),
                name: table.clone(),
            }
        }
        Target::Type { schema, name } => {
            let wanted = schema.clone();
            let found = find_name(
                s.all().flat_map(|x| x.enums.keys()),
                wanted.as_deref(),
                name,
                default,
            );
            let (schema, name) = match found {
                Some((q, case)) => {
                    note_case(case, name, &q.name, hints);
                    note_schema(s, wanted.as_deref(), &q, hints);
                    (q.schema, q.name)
                }
                None => (wanted.unwrap_or_else(|| default.to_string()), name.clone()),
            };
            Object {
                kind: ObjectKind::Enum,
                schema,
                table: None,
                name,
            }
        }
        Target::Column {
            schema,
            table,
            column,
        } => {
            let schema = schema_of(schema);
            let mut tables: Vec<QualifiedName> = Vec::new();
            if let Some(t) = table {
                let (name, case) = table_named(s, schema.as_deref(), t);
                match name {
                    Some(name) => {
                        note_case(case, t, &name.name, hints);
                        note_schema(s, schema.as_deref(), &name, hints);
                        tables.push(name);
                    }
                    None => hints.push(format!(
                        "`{t}` is no table in any source: read it as an alias in the query"
                    )),
                }
            }
            let constrained = !tables.is_empty();
            if !constrained {
                tables = table_names(s);
            }
            // Tables having the column, exact name first, then ignoring case.
            let with = |exact: bool| -> Vec<(QualifiedName, String)> {
                let mut out: Vec<(QualifiedName, String)> = Vec::new();
                for q in &tables {
                    for schema in s.all() {
                        let Some(t) = schema.tables.get(q) else {
                            continue;
                        };
                        let hit = t.columns.iter().find(|c| {
                            if exact {
                                c.name == *column
                            } else {
                                c.name.eq_ignore_ascii_case(column)
                            }
                        });
                        if let Some(c) = hit {
                            if !out.iter().any(|(o, _)| o == q) {
                                out.push((q.clone(), c.name.clone()));
                            }
                        }
                    }
                }
                out
            };
            let mut found = with(true);
            if found.is_empty() {
                found = with(false);
            }
            // The database lacks it (that is what the error says): prefer such a table.
            found.sort_by_key(|(q, c)| {
                (
                    s.live
                        .is_some_and(|l| l.tables.get(q).is_some_and(|t| t.column(c).is_some())),
                    q.schema != default,
                )
            });
            if let Some((q, c)) = found.first().cloned() {
                note_case(found.first().map(|(_, c)| c != column), column, &c, hints);
                if !constrained && found.len() > 1 {
                    let others: Vec<String> =
                        found[1..].iter().map(|(q, _)| q.to_string()).collect();
                    hints.push(format!(
                        "`{c}` is also a column of {}: the error does not say which table",
                        others.join(", ")
                    ));
                }
                return Object {
                    kind: ObjectKind::Column,
                    schema: q.schema,
                    table: Some(q.name),
                    name: c,
                };
            }
            let table = tables
                .first()
                .filter(|_| constrained)
                .cloned()
                .unwrap_or_else(|| {
                    QualifiedName::new(
                        schema.unwrap_or_else(|| default.to_string()),
                        table.clone().unwrap_or_default(),
                    )
                });
            Object {
                kind: ObjectKind::Column,
                schema: table.schema,
                table: (!table.name.is_empty()).then_some(table.name),
                name: column.clone(),
            }
        }
    }
}

fn table_names(s: &Sources) -> Vec<QualifiedName> {
    let mut names: Vec<QualifiedName> = s.all().flat_map(|x| x.tables.keys().cloned()).collect();
    names.sort();
    names.dedup();
    names
}

/// The table named `name` in any source; the flag says the case differed.
fn table_named(
    s: &Sources,
    schema: Option<&str>,
    name: &str,
) -> (Option<QualifiedName>, Option<bool>) {
    match find_name(
        s.all().flat_map(|x| x.tables.keys()),
        schema,
        name,
        s.dialect.default_schema(),
    ) {
        Some((q, case)) => (Some(q), case),
        None => (None, None),
    }
}

/// Exact name first (in `schema`, else the default schema, else any), then ignoring case.
fn find_name<'a>(
    names: impl Iterator<Item = &'a QualifiedName>,
    schema: Option<&str>,
    name: &str,
    default: &str,
) -> Option<(QualifiedName, Option<bool>)> {
    let names: Vec<&QualifiedName> = names.collect();
    for exact in [true, false] {
        let matches = |q: &&&QualifiedName| {
            if exact {
                q.name == name
            } else {
                q.name.eq_ignore_ascii_case(name)
            }
        };
        let pick = schema
            .and_then(|sc| names.iter().filter(matches).find(|q| q.schema == sc))
            .or_else(|| names.iter().filter(matches).find(|q| q.schema == default))
            .or_else(|| names.iter().find(matches));
        if let Some(q) = pick {
            return Some(((*q).clone(), Some(!exact)));
        }
    }
    None
}

fn note_case(case: Option<bool>, written: &str, real: &str, hints: &mut Vec<String>) {
    if case == Some(true) {
        hints.push(format!(
            "the error names `{written}` but the object is spelled `{real}`: PostgreSQL folds unquoted identifiers to lower case, so a mixed-case name must be quoted in SQL (\"{real}\")"
        ));
    }
}

fn note_schema(s: &Sources, wanted: Option<&str>, found: &QualifiedName, hints: &mut Vec<String>) {
    if s.dialect == Dialect::Mysql {
        return;
    }
    let default = s.dialect.default_schema();
    match wanted {
        Some(w) if w != found.schema => hints.push(format!(
            "the error names schema `{w}` but the object lives in `{}` (pgSchema(\"{}\") in the TS schema)",
            found.schema, found.schema
        )),
        None if found.schema != default => hints.push(format!(
            "it lives in schema `{}`: an unqualified name is looked up on the search_path (usually `{default}` only), so the query must say `{}` or the connection must set search_path",
            found.schema, found
        )),
        _ => {}
    }
}

fn present(schema: &Schema, o: &Object) -> bool {
    let q = QualifiedName::new(o.schema.clone(), o.table.clone().unwrap_or_default());
    match o.kind {
        ObjectKind::Table => schema.tables.contains_key(&q),
        ObjectKind::Column => schema
            .tables
            .get(&q)
            .is_some_and(|t| t.column(&o.name).is_some()),
        ObjectKind::Enum => schema
            .enums
            .contains_key(&QualifiedName::new(o.schema.clone(), o.name.clone())),
        _ => false,
    }
}

/// The object's definition without where it was written, to see whether it changed.
fn definition(schema: &Schema, o: &Object) -> Option<String> {
    match o.kind {
        ObjectKind::Column => {
            let q = QualifiedName::new(o.schema.clone(), o.table.clone().unwrap_or_default());
            let mut c = schema.tables.get(&q)?.column(&o.name)?.clone();
            c.origin = None;
            serde_json::to_string(&c).ok()
        }
        ObjectKind::Enum => {
            let mut e = schema
                .enums
                .get(&QualifiedName::new(o.schema.clone(), o.name.clone()))?
                .clone();
            e.origin = None;
            serde_json::to_string(&e).ok()
        }
        _ => None,
    }
}

fn history_side(s: &Sources, o: &Object) -> HistorySide {
    let mut side = HistorySide {
        present: s.latest().is_some_and(|l| present(l, o)),
        created_by: None,
        changed_by: None,
        dropped_by: None,
        latest: s.tags.last().cloned(),
    };
    let mut before: Option<(bool, Option<String>)> = None;
    for (i, snapshot) in s.snapshots.iter().enumerate() {
        // An unreadable snapshot says nothing either way.
        let Some(snapshot) = snapshot else { continue };
        let now = present(snapshot, o);
        let def = definition(snapshot, o);
        let was = before.as_ref().is_some_and(|(p, _)| *p);
        if now && !was {
            side.created_by = Some(s.tags[i].clone());
            side.changed_by = None;
        } else if !now && was {
            side.dropped_by = Some(s.tags[i].clone());
        } else if now && before.as_ref().is_some_and(|(_, d)| *d != def) {
            side.changed_by = Some(s.tags[i].clone());
        }
        before = Some((now, def));
    }
    if side.present {
        side.dropped_by = None;
    }
    side
}

fn build(
    s: &Sources,
    ctx: &Context,
    parsed: &Parsed,
    object: Object,
    mut hints: Vec<String>,
) -> Explanation {
    let dialect = s.dialect;
    let what = format!("{} {}", object.kind.noun(), object.display(dialect));
    let ts = s.ts.map(|ts| {
        let present = present(ts, &object);
        let location = present.then(|| ts_origin(ts, &object, ctx.root)).flatten();
        let property = location
            .as_ref()
            .and_then(|l| ts_property(ctx.root, l))
            .filter(|p| object.kind == ObjectKind::Column && *p != object.name);
        TsSide {
            present,
            location,
            property,
        }
    });
    let history = history_side(s, &object);
    let applied_snapshot = |i: Option<usize>| match i {
        None => false,
        Some(i) => s
            .snapshots
            .get(i)
            .and_then(Option::as_ref)
            .is_some_and(|x| present(x, &object)),
    };
    let report = ctx.report;
    let live = s.live.map(|l| LiveSide {
        present: present(l, &object),
        source: ctx.live_label.map(str::to_string),
        applied: report.sources.applied.clone(),
        in_applied_snapshot: applied_snapshot(s.applied.flatten()),
    });
    let findings: Vec<Finding> = report
        .findings
        .iter()
        .filter(|f| about(f, &object))
        .cloned()
        .collect();
    let severity = findings.iter().map(|f| f.severity).max();
    let finding_fix = |category: Category| {
        findings
            .iter()
            .find(|f| f.category == category && f.field.is_none())
            .and_then(|f| f.fix.clone())
    };
    let in_ts = ts.as_ref().is_some_and(|t| t.present);
    let at_ts = ts
        .as_ref()
        .and_then(|t| t.location.as_ref())
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    let live_label = ctx.live_label.unwrap_or("the database").to_string();
    let latest = history.latest.clone().unwrap_or_else(|| "none".into());
    let push = report.sources.push;
    let mut suggestions = Vec::new();

    let (verdict, message, fix) = match &live {
        Some(l) if l.present => {
            let mut absent = Vec::new();
            if ts.as_ref().is_some_and(|t| !t.present) {
                absent.push("the TS schema");
            }
            if !history.present && !push {
                absent.push("the latest snapshot");
            }
            let agree = if absent.is_empty() && push {
                "and agrees with the TS schema (the project has no migrations)".to_string()
            } else if absent.is_empty() {
                "and agrees with the TS schema and the migrations".to_string()
            } else {
                format!("(it is not in {})", absent.join(" or "))
            };
            in_sync_hints(parsed, &object, &live_label, &mut hints);
            (
                Verdict::InSync,
                format!("{what} exists in {live_label} {agree}: the failing query is not explained by the schema"),
                None,
            )
        }
        Some(l) if l.in_applied_snapshot => {
            let applied = l.applied.clone().unwrap_or_default();
            let check_fix = finding_fix(Category::Drift);
            // `check` writes forward SQL for PostgreSQL only; otherwise the migration's own
            // statement is the exact fix.
            let fix = check_fix
                .clone()
                .filter(|f| f.contains("ALTER ") || f.contains("CREATE "))
                .or_else(|| {
                    let tag = history.created_by.as_deref()?;
                    let (sql, at) = creating_statement(ctx, tag, &object)?;
                    Some(format!(
                        "run again the statement of {tag} that created it ({at}):\n  {sql}"
                    ))
                })
                .or(check_fix)
                .unwrap_or_else(|| {
                    "restore it with forward SQL, or re-baseline the migrations".into()
                });
            (
                Verdict::Drift,
                format!(
                    "{what} is in the snapshot of {applied}, the last migration applied to {live_label}{}, but the database does not have it: it was dropped or renamed by hand or by `drizzle-kit push`",
                    history
                        .created_by
                        .as_ref()
                        .map(|c| format!(" (created by {c})"))
                        .unwrap_or_default()
                ),
                Some(fix),
            )
        }
        Some(l) if history.present => {
            let creates = history.created_by.clone().unwrap_or_else(|| latest.clone());
            let applied = l
                .applied
                .clone()
                .map(|a| format!("the database is at {a}"))
                .unwrap_or_else(|| "no migration is applied".into());
            (
                Verdict::Pending,
                format!("{what} is created by migration {creates}, which is not applied to {live_label}: {applied}"),
                Some(format!(
                    "apply the pending migrations (`npx drizzle-kit migrate`, or the app's migrate()): {creates} creates it"
                )),
            )
        }
        Some(_) if push && in_ts => (
            Verdict::Drift,
            format!(
                "{what} is declared in the TS schema{at_ts} but not in {live_label}, and the project has no migrations: the schema was not pushed"
            ),
            Some(finding_fix(Category::Drift).unwrap_or_else(|| {
                "run `npx drizzle-kit push` (or generate and apply migrations)".into()
            })),
        ),
        None if push && in_ts => (
            Verdict::NotChecked,
            format!(
                "{what} is declared in the TS schema{at_ts}; the project has no migrations and no database was read, so whether it was pushed is unknown"
            ),
            Some("run `drizzle-drift why` against the database (--url or --catalog)".into()),
        ),
        _ if in_ts && !history.present => (
            Verdict::Ungenerated,
            format!(
                "{what} is declared in the TS schema{at_ts} but in no migration (latest snapshot: {latest}): `drizzle-kit generate` was not run after it was added{}",
                history
                    .dropped_by
                    .as_ref()
                    .map(|d| format!("; migration {d} dropped it before"))
                    .unwrap_or_default()
            ),
            Some(finding_fix(Category::Ungenerated).unwrap_or_else(|| {
                "run `npx drizzle-kit generate`, review the new migration, then apply it (`npx drizzle-kit migrate`)".into()
            })),
        ),
        None if history.present => (
            Verdict::NotChecked,
            format!(
                "{what} is {}created by migration {}; no database was read, so whether that migration is applied is unknown",
                if in_ts { "declared in the TS schema and " } else { "" },
                history.created_by.clone().unwrap_or(latest.clone())
            ),
            Some(format!(
                "run `drizzle-drift why` against the database (--url or --catalog): if {} is not applied, run the migrator",
                history.created_by.clone().unwrap_or(latest)
            )),
        ),
        _ if history.dropped_by.is_some() => {
            let by = history.dropped_by.clone().unwrap_or_default();
            (
                Verdict::Dropped,
                format!("{what} was dropped on purpose by migration {by} and is no longer in the TS schema, but the failing query still uses it"),
                Some(format!(
                    "remove it from the query (raw SQL, or code deployed before {by}); to keep it, declare it again in the TS schema and run `npx drizzle-kit generate`"
                )),
            )
        }
        _ => {
            suggestions = closest(s, &object);
            let fix = if suggestions.is_empty() {
                None
            } else {
                Some(format!("did you mean {}?", suggestions.join(", ")))
            };
            (
                Verdict::Nowhere,
                format!(
                    "{what} is in no source: not in the TS schema, no migration ever created it{}",
                    if s.live.is_some() { ", and the database does not have it" } else { "" }
                ),
                fix,
            )
        }
    };
    // What `check` says about it beyond the verdict (an extra column, a changed type…).
    let said = match verdict {
        Verdict::Ungenerated => Some(Category::Ungenerated),
        Verdict::Pending => Some(Category::Pending),
        Verdict::Drift => Some(Category::Drift),
        _ => None,
    };
    for f in &findings {
        if Some(f.category) != said || f.field.is_some() {
            hints.push(format!(
                "check reports {}: {}",
                f.category.as_str(),
                f.message
            ));
        }
    }
    Explanation {
        version: 1,
        dialect,
        error: parsed.clone(),
        object,
        verdict,
        severity,
        ts,
        history,
        live,
        message,
        fix,
        hints,
        suggestions,
        findings,
        push,
    }
}

fn about(f: &Finding, o: &Object) -> bool {
    let schema_ok = f.schema.as_deref().unwrap_or_default() == o.schema
        || (f.schema.is_none() && o.schema.is_empty());
    schema_ok
        && f.object == o.kind
        && f.name == o.name
        && (o.kind == ObjectKind::Enum || f.table == o.table)
}

/// The statement of migration `tag` that created the object, and where it is.
fn creating_statement(ctx: &Context, tag: &str, o: &Object) -> Option<(String, String)> {
    let m = &ctx.history.migrations[ctx.history.position(tag)?];
    let text = std::fs::read_to_string(&m.sql_path).ok()?;
    let quoted = |name: &str| [format!("\"{name}\""), format!("`{name}`")];
    let names = |name: &str, sql: &str| quoted(name).iter().any(|q| sql.contains(q.as_str()));
    let hit = crate::sources::history::statements(&text)
        .into_iter()
        .flat_map(|st| {
            // A chunk may hold several statements when drizzle-kit left out a breakpoint.
            st.sql
                .split_inclusive(';')
                .map(|s| (s.trim().to_string(), st.line))
                .collect::<Vec<_>>()
        })
        .find(|(sql, _)| {
            let upper = sql.to_ascii_uppercase();
            match o.kind {
                ObjectKind::Column => {
                    upper.starts_with("ALTER TABLE")
                        && upper.contains(" ADD ")
                        && o.table.as_deref().is_some_and(|t| names(t, sql))
                        && names(&o.name, sql)
                }
                ObjectKind::Table => upper.starts_with("CREATE TABLE") && names(&o.name, sql),
                ObjectKind::Enum => upper.starts_with("CREATE TYPE") && names(&o.name, sql),
                _ => false,
            }
        })?;
    let file = m
        .sql_path
        .strip_prefix(ctx.root)
        .unwrap_or(&m.sql_path)
        .display()
        .to_string();
    Some((hit.0, format!("{file}:{}", hit.1)))
}

fn ts_origin(ts: &Schema, o: &Object, root: &Path) -> Option<crate::model::Origin> {
    let origin = match o.kind {
        ObjectKind::Enum => ts
            .enums
            .get(&QualifiedName::new(o.schema.clone(), o.name.clone()))?
            .origin
            .as_ref(),
        _ => crate::diff::objects::origin(
            ts,
            &QualifiedName::new(o.schema.clone(), o.table.clone().unwrap_or_default()),
            o.kind,
            &o.name,
        ),
    }?;
    let file = std::path::Path::new(&origin.file);
    Some(crate::model::Origin {
        file: file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string(),
        line: origin.line,
    })
}

/// The property key on the declaration line (`firstName: text()` → `firstName`).
fn ts_property(root: &Path, at: &crate::model::Origin) -> Option<String> {
    let line = at.line? as usize;
    let text = std::fs::read_to_string(root.join(&at.file)).ok()?;
    let code = text.lines().nth(line.checked_sub(1)?)?;
    let (key, _) = code.split_once(':')?;
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$'))
    .then(|| key.to_string())
}

fn in_sync_hints(parsed: &Parsed, o: &Object, live: &str, hints: &mut Vec<String>) {
    if let (Target::Column { table: None, .. }, Some(t)) = (&parsed.target, &o.table) {
        hints.push(format!(
            "the error does not name a table: check that the query selects from `{t}` and not from another table or subquery"
        ));
    }
    if parsed.form != Form::MysqlNoTable {
        hints.push(format!(
            "the query that failed is not the schema's: look for raw SQL (sql``, db.execute) spelling it differently, a connection with another search_path, or an application pointed at another database than {live}"
        ));
    } else {
        hints.push(format!(
            "the application may be connected to another database than {live}"
        ));
    }
}

fn mysql_database_hint(e: &mut Explanation, parsed: &Parsed, ctx: &Context) {
    let wanted = match &parsed.target {
        Target::Table {
            schema: Some(db), ..
        } => db,
        _ => return,
    };
    if let Some(database) = ctx.database {
        if !database.eq_ignore_ascii_case(wanted) {
            e.hints.insert(
                0,
                format!(
                    "the error comes from database `{wanted}`, but drizzle-drift read `{database}`: the application connects to a different database than the URL"
                ),
            );
        }
    }
}

/// The nearest names of the same kind, by edit distance (at most 3).
fn closest(s: &Sources, o: &Object) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for schema in s.all() {
        match o.kind {
            ObjectKind::Table => names.extend(schema.tables.keys().map(|q| q.name.clone())),
            ObjectKind::Enum => names.extend(schema.enums.keys().map(|q| q.name.clone())),
            _ => {
                for (q, t) in &schema.tables {
                    if o.table.as_ref().is_none_or(|name| *name == q.name) {
                        names.extend(t.columns.iter().map(|c| match &o.table {
                            Some(_) => c.name.clone(),
                            None => format!("{}.{}", q.name, c.name),
                        }));
                    }
                }
                if o.table.is_some() && names.is_empty() {
                    for (q, t) in &schema.tables {
                        names.extend(t.columns.iter().map(|c| format!("{}.{}", q.name, c.name)));
                    }
                }
            }
        }
    }
    names.sort();
    names.dedup();
    let target = o.name.to_lowercase();
    let limit = (target.chars().count() / 3).clamp(1, 3);
    let mut scored: Vec<(usize, String)> = names
        .into_iter()
        .map(|n| {
            let bare = n.rsplit('.').next().unwrap_or(&n).to_lowercase();
            (distance(&bare, &target), n)
        })
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// Edit distance over characters, a swap of two neighbours counting one (typos).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn distance() {
        assert_eq!(super::distance("views", "veiws"), 1);
        assert_eq!(super::distance("slug", "slgu"), 1);
        assert_eq!(super::distance("comments", "coments"), 1);
        assert_eq!(super::distance("", "abc"), 3);
    }
}
