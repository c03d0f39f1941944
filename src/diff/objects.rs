//! A schema flattened into comparable objects: every object becomes a key and a list of
//! named attribute values. Comparing two schemas is then comparing two maps, and asking
//! a third source for the same attribute is one lookup.

use crate::model::normalize::expr::{collated_column, quote_ident};
use crate::model::{
    Column, Index, IndexKey, Origin, QualifiedName, Schema, SequenceOptions, Table,
};
use crate::report::ObjectKind;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Sort order groups every object of a table together, the table first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub schema: String,
    /// The table a table-scoped object belongs to; for a table, its own name.
    pub table: Option<String>,
    pub kind: ObjectKind,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// The name a person sees (for a primary key, its constraint name).
    pub display_name: String,
    pub attributes: Vec<(&'static str, Value)>,
    /// Attributes this source could not determine: never compared.
    pub unknown: Vec<String>,
    /// Where the source declared it (TS file:line, snapshot file).
    pub origin: Option<String>,
    /// Attributes as the source wrote them (see `Table::written`), by attribute name.
    pub written: Vec<(&'static str, String)>,
}

impl Object {
    fn new(display_name: impl Into<String>) -> Self {
        Object {
            display_name: display_name.into(),
            attributes: Vec::new(),
            unknown: Vec::new(),
            origin: None,
            written: Vec::new(),
        }
    }

    /// The attribute `name` as the source wrote it.
    pub fn written(&self, name: &str) -> Option<&str> {
        self.written
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    fn attr(mut self, name: &'static str, value: Value) -> Self {
        self.attributes.push((name, value));
        self
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.attributes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

pub type Objects = BTreeMap<ObjectKey, Object>;

/// A slice of a schema that is flattened and compared on its own: the objects outside
/// tables of one schema (`table: None`), or one table. Ordered like the `ObjectKey`s it
/// holds, so walking the parts in order visits every key in order; only one part of
/// each source is ever flattened at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Part<'a> {
    pub schema: &'a str,
    pub table: Option<&'a str>,
}

impl<'a> Part<'a> {
    pub fn table(name: &'a QualifiedName) -> Part<'a> {
        Part {
            schema: &name.schema,
            table: Some(&name.name),
        }
    }
}

/// Every part of the loaded schemas, in key order.
pub fn parts<'a>(schemas: &[Option<&'a Schema>]) -> BTreeSet<Part<'a>> {
    let mut out = BTreeSet::new();
    let outside = |schema: &'a str| Part {
        schema,
        table: None,
    };
    for s in schemas.iter().flatten() {
        out.extend(s.schemas.iter().map(|n| outside(n)));
        out.extend(s.enums.values().map(|e| outside(&e.name.schema)));
        out.extend(s.sequences.values().map(|q| outside(&q.name.schema)));
        out.extend(s.views.values().map(|v| outside(&v.name.schema)));
        if !s.roles.is_empty() {
            out.insert(outside(""));
        }
        out.extend(s.tables.values().map(|t| Part::table(&t.name)));
    }
    out
}

/// The objects of one part of `s` (empty when `s` has no such table).
pub fn flatten_part(s: &Schema, part: Part) -> Objects {
    flatten_part_with(s, part, Some(s))
}

/// What only the database knows, applied to a source read against it.
struct Facts<'a> {
    /// Index keys naming one of these (`btree uuid_ops`) read as naming no operator class,
    /// as the catalog itself reads them.
    default_opclasses: &'a BTreeSet<String>,
    /// MySQL: the default collation of each character set.
    charset_collations: Option<&'a BTreeMap<String, String>>,
    /// MySQL: the live table's default collation.
    table_collation: Option<&'a str>,
    /// Compared with the live database (the facts come from it).
    live: bool,
}

/// [`flatten_part`], with what the live catalog `facts` knows applied (see [`Facts`]):
/// `None` compares what the source says as it says it.
pub fn flatten_part_with(s: &Schema, part: Part, facts: Option<&Schema>) -> Objects {
    static NONE: BTreeSet<String> = BTreeSet::new();
    let mut out = Objects::new();
    match part.table {
        Some(table) => {
            let name = QualifiedName::new(part.schema, table);
            if let Some(t) = s.tables.get(&name) {
                let facts = Facts {
                    default_opclasses: facts.map_or(&NONE, |f| &f.default_opclasses),
                    charset_collations: facts
                        .map(|f| &f.charset_collations)
                        .filter(|m| !m.is_empty()),
                    table_collation: facts
                        .and_then(|f| f.tables.get(&name))
                        .and_then(|t| t.collation.as_deref()),
                    live: facts.is_some(),
                };
                flatten_table(t, &facts, &mut out);
            }
        }
        None => flatten_outside(s, part.schema, &mut out),
    }
    out
}

