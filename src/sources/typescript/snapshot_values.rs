//! Values as drizzle-kit writes them into a PostgreSQL snapshot: column types with their
//! `typeSchema`, defaults, array literals, and the sequence options it fills in.

use super::sql::{self, Mode};
use super::value::{
    js_number, js_string, json_stringify, ColType, ColumnB, Dz, SeqOpts, Value, Why,
};
use crate::model::SequenceOptions;
use std::rc::Rc;

/// The column's `getSQLType()` and, for enum columns, drizzle-kit's `typeSchema`.
pub(super) fn column_type(b: &ColumnB<'_>) -> Result<(String, Option<String>), Rc<Why>> {
    match &b.ty {
        ColType::Sql(s) => Ok((s.clone(), None)),
        ColType::Enum(e) => Ok((
            e.name.to_string(),
            (!e.from_object).then(|| e.schema.as_deref().unwrap_or("public").to_string()),
        )),
        ColType::Array(base, size) => {
            let (inner, schema) = column_type(base)?;
            let size = size.map(js_number).unwrap_or_default();
            Ok((format!("{inner}[{size}]"), schema))
        }
        ColType::Unknown(w) => Err(w.clone()),
    }
}

pub(super) enum Range<'s> {
    Sequence,
    Identity {
        column_type: &'static str,
        sql_type: &'s str,
    },
}

/// drizzle-kit's defaults for unset sequence and identity options (including its choice of
/// ranges, which compares the column class name where it means the type).
pub(super) fn sequence_options(o: &SeqOpts, range: Range<'_>) -> SequenceOptions {
    let increment = o.increment.clone().unwrap_or_else(|| "1".into());
    let negative = parse_float(&increment).is_some_and(|n| n < 0.0);
    let (min_range, max_range) = match range {
        Range::Sequence => ("-9223372036854775808", "9223372036854775807"),
        Range::Identity {
            column_type,
            sql_type,
        } => (
            match column_type {
                "integer" => "-2147483648",
                "bigint" => "-9223372036854775808",
                _ => "-32768",
            },
            match sql_type {
                "integer" => "2147483647",
                "bigint" => "9223372036854775807",
                _ => "32767",
            },
        ),
    };
    let min = o.min_value.clone().unwrap_or_else(|| {
        if negative {
            min_range.into()
        } else {
            "1".into()
        }
    });
    let max = o.max_value.clone().unwrap_or_else(|| {
        if negative {
            "-1".into()
        } else {
            max_range.into()
        }
    });
    let start =
        o.start_with
            .clone()
            .unwrap_or_else(|| if negative { max.clone() } else { min.clone() });
    SequenceOptions {
        increment: Some(increment),
        min_value: Some(min),
        max_value: Some(max),
        start_with: Some(start),
        cache: Some(o.cache.clone().unwrap_or_else(|| "1".into())),
        cycle: o.cycle.unwrap_or(false),
    }
}

/// JavaScript's `parseFloat`: the longest numeric prefix.
pub(super) fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim_start();
    let mut end = 0;
    let bytes = t.as_bytes();
    let mut seen_digit = false;
    let mut seen_dot = false;
    let mut seen_exp = false;
    while end < bytes.len() {
        let b = bytes[end];
        match b {
            b'0'..=b'9' => seen_digit = true,
            b'+' | b'-' if end == 0 || matches!(bytes[end - 1], b'e' | b'E') => {}
            b'.' if !seen_dot && !seen_exp => seen_dot = true,
            b'e' | b'E' if seen_digit && !seen_exp => seen_exp = true,
            _ => break,
        }
        end += 1;
    }
    let mut candidate = &t[..end];
    while !candidate.is_empty() {
        if let Ok(n) = candidate.parse::<f64>() {
            return Some(n);
        }
        candidate = &candidate[..candidate.len() - 1];
    }
    if t.starts_with("Infinity") || t.starts_with("+Infinity") {
        return Some(f64::INFINITY);
    }
    if t.starts_with("-Infinity") {
        return Some(f64::NEG_INFINITY);
    }
    None
}

/// A plain value as the JSON drizzle-kit writes and serde reads back.
pub(super) fn json_value(v: &Value<'_>) -> Option<serde_json::Value> {
    let text = json_stringify(v).ok()??;
    serde_json::from_str(&text).ok()
}

