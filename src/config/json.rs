//! `drizzle.config.json`.

use super::value::{Node, Object, Value};
use crate::error::Error;

/// Parses a JSON config into the same value tree scripts evaluate to.
pub(crate) fn evaluate(text: &str, display: &str) -> Result<Node, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json: serde_json::Value = serde_json::from_str(text).map_err(|err| {
        Error::Config(format!(
            "{display}:{}:{}: invalid JSON: {}",
            err.line(),
            err.column(),
            // serde_json appends " at line L column C"; the prefix already says it.
            err.to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
        ))
    })?;
    Ok(convert(json))
}

fn convert(json: serde_json::Value) -> Node {
    let value = match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::Str(s),
        serde_json::Value::Array(items) => Value::Array(items.into_iter().map(convert).collect()),
        serde_json::Value::Object(map) => {
            let mut obj = Object::default();
            for (k, v) in map {
                obj.set(k, convert(v));
            }
            Value::Object(obj)
        }
    };
    Node::new(value, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_json_names_line_and_column() {
        let err = evaluate("{\n  \"dialect\": \"mysql\",\n}", "drizzle.config.json")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("drizzle.config.json:3:1: invalid JSON"),
            "{err}"
        );
        assert!(!err.contains(" at line "), "{err}");
    }
}