/// A whole schema at once: for small schemas (a migration's effect, a branch check).
pub fn flatten(s: &Schema) -> Objects {
    let mut out = Objects::new();
    for part in parts(&[Some(s)]) {
        out.append(&mut flatten_part(s, part));
    }
    out
}

/// Schemas, enums, sequences, views and roles whose schema is `schema` (roles: `""`).
fn flatten_outside(s: &Schema, schema: &str, out: &mut Objects) {
    for name in s.schemas.iter().filter(|n| *n == schema) {
        out.insert(key(name, None, ObjectKind::Schema, name), Object::new(name));
    }
    for e in s.enums.values().filter(|e| e.name.schema == schema) {
        let mut o = Object::new(&e.name.name).attr("values", json!(e.values));
        o.origin = e.origin.as_ref().map(ToString::to_string);
        out.insert(key(&e.name.schema, None, ObjectKind::Enum, &e.name.name), o);
    }
    for seq in s.sequences.values().filter(|q| q.name.schema == schema) {
        let mut o = sequence_attributes(Object::new(&seq.name.name), &seq.options);
        o.origin = seq.origin.as_ref().map(ToString::to_string);
        out.insert(
            key(&seq.name.schema, None, ObjectKind::Sequence, &seq.name.name),
            o,
        );
    }
    for v in s.views.values().filter(|v| v.name.schema == schema) {
        let mut o = Object::new(&v.name.name)
            .attr("materialized", json!(v.materialized))
            .attr("definition", json!(v.definition));
        o.origin = v.origin.as_ref().map(ToString::to_string);
        out.insert(key(&v.name.schema, None, ObjectKind::View, &v.name.name), o);
    }
    if schema.is_empty() {
        for r in s.roles.values() {
            let o = Object::new(&r.name)
                .attr("create_db", json!(r.create_db))
                .attr("create_role", json!(r.create_role))
                .attr("inherit", json!(r.inherit));
            out.insert(key("", None, ObjectKind::Role, &r.name), o);
        }
    }
}

fn key(schema: &str, table: Option<&str>, kind: ObjectKind, name: &str) -> ObjectKey {
    ObjectKey {
        schema: schema.to_string(),
        table: table.map(str::to_string),
        kind,
        name: name.to_string(),
    }
}

/// What `t` keeps as written for its object `name` of `kind`.
fn written_of(t: &Table, kind: &'static str, name: &str) -> Vec<(&'static str, String)> {
    t.written
        .range((kind, name.to_string(), "")..)
        .take_while(|((k, n, _), _)| *k == kind && n == name)
        .map(|((_, _, field), text)| (*field, text.clone()))
        .collect()
}

