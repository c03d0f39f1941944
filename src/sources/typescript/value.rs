//! The values the schema evaluator computes: a small subset of JavaScript values plus the
//! drizzle-orm objects a schema file builds (column builders, tables, enums, constraints,
//! `sql` fragments…). Drizzle objects are immutable here: a method returns a changed copy,
//! which is what every real schema observes since builders are used once.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use oxc_ast::ast::{ArrowFunctionExpression, Function};

/// Where something was written: a module index and a byte offset in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Loc {
    pub module: u32,
    pub offset: u32,
}

/// Why a value could not be evaluated, and where.
#[derive(Debug, Clone)]
pub(super) struct Why {
    pub message: String,
    pub loc: Option<Loc>,
}

#[derive(Clone)]
pub(super) enum Value<'a> {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    /// Decimal digits of a `123n` literal.
    BigInt(Rc<str>),
    Str(Rc<str>),
    Array(Rc<Vec<Value<'a>>>),
    Object(Rc<Obj<'a>>),
    Func(Rc<Closure<'a>>),
    /// A function of drizzle-orm or of the JavaScript runtime, by canonical name
    /// (`pg.pgTable`, `orm.sql`, `Object.values`).
    Builtin(&'static str),
    /// A method looked up on a value, called later (`const t = schema.table`).
    Bound(Rc<(Value<'a>, Rc<str>)>),
    /// `import * as x from "<module>"` of a schema module.
    Namespace(u32),
    /// A column builder. drizzle-orm's builders are mutable and methods return the same
    /// object, so a builder shared by two tables or variables is one cell here too.
    Column(Rc<RefCell<ColumnB<'a>>>),
    TableCol(Rc<TableCol<'a>>),
    Table(Rc<TableV<'a>>),
    /// The columns the third argument of `pgTable` receives (`t` in `(t) => [...]`).
    ExtraCols(Rc<TableV<'a>>),
    Enum(Rc<EnumV>),
    PgSchema(Rc<str>),
    Sequence(Rc<SequenceV>),
    Role(Rc<RoleV>),
    Policy(Rc<PolicyV<'a>>),
    IndexOn(Rc<IndexOnV>),
    Index(Rc<IndexV<'a>>),
    PrimaryKey(Rc<PkV<'a>>),
    ForeignKey(Rc<FkV<'a>>),
    UniqueOn(Option<Rc<str>>),
    Unique(Rc<UniqueV<'a>>),
    Check(Rc<CheckV<'a>>),
    Sql(Rc<Sql<'a>>),
    /// `sql\`…\`.as("alias")`.
    Aliased(Rc<(Rc<Sql<'a>>, Rc<str>)>),
    /// The column factory `customType({ dataType() {…} })` returns (and whether it is
    /// mysql-core's).
    CustomType(Rc<(Rc<Obj<'a>>, bool)>),
    /// `mysqlSchema(name)`: another database on the same server.
    MySchema(Rc<str>),
    /// The table factory `pgTableCreator(fn)` returns (and whether it is mysql-core's).
    TableCreator(Rc<(Value<'a>, bool)>),
    ViewBuilder(Rc<ViewBuilderV<'a>>),
    View(Rc<ViewV<'a>>),
    /// The query builder a view's `.as(qb => …)` receives, and the selects it builds.
    Query(Rc<QueryV<'a>>),
    /// A `Date`: milliseconds since the epoch.
    Date(f64),
    /// Something drizzle-orm builds that no snapshot records (`relations(…)`).
    Ignored,
    Unknown(Rc<Why>),
}

impl<'a> Value<'a> {
    pub fn unknown(message: impl Into<String>, loc: Option<Loc>) -> Self {
        Value::Unknown(Rc::new(Why {
            message: message.into(),
            loc,
        }))
    }

    pub fn str(s: &str) -> Self {
        Value::Str(Rc::from(s))
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    pub fn is_nullish(&self) -> bool {
        matches!(self, Value::Undefined | Value::Null)
    }

    /// JavaScript truthiness; `None` when the value is not known.
    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            Value::Undefined | Value::Null => false,
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::BigInt(d) => !d.trim_start_matches(['-', '0']).is_empty(),
            Value::Str(s) => !s.is_empty(),
            Value::Unknown(_) => return None,
            _ => true,
        })
    }

    /// What `typeof` says, or a description for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Num(_) => "a number",
            Value::BigInt(_) => "a bigint",
            Value::Str(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) | Value::Namespace(_) => "an object",
            Value::Func(_) | Value::Builtin(_) | Value::Bound(_) => "a function",
            Value::Column(_) => "a column builder",
            Value::TableCol(_) => "a column",
            Value::Table(_) => "a table",
            Value::Enum(_) => "an enum",
            Value::Sql(_) | Value::Aliased(_) => "an sql fragment",
            Value::Unknown(_) => "an unknown value",
            Value::Date(_) => "a Date",
            _ => "a drizzle object",
        }
    }
}

/// One property: key, value, where it was written.
pub(super) type Prop<'a> = (Rc<str>, Value<'a>, Option<Loc>);

/// An object literal after spreads, in insertion order; each property remembers where it
/// was written.
#[derive(Default)]
pub(super) struct Obj<'a> {
    pub props: Vec<Prop<'a>>,
    /// Spreads that could not be evaluated: any key may come from them.
    pub holes: Vec<Rc<Why>>,
}

impl<'a> Obj<'a> {
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.props
            .iter()
            .find(|(k, _, _)| &**k == key)
            .map(|(_, v, _)| v)
    }

    /// Sets a key; an existing key keeps its position, as in JavaScript.
    pub fn set(&mut self, key: Rc<str>, value: Value<'a>, loc: Option<Loc>) {
        if let Some(slot) = self.props.iter_mut().find(|(k, _, _)| *k == key) {
            slot.1 = value;
            slot.2 = loc;
        } else {
            self.props.push((key, value, loc));
        }
    }
}

#[derive(Clone, Copy)]
pub(super) enum FnRef<'a> {
    Arrow(&'a ArrowFunctionExpression<'a>),
    Function(&'a Function<'a>),
}

/// A function written in a schema file, with the variables it closes over.
pub(super) struct Closure<'a> {
    pub func: FnRef<'a>,
    pub env: Option<Rc<Env<'a>>>,
    pub module: u32,
}

/// Local variables of a function call (module-level names are looked up in the module).
pub(super) struct Env<'a> {
    pub vars: RefCell<Vec<(&'a str, Value<'a>)>>,
    pub parent: Option<Rc<Env<'a>>>,
}

impl<'a> Env<'a> {
    pub fn new(parent: Option<Rc<Env<'a>>>) -> Rc<Self> {
        Rc::new(Env {
            vars: RefCell::new(Vec::new()),
            parent,
        })
    }

    pub fn lookup(&self, name: &str) -> Option<Value<'a>> {
        if let Some((_, v)) = self.vars.borrow().iter().rev().find(|(n, _)| *n == name) {
            return Some(v.clone());
        }
        self.parent.as_ref().and_then(|p| p.lookup(name))
    }

    pub fn define(&self, name: &'a str, value: Value<'a>) {
        let mut vars = self.vars.borrow_mut();
        if let Some(slot) = vars.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = value;
        } else {
            vars.push((name, value));
        }
    }
}

/// The SQL type a column builder produces.
#[derive(Clone)]
pub(super) enum ColType<'a> {
    /// drizzle-orm's `getSQLType()` text, e.g. `varchar(256)`, `timestamp (6)`.
    Sql(String),
    Enum(Rc<EnumV>),
    Array(Rc<ColumnB<'a>>, Option<f64>),
    Unknown(Rc<Why>),
}

/// Which builder class a column comes from, for the methods only some classes have and
/// the values drizzle-kit derives from the class.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Family {
    /// integer, smallint, bigint: identity columns.
    Int,
    /// timestamp, date, time: `defaultNow()`.
    Date,
    Uuid,
    Json,
    Other,
    /// mysql-core builders with `.autoincrement()` (the number types).
    MyAuto,
    /// mysql-core `timestamp`: `.defaultNow()` and `.onUpdateNow()`.
    MyTimestamp,
}

/// Sequence options as drizzle-kit's `stringFromIdentityProperty` turns them into text.
#[derive(Clone, Default, Debug)]
pub(super) struct SeqOpts {
    pub increment: Option<String>,
    pub min_value: Option<String>,
    pub max_value: Option<String>,
    pub start_with: Option<String>,
    pub cache: Option<String>,
    pub cycle: Option<bool>,
}

#[derive(Clone)]
pub(super) struct IdentityB {
    pub always: bool,
    pub name: Option<Rc<str>>,
    pub options: SeqOpts,
}

#[derive(Clone)]
pub(super) struct Reference<'a> {
    /// `() => users.id`
    pub target: Value<'a>,
    pub on_update: Option<Value<'a>>,
    pub on_delete: Option<Value<'a>>,
    pub loc: Loc,
}

/// A column builder: `varchar("email", { length: 256 }).notNull()`.
#[derive(Clone)]
pub(super) struct ColumnB<'a> {
    pub ty: ColType<'a>,
    pub family: Family,
    /// drizzle-orm's `columnType` (`PgInteger`), which drizzle-kit uses for identity ranges.
    pub column_type: &'static str,
    /// `None` when declared without a name and not yet put in a table (drizzle-orm's
    /// `setName` then gives it the first table key it is put under).
    pub name: Option<Rc<str>>,
    /// Declared without a name: `casing` applies to it.
    pub key_as_name: bool,
    /// drizzle-orm's `config.uniqueName`: `.unique(name)`, or set to
    /// `<table>_<column>_unique` by the first table the builder is built into.
    pub unique_name: Option<Rc<str>>,
    pub not_null: bool,
    pub primary: bool,
    pub default: Option<Value<'a>>,
    pub unique: Option<(Option<Rc<str>>, bool)>,
    pub generated: Option<Value<'a>>,
    pub identity: Option<IdentityB>,
    pub references: Vec<Reference<'a>>,
    /// Attributes that could not be evaluated, with the reason.
    pub unknown: Vec<(&'static str, Rc<Why>)>,
    pub loc: Loc,
    /// mysql-core: `.autoincrement()` (and `serial`).
    pub autoincrement: bool,
    /// mysql-core: `.onUpdateNow()`.
    pub on_update_now: bool,
    /// mysql-core: `generatedAlwaysAs(as, { mode })`, `virtual` unless given.
    pub generated_mode: Option<Rc<str>>,
}

/// One column of a built table.
pub(super) struct TCol<'a> {
    pub key: Rc<str>,
    /// The builder's name, or the key when it had none.
    pub name: Rc<str>,
    pub key_as_name: bool,
    pub builder: Rc<ColumnB<'a>>,
    /// The property that put the column in the table.
    pub loc: Option<Loc>,
}

pub(super) struct TableV<'a> {
    /// Unique per evaluation, to tell tables apart.
    pub id: u32,
    pub name: Rc<str>,
    pub schema: Option<Rc<str>>,
    pub columns: Vec<TCol<'a>>,
    /// The third argument of `pgTable`.
    pub extra: Option<Value<'a>>,
    pub rls: Cell<bool>,
    /// The index options (`.desc()`, `.nullsFirst()`, `.op()`) each column of the table
    /// callback carries until an index builder takes and resets them, as drizzle-orm's
    /// `ExtraConfigColumn.indexConfig` does.
    pub index_options: RefCell<Vec<IndexOptions>>,
    pub loc: Loc,
    /// A mysql-core table.
    pub mysql: bool,
    /// Properties of the columns object that are not columns, or could not be evaluated.
    pub bad_columns: Vec<(Rc<str>, Rc<Why>)>,
    /// Spreads into the columns object that could not be evaluated.
    pub holes: Vec<Rc<Why>>,
}

impl<'a> TableV<'a> {
    pub fn column_index(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| &*c.key == key)
    }

    /// A property that is not one of the evaluated columns: unknown when it may be a column
    /// the reader could not evaluate, so nothing built from it is taken as known.
    pub fn not_a_column(&self, key: &str) -> Value<'a> {
        let bad = self.bad_columns.iter().find(|(k, _)| &**k == key);
        match bad.map(|(_, w)| w).or(self.holes.first()) {
            Some(w) => Value::Unknown(w.clone()),
            None => Value::Undefined,
        }
    }
}

/// Ordering options of a column in an index.
#[derive(Clone, Default, Debug)]
pub(super) struct IndexOptions {
    pub desc: bool,
    pub nulls_first: bool,
    pub opclass: Option<Rc<str>>,
}

/// A column of a table as seen by index and constraint builders: `t.email.desc()`.
#[derive(Clone)]
pub(super) struct TableCol<'a> {
    pub table: Rc<TableV<'a>>,
    pub index: usize,
    /// True for the columns the third `pgTable` argument receives (drizzle-orm's
    /// `ExtraConfigColumn`, which carries index ordering); false for `users.email`.
    pub extra: bool,
    pub desc: bool,
    pub nulls_first: bool,
    pub opclass: Option<Rc<str>>,
}

impl<'a> TableCol<'a> {
    pub fn col(&self) -> &TCol<'a> {
        &self.table.columns[self.index]
    }
}

pub(super) struct EnumV {
    pub name: Rc<str>,
    pub schema: Option<Rc<str>>,
    pub values: Vec<Rc<str>>,
    /// Built from a TS object (`pgEnum("x", MyEnum)`): drizzle-kit writes no typeSchema
    /// for its columns.
    pub from_object: bool,
    pub loc: Loc,
}

pub(super) struct SequenceV {
    pub name: Rc<str>,
    pub schema: Option<Rc<str>>,
    pub options: SeqOpts,
    pub loc: Loc,
}

pub(super) struct RoleV {
    pub name: Rc<str>,
    pub existing: bool,
    pub create_db: Option<bool>,
    pub create_role: Option<bool>,
    pub inherit: Option<bool>,
    pub loc: Loc,
}

pub(super) struct PolicyV<'a> {
    pub name: Rc<str>,
    pub as_: Option<Value<'a>>,
    pub for_: Option<Value<'a>>,
    pub to: Option<Value<'a>>,
    pub using: Option<Value<'a>>,
    pub with_check: Option<Value<'a>>,
    pub link: Option<Rc<TableV<'a>>>,
    pub loc: Loc,
}

pub(super) struct IndexOnV {
    pub unique: bool,
    pub name: Option<Rc<str>>,
    pub loc: Loc,
    pub mysql: bool,
}

#[derive(Clone)]
pub(super) enum IndexKeyV<'a> {
    Col(TableCol<'a>),
    Sql(Rc<Sql<'a>>),
    /// `.on(x)` with something that is neither: remembered to be reported.
    Unknown(Rc<Why>),
}

#[derive(Clone)]
pub(super) struct IndexV<'a> {
    pub unique: bool,
    pub name: Option<Rc<str>>,
    pub keys: Vec<IndexKeyV<'a>>,
    pub method: Value<'a>,
    pub concurrently: bool,
    pub with: Option<Value<'a>>,
    pub where_: Option<Value<'a>>,
    pub loc: Loc,
    pub mysql: bool,
}

pub(super) struct PkV<'a> {
    pub columns: Vec<Value<'a>>,
    pub name: Option<Value<'a>>,
    pub loc: Loc,
}

#[derive(Clone)]
pub(super) struct FkV<'a> {
    pub columns: Value<'a>,
    pub foreign: Value<'a>,
    pub name: Option<Value<'a>>,
    pub on_update: Option<Value<'a>>,
    pub on_delete: Option<Value<'a>>,
    pub loc: Loc,
}

#[derive(Clone)]
pub(super) struct UniqueV<'a> {
    pub name: Option<Rc<str>>,
    pub columns: Vec<Value<'a>>,
    pub nulls_not_distinct: bool,
    pub loc: Loc,
}

pub(super) struct CheckV<'a> {
    pub name: Value<'a>,
    pub value: Value<'a>,
    pub loc: Loc,
}

