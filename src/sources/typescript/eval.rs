//! A static evaluator for the JavaScript schema files are written in: literals, objects,
//! spreads, module bindings across imports, arrow functions and plain functions with
//! `const`/`if`/`return` bodies, template literals, the operators, and a few runtime
//! helpers (`Object.values`, `Array.prototype.map`…). drizzle-orm's own functions are in
//! [`super::pg`] and [`super::sql`]. Nothing is guessed: what cannot be known becomes
//! [`Value::Unknown`] saying why.

use super::module::{Binding, Export, ImportName, Modules, Slot, Step, Target};
use super::value::{
    js_number, js_string, json_stringify, ordered_props, Closure, Env, FnRef, Loc, Obj, Value, Why,
};
use crate::config::{Casing, Env as ProcessEnv};
use oxc_ast::ast::{
    Argument, ArrayExpressionElement, ArrowFunctionBody, BinaryOperator, BindingPattern,
    ChainElement, Expression, FormalParameters, LogicalOperator, MemberExpression,
    ObjectPropertyKind, PropertyKind, Statement, TSEnumDeclaration, TSEnumMemberName,
    TemplateLiteral, UnaryOperator,
};
use oxc_span::GetSpan;
use std::collections::HashSet;
use std::rc::Rc;

/// The cache key of a module's `export default <expression>` (not a valid identifier).
const DEFAULT_SLOT: &str = "*default*";

/// Evaluation depth beyond which a value is given up (deep recursion in a helper).
const MAX_DEPTH: u32 = 250;
/// Evaluation steps for a whole load; bounds helpers that recurse without end.
const MAX_STEPS: u64 = 5_000_000;

/// Where an expression is evaluated: its module and, inside a function, the locals.
#[derive(Clone)]
pub(super) struct Ctx<'a> {
    pub module: u32,
    pub env: Option<Rc<Env<'a>>>,
}

