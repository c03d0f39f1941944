//! `sql` templates, the operators of `drizzle-orm` (`eq`, `and`…) and the query builder
//! views are written with, rendered the way drizzle-orm's PgDialect renders them for
//! drizzle-kit: columns table-qualified (bare in index expressions), parameters as `$n`
//! unless inlined.

use super::casing::column_name;
use super::value::{
    js_number, js_string, json_stringify, Chunk, Dz, Family, Loc, QueryV, Sql, TableCol, Value,
    ViewBuilderV, ViewV, Why,
};
use crate::config::Casing;
use std::rc::Rc;

pub(super) fn is_sql_tag(name: &str) -> bool {
    name == "orm.sql"
}

fn why(message: impl Into<String>, loc: Option<Loc>) -> Rc<Why> {
    Rc::new(Why::new(message.into(), loc))
}

/// sql`...` with its interpolated values.
pub(super) fn template<'a>(strings: &[&str], values: Vec<Value<'a>>) -> Value<'a> {
    let mut chunks = Vec::new();
    if !values.is_empty() || strings.first().is_some_and(|s| !s.is_empty()) {
        chunks.push(Chunk::Text(Rc::from(
            strings.first().copied().unwrap_or(""),
        )));
    }
    for (i, v) in values.into_iter().enumerate() {
        chunks.push(Chunk::Value(v));
        chunks.push(Chunk::Text(Rc::from(
            strings.get(i + 1).copied().unwrap_or(""),
        )));
    }
    Value::Host(Dz::Sql(Rc::new(Sql {
        chunks,
        inline: false,
    })))
}

pub(super) fn raw_sql<'a>(text: &str) -> Value<'a> {
    Value::Host(Dz::Sql(Rc::new(Sql {
        chunks: vec![Chunk::Text(Rc::from(text))],
        inline: false,
    })))
}

fn sql_of<'a>(chunks: Vec<Chunk<'a>>) -> Value<'a> {
    Value::Host(Dz::Sql(Rc::new(Sql {
        chunks,
        inline: false,
    })))
}

fn text<'a>(s: &str) -> Chunk<'a> {
    Chunk::Text(Rc::from(s))
}

/// `sql.raw(...)`, `sql.identifier(...)`, `sql.join(...)`…
pub(super) fn sql_static<'a>(name: &str, args: Vec<Value<'a>>, at: Option<Loc>) -> Value<'a> {
    let first = args.first().cloned().unwrap_or(Value::Undefined);
    if let Value::Unknown(_) = first {
        return first;
    }
    match name {
        "raw" => match js_string(&first) {
            Some(s) => raw_sql(&s),
            None => Value::unknown(format!("sql.raw() of {}", first.kind()), at),
        },
        "identifier" => match first {
            Value::Str(s) => sql_of(vec![Chunk::Ident(s)]),
            other => Value::unknown(format!("sql.identifier() of {}", other.kind()), at),
        },
        "empty" => sql_of(Vec::new()),
        "param" => sql_of(vec![Chunk::Param(first, None)]),
        "join" => match first {
            Value::Array(items) => {
                let sep = args.get(1).cloned();
                let mut chunks = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        if let Some(sep) = &sep {
                            chunks.push(Chunk::Value(sep.clone()));
                        }
                    }
                    chunks.push(Chunk::Value(item.clone()));
                }
                sql_of(chunks)
            }
            other => Value::unknown(format!("sql.join() of {}", other.kind()), at),
        },
        _ => Value::unknown(format!("calls sql.{name}()"), at),
    }
}

