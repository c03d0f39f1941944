//! A statement's tokens, comments and blanks left out, and reading them by position: what
//! lint, the lineage and the partial-migration check need to know which object a
//! statement creates, changes or drops.

use super::lex::{Kind, Lexer};
use crate::model::Dialect;

/// One token: a keyword, bare name or number (`Word`, lowercased, with its original
/// spelling), a quoted name, a string literal (`'…'` or a dollar-quoted body: its text),
/// or punctuation.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Word(String, String),
    Quoted(String),
    Literal(String),
    Punct(char),
}

impl Tok {
    pub fn is(&self, word: &str) -> bool {
        matches!(self, Tok::Word(w, _) if w == word)
    }

    /// A name as written (a bare word's spelling, a quoted name's value).
    pub fn name(&self) -> Option<String> {
        match self {
            Tok::Word(_, raw) | Tok::Quoted(raw) => Some(raw.clone()),
            Tok::Literal(_) | Tok::Punct(_) => None,
        }
    }
}

/// The first `limit` tokens of `sql`.
pub fn tokens(sql: &str, dialect: Dialect, limit: usize) -> Vec<Tok> {
    Lexer::new(sql, dialect)
        .filter_map(|l| match l.kind {
            Kind::Space | Kind::Comment => None,
            Kind::Word | Kind::Number | Kind::Param => {
                Some(Tok::Word(l.text.to_ascii_lowercase(), l.text.to_string()))
            }
            Kind::Quoted => Some(Tok::Quoted(l.value())),
            Kind::String | Kind::Dollar => Some(Tok::Literal(l.value())),
            Kind::Punct => l.text.chars().next().map(Tok::Punct),
        })
        .take(limit)
        .collect()
}

/// Reading tokens by position; out of range is no match.
pub trait Tokens {
    /// The token at `i` is the keyword or bare word `w` (lower case).
    fn word(&self, i: usize, w: &str) -> bool;
    fn punct(&self, i: usize, c: char) -> bool;
    /// The name at `i`, as written.
    fn name(&self, i: usize) -> Option<String>;
    /// The index after an `IF [NOT] EXISTS` at `i` (`i` when there is none).
    fn skip_if(&self, i: usize) -> usize;
    /// The keyword `w` is anywhere.
    fn any(&self, w: &str) -> bool;
}

impl Tokens for [Tok] {
    fn word(&self, i: usize, w: &str) -> bool {
        self.get(i).is_some_and(|tok| tok.is(w))
    }

    fn punct(&self, i: usize, c: char) -> bool {
        matches!(self.get(i), Some(Tok::Punct(p)) if *p == c)
    }

    fn name(&self, i: usize) -> Option<String> {
        self.get(i).and_then(Tok::name)
    }

    fn skip_if(&self, mut i: usize) -> usize {
        if self.word(i, "if") {
            i += 1;
            if self.word(i, "not") {
                i += 1;
            }
            if self.word(i, "exists") {
                i += 1;
            }
        }
        i
    }

    fn any(&self, w: &str) -> bool {
        self.iter().any(|t| t.is(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_blanks_are_left_out() {
        let t = tokens(
            "-- note\nCREATE /* x */ TABLE IF NOT EXISTS \"a\"\"b\" (c int DEFAULT 'x''y');",
            Dialect::Postgresql,
            usize::MAX,
        );
        assert!(t.word(0, "create") && t.word(1, "table"));
        assert_eq!(t.skip_if(2), 5);
        assert_eq!(t.name(5).as_deref(), Some("a\"b"));
        assert!(t.punct(6, '('));
        assert_eq!(t[10], Tok::Literal("x'y".into()));
        assert_eq!(tokens("a b c", Dialect::Mysql, 2).len(), 2);
    }
}
