//! The values the evaluator computes: a subset of JavaScript values, plus the host's own
//! objects (`Value::Host`), which the host that runs the evaluator defines and gives
//! meaning to (the schema reader's column builders and tables).

use std::cell::RefCell;
use std::rc::Rc;

use oxc_ast::ast::{ArrowFunctionExpression, Function};

/// Where something was written: a module index and a byte offset in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loc {
    pub module: u32,
    pub offset: u32,
}

/// Why a value could not be evaluated, and where.
#[derive(Debug, Clone)]
pub struct Why {
    pub message: String,
    pub loc: Option<Loc>,
    /// The variable, when the value needed an unset `process.env.NAME` (see
    /// [`Value::MissingEnv`]).
    pub missing_env: Option<Rc<str>>,
}

impl Why {
    pub fn new(message: impl Into<String>, loc: Option<Loc>) -> Self {
        Why {
            message: message.into(),
            loc,
            missing_env: None,
        }
    }
}

/// What the evaluator needs to know of a host object.
pub trait HostValue: Clone {
    /// A short description for messages (`a table`).
    fn kind(&self) -> &'static str;
    /// `typeof x === "function"`.
    fn is_callable(&self) -> bool {
        false
    }
    /// `String(x)`, when it has a static form.
    fn to_js_string(&self) -> Option<String> {
        None
    }
    /// `a === b`, when identity is known.
    fn same(&self, _other: &Self) -> Option<bool> {
        None
    }
}

/// A host without objects of its own (the config reader).
#[derive(Clone)]
pub enum NoHost {}

impl HostValue for NoHost {
    fn kind(&self) -> &'static str {
        match *self {}
    }
}

#[derive(Clone)]
pub enum Value<'a, X> {
    Undefined,
    /// `process.env.NAME` for an unset variable, when the reader wants to name it rather
    /// than compute with `undefined`: nullish and falsy, but unknown as text or number.
    MissingEnv(Rc<str>),
    Null,
    Bool(bool),
    Num(f64),
    /// Decimal digits of a `123n` literal.
    BigInt(Rc<str>),
    Str(Rc<str>),
    Array(Rc<Vec<Value<'a, X>>>),
    Object(Rc<Obj<'a, X>>),
    Func(Rc<Closure<'a, X>>),
    /// A function of the JavaScript runtime or of the host, by canonical name
    /// (`js.Object`, `pg.pgTable`).
    Builtin(&'static str),
    /// A method looked up on a value, called later (`const t = schema.table`).
    Bound(Rc<(Value<'a, X>, Rc<str>)>),
    /// `import * as x from "<module>"` of a module read from source.
    Namespace(u32),
    /// A `Date`: milliseconds since the epoch (NaN: an invalid date).
    Date(f64),
    /// An object of the host.
    Host(X),
    Unknown(Rc<Why>),
}

impl<'a, X: HostValue> Value<'a, X> {
    pub fn unknown(message: impl Into<String>, loc: Option<Loc>) -> Self {
        Value::Unknown(Rc::new(Why::new(message, loc)))
    }

    pub fn str(s: &str) -> Self {
        Value::Str(Rc::from(s))
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    pub fn is_nullish(&self) -> bool {
        matches!(self, Value::Undefined | Value::Null | Value::MissingEnv(_))
    }

    /// JavaScript truthiness; `None` when the value is not known.
    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            Value::Undefined | Value::Null | Value::MissingEnv(_) => false,
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::BigInt(d) => !d.trim_start_matches(['-', '0']).is_empty(),
            Value::Str(s) => !s.is_empty(),
            Value::Unknown(_) => return None,
            _ => true,
        })
    }

    /// A description for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Undefined | Value::MissingEnv(_) => "undefined",
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Num(_) => "a number",
            Value::BigInt(_) => "a bigint",
            Value::Str(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) | Value::Namespace(_) => "an object",
            Value::Func(_) | Value::Builtin(_) | Value::Bound(_) => "a function",
            Value::Date(_) => "a date",
            Value::Host(h) => h.kind(),
            Value::Unknown(_) => "an unknown value",
        }
    }

    /// Why a missing variable stops a computation.
    pub fn missing_env(name: &Rc<str>, loc: Option<Loc>) -> Self {
        Value::Unknown(Rc::new(Why {
            message: missing_env_message(name),
            loc,
            missing_env: Some(name.clone()),
        }))
    }
}

pub fn missing_env_message(name: &str) -> String {
    format!("{name} is not set (neither in the environment nor in .env)")
}

/// One property: key, value, where it was written.
pub type Prop<'a, X> = (Rc<str>, Value<'a, X>, Option<Loc>);

