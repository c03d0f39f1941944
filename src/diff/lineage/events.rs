//! What the statements of applied migrations did, object by object: read from each
//! statement's tokens (the tokenizer `diff::partial` and the lint rules use), not from a
//! full parser. A statement this does not recognize does nothing here; the comparison it
//! could have explained stays `drift`.

use crate::model::Dialect;
use crate::report::ObjectKind;
use crate::sources::history::Statement;
use crate::sql::split::pieces;
use crate::sql::tokens::{tokens, Tok, Tokens};

/// What a statement does to the objects an [`Event`] names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Create,
    Drop,
    /// Changes these attributes (as `diff::objects` names them).
    Alter(&'static [&'static str]),
    /// Renamed away (to the name given): gone under the event's name.
    RenameFrom(String),
    /// Renamed into the event's name (from the name given).
    RenameTo(String),
}

/// One thing one statement did to one object (or, with `name: None`, to the one object of
/// its kind a table has: an unnamed primary key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The kinds the name may be (`DROP CONSTRAINT x` names a unique, a foreign key, a
    /// check or the primary key).
    pub kinds: &'static [ObjectKind],
    /// The schema the statement names; `None`: unqualified.
    pub schema: Option<String>,
    /// The table of a table-scoped object (`None` for `DROP INDEX x`, which names none).
    pub table: Option<String>,
    pub name: Option<String>,
    /// The name as the statement spells it (`name` follows later renames).
    pub written: Option<String>,
    pub change: Change,
    /// The statement: its 1-based line in the file, its first line and its text.
    pub line: u32,
    pub excerpt: String,
    pub sql: std::rc::Rc<str>,
    /// `IF NOT EXISTS`: a create that does nothing when the object is there already.
    pub guarded: bool,
}

const TABLE: &[ObjectKind] = &[ObjectKind::Table];
const COLUMN: &[ObjectKind] = &[ObjectKind::Column];
const PK: &[ObjectKind] = &[ObjectKind::PrimaryKey];
const INDEX: &[ObjectKind] = &[ObjectKind::Index, ObjectKind::Unique];
const UNIQUE: &[ObjectKind] = &[ObjectKind::Unique, ObjectKind::Index];
const FK: &[ObjectKind] = &[ObjectKind::ForeignKey];
const CHECK: &[ObjectKind] = &[ObjectKind::Check];
const CONSTRAINT: &[ObjectKind] = &[
    ObjectKind::Unique,
    ObjectKind::ForeignKey,
    ObjectKind::Check,
    ObjectKind::PrimaryKey,
    ObjectKind::Index,
];
const POLICY: &[ObjectKind] = &[ObjectKind::Policy];
const ENUM: &[ObjectKind] = &[ObjectKind::Enum];
const VIEW: &[ObjectKind] = &[ObjectKind::View];
const SEQUENCE: &[ObjectKind] = &[ObjectKind::Sequence];
const SCHEMA: &[ObjectKind] = &[ObjectKind::Schema];

/// Every attribute of a column (MySQL `MODIFY` restates them all).
pub const COLUMN_FIELDS: &[&str] = &[
    "type",
    "not_null",
    "default",
    "identity",
    "generated",
    "autoincrement",
    "on_update",
    "collation",
    "charset",
];

/// The events of one migration file's statements, in order.
pub fn events(dialect: Dialect, statements: &[Statement]) -> Vec<Event> {
    let mut out = Vec::new();
    for st in statements {
        for (sql, line) in split(&st.sql, st.line, dialect) {
            let tokens = tokens(&sql, dialect, usize::MAX);
            let mut p = Parser {
                dialect,
                t: &tokens,
                line,
                excerpt: excerpt(&sql),
                sql: sql.as_str().into(),
                out: &mut out,
            };
            p.statement();
        }
    }
    out
}

/// A statement's first line, shortened, for a sentence.
pub fn excerpt(sql: &str) -> String {
    let first = sql
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("--"))
        .unwrap_or("");
    let first = first
        .trim_end_matches(';')
        .trim_end_matches(" (")
        .trim_end();
    let mut s: String = first.chars().take(100).collect();
    if s.len() < first.len() {
        s.push('…');
    }
    s
}

