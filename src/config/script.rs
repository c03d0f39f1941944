//! Reading a `drizzle.config.{ts,mts,cts,js,mjs,cjs}`: parsed and evaluated by the
//! evaluator ([`crate::js`]) with the modules it imports, after the dotenv files it loads
//! are applied; what it exports becomes the reader's value tree ([`Node`]).

use super::env::Env;
use super::value::{Node, Object, Value, Why};
use crate::diagnostic::line_col;
use crate::error::Error;
use crate::js::{self, Host, ImportName, Interp, Loc, Modules, NoHost, Packages, Val};
use oxc_allocator::Allocator;
use oxc_ast::ast::{Argument, CallExpression, Expression, Program, Statement};
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType};
use std::path::PathBuf;

/// Largest script config read; real ones are a few hundred bytes.
const MAX_BYTES: usize = 256 * 1024;
/// Bracket nesting beyond which a file is refused before parsing.
const MAX_NESTING: usize = 500;
/// The parser recurses once per nesting level; this stack holds the deepest nesting
/// [`MAX_BYTES`] of input can express (reserved address space, not memory in use).
const STACK_BYTES: usize = 512 * 1024 * 1024;

/// Parses and evaluates a JavaScript/TypeScript config. Returns the exported value, or an
/// error with file:line:col when the file does not parse or exports nothing.
///
/// `env` gains the dotenv files the config loads; `display` names the file in messages.
pub(crate) fn evaluate(
    text: &str,
    display: &str,
    dirs: &Dirs,
    env: &mut Env,
) -> Result<Node, Error> {
    if text.len() > MAX_BYTES {
        return Err(Error::Config(format!(
            "{display}: is {} KiB; a drizzle config this large is not supported (limit {} KiB)",
            text.len() / 1024,
            MAX_BYTES / 1024
        )));
    }
    if let Some(offset) = crate::js::module::too_deep(text, MAX_NESTING) {
        let (line, col) = line_col(text, offset);
        return Err(Error::Config(format!(
            "{display}:{line}:{col}: nested more than {MAX_NESTING} levels deep"
        )));
    }
    std::thread::scope(|scope| {
        // Where address space is tight, a smaller stack still reads every real config.
        let mut failure = None;
        for stack in [STACK_BYTES, STACK_BYTES / 16] {
            let mut local = env.clone();
            let spawned = std::thread::Builder::new()
                .name("config-reader".to_string())
                .stack_size(stack)
                .spawn_scoped(scope, move || {
                    let result = evaluate_here(text, display, dirs, &mut local);
                    (result, local)
                });
            match spawned {
                Ok(handle) => {
                    return match handle.join() {
                        Ok((result, local)) => {
                            *env = local;
                            result
                        }
                        Err(_) => Err(Error::Config(format!("{display}: the reader failed"))),
                    };
                }
                Err(err) => failure = Some(err),
            }
        }
        Err(Error::Config(format!(
            "{display}: cannot start the reader: {}",
            failure.map_or_else(String::new, |e| e.to_string())
        )))
    })
}

/// Folders `__dirname` and `process.cwd()` stand for.
pub(crate) struct Dirs {
    pub config_file: PathBuf,
    pub cwd: PathBuf,
}

/// The config reader's host: `defineConfig` from drizzle-kit; every other package is
/// unknown (Node's own `path`, `url` and `process` are the evaluator's).
struct Kit;

const PACKAGES: Packages = Packages {
    source: no_source,
    builtin: is_kit,
};

fn no_source(_: &str) -> Option<&'static str> {
    None
}

fn is_kit(spec: &str) -> bool {
    spec == "drizzle-kit"
}

impl<'a> Host<'a> for Kit {
    type Obj = NoHost;

