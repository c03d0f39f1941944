//! The model drizzle-kit's `generatePgSnapshot` would write for the exported objects,
//! spelled as the snapshot spells it (the history reader's conversion of that snapshot is
//! the reference this mirrors).

use super::casing::column_name;
use super::eval::Evaluator;
use super::snapshot_values::{column_type, default_text, json_value, sequence_options, Range};
use super::sql::{self, Mode};
use super::value::{
    js_string, ordered_props, CheckV, Dz, EnumV, FkV, IndexKeyV, IndexV, Loc, PkV, PolicyV,
    Reference, RoleV, SequenceV, TCol, TableCol, TableV, UniqueV, Value, ViewV, Why,
};
use crate::config::Casing;
use crate::diagnostic::{Diagnostic, Incomplete, Level, Source};
use crate::js::{Ctx, Modules};
use crate::model::{
    unknown_field, Check, Column, Dialect, Enum, ForeignKey, Generated, GeneratedKind, Identity,
    IdentityKind, Index, IndexKey, Origin, Policy, PrimaryKey, QualifiedName, Role, Schema,
    Sequence, Table, Unique, View, IMPLICIT_FOREIGN_KEY, IMPLICIT_INDEX, IMPLICIT_PRIMARY_KEY,
    IMPLICIT_UNIQUE, UNKNOWN_COLUMNS, UNKNOWN_CONSTRAINTS,
};
use oxc_span::GetSpan;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Packages whose exports are validators or other values that are never schema objects:
/// an export built with them is skipped without a word.
const NON_SCHEMA_PACKAGES: &[&str] = &[
    "drizzle-zod",
    "drizzle-valibot",
    "drizzle-typebox",
    "drizzle-arktype",
    "zod",
    "valibot",
    "@sinclair/typebox",
    "arktype",
    "yup",
];

/// What the schema files export, sorted like drizzle-kit's `prepareFromExports`.
#[derive(Default)]
pub(super) struct Exported<'a> {
    pub tables: Vec<Rc<TableV<'a>>>,
    enums: Vec<Rc<EnumV>>,
    schemas: Vec<Rc<str>>,
    sequences: Vec<Rc<SequenceV>>,
    pub views: Vec<Rc<ViewV<'a>>>,
    roles: Vec<Rc<RoleV>>,
    policies: Vec<Rc<PolicyV<'a>>>,
    /// An export could not be evaluated: it may be a schema object.
    pub partial: bool,
}

pub(super) struct Builder<'a, 'm, 'e> {
    pub ev: &'e mut Evaluator<'a, 'm>,
    pub modules: &'m Modules<'a, super::value::Dz<'a>>,
    pub casing: Option<Casing>,
    pub mysql: bool,
    /// Spell what drizzle-kit 1.0 writes (its default names, `nameExplicit`) instead of
    /// what 0.x writes.
    pub v1: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// What could not be evaluated: comparisons resting on it are not made.
    pub incomplete: Vec<Incomplete>,
    /// What was reported, to say each thing once.
    pub reported: HashSet<String>,
    /// Columns (table id, index) a top-level call was given, and where (see
    /// [`Builder::touched_columns`]).
    pub touched: HashMap<(u32, usize), (Loc, String)>,
}

impl<'a, 'm, 'e> Builder<'a, 'm, 'e> {
    pub(super) fn style(&self) -> sql::Style {
        sql::Style {
            casing: self.casing,
            mysql: self.mysql,
        }
    }

    pub(super) fn origin(&self, loc: Loc) -> Option<Origin> {
        let m = self.modules.get(loc.module)?;
        Some(Origin {
            file: m.display.clone(),
            line: Some(m.line(loc.offset)),
        })
    }

    fn report(&mut self, level: Level, loc: Option<Loc>, message: String) {
        let module = loc.and_then(|l| self.modules.get(l.module).map(|m| (m, l)));
        let diagnostic = match module {
            Some((m, l)) => {
                let (line, col) = m.line_col(l.offset);
                Diagnostic::new(level, m.display.clone(), message).at(line, col)
            }
            None => Diagnostic::new(level, "schema", message),
        };
        let key = diagnostic.to_string();
        if self.reported.insert(key) {
            self.diagnostics.push(diagnostic);
        }
    }

    pub(super) fn warn(&mut self, loc: Option<Loc>, message: String) {
        self.report(Level::Warning, loc, message);
    }

    /// Reports `why` about `what` at `at` (the object's declaration), saying where the
    /// unknown value arose when that is elsewhere.
    pub(super) fn unknown(&mut self, what: &str, w: &Why, at: Loc) {
        let mut message = format!("could not evaluate {what}: {}", w.message);
        if let Some(l) = w.loc {
            let elsewhere = l.module != at.module
                || self.modules.get(l.module).map(|m| m.line(l.offset))
                    != self.modules.get(at.module).map(|m| m.line(at.offset));
            if elsewhere {
                if let Some(m) = self.modules.get(l.module) {
                    message.push_str(&format!(" (at {}:{})", m.display, m.line(l.offset)));
                }
            }
        }
        self.incomplete_at(Some(at), message);
    }

    /// Records that the TypeScript source is incomplete, at `at`.
    fn incomplete_at(&mut self, at: Option<Loc>, message: String) {
        let mut entry = Incomplete::new(Source::Ts, message);
        if let Some((m, at)) = at.and_then(|at| self.modules.get(at.module).map(|m| (m, at))) {
            let (line, col) = m.line_col(at.offset);
            entry = entry.at(format!("{}:{line}:{col}", m.display));
        }
        if self.reported.insert(entry.to_string()) {
            self.incomplete.push(entry);
        }
    }

