//! The interpreter: literals, objects, spreads, module bindings across imports, arrow
//! functions and plain functions with `const`/`if`/`return` bodies, template literals, the
//! operators, getters, the runtime helpers in [`super::runtime`] and the Node builtins in
//! [`super::node`]. Everything else is the [`Host`]'s.

use super::module::{Binding, Export, ImportName, Modules, Slot, Step, Target};
use super::runtime::{binary, to_number};
use super::value::{js_number, js_string, Closure, Env, FnRef, HostValue, Loc, Obj, Value, Why};
use super::{Host, Val};
use oxc_ast::ast::{
    Argument, ArrayExpressionElement, ArrowFunctionBody, BindingPattern, ChainElement, Expression,
    FormalParameters, LogicalOperator, MemberExpression, ObjectPropertyKind, PropertyKind,
    Statement, TSEnumDeclaration, TSEnumMemberName, TemplateLiteral, UnaryOperator,
};
use oxc_span::GetSpan;
use std::collections::HashSet;
use std::path::PathBuf;
use std::rc::Rc;

/// The cache key of a module's `export default <expression>` (not a valid identifier).
const DEFAULT_SLOT: &str = "*default*";

/// Evaluation depth beyond which a value is given up (deep recursion in a helper).
const MAX_DEPTH: u32 = 250;
/// Evaluation steps for a whole load; bounds helpers that recurse without end.
const MAX_STEPS: u64 = 5_000_000;

/// Where an expression is evaluated: its module and, inside a function, the locals.
pub struct Ctx<'a, X> {
    pub module: u32,
    pub env: Option<Rc<Env<'a, X>>>,
}

impl<X> Clone for Ctx<'_, X> {
    fn clone(&self) -> Self {
        Ctx {
            module: self.module,
            env: self.env.clone(),
        }
    }
}

enum Flow<'a, X> {
    Normal,
    Return(Value<'a, X>),
    Unknown(Value<'a, X>),
}

/// The variables `process.env` holds.
pub type Vars<'m> = &'m dyn Fn(&str) -> Option<String>;

pub struct Interp<'a, 'm, H: Host<'a>> {
    pub modules: &'m Modules<'a, H::Obj>,
    /// The host's own state.
    pub host: H,
    /// What `process.env` holds; `None` when it is not known.
    env: Option<Vars<'m>>,
    /// An unset variable reads as [`Value::MissingEnv`] (naming it) rather than `undefined`.
    pub name_missing_env: bool,
    /// `process.cwd()`: where drizzle-kit runs.
    pub cwd: Option<PathBuf>,
    depth: u32,
    steps: u64,
    next_id: u32,
    /// The module-level declarations being evaluated, innermost last: an object's origin.
    sites: Vec<Loc>,
    /// Calls from project files into package modules read from source, innermost last.
    user_calls: Vec<Loc>,
}

