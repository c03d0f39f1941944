//! Column defaults: drizzle-kit stores `'draft'`, `0`, `'{"a":1}'::jsonb`; the catalog
//! gives `'draft'::status`, `'0'::integer`, `'{"a": 1}'::jsonb`.

use super::expr::expression;
use super::types::is_numeric;

/// Canonical spelling of a PostgreSQL default for a column of canonical type `ty`.
pub fn pg_default(raw: &str, ty: &str) -> String {
    let raw = raw.trim();
    if let Some(literal) = casted_string_literal(raw) {
        return literal_for_type(&literal, ty);
    }
    let unparenthesized = strip_outer_parens(raw);
    if is_number(unparenthesized) {
        return number(unparenthesized);
    }
    match raw.to_ascii_lowercase().as_str() {
        "true" | "false" => return raw.to_ascii_lowercase(),
        _ => {}
    }
    expression(raw)
}

fn literal_for_type(literal: &str, ty: &str) -> String {
    if is_numeric(ty) && !ty.ends_with("[]") && is_number(literal) {
        return number(literal);
    }
    if ty == "boolean" {
        match literal.to_ascii_lowercase().as_str() {
            "t" | "true" => return "true".into(),
            "f" | "false" => return "false".into(),
            _ => {}
        }
    }
    if ty.starts_with("interval") && !ty.ends_with("[]") {
        if let Some(canonical) = super::interval::canonical(literal) {
            return quote(&canonical);
        }
    }
    if let Some(canonical) = super::datetime::canonical(literal, ty) {
        return quote(&canonical);
    }
    if let Some(element) = ty.strip_suffix("[]") {
        if let Some(canonical) = super::array::canonical(literal, element) {
            return quote(&canonical);
        }
    }
    if (ty == "json" || ty == "jsonb") && !literal.is_empty() {
        if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(literal) {
            // jsonb stores objects with their keys sorted (and one value per key, the
            // last); json keeps the text, so only its spacing is left out.
            if ty == "jsonb" {
                sort_json_keys(&mut value);
            }
            return quote(&value.to_string());
        }
    }
    quote(literal)
}

/// Object keys in one order at every depth, for values whose key order means nothing.
pub(super) fn sort_json_keys(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.sort_keys();
            map.values_mut().for_each(sort_json_keys);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(sort_json_keys),
        _ => {}
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn is_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
}

/// `1.50` stays `1.50` (numeric keeps its scale); `+1` and `01` become `1`.
fn number(s: &str) -> String {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let trimmed = if digits.contains(['.', 'e', 'E']) {
        digits.to_string()
    } else {
        let t = digits.trim_start_matches('0');
        if t.is_empty() {
            "0".to_string()
        } else {
            t.to_string()
        }
    };
    if neg && trimmed != "0" {
        format!("-{trimmed}")
    } else {
        trimmed
    }
}

fn strip_outer_parens(s: &str) -> &str {
    let mut s = s.trim();
    while s.starts_with('(') && s.ends_with(')') && balanced(&s[1..s.len() - 1]) {
        s = s[1..s.len() - 1].trim();
    }
    s
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// `'x'`, `'x'::text`, `('x'::text)::date`, `E'x'`: the literal's content.
fn casted_string_literal(raw: &str) -> Option<String> {
    let s = strip_outer_parens(raw);
    let s = s.strip_prefix('E').unwrap_or(s);
    let rest = s.strip_prefix('\'')?;
    let mut content = String::new();
    let mut chars = rest.char_indices().peekable();
    let mut end = None;
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().map(|&(_, n)| n) == Some('\'') {
                content.push('\'');
                chars.next();
                continue;
            }
            end = Some(i + 1);
            break;
        }
        content.push(c);
    }
    let tail = rest[end?..].trim();
    // Anything after the literal must be casts (and the parentheses around them).
    let only_casts = tail.split("::").skip(1).all(|ty| {
        !ty.trim().is_empty()
            && ty
                .chars()
                .all(|c| c.is_alphanumeric() || " _.[]()\"".contains(c))
    }) && (tail.is_empty() || tail.starts_with("::") || tail.starts_with(')'));
    let tail_ok = tail.is_empty() || (only_casts && !tail.contains('\''));
    tail_ok.then_some(content)
}

#[cfg(test)]
mod tests {
    use super::pg_default;

    #[test]
    fn drizzle_and_catalog_spellings_meet() {
        let cases = [
            ("'draft'", "'draft'::status", "status"),
            ("'it''s'", "'it''s'::text", "text"),
            ("0", "0", "integer"),
            ("-1", "'-1'::integer", "integer"),
            ("1.5", "'1.5'::real", "real"),
            ("'10.50'", "10.50", "numeric(10,2)"),
            ("true", "true", "boolean"),
            ("now()", "now()", "timestamp"),
            ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP", "timestamp"),
            ("gen_random_uuid()", "gen_random_uuid()", "uuid"),
            ("'{\"a\":1}'::jsonb", "'{\"a\": 1}'::jsonb", "jsonb"),
            // drizzle-kit's text and what PostgreSQL 15 stored for it
            (
                "'{\"zeta\":1,\"alpha\":{\"y\":[1,2.5],\"x\":\"yes\"}}'::jsonb",
                "'{\"zeta\": 1, \"alpha\": {\"x\": \"yes\", \"y\": [1, 2.5]}}'::jsonb",
                "jsonb",
            ),
            (
                "'{\"b\": 1, \"a\": [true, null]}'::jsonb",
                "'{\"a\": [true, null], \"b\": 1}'::jsonb",
                "jsonb",
            ),
            (
                "'{\"b\":2,\"a\":1}'::json",
                "'{\"b\":2,\"a\":1}'::json",
                "json",
            ),
            ("'{}'::text[]", "'{}'::text[]", "text[]"),
            ("'{}'", "'{}'::text[]", "text[]"),
            ("'abc'", "'abc'::character varying", "varchar(10)"),
            ("'1 hour'", "'01:00:00'::interval", "interval"),
            // drizzle-kit's text and what PostgreSQL 15 stored for it
            ("'12:00'", "'12:00:00'::time without time zone", "time"),
            (
                "'2020-01-01'",
                "'2020-01-01 00:00:00'::timestamp without time zone",
                "timestamp",
            ),
            (
                "'2020-01-01 00:00:00+00'",
                "'2020-01-01 00:00:00+00'::timestamp with time zone",
                "timestamp with time zone",
            ),
            ("'{\"a\",\"b c\"}'", "'{a,\"b c\"}'::text[]", "text[]"),
        ];
        for (drizzle, catalog, ty) in cases {
            assert_eq!(
                pg_default(drizzle, ty),
                pg_default(catalog, ty),
                "{drizzle} vs {catalog}"
            );
        }
    }

    #[test]
    fn different_defaults_stay_different() {
        assert_ne!(pg_default("'a'", "text"), pg_default("'b'::text", "text"));
        assert_ne!(pg_default("0", "integer"), pg_default("1", "integer"));
        // json keeps its text: key order is part of the value.
        assert_ne!(
            pg_default("'{\"b\":2,\"a\":1}'", "json"),
            pg_default("'{\"a\":1,\"b\":2}'::json", "json")
        );
        assert_ne!(
            pg_default("'{\"a\":1}'", "jsonb"),
            pg_default("'{\"a\":\"1\"}'::jsonb", "jsonb")
        );
        assert_ne!(pg_default("'1'", "text"), pg_default("1", "text"));
        assert_ne!(
            pg_default("now()", "timestamp"),
            pg_default("'2020-01-01'", "timestamp")
        );
    }
}
