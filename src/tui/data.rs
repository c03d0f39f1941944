//! What the screens show, derived once from a built `Report` and the per-source models:
//! the table list with a status per table, the findings grouped by category, and (per
//! selected table) the rows of the three aligned panes and the detail of one object.

use crate::diff::objects::{flatten_part, parts, Object, ObjectKey, Objects, Part};
use crate::model::{Origin, QualifiedName, Schema};
use crate::report::{Category, Finding, ObjectKind, Report};
use crate::sources::history::History;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A table's overall state, worst first when sorted descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    InSync,
    Pending,
    Lint,
    History,
    Ungenerated,
    Drift,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::InSync => "sync",
            Status::Pending => "pending",
            Status::Lint => "lint",
            Status::History => "history",
            Status::Ungenerated => "ungen",
            Status::Drift => "drift",
        }
    }

    fn of(category: Category) -> Status {
        match category {
            Category::Ungenerated => Status::Ungenerated,
            Category::Pending => Status::Pending,
            Category::Drift => Status::Drift,
            Category::History => Status::History,
            Category::Lint => Status::Lint,
        }
    }
}

/// The order categories are listed in: what breaks the running application first.
pub const CATEGORY_ORDER: [Category; 5] = [
    Category::Drift,
    Category::Ungenerated,
    Category::History,
    Category::Pending,
    Category::Lint,
];

pub fn category_index(c: Category) -> usize {
    CATEGORY_ORDER.iter().position(|x| *x == c).unwrap_or(0)
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub name: QualifiedName,
    pub status: Status,
    /// Findings per category, in `CATEGORY_ORDER`.
    pub counts: [usize; 5],
    pub findings: usize,
}

/// One of the three sources, in pane order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Ts,
    Snapshot,
    Live,
}

impl Side {
    pub const ALL: [Side; 3] = [Side::Ts, Side::Snapshot, Side::Live];

    pub fn index(self) -> usize {
        match self {
            Side::Ts => 0,
            Side::Snapshot => 1,
            Side::Live => 2,
        }
    }

    /// Does this pane show what `source` reads? (The config decides what the
    /// TypeScript pane reads.)
    pub fn reads(self, source: crate::diagnostic::Source) -> bool {
        use crate::diagnostic::Source;
        matches!(
            (self, source),
            (Side::Ts, Source::Ts | Source::Config)
                | (Side::Snapshot, Source::Snapshot)
                | (Side::Live, Source::Live)
        )
    }

    pub fn title(self) -> &'static str {
        match self {
            Side::Ts => "TypeScript",
            Side::Snapshot => "Snapshot",
            Side::Live => "Live",
        }
    }
}

/// The mark of a differing cell: readable without color.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Present here, missing from another loaded source.
    Added,
    /// Missing here, present in another loaded source.
    Missing,
    /// Present everywhere, an attribute differs.
    Differs,
    /// A pending migration will change it.
    Pending,
}

