//! Rules over pending migration SQL: squawk's PostgreSQL rules, plus the rules only a
//! Drizzle-aware tool can know (the migrator's one transaction, drizzle-kit's
//! "created or renamed?" answer, the migration's own snapshot, the live table sizes).
//! Pure: migration texts, snapshots and catalog in, findings out.

pub mod cast;
pub mod rewrite;
pub mod settings;
pub mod squawk;
pub mod statement;

use crate::model::{Column, Dialect, Origin, Schema};
use crate::report::{Category, Finding, ObjectKind, Severity};
use crate::sources::catalog::Catalog;
use crate::sources::history::{statements, Statement};
use crate::sql::split;
use crate::sql::tokens::{tokens, Tok, Tokens};
pub use settings::Settings;
use statement::{classify, quote, Action, TableRef};
use std::collections::{BTreeMap, BTreeSet};

/// The Drizzle-aware rules: name, and what they catch.
pub const RULES: &[(&str, &str)] = &[
    ("drizzle-not-in-transaction", "a statement PostgreSQL refuses inside a transaction (CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, ALTER SYSTEM, CREATE DATABASE…): the migrator runs all pending migrations in one"),
    ("drizzle-enum-value-in-same-batch", "an enum value added by ALTER TYPE … ADD VALUE and used by a later statement of the same pending batch (\"unsafe use of new value\")"),
    ("drizzle-drop-add-column", "DROP COLUMN and ADD COLUMN of the same type on one table in one migration: a rename answered as \"create\" that loses the column's data"),
    ("drizzle-set-not-null", "SET NOT NULL on an existing table: a full scan under an ACCESS EXCLUSIVE lock"),
    ("drizzle-cast-needs-using", "a column type change PostgreSQL has no automatic cast for (text to integer, boolean to integer…) written without USING, as drizzle-kit writes it: it fails on any table, empty or not"),
    ("drizzle-table-rewrite", "a column type change that rewrites an existing table under an ACCESS EXCLUSIVE lock"),
    ("drizzle-constraint-not-valid", "a foreign key or check added to an existing table without NOT VALID: validated under lock"),
    ("drizzle-unique-without-index", "a unique constraint added to an existing table without a concurrently built index"),
    ("drizzle-snapshot-mismatch", "the migration's SQL creates or drops a table or column that its snapshot does not, or the other way round (a hand-written or hand-edited migration), unless a later migration of the batch settles it"),
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
    /// Which `--> statement-breakpoint` chunk (one query of the migrator) it is in.
    chunk: usize,
    /// The only statement of its chunk.
    alone: bool,
    /// The transaction it runs in.
    tx: Tx,
    action: Action,
    ignored: Option<BTreeSet<String>>,
}

/// Where a statement runs. drizzle-orm's PostgreSQL migrator opens one transaction for the
/// whole pending batch, but a `COMMIT` in a migration ends it: the statements after it run
/// one query at a time (each chunk its own implicit transaction) until a `BEGIN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tx {
    Migrator,
    Explicit,
    None,
}

/// A statement of a migration and the chunk it came in.
struct Piece {
    statement: Statement,
    chunk: usize,
    alone: bool,
}

