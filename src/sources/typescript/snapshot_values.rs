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
) -> Result<Option<String>, Rc<Why>> {
    let fail = |m: String| Rc::new(Why::new(m, None));
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
