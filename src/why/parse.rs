//! Reading the object out of a pasted database error: a bare message or a whole log line
//! with its prefix (`ERROR:  `, `PostgresError: `, `error: `), a stack trace, SQLSTATE,
//! escaped quotes from a JSON log, any letter case.

use serde::Serialize;

/// The forms understood, for the message shown when nothing matched.
pub const FORMS: &[&str] = &[
    r#"column "x" does not exist"#,
    "column t.x does not exist",
    r#"column "x" of relation "t" does not exist"#,
    r#"relation "t" does not exist  /  relation "s.t" does not exist"#,
    r#"type "e" does not exist"#,
    "Unknown column 'x' in 'field list'  /  Unknown column 't.x' in 'where clause'",
    "Table 'db.t' doesn't exist",
];

/// What the error is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// `table` may be a query alias rather than a table name.
    Column {
        schema: Option<String>,
        table: Option<String>,
        column: String,
    },
    /// `schema` is the database name in a MySQL error.
    Table {
        schema: Option<String>,
        table: String,
    },
    Type {
        schema: Option<String>,
        name: String,
    },
}

/// Which message matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    PgColumn,
    PgColumnOfRelation,
    PgRelation,
    PgType,
    MysqlUnknownColumn,
    MysqlNoTable,
}

