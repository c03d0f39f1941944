//! A small static evaluator for the expressions configs are written with: literals,
//! objects and spreads, `const` bindings, `process.env`, `??`/`||`, a few globals. It never
//! guesses: anything else becomes [`Value::Unknown`] saying why.

use super::env::Env;
use super::value::{
    number_to_string, parse_int, string_to_number, Lookup, Node, Object, Value, Why,
};
use oxc_ast::ast::{
    Argument, ArrayExpressionElement, BinaryOperator, CallExpression, ChainElement, Expression,
    LogicalOperator, MemberExpression, ObjectPropertyKind, PropertyKind, TemplateLiteral,
    UnaryOperator,
};
use oxc_span::GetSpan;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// How a top-level name of the config file is bound.
pub(crate) enum Binding<'a> {
    /// `const x = init` (or `let`/`var` never assigned again at the top level).
    Init(&'a Expression<'a>),
    /// `const { key: x = default } = object`.
    Member {
        object: &'a Expression<'a>,
        key: String,
        default: Option<&'a Expression<'a>>,
    },
    /// An import or `require()` of another module.
    Import { module: String, imported: Imported },
    /// Something the evaluator does not follow, described for messages
    /// (`is a function`, `is assigned again`).
    Opaque(&'static str),
}

#[derive(Debug, PartialEq)]
pub(crate) enum Imported {
    Named(String),
    /// The default export, the namespace, or the whole `require()` result.
    Whole,
}

pub(crate) type Scope<'a> = HashMap<&'a str, Binding<'a>>;

/// Folders `__dirname`, `import.meta.dirname` and `process.cwd()` stand for.
pub(crate) struct Dirs {
    pub config_file: PathBuf,
    pub cwd: PathBuf,
}

