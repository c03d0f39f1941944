//! What makes two databases the same for this tool: their normalized schema and the
//! migrations they say they applied. Equal fingerprints give equal comparisons, so a
//! fleet keeps one model (and one report) per distinct fingerprint.

use crate::sources::catalog::Catalog;
use sha2::{Digest, Sha256};
use std::io::Write;

/// sha256 (hex) of the catalog's normalized schema, its applied migrations and what its
/// reader could not represent; `catalog.schema` must already be normalized. Server
/// version, database name, table sizes and replication state are left out: they differ
/// between identical databases.
pub fn of(catalog: &Catalog) -> String {
    let mut hasher = Sha256::new();
    let mut sink = HashWriter(&mut hasher);
    // Serializing into the hasher: a big schema is never held twice as text.
    let _ = serde_json::to_writer(&mut sink, &catalog.schema);
    let _ = sink.write_all(b"\n");
    let _ = serde_json::to_writer(&mut sink, &catalog.applied);
    let _ = sink.write_all(b"\n");
    let _ = serde_json::to_writer(&mut sink, &catalog.diagnostics);
    let digest = hasher.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

struct HashWriter<'a>(&'a mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, Dialect, QualifiedName, Schema, Table};
    use crate::sources::catalog::AppliedMigration;

    fn catalog(columns: &[&str], applied: usize) -> Catalog {
        let mut schema = Schema::new(Dialect::Postgresql);
        let name = QualifiedName::new("public", "users");
        let mut table = Table::new(name.clone());
        for c in columns {
            table.columns.push(Column::new(*c, "integer"));
        }
        schema.tables.insert(name, table);
        Catalog {
            version: 1,
            server: "PostgreSQL 16.1".into(),
            database: "tenant".into(),
            schema,
            applied: Some(
                (0..applied)
                    .map(|i| AppliedMigration {
                        id: i as i64 + 1,
                        hash: format!("h{i}"),
                        created_at: Some(i as i64),
                        name: None,
                        applied_at: None,
                    })
                    .collect(),
            ),
            diagnostics: Vec::new(),
            table_stats: Vec::new(),
            replication: None,
        }
    }

    #[test]
    fn same_schema_and_history_same_fingerprint() {
        let a = catalog(&["id"], 2);
        let mut b = catalog(&["id"], 2);
        b.database = "tenant_2".into();
        b.server = "PostgreSQL 17.0".into();
        assert_eq!(of(&a), of(&b));
        assert_eq!(of(&a).len(), 64);
        assert_ne!(of(&a), of(&catalog(&["id", "nickname"], 2)));
        assert_ne!(of(&a), of(&catalog(&["id"], 1)));
    }
}
