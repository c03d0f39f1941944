//! Modules: parsing each file once, the names it binds at the top level and what it
//! exports, and loading the files it imports.

use super::resolve::{normalize, resolve_import, Aliases, Workspaces};
use super::value::{Loc, Value};
use crate::diagnostic::{line_col, Diagnostic};
use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, AssignmentOperator, BindingPattern, CallExpression, Declaration,
    ExportDefaultDeclarationKind, Expression, Function, ImportDeclarationSpecifier,
    ModuleExportName, Program, SimpleAssignmentTarget, Statement, TSEnumDeclaration,
};
use oxc_parser::Parser;
use oxc_span::SourceType;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

/// Largest schema file read; the biggest real ones are a few hundred KiB.
const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Bracket nesting beyond which a file is refused before parsing (the parser recurses once
/// per level).
const MAX_NESTING: usize = 400;

/// The packages the host knows: some read from sources it holds (`drizzle-orm/supabase`),
/// the others given as builtins (`drizzle-orm/pg-core`), never looked up on disk.
pub struct Packages {
    /// The source of a package the host gives as code.
    pub source: fn(&str) -> Option<&'static str>,
    /// A package the host gives as builtins.
    pub builtin: fn(&str) -> bool,
}

/// Where an import leads.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    Module(u32),
    /// A package (`drizzle-orm/pg-core`, `zod`, `@/lib/x`).
    Package(&'a str),
    /// A relative import that leads to no file.
    Missing(&'a str),
}

#[derive(Clone, Copy, Debug)]
pub enum ImportName<'a> {
    Named(&'a str),
    Default,
    Namespace,
}

/// One step into a destructured value.
#[derive(Clone, Debug)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

pub enum Binding<'a> {
    /// `const x = init` (also `let`/`var`).
    Init(&'a Expression<'a>, Loc),
    /// `const { a: { b = dflt } } = init`.
    Destructured {
        init: &'a Expression<'a>,
        path: Vec<Step<'a>>,
        default: Option<&'a Expression<'a>>,
        loc: Loc,
    },
    Function(&'a Function<'a>),
    Enum(&'a TSEnumDeclaration<'a>),
    Import {
        target: Target<'a>,
        name: ImportName<'a>,
        loc: Loc,
    },
    Opaque(&'static str, Loc),
}

pub enum Export<'a> {
    /// `export const x`, `export { x as y }`.
    Local { exported: &'a str, local: &'a str },
    /// `export default <expr>`.
    Default(&'a Expression<'a>),
    /// `module.exports = <expr>` (or `export = <expr>`) without an ES default export: the
    /// default export, whose keys are the named ones.
    CommonJs(&'a Expression<'a>),
    /// `exports.name = <expr>`.
    Value {
        exported: &'a str,
        expr: &'a Expression<'a>,
    },
    /// `export { a as b } from "./x"`, `export * as ns from "./x"`.
    From {
        exported: &'a str,
        target: Target<'a>,
        name: ImportName<'a>,
    },
    /// `export * from "./x"`.
    Star(Target<'a>),
}

/// A module's top-level value, once evaluated.
#[derive(Clone)]
pub enum Slot<'a, X> {
    Evaluating,
    Done(Value<'a, X>),
}

pub struct Module<'a, X> {
    pub path: PathBuf,
    /// The path relative to the project root, for origins and messages.
    pub display: String,
    pub text: &'a str,
    line_starts: Vec<u32>,
    pub bindings: HashMap<&'a str, Binding<'a>>,
    pub exports: Vec<Export<'a>>,
    pub cache: RefCell<HashMap<&'a str, Slot<'a, X>>>,
    /// Why the module contributes nothing (unreadable, syntax error).
    pub broken: Option<String>,
    /// A package the host gave as source (see [`Packages`]), not a project file.
    pub is_package: bool,
    /// Top-level calls run for their effect (`collate(users.id, "C")`): whatever they are
    /// given may be changed in ways the evaluator does not follow.
    pub effects: Vec<(&'a CallExpression<'a>, Loc)>,
}

impl<'a, X> Module<'a, X> {
    fn empty(path: PathBuf, display: String, broken: Option<String>) -> Self {
        Module {
            path,
            display,
            text: "",
            line_starts: vec![0],
            bindings: HashMap::new(),
            exports: Vec::new(),
            cache: RefCell::new(HashMap::new()),
            broken,
            is_package: false,
            effects: Vec::new(),
        }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: u32) -> u32 {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = self.line(offset);
        let start = self.line_starts[(line - 1) as usize] as usize;
        let end = (offset as usize).min(self.text.len());
        let column = self
            .text
            .get(start..end)
            .map_or(end.saturating_sub(start), |s| s.chars().count());
        (line, column as u32 + 1)
    }
}

/// Every module reachable from the entry files, parsed into one arena.
pub struct Modules<'a, X> {
    pub list: Vec<Module<'a, X>>,
}

