//! Rules over pending migration SQL: squawk's PostgreSQL rules, plus the rules only a
//! Drizzle-aware tool can know (the migrator's one transaction, drizzle-kit's
//! "created or renamed?" answer, the migration's own snapshot, the live table sizes).
//! Pure: migration texts, snapshots and catalog in, findings out.

pub mod rewrite;
pub mod settings;
pub mod squawk;
pub mod statement;

use crate::diff::objects::{flatten, ObjectKey};
use crate::diff::partial::{head_tokens, Tok};
use crate::model::{Dialect, Origin, Schema};
use crate::report::{Category, Finding, ObjectKind, Severity};
use crate::sources::catalog::Catalog;
use crate::sources::history::{statements, Statement};
pub use settings::Settings;
use statement::{classify, quote, Action, TableRef};
use std::collections::BTreeSet;

/// The Drizzle-aware rules: name, and what they catch.
pub const RULES: &[(&str, &str)] = &[
    ("drizzle-not-in-transaction", "a statement PostgreSQL refuses inside a transaction (CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, ALTER SYSTEM, CREATE DATABASE…): the migrator runs all pending migrations in one"),
    ("drizzle-enum-value-in-same-batch", "an enum value added by ALTER TYPE … ADD VALUE and used by a later statement of the same pending batch (\"unsafe use of new value\")"),
    ("drizzle-drop-add-column", "DROP COLUMN and ADD COLUMN of the same type on one table in one migration: a rename answered as \"create\" that loses the column's data"),
    ("drizzle-set-not-null", "SET NOT NULL on an existing table: a full scan under an ACCESS EXCLUSIVE lock"),
    ("drizzle-table-rewrite", "a column type change that rewrites an existing table under an ACCESS EXCLUSIVE lock"),
    ("drizzle-constraint-not-valid", "a foreign key or check added to an existing table without NOT VALID: validated under lock"),
    ("drizzle-unique-without-index", "a unique constraint added to an existing table without a concurrently built index"),
    ("drizzle-snapshot-mismatch", "the migration's SQL creates or drops a table, column or index that its snapshot does not, or the other way round (a hand-written or hand-edited migration)"),
];

/// A rule name of either set.
pub fn is_rule(name: &str) -> bool {
    RULES.iter().any(|(n, _)| *n == name) || squawk::is_rule(name)
}

/// One migration of the batch to lint, in the order the migrator runs them.
pub struct Migration {
    pub tag: String,
    /// The SQL file relative to the project folder, for `location`.
    pub file: String,
    pub sql: String,
    /// The snapshot before it and its own (normalized), when both could be read.
    pub before: Option<Schema>,
    pub after: Option<Schema>,
}

struct Stmt<'a> {
    migration: usize,
    statement: &'a Statement,
    action: Action,
    ignored: Option<BTreeSet<String>>,
}

struct Lint<'a> {
    dialect: Dialect,
    batch: &'a [Migration],
    catalog: Option<&'a Catalog>,
    settings: &'a Settings,
    findings: Vec<Finding>,
}