/// Methods of an `sql` value.
pub(super) fn sql_method<'a>(
    object: Value<'a>,
    name: &str,
    args: Vec<Value<'a>>,
    at: Option<Loc>,
) -> Value<'a> {
    let first = args.first().cloned().unwrap_or(Value::Undefined);
    match (&object, name) {
        (Value::Host(Dz::Sql(s)), "as") => match first {
            Value::Str(alias) => Value::Host(Dz::Aliased(Rc::new((s.clone(), alias)))),
            Value::Undefined => object,
            other => Value::unknown(format!("aliases sql with {}", other.kind()), at),
        },
        (_, "mapWith" | "getSQL") => object,
        (Value::Host(Dz::Sql(s)), "inlineParams") => {
            let mut s = (**s).clone();
            s.inline = true;
            Value::Host(Dz::Sql(Rc::new(s)))
        }
        (Value::Host(Dz::Sql(_)), "if") => match first.truthy() {
            Some(true) => object,
            Some(false) => Value::Undefined,
            None => first,
        },
        (Value::Host(Dz::Sql(s)), "append") => match first {
            Value::Host(Dz::Sql(other)) => {
                let mut s = (**s).clone();
                s.chunks.extend(other.chunks.iter().cloned());
                Value::Host(Dz::Sql(Rc::new(s)))
            }
            other => Value::unknown(format!("appends {} to sql", other.kind()), at),
        },
        _ => Value::unknown(format!("calls sql.{name}()"), at),
    }
}

/// drizzle-orm's `bindIfParam`: plain values next to a column are encoded like the column.
fn bind<'a>(value: Value<'a>, column: &Value<'a>) -> Chunk<'a> {
    let encoder = match column {
        Value::Host(Dz::TableCol(c)) => Some(c.col().builder.clone()),
        _ => None,
    };
    match (&value, encoder) {
        (
            Value::Str(_)
            | Value::Num(_)
            | Value::Bool(_)
            | Value::Null
            | Value::BigInt(_)
            | Value::Object(_)
            | Value::Array(_),
            Some(enc),
        ) => Chunk::Param(value, Some(enc)),
        _ => Chunk::Value(value),
    }
}

