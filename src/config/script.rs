//! Reading a `drizzle.config.{ts,mts,cts,js,mjs,cjs}`: parse with oxc, collect the file's
//! top-level bindings, apply the dotenv files it loads, and evaluate what it exports.

use super::env::Env;
use super::evaluate::{required_module, Binding, Dirs, Evaluator, Imported, Scope};
use super::value::{Node, Value};
use crate::diagnostic::line_col;
use crate::error::Error;
use oxc_allocator::Allocator;
use oxc_ast::ast::{
    AssignmentOperator, BindingPattern, CallExpression, Declaration, ExportDefaultDeclarationKind,
    Expression, ImportDeclarationSpecifier, ModuleExportName, Program, SimpleAssignmentTarget,
    Statement, VariableDeclarationKind,
};
use oxc_parser::Parser;
#[cfg(test)]
use oxc_span::GetSpan;
use oxc_span::SourceType;

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
    if let Some(offset) = too_deep(text) {
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

/// Offset where `(`/`[`/`{` nesting first exceeds [`MAX_NESTING`], counting every bracket
/// byte (strings included: no real config comes near the limit either way).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn evaluate_here(text: &str, display: &str, dirs: &Dirs, env: &mut Env) -> Result<Node, Error> {
    let allocator = Allocator::default();
    let source_type = match dirs.config_file.extension().and_then(|e| e.to_str()) {
        Some("ts" | "mts" | "cts") => SourceType::ts(),
        _ => SourceType::unambiguous(),
    };
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
    let program = &parsed.program;
    let scope = collect_scope(program);
    load_dotenv_calls(program, &scope, dirs, env);
    env.load_file(&super::config_dir_env(&dirs.config_file), false, false);

    let mut eval = Evaluator::new(&scope, env, dirs);
    match find_export(program) {
        Some(Export::Expr(expr)) => Ok(eval.eval(expr)),
        Some(Export::Name(name, at)) => Ok(eval.name(name, Some(at))),
        Some(Export::Declaration(what, at)) => Ok(Node::unknown(what, Some(at))),
        None => Err(Error::Config(format!(
            "{display}: exports no config (expected `export default defineConfig({{…}})`, \
             `export default {{…}}` or `module.exports = {{…}}`)"
        ))),
    }
}