enum Flow<'a> {
    Normal,
    Return(Value<'a>),
    Unknown(Value<'a>),
}

pub(super) struct Evaluator<'a, 'm> {
    pub modules: &'m Modules<'a>,
    /// What `process.env` holds: the variables the config saw.
    env: Option<&'m ProcessEnv>,
    /// The config's `casing`, which renders column names inside `sql`.
    pub casing: Option<Casing>,
    depth: u32,
    steps: u64,
    next_id: u32,
    /// The module-level declarations being evaluated, innermost last: an object's origin.
    sites: Vec<Loc>,
    /// Calls from project files into drizzle-orm's own schema code, innermost last.
    user_calls: Vec<Loc>,
}

impl<'a, 'm> Evaluator<'a, 'm> {
    pub fn new(
        modules: &'m Modules<'a>,
        casing: Option<Casing>,
        env: Option<&'m ProcessEnv>,
    ) -> Self {
        Evaluator {
            modules,
            env,
            casing,
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
                Export::Default(_) => "default",
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
    pub fn export_value(&mut self, module: u32, name: &str, at: Option<Loc>) -> Value<'a> {
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
    ) -> Option<Value<'a>> {
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
                Export::Default(expr) if name == "default" => {
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
    ) -> Value<'a> {
        match target {
            Target::Module(t) => match name {
                ImportName::Namespace => Value::Namespace(t),
                ImportName::Default => self.export_value(t, "default", at),
                ImportName::Named(n) => self.export_value(t, n, at),
            },
            Target::Package(package) => super::pg::package_value(package, name, at),
            Target::Missing(spec) => {
                Value::unknown(format!("is imported from {spec:?}, which is no file"), at)
            }
        }
    }

    /// A module-level name, evaluated once.
    fn binding_value(&mut self, module: u32, name: &str, at: Option<Loc>) -> Value<'a> {
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
                if let (Value::Undefined, Some(d)) = (&v, default) {
                    v = self.eval(d, &ctx);
                }
                self.sites.pop();
                v
            }
            Binding::Function(f) => Value::Func(Rc::new(Closure {
                func: FnRef::Function(f),
                env: None,
                module,
            })),
            Binding::Enum(e) => self.ts_enum(e, &ctx),
            Binding::Import { target, name, loc } => self.import_value(*target, *name, Some(*loc)),
            Binding::Opaque(why, loc) => Value::unknown(format!("`{name}` {why}"), Some(*loc)),
        };
        m.cache.borrow_mut().insert(key, Slot::Done(value.clone()));
        value
    }

    /// A TypeScript `enum` as the object it compiles to.
    fn ts_enum(&mut self, e: &'a TSEnumDeclaration<'a>, ctx: &Ctx<'a>) -> Value<'a> {
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

    pub fn loc(&self, ctx: &Ctx<'a>, offset: u32) -> Loc {
        Loc {
            module: ctx.module,
            offset,
        }
    }

    // ----- expressions --------------------------------------------------------------

    pub fn eval(&mut self, expr: &'a Expression<'a>, ctx: &Ctx<'a>) -> Value<'a> {
        let at = Some(self.loc(ctx, expr.span().start));
        if self.depth >= MAX_DEPTH {
            return Value::unknown("is nested or recursive too deeply", at);
        }
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Value::unknown("takes too many steps to evaluate", at);
        }
        self.depth += 1;
        let v = self.eval_inner(expr.get_inner_expression(), ctx);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, expr: &'a Expression<'a>, ctx: &Ctx<'a>) -> Value<'a> {
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
                            let value = if p.kind != PropertyKind::Init {
                                Value::unknown(
                                    format!("`{key}` is a getter or setter"),
                                    Some(self.loc(ctx, p.span.start)),
                                )
                            } else {
                                self.eval(&p.value, ctx)
                            };
                            out.set(key, value, Some(self.loc(ctx, p.span.start)));
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
                    Value::Builtin(name) if super::sql::is_sql_tag(name) => {
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
                        super::sql::template(&strings, values)
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
                        Value::Undefined => Value::str("undefined"),
                        Value::Str(_) => Value::str("string"),
                        Value::Num(_) => Value::str("number"),
                        Value::Bool(_) => Value::str("boolean"),
                        Value::BigInt(_) => Value::str("bigint"),
                        Value::Func(_) | Value::Builtin(_) | Value::Bound(_) | Value::Enum(_) => {
                            Value::str("function")
                        }
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
            })),
            Expression::FunctionExpression(f) => Value::Func(Rc::new(Closure {
                func: FnRef::Function(f),
                env: ctx.env.clone(),
                module: ctx.module,
            })),
            Expression::SequenceExpression(seq) => {
                let mut last = Value::Undefined;
                for e in &seq.expressions {
                    last = self.eval(e, ctx);
                }
                last
            }
            Expression::NewExpression(new) => {
                Value::unknown(format!("constructs {}", callee_name(&new.callee)), at)
            }
            Expression::AwaitExpression(_) => Value::unknown("awaits a promise", at),
            Expression::AssignmentExpression(_) | Expression::UpdateExpression(_) => {
                Value::unknown("assigns a variable", at)
            }
            Expression::ClassExpression(_) => Value::unknown("is a class", at),
            Expression::RegExpLiteral(_) => Value::unknown("is a regular expression", at),
            Expression::ThisExpression(_) => Value::unknown("reads `this`", at),
            Expression::ImportMeta(_) => Value::unknown("reads import.meta", at),
            _ => Value::unknown("uses an expression drizzle-drift does not evaluate", at),
        }
    }

    fn spread_into(&mut self, out: &mut Obj<'a>, v: Value<'a>, at: Option<Loc>) {
        match v {
            Value::Object(o) => {
                for (k, v, l) in ordered_props(&o) {
                    out.set(k.clone(), v.clone(), *l);
                }
                out.holes.extend(o.holes.iter().cloned());
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
            Value::Unknown(why) => out.holes.push(why),
            other => out.holes.push(Rc::new(Why {
                message: format!("spreads {} into an object", other.kind()),
                loc: at,
            })),
        }
    }

    fn template(&mut self, t: &'a TemplateLiteral<'a>, ctx: &Ctx<'a>) -> Value<'a> {
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

    fn lookup(&mut self, name: &'a str, ctx: &Ctx<'a>, at: Option<Loc>) -> Value<'a> {
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
            "process" => Value::Builtin("js.process"),
            _ => Value::unknown(format!("`{name}` is not defined"), at),
        }
    }

    fn member(&mut self, m: &'a MemberExpression<'a>, ctx: &Ctx<'a>) -> Value<'a> {
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
    pub fn get_member(&mut self, object: Value<'a>, key: &str, at: Option<Loc>) -> Value<'a> {
        match &object {
            Value::Unknown(_) => object,
            Value::Undefined | Value::Null => {
                Value::unknown(format!("reads `{key}` of {}", object.kind()), at)
            }
            Value::Object(o) => match o.get(key) {
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
            Value::Num(_) | Value::Bool(_) | Value::BigInt(_) => bound(object, key),
            Value::Func(_) | Value::Bound(_) => match key {
                "call" | "apply" | "bind" => bound(object, key),
                _ => Value::Undefined,
            },
            Value::Builtin("js.process") => match key {
                "env" => Value::Builtin("js.env"),
                _ => Value::unknown(format!("reads process.{key}"), at),
            },
            Value::Builtin("js.env") => match self.env.and_then(|e| e.get(key)) {
                Some((v, _)) => Value::str(v),
                None if self.env.is_some() => Value::Undefined,
                None => Value::unknown(format!("reads process.env.{key}"), at),
            },
            Value::Builtin(name) => super::pg::builtin_member(name, key, at),
            _ => super::pg::member(self, object, key, at),
        }
    }

    // ----- calls --------------------------------------------------------------------

    fn args(
        &mut self,
        args: &'a [Argument<'a>],
        ctx: &Ctx<'a>,
    ) -> Result<Vec<Value<'a>>, Value<'a>> {
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
        ctx: &Ctx<'a>,
        loc: Loc,
    ) -> Value<'a> {
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
    pub fn call(&mut self, f: Value<'a>, args: Vec<Value<'a>>, loc: Loc) -> Value<'a> {
        match f {
            Value::Func(c) => self.call_closure(&c, args, loc),
            Value::Bound(b) => {
                let (object, name) = (b.0.clone(), b.1.clone());
                self.call_method(object, &name, args, loc)
            }
            Value::Builtin(name) => match name {
                "js.String" => match args.first() {
                    None => Value::str(""),
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
                "js.Boolean" => match args.first().map(Value::truthy) {
                    None => Value::Bool(false),
                    Some(Some(b)) => Value::Bool(b),
                    Some(None) => {
                        Value::unknown("converts an unknown value to a boolean", Some(loc))
                    }
                },
                _ => super::pg::call_builtin(self, name, args, loc),
            },
            Value::Unknown(_) => f,
            other => super::pg::call_value(self, other, args, loc),
        }
    }

    pub fn call_closure(&mut self, c: &Closure<'a>, args: Vec<Value<'a>>, loc: Loc) -> Value<'a> {
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
        args: Vec<Value<'a>>,
        ctx: &Ctx<'a>,
    ) -> Result<(), Value<'a>> {
        let mut args = args.into_iter();
        for param in &params.items {
            let mut v = args.next().unwrap_or(Value::Undefined);
            if let (Value::Undefined, Some(init)) = (&v, &param.initializer) {
                v = self.eval(init, ctx);
            }
            self.bind_pattern(&param.pattern, v, ctx)?;
        }
        if let Some(rest) = &params.rest {
            let remaining: Vec<Value<'a>> = args.collect();
            self.bind_pattern(&rest.rest.argument, Value::Array(Rc::new(remaining)), ctx)?;
        }
        Ok(())
    }

    fn bind_pattern(
        &mut self,
        pattern: &'a BindingPattern<'a>,
        value: Value<'a>,
        ctx: &Ctx<'a>,
    ) -> Result<(), Value<'a>> {
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
                    Value::Undefined => self.eval(&a.right, ctx),
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

    fn run_body(&mut self, stmts: &'a [Statement<'a>], ctx: &Ctx<'a>) -> Value<'a> {
        match self.block(stmts, ctx) {
            Flow::Normal => Value::Undefined,
            Flow::Return(v) | Flow::Unknown(v) => v,
        }
    }

    fn block(&mut self, stmts: &'a [Statement<'a>], ctx: &Ctx<'a>) -> Flow<'a> {
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

    fn statement(&mut self, stmt: &'a Statement<'a>, ctx: &Ctx<'a>) -> Flow<'a> {
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

    // ----- methods of plain values --------------------------------------------------

    /// `object.name(...args)`.
    pub fn call_method(
        &mut self,
        object: Value<'a>,
        name: &str,
        args: Vec<Value<'a>>,
        loc: Loc,
    ) -> Value<'a> {
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
                _ => super::pg::builtin_method(self, builtin, name, args, loc),
            },
            _ => super::pg::method(self, object, name, args, loc),
        }
    }

    fn object_static(&mut self, name: &str, args: Vec<Value<'a>>, at: Option<Loc>) -> Value<'a> {
        let first = args.first().cloned().unwrap_or(Value::Undefined);
        let obj = match &first {
            Value::Namespace(m) => {
                let mut out = Obj::default();
                let v = Value::Namespace(*m);
                self.spread_into(&mut out, v, at);
                Some(Rc::new(out))
            }
            Value::Object(o) => Some(o.clone()),
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
        items: Rc<Vec<Value<'a>>>,
        name: &str,
        args: Vec<Value<'a>>,
        loc: Loc,
    ) -> Value<'a> {
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
                let idx = |v: Option<&Value<'a>>, dflt: i64| match v {
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

fn flatten<'a>(items: &[Value<'a>], depth: i64) -> Vec<Value<'a>> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Value::Array(inner) if depth > 0 => out.extend(flatten(inner, depth - 1)),
            other => out.push(other.clone()),
        }
    }
    out
}