fn flatten_table(t: &Table, facts: &Facts, out: &mut Objects) {
    let schema = t.name.schema.as_str();
    let table = t.name.name.as_str();
    let origin = |o: &Option<crate::model::Origin>| o.as_ref().map(ToString::to_string);

    let mut o = Object::new(table).attr("rls_enabled", json!(t.rls_enabled));
    o.unknown = t.unknown.iter().cloned().collect();
    o.origin = origin(&t.origin);
    out.insert(key(schema, Some(table), ObjectKind::Table, table), o);

    for c in &t.columns {
        let mut o = column_attributes(Object::new(&c.name), c, facts);
        o.unknown = c.unknown.iter().cloned().collect();
        o.written = written_of(t, "column", &c.name);
        o.origin = origin(&c.origin);
        out.insert(key(schema, Some(table), ObjectKind::Column, &c.name), o);
    }
    if let Some(pk) = &t.primary_key {
        // One primary key per table: keyed by the table so a renamed key is one
        // `name` difference, not a missing key plus an extra one.
        let mut o = Object::new(&pk.name)
            .attr("columns", json!(pk.columns))
            .attr("name", json!(pk.name));
        if t.unknown.contains(crate::model::UNKNOWN_PRIMARY_KEY_NAME) {
            o.unknown.push("name".to_string());
        }
        out.insert(key(schema, Some(table), ObjectKind::PrimaryKey, ""), o);
    }
    for i in &t.indexes {
        let mut o = index_attributes(Object::new(&i.name), i, t, facts);
        for field in ["method", "where"] {
            if t.unknown
                .contains(&crate::model::unknown_field("index", &i.name, field))
            {
                o.unknown.push(field.to_string());
            }
        }
        o.written = written_of(t, "index", &i.name);
        o.origin = origin(&i.origin);
        out.insert(key(schema, Some(table), ObjectKind::Index, &i.name), o);
    }
    for fk in &t.foreign_keys {
        let mut o = Object::new(&fk.name)
            .attr("name", json!(fk.name))
            .attr("columns", json!(fk.columns))
            .attr(
                "references",
                json!(format!("{}({})", fk.references, fk.ref_columns.join(", "))),
            )
            .attr("on_delete", json!(fk.on_delete))
            .attr("on_update", json!(fk.on_update));
        o.origin = origin(&fk.origin);
        out.insert(
            key(schema, Some(table), ObjectKind::ForeignKey, &fk.name),
            o,
        );
    }
    for u in &t.uniques {
        let mut o = Object::new(&u.name)
            .attr("name", json!(u.name))
            .attr("columns", json!(u.columns))
            .attr("nulls_not_distinct", json!(u.nulls_not_distinct));
        o.origin = origin(&u.origin);
        out.insert(key(schema, Some(table), ObjectKind::Unique, &u.name), o);
    }
    for c in &t.checks {
        let mut o = Object::new(&c.name).attr("definition", json!(c.expression));
        o.written = written_of(t, "check", &c.name);
        o.origin = origin(&c.origin);
        out.insert(key(schema, Some(table), ObjectKind::Check, &c.name), o);
    }
    for p in &t.policies {
        let mut o = Object::new(&p.name)
            .attr("as", json!(p.kind))
            .attr("for", json!(p.command))
            .attr("to", json!(p.to))
            .attr("using", json!(p.using))
            .attr("with_check", json!(p.with_check));
        o.written = written_of(t, "policy", &p.name);
        o.origin = origin(&p.origin);
        out.insert(key(schema, Some(table), ObjectKind::Policy, &p.name), o);
    }
}

fn column_attributes(o: Object, c: &Column, facts: &Facts) -> Object {
    let identity = c.identity.as_ref().map(|i| {
        let mut s = format!("generated {} as identity", i.kind.as_str());
        let opts = sequence_text(&i.options);
        if !opts.is_empty() {
            s.push_str(&format!(" ({opts})"));
        }
        s
    });
    let generated = c
        .generated
        .as_ref()
        .map(|g| format!("{} ({:?})", g.expression, g.kind).to_lowercase());
    let mut o = o
        .attr("type", json!(c.sql_type))
        .attr("not_null", json!(c.not_null))
        .attr("default", json!(c.default))
        .attr("identity", json!(identity))
        .attr("generated", json!(generated));
    if c.autoincrement {
        o = o.attr("autoincrement", json!(true));
    }
    if c.on_update.is_some() {
        o = o.attr("on_update", json!(c.on_update));
    }
    let (collation, charset) = collation(c, facts);
    if collation.is_some() {
        o = o.attr("collation", json!(collation));
    }
    if charset.is_some() {
        o = o.attr("charset", json!(charset));
    }
    o
}

/// The column's collation and character set as they are compared. Where the database's
/// facts are known (MySQL): a character set alone means its default collation, a
/// collation implies its character set, and the table's own collation is none.
fn collation<'c>(c: &'c Column, facts: &Facts<'c>) -> (Option<&'c str>, Option<&'c str>) {
    let (Some(defaults), Some(table)) = (facts.charset_collations, facts.table_collation) else {
        return (c.collation.as_deref(), c.charset.as_deref());
    };
    let by_charset = || {
        c.charset
            .as_deref()
            .and_then(|cs| defaults.get(cs))
            .map(String::as_str)
    };
    match c.collation.as_deref().or_else(by_charset) {
        Some(collation) if collation == table => (None, None),
        Some(collation) => (Some(collation), None),
        None => (None, c.charset.as_deref()),
    }
}