thread_local! {
    /// The schema is read for drizzle-kit 1.0, which comes with drizzle-orm 1.0: its
    /// `and`/`or`/`not`/`isNull`/`isNotNull` add parentheses. Set per read (each read runs
    /// on its own thread) so the evaluator, which names no drizzle-orm version, need not
    /// carry it.
    static ORM_V1: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Spell drizzle-orm 1.0's operators (see `ORM_V1`) in this thread's reads from now on.
pub(super) fn spell_orm_v1(on: bool) {
    ORM_V1.with(|c| c.set(on));
}

pub(super) fn orm_v1() -> bool {
    ORM_V1.with(std::cell::Cell::get)
}

/// `eq`, `and`, `count`… from `drizzle-orm`.
pub(super) fn call_orm<'a>(name: &str, args: Vec<Value<'a>>, at: Option<Loc>) -> Value<'a> {
    if let Some(u) = args.iter().find(|a| a.is_unknown()) {
        return u.clone();
    }
    let a = |i: usize| args.get(i).cloned().unwrap_or(Value::Undefined);
    let binary = |op: &str| {
        let left = a(0);
        let right = bind(a(1), &left);
        sql_of(vec![Chunk::Value(left), text(&format!(" {op} ")), right])
    };
    match name {
        "orm.eq" => binary("="),
        "orm.ne" => binary("<>"),
        "orm.gt" => binary(">"),
        "orm.gte" => binary(">="),
        "orm.lt" => binary("<"),
        "orm.lte" => binary("<="),
        "orm.like" | "orm.notLike" | "orm.ilike" | "orm.notIlike" => {
            let op = match name {
                "orm.like" => "like",
                "orm.notLike" => "not like",
                "orm.ilike" => "ilike",
                _ => "not ilike",
            };
            sql_of(vec![
                Chunk::Value(a(0)),
                text(&format!(" {op} ")),
                Chunk::Value(a(1)),
            ])
        }
        "orm.and" | "orm.or" => {
            let conditions: Vec<Value<'a>> = args
                .into_iter()
                .filter(|c| !matches!(c, Value::Undefined))
                .collect();
            match conditions.len() {
                0 => Value::Undefined,
                1 => sql_of(conditions.into_iter().map(Chunk::Value).collect()),
                _ if orm_v1() => {
                    // drizzle-orm 1.0: `((a) and (b))`.
                    let sep = if name == "orm.and" {
                        ") and ("
                    } else {
                        ") or ("
                    };
                    let mut chunks = vec![text("((")];
                    for (i, c) in conditions.into_iter().enumerate() {
                        if i > 0 {
                            chunks.push(text(sep));
                        }
                        chunks.push(Chunk::Value(c));
                    }
                    chunks.push(text("))"));
                    sql_of(chunks)
                }
                _ => {
                    let sep = if name == "orm.and" { " and " } else { " or " };
                    let mut chunks = vec![text("(")];
                    for (i, c) in conditions.into_iter().enumerate() {
                        if i > 0 {
                            chunks.push(text(sep));
                        }
                        chunks.push(Chunk::Value(c));
                    }
                    chunks.push(text(")"));
                    sql_of(chunks)
                }
            }
        }
        "orm.not" if orm_v1() && matches!(a(0), Value::Host(Dz::Sql(_))) => {
            sql_of(vec![text("not ("), Chunk::Value(a(0)), text(")")])
        }
        "orm.not" => sql_of(vec![text("not "), Chunk::Value(a(0))]),
        "orm.isNull" | "orm.isNotNull" if orm_v1() => {
            let op = if name == "orm.isNull" {
                " is null)"
            } else {
                " is not null)"
            };
            sql_of(vec![text("("), Chunk::Value(a(0)), text(op)])
        }
        "orm.isNull" => sql_of(vec![Chunk::Value(a(0)), text(" is null")]),
        "orm.isNotNull" => sql_of(vec![Chunk::Value(a(0)), text(" is not null")]),
        "orm.exists" => sql_of(vec![text("exists "), Chunk::Value(a(0))]),
        "orm.notExists" => sql_of(vec![text("not exists "), Chunk::Value(a(0))]),
        "orm.inArray" | "orm.notInArray" => {
            let column = a(0);
            let op = if name == "orm.inArray" {
                " in "
            } else {
                " not in "
            };
            match a(1) {
                Value::Array(items) if items.is_empty() => raw_sql(if name == "orm.inArray" {
                    "false"
                } else {
                    "true"
                }),
                Value::Array(items) => {
                    let mut list = vec![text("(")];
                    for (i, v) in items.iter().enumerate() {
                        if i > 0 {
                            list.push(text(", "));
                        }
                        list.push(bind(v.clone(), &column));
                    }
                    list.push(text(")"));
                    sql_of(vec![
                        Chunk::Value(column),
                        text(op),
                        Chunk::Value(sql_of(list)),
                    ])
                }
                other => {
                    let right = bind(other, &column);
                    sql_of(vec![Chunk::Value(column), text(op), right])
                }
            }
        }
        "orm.between" | "orm.notBetween" => {
            let column = a(0);
            let op = if name == "orm.between" {
                " between "
            } else {
                " not between "
            };
            let lo = bind(a(1), &column);
            let hi = bind(a(2), &column);
            sql_of(vec![Chunk::Value(column), text(op), lo, text(" and "), hi])
        }
        "orm.asc" => sql_of(vec![Chunk::Value(a(0)), text(" asc")]),
        "orm.desc" => sql_of(vec![Chunk::Value(a(0)), text(" desc")]),
        "orm.count" => {
            let inner = match a(0) {
                v if v.truthy() == Some(true) => Chunk::Value(v),
                _ => Chunk::Value(raw_sql("*")),
            };
            sql_of(vec![text("count("), inner, text(")")])
        }
        "orm.countDistinct" | "orm.sum" | "orm.sumDistinct" | "orm.avg" | "orm.avgDistinct"
        | "orm.max" | "orm.min" => {
            let f = match name {
                "orm.countDistinct" => "count(distinct ",
                "orm.sum" => "sum(",
                "orm.sumDistinct" => "sum(distinct ",
                "orm.avg" => "avg(",
                "orm.avgDistinct" => "avg(distinct ",
                "orm.max" => "max(",
                _ => "min(",
            };
            sql_of(vec![text(f), Chunk::Value(a(0)), text(")")])
        }
        _ => Value::unknown(format!("calls {}", name.trim_start_matches("orm.")), at),
    }
}