impl<'a, 'm, H: Host<'a>> Interp<'a, 'm, H> {
    pub fn new(modules: &'m Modules<'a, H::Obj>, host: H, env: Option<Vars<'m>>) -> Self {
        Interp {
            modules,
            host,
            env,
            name_missing_env: false,
            cwd: None,
            depth: 0,
            steps: 0,
            next_id: 0,
            sites: Vec::new(),
            user_calls: Vec::new(),
        }
    }

    pub fn next_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// `loc`, or when it is inside drizzle-orm's own schema code (`crudPolicy`), the
    /// project's call that led there.
    pub fn here(&self, loc: Loc) -> Loc {
        let in_package = |l: Loc| self.modules.get(l.module).is_some_and(|m| m.is_package);
        if in_package(loc) {
            if let Some(call) = self.user_calls.last() {
                return *call;
            }
        }
        loc
    }

    /// The declaration an object being created belongs to, or `fallback`.
    pub fn site(&self, fallback: Loc) -> Loc {
        self.sites.last().copied().unwrap_or(fallback)
    }

    // ----- modules ------------------------------------------------------------------

    /// The names `module` exports, in declaration order, `export *` included.
    pub fn export_names(&self, module: u32) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        self.collect_export_names(module, &mut out, &mut seen, &mut HashSet::new());
        out
    }

    fn collect_export_names(
        &self,
        module: u32,
        out: &mut Vec<&'a str>,
        seen: &mut HashSet<&'a str>,
        visited: &mut HashSet<u32>,
    ) {
        if !visited.insert(module) {
            return;
        }
        let Some(m) = self.modules.get(module) else {
            return;
        };
        let mut stars = Vec::new();
        for export in &m.exports {
            let name = match export {
                Export::Local { exported, .. } | Export::From { exported, .. } => *exported,
                Export::Default(_) | Export::CommonJs(_) => "default",
                Export::Value { exported, .. } => *exported,
                Export::Star(Target::Module(t)) => {
                    stars.push(*t);
                    continue;
                }
                Export::Star(_) => continue,
            };
            if seen.insert(name) {
                out.push(name);
            }
        }
        for star in stars {
            let mut inner = Vec::new();
            self.collect_export_names(star, &mut inner, &mut HashSet::new(), visited);
            for name in inner {
                if name != "default" && seen.insert(name) {
                    out.push(name);
                }
            }
        }
    }

    /// The value `module` exports as `name`.
    pub fn export_value(&mut self, module: u32, name: &str, at: Option<Loc>) -> Val<'a, H> {
        self.export_value_in(module, name, at, &mut HashSet::new())
            .unwrap_or_else(|| {
                let display = self
                    .modules
                    .get(module)
                    .map_or("a module", |m| m.display.as_str());
                Value::unknown(format!("{display} exports no `{name}`"), at)
            })
    }

    fn export_value_in(
        &mut self,
        module: u32,
        name: &str,
        at: Option<Loc>,
        visited: &mut HashSet<u32>,
    ) -> Option<Val<'a, H>> {
        if !visited.insert(module) {
            return None;
        }
        let modules = self.modules;
        let m = modules.get(module)?;
        if let Some(broken) = &m.broken {
            return Some(Value::unknown(format!("{} {broken}", m.display), at));
        }
        for export in &m.exports {
            match export {
                Export::Local { exported, local } if *exported == name => {
                    return Some(self.binding_value(module, local, at));
                }
                Export::Value { exported, expr } if *exported == name => {
                    return Some(self.eval(expr, &Ctx { module, env: None }));
                }
                Export::Default(expr) | Export::CommonJs(expr) if name == "default" => {
                    // Evaluated once, like a binding: importers must see the same table.
                    if let Some(Slot::Done(v)) = m.cache.borrow().get(DEFAULT_SLOT) {
                        return Some(v.clone());
                    }
                    let loc = Loc {
                        module,
                        offset: expr.span().start,
                    };
                    self.sites.push(loc);
                    let v = self.eval(expr, &Ctx { module, env: None });
                    self.sites.pop();
                    m.cache
                        .borrow_mut()
                        .insert(DEFAULT_SLOT, Slot::Done(v.clone()));
                    return Some(v);
                }
                Export::From {
                    exported,
                    target,
                    name: imported,
                } if *exported == name => {
                    return Some(self.import_value(*target, *imported, at));
                }
                _ => {}
            }
        }
        if name == "default" {
            return None;
        }
        if m.exports.iter().any(|e| matches!(e, Export::CommonJs(_))) {
            let whole = self.export_value_in(module, "default", at, &mut HashSet::new())?;
            return Some(self.get_member(whole, name, at));
        }
        for export in &m.exports {
            if let Export::Star(target) = export {
                match target {
                    Target::Module(t) => {
                        if let Some(v) = self.export_value_in(*t, name, at, visited) {
                            return Some(v);
                        }
                    }
                    Target::Package(_) | Target::Missing(_) => {}
                }
            }
        }
        None
    }

    fn import_value(
        &mut self,
        target: Target<'a>,
        name: ImportName<'a>,
        at: Option<Loc>,
    ) -> Val<'a, H> {
        match target {
            Target::Module(t) => match name {
                ImportName::Namespace => Value::Namespace(t),
                ImportName::Default => self.export_value(t, "default", at),
                ImportName::Named(n) => self.export_value(t, n, at),
            },
            Target::Package(package) => match super::node::package(package, name) {
                Some(v) => v,
                None => H::package(self, package, name, at),
            },
            Target::Missing(spec) => {
                let what = match name {
                    ImportName::Named(n) => format!("`{n}`"),
                    _ => "a module".to_string(),
                };
                Value::unknown(
                    format!("uses {what} imported from {spec}, which is no file"),
                    at,
                )
            }
        }
    }

    /// A module-level name, evaluated once.
    fn binding_value(&mut self, module: u32, name: &str, at: Option<Loc>) -> Val<'a, H> {
        let modules = self.modules;
        let Some(m) = modules.get(module) else {
            return Value::unknown(format!("`{name}` is not defined"), at);
        };
        let Some((key, binding)) = m.bindings.get_key_value(name) else {
            return Value::unknown(format!("`{name}` is not defined in {}", m.display), at);
        };
        if let Some(slot) = m.cache.borrow().get(name) {
            return match slot {
                Slot::Done(v) => v.clone(),
                Slot::Evaluating => {
                    Value::unknown(format!("`{name}` is used while it is being defined"), at)
                }
            };
        }
        m.cache.borrow_mut().insert(key, Slot::Evaluating);
        let ctx = Ctx { module, env: None };
        let value = match binding {
            Binding::Init(expr, loc) => {
                self.sites.push(*loc);
                let v = self.eval(expr, &ctx);
                self.sites.pop();
                v
            }
            Binding::Destructured {
                init,
                path,
                default,
                loc,
            } => {
                self.sites.push(*loc);
                let mut v = self.eval(init, &ctx);
                for step in path {
                    v = match step {
                        Step::Key(k) => self.get_member(v, k, Some(*loc)),
                        Step::Index(i) => self.get_member(v, &i.to_string(), Some(*loc)),
                    };
                }
                if let (Value::Undefined | Value::MissingEnv(_), Some(d)) = (&v, default) {
                    v = self.eval(d, &ctx);
                }
                self.sites.pop();
                v
            }
            Binding::Function(f) => Value::Func(Rc::new(Closure {
                func: FnRef::Function(f),
                env: None,
                module,
                getter: false,
            })),
            Binding::Enum(e) => self.ts_enum(e, &ctx),
            Binding::Import { target, name, loc } => self.import_value(*target, *name, Some(*loc)),
            Binding::Opaque(why, loc) => Value::unknown(format!("`{name}` {why}"), Some(*loc)),
        };
        m.cache.borrow_mut().insert(key, Slot::Done(value.clone()));
        value
    }

    /// A TypeScript `enum` as the object it compiles to.
    fn ts_enum(&mut self, e: &'a TSEnumDeclaration<'a>, ctx: &Ctx<'a, H::Obj>) -> Val<'a, H> {
        let mut obj = Obj::default();
        let mut next = Some(0.0);
        for member in &e.body.members {
            let key: Rc<str> = match &member.id {
                TSEnumMemberName::Identifier(id) => Rc::from(id.name.as_str()),
                TSEnumMemberName::String(s) | TSEnumMemberName::ComputedString(s) => {
                    Rc::from(s.value.as_str())
                }
                TSEnumMemberName::ComputedTemplateString(_) => {
                    return Value::unknown(
                        "is an enum with a template member name",
                        Some(self.loc(ctx, member.span.start)),
                    )
                }
            };
            let value = match &member.initializer {
                Some(init) => {
                    // Members may refer to earlier members by name.
                    let env = Env::new(ctx.env.clone());
                    for (k, v, _) in &obj.props {
                        if let Some(name) = e.body.members.iter().find_map(|m| match &m.id {
                            TSEnumMemberName::Identifier(id) if id.name.as_str() == &**k => {
                                Some(id.name.as_str())
                            }
                            _ => None,
                        }) {
                            env.define(name, v.clone());
                        }
                    }
                    self.eval(
                        init,
                        &Ctx {
                            module: ctx.module,
                            env: Some(env),
                        },
                    )
                }
                None => match next {
                    Some(n) => Value::Num(n),
                    None => {
                        return Value::unknown(
                            "is an enum member without a value after a string member",
                            Some(self.loc(ctx, member.span.start)),
                        )
                    }
                },
            };
            next = match &value {
                Value::Num(n) => Some(n + 1.0),
                _ => None,
            };
            if let Value::Num(n) = &value {
                // Numeric members also map the number back to the name.
                obj.set(Rc::from(js_number(*n)), Value::Str(key.clone()), None);
            }
            obj.set(key, value, Some(self.loc(ctx, member.span.start)));
        }
        Value::Object(Rc::new(obj))
    }

    pub fn loc(&self, ctx: &Ctx<'a, H::Obj>, offset: u32) -> Loc {
        Loc {
            module: ctx.module,
            offset,
        }
    }

    // ----- expressions --------------------------------------------------------------

    pub fn eval(&mut self, expr: &'a Expression<'a>, ctx: &Ctx<'a, H::Obj>) -> Val<'a, H> {
        if self.depth >= MAX_DEPTH {
            let at = Some(self.loc(ctx, expr.span().start));
            return Value::unknown("is nested or recursive too deeply", at);
        }
        self.steps += 1;
        if self.steps > MAX_STEPS {
            let at = Some(self.loc(ctx, expr.span().start));
            return Value::unknown("takes too many steps to evaluate", at);
        }
        self.depth += 1;
        let v = self.eval_inner(expr.get_inner_expression(), ctx);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, expr: &'a Expression<'a>, ctx: &Ctx<'a, H::Obj>) -> Val<'a, H> {
        let loc = self.loc(ctx, expr.span().start);
        let at = Some(loc);
        match expr {
            Expression::StringLiteral(s) => Value::str(s.value.as_str()),
            Expression::NumericLiteral(n) => Value::Num(n.value),
            Expression::BooleanLiteral(b) => Value::Bool(b.value),
            Expression::NullLiteral(_) => Value::Null,
            Expression::BigIntLiteral(b) => Value::BigInt(Rc::from(b.value.as_str())),
            Expression::TemplateLiteral(t) => self.template(t, ctx),
            Expression::Identifier(id) => self.lookup(id.name.as_str(), ctx, at),
            Expression::ArrayExpression(arr) => {
                let mut items = Vec::new();
                for el in &arr.elements {
                    match el {
                        ArrayExpressionElement::SpreadElement(spread) => {
                            match self.eval(&spread.argument, ctx) {
                                Value::Array(inner) => items.extend(inner.iter().cloned()),
                                Value::Str(s) => {
                                    items.extend(s.chars().map(|c| Value::str(&c.to_string())))
                                }
                                u @ Value::Unknown(_) => return u,
                                other => {
                                    return Value::unknown(
                                        format!("spreads {} into an array", other.kind()),
                                        at,
                                    )
                                }
                            }
                        }
                        ArrayExpressionElement::Elision(_) => items.push(Value::Undefined),
                        other => match other.as_expression() {
                            Some(e) => items.push(self.eval(e, ctx)),
                            None => return Value::unknown("has an unreadable element", at),
                        },
                    }
                }
                Value::Array(Rc::new(items))
            }
            Expression::ObjectExpression(obj) => {
                let mut out = Obj::default();
                for prop in &obj.properties {
                    match prop {
                        ObjectPropertyKind::ObjectProperty(p) => {
                            let key: Rc<str> = match p.key.static_name() {
                                Some(k) if !p.computed => Rc::from(&*k),
                                _ => match p.key.as_expression() {
                                    Some(e) => match self.eval(e, ctx) {
                                        u @ Value::Unknown(_) => return u,
                                        k => match js_string(&k) {
                                            Some(s) => Rc::from(s),
                                            None => {
                                                return Value::unknown(
                                                    "has a computed key that is not a string",
                                                    at,
                                                )
                                            }
                                        },
                                    },
                                    None => return Value::unknown("has an unreadable key", at),
                                },
                            };
                            let prop_at = Some(self.loc(ctx, p.span.start));
                            let value_at = Some(self.loc(ctx, p.value.span().start));
                            let value = match (p.kind, p.value.get_inner_expression()) {
                                (PropertyKind::Init, _) => self.eval(&p.value, ctx),
                                // Read each time the key is read (or the object spread).
                                (PropertyKind::Get, Expression::FunctionExpression(f)) => {
                                    Value::Func(Rc::new(Closure {
                                        func: FnRef::Function(f),
                                        env: ctx.env.clone(),
                                        module: ctx.module,
                                        getter: true,
                                    }))
                                }
                                (PropertyKind::Set, _) if out.get(&key).is_some() => continue,
                                (PropertyKind::Set, _) => Value::Undefined,
                                _ => Value::unknown(format!("`{key}` is a getter"), prop_at),
                            };
                            out.set_at(key, value, prop_at, value_at);
                        }
                        ObjectPropertyKind::SpreadProperty(spread) => {
                            let v = self.eval(&spread.argument, ctx);
                            self.spread_into(&mut out, v, at);
                        }
                    }
                }
                Value::Object(Rc::new(out))
            }
            Expression::StaticMemberExpression(_)
            | Expression::ComputedMemberExpression(_)
            | Expression::PrivateFieldExpression(_) => match expr.as_member_expression() {
                Some(m) => self.member(m, ctx),
                None => Value::unknown("reads a member", at),
            },
            Expression::ChainExpression(chain) => match &chain.expression {
                ChainElement::CallExpression(call) => self.call_expr(
                    &call.callee,
                    &call.arguments,
                    call.optional,
                    ctx,
                    self.loc(ctx, call.span.start),
                ),
                ChainElement::TSNonNullExpression(e) => self.eval(&e.expression, ctx),
                other => match other.as_member_expression() {
                    Some(m) => self.member(m, ctx),
                    None => Value::unknown("reads a member", at),
                },
            },
            Expression::CallExpression(call) => {
                self.call_expr(&call.callee, &call.arguments, call.optional, ctx, loc)
            }
            Expression::TaggedTemplateExpression(t) => {
                let tag = self.eval(&t.tag, ctx);
                match tag {
                    Value::Builtin(name) => {
                        let mut values = Vec::new();
                        for e in &t.quasi.expressions {
                            values.push(self.eval(e, ctx));
                        }
                        let mut strings = Vec::new();
                        for q in &t.quasi.quasis {
                            match &q.value.cooked {
                                Some(c) => strings.push(c.as_str()),
                                None => {
                                    return Value::unknown(
                                        "is a template with an invalid escape",
                                        at,
                                    )
                                }
                            }
                        }
                        match H::tag(self, name, &strings, values) {
                            Some(v) => v,
                            None => Value::unknown(format!("tags a template with {name}"), at),
                        }
                    }
                    u @ Value::Unknown(_) => u,
                    other => Value::unknown(format!("tags a template with {}", other.kind()), at),
                }
            }
            Expression::LogicalExpression(logic) => {
                let left = self.eval(&logic.left, ctx);
                let take_right = match logic.operator {
                    LogicalOperator::Coalesce => {
                        if left.is_unknown() {
                            None
                        } else {
                            Some(left.is_nullish())
                        }
                    }
                    LogicalOperator::Or => left.truthy().map(|t| !t),
                    LogicalOperator::And => left.truthy(),
                };
                match take_right {
                    Some(true) => self.eval(&logic.right, ctx),
                    _ => left,
                }
            }
            Expression::ConditionalExpression(cond) => {
                let test = self.eval(&cond.test, ctx);
                match test.truthy() {
                    Some(true) => self.eval(&cond.consequent, ctx),
                    Some(false) => self.eval(&cond.alternate, ctx),
                    None => test,
                }
            }
            Expression::BinaryExpression(bin) => {
                let left = self.eval(&bin.left, ctx);
                let right = self.eval(&bin.right, ctx);
                binary(bin.operator, left, right, at)
            }
            Expression::UnaryExpression(un) => {
                let arg = self.eval(&un.argument, ctx);
                if arg.is_unknown() && un.operator != UnaryOperator::Typeof {
                    return arg;
                }
                match un.operator {
                    UnaryOperator::LogicalNot => match arg.truthy() {
                        Some(t) => Value::Bool(!t),
                        None => arg,
                    },
                    UnaryOperator::UnaryNegation => match arg {
                        Value::BigInt(d) => Value::BigInt(Rc::from(match d.strip_prefix('-') {
                            Some(rest) => rest.to_string(),
                            None => format!("-{d}"),
                        })),
                        other => match to_number(&other) {
                            Some(n) => Value::Num(-n),
                            None => Value::unknown("negates a value that is not a number", at),
                        },
                    },
                    UnaryOperator::UnaryPlus => match to_number(&arg) {
                        Some(n) => Value::Num(n),
                        None => Value::unknown("converts a value to a number", at),
                    },
                    UnaryOperator::Void => Value::Undefined,
                    UnaryOperator::Typeof => match &arg {
                        Value::Unknown(_) => arg,
                        Value::Undefined | Value::MissingEnv(_) => Value::str("undefined"),
                        Value::Str(_) => Value::str("string"),
                        Value::Num(_) => Value::str("number"),
                        Value::Bool(_) => Value::str("boolean"),
                        Value::BigInt(_) => Value::str("bigint"),
                        Value::Func(_) | Value::Builtin(_) | Value::Bound(_) => {
                            Value::str("function")
                        }
                        Value::Host(h) if h.is_callable() => Value::str("function"),
                        _ => Value::str("object"),
                    },
                    _ => {
                        Value::unknown(format!("uses the `{}` operator", un.operator.as_str()), at)
                    }
                }
            }
            Expression::ArrowFunctionExpression(f) => Value::Func(Rc::new(Closure {
                func: FnRef::Arrow(f),
                env: ctx.env.clone(),
                module: ctx.module,
                getter: false,
            })),
            Expression::FunctionExpression(f) => Value::Func(Rc::new(Closure {
                func: FnRef::Function(f),
                env: ctx.env.clone(),
                module: ctx.module,
                getter: false,
            })),
            Expression::SequenceExpression(seq) => {
                let mut last = Value::Undefined;
                for e in &seq.expressions {
                    last = self.eval(e, ctx);
                }
                last
            }
            Expression::NewExpression(new) => match self.eval(&new.callee, ctx) {
                Value::Builtin("node.URL") => match self.args(&new.arguments, ctx) {
                    Ok(args) => super::node::new_url::<H>(&args, at),
                    Err(u) => u,
                },
                Value::Builtin("js.Date") => match self.args(&new.arguments, ctx) {
                    Ok(args) => new_date(&args, at),
                    Err(u) => u,
                },
                u @ Value::Unknown(_) => u,
                _ => Value::unknown(format!("constructs {}", callee_name(&new.callee)), at),
            },
            Expression::AwaitExpression(_) => Value::unknown("awaits a promise", at),
            Expression::AssignmentExpression(_) | Expression::UpdateExpression(_) => {
                Value::unknown("assigns a variable", at)
            }
            Expression::ClassExpression(_) => Value::unknown("is a class", at),
            Expression::RegExpLiteral(_) => Value::unknown("is a regular expression", at),
            Expression::ThisExpression(_) => Value::unknown("reads `this`", at),
            // drizzle-kit loads files as CommonJS: only `url` is there (`dirname` and
            // `filename` are undefined).
            Expression::ImportMeta(_) => match self.modules.get(ctx.module) {
                Some(m) if !m.is_package => {
                    let mut o = Obj::default();
                    let url = super::node::file_url(&m.path);
                    o.set(Rc::from("url"), Value::str(&url), at);
                    Value::Object(Rc::new(o))
                }
                _ => Value::unknown("reads import.meta", at),
            },
            _ => Value::unknown("uses an expression drizzle-drift does not evaluate", at),
        }
    }

    pub fn spread_into(&mut self, out: &mut Obj<'a, H::Obj>, v: Val<'a, H>, at: Option<Loc>) {
        match v {
            Value::Object(o) => {
                for item in o.spread_order() {
                    match item {
                        Ok((k, v, l)) => {
                            let v = match v {
                                Value::Func(c) if c.getter => {
                                    let c = c.clone();
                                    let loc = at.or(*l).unwrap_or(Loc {
                                        module: c.module,
                                        offset: 0,
                                    });
                                    self.call_closure(&c, Vec::new(), loc)
                                }
                                other => other.clone(),
                            };
                            out.set(k.clone(), v, *l);
                        }
                        Err(hole) => out.add_hole(hole.clone()),
                    }
                }
            }
            Value::Namespace(m) => {
                for name in self.export_names(m) {
                    let v = self.export_value(m, name, at);
                    out.set(Rc::from(name), v, at);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    out.set(Rc::from(i.to_string()), v.clone(), at);
                }
            }
            Value::Str(s) => {
                for (i, c) in s.chars().enumerate() {
                    out.set(Rc::from(i.to_string()), Value::str(&c.to_string()), at);
                }
            }
            Value::Undefined | Value::Null | Value::Bool(_) | Value::Num(_) => {}
            Value::MissingEnv(name) => out.add_hole(Rc::new(Why {
                message: super::value::missing_env_message(&name),
                loc: at,
                missing_env: Some(name),
            })),
            Value::Unknown(why) => out.add_hole(why),
            other => out.add_hole(Rc::new(Why::new(
                format!("spreads {} into an object", other.kind()),
                at,
            ))),
        }
    }

    fn template(&mut self, t: &'a TemplateLiteral<'a>, ctx: &Ctx<'a, H::Obj>) -> Val<'a, H> {
        let at = Some(self.loc(ctx, t.span.start));
        let mut out = String::new();
        for (i, q) in t.quasis.iter().enumerate() {
            match &q.value.cooked {
                Some(c) => out.push_str(c.as_str()),
                None => return Value::unknown("is a template with an invalid escape", at),
            }
            if let Some(e) = t.expressions.get(i) {
                let v = self.eval(e, ctx);
                if v.is_unknown() {
                    return v;
                }
                if let Value::MissingEnv(var) = &v {
                    return Value::missing_env(var, Some(self.loc(ctx, e.span().start)));
                }
                match js_string(&v) {
                    Some(s) => out.push_str(&s),
                    None => {
                        return Value::unknown(
                            format!("puts {} into a template string", v.kind()),
                            at,
                        )
                    }
                }
            }
        }
        Value::str(&out)
    }

    fn lookup(&mut self, name: &'a str, ctx: &Ctx<'a, H::Obj>, at: Option<Loc>) -> Val<'a, H> {
        if let Some(env) = &ctx.env {
            if let Some(v) = env.lookup(name) {
                return v;
            }
        }
        let defined = self
            .modules
            .get(ctx.module)
            .is_some_and(|m| m.bindings.contains_key(name));
        if defined {
            return self.binding_value(ctx.module, name, at);
        }
        match name {
            "undefined" => Value::Undefined,
            "NaN" => Value::Num(f64::NAN),
            "Infinity" => Value::Num(f64::INFINITY),
            "Object" => Value::Builtin("js.Object"),
            "Array" => Value::Builtin("js.Array"),
            "JSON" => Value::Builtin("js.JSON"),
            "String" => Value::Builtin("js.String"),
            "Number" => Value::Builtin("js.Number"),
            "Boolean" => Value::Builtin("js.Boolean"),
            "parseInt" => Value::Builtin("js.parseInt"),
            "parseFloat" => Value::Builtin("js.parseFloat"),
            "URL" => Value::Builtin("node.URL"),
            "Date" => Value::Builtin("js.Date"),
            "process" => Value::Builtin("js.process"),
            "__dirname" | "__filename" => match self.modules.get(ctx.module) {
                Some(m) if !m.is_package => {
                    let p = if name == "__dirname" {
                        m.path.parent().unwrap_or(&m.path)
                    } else {
                        &m.path
                    };
                    match p.to_str() {
                        Some(p) => Value::str(p),
                        None => Value::unknown("is a path that is not valid UTF-8", at),
                    }
                }
                _ => Value::unknown(format!("reads {name}"), at),
            },
            _ => match H::global(name) {
                Some(builtin) => Value::Builtin(builtin),
                None => Value::unknown(format!("`{name}` is not defined"), at),
            },
        }
    }

    fn member(&mut self, m: &'a MemberExpression<'a>, ctx: &Ctx<'a, H::Obj>) -> Val<'a, H> {
        let at = Some(self.loc(ctx, m.span().start));
        let object = self.eval(m.object(), ctx);
        if m.optional() && object.is_nullish() {
            return Value::Undefined;
        }
        let key = match m {
            MemberExpression::ComputedMemberExpression(c) => {
                let k = self.eval(&c.expression, ctx);
                if k.is_unknown() {
                    return k;
                }
                match js_string(&k) {
                    Some(s) => s,
                    None => return Value::unknown("reads a member with a computed key", at),
                }
            }
            other => match other.static_property_name() {
                Some(name) => name.to_string(),
                None => return Value::unknown("reads a private field", at),
            },
        };
        self.get_member(object, &key, at)
    }

    /// `object[key]`.
    pub fn get_member(&mut self, object: Val<'a, H>, key: &str, at: Option<Loc>) -> Val<'a, H> {
        match &object {
            Value::Unknown(_) => object,
            Value::MissingEnv(name) => Value::missing_env(name, at),
            Value::Undefined | Value::Null => {
                Value::unknown(format!("reads `{key}` of {}", object.kind()), at)
            }
            Value::Object(o) => match o.get(key) {
                Some(Value::Func(c)) if c.getter => {
                    let c = c.clone();
                    let loc = at.unwrap_or(Loc {
                        module: c.module,
                        offset: 0,
                    });
                    self.call_closure(&c, Vec::new(), loc)
                }
                Some(v) => v.clone(),
                None if !o.holes.is_empty() => Value::Unknown(o.holes[0].clone()),
                None => Value::Undefined,
            },
            Value::Namespace(m) => {
                let m = *m;
                self.export_value_in(m, key, at, &mut HashSet::new())
                    .unwrap_or(Value::Undefined)
            }
            Value::Array(items) => match key {
                "length" => Value::Num(items.len() as f64),
                _ => match key.parse::<usize>() {
                    Ok(i) => items.get(i).cloned().unwrap_or(Value::Undefined),
                    Err(_) => bound(object, key),
                },
            },
            Value::Str(s) => match key {
                "length" => Value::Num(s.encode_utf16().count() as f64),
                _ => match key.parse::<usize>() {
                    Ok(i) => s
                        .chars()
                        .nth(i)
                        .map_or(Value::Undefined, |c| Value::str(&c.to_string())),
                    Err(_) => bound(object, key),
                },
            },
            Value::Num(_) | Value::Bool(_) | Value::BigInt(_) | Value::Date(_) => {
                bound(object, key)
            }
            Value::Func(_) | Value::Bound(_) => match key {
                "call" | "apply" | "bind" => bound(object, key),
                _ => Value::Undefined,
            },
            Value::Builtin("js.process") => match key {
                "env" => Value::Builtin("js.env"),
                "cwd" => Value::Builtin("node.process.cwd"),
                _ => Value::unknown(format!("reads process.{key}"), at),
            },
            Value::Builtin("js.env") => match self.env.map(|e| e(key)) {
                Some(Some(v)) => Value::str(&v),
                Some(None) if self.name_missing_env => Value::MissingEnv(Rc::from(key)),
                Some(None) => Value::Undefined,
                None => Value::unknown(format!("reads process.env.{key}"), at),
            },
            Value::Builtin(name) => match super::node::builtin_member(self, name, key, at) {
                Some(v) => v,
                None => H::builtin_member(self, name, key, at),
            },
            Value::Host(_) => H::member(self, object, key, at),
        }
    }

    // ----- calls --------------------------------------------------------------------

    fn args(
        &mut self,
        args: &'a [Argument<'a>],
        ctx: &Ctx<'a, H::Obj>,
    ) -> Result<Vec<Val<'a, H>>, Val<'a, H>> {
        let mut out = Vec::with_capacity(args.len());
        for arg in args {
            match arg {
                Argument::SpreadElement(spread) => match self.eval(&spread.argument, ctx) {
                    Value::Array(items) => out.extend(items.iter().cloned()),
                    u @ Value::Unknown(_) => return Err(u),
                    other => {
                        return Err(Value::unknown(
                            format!("spreads {} into arguments", other.kind()),
                            Some(self.loc(ctx, spread.span.start)),
                        ))
                    }
                },
                other => match other.as_expression() {
                    Some(e) => out.push(self.eval(e, ctx)),
                    None => {
                        return Err(Value::unknown(
                            "has an unreadable argument",
                            Some(self.loc(ctx, other.span().start)),
                        ))
                    }
                },
            }
        }
        Ok(out)
    }

    fn call_expr(
        &mut self,
        callee: &'a Expression<'a>,
        args: &'a [Argument<'a>],
        optional: bool,
        ctx: &Ctx<'a, H::Obj>,
        loc: Loc,
    ) -> Val<'a, H> {
        let callee = callee.get_inner_expression();
        if let Some(m) = callee.as_member_expression() {
            let object = self.eval(m.object(), ctx);
            if m.optional() && object.is_nullish() {
                return Value::Undefined;
            }
            let key = match m {
                MemberExpression::ComputedMemberExpression(c) => {
                    match js_string(&self.eval(&c.expression, ctx)) {
                        Some(k) => k,
                        None => {
                            return Value::unknown("calls a method with a computed name", Some(loc))
                        }
                    }
                }
                other => match other.static_property_name() {
                    Some(k) => k.to_string(),
                    None => return Value::unknown("calls a private method", Some(loc)),
                },
            };
            if object.is_unknown() {
                return object;
            }
            let args = match self.args(args, ctx) {
                Ok(a) => a,
                Err(u) => return u,
            };
            return self.call_method(object, &key, args, loc);
        }
        let f = self.eval(callee, ctx);
        if optional && f.is_nullish() {
            return Value::Undefined;
        }
        if f.is_unknown() {
            return f;
        }
        let args = match self.args(args, ctx) {
            Ok(a) => a,
            Err(u) => return u,
        };
        self.call(f, args, loc)
    }

    /// Calls a function value.
    pub fn call(&mut self, f: Val<'a, H>, args: Vec<Val<'a, H>>, loc: Loc) -> Val<'a, H> {
        match f {
            Value::Func(c) => self.call_closure(&c, args, loc),
            Value::Bound(b) => {
                let (object, name) = (b.0.clone(), b.1.clone());
                self.call_method(object, &name, args, loc)
            }
            Value::Builtin(name) => match name {
                "js.String" => match args.first() {
                    None => Value::str(""),
                    Some(Value::MissingEnv(var)) => Value::missing_env(var, Some(loc)),
                    Some(v) => match js_string(v) {
                        Some(s) => Value::str(&s),
                        None if v.is_unknown() => v.clone(),
                        None => {
                            Value::unknown(format!("converts {} to a string", v.kind()), Some(loc))
                        }
                    },
                },
                "js.Number" => match args.first().map(to_number) {
                    None => Value::Num(0.0),
                    Some(Some(n)) => Value::Num(n),
                    Some(None) => Value::unknown("converts a value to a number", Some(loc)),
                },
                "js.parseInt" | "js.parseFloat" => match args.first() {
                    Some(Value::Unknown(_)) => args[0].clone(),
                    Some(Value::MissingEnv(var)) => Value::missing_env(var, Some(loc)),
                    Some(v) => match js_string(v) {
                        Some(text) if name == "js.parseFloat" => {
                            Value::Num(super::runtime::parse_float(&text))
                        }
                        Some(text) => {
                            let radix = match args.get(1).map(to_number) {
                                Some(Some(r)) if r.is_finite() && r != 0.0 => Some(r as u32),
                                _ => None,
                            };
                            Value::Num(super::runtime::parse_int(&text, radix))
                        }
                        None => Value::unknown(format!("parses {}", v.kind()), Some(loc)),
                    },
                    None => Value::Num(f64::NAN),
                },
                "js.Boolean" => match args.first().map(Value::truthy) {
                    None => Value::Bool(false),
                    Some(Some(b)) => Value::Bool(b),
                    Some(None) => {
                        Value::unknown("converts an unknown value to a boolean", Some(loc))
                    }
                },
                _ => match super::node::call_builtin(self, name, &args, loc) {
                    Some(v) => v,
                    None => H::call_builtin(self, name, args, loc),
                },
            },
            Value::Unknown(_) => f,
            other @ Value::Host(_) => H::call_host(self, other, args, loc),
            other => Value::unknown(format!("calls {}", other.kind()), Some(loc)),
        }
    }

    pub fn call_closure(
        &mut self,
        c: &Closure<'a, H::Obj>,
        args: Vec<Val<'a, H>>,
        loc: Loc,
    ) -> Val<'a, H> {
        if self.depth >= MAX_DEPTH {
            return Value::unknown("calls functions nested too deeply", Some(loc));
        }
        self.depth += 1;
        let into_package = self.modules.get(c.module).is_some_and(|m| m.is_package)
            && !self.modules.get(loc.module).is_some_and(|m| m.is_package);
        if into_package {
            self.user_calls.push(loc);
        }
        let env = Env::new(c.env.clone());
        let ctx = Ctx {
            module: c.module,
            env: Some(env),
        };
        let result = match c.func {
            FnRef::Arrow(f) => match self.bind_params(&f.params, args, &ctx) {
                Err(u) => u,
                Ok(()) => match &f.body {
                    ArrowFunctionBody::FunctionBody(body) => self.run_body(&body.statements, &ctx),
                    other => match other.as_expression() {
                        Some(e) => self.eval(e, &ctx),
                        None => Value::unknown("has an unreadable body", Some(loc)),
                    },
                },
            },
            FnRef::Function(f) => {
                if f.r#async || f.generator {
                    Value::unknown("is an async or generator function", Some(loc))
                } else {
                    match self.bind_params(&f.params, args, &ctx) {
                        Err(u) => u,
                        Ok(()) => match &f.body {
                            Some(body) => self.run_body(&body.statements, &ctx),
                            None => Value::unknown("is a function without a body", Some(loc)),
                        },
                    }
                }
            }
        };
        if into_package {
            self.user_calls.pop();
        }
        self.depth -= 1;
        result
    }

    fn bind_params(
        &mut self,
        params: &'a FormalParameters<'a>,
        args: Vec<Val<'a, H>>,
        ctx: &Ctx<'a, H::Obj>,
    ) -> Result<(), Val<'a, H>> {
        let mut args = args.into_iter();
        for param in &params.items {
            let mut v = args.next().unwrap_or(Value::Undefined);
            if let (Value::Undefined | Value::MissingEnv(_), Some(init)) = (&v, &param.initializer)
            {
                v = self.eval(init, ctx);
            }
            self.bind_pattern(&param.pattern, v, ctx)?;
        }
        if let Some(rest) = &params.rest {
            let remaining: Vec<Val<'a, H>> = args.collect();
            self.bind_pattern(&rest.rest.argument, Value::Array(Rc::new(remaining)), ctx)?;
        }
        Ok(())
    }

    fn bind_pattern(
        &mut self,
        pattern: &'a BindingPattern<'a>,
        value: Val<'a, H>,
        ctx: &Ctx<'a, H::Obj>,
    ) -> Result<(), Val<'a, H>> {
        let at = Some(self.loc(ctx, pattern.span().start));
        let Some(env) = ctx.env.clone() else {
            return Err(Value::unknown("binds a local outside a function", at));
        };
        match pattern {
            BindingPattern::BindingIdentifier(id) => {
                env.define(id.name.as_str(), value);
                Ok(())
            }
            BindingPattern::AssignmentPattern(a) => {
                let v = match value {
                    Value::Undefined | Value::MissingEnv(_) => self.eval(&a.right, ctx),
                    other => other,
                };
                self.bind_pattern(&a.left, v, ctx)
            }
            BindingPattern::ObjectPattern(obj) => {
                let mut used = Vec::new();
                for prop in &obj.properties {
                    let key = match prop.key.static_name() {
                        Some(k) if !prop.computed => k.into_owned(),
                        _ => match prop.key.as_expression().map(|e| self.eval(e, ctx)) {
                            Some(k) => match js_string(&k) {
                                Some(s) => s,
                                None => {
                                    return Err(Value::unknown(
                                        "destructures with a computed key",
                                        at,
                                    ))
                                }
                            },
                            None => {
                                return Err(Value::unknown("destructures with a computed key", at))
                            }
                        },
                    };
                    let v = self.get_member(value.clone(), &key, at);
                    used.push(key);
                    self.bind_pattern(&prop.value, v, ctx)?;
                }
                if let Some(rest) = &obj.rest {
                    let v = match &value {
                        Value::Object(o) => {
                            let mut out = Obj::default();
                            for (k, v, l) in &o.props {
                                if !used.iter().any(|u| u.as_str() == &**k) {
                                    out.set(k.clone(), v.clone(), *l);
                                }
                            }
                            out.holes = o.holes.clone();
                            Value::Object(Rc::new(out))
                        }
                        u @ Value::Unknown(_) => u.clone(),
                        other => Value::unknown(format!("takes the rest of {}", other.kind()), at),
                    };
                    self.bind_pattern(&rest.argument, v, ctx)?;
                }
                Ok(())
            }
            BindingPattern::ArrayPattern(arr) => {
                for (i, el) in arr.elements.iter().enumerate() {
                    if let Some(el) = el {
                        let v = self.get_member(value.clone(), &i.to_string(), at);
                        self.bind_pattern(el, v, ctx)?;
                    }
                }
                if let Some(rest) = &arr.rest {
                    let v = match &value {
                        Value::Array(items) => Value::Array(Rc::new(
                            items.iter().skip(arr.elements.len()).cloned().collect(),
                        )),
                        u @ Value::Unknown(_) => u.clone(),
                        other => Value::unknown(format!("takes the rest of {}", other.kind()), at),
                    };
                    self.bind_pattern(&rest.argument, v, ctx)?;
                }
                Ok(())
            }
        }
    }

    fn run_body(&mut self, stmts: &'a [Statement<'a>], ctx: &Ctx<'a, H::Obj>) -> Val<'a, H> {
        match self.block(stmts, ctx) {
            Flow::Normal => Value::Undefined,
            Flow::Return(v) | Flow::Unknown(v) => v,
        }
    }

    fn block(&mut self, stmts: &'a [Statement<'a>], ctx: &Ctx<'a, H::Obj>) -> Flow<'a, H::Obj> {
        // Function declarations are hoisted.
        if let Some(env) = &ctx.env {
            for stmt in stmts {
                if let Statement::FunctionDeclaration(f) = stmt {
                    if let Some(id) = &f.id {
                        env.define(
                            id.name.as_str(),
                            Value::Func(Rc::new(Closure {
                                func: FnRef::Function(f),
                                env: ctx.env.clone(),
                                module: ctx.module,
                                getter: false,
                            })),
                        );
                    }
                }
            }
        }
        for stmt in stmts {
            match self.statement(stmt, ctx) {
                Flow::Normal => {}
                other => return other,
            }
        }
        Flow::Normal
    }

    fn statement(&mut self, stmt: &'a Statement<'a>, ctx: &Ctx<'a, H::Obj>) -> Flow<'a, H::Obj> {
        let at = Some(self.loc(ctx, stmt.span().start));
        match stmt {
            Statement::VariableDeclaration(var) => {
                for d in &var.declarations {
                    let v = match &d.init {
                        Some(init) => self.eval(init, ctx),
                        None => Value::Undefined,
                    };
                    if let Err(u) = self.bind_pattern(&d.id, v, ctx) {
                        return Flow::Unknown(u);
                    }
                }
                Flow::Normal
            }
            Statement::ReturnStatement(r) => Flow::Return(match &r.argument {
                Some(e) => self.eval(e, ctx),
                None => Value::Undefined,
            }),
            Statement::IfStatement(s) => {
                let test = self.eval(&s.test, ctx);
                match test.truthy() {
                    Some(true) => self.statement(&s.consequent, ctx),
                    Some(false) => match &s.alternate {
                        Some(alt) => self.statement(alt, ctx),
                        None => Flow::Normal,
                    },
                    None => Flow::Unknown(test),
                }
            }
            Statement::BlockStatement(b) => {
                let inner = Ctx {
                    module: ctx.module,
                    env: Some(Env::new(ctx.env.clone())),
                };
                self.block(&b.body, &inner)
            }
            Statement::ExpressionStatement(e) => match e.expression.get_inner_expression() {
                Expression::AssignmentExpression(_) | Expression::UpdateExpression(_) => {
                    Flow::Unknown(Value::unknown("assigns a variable", at))
                }
                other => {
                    self.eval(other, ctx);
                    Flow::Normal
                }
            },
            Statement::EmptyStatement(_)
            | Statement::FunctionDeclaration(_)
            | Statement::TSTypeAliasDeclaration(_)
            | Statement::TSInterfaceDeclaration(_)
            | Statement::DebuggerStatement(_) => Flow::Normal,
            Statement::ThrowStatement(_) => Flow::Unknown(Value::unknown("throws", at)),
            _ => Flow::Unknown(Value::unknown(
                "uses a statement drizzle-drift does not evaluate (loop, switch, try…)",
                at,
            )),
        }
    }
}