/// A migrator statement (one chunk between breakpoints) split on its top-level semicolons
/// (a hand-written migration often has several statements and no breakpoint): each
/// statement's text from its first token, without its `;`, and that token's line.
fn split(sql: &str, line: u32, dialect: Dialect) -> Vec<(String, u32)> {
    pieces(sql, dialect)
        .into_iter()
        .filter_map(|p| {
            let body = sql[p.code.clone()].trim_end();
            let before = sql[..p.code.start].matches('\n').count() as u32;
            (!body.is_empty()).then(|| (body.to_string(), line + before))
        })
        .collect()
}

struct Parser<'a> {
    dialect: Dialect,
    t: &'a [Tok],
    line: u32,
    excerpt: String,
    sql: std::rc::Rc<str>,
    out: &'a mut Vec<Event>,
}

impl Parser<'_> {
    /// The identifier at `i` as the server stores it: PostgreSQL folds an unquoted name
    /// to lower case.
    fn name(&self, i: usize) -> Option<String> {
        match self.t.get(i)? {
            Tok::Word(lower, raw) => Some(match self.dialect {
                Dialect::Postgresql => lower.clone(),
                Dialect::Mysql => raw.clone(),
            }),
            Tok::Quoted(raw) => Some(raw.clone()),
            _ => None,
        }
    }

    /// `IF NOT EXISTS` before the statement's first parenthesis.
    fn guarded(&self) -> bool {
        self.t
            .iter()
            .take_while(|t| !matches!(t, Tok::Punct('(')))
            .collect::<Vec<_>>()
            .windows(3)
            .any(|w| w[0].is("if") && w[1].is("not") && w[2].is("exists"))
    }

    /// A possibly schema-qualified name at `i`: (schema, name, index after it).
    fn qualified(&self, i: usize) -> Option<(Option<String>, String, usize)> {
        let first = self.name(i)?;
        if self.t.punct(i + 1, '.') {
            let second = self.name(i + 2)?;
            return Some((Some(first), second, i + 3));
        }
        Some((None, first, i + 1))
    }

    /// Qualified names separated by commas from `i` (`DROP TABLE a, b`).
    fn name_list(&self, mut i: usize) -> Vec<(Option<String>, String, usize)> {
        let mut out = Vec::new();
        while let Some(q) = self.qualified(i) {
            i = q.2;
            out.push(q);
            if !self.t.punct(i, ',') {
                break;
            }
            i += 1;
        }
        out
    }

    fn push(
        &mut self,
        kinds: &'static [ObjectKind],
        schema: &Option<String>,
        table: Option<&str>,
        name: Option<&str>,
        change: Change,
    ) {
        let guarded = change == Change::Create && self.guarded();
        self.out.push(Event {
            kinds,
            schema: schema.clone(),
            table: table.map(str::to_string),
            name: name.map(str::to_string),
            written: name.map(str::to_string),
            change,
            line: self.line,
            excerpt: self.excerpt.clone(),
            sql: self.sql.clone(),
            guarded,
        });
    }

    /// A rename of an object: gone under `from`, there under `to`.
    fn rename(
        &mut self,
        kinds: &'static [ObjectKind],
        schema: &Option<String>,
        table: Option<&str>,
        (from, to): (&str, &str),
    ) {
        // A table's own key is named by the table.
        let (t_from, t_to) = if kinds == TABLE {
            (Some(from), Some(to))
        } else {
            (table, table)
        };
        self.push(
            kinds,
            schema,
            t_from,
            Some(from),
            Change::RenameFrom(to.to_string()),
        );
        self.push(
            kinds,
            schema,
            t_to,
            Some(to),
            Change::RenameTo(from.to_string()),
        );
    }

    fn statement(&mut self) {
        if self.t.word(0, "do") {
            // DO $$ BEGIN <statements> EXCEPTION … END $$: what older drizzle-kit wraps
            // CREATE TYPE and foreign keys in.
            if let Some(Tok::Literal(body)) = self.t.get(1) {
                self.do_block(body.clone());
            }
            return;
        }
        if self.t.word(0, "create") {
            self.create();
        } else if self.t.word(0, "drop") {
            self.drop();
        } else if self.t.word(0, "alter") {
            self.alter();
        } else if self.t.word(0, "rename") && self.t.word(1, "table") {
            // MySQL: RENAME TABLE a TO b[, c TO d]
            let mut i = 2;
            while let (Some((schema, from, next)), true) = (
                self.qualified(i),
                self.t.word(self.qualified(i).map_or(0, |q| q.2), "to"),
            ) {
                let Some((_, to, after)) = self.qualified(next + 1) else {
                    break;
                };
                self.rename(TABLE, &schema, None, (&from, &to));
                i = after;
                if !self.t.punct(i, ',') {
                    break;
                }
                i += 1;
            }
        }
    }

    fn do_block(&mut self, body: String) {
        let lower = body.to_ascii_lowercase();
        let begin = find_word(&lower, "begin", 0).map_or(0, |b| b + "begin".len());
        // The handler after EXCEPTION is not what the block does.
        let end = find_word(&lower, "exception", begin).unwrap_or(body.len());
        let inner = &body[begin..end.max(begin)];
        for (sql, _) in split(inner, self.line, self.dialect) {
            let tokens = tokens(&sql, self.dialect, usize::MAX);
            // `IF … THEN <statement>`, `ELSE <statement>`: the statement.
            let start = match tokens.first() {
                Some(t) if t.is("if") || t.is("elsif") => tokens
                    .iter()
                    .position(|t| t.is("then"))
                    .map_or(tokens.len(), |p| p + 1),
                Some(t) if t.is("else") || t.is("begin") => 1,
                _ => 0,
            };
            let mut p = Parser {
                dialect: self.dialect,
                t: &tokens[start..],
                line: self.line,
                excerpt: self.excerpt.clone(),
                sql: self.sql.clone(),
                out: self.out,
            };
            p.statement();
        }
    }

    fn create(&mut self) {
        let mut i = 1;
        if self.t.word(i, "or") && self.t.word(i + 1, "replace") {
            i += 2;
        }
        let mut unique = false;
        while let Some(w) = [
            "unique",
            "unlogged",
            "temporary",
            "temp",
            "global",
            "local",
            "fulltext",
            "spatial",
        ]
        .into_iter()
        .find(|w| self.t.word(i, w))
        {
            unique |= w == "unique";
            i += 1;
        }
        if self.t.word(i, "table") {
            let Some((schema, table, next)) = self.qualified(self.t.skip_if(i + 1)) else {
                return;
            };
            self.push(TABLE, &schema, Some(&table), Some(&table), Change::Create);
            if self.t.punct(next, '(') {
                self.table_body(&schema, &table, next + 1);
            }
            return;
        }
        if self.t.word(i, "index") {
            let mut j = i + 1;
            if self.t.word(j, "concurrently") {
                j += 1;
            }
            let j = self.t.skip_if(j);
            let (name, on) = if self.t.word(j, "on") {
                (None, j)
            } else {
                (self.name(j), j + 1)
            };
            if !self.t.word(on, "on") {
                return;
            }
            let mut k = on + 1;
            if self.t.word(k, "only") {
                k += 1;
            }
            let Some((schema, table, _)) = self.qualified(k) else {
                return;
            };
            let kinds = if unique { UNIQUE } else { INDEX };
            if let Some(name) = name {
                self.push(kinds, &schema, Some(&table), Some(&name), Change::Create);
            }
            return;
        }
        if self.t.word(i, "policy") {
            if let (Some(name), true, Some((schema, table, _))) = (
                self.name(i + 1),
                self.t.word(i + 2, "on"),
                self.qualified(i + 3),
            ) {
                self.push(POLICY, &schema, Some(&table), Some(&name), Change::Create);
            }
            return;
        }
        if self.t.word(i, "type") {
            if let Some((schema, name, next)) = self.qualified(self.t.skip_if(i + 1)) {
                if self.t.word(next, "as") && self.t.word(next + 1, "enum") {
                    self.push(ENUM, &schema, None, Some(&name), Change::Create);
                }
            }
            return;
        }
        if self.t.word(i, "sequence") {
            if let Some((schema, name, _)) = self.qualified(self.t.skip_if(i + 1)) {
                self.push(SEQUENCE, &schema, None, Some(&name), Change::Create);
            }
            return;
        }
        if self.t.word(i, "schema") {
            if let Some(name) = self.name(self.t.skip_if(i + 1)) {
                self.push(SCHEMA, &None, None, Some(&name), Change::Create);
            }
            return;
        }
        // [MATERIALIZED | RECURSIVE] VIEW, or MySQL's ALGORITHM = … DEFINER = … VIEW.
        let Some(view) = (i..(i + 16).min(self.t.len())).find(|&j| self.t.word(j, "view")) else {
            return;
        };
        if let Some((schema, name, _)) = self.qualified(self.t.skip_if(view + 1)) {
            self.push(VIEW, &schema, None, Some(&name), Change::Create);
        }
    }

    /// The elements of `CREATE TABLE t ( … )` from `i` (after the parenthesis).
    fn table_body(&mut self, schema: &Option<String>, table: &str, i: usize) {
        let mut inline_pk = None;
        let mut uniques = Vec::new();
        for (start, end) in elements(self.t, i) {
            self.element(schema, table, start, end, true);
            let w = |k: usize, word: &str| self.t.word(k, word);
            if w(start, "constraint") && w(start + 2, "unique") && self.t.punct(start + 3, '(') {
                if let (Some(n), Some(c), true) = (
                    self.name(start + 1),
                    self.name(start + 4),
                    self.t.punct(start + 5, ')'),
                ) {
                    uniques.push((n, c));
                }
            } else if (start..end).any(|k| w(k, "primary") && w(k + 1, "key"))
                && !w(start, "primary")
                && !w(start, "constraint")
            {
                inline_pk = self.name(start);
            }
        }
        // `"id" … PRIMARY KEY` with `CONSTRAINT "t_id_unique" UNIQUE("id")`: PostgreSQL
        // keeps one constraint, the primary key, under the unique's name.
        if let (Some(pk), Dialect::Postgresql) = (inline_pk, self.dialect) {
            if let Some((n, _)) = uniques.iter().find(|(_, c)| *c == pk) {
                self.push(PK, schema, Some(table), Some(&n.clone()), Change::Create);
            }
        }
    }

    /// One column definition or table constraint at `start..end`; `in_create`: of a
    /// CREATE TABLE (a MySQL `KEY` there is an index).
    fn element(
        &mut self,
        schema: &Option<String>,
        table: &str,
        start: usize,
        end: usize,
        in_create: bool,
    ) {
        let s = start;
        if self.t.word(s, "constraint") {
            let name = self.name(s + 1);
            self.constraint(schema, table, name.as_deref(), s + 2);
            return;
        }
        if self.t.word(s, "primary") {
            self.push(PK, schema, Some(table), None, Change::Create);
            return;
        }
        if self.t.word(s, "unique") {
            let k = if self.t.word(s + 1, "key") || self.t.word(s + 1, "index") {
                s + 2
            } else {
                s + 1
            };
            if let Some(name) = self.name(k).filter(|_| !self.t.punct(k, '(')) {
                self.push(UNIQUE, schema, Some(table), Some(&name), Change::Create);
            }
            return;
        }
        if ["key", "index", "fulltext", "spatial"]
            .iter()
            .any(|w| self.t.word(s, w))
        {
            let mut k = s + 1;
            if self.t.word(k, "key") || self.t.word(k, "index") {
                k += 1;
            }
            if let (Some(name), true) = (self.name(k), in_create || !self.t.word(s, "key")) {
                self.push(INDEX, schema, Some(table), Some(&name), Change::Create);
            }
            return;
        }
        if self.t.word(s, "foreign") && self.t.word(s + 1, "key") && self.t.punct(s + 2, '(') {
            // An unnamed foreign key: the server names it.
            let columns: Vec<String> = (s + 3..end)
                .take_while(|&k| !self.t.punct(k, ')'))
                .filter_map(|k| self.name(k))
                .collect();
            let name = match self.dialect {
                Dialect::Postgresql => format!("{table}_{}_fkey", columns.join("_")),
                Dialect::Mysql => {
                    let prefix = format!("{table}_ibfk_");
                    let n = self
                        .out
                        .iter()
                        .filter(|e| {
                            e.kinds == FK
                                && e.name.as_deref().is_some_and(|n| n.starts_with(&prefix))
                        })
                        .count();
                    format!("{prefix}{}", n + 1)
                }
            };
            self.push(FK, schema, Some(table), Some(&name), Change::Create);
            return;
        }
        if ["foreign", "check", "exclude", "like", "period"]
            .iter()
            .any(|w| self.t.word(s, w))
        {
            return;
        }
        // A column definition and its inline constraints.
        let Some(column) = self.name(s) else {
            return;
        };
        self.push(COLUMN, schema, Some(table), Some(&column), Change::Create);
        let mut k = s + 1;
        while k < end {
            if self.t.word(k, "constraint") {
                let name = self.name(k + 1);
                self.constraint(schema, table, name.as_deref(), k + 2);
                k += 3;
                continue;
            }
            if self.t.word(k, "primary") && self.t.word(k + 1, "key") {
                self.push(PK, schema, Some(table), None, Change::Create);
            } else if self.t.word(k, "unique") && self.dialect == Dialect::Postgresql {
                let name = format!("{table}_{column}_key");
                self.push(UNIQUE, schema, Some(table), Some(&name), Change::Create);
            } else if self.t.word(k, "references") && self.dialect == Dialect::Postgresql {
                let name = format!("{table}_{column}_fkey");
                self.push(FK, schema, Some(table), Some(&name), Change::Create);
            }
            k += 1;
        }
    }

    /// `CONSTRAINT name <kind> …` with the kind's keyword at `k`.
    fn constraint(&mut self, schema: &Option<String>, table: &str, name: Option<&str>, k: usize) {
        let kinds = if self.t.word(k, "primary") {
            PK
        } else if self.t.word(k, "unique") {
            UNIQUE
        } else if self.t.word(k, "foreign") || self.t.word(k, "references") {
            FK
        } else if self.t.word(k, "check") {
            CHECK
        } else {
            return;
        };
        if kinds != PK && name.is_none() {
            return;
        }
        self.push(kinds, schema, Some(table), name, Change::Create);
    }

    fn drop(&mut self) {
        let mut i = 1;
        let materialized = self.t.word(i, "materialized");
        if materialized {
            i += 1;
        }
        let kinds = match self.t.get(i) {
            Some(t) if t.is("table") => TABLE,
            Some(t) if t.is("index") => INDEX,
            Some(t) if t.is("type") => ENUM,
            Some(t) if t.is("view") => VIEW,
            Some(t) if t.is("sequence") => SEQUENCE,
            Some(t) if t.is("schema") => SCHEMA,
            Some(t) if t.is("policy") => POLICY,
            _ => return,
        };
        let mut j = i + 1;
        if self.t.word(j, "concurrently") {
            j += 1;
        }
        let j = self.t.skip_if(j);
        if kinds == POLICY {
            if let (Some(name), true, Some((schema, table, _))) = (
                self.name(j),
                self.t.word(j + 1, "on"),
                self.qualified(j + 2),
            ) {
                self.push(POLICY, &schema, Some(&table), Some(&name), Change::Drop);
            }
            return;
        }
        let names = self.name_list(j);
        // MySQL: DROP INDEX i ON t
        let on_table = names
            .last()
            .filter(|_| kinds == INDEX && self.t.word(names.last().map_or(0, |n| n.2), "on"))
            .and_then(|n| self.qualified(n.2 + 1));
        for (schema, name, _) in &names {
            let table = match (kinds, &on_table) {
                (k, _) if k == TABLE => Some(name.as_str()),
                (_, Some((_, t, _))) => Some(t.as_str()),
                _ => None,
            };
            let schema = if kinds == SCHEMA { &None } else { schema };
            self.push(kinds, schema, table, Some(name), Change::Drop);
        }
    }

    fn alter(&mut self) {
        let mut i = 1;
        if self.t.word(i, "materialized") {
            i += 1;
        }
        if self.t.word(i, "table") {
            let mut j = self.t.skip_if(i + 1);
            if self.t.word(j, "only") {
                j += 1;
            }
            let Some((schema, table, next)) = self.qualified(j) else {
                return;
            };
            let mut actions = elements_until_end(self.t, next);
            actions.retain(|(s, e)| s < e);
            for (s, e) in actions {
                self.table_action(&schema, &table, s, e);
            }
            return;
        }
        if self.t.word(i, "index") || self.t.word(i, "view") || self.t.word(i, "sequence") {
            let kinds = if self.t.word(i, "index") {
                INDEX
            } else if self.t.word(i, "view") {
                VIEW
            } else {
                SEQUENCE
            };
            let Some((schema, name, next)) = self.qualified(self.t.skip_if(i + 1)) else {
                return;
            };
            if self.t.word(next, "rename") && self.t.word(next + 1, "to") {
                if let Some(to) = self.name(next + 2) {
                    self.rename(kinds, &schema, None, (&name, &to));
                }
            } else if kinds == SEQUENCE {
                self.push(
                    SEQUENCE,
                    &schema,
                    None,
                    Some(&name),
                    Change::Alter(&[
                        "increment",
                        "min_value",
                        "max_value",
                        "start_with",
                        "cache",
                        "cycle",
                    ]),
                );
            }
            return;
        }
        if self.t.word(i, "policy") {
            let (Some(name), true, Some((schema, table, next))) = (
                self.name(i + 1),
                self.t.word(i + 2, "on"),
                self.qualified(i + 3),
            ) else {
                return;
            };
            if self.t.word(next, "rename") && self.t.word(next + 1, "to") {
                if let Some(to) = self.name(next + 2) {
                    self.rename(POLICY, &schema, Some(&table), (&name, &to));
                }
            } else {
                self.push(
                    POLICY,
                    &schema,
                    Some(&table),
                    Some(&name),
                    Change::Alter(&["to", "using", "with_check"]),
                );
            }
            return;
        }
        if self.t.word(i, "type") {
            let Some((schema, name, next)) = self.qualified(i + 1) else {
                return;
            };
            if self.t.word(next, "rename") && self.t.word(next + 1, "to") {
                if let Some(to) = self.name(next + 2) {
                    self.rename(ENUM, &schema, None, (&name, &to));
                }
            } else if self.t.word(next, "add") || self.t.word(next, "rename") {
                self.push(
                    ENUM,
                    &schema,
                    None,
                    Some(&name),
                    Change::Alter(&["values", "order"]),
                );
            }
        }
    }

    /// One action of `ALTER TABLE t …` at `s..e`.
    fn table_action(&mut self, schema: &Option<String>, table: &str, s: usize, e: usize) {
        let w = |k: usize, word: &str| self.t.word(k, word);
        let st = Some(table);
        if w(s, "add") {
            let mut k = s + 1;
            if w(k, "constraint") {
                let name = self.name(k + 1);
                self.constraint(schema, table, name.as_deref(), k + 2);
                return;
            }
            if [
                "primary", "unique", "index", "key", "fulltext", "spatial", "foreign", "check",
            ]
            .iter()
            .any(|x| w(k, x))
            {
                self.element(schema, table, k, e, false);
                return;
            }
            if w(k, "column") {
                k += 1;
            }
            let k = self.t.skip_if(k);
            self.element(schema, table, k, e, false);
            return;
        }
        if w(s, "drop") {
            let mut k = s + 1;
            if w(k, "constraint") || w(k, "check") {
                let kinds = if w(k, "check") { CHECK } else { CONSTRAINT };
                if let Some(name) = self.name(self.t.skip_if(k + 1)) {
                    self.push(kinds, schema, st, Some(&name), Change::Drop);
                }
                return;
            }
            if w(k, "primary") {
                self.push(PK, schema, st, None, Change::Drop);
                return;
            }
            if w(k, "foreign") && w(k + 1, "key") {
                if let Some(name) = self.name(k + 2) {
                    self.push(FK, schema, st, Some(&name), Change::Drop);
                }
                return;
            }
            if w(k, "index") || w(k, "key") {
                if let Some(name) = self.name(k + 1) {
                    self.push(INDEX, schema, st, Some(&name), Change::Drop);
                }
                return;
            }
            if w(k, "column") {
                k += 1;
            }
            if let Some(column) = self.name(self.t.skip_if(k)) {
                self.push(COLUMN, schema, st, Some(&column), Change::Drop);
            }
            return;
        }
        if w(s, "alter") {
            let k = if w(s + 1, "column") { s + 2 } else { s + 1 };
            let Some(column) = self.name(k) else {
                return;
            };
            let a = k + 1;
            let fields: &'static [&'static str] =
                if w(a, "type") || (w(a, "set") && w(a + 1, "data")) {
                    &["type", "collation"]
                } else if (w(a, "set") || w(a, "drop")) && w(a + 1, "default") {
                    &["default"]
                } else if (w(a, "set") || w(a, "drop")) && w(a + 1, "not") {
                    &["not_null"]
                } else if w(a, "drop") && w(a + 1, "expression") {
                    &["generated"]
                } else if (w(a, "add") && w(a + 1, "generated"))
                    || (w(a, "drop") && w(a + 1, "identity"))
                    || (w(a, "set") && (w(a + 1, "generated") || self.t.punct(a + 1, '(')))
                    || w(a, "restart")
                    || (w(a, "set")
                        && [
                            "increment",
                            "minvalue",
                            "maxvalue",
                            "start",
                            "cache",
                            "cycle",
                            "no",
                        ]
                        .iter()
                        .any(|x| w(a + 1, x)))
                {
                    &["identity"]
                } else {
                    return;
                };
            self.push(COLUMN, schema, st, Some(&column), Change::Alter(fields));
            return;
        }
        if w(s, "modify") {
            let k = if w(s + 1, "column") { s + 2 } else { s + 1 };
            if let Some(column) = self.name(k) {
                self.push(
                    COLUMN,
                    schema,
                    st,
                    Some(&column),
                    Change::Alter(COLUMN_FIELDS),
                );
            }
            return;
        }
        if w(s, "change") {
            let k = if w(s + 1, "column") { s + 2 } else { s + 1 };
            if let (Some(from), Some(to)) = (self.name(k), self.name(k + 1)) {
                if from != to {
                    self.rename(COLUMN, schema, st, (&from, &to));
                }
                self.push(COLUMN, schema, st, Some(&to), Change::Alter(COLUMN_FIELDS));
            }
            return;
        }
        if w(s, "rename") {
            if w(s + 1, "to") || w(s + 1, "as") {
                if let Some((_, to, _)) = self.qualified(s + 2) {
                    self.rename(TABLE, schema, None, (table, &to));
                }
                return;
            }
            let (kinds, k) = if w(s + 1, "column") {
                (COLUMN, s + 2)
            } else if w(s + 1, "constraint") {
                (CONSTRAINT, s + 2)
            } else if w(s + 1, "index") || w(s + 1, "key") {
                (INDEX, s + 2)
            } else {
                (COLUMN, s + 1)
            };
            if let (Some(from), true, Some(to)) = (self.name(k), w(k + 1, "to"), self.name(k + 2)) {
                self.rename(kinds, schema, st, (&from, &to));
            }
            return;
        }
        let rls = (s..e.min(s + 4)).any(|k| w(k, "row")) && (s..e).any(|k| w(k, "security"));
        if rls && (w(s, "enable") || w(s, "disable") || w(s, "force") || w(s, "no")) {
            self.push(
                TABLE,
                schema,
                st,
                Some(table),
                Change::Alter(&["rls_enabled"]),
            );
        }
    }
}

