//! A migration that stopped part way. MySQL commits every DDL statement on its own, so
//! when a statement of a migration fails (a unique key over duplicate rows, a lock wait
//! timeout) the statements before it stay applied while the migration is not recorded:
//! the next run of the migrator starts the file again and fails at its first statement.
//!
//! Each statement of the first pending migration is matched to the object it creates,
//! drops or changes, and that object is looked up in the live catalog: whether it is
//! as the migration's snapshot says (took effect) or as the snapshot before it says (did
//! not). Pure: statements and models in, findings out.

use super::messages::subject;
use super::objects::{flatten, Object, ObjectKey, Objects};
use crate::model::{Dialect, Schema};
use crate::report::{Category, Finding, ObjectKind, Severity};
use crate::sources::history::Statement;
use crate::sql::tokens::{tokens, Tokens};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The live catalog is as the statement leaves it.
    Done,
    /// The live catalog is as it was before the statement.
    NotDone,
    /// Neither (changed again since), or a statement whose object is not recognized.
    Unknown,
}

/// What a statement does to which object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Create,
    Drop,
    Alter,
    Rename { to: ObjectKey },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub key: ObjectKey,
    pub change: Change,
}

#[derive(Debug, Clone)]
pub struct StatementEffect {
    /// 1-based position in the file.
    pub number: usize,
    pub line: u32,
    pub sql: String,
    pub target: Option<Target>,
    pub effect: Effect,
}

/// The effect of every statement of a pending migration: `before` is the snapshot the
/// database should match without it (the last applied one), `after` the migration's own
/// snapshot, `live` the catalog. All three normalized.
pub fn analyze(
    statements: &[Statement],
    before: &Schema,
    after: &Schema,
    live: &Schema,
) -> Vec<StatementEffect> {
    let (before, after, live) = (flatten(before), flatten(after), flatten(live));
    let targets: Vec<Option<Target>> = statements
        .iter()
        .map(|s| target(&s.sql, &before, &after))
        .collect();
    let mut out: Vec<StatementEffect> = statements
        .iter()
        .zip(&targets)
        .enumerate()
        .map(|(i, (s, t))| StatementEffect {
            number: i + 1,
            line: s.line,
            sql: s.sql.clone(),
            effect: t
                .as_ref()
                .map_or(Effect::Unknown, |t| effect(t, &before, &after, &live)),
            target: t.clone(),
        })
        .collect();
    // A drop of something the same migration creates again (an FK whose actions change)
    // took effect if the re-creation did — or if the object is gone (the re-creation
    // failed after the drop).
    for i in 0..out.len() {
        let Some(Target {
            key,
            change: Change::Drop,
        }) = &out[i].target
        else {
            continue;
        };
        if !live.contains_key(key) {
            continue;
        }
        let recreated = out[i + 1..].iter().find(|later| {
            later
                .target
                .as_ref()
                .is_some_and(|t| t.change == Change::Create && t.key == *key)
        });
        if let Some(later) = recreated {
            out[i].effect = later.effect;
        }
    }
    out
}

fn same(a: Option<&Object>, b: Option<&Object>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.attributes == b.attributes,
        (None, None) => true,
        _ => false,
    }
}

fn effect(t: &Target, before: &Objects, after: &Objects, live: &Objects) -> Effect {
    let now = live.get(&t.key);
    match &t.change {
        Change::Create => match (before.get(&t.key), now) {
            (_, None) => Effect::NotDone,
            // Re-created with other attributes in this migration.
            (Some(old), Some(now)) if !same(Some(old), after.get(&t.key)) => {
                if same(Some(now), after.get(&t.key)) {
                    Effect::Done
                } else if same(Some(now), Some(old)) {
                    Effect::NotDone
                } else {
                    Effect::Unknown
                }
            }
            (_, Some(_)) => Effect::Done,
        },
        Change::Drop => {
            if now.is_none() {
                Effect::Done
            } else {
                Effect::NotDone
            }
        }
        Change::Alter => {
            if same(now, after.get(&t.key)) {
                Effect::Done
            } else if same(now, before.get(&t.key)) {
                Effect::NotDone
            } else {
                Effect::Unknown
            }
        }
        Change::Rename { to } => match (now.is_some(), live.contains_key(to)) {
            (false, true) => Effect::Done,
            (true, false) => Effect::NotDone,
            _ => Effect::Unknown,
        },
    }
}

