//! Extended glob groups (`!(a|b)`, `@(a|b)`, `?(…)`, `*(…)`, `+(…)`) as the `glob` npm
//! package drizzle-kit resolves `schema` with understands them (minimatch semantics). The
//! `glob` crate walks the folders with each group widened to `*` ([`widen`]); [`matches`]
//! then keeps the paths the real pattern names.

/// Whether `pattern` holds an extended glob group.
pub fn has_groups(pattern: &str) -> bool {
    let bytes = pattern.as_bytes();
    bytes
        .windows(2)
        .any(|w| matches!(w[0], b'!' | b'@' | b'?' | b'*' | b'+') && w[1] == b'(')
}

/// `pattern` with every group replaced by `*`: a plain glob matching at least what the
/// pattern matches (segment by segment), for walking the file system.
pub fn widen(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if is_group_start(&chars, i) {
            if let Some(end) = group_end(&chars, i + 1) {
                out.push('*');
                i = end + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    // `**` widened from `*(…)` next to a `*` would become a globstar inside a segment,
    // which the glob crate rejects; one `*` matches the same names there.
    out.split('/')
        .map(|segment| {
            if segment == "**" {
                return segment.to_string();
            }
            let mut collapsed = String::with_capacity(segment.len());
            for c in segment.chars() {
                if !(c == '*' && collapsed.ends_with('*')) {
                    collapsed.push(c);
                }
            }
            collapsed
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether `path` (`/`-separated) matches `pattern`, segment by segment, `**` standing for
/// any number of folders.
pub fn matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<Vec<Token>> = pattern.split('/').map(parse_segment).collect();
    let path: Vec<&str> = path.split('/').collect();
    match_segments(&pattern, &path)
}

fn match_segments(pattern: &[Vec<Token>], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((first, rest)) if is_globstar(first) => {
            (0..=path.len()).any(|skip| match_segments(rest, &path[skip..]))
        }
        Some((first, rest)) => match path.split_first() {
            Some((name, path_rest)) => {
                let name: Vec<char> = name.chars().collect();
                let leading_dot_ok = name.first() != Some(&'.') || starts_literal_dot(first);
                leading_dot_ok && match_tokens(first, &name) && match_segments(rest, path_rest)
            }
            None => false,
        },
    }
}

fn is_globstar(tokens: &[Token]) -> bool {
    matches!(tokens, [Token::Star, Token::Star])
}

fn starts_literal_dot(tokens: &[Token]) -> bool {
    matches!(tokens.first(), Some(Token::Char('.')))
}

#[derive(Debug, Clone)]
enum Token {
    Char(char),
    Any,
    Star,
    Class {
        negated: bool,
        items: Vec<(char, char)>,
    },
    Group {
        kind: char,
        alternatives: Vec<Vec<Token>>,
    },
}

fn is_group_start(chars: &[char], i: usize) -> bool {
    matches!(chars[i], '!' | '@' | '?' | '*' | '+') && chars.get(i + 1) == Some(&'(')
}

/// The index of the `)` closing the group whose `(` is at `open`.
fn group_end(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn parse_segment(segment: &str) -> Vec<Token> {
    let chars: Vec<char> = segment.chars().collect();
    parse_tokens(&chars)
}

fn parse_tokens(chars: &[char]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_group_start(chars, i) {
            if let Some(end) = group_end(chars, i + 1) {
                let alternatives = split_alternatives(&chars[i + 2..end])
                    .into_iter()
                    .map(parse_tokens)
                    .collect();
                tokens.push(Token::Group {
                    kind: c,
                    alternatives,
                });
                i = end + 1;
                continue;
            }
        }
        match c {
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::Any),
            '\\' if i + 1 < chars.len() => {
                i += 1;
                tokens.push(Token::Char(chars[i]));
            }
            '[' => match parse_class(chars, i) {
                Some((token, next)) => {
                    tokens.push(token);
                    i = next;
                    continue;
                }
                None => tokens.push(Token::Char('[')),
            },
            _ => tokens.push(Token::Char(c)),
        }
        i += 1;
    }
    tokens
}

fn split_alternatives(chars: &[char]) -> Vec<&[char]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => {
                parts.push(&chars[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&chars[start.min(chars.len())..]);
    parts
}

/// `[…]` at `open`: the class and the index after its `]`.
fn parse_class(chars: &[char], open: usize) -> Option<(Token, usize)> {
    let mut i = open + 1;
    let negated = matches!(chars.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut items = Vec::new();
    let first = i;
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && i > first {
            return Some((Token::Class { negated, items }, i + 1));
        }
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&e| e != ']') {
            items.push((c, chars[i + 2]));
            i += 3;
        } else {
            items.push((c, c));
            i += 1;
        }
    }
    None
}

/// Whether `tokens` match all of `name`.
fn match_tokens(tokens: &[Token], name: &[char]) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        return name.is_empty();
    };
    match first {
        Token::Char(c) => name.first() == Some(c) && match_tokens(rest, &name[1..]),
        Token::Any => !name.is_empty() && match_tokens(rest, &name[1..]),
        Token::Star => (0..=name.len()).any(|k| match_tokens(rest, &name[k..])),
        Token::Class { negated, items } => match name.first() {
            Some(&c) => {
                let inside = items.iter().any(|&(lo, hi)| lo <= c && c <= hi);
                inside != *negated && match_tokens(rest, &name[1..])
            }
            None => false,
        },
        Token::Group { kind, alternatives } => match kind {
            '!' => {
                // minimatch: no alternative followed by the rest of the pattern may match
                // here; then any text, followed by the rest.
                let excluded = alternatives
                    .iter()
                    .any(|alt| match_tokens(&concat(alt, rest), name));
                !excluded && (0..=name.len()).any(|k| match_tokens(rest, &name[k..]))
            }
            '@' => one_of(alternatives, rest, name),
            '?' => match_tokens(rest, name) || one_of(alternatives, rest, name),
            '*' => repeat(alternatives, rest, name),
            _ => (1..=name.len()).any(|k| {
                alternatives.iter().any(|alt| match_tokens(alt, &name[..k]))
                    && repeat(alternatives, rest, &name[k..])
            }),
        },
    }
}

