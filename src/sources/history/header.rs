//! The few top-level fields of a snapshot that link the history together, read without
//! building the rest (serde skips every other field while still checking the syntax).

use crate::diagnostic::Diagnostic;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Header {
    #[serde(default, deserialize_with = "lenient_string")]
    pub id: Option<String>,
    #[serde(default, rename = "prevId", deserialize_with = "lenient_string")]
    pub prev_id: Option<String>,
    #[serde(default, rename = "prevIds")]
    pub prev_ids: Option<Vec<String>>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub version: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub dialect: Option<String>,
    /// 1.0 v9: `base`, `checkpoint` or `diff`.
    #[serde(default, rename = "type", deserialize_with = "lenient_string")]
    pub kind: Option<String>,
}

impl Header {
    /// `prevIds`, or the single `prevId` of a 0.x snapshot. An empty `prevId` (the first
    /// snapshot `drizzle-kit pull` writes) names no parent.
    pub fn parents(&self) -> Vec<String> {
        let ids = match (&self.prev_ids, &self.prev_id) {
            (Some(ids), _) => ids.clone(),
            (None, Some(id)) => vec![id.clone()],
            (None, None) => Vec::new(),
        };
        ids.into_iter().filter(|id| !id.is_empty()).collect()
    }
}

pub(crate) fn read_header(bytes: &[u8], file: &str) -> Result<Header, Diagnostic> {
    serde_json::from_slice::<Header>(bytes).map_err(|e| json_error(file, &e))
}

/// A serde_json error as a diagnostic at the error's line and column.
pub(crate) fn json_error(file: &str, error: &serde_json::Error) -> Diagnostic {
    let text = error.to_string();
    // serde_json appends " at line L column C" to its message; the position goes into the
    // diagnostic's own fields instead.
    let message = match text.rfind(" at line ") {
        Some(at) if error.line() > 0 => text[..at].to_string(),
        _ => text,
    };
    let what = match error.classify() {
        serde_json::error::Category::Io => "cannot be read",
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "not valid JSON",
        serde_json::error::Category::Data => "not the shape drizzle-kit writes",
    };
    let diagnostic = Diagnostic::error(file, format!("{what}: {message}"));
    if error.line() > 0 {
        diagnostic.at(error.line() as u32, error.column() as u32)
    } else {
        diagnostic
    }
}

/// A string, or a number written where drizzle-kit writes a string (`"version": 7`).
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(LenientString).map(Some)
}

struct LenientString;

impl<'de> Visitor<'de> for LenientString {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_the_header() {
        let h = read_header(
            br#"{"id":"a","prevId":"z","version":"7","dialect":"postgresql","tables":{"x":[1,{"y":null}]}}"#,
            "f.json",
        )
        .unwrap();
        assert_eq!(h.id.as_deref(), Some("a"));
        assert_eq!(h.parents(), vec!["z".to_string()]);
        assert_eq!(h.version.as_deref(), Some("7"));
    }

    #[test]
    fn an_empty_prev_id_names_no_parent() {
        let pulled = br#"{"id":"00000000-0000-0000-0000-000000000000","prevId":""}"#;
        let h = read_header(pulled, "0000_snapshot.json").expect("header");
        assert!(h.parents().is_empty());
        let generated = br#"{"id":"b","prevId":"a"}"#;
        let h = read_header(generated, "0001_snapshot.json").expect("header");
        assert_eq!(h.parents(), ["a"]);
    }

    #[test]
    fn syntax_error_has_position() {
        let d = read_header(
            b"{\n  \"id\": \"a\",\n  \"tables\": {]\n}",
            "meta/0000_snapshot.json",
        )
        .unwrap_err();
        assert_eq!(d.location, "meta/0000_snapshot.json");
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("not valid JSON"), "{}", d.message);
        assert!(!d.message.contains(" at line "), "{}", d.message);
    }
}