/// The first occurrence of `word` as a whole word in `text` at or after `from`.
fn find_word(text: &str, word: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(pos) = text.get(at..).and_then(|r| r.find(word)) {
        let start = at + pos;
        let end = start + word.len();
        let boundary = |b: Option<&u8>| !b.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if boundary(start.checked_sub(1).and_then(|p| bytes.get(p))) && boundary(bytes.get(end)) {
            return Some(start);
        }
        at = end;
    }
    None
}

/// The comma-separated elements inside the parenthesis that opens before `i`, as token
/// ranges.
fn elements(t: &[Tok], i: usize) -> Vec<(usize, usize)> {
    comma_separated(t, i, true)
}

/// The comma-separated actions from `i` to the end of the statement.
fn elements_until_end(t: &[Tok], i: usize) -> Vec<(usize, usize)> {
    comma_separated(t, i, false)
}

/// Token ranges separated by top-level commas from `i`, up to the `)` closing the enclosing
/// parenthesis when `closed`, else to the end.
fn comma_separated(t: &[Tok], i: usize, closed: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = i;
    for (k, tok) in t.iter().enumerate().skip(i) {
        match tok {
            Tok::Punct('(') => depth += 1,
            Tok::Punct(')') if closed && depth == 0 => {
                out.push((start, k));
                return out;
            }
            Tok::Punct(')') => depth -= 1,
            Tok::Punct(',') if depth == 0 => {
                out.push((start, k));
                start = k + 1;
            }
            _ => {}
        }
    }
    out.push((start, t.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::history::statements;

    fn read(dialect: Dialect, sql: &str) -> Vec<String> {
        events(dialect, &statements(sql))
            .into_iter()
            .map(|e| {
                let change = match &e.change {
                    Change::Create => "create".to_string(),
                    Change::Drop => "drop".to_string(),
                    Change::Alter(f) => format!("alter {}", f.join(",")),
                    Change::RenameFrom(to) => format!("rename to {to}"),
                    Change::RenameTo(from) => format!("renamed from {from}"),
                };
                format!(
                    "{}:{} {:?}.{}.{} {change}",
                    e.line,
                    e.kinds[0].noun(),
                    e.schema,
                    e.table.unwrap_or_default(),
                    e.name.unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn postgres_statements_drizzle_kit_and_people_write() {
        let sql = "CREATE TABLE \"users\" (\n\t\"id\" serial PRIMARY KEY NOT NULL,\n\t\"email\" text,\n\tCONSTRAINT \"users_email_unique\" UNIQUE(\"email\")\n);\n--> statement-breakpoint\nDO $$ BEGIN\n ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_user_fk\" FOREIGN KEY (\"user_id\") REFERENCES \"public\".\"users\"(\"id\") ON DELETE cascade;\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;\n--> statement-breakpoint\n-- custom\nALTER TABLE users ENABLE ROW LEVEL SECURITY;\nCREATE POLICY \"own\" ON \"users\" USING (id = 1);\nCREATE INDEX IF NOT EXISTS \"users_email_trgm\" ON \"users\" USING gin (\"email\" gin_trgm_ops);\nDROP TABLE IF EXISTS Community;\nALTER TABLE \"users\" ALTER COLUMN \"email\" SET NOT NULL, ALTER COLUMN \"id\" SET DATA TYPE bigint;\nALTER TYPE \"public\".\"mood\" ADD VALUE 'meh';\nALTER TABLE \"a\" RENAME COLUMN \"x\" TO \"y\";";
        assert_eq!(
            read(Dialect::Postgresql, sql),
            [
                "1:table None.users.users create",
                "1:column None.users.id create",
                "1:primary key None.users. create",
                "1:column None.users.email create",
                "1:unique constraint None.users.users_email_unique create",
                "7:foreign key None.posts.posts_user_fk create",
                "14:table None.users.users alter rls_enabled",
                "15:policy None.users.own create",
                "16:index None.users.users_email_trgm create",
                "17:table None.community.community drop",
                "18:column None.users.email alter not_null",
                "18:column None.users.id alter type,collation",
                "19:enum Some(\"public\")..mood alter values,order",
                "20:column None.a.x rename to y",
                "20:column None.a.y renamed from x",
            ]
        );
    }

    #[test]
    fn mysql_statements() {
        let sql = "CREATE TABLE `t` (\n\t`id` int AUTO_INCREMENT NOT NULL,\n\t`Name` varchar(10) DEFAULT 'a,b',\n\tCONSTRAINT `t_id` PRIMARY KEY(`id`),\n\tCONSTRAINT `t_name_unique` UNIQUE(`Name`)\n);\n--> statement-breakpoint\nALTER TABLE `t` MODIFY COLUMN `Name` varchar(20);\n--> statement-breakpoint\nCREATE FULLTEXT INDEX `ft` ON `t` (`Name`);\n--> statement-breakpoint\nALTER TABLE `t` ADD INDEX `t_x` (`Name`), DROP FOREIGN KEY `f`;\n--> statement-breakpoint\nRENAME TABLE `t` TO `u`;\n--> statement-breakpoint\nDROP INDEX `i` ON `u`;";
        assert_eq!(
            read(Dialect::Mysql, sql),
            [
                "1:table None.t.t create",
                "1:column None.t.id create",
                "1:column None.t.Name create",
                "1:primary key None.t.t_id create",
                "1:unique constraint None.t.t_name_unique create",
                "8:column None.t.Name alter type,not_null,default,identity,generated,autoincrement,on_update,collation,charset",
                "10:index None.t.ft create",
                "12:index None.t.t_x create",
                "12:foreign key None.t.f drop",
                "14:table None.t.t rename to u",
                "14:table None.u.u renamed from t",
                "16:index None.u.i drop",
            ]
        );
    }
}