    fn package(
        _ev: &mut Interp<'a, '_, Self>,
        package: &'a str,
        name: ImportName<'a>,
        at: Option<Loc>,
    ) -> Val<'a, Self> {
        match (package, name) {
            ("drizzle-kit", ImportName::Named("defineConfig")) => {
                js::Value::Builtin("kit.defineConfig")
            }
            (_, ImportName::Named(n)) => {
                js::Value::unknown(format!("uses `{n}` imported from {package}"), at)
            }
            _ => js::Value::unknown(format!("uses the module {package}"), at),
        }
    }

    fn builtin_member(
        _ev: &mut Interp<'a, '_, Self>,
        builtin: &'static str,
        key: &str,
        at: Option<Loc>,
    ) -> Val<'a, Self> {
        if builtin.starts_with("js.") {
            return js::Value::Bound(std::rc::Rc::new((
                js::Value::Builtin(builtin),
                std::rc::Rc::from(key),
            )));
        }
        js::Value::unknown(format!("reads {builtin}.{key}"), at)
    }

    fn builtin_method(
        _ev: &mut Interp<'a, '_, Self>,
        builtin: &'static str,
        name: &str,
        _args: Vec<Val<'a, Self>>,
        loc: Loc,
    ) -> Val<'a, Self> {
        let builtin = builtin.trim_start_matches("js.");
        js::Value::unknown(format!("calls {builtin}.{name}()"), Some(loc))
    }

    fn call_builtin(
        _ev: &mut Interp<'a, '_, Self>,
        builtin: &'static str,
        args: Vec<Val<'a, Self>>,
        loc: Loc,
    ) -> Val<'a, Self> {
        match builtin {
            "kit.defineConfig" => args.into_iter().next().unwrap_or(js::Value::Undefined),
            other => js::Value::unknown(format!("calls {other}()"), Some(loc)),
        }
    }

    fn call_host(
        _ev: &mut Interp<'a, '_, Self>,
        f: Val<'a, Self>,
        _args: Vec<Val<'a, Self>>,
        loc: Loc,
    ) -> Val<'a, Self> {
        js::Value::unknown(format!("calls {}", f.kind()), Some(loc))
    }

    fn member(
        _ev: &mut Interp<'a, '_, Self>,
        object: Val<'a, Self>,
        key: &str,
        at: Option<Loc>,
    ) -> Val<'a, Self> {
        js::Value::unknown(format!("reads .{key} of {}", object.kind()), at)
    }

    fn method(
        _ev: &mut Interp<'a, '_, Self>,
        object: Val<'a, Self>,
        name: &str,
        _args: Vec<Val<'a, Self>>,
        loc: Loc,
    ) -> Val<'a, Self> {
        js::Value::unknown(format!("calls .{name}() on {}", object.kind()), Some(loc))
    }

    fn tag(
        _ev: &mut Interp<'a, '_, Self>,
        _builtin: &'static str,
        _strings: &[&str],
        _values: Vec<Val<'a, Self>>,
    ) -> Option<Val<'a, Self>> {
        None
    }

    fn own_props(
        _ev: &mut Interp<'a, '_, Self>,
        _object: &Val<'a, Self>,
        _at: Option<Loc>,
    ) -> Option<js::Obj<'a, NoHost>> {
        None
    }

    fn global(name: &str) -> Option<&'static str> {
        (name == "defineConfig").then_some("kit.defineConfig")
    }
}

type Jv<'a> = js::Value<'a, NoHost>;

fn evaluate_here(text: &str, display: &str, dirs: &Dirs, env: &mut Env) -> Result<Node, Error> {
    let allocator = Allocator::default();
    let source_type = match dirs.config_file.extension().and_then(|e| e.to_str()) {
        Some("ts" | "mts" | "cts") => SourceType::ts(),
        _ => SourceType::unambiguous(),
    };
    let text: &str = allocator.alloc_str(text);
    let parsed = Parser::new(&allocator, text, source_type).parse();
    if let Some(err) = parsed.diagnostics.errors().next() {
        let offset = err
            .labels
            .first()
            .map_or(0, |label| label.span().start as usize);
        let (line, col) = line_col(text, offset);
        return Err(Error::Config(format!(
            "{display}:{line}:{col}: syntax error: {}",
            err.message
        )));
    }
    if parsed.panicked {
        return Err(Error::Config(format!("{display}: cannot be parsed")));
    }
    let program: &Program = allocator.alloc(parsed.program);
    let mut notes = Vec::new();
    let root = dirs.config_file.parent().unwrap_or(&dirs.cwd);
    let modules: Modules<'_, NoHost> = Modules::load(
        &allocator,
        root,
        std::slice::from_ref(&dirs.config_file),
        &PACKAGES,
        &mut notes,
    );
    if let Some(broken) = modules.get(0).and_then(|m| m.broken.clone()) {
        return Err(Error::Config(format!("{display}: {broken}")));
    }
    load_dotenv_calls(program, &modules, dirs, env);
    env.load_file(&super::config_dir_env(&dirs.config_file), false, false);
    modules.forget_values();

    let has_default = modules.get(0).is_some_and(|m| {
        m.exports.iter().any(|e| match e {
            js::module::Export::Default(_) | js::module::Export::CommonJs(_) => true,
            js::module::Export::Local { exported, .. } => *exported == "default",
            _ => false,
        })
    });
    if !has_default {
        return Err(Error::Config(format!(
            "{display}: exports no config (expected `export default defineConfig({{…}})`, \
             `export default {{…}}` or `module.exports = {{…}}`)"
        )));
    }
    let at = modules.get(0).and_then(|m| {
        m.exports.iter().find_map(|e| match e {
            js::module::Export::Default(expr) | js::module::Export::CommonJs(expr) => {
                Some(expr.span().start)
            }
            _ => None,
        })
    });
    let vars = |name: &str| env.get(name).map(|(v, _)| v.to_string());
    let mut ev = interp(&modules, &vars, dirs);
    let value = ev.export_value(0, "default", None);
    Ok(to_node(&value, at, 0))
}

