//! What one migration statement does, as far as the Drizzle rules need to know: read
//! from its tokens (`sql::tokens`), not from a full parser.

use crate::model::Dialect;
use crate::sql::lex::{Kind, Lexer};
use crate::sql::tokens::{tokens, Tok, Tokens};

/// A table as a statement names it: `schema` is `None` when unqualified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    pub schema: Option<String>,
    pub name: String,
}

impl TableRef {
    /// Whether this names `schema.name` (unqualified names are `public`).
    pub fn is(&self, schema: &str, name: &str) -> bool {
        let mine = self.schema.as_deref().unwrap_or("public");
        let theirs = if schema.is_empty() { "public" } else { schema };
        self.name == name && mine == theirs
    }

    pub fn sql(&self) -> String {
        match &self.schema {
            Some(s) => format!("{}.{}", quote(s), quote(&self.name)),
            None => quote(&self.name),
        }
    }
}

pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    CreateTable(TableRef),
    DropTable(TableRef),
    RenameTable {
        from: TableRef,
        to: String,
    },
    CreateIndex {
        table: TableRef,
        name: String,
    },
    DropIndex {
        name: String,
    },
    AddColumn {
        table: TableRef,
        column: String,
    },
    DropColumn {
        table: TableRef,
        column: String,
    },
    RenameColumn {
        table: TableRef,
        from: String,
        to: String,
    },
    SetNotNull {
        table: TableRef,
        column: String,
    },
    SetType {
        table: TableRef,
        column: String,
        to: String,
    },
    /// `ADD CONSTRAINT … FOREIGN KEY|CHECK` without `NOT VALID`.
    AddValidatedConstraint {
        table: TableRef,
        name: String,
        kind: &'static str,
    },
    /// `ADD CONSTRAINT … UNIQUE (…)` building its own index under the table lock.
    AddUnique {
        table: TableRef,
        name: String,
        columns: String,
    },
    /// `ALTER TYPE … ADD VALUE '…'`.
    AddEnumValue {
        enum_name: String,
        value: String,
    },
    /// A statement PostgreSQL refuses inside a transaction block; what it is.
    NoTransaction(&'static str),
    /// `DO $$ … $$`: a block whose statements this does not follow.
    Do,
    /// `BEGIN` / `START TRANSACTION`.
    Begin,
    /// `COMMIT` / `END` / `ROLLBACK` / `ABORT`: the open transaction ends.
    EndTransaction,
    /// `INSERT INTO`, `UPDATE`, `DELETE FROM` or `TRUNCATE` of a table: its rows handled by hand.
    Data(TableRef),
    Other,
}

/// A possibly schema-qualified name at `i`, and the index after it.
fn table(c: &[Tok], i: usize) -> Option<(TableRef, usize)> {
    let first = c.name(i)?;
    if c.punct(i + 1, '.') {
        let name = c.name(i + 2)?;
        let schema = Some(first);
        return Some((TableRef { schema, name }, i + 3));
    }
    let name = first;
    Some((TableRef { schema: None, name }, i + 1))
}

/// `NOT VALID` anywhere in the statement.
fn not_valid(c: &[Tok]) -> bool {
    c.windows(2).any(|w| w[0].is("not") && w[1].is("valid"))
}

/// The values of the statement's string literals (`'…'`, `E'…'`), comments, quoted
/// identifiers and dollar-quoted bodies left out.
pub fn string_literals(sql: &str, dialect: Dialect) -> Vec<String> {
    Lexer::new(sql, dialect)
        .filter(|l| l.kind == Kind::String)
        .map(|l| l.value())
        .collect()
}

/// What the statement does.
pub fn classify(sql: &str, dialect: Dialect) -> Action {
    classify_tokens(&tokens(sql, dialect, 4096), sql).unwrap_or(Action::Other)
}