fn key(table: Option<&str>, kind: ObjectKind, name: &str) -> ObjectKey {
    ObjectKey {
        schema: String::new(),
        table: table.map(str::to_string),
        kind,
        name: name.to_string(),
    }
}

/// `DROP INDEX` names an index or a unique key (MySQL keeps no difference): whichever
/// the snapshot before had.
fn index_or_unique(table: &str, name: &str, before: &Objects, after: &Objects) -> ObjectKey {
    let unique = key(Some(table), ObjectKind::Unique, name);
    if before.contains_key(&unique) || after.contains_key(&unique) {
        unique
    } else {
        key(Some(table), ObjectKind::Index, name)
    }
}

/// What the statement targets; `None` when it is not one drizzle-kit writes.
fn target(sql: &str, before: &Objects, after: &Objects) -> Option<Target> {
    // Partial migrations are MySQL's (PostgreSQL runs the batch in one transaction).
    let t = tokens(sql, Dialect::Mysql, 16);
    let word = |i: usize, w: &str| t.word(i, w);
    let name = |i: usize| t.name(i);
    let create = |key| {
        Some(Target {
            key,
            change: Change::Create,
        })
    };
    let drop = |key| {
        Some(Target {
            key,
            change: Change::Drop,
        })
    };
    // Skip `IF [NOT] EXISTS`.
    let skip_if = |mut i: usize| {
        if word(i, "if") {
            i += 1;
            if word(i, "not") {
                i += 1;
            }
            if word(i, "exists") {
                i += 1;
            }
        }
        i
    };
    if word(0, "create") {
        let mut i = 1;
        if word(i, "or") && word(i + 1, "replace") {
            i += 2;
        }
        if word(i, "table") {
            let table = name(skip_if(i + 1))?;
            return create(key(Some(&table), ObjectKind::Table, &table));
        }
        let unique = word(i, "unique");
        if unique {
            i += 1;
        }
        if word(i, "index") {
            let index = name(i + 1)?;
            let on = (i + 2..t.len()).find(|&j| word(j, "on"))?;
            let table = name(on + 1)?;
            let kind = if unique {
                ObjectKind::Unique
            } else {
                ObjectKind::Index
            };
            return create(key(Some(&table), kind, &index));
        }
        // CREATE [ALGORITHM = x] [DEFINER = y] [SQL SECURITY z] VIEW v
        let view = (i..t.len()).find(|&j| word(j, "view"))?;
        let v = name(view + 1)?;
        return create(key(None, ObjectKind::View, &v));
    }
    if word(0, "drop") {
        if word(1, "table") {
            let table = name(skip_if(2))?;
            return drop(key(Some(&table), ObjectKind::Table, &table));
        }
        if word(1, "view") {
            let v = name(skip_if(2))?;
            return drop(key(None, ObjectKind::View, &v));
        }
        if word(1, "index") && word(3, "on") {
            let (index, table) = (name(2)?, name(4)?);
            return drop(index_or_unique(&table, &index, before, after));
        }
        return None;
    }
    if word(0, "rename") && word(1, "table") && word(3, "to") {
        let (from, to) = (name(2)?, name(4)?);
        return Some(Target {
            key: key(Some(&from), ObjectKind::Table, &from),
            change: Change::Rename {
                to: key(Some(&to), ObjectKind::Table, &to),
            },
        });
    }
    if !(word(0, "alter") && word(1, "table")) {
        return None;
    }
    let table = name(2)?;
    let table = table.as_str();
    let column = |n: &str| key(Some(table), ObjectKind::Column, n);
    match t.get(3)? {
        tok if tok.is("add") => {
            if word(4, "constraint") {
                let constraint = name(5)?;
                let kind = if word(6, "unique") {
                    ObjectKind::Unique
                } else if word(6, "foreign") {
                    ObjectKind::ForeignKey
                } else if word(6, "check") {
                    ObjectKind::Check
                } else if word(6, "primary") {
                    return create(key(Some(table), ObjectKind::PrimaryKey, ""));
                } else {
                    return None;
                };
                return create(key(Some(table), kind, &constraint));
            }
            if word(4, "primary") {
                return create(key(Some(table), ObjectKind::PrimaryKey, ""));
            }
            if word(4, "unique") {
                let i = if word(5, "index") || word(5, "key") {
                    6
                } else {
                    5
                };
                return create(key(Some(table), ObjectKind::Unique, &name(i)?));
            }
            if word(4, "index") || word(4, "key") {
                return create(key(Some(table), ObjectKind::Index, &name(5)?));
            }
            if word(4, "foreign") || word(4, "check") || word(4, "fulltext") || word(4, "spatial") {
                return None;
            }
            let i = if word(4, "column") { 5 } else { 4 };
            create(column(&name(i)?))
        }
        tok if tok.is("drop") => {
            if word(4, "foreign") && word(5, "key") {
                return drop(key(Some(table), ObjectKind::ForeignKey, &name(6)?));
            }
            if word(4, "primary") {
                return drop(key(Some(table), ObjectKind::PrimaryKey, ""));
            }
            if word(4, "index") || word(4, "key") {
                return drop(index_or_unique(table, &name(5)?, before, after));
            }
            if word(4, "constraint") || word(4, "check") {
                let n = name(5)?;
                let check = key(Some(table), ObjectKind::Check, &n);
                if before.contains_key(&check) {
                    return drop(check);
                }
                return drop(index_or_unique(table, &n, before, after));
            }
            let i = if word(4, "column") { 5 } else { 4 };
            drop(column(&name(i)?))
        }
        tok if tok.is("modify") => {
            let i = if word(4, "column") { 5 } else { 4 };
            Some(Target {
                key: column(&name(i)?),
                change: Change::Alter,
            })
        }
        tok if tok.is("alter") => {
            let i = if word(4, "column") { 5 } else { 4 };
            Some(Target {
                key: column(&name(i)?),
                change: Change::Alter,
            })
        }
        tok if tok.is("rename") && word(4, "column") && word(6, "to") => Some(Target {
            key: column(&name(5)?),
            change: Change::Rename {
                to: column(&name(7)?),
            },
        }),
        tok if tok.is("change") => {
            let i = if word(4, "column") { 5 } else { 4 };
            let (from, to) = (name(i)?, name(i + 1)?);
            Some(Target {
                key: column(&from),
                change: Change::Rename { to: column(&to) },
            })
        }
        tok if tok.is("rename") => {
            let i = if word(4, "to") || word(4, "as") { 5 } else { 4 };
            let to = name(i)?;
            Some(Target {
                key: key(Some(table), ObjectKind::Table, table),
                change: Change::Rename {
                    to: key(Some(&to), ObjectKind::Table, &to),
                },
            })
        }
        _ => None,
    }
}