/// An object literal after spreads, in insertion order; each property remembers where it
/// was written.
pub struct Obj<'a, X> {
    pub props: Vec<Prop<'a, X>>,
    /// Spreads that could not be evaluated: any key may come from them.
    pub holes: Vec<Rc<Why>>,
    /// Per property: where its value was written, and when it was last set.
    meta: Vec<(Option<Loc>, u32)>,
    /// When each hole was made, to tell the keys set after it (known) from the others.
    hole_seqs: Vec<u32>,
    seq: u32,
}

impl<X> Default for Obj<'_, X> {
    fn default() -> Self {
        Obj {
            props: Vec::new(),
            holes: Vec::new(),
            meta: Vec::new(),
            hole_seqs: Vec::new(),
            seq: 0,
        }
    }
}

/// What looking a key up in an [`Obj`] found, holes in order.
pub enum Lookup<'o, 'a, X> {
    Found(&'o Value<'a, X>, Option<Loc>),
    Missing,
    /// Not known: a spread that could not be evaluated, applied after the key was last set.
    Hidden(&'o Rc<Why>),
}

impl<'a, X> Obj<'a, X> {
    pub fn get(&self, key: &str) -> Option<&Value<'a, X>> {
        self.props
            .iter()
            .find(|(k, _, _)| &**k == key)
            .map(|(_, v, _)| v)
    }

    /// Sets a key; an existing key keeps its position, as in JavaScript.
    pub fn set(&mut self, key: Rc<str>, value: Value<'a, X>, loc: Option<Loc>) {
        self.set_at(key, value, loc, loc);
    }

    /// [`Obj::set`], remembering where the value itself was written.
    pub fn set_at(
        &mut self,
        key: Rc<str>,
        value: Value<'a, X>,
        loc: Option<Loc>,
        value_loc: Option<Loc>,
    ) {
        self.seq += 1;
        if let Some(i) = self.props.iter().position(|(k, _, _)| *k == key) {
            self.props[i].1 = value;
            self.props[i].2 = loc;
            self.meta[i] = (value_loc, self.seq);
        } else {
            self.props.push((key, value, loc));
            self.meta.push((value_loc, self.seq));
        }
    }

    /// A spread that could not be evaluated: keys not set after it may come from it.
    pub fn add_hole(&mut self, why: Rc<Why>) {
        self.seq += 1;
        self.holes.push(why);
        self.hole_seqs.push(self.seq);
    }

    /// Where the value of the `i`th property was written.
    pub fn value_loc(&self, i: usize) -> Option<Loc> {
        self.meta.get(i).and_then(|m| m.0)
    }

    /// A key, knowing the order of holes and properties.
    pub fn lookup(&self, key: &str) -> Lookup<'_, 'a, X> {
        let found = self.props.iter().position(|(k, _, _)| &**k == key);
        let after = found.map_or(0, |i| self.meta[i].1);
        if let Some(i) = self.hole_seqs.iter().position(|s| *s > after) {
            return Lookup::Hidden(&self.holes[i]);
        }
        match found {
            Some(i) => Lookup::Found(&self.props[i].1, self.meta[i].0),
            None => Lookup::Missing,
        }
    }