impl Mark {
    pub fn glyph(self) -> char {
        match self {
            Mark::Added => '+',
            Mark::Missing => '-',
            Mark::Differs => '~',
            Mark::Pending => '!',
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// The source is not loaded.
    NotLoaded,
    /// The source has no such object.
    Absent,
    Present(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: CellValue,
    pub mark: Option<Mark>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectRow {
    pub key: ObjectKey,
    pub label: String,
    pub cells: [Cell; 3],
    /// Indexes into `report.findings`.
    pub findings: Vec<usize>,
    /// With several databases side by side: each one's Live cell, marked against its
    /// own comparison (see [`Data::pane_rows_with`]).
    pub lives: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PaneRow {
    Section(&'static str),
    Object(Box<ObjectRow>),
}

impl PaneRow {
    pub fn object(&self) -> Option<&ObjectRow> {
        match self {
            PaneRow::Object(o) => Some(o),
            PaneRow::Section(_) => None,
        }
    }
}

/// A line of the Findings screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingLine {
    Header(Category, usize),
    Item(usize),
}

pub struct Data {
    pub report: Report,
    /// The project folder: origins are shown relative to it.
    pub root: PathBuf,
    /// The TypeScript schema (no reader yet: always `None`).
    pub ts: Option<Arc<Schema>>,
    pub latest: Option<Arc<Schema>>,
    pub live: Option<Schema>,
    /// The project's sources are shared by every database's `Data` (several targets).
    pub history: Option<Arc<History>>,
    /// Why the live side is missing, when it failed to load.
    pub live_error: Option<String>,
    /// The database the catalog was read from.
    pub database: Option<String>,
    pub tables: Vec<TableRow>,
    pub finding_lines: Vec<FindingLine>,
    by_table: HashMap<QualifiedName, Vec<usize>>,
    /// The files this load read, watched for the next reload.
    pub watched: crate::watch::Targets,
    /// `--base`: the base's migrations compared with this branch's (its findings are in
    /// `report` too), or why they could not be read.
    pub base: Option<Result<Arc<crate::diff::base::Base>, String>>,
}

/// The table a finding is about, if any.
pub fn finding_table(f: &Finding) -> Option<QualifiedName> {
    f.table
        .as_ref()
        .map(|t| QualifiedName::new(f.schema.clone().unwrap_or_default(), t.clone()))
}

impl Data {
    pub fn new(
        report: Report,
        root: PathBuf,
        latest: Option<Arc<Schema>>,
        live: Option<Schema>,
        history: Option<Arc<History>>,
    ) -> Data {
        let mut by_table: HashMap<QualifiedName, Vec<usize>> = HashMap::new();
        for (i, f) in report.findings.iter().enumerate() {
            if let Some(t) = finding_table(f) {
                by_table.entry(t).or_default().push(i);
            }
        }
        let mut names: BTreeSet<QualifiedName> = BTreeSet::new();
        for s in [latest.as_deref(), live.as_ref()].into_iter().flatten() {
            names.extend(s.tables.keys().cloned());
        }
        names.extend(by_table.keys().cloned());
        let tables = names
            .into_iter()
            .map(|name| {
                let mut counts = [0usize; 5];
                let mut status = Status::InSync;
                let idx = by_table.get(&name).map(Vec::as_slice).unwrap_or(&[]);
                for &i in idx {
                    let c = report.findings[i].category;
                    counts[category_index(c)] += 1;
                    status = status.max(Status::of(c));
                }
                TableRow {
                    name,
                    status,
                    counts,
                    findings: idx.len(),
                }
            })
            .collect();
        let mut finding_lines = Vec::new();
        for c in CATEGORY_ORDER {
            let items: Vec<usize> = report
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.category == c)
                .map(|(i, _)| i)
                .collect();
            if !items.is_empty() {
                finding_lines.push(FindingLine::Header(c, items.len()));
                finding_lines.extend(items.into_iter().map(FindingLine::Item));
            }
        }
        Data {
            report,
            root,
            ts: None,
            latest,
            live,
            history,
            live_error: None,
            database: None,
            tables,
            finding_lines,
            by_table,
            watched: crate::watch::Targets::default(),
            base: None,
        }
    }

    pub fn table_findings(&self, table: &QualifiedName) -> &[usize] {
        self.by_table.get(table).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The pane every other pane's marks are relative to; `None` with only the database.
    pub fn reference(&self) -> Option<Side> {
        reference_index(|i| self.schema(Side::ALL[i]).is_some()).map(|i| Side::ALL[i])
    }

    fn schema(&self, side: Side) -> Option<&Schema> {
        match side {
            Side::Ts => self.ts.as_deref(),
            Side::Snapshot => self.latest.as_deref(),
            Side::Live => self.live.as_ref(),
        }
    }

    /// One table of one source, flattened (`None`: the source is not loaded).
    fn table_objects(&self, side: Side, table: &QualifiedName) -> Option<Objects> {
        Some(flatten_part(self.schema(side)?, Part::table(table)))
    }

    /// The aligned rows of the three panes for `table`: the table itself, its columns (in
    /// declaration order, then columns only the database has), then keys, indexes and
    /// constraints, each under a section header. Every row has a cell in every pane.
    pub fn pane_rows(&self, table: &QualifiedName) -> Vec<PaneRow> {
        self.pane_rows_with(table, &[])
    }

    /// [`Data::pane_rows`] with a Live cell per database of `lives` (`None`: not read):
    /// the rows of every object any of them has, each database's cell from its own
    /// comparison (its findings, its pending migrations).
    pub fn pane_rows_with(&self, table: &QualifiedName, lives: &[Option<&Data>]) -> Vec<PaneRow> {
        let objects: [Option<Objects>; 3] = Side::ALL.map(|s| self.table_objects(s, table));
        let others: Vec<Option<[Option<Objects>; 3]>> = lives
            .iter()
            .map(|d| d.map(|d| Side::ALL.map(|s| d.table_objects(s, table))))
            .collect();
        let mut keys: Vec<ObjectKey> = Vec::new();
        let push = |k: &ObjectKey, keys: &mut Vec<ObjectKey>| {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        };
        let table_key = ObjectKey {
            schema: table.schema.clone(),
            table: Some(table.name.clone()),
            kind: ObjectKind::Table,
            name: table.name.clone(),
        };
        keys.push(table_key);
        // Columns: model order (declaration / ordinal), TS first, then snapshot, then live.
        let schemas = Side::ALL
            .into_iter()
            .map(|side| self.schema(side))
            .chain(lives.iter().map(|d| d.and_then(|d| d.live.as_ref())));
        for schema in schemas {
            if let Some(t) = schema.and_then(|s| s.tables.get(table)) {
                for c in &t.columns {
                    push(
                        &ObjectKey {
                            schema: table.schema.clone(),
                            table: Some(table.name.clone()),
                            kind: ObjectKind::Column,
                            name: c.name.clone(),
                        },
                        &mut keys,
                    );
                }
            }
        }
        let mut rest: BTreeSet<&ObjectKey> = BTreeSet::new();
        let live_objects = others.iter().flatten().map(|o| &o[Side::Live.index()]);
        for o in objects.iter().chain(live_objects).flatten() {
            rest.extend(
                o.keys()
                    .filter(|k| !matches!(k.kind, ObjectKind::Table | ObjectKind::Column)),
            );
        }
        keys.extend(rest.into_iter().cloned());

        let findings = self.table_findings(table);
        let mut rows = Vec::new();
        let mut section: Option<ObjectKind> = None;
        for key in keys {
            if key.kind != ObjectKind::Table && section != Some(key.kind) {
                section = Some(key.kind);
                rows.push(PaneRow::Section(section_title(key.kind)));
            }
            let found: [Option<&Object>; 3] =
                [0, 1, 2].map(|i| objects[i].as_ref().and_then(|o| o.get(&key)));
            let label = found
                .iter()
                .flatten()
                .next()
                .map_or_else(|| key.name.clone(), |o| o.display_name.clone());
            let about: Vec<usize> = findings
                .iter()
                .copied()
                .filter(|&i| is_about(&self.report.findings[i], &key, &label))
                .collect();
            let cells = cells(&objects, &found, &key, &about, &self.report.findings);
            let lives = lives
                .iter()
                .zip(&others)
                .map(|(d, o)| match (d, o) {
                    (Some(d), Some(o)) => d.live_cell(o, &key, &label, table),
                    _ => Cell {
                        value: CellValue::NotLoaded,
                        mark: None,
                    },
                })
                .collect();
            rows.push(PaneRow::Object(Box::new(ObjectRow {
                key,
                label,
                cells,
                findings: about,
                lives,
            })));
        }
        rows
    }

    /// This database's Live cell of `key` (named `label`), `objects` its flattened table.
    fn live_cell(
        &self,
        objects: &[Option<Objects>; 3],
        key: &ObjectKey,
        label: &str,
        table: &QualifiedName,
    ) -> Cell {
        let found: [Option<&Object>; 3] =
            [0, 1, 2].map(|i| objects[i].as_ref().and_then(|o| o.get(key)));
        let about: Vec<usize> = self
            .table_findings(table)
            .iter()
            .copied()
            .filter(|&i| is_about(&self.report.findings[i], key, label))
            .collect();
        let [_, _, live] = cells(objects, &found, key, &about, &self.report.findings);
        live
    }

    /// Everything known about one object of `table` in the three sources.
    pub fn detail(&self, table: &QualifiedName, key: &ObjectKey) -> Detail {
        let objects: [Option<Objects>; 3] = Side::ALL.map(|s| self.table_objects(s, table));
        let found: [Option<&Object>; 3] =
            [0, 1, 2].map(|i| objects[i].as_ref().and_then(|o| o.get(key)));
        let label = found
            .iter()
            .flatten()
            .next()
            .map_or_else(|| key.name.clone(), |o| o.display_name.clone());
        let mut names: Vec<&'static str> = Vec::new();
        for o in found.iter().flatten() {
            for (n, _) in &o.attributes {
                if !names.contains(n) {
                    names.push(n);
                }
            }
        }
        let findings: Vec<usize> = self
            .table_findings(table)
            .iter()
            .copied()
            .filter(|&i| is_about(&self.report.findings[i], key, &label))
            .collect();
        let attributes = names
            .into_iter()
            .map(|name| {
                let values = [0, 1, 2].map(|i| match (&objects[i], found[i]) {
                    (None, _) => CellValue::NotLoaded,
                    (Some(_), None) => CellValue::Absent,
                    (Some(_), Some(o)) => {
                        CellValue::Present(o.get(name).and_then(value_text).unwrap_or_default())
                    }
                });
                let present: Vec<&String> = values
                    .iter()
                    .filter_map(|v| match v {
                        CellValue::Present(s) => Some(s),
                        _ => None,
                    })
                    .collect();
                let flagged = findings
                    .iter()
                    .any(|&i| self.report.findings[i].field.as_deref() == Some(name));
                let differs = flagged || present.windows(2).any(|w| w[0] != w[1]);
                AttributeRow {
                    name,
                    values,
                    differs,
                }
            })
            .collect();
        // Snapshots record lines for tables only: a column falls back to its table's.
        let origins = Side::ALL.map(|s| {
            let schema = self.schema(s)?;
            match crate::diff::objects::origin(schema, table, key.kind, &key.name) {
                Some(o) => Some((o.clone(), true)),
                None if found[s.index()].is_some() => schema
                    .tables
                    .get(table)
                    .and_then(|t| t.origin.clone())
                    .map(|o| (o, false)),
                None => None,
            }
        });
        let presence = [0, 1, 2].map(|i| match (&objects[i], found[i]) {
            (None, _) => CellValue::NotLoaded,
            (Some(_), None) => CellValue::Absent,
            (Some(_), Some(o)) => CellValue::Present(summary(key.kind, o)),
        });
        Detail {
            table: table.clone(),
            key: key.clone(),
            label,
            presence,
            attributes,
            findings,
            origins,
        }
    }

    /// An origin as shown: relative to the project folder.
    pub fn origin_text(&self, o: &Origin) -> String {
        let path = Path::new(&o.file);
        let shown = path.strip_prefix(&self.root).unwrap_or(path).display();
        match o.line {
            Some(l) => format!("{shown}:{l}"),
            None => shown.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttributeRow {
    pub name: &'static str,
    pub values: [CellValue; 3],
    pub differs: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub table: QualifiedName,
    pub key: ObjectKey,
    pub label: String,
    /// The object's one-line summary per source.
    pub presence: [CellValue; 3],
    pub attributes: Vec<AttributeRow>,
    pub findings: Vec<usize>,
    /// Where each source declared it; `false` when that is its table's declaration.
    pub origins: [Option<(Origin, bool)>; 3],
}

fn section_title(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::Column => "columns",
        ObjectKind::PrimaryKey => "primary key",
        ObjectKind::Index => "indexes",
        ObjectKind::ForeignKey => "foreign keys",
        ObjectKind::Unique => "unique constraints",
        ObjectKind::Check => "check constraints",
        ObjectKind::Policy => "policies",
        _ => "other",
    }
}

/// Is finding `f` about the object `key` (named `label` in the sources)?
fn is_about(f: &Finding, key: &ObjectKey, label: &str) -> bool {
    f.object == key.kind
        && (key.kind == ObjectKind::PrimaryKey || f.name == key.name || f.name == label)
}

/// Marks a pane's cell relative to the reference pane ([`Data::reference`]): the
/// reference itself has none, so a row reads the same on every screen.
fn cells(
    objects: &[Option<Objects>; 3],
    found: &[Option<&Object>; 3],
    key: &ObjectKey,
    about: &[usize],
    findings: &[Finding],
) -> [Cell; 3] {
    let loaded = |i: usize| objects[i].is_some();
    let present = |i: usize| found[i].is_some();
    let reference = reference_index(loaded);
    // The findings compare neighbours (TypeScript ↔ snapshot, snapshot ↔ database); a
    // field finding on either step between the reference and a pane is a difference.
    let steps = |c: Category| -> [bool; 3] {
        match c {
            Category::Ungenerated => [false, true, true],
            Category::Drift => [false, false, true],
            Category::Pending | Category::History | Category::Lint => [false, false, false],
        }
    };
    [0, 1, 2].map(|i| {
        if !loaded(i) {
            return Cell {
                value: CellValue::NotLoaded,
                mark: None,
            };
        }
        let value = match found[i] {
            Some(o) => CellValue::Present(summary(key.kind, o)),
            None => CellValue::Absent,
        };
        let Some(r) = reference.filter(|&r| r != i) else {
            return Cell { value, mark: None };
        };
        let touched =
            |pred: &dyn Fn(&Finding) -> bool| about.iter().map(|&f| &findings[f]).any(pred);
        let steps_from_reference =
            |f: &Finding| steps(f.category)[i] && (r == 0 || f.category == Category::Drift);
        let mark = if i == Side::Live.index() && touched(&|f| f.category == Category::Pending) {
            Some(Mark::Pending)
        } else if !present(i) && present(r) {
            Some(Mark::Missing)
        } else if present(i) && !present(r) {
            Some(Mark::Added)
        } else if present(i) && touched(&|f| f.field.is_some() && steps_from_reference(f)) {
            Some(Mark::Differs)
        } else {
            None
        };
        Cell { value, mark }
    })
}

/// The pane the others are marked against: the TypeScript schema (what the code wants),
/// or the latest snapshot when the schema is not loaded.
fn reference_index(loaded: impl Fn(usize) -> bool) -> Option<usize> {
    [Side::Ts, Side::Snapshot]
        .into_iter()
        .map(Side::index)
        .find(|&i| loaded(i))
}

/// A JSON attribute value as a person reads it; `None` for null.
pub fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(a) => Some(
            a.iter()
                .map(|x| value_text(x).unwrap_or_else(|| "null".into()))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Value::Object(_) => Some(v.to_string()),
    }
}

fn text_of(o: &Object, name: &str) -> Option<String> {
    o.get(name).and_then(value_text).filter(|s| !s.is_empty())
}

fn is_true(o: &Object, name: &str) -> bool {
    o.get(name).and_then(Value::as_bool).unwrap_or(false)
}

/// One line describing an object, as a pane cell shows it.
pub fn summary(kind: ObjectKind, o: &Object) -> String {
    let cols = || format!("({})", text_of(o, "columns").unwrap_or_default());
    match kind {
        ObjectKind::Table => {
            if is_true(o, "rls_enabled") {
                "table, rls".into()
            } else {
                "table".into()
            }
        }
        ObjectKind::Column => {
            let mut s = text_of(o, "type").unwrap_or_default();
            if is_true(o, "not_null") {
                s.push_str(" not null");
            }
            if let Some(d) = text_of(o, "default") {
                s.push_str(" default ");
                s.push_str(&d);
            }
            if text_of(o, "identity").is_some() {
                s.push_str(" identity");
            }
            if text_of(o, "generated").is_some() {
                s.push_str(" generated");
            }
            s
        }
        ObjectKind::PrimaryKey => cols(),
        ObjectKind::Index => {
            let mut s = String::new();
            if is_true(o, "unique") {
                s.push_str("unique ");
            }
            s.push_str(&cols());
            if let Some(m) = text_of(o, "method").filter(|m| m != "btree") {
                s.push_str(" using ");
                s.push_str(&m);
            }
            if let Some(w) = text_of(o, "where") {
                s.push_str(" where ");
                s.push_str(&w);
            }
            s
        }
        ObjectKind::ForeignKey => {
            let mut s = format!(
                "{} → {}",
                cols(),
                text_of(o, "references").unwrap_or_default()
            );
            if let Some(d) = text_of(o, "on_delete").filter(|d| d != "no action") {
                s.push_str(" on delete ");
                s.push_str(&d);
            }
            s
        }
        ObjectKind::Unique => cols(),
        ObjectKind::Check => text_of(o, "definition").unwrap_or_default(),
        ObjectKind::Policy => format!(
            "{} for {} to {}",
            text_of(o, "as").unwrap_or_default(),
            text_of(o, "for").unwrap_or_default(),
            text_of(o, "to").unwrap_or_default()
        ),
        _ => o
            .attributes
            .iter()
            .filter_map(|(n, v)| value_text(v).map(|t| format!("{n}={t}")))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// What a migration changes: its snapshot against the previous one, one line per
/// object (children of an added or dropped table are folded into it).
pub fn migration_changes(before: &Schema, after: &Schema) -> Vec<Change> {
    let mut out = Vec::new();
    // One part at a time: a big snapshot is never flattened whole.
    for part in parts(&[Some(before), Some(after)]) {
        part_changes(
            &flatten_part(before, part),
            &flatten_part(after, part),
            &mut out,
        );
    }
    out
}

fn part_changes(a: &Objects, b: &Objects, out: &mut Vec<Change>) {
    let keys: BTreeSet<&ObjectKey> = a.keys().chain(b.keys()).collect();
    let tables_changed: BTreeMap<(String, String), bool> = keys
        .iter()
        .filter(|k| k.kind == ObjectKind::Table)
        .filter(|k| a.contains_key(k) != b.contains_key(k))
        .map(|k| ((k.schema.clone(), k.name.clone()), true))
        .collect();
    for key in keys {
        let folded = key.kind != ObjectKind::Table
            && key
                .table
                .as_ref()
                .is_some_and(|t| tables_changed.contains_key(&(key.schema.clone(), t.clone())));
        if folded {
            continue;
        }
        let name = qualified(key, a.get(key).or(b.get(key)));
        match (a.get(key), b.get(key)) {
            (None, Some(o)) => out.push(Change {
                mark: Mark::Added,
                kind: key.kind,
                name,
                detail: summary(key.kind, o),
            }),
            (Some(o), None) => out.push(Change {
                mark: Mark::Missing,
                kind: key.kind,
                name,
                detail: summary(key.kind, o),
            }),
            (Some(x), Some(y)) => {
                for (attr, xv) in &x.attributes {
                    let yv = y.get(attr).unwrap_or(&Value::Null);
                    if xv != yv {
                        out.push(Change {
                            mark: Mark::Differs,
                            kind: key.kind,
                            name: name.clone(),
                            detail: format!(
                                "{attr}: {} → {}",
                                value_text(xv).unwrap_or_else(|| "none".into()),
                                value_text(yv).unwrap_or_else(|| "none".into())
                            ),
                        });
                    }
                }
            }
            (None, None) => {}
        }
    }
}

fn qualified(key: &ObjectKey, o: Option<&Object>) -> String {
    let own = o.map_or(key.name.as_str(), |o| o.display_name.as_str());
    let table = QualifiedName::new(key.schema.clone(), key.table.clone().unwrap_or_default());
    match (&key.table, key.kind) {
        (Some(_), ObjectKind::Table) => table.to_string(),
        (Some(_), ObjectKind::Column) => format!("{table}.{own}"),
        (Some(_), _) => format!("{own} on {table}"),
        (None, _) => QualifiedName::new(key.schema.clone(), own).to_string(),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub mark: Mark,
    pub kind: ObjectKind,
    pub name: String,
    pub detail: String,
}
