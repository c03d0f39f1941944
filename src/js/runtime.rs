//! The parts of the JavaScript runtime configs and schema helpers use: methods of arrays,
//! strings and numbers, `Object.*`, `Array.*`, `JSON.stringify`, `parseInt`, and the
//! operators.

use super::interp::Interp;
use super::value::{
    js_number, js_string, json_stringify, ordered_props, HostValue, Loc, Obj, Value,
};
use super::{Host, Val};
use oxc_ast::ast::BinaryOperator;
use std::rc::Rc;

impl<'a, 'm, H: Host<'a>> Interp<'a, 'm, H> {
    // ----- methods of plain values --------------------------------------------------

    /// `object.name(...args)`.
    pub fn call_method(
        &mut self,
        object: Val<'a, H>,
        name: &str,
        args: Vec<Val<'a, H>>,
        loc: Loc,
    ) -> Val<'a, H> {
        let at = Some(loc);
        match &object {
            Value::Unknown(_) => object,
            Value::Array(items) => self.array_method(items.clone(), name, args, loc),
            Value::Str(s) => string_method(s, name, &args, at),
            Value::Num(n) => match name {
                "toString" if args.is_empty() => Value::str(&js_number(*n)),
                _ => Value::unknown(format!("calls number.{name}()"), at),
            },
            Value::Object(o) => match o.get(name) {
                Some(f) => {
                    let f = f.clone();
                    self.call(f, args, loc)
                }
                None => Value::unknown(format!("calls `{name}`, which the object lacks"), at),
            },
            Value::Namespace(_) => {
                let f = self.get_member(object.clone(), name, at);
                self.call(f, args, loc)
            }
            Value::Func(_) | Value::Bound(_) => match name {
                "call" => {
                    let rest = args.into_iter().skip(1).collect();
                    self.call(object.clone(), rest, loc)
                }
                "apply" => {
                    let rest = match args.get(1) {
                        Some(Value::Array(items)) => items.to_vec(),
                        _ => Vec::new(),
                    };
                    self.call(object.clone(), rest, loc)
                }
                _ => Value::unknown(format!("calls function.{name}()"), at),
            },
            Value::Builtin(builtin) if super::node::is_module(builtin) => {
                let f = self.get_member(object.clone(), name, at);
                self.call(f, args, loc)
            }
            Value::Date(ms) => match name {
                "getTime" | "valueOf" => Value::Num(*ms),
                "toISOString" | "toJSON" => match super::value::date_iso(*ms) {
                    Some(iso) => Value::str(&iso),
                    None => Value::unknown("calls toISOString() on an invalid date", at),
                },
                _ => Value::unknown(format!("calls date.{name}()"), at),
            },
            Value::Builtin("js.Date") => match name {
                "UTC" => date_utc(&args).map_or_else(
                    || Value::unknown("calls Date.UTC() with values that are not numbers", at),
                    Value::Num,
                ),
                "parse" => match args.first() {
                    Some(Value::Str(s)) => Value::Num(parse_date(s).unwrap_or(f64::NAN)),
                    _ => Value::unknown("calls Date.parse() without a string", at),
                },
                // The time of the run: what drizzle-kit would write changes every time.
                _ => Value::unknown(format!("calls Date.{name}()"), at),
            },
            Value::Builtin(builtin) => match (*builtin, name) {
                ("js.Object", _) => self.object_static(name, args, at),
                ("js.Array", "isArray") => {
                    Value::Bool(matches!(args.first(), Some(Value::Array(_))))
                }
                ("js.Array", "from") => match args.first() {
                    Some(Value::Array(items)) => match args.get(1) {
                        Some(f) => {
                            let f = f.clone();
                            self.array_method(items.clone(), "map", vec![f], loc)
                        }
                        None => Value::Array(items.clone()),
                    },
                    _ => Value::unknown("calls Array.from on something that is not an array", at),
                },
                ("js.Array", "of") => Value::Array(Rc::new(args)),
                ("js.Number", "parseInt") => self.call(Value::Builtin("js.parseInt"), args, loc),
                ("js.Number", "parseFloat") => {
                    self.call(Value::Builtin("js.parseFloat"), args, loc)
                }
                ("js.Number", "isNaN" | "isInteger" | "isFinite") => match args.first() {
                    Some(Value::Num(n)) => Value::Bool(match name {
                        "isNaN" => n.is_nan(),
                        "isFinite" => n.is_finite(),
                        _ => n.is_finite() && n.fract() == 0.0,
                    }),
                    Some(Value::Unknown(_)) => args[0].clone(),
                    _ => Value::Bool(false),
                },
                ("js.JSON", "stringify") => match args.first().map(json_stringify) {
                    Some(Ok(Some(s))) => Value::str(&s),
                    Some(Ok(None)) | None => Value::Undefined,
                    Some(Err(why)) => Value::unknown(why, at),
                },
                _ => H::builtin_method(self, builtin, name, args, loc),
            },
            Value::Host(_) => H::method(self, object, name, args, loc),
            Value::MissingEnv(var) => Value::missing_env(var, at),
            other => Value::unknown(format!("calls {}.{name}()", other.kind()), at),
        }
    }

    fn object_static(&mut self, name: &str, args: Vec<Val<'a, H>>, at: Option<Loc>) -> Val<'a, H> {
        let first = args.first().cloned().unwrap_or(Value::Undefined);
        let obj = match &first {
            Value::Namespace(m) => {
                let mut out = Obj::default();
                let v = Value::Namespace(*m);
                self.spread_into(&mut out, v, at);
                Some(Rc::new(out))
            }
            Value::Object(o) => Some(o.clone()),
            Value::Host(_) => H::own_props(self, &first, at).map(Rc::new),
            _ => None,
        };
        match name {
            "values" | "keys" | "entries" => {
                let Some(o) = obj else {
                    return match first {
                        Value::Unknown(_) => first,
                        Value::Array(items) if name == "values" => Value::Array(items),
                        other => {
                            Value::unknown(format!("calls Object.{name} on {}", other.kind()), at)
                        }
                    };
                };
                if let Some(hole) = o.holes.first() {
                    return Value::Unknown(hole.clone());
                }
                let props = ordered_props(&o);
                let items = props
                    .into_iter()
                    .map(|(k, v, _)| match name {
                        "values" => v.clone(),
                        "keys" => Value::Str(k.clone()),
                        _ => Value::Array(Rc::new(vec![Value::Str(k.clone()), v.clone()])),
                    })
                    .collect();
                Value::Array(Rc::new(items))
            }
            "freeze" | "seal" | "preventExtensions" => first,
            // Assigning onto a host object (a column builder) keeps that object; the host
            // keeps the keys it can follow (methods added to a builder).
            "assign" if matches!(first, Value::Host(_)) => {
                for source in args.iter().skip(1) {
                    H::assign(self, &first, source);
                }
                first
            }
            "assign" => {
                let mut out = Obj::default();
                for a in args {
                    self.spread_into(&mut out, a, at);
                }
                Value::Object(Rc::new(out))
            }
            "fromEntries" => match first {
                Value::Array(items) => {
                    let mut out = Obj::default();
                    for item in items.iter() {
                        match item {
                            Value::Array(pair) if !pair.is_empty() => match js_string(&pair[0]) {
                                Some(k) => out.set(
                                    Rc::from(k),
                                    pair.get(1).cloned().unwrap_or(Value::Undefined),
                                    at,
                                ),
                                None => {
                                    return Value::unknown("has an entry with an unknown key", at)
                                }
                            },
                            Value::Unknown(_) => return item.clone(),
                            _ => return Value::unknown("has an entry that is not a pair", at),
                        }
                    }
                    Value::Object(Rc::new(out))
                }
                u @ Value::Unknown(_) => u,
                other => {
                    Value::unknown(format!("calls Object.fromEntries on {}", other.kind()), at)
                }
            },
            _ => Value::unknown(format!("calls Object.{name}"), at),
        }
    }

    fn array_method(
        &mut self,
        items: Rc<Vec<Val<'a, H>>>,
        name: &str,
        args: Vec<Val<'a, H>>,
        loc: Loc,
    ) -> Val<'a, H> {
        let at = Some(loc);
        let f = args.first().cloned().unwrap_or(Value::Undefined);
        match name {
            "map" | "filter" | "flatMap" | "find" | "some" | "every" | "forEach" => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let r = self.call(
                        f.clone(),
                        vec![
                            item.clone(),
                            Value::Num(i as f64),
                            Value::Array(items.clone()),
                        ],
                        loc,
                    );
                    match name {
                        "map" => out.push(r),
                        "flatMap" => match r {
                            Value::Array(inner) => out.extend(inner.iter().cloned()),
                            other => out.push(other),
                        },
                        "forEach" => {}
                        _ => match r.truthy() {
                            Some(true) => match name {
                                "filter" => out.push(item.clone()),
                                "find" => return item.clone(),
                                "some" => return Value::Bool(true),
                                _ => {}
                            },
                            Some(false) => {
                                if name == "every" {
                                    return Value::Bool(false);
                                }
                            }
                            None => return r,
                        },
                    }
                }
                match name {
                    "find" | "forEach" => Value::Undefined,
                    "some" => Value::Bool(false),
                    "every" => Value::Bool(true),
                    _ => Value::Array(Rc::new(out)),
                }
            }
            "concat" => {
                let mut out = items.to_vec();
                for a in args {
                    match a {
                        Value::Array(inner) => out.extend(inner.iter().cloned()),
                        other => out.push(other),
                    }
                }
                Value::Array(Rc::new(out))
            }
            "flat" => {
                let depth = match args.first() {
                    Some(Value::Num(n)) => *n as i64,
                    _ => 1,
                };
                Value::Array(Rc::new(flatten(&items, depth)))
            }
            "slice" => {
                let len = items.len() as i64;
                let idx = |v: Option<&Val<'a, H>>, dflt: i64| match v {
                    Some(Value::Num(n)) => {
                        let n = *n as i64;
                        if n < 0 {
                            (len + n).max(0)
                        } else {
                            n.min(len)
                        }
                    }
                    _ => dflt,
                };
                let start = idx(args.first(), 0);
                let end = idx(args.get(1), len);
                Value::Array(Rc::new(
                    items
                        .iter()
                        .skip(start as usize)
                        .take((end - start).max(0) as usize)
                        .cloned()
                        .collect(),
                ))
            }
            "join" => {
                let sep = match args.first() {
                    Some(Value::Str(s)) => s.to_string(),
                    _ => ",".to_string(),
                };
                let mut parts = Vec::new();
                for item in items.iter() {
                    match item {
                        Value::Undefined | Value::Null => parts.push(String::new()),
                        other => match js_string(other) {
                            Some(s) => parts.push(s),
                            None => return Value::unknown("joins a value that is not text", at),
                        },
                    }
                }
                Value::str(&parts.join(&sep))
            }
            "includes" => {
                let needle = args.first().cloned().unwrap_or(Value::Undefined);
                let mut found = false;
                for item in items.iter() {
                    match strict_equal(item, &needle) {
                        Some(true) => found = true,
                        Some(false) => {}
                        None => return Value::unknown("compares values that are not known", at),
                    }
                }
                Value::Bool(found)
            }
            "reverse" => Value::Array(Rc::new(items.iter().rev().cloned().collect())),
            "at" => match args.first() {
                Some(Value::Num(n)) => {
                    let len = items.len() as i64;
                    let i = if *n < 0.0 { len + *n as i64 } else { *n as i64 };
                    items.get(i as usize).cloned().unwrap_or(Value::Undefined)
                }
                _ => Value::unknown("calls array.at() without a number", at),
            },
            _ => Value::unknown(format!("calls array.{name}()"), at),
        }
    }
}