/// Which drizzle-orm call renders the SQL.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// `dialect.sqlToQuery(sql)`: checks, where clauses, generated columns, policies, views.
    Query,
    /// `dialect.sqlToQuery(sql, "indexes")`: columns without their table.
    Index,
    /// drizzle-kit's `sqlToStr` for defaults: names and parameters make it throw.
    Default,
}

/// How names are written: the config's casing, and the dialect's quoting.
#[derive(Clone, Copy, Default)]
pub(super) struct Style {
    pub casing: Option<Casing>,
    pub mysql: bool,
}

struct Renderer {
    casing: Option<Casing>,
    mysql: bool,
    mode: Mode,
    params: u32,
}

pub(super) fn render_with(sql: &Sql<'_>, mode: Mode, style: Style) -> Result<String, Rc<Why>> {
    render(sql, mode, style, sql.inline)
}

/// `render_with` after drizzle-orm's `inlineParams()`: parameters written as literals.
pub(super) fn render_inlined(sql: &Sql<'_>, mode: Mode, style: Style) -> Result<String, Rc<Why>> {
    render(sql, mode, style, true)
}

fn render(sql: &Sql<'_>, mode: Mode, style: Style, inline: bool) -> Result<String, Rc<Why>> {
    let mut r = Renderer {
        casing: style.casing,
        mysql: style.mysql,
        mode,
        params: 0,
    };
    let mut out = String::new();
    r.sql(sql, inline, &mut out, 0)?;
    Ok(out)
}