/// The statement's first line, shortened, for a sentence.
fn excerpt(sql: &str) -> String {
    let first = sql.lines().next().unwrap_or("").trim();
    let first = first
        .split("--> statement-breakpoint")
        .next()
        .unwrap_or(first)
        .trim_end_matches(';')
        .trim_end_matches(" (")
        .trim_end();
    let mut s: String = first.chars().take(100).collect();
    if s.len() < first.len() {
        s.push('…');
    }
    s
}

fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// The statement that undoes a statement that took effect, when there is a simple one.
fn undo(t: &Target) -> Option<String> {
    if t.change != Change::Create {
        return None;
    }
    let table = t.key.table.as_deref().map(ident).unwrap_or_default();
    let name = ident(&t.key.name);
    Some(match t.key.kind {
        ObjectKind::Table => format!("DROP TABLE {name};"),
        ObjectKind::Column => format!("ALTER TABLE {table} DROP COLUMN {name};"),
        ObjectKind::Index | ObjectKind::Unique => format!("DROP INDEX {name} ON {table};"),
        ObjectKind::ForeignKey => format!("ALTER TABLE {table} DROP FOREIGN KEY {name};"),
        ObjectKind::Check => format!("ALTER TABLE {table} DROP CONSTRAINT {name};"),
        ObjectKind::PrimaryKey => format!("ALTER TABLE {table} DROP PRIMARY KEY;"),
        ObjectKind::View => format!("DROP VIEW {name};"),
        _ => return None,
    })
}