enum Export<'a> {
    Expr(&'a Expression<'a>),
    Name(&'a str, u32),
    Declaration(&'static str, u32),
}

/// What drizzle-kit reads: `require(config).default ?? require(config)`.
fn find_export<'a>(program: &'a Program<'a>) -> Option<Export<'a>> {
    let mut default = None;
    let mut module_exports = None;
    for stmt in &program.body {
        match stmt {
            Statement::ExportDefaultDeclaration(decl) => {
                default = Some(match &decl.declaration {
                    ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                        Export::Declaration("is a function", f.span.start)
                    }
                    ExportDefaultDeclarationKind::ClassDeclaration(c) => {
                        Export::Declaration("is a class", c.span.start)
                    }
                    ExportDefaultDeclarationKind::TSInterfaceDeclaration(i) => {
                        Export::Declaration("is an interface", i.span.start)
                    }
                    other => match other.as_expression() {
                        Some(e) => Export::Expr(e),
                        None => Export::Declaration("is not a value", decl.span.start),
                    },
                });
            }
            Statement::ExportNamedDeclaration(decl) => {
                for spec in &decl.specifiers {
                    if export_name(&spec.exported) == Some("default") {
                        if let Some(local) = export_name(&spec.local) {
                            default = Some(Export::Name(local, spec.span.start));
                        }
                    }
                }
            }
            Statement::TSExportAssignment(assign) => {
                module_exports = Some(Export::Expr(&assign.expression));
            }
            Statement::ExpressionStatement(stmt) => {
                if let Expression::AssignmentExpression(assign) =
                    stmt.expression.get_inner_expression()
                {
                    if assign.operator != AssignmentOperator::Assign {
                        continue;
                    }
                    let Some(target) = assign.left.as_simple_assignment_target() else {
                        continue;
                    };
                    let path = match target {
                        SimpleAssignmentTarget::AssignmentTargetIdentifier(_) => continue,
                        other => match other.as_member_expression() {
                            Some(m) => member_path(m.object()).map(|mut p| {
                                p.push(m.static_property_name().unwrap_or(""));
                                p
                            }),
                            None => None,
                        },
                    };
                    match path.as_deref() {
                        Some(["module", "exports"]) => {
                            module_exports = Some(Export::Expr(&assign.right))
                        }
                        Some(["module", "exports", "default"] | ["exports", "default"]) => {
                            default = Some(Export::Expr(&assign.right))
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    default.or(module_exports)
}

fn export_name<'a>(name: &ModuleExportName<'a>) -> Option<&'a str> {
    match name {
        ModuleExportName::IdentifierName(n) => Some(n.name.as_str()),
        ModuleExportName::IdentifierReference(n) => Some(n.name.as_str()),
        ModuleExportName::StringLiteral(s) => Some(s.value.as_str()),
    }
}

/// `a.b.c` as `["a", "b", "c"]` when every part is a plain name.
fn member_path<'a>(expr: &'a Expression<'a>) -> Option<Vec<&'a str>> {
    match expr.get_inner_expression() {
        Expression::Identifier(id) => Some(vec![id.name.as_str()]),
        other => {
            let m = other.as_member_expression()?;
            let mut path = member_path(m.object())?;
            path.push(m.static_property_name()?);
            Some(path)
        }
    }
}

fn collect_scope<'a>(program: &'a Program<'a>) -> Scope<'a> {
    let mut scope = Scope::new();
    let mut reassigned: Vec<&'a str> = Vec::new();
    for stmt in &program.body {
        match stmt {
            Statement::ImportDeclaration(import) => {
                let module = import.source.value.as_str();
                for spec in import.specifiers.iter().flatten() {
                    let (local, imported) = match spec {
                        ImportDeclarationSpecifier::ImportSpecifier(s) => (
                            s.local.name.as_str(),
                            match export_name(&s.imported) {
                                Some("default") | None => Imported::Whole,
                                Some(name) => Imported::Named(name.to_string()),
                            },
                        ),
                        ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => {
                            (s.local.name.as_str(), Imported::Whole)
                        }
                        ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => {
                            (s.local.name.as_str(), Imported::Whole)
                        }
                    };
                    scope.insert(
                        local,
                        Binding::Import {
                            module: module.to_string(),
                            imported,
                        },
                    );
                }
            }
            Statement::ExpressionStatement(s) => {
                if let Expression::AssignmentExpression(assign) =
                    s.expression.get_inner_expression()
                {
                    if let Some(target) = assign.left.as_simple_assignment_target() {
                        let root = match target {
                            SimpleAssignmentTarget::AssignmentTargetIdentifier(id) => {
                                Some(id.name.as_str())
                            }
                            other => other
                                .as_member_expression()
                                .and_then(|m| member_path(m.object()))
                                .and_then(|p| p.first().copied()),
                        };
                        reassigned.extend(root);
                    }
                }
            }
            other => {
                let decl = match other {
                    Statement::ExportNamedDeclaration(_) => None,
                    Statement::ExportDeclaration(d) => Some(&d.declaration),
                    _ => other.as_declaration(),
                };
                if let Some(decl) = decl {
                    declare(decl, &mut scope);
                }
            }
        }
    }
    for name in reassigned {
        if let Some(binding) = scope.get_mut(name) {
            if matches!(binding, Binding::Init(_) | Binding::Member { .. }) {
                *binding = Binding::Opaque("is assigned again");
            }
        }
    }
    scope
}

fn declare<'a>(decl: &'a Declaration<'a>, scope: &mut Scope<'a>) {
    match decl {
        Declaration::VariableDeclaration(var) => {
            // `using` bindings are disposed of; everything else holds its initial value
            // unless assigned again (checked by the caller).
            let plain = matches!(
                var.kind,
                VariableDeclarationKind::Const
                    | VariableDeclarationKind::Let
                    | VariableDeclarationKind::Var
            );
            for d in &var.declarations {
                let Some(init) = &d.init else {
                    bind_all(&d.id, scope, "has no initial value");
                    continue;
                };
                let required = match init.get_inner_expression() {
                    Expression::CallExpression(call) => required_module(call),
                    _ => None,
                };
                match &d.id {
                    BindingPattern::BindingIdentifier(id) => {
                        let binding = match required {
                            Some(module) => Binding::Import {
                                module: module.to_string(),
                                imported: Imported::Whole,
                            },
                            None if plain => Binding::Init(init),
                            None => Binding::Opaque("is a resource binding"),
                        };
                        scope.insert(id.name.as_str(), binding);
                    }
                    BindingPattern::ObjectPattern(pattern) => {
                        for prop in &pattern.properties {
                            let Some(key) = prop.key.static_name() else {
                                bind_all(&prop.value, scope, "is destructured with a computed key");
                                continue;
                            };
                            let (target, default) = match &prop.value {
                                BindingPattern::AssignmentPattern(a) => (&a.left, Some(&a.right)),
                                other => (other, None),
                            };
                            let BindingPattern::BindingIdentifier(id) = target else {
                                bind_all(target, scope, "is destructured from a nested pattern");
                                continue;
                            };
                            let binding = match required {
                                Some(module) => Binding::Import {
                                    module: module.to_string(),
                                    imported: Imported::Named(key.into_owned()),
                                },
                                None => Binding::Member {
                                    object: init,
                                    key: key.into_owned(),
                                    default,
                                },
                            };
                            scope.insert(id.name.as_str(), binding);
                        }
                        if let Some(rest) = &pattern.rest {
                            bind_all(&rest.argument, scope, "is a rest element");
                        }
                    }
                    other => bind_all(other, scope, "is destructured from an array"),
                }
            }
        }
        Declaration::FunctionDeclaration(f) => {
            if let Some(id) = &f.id {
                scope.insert(id.name.as_str(), Binding::Opaque("is a function"));
            }
        }
        Declaration::ClassDeclaration(c) => {
            if let Some(id) = &c.id {
                scope.insert(id.name.as_str(), Binding::Opaque("is a class"));
            }
        }
        Declaration::TSEnumDeclaration(e) => {
            scope.insert(e.id.name.as_str(), Binding::Opaque("is an enum"));
        }
        _ => {}
    }
}

/// Binds every name in a pattern to something the evaluator does not follow.
fn bind_all<'a>(pattern: &'a BindingPattern<'a>, scope: &mut Scope<'a>, what: &'static str) {
    match pattern {
        BindingPattern::BindingIdentifier(id) => {
            scope.insert(id.name.as_str(), Binding::Opaque(what));
        }
        BindingPattern::ObjectPattern(p) => {
            for prop in &p.properties {
                bind_all(&prop.value, scope, what);
            }
            if let Some(rest) = &p.rest {
                bind_all(&rest.argument, scope, what);
            }
        }
        BindingPattern::ArrayPattern(p) => {
            for el in p.elements.iter().flatten() {
                bind_all(el, scope, what);
            }
            if let Some(rest) = &p.rest {
                bind_all(&rest.argument, scope, what);
            }
        }
        BindingPattern::AssignmentPattern(p) => bind_all(&p.left, scope, what),
    }
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
fn load_dotenv_calls<'a>(program: &'a Program<'a>, scope: &Scope<'a>, dirs: &Dirs, env: &mut Env) {
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
        let load = {
            let mut eval = Evaluator::new(scope, env, dirs);
            dotenv_call(call, scope, &mut eval)
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

fn dotenv_call<'a>(
    call: &'a CallExpression<'a>,
    scope: &Scope<'a>,
    eval: &mut Evaluator<'a, '_>,
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
    let kind = match callee {
        Expression::Identifier(id) => match scope.get(id.name.as_str()) {
            Some(Binding::Import {
                module,
                imported: Imported::Named(name),
            }) if module == "dotenv" && (name == "config" || name == "configDotenv") => "dotenv",
            Some(Binding::Import {
                module,
                imported: Imported::Named(name),
            }) if module == "@next/env" && name == "loadEnvConfig" => "next",
            _ => return None,
        },
        other => {
            let member = other.as_member_expression()?;
            let prop = member.static_property_name()?;
            let object = member.object().get_inner_expression();
            if matches!(object, Expression::Identifier(id) if id.name.as_str() == "process"
                && !scope.contains_key("process"))
                && prop == "loadEnvFile"
            {
                "loadEnvFile"
            } else if eval.module_of(object).as_deref() == Some("dotenv")
                && (prop == "config" || prop == "configDotenv")
            {
                "dotenv"
            } else {
                return None;
            }
        }
    };
    let first = call.arguments.first().and_then(|a| a.as_expression());
    let arg = first.map(|e| eval.eval(e));
    if kind == "next" {
        return next_env_files(call, arg, eval);
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
    eval: &mut Evaluator<'a, '_>,
) -> Option<DotenvLoad> {
    let Some(Value::Str(dir)) = dir.map(|d| d.value) else {
        return None;
    };
    let dev = call
        .arguments
        .get(1)
        .and_then(|a| a.as_expression())
        .map(|e| eval.eval(e).value.truthy() == Some(true))
        .unwrap_or(false);
    let node_env = eval.env_var("NODE_ENV");
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

/// Where the exported config starts, for testing the locator alone.
#[cfg(test)]
fn exported_span(text: &str) -> Option<u32> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, text, SourceType::ts()).parse();
    match find_export(&parsed.program)? {
        Export::Expr(e) => Some(e.span().start),
        Export::Name(_, at) | Export::Declaration(_, at) => Some(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn finds_every_export_form() {
        for (src, expected) in [
            ("export default { a: 1 }", Some(15)),
            ("const c = {}; export { c as default }", Some(23)),
            ("module.exports = { a: 1 }", Some(17)),
            ("exports.default = { a: 1 }", Some(18)),
            ("export = { a: 1 }", Some(9)),
            ("const c = {}", None),
        ] {
            assert_eq!(exported_span(src), expected, "{src}");
        }
    }

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
