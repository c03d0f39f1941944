//! The SQL statements inside one migrator chunk. drizzle-orm's migrator splits a file on
//! `--> statement-breakpoint` only and sends each chunk as one query, which PostgreSQL
//! and MySQL run statement by statement: a hand-written file without breakpoints is one
//! chunk of many statements. Semicolons inside strings, quoted names, comments,
//! dollar-quoted bodies (`DO $$ … $$`, function bodies) and parentheses end nothing.

use super::lex::{Kind, Lexeme, Lexer};
use crate::model::Dialect;
use crate::sources::history::Statement;
use std::ops::Range;

/// One statement of a chunk, as byte ranges of the chunk's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// With the comments before it, its `;` and a comment on the line it ends.
    pub whole: Range<usize>,
    /// From its first token to its `;` (left out); empty when the piece is only comments.
    pub code: Range<usize>,
}

/// The statements of `text`. Leading comments go with the statement they precede (so a
/// `-- drizzle-drift-ignore` comment keeps applying to its statement), a comment on the line
/// a statement ends stays with it, and comments after the last statement join it.
pub fn pieces(text: &str, dialect: Dialect) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut code: Option<usize> = None;
    let mut depth = 0i32;
    let mut lexer = Lexer::new(text, dialect);
    while let Some(l) = lexer.next() {
        if !is_noise(&l) {
            code.get_or_insert(l.start);
        }
        if l.is_punct('(') {
            depth += 1;
        } else if l.is_punct(')') {
            depth -= 1;
        } else if l.is_punct(';') && depth <= 0 {
            let end = line_comment_end(text, l.end(), dialect);
            let first = code.take().unwrap_or(l.start);
            out.push(Piece {
                whole: start..end,
                code: first..l.start,
            });
            lexer.resume_at(end);
            start = end;
        }
    }
    let rest = text[start..].trim_end();
    match (code, out.last_mut()) {
        (None, Some(last)) if !rest.trim_start().is_empty() => {
            last.whole.end = start + rest.len();
        }
        (None, Some(_)) => {}
        (first, _) => out.push(Piece {
            whole: start..text.len(),
            code: first.map_or(text.len()..text.len(), |f| f..text.len()),
        }),
    }
    out
}

fn is_noise(l: &Lexeme) -> bool {
    matches!(l.kind, Kind::Space | Kind::Comment)
}

/// After a line comment that follows `from` on the same line, past blanks (`from` if none).
fn line_comment_end(text: &str, from: usize, dialect: Dialect) -> usize {
    let rest = &text[from..];
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t', '\r']).len();
    match Lexer::new(&rest[blanks..], dialect).next() {
        Some(l) if l.kind == Kind::Comment && !l.text.starts_with("/*") => {
            from + blanks + l.text.len()
        }
        _ => from,
    }
}

/// The statements of `chunk` as the lint reads them, each with the line of its first token.
pub fn split(chunk: &Statement, dialect: Dialect) -> Vec<Statement> {
    let text = chunk.sql.as_str();
    let line_of =
        |at: usize| chunk.line + text[..at].bytes().filter(|&c| c == b'\n').count() as u32;
    pieces(text, dialect)
        .into_iter()
        .filter_map(|p| {
            let sql = text[p.whole.clone()].trim();
            // A piece of only comments is where its comments start.
            let at = if p.code.is_empty() {
                p.whole.start + (text[p.whole.clone()].len() - text[p.whole].trim_start().len())
            } else {
                p.code.start
            };
            (!sql.is_empty()).then(|| Statement {
                sql: sql.to_string(),
                line: line_of(at),
            })
        })
        .collect()
}

/// Whether `text` holds anything but blanks and comments.
pub fn meaningful(text: &str, dialect: Dialect) -> bool {
    Lexer::new(text, dialect).any(|l| !is_noise(&l))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(sql: &str) -> Vec<(String, u32)> {
        split(
            &Statement {
                sql: sql.into(),
                line: 10,
            },
            Dialect::Postgresql,
        )
        .into_iter()
        .map(|s| (s.sql, s.line))
        .collect()
    }

    #[test]
    fn one_chunk_of_many_statements() {
        let sql = "-- Drop and recreate\nALTER TABLE \"d\" DROP COLUMN IF EXISTS \"v\";\nALTER TABLE \"d\" ADD COLUMN \"v\" tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED;\n\n-- index\nCREATE INDEX IF NOT EXISTS \"i\" ON \"d\" USING gin (\"v\");";
        let p = pieces(sql);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].0.starts_with("-- Drop and recreate\nALTER TABLE"));
        assert_eq!(p[0].1, 11);
        assert_eq!(p[1].1, 12);
        assert!(p[2].0.starts_with("-- index\nCREATE INDEX"));
        assert_eq!(p[2].1, 15);
    }

    #[test]
    fn semicolons_that_end_nothing() {
        let sql = "CREATE FUNCTION f() RETURNS trigger AS $body$\nBEGIN\n  NEW.a := 'x;y'; RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql;\nDO $$ BEGIN PERFORM 1; END $$;\nSELECT 'it''s;', \"a;b\", E'\\';' /* ; /* ; */ */ -- ;\n;";
        let p = pieces(sql);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].0.ends_with("LANGUAGE plpgsql;"));
        assert_eq!(p[1].0, "DO $$ BEGIN PERFORM 1; END $$;");
        assert!(p[2].0.starts_with("SELECT 'it''s;'"));
    }

    #[test]
    fn comments_stay_with_their_statement() {
        let p =
            pieces("ALTER TABLE a ADD b int; -- drizzle-drift-ignore x\nSELECT 1;\n-- the end\n");
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].0.ends_with("-- drizzle-drift-ignore x"));
        assert_eq!(p[1].0, "SELECT 1;\n-- the end");
        // Only a comment: one piece, as the migrator sends it.
        assert_eq!(pieces("-- ALTER TABLE a DROP COLUMN b;").len(), 1);
        assert!(pieces("  \n").is_empty());
        // An unterminated quote or body never panics and swallows the rest.
        assert_eq!(pieces("SELECT $x$ ; ").len(), 1);
        assert_eq!(pieces("SELECT 'é;").len(), 1);
    }

    #[test]
    fn mysql_strings_take_backslashes_and_hash_starts_a_comment() {
        let chunk = Statement {
            sql: "INSERT INTO t VALUES ('it\\'s; fine'); # a; note\nCREATE TABLE u (a int);".into(),
            line: 1,
        };
        let p = split(&chunk, Dialect::Mysql);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].sql.ends_with("# a; note"), "{p:?}");
        assert_eq!(
            (p[1].sql.as_str(), p[1].line),
            ("CREATE TABLE u (a int);", 2)
        );
        // Parentheses: a rule's action list is one statement.
        let rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));";
        assert_eq!(pieces(rule).len(), 1);
    }
}