/// The pending migration this is about, as the migrator records it.
pub struct Pending<'a> {
    pub tag: &'a str,
    pub hash: Option<&'a str>,
    pub when: Option<i64>,
    /// The migrations table (in the current database).
    pub table: &'a str,
}

/// The `history` finding for a migration some of whose statements took effect while it
/// is not recorded as applied; `None` when none did (an ordinary pending migration).
pub fn finding(m: &Pending, effects: &[StatementEffect]) -> Option<Finding> {
    let done: Vec<&StatementEffect> = effects
        .iter()
        .filter(|e| e.effect == Effect::Done)
        .collect();
    if done.is_empty() {
        return None;
    }
    let rest: Vec<&StatementEffect> = effects
        .iter()
        .filter(|e| e.effect != Effect::Done)
        .collect();
    let list = |items: &[&StatementEffect]| {
        items
            .iter()
            .map(|e| format!("#{} {} (line {})", e.number, excerpt(&e.sql), e.line))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let record = format!(
        "INSERT INTO {} (`hash`, `created_at`) VALUES ('{}', {});",
        ident(m.table),
        m.hash.unwrap_or("<sha256 of the file>"),
        m.when
            .map_or("<journal when>".to_string(), |w| w.to_string())
    );
    let first = done[0];
    let (message, fix) = if rest.is_empty() {
        (
            format!(
                "every statement of {} ({}) already took effect, but the migrations table has no row for it: the migrator will run it again and fail at statement #{} ({})",
                m.tag,
                effects.len(),
                first.number,
                excerpt(&first.sql)
            ),
            format!("record it as applied:\n{record}"),
        )
    } else {
        let unknown = rest.iter().filter(|e| e.effect == Effect::Unknown).count();
        let unknown_note = if unknown > 0 {
            format!(" ({unknown} could not be checked)")
        } else {
            String::new()
        };
        let message = format!(
            "{} stopped part way: {} of its {} statements took effect and it is not recorded as applied (MySQL commits each DDL statement, so a failed migration is not rolled back). Took effect: {}. Did not{unknown_note}: {}. Running the migrator again fails at statement #{}",
            m.tag,
            done.len(),
            effects.len(),
            list(&done),
            list(&rest),
            first.number
        );
        let remaining: Vec<String> = rest
            .iter()
            .map(|e| format!("{};", e.sql.trim().trim_end_matches(';')))
            .collect();
        let undos: Vec<String> = done
            .iter()
            .rev()
            .map(|e| {
                e.target.as_ref().and_then(undo).unwrap_or_else(|| {
                    format!("-- undo by hand: #{} {}", e.number, excerpt(&e.sql))
                })
            })
            .collect();
        let fix = format!(
            "fix what made it fail, then either finish it by hand and record it:\n{}\n{record}\nor undo what took effect and run the migrator again:\n{}",
            remaining.join("\n"),
            undos.join("\n")
        );
        (message, fix)
    };
    Some(Finding {
        category: Category::History,
        severity: Severity::Error,
        object: ObjectKind::Migration,
        schema: None,
        table: None,
        name: m.tag.to_string(),
        field: None,
        ts: Value::Null,
        snapshot: Value::Null,
        live: Value::Null,
        message,
        fix: Some(fix),
        location: None,
        rule: None,
        target: None,
    })
}

pub(crate) fn finding_key(f: &Finding) -> ObjectKey {
    ObjectKey {
        schema: f.schema.clone().unwrap_or_default(),
        table: f.table.clone(),
        kind: f.object,
        name: if f.object == ObjectKind::PrimaryKey {
            String::new()
        } else {
            f.name.clone()
        },
    }
}

/// Re-file as `history` the drift and pending findings on objects that a statement of
/// the stopped migration already created, dropped or changed (one finding per object),
/// and on the index InnoDB made for a foreign key the migration dropped (it stays).
pub fn refile(findings: &mut Vec<Finding>, tag: &str, effects: &[StatementEffect]) {
    let explains = |f: &Finding| {
        let key = finding_key(f);
        effects.iter().find(|e| {
            e.effect == Effect::Done
                && e.target.as_ref().is_some_and(|t| match &t.change {
                    Change::Rename { to } => t.key == key || *to == key,
                    _ => t.key == key,
                })
        })
    };
    let left_index = |f: &Finding| {
        if f.category != Category::Drift || f.object != ObjectKind::Index || f.live != true {
            return None;
        }
        let fk = ObjectKey {
            kind: ObjectKind::ForeignKey,
            ..finding_key(f)
        };
        effects.iter().find(|e| {
            e.effect == Effect::Done
                && e.target
                    .as_ref()
                    .is_some_and(|t| t.change == Change::Drop && t.key == fk)
        })
    };
    let mut seen: Vec<ObjectKey> = Vec::new();
    let mut out = Vec::with_capacity(findings.len());
    // Drift first: it carries the live value.
    findings.sort_by_key(|f| f.category != Category::Drift);
    for mut f in findings.drain(..) {
        if !matches!(f.category, Category::Drift | Category::Pending) {
            out.push(f);
            continue;
        }
        if let Some(e) = left_index(&f) {
            f.message = format!(
                "index {} on {} is the one InnoDB made for foreign key {0}; it stayed when statement #{} of {tag} dropped the key, which stopped part way and is not recorded as applied",
                f.name,
                f.table.as_deref().unwrap_or_default(),
                e.number
            );
            f.category = Category::History;
            f.severity = Severity::Error;
            f.fix = Some(format!("see the finding on migration {tag}"));
            out.push(f);
            continue;
        }
        let Some(e) = explains(&f) else {
            out.push(f);
            continue;
        };
        let id = finding_key(&f);
        if seen.contains(&id) {
            continue;
        }
        seen.push(id.clone());
        let what = match e.target.as_ref().map(|t| &t.change) {
            Some(Change::Create) => "created",
            Some(Change::Drop) => "dropped",
            Some(Change::Alter) => "changed",
            _ => "renamed",
        };
        f.message = format!(
            "{} was {what} by statement #{} of {tag}, which stopped part way and is not recorded as applied",
            subject(&id, &f.name),
            e.number
        );
        f.category = Category::History;
        f.severity = Severity::Error;
        f.fix = Some(format!("see the finding on migration {tag}"));
        out.push(f);
    }
    *findings = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, QualifiedName, Table, Unique};
    use crate::sources::history::statements;

    fn users(extra: bool, unique: bool) -> Schema {
        let mut s = Schema::new(crate::model::Dialect::Mysql);
        let mut t = Table::new(QualifiedName::new("", "users"));
        t.columns.push(Column::new("id", "int"));
        t.columns.push(Column::new("name", "varchar(100)"));
        if extra {
            t.columns.push(Column::new("nick", "varchar(10)"));
        }
        if unique {
            t.uniques.push(Unique {
                name: "users_name_unique".into(),
                columns: vec!["name".into()],
                nulls_not_distinct: false,
                origin: None,
            });
        }
        s.tables.insert(t.name.clone(), t);
        s
    }

    const SQL: &str = "ALTER TABLE `users` ADD `nick` varchar(10);--> statement-breakpoint\nALTER TABLE `users` ADD CONSTRAINT `users_name_unique` UNIQUE(`name`);";

    #[test]
    fn a_half_applied_migration_names_what_took_effect() {
        let effects = analyze(
            &statements(SQL),
            &users(false, false),
            &users(true, true),
            &users(true, false),
        );
        let got: Vec<Effect> = effects.iter().map(|e| e.effect).collect();
        assert_eq!(got, [Effect::Done, Effect::NotDone]);
        let pending = Pending {
            tag: "0001_x",
            hash: Some("abc"),
            when: Some(7),
            table: "__drizzle_migrations",
        };
        let f = finding(&pending, &effects).expect("a finding");
        assert!(
            f.message.contains("1 of its 2 statements took effect"),
            "{}",
            f.message
        );
        let fix = f.fix.unwrap_or_default();
        assert!(
            fix.contains("ALTER TABLE `users` ADD CONSTRAINT `users_name_unique` UNIQUE(`name`);")
        );
        assert!(fix.contains("VALUES ('abc', 7);"));
        assert!(fix.contains("ALTER TABLE `users` DROP COLUMN `nick`;"));
    }

    #[test]
    fn an_ordinary_pending_migration_is_no_finding() {
        let effects = analyze(
            &statements(SQL),
            &users(false, false),
            &users(true, true),
            &users(false, false),
        );
        assert!(effects.iter().all(|e| e.effect == Effect::NotDone));
        let pending = Pending {
            tag: "0001_x",
            hash: None,
            when: None,
            table: "t",
        };
        assert!(finding(&pending, &effects).is_none());
    }

    #[test]
    fn statements_drizzle_kit_writes_have_targets() {
        let none = Objects::new();
        let cases = [
            (
                "CREATE TABLE `a` (\n`id` int)",
                ObjectKind::Table,
                "a",
                Change::Create,
            ),
            ("DROP TABLE `a`;", ObjectKind::Table, "a", Change::Drop),
            (
                "ALTER TABLE `a` ADD `c` int;",
                ObjectKind::Column,
                "c",
                Change::Create,
            ),
            (
                "ALTER TABLE `a` DROP COLUMN `c`;",
                ObjectKind::Column,
                "c",
                Change::Drop,
            ),
            (
                "ALTER TABLE `a` MODIFY COLUMN `c` int NOT NULL;",
                ObjectKind::Column,
                "c",
                Change::Alter,
            ),
            (
                "ALTER TABLE `a` ADD CONSTRAINT `f` FOREIGN KEY (`c`) REFERENCES `b`(`id`)",
                ObjectKind::ForeignKey,
                "f",
                Change::Create,
            ),
            (
                "ALTER TABLE `a` DROP FOREIGN KEY `f`;",
                ObjectKind::ForeignKey,
                "f",
                Change::Drop,
            ),
            (
                "ALTER TABLE `a` ADD CONSTRAINT `k` CHECK (`c` > 0);",
                ObjectKind::Check,
                "k",
                Change::Create,
            ),
            (
                "CREATE INDEX `i` ON `a` (`c`);",
                ObjectKind::Index,
                "i",
                Change::Create,
            ),
            (
                "CREATE UNIQUE INDEX `u` ON `a` (`c`);",
                ObjectKind::Unique,
                "u",
                Change::Create,
            ),
            (
                "DROP INDEX `i` ON `a`;",
                ObjectKind::Index,
                "i",
                Change::Drop,
            ),
            (
                "CREATE ALGORITHM = undefined\nSQL SECURITY definer\nVIEW `v` AS (select 1);",
                ObjectKind::View,
                "v",
                Change::Create,
            ),
            (
                "/* c */ -- x\nDROP VIEW `v`;",
                ObjectKind::View,
                "v",
                Change::Drop,
            ),
        ];
        for (sql, kind, name, change) in cases {
            let t = target(sql, &none, &none).unwrap_or_else(|| panic!("no target for {sql}"));
            assert_eq!(
                (t.key.kind, t.key.name.as_str(), t.change),
                (kind, name, change),
                "{sql}"
            );
        }
        assert!(target("UPDATE `a` SET `c` = 1", &none, &none).is_none());
        assert!(target("", &none, &none).is_none());
        assert!(target("ALTER TABLE", &none, &none).is_none());
    }
}