fn flatten<'a, X: HostValue>(items: &[Value<'a, X>], depth: i64) -> Vec<Value<'a, X>> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Value::Array(inner) if depth > 0 => out.extend(flatten(inner, depth - 1)),
            other => out.push(other.clone()),
        }
    }
    out
}

pub fn string_method<'a, X: HostValue>(
    s: &str,
    name: &str,
    args: &[Value<'a, X>],
    at: Option<Loc>,
) -> Value<'a, X> {
    let arg_str = |i: usize| match args.get(i) {
        Some(Value::Str(a)) => Some(a.to_string()),
        Some(other) => js_string(other),
        None => None,
    };
    match name {
        "toLowerCase" => Value::str(&s.to_lowercase()),
        "toUpperCase" => Value::str(&s.to_uppercase()),
        "trim" => Value::str(s.trim()),
        "toString" | "valueOf" => Value::str(s),
        "startsWith" => match arg_str(0) {
            Some(p) => Value::Bool(s.starts_with(&p)),
            None => Value::unknown("calls startsWith without text", at),
        },
        "endsWith" => match arg_str(0) {
            Some(p) => Value::Bool(s.ends_with(&p)),
            None => Value::unknown("calls endsWith without text", at),
        },
        "includes" => match arg_str(0) {
            Some(p) => Value::Bool(s.contains(&p)),
            None => Value::unknown("calls includes without text", at),
        },
        "concat" => {
            let mut out = s.to_string();
            for i in 0..args.len() {
                match arg_str(i) {
                    Some(p) => out.push_str(&p),
                    None => return Value::unknown("concatenates a value that is not text", at),
                }
            }
            Value::str(&out)
        }
        "replace" | "replaceAll" => match (args.first(), arg_str(1)) {
            (Some(Value::Str(from)), Some(to)) => Value::str(&if name == "replace" {
                s.replacen(&**from, &to, 1)
            } else {
                s.replace(&**from, &to)
            }),
            _ => Value::unknown(format!("calls string.{name}() with a pattern"), at),
        },
        "repeat" => match args.first() {
            Some(Value::Num(n)) if *n >= 0.0 && n.is_finite() && *n <= 10_000.0 => {
                Value::str(&s.repeat(*n as usize))
            }
            _ => Value::unknown("calls string.repeat() without a small count", at),
        },
        "padStart" | "padEnd" => {
            let width = match args.first() {
                Some(Value::Num(n)) if n.is_finite() && *n <= 10_000.0 => *n as usize,
                _ => return Value::unknown(format!("calls string.{name}() without a width"), at),
            };
            let fill = arg_str(1).unwrap_or_else(|| " ".to_string());
            let len = s.encode_utf16().count();
            if width <= len || fill.is_empty() {
                return Value::str(s);
            }
            let pad: String = fill.chars().cycle().take(width - len).collect();
            Value::str(&if name == "padStart" {
                format!("{pad}{s}")
            } else {
                format!("{s}{pad}")
            })
        }
        "trimStart" => Value::str(s.trim_start()),
        "trimEnd" => Value::str(s.trim_end()),
        "slice" | "substring" => {
            let chars: Vec<char> = s.chars().collect();
            let len = chars.len() as i64;
            let idx = |v: Option<&Value<'a, X>>, dflt: i64| match v {
                Some(Value::Num(n)) if n.is_finite() => {
                    let n = *n as i64;
                    if n < 0 {
                        if name == "slice" {
                            (len + n).max(0)
                        } else {
                            0
                        }
                    } else {
                        n.min(len)
                    }
                }
                _ => dflt,
            };
            let mut start = idx(args.first(), 0);
            let mut end = idx(args.get(1), len);
            if name == "substring" && start > end {
                std::mem::swap(&mut start, &mut end);
            }
            Value::str(
                &chars
                    .iter()
                    .skip(start as usize)
                    .take((end - start).max(0) as usize)
                    .collect::<String>(),
            )
        }
        "split" => match args.first() {
            Some(Value::Str(sep)) => Value::Array(Rc::new(if sep.is_empty() {
                s.chars().map(|c| Value::str(&c.to_string())).collect()
            } else {
                s.split(&**sep).map(Value::str).collect()
            })),
            _ => Value::unknown("calls string.split() with a pattern", at),
        },
        _ => Value::unknown(format!("calls string.{name}()"), at),
    }
}