/// The default as the snapshot stores it, in the history reader's text form; `Ok(None)`
/// when drizzle-kit would store none.
pub(super) fn default_text(
    v: &Value<'_>,
    sql_type_lower: &str,
    style: sql::Style,
    v1: bool,
    is_enum: bool,
) -> Result<Option<String>, Rc<Why>> {
    let fail = |m: String| Rc::new(Why::new(m, None));
    if v1 {
        if let Some(text) = v1_default_text(v, sql_type_lower, style, is_enum)? {
            return Ok(Some(text));
        }
    }
    match v {
        Value::Host(Dz::Sql(s)) => sql::render_with(s, Mode::Default, style).map(Some),
        Value::Unknown(w) => Err(w.clone()),
        Value::Str(s) => Ok(Some(format!("'{}'", s.replace('\'', "''")))),
        _ if sql_type_lower == "jsonb" || sql_type_lower == "json" => match json_stringify(v) {
            Ok(Some(json)) => Ok(Some(format!("'{json}'::{sql_type_lower}"))),
            Ok(None) => Ok(Some(format!("'undefined'::{sql_type_lower}"))),
            Err(m) => Err(fail(m)),
        },
        // drizzle-kit: a date for `date`, a timestamp without zone for exactly
        // `timestamp`, the full ISO text for anything else.
        Value::Date(ms) => match crate::js::date_iso(*ms) {
            Some(iso) if sql_type_lower == "date" => Ok(Some(format!("'{}'", &iso[..10]))),
            Some(iso) if sql_type_lower == "timestamp" => Ok(Some(format!(
                "'{}'",
                iso.replace('T', " ").get(..23).unwrap_or("")
            ))),
            Some(iso) => Ok(Some(format!("'{iso}'"))),
            None => Err(fail("is an invalid date (drizzle-kit throws)".into())),
        },
        Value::Array(items) if is_pg_array_type(sql_type_lower) => Ok(Some(format!(
            "'{}'",
            array_string(items, sql_type_lower).map_err(fail)?
        ))),
        Value::Null => Ok(None),
        Value::BigInt(_) => Err(fail(
            "drizzle-kit cannot write a BigInt default into a snapshot".into(),
        )),
        Value::Num(_) | Value::Bool(_) | Value::Array(_) | Value::Object(_) => {
            match json_value(v) {
                Some(serde_json::Value::Null) | None => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(s)),
                Some(serde_json::Value::Bool(b)) => Ok(Some(b.to_string())),
                Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
                Some(other) => Ok(Some(other.to_string())),
            }
        }
        other => Err(fail(format!("is {}", other.kind()))),
    }
}