fn interp<'a, 'm>(
    modules: &'m Modules<'a, NoHost>,
    vars: js::Vars<'m>,
    dirs: &Dirs,
) -> Interp<'a, 'm, Kit> {
    let mut ev = Interp::new(modules, Kit, Some(vars));
    ev.name_missing_env = true;
    ev.cwd = Some(dirs.cwd.clone());
    ev
}

/// An offset in the config file, or `fallback` for a place in another file.
fn offset(loc: Option<Loc>, fallback: Option<u32>) -> Option<u32> {
    match loc {
        Some(l) if l.module == 0 => Some(l.offset),
        _ => fallback,
    }
}

fn why(w: &js::Why) -> Why {
    match &w.missing_env {
        Some(name) => Why::MissingEnv(name.to_string()),
        None => Why::Other(w.message.clone()),
    }
}

/// The evaluator's value as the reader's tree.
fn to_node(v: &Jv<'_>, at: Option<u32>, depth: u32) -> Node {
    if depth > 100 {
        return Node::unknown("is nested too deeply", at);
    }
    let value = match v {
        js::Value::Str(s) => Value::Str(s.to_string()),
        js::Value::Num(n) => Value::Num(*n),
        js::Value::Bool(b) => Value::Bool(*b),
        js::Value::Null => Value::Null,
        js::Value::Undefined => Value::undefined(),
        js::Value::MissingEnv(name) => Value::Undefined {
            missing_env: Some(name.to_string()),
        },
        js::Value::BigInt(_) => Value::Unknown(Why::Other("is a bigint".into())),
        js::Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| to_node(item, at, depth + 1))
                .collect(),
        ),
        js::Value::Object(o) => {
            let mut out = Object::default();
            for item in o.spread_order() {
                match item {
                    Ok((key, value, _)) => {
                        let i = o.props.iter().position(|p| p.0 == *key);
                        let value_at = offset(i.and_then(|i| o.value_loc(i)), at);
                        out.set(key.to_string(), to_node(value, value_at, depth + 1));
                    }
                    Err(hole) => out.add_opaque(why(hole), offset(hole.loc, at)),
                }
            }
            Value::Object(out)
        }
        js::Value::Builtin("js.env") => Value::ProcessEnv,
        js::Value::Func(_) | js::Value::Builtin(_) | js::Value::Bound(_) => {
            Value::Unknown(Why::Other("is a function".into()))
        }
        js::Value::Namespace(_) => Value::Unknown(Why::Other("is a module namespace".into())),
        js::Value::Date(_) => Value::Unknown(Why::Other("is a date".into())),
        js::Value::Host(h) => match *h {},
        // Where the value is written; for an unset variable, where it is read.
        js::Value::Unknown(w) if w.missing_env.is_some() => {
            return Node::new(Value::Unknown(why(w)), offset(w.loc, at))
        }
        js::Value::Unknown(w) => {
            return Node::new(Value::Unknown(why(w)), at.or(offset(w.loc, None)))
        }
    };
    Node::new(value, at)
}