fn escape_name(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn escape_mysql_name(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

fn escape_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub(super) fn table_col_name(c: &TableCol<'_>, casing: Option<Casing>) -> String {
    let col = c.col();
    column_name(&col.name, col.key_as_name, casing)
}

impl Renderer {
    fn name(&self, name: &str) -> String {
        if self.mysql {
            escape_mysql_name(name)
        } else {
            escape_name(name)
        }
    }

    fn names_allowed(&self) -> Result<(), Rc<Why>> {
        if self.mode == Mode::Default {
            return Err(why(
                "drizzle-kit cannot write a default that names a column, table or identifier",
                None,
            ));
        }
        Ok(())
    }

    fn sql(
        &mut self,
        sql: &Sql<'_>,
        inline: bool,
        out: &mut String,
        depth: u32,
    ) -> Result<(), Rc<Why>> {
        if depth > 100 {
            return Err(why("nests sql too deeply", None));
        }
        for chunk in &sql.chunks {
            match chunk {
                Chunk::Text(t) => out.push_str(t),
                Chunk::Ident(n) => {
                    self.names_allowed()?;
                    out.push_str(&self.name(n));
                }
                Chunk::Param(v, encoder) => {
                    let encoded = match (v, encoder) {
                        (Value::Host(Dz::Sql(s)), _) => {
                            self.sql(s, inline || s.inline, out, depth + 1)?;
                            continue;
                        }
                        (other, Some(enc)) if enc.family == Family::Json => {
                            match json_stringify(other) {
                                Ok(Some(s)) => Value::str(&s),
                                Ok(None) => Value::Undefined,
                                Err(w) => return Err(why(w, None)),
                            }
                        }
                        (other, _) => other.clone(),
                    };
                    self.param(&encoded, inline, out)?;
                }
                Chunk::Value(v) => self.value(v, inline, out, depth)?,
            }
        }
        Ok(())
    }

    fn param(&mut self, v: &Value<'_>, inline: bool, out: &mut String) -> Result<(), Rc<Why>> {
        if inline {
            let text = match v {
                Value::Null => "null".to_string(),
                Value::Num(n) => js_number(*n),
                Value::Bool(b) => b.to_string(),
                Value::Str(s) => {
                    if self.mode == Mode::Default {
                        return Err(why(
                            "drizzle-kit cannot write a default with a string parameter",
                            None,
                        ));
                    }
                    escape_string(s)
                }
                Value::Object(_) => match json_stringify(v) {
                    Ok(Some(s)) => escape_string(&s),
                    _ => return Err(why("inlines an object that has no JSON form", None)),
                },
                Value::Array(_) | Value::BigInt(_) => match js_string(v) {
                    Some(s) => escape_string(&s),
                    None => return Err(why("inlines an array of objects", None)),
                },
                Value::Unknown(w) => return Err(w.clone()),
                other => return Err(why(format!("inlines {}", other.kind()), None)),
            };
            out.push_str(&text);
        } else {
            if let Value::Unknown(w) = v {
                return Err(w.clone());
            }
            if self.mode == Mode::Default {
                return Err(why(
                    "drizzle-kit cannot write a default with a parameter",
                    None,
                ));
            }
            self.params += 1;
            if self.mysql {
                out.push('?');
            } else {
                out.push_str(&format!("${}", self.params));
            }
        }
        Ok(())
    }

    fn value(
        &mut self,
        v: &Value<'_>,
        inline: bool,
        out: &mut String,
        depth: u32,
    ) -> Result<(), Rc<Why>> {
        match v {
            Value::Undefined => {}
            Value::Array(items) => {
                out.push('(');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.value(item, inline, out, depth + 1)?;
                }
                out.push(')');
            }
            Value::Host(Dz::Sql(s)) => self.sql(s, inline || s.inline, out, depth + 1)?,
            Value::Host(Dz::Table(t)) => {
                self.names_allowed()?;
                if let Some(schema) = &t.schema {
                    out.push_str(&self.name(schema));
                    out.push('.');
                }
                out.push_str(&self.name(&t.name));
            }
            Value::Host(Dz::TableCol(c)) => {
                self.names_allowed()?;
                let name = self.name(&table_col_name(c, self.casing));
                if self.mode != Mode::Index {
                    if let Some(schema) = &c.table.schema {
                        out.push_str(&self.name(schema));
                        out.push('.');
                    }
                    out.push_str(&self.name(&c.table.name));
                    out.push('.');
                }
                out.push_str(&name);
            }
            Value::Host(Dz::View(view)) => {
                self.names_allowed()?;
                if let Some(schema) = &view.schema {
                    out.push_str(&self.name(schema));
                    out.push('.');
                }
                out.push_str(&self.name(&view.name));
            }
            Value::Host(Dz::Enum(e)) => {
                self.names_allowed()?;
                if let Some(schema) = &e.schema {
                    out.push_str(&self.name(schema));
                    out.push('.');
                }
                out.push_str(&self.name(&e.name));
            }
            Value::Host(Dz::PgSchema(s)) => {
                self.names_allowed()?;
                out.push_str(&self.name(s));
            }
            Value::Host(Dz::Aliased(a)) => {
                self.names_allowed()?;
                out.push_str(&self.name(&a.1));
            }
            Value::Unknown(w) => return Err(w.clone()),
            Value::Str(_)
            | Value::Num(_)
            | Value::Bool(_)
            | Value::Null
            | Value::BigInt(_)
            | Value::Object(_) => self.param(v, inline, out)?,
            other => return Err(why(format!("puts {} into sql", other.kind()), None)),
        }
        Ok(())
    }
}

// ----- views ------------------------------------------------------------------------

pub(super) fn view<'a>(
    vb: &ViewBuilderV<'a>,
    existing: bool,
    definition: Result<String, Rc<Why>>,
    fields: Vec<(Rc<str>, Value<'a>)>,
) -> Value<'a> {
    Value::Host(Dz::View(Rc::new(ViewV {
        name: vb.name.clone(),
        schema: vb.schema.clone(),
        materialized: vb.materialized,
        existing,
        definition,
        fields,
        loc: vb.loc,
        mysql: vb.mysql,
    })))
}

