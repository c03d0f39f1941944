//! One static JavaScript/TypeScript evaluator, used by the config reader and the schema
//! reader: modules (parsed with oxc, imports resolved the way Node, TypeScript and the
//! bundlers drizzle-kit uses resolve them), values, and an interpreter for the subset of the
//! language configs and schemas are written in. It names no library: what a package such as
//! `drizzle-orm/pg-core` exports is given by the [`Host`] that runs it. Nothing is
//! guessed: what cannot be known becomes [`Value::Unknown`] saying why.

mod interp;
pub mod module;
mod node;
pub mod resolve;
mod runtime;
mod value;

pub use interp::{Ctx, Interp, Vars};
pub use module::{ImportName, Modules, Packages};
pub use runtime::string_to_number;
pub use value::{
    date_iso, js_number, js_string, json_stringify, missing_env_message, ordered_props, Closure,
    Env, FnRef, HostValue, Loc, Lookup, NoHost, Obj, Prop, Value, Why,
};

/// A value of the evaluator `H` runs.
pub type Val<'a, H> = Value<'a, <H as Host<'a>>::Obj>;

/// What the evaluator is given: the packages it does not read from source, the functions
/// they export (builtins, by canonical name) and the objects those return.
pub trait Host<'a>: Sized {
    type Obj: HostValue + 'a;

    /// What `import { name } from "package"` is, for a package not read from source.
    fn package(
        ev: &mut Interp<'a, '_, Self>,
        package: &'a str,
        name: ImportName<'a>,
        at: Option<Loc>,
    ) -> Val<'a, Self>;

    /// `builtin.key` for a builtin of the host.
    fn builtin_member(
        ev: &mut Interp<'a, '_, Self>,
        builtin: &'static str,
        key: &str,
        at: Option<Loc>,
    ) -> Val<'a, Self>;

    /// `builtin.name(...args)` for a builtin of the host.
    fn builtin_method(
        ev: &mut Interp<'a, '_, Self>,
        builtin: &'static str,
        name: &str,
        args: Vec<Val<'a, Self>>,
        loc: Loc,
    ) -> Val<'a, Self>;

    /// `builtin(...args)`.
    fn call_builtin(
        ev: &mut Interp<'a, '_, Self>,
        builtin: &'static str,
        args: Vec<Val<'a, Self>>,
        loc: Loc,
    ) -> Val<'a, Self>;

    /// Calls a host object.
    fn call_host(
        ev: &mut Interp<'a, '_, Self>,
        f: Val<'a, Self>,
        args: Vec<Val<'a, Self>>,
        loc: Loc,
    ) -> Val<'a, Self>;

    /// `object.key` for a host object.
    fn member(
        ev: &mut Interp<'a, '_, Self>,
        object: Val<'a, Self>,
        key: &str,
        at: Option<Loc>,
    ) -> Val<'a, Self>;

    /// `object.name(...args)` for a host object.
    fn method(
        ev: &mut Interp<'a, '_, Self>,
        object: Val<'a, Self>,
        name: &str,
        args: Vec<Val<'a, Self>>,
        loc: Loc,
    ) -> Val<'a, Self>;

    /// A template tagged with a builtin (`sql\`…\``); `None` when it is no tag.
    fn tag(
        ev: &mut Interp<'a, '_, Self>,
        builtin: &'static str,
        strings: &[&str],
        values: Vec<Val<'a, Self>>,
    ) -> Option<Val<'a, Self>>;

    /// A global name the host defines (a builtin), if any.
    fn global(_name: &str) -> Option<&'static str> {
        None
    }

    /// `Object.assign(target, source)` onto a host object: whether the host keeps the
    /// source's keys on it (a method added to a column builder), else they are not followed.
    fn assign(
        _ev: &mut Interp<'a, '_, Self>,
        _target: &Val<'a, Self>,
        _source: &Val<'a, Self>,
    ) -> bool {
        false
    }

    /// A host object's own enumerable properties (`Object.values(table)`), if it has any.
    fn own_props(
        ev: &mut Interp<'a, '_, Self>,
        object: &Val<'a, Self>,
        at: Option<Loc>,
    ) -> Option<Obj<'a, Self::Obj>>;
}