/// What a call's callee is.
enum Callee {
    DefineConfig,
    Global(&'static str),
    PathFn(&'static str),
    ProcessCwd,
    StringMethod(String),
    Other(String),
}

const MAX_DEPTH: u32 = 200;

pub(crate) struct Evaluator<'a, 'e> {
    scope: &'e Scope<'a>,
    env: &'e Env,
    dirs: &'e Dirs,
    resolving: Vec<&'a str>,
    depth: u32,
}

impl<'a, 'e> Evaluator<'a, 'e> {
    pub fn new(scope: &'e Scope<'a>, env: &'e Env, dirs: &'e Dirs) -> Self {
        Evaluator {
            scope,
            env,
            dirs,
            resolving: Vec::new(),
            depth: 0,
        }
    }

    pub fn eval(&mut self, expr: &'a Expression<'a>) -> Node {
        if self.depth >= MAX_DEPTH {
            return Node::unknown("is nested too deeply", Some(expr.span().start));
        }
        self.depth += 1;
        let node = self.eval_inner(expr.get_inner_expression());
        self.depth -= 1;
        node
    }

    fn eval_inner(&mut self, expr: &'a Expression<'a>) -> Node {
        let at = Some(expr.span().start);
        let value = match expr {
            Expression::StringLiteral(s) => Value::Str(s.value.as_str().to_string()),
            Expression::NumericLiteral(n) => Value::Num(n.value),
            Expression::BooleanLiteral(b) => Value::Bool(b.value),
            Expression::NullLiteral(_) => Value::Null,
            Expression::TemplateLiteral(t) => return self.template(t),
            Expression::Identifier(id) => return self.name(id.name.as_str(), at),
            Expression::ObjectExpression(obj) => {
                let mut out = Object::default();
                for prop in &obj.properties {
                    self.property(prop, &mut out);
                }
                Value::Object(out)
            }
            Expression::ArrayExpression(arr) => {
                let mut items = Vec::new();
                for el in &arr.elements {
                    match el {
                        ArrayExpressionElement::SpreadElement(spread) => {
                            let node = self.eval(&spread.argument);
                            match node.value {
                                Value::Array(inner) => items.extend(inner),
                                Value::Unknown(_) => return node,
                                other => {
                                    return Node::unknown(
                                        format!("spreads {} into an array", other.kind()),
                                        node.at,
                                    )
                                }
                            }
                        }
                        ArrayExpressionElement::Elision(e) => {
                            items.push(Node::new(Value::undefined(), Some(e.span.start)))
                        }
                        _ => match el.as_expression() {
                            Some(e) => items.push(self.eval(e)),
                            None => return Node::unknown("has an unreadable element", at),
                        },
                    }
                }
                Value::Array(items)
            }
            Expression::StaticMemberExpression(_)
            | Expression::ComputedMemberExpression(_)
            | Expression::PrivateFieldExpression(_) => match expr.as_member_expression() {
                Some(member) => return self.member(member, at),
                None => Value::Unknown(Why::Other("reads a member".into())),
            },
            Expression::ChainExpression(chain) => match &chain.expression {
                ChainElement::CallExpression(call) => return self.call(call),
                ChainElement::TSNonNullExpression(e) => return self.eval(&e.expression),
                other => match other.as_member_expression() {
                    Some(member) => return self.member(member, at),
                    None => Value::Unknown(Why::Other("reads a member".into())),
                },
            },
            Expression::CallExpression(call) => return self.call(call),
            Expression::LogicalExpression(logic) => {
                let left = self.eval(&logic.left);
                let take_right = match logic.operator {
                    LogicalOperator::Coalesce => left.value.is_nullish(),
                    LogicalOperator::Or => left.value.truthy().map(|t| !t),
                    LogicalOperator::And => left.value.truthy(),
                };
                return match take_right {
                    Some(true) => self.eval(&logic.right),
                    _ => left,
                };
            }
            Expression::ConditionalExpression(cond) => {
                let test = self.eval(&cond.test);
                return match test.value.truthy() {
                    Some(true) => self.eval(&cond.consequent),
                    Some(false) => self.eval(&cond.alternate),
                    None => test,
                };
            }
            Expression::BinaryExpression(bin) => {
                let left = self.eval(&bin.left);
                let right = self.eval(&bin.right);
                return self.binary(bin.operator, left, right, at);
            }
            Expression::UnaryExpression(un) => {
                let arg = self.eval(&un.argument);
                if let Value::Unknown(_) = arg.value {
                    return arg;
                }
                match un.operator {
                    UnaryOperator::LogicalNot => match arg.value.truthy() {
                        Some(t) => Value::Bool(!t),
                        None => return arg,
                    },
                    UnaryOperator::UnaryNegation => match arg.value.to_js_number() {
                        Ok(n) => Value::Num(-n),
                        Err(why) => Value::Unknown(why),
                    },
                    UnaryOperator::UnaryPlus => match arg.value.to_js_number() {
                        Ok(n) => Value::Num(n),
                        Err(why) => Value::Unknown(why),
                    },
                    UnaryOperator::Void => Value::undefined(),
                    UnaryOperator::Typeof => Value::Str(
                        match arg.value {
                            Value::Str(_) => "string",
                            Value::Num(_) => "number",
                            Value::Bool(_) => "boolean",
                            Value::Undefined { .. } => "undefined",
                            _ => "object",
                        }
                        .to_string(),
                    ),
                    _ => Value::Unknown(Why::Other(format!(
                        "uses the `{}` operator",
                        un.operator.as_str()
                    ))),
                }
            }
            Expression::ImportMeta(_) => {
                Value::Unknown(Why::Other("reads import.meta".to_string()))
            }
            Expression::ArrowFunctionExpression(_) | Expression::FunctionExpression(_) => {
                Value::Unknown(Why::Other("is a function".to_string()))
            }
            Expression::AwaitExpression(_) => {
                Value::Unknown(Why::Other("awaits a promise".to_string()))
            }
            Expression::NewExpression(new) => Value::Unknown(Why::Other(format!(
                "constructs {}",
                callee_name(&new.callee)
            ))),
            Expression::TaggedTemplateExpression(t) => {
                Value::Unknown(Why::Other(format!("calls {}`…`", callee_name(&t.tag))))
            }
            Expression::ClassExpression(_) => Value::Unknown(Why::Other("is a class".into())),
            Expression::RegExpLiteral(_) => {
                Value::Unknown(Why::Other("is a regular expression".into()))
            }
            Expression::BigIntLiteral(_) => Value::Unknown(Why::Other("is a bigint".into())),
            Expression::AssignmentExpression(_) => {
                Value::Unknown(Why::Other("assigns a variable".into()))
            }
            _ => Value::Unknown(Why::Other(
                "uses an expression drizzle-drift does not evaluate".into(),
            )),
        };
        Node::new(value, at)
    }

    /// A variable as the config would see it now.
    pub fn env_var(&self, name: &str) -> Option<String> {
        self.env.get(name).map(|(v, _)| v.to_string())
    }

    /// Evaluates a top-level name.
    pub fn name(&mut self, name: &'a str, at: Option<u32>) -> Node {
        match name {
            "undefined" if !self.scope.contains_key(name) => {
                return Node::new(Value::undefined(), at)
            }
            "NaN" if !self.scope.contains_key(name) => return Node::new(Value::Num(f64::NAN), at),
            "Infinity" if !self.scope.contains_key(name) => {
                return Node::new(Value::Num(f64::INFINITY), at)
            }
            "__dirname" if !self.scope.contains_key(name) => {
                return self.path_node(self.dirs.config_file.parent(), at)
            }
            "__filename" if !self.scope.contains_key(name) => {
                return self.path_node(Some(&self.dirs.config_file.clone()), at)
            }
            _ => {}
        }
        let Some(binding) = self.scope.get(name) else {
            return Node::unknown(format!("`{name}` is not defined in this file"), at);
        };
        if self.resolving.contains(&name) {
            return Node::unknown(format!("`{name}` refers to itself"), at);
        }
        self.resolving.push(name);
        let node = match binding {
            Binding::Init(init) => self.eval(init),
            Binding::Member {
                object,
                key,
                default,
            } => {
                let obj = self.eval(object);
                let node = self.get(obj, key, false, at);
                match (&node.value, default) {
                    (Value::Undefined { .. }, Some(default)) => self.eval(default),
                    _ => node,
                }
            }
            Binding::Import { module, .. } => {
                Node::unknown(format!("uses `{name}` imported from {module}"), at)
            }
            Binding::Opaque(what) => Node::unknown(format!("`{name}` {what}"), at),
        };
        self.resolving.pop();
        node
    }

    fn path_node(&self, path: Option<&Path>, at: Option<u32>) -> Node {
        match path.and_then(Path::to_str) {
            Some(p) => Node::new(Value::Str(p.to_string()), at),
            None => Node::unknown("uses a path that is not valid UTF-8", at),
        }
    }

    fn template(&mut self, t: &'a TemplateLiteral<'a>) -> Node {
        let at = Some(t.span.start);
        let mut out = String::new();
        for (i, quasi) in t.quasis.iter().enumerate() {
            match &quasi.value.cooked {
                Some(cooked) => out.push_str(cooked.as_str()),
                None => return Node::unknown("has an invalid escape in a template", at),
            }
            if let Some(expr) = t.expressions.get(i) {
                let node = self.eval(expr);
                match node.value.to_js_string() {
                    Ok(s) => out.push_str(&s),
                    Err(why) => return Node::new(Value::Unknown(why), node.at),
                }
            }
        }
        Node::new(Value::Str(out), at)
    }

    fn property(&mut self, prop: &'a ObjectPropertyKind<'a>, out: &mut Object) {
        match prop {
            ObjectPropertyKind::ObjectProperty(p) => {
                let key = if p.computed {
                    match p.key.as_expression() {
                        Some(e) => {
                            let k = self.eval(e);
                            match k.value.to_js_string() {
                                Ok(k) => k,
                                Err(why) => {
                                    out.add_opaque(why, k.at);
                                    return;
                                }
                            }
                        }
                        None => return,
                    }
                } else {
                    match p.key.static_name() {
                        Some(k) => k.into_owned(),
                        None => return,
                    }
                };
                let node = if p.kind != PropertyKind::Init {
                    Node::unknown("is a getter or setter", Some(p.span.start))
                } else if p.method {
                    Node::unknown("is a method", Some(p.span.start))
                } else {
                    self.eval(&p.value)
                };
                out.set(key, node);
            }
            ObjectPropertyKind::SpreadProperty(spread) => {
                let node = self.eval(&spread.argument);
                match node.value {
                    Value::Object(inner) => out.spread(&inner),
                    Value::Null | Value::Undefined { missing_env: None } => {}
                    Value::Array(items) => {
                        for (i, item) in items.into_iter().enumerate() {
                            out.set(i.to_string(), item);
                        }
                    }
                    Value::Unknown(why) => out.add_opaque(why, node.at),
                    Value::Undefined {
                        missing_env: Some(name),
                    } => out.add_opaque(Why::MissingEnv(name), node.at),
                    Value::ProcessEnv => {
                        out.add_opaque(Why::Other("spreads process.env".to_string()), node.at)
                    }
                    // Spreading a primitive adds nothing (strings add indices; no config does).
                    Value::Str(_) | Value::Num(_) | Value::Bool(_) => {}
                }
            }
        }
    }

    fn member(&mut self, member: &'a MemberExpression<'a>, at: Option<u32>) -> Node {
        let optional = member.optional();
        let key = match member {
            MemberExpression::StaticMemberExpression(m) => m.property.name.as_str().to_string(),
            MemberExpression::ComputedMemberExpression(m) => {
                let k = self.eval(&m.expression);
                match k.value.to_js_string() {
                    Ok(k) => k,
                    Err(why) => return Node::new(Value::Unknown(why), k.at),
                }
            }
            MemberExpression::PrivateFieldExpression(_) => {
                return Node::unknown("reads a private field", at)
            }
        };
        let object = member.object().get_inner_expression();
        match object {
            Expression::Identifier(id)
                if id.name.as_str() == "process" && !self.scope.contains_key("process") =>
            {
                return match key.as_str() {
                    "env" => Node::new(Value::ProcessEnv, at),
                    _ => Node::unknown(format!("reads process.{key}"), at),
                };
            }
            Expression::ImportMeta(_) => {
                return match key.as_str() {
                    "dirname" => self.path_node(self.dirs.config_file.parent(), at),
                    "filename" => self.path_node(Some(&self.dirs.config_file.clone()), at),
                    _ => Node::unknown(format!("reads import.meta.{key}"), at),
                };
            }
            _ => {}
        }
        let obj = self.eval(object);
        self.get(obj, &key, optional, at)
    }

    /// `obj[key]` on an evaluated object.
    fn get(&mut self, obj: Node, key: &str, optional: bool, at: Option<u32>) -> Node {
        let value = match obj.value {
            Value::ProcessEnv => match self.env.get(key) {
                Some((v, _)) => Value::Str(v.to_string()),
                None => Value::Undefined {
                    missing_env: Some(key.to_string()),
                },
            },
            Value::Object(o) => match o.get(key) {
                Lookup::Found(node) => return node.clone(),
                Lookup::Missing => Value::undefined(),
                Lookup::Hidden(why, spread_at) => {
                    return Node::new(Value::Unknown(why.clone()), spread_at)
                }
            },
            Value::Array(items) => {
                if key == "length" {
                    Value::Num(items.len() as f64)
                } else {
                    match key.parse::<usize>().ok().and_then(|i| items.get(i)) {
                        Some(node) => return node.clone(),
                        None => Value::undefined(),
                    }
                }
            }
            Value::Str(s) if key == "length" => Value::Num(s.encode_utf16().count() as f64),
            Value::Null | Value::Undefined { .. } if optional => Value::undefined(),
            Value::Undefined {
                missing_env: Some(name),
            } => Value::Unknown(Why::MissingEnv(name)),
            Value::Unknown(why) => return Node::new(Value::Unknown(why), obj.at),
            other => Value::Unknown(Why::Other(format!("reads .{key} of {}", other.kind()))),
        };
        Node::new(value, at)
    }

    fn call(&mut self, call: &'a CallExpression<'a>) -> Node {
        let at = Some(call.span.start);
        let callee = self.callee(&call.callee);
        let mut args = Vec::new();
        for arg in &call.arguments {
            match arg {
                Argument::SpreadElement(s) => {
                    return Node::unknown("spreads call arguments", Some(s.span.start))
                }
                _ => match arg.as_expression() {
                    Some(e) => args.push(e),
                    None => return Node::unknown("has an unreadable argument", at),
                },
            }
        }
        let arg = |this: &mut Self, i: usize| match args.get(i) {
            Some(e) => this.eval(e),
            None => Node::new(Value::undefined(), at),
        };
        match callee {
            Callee::DefineConfig => arg(self, 0),
            Callee::Global(name) => {
                let a = arg(self, 0);
                if let (Value::Unknown(_), false) = (&a.value, name == "Boolean") {
                    return a;
                }
                let value = match name {
                    "String" if args.is_empty() => Ok(Value::Str(String::new())),
                    "String" => a.value.to_js_string().map(Value::Str),
                    "Number" if args.is_empty() => Ok(Value::Num(0.0)),
                    "Number" => a.value.to_js_number().map(Value::Num),
                    "Boolean" => match a.value.truthy() {
                        Some(t) => Ok(Value::Bool(t)),
                        None => return a,
                    },
                    "parseInt" | "parseFloat" => {
                        let radix = if name == "parseInt" && args.len() > 1 {
                            let r = arg(self, 1);
                            match r.value.to_js_number() {
                                Ok(n) if n.is_finite() && n != 0.0 => Some(n as u32),
                                Ok(_) => None,
                                Err(why) => return Node::new(Value::Unknown(why), r.at),
                            }
                        } else {
                            None
                        };
                        a.value.to_js_string().map(|s| {
                            Value::Num(if name == "parseInt" {
                                parse_int(&s, radix)
                            } else {
                                parse_float(&s)
                            })
                        })
                    }
                    _ => Err(Why::Other(format!("calls {name}()"))),
                };
                Node::new(value.unwrap_or_else(Value::Unknown), at)
            }
            Callee::ProcessCwd => self.path_node(Some(&self.dirs.cwd.clone()), at),
            Callee::PathFn(name) => {
                let mut parts = Vec::new();
                for i in 0..args.len() {
                    let a = arg(self, i);
                    match a.value.to_js_string() {
                        Ok(s) => parts.push(s),
                        Err(why) => return Node::new(Value::Unknown(why), a.at),
                    }
                }
                let joined = if name == "resolve" {
                    let mut p = self.dirs.cwd.clone();
                    parts
                        .iter()
                        .filter(|s| !s.is_empty())
                        .for_each(|part| p.push(part));
                    normalize(&p)
                } else {
                    let parts: Vec<&str> = parts
                        .iter()
                        .map(String::as_str)
                        .filter(|s| !s.is_empty())
                        .collect();
                    let p = normalize(Path::new(&parts.join("/")));
                    if p.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        p
                    }
                };
                self.path_node(Some(&joined), at)
            }
            Callee::StringMethod(method) => {
                let Some(member) = call.callee.get_inner_expression().as_member_expression() else {
                    return Node::unknown(format!("calls .{method}()"), at);
                };
                let receiver = self.eval(member.object());
                if member.optional() && receiver.value.is_nullish() == Some(true) {
                    return Node::new(Value::undefined(), at);
                }
                let s = match &receiver.value {
                    Value::Str(s) => s.clone(),
                    Value::Num(n) if method == "toString" => number_to_string(*n),
                    Value::Unknown(_) => return receiver,
                    Value::Undefined {
                        missing_env: Some(name),
                    } => {
                        return Node::new(
                            Value::Unknown(Why::MissingEnv(name.clone())),
                            receiver.at,
                        )
                    }
                    other => {
                        return Node::unknown(format!("calls .{method}() on {}", other.kind()), at)
                    }
                };
                let value = match method.as_str() {
                    "toString" => Value::Str(s),
                    "trim" => Value::Str(s.trim().to_string()),
                    "toLowerCase" => Value::Str(s.to_lowercase()),
                    "toUpperCase" => Value::Str(s.to_uppercase()),
                    "split" => {
                        let sep = arg(self, 0);
                        match sep.value {
                            Value::Str(sep) if !sep.is_empty() => Value::Array(
                                s.split(sep.as_str())
                                    .map(|p| Node::new(Value::Str(p.to_string()), at))
                                    .collect(),
                            ),
                            Value::Unknown(_) => return sep,
                            _ => Value::Unknown(Why::Other(
                                "calls .split() without a literal separator".into(),
                            )),
                        }
                    }
                    _ => Value::Unknown(Why::Other(format!("calls .{method}()"))),
                };
                Node::new(value, at)
            }
            Callee::Other(name) => Node::unknown(format!("calls {name}()"), at),
        }
    }

    fn callee(&self, callee: &'a Expression<'a>) -> Callee {
        let callee = callee.get_inner_expression();
        if let Expression::Identifier(id) = callee {
            let name = id.name.as_str();
            return match self.scope.get(name) {
                Some(Binding::Import {
                    module,
                    imported: Imported::Named(imported),
                }) => match (module.as_str(), imported.as_str()) {
                    ("drizzle-kit", "defineConfig") => Callee::DefineConfig,
                    ("path" | "node:path", "join") => Callee::PathFn("join"),
                    ("path" | "node:path", "resolve") => Callee::PathFn("resolve"),
                    ("process" | "node:process", "cwd") => Callee::ProcessCwd,
                    _ => Callee::Other(name.to_string()),
                },
                Some(_) => Callee::Other(name.to_string()),
                None => match name {
                    "defineConfig" => Callee::DefineConfig,
                    "String" => Callee::Global("String"),
                    "Number" => Callee::Global("Number"),
                    "Boolean" => Callee::Global("Boolean"),
                    "parseInt" => Callee::Global("parseInt"),
                    "parseFloat" => Callee::Global("parseFloat"),
                    _ => Callee::Other(name.to_string()),
                },
            };
        }
        if let Some(member) = callee.as_member_expression() {
            if let Some(prop) = member.static_property_name() {
                let object = member.object().get_inner_expression();
                match (self.module_of(object).as_deref(), prop) {
                    (Some("drizzle-kit"), "defineConfig") => return Callee::DefineConfig,
                    (Some("path" | "node:path"), "join") => return Callee::PathFn("join"),
                    (Some("path" | "node:path"), "resolve") => return Callee::PathFn("resolve"),
                    _ => {}
                }
                if let Expression::Identifier(id) = object {
                    if !self.scope.contains_key(id.name.as_str()) {
                        match (id.name.as_str(), prop) {
                            ("process", "cwd") => return Callee::ProcessCwd,
                            ("Number", "parseInt") => return Callee::Global("parseInt"),
                            ("Number", "parseFloat") => return Callee::Global("parseFloat"),
                            _ => {}
                        }
                    }
                }
                if matches!(
                    prop,
                    "toString" | "trim" | "toLowerCase" | "toUpperCase" | "split"
                ) {
                    return Callee::StringMethod(prop.to_string());
                }
            }
        }
        Callee::Other(callee_name(callee))
    }

    /// The module an expression stands for: an import's namespace/default or `require("m")`.
    pub fn module_of(&self, expr: &'a Expression<'a>) -> Option<String> {
        match expr.get_inner_expression() {
            Expression::Identifier(id) => match self.scope.get(id.name.as_str()) {
                Some(Binding::Import {
                    module,
                    imported: Imported::Whole,
                }) => Some(module.clone()),
                _ => None,
            },
            Expression::CallExpression(call) => required_module(call).map(str::to_string),
            _ => None,
        }
    }

    fn binary(&mut self, op: BinaryOperator, left: Node, right: Node, at: Option<u32>) -> Node {
        for side in [&left, &right] {
            if let Value::Unknown(_) = side.value {
                return side.clone();
            }
        }
        let value = match op {
            BinaryOperator::Addition => {
                let stringy = |v: &Value| {
                    matches!(
                        v,
                        Value::Str(_) | Value::Array(_) | Value::Object(_) | Value::ProcessEnv
                    )
                };
                if stringy(&left.value) || stringy(&right.value) {
                    match (left.value.to_js_string(), right.value.to_js_string()) {
                        (Ok(l), Ok(r)) => Value::Str(l + &r),
                        (Err(why), _) | (_, Err(why)) => Value::Unknown(why),
                    }
                } else {
                    self.arith(&left.value, &right.value, |a, b| a + b)
                }
            }
            BinaryOperator::Subtraction => self.arith(&left.value, &right.value, |a, b| a - b),
            BinaryOperator::Multiplication => self.arith(&left.value, &right.value, |a, b| a * b),
            BinaryOperator::Division => self.arith(&left.value, &right.value, |a, b| a / b),
            BinaryOperator::StrictEquality => match strict_eq(&left.value, &right.value) {
                Some(eq) => Value::Bool(eq),
                None => Value::Unknown(Why::Other("compares objects".into())),
            },
            BinaryOperator::StrictInequality => match strict_eq(&left.value, &right.value) {
                Some(eq) => Value::Bool(!eq),
                None => Value::Unknown(Why::Other("compares objects".into())),
            },
            BinaryOperator::Equality => match loose_eq(&left.value, &right.value) {
                Some(eq) => Value::Bool(eq),
                None => Value::Unknown(Why::Other("compares objects".into())),
            },
            BinaryOperator::Inequality => match loose_eq(&left.value, &right.value) {
                Some(eq) => Value::Bool(!eq),
                None => Value::Unknown(Why::Other("compares objects".into())),
            },
            other => Value::Unknown(Why::Other(format!(
                "uses the `{}` operator",
                other.as_str()
            ))),
        };
        Node::new(value, at)
    }

    fn arith(&self, left: &Value, right: &Value, f: impl Fn(f64, f64) -> f64) -> Value {
        match (left.to_js_number(), right.to_js_number()) {
            (Ok(a), Ok(b)) => Value::Num(f(a, b)),
            (Err(why), _) | (_, Err(why)) => Value::Unknown(why),
        }
    }
}

/// A callee for messages: `getUrl`, `env.get`, never source text that could hold a secret.
fn callee_name(expr: &Expression<'_>) -> String {
    fn path(expr: &Expression<'_>) -> Option<String> {
        match expr.get_inner_expression() {
            Expression::Identifier(id) => Some(id.name.as_str().to_string()),
            Expression::ThisExpression(_) => Some("this".to_string()),
            other => {
                let m = other.as_member_expression()?;
                Some(format!(
                    "{}.{}",
                    path(m.object())?,
                    m.static_property_name()?
                ))
            }
        }
    }
    path(expr).unwrap_or_else(|| match expr.get_inner_expression() {
        Expression::ArrowFunctionExpression(_) | Expression::FunctionExpression(_) => {
            "a function expression".to_string()
        }
        Expression::CallExpression(call) => {
            format!("the result of {}()", callee_name(&call.callee))
        }
        _ => "a computed function".to_string(),
    })
}

/// `require("m")` with a literal name.
pub(crate) fn required_module<'a>(call: &'a CallExpression<'a>) -> Option<&'a str> {
    match (call.callee.get_inner_expression(), call.arguments.first()) {
        (Expression::Identifier(id), Some(Argument::StringLiteral(s)))
            if id.name.as_str() == "require" && call.arguments.len() == 1 =>
        {
            Some(s.value.as_str())
        }
        _ => None,
    }
}

fn parse_float(s: &str) -> f64 {
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

fn strict_eq(a: &Value, b: &Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) | (Value::Undefined { .. }, Value::Undefined { .. }) => true,
        (Value::Array(_) | Value::Object(_) | Value::ProcessEnv, _)
        | (_, Value::Array(_) | Value::Object(_) | Value::ProcessEnv) => return None,
        _ => false,
    })
}

fn loose_eq(a: &Value, b: &Value) -> Option<bool> {
    let nullish = |v: &Value| matches!(v, Value::Null | Value::Undefined { .. });
    if nullish(a) || nullish(b) {
        return Some(nullish(a) && nullish(b));
    }
    match (a, b) {
        (Value::Str(_), Value::Str(_)) => strict_eq(a, b),
        (
            Value::Num(_) | Value::Str(_) | Value::Bool(_),
            Value::Num(_) | Value::Str(_) | Value::Bool(_),
        ) => Some(a.to_js_number().ok()? == b.to_js_number().ok()?),
        _ => strict_eq(a, b),
    }
}

/// Removes `.` and folds `..` lexically, as Node's `path.normalize` does.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for comp in path.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                let last = out.components().next_back();
                match last {
                    Some(Component::Normal(_)) => {
                        out.pop();
                    }
                    Some(Component::RootDir | Component::Prefix(_)) => {}
                    _ => out.push(".."),
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