fn bound<'a, X>(object: Value<'a, X>, key: &str) -> Value<'a, X> {
    Value::Bound(Rc::new((object, Rc::from(key))))
}

fn callee_name(expr: &Expression<'_>) -> String {
    match expr.get_inner_expression() {
        Expression::Identifier(id) => id.name.to_string(),
        other => match other.as_member_expression() {
            Some(m) => format!(
                "{}.{}",
                callee_name(m.object()),
                m.static_property_name().unwrap_or("…")
            ),
            None => "a value".to_string(),
        },
    }
}

/// `new Date(...)`, when it means one instant wherever it runs.
fn new_date<'a, X: HostValue>(args: &[Value<'a, X>], at: Option<Loc>) -> Value<'a, X> {
    match args {
        [] => Value::unknown("constructs the current date", at),
        [Value::Num(ms)] => Value::Date(if ms.abs() <= 8.64e15 {
            ms.trunc()
        } else {
            f64::NAN
        }),
        [Value::Date(ms)] => Value::Date(*ms),
        [Value::Str(s)] => match super::runtime::parse_date(s) {
            Some(ms) => Value::Date(ms),
            None => Value::unknown(
                format!("constructs a date from {s:?}, which depends on the time zone"),
                at,
            ),
        },
        [u @ Value::Unknown(_)] => u.clone(),
        [_] => Value::unknown(
            "constructs a date from a value that is not a number or string",
            at,
        ),
        _ => Value::unknown("constructs a date in the local time zone", at),
    }
}