/// `ToNumber` for primitives.
pub fn to_number<X: HostValue>(v: &Value<'_, X>) -> Option<f64> {
    match v {
        Value::Num(n) => Some(*n),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Null => Some(0.0),
        Value::Undefined => Some(f64::NAN),
        Value::Str(s) => Some(string_to_number(s)),
        Value::Date(ms) => Some(*ms),
        Value::Array(_) | Value::Object(_) => js_string(v).map(|s| string_to_number(&s)),
        _ => None,
    }
}

/// JavaScript's `Number(string)`: trimmed decimal, `0x`/`0o`/`0b`, `Infinity`, empty → 0.
pub fn string_to_number(s: &str) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    let radix = |prefix: [&str; 2], radix: u32| {
        prefix
            .iter()
            .find_map(|p| t.strip_prefix(p))
            .map(|digits| u64::from_str_radix(digits, radix).map_or(f64::NAN, |v| v as f64))
    };
    if let Some(v) = radix(["0x", "0X"], 16)
        .or_else(|| radix(["0o", "0O"], 8))
        .or_else(|| radix(["0b", "0B"], 2))
    {
        return v;
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    // Rust accepts "inf"/"nan" spellings JavaScript does not.
    if t.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        t.parse::<f64>().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

/// `parseInt(string, radix)`: leading whitespace and sign, then as many digits as parse.
pub fn parse_int(s: &str, radix: Option<u32>) -> f64 {
    let mut t = s.trim_start();
    let mut sign = 1.0;
    if let Some(rest) = t.strip_prefix('-') {
        sign = -1.0;
        t = rest;
    } else if let Some(rest) = t.strip_prefix('+') {
        t = rest;
    }
    let mut radix = radix.unwrap_or(0);
    if (radix == 0 || radix == 16) && (t.starts_with("0x") || t.starts_with("0X")) {
        t = &t[2..];
        radix = 16;
    }
    if radix == 0 {
        radix = 10;
    }
    if !(2..=36).contains(&radix) {
        return f64::NAN;
    }
    let digits: String = t.chars().take_while(|c| c.is_digit(radix)).collect();
    if digits.is_empty() {
        return f64::NAN;
    }
    let mut value = 0.0f64;
    for c in digits.chars() {
        value = value * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0));
    }
    sign * value
}