impl<'a, X> Modules<'a, X> {
    /// Parses `entries` and every file they import, transitively.
    pub fn load(
        allocator: &'a Allocator,
        root: &Path,
        entries: &[PathBuf],
        packages: &Packages,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut by_path: HashMap<PathBuf, u32> = HashMap::new();
        let mut queue: VecDeque<PathBuf> = VecDeque::new();
        for path in entries {
            let path = normalize(path);
            if !by_path.contains_key(&path) {
                by_path.insert(path.clone(), by_path.len() as u32);
                queue.push_back(path);
            }
        }
        let mut list = Vec::new();
        let mut aliases = Aliases::default();
        let mut workspaces = Workspaces::default();
        while let Some(path) = queue.pop_front() {
            let index = list.len() as u32;
            let display = match virtual_package(&path, packages) {
                Some(spec) => spec.to_string(),
                None => display_path(&path, root),
            };
            let module = parse_module(
                allocator,
                index,
                path,
                display,
                packages,
                diagnostics,
                |spec, from| {
                    let file = if (packages.source)(spec).is_some() {
                        PathBuf::from(format!("<{spec}>"))
                    } else {
                        match resolve_import(from, spec) {
                            Some(file) => file,
                            None if spec.starts_with('.') => return Target::Missing(spec),
                            None if (packages.builtin)(spec) || is_node_builtin(spec) => {
                                return Target::Package(spec)
                            }
                            None => match aliases
                                .resolve(from, spec)
                                .or_else(|| workspaces.resolve(from, spec))
                            {
                                Some(file) => file,
                                None => return Target::Package(spec),
                            },
                        }
                    };
                    let next = by_path.len() as u32;
                    let id = *by_path.entry(file.clone()).or_insert_with(|| {
                        queue.push_back(file);
                        next
                    });
                    Target::Module(id)
                },
            );
            let mut module = module;
            module.is_package = virtual_package(&module.path, packages).is_some();
            list.push(module);
        }
        Modules { list }
    }

    pub fn get(&self, index: u32) -> Option<&Module<'a, X>> {
        self.list.get(index as usize)
    }

    /// Forgets every value evaluated so far (the environment they read has changed).
    pub fn forget_values(&self) {
        for m in &self.list {
            m.cache.borrow_mut().clear();
        }
    }
}

/// Node's own modules, never files.
fn is_node_builtin(spec: &str) -> bool {
    spec.starts_with("node:")
        || matches!(
            spec,
            "path" | "url" | "process" | "fs" | "os" | "module" | "crypto" | "util"
        )
}

/// The package a virtual module path (`<drizzle-orm/supabase>`) stands for.
fn virtual_package<'p>(path: &'p Path, packages: &Packages) -> Option<&'p str> {
    let s = path.to_str()?;
    let spec = s.strip_prefix('<')?.strip_suffix('>')?;
    (packages.source)(spec).map(|_| spec)
}