/// A dotenv file the config loads.
struct DotenvLoad {
    paths: Vec<String>,
    override_existing: bool,
    /// `import "dotenv/config"`, `dotenv.config()`: `.env` in the current directory.
    default_file: bool,
    /// The files may be absent without a warning (Next.js tries several).
    optional: bool,
}

/// Applies, in the order Node would run them, the config's top-level
/// `import "dotenv/config"`, `dotenv.config({ path, override })`, `config()` imported from
/// dotenv, `require("dotenv").config()`, `process.loadEnvFile(path)` and Next.js's
/// `loadEnvConfig(dir)`. Relative paths resolve against the current directory, as dotenv's
/// do. Calls nested in other statements (`if`, functions) are not followed.
fn load_dotenv_calls<'a>(
    program: &'a Program<'a>,
    modules: &Modules<'a, NoHost>,
    dirs: &Dirs,
    env: &mut Env,
) {
    let mut loads = Vec::new();
    // Imports run before the module body, whatever their position.
    for stmt in &program.body {
        if let Statement::ImportDeclaration(import) = stmt {
            if matches!(
                import.source.value.as_str(),
                "dotenv/config" | "dotenv/config.js" | "dotenv/config.mjs"
            ) {
                loads.push(DotenvLoad {
                    paths: Vec::new(),
                    override_existing: false,
                    default_file: true,
                    optional: false,
                });
            }
        }
    }
    apply(&loads, dirs, env);
    for stmt in &program.body {
        let expr = match stmt {
            Statement::ExpressionStatement(s) => &s.expression,
            _ => continue,
        };
        let Expression::CallExpression(call) = expr.get_inner_expression() else {
            continue;
        };
        // Each call sees the variables loaded before it (`.env.${process.env.NODE_ENV}`).
        modules.forget_values();
        let load = {
            let snapshot = env.clone();
            let vars = |name: &str| snapshot.get(name).map(|(v, _)| v.to_string());
            let mut ev = interp(modules, &vars, dirs);
            dotenv_call(call, modules, &mut ev, &snapshot)
        };
        if let Some(load) = load {
            apply(std::slice::from_ref(&load), dirs, env);
        }
    }
}

fn apply(loads: &[DotenvLoad], dirs: &Dirs, env: &mut Env) {
    for load in loads {
        if load.default_file {
            let file = env.default_file(&dirs.cwd);
            env.load_file(&file, load.override_existing, false);
        }
        for path in &load.paths {
            env.load_file(&dirs.cwd.join(path), load.override_existing, !load.optional);
        }
    }
}

/// The package a name of the config file is imported from, and the name imported.
fn imported<'a>(modules: &Modules<'a, NoHost>, name: &str) -> Option<(&'a str, ImportName<'a>)> {
    match modules.get(0)?.bindings.get(name)? {
        js::module::Binding::Import {
            target: js::module::Target::Package(package),
            name,
            ..
        } => Some((package, *name)),
        _ => None,
    }
}

/// `require("m")` with a literal name.
fn required_module<'a>(call: &'a CallExpression<'a>) -> Option<&'a str> {
    match (call.callee.get_inner_expression(), call.arguments.first()) {
        (Expression::Identifier(id), Some(Argument::StringLiteral(s)))
            if id.name.as_str() == "require" && call.arguments.len() == 1 =>
        {
            Some(s.value.as_str())
        }
        _ => None,
    }
}

