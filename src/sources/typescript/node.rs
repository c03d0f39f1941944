//! `--ts-engine node`: for schemas the static reader cannot follow, the project's own
//! drizzle-kit (`generateDrizzleJson`, `api-postgres` in 1.0) runs under Node on the
//! project's own files, and its snapshot is read like any other.

use super::{files, TsSchema};
use crate::config::{Casing, Config};
use crate::diagnostic::{Diagnostic, Incomplete, Source};
use crate::model::{Dialect, Schema};
use crate::sources::history;
use std::process::Command;

const SCRIPT: &str = concat!(
    include_str!("node_kit.cjs"),
    include_str!("node_engine.cjs")
);

/// The schema as the project's drizzle-kit sees it, with drizzle-kit's version; `None`
/// for the version means it failed (no Node, no drizzle-kit, a schema file that throws),
/// said in one error diagnostic, and the schema must not be compared.
pub fn load(config: &Config) -> (TsSchema, Option<String>) {
    let mut diagnostics = Vec::new();
    let schema_files = files::schema_files(&config.root, &config.schema, &mut diagnostics);
    let failed = |diagnostics: Vec<Diagnostic>| {
        let reason = diagnostics
            .last()
            .map_or("the node engine failed".to_string(), |d| d.to_string());
        (
            TsSchema {
                schema: Schema::new(config.dialect),
                files: schema_files.clone(),
                diagnostics,
                incomplete: vec![Incomplete::new(Source::Ts, reason)],
            },
            None,
        )
    };
    let script = std::env::temp_dir().join(format!(
        "drizzle-drift-node-engine-{}.cjs",
        std::process::id()
    ));
    if let Err(e) = std::fs::write(&script, SCRIPT) {
        diagnostics.push(Diagnostic::error(
            "--ts-engine node",
            format!("cannot write its helper script: {e}"),
        ));
        return failed(diagnostics);
    }
    let casing = match config.casing {
        Some(Casing::SnakeCase) => "snake_case",
        Some(Casing::CamelCase) => "camelCase",
        None => "-",
    };
    let dialect = match config.dialect {
        Dialect::Postgresql => "postgresql",
        Dialect::Mysql => "mysql",
    };
    let output = Command::new("node")
        .arg(&script)
        .arg(&config.root)
        .arg(dialect)
        .arg(casing)
        .args(&schema_files)
        .current_dir(&config.root)
        .output();
    let _ = std::fs::remove_file(&script);
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                "--ts-engine node",
                format!("cannot run node: {e}"),
            ));
            return failed(diagnostics);
        }
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("node failed");
        diagnostics.push(Diagnostic::error("--ts-engine node", first.to_string()));
        return failed(diagnostics);
    }
    let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&output.stdout);
    let Ok(mut value) = parsed else {
        diagnostics.push(Diagnostic::error(
            "--ts-engine node",
            "drizzle-kit printed no snapshot",
        ));
        return failed(diagnostics);
    };
    let version = value["kit"].as_str().map(str::to_string);
    let snapshot = value["snapshot"].take().to_string();
    match history::parse_snapshot(&snapshot, "generateDrizzleJson") {
        Ok(schema) => (
            TsSchema {
                schema,
                files: schema_files,
                diagnostics,
                incomplete: Vec::new(),
            },
            version,
        ),
        Err(d) => {
            diagnostics.push(d);
            failed(diagnostics)
        }
    }
}