/// The statements of a migration file: the migrator's chunks, each split into statements.
fn pieces(sql: &str, dialect: Dialect) -> Vec<Piece> {
    let mut out = Vec::new();
    for (chunk, text) in statements(sql).iter().enumerate() {
        let parts = split::split(text, dialect);
        let n = parts
            .iter()
            .filter(|p| split::meaningful(&p.sql, dialect))
            .count();
        out.extend(parts.into_iter().map(|statement| Piece {
            statement,
            chunk,
            alone: n <= 1,
        }));
    }
    out
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
            target: None,
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
    let parsed: Vec<Vec<Piece>> = batch.iter().map(|m| pieces(&m.sql, dialect)).collect();
    let mut tx = Tx::Migrator;
    let stmts: Vec<Stmt> = parsed
        .iter()
        .enumerate()
        .flat_map(|(i, list)| list.iter().map(move |p| (i, p)))
        .map(|(i, p)| {
            let action = classify(&p.statement.sql, dialect);
            let runs_in = tx;
            match action {
                Action::Begin if tx == Tx::None => tx = Tx::Explicit,
                Action::EndTransaction => tx = Tx::None,
                _ => {}
            }
            Stmt {
                migration: i,
                statement: &p.statement,
                chunk: p.chunk,
                alone: p.alone,
                tx: runs_in,
                action,
                ignored: settings::ignored_in(&p.statement.sql),
            }
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
    // Values added in the transaction still open: unusable until it commits.
    let mut enum_values: Vec<(String, String, usize)> = Vec::new();
    let mut query = None;
    for s in &stmts {
        let new_table = |t: &TableRef| created.iter().any(|c| same_table(c, t));
        if s.tx == Tx::None && query != Some((s.migration, s.chunk)) {
            // Outside a transaction each query commits on its own.
            enum_values.clear();
        }
        query = Some((s.migration, s.chunk));
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
            Action::EndTransaction => enum_values.clear(),
            _ => {}
        }
    }
    for (i, m) in batch.iter().enumerate() {
        let own: Vec<&Stmt> = stmts.iter().filter(|s| s.migration == i).collect();
        if let (Some(before), Some(after)) = (&m.before, &m.after) {
            drop_add(&mut lint, &own, before, after);
        }
    }
    snapshot_mismatch(&mut lint, &stmts);
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
    let literals = statement::string_literals(sql, lint.dialect);
    // Unquoted names fold to lower case, as PostgreSQL reads them.
    let names: BTreeSet<String> = tokens(sql, lint.dialect, 4096)
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
        Action::NoTransaction(what) => {
            let why = match s.tx {
                Tx::Migrator => "drizzle-orm's migrator runs all pending migrations in one",
                Tx::Explicit => "it follows a BEGIN of the migration itself",
                Tx::None if !s.alone => "it shares its query with other statements (the migrator sends the text between two `--> statement-breakpoint` as one query, which PostgreSQL runs as one transaction)",
                Tx::None => return,
            };
            lint.push(
                s,
                "drizzle-not-in-transaction",
                Severity::Error,
                None,
                format!("{what} cannot run inside a transaction block, and {why}: the migration fails"),
                format!(
                    "run the {what} statement outside the migrator (psql, a deploy step) before migrating, and keep in the migration only what can run in a transaction (e.g. `CREATE INDEX IF NOT EXISTS …` without CONCURRENTLY)"
                ),
            )
        }
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
        Action::SetType { table, column, to } => {
            let using = tokens(&s.statement.sql, lint.dialect, 4096).any("using");
            let old = lint.batch[s.migration]
                .before
                .as_ref()
                .and_then(|b| find_column(b, table, column));
            match old {
                Some(old) if !using && cast::needs_using(&old.sql_type, to) => {
                    let (t, c) = (table.sql(), quote(column));
                    let default = match old.default {
                        Some(_) => format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT;\n"),
                        None => String::new(),
                    };
                    lint.push(
                        s,
                        "drizzle-cast-needs-using",
                        Severity::Error,
                        Some(table),
                        format!(
                            "PostgreSQL has no automatic cast from {} to {to}: without USING, changing {}.{column} fails (`column \"{column}\" cannot be cast automatically to type {to}`), on an empty table too, and the migrator rolls back the batch",
                            old.sql_type, table.name
                        ),
                        format!(
                            "edit the migration to say how to convert the values:\n{default}ALTER TABLE {t} ALTER COLUMN {c} SET DATA TYPE {to} USING {c}::{to};"
                        ),
                    );
                }
                _ if !new_table(table) => rewrite_rule(lint, s, table, column, to),
                _ => {}
            }
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

fn rewrite_rule(lint: &mut Lint, s: &Stmt, table: &TableRef, column: &str, to: &str) {
    let from = lint.batch[s.migration]
        .before
        .as_ref()
        .and_then(|b| find_column(b, table, column))
        .map(|c| c.sql_type.clone());
    let using = tokens(&s.statement.sql, lint.dialect, 4096).any("using");
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

/// The table a single-column foreign key on `column` references.
fn references<'a>(
    schema: &'a Schema,
    table: &TableRef,
    column: &str,
) -> Option<&'a crate::model::QualifiedName> {
    schema
        .tables
        .iter()
        .find(|(k, _)| table.is(&k.schema, &k.name))
        .and_then(|(_, t)| {
            t.foreign_keys
                .iter()
                .find(|f| f.columns.len() == 1 && f.columns[0] == column)
        })
        .map(|f| &f.references)
}

/// `[` or `{`: what a json/jsonb column's default says its values are (an array, an
/// object). An array column replaced by an object one (streamystats' typical_hours_utc
/// `'[]'` by hour_histogram `'{}'`) holds new data, not the old renamed.
fn json_shape(c: &Column) -> Option<char> {
    if !matches!(c.sql_type.as_str(), "json" | "jsonb") {
        return None;
    }
    let d = c.default.as_deref()?.trim_start_matches(['(', '\'', ' ']);
    d.chars().next().filter(|c| matches!(c, '[' | '{'))
}

/// A column dropped and another of the same type added on one table: drizzle-kit asked
/// "created or renamed?" and was told "created". Not when the migration shows the data was
/// thought of (it deletes, updates or inserts rows of the table), when the new column could
/// not hold the old values anyway (a generated column, a reference to another table), when
/// the same replacement on another table of the migration is one of those, or when it is the
/// same column re-created.
fn drop_add(lint: &mut Lint, own: &[&Stmt], before: &Schema, after: &Schema) {
    let handled = |t: &TableRef| {
        own.iter()
            .any(|s| matches!(&s.action, Action::Data(d) if same_table(d, t)))
    };
    // (statement, table, dropped, added, deliberate)
    let mut pairs = Vec::new();
    for s in own {
        let Action::DropColumn { table, column } = &s.action else {
            continue;
        };
        let Some(old) = find_column(before, table, column) else {
            continue;
        };
        let target = references(before, table, column);
        let added = own.iter().find_map(|a| match &a.action {
            Action::AddColumn {
                table: t,
                column: c,
            } if same_table(t, table) && c != column => {
                find_column(after, t, c).filter(|new| new.sql_type == old.sql_type)
            }
            _ => None,
        });
        let Some(new) = added else {
            continue;
        };
        let deliberate = handled(table)
            || new.generated.is_some()
            || references(after, table, &new.name) != target
            || matches!((json_shape(old), json_shape(new)), (Some(a), Some(b)) if a != b);
        pairs.push((s, table, old, new, deliberate));
    }
    for &(s, table, old, new, deliberate) in &pairs {
        let column = &old.name;
        // A rename pairs one column with one: with another dropped or added column of that
        // type on the table, which one would have been renamed is a guess.
        let ambiguous = own.iter().any(|a| match &a.action {
            Action::DropColumn {
                table: t,
                column: c,
            } => {
                same_table(t, table)
                    && c != column
                    && find_column(before, t, c).is_some_and(|o| o.sql_type == old.sql_type)
            }
            Action::AddColumn {
                table: t,
                column: c,
            } => {
                same_table(t, table)
                    && c != &new.name
                    && c != column
                    && find_column(after, t, c).is_some_and(|n| n.sql_type == old.sql_type)
            }
            _ => false,
        });
        if ambiguous
            || deliberate
            || pairs
                .iter()
                .any(|p| p.4 && p.2.name == old.name && p.3.name == new.name)
        {
            continue;
        }
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

/// Tables and columns, schema left out: statements name `public` tables bare. (An index a
/// migration builds by hand and no snapshot records is one drizzle-kit never touches: the
/// history findings report it, with the migration that made it.)
fn shape(s: &Schema) -> BTreeSet<(String, ObjectKind, String)> {
    let mut out = BTreeSet::new();
    for t in s.tables.values() {
        let table = &t.name.name;
        out.insert((table.clone(), ObjectKind::Table, table.clone()));
        out.extend(
            t.columns
                .iter()
                .map(|c| (table.clone(), ObjectKind::Column, c.name.clone())),
        );
    }
    out
}

type Key = (String, ObjectKind, String);

/// What the SQL of the batch has made so far, as far as the rule follows it.
struct Made {
    pg: bool,
    keys: BTreeSet<Key>,
    /// Tables created by SQL whose columns no snapshot describes: their columns are unknown.
    opaque: BTreeSet<String>,
}

impl Made {
    fn has(&self, k: &Key) -> bool {
        self.keys.contains(k)
    }

    fn known(&self, k: &Key) -> bool {
        k.1 == ObjectKind::Table || !self.opaque.contains(&k.0)
    }

    fn rename_table(&mut self, from: &str, to: &str) {
        let moved: Vec<Key> = self.keys.iter().filter(|k| k.0 == from).cloned().collect();
        for k in moved {
            self.keys.remove(&k);
            let name = if k.1 == ObjectKind::Table {
                to.to_string()
            } else {
                k.2
            };
            self.keys.insert((to.to_string(), k.1, name));
        }
        if self.opaque.remove(from) {
            self.opaque.insert(to.to_string());
        }
    }

    /// A name as the server keeps it: PostgreSQL cuts it to 63 bytes, as the snapshots
    /// (normalized) have it.
    fn name(&self, n: &str) -> String {
        if self.pg {
            crate::model::normalize::pg_identifier(n)
        } else {
            n.to_string()
        }
    }

    /// Apply one statement; the key it creates or drops, if the rule checks it.
    fn apply(&mut self, action: &Action, after: Option<&Schema>) -> Option<Key> {
        let table = |t: &TableRef| TableRef {
            schema: t.schema.clone(),
            name: self.name(&t.name),
        };
        let action = match action {
            Action::CreateTable(t) => Action::CreateTable(table(t)),
            Action::DropTable(t) => Action::DropTable(table(t)),
            Action::RenameTable { from, to } => Action::RenameTable {
                from: table(from),
                to: self.name(to),
            },
            Action::AddColumn { table: t, column } => Action::AddColumn {
                table: table(t),
                column: self.name(column),
            },
            Action::DropColumn { table: t, column } => Action::DropColumn {
                table: table(t),
                column: self.name(column),
            },
            Action::RenameColumn { table: t, from, to } => Action::RenameColumn {
                table: table(t),
                from: self.name(from),
                to: self.name(to),
            },
            _ => return None,
        };
        let col = |t: &TableRef, c: &str| (t.name.clone(), ObjectKind::Column, c.to_string());
        match &action {
            Action::CreateTable(t) => {
                let key = (t.name.clone(), ObjectKind::Table, t.name.clone());
                let columns = after.and_then(|a| {
                    a.tables
                        .iter()
                        .find(|(k, _)| t.is(&k.schema, &k.name))
                        .map(|(_, table)| &table.columns)
                });
                match columns {
                    Some(columns) => {
                        self.opaque.remove(&t.name);
                        self.keys.extend(columns.iter().map(|c| col(t, &c.name)));
                    }
                    None => {
                        self.opaque.insert(t.name.clone());
                    }
                }
                self.keys.insert(key.clone());
                Some(key)
            }
            Action::DropTable(t) => {
                self.keys.retain(|k| k.0 != t.name);
                self.opaque.remove(&t.name);
                Some((t.name.clone(), ObjectKind::Table, t.name.clone()))
            }
            Action::RenameTable { from, to } => {
                self.rename_table(&from.name, to);
                None
            }
            Action::AddColumn { table, column } => {
                let key = col(table, column);
                self.keys.insert(key.clone());
                Some(key)
            }
            Action::DropColumn { table, column } => {
                let key = col(table, column);
                self.keys.remove(&key);
                Some(key)
            }
            Action::RenameColumn { table, from, to } => {
                self.keys.remove(&col(table, from));
                self.keys.insert(col(table, to));
                None
            }
            _ => None,
        }
    }
}

/// A disagreement between what a migration's SQL did and what its snapshot records.
struct Mismatch<'a> {
    migration: usize,
    key: Key,
    /// The statement that made it, or `None` when the snapshot changed and no SQL did.
    by: Option<&'a Stmt<'a>>,
    /// Whether the SQL (or else the snapshot) has the object.
    made: bool,
}

/// The migrations' SQL and snapshots followed through the batch: where, after a migration,
/// its snapshot and what its SQL made disagree on a table, column or index. A disagreement
/// that a later migration of the batch settles is not reported: one file lagging behind the
/// other (a `--custom` migration whose snapshot a later generate catches up with, a statement
/// a later migration supplies), or a snapshot that leaves and comes back with no SQL (a
/// branch merged with its snapshot). One that contradicts within the migration (the SQL adds
/// one column, the snapshot another) is reported even when settled later.
fn snapshot_mismatch(lint: &mut Lint, stmts: &[Stmt]) {
    let batch = lint.batch;
    // Migrations without a snapshot before the first with one ran on the state its previous
    // snapshot records (drizzle-kit generated it from that).
    let mut made: Option<Made> = batch.iter().find_map(|m| m.before.as_ref()).map(|b| Made {
        pg: lint.dialect == Dialect::Postgresql,
        keys: shape(b),
        opaque: BTreeSet::new(),
    });
    let mut snapshot: Option<BTreeSet<Key>> = None;
    let mut open: Vec<Mismatch> = Vec::new();
    let mut firm: Vec<Mismatch> = Vec::new();
    for (i, m) in batch.iter().enumerate() {
        let shapes = match (&m.before, &m.after) {
            (Some(b), Some(a)) => Some((shape(b), shape(a))),
            _ => None,
        };
        let Some(state) = made.as_mut() else {
            continue;
        };
        let mut touched: BTreeMap<Key, &Stmt> = BTreeMap::new();
        // A DO block may do anything: what it did is taken from the snapshot, no claim.
        let blind = stmts
            .iter()
            .any(|s| s.migration == i && s.action == Action::Do);
        for s in stmts.iter().filter(|s| s.migration == i) {
            if let Some(key) = state.apply(&s.action, m.after.as_ref()) {
                touched.insert(key, s);
            }
        }
        if let Some((was, now)) = shapes {
            let mut found = Vec::new();
            for (key, s) in &touched {
                if state.has(key) != now.contains(key) && state.known(key) {
                    found.push(Mismatch {
                        migration: i,
                        key: key.clone(),
                        by: Some(*s),
                        made: state.has(key),
                    });
                }
            }
            let whole = |t: &str| {
                let k = (t.to_string(), ObjectKind::Table, t.to_string());
                now.contains(&k) != was.contains(&k)
            };
            for key in now.symmetric_difference(&was) {
                if blind && !touched.contains_key(key) {
                    if now.contains(key) {
                        state.keys.insert(key.clone());
                    } else {
                        state.keys.remove(key);
                    }
                    continue;
                }
                let checked = match key.1 {
                    ObjectKind::Table => true,
                    // A column of a table the snapshot adds or removes whole goes with it.
                    ObjectKind::Column => !whole(&key.0),
                    _ => false,
                };
                if checked
                    && !touched.contains_key(key)
                    && state.has(key) != now.contains(key)
                    && state.known(key)
                {
                    found.push(Mismatch {
                        migration: i,
                        key: key.clone(),
                        by: None,
                        made: state.has(key),
                    });
                }
            }
            open.retain(|o| now.contains(&o.key) != state.has(&o.key));
            // The SQL made one object where the snapshot records another of that kind.
            let contradicts = |x: &Mismatch, all: &[Mismatch]| {
                all.iter().any(|y| {
                    y.made != x.made
                        && y.key.1 == x.key.1
                        && (x.key.1 == ObjectKind::Table || y.key.0 == x.key.0)
                        && y.by.is_some() != x.by.is_some()
                })
            };
            let (now_firm, rest): (Vec<Mismatch>, Vec<Mismatch>) = {
                let flags: Vec<bool> = found.iter().map(|x| contradicts(x, &found)).collect();
                let mut a = Vec::new();
                let mut b = Vec::new();
                for (x, f) in found.into_iter().zip(flags) {
                    if f {
                        a.push(x)
                    } else {
                        b.push(x)
                    }
                }
                (a, b)
            };
            firm.extend(now_firm);
            open.extend(rest);
            snapshot = Some(now);
        } else if let Some(now) = &snapshot {
            open.retain(|o| now.contains(&o.key) != state.has(&o.key));
        }
    }
    firm.extend(open);
    firm.sort_by_key(|x| (x.migration, x.by.map(|s| s.statement.line)));
    for x in firm {
        let (table, kind, name) = &x.key;
        let t = TableRef {
            schema: None,
            name: table.clone(),
        };
        match x.by {
            Some(s) => {
                let what = format!("{} {name}", kind.noun());
                let (did, snapshot) = if x.made {
                    ("creates", "does not have it")
                } else {
                    ("drops", "still has it")
                };
                let table = match &s.action {
                    Action::CreateIndex { table, .. }
                    | Action::AddColumn { table, .. }
                    | Action::DropColumn { table, .. } => table.clone(),
                    Action::CreateTable(t) | Action::DropTable(t) => t.clone(),
                    _ => t,
                };
                lint.push(
                    s,
                    "drizzle-snapshot-mismatch",
                    Severity::Warning,
                    Some(&table),
                    format!(
                        "{did} {what} but the migration's snapshot {snapshot} (hand-written or hand-edited SQL): the next drizzle-kit generate works from the snapshot and will not know"
                    ),
                    "declare the change in the TypeScript schema and let drizzle-kit generate write it; for SQL drizzle-kit cannot express, keep it in a `generate --custom` migration that touches only objects the schema does not declare".into(),
                );
            }
            None => {
                let verb = if x.made { "removes" } else { "adds" };
                let what = match kind {
                    ObjectKind::Column => format!("column {table}.{name}"),
                    _ => format!("{} {name}", kind.noun()),
                };
                lint.push_at(
                    x.migration,
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
    }
}

/// squawk over the batch as one text (so a table created by an earlier pending migration
/// counts as new), each violation mapped back to its migration and statement.
fn squawk_rules(lint: &mut Lint, stmts: &[Stmt], parsed: &[Vec<Piece>]) {
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
        let Some(index) = parsed[migration]
            .iter()
            .rposition(|p| p.statement.line <= line)
        else {
            continue;
        };
        let target = &parsed[migration][index].statement;
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

    fn tables(list: &[(&str, &[&str])]) -> Schema {
        let mut s = Schema::new(Dialect::Postgresql);
        for (table, columns) in list {
            let name = QualifiedName {
                schema: "public".into(),
                name: (*table).into(),
            };
            let mut t = Table::new(name.clone());
            t.columns
                .extend(columns.iter().map(|c| Column::new(*c, "integer")));
            s.tables.insert(name, t);
        }
        s
    }

    fn step(tag: &str, sql: &str, before: Schema, after: Schema) -> Migration {
        Migration {
            tag: tag.into(),
            file: format!("drizzle/{tag}.sql"),
            sql: sql.into(),
            before: Some(before),
            after: Some(after),
        }
    }

    fn mismatches(batch: &[Migration]) -> Vec<(String, Option<u32>)> {
        lint(Dialect::Postgresql, batch, None, &Settings::default())
            .into_iter()
            .filter(|f| f.rule.as_deref() == Some("drizzle-snapshot-mismatch"))
            .map(|f| (f.name, f.location.and_then(|o| o.line)))
            .collect()
    }

    /// A snapshot that loses a table and gets it back with no SQL in between (a branch
    /// merged with its snapshot): the database never changed, the later snapshots agree.
    #[test]
    fn a_snapshot_excursion_is_no_mismatch() {
        let a = tables(&[("a", &["x"])]);
        let none = tables(&[]);
        let create = step(
            "0000_a",
            "CREATE TABLE \"a\" (\"x\" integer);",
            none.clone(),
            a.clone(),
        );
        let leaves = step("0001_merge", "SELECT 1;", a.clone(), none.clone());
        let back = step("0002_next", "SELECT 1;", none.clone(), a.clone());
        assert_eq!(
            mismatches(&[create, leaves, back]),
            [],
            "settled by the later snapshot"
        );
        let leaves = step("0001_merge", "SELECT 1;", a, none);
        assert_eq!(mismatches(&[leaves]), [("0001_merge".to_string(), None)]);
    }

    /// The SQL adds one column where the snapshot adds another: the migration contradicts
    /// itself, even when the next snapshot takes the SQL's name.
    #[test]
    fn a_renamed_statement_is_a_mismatch_though_settled() {
        let before = tables(&[("t", &["id"])]);
        let snake = tables(&[("t", &["id", "done_at"])]);
        let camel = tables(&[("t", &["id", "doneAt"])]);
        let edited = step(
            "0000_edited",
            "ALTER TABLE \"t\" ADD COLUMN \"doneAt\" integer;",
            before,
            snake.clone(),
        );
        let fix = step(
            "0001_fix",
            "-- ALTER TABLE \"t\" RENAME COLUMN \"done_at\" TO \"doneAt\";",
            snake,
            camel,
        );
        assert_eq!(
            mismatches(&[edited, fix]),
            [
                ("0000_edited".to_string(), None),
                ("0000_edited".to_string(), Some(1))
            ]
        );
    }

    /// What a DO block did is not followed: the snapshot's word is taken, no claim.
    #[test]
    fn a_do_block_makes_no_claim() {
        let before = tables(&[("t", &["id"])]);
        let after = tables(&[("t", &["id", "token"])]);
        let sql = "DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1) THEN\n    ALTER TABLE \"t\" ADD COLUMN \"token\" integer;\n  END IF;\nEND $$;";
        let blind = step("0000_do", sql, before.clone(), after.clone());
        assert_eq!(mismatches(&[blind]), []);
        let plain = step("0000_plain", "SELECT 1;", before, after);
        assert_eq!(mismatches(&[plain]), [("0000_plain".to_string(), None)]);
    }
}
