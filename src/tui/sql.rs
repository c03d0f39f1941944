//! Simple SQL highlighting for the migration view: keywords, strings, quoted
//! identifiers, numbers and comments, as `sql::lex` reads them. It only colors; it never
//! changes the text.

use super::theme::Theme;
use crate::model::Dialect;
use crate::sql::lex::{Kind, Lexer};
use ratatui::style::Style;
use ratatui::text::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Keyword,
    String,
    Ident,
    Number,
    Comment,
    Other,
}

const KEYWORDS: &[&str] = &[
    "add",
    "all",
    "alter",
    "and",
    "as",
    "asc",
    "begin",
    "by",
    "cascade",
    "check",
    "collate",
    "column",
    "commit",
    "concurrently",
    "constraint",
    "create",
    "default",
    "deferrable",
    "delete",
    "desc",
    "distinct",
    "do",
    "drop",
    "else",
    "end",
    "enum",
    "exists",
    "extension",
    "first",
    "for",
    "foreign",
    "from",
    "function",
    "generated",
    "grant",
    "identity",
    "if",
    "in",
    "index",
    "insert",
    "into",
    "is",
    "join",
    "key",
    "last",
    "like",
    "materialized",
    "no",
    "not",
    "null",
    "nulls",
    "on",
    "or",
    "owned",
    "policy",
    "primary",
    "references",
    "rename",
    "replace",
    "restrict",
    "returns",
    "role",
    "rollback",
    "schema",
    "select",
    "sequence",
    "set",
    "stored",
    "table",
    "then",
    "to",
    "trigger",
    "type",
    "unique",
    "update",
    "using",
    "values",
    "view",
    "when",
    "where",
    "with",
];

fn is_keyword(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    KEYWORDS.binary_search(&lower.as_str()).is_ok()
}

/// Split `sql` into classified pieces that, concatenated, give `sql` back. PostgreSQL's
/// lexical rules: in MySQL text they differ only in `#` comments and backslashes in strings.
pub fn tokens(sql: &str) -> Vec<(Token, &str)> {
    Lexer::new(sql, Dialect::Postgresql)
        .map(|l| {
            let token = match l.kind {
                Kind::Comment => Token::Comment,
                Kind::String | Kind::Dollar => Token::String,
                Kind::Quoted => Token::Ident,
                Kind::Number => Token::Number,
                Kind::Word if is_keyword(l.text) => Token::Keyword,
                Kind::Word | Kind::Param | Kind::Punct | Kind::Space => Token::Other,
            };
            (token, l.text)
        })
        .collect()
}

fn style(t: Token, theme: &Theme) -> Style {
    match t {
        Token::Keyword => theme.keyword,
        Token::String => theme.string,
        Token::Ident => theme.ident,
        Token::Number => theme.number,
        Token::Comment => theme.comment,
        Token::Other => theme.text,
    }
}

/// The statement's lines, each as styled spans.
pub fn highlight(sql: &str, theme: &Theme) -> Vec<Vec<Span<'static>>> {
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    for (tok, text) in tokens(sql) {
        let mut parts = text.split('\n');
        if let Some(first) = parts.next() {
            if !first.is_empty() {
                if let Some(l) = lines.last_mut() {
                    l.push(Span::styled(first.replace('\t', "    "), style(tok, theme)));
                }
            }
        }
        for part in parts {
            let mut line = Vec::new();
            let part = part.trim_end_matches('\r');
            if !part.is_empty() {
                line.push(Span::styled(part.replace('\t', "    "), style(tok, theme)));
            }
            lines.push(line);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_for_binary_search() {
        let mut sorted = KEYWORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, KEYWORDS);
    }

    #[test]
    fn classifies_and_keeps_every_byte() {
        let sql = "ALTER TABLE \"a\"\"b\" ADD COLUMN x varchar(64) DEFAULT 'it''s' -- note\n/* c */ $f$ body $f$ é";
        let toks = tokens(sql);
        let joined: String = toks.iter().map(|(_, s)| *s).collect();
        assert_eq!(joined, sql);
        let of = |s: &str| toks.iter().find(|(_, t)| *t == s).map(|(k, _)| *k);
        assert_eq!(of("ALTER"), Some(Token::Keyword));
        assert_eq!(of("\"a\"\"b\""), Some(Token::Ident));
        assert_eq!(of("'it''s'"), Some(Token::String));
        assert_eq!(of("64"), Some(Token::Number));
        assert_eq!(of("-- note"), Some(Token::Comment));
        assert_eq!(of("/* c */"), Some(Token::Comment));
        assert_eq!(of("$f$ body $f$"), Some(Token::String));
        assert_eq!(of("x"), Some(Token::Other));
    }

    #[test]
    fn unterminated_pieces_run_to_the_end() {
        for sql in ["'open", "\"open", "/* open", "$a$ open", "$", "-- x"] {
            let joined: String = tokens(sql).iter().map(|(_, s)| *s).collect();
            assert_eq!(joined, sql);
        }
    }

    #[test]
    fn highlight_splits_lines() {
        let theme = Theme::new(crate::tui::theme::ThemeName::Monochrome);
        let lines = highlight("CREATE TABLE x (\n  'a\nb'\n)", &theme);
        assert_eq!(lines.len(), 4);
    }
}
