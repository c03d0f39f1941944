//! PostgreSQL stores an expression as a parse tree and prints it back its own way:
//! `x BETWEEN 1 AND 3` as `x >= 1 AND x <= 3`, `x NOT IN ('a', 'b')` as
//! `x <> ALL (ARRAY['a', 'b'])`, `trim(x)` as `TRIM(BOTH FROM x)`, `(select f())` as
//! `( SELECT f() AS f)`, `interval '15 minutes'` as `'00:15:00'::interval`, `LIKE` as
//! `~~`. Each rewrite here turns both spellings into one, and only ever joins spellings
//! PostgreSQL itself treats as the same parse tree (checked on PostgreSQL 15, see
//! `tests/check_rewrites.rs`): where a form is not recognised in full it is left alone.

use super::expr::Token;
use super::{datetime, interval};

fn punct(p: &str) -> Token {
    Token::Punct(p.into())
}

fn word(w: &str) -> Token {
    Token::Ident(w.into())
}

fn is_word(t: Option<&Token>, w: &str) -> bool {
    matches!(t, Some(Token::Ident(x)) if x == w)
}

fn is_punct(t: Option<&Token>, p: &str) -> bool {
    matches!(t, Some(Token::Punct(x)) if x == p)
}

/// Index of the `)` (or `]`) matching the `(` (or `[`) at `open`.
pub(super) fn closing(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t {
            Token::Punct(p) if p == "(" || p == "[" => depth += 1,
            Token::Punct(p) if p == ")" || p == "]" => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Index of the `(` matching the `)` at `close`.
fn opening(tokens: &[Token], close: usize) -> Option<usize> {
    let mut depth = 0usize;
    for i in (0..=close).rev() {
        match &tokens[i] {
            Token::Punct(p) if p == ")" || p == "]" => depth += 1,
            Token::Punct(p) if p == "(" || p == "[" => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Typed literals before casts are dropped: `interval '15 minutes'` and
/// `'15 minutes'::interval` both become the literal PostgreSQL prints (`'00:15:00'`), as do
/// `timestamp '2020-01-01'` and `'2020-01-01'::timestamp` (`'2020-01-01 00:00:00'`); the
/// type word goes like every cast's. A negative numeric constant, which PostgreSQL prints
/// as `'-1'::integer`, becomes a number.
pub(super) fn typed_literals(tokens: Vec<Token>) -> Vec<Token> {
    const FIELDS: &[&str] = &["year", "month", "day", "hour", "minute", "second"];
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if let (Token::Ident(w), Some(Token::Str(s))) = (&tokens[i], tokens.get(i + 1)) {
            // `interval '1' day` carries a field the literal alone does not say.
            let qualified =
                matches!(tokens.get(i + 2), Some(Token::Ident(f)) if FIELDS.contains(&f.as_str()));
            let ty = match w.as_str() {
                "timestamptz" => Some("timestamp with time zone"),
                "interval" if !qualified => Some("interval"),
                "date" | "time" | "timestamp" => Some(w.as_str()),
                _ => None,
            };
            if let Some(ty) = ty {
                out.push(Token::Str(literal(s, ty).unwrap_or_else(|| s.clone())));
                i += 2;
                continue;
            }
        }
        if let (Token::Str(s), true, Some(Token::Ident(ty))) = (
            &tokens[i],
            is_punct(tokens.get(i + 1), "::"),
            tokens.get(i + 2),
        ) {
            let with_tz = is_word(tokens.get(i + 3), "with");
            let ty = match ty.as_str() {
                "timestamp" | "time" if with_tz => format!("{ty} with time zone"),
                "timestamptz" => "timestamp with time zone".to_string(),
                other => other.to_string(),
            };
            let value = if NUMERIC_TYPES.contains(&ty.as_str()) && is_number(s) {
                Some(Token::Number(s.clone()))
            } else {
                literal(s, &ty).map(Token::Str)
            };
            if let Some(value) = value {
                out.push(value);
                i += 1;
                continue;
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// The printed value of a literal of type `ty` (`interval`, `date`, `timestamp`, `time`,
/// `timestamp with time zone`).
fn literal(s: &str, ty: &str) -> Option<String> {
    match ty {
        "interval" => interval::canonical(s),
        _ => datetime::canonical(s, ty),
    }
}

const NUMERIC_TYPES: &[&str] = &[
    "integer", "int", "int4", "bigint", "int8", "smallint", "int2", "numeric", "decimal", "real",
    "float4", "double", "float8",
];

fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
}

/// A minus sign that starts an operand joins the number after it: `-1` is the constant
/// PostgreSQL prints as `'-1'::integer`. A minus between two operands stays an operator.
pub(super) fn negative_numbers(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if let (Token::Punct(p), Some(Token::Number(n))) = (&tokens[i], tokens.get(i + 1)) {
            let unary = match out.last() {
                None => true,
                Some(Token::Punct(q)) => q != ")" && q != "]",
                Some(Token::Ident(w)) => is_keyword(w),
                _ => false,
            };
            if p == "-" && unary && !n.starts_with('-') {
                out.push(Token::Number(format!("-{n}")));
                i += 2;
                continue;
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// `CAST(x AS t)` is the cast `x::t`, and casts are not compared: it becomes `(x)`.
pub(super) fn cast_calls(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if is_word(tokens.get(i), "cast") && is_punct(tokens.get(i + 1), "(") {
            if let Some(end) = closing(&tokens, i + 1) {
                let as_at = top_level(&tokens[i + 2..end])
                    .filter(|(_, t)| is_word(Some(t), "as"))
                    .last()
                    .map(|(k, _)| i + 2 + k);
                if let Some(as_at) = as_at.filter(|&k| k > i + 2) {
                    out.push(punct("("));
                    out.extend(cast_calls(tokens[i + 2..as_at].to_vec()));
                    out.push(punct(")"));
                    i = end + 1;
                    continue;
                }
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// `x = ANY (ARRAY[a, b])` is how PostgreSQL prints `x IN (a, b)`, and `x <> ALL (ARRAY[…])`
/// `x NOT IN (…)`; a one-item list is printed as `x = a` / `x <> a`. Subqueries
/// (`IN (SELECT …)`) are not lists and stay as they are.
pub(super) fn in_lists(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let op = match &tokens[i] {
            Token::Punct(p) if p == "=" && is_word(tokens.get(i + 1), "any") => Some(false),
            Token::Punct(p) if p == "<>" && is_word(tokens.get(i + 1), "all") => Some(true),
            _ => None,
        };
        if let Some(negated) = op {
            // `= ANY ((ARRAY['a', 'b'])::text[])` once its cast is gone: extra parentheses.
            let mut open = i + 2;
            let mut wraps = 0;
            while is_punct(tokens.get(open + 1), "(") {
                open += 1;
                wraps += 1;
            }
            if is_punct(tokens.get(i + 2), "(")
                && is_word(tokens.get(open + 1), "array")
                && is_punct(tokens.get(open + 2), "[")
            {
                if let Some(end) = closing(&tokens, open + 2) {
                    let after = end + 1..end + 2 + wraps;
                    if after.clone().all(|k| is_punct(tokens.get(k), ")")) {
                        if negated {
                            out.push(word("not"));
                        }
                        out.push(word("in"));
                        out.push(punct("("));
                        out.extend_from_slice(&tokens[open + 3..end]);
                        out.push(punct(")"));
                        i = after.end;
                        continue;
                    }
                }
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    single_item_lists(out)
}

fn single_item_lists(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if is_word(tokens.get(i), "in") && is_punct(tokens.get(i + 1), "(") {
            if let Some(end) = closing(&tokens, i + 1) {
                let items = &tokens[i + 2..end];
                let subquery = matches!(items.first(), Some(Token::Ident(w)) if matches!(w.as_str(), "select" | "values" | "with"));
                if !items.is_empty() && !subquery && top_level_commas(items) == 0 {
                    let negated = is_word(out.last(), "not");
                    if negated {
                        out.pop();
                    }
                    out.push(punct(if negated { "<>" } else { "=" }));
                    out.extend_from_slice(items);
                    i = end + 1;
                    continue;
                }
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

fn top_level_commas(tokens: &[Token]) -> usize {
    top_level(tokens)
        .filter(|(_, t)| is_punct(Some(t), ","))
        .count()
}

/// The tokens outside any parentheses or brackets, with their indexes.
fn top_level(tokens: &[Token]) -> impl Iterator<Item = (usize, &Token)> {
    let mut depth = 0i32;
    tokens.iter().enumerate().filter(move |(_, t)| {
        match t {
            Token::Punct(p) if p == "(" || p == "[" => depth += 1,
            Token::Punct(p) if p == ")" || p == "]" => depth -= 1,
            _ => return depth == 0,
        }
        false
    })
}

/// Words after which an operand starts: `BETWEEN`'s left operand must begin right there.
fn starts_operand(t: Option<&Token>) -> bool {
    match t {
        None => true,
        Some(Token::Punct(p)) => p == "(" || p == ",",
        Some(Token::Ident(w)) => matches!(
            w.as_str(),
            "and" | "or" | "not" | "when" | "then" | "else" | "where" | "select"
        ),
        _ => false,
    }
}

/// The start of the operand that ends at `end` (inclusive): one identifier, literal,
/// function call or parenthesized group, with nothing binding tighter before it.
fn operand_start(tokens: &[Token], end: usize) -> Option<usize> {
    let start = match &tokens[end] {
        Token::Punct(p) if p == ")" => {
            let open = opening(tokens, end)?;
            match open.checked_sub(1).map(|k| &tokens[k]) {
                Some(Token::Ident(w)) if !is_keyword(w) => open - 1,
                _ => open,
            }
        }
        Token::Ident(w) if !is_keyword(w) => end,
        Token::Number(_) | Token::Str(_) => end,
        _ => return None,
    };
    starts_operand(start.checked_sub(1).map(|k| &tokens[k])).then_some(start)
}

/// Words that end or join operands rather than name something.
fn is_keyword(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "or"
            | "not"
            | "between"
            | "symmetric"
            | "asymmetric"
            | "is"
            | "in"
            | "like"
            | "ilike"
            | "when"
            | "then"
            | "else"
            | "end"
            | "case"
            | "select"
            | "from"
            | "where"
    )
}

/// The end (exclusive) of `BETWEEN`'s upper bound starting at `from`: up to the next
/// `AND`/`OR`/`,`/`)` or clause word at its own depth. `None` when it holds something
/// whose precedence would need parentheses (`IS`, `NOT`, a comparison).
fn bound_end(tokens: &[Token], from: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut i = from;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Punct(p) if p == "(" || p == "[" => depth += 1,
            Token::Punct(p) if p == ")" || p == "]" => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            Token::Punct(p) if depth == 0 && p == "," => break,
            Token::Punct(p)
                if depth == 0 && matches!(p.as_str(), "=" | "<" | ">" | "<=" | ">=" | "<>") =>
            {
                return None
            }
            Token::Ident(w) if depth == 0 => match w.as_str() {
                "and" | "or" | "then" | "else" | "when" | "end" => break,
                "is" | "not" | "between" | "in" | "like" | "ilike" => return None,
                _ => {}
            },
            _ => {}
        }
        i += 1;
    }
    (i > from).then_some(i)
}

/// `a BETWEEN b AND c` is `a >= b AND a <= c`; `a NOT BETWEEN b AND c` is
/// `a < b OR a > c` (PostgreSQL expands both when it stores them). `SYMMETRIC` and
/// operands this does not recognise in full are left alone.
pub(super) fn between(tokens: Vec<Token>) -> Vec<Token> {
    let mut tokens = tokens;
    let mut from = 0;
    while let Some(at) = (from..tokens.len()).find(|&k| is_word(tokens.get(k), "between")) {
        from = at + 1;
        let negated = at > 0 && is_word(tokens.get(at - 1), "not");
        let a_end = if negated {
            at.checked_sub(2)
        } else {
            at.checked_sub(1)
        };
        let Some(a_end) = a_end else { continue };
        let Some(a_start) = operand_start(&tokens, a_end) else {
            continue;
        };
        let mut low_start = at + 1;
        if is_word(tokens.get(low_start), "asymmetric") {
            low_start += 1;
        }
        if is_word(tokens.get(low_start), "symmetric") {
            continue;
        }
        let Some(and) = bound_end(&tokens, low_start) else {
            continue;
        };
        if !is_word(tokens.get(and), "and") {
            continue;
        }
        let Some(high_end) = bound_end(&tokens, and + 1) else {
            continue;
        };
        let a = tokens[a_start..=a_end].to_vec();
        let (low_op, join, high_op) = if negated {
            ("<", "or", ">")
        } else {
            (">=", "and", "<=")
        };
        // In parentheses: the expansion must stay one operand of what surrounds it
        // (`NOT x BETWEEN 1 AND 3`, `p AND x NOT BETWEEN 1 AND 3`).
        let mut expanded = vec![punct("(")];
        expanded.extend(a.clone());
        expanded.push(punct(low_op));
        expanded.extend_from_slice(&tokens[low_start..and]);
        expanded.push(word(join));
        expanded.extend(a);
        expanded.push(punct(high_op));
        expanded.extend_from_slice(&tokens[and + 1..high_end]);
        expanded.push(punct(")"));
        from = a_start + expanded.len();
        tokens.splice(a_start..high_end, expanded);
    }
    tokens
}

/// PostgreSQL prints `LIKE` and `ILIKE` as their operators `~~` and `~~*` (`!~~`, `!~~*`
/// negated); the words are what people write.
pub(super) fn like_words(tokens: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    for t in tokens {
        match &t {
            Token::Punct(p) if p == "~~" => out.push(word("like")),
            Token::Punct(p) if p == "~~*" => out.push(word("ilike")),
            Token::Punct(p) if p == "!~~" => out.extend([word("not"), word("like")]),
            Token::Punct(p) if p == "!~~*" => out.extend([word("not"), word("ilike")]),
            _ => out.push(t),
        }
    }
    out
}

/// `trim(x)` is `TRIM(BOTH FROM x)` and `trim('y' from x)` is `TRIM(BOTH 'y' FROM x)`:
/// `BOTH` is the default, and `FROM` with nothing before it says nothing.
pub(super) fn trim_both(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        out.push(tokens[i].clone());
        if is_word(tokens.get(i), "trim") && is_punct(tokens.get(i + 1), "(") {
            out.push(punct("("));
            i += 2;
            if is_word(tokens.get(i), "both") {
                i += 1;
            }
            if is_word(tokens.get(i), "from") {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    out
}

/// In a `SELECT` list PostgreSQL names each output column: `(select auth.uid())` is
/// stored as `( SELECT auth.uid() AS uid)`. An `AS` that repeats the name PostgreSQL
/// would give anyway (the function's or the column's) is dropped.
pub(super) fn select_aliases(tokens: Vec<Token>) -> Vec<Token> {
    let mut drop = vec![false; tokens.len()];
    // Per open parenthesis: whether a SELECT list started at that depth.
    let mut in_select = vec![false];
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::Punct(p) if p == "(" => in_select.push(false),
            Token::Punct(p) if p == ")" && in_select.len() > 1 => {
                in_select.pop();
            }
            Token::Ident(w) if w == "select" => {
                if let Some(top) = in_select.last_mut() {
                    *top = true;
                }
            }
            Token::Ident(w) if w == "from" => {
                if let Some(top) = in_select.last_mut() {
                    *top = false;
                }
            }
            Token::Ident(w) if w == "as" && in_select.last() == Some(&true) => {
                let Some(Token::Ident(alias)) = tokens.get(i + 1) else {
                    continue;
                };
                let ends_item = match tokens.get(i + 2) {
                    None => true,
                    Some(Token::Punct(p)) => p == ")" || p == ",",
                    Some(Token::Ident(w)) => w == "from",
                    _ => false,
                };
                let named = match i.checked_sub(1).map(|k| &tokens[k]) {
                    Some(Token::Ident(w)) => w == alias,
                    Some(Token::Punct(p)) if p == ")" => opening(&tokens, i - 1)
                        .and_then(|open| open.checked_sub(1))
                        .is_some_and(|f| matches!(&tokens[f], Token::Ident(w) if w == alias)),
                    _ => false,
                };
                if ends_item && named {
                    drop[i] = true;
                    drop[i + 1] = true;
                }
            }
            _ => {}
        }
    }
    tokens
        .into_iter()
        .zip(drop)
        .filter_map(|(t, d)| (!d).then_some(t))
        .collect()
}

/// Joins in a view's query as PostgreSQL prints them: `INNER JOIN` is `JOIN`, `LEFT OUTER
/// JOIN` is `LEFT JOIN`, and the join tree after `FROM` is in parentheses
/// (`FROM ((a JOIN b ON …) JOIN c ON …)`), which a left-deep tree does not need. A
/// statement's closing `;` goes too.
pub(super) fn joins(tokens: Vec<Token>) -> Vec<Token> {
    let mut tokens: Vec<Token> = tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            let next_is_join = is_word(tokens.get(i + 1), "join");
            !((is_word(Some(t), "inner") || is_word(Some(t), "outer")) && next_is_join)
        })
        .map(|(_, t)| t.clone())
        .collect();
    while is_punct(tokens.last(), ";") {
        tokens.pop();
    }
    loop {
        let found = (0..tokens.len()).find_map(|i| {
            if !(is_word(tokens.get(i), "from") && is_punct(tokens.get(i + 1), "(")) {
                return None;
            }
            let end = closing(&tokens, i + 1)?;
            let joined = top_level(&tokens[i + 2..end]).any(|(_, t)| is_word(Some(t), "join"));
            joined.then_some((i + 1, end))
        });
        let Some((open, end)) = found else {
            return tokens;
        };
        tokens.remove(end);
        tokens.remove(open);
    }
}