/// `parseFloat(string)`.
pub fn parse_float(s: &str) -> f64 {
    let t = s.trim_start();
    let end = t
        .char_indices()
        .take_while(|(i, c)| {
            c.is_ascii_digit() || *c == '.' || ((*c == '-' || *c == '+') && *i == 0)
        })
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    if t[end..].starts_with("Infinity") {
        return string_to_number(&t[..end + "Infinity".len()]);
    }
    t[..end].parse::<f64>().unwrap_or(f64::NAN)
}

/// `===` for values whose identity is known; `None` when it is not.
fn strict_equal<'a, X: HostValue>(a: &Value<'a, X>, b: &Value<'a, X>) -> Option<bool> {
    Some(match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => return None,
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::BigInt(x), Value::BigInt(y)) => x == y,
        (Value::Host(x), Value::Host(y)) => return x.same(y),
        (Value::Array(x), Value::Array(y)) => Rc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        (x, y) if std::mem::discriminant(x) != std::mem::discriminant(y) => false,
        _ => return None,
    })
}

pub fn binary<'a, X: HostValue>(
    op: BinaryOperator,
    left: Value<'a, X>,
    right: Value<'a, X>,
    at: Option<Loc>,
) -> Value<'a, X> {
    use BinaryOperator as B;
    if left.is_unknown() {
        return left;
    }
    if right.is_unknown() {
        return right;
    }
    let equality = matches!(
        op,
        B::StrictEquality | B::StrictInequality | B::Equality | B::Inequality
    );
    let (left, right) = match (left, right) {
        (Value::MissingEnv(name), _) | (_, Value::MissingEnv(name)) if !equality => {
            return Value::missing_env(&name, at)
        }
        (l, r) => (undefined_if_missing(l), undefined_if_missing(r)),
    };
    match op {
        B::StrictEquality | B::StrictInequality => match strict_equal(&left, &right) {
            Some(eq) => Value::Bool(eq == (op == B::StrictEquality)),
            None => Value::unknown("compares objects", at),
        },
        B::Equality | B::Inequality => {
            let eq = match (&left, &right) {
                (Value::Undefined | Value::Null, Value::Undefined | Value::Null) => Some(true),
                (Value::Undefined | Value::Null, _) | (_, Value::Undefined | Value::Null) => {
                    Some(false)
                }
                (
                    Value::Str(_) | Value::Num(_) | Value::Bool(_),
                    Value::Str(_) | Value::Num(_) | Value::Bool(_),
                ) if std::mem::discriminant(&left) != std::mem::discriminant(&right) => {
                    to_number(&left).zip(to_number(&right)).map(|(a, b)| a == b)
                }
                _ => strict_equal(&left, &right),
            };
            match eq {
                Some(eq) => Value::Bool(eq == (op == B::Equality)),
                None => Value::unknown("compares objects", at),
            }
        }
        B::Addition => match (&left, &right) {
            (Value::Num(a), Value::Num(b)) => Value::Num(a + b),
            (Value::Str(_), _) | (_, Value::Str(_)) => {
                match (js_string(&left), js_string(&right)) {
                    (Some(a), Some(b)) => Value::str(&(a + &b)),
                    _ => Value::unknown("adds an object to a string", at),
                }
            }
            _ => match (to_number(&left), to_number(&right)) {
                (Some(a), Some(b)) => Value::Num(a + b),
                _ => Value::unknown("adds values that are not numbers", at),
            },
        },
        B::Subtraction | B::Multiplication | B::Division | B::Remainder | B::Exponential => {
            match (to_number(&left), to_number(&right)) {
                (Some(a), Some(b)) => Value::Num(match op {
                    B::Subtraction => a - b,
                    B::Multiplication => a * b,
                    B::Division => a / b,
                    B::Remainder => a % b,
                    _ => a.powf(b),
                }),
                _ => Value::unknown("computes with values that are not numbers", at),
            }
        }
        B::LessThan | B::LessEqualThan | B::GreaterThan | B::GreaterEqualThan => {
            let ord = match (&left, &right) {
                (Value::Str(a), Value::Str(b)) => Some(a.cmp(b)),
                _ => match (to_number(&left), to_number(&right)) {
                    (Some(a), Some(b)) => a.partial_cmp(&b),
                    _ => return Value::unknown("compares values that are not numbers", at),
                },
            };
            let Some(ord) = ord else {
                return Value::Bool(false);
            };
            Value::Bool(match op {
                B::LessThan => ord.is_lt(),
                B::LessEqualThan => ord.is_le(),
                B::GreaterThan => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
        B::BitwiseOR
        | B::BitwiseAnd
        | B::BitwiseXOR
        | B::ShiftLeft
        | B::ShiftRight
        | B::ShiftRightZeroFill => match (to_number(&left), to_number(&right)) {
            (Some(a), Some(b)) => {
                let (a, b) = (to_int32(a), to_int32(b));
                Value::Num(match op {
                    B::BitwiseOR => (a | b) as f64,
                    B::BitwiseAnd => (a & b) as f64,
                    B::BitwiseXOR => (a ^ b) as f64,
                    B::ShiftLeft => a.wrapping_shl(b as u32 & 31) as f64,
                    B::ShiftRight => a.wrapping_shr(b as u32 & 31) as f64,
                    _ => (a as u32).wrapping_shr(b as u32 & 31) as f64,
                })
            }
            _ => Value::unknown("computes with values that are not numbers", at),
        },
        B::In => match (&left, &right) {
            (Value::Str(k), Value::Object(o)) => Value::Bool(o.get(k).is_some()),
            _ => Value::unknown("uses `in`", at),
        },
        B::Instanceof => Value::unknown("uses `instanceof`", at),
    }
}

fn to_int32(n: f64) -> i32 {
    if !n.is_finite() {
        return 0;
    }
    (n.trunc() as i64 as u64 as u32) as i32
}

/// An unset variable compares as the `undefined` it is.
fn undefined_if_missing<'a, X>(v: Value<'a, X>) -> Value<'a, X> {
    match v {
        Value::MissingEnv(_) => Value::Undefined,
        other => other,
    }
}