impl Lint<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        s: &Stmt,
        rule: &str,
        severity: Severity,
        table: Option<&TableRef>,
        message: String,
        fix: String,
    ) {
        if ignores(&s.ignored, rule) {
            return;
        }
        self.push_at(
            s.migration,
            Some(s.statement.line),
            rule,
            severity,
            table,
            message,
            fix,
        );
    }

    /// A finding about migration `migration` as a whole (`line: None`) or one statement.
    #[allow(clippy::too_many_arguments)]
    fn push_at(
        &mut self,
        migration: usize,
        line: Option<u32>,
        rule: &str,
        severity: Severity,
        table: Option<&TableRef>,
        message: String,
        fix: String,
    ) {
        if self.settings.disabled.contains(rule) {
            return;
        }
        let severity = self
            .settings
            .severity
            .get(rule)
            .copied()
            .unwrap_or(severity);
        let m = &self.batch[migration];
        let schema = match self.dialect {
            Dialect::Postgresql => Some(
                table
                    .and_then(|t| t.schema.clone())
                    .unwrap_or_else(|| "public".into()),
            ),
            Dialect::Mysql => None,
        };
        self.findings.push(Finding {
            category: Category::Lint,
            severity,
            object: ObjectKind::Migration,
            schema,
            table: table.map(|t| t.name.clone()),
            name: m.tag.clone(),
            field: None,
            ts: serde_json::Value::Null,
            snapshot: serde_json::Value::Null,
            live: serde_json::Value::Null,
            message: format!("{}: {message}", m.tag),
            fix: Some(fix),
            location: Some(Origin {
                file: m.file.clone(),
                line,
            }),
            rule: Some(rule.to_string()),
        });
    }

    /// The table's estimated row count, when a catalog is loaded and knows it.
    fn rows(&self, t: &TableRef) -> Option<i64> {
        self.catalog
            .and_then(|c| c.stats(t.schema.as_deref().unwrap_or_default(), &t.name))
            .and_then(|s| s.rows)
    }

    /// ` (users: ~1.2M rows, 12 GB)` from the catalog, when one is loaded.
    fn size(&self, t: &TableRef) -> String {
        let Some(stats) = self
            .catalog
            .and_then(|c| c.stats(t.schema.as_deref().unwrap_or_default(), &t.name))
        else {
            return String::new();
        };
        let rows = match stats.rows {
            Some(n) => format!("~{} rows, ", count(n)),
            None => String::new(),
        };
        format!(" ({}: {rows}{})", t.name, bytes(stats.bytes))
    }
}

fn ignores(ignored: &Option<BTreeSet<String>>, rule: &str) -> bool {
    ignored
        .as_ref()
        .is_some_and(|set| set.is_empty() || set.contains(rule))
}

fn count(n: i64) -> String {
    let f = n as f64;
    if n >= 1_000_000 {
        format!("{:.1}M", f / 1e6)
    } else if n >= 10_000 {
        format!("{:.0}k", f / 1e3)
    } else {
        n.to_string()
    }
}

fn bytes(n: i64) -> String {
    let f = n as f64;
    if n >= 1 << 30 {
        format!("{:.1} GB", f / f64::from(1u32 << 30))
    } else if n >= 1 << 20 {
        format!("{:.1} MB", f / f64::from(1u32 << 20))
    } else {
        format!("{} kB", (n + 1023) / 1024)
    }
}

/// Lint `batch` (the pending migrations, run in this order as one batch).
pub fn lint(
    dialect: Dialect,
    batch: &[Migration],
    catalog: Option<&Catalog>,
    settings: &Settings,
) -> Vec<Finding> {
    let parsed: Vec<Vec<Statement>> = batch.iter().map(|m| statements(&m.sql)).collect();
    let stmts: Vec<Stmt> = parsed
        .iter()
        .enumerate()
        .flat_map(|(i, list)| {
            list.iter().map(move |st| Stmt {
                migration: i,
                statement: st,
                action: classify(&st.sql),
                ignored: settings::ignored_in(&st.sql),
            })
        })
        .collect();
    let mut lint = Lint {
        dialect,
        batch,
        catalog,
        settings,
        findings: Vec::new(),
    };
    let pg = dialect == Dialect::Postgresql;
    let mut created: Vec<TableRef> = Vec::new();
    let mut enum_values: Vec<(String, String, usize)> = Vec::new();
    for s in &stmts {
        let new_table = |t: &TableRef| created.iter().any(|c| same_table(c, t));
        if pg {
            used_enum_value(&mut lint, s, &enum_values);
            pg_rules(&mut lint, s, &new_table);
        }
        match &s.action {
            Action::CreateTable(t) => created.push(t.clone()),
            Action::RenameTable { from, to } if new_table(from) => created.push(TableRef {
                schema: from.schema.clone(),
                name: to.clone(),
            }),
            Action::AddEnumValue { enum_name, value } => {
                enum_values.push((enum_name.clone(), value.clone(), s.migration))
            }
            _ => {}
        }
    }
    for (i, m) in batch.iter().enumerate() {
        let own: Vec<&Stmt> = stmts.iter().filter(|s| s.migration == i).collect();
        if let (Some(before), Some(after)) = (&m.before, &m.after) {
            drop_add(&mut lint, &own, before, after);
            snapshot_mismatch(&mut lint, &own, before, after);
        }
    }
    if pg {
        squawk_rules(&mut lint, &stmts, &parsed);
    }
    lint.findings
}