/// One piece of an `sql` template.
#[derive(Clone)]
pub(super) enum Chunk<'a> {
    Text(Rc<str>),
    /// `sql.identifier(name)`.
    Ident(Rc<str>),
    /// A value bound to a column by an operator (`eq(users.id, 1)`): encoded like the
    /// column encodes it.
    Param(Value<'a>, Option<Rc<ColumnB<'a>>>),
    Value(Value<'a>),
}

#[derive(Clone, Default)]
pub(super) struct Sql<'a> {
    pub chunks: Vec<Chunk<'a>>,
    pub inline: bool,
}

#[derive(Clone)]
pub(super) struct ViewBuilderV<'a> {
    pub name: Rc<str>,
    pub schema: Option<Rc<str>>,
    pub materialized: bool,
    /// The explicit column object of `pgView(name, columns)`.
    pub columns: Option<Value<'a>>,
    pub loc: Loc,
    pub mysql: bool,
}

pub(super) struct ViewV<'a> {
    pub name: Rc<str>,
    pub schema: Option<Rc<str>>,
    pub materialized: bool,
    pub existing: bool,
    /// The SQL of the view's query, rendered, or why it could not be.
    pub definition: Result<String, Rc<Why>>,
    /// Selected fields, for `view.column` references from other views.
    pub fields: Vec<(Rc<str>, Value<'a>)>,
    pub loc: Loc,
    pub mysql: bool,
}

