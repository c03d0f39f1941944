//! Grouping parentheses. PostgreSQL prints every operator expression in parentheses
//! (`(((kind = 'x') OR (v > 1)) AND (v < 10))`), drizzle-kit prints what was written
//! (`(kind = 'x' or v > 1) and v < 10`). Both are parsed here by SQL's operator
//! precedence into one tree and printed back with only the parentheses that tree needs,
//! so `(a or b) and c` and `a or (b and c)` stay apart while `((a))` and `a` meet.
//!
//! What is not an expression (a subquery, a list, `DESC` after an index key, `FROM` inside
//! `extract(…)`) is kept as a sequence of tokens around the expressions it holds, with
//! its parentheses: nothing is dropped that is not proven redundant.

use super::deparse::closing;
use super::expr::Token;

/// Binding strength, loosest first (PostgreSQL's table "Operator Precedence").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Or = 1,
    And,
    Not,
    Is,
    Compare,
    /// `LIKE`, `ILIKE`, `SIMILAR TO`, `IN`, `BETWEEN`.
    Like,
    /// Every operator without a level of its own (`||`, `->>`, `@>`…).
    Other,
    Add,
    Mul,
    Exp,
    At,
    Collate,
    Unary,
    Subscript,
    /// Leaves, calls, groups, `CASE`: never need parentheses.
    Atom,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Leaf(Token),
    /// `f(…)` or `array[…]`: name, opening bracket and what is inside.
    Call(Token, &'static str, Vec<Item>),
    /// Parentheses around what is not one expression (a list, a subquery).
    Group(Vec<Item>),
    Prefix(Token, Box<Node>),
    Infix(Vec<Token>, Prec, Box<Node>, Box<Node>),
    /// `a AND b AND c` (or `OR`): associative, so nesting is not kept.
    Chain(Prec, Vec<Node>),
    /// `x IS [NOT] NULL`, `x COLLATE "C"`.
    Postfix(Box<Node>, Vec<Token>, Prec),
    Subscript(Box<Node>, Vec<Item>),
    /// `x [NOT] BETWEEN [SYMMETRIC] a AND b`: the words before the low bound.
    Between(Box<Node>, Vec<Token>, Box<Node>, Box<Node>),
    /// `CASE [subject] WHEN … THEN … [ELSE …] END`.
    Case(Option<Box<Node>>, Vec<(Node, Node)>, Option<Box<Node>>),
}

#[derive(Debug, Clone, PartialEq)]
enum Item {
    Node(Node),
    Tok(Token),
}

fn word(t: Option<&Token>) -> Option<&str> {
    match t {
        Some(Token::Ident(w)) => Some(w),
        _ => None,
    }
}

fn punct(t: Option<&Token>) -> Option<&str> {
    match t {
        Some(Token::Punct(p)) => Some(p),
        _ => None,
    }
}

/// Words that cannot start or be an operand: clause and operator keywords.
fn is_reserved(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "or"
            | "not"
            | "is"
            | "in"
            | "like"
            | "ilike"
            | "similar"
            | "between"
            | "when"
            | "then"
            | "else"
            | "end"
            | "from"
            | "where"
            | "as"
            | "asc"
            | "desc"
            | "nulls"
            | "select"
            | "distinct"
            | "order"
            | "by"
            | "group"
            | "having"
            | "limit"
            | "offset"
            | "join"
            | "inner"
            | "left"
            | "right"
            | "full"
            | "outer"
            | "cross"
            | "natural"
            | "on"
            | "using"
            | "union"
            | "intersect"
            | "except"
            | "all"
            | "any"
            | "some"
            | "both"
            | "leading"
            | "trailing"
            | "for"
            | "with"
            | "collate"
            | "escape"
            | "over"
            | "filter"
            | "within"
            | "at"
            | "symmetric"
            | "asymmetric"
            | "window"
            | "returning"
            | "into"
            | "values"
    )
}

/// Deeper nesting than this is left as written: the parser recurses once per level.
const MAX_DEPTH: usize = 256;