pub fn display_path(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn parse_module<'a, X>(
    allocator: &'a Allocator,
    index: u32,
    path: PathBuf,
    display: String,
    packages: &Packages,
    diagnostics: &mut Vec<Diagnostic>,
    mut resolve: impl FnMut(&'a str, &Path) -> Target<'a>,
) -> Module<'a, X> {
    let read = match virtual_package(&path, packages).and_then(packages.source) {
        Some(text) => Ok(text.as_bytes().to_vec()),
        None => std::fs::read(&path),
    };
    let bytes = match read {
        Ok(b) => b,
        Err(err) => {
            let message = format!("cannot be read: {err}");
            diagnostics.push(Diagnostic::error(&display, message.clone()));
            return Module::empty(path, display, Some(message));
        }
    };
    if bytes.len() > MAX_BYTES {
        let message = format!(
            "is {} KiB; schema files over {} KiB are not read",
            bytes.len() / 1024,
            MAX_BYTES / 1024
        );
        diagnostics.push(Diagnostic::error(&display, message.clone()));
        return Module::empty(path, display, Some(message));
    }
    let decoded = String::from_utf8_lossy(&bytes);
    // A JSON module is its default export; written on the same line so positions hold.
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let text: &'a str = if is_json {
        allocator.alloc_str(&format!("export default {decoded}\n;"))
    } else {
        allocator.alloc_str(&decoded)
    };
    if let Some(offset) = too_deep(text, MAX_NESTING) {
        let (line, col) = line_col(text, offset);
        let message = format!("is nested more than {MAX_NESTING} levels deep");
        diagnostics.push(Diagnostic::error(&display, message.clone()).at(line, col));
        return Module::empty(path, display, Some(message));
    }
    let source_type = match path.extension().and_then(|e| e.to_str()) {
        Some("js" | "mjs" | "cjs" | "jsx") => SourceType::from_path(&path)
            .unwrap_or_else(|_| SourceType::ts())
            .with_typescript(true),
        _ => SourceType::from_path(&path).unwrap_or_else(|_| SourceType::ts()),
    };
    let parsed = Parser::new(allocator, text, source_type).parse();
    if let Some(err) = parsed.diagnostics.errors().next() {
        let offset = err
            .labels
            .first()
            .map_or(0, |label| label.span().start as usize);
        let (line, col) = line_col(text, offset);
        let message = format!("syntax error: {}", err.message);
        diagnostics.push(
            Diagnostic::error(&display, format!("{message}; nothing in this file is read"))
                .at(line, col),
        );
        let broken = format!("has a syntax error at line {line} ({})", err.message);
        return Module::empty(path, display, Some(broken));
    }
    if parsed.panicked {
        let message = "cannot be parsed".to_string();
        diagnostics.push(Diagnostic::error(&display, message.clone()));
        return Module::empty(path, display, Some(message));
    }
    let program: &'a Program<'a> = allocator.alloc(parsed.program);
    let mut module = Module::empty(path, display, None);
    module.text = text;
    module.line_starts = line_starts(text);
    let from = module.path.clone();
    let mut collector = Collector {
        module: index,
        bindings: &mut module.bindings,
        exports: &mut module.exports,
        effects: &mut module.effects,
        resolve: &mut |spec| resolve(spec, &from),
        commonjs: None,
        reassigned: Vec::new(),
    };
    for stmt in &program.body {
        collector.statement(stmt);
    }
    collector.finish();
    module
}

fn line_starts(text: &str) -> Vec<u32> {
    let mut starts = vec![0u32];
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            starts.push(i as u32 + 1);
        }
    }
    starts
}

/// Offset where `(`/`[`/`{` nesting first exceeds `max`, counting every bracket byte
/// (strings included: no real source comes near the limits either way).
pub(crate) fn too_deep(text: &str, max: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn export_name<'a>(name: &ModuleExportName<'a>) -> &'a str {
    match name {
        ModuleExportName::IdentifierName(n) => n.name.as_str(),
        ModuleExportName::IdentifierReference(n) => n.name.as_str(),
        ModuleExportName::StringLiteral(s) => s.value.as_str(),
    }
}

struct Collector<'c, 'a> {
    module: u32,
    bindings: &'c mut HashMap<&'a str, Binding<'a>>,
    exports: &'c mut Vec<Export<'a>>,
    effects: &'c mut Vec<(&'a CallExpression<'a>, Loc)>,
    resolve: &'c mut dyn FnMut(&'a str) -> Target<'a>,
    /// `module.exports = x` (or `export = x`): the default export when there is no other.
    commonjs: Option<&'a Expression<'a>>,
    /// Top-level names assigned (or whose members are assigned) after their declaration.
    reassigned: Vec<(&'a str, Loc)>,
}