fn same_table(a: &TableRef, b: &TableRef) -> bool {
    a.is(b.schema.as_deref().unwrap_or("public"), &b.name)
}

/// The `(table, column)` pairs of enum `enum_name` in the batch's snapshots.
fn enum_columns(batch: &[Migration], enum_name: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for schema in batch.iter().flat_map(|m| [&m.before, &m.after]).flatten() {
        for (key, table) in &schema.tables {
            for c in &table.columns {
                let ty = c.sql_type.trim_end_matches("[]").replace('"', "");
                let bare = ty.rsplit('.').next().unwrap_or(&ty);
                if bare == enum_name {
                    out.insert((key.name.clone(), c.name.clone()));
                }
            }
        }
    }
    out
}

/// A later statement that really uses a value the batch adds: the literal, and either the
/// enum type named in it (a cast, a column definition with its DEFAULT) or a column of that
/// enum (a comparison, an INSERT, an UPDATE). The same text in an unrelated string is no use.
fn used_enum_value(lint: &mut Lint, s: &Stmt, added: &[(String, String, usize)]) {
    if matches!(s.action, Action::AddEnumValue { .. }) {
        return;
    }
    let sql = &s.statement.sql;
    let literals = statement::string_literals(sql);
    // Unquoted names fold to lower case, as PostgreSQL reads them.
    let names: BTreeSet<String> = head_tokens(sql, 4096)
        .into_iter()
        .filter_map(|t| match t {
            Tok::Word(lower, _) => Some(lower),
            Tok::Quoted(name) => Some(name),
            Tok::Literal(_) | Tok::Punct(_) => None,
        })
        .collect();
    for (enum_name, value, at) in added {
        if !literals.iter().any(|l| l == value) {
            continue;
        }
        let typed = names.contains(enum_name);
        let column = enum_columns(lint.batch, enum_name)
            .into_iter()
            .find(|(t, c)| names.contains(t) && names.contains(c));
        if !typed && column.is_none() {
            continue;
        }
        let literal = format!("'{}'", value.replace('\'', "''"));
        let via = match &column {
            Some((t, c)) if !typed => format!(" with column {t}.{c} of that type"),
            _ => String::new(),
        };
        let added_by = &lint.batch[*at].tag;
        lint.push(
            s,
            "drizzle-enum-value-in-same-batch",
            Severity::Error,
            None,
            format!(
                "uses {literal}{via}, which {added_by} adds to enum {enum_name} in the same pending batch: the migrator runs the batch in one transaction and PostgreSQL refuses a new enum value before it commits (\"unsafe use of new value\")"
            ),
            format!(
                "apply {added_by} on its own first (run the migrator, then add this migration), or move this statement to a later deploy"
            ),
        );
        return;
    }
}