fn one_of(alternatives: &[Vec<Token>], rest: &[Token], name: &[char]) -> bool {
    alternatives
        .iter()
        .any(|alt| match_tokens(&concat(alt, rest), name))
}

/// Zero or more of the alternatives, then `rest`.
fn repeat(alternatives: &[Vec<Token>], rest: &[Token], name: &[char]) -> bool {
    match_tokens(rest, name)
        || (1..=name.len()).any(|k| {
            alternatives.iter().any(|alt| match_tokens(alt, &name[..k]))
                && repeat(alternatives, rest, &name[k..])
        })
}

fn concat(a: &[Token], b: &[Token]) -> Vec<Token> {
    a.iter().chain(b).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negated_group_excludes_what_its_alternatives_name() {
        let p = "/p/schema/!(*.test).ts";
        assert!(matches(p, "/p/schema/users.ts"));
        assert!(!matches(p, "/p/schema/users.test.ts"));
        assert!(!matches(p, "/p/schema/users.js"));
        assert!(!matches(p, "/p/other/users.ts"));
        let p = "/p/src/!(index|helpers).ts";
        assert!(matches(p, "/p/src/users.ts"));
        assert!(!matches(p, "/p/src/index.ts"));
        assert!(!matches(p, "/p/src/helpers.ts"));
    }

    #[test]
    fn other_groups_and_globstar() {
        assert!(matches("/p/**/*.@(ts|js)", "/p/a/b/x.js"));
        assert!(matches("/p/**/*.@(ts|js)", "/p/x.ts"));
        assert!(!matches("/p/**/*.@(ts|js)", "/p/x.mts"));
        assert!(matches("/p/x?(.schema).ts", "/p/x.ts"));
        assert!(matches("/p/x?(.schema).ts", "/p/x.schema.ts"));
        assert!(matches("/p/+(a|b).ts", "/p/abba.ts"));
        assert!(!matches("/p/+(a|b).ts", "/p/.ts"));
        assert!(matches("/p/*(a|b)c.ts", "/p/c.ts"));
        assert!(matches("/p/[a-c]x.ts", "/p/bx.ts"));
        assert!(!matches("/p/[!a-c]x.ts", "/p/bx.ts"));
        assert!(!matches("/p/*.ts", "/p/.hidden.ts"));
    }

    #[test]
    fn widening_keeps_a_walkable_glob() {
        assert!(has_groups("./s/!(*.test).ts"));
        assert!(!has_groups("./s/*.ts"));
        assert_eq!(widen("/p/s/!(*.test).ts"), "/p/s/*.ts");
        assert_eq!(widen("/p/**/*@(a|b).ts"), "/p/**/*.ts");
        assert_eq!(widen("/p/x.ts"), "/p/x.ts");
    }

    #[test]
    fn odd_patterns_do_not_panic() {
        for p in [
            "!(", "@(a|", "[", "[]", "\\", "!(a)(", "*(|)", "+()", "**/!(**)",
        ] {
            let _ = matches(p, "a/b");
            let _ = widen(p);
        }
    }
}