fn dotenv_call<'a>(
    call: &'a CallExpression<'a>,
    modules: &Modules<'a, NoHost>,
    eval: &mut Interp<'a, '_, Kit>,
    env: &Env,
) -> Option<DotenvLoad> {
    if required_module(call).is_some_and(|m| m.starts_with("dotenv/config")) {
        return Some(DotenvLoad {
            paths: Vec::new(),
            override_existing: false,
            default_file: true,
            optional: false,
        });
    }
    let callee = call.callee.get_inner_expression();
    let bound = |name: &str| {
        modules
            .get(0)
            .is_some_and(|m| m.bindings.contains_key(name))
    };
    let kind = match callee {
        Expression::Identifier(id) => match imported(modules, id.name.as_str()) {
            Some(("dotenv", ImportName::Named("config" | "configDotenv"))) => "dotenv",
            Some(("@next/env", ImportName::Named("loadEnvConfig"))) => "next",
            _ => return None,
        },
        other => {
            let member = other.as_member_expression()?;
            let prop = member.static_property_name()?;
            let object = member.object().get_inner_expression();
            let module = match object {
                Expression::Identifier(id) => match imported(modules, id.name.as_str()) {
                    Some((package, ImportName::Default | ImportName::Namespace)) => Some(package),
                    _ => None,
                },
                Expression::CallExpression(call) => required_module(call),
                _ => None,
            };
            if matches!(object, Expression::Identifier(id) if id.name.as_str() == "process"
                && !bound("process"))
                && prop == "loadEnvFile"
            {
                "loadEnvFile"
            } else if module == Some("dotenv") && (prop == "config" || prop == "configDotenv") {
                "dotenv"
            } else {
                return None;
            }
        }
    };
    let first = call.arguments.first().and_then(|a| a.as_expression());
    let ctx = js::Ctx {
        module: 0,
        env: None,
    };
    let arg = first.map(|e| {
        let v = eval.eval(e, &ctx);
        to_node(&v, Some(e.span().start), 0)
    });
    if kind == "next" {
        return next_env_files(call, arg, eval, env);
    }
    if kind == "loadEnvFile" {
        let path = match arg.map(|a| a.value) {
            None => ".env".to_string(),
            Some(Value::Str(s)) => s,
            Some(_) => return None,
        };
        return Some(DotenvLoad {
            paths: vec![path],
            override_existing: false,
            optional: false,
            default_file: false,
        });
    }
    let mut load = DotenvLoad {
        paths: Vec::new(),
        override_existing: false,
        default_file: true,
        optional: false,
    };
    if let Some(Value::Object(options)) = arg.map(|a| a.value) {
        use super::value::Lookup;
        if let Lookup::Found(node) = options.get("path") {
            match &node.value {
                Value::Str(s) => {
                    load.paths.push(s.clone());
                    load.default_file = false;
                }
                Value::Array(items) => {
                    load.paths
                        .extend(items.iter().filter_map(|n| match &n.value {
                            Value::Str(s) => Some(s.clone()),
                            _ => None,
                        }));
                    load.default_file = false;
                }
                _ => {}
            }
        }
        if let Lookup::Found(node) = options.get("override") {
            load.override_existing = node.value.truthy() == Some(true);
        }
    }
    Some(load)
}

/// `loadEnvConfig(dir, dev)` from `@next/env`: `.env.<mode>.local`, `.env.local` (not in
/// test mode), `.env.<mode>`, `.env` in `dir`, first file winning, the process env kept.
fn next_env_files<'a>(
    call: &'a CallExpression<'a>,
    dir: Option<Node>,
    eval: &mut Interp<'a, '_, Kit>,
    env: &Env,
) -> Option<DotenvLoad> {
    let Some(Value::Str(dir)) = dir.map(|d| d.value) else {
        return None;
    };
    let dev = call
        .arguments
        .get(1)
        .and_then(|a| a.as_expression())
        .map(|e| {
            let ctx = js::Ctx {
                module: 0,
                env: None,
            };
            eval.eval(e, &ctx).truthy() == Some(true)
        })
        .unwrap_or(false);
    let node_env = env.get("NODE_ENV").map(|(v, _)| v.to_string());
    let mode = if node_env.as_deref() == Some("test") {
        "test"
    } else if dev {
        "development"
    } else {
        "production"
    };
    let dir = std::path::Path::new(&dir);
    let mut names = vec![format!(".env.{mode}.local")];
    if mode != "test" {
        names.push(".env.local".to_string());
    }
    names.push(format!(".env.{mode}"));
    names.push(".env".to_string());
    Some(DotenvLoad {
        paths: names
            .into_iter()
            .map(|n| dir.join(n).to_string_lossy().into_owned())
            .collect(),
        override_existing: false,
        default_file: false,
        optional: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_line_and_column() {
        let dirs = Dirs {
            config_file: PathBuf::from("/p/drizzle.config.ts"),
            cwd: PathBuf::from("/p"),
        };
        let err = evaluate(
            "export default {\n  dialect: 'postgresql',\n  schema: ,\n}",
            "drizzle.config.ts",
            &dirs,
            &mut Env::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("drizzle.config.ts:3:"), "{err}");
    }
}