fn pg_rules(lint: &mut Lint, s: &Stmt, new_table: &dyn Fn(&TableRef) -> bool) {
    match &s.action {
        Action::NoTransaction(what) => lint.push(
            s,
            "drizzle-not-in-transaction",
            Severity::Error,
            None,
            format!(
                "{what} cannot run inside a transaction block, and drizzle-orm's migrator runs all pending migrations in one: the migration fails"
            ),
            format!(
                "run the {what} statement outside the migrator (psql, a deploy step) before migrating, and keep in the migration only what can run in a transaction (e.g. `CREATE INDEX IF NOT EXISTS …` without CONCURRENTLY)"
            ),
        ),
        Action::SetNotNull { table, column } if !new_table(table) => {
            let (t, c) = (table.sql(), quote(column));
            let check = quote(&format!("{}_{column}_not_null", table.name));
            lint.push(
                s,
                "drizzle-set-not-null",
                Severity::Warning,
                Some(table),
                format!(
                    "SET NOT NULL on {}.{column} scans the whole table under an ACCESS EXCLUSIVE lock{}: reads and writes wait",
                    table.name,
                    lint.size(table)
                ),
                format!(
                    "ALTER TABLE {t} ADD CONSTRAINT {check} CHECK ({c} IS NOT NULL) NOT VALID;\nALTER TABLE {t} VALIDATE CONSTRAINT {check};\nALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL; -- uses the validated check, no scan\nALTER TABLE {t} DROP CONSTRAINT {check};"
                ),
            );
        }
        Action::SetType { table, column, to } if !new_table(table) => {
            let from = lint.batch[s.migration]
                .before
                .as_ref()
                .and_then(|b| find_column(b, table, column))
                .map(|c| c.sql_type.clone());
            let using = head_tokens(&s.statement.sql, 4096)
                .iter()
                .any(|t| t.is("using"));
            // A binary-coercible, widening change only updates the catalog: its brief
            // ACCESS EXCLUSIVE lock is the one every ALTER TABLE takes, which no rule flags.
            if let Some(from) = &from {
                if !using && !rewrite::rewrites(from, to) {
                    return;
                }
            }
            let what = match &from {
                Some(from) => format!("from {from} to {to}"),
                None => format!("to {to}"),
            };
            let (t, c) = (table.sql(), quote(column));
            lint.push(
                s,
                "drizzle-table-rewrite",
                Severity::Warning,
                Some(table),
                format!(
                    "changing {}.{column} {what} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock{}",
                    table.name,
                    lint.size(table)
                ),
                format!(
                    "add a new column, backfill it in batches and switch reads to it:\nALTER TABLE {t} ADD COLUMN {new} {to};\nUPDATE {t} SET {new} = {c} WHERE … ; -- in batches\nthen drop {c} and rename {new} in a later migration",
                    new = quote(&format!("{column}_new")),
                ),
            );
        }
        Action::AddValidatedConstraint { table, name, kind } if !new_table(table) => {
            let t = table.sql();
            let sql = s.statement.sql.trim_end().trim_end_matches(';');
            lint.push(
                s,
                "drizzle-constraint-not-valid",
                Severity::Warning,
                Some(table),
                format!(
                    "adding {kind} {name} checks every row of {} while holding a lock that blocks writes{}",
                    table.name,
                    lint.size(table)
                ),
                format!(
                    "{sql} NOT VALID;\nALTER TABLE {t} VALIDATE CONSTRAINT {}; -- checks rows without blocking writes",
                    quote(name)
                ),
            );
        }
        Action::AddUnique {
            table,
            name,
            columns,
        } if !new_table(table) => {
            let (t, n) = (table.sql(), quote(name));
            lint.push(
                s,
                "drizzle-unique-without-index",
                Severity::Warning,
                Some(table),
                format!(
                    "adding unique constraint {name} builds its index under an ACCESS EXCLUSIVE lock on {}{}",
                    table.name,
                    lint.size(table)
                ),
                format!(
                    "build the index first, outside the migrator's transaction:\nCREATE UNIQUE INDEX CONCURRENTLY {n} ON {t} ({columns});\nthen in the migration:\nALTER TABLE {t} ADD CONSTRAINT {n} UNIQUE USING INDEX {n};"
                ),
            );
        }
        _ => {}
    }
}

fn find_column<'a>(
    schema: &'a Schema,
    table: &TableRef,
    column: &str,
) -> Option<&'a crate::model::Column> {
    schema
        .tables
        .iter()
        .find(|(k, _)| table.is(&k.schema, &k.name))
        .and_then(|(_, t)| t.columns.iter().find(|c| c.name == column))
}

/// A column dropped and another of the same type added on one table: drizzle-kit asked
/// "created or renamed?" and was told "created".
fn drop_add(lint: &mut Lint, own: &[&Stmt], before: &Schema, after: &Schema) {
    for s in own {
        let Action::DropColumn { table, column } = &s.action else {
            continue;
        };
        let Some(old) = find_column(before, table, column) else {
            continue;
        };
        let added = own.iter().find_map(|a| match &a.action {
            Action::AddColumn {
                table: t,
                column: c,
            } if same_table(t, table) => {
                find_column(after, t, c).filter(|new| new.sql_type == old.sql_type)
            }
            _ => None,
        });
        let Some(new) = added else {
            continue;
        };
        let q = |n: &str| match lint.dialect {
            Dialect::Mysql => format!("`{}`", n.replace('`', "``")),
            Dialect::Postgresql => quote(n),
        };
        let t = match &table.schema {
            Some(schema) => format!("{}.{}", q(schema), q(&table.name)),
            None => q(&table.name),
        };
        let (from, to) = (q(column), q(&new.name));
        let size = lint.size(table);
        lint.push(
            s,
            "drizzle-drop-add-column",
            Severity::Error,
            Some(table),
            format!(
                "drops {}.{column} and adds {} of the same type ({}) in one migration: likely a rename answered as \"create\" at drizzle-kit's prompt, which loses every value of {column}{size}",
                table.name, new.name, old.sql_type
            ),
            format!(
                "replace the ADD COLUMN and DROP COLUMN with\nALTER TABLE {t} RENAME COLUMN {from} TO {to};\n(or run drizzle-kit generate again and answer \"rename\")"
            ),
        );
    }
}

