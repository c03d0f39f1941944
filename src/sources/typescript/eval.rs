//! The schema reader's host for the evaluator ([`crate::js`]): drizzle-orm's packages as
//! builtins ([`super::pg`], [`super::mysql`], [`super::sql`]) and the objects they build.

use super::value::{Dz, Obj, Value};
use crate::config::Casing;
use crate::js::{Host, ImportName, Interp, Loc, Packages};
use std::rc::Rc;

/// The schema evaluator: the evaluator with drizzle-orm given.
pub(super) type Evaluator<'a, 'm> = Interp<'a, 'm, Drizzle>;

/// The host's state.
pub(super) struct Drizzle {
    /// The config's `casing`, which renders column names inside `sql`.
    pub casing: Option<Casing>,
}

/// drizzle-orm entry points: the schema-code ones read from [`super::packages`], the
/// others builtins.
pub(super) const PACKAGES: Packages = Packages {
    source: super::packages::source,
    builtin: is_drizzle,
};

fn is_drizzle(spec: &str) -> bool {
    spec.starts_with("drizzle-orm")
}

impl<'a> Host<'a> for Drizzle {
    type Obj = Dz<'a>;

    fn package(
        _ev: &mut Evaluator<'a, '_>,
        package: &'a str,
        name: ImportName<'a>,
        at: Option<Loc>,
    ) -> Value<'a> {
        super::pg::package_value(package, name, at)
    }

    fn builtin_member(
        _ev: &mut Evaluator<'a, '_>,
        builtin: &'static str,
        key: &str,
        at: Option<Loc>,
    ) -> Value<'a> {
        super::pg::builtin_member(builtin, key, at)
    }

    fn builtin_method(
        ev: &mut Evaluator<'a, '_>,
        builtin: &'static str,
        name: &str,
        args: Vec<Value<'a>>,
        loc: Loc,
    ) -> Value<'a> {
        super::pg::builtin_method(ev, builtin, name, args, loc)
    }

    fn call_builtin(
        ev: &mut Evaluator<'a, '_>,
        builtin: &'static str,
        args: Vec<Value<'a>>,
        loc: Loc,
    ) -> Value<'a> {
        super::pg::call_builtin(ev, builtin, args, loc)
    }

    fn call_host(
        ev: &mut Evaluator<'a, '_>,
        f: Value<'a>,
        args: Vec<Value<'a>>,
        loc: Loc,
    ) -> Value<'a> {
        super::pg::call_value(ev, f, args, loc)
    }

    fn member(
        ev: &mut Evaluator<'a, '_>,
        object: Value<'a>,
        key: &str,
        at: Option<Loc>,
    ) -> Value<'a> {
        super::pg::member(ev, object, key, at)
    }

    fn method(
        ev: &mut Evaluator<'a, '_>,
        object: Value<'a>,
        name: &str,
        args: Vec<Value<'a>>,
        loc: Loc,
    ) -> Value<'a> {
        super::methods::method(ev, object, name, args, loc)
    }

    fn tag(
        _ev: &mut Evaluator<'a, '_>,
        builtin: &'static str,
        strings: &[&str],
        values: Vec<Value<'a>>,
    ) -> Option<Value<'a>> {
        super::sql::is_sql_tag(builtin).then(|| super::sql::template(strings, values))
    }

    fn assign(_ev: &mut Evaluator<'a, '_>, target: &Value<'a>, source: &Value<'a>) -> bool {
        let (Value::Host(Dz::Column(c)), Value::Object(o)) = (target, source) else {
            return false;
        };
        let mut column = c.borrow_mut();
        for (key, value, _) in super::value::ordered_props(o) {
            column.assigned.push((key.clone(), value.clone()));
        }
        true
    }

    /// A table's own enumerable keys are its columns.
    fn own_props(
        ev: &mut Evaluator<'a, '_>,
        object: &Value<'a>,
        at: Option<Loc>,
    ) -> Option<Obj<'a>> {
        let (Value::Host(Dz::Table(t)) | Value::Host(Dz::ExtraCols(t))) = object else {
            return None;
        };
        let mut out = Obj::default();
        for c in &t.clone().columns {
            let v = ev.get_member(object.clone(), &c.key, at);
            out.set(Rc::clone(&c.key), v, c.loc);
        }
        Some(out)
    }
}