    /// Everything the schema files (modules `0..entries`) export.
    pub(super) fn exported(&mut self, entries: usize) -> Exported<'a> {
        let mut out = Exported::default();
        let mut seen_tables = HashSet::new();
        for module in 0..entries as u32 {
            for name in self.ev.export_names(module) {
                let value = self.ev.export_value(module, name, None);
                match value {
                    Value::Host(Dz::Table(t)) if seen_tables.insert(t.id) => out.tables.push(t),
                    Value::Host(Dz::Enum(e)) => out.enums.push(e),
                    Value::Host(Dz::PgSchema(s)) => out.schemas.push(s),
                    Value::Host(Dz::Sequence(s)) => out.sequences.push(s),
                    Value::Host(Dz::View(v)) => out.views.push(v),
                    Value::Host(Dz::Role(r)) => out.roles.push(r),
                    Value::Host(Dz::Policy(p)) => out.policies.push(p),
                    Value::Unknown(w) => {
                        let quiet = NON_SCHEMA_PACKAGES.iter().any(|p| {
                            w.message
                                .starts_with(&format!("is imported from the package {p:?}"))
                        });
                        if !quiet {
                            out.partial = true;
                            let display = self
                                .modules
                                .get(module)
                                .map_or(String::new(), |m| m.display.clone());
                            self.incomplete_at(
                                w.loc,
                                format!(
                                    "could not evaluate export `{name}` of {display}: {}; if it \
                                     is a table, enum or other schema object it is missing",
                                    w.message
                                ),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// The columns handed to a top-level call made for its effect (a helper that patches
    /// `col.getSQLType` to add a collation, say): drizzle-kit sees what that call did, the
    /// evaluator does not, so those columns are unknown.
    fn touched_columns(&mut self) -> HashMap<(u32, usize), (Loc, String)> {
        let mut touched = HashMap::new();
        let modules = self.modules;
        for (index, module) in modules.list.iter().enumerate() {
            if module.is_package {
                continue;
            }
            let ctx = Ctx {
                module: index as u32,
                env: None,
            };
            for (call, loc) in &module.effects {
                for arg in &call.arguments {
                    let Some(expr) = arg.as_expression() else {
                        continue;
                    };
                    if let Value::Host(Dz::TableCol(c)) = self.ev.eval(expr, &ctx) {
                        let span = call.callee.span();
                        let callee = module
                            .text
                            .get(span.start as usize..span.end as usize)
                            .unwrap_or("a function");
                        let callee: String = callee.chars().take(60).collect();
                        touched
                            .entry((c.table.id, c.index))
                            .or_insert((*loc, callee));
                    }
                }
            }
        }
        touched
    }

    /// Marks `column` (the `index`th of `t`) unknown when a top-level call was given it.
    pub(super) fn mark_touched(&mut self, t: &TableV<'a>, index: usize, column: &mut Column) {
        let Some((at, callee)) = self.touched.get(&(t.id, index)).cloned() else {
            return;
        };
        column.unknown.insert(crate::model::UNKNOWN_ALL.to_string());
        let w = super::pg::why(
            format!("it is given to `{callee}(…)`, which may change it in ways drizzle-drift does not follow"),
            None,
        );
        self.unknown(&format!("column {}.{}", t.name, column.name), &w, at);
    }

    pub fn build(&mut self, entries: usize) -> Schema {
        self.touched = self.touched_columns();
        if self.mysql {
            return self.build_mysql(entries);
        }
        let exported = self.exported(entries);
        let mut schema = Schema::new(Dialect::Postgresql);
        schema.partial = exported.partial;
        for s in &exported.schemas {
            if &**s != "public" {
                schema.schemas.insert(s.to_string());
            }
        }
        for e in &exported.enums {
            let name = QualifiedName::new(e.schema.as_deref().unwrap_or("public"), &*e.name);
            schema.enums.insert(
                name.clone(),
                Enum {
                    name,
                    values: e.values.iter().map(|v| v.to_string()).collect(),
                    origin: self.origin(e.loc),
                },
            );
        }
        for s in &exported.sequences {
            let name = QualifiedName::new(s.schema.as_deref().unwrap_or("public"), &*s.name);
            if schema.sequences.contains_key(&name) {
                continue;
            }
            schema.sequences.insert(
                name.clone(),
                Sequence {
                    name,
                    options: sequence_options(&s.options, Range::Sequence),
                    origin: self.origin(s.loc),
                },
            );
        }
        for r in &exported.roles {
            if r.existing {
                continue;
            }
            schema.roles.insert(
                r.name.to_string(),
                Role {
                    name: r.name.to_string(),
                    create_db: r.create_db.unwrap_or(false),
                    create_role: r.create_role.unwrap_or(false),
                    inherit: r.inherit.unwrap_or(true),
                },
            );
        }
        for t in &exported.tables {
            let table = self.table(t);
            if schema.tables.contains_key(&table.name) {
                self.warn(
                    Some(t.loc),
                    format!(
                        "table {} is declared twice; drizzle-kit keeps the later one",
                        table.name
                    ),
                );
            }
            schema.tables.insert(table.name.clone(), table);
        }
        for p in &exported.policies {
            let Some(linked) = &p.link else {
                self.warn(
                    Some(p.loc),
                    format!(
                        "policy {} is linked to no table (use .link(table)); drizzle-kit skips it",
                        p.name
                    ),
                );
                continue;
            };
            let key =
                QualifiedName::new(linked.schema.as_deref().unwrap_or("public"), &*linked.name);
            let policy = self.policy(p);
            match schema.tables.get_mut(&key) {
                Some(table) => table.policies.push(policy),
                None => self.warn(
                    Some(p.loc),
                    format!(
                        "policy {} is on table {key}, which the schema does not export; it is left out",
                        p.name
                    ),
                ),
            }
        }
        for v in &exported.views {
            let name = QualifiedName::new(v.schema.as_deref().unwrap_or("public"), &*v.name);
            if schema.views.contains_key(&name) {
                self.warn(
                    Some(v.loc),
                    format!("view {name} is declared twice; drizzle-kit refuses such a schema"),
                );
                continue;
            }
            let definition = if v.existing {
                None
            } else {
                match &v.definition {
                    Ok(d) => Some(d.clone()),
                    Err(w) => {
                        let w = w.clone();
                        self.unknown(&format!("the definition of view {name}"), &w, v.loc);
                        None
                    }
                }
            };
            schema.views.insert(
                name.clone(),
                View {
                    name,
                    materialized: v.materialized,
                    definition,
                    origin: self.origin(v.loc),
                },
            );
        }
        schema
    }

    pub(super) fn col_name(&self, c: &TCol<'_>) -> String {
        column_name(&c.name, c.key_as_name, self.casing)
    }

    fn table(&mut self, t: &Rc<TableV<'a>>) -> Table {
        let schema_name = t.schema.as_deref().unwrap_or("public");
        let mut table = Table::new(QualifiedName::new(schema_name, &*t.name));
        table.origin = self.origin(t.loc);
        table.rls_enabled = t.rls.get();
        let label = t.name.to_string();
        for (key, w) in &t.bad_columns {
            let w = w.clone();
            self.unknown(&format!("column {label}.{key}"), &w, t.loc);
        }
        for w in &t.holes {
            let w = w.clone();
            self.unknown(&format!("some columns of {label} (a spread)"), &w, t.loc);
        }
        if !t.bad_columns.is_empty() || !t.holes.is_empty() {
            // A column the reader could not evaluate may exist under any name and carry
            // keys and references: none of their absences may be reported.
            mark_unknown(&mut table, &[UNKNOWN_COLUMNS, UNKNOWN_CONSTRAINTS]);
        }
        let mut pk_columns = Vec::new();
        let mut uniques: Vec<Unique> = Vec::new();
        let mut fks: Vec<ForeignKey> = Vec::new();
        for (i, c) in t.columns.iter().enumerate() {
            let loc = c.loc.unwrap_or(c.builder.loc);
            let column = self.column(t, c, loc);
            if c.builder.primary {
                pk_columns.push(column.name.clone());
            }
            if let Some((explicit, nnd)) = &c.builder.unique {
                let name = if self.v1 {
                    match explicit {
                        Some(n) => n.to_string(),
                        None => {
                            let n = format!("{}_{}_key", t.name, column.name);
                            table.implicit_names.insert((IMPLICIT_UNIQUE, n.clone()));
                            n
                        }
                    }
                } else {
                    c.builder
                        .unique_name
                        .as_deref()
                        .map_or_else(|| format!("{}_{}_unique", t.name, c.name), str::to_string)
                };
                upsert(
                    &mut uniques,
                    |u| u.name == name,
                    Unique {
                        name: name.clone(),
                        columns: vec![column.name.clone()],
                        nulls_not_distinct: *nnd,
                        origin: self.origin(loc),
                    },
                );
            }
            for r in &c.builder.references {
                let from = TableCol {
                    table: t.clone(),
                    index: i,
                    extra: false,
                    desc: false,
                    nulls_first: false,
                    opclass: None,
                };
                let target = self.ev.call(r.target.clone(), Vec::new(), r.loc);
                match target {
                    Value::Host(Dz::TableCol(to)) => {
                        let name = self.inline_fk_name(r);
                        let fk = self.foreign_key(
                            t,
                            &[from],
                            &[(*to).clone()],
                            name,
                            r.on_update.as_ref(),
                            r.on_delete.as_ref(),
                            true,
                            r.loc,
                        );
                        if let Some(fk) = fk {
                            if self.v1 && name.is_none() {
                                table
                                    .implicit_names
                                    .insert((IMPLICIT_FOREIGN_KEY, fk.name.clone()));
                            }
                            let n = fk.name.clone();
                            upsert(&mut fks, |f| f.name == n, fk);
                        }
                    }
                    Value::Unknown(w) => {
                        mark_unknown(&mut table, &[UNKNOWN_CONSTRAINTS]);
                        self.unknown(
                            &format!("the reference of {label}.{}", column.name),
                            &w,
                            r.loc,
                        )
                    }
                    other => {
                        mark_unknown(&mut table, &[UNKNOWN_CONSTRAINTS]);
                        let what = format!("the reference of {label}.{}", column.name);
                        let w =
                            super::pg::why(format!("returns {}, not a column", other.kind()), None);
                        self.unknown(&what, &w, r.loc);
                    }
                }
            }
            let mut column = column;
            self.mark_touched(t, i, &mut column);
            table.columns.push(column);
        }

        let mut pks: Vec<PrimaryKey> = Vec::new();
        let mut table_uniques: Vec<Unique> = Vec::new();
        let mut indexes: Vec<Index> = Vec::new();
        let mut checks: Vec<Check> = Vec::new();
        let mut policies: Vec<Policy> = Vec::new();
        let mut extra_fks: Vec<ForeignKey> = Vec::new();
        let (items, complete) = self.extra_items(t);
        if !complete {
            table.unknown.insert(UNKNOWN_CONSTRAINTS.to_string());
        }
        for item in items {
            match item {
                Value::Host(Dz::Index(i)) => {
                    if let Some(index) = self.index(t, &i, &mut table) {
                        if self.v1 && i.name.is_none() {
                            table
                                .implicit_names
                                .insert((IMPLICIT_INDEX, index.name.clone()));
                        }
                        indexes.push(index);
                    }
                }
                Value::Host(Dz::Check(c)) => {
                    if let Some(check) = self.extra_check(&c, &label) {
                        let n = check.name.clone();
                        upsert(&mut checks, |x| x.name == n, check);
                    }
                }
                Value::Host(Dz::Unique(u)) => {
                    if let Some(unique) = self.extra_unique(t, &u, &label) {
                        let n = unique.name.clone();
                        if self.v1 && u.name.is_none() {
                            table.implicit_names.insert((IMPLICIT_UNIQUE, n.clone()));
                        }
                        upsert(&mut table_uniques, |x| x.name == n, unique);
                    }
                }
                Value::Host(Dz::PrimaryKey(pk)) => {
                    let named = pk.name.is_some();
                    if let Some(pk) = self.extra_primary_key(t, &pk, &label) {
                        let n = pk.name.clone();
                        if self.v1 && !named {
                            table
                                .implicit_names
                                .insert((IMPLICIT_PRIMARY_KEY, n.clone()));
                        }
                        upsert(&mut pks, |p| p.name == n, pk);
                    }
                }
                Value::Host(Dz::ForeignKey(fk)) => {
                    let named = !matches!(fk.name, None | Some(Value::Undefined));
                    let on_update = fk.on_update.clone().unwrap_or(Value::Undefined);
                    let on_delete = fk.on_delete.clone().unwrap_or(Value::Undefined);
                    if let Some(fk) =
                        self.extra_foreign_key(t, &fk, &label, Some(&on_update), Some(&on_delete))
                    {
                        if self.v1 && !named {
                            table
                                .implicit_names
                                .insert((IMPLICIT_FOREIGN_KEY, fk.name.clone()));
                        }
                        extra_fks.push(fk);
                    }
                }
                Value::Host(Dz::Policy(p)) => policies.push(self.policy(&p)),
                _ => {}
            }
        }
        for fk in extra_fks {
            {
                let n = fk.name.clone();
                upsert(&mut fks, |f| f.name == n, fk);
            }
        }
        if self.v1 {
            // drizzle-kit 1.0 adds a column's `.unique()` only when no table-level unique
            // has exactly that column.
            uniques.retain(|c| !table_uniques.iter().any(|u| u.columns == c.columns));
        }
        for u in table_uniques {
            let n = u.name.clone();
            upsert(&mut uniques, |x| x.name == n, u);
        }
        if self.v1 {
            let names: HashSet<&str> = uniques.iter().map(|u| u.name.as_str()).collect();
            table
                .implicit_names
                .retain(|(kind, n)| *kind != IMPLICIT_UNIQUE || names.contains(n.as_str()));
        }
        table.primary_key = match pks.into_iter().next() {
            Some(pk) => {
                if table
                    .implicit_names
                    .contains(&(IMPLICIT_PRIMARY_KEY, pk.name.clone()))
                {
                    table
                        .unknown
                        .insert(crate::model::UNKNOWN_PRIMARY_KEY_NAME.to_string());
                }
                Some(pk)
            }
            None if pk_columns.is_empty() => None,
            None => {
                // Column-level primaryKey(): the name is the database's choice.
                table
                    .unknown
                    .insert(crate::model::UNKNOWN_PRIMARY_KEY_NAME.to_string());
                let name = format!("{}_pkey", t.name);
                if self.v1 {
                    table
                        .implicit_names
                        .insert((IMPLICIT_PRIMARY_KEY, name.clone()));
                }
                Some(PrimaryKey {
                    name,
                    columns: pk_columns,
                })
            }
        };
        table.uniques = uniques;
        table.foreign_keys = fks;
        table.indexes = indexes;
        table.checks = checks;
        table.policies = policies;
        table
    }

    /// The name `.references(() => x.id, { name })` gives its foreign key: pg-core 1.0
    /// reads it (an empty one is none), 0.x and mysql-core do not.
    pub(super) fn inline_fk_name<'r>(&self, r: &'r Reference<'a>) -> Option<&'r Value<'a>> {
        if !self.v1 || self.mysql {
            return None;
        }
        match &r.name {
            Some(Value::Str(s)) if s.is_empty() => None,
            other => other.as_ref(),
        }
    }

    /// The SQL of `.generatedAlwaysAs(…)`: a string, an sql`` template, or a function
    /// returning either.
    pub(super) fn generated_expression(
        &mut self,
        generated: &Value<'a>,
        loc: Loc,
    ) -> Result<String, Rc<Why>> {
        let g = match generated {
            Value::Func(_) | Value::Bound(_) => self.ev.call(generated.clone(), Vec::new(), loc),
            other => other.clone(),
        };
        match &g {
            Value::Str(s) => Ok(s.to_string()),
            Value::Host(Dz::Sql(s)) => sql::render_with(s, Mode::Query, self.style()),
            Value::Unknown(w) => Err(w.clone()),
            other => Err(Rc::new(Why::new(format!("is {}", other.kind()), Some(loc)))),
        }
    }

    /// A `check()` of a table's third argument.
    pub(super) fn extra_check(&mut self, c: &CheckV<'a>, label: &str) -> Option<Check> {
        let name = match &c.name {
            Value::Str(s) => s.to_string(),
            other => {
                self.warn(
                    Some(c.loc),
                    format!("a check of {label} is named with {}", other.kind()),
                );
                return None;
            }
        };
        match self.render_condition(&c.value) {
            Ok(Some(expression)) => Some(Check {
                name,
                expression,
                origin: self.origin(c.loc),
            }),
            Ok(None) => {
                self.warn(
                    Some(c.loc),
                    format!("check {name} of {label} has no sql expression"),
                );
                None
            }
            Err(w) => {
                self.unknown(&format!("check {name} of {label}"), &w, c.loc);
                None
            }
        }
    }

    /// A `unique()` of a table's third argument, named as drizzle-kit names it.
    pub(super) fn extra_unique(
        &mut self,
        t: &Rc<TableV<'a>>,
        u: &UniqueV<'a>,
        label: &str,
    ) -> Option<Unique> {
        let cols = self.table_cols(
            &u.columns,
            u.loc,
            &format!("a unique constraint of {label}"),
        )?;
        let columns: Vec<String> = cols.iter().map(|c| self.col_name(c.col())).collect();
        let name = u
            .name
            .as_deref()
            .map_or_else(|| auto_name(&t.name, &cols, "unique"), str::to_string);
        Some(Unique {
            name,
            columns,
            nulls_not_distinct: u.nulls_not_distinct,
            origin: self.origin(u.loc),
        })
    }

    /// A `primaryKey()` of a table's third argument; its auto name follows the casing as
    /// drizzle-kit's does.
    pub(super) fn extra_primary_key(
        &mut self,
        t: &Rc<TableV<'a>>,
        pk: &PkV<'a>,
        label: &str,
    ) -> Option<PrimaryKey> {
        let cols = self.table_cols(&pk.columns, pk.loc, &format!("the primary key of {label}"))?;
        let mut name = match &pk.name {
            Some(Value::Str(s)) => s.to_string(),
            Some(other) => {
                self.warn(
                    Some(pk.loc),
                    format!("the primary key of {label} is named with {}", other.kind()),
                );
                return None;
            }
            None if self.v1 => format!("{}_pkey", t.name),
            None => auto_name(&t.name, &cols, "pk"),
        };
        let columns: Vec<String> = cols.iter().map(|c| self.col_name(c.col())).collect();
        if self.casing.is_some() {
            for (c, cased) in cols.iter().zip(&columns) {
                name = name.replacen(&*c.col().name, cased, 1);
            }
        }
        Some(PrimaryKey { name, columns })
    }

    /// A `foreignKey()` of a table's third argument.
    pub(super) fn extra_foreign_key(
        &mut self,
        t: &Rc<TableV<'a>>,
        fk: &FkV<'a>,
        label: &str,
        on_update: Option<&Value<'a>>,
        on_delete: Option<&Value<'a>>,
    ) -> Option<ForeignKey> {
        let what = format!("a foreign key of {label}");
        let from = self.table_cols(&as_list(&fk.columns), fk.loc, &what);
        let to = self.table_cols(&as_list(&fk.foreign), fk.loc, &what);
        let (from, to) = (from?, to?);
        self.foreign_key(
            t,
            &from,
            &to,
            fk.name.as_ref(),
            on_update,
            on_delete,
            false,
            fk.loc,
        )
    }

    /// The builders the third `pgTable` argument returns, flattened as drizzle-orm does.
    /// The items of a table's third argument, and whether all of them could be evaluated.
    pub(super) fn extra_items(&mut self, t: &Rc<TableV<'a>>) -> (Vec<Value<'a>>, bool) {
        let Some(extra) = t.extra.clone() else {
            return (Vec::new(), true);
        };
        let mut complete = true;
        let result = match extra {
            f @ (Value::Func(_) | Value::Bound(_)) => {
                self.ev
                    .call(f, vec![Value::Host(Dz::ExtraCols(t.clone()))], t.loc)
            }
            other => other,
        };
        let items: Vec<Value<'a>> = match result {
            Value::Array(items) => items
                .iter()
                .flat_map(|i| match i {
                    Value::Array(inner) => inner.to_vec(),
                    other => vec![other.clone()],
                })
                .collect(),
            Value::Object(o) => {
                complete &= o.holes.is_empty();
                for h in &o.holes {
                    let h = h.clone();
                    self.unknown(
                        &format!("some indexes or constraints of {}", t.name),
                        &h,
                        t.loc,
                    );
                }
                ordered_props(&o)
                    .into_iter()
                    .map(|(_, v, _)| v.clone())
                    .collect()
            }
            Value::Unknown(w) => {
                self.unknown(
                    &format!("the indexes and constraints of {}", t.name),
                    &w,
                    t.loc,
                );
                return (Vec::new(), false);
            }
            _ => return (Vec::new(), true),
        };
        for item in &items {
            if let Value::Unknown(w) = item {
                complete = false;
                let w = w.clone();
                self.unknown(&format!("an index or constraint of {}", t.name), &w, t.loc);
            }
        }
        (items, complete)
    }

    /// The columns of a constraint, each a column of some table.
    pub(super) fn table_cols(
        &mut self,
        values: &[Value<'a>],
        loc: Loc,
        what: &str,
    ) -> Option<Vec<TableCol<'a>>> {
        let mut out = Vec::new();
        for v in values {
            match v {
                Value::Host(Dz::TableCol(c)) => out.push((**c).clone()),
                Value::Unknown(w) => {
                    let w = w.clone();
                    self.unknown(what, &w, loc);
                    return None;
                }
                other => {
                    self.warn(
                        Some(loc),
                        format!("{what} lists {}, not a column", other.kind()),
                    );
                    return None;
                }
            }
        }
        if out.is_empty() {
            self.warn(Some(loc), format!("{what} has no columns"));
            return None;
        }
        Some(out)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn foreign_key(
        &mut self,
        t: &Rc<TableV<'a>>,
        from: &[TableCol<'a>],
        to: &[TableCol<'a>],
        name: Option<&Value<'a>>,
        on_update: Option<&Value<'a>>,
        on_delete: Option<&Value<'a>>,
        inline: bool,
        loc: Loc,
    ) -> Option<ForeignKey> {
        let foreign = to.first()?.table.clone();
        let mut fk_name = match name {
            Some(Value::Str(s)) => s.to_string(),
            Some(Value::Undefined) | None if self.v1 => {
                let sql_names = |cols: &[TableCol<'a>]| -> Vec<String> {
                    cols.iter().map(|c| c.col().name.to_string()).collect()
                };
                v1_fk_name(&t.name, &sql_names(from), &foreign.name, &sql_names(to))
            }
            Some(Value::Undefined) | None => {
                let mut chunks = vec![t.name.to_string()];
                chunks.extend(from.iter().map(|c| c.col().name.to_string()));
                chunks.push(foreign.name.to_string());
                chunks.extend(to.iter().map(|c| c.col().name.to_string()));
                format!("{}_fk", chunks.join("_"))
            }
            Some(other) => {
                self.warn(
                    Some(loc),
                    format!("a foreign key of {} is named with {}", t.name, other.kind()),
                );
                return None;
            }
        };
        let columns: Vec<String> = from.iter().map(|c| self.col_name(c.col())).collect();
        let ref_columns: Vec<String> = to.iter().map(|c| self.col_name(c.col())).collect();
        if self.casing.is_some() {
            for (c, cased) in from.iter().zip(&columns) {
                fk_name = fk_name.replacen(&*c.col().name, cased, 1);
            }
            for (c, cased) in to.iter().zip(&ref_columns) {
                fk_name = fk_name.replacen(&*c.col().name, cased, 1);
            }
        }
        let action = |b: &mut Self, v: Option<&Value<'a>>, what: &str| -> String {
            match v {
                // `.references(..., { onDelete: undefined })` and no option: "no action".
                None | Some(Value::Undefined) => "no action".into(),
                Some(Value::Str(s)) if !s.is_empty() => s.to_string(),
                Some(Value::Str(_)) if inline => "no action".into(),
                Some(Value::Unknown(w)) => {
                    let w = w.clone();
                    b.unknown(&format!("{what} of foreign key {fk_name}"), &w, loc);
                    "no action".into()
                }
                Some(other) => js_string(other).unwrap_or_else(|| "no action".into()),
            }
        };
        let on_update = action(self, on_update, "onUpdate");
        let on_delete = action(self, on_delete, "onDelete");
        Some(ForeignKey {
            name: fk_name,
            columns,
            references: QualifiedName::new(
                foreign.schema.as_deref().unwrap_or("public"),
                &*foreign.name,
            ),
            ref_columns,
            on_delete: on_delete.to_lowercase(),
            on_update: on_update.to_lowercase(),
            origin: self.origin(loc),
        })
    }

    /// The index, or `None` (with the table's constraints marked unknown) when it could not
    /// be evaluated; a part that could not be is marked unknown on `table`.
    fn index(&mut self, t: &Rc<TableV<'a>>, i: &IndexV<'a>, table: &mut Table) -> Option<Index> {
        let label = format!("an index of {}", t.name);
        let mut keys = Vec::new();
        let mut names = Vec::new();
        for key in &i.keys {
            match key {
                IndexKeyV::Col(c) => {
                    let name = self.col_name(c.col());
                    names.push(name.clone());
                    keys.push(IndexKey {
                        expression: name,
                        is_expression: false,
                        asc: c.extra && !c.desc,
                        nulls_first: c.extra && c.nulls_first,
                        opclass: if c.extra {
                            c.opclass.as_deref().map(str::to_string)
                        } else {
                            None
                        },
                    });
                }
                IndexKeyV::Sql(s) => {
                    if i.name.is_none() {
                        self.warn(
                            Some(i.loc),
                            format!(
                                "{label} has an expression but no name; drizzle-kit refuses to \
                                 generate such an index"
                            ),
                        );
                        return None;
                    }
                    match sql::render_with(s, Mode::Index, self.style()) {
                        Ok(expression) => keys.push(IndexKey {
                            expression,
                            is_expression: true,
                            asc: true,
                            nulls_first: false,
                            opclass: None,
                        }),
                        Err(w) => {
                            self.unknown(&label, &w, i.loc);
                            mark_unknown(table, &[UNKNOWN_CONSTRAINTS]);
                            return None;
                        }
                    }
                }
                IndexKeyV::Unknown(w) => {
                    let w = w.clone();
                    self.unknown(&label, &w, i.loc);
                    mark_unknown(table, &[UNKNOWN_CONSTRAINTS]);
                    return None;
                }
            }
        }
        let name = match &i.name {
            Some(n) => n.to_string(),
            None => format!("{}_{}_index", t.name, names.join("_")),
        };
        let method = match &i.method {
            Value::Str(s) => s.to_string(),
            Value::Undefined => "btree".into(),
            Value::Unknown(w) => {
                let w = w.clone();
                self.unknown(&format!("the method of index {name}"), &w, i.loc);
                mark_unknown(table, &[&unknown_field("index", &name, "method")]);
                "btree".into()
            }
            other => js_string(other).unwrap_or_else(|| "btree".into()),
        };
        let where_clause = match &i.where_ {
            None => None,
            Some(w) => match self.render_condition(w) {
                Ok(text) => text,
                Err(why) => {
                    self.unknown(&format!("the where clause of index {name}"), &why, i.loc);
                    mark_unknown(table, &[&unknown_field("index", &name, "where")]);
                    None
                }
            },
        };
        let mut with = Vec::new();
        match &i.with {
            None | Some(Value::Undefined) => {}
            Some(Value::Object(o)) => {
                for (k, v, _) in ordered_props(o) {
                    match json_value(v) {
                        Some(serde_json::Value::String(s)) => with.push(format!("{k}={s}")),
                        Some(other) => with.push(format!("{k}={other}")),
                        None => self.warn(
                            Some(i.loc),
                            format!("could not evaluate the {k} storage parameter of index {name}"),
                        ),
                    }
                }
            }
            Some(other) => self.warn(
                Some(i.loc),
                format!(
                    "the storage parameters of index {name} are {}",
                    other.kind()
                ),
            ),
        }
        Some(Index {
            name,
            keys,
            unique: i.unique,
            method,
            where_clause,
            with,
            origin: self.origin(i.loc),
        })
    }

    fn policy(&mut self, p: &PolicyV<'a>) -> Policy {
        let text = |b: &mut Self, v: &Option<Value<'a>>, what: &str, dflt: &str| -> String {
            match v {
                None | Some(Value::Undefined) => dflt.into(),
                Some(Value::Str(s)) => s.to_lowercase(),
                Some(Value::Unknown(w)) => {
                    let w = w.clone();
                    b.unknown(&format!("{what} of policy {}", p.name), &w, p.loc);
                    dflt.into()
                }
                Some(other) => js_string(other).map_or_else(|| dflt.into(), |s| s.to_lowercase()),
            }
        };
        let kind = text(self, &p.as_, "`as`", "permissive");
        let command = text(self, &p.for_, "`for`", "all");
        let mut to = Vec::new();
        let mut add = |b: &mut Self, v: &Value<'a>| match v {
            Value::Str(s) => to.push(s.to_string()),
            Value::Host(Dz::Role(r)) => to.push(r.name.to_string()),
            Value::Unknown(w) => {
                let w = w.clone();
                b.unknown(&format!("`to` of policy {}", p.name), &w, p.loc);
            }
            _ => {}
        };
        match &p.to {
            None | Some(Value::Undefined) | Some(Value::Null) => to.push("public".into()),
            Some(Value::Array(items)) => {
                for item in items.iter() {
                    add(self, item);
                }
            }
            Some(other) => add(self, other),
        }
        to.sort();
        let expr = |b: &mut Self, v: &Option<Value<'a>>, what: &str| match v {
            Some(v @ Value::Host(Dz::Sql(_))) => match b.render(v, Mode::Query) {
                Ok(t) => t,
                Err(w) => {
                    b.unknown(&format!("{what} of policy {}", p.name), &w, p.loc);
                    None
                }
            },
            Some(Value::Unknown(w)) => {
                let w = w.clone();
                b.unknown(&format!("{what} of policy {}", p.name), &w, p.loc);
                None
            }
            _ => None,
        };
        let using = expr(self, &p.using, "`using`");
        let with_check = expr(self, &p.with_check, "`withCheck`");
        Policy {
            name: p.name.to_string(),
            kind,
            command,
            to,
            using,
            with_check,
            origin: self.origin(p.loc),
        }
    }

    /// A check's value or an index's `where`: drizzle-kit 1.0 renders it with
    /// `inlineParams()` in the "indexes" mode (columns without their table), 0.x as a query.
    fn render_condition(&self, v: &Value<'a>) -> Result<Option<String>, Rc<Why>> {
        match v {
            // drizzle-kit 1.0 inlines PostgreSQL's; its MySQL checks are plain queries.
            Value::Host(Dz::Sql(s)) if self.v1 && !self.mysql => {
                sql::render_inlined(s, Mode::Index, self.style()).map(Some)
            }
            _ => self.render(v, Mode::Query),
        }
    }

    /// Renders an `sql` value; `Ok(None)` for a value that is not sql.
    pub(super) fn render(&self, v: &Value<'a>, mode: Mode) -> Result<Option<String>, Rc<Why>> {
        match v {
            Value::Host(Dz::Sql(s)) => sql::render_with(s, mode, self.style()).map(Some),
            Value::Unknown(w) => Err(w.clone()),
            _ => Ok(None),
        }
    }

    fn column(&mut self, t: &Rc<TableV<'a>>, c: &TCol<'a>, loc: Loc) -> Column {
        let b = &c.builder;
        let name = self.col_name(c);
        let label = format!("{}.{}", t.name, name);
        let mut unknown_attrs = Vec::new();
        let (sql_type, type_schema) = match column_type(b) {
            Ok(x) => x,
            Err(w) => {
                self.unknown(&format!("the type of {label}"), &w, loc);
                unknown_attrs.push("type");
                (String::new(), None)
            }
        };
        let mut column = Column::new(
            name.clone(),
            match &type_schema {
                Some(s) => format!("{s}.{sql_type}"),
                None => sql_type.clone(),
            },
        );
        column.origin = self.origin(loc);
        column.not_null = b.not_null;
        for (attr, w) in &b.unknown {
            let w = w.clone();
            self.unknown(&format!("{attr} of {label}"), &w, loc);
            if *attr != "column" {
                unknown_attrs.push(attr);
            }
        }
        if let Some(default) = &b.default {
            let is_enum = type_schema.is_some();
            match default_text(
                default,
                &sql_type.to_lowercase(),
                self.style(),
                self.v1,
                is_enum,
            ) {
                Ok(d) => column.default = d,
                Err(w) => {
                    self.unknown(&format!("the default of {label}"), &w, loc);
                    unknown_attrs.push("default");
                }
            }
        }
        if let Some(generated) = &b.generated {
            match self.generated_expression(generated, loc) {
                Ok(expression) => {
                    column.generated = Some(Generated {
                        expression,
                        kind: GeneratedKind::Stored,
                    })
                }
                Err(w) => {
                    self.unknown(&format!("the generated expression of {label}"), &w, loc);
                    unknown_attrs.push("generated");
                }
            }
        }
        if let Some(identity) = &b.identity {
            let options = sequence_options(
                &identity.options,
                Range::Identity {
                    column_type: b.column_type,
                    sql_type: &sql_type,
                },
            );
            column.identity = Some(Identity {
                kind: if identity.always {
                    IdentityKind::Always
                } else {
                    IdentityKind::ByDefault
                },
                sequence: Some(
                    identity
                        .name
                        .as_deref()
                        .map_or_else(|| format!("{}_{}_seq", t.name, name), str::to_string),
                ),
                options,
            });
        }
        column.unknown = unknown_attrs.into_iter().map(str::to_string).collect();
        column
    }
}

/// drizzle-kit's auto name for a table-level constraint: `table_col1_col2_suffix`, from
/// the columns' TypeScript-side names (casing is applied by the caller where it applies).
fn auto_name(table: &str, cols: &[TableCol<'_>], suffix: &str) -> String {
    let columns: Vec<&str> = cols.iter().map(|c| &*c.col().name).collect();
    format!("{table}_{}_{suffix}", columns.join("_"))
}

/// drizzle-kit 1.0's `defaultNameForFK`: `<table>_<columns>_<tableTo>_<columnsTo>_fkey`,
/// and over 63 characters a hash of that in place of the middle (or of everything after a
/// table name of 45 characters or more).
pub(super) fn v1_fk_name(
    table: &str,
    columns: &[String],
    to: &str,
    to_columns: &[String],
) -> String {
    let desired = format!(
        "{table}_{}_{to}_{}_fkey",
        columns.join("_"),
        to_columns.join("_")
    );
    if desired.encode_utf16().count() <= 63 {
        return desired;
    }
    if table.encode_utf16().count() < 45 {
        format!("{table}_{}_fkey", v1_hash(&desired))
    } else {
        format!("{}_fkey", v1_hash(&desired))
    }
}

/// drizzle-kit 1.0's `hash(input, 12)`: a polynomial hash of the code points written in
/// base 62.
fn v1_hash(input: &str) -> String {
    const DICTIONARY: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const LEN: u32 = 12;
    let base = DICTIONARY.len() as u128;
    let combinations = base.pow(LEN);
    let mut power: u128 = 1;
    let mut hash: u128 = 0;
    for ch in input.chars() {
        hash = (hash + u128::from(u32::from(ch)) * power % combinations) % combinations;
        power = power * 53 % combinations;
    }
    let mut out = vec![b'0'; LEN as usize];
    let mut index = hash;
    for slot in out.iter_mut().rev() {
        *slot = DICTIONARY[(index % base) as usize];
        index /= base;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Inserts or replaces (keeping the position), like assigning a key of a JS object.
pub(super) fn upsert<T>(list: &mut Vec<T>, same: impl Fn(&T) -> bool, item: T) {
    match list.iter().position(same) {
        Some(i) => list[i] = item,
        None => list.push(item),
    }
}

pub(super) fn as_list<'a>(v: &Value<'a>) -> Vec<Value<'a>> {
    match v {
        Value::Array(items) => items.to_vec(),
        other => vec![other.clone()],
    }
}

/// Marks parts of `table` the reader could not determine.
pub(super) fn mark_unknown(table: &mut Table, parts: &[&str]) {
    table.unknown.extend(parts.iter().map(|p| p.to_string()));
}

#[cfg(test)]
mod tests {
    use super::v1_fk_name;

    // Names drizzle-kit 1.0.0-rc.5 wrote for these foreign keys.
    #[test]
    fn v1_foreign_key_names_match_drizzle_kit() {
        let s = |v: &[&str]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            v1_fk_name("userAccounts", &s(&["orgId"]), "orgs", &s(&["id"])),
            "userAccounts_orgId_orgs_id_fkey"
        );
        assert_eq!(
            v1_fk_name(
                "a_very_long_table_name_that_is_longer_than_usual",
                &s(&["anotherLongColumnName"]),
                "orgs",
                &s(&["aVeryLongColumnNameForTestingHashes"])
            ),
            "bHUcSjcnQYj7_fkey"
        );
    }
}