/// Tables, columns and indexes, schema left out: statements name `public` tables bare.
fn shape(s: &Schema) -> BTreeSet<(String, ObjectKind, String)> {
    flatten(s)
        .into_keys()
        .filter_map(|k: ObjectKey| {
            let kind = match k.kind {
                ObjectKind::Table | ObjectKind::Column | ObjectKind::Index => k.kind,
                ObjectKind::Unique => ObjectKind::Index,
                _ => return None,
            };
            Some((k.table.unwrap_or_default(), kind, k.name))
        })
        .collect()
}

fn snapshot_mismatch(lint: &mut Lint, own: &[&Stmt], before: &Schema, after: &Schema) {
    let (was, now) = (shape(before), shape(after));
    if let Some(first) = own.first() {
        snapshot_without_sql(lint, first.migration, own, &was, &now);
    }
    for s in own {
        let (table, kind, name, creates) = match &s.action {
            Action::CreateTable(t) => (t, ObjectKind::Table, t.name.clone(), true),
            Action::DropTable(t) => (t, ObjectKind::Table, t.name.clone(), false),
            Action::AddColumn { table, column } => {
                (table, ObjectKind::Column, column.clone(), true)
            }
            Action::DropColumn { table, column } => {
                (table, ObjectKind::Column, column.clone(), false)
            }
            Action::CreateIndex { table, name } => (table, ObjectKind::Index, name.clone(), true),
            _ => continue,
        };
        let key = (table.name.clone(), kind, name.clone());
        let agrees = if creates {
            now.contains(&key) || was.contains(&key)
        } else {
            !now.contains(&key)
        };
        if agrees {
            continue;
        }
        let what = format!("{} {name}", kind.noun());
        let (did, snapshot) = if creates {
            ("creates", "does not have it")
        } else {
            ("drops", "still has it")
        };
        lint.push(
            s,
            "drizzle-snapshot-mismatch",
            Severity::Warning,
            Some(table),
            format!(
                "{did} {what} but the migration's snapshot {snapshot} (hand-written or hand-edited SQL): the next drizzle-kit generate works from the snapshot and will not know"
            ),
            "declare the change in the TypeScript schema and let drizzle-kit generate write it; for SQL drizzle-kit cannot express, keep it in a `generate --custom` migration that touches only objects the schema does not declare".into(),
        );
    }
}

