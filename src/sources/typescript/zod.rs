//! The one part of zod a schema reads values from: `z.enum([...])`, whose `.options` and
//! `.enum.X` / `.Enum.X` often give a `pgEnum` its values (one list shared by the API's
//! validation and the database). Everything else of zod is validation, not schema: it
//! stays unknown, with the message the reader treats as "not a schema object".

use std::rc::Rc;

use super::value::{Loc, Obj, Value};

const PACKAGE: &str = "zod";

/// The message of every zod value the reader does not model.
fn not_read<'a>(at: Option<Loc>) -> Value<'a> {
    super::pg::not_read(PACKAGE, at)
}

/// `import { z } from "zod"`, `import * as z from "zod"`, `import z from "zod"`.
pub(super) fn import<'a>(named: Option<&str>, at: Option<Loc>) -> Value<'a> {
    match named {
        None | Some("z") => Value::Builtin("zod.z"),
        Some(_) => not_read(at),
    }
}

/// `z.key`, other than called as a method.
pub(super) fn member<'a>(at: Option<Loc>) -> Value<'a> {
    not_read(at)
}

/// `z.name(args)`.
pub(super) fn method<'a>(name: &str, args: &[Value<'a>], at: Option<Loc>) -> Value<'a> {
    match name {
        "enum" => call_enum(args, at),
        _ => not_read(at),
    }
}

/// `z.enum(values)`: an object with the values as `options` and each value under its own
/// name in `enum`, `Enum` and `Values` (zod 3 and 4 spell it differently).
fn call_enum<'a>(args: &[Value<'a>], at: Option<Loc>) -> Value<'a> {
    let Some(Value::Array(items)) = args.first() else {
        return not_read(at);
    };
    let mut names = Obj::default();
    for item in items.iter() {
        let Value::Str(s) = item else {
            return not_read(at);
        };
        names.set(s.clone(), item.clone(), at);
    }
    let names = Rc::new(names);
    let mut out = Obj::default();
    out.set(Rc::from("options"), Value::Array(items.clone()), at);
    for key in ["enum", "Enum", "Values"] {
        out.set(Rc::from(key), Value::Object(names.clone()), at);
    }
    Value::Object(Rc::new(out))
}

/// Whether `package` is zod.
pub(super) fn is_zod(package: &str) -> bool {
    package == PACKAGE
}