/// `Date.UTC(year, month, day, hours, minutes, seconds, ms)`.
pub fn date_utc<X: HostValue>(args: &[Value<'_, X>]) -> Option<f64> {
    let mut n = [f64::NAN, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];
    for (i, a) in args.iter().take(7).enumerate() {
        n[i] = to_number(a)?;
    }
    if n.iter().any(|x| !x.is_finite()) {
        return Some(f64::NAN);
    }
    let mut year = n[0].trunc();
    if (0.0..=99.0).contains(&year) {
        year += 1900.0;
    }
    let month = n[1].trunc();
    let y = year + (month / 12.0).floor();
    let m = month.rem_euclid(12.0);
    let days =
        crate::civil_time::days_from_civil(y as i64, m as u32 + 1, 1) as f64 + n[2].trunc() - 1.0;
    let time =
        n[3].trunc() * 3_600_000.0 + n[4].trunc() * 60_000.0 + n[5].trunc() * 1000.0 + n[6].trunc();
    let ms = days * 86_400_000.0 + time;
    Some(if ms.abs() > 8.64e15 { f64::NAN } else { ms })
}

/// `Date.parse` of the ISO forms that mean one instant wherever it runs: a date
/// (`2024-01-31`, UTC) or a date-time with `Z` or an offset. A local date-time depends on
/// the machine's time zone: `None`.
pub fn parse_date(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (y, m, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !(1..=12).contains(&m) {
        return None;
    }
    let days = crate::civil_time::days_from_civil(y, m as u32, d as u32);
    if s.len() == 10 {
        return Some(days as f64 * 86_400_000.0);
    }
    if b.get(10) != Some(&b'T') || b.get(13) != Some(&b':') {
        return None;
    }
    let (h, mi) = (num(11, 2)?, num(14, 2)?);
    let mut i = 16;
    let mut sec = 0;
    let mut ms = 0;
    if b.get(i) == Some(&b':') {
        sec = num(17, 2)?;
        i = 19;
        if b.get(i) == Some(&b'.') {
            let digits = s[i + 1..].bytes().take_while(u8::is_ascii_digit).count();
            let frac = &s[i + 1..i + 1 + digits];
            ms = format!("{frac:0<3}")[..3].parse().ok()?;
            i += 1 + digits;
        }
    }
    let offset = match &s[i..] {
        "Z" => 0,
        rest if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) => {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            sign * (num(i + 1, 2)? * 60 + num(i + 4, 2)?)
        }
        _ => return None,
    };
    let total = days * 86_400_000 + h * 3_600_000 + mi * 60_000 + sec * 1000 + ms - offset * 60_000;
    Some(total as f64)
}