fn classify_tokens(c: &[Tok], sql: &str) -> Option<Action> {
    if c.word(0, "do") {
        return Some(Action::Do);
    }
    if c.word(0, "begin") || (c.word(0, "start") && c.word(1, "transaction")) {
        return Some(Action::Begin);
    }
    if c.word(0, "commit")
        || c.word(0, "end")
        || c.word(0, "abort")
        || (c.word(0, "rollback") && !c.word(1, "to") && !c.word(1, "prepared"))
    {
        return Some(Action::EndTransaction);
    }
    let data = match () {
        _ if c.word(0, "insert") && c.word(1, "into") => Some(2),
        _ if c.word(0, "delete") && c.word(1, "from") => Some(2),
        _ if c.word(0, "update") => Some(1),
        _ if c.word(0, "truncate") => Some(if c.word(1, "table") { 2 } else { 1 }),
        _ => None,
    };
    if let Some(i) = data {
        let i = if c.word(i, "only") { i + 1 } else { i };
        return Some(Action::Data(table(c, i)?.0));
    }
    if c.word(0, "vacuum") {
        return Some(Action::NoTransaction("VACUUM"));
    }
    if c.word(0, "alter") && c.word(1, "system") {
        return Some(Action::NoTransaction("ALTER SYSTEM"));
    }
    if c.word(0, "reindex") && c.any("concurrently") {
        return Some(Action::NoTransaction("REINDEX CONCURRENTLY"));
    }
    if (c.word(0, "create") || c.word(0, "drop"))
        && (c.word(1, "database") || c.word(1, "tablespace"))
    {
        return Some(Action::NoTransaction(
            match (c.word(0, "create"), c.word(1, "database")) {
                (true, true) => "CREATE DATABASE",
                (false, true) => "DROP DATABASE",
                (true, false) => "CREATE TABLESPACE",
                (false, false) => "DROP TABLESPACE",
            },
        ));
    }
    if c.word(0, "create") && c.word(1, "subscription") {
        return Some(Action::NoTransaction("CREATE SUBSCRIPTION"));
    }
    if c.word(0, "create") {
        let mut i = 1;
        if c.word(i, "unique") {
            i += 1;
        }
        if c.word(i, "index") {
            if c.word(i + 1, "concurrently") {
                return Some(Action::NoTransaction("CREATE INDEX CONCURRENTLY"));
            }
            let j = c.skip_if(i + 1);
            let name = c.name(j)?;
            let mut on = j + 1;
            if !c.word(on, "on") {
                return None;
            }
            on += 1;
            if c.word(on, "only") {
                on += 1;
            }
            let (table, _) = table(c, on)?;
            return Some(Action::CreateIndex { table, name });
        }
        // CREATE [UNLOGGED|TEMP…] TABLE
        let at = (1..4).find(|&k| c.word(k, "table"))?;
        if (1..at).any(|k| c.word(k, "temp") || c.word(k, "temporary")) {
            return None;
        }
        let (table, _) = table(c, c.skip_if(at + 1))?;
        return Some(Action::CreateTable(table));
    }
    if c.word(0, "drop") {
        if c.word(1, "index") {
            if c.word(2, "concurrently") {
                return Some(Action::NoTransaction("DROP INDEX CONCURRENTLY"));
            }
            let (index, _) = table(c, c.skip_if(2))?;
            return Some(Action::DropIndex { name: index.name });
        }
        if c.word(1, "table") {
            let (table, _) = table(c, c.skip_if(2))?;
            return Some(Action::DropTable(table));
        }
        return None;
    }
    if c.word(0, "alter") && c.word(1, "type") {
        let (enum_ref, next) = table(c, 2)?;
        if c.word(next, "add") && c.word(next + 1, "value") {
            let Some(Tok::Literal(value)) = c.get(c.skip_if(next + 2)) else {
                return None;
            };
            let value = value.clone();
            return Some(Action::AddEnumValue {
                enum_name: enum_ref.name,
                value,
            });
        }
        return None;
    }
    if !(c.word(0, "alter") && c.word(1, "table")) {
        return None;
    }
    let mut i = c.skip_if(2);
    if c.word(i, "only") {
        i += 1;
    }
    let (table, mut i) = table(c, i)?;
    if c.word(i, "rename") {
        if c.word(i + 1, "to") {
            let to = c.name(i + 2)?;
            return Some(Action::RenameTable { from: table, to });
        }
        let k = if c.word(i + 1, "column") {
            i + 2
        } else {
            i + 1
        };
        if c.word(k + 1, "to") {
            let (from, to) = (c.name(k)?, c.name(k + 2)?);
            return Some(Action::RenameColumn { table, from, to });
        }
        return None;
    }
    if c.word(i, "detach") && c.word(i + 1, "partition") && c.any("concurrently") {
        return Some(Action::NoTransaction("DETACH PARTITION CONCURRENTLY"));
    }
    if c.word(i, "add") {
        i += 1;
        if c.word(i, "constraint") {
            let name = c.name(i + 1)?;
            let k = i + 2;
            if c.word(k, "foreign") || c.word(k, "check") {
                if not_valid(c) {
                    return None;
                }
                let kind = if c.word(k, "foreign") {
                    "foreign key"
                } else {
                    "check constraint"
                };
                return Some(Action::AddValidatedConstraint { table, name, kind });
            }
            if c.word(k, "unique") {
                if c.word(k + 1, "using") && c.word(k + 2, "index") {
                    return None;
                }
                let open = sql.find('(');
                let close = sql.rfind(')');
                let columns = match (open, close) {
                    (Some(o), Some(e)) if e > o => sql[o + 1..e].to_string(),
                    _ => String::new(),
                };
                return Some(Action::AddUnique {
                    table,
                    name,
                    columns,
                });
            }
            return None;
        }
        // ADD PRIMARY KEY / UNIQUE / FOREIGN KEY / CHECK / EXCLUDE without a name: no column.
        if ["primary", "unique", "foreign", "check", "exclude"]
            .iter()
            .any(|w| c.word(i, w))
        {
            return None;
        }
        if c.word(i, "column") {
            i += 1;
        }
        let i = c.skip_if(i);
        let column = c.name(i)?;
        return Some(Action::AddColumn { table, column });
    }
    if c.word(i, "drop") {
        i += 1;
        if c.word(i, "constraint") {
            return None;
        }
        if c.word(i, "column") {
            i += 1;
        }
        let column = c.name(c.skip_if(i))?;
        return Some(Action::DropColumn { table, column });
    }
    if c.word(i, "alter") {
        i += 1;
        if c.word(i, "column") {
            i += 1;
        }
        let column = c.name(i)?;
        let k = i + 1;
        if c.word(k, "set") && c.word(k + 1, "not") && c.word(k + 2, "null") {
            return Some(Action::SetNotNull { table, column });
        }
        let ty = if c.word(k, "type") {
            Some(k + 1)
        } else if c.word(k, "set") && c.word(k + 1, "data") && c.word(k + 2, "type") {
            Some(k + 3)
        } else {
            None
        };
        if let Some(ty) = ty {
            let to = type_text(&c[ty.min(c.len())..]);
            return Some(Action::SetType { table, column, to });
        }
    }
    None
}