/// A select being built by a view's query builder.
#[derive(Clone, Default)]
pub(super) struct QueryV<'a> {
    pub started: bool,
    pub distinct: bool,
    pub fields: Option<Vec<(Rc<str>, Value<'a>)>>,
    pub from: Option<Value<'a>>,
    pub joins: Vec<(&'static str, Value<'a>, Option<Value<'a>>)>,
    pub where_: Option<Value<'a>>,
    pub group_by: Vec<Value<'a>>,
    pub having: Option<Value<'a>>,
    pub order_by: Vec<Value<'a>>,
    pub limit: Option<Value<'a>>,
    pub offset: Option<Value<'a>>,
}

/// `Number.prototype.toString()` for a finite or special number.
pub(super) fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        return "0".into();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    // Shortest round-trip digits and exponent, as the ECMAScript algorithm wants them.
    let exp_form = format!("{:e}", n.abs());
    let (mantissa, exp) = exp_form.split_once('e').unwrap_or((&exp_form, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let e: i32 = exp.parse().unwrap_or(0);
    let k = digits.len() as i32;
    let n_pos = e + 1;
    let body = if k <= n_pos && n_pos <= 21 {
        format!("{digits}{}", "0".repeat((n_pos - k) as usize))
    } else if 0 < n_pos && n_pos <= 21 {
        format!(
            "{}.{}",
            &digits[..n_pos as usize],
            &digits[n_pos as usize..]
        )
    } else if -6 < n_pos && n_pos <= 0 {
        format!("0.{}{digits}", "0".repeat((-n_pos) as usize))
    } else {
        let exp_sign = if n_pos - 1 < 0 { '-' } else { '+' };
        let exp_abs = (n_pos - 1).abs();
        if k == 1 {
            format!("{digits}e{exp_sign}{exp_abs}")
        } else {
            format!("{}.{}e{exp_sign}{exp_abs}", &digits[..1], &digits[1..])
        }
    };
    format!("{sign}{body}")
}

/// `String(value)` for primitives; `None` for what has no static string form.
pub(super) fn js_string(value: &Value<'_>) -> Option<String> {
    Some(match value {
        Value::Undefined => "undefined".into(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Num(n) => js_number(*n),
        Value::BigInt(d) => d.to_string(),
        Value::Str(s) => s.to_string(),
        Value::Array(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for item in items.iter() {
                parts.push(match item {
                    Value::Undefined | Value::Null => String::new(),
                    other => js_string(other)?,
                });
            }
            parts.join(",")
        }
        Value::Object(_) => "[object Object]".into(),
        Value::Table(t) => t.name.to_string(),
        _ => return None,
    })
}

/// `JSON.stringify(value)`; `Ok(None)` for `undefined` and functions, `Err` with a reason
/// for what cannot be known statically.
pub(super) fn json_stringify(value: &Value<'_>) -> Result<Option<String>, String> {
    let mut out = String::new();
    if write_json(value, &mut out, 0)? {
        Ok(Some(out))
    } else {
        Ok(None)
    }
}

fn write_json(value: &Value<'_>, out: &mut String, depth: u32) -> Result<bool, String> {
    if depth > 200 {
        return Err("is nested too deeply".into());
    }
    match value {
        Value::Undefined | Value::Func(_) | Value::Builtin(_) | Value::Bound(_) => {
            return Ok(false)
        }
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Num(n) => {
            if n.is_finite() {
                out.push_str(&js_number(*n))
            } else {
                out.push_str("null")
            }
        }
        Value::BigInt(_) => return Err("JSON.stringify cannot serialize a BigInt".into()),
        Value::Str(s) => out.push_str(&serde_json::to_string(&**s).unwrap_or_default()),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !write_json(item, out, depth + 1)? {
                    out.push_str("null");
                }
            }
            out.push(']');
        }
        Value::Object(obj) => {
            out.push('{');
            let mut first = true;
            for (key, item, _) in ordered_props(obj) {
                let mut part = String::new();
                if !write_json(item, &mut part, depth + 1)? {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&serde_json::to_string(&**key).unwrap_or_default());
                out.push(':');
                out.push_str(&part);
            }
            out.push('}');
        }
        Value::Unknown(why) => return Err(why.message.clone()),
        other => return Err(format!("is {}, which has no JSON form", other.kind())),
    }
    Ok(true)
}

/// Object properties in JavaScript's enumeration order: integer-like keys first,
/// ascending, then the rest in insertion order.
pub(super) fn ordered_props<'o, 'a>(obj: &'o Obj<'a>) -> Vec<&'o Prop<'a>> {
    let mut ints: Vec<(u32, &Prop<'a>)> = Vec::new();
    let mut rest = Vec::new();
    for prop in &obj.props {
        match array_index(&prop.0) {
            Some(i) => ints.push((i, prop)),
            None => rest.push(prop),
        }
    }
    ints.sort_by_key(|(i, _)| *i);
    ints.into_iter().map(|(_, p)| p).chain(rest).collect()
}

/// A canonical array index (`"0"`, `"12"`, not `"01"`).
fn array_index(key: &str) -> Option<u32> {
    if key.is_empty() || (key.len() > 1 && key.starts_with('0')) {
        return None;
    }
    let n: u32 = key.parse().ok()?;
    (n != u32::MAX).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_javascript() {
        for (n, s) in [
            (0.0, "0"),
            (5.0, "5"),
            (-0.25, "-0.25"),
            (1.5, "1.5"),
            (900000000000.0, "900000000000"),
            (1e21, "1e+21"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (123.456, "123.456"),
            (2147483647.0, "2147483647"),
        ] {
            assert_eq!(js_number(n), s, "{n}");
        }
    }

    #[test]
    fn json_matches_javascript() {
        let mut obj = Obj::default();
        obj.set("b".into(), Value::Num(1.0), None);
        obj.set("a".into(), Value::str("x\"y"), None);
        obj.set("u".into(), Value::Undefined, None);
        obj.set("1".into(), Value::Bool(true), None);
        let v = Value::Object(Rc::new(obj));
        assert_eq!(
            json_stringify(&v).unwrap().as_deref(),
            Some(r#"{"1":true,"b":1,"a":"x\"y"}"#)
        );
    }
}