fn sequence_text(o: &SequenceOptions) -> String {
    let mut parts = Vec::new();
    let mut push = |label: &str, v: &Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{label} {v}"));
        }
    };
    push("increment by", &o.increment);
    push("minvalue", &o.min_value);
    push("maxvalue", &o.max_value);
    push("start with", &o.start_with);
    push("cache", &o.cache);
    if o.cycle {
        parts.push("cycle".into());
    }
    parts.join(" ")
}

fn sequence_attributes(o: Object, s: &SequenceOptions) -> Object {
    o.attr("increment", json!(s.increment))
        .attr("min_value", json!(s.min_value))
        .attr("max_value", json!(s.max_value))
        .attr("start_with", json!(s.start_with))
        .attr("cache", json!(s.cache))
        .attr("cycle", json!(s.cycle))
}

/// `lower(email) desc nulls first` — one key as it would read in `CREATE INDEX`.
pub fn index_key_text(k: &IndexKey) -> String {
    // A column spelled as canonical expressions spell it (`"createdAt"`), so a column key
    // and an expression key naming that column read alike.
    let mut s = if k.is_expression {
        k.expression.clone()
    } else {
        quote_ident(&k.expression)
    };
    if let Some(op) = &k.opclass {
        s.push(' ');
        s.push_str(op);
    }
    if !k.asc {
        s.push_str(" desc");
    }
    // PostgreSQL's default: NULLS LAST for ASC, NULLS FIRST for DESC.
    if k.nulls_first == k.asc {
        s.push_str(if k.nulls_first {
            " nulls first"
        } else {
            " nulls last"
        });
    }
    s
}

fn index_attributes(o: Object, i: &Index, t: &Table, facts: &Facts) -> Object {
    let keys: Vec<String> = i
        .keys
        .iter()
        .map(|k| {
            let default = k.opclass.as_ref().is_some_and(|op| {
                facts
                    .default_opclasses
                    .contains(&format!("{} {op}", i.method))
            });
            let mut key = k.clone();
            if default {
                key.opclass = None;
            }
            if facts.live && key.is_expression {
                plain_collated_column(&mut key, t);
            }
            index_key_text(&key)
        })
        .collect();
    o.attr("name", json!(i.name))
        .attr("columns", json!(keys))
        .attr("unique", json!(i.unique))
        .attr("method", json!(i.method))
        .attr("where", json!(i.where_clause))
        .attr("with", json!(i.with))
}

/// An index key `col COLLATE "C"` (an expression to drizzle-kit, a column key with a
/// collation to PostgreSQL) on a column that has that collation already is the plain
/// column to the database: `pg_get_indexdef` prints no COLLATE for it.
fn plain_collated_column(key: &mut IndexKey, t: &Table) {
    let Some((column, collation)) = collated_column(&key.expression) else {
        return;
    };
    let plain = t
        .column(&column)
        .is_some_and(|c| c.collation.as_deref() == Some(collation.as_str()));
    if plain {
        key.expression = column;
        key.is_expression = false;
    }
}

/// Where a source declared the object, from the model itself.
pub fn origin<'a>(
    schema: &'a Schema,
    table: &QualifiedName,
    kind: ObjectKind,
    name: &str,
) -> Option<&'a Origin> {
    let t = schema.tables.get(table)?;
    match kind {
        ObjectKind::Table => t.origin.as_ref(),
        ObjectKind::Column => t.column(name)?.origin.as_ref(),
        ObjectKind::Index => t.indexes.iter().find(|i| i.name == *name)?.origin.as_ref(),
        ObjectKind::ForeignKey => t
            .foreign_keys
            .iter()
            .find(|i| i.name == *name)?
            .origin
            .as_ref(),
        ObjectKind::Unique => t.uniques.iter().find(|i| i.name == *name)?.origin.as_ref(),
        ObjectKind::Check => t.checks.iter().find(|i| i.name == *name)?.origin.as_ref(),
        ObjectKind::Policy => t.policies.iter().find(|i| i.name == *name)?.origin.as_ref(),
        // The primary key has no origin of its own: its table's.
        ObjectKind::PrimaryKey => t.origin.as_ref(),
        _ => None,
    }
}