/// What drizzle-kit 1.0 writes where it differs from 0.x (`None`: as 0.x): `sql`
/// defaults without their trailing casts, JSON defaults without a cast, numbers of
/// `numeric` quoted, text with backslashes doubled, time zones on `timestamptz` strings,
/// array elements quoted only where PostgreSQL needs it.
fn v1_default_text(
    v: &Value<'_>,
    sql_type_lower: &str,
    style: sql::Style,
    is_enum: bool,
) -> Result<Option<String>, Rc<Why>> {
    let base = sql_type_lower
        .split('[')
        .next()
        .unwrap_or(sql_type_lower)
        .trim();
    let array = base.len() != sql_type_lower.trim().len();
    let textual = is_enum
        || ["text", "varchar", "char", "character"].iter().any(|t| {
            base == *t || base.starts_with(&format!("{t}(")) || base.starts_with(&format!("{t} "))
        });
    Ok(match v {
        Value::Host(Dz::Sql(s)) => Some(trim_default_suffix(&sql::render_with(
            s,
            Mode::Default,
            style,
        )?)),
        Value::Null | Value::Unknown(_) => None,
        Value::Array(items) if array && items.is_empty() => Some("'{}'".to_string()),
        Value::Array(items) if array && (textual || base == "uuid") => {
            array_elements(items, textual).map(|a| format!("'{a}'"))
        }
        _ if !array && (base == "json" || base == "jsonb") => match json_stringify(v) {
            Ok(Some(json)) => Some(format!("'{}'", json.replace('\'', "''"))),
            _ => None,
        },
        Value::Num(n) if !array && (base.starts_with("numeric") || base.starts_with("decimal")) => {
            Some(format!("'{}'", js_number(*n)))
        }
        Value::Str(s) if !array && textual && !is_enum => {
            Some(format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''")))
        }
        Value::Str(s)
            if !array && base.starts_with("timestamp") && base.ends_with("with time zone") =>
        {
            Some(if has_time_zone_suffix(s) {
                format!("'{s}'")
            } else {
                format!("'{s}+00'")
            })
        }
        _ => None,
    })
}

/// drizzle-kit 1.0's `stringifyArray(value, "sql", …)` for text, enum (`escape`) and uuid
/// arrays; `None` for elements it would not write this way.
fn array_elements(items: &[Value<'_>], escape: bool) -> Option<String> {
    let mut parts = Vec::new();
    for item in items {
        parts.push(match item {
            Value::Array(inner) => array_elements(inner, escape)?,
            Value::Str(s) if escape => {
                let escaped = s
                    .replace('\\', "\\\\")
                    .replace('\'', "''")
                    .replace('"', "\\\"");
                if s.contains(['\\', '"', ',']) || s.is_empty() {
                    format!("\"{escaped}\"")
                } else {
                    escaped
                }
            }
            Value::Str(s) => s.to_string(),
            _ => return None,
        });
    }
    Some(format!("{{{}}}", parts.join(",")))
}

/// drizzle-kit 1.0's `hasTimeZoneSuffix`: `+01`, `-05:30` or `Z` at the end.
fn has_time_zone_suffix(s: &str) -> bool {
    if s.ends_with(['z', 'Z']) {
        return true;
    }
    let b = s.as_bytes();
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    let sign_at = |i: usize| matches!(b.get(i), Some(b'+' | b'-'));
    let short = b.len() >= 3 && sign_at(b.len() - 3) && digits(&b[b.len() - 2..]);
    let long = b.len() >= 6
        && sign_at(b.len() - 6)
        && digits(&b[b.len() - 5..b.len() - 3])
        && b[b.len() - 3] == b':'
        && digits(&b[b.len() - 2..]);
    short || long
}

/// drizzle-kit 1.0's `trimDefaultValueSuffix`: a trailing `[]`, then every trailing cast
/// (`::text[]`, `::"my type"`, `::timestamp(3) with time zone`).
pub(super) fn trim_default_suffix(value: &str) -> String {
    let mut res = value.strip_suffix("[]").unwrap_or(value).to_string();
    while let Some(cut) = trailing_cast(&res) {
        res.truncate(cut);
    }
    res
}

/// Where the last `::cast` of `s` starts, when `s` ends with one (the regex
/// `::["\w.\s-]+(\([^)]*\))?(\swith(out)?\stime\szone)?(\[\])?$`).
fn trailing_cast(s: &str) -> Option<usize> {
    let mut best = None;
    let mut from = 0;
    while let Some(i) = s[from..].find("::") {
        let at = from + i;
        if cast_to_end(&s[at + 2..]) {
            best = Some(at);
            break;
        }
        from = at + 1;
    }
    best
}

fn cast_to_end(rest: &str) -> bool {
    let name_char = |c: char| {
        c == '"'
            || c == '.'
            || c == '-'
            || c.is_whitespace()
            || c == '_'
            || c.is_ascii_alphanumeric()
    };
    let name_len = rest.find(|c: char| !name_char(c)).unwrap_or(rest.len());
    if name_len == 0 {
        return false;
    }
    let mut tail = &rest[name_len..];
    if let Some(after) = tail.strip_prefix('(') {
        match after.find(')') {
            Some(close) => tail = &after[close + 1..],
            None => return false,
        }
    }
    for zone in [" with time zone", " without time zone"] {
        if let Some(after) = tail.strip_prefix(zone) {
            tail = after;
            break;
        }
    }
    tail = tail.strip_prefix("[]").unwrap_or(tail);
    tail.is_empty()
}

/// drizzle-kit's `isPgArrayType`.
fn is_pg_array_type(t: &str) -> bool {
    let mut rest = t;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if after.as_bytes().get(digits) == Some(&b']') {
            return true;
        }
        rest = after;
    }
    false
}

/// drizzle-kit's `buildArrayString`.
fn array_string(items: &[Value<'_>], sql_type: &str) -> Result<String, String> {
    let base = sql_type.split('[').next().unwrap_or(sql_type);
    let mut parts = Vec::new();
    for item in items {
        parts.push(match item {
            Value::Num(n) => js_number(*n),
            Value::BigInt(d) => d.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Array(inner) => array_string(inner, base)?,
            Value::Object(_) | Value::Null => {
                let json = json_stringify(item)?.unwrap_or_default();
                format!("\"{}\"", json.replace('"', "\\\""))
            }
            Value::Unknown(w) => return Err(w.message.clone()),
            other => match js_string(other) {
                Some(s) => format!("\"{s}\""),
                None => return Err(format!("has {} in an array default", other.kind())),
            },
        });
    }
    Ok(format!("{{{}}}", parts.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_float_takes_the_prefix() {
        assert_eq!(parse_float("-2"), Some(-2.0));
        assert_eq!(parse_float("10abc"), Some(10.0));
        assert_eq!(parse_float("1e3x"), Some(1000.0));
        assert_eq!(parse_float("x"), None);
    }

    // What drizzle-kit 1.0.0-rc.5 wrote into a snapshot for these defaults.
    #[test]
    fn v1_defaults_match_drizzle_kit() {
        let style = sql::Style::default();
        let text = |v: Value<'_>, t: &str, e: bool| default_text(&v, t, style, true, e).unwrap();
        let strs = |v: &[&str]| Value::Array(Rc::new(v.iter().map(|s| Value::str(s)).collect()));
        assert_eq!(
            text(strs(&["a", "b c", "it's"]), "text[]", false).as_deref(),
            Some("'{a,b c,it''s}'")
        );
        assert_eq!(
            text(strs(&["sad"]), "mood[]", true).as_deref(),
            Some("'{sad}'")
        );
        assert_eq!(
            text(Value::str("str"), "jsonb", false).as_deref(),
            Some("'\"str\"'")
        );
        assert_eq!(
            text(Value::Num(2.5), "numeric", false).as_deref(),
            Some("'2.5'")
        );
        assert_eq!(
            text(
                Value::str("2024-01-01 00:00:00"),
                "timestamp with time zone",
                false
            )
            .as_deref(),
            Some("'2024-01-01 00:00:00+00'")
        );
        assert_eq!(
            text(Value::str("2024-01-01 00:00:00"), "timestamp", false).as_deref(),
            Some("'2024-01-01 00:00:00'")
        );
        assert_eq!(
            text(Value::Num(-5.0), "smallint", false).as_deref(),
            Some("-5")
        );
    }

    #[test]
    fn v1_trims_trailing_casts() {
        assert_eq!(trim_default_suffix("'{}'::uuid[]"), "'{}'");
        assert_eq!(trim_default_suffix("'{}'::jsonb"), "'{}'");
        assert_eq!(trim_default_suffix("now()"), "now()");
        assert_eq!(trim_default_suffix("'a'::text::varchar(3)"), "'a'");
        assert_eq!(
            trim_default_suffix("'2020-01-01'::timestamp(3) with time zone"),
            "'2020-01-01'"
        );
        assert_eq!(
            trim_default_suffix("(now() + '1 day'::interval)"),
            "(now() + '1 day'::interval)"
        );
    }

    #[test]
    fn array_types_are_recognised() {
        assert!(is_pg_array_type("text[]"));
        assert!(is_pg_array_type("integer[3]"));
        assert!(!is_pg_array_type("text"));
    }

    #[test]
    fn array_strings_match_drizzle_kit() {
        let items = vec![
            Value::str("a"),
            Value::Num(1.0),
            Value::Bool(true),
            Value::Null,
        ];
        assert_eq!(
            array_string(&items, "text[]").unwrap(),
            r#"{"a",1,true,"null"}"#
        );
        let nested = vec![Value::Array(Rc::new(vec![
            Value::Num(1.0),
            Value::Num(2.0),
        ]))];
        assert_eq!(array_string(&nested, "integer[][]").unwrap(), "{{1,2}}");
    }
}