/// Methods of the query builder a view is defined with.
pub(super) fn query_method<'a>(
    q: &Rc<QueryV<'a>>,
    name: &str,
    args: Vec<Value<'a>>,
    at: Option<Loc>,
) -> Value<'a> {
    if let Some(u) = args.iter().find(|a| a.is_unknown()) {
        return u.clone();
    }
    let first = args.first().cloned().unwrap_or(Value::Undefined);
    let mut next = (**q).clone();
    match name {
        "select" | "selectDistinct" if !q.started => {
            next.started = true;
            next.distinct = name == "selectDistinct";
            next.fields = match first {
                Value::Undefined => None,
                Value::Object(o) => {
                    if let Some(h) = o.holes.first() {
                        return Value::Unknown(h.clone());
                    }
                    Some(
                        super::value::ordered_props(&o)
                            .into_iter()
                            .map(|(k, v, _)| (k.clone(), v.clone()))
                            .collect(),
                    )
                }
                other => return Value::unknown(format!("selects {}", other.kind()), at),
            };
        }
        "from" if q.started && q.from.is_none() => next.from = Some(first),
        "where" if q.from.is_some() => next.where_ = Some(first),
        "groupBy" => next.group_by = args,
        "having" => next.having = Some(first),
        "orderBy" => next.order_by = args,
        "limit" => next.limit = Some(first),
        "offset" => next.offset = Some(first),
        "innerJoin" | "leftJoin" | "rightJoin" | "fullJoin" if q.from.is_some() => {
            let kind = match name {
                "innerJoin" => "inner",
                "leftJoin" => "left",
                "rightJoin" => "right",
                _ => "full",
            };
            next.joins.push((kind, first, args.get(1).cloned()));
        }
        _ => return Value::unknown(format!("calls .{name}() on the query builder"), at),
    }
    Value::Host(Dz::Query(Rc::new(next)))
}

/// The view `pgView(name).as(qb => …)` defines.
pub(super) fn view_from_query<'a>(
    vb: &ViewBuilderV<'a>,
    built: Value<'a>,
    at: Option<Loc>,
    casing: Option<Casing>,
) -> Value<'a> {
    match built {
        Value::Host(Dz::Query(q)) => match query_sql(&q, at, casing, vb.mysql) {
            Ok((sql, fields)) => view(vb, false, Ok(sql), fields),
            Err(w) => view(vb, false, Err(w), Vec::new()),
        },
        Value::Unknown(w) => view(vb, false, Err(w), Vec::new()),
        other => view(
            vb,
            false,
            Err(why(format!("defines a view with {}", other.kind()), at)),
            Vec::new(),
        ),
    }
}

/// A select's fields: key and value.
type Fields<'a> = Vec<(Rc<str>, Value<'a>)>;

