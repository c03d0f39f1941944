//! A snapshot file converted to the model, with drizzle-kit's own spellings (the model's
//! normalization runs afterwards).
//!
//! Versions: PostgreSQL 0.x `5`, `6`, `7` (tables keyed by name), 1.0 `8` (a flat `ddl`
//! list of entities) and `9` (a `base`/`checkpoint` holding the `ddl`, or a `diff` replayed
//! onto its ancestor); MySQL 0.x `5` and 1.0 `6` (a flat `ddl` list).

mod ddl;
mod mysql;
mod pg_legacy;
mod replay;

use super::header::{json_error, read_header};
use super::History;
use crate::diagnostic::Diagnostic;
use crate::model::{Dialect, Schema};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

/// A converted snapshot and what the conversion noticed on the way (objects it could not
/// place, values it did not understand). Notes never stop the conversion.
#[derive(Debug, Clone)]
pub struct Converted {
    pub schema: Schema,
    pub notes: Vec<Diagnostic>,
}

/// One snapshot file's text converted to the model. A 1.0 `diff` snapshot cannot be read
/// alone (it needs its ancestors): use [`super::snapshot`] for those.
pub fn parse_snapshot(text: &str, file: &str) -> super::SnapshotResult {
    parse_snapshot_with_notes(text, file).map(|c| c.schema)
}

/// [`parse_snapshot`] with the conversion's notes.
pub fn parse_snapshot_with_notes(text: &str, file: &str) -> Result<Converted, Diagnostic> {
    let header = read_header(text.as_bytes(), file)?;
    let version = header.version.as_deref().unwrap_or("");
    let dialect = header.dialect.as_deref().unwrap_or("");
    match (dialect, version) {
        ("pg" | "postgresql", "5" | "6" | "7") => pg_legacy::convert(text, file),
        ("postgres" | "postgresql", "8") => ddl::convert_full(text, file, Dialect::Postgresql),
        ("postgres" | "postgresql", "9") => match header.kind.as_deref() {
            Some("diff") => Err(Diagnostic::error(
                file,
                format!(
                    "{file} is a diff snapshot: it can only be read with the snapshots it \
                     was generated from"
                ),
            )),
            _ => ddl::convert_full(text, file, Dialect::Postgresql),
        },
        ("mysql", "5") => mysql::convert(text, file),
        ("mysql", "6") => ddl::convert_full(text, file, Dialect::Mysql),
        ("", _) => Err(Diagnostic::error(
            file,
            format!("{file} has no \"dialect\": it is not a drizzle-kit snapshot"),
        )),
        _ => Err(Diagnostic::error(
            file,
            format!(
                "{file} is a {dialect} snapshot of version \"{version}\", which drizzle-drift \
                 does not read (PostgreSQL 5, 6, 7, 8 and 9; MySQL 5 and 6)"
            ),
        )),
    }
}

/// The snapshot at `path`, a migration of `history`; diff snapshots are replayed onto the
/// snapshots of the same history they derive from.
pub(crate) fn load_for_history(history: &History, path: &Path) -> Result<Converted, Diagnostic> {
    let file = path.display().to_string();
    let text = read_text(path)?;
    let header = read_header(text.as_bytes(), &file)?;
    if header.version.as_deref() == Some("9") && header.kind.as_deref() == Some("diff") {
        return replay::reconstruct(history, path, &text);
    }
    parse_snapshot_with_notes(&text, &file)
}

pub(crate) fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(&file, format!("{file} could not be read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = crate::diagnostic::line_col(
            &String::from_utf8_lossy(e.as_bytes()),
            e.utf8_error().valid_up_to(),
        );
        Diagnostic::error(&file, format!("{file} is not valid UTF-8")).at(line, column)
    })
}

/// Typed parse of a whole snapshot; errors carry the line and column.
fn parse_typed<'a, T: Deserialize<'a>>(text: &'a str, file: &str) -> Result<T, Diagnostic> {
    serde_json::from_str(text).map_err(|e| json_error(file, &e))
}

