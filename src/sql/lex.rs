//! One lexer for the SQL of migrations, shared by everything that reads it (the statement
//! splitters, the statement heads lint and the lineage parse, the expression normalizer,
//! the highlighter): where a string, a quoted name, a comment or a dollar-quoted body
//! starts and ends is decided once. Lexemes cover the text without gaps, so joining them
//! gives the input back; unterminated pieces run to the end. It never fails.

use crate::model::Dialect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Blanks and line ends.
    Space,
    /// `-- …` to the end of the line, `/* … */` (nested in PostgreSQL), and in MySQL
    /// `# …`.
    Comment,
    /// A keyword or bare name: letters, digits, `_` and `$`, not starting with a digit.
    Word,
    /// A number, `12`, `1.5`, `2e10`.
    Number,
    /// A bind parameter, `$1`.
    Param,
    /// A quoted name: `"…"`, or `` `…` ``.
    Quoted,
    /// A string literal: `'…'`; PostgreSQL's `E'…'` and MySQL's strings take backslash
    /// escapes.
    String,
    /// A dollar-quoted body, `$$…$$` or `$tag$…$tag$` (PostgreSQL).
    Dollar,
    /// Any other character, one at a time.
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lexeme<'a> {
    pub kind: Kind,
    /// Byte offset in the input.
    pub start: usize,
    pub text: &'a str,
    /// A string with backslash escapes (PostgreSQL `E'…'`, every MySQL string).
    escapes: bool,
}

impl Lexeme<'_> {
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// `kind` is `Punct` and the character is `c`.
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct && self.text.starts_with(c)
    }

    /// What a string, quoted name or dollar-quoted body holds: quotes removed, doubled
    /// quotes and backslash escapes resolved. Other lexemes: their text.
    pub fn value(&self) -> String {
        match self.kind {
            Kind::String => {
                let body = self.text.trim_start_matches(['E', 'e']);
                unquote(body, '\'', self.escapes)
            }
            Kind::Quoted => unquote(self.text, self.text.chars().next().unwrap_or('"'), false),
            Kind::Dollar => {
                let tag_len = self.text[1..].find('$').map_or(self.text.len(), |n| n + 2);
                let body = &self.text[tag_len.min(self.text.len())..];
                let tag = &self.text[..tag_len.min(self.text.len())];
                body.strip_suffix(tag).unwrap_or(body).to_string()
            }
            _ => self.text.to_string(),
        }
    }
}

