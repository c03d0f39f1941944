//! Captured catalogs: a live catalog written to a JSON file for offline use (`capture -o`,
//! `--catalog FILE`, the bundled demo). Pretty JSON, format [`CATALOG_VERSION`].

use super::{Catalog, CATALOG_VERSION};
use crate::error::{Error, Result};
use std::path::Path;

/// Write `catalog` to `path` as pretty JSON (through a temporary file in the same folder,
/// so a failed write never leaves half a file behind).
pub fn save(catalog: &Catalog, path: &Path) -> Result<()> {
    let file_error = |message: String| Error::File {
        path: path.to_path_buf(),
        message,
    };
    let mut text = serde_json::to_string_pretty(catalog)
        .map_err(|e| file_error(format!("cannot encode the catalog: {e}")))?;
    text.push('\n');
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    std::fs::write(&tmp, text).map_err(|e| file_error(format!("cannot write: {e}")))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        file_error(format!("cannot write: {e}"))
    })
}

/// Read a catalog written by [`save`]. Errors name the file, and the line and column for
/// malformed JSON.
pub fn load(path: &Path) -> Result<Catalog> {
    let file_error = |message: String| Error::File {
        path: path.to_path_buf(),
        message,
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| file_error(format!("cannot read: {e}")))?;
    let head: Head = serde_json::from_str(&text).map_err(|e| file_error(json_error(&e)))?;
    match head.version.as_ref().and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(CATALOG_VERSION) => {}
        Some(v) => {
            return Err(file_error(format!(
                "captured catalog version {v} is not supported (this drizzle-drift reads version {CATALOG_VERSION}); capture it again"
            )))
        }
        None => {
            return Err(file_error(
                "not a captured catalog: no numeric \"version\" field".to_string(),
            ))
        }
    }
    // Parse the text again rather than the Value so positions in errors are real.
    serde_json::from_str(&text).map_err(|e| file_error(json_error(&e)))
}

/// The top-level `"version"` of a JSON document (`None` when the document is not an
/// object or has none), read without building the rest of it: a `Value` of a
/// 5,000-table catalog takes ten times the file's size.
struct Head {
    version: Option<serde_json::Value>,
}

impl<'de> serde::Deserialize<'de> for Head {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Head, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Head;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Head, A::Error> {
                let mut version = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "version" {
                        version = Some(map.next_value()?);
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Head { version })
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Head, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Head { version: None })
            }
            fn visit_bool<E>(self, _: bool) -> std::result::Result<Head, E> {
                Ok(Head { version: None })
            }
            fn visit_i64<E>(self, _: i64) -> std::result::Result<Head, E> {
                Ok(Head { version: None })
            }
            fn visit_u64<E>(self, _: u64) -> std::result::Result<Head, E> {
                Ok(Head { version: None })
            }
            fn visit_f64<E>(self, _: f64) -> std::result::Result<Head, E> {
                Ok(Head { version: None })
            }
            fn visit_str<E>(self, _: &str) -> std::result::Result<Head, E> {
                Ok(Head { version: None })
            }
            fn visit_unit<E>(self) -> std::result::Result<Head, E> {
                Ok(Head { version: None })
            }
        }
        d.deserialize_any(Visit)
    }
}

/// `line L, column C: message` without serde_json's own ` at line L column C` suffix.
fn json_error(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    if e.line() == 0 {
        message.to_string()
    } else {
        format!("line {}, column {}: {message}", e.line(), e.column())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, Dialect, Enum, QualifiedName, Schema, Table};

    fn sample() -> Catalog {
        let mut schema = Schema::new(Dialect::Postgresql);
        let name = QualifiedName::new("public", "users");
        let mut table = Table::new(name.clone());
        table.columns.push(Column::new("id", "integer"));
        schema.tables.insert(name, table);
        let status = QualifiedName::new("app", "status");
        schema.enums.insert(
            status.clone(),
            Enum {
                name: status,
                values: vec!["a".into(), "b".into()],
                origin: None,
            },
        );
        schema.schemas.insert("app".into());
        Catalog {
            version: CATALOG_VERSION,
            server: "PostgreSQL 15.20".into(),
            database: "app".into(),
            schema,
            applied: None,
            diagnostics: Vec::new(),
            table_stats: Vec::new(),
            replication: None,
        }
    }

    #[test]
    fn save_then_load_gives_the_same_catalog() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("catalog.json");
        let catalog = sample();
        save(&catalog, &path).expect("save");
        let loaded = load(&path).expect("load");
        assert_eq!(loaded.schema, catalog.schema);
        assert_eq!(loaded.server, catalog.server);
        assert_eq!(loaded.applied, None);
        let text = std::fs::read_to_string(&path).expect("read back");
        assert!(text.contains("\n  \"version\": 1,"), "{text}");
    }

    #[test]
    fn malformed_file_names_file_line_and_column() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bad.json");
        std::fs::write(&path, "{\n  \"version\": 1,\n  \"server\": oops\n}").expect("write");
        let err = load(&path).expect_err("must fail").to_string();
        assert!(err.contains("bad.json"), "{err}");
        assert!(err.contains("line 3, column 13"), "{err}");
    }

    #[test]
    fn other_versions_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("v2.json");
        let mut value = serde_json::to_value(sample()).expect("encode");
        value["version"] = 2.into();
        std::fs::write(&path, value.to_string()).expect("write");
        let err = load(&path).expect_err("must fail").to_string();
        assert!(err.contains("version 2 is not supported"), "{err}");
    }
}
