//! The part of ramda schemas build column maps with: `R.omit(keys, obj)` and
//! `R.pick(keys, obj)` over a spread of shared columns (`...R.omit(["livemode"], base)`).
//! Every other ramda function stays unknown.

use std::rc::Rc;

use super::value::{ordered_props, Loc, Obj, Value};

const PACKAGE: &str = "ramda";

fn not_read<'a>(at: Option<Loc>) -> Value<'a> {
    super::pg::not_read(PACKAGE, at)
}

/// Whether `package` is ramda.
pub(super) fn is_ramda(package: &str) -> bool {
    package == PACKAGE
}

/// `import * as R from "ramda"`, `import R from "ramda"`, `import { omit } from "ramda"`.
pub(super) fn import<'a>(named: Option<&str>, at: Option<Loc>) -> Value<'a> {
    match named {
        None => Value::Builtin("ramda.R"),
        Some("omit") => Value::Builtin("ramda.omit"),
        Some("pick") => Value::Builtin("ramda.pick"),
        Some(_) => not_read(at),
    }
}

/// `R.key`.
pub(super) fn member<'a>(key: &str, at: Option<Loc>) -> Value<'a> {
    match key {
        "omit" => Value::Builtin("ramda.omit"),
        "pick" => Value::Builtin("ramda.pick"),
        _ => not_read(at),
    }
}

/// `R.name(args)`.
pub(super) fn method<'a>(name: &str, args: &[Value<'a>], at: Option<Loc>) -> Value<'a> {
    match name {
        "omit" => call(false, args, at),
        "pick" => call(true, args, at),
        _ => not_read(at),
    }
}

/// `ramda.omit(keys, obj)` / `ramda.pick(keys, obj)`, by builtin name.
pub(super) fn call_builtin<'a>(
    builtin: &str,
    args: &[Value<'a>],
    at: Option<Loc>,
) -> Option<Value<'a>> {
    match builtin {
        "ramda.omit" => Some(call(false, args, at)),
        "ramda.pick" => Some(call(true, args, at)),
        _ => None,
    }
}

/// A shallow copy of `obj` without (`keep`: with only) the listed keys.
fn call<'a>(keep: bool, args: &[Value<'a>], at: Option<Loc>) -> Value<'a> {
    let keys = match args.first() {
        Some(Value::Array(items)) => {
            let mut keys = Vec::new();
            for item in items.iter() {
                match item {
                    Value::Str(s) => keys.push(s.clone()),
                    Value::Unknown(w) => return Value::Unknown(w.clone()),
                    _ => return not_read(at),
                }
            }
            keys
        }
        Some(Value::Unknown(w)) => return Value::Unknown(w.clone()),
        // Curried (`R.omit(keys)(obj)`) or not an array: not followed.
        _ => return not_read(at),
    };
    let obj = match args.get(1) {
        Some(Value::Object(o)) => o,
        Some(Value::Unknown(w)) => return Value::Unknown(w.clone()),
        _ => return not_read(at),
    };
    if let (true, Some(hole)) = (keep, obj.holes.first()) {
        // A picked key may hide in what could not be evaluated.
        return Value::Unknown(hole.clone());
    }
    let mut out = Obj::default();
    for hole in &obj.holes {
        out.add_hole(hole.clone());
    }
    for (key, value, loc) in ordered_props(obj) {
        if keys.iter().any(|k| k == key) == keep {
            out.set(key.clone(), value.clone(), *loc);
        }
    }
    Value::Object(Rc::new(out))
}
