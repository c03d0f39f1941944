//! drizzle-orm's `toSnakeCase` / `toCamelCase`, which `casing` applies to the columns
//! declared without a name.

use crate::config::Casing;

/// The words drizzle-orm splits a key into: the matches of
/// `/[\da-z]+|[A-Z]+(?![a-z])|[A-Z][\da-z]+/g` after removing apostrophes.
fn words(input: &str) -> Vec<String> {
    let chars: Vec<char> = input
        .chars()
        .filter(|c| *c != '\'' && *c != '\u{2019}')
        .collect();
    let lower = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if lower(c) {
            let start = i;
            while i < chars.len() && lower(chars[i]) {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
            continue;
        }
        if c.is_ascii_uppercase() {
            let mut run = i;
            while run < chars.len() && chars[run].is_ascii_uppercase() {
                run += 1;
            }
            // `[A-Z]+(?![a-z])`, backtracking from the longest run.
            let mut end = run;
            while end > i {
                let next = chars.get(end);
                if !next.is_some_and(|n| n.is_ascii_lowercase()) {
                    break;
                }
                end -= 1;
            }
            if end > i {
                out.push(chars[i..end].iter().collect());
                i = end;
                continue;
            }
            // `[A-Z][\da-z]+`
            if chars.get(i + 1).is_some_and(|n| lower(*n)) {
                let start = i;
                i += 1;
                while i < chars.len() && lower(chars[i]) {
                    i += 1;
                }
                out.push(chars[start..i].iter().collect());
                continue;
            }
        }
        i += 1;
    }
    out
}

pub(super) fn to_snake_case(input: &str) -> String {
    words(input)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

pub(super) fn to_camel_case(input: &str) -> String {
    let mut out = String::new();
    for (i, w) in words(input).iter().enumerate() {
        if i == 0 {
            out.push_str(&w.to_lowercase());
        } else {
            let mut chars = w.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

/// The SQL name of a column: its name, converted by `casing` when it came from the key.
pub(super) fn column_name(name: &str, key_as_name: bool, casing: Option<Casing>) -> String {
    match (key_as_name, casing) {
        (true, Some(Casing::SnakeCase)) => to_snake_case(name),
        (true, Some(Casing::CamelCase)) => to_camel_case(name),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_like_drizzle() {
        for (input, expected) in [
            ("firstName", "first_name"),
            ("emailAddress", "email_address"),
            ("legacyID", "legacy_id"),
            ("HTMLParser", "html_parser"),
            ("userId2", "user_id2"),
            ("already_snake", "already_snake"),
            ("A", "a"),
            ("isActive", "is_active"),
            ("don'tCare", "dont_care"),
        ] {
            assert_eq!(to_snake_case(input), expected, "{input}");
        }
    }

    #[test]
    fn camel_case_like_drizzle() {
        for (input, expected) in [
            ("first_name", "firstName"),
            ("user_id", "userId"),
            ("HTML_parser", "htmlParser"),
            ("plain", "plain"),
        ] {
            assert_eq!(to_camel_case(input), expected, "{input}");
        }
    }
}
