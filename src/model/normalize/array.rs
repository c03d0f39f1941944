//! Array literals: drizzle-kit quotes every element (`'{"a","b c"}'`), PostgreSQL's
//! array output quotes only where it must (`'{a,"b c"}'`) and prints booleans as `t`/`f`.

/// The array literal as PostgreSQL prints it for an array of `element` (a canonical type
/// name), or `None` when `literal` is not a one-dimensional array literal read here.
pub fn canonical(literal: &str, element: &str) -> Option<String> {
    let items = parse(literal.trim())?;
    let rendered: Vec<String> = items
        .into_iter()
        .map(|item| match item {
            None => "NULL".to_string(),
            Some(value) => render(&element_value(value, element)),
        })
        .collect();
    Some(format!("{{{}}}", rendered.join(",")))
}

fn element_value(value: String, element: &str) -> String {
    if element == "boolean" {
        match value.to_ascii_lowercase().as_str() {
            "t" | "true" | "yes" | "on" | "1" => return "t".into(),
            "f" | "false" | "no" | "off" | "0" => return "f".into(),
            _ => {}
        }
    }
    value
}

/// PostgreSQL's `array_out`: quoted when empty, `NULL` in any case, or holding a quote,
/// backslash, brace, comma or white space; `"` and `\` escaped inside quotes.
fn render(value: &str) -> String {
    let needs_quotes = value.is_empty()
        || value.eq_ignore_ascii_case("null")
        || value
            .chars()
            .any(|c| matches!(c, '"' | '\\' | '{' | '}' | ',') || c.is_ascii_whitespace());
    if !needs_quotes {
        return value.to_string();
    }
    let mut out = String::from("\"");
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `{a,"b c",NULL}` → `[Some(a), Some(b c), None]`; nested arrays are not read.
fn parse(s: &str) -> Option<Vec<Option<String>>> {
    let body = s.strip_prefix('{')?.strip_suffix('}')?;
    let mut items = Vec::new();
    if body.trim().is_empty() {
        return Some(items);
    }
    let mut chars = body.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            chars.next();
        }
        let item = if chars.peek() == Some(&'"') {
            chars.next();
            let mut value = String::new();
            loop {
                match chars.next()? {
                    '\\' => value.push(chars.next()?),
                    '"' => break,
                    c => value.push(c),
                }
            }
            while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                chars.next();
            }
            Some(value)
        } else {
            let mut value = String::new();
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                if matches!(c, '{' | '}' | '"') {
                    return None;
                }
                if c == '\\' {
                    chars.next();
                    value.push(chars.next()?);
                    continue;
                }
                value.push(c);
                chars.next();
            }
            let value = value.trim().to_string();
            if value.eq_ignore_ascii_case("null") {
                None
            } else if value.is_empty() {
                return None;
            } else {
                Some(value)
            }
        };
        items.push(item);
        match chars.next() {
            None => return Some(items),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;

    /// drizzle-kit's text and what PostgreSQL 15 printed for it.
    #[test]
    fn drizzle_and_postgres_spellings_meet() {
        let cases = [
            (r#"{"a","b c"}"#, r#"{a,"b c"}"#, "text"),
            ("{}", "{}", "text"),
            ("{1,2}", "{1,2}", "integer"),
            (r#"{"",NULL,"NULL"}"#, r#"{"",NULL,"NULL"}"#, "text"),
            (
                r#"{"say \"hi\"","a\\b"}"#,
                r#"{"say \"hi\"","a\\b"}"#,
                "text",
            ),
            ("{true,false}", "{t,f}", "boolean"),
        ];
        for (written, printed, element) in cases {
            assert_eq!(
                canonical(written, element),
                canonical(printed, element),
                "{written}"
            );
            assert_eq!(canonical(printed, element).as_deref(), Some(printed));
        }
    }

    #[test]
    fn different_arrays_stay_different() {
        assert_ne!(canonical("{a,b}", "text"), canonical("{b,a}", "text"));
        assert_ne!(
            canonical("{NULL}", "text"),
            canonical(r#"{"NULL"}"#, "text")
        );
        assert_ne!(canonical(r#"{"a,b"}"#, "text"), canonical("{a,b}", "text"));
        for odd in ["", "{", "{{1}}", r#"{"a"#, "{a,}", "{a b"] {
            let _ = canonical(odd, "text");
        }
        assert_eq!(canonical("{{1,2},{3,4}}", "integer"), None);
    }
}
