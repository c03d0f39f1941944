//! The TypeScript schema, read statically: the files the config's `schema` names are
//! parsed with oxc, the relative imports between them followed, and their exports
//! evaluated by a small interpreter that knows drizzle-orm's pg-core and mysql-core
//! builders. The result is the model drizzle-kit 0.31 would write into a snapshot for the
//! same files (its spellings, auto-generated names and quirks included), with the
//! `file:line` of every object.
//!
//! Like drizzle-kit, only exported objects count (re-exports included). What cannot be
//! known without running the code (a value from another package, a loop in a helper)
//! becomes a [`Diagnostic`]; an unknown column attribute is also listed in
//! [`Column::unknown`](crate::model::Column::unknown) so the diff does not report it.

mod build;
mod build_mysql;
mod casing;
mod eval;
mod files;
mod methods;
mod mysql;
mod mysql_v1;
pub mod node;
mod packages;
mod pg;
mod ramda;
mod snapshot_values;
mod sql;
mod value;
mod zod;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Incomplete};
use crate::model::{Dialect, Schema};
use oxc_allocator::Allocator;
use std::path::{Path, PathBuf};

/// The schema the TypeScript files declare.
#[derive(Debug, Clone)]
pub struct TsSchema {
    pub schema: Schema,
    /// Every file read: the schema files and the files they import.
    pub files: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
    /// What could not be read: the comparisons resting on it are not made.
    pub incomplete: Vec<Incomplete>,
}

/// The parser and evaluator recurse; this stack holds the deepest nesting a schema file is
/// allowed (reserved address space, not memory in use).
const STACK_BYTES: usize = 256 * 1024 * 1024;

/// Whose snapshot the reader spells: drizzle-kit 0.x (journal histories) or 1.0 (folder
/// histories: its default constraint names, `nameExplicit`, no config `casing`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Kit {
    #[default]
    V0,
    V1,
}

/// Reads the schema `config.schema` names (files, folders, globs, resolved against
/// `config.root`) as drizzle-kit 0.x sees it. Never fails: problems are diagnostics.
pub fn load(config: &Config) -> TsSchema {
    load_as(config, Kit::V0)
}

/// [`load`] as the drizzle-kit generation `kit` sees the schema.
pub fn load_as(config: &Config, kit: Kit) -> TsSchema {
    let run = || {
        load_here(
            &config.root,
            &config.schema,
            config.dialect,
            // drizzle-kit 1.0 leaves the config's `casing` to drizzle-orm's table builders.
            config.casing.filter(|_| kit == Kit::V0),
            &config.env,
            kit,
        )
    };
    std::thread::scope(|scope| {
        for stack in [STACK_BYTES, STACK_BYTES / 16] {
            let spawned = std::thread::Builder::new()
                .name("ts-schema-reader".to_string())
                .stack_size(stack)
                .spawn_scoped(scope, run);
            if let Ok(handle) = spawned {
                return handle.join().unwrap_or_else(|_| TsSchema {
                    schema: Schema::new(config.dialect),
                    files: Vec::new(),
                    diagnostics: vec![Diagnostic::error(
                        "schema",
                        "the TypeScript schema reader failed",
                    )],
                    incomplete: vec![Incomplete::new(
                        crate::diagnostic::Source::Ts,
                        "the TypeScript schema reader failed",
                    )],
                });
            }
        }
        run()
    })
}

fn load_here(
    root: &Path,
    entries: &[String],
    dialect: Dialect,
    casing: Option<crate::config::Casing>,
    env: &crate::config::Env,
    kit: Kit,
) -> TsSchema {
    let mut diagnostics = Vec::new();
    if entries.is_empty() {
        diagnostics.push(Diagnostic::error(
            "schema",
            "the config names no schema files (`schema` is missing or empty)",
        ));
    }
    sql::spell_orm_v1(kit == Kit::V1);
    let schema_files = files::schema_files(root, entries, &mut diagnostics);
    let allocator = Allocator::default();
    let modules = crate::js::Modules::load(
        &allocator,
        root,
        &schema_files,
        &eval::PACKAGES,
        &mut diagnostics,
    );
    let vars = |name: &str| env.get(name).map(|(v, _)| v.to_string());
    let mut ev = eval::Evaluator::new(&modules, eval::Drizzle { casing }, Some(&vars));
    let mut builder = build::Builder {
        ev: &mut ev,
        modules: &modules,
        casing,
        mysql: dialect == Dialect::Mysql,
        v1: kit == Kit::V1,
        diagnostics: Vec::new(),
        incomplete: Vec::new(),
        reported: Default::default(),
        touched: Default::default(),
    };
    let schema = builder.build(schema_files.len());
    diagnostics.extend(builder.diagnostics);
    let incomplete = builder.incomplete;
    TsSchema {
        schema,
        files: modules
            .list
            .iter()
            .filter(|m| !m.is_package)
            .map(|m| m.path.clone())
            .collect(),
        diagnostics,
        incomplete,
    }
}