/// The canonical grouping of a token list.
pub(super) fn regroup(tokens: &[Token]) -> Vec<Token> {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for t in tokens {
        match punct(Some(t)) {
            Some("(" | "[") => depth += 1,
            Some(")" | "]") => depth = depth.saturating_sub(1),
            _ if word(Some(t)) == Some("case") => depth += 1,
            _ if word(Some(t)) == Some("end") => depth = depth.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    if deepest > MAX_DEPTH {
        return tokens.to_vec();
    }
    let mut out = Vec::with_capacity(tokens.len());
    emit_items(&sequence(tokens), &mut out);
    out
}

/// Expressions where they parse, tokens where they do not.
fn sequence(tokens: &[Token]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut pos = 0;
    while pos < tokens.len() {
        match expr(tokens, pos, Prec::Or) {
            Some((node, next)) if next > pos => {
                items.push(Item::Node(node));
                pos = next;
            }
            _ => {
                items.push(Item::Tok(tokens[pos].clone()));
                pos += 1;
            }
        }
    }
    items
}

/// The expression starting at `pos` whose operators bind at least as tightly as `min`;
/// with the position after it.
fn expr(tokens: &[Token], pos: usize, min: Prec) -> Option<(Node, usize)> {
    let (mut lhs, mut pos) = operand(tokens, pos)?;
    loop {
        let t = tokens.get(pos);
        let next = tokens.get(pos + 1);
        let (prec, consumed) = match (word(t), punct(t)) {
            (Some("or"), _) => (Prec::Or, 1),
            (Some("and"), _) => (Prec::And, 1),
            (Some("is"), _) => (Prec::Is, 1),
            (Some("not"), _)
                if matches!(
                    word(next),
                    Some("in" | "like" | "ilike" | "similar" | "between")
                ) =>
            {
                (Prec::Like, 2)
            }
            (Some("in" | "like" | "ilike" | "similar" | "between"), _) => (Prec::Like, 1),
            (Some("collate"), _) => (Prec::Collate, 1),
            (Some("at"), _)
                if word(next) == Some("time") && word(tokens.get(pos + 2)) == Some("zone") =>
            {
                (Prec::At, 3)
            }
            (_, Some("=" | "<" | ">" | "<=" | ">=" | "<>")) => (Prec::Compare, 1),
            (_, Some("+" | "-")) => (Prec::Add, 1),
            (_, Some("*" | "/" | "%")) => (Prec::Mul, 1),
            (_, Some("^")) => (Prec::Exp, 1),
            (_, Some("[")) => (Prec::Subscript, 0),
            (_, Some(p)) if is_operator(p) => (Prec::Other, 1),
            _ => break,
        };
        if prec < min {
            break;
        }
        let op: Vec<Token> = tokens[pos..pos + consumed].to_vec();
        // What does not parse after an operator is left to the caller's token sequence.
        let Some((node, end)) = infix(tokens, pos, consumed, prec, op, lhs.clone()) else {
            break;
        };
        lhs = node;
        pos = end;
    }
    Some((lhs, pos))
}

/// `lhs`, then the operator `op` of level `prec` at `pos` (`consumed` tokens long), then
/// its right side.
fn infix(
    tokens: &[Token],
    pos: usize,
    consumed: usize,
    prec: Prec,
    op: Vec<Token>,
    lhs: Node,
) -> Option<(Node, usize)> {
    let after = pos + consumed;
    let last = word(op.last());
    Some(match prec {
        Prec::Or | Prec::And => {
            let (rhs, end) = expr(tokens, after, next_level(prec))?;
            (chain(prec, lhs, rhs), end)
        }
        Prec::Is => return is_tail(tokens, pos, lhs),
        Prec::Collate => match tokens.get(after) {
            Some(name @ Token::Ident(_)) => (
                Node::Postfix(Box::new(lhs), vec![op[0].clone(), name.clone()], prec),
                after + 1,
            ),
            _ => return None,
        },
        Prec::Subscript => {
            let close = closing(tokens, pos)?;
            (
                Node::Subscript(Box::new(lhs), sequence(&tokens[pos + 1..close])),
                close + 1,
            )
        }
        Prec::Like if last == Some("in") => {
            if punct(tokens.get(after)) != Some("(") {
                return None;
            }
            let close = closing(tokens, after)?;
            let list = Node::Group(sequence(&tokens[after + 1..close]));
            (
                Node::Infix(op, prec, Box::new(lhs), Box::new(list)),
                close + 1,
            )
        }
        Prec::Like if last == Some("between") => return between(tokens, after, op, lhs),
        Prec::Like if last == Some("similar") => {
            if word(tokens.get(after)) != Some("to") {
                return None;
            }
            let mut op = op;
            op.push(tokens[after].clone());
            let (rhs, end) = expr(tokens, after + 1, next_level(prec))?;
            (Node::Infix(op, prec, Box::new(lhs), Box::new(rhs)), end)
        }
        _ => {
            let (rhs, end) = expr(tokens, after, next_level(prec))?;
            (Node::Infix(op, prec, Box::new(lhs), Box::new(rhs)), end)
        }
    })
}

/// The level just above `p` (left-associative operators parse their right operand there).
fn next_level(p: Prec) -> Prec {
    match p {
        Prec::Or => Prec::And,
        Prec::And => Prec::Not,
        Prec::Not => Prec::Is,
        Prec::Is => Prec::Compare,
        Prec::Compare => Prec::Like,
        Prec::Like => Prec::Other,
        Prec::Other => Prec::Add,
        Prec::Add => Prec::Mul,
        Prec::Mul => Prec::Exp,
        Prec::Exp => Prec::At,
        Prec::At => Prec::Collate,
        Prec::Collate => Prec::Unary,
        Prec::Unary => Prec::Subscript,
        Prec::Subscript | Prec::Atom => Prec::Atom,
    }
}

/// Punctuation that is a PostgreSQL operator name (`||`, `->>`, `@>`, `~*`…).
fn is_operator(p: &str) -> bool {
    !p.is_empty() && p.chars().all(|c| "+-*/<>=~!@#%^&|`?".contains(c))
}

fn chain(prec: Prec, lhs: Node, rhs: Node) -> Node {
    let mut items = match lhs {
        Node::Chain(p, items) if p == prec => items,
        other => vec![other],
    };
    match rhs {
        Node::Chain(p, more) if p == prec => items.extend(more),
        other => items.push(other),
    }
    Node::Chain(prec, items)
}

/// `IS [NOT] NULL | TRUE | FALSE | UNKNOWN | DISTINCT FROM x | JSON …` after `lhs`; `is_at`
/// is the position of `IS`.
fn is_tail(tokens: &[Token], is_at: usize, lhs: Node) -> Option<(Node, usize)> {
    let mut pos = is_at + 1;
    if word(tokens.get(pos)) == Some("not") {
        pos += 1;
    }
    if word(tokens.get(pos)) == Some("distinct") && word(tokens.get(pos + 1)) == Some("from") {
        let op = tokens[is_at..pos + 2].to_vec();
        let (rhs, end) = expr(tokens, pos + 2, next_level(Prec::Is))?;
        return Some((Node::Infix(op, Prec::Is, Box::new(lhs), Box::new(rhs)), end));
    }
    const TESTS: &[&str] = &[
        "null",
        "true",
        "false",
        "unknown",
        "json",
        "object",
        "array",
        "scalar",
        "value",
        "document",
        "normalized",
        "nfc",
        "nfd",
        "nfkc",
        "nfkd",
    ];
    let start = pos;
    while word(tokens.get(pos)).is_some_and(|w| TESTS.contains(&w)) {
        pos += 1;
    }
    (pos > start).then(|| {
        (
            Node::Postfix(Box::new(lhs), tokens[is_at..pos].to_vec(), Prec::Is),
            pos,
        )
    })
}

/// `[NOT] BETWEEN [SYMMETRIC] low AND high`, `op` holding the words up to `BETWEEN`.
fn between(tokens: &[Token], after: usize, op: Vec<Token>, lhs: Node) -> Option<(Node, usize)> {
    let mut op = op;
    let mut pos = after;
    if matches!(word(tokens.get(pos)), Some("symmetric" | "asymmetric")) {
        op.push(tokens[pos].clone());
        pos += 1;
    }
    let (low, pos) = expr(tokens, pos, Prec::Other)?;
    if word(tokens.get(pos)) != Some("and") {
        return None;
    }
    let (high, end) = expr(tokens, pos + 1, Prec::Other)?;
    Some((
        Node::Between(Box::new(lhs), op, Box::new(low), Box::new(high)),
        end,
    ))
}

/// One operand: a literal, a name, a call, a parenthesized expression, `CASE`, or a
/// prefix operator applied to one.
fn operand(tokens: &[Token], pos: usize) -> Option<(Node, usize)> {
    let t = tokens.get(pos)?;
    let next = tokens.get(pos + 1);
    match t {
        Token::Ident(w) if w == "not" => {
            let (e, end) = expr(tokens, pos + 1, Prec::Not)?;
            Some((Node::Prefix(t.clone(), Box::new(e)), end))
        }
        Token::Ident(w) if w == "case" => case(tokens, pos),
        Token::Ident(w) if w == "array" && punct(next) == Some("[") => call(tokens, pos, "["),
        // Keywords take no arguments, except these, which take a subquery or an array.
        Token::Ident(w)
            if punct(next) == Some("(")
                && (!is_reserved(w) || matches!(w.as_str(), "any" | "all" | "some")) =>
        {
            call(tokens, pos, "(")
        }
        Token::Ident(w) if is_reserved(w) => None,
        Token::Ident(_) | Token::Str(_) | Token::Number(_) | Token::Param(_) => {
            Some((Node::Leaf(t.clone()), pos + 1))
        }
        Token::Punct(p) if p == "-" || p == "+" => {
            let (e, end) = expr(tokens, pos + 1, Prec::Unary)?;
            Some((Node::Prefix(t.clone(), Box::new(e)), end))
        }
        Token::Punct(p) if p == "*" => Some((Node::Leaf(t.clone()), pos + 1)),
        Token::Punct(p) if p == "(" => {
            let close = closing(tokens, pos)?;
            let mut inner = sequence(&tokens[pos + 1..close]);
            let node = match (inner.len(), inner.pop()) {
                (1, Some(Item::Node(n))) => n,
                (_, Some(last)) => {
                    inner.push(last);
                    Node::Group(inner)
                }
                (_, None) => Node::Group(Vec::new()),
            };
            Some((node, close + 1))
        }
        _ => None,
    }
}

fn call(tokens: &[Token], pos: usize, open: &'static str) -> Option<(Node, usize)> {
    let close = closing(tokens, pos + 1)?;
    Some((
        Node::Call(tokens[pos].clone(), open, sequence(&tokens[pos + 2..close])),
        close + 1,
    ))
}

/// `CASE [x] WHEN a THEN b … [ELSE c] END`. PostgreSQL stores a missing `ELSE` as
/// `ELSE NULL`: an `ELSE NULL` is left out.
fn case(tokens: &[Token], pos: usize) -> Option<(Node, usize)> {
    let mut pos = pos + 1;
    let subject = if word(tokens.get(pos)) == Some("when") {
        None
    } else {
        let (s, end) = expr(tokens, pos, Prec::Or)?;
        pos = end;
        Some(Box::new(s))
    };
    let mut arms = Vec::new();
    while word(tokens.get(pos)) == Some("when") {
        let (when, end) = expr(tokens, pos + 1, Prec::Or)?;
        if word(tokens.get(end)) != Some("then") {
            return None;
        }
        let (then, end) = expr(tokens, end + 1, Prec::Or)?;
        arms.push((when, then));
        pos = end;
    }
    let mut otherwise = None;
    if word(tokens.get(pos)) == Some("else") {
        let (e, end) = expr(tokens, pos + 1, Prec::Or)?;
        if e != Node::Leaf(Token::Ident("null".into())) {
            otherwise = Some(Box::new(e));
        }
        pos = end;
    }
    (word(tokens.get(pos)) == Some("end") && !arms.is_empty())
        .then(|| (Node::Case(subject, arms, otherwise), pos + 1))
}

fn prec(n: &Node) -> Prec {
    match n {
        Node::Leaf(_) | Node::Call(..) | Node::Group(_) | Node::Case(..) => Prec::Atom,
        Node::Prefix(Token::Ident(_), _) => Prec::Not,
        Node::Prefix(..) => Prec::Unary,
        Node::Infix(_, p, _, _) | Node::Chain(p, _) | Node::Postfix(_, _, p) => *p,
        Node::Subscript(..) => Prec::Subscript,
        Node::Between(..) => Prec::Like,
    }
}

fn open() -> Token {
    Token::Punct("(".into())
}

fn close() -> Token {
    Token::Punct(")".into())
}

/// `n` inside an operator of level `level`: in parentheses when it binds more loosely, or
/// as loosely and `strict` (the right side of a left-associative operator, either side of
/// a non-associative one).
fn emit_operand(n: &Node, level: Prec, strict: bool, out: &mut Vec<Token>) {
    let p = prec(n);
    if p < level || (p == level && strict) {
        out.push(open());
        emit(n, out);
        out.push(close());
    } else {
        emit(n, out);
    }
}

/// Comparisons, `IS`, `LIKE`/`IN`/`BETWEEN` do not associate.
fn non_associative(p: Prec) -> bool {
    matches!(p, Prec::Compare | Prec::Is | Prec::Like)
}

fn emit(n: &Node, out: &mut Vec<Token>) {
    match n {
        Node::Leaf(t) => out.push(t.clone()),
        Node::Call(name, open_with, items) => {
            out.push(name.clone());
            out.push(Token::Punct((*open_with).into()));
            emit_items(items, out);
            out.push(Token::Punct(
                if *open_with == "[" { "]" } else { ")" }.into(),
            ));
        }
        Node::Group(items) => {
            out.push(open());
            emit_items(items, out);
            out.push(close());
        }
        Node::Prefix(op, e) => {
            out.push(op.clone());
            emit_operand(e, prec(n), false, out);
        }
        Node::Infix(op, p, l, r) => {
            emit_operand(l, *p, non_associative(*p), out);
            out.extend(op.iter().cloned());
            emit_operand(r, *p, true, out);
        }
        Node::Chain(p, items) => {
            let joiner = Token::Ident(if *p == Prec::Or { "or" } else { "and" }.into());
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(joiner.clone());
                }
                emit_operand(item, *p, true, out);
            }
        }
        Node::Postfix(e, op, p) => {
            emit_operand(e, *p, non_associative(*p), out);
            out.extend(op.iter().cloned());
        }
        Node::Subscript(e, items) => {
            emit_operand(e, Prec::Subscript, false, out);
            out.push(Token::Punct("[".into()));
            emit_items(items, out);
            out.push(Token::Punct("]".into()));
        }
        Node::Between(e, op, low, high) => {
            emit_operand(e, Prec::Like, true, out);
            out.extend(op.iter().cloned());
            emit_operand(low, Prec::Other, false, out);
            out.push(Token::Ident("and".into()));
            emit_operand(high, Prec::Other, false, out);
        }
        Node::Case(subject, arms, otherwise) => {
            out.push(Token::Ident("case".into()));
            if let Some(s) = subject {
                emit(s, out);
            }
            for (when, then) in arms {
                out.push(Token::Ident("when".into()));
                emit(when, out);
                out.push(Token::Ident("then".into()));
                emit(then, out);
            }
            if let Some(e) = otherwise {
                out.push(Token::Ident("else".into()));
                emit(e, out);
            }
            out.push(Token::Ident("end".into()));
        }
    }
}

fn emit_items(items: &[Item], out: &mut Vec<Token>) {
    for item in items {
        match item {
            Item::Node(n) => emit(n, out),
            Item::Tok(t) => out.push(t.clone()),
        }
    }
}