/// The type of `SET DATA TYPE …` as written, up to `USING`/`COLLATE` or the end.
fn type_text(tokens: &[Tok]) -> String {
    let mut out = String::new();
    for tok in tokens {
        match tok {
            Tok::Word(w, raw) => {
                if w == "using" || w == "collate" {
                    break;
                }
                if !out.is_empty() && !out.ends_with('(') && !out.ends_with('.') {
                    out.push(' ');
                }
                out.push_str(raw);
            }
            Tok::Quoted(raw) => {
                if !out.is_empty() && !out.ends_with('.') && !out.ends_with('(') {
                    out.push(' ');
                }
                out.push_str(&quote(raw));
            }
            Tok::Punct(';') => break,
            Tok::Punct(p) => out.push(*p),
            Tok::Literal(text) => {
                out.push('\'');
                out.push_str(&text.replace('\'', "''"));
                out.push('\'');
            }
        }
    }
    out.replace(" (", "(").replace(" ,", ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(sql: &str) -> Action {
        super::classify(sql, Dialect::Postgresql)
    }

    fn t(name: &str) -> TableRef {
        TableRef {
            schema: None,
            name: name.into(),
        }
    }

    #[test]
    fn reads_what_drizzle_kit_writes() {
        assert_eq!(
            classify("ALTER TABLE \"users\" ALTER COLUMN \"email\" SET NOT NULL;"),
            Action::SetNotNull {
                table: t("users"),
                column: "email".into()
            }
        );
        assert_eq!(
            classify("ALTER TABLE \"users\" ALTER COLUMN \"age\" SET DATA TYPE bigint;"),
            Action::SetType {
                table: t("users"),
                column: "age".into(),
                to: "bigint".into()
            }
        );
        assert_eq!(
            classify("ALTER TYPE \"public\".\"status\" ADD VALUE 'it''s';"),
            Action::AddEnumValue {
                enum_name: "status".into(),
                value: "it's".into()
            }
        );
        assert_eq!(
            classify("CREATE TABLE \"auth\".\"users\" (\"id\" serial);"),
            Action::CreateTable(TableRef {
                schema: Some("auth".into()),
                name: "users".into()
            })
        );
        assert_eq!(
            classify("CREATE INDEX CONCURRENTLY \"i\" ON \"t\" (\"a\");"),
            Action::NoTransaction("CREATE INDEX CONCURRENTLY")
        );
        assert_eq!(
            classify("ALTER TABLE \"t\" ADD CONSTRAINT \"f\" FOREIGN KEY (\"a\") REFERENCES \"u\"(\"id\") NOT VALID;"),
            Action::Other
        );
        assert_eq!(
            classify("ALTER TABLE \"t\" ADD PRIMARY KEY (\"a\", \"b\");"),
            Action::Other
        );
        assert_eq!(
            classify("DO $$ BEGIN ALTER TABLE t ADD c int; END $$;"),
            Action::Do
        );
        assert_eq!(
            classify("ALTER TABLE \"t\" ADD CONSTRAINT \"u\" UNIQUE(\"a\");"),
            Action::AddUnique {
                table: t("t"),
                name: "u".into(),
                columns: "\"a\"".into()
            }
        );
    }
}