impl Form {
    pub fn is_mysql(self) -> bool {
        matches!(self, Form::MysqlUnknownColumn | Form::MysqlNoTable)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parsed {
    pub form: Form,
    pub target: Target,
    /// SQLSTATE or MySQL error number, when the pasted text carries one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// MySQL: the clause named by `in '…'` (`field list`, `where clause`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
}

/// The first error of a recognized form in `text`, or `None`.
pub fn parse(text: &str) -> Option<Parsed> {
    // JSON logs escape the quotes: `column \"x\" does not exist`.
    let text = text.replace("\\\"", "\"").replace("\\'", "'");
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let mut found: Option<(usize, Parsed)> = None;
    for (i, _) in lower.iter().enumerate() {
        if let Some(p) = at(&chars, &lower, i) {
            found = Some((i, p));
            break;
        }
    }
    let (_, mut parsed) = found?;
    parsed.code = code(&text);
    Some(parsed)
}

/// A recognized message starting at `i`.
fn at(chars: &[char], lower: &[char], i: usize) -> Option<Parsed> {
    if starts(lower, i, "unknown column") {
        let (name, end) = ident(chars, skip_ws(chars, i + 14))?;
        let mut parts = split_dots(&name);
        let column = parts.pop().filter(|c| !c.is_empty())?;
        let table = parts.pop();
        let schema = parts.pop();
        let mut clause = None;
        let j = skip_ws(chars, end);
        if starts(lower, j, "in") {
            clause = ident(chars, skip_ws(chars, j + 2)).map(|(c, _)| c);
        }
        return Some(Parsed {
            form: Form::MysqlUnknownColumn,
            target: Target::Column {
                schema,
                table,
                column,
            },
            code: None,
            clause,
        });
    }
    if starts(lower, i, "table") && word_start(lower, i) {
        let (name, end) = ident(chars, skip_ws(chars, i + 5))?;
        let j = skip_ws(chars, end);
        if !(starts(lower, j, "doesn't exist") || starts(lower, j, "doesn\u{2019}t exist")) {
            return None;
        }
        let (schema, table) = qualified(&name)?;
        return Some(Parsed {
            form: Form::MysqlNoTable,
            target: Target::Table { schema, table },
            code: None,
            clause: None,
        });
    }
    if starts(lower, i, "column") && word_start(lower, i) {
        let (name, end) = ident(chars, skip_ws(chars, i + 6))?;
        let j = skip_ws(chars, end);
        if starts(lower, j, "of relation") {
            let (relation, end) = ident(chars, skip_ws(chars, j + 11))?;
            if !does_not_exist(lower, skip_ws(chars, end)) {
                return None;
            }
            let (schema, table) = qualified(&relation)?;
            return Some(Parsed {
                form: Form::PgColumnOfRelation,
                target: Target::Column {
                    schema,
                    table: Some(table),
                    column: name,
                },
                code: None,
                clause: None,
            });
        }
        if !does_not_exist(lower, j) {
            return None;
        }
        // PostgreSQL quotes a bare column (`"x"`) but not a qualified one (`t.x`).
        let quoted = matches!(chars.get(skip_ws(chars, i + 6)), Some('"'));
        let mut parts = if quoted {
            vec![name]
        } else {
            split_dots(&name)
        };
        let column = parts.pop().filter(|c| !c.is_empty())?;
        let table = parts.pop();
        let schema = parts.pop();
        return Some(Parsed {
            form: Form::PgColumn,
            target: Target::Column {
                schema,
                table,
                column,
            },
            code: None,
            clause: None,
        });
    }
    for (word, form) in [("relation", Form::PgRelation), ("type", Form::PgType)] {
        if starts(lower, i, word) && word_start(lower, i) {
            let (name, end) = ident(chars, skip_ws(chars, i + word.len()))?;
            if !does_not_exist(lower, skip_ws(chars, end)) {
                return None;
            }
            let (schema, name) = qualified(&name)?;
            let target = match form {
                Form::PgRelation => Target::Table {
                    schema,
                    table: name,
                },
                _ => Target::Type { schema, name },
            };
            return Some(Parsed {
                form,
                target,
                code: None,
                clause: None,
            });
        }
    }
    None
}

fn does_not_exist(lower: &[char], j: usize) -> bool {
    starts(lower, j, "does not exist")
}

fn starts(lower: &[char], i: usize, word: &str) -> bool {
    (i..)
        .zip(word.chars())
        .all(|(k, w)| lower.get(k) == Some(&w))
}

/// Not the tail of a longer word (`subtype`, `mytable`).
fn word_start(lower: &[char], i: usize) -> bool {
    i == 0
        || !lower
            .get(i - 1)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

fn skip_ws(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    i
}

/// An identifier at `i`: `"x"` (with `""` escapes), `'x'`, `` `x` ``, or a bare
/// `a.b_c`. Returns it and the index after it.
fn ident(chars: &[char], i: usize) -> Option<(String, usize)> {
    let first = *chars.get(i)?;
    let close = match first {
        '"' => Some('"'),
        '\'' => Some('\''),
        '`' => Some('`'),
        '\u{201c}' => Some('\u{201d}'),
        '\u{2018}' => Some('\u{2019}'),
        _ => None,
    };
    if let Some(close) = close {
        let mut out = String::new();
        let mut k = i + 1;
        loop {
            let c = *chars.get(k)?;
            if c == close {
                if chars.get(k + 1) == Some(&close) && close == '"' {
                    out.push(c);
                    k += 2;
                    continue;
                }
                return (!out.is_empty()).then_some((out, k + 1));
            }
            if c == '\n' {
                return None;
            }
            out.push(c);
            k += 1;
        }
    }
    let mut k = i;
    while chars
        .get(k)
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '.'))
    {
        k += 1;
    }
    let word: String = chars[i..k].iter().collect();
    let word = word.trim_matches('.').to_string();
    (!word.is_empty()).then_some((word, k))
}

fn split_dots(name: &str) -> Vec<String> {
    name.split('.').map(str::to_string).collect()
}

/// `s.t` → (`s`, `t`); `t` → (None, `t`).
fn qualified(name: &str) -> Option<(Option<String>, String)> {
    match name.rsplit_once('.') {
        Some((s, t)) if !t.is_empty() && !s.is_empty() => Some((Some(s.to_string()), t.into())),
        Some(_) => None,
        None => Some((None, name.to_string())),
    }
}

/// A SQLSTATE or MySQL error number of the "no such object" kind, if present.
fn code(text: &str) -> Option<String> {
    const CODES: &[&str] = &[
        "42703", "42P01", "42704", "42S22", "42S02", "1054", "1146", "1109",
    ];
    let upper = text.to_ascii_uppercase();
    CODES
        .iter()
        .filter_map(|c| {
            upper.match_indices(c).find_map(|(at, _)| {
                let before = upper[..at].chars().next_back();
                let after = upper[at + c.len()..].chars().next();
                let boundary = |ch: Option<char>| ch.is_none_or(|ch| !ch.is_ascii_alphanumeric());
                (boundary(before) && boundary(after)).then_some((at, *c))
            })
        })
        .min_by_key(|(at, _)| *at)
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(s: Option<&str>, t: Option<&str>, c: &str) -> Target {
        Target::Column {
            schema: s.map(Into::into),
            table: t.map(Into::into),
            column: c.into(),
        }
    }

    fn table(s: Option<&str>, t: &str) -> Target {
        Target::Table {
            schema: s.map(Into::into),
            table: t.into(),
        }
    }

    fn target(text: &str) -> Target {
        parse(text)
            .unwrap_or_else(|| panic!("not parsed: {text}"))
            .target
    }

    #[test]
    fn postgres_forms() {
        assert_eq!(
            target(r#"column "views" does not exist"#),
            col(None, None, "views")
        );
        assert_eq!(
            target("column p.views does not exist"),
            col(None, Some("p"), "views")
        );
        assert_eq!(
            target("column public.posts.views does not exist"),
            col(Some("public"), Some("posts"), "views")
        );
        assert_eq!(
            target(r#"column "views" of relation "posts" does not exist"#),
            col(None, Some("posts"), "views")
        );
        assert_eq!(
            target(r#"relation "comments" does not exist"#),
            table(None, "comments")
        );
        assert_eq!(
            target(r#"relation "auth.sessions" does not exist"#),
            table(Some("auth"), "sessions")
        );
        assert_eq!(
            target(r#"type "mood" does not exist"#),
            Target::Type {
                schema: None,
                name: "mood".into()
            }
        );
        // A dot inside quotes is part of a column name.
        assert_eq!(
            target(r#"column "a.b" does not exist"#),
            col(None, None, "a.b")
        );
        assert_eq!(
            target(r#"column "say ""hi""" does not exist"#),
            col(None, None, r#"say "hi""#)
        );
    }

    #[test]
    fn whole_log_lines() {
        let p = parse(
            "2026-11-26 00:31:02.123 UTC [812] ERROR:  column \"userId\" does not exist at character 8\n\
             2026-11-26 00:31:02.123 UTC [812] STATEMENT:  select \"userId\" from posts",
        )
        .expect("parsed");
        assert_eq!(p.target, col(None, None, "userId"));
        let p = parse(
            "PostgresError: relation \"comments\" does not exist\n    at ErrorResponse (/app/node_modules/postgres/cjs/src/connection.js:790:26)\n  code: '42P01'",
        )
        .expect("parsed");
        assert_eq!(p.target, table(None, "comments"));
        assert_eq!(p.code.as_deref(), Some("42P01"));
        let p = parse(r#"{"level":"error","msg":"error: column \"x\" of relation \"t\" does not exist","code":"42703"}"#)
            .expect("parsed");
        assert_eq!(p.target, col(None, Some("t"), "x"));
        assert_eq!(p.code.as_deref(), Some("42703"));
        assert_eq!(
            target("ERROR: COLUMN \"X\" DOES NOT EXIST"),
            col(None, None, "X")
        );
        assert_eq!(
            target("SQLSTATE[42P01]: Undefined table: 7 ERROR:  relation \"s.t\" does not exist"),
            table(Some("s"), "t")
        );
    }

    #[test]
    fn mysql_forms() {
        let p = parse("Error: Unknown column 'views' in 'field list'").expect("parsed");
        assert_eq!(p.target, col(None, None, "views"));
        assert_eq!(p.form, Form::MysqlUnknownColumn);
        assert_eq!(p.clause.as_deref(), Some("field list"));
        let p =
            parse("ER_BAD_FIELD_ERROR (errno 1054): Unknown column 'p.views' in 'where clause'")
                .expect("parsed");
        assert_eq!(p.target, col(None, Some("p"), "views"));
        assert_eq!(p.code.as_deref(), Some("1054"));
        let p = parse("ERROR 1146 (42S02): Table 'app.comments' doesn't exist").expect("parsed");
        assert_eq!(p.target, table(Some("app"), "comments"));
        assert_eq!(p.form, Form::MysqlNoTable);
        assert_eq!(
            target("unknown column `views` in 'order clause'"),
            col(None, None, "views")
        );
    }

    #[test]
    fn unrecognized() {
        for text in [
            "",
            "connection refused",
            "column does not exist",
            "column \"\" does not exist",
            "relation \"x\" already exists",
            "subtype \"x\" does not exist",
            "Table 'x' is full",
            "column \"unterminated does not exist",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    /// Arbitrary text, and every cut and splice of the real forms: never a panic.
    #[test]
    fn fuzz_no_panic() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet: Vec<char> =
            "\"'`.\\ \n\tcolumnrelationtypeofdoesnotexisttable'sUnknowniné漢\u{2019}\u{201c}0"
                .chars()
                .collect();
        for _ in 0..20_000 {
            let len = (next() % 60) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let _ = parse(&s);
        }
        let samples = [
            r#"column "x" of relation "t" does not exist"#,
            "Unknown column 't.x' in 'where clause'",
            "Table 'db.t' doesn't exist",
            r#"relation "s.t" does not exist"#,
            "column t.x does not exist",
        ];
        for s in samples {
            let chars: Vec<char> = s.chars().collect();
            for a in 0..=chars.len() {
                for b in a..=chars.len() {
                    let cut: String = chars[..a].iter().chain(&chars[b..]).collect();
                    let _ = parse(&cut);
                }
            }
        }
    }
}