/// `require("m")` with a literal name.
fn required_module<'a>(expr: &'a Expression<'a>) -> Option<&'a str> {
    let Expression::CallExpression(call) = expr.get_inner_expression() else {
        return None;
    };
    match (call.callee.get_inner_expression(), call.arguments.first()) {
        (Expression::Identifier(id), Some(Argument::StringLiteral(s)))
            if id.name.as_str() == "require" && call.arguments.len() == 1 =>
        {
            Some(s.value.as_str())
        }
        _ => None,
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

impl<'c, 'a> Collector<'c, 'a> {
    /// What only the whole file tells: the CommonJS export, values changed after their
    /// declaration (not followed: their value is unknown).
    fn finish(&mut self) {
        if let Some(expr) = self.commonjs {
            if !self.exports.iter().any(|e| matches!(e, Export::Default(_)))
                && !self.exports.iter().any(|e| {
                    matches!(
                        e,
                        Export::Local {
                            exported: "default",
                            ..
                        }
                    )
                })
            {
                self.exports.push(Export::CommonJs(expr));
            }
        }
        for (name, loc) in std::mem::take(&mut self.reassigned) {
            if let Some(binding) = self.bindings.get_mut(name) {
                if matches!(binding, Binding::Init(..) | Binding::Destructured { .. }) {
                    *binding = Binding::Opaque("is assigned again", loc);
                }
            }
        }
    }

    /// A top-level `x = …` / `module.exports = …` / `exports.default = …`.
    fn assignment(&mut self, expr: &'a Expression<'a>) {
        let Expression::AssignmentExpression(assign) = expr.get_inner_expression() else {
            return;
        };
        let Some(target) = assign.left.as_simple_assignment_target() else {
            return;
        };
        let loc = self.loc(assign.span.start);
        let path = match target {
            SimpleAssignmentTarget::AssignmentTargetIdentifier(id) => Some(vec![id.name.as_str()]),
            other => other.as_member_expression().and_then(|m| {
                let mut p = member_path(m.object())?;
                p.push(m.static_property_name().unwrap_or(""));
                Some(p)
            }),
        };
        let Some(path) = path else { return };
        match path.as_slice() {
            ["module", "exports"] if assign.operator == AssignmentOperator::Assign => {
                self.commonjs = Some(&assign.right)
            }
            ["module", "exports", "default"] | ["exports", "default"]
                if assign.operator == AssignmentOperator::Assign =>
            {
                self.exports.push(Export::Default(&assign.right))
            }
            ["module", "exports", name] | ["exports", name]
                if assign.operator == AssignmentOperator::Assign && !name.is_empty() =>
            {
                self.exports.push(Export::Value {
                    exported: name,
                    expr: &assign.right,
                })
            }
            [root, ..] => self.reassigned.push((root, loc)),
            [] => {}
        }
    }

    fn loc(&self, offset: u32) -> Loc {
        Loc {
            module: self.module,
            offset,
        }
    }

    fn statement(&mut self, stmt: &'a Statement<'a>) {
        match stmt {
            Statement::ImportDeclaration(import) => {
                if import.import_kind.is_type() {
                    return;
                }
                let target = (self.resolve)(import.source.value.as_str());
                for spec in import.specifiers.iter().flatten() {
                    let (local, name, at) = match spec {
                        ImportDeclarationSpecifier::ImportSpecifier(s) => {
                            if s.import_kind.is_type() {
                                continue;
                            }
                            let name = match export_name(&s.imported) {
                                "default" => ImportName::Default,
                                other => ImportName::Named(other),
                            };
                            (s.local.name.as_str(), name, s.span.start)
                        }
                        ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => {
                            (s.local.name.as_str(), ImportName::Default, s.span.start)
                        }
                        ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => {
                            (s.local.name.as_str(), ImportName::Namespace, s.span.start)
                        }
                    };
                    let loc = self.loc(at);
                    self.bindings
                        .insert(local, Binding::Import { target, name, loc });
                }
            }
            Statement::ExportDeclaration(export) => {
                let mut names = Vec::new();
                self.declaration(&export.declaration, &mut names);
                for name in names {
                    self.exports.push(Export::Local {
                        exported: name,
                        local: name,
                    });
                }
            }
            Statement::ExportNamedDeclaration(export) => {
                if export.export_kind.is_type() {
                    return;
                }
                for spec in &export.specifiers {
                    if spec.export_kind.is_type() {
                        continue;
                    }
                    self.exports.push(Export::Local {
                        exported: export_name(&spec.exported),
                        local: export_name(&spec.local),
                    });
                }
            }
            Statement::ExportFromDeclaration(export) => {
                if export.export_kind.is_type() {
                    return;
                }
                let target = (self.resolve)(export.source.value.as_str());
                for spec in &export.specifiers {
                    if spec.export_kind.is_type() {
                        continue;
                    }
                    let name = match export_name(&spec.local) {
                        "default" => ImportName::Default,
                        other => ImportName::Named(other),
                    };
                    self.exports.push(Export::From {
                        exported: export_name(&spec.exported),
                        target,
                        name,
                    });
                }
            }
            Statement::ExportAllDeclaration(export) => {
                if export.export_kind.is_type() {
                    return;
                }
                let target = (self.resolve)(export.source.value.as_str());
                match &export.exported {
                    Some(name) => self.exports.push(Export::From {
                        exported: export_name(name),
                        target,
                        name: ImportName::Namespace,
                    }),
                    None => self.exports.push(Export::Star(target)),
                }
            }
            Statement::ExportDefaultDeclaration(export) => match &export.declaration {
                ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                    if let Some(id) = &f.id {
                        self.bindings.insert(id.name.as_str(), Binding::Function(f));
                        self.exports.push(Export::Local {
                            exported: "default",
                            local: id.name.as_str(),
                        });
                    }
                }
                ExportDefaultDeclarationKind::ClassDeclaration(_)
                | ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => {}
                other => {
                    if let Some(expr) = other.as_expression() {
                        self.exports.push(Export::Default(expr));
                    }
                }
            },
            Statement::ExpressionStatement(e) => {
                if let Expression::CallExpression(call) = e.expression.get_inner_expression() {
                    let loc = self.loc(call.span.start);
                    self.effects.push((call, loc));
                }
                self.assignment(&e.expression)
            }
            Statement::TSExportAssignment(e) => self.commonjs = Some(&e.expression),
            other => {
                if let Some(decl) = other.as_declaration() {
                    let mut names = Vec::new();
                    self.declaration(decl, &mut names);
                }
            }
        }
    }

    fn declaration(&mut self, decl: &'a Declaration<'a>, names: &mut Vec<&'a str>) {
        match decl {
            Declaration::VariableDeclaration(var) => {
                for d in &var.declarations {
                    let loc = self.loc(d.span.start);
                    if let Some(module) = d.init.as_ref().and_then(required_module) {
                        self.required(&d.id, module, loc, names);
                        continue;
                    }
                    match &d.init {
                        Some(init) => self.pattern(&d.id, init, Vec::new(), None, loc, names),
                        None => self.opaque(&d.id, "is declared without a value", loc, names),
                    }
                }
            }
            Declaration::FunctionDeclaration(f) => {
                if let Some(id) = &f.id {
                    // Overload signatures have no body; the implementation follows.
                    if f.body.is_some() || !self.bindings.contains_key(id.name.as_str()) {
                        self.bindings.insert(id.name.as_str(), Binding::Function(f));
                    }
                    if !names.contains(&id.name.as_str()) {
                        names.push(id.name.as_str());
                    }
                }
            }
            Declaration::ClassDeclaration(c) => {
                if let Some(id) = &c.id {
                    let loc = self.loc(c.span.start);
                    self.bindings
                        .insert(id.name.as_str(), Binding::Opaque("is a class", loc));
                    names.push(id.name.as_str());
                }
            }
            Declaration::TSEnumDeclaration(e) if !e.declare => {
                self.bindings.insert(e.id.name.as_str(), Binding::Enum(e));
                names.push(e.id.name.as_str());
            }
            _ => {}
        }
    }

    /// `const x = require("m")`, `const { a, b: c } = require("m")`.
    fn required(
        &mut self,
        pattern: &'a BindingPattern<'a>,
        module: &'a str,
        loc: Loc,
        names: &mut Vec<&'a str>,
    ) {
        let target = (self.resolve)(module);
        match pattern {
            BindingPattern::BindingIdentifier(id) => {
                let name = ImportName::Namespace;
                self.bindings
                    .insert(id.name.as_str(), Binding::Import { target, name, loc });
                names.push(id.name.as_str());
            }
            BindingPattern::ObjectPattern(obj) if obj.rest.is_none() => {
                for prop in &obj.properties {
                    match (prop.key.static_name(), &prop.value) {
                        (
                            Some(std::borrow::Cow::Borrowed(key)),
                            BindingPattern::BindingIdentifier(id),
                        ) if !prop.computed => {
                            let name = if key == "default" {
                                ImportName::Default
                            } else {
                                ImportName::Named(key)
                            };
                            self.bindings
                                .insert(id.name.as_str(), Binding::Import { target, name, loc });
                            names.push(id.name.as_str());
                        }
                        _ => self.opaque(&prop.value, "is destructured from require()", loc, names),
                    }
                }
            }
            other => self.opaque(other, "is destructured from require()", loc, names),
        }
    }

    fn pattern(
        &mut self,
        pattern: &'a BindingPattern<'a>,
        init: &'a Expression<'a>,
        path: Vec<Step<'a>>,
        default: Option<&'a Expression<'a>>,
        loc: Loc,
        names: &mut Vec<&'a str>,
    ) {
        match pattern {
            BindingPattern::BindingIdentifier(id) => {
                let binding = if path.is_empty() && default.is_none() {
                    Binding::Init(init, loc)
                } else {
                    Binding::Destructured {
                        init,
                        path,
                        default,
                        loc,
                    }
                };
                self.bindings.insert(id.name.as_str(), binding);
                names.push(id.name.as_str());
            }
            BindingPattern::ObjectPattern(obj) => {
                for prop in &obj.properties {
                    let Some(key) = prop.key.static_name() else {
                        self.opaque(
                            &prop.value,
                            "is destructured with a computed key",
                            loc,
                            names,
                        );
                        continue;
                    };
                    let key: &'a str = match key {
                        std::borrow::Cow::Borrowed(k) => k,
                        std::borrow::Cow::Owned(_) => {
                            self.opaque(
                                &prop.value,
                                "is destructured with a computed key",
                                loc,
                                names,
                            );
                            continue;
                        }
                    };
                    let mut next = path.clone();
                    next.push(Step::Key(key));
                    let (target, dflt) = match &prop.value {
                        BindingPattern::AssignmentPattern(a) => (&a.left, Some(&a.right)),
                        other => (other, None),
                    };
                    self.pattern(target, init, next, dflt, loc, names);
                }
                if let Some(rest) = &obj.rest {
                    self.opaque(&rest.argument, "is a rest element", loc, names);
                }
            }
            BindingPattern::ArrayPattern(arr) => {
                for (i, el) in arr.elements.iter().enumerate() {
                    let Some(el) = el else { continue };
                    let mut next = path.clone();
                    next.push(Step::Index(i));
                    let (target, dflt) = match el {
                        BindingPattern::AssignmentPattern(a) => (&a.left, Some(&a.right)),
                        other => (other, None),
                    };
                    self.pattern(target, init, next, dflt, loc, names);
                }
                if let Some(rest) = &arr.rest {
                    self.opaque(&rest.argument, "is a rest element", loc, names);
                }
            }
            BindingPattern::AssignmentPattern(a) => {
                self.pattern(&a.left, init, path, Some(&a.right), loc, names)
            }
        }
    }

    fn opaque(
        &mut self,
        pattern: &'a BindingPattern<'a>,
        why: &'static str,
        loc: Loc,
        names: &mut Vec<&'a str>,
    ) {
        match pattern {
            BindingPattern::BindingIdentifier(id) => {
                self.bindings
                    .insert(id.name.as_str(), Binding::Opaque(why, loc));
                names.push(id.name.as_str());
            }
            BindingPattern::ObjectPattern(p) => {
                for prop in &p.properties {
                    self.opaque(&prop.value, why, loc, names);
                }
                if let Some(rest) = &p.rest {
                    self.opaque(&rest.argument, why, loc, names);
                }
            }
            BindingPattern::ArrayPattern(p) => {
                for el in p.elements.iter().flatten() {
                    self.opaque(el, why, loc, names);
                }
                if let Some(rest) = &p.rest {
                    self.opaque(&rest.argument, why, loc, names);
                }
            }
            BindingPattern::AssignmentPattern(p) => self.opaque(&p.left, why, loc, names),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        let m: Module<'_, crate::js::NoHost> = Module {
            line_starts: line_starts("a\nbc\n\nd"),
            ..Module::empty(PathBuf::new(), String::new(), None)
        };
        assert_eq!(m.line(0), 1);
        assert_eq!(m.line(1), 1);
        assert_eq!(m.line(2), 2);
        assert_eq!(m.line(5), 3);
        assert_eq!(m.line(6), 4);
    }
}