    /// What `{ ...this }` copies, in order: the properties in enumeration order, each
    /// hole just before the first property set after it.
    pub fn spread_order(&self) -> Vec<Result<&Prop<'a, X>, &Rc<Why>>> {
        let mut out = Vec::new();
        let mut next_hole = 0;
        let seq_of = |p: &Prop<'a, X>| {
            self.props
                .iter()
                .position(|q| Rc::ptr_eq(&q.0, &p.0))
                .map_or(0, |i| self.meta[i].1)
        };
        for prop in ordered_props(self) {
            let seq = seq_of(prop);
            while next_hole < self.holes.len() && self.hole_seqs[next_hole] < seq {
                out.push(Err(&self.holes[next_hole]));
                next_hole += 1;
            }
            out.push(Ok(prop));
        }
        out.extend(self.holes[next_hole..].iter().map(Err));
        out
    }
}

#[derive(Clone, Copy)]
pub enum FnRef<'a> {
    Arrow(&'a ArrowFunctionExpression<'a>),
    Function(&'a Function<'a>),
}

/// A function written in a module, with the variables it closes over.
pub struct Closure<'a, X> {
    pub func: FnRef<'a>,
    pub env: Option<Rc<Env<'a, X>>>,
    pub module: u32,
    /// An object literal's getter: called with no arguments when its key is read.
    pub getter: bool,
}

/// Local variables of a function call (module-level names are looked up in the module).
pub struct Env<'a, X> {
    pub vars: RefCell<Vec<(&'a str, Value<'a, X>)>>,
    pub parent: Option<Rc<Env<'a, X>>>,
}

impl<'a, X: Clone> Env<'a, X> {
    pub fn new(parent: Option<Rc<Env<'a, X>>>) -> Rc<Self> {
        Rc::new(Env {
            vars: RefCell::new(Vec::new()),
            parent,
        })
    }

    pub fn lookup(&self, name: &str) -> Option<Value<'a, X>> {
        if let Some((_, v)) = self.vars.borrow().iter().rev().find(|(n, _)| *n == name) {
            return Some(v.clone());
        }
        self.parent.as_ref().and_then(|p| p.lookup(name))
    }

    pub fn define(&self, name: &'a str, value: Value<'a, X>) {
        let mut vars = self.vars.borrow_mut();
        if let Some(slot) = vars.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = value;
        } else {
            vars.push((name, value));
        }
    }
}

/// `Number.prototype.toString()` for a finite or special number.
pub fn js_number(n: f64) -> String {
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
pub fn js_string<X: HostValue>(value: &Value<'_, X>) -> Option<String> {
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
        Value::Host(h) => return h.to_js_string(),
        _ => return None,
    })
}

/// `JSON.stringify(value)`; `Ok(None)` for `undefined` and functions, `Err` with a reason
/// for what cannot be known statically.
pub fn json_stringify<X: HostValue>(value: &Value<'_, X>) -> Result<Option<String>, String> {
    let mut out = String::new();
    if write_json(value, &mut out, 0)? {
        Ok(Some(out))
    } else {
        Ok(None)
    }
}

fn write_json<X: HostValue>(
    value: &Value<'_, X>,
    out: &mut String,
    depth: u32,
) -> Result<bool, String> {
    if depth > 200 {
        return Err("is nested too deeply".into());
    }
    match value {
        Value::Undefined
        | Value::MissingEnv(_)
        | Value::Func(_)
        | Value::Builtin(_)
        | Value::Bound(_) => return Ok(false),
        Value::Null => out.push_str("null"),
        Value::Date(ms) => match date_iso(*ms) {
            Some(iso) => out.push_str(&serde_json::to_string(&iso).unwrap_or_default()),
            None => out.push_str("null"),
        },
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

/// `date.toISOString()`; `None` for an invalid date (JavaScript throws).
pub fn date_iso(ms: f64) -> Option<String> {
    if !ms.is_finite() || ms.abs() > 8.64e15 {
        return None;
    }
    crate::civil_time::iso(ms as i64)
}

/// Object properties in JavaScript's enumeration order: integer-like keys first,
/// ascending, then the rest in insertion order.
pub fn ordered_props<'o, 'a, X>(obj: &'o Obj<'a, X>) -> Vec<&'o Prop<'a, X>> {
    let mut ints: Vec<(u32, &Prop<'a, X>)> = Vec::new();
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
        let mut obj: Obj<'_, NoHost> = Obj::default();
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