/// squawk over the batch as one text (so a table created by an earlier pending migration
/// counts as new), each violation mapped back to its migration and statement.
fn squawk_rules(lint: &mut Lint, stmts: &[Stmt], parsed: &[Vec<Statement>]) {
    let mut text = String::new();
    let mut starts = Vec::new();
    for m in lint.batch {
        starts.push(text.len());
        text.push_str(&m.sql);
        // A last statement without its semicolon must not run into the next file.
        if !m.sql.trim_end().ends_with(';') {
            text.push(';');
        }
        text.push('\n');
    }
    let settings = lint.settings;
    for v in squawk::lint(&text, &settings.disabled, &settings.enabled) {
        let migration = starts.iter().rposition(|&s| s <= v.offset).unwrap_or(0);
        let local = v.offset - starts[migration];
        let sql = &lint.batch[migration].sql;
        let line = sql
            .get(..local.min(sql.len()))
            .map_or(1, |p| p.matches('\n').count() as u32 + 1);
        let Some(index) = parsed[migration].iter().rposition(|st| st.line <= line) else {
            continue;
        };
        let target = &parsed[migration][index];
        let Some(s) = stmts
            .iter()
            .find(|s| s.migration == migration && std::ptr::eq(s.statement, target))
        else {
            continue;
        };
        let mut fix = v.help.unwrap_or_default();
        if v.rule == "require-concurrent-index-creation" {
            fix.push_str("\nthe migrator runs in a transaction, where CONCURRENTLY fails: build the index with CREATE INDEX CONCURRENTLY outside it (psql, a deploy step) and write `CREATE INDEX IF NOT EXISTS …` in the migration");
        }
        let table = match &s.action {
            Action::CreateIndex { table, .. }
            | Action::AddColumn { table, .. }
            | Action::DropColumn { table, .. }
            | Action::SetNotNull { table, .. }
            | Action::SetType { table, .. } => Some(table.clone()),
            Action::CreateTable(t) | Action::DropTable(t) => Some(t.clone()),
            _ => None,
        };
        let mut severity = Severity::Warning;
        let mut message = v.message;
        if let (true, Action::AddColumn { table, column }) =
            (v.rule == "adding-required-field", &s.action)
        {
            if lint.rows(table).is_some_and(|n| n > 0) {
                severity = Severity::Error;
                message = format!(
                    "ADD COLUMN {column} NOT NULL without a default fails on a table that has \
                     rows: PostgreSQL stops with `column \"{column}\" of relation \"{}\" \
                     contains null values` and the migrator rolls back the whole pending batch.",
                    table.name
                );
                fix = format!(
                    "give {column} a default in the schema (`.default(…)`) and generate again, \
                     or add it nullable, backfill it, and make it NOT NULL in a later migration"
                );
            }
        }
        if let Some(t) = &table {
            message.push_str(&lint.size(t));
        }
        lint.push(
            s,
            &v.rule,
            severity,
            table.as_ref(),
            message,
            fix.trim().to_string(),
        );
    }
}