fn bound<'a>(object: Value<'a>, key: &str) -> Value<'a> {
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

fn string_method<'a>(s: &str, name: &str, args: &[Value<'a>], at: Option<Loc>) -> Value<'a> {
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
            let idx = |v: Option<&Value<'a>>, dflt: i64| match v {
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
pub(super) fn to_number(v: &Value<'_>) -> Option<f64> {
    match v {
        Value::Num(n) => Some(*n),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Null => Some(0.0),
        Value::Undefined => Some(f64::NAN),
        Value::Str(s) => {
            let t = s.trim();
            if t.is_empty() {
                Some(0.0)
            } else {
                Some(t.parse().unwrap_or(f64::NAN))
            }
        }
        _ => None,
    }
}

/// `===` for values whose identity is known; `None` when it is not.
fn strict_equal<'a>(a: &Value<'a>, b: &Value<'a>) -> Option<bool> {
    Some(match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => return None,
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::BigInt(x), Value::BigInt(y)) => x == y,
        (Value::Table(x), Value::Table(y)) => x.id == y.id,
        (Value::Array(x), Value::Array(y)) => Rc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        (x, y) if std::mem::discriminant(x) != std::mem::discriminant(y) => false,
        _ => return None,
    })
}

fn binary<'a>(op: BinaryOperator, left: Value<'a>, right: Value<'a>, at: Option<Loc>) -> Value<'a> {
    use BinaryOperator as B;
    if left.is_unknown() {
        return left;
    }
    if right.is_unknown() {
        return right;
    }
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