/// The characters between the quotes of `text` (which starts with `quote`): a doubled quote
/// is one, and with `escapes` a backslash takes the next character (`\n`, `\t`, `\r`, `\b`,
/// `\f` and `\0` their control characters).
fn unquote(text: &str, quote: char, escapes: bool) -> String {
    let mut out = String::new();
    let mut chars = text.chars().skip(1).peekable();
    while let Some(c) = chars.next() {
        if escapes && c == '\\' {
            if let Some(next) = chars.next() {
                out.push(match next {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    '0' => '\0',
                    other => other,
                });
            }
        } else if c == quote {
            if chars.peek() == Some(&quote) {
                chars.next();
                out.push(quote);
            } else {
                break;
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The lexemes of `sql`, read with `dialect`'s rules.
pub struct Lexer<'a> {
    sql: &'a str,
    at: usize,
    dialect: Dialect,
}

impl<'a> Lexer<'a> {
    pub fn new(sql: &'a str, dialect: Dialect) -> Self {
        Lexer {
            sql,
            at: 0,
            dialect,
        }
    }

    /// Go on from byte offset `at` (a character boundary past the last lexeme), for a
    /// reader that took a longer piece itself (an operator of several characters).
    pub fn resume_at(&mut self, at: usize) {
        if self.sql.is_char_boundary(at) {
            self.at = at.max(self.at);
        }
    }

    fn pg(&self) -> bool {
        self.dialect == Dialect::Postgresql
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Lexeme<'a>;

    fn next(&mut self) -> Option<Lexeme<'a>> {
        let b = self.sql.as_bytes();
        let start = self.at;
        let c = *b.get(start)?;
        let next = b.get(start + 1).copied();
        let mut escapes = false;
        let (kind, end) = match c {
            c if c.is_ascii_whitespace() => {
                (Kind::Space, run(b, start, |c| c.is_ascii_whitespace()))
            }
            b'-' if next == Some(b'-') => (Kind::Comment, line_end(b, start)),
            b'#' if !self.pg() => (Kind::Comment, line_end(b, start)),
            b'/' if next == Some(b'*') => (Kind::Comment, block_comment_end(b, start, self.pg())),
            b'\'' => {
                escapes = !self.pg();
                (Kind::String, string_end(b, start + 1, b'\'', escapes))
            }
            b'e' | b'E' if next == Some(b'\'') && self.pg() => {
                escapes = true;
                (Kind::String, string_end(b, start + 2, b'\'', true))
            }
            b'"' | b'`' => (Kind::Quoted, string_end(b, start + 1, c, false)),
            b'$' if next.is_some_and(|n| n.is_ascii_digit()) => {
                (Kind::Param, run(b, start + 1, |c| c.is_ascii_digit()))
            }
            b'$' => match dollar_end(b, start).filter(|_| self.pg()) {
                Some(end) => (Kind::Dollar, end),
                // MySQL names may start with `$`.
                None if !self.pg() => (Kind::Word, run(b, start, is_word_byte)),
                None => (Kind::Punct, start + 1),
            },
            c if c.is_ascii_digit() || (c == b'.' && next.is_some_and(|n| n.is_ascii_digit())) => {
                (Kind::Number, number_end(b, start))
            }
            c if is_word_byte(c) => (Kind::Word, run(b, start, is_word_byte)),
            _ => {
                let len = self.sql[start..].chars().next().map_or(1, char::len_utf8);
                (Kind::Punct, start + len)
            }
        };
        let end = end.min(b.len());
        self.at = end;
        Some(Lexeme {
            kind,
            start,
            text: &self.sql[start..end],
            escapes,
        })
    }
}

/// Letters (any non-ASCII character, as PostgreSQL takes them), digits, `_` and `$`.
fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// The end of the run of bytes from `from` that `keep` accepts.
fn run(b: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    b[from..]
        .iter()
        .position(|&c| !keep(c))
        .map_or(b.len(), |n| from + n)
}

fn line_end(b: &[u8], from: usize) -> usize {
    run(b, from, |c| c != b'\n')
}

/// After the `*/` closing the comment at `from`; PostgreSQL nests them, MySQL does not.
fn block_comment_end(b: &[u8], from: usize, nested: bool) -> usize {
    let mut depth = 0;
    let mut k = from;
    while k < b.len() {
        if b[k] == b'/' && b.get(k + 1) == Some(&b'*') && (nested || depth == 0) {
            depth += 1;
            k += 2;
        } else if b[k] == b'*' && b.get(k + 1) == Some(&b'/') {
            depth -= 1;
            k += 2;
            if depth == 0 {
                return k;
            }
        } else {
            k += 1;
        }
    }
    b.len()
}

/// After the `quote` closing a string whose body starts at `from` (a doubled quote is the
/// character itself; with `escapes` a backslash takes the next byte).
fn string_end(b: &[u8], from: usize, quote: u8, escapes: bool) -> usize {
    let mut k = from;
    while k < b.len() {
        match b[k] {
            b'\\' if escapes => k += 2,
            c if c == quote && b.get(k + 1) == Some(&quote) => k += 2,
            c if c == quote => return k + 1,
            _ => k += 1,
        }
    }
    b.len()
}

/// After the closing tag of the `$tag$` body opening at `from`; `None` when no tag opens
/// there (`$` alone, `$x` with no second `$`).
fn dollar_end(b: &[u8], from: usize) -> Option<usize> {
    let tag_end = run(b, from + 1, |c| {
        c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
    });
    if b.get(tag_end) != Some(&b'$') {
        return None;
    }
    let tag = &b[from..=tag_end];
    let body = tag_end + 1;
    Some(
        b[body..]
            .windows(tag.len())
            .position(|w| w == tag)
            .map_or(b.len(), |p| body + p + tag.len()),
    )
}

/// `12`, `1.5`, `.5`, `2e10`, `1e-3`: digits and dots, an exponent, and any letters
/// glued on (`1abc` stays one piece, as the readers never split it).
fn number_end(b: &[u8], from: usize) -> usize {
    let mut k = from;
    while k < b.len() {
        let c = b[k];
        let exponent_sign =
            (c == b'+' || c == b'-') && k > from + 1 && matches!(b[k - 1], b'e' | b'E');
        if !(c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || exponent_sign) {
            break;
        }
        k += 1;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(sql: &str, dialect: Dialect) -> Vec<(Kind, &str)> {
        Lexer::new(sql, dialect).map(|l| (l.kind, l.text)).collect()
    }

    fn kinds(sql: &str, dialect: Dialect) -> Vec<(Kind, String)> {
        Lexer::new(sql, dialect)
            .filter(|l| l.kind != Kind::Space)
            .map(|l| (l.kind, l.value()))
            .collect()
    }

    #[test]
    fn lexemes_give_the_input_back() {
        for sql in [
            "SELECT 'a;b', \"q\"\"x\", $$ body; $$, $tag$ x $tag$ -- c\n/* a /* b */ c */ x",
            "unterminated 'string",
            "\"unterminated name",
            "/* unterminated comment",
            "$$ unterminated body",
            "é'ü' $1 $ $a 1.5e-3 .5 x::int #> '{a}'",
            "",
        ] {
            for dialect in [Dialect::Postgresql, Dialect::Mysql] {
                let joined: String = lex(sql, dialect).iter().map(|(_, t)| *t).collect();
                assert_eq!(joined, sql);
            }
        }
    }

    #[test]
    fn strings_names_and_bodies() {
        use Kind::*;
        assert_eq!(
            kinds(
                r#"'it''s' E'a\'b\n' "x""y" $f$ a $$ b $f$ $1"#,
                Dialect::Postgresql
            ),
            vec![
                (String, "it's".into()),
                (String, "a'b\n".into()),
                (Quoted, "x\"y".into()),
                (Dollar, " a $$ b ".into()),
                (Param, "$1".into()),
            ]
        );
        // MySQL: every string takes backslash escapes, `#` starts a comment, no dollar
        // quoting.
        assert_eq!(
            kinds(r"'it\'s; x' `a``b` # note", Dialect::Mysql),
            vec![
                (String, "it's; x".into()),
                (Quoted, "a`b".into()),
                (Comment, "# note".into())
            ]
        );
        assert_eq!(
            kinds("'a\\' # x", Dialect::Postgresql),
            vec![
                (String, "a\\".into()),
                (Punct, "#".into()),
                (Word, "x".into())
            ]
        );
    }

    #[test]
    fn comments_nest_in_postgresql_only() {
        assert_eq!(
            lex("/* a /* b */ c */x", Dialect::Postgresql)[0],
            (Kind::Comment, "/* a /* b */ c */")
        );
        assert_eq!(
            lex("/* a /* b */ c */x", Dialect::Mysql)[0],
            (Kind::Comment, "/* a /* b */")
        );
    }

    #[test]
    fn words_numbers_and_punctuation() {
        use Kind::*;
        assert_eq!(
            lex("a$b 1.5e-3 x::int", Dialect::Postgresql)
                .into_iter()
                .filter(|(k, _)| *k != Space)
                .collect::<Vec<_>>(),
            vec![
                (Word, "a$b"),
                (Number, "1.5e-3"),
                (Word, "x"),
                (Punct, ":"),
                (Punct, ":"),
                (Word, "int")
            ]
        );
    }

    #[test]
    fn any_bytes_lex_without_panic() {
        // Every prefix of a text full of openers, cut at each character boundary.
        let sql = "E'\\é$a$ \"`'--/*#$1.e+$$é";
        for (cut, _) in sql.char_indices() {
            for dialect in [Dialect::Postgresql, Dialect::Mysql] {
                let part = &sql[..cut];
                let joined: String = Lexer::new(part, dialect).map(|l| l.text).collect();
                assert_eq!(joined, part);
                for l in Lexer::new(part, dialect) {
                    let _ = l.value();
                }
            }
        }
    }
}