/// The other direction: a table or column the snapshot adds or removes that no statement
/// creates, drops or renames (a statement deleted from a generated migration).
fn snapshot_without_sql(
    lint: &mut Lint,
    migration: usize,
    own: &[&Stmt],
    was: &BTreeSet<(String, ObjectKind, String)>,
    now: &BTreeSet<(String, ObjectKind, String)>,
) {
    let creates_table = |name: &str| {
        own.iter().any(|s| match &s.action {
            Action::CreateTable(t) => t.name == name,
            Action::RenameTable { to, .. } => to == name,
            _ => false,
        })
    };
    let drops_table = |name: &str| {
        own.iter().any(|s| match &s.action {
            Action::DropTable(t) | Action::RenameTable { from: t, .. } => t.name == name,
            _ => false,
        })
    };
    let adds_column = |table: &str, name: &str| {
        creates_table(table)
            || own.iter().any(|s| match &s.action {
                Action::AddColumn { table: t, column } => t.name == table && column == name,
                Action::RenameColumn { table: t, to, .. } => t.name == table && to == name,
                _ => false,
            })
    };
    let drops_column = |table: &str, name: &str| {
        drops_table(table)
            || own.iter().any(|s| match &s.action {
                Action::DropColumn { table: t, column } => t.name == table && column == name,
                Action::RenameColumn { table: t, from, .. } => t.name == table && from == name,
                _ => false,
            })
    };
    let mut missing = Vec::new();
    for (table, kind, name) in now.difference(was) {
        let done = match kind {
            ObjectKind::Table => creates_table(name),
            ObjectKind::Column => adds_column(table, name),
            _ => true,
        };
        if !done {
            missing.push(("adds", table, *kind, name));
        }
    }
    for (table, kind, name) in was.difference(now) {
        let done = match kind {
            ObjectKind::Table => drops_table(name),
            ObjectKind::Column => drops_column(table, name),
            _ => true,
        };
        if !done {
            missing.push(("removes", table, *kind, name));
        }
    }
    for (verb, table, kind, name) in missing {
        // A column of a table the snapshot adds or removes whole is reported with it.
        if kind == ObjectKind::Column
            && (now.contains(&(table.clone(), ObjectKind::Table, table.clone()))
                != was.contains(&(table.clone(), ObjectKind::Table, table.clone())))
        {
            continue;
        }
        let what = match kind {
            ObjectKind::Column => format!("column {table}.{name}"),
            _ => format!("{} {name}", kind.noun()),
        };
        let t = TableRef {
            schema: None,
            name: table.clone(),
        };
        lint.push_at(
            migration,
            None,
            "drizzle-snapshot-mismatch",
            Severity::Warning,
            Some(&t),
            format!(
                "its snapshot {verb} {what} but no statement of its SQL does (a statement removed by hand?): the database and the next drizzle-kit generate will disagree"
            ),
            "restore the statement (regenerate the migration from the previous snapshot) or, if the change must not happen, remove it from the TypeScript schema and generate again".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, QualifiedName, Table};

    fn migration(tag: &str, sql: &str, before: Option<Schema>) -> Migration {
        Migration {
            tag: tag.into(),
            file: format!("drizzle/{tag}.sql"),
            sql: sql.into(),
            before: before.clone(),
            after: before,
        }
    }

    fn schema(table: &str, column: &str, sql_type: &str) -> Schema {
        let mut s = Schema::new(Dialect::Postgresql);
        let name = QualifiedName {
            schema: "public".into(),
            name: table.into(),
        };
        let mut t = Table::new(name.clone());
        t.columns.push(Column::new(column, sql_type));
        s.tables.insert(name, t);
        s
    }

    fn rules(batch: &[Migration]) -> Vec<(String, Option<u32>)> {
        lint(Dialect::Postgresql, batch, None, &Settings::default())
            .into_iter()
            .filter(|f| f.rule.as_deref() != Some("drizzle-snapshot-mismatch"))
            .map(|f| (f.rule.unwrap_or_default(), f.location.and_then(|o| o.line)))
            .collect()
    }

    const ADD: &str = "ALTER TYPE \"public\".\"post_state\" ADD VALUE 'archived';";

    #[test]
    fn an_enum_value_in_an_unrelated_string_is_no_use() {
        let posts = schema("posts", "state", "public.post_state");
        let later = migration(
            "0002_b",
            "INSERT INTO \"audit_log\" (\"note\") VALUES ('archived');\n--> statement-breakpoint\n-- 'archived' in a comment\nUPDATE \"posts\" SET \"title\" = 'archived' WHERE \"id\" = 1;",
            Some(posts.clone()),
        );
        let found = rules(&[migration("0001_a", ADD, Some(posts)), later]);
        assert!(
            !found
                .iter()
                .any(|(r, _)| r == "drizzle-enum-value-in-same-batch"),
            "{found:?}"
        );
    }

    #[test]
    fn real_uses_of_a_new_enum_value() {
        let posts = schema("posts", "state", "public.post_state");
        for (sql, line) in [
            (
                "UPDATE \"posts\" SET \"state\" = 'archived' WHERE \"id\" = 1;",
                1,
            ),
            (
                "SELECT 1;\n--> statement-breakpoint\nSELECT 'archived'::\"post_state\";",
                3,
            ),
            (
                "ALTER TABLE \"t\" ADD COLUMN \"s\" \"post_state\" DEFAULT 'archived';",
                1,
            ),
            ("INSERT INTO Posts (STATE) VALUES (E'archived');", 1),
        ] {
            let later = migration("0002_b", sql, Some(posts.clone()));
            let found = rules(&[migration("0001_a", ADD, Some(posts.clone())), later]);
            assert!(
                found.contains(&("drizzle-enum-value-in-same-batch".into(), Some(line))),
                "{sql}: {found:?}"
            );
        }
    }

    #[test]
    fn a_widening_type_change_is_no_rewrite() {
        let sql = "ALTER TABLE \"users\" ALTER COLUMN \"name\" SET DATA TYPE varchar(100);";
        for (from, rewrite) in [
            ("varchar(50)", false),
            ("varchar(200)", true),
            ("text", true),
        ] {
            let found = rules(&[migration(
                "0001_a",
                sql,
                Some(schema("users", "name", from)),
            )]);
            assert_eq!(
                found.iter().any(|(r, _)| r == "drizzle-table-rewrite"),
                rewrite,
                "{from}: {found:?}"
            );
        }
        // Without the previous snapshot the old type is unknown: still a warning.
        let found = rules(&[migration("0001_a", sql, None)]);
        assert!(found.iter().any(|(r, _)| r == "drizzle-table-rewrite"));
    }
}