/// A JSON object kept in file order (drizzle-kit's key order is the declaration order).
#[derive(Debug, Clone)]
pub(crate) struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<T> Ordered<T> {
    fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter().map(|(_, v)| v)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some((k, v)) = map.next_entry::<String, T>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Ordered(Vec::new()))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A default as SQL text: JSON numbers and booleans are what drizzle-kit stores for plain
/// JS values (`0`, `-1.5`, `true`); strings are already SQL; 1.0 release candidates may
/// wrap it as `{value, type}`.
fn default_text(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Null => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => match o.get("value") {
            Some(inner) if !inner.is_object() => default_text(inner),
            _ => Some(value.to_string()),
        },
        Value::Array(_) => Some(value.to_string()),
    }
}

/// A number or string option (`"increment": "1"`, `"cache": 1`) as its decimal text.
fn option_text(value: &Option<serde_json::Value>) -> Option<String> {
    use serde_json::Value;
    match value.as_ref()? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `onDelete`/`onUpdate` lowercased, `no action` when absent.
fn fk_action(action: &Option<String>) -> String {
    match action.as_deref() {
        Some(a) if !a.is_empty() => a.to_lowercase(),
        _ => "no action".to_string(),
    }
}

/// Lines of each table's key inside the top-level `tables` object of a 0.x snapshot, for
/// origins (drizzle-kit indents by two spaces, so table keys sit at four).
fn table_lines<'a>(
    text: &str,
    keys: impl Iterator<Item = &'a str>,
) -> std::collections::HashMap<&'a str, u32> {
    let mut out = std::collections::HashMap::new();
    let Some(start) = text.find("\"tables\"") else {
        return out;
    };
    // The section ends at the next top-level key.
    let end = text[start..]
        .find("\n  \"")
        .map_or(text.len(), |e| start + e);
    let before = text[..start].bytes().filter(|&b| b == b'\n').count() as u32;
    let mut finder = LineFinder::new(&text[start..end]);
    for key in keys {
        let Ok(quoted) = serde_json::to_string(key) else {
            continue;
        };
        if let Some(line) = finder.next(&format!("\n    {quoted}: {{")) {
            // The match starts at the newline before the key.
            out.insert(key, before + line + 1);
        }
    }
    out
}

/// 1-based line of the `n`-th occurrence of `needle` in `text`, searching on from the
/// previous hit; used to give objects a line without a position-aware parser.
struct LineFinder<'a> {
    text: &'a str,
    pos: usize,
    line: u32,
}

impl<'a> LineFinder<'a> {
    fn new(text: &'a str) -> Self {
        LineFinder {
            text,
            pos: 0,
            line: 1,
        }
    }

    /// The line of the next occurrence of `needle` at or after the current position.
    fn next(&mut self, needle: &str) -> Option<u32> {
        let rest = self.text.get(self.pos..)?;
        let at = rest.find(needle)?;
        self.line += rest.as_bytes()[..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32;
        self.pos += at + needle.len();
        let line = self.line;
        self.line += needle.bytes().filter(|&b| b == b'\n').count() as u32;
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_become_sql_text() {
        use serde_json::json;
        assert_eq!(default_text(&json!(0)), Some("0".into()));
        assert_eq!(default_text(&json!(-1.5)), Some("-1.5".into()));
        assert_eq!(default_text(&json!(true)), Some("true".into()));
        assert_eq!(default_text(&json!("'it''s'")), Some("'it''s'".into()));
        assert_eq!(
            default_text(&json!({"value": "now()", "type": "func"})),
            Some("now()".into())
        );
        assert_eq!(default_text(&json!(null)), None);
    }

    #[test]
    fn line_finder_walks_forward() {
        let mut f = LineFinder::new("a\nb\nc b\n");
        assert_eq!(f.next("b"), Some(2));
        assert_eq!(f.next("b"), Some(3));
        assert_eq!(f.next("b"), None);
    }
}