/// The SQL drizzle-orm's `buildSelectQuery` writes for a select, inlined, and the fields.
fn query_sql<'a>(
    q: &QueryV<'a>,
    at: Option<Loc>,
    casing: Option<Casing>,
    vb_mysql: bool,
) -> Result<(String, Fields<'a>), Rc<Why>> {
    let Some(from) = &q.from else {
        return Err(why("defines a view with a query that has no .from()", at));
    };
    let single = q.joins.is_empty();
    let fields: Vec<(Rc<str>, Value<'a>)> = match &q.fields {
        Some(f) => f.clone(),
        None => match from {
            Value::Host(Dz::Table(t)) if single => t
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        c.key.clone(),
                        Value::Host(Dz::TableCol(Rc::new(TableCol {
                            table: t.clone(),
                            index: i,
                            extra: false,
                            desc: false,
                            nulls_first: false,
                            opclass: None,
                        }))),
                    )
                })
                .collect(),
            _ => return Err(why("selects every column of a join or subquery", at)),
        },
    };
    let mut chunks: Vec<Chunk<'a>> = vec![text("select")];
    if q.distinct {
        chunks.push(text(" distinct"));
    }
    chunks.push(text(" "));
    for (i, (key, field)) in fields.iter().enumerate() {
        match field {
            Value::Host(Dz::TableCol(c)) => {
                if single {
                    // The query builder of `.as(qb => …)` has no casing: bare selected
                    // columns keep their key, while qualified ones get the config's casing
                    // when drizzle-kit renders the query.
                    chunks.push(Chunk::Ident(Rc::from(table_col_name(c, None))));
                } else {
                    chunks.push(Chunk::Value(field.clone()));
                }
            }
            Value::Host(Dz::Aliased(a)) => {
                let inner = if single {
                    Sql {
                        chunks: a
                            .0
                            .chunks
                            .iter()
                            .map(|c| match c {
                                Chunk::Value(Value::Host(Dz::TableCol(tc))) => {
                                    Chunk::Ident(Rc::from(table_col_name(tc, None)))
                                }
                                other => other.clone(),
                            })
                            .collect(),
                        inline: a.0.inline,
                    }
                } else {
                    (*a.0).clone()
                };
                chunks.push(Chunk::Value(Value::Host(Dz::Sql(Rc::new(inner)))));
                chunks.push(text(" as "));
                chunks.push(Chunk::Ident(a.1.clone()));
            }
            Value::Host(Dz::Sql(_)) => {
                return Err(why(
                    format!("selects `{key}` as raw sql without .as(\"{key}\"), which drizzle-kit rejects in a view"),
                    at,
                ))
            }
            Value::Unknown(w) => return Err(w.clone()),
            other => return Err(why(format!("selects `{key}` as {}", other.kind()), at)),
        }
        if i + 1 < fields.len() {
            chunks.push(text(", "));
        }
    }
    chunks.push(text(" from "));
    chunks.push(Chunk::Value(from.clone()));
    for (kind, table, on) in &q.joins {
        chunks.push(text(" "));
        chunks.push(text(&format!("{kind} join ")));
        chunks.push(Chunk::Value(table.clone()));
        if let Some(on) = on {
            chunks.push(text(" on "));
            chunks.push(Chunk::Value(on.clone()));
        }
    }
    if let Some(w) = &q.where_ {
        if w.truthy() != Some(false) {
            chunks.push(text(" where "));
            chunks.push(Chunk::Value(w.clone()));
        }
    }
    let list = |items: &[Value<'a>], chunks: &mut Vec<Chunk<'a>>| {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                chunks.push(text(", "));
            }
            chunks.push(Chunk::Value(item.clone()));
        }
    };
    if !q.group_by.is_empty() {
        chunks.push(text(" group by "));
        list(&q.group_by, &mut chunks);
    }
    if let Some(h) = &q.having {
        chunks.push(text(" having "));
        chunks.push(Chunk::Value(h.clone()));
    }
    if !q.order_by.is_empty() {
        chunks.push(text(" order by "));
        list(&q.order_by, &mut chunks);
    }
    if let Some(l) = &q.limit {
        if matches!(l, Value::Num(n) if *n >= 0.0) || matches!(l, Value::Object(_) | Value::Null) {
            chunks.push(text(" limit "));
            chunks.push(Chunk::Value(l.clone()));
        }
    }
    if let Some(o) = &q.offset {
        if o.truthy() == Some(true) {
            chunks.push(text(" offset "));
            chunks.push(Chunk::Value(o.clone()));
        }
    }
    let sql = Sql {
        chunks,
        inline: true,
    };
    let style = Style {
        casing,
        mysql: vb_mysql,
    };
    Ok((render_with(&sql, Mode::Query, style)?, fields))
}
