//! SQL expressions compared by meaning of spelling, not by text: drizzle-kit writes what
//! the TypeScript `sql` template rendered (`"users"."age" >= 0`), PostgreSQL gives back
//! its own deparse (`(age >= 0)`, `lower((email)::text)`).
//!
//! The canonical form is lossy on purpose: it drops grouping parentheses and casts, and
//! table qualifiers, so two spellings of one expression meet. A difference that lies only
//! in those is not reported; every other difference is.

/// One lexical token of an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// Identifier or keyword, lowercased unless it was quoted.
    Ident(String),
    /// A string literal, content unescaped.
    Str(String),
    Number(String),
    Punct(String),
}

fn tokenize(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' || ((c == 'E' || c == 'e') && chars.get(i + 1) == Some(&'\'')) {
            if c != '\'' {
                i += 1;
            }
            i += 1;
            let mut s = String::new();
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        s.push('\'');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                s.push(chars[i]);
                i += 1;
            }
            out.push(Token::Str(s));
        } else if c == '"' || c == '`' {
            let quote = c;
            i += 1;
            let mut s = String::new();
            while i < chars.len() {
                if chars[i] == quote {
                    if chars.get(i + 1) == Some(&quote) {
                        s.push(quote);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                s.push(chars[i]);
                i += 1;
            }
            out.push(Token::Ident(s));
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            out.push(Token::Number(chars[start..i].iter().collect()));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(Token::Ident(word.to_lowercase()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let punct = match two.as_str() {
                "::" | "<=" | ">=" | "<>" | "!=" | "||" | "->" | "~~" | "@>" | "<@" | "&&" => {
                    i += 2;
                    if two == "->" && chars.get(i) == Some(&'>') {
                        i += 1;
                        "->>".to_string()
                    } else if two == "!=" {
                        "<>".to_string()
                    } else {
                        two
                    }
                }
                _ => {
                    i += 1;
                    c.to_string()
                }
            };
            out.push(Token::Punct(punct));
        }
    }
    out
}

/// Words that can continue a type name after `::` (`character varying`, `time with time zone`).
const TYPE_WORDS: &[&str] = &["varying", "precision", "with", "without", "time", "zone"];

/// Drop `::type` casts, including multi-word types, `(n)` modifiers and `[]` suffixes.
fn drop_casts(tokens: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == Token::Punct("::".into()) {
            i += 1;
            // schema-qualified type name
            if matches!(tokens.get(i), Some(Token::Ident(_))) {
                i += 1;
            }
            while tokens.get(i) == Some(&Token::Punct(".".into()))
                && matches!(tokens.get(i + 1), Some(Token::Ident(_)))
            {
                i += 2;
            }
            while let Some(Token::Ident(w)) = tokens.get(i) {
                if TYPE_WORDS.contains(&w.as_str()) {
                    i += 1;
                } else {
                    break;
                }
            }
            if tokens.get(i) == Some(&Token::Punct("(".into())) {
                while i < tokens.len() && tokens[i] != Token::Punct(")".into()) {
                    i += 1;
                }
                i += 1;
            }
            while tokens.get(i) == Some(&Token::Punct("[".into()))
                && tokens.get(i + 1) == Some(&Token::Punct("]".into()))
            {
                i += 2;
            }
            continue;
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// Keep only the last part of `a.b` / `a.b.c` identifier chains: table or schema
/// qualifiers, which drizzle-kit writes and the catalog omits.
fn drop_qualifiers(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if matches!(tokens[i], Token::Ident(_))
            && tokens.get(i + 1) == Some(&Token::Punct(".".into()))
            && matches!(tokens.get(i + 2), Some(Token::Ident(_)))
        {
            i += 2;
            continue;
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// Drop grouping parentheses: a `(` that does not open a function call's or a keyword's
/// argument list (`lower(`, `IN (`, `ANY (`, `ARRAY[`), with its matching `)`.
fn drop_grouping_parens(tokens: Vec<Token>) -> Vec<Token> {
    let mut keep = vec![true; tokens.len()];
    let mut stack: Vec<(usize, bool)> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::Punct(p) if p == "(" => {
                let call =
                    i > 0 && matches!(&tokens[i - 1], Token::Ident(w) if !is_operator_word(w));
                stack.push((i, call));
            }
            Token::Punct(p) if p == ")" => {
                if let Some((open, call)) = stack.pop() {
                    if !call {
                        keep[open] = false;
                        keep[i] = false;
                    }
                }
            }
            _ => {}
        }
    }
    tokens
        .into_iter()
        .zip(keep)
        .filter_map(|(t, k)| k.then_some(t))
        .collect()
}

fn is_operator_word(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "or"
            | "not"
            | "is"
            | "between"
            | "like"
            | "ilike"
            | "then"
            | "else"
            | "when"
            | "case"
            | "select"
            | "where"
            | "on"
            | "as"
            | "distinct"
    )
}

fn render(tokens: &[Token]) -> String {
    let mut out = String::new();
    for (i, t) in tokens.iter().enumerate() {
        let text = match t {
            Token::Ident(s) => {
                if s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                    && !s.is_empty()
                {
                    s.clone()
                } else {
                    format!("\"{}\"", s.replace('"', "\"\""))
                }
            }
            Token::Str(s) => format!("'{}'", s.replace('\'', "''")),
            Token::Number(n) => n.clone(),
            Token::Punct(p) => p.clone(),
        };
        let call_paren = matches!(t, Token::Punct(p) if p == "(" || p == "[")
            && matches!(tokens.get(i.wrapping_sub(1)), Some(Token::Ident(w)) if !is_operator_word(w) && w != "in" && w != "any");
        let glue = call_paren
            || matches!(t, Token::Punct(p) if p == ")" || p == "," || p == "]" || p == ".")
            || matches!(tokens.get(i.wrapping_sub(1)), Some(Token::Punct(p)) if p == "(" || p == "[" || p == ".");
        if i > 0 && !glue {
            out.push(' ');
        }
        out.push_str(&text);
    }
    out
}

/// Rewrite `x = ANY (ARRAY[a, b])` as `x in (a, b)`: PostgreSQL deparses `IN` lists so.
fn any_array_to_in(tokens: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let is = |k: usize, t: &Token| tokens.get(i + k) == Some(t);
        if is(0, &Token::Punct("=".into()))
            && is(1, &Token::Ident("any".into()))
            && is(2, &Token::Punct("(".into()))
            && is(3, &Token::Ident("array".into()))
            && is(4, &Token::Punct("[".into()))
        {
            let mut j = i + 5;
            let mut items = Vec::new();
            while j < tokens.len() && tokens[j] != Token::Punct("]".into()) {
                items.push(tokens[j].clone());
                j += 1;
            }
            if tokens.get(j + 1) == Some(&Token::Punct(")".into())) {
                out.push(Token::Ident("in".into()));
                out.push(Token::Punct("(".into()));
                out.extend(items);
                out.push(Token::Punct(")".into()));
                i = j + 2;
                continue;
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// The canonical spelling of a boolean or scalar SQL expression (checks, index `where`,
/// index expressions, policy `using`/`with check`, generated columns).
pub fn expression(sql: &str) -> String {
    let tokens = tokenize(sql);
    let tokens = drop_casts(tokens);
    let tokens = drop_qualifiers(tokens);
    let tokens = any_array_to_in(tokens);
    // `IN (` is a list, not a grouping: mark it by keeping it as a call.
    let tokens = drop_grouping_parens(tokens);
    render(&tokens)
}

#[cfg(test)]
mod tests {
    use super::expression;

    #[test]
    fn drizzle_and_catalog_spellings_meet() {
        assert_eq!(
            expression(r#""users"."age" >= 0"#),
            expression("(age >= 0)")
        );
        assert_eq!(
            expression(r#"lower("users"."email")"#),
            expression("lower((email)::text)")
        );
        assert_eq!(
            expression(r#""t"."a" > 0 and "t"."b" < 10"#),
            expression("((a > 0) AND (b < 10))")
        );
        assert_eq!(
            expression(r#""t"."status" in ('a', 'b')"#),
            expression("(status = ANY (ARRAY['a'::text, 'b'::text]))")
        );
        assert_eq!(
            expression(r#""t"."deleted_at" is null"#),
            expression("(deleted_at IS NULL)")
        );
        assert_eq!(
            expression("(name)::text <> ''::character varying"),
            expression(r#""t"."name" != ''"#)
        );
    }

    #[test]
    fn real_differences_stay_different() {
        assert_ne!(expression("age >= 0"), expression("age > 0"));
        assert_ne!(expression("lower(email)"), expression("upper(email)"));
        assert_ne!(expression("\"Name\" = 'x'"), expression("name = 'x'"));
        assert_ne!(expression("a = 'X'"), expression("a = 'x'"));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "",
            "(",
            ")",
            "'",
            "\"",
            "::",
            "a::",
            "= any (array[",
            "E'",
            "1.2.3",
            "€ ∑",
        ] {
            let _ = expression(s);
        }
    }
}
