//! What only a comparison with the live database needs. The database keeps some objects
//! under names the migrations did not give them (a hand-written `REFERENCES` is
//! `<table>_<column>_fkey`, a MySQL one `<table>_ibfk_1`), merges a `UNIQUE` that repeats
//! the primary key into it, keeps enum values in the order they were added, and holds
//! schemas the project does not manage.

use super::objects::{ObjectKey, Objects};
use crate::model::{Dialect, Schema};
use crate::report::ObjectKind;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Facts about the whole reference side of a drift comparison.
pub(super) struct Scope<'a> {
    /// The only schemas compared with the database (the config's `schemaFilter`);
    /// `None`: every schema.
    pub schemas: Option<&'a BTreeSet<String>>,
    /// Schemas the reference side puts objects in: expected in the database even when
    /// the reference lists no schema entry (drizzle-kit writes one only for an exported
    /// `pgSchema`).
    pub holding: BTreeSet<&'a str>,
    /// Types the reference side's columns have, as `(schema, name)` in lower case (column
    /// types are compared so): an enum among them exists even where the reference side
    /// declares none (drizzle-kit records only exported `pgEnum`s; a column of an
    /// unexported one keeps its type's name, and the migrations create the type by hand).
    pub column_types: BTreeSet<(String, String)>,
}

impl<'a> Scope<'a> {
    pub fn new(reference: Option<&'a Schema>, schemas: Option<&'a BTreeSet<String>>) -> Self {
        let mut holding = BTreeSet::new();
        if let Some(s) = reference {
            holding.extend(s.tables.keys().map(|k| k.schema.as_str()));
            holding.extend(s.enums.keys().map(|k| k.schema.as_str()));
            holding.extend(s.sequences.keys().map(|k| k.schema.as_str()));
            holding.extend(s.views.keys().map(|k| k.schema.as_str()));
        }
        let column_types = reference
            .into_iter()
            .flat_map(|s| s.tables.values())
            .flat_map(|t| &t.columns)
            .map(|c| {
                let base = c.sql_type.trim_end_matches("[]").to_lowercase();
                match base.split_once('.') {
                    Some((schema, name)) => (schema.to_string(), name.to_string()),
                    None => ("public".to_string(), base),
                }
            })
            .collect();
        Scope {
            schemas,
            holding,
            column_types,
        }
    }

    /// Whether the difference at `key` is not one: outside the compared schemas, a
    /// schema only the database lists that holds the reference side's objects, or an enum
    /// only the database lists that the reference side's columns have as their type.
    pub fn ignores(&self, key: &ObjectKey, in_reference: bool) -> bool {
        let outside = self
            .schemas
            .is_some_and(|s| !key.schema.is_empty() && !s.contains(&key.schema));
        let implied = !in_reference
            && match key.kind {
                ObjectKind::Schema => self.holding.contains(key.name.as_str()),
                ObjectKind::Enum => self
                    .column_types
                    .contains(&(key.schema.to_lowercase(), key.name.to_lowercase())),
                _ => false,
            };
        outside || implied
    }
}

/// Objects of one part (one table) that are the same on both sides under other keys.
#[derive(Default)]
pub(super) struct Matches<'k> {
    /// Reference key → database key of the same object under another name.
    pub renamed: BTreeMap<&'k ObjectKey, &'k ObjectKey>,
    /// Database keys already reported with their reference partner.
    pub partners: BTreeSet<&'k ObjectKey>,
    /// Reference unique constraints PostgreSQL merged into the primary key.
    pub folded: BTreeSet<&'k ObjectKey>,
}

impl<'k> Matches<'k> {
    /// `a` is the reference side, `b` the database.
    pub fn new(dialect: Dialect, a: &'k Objects, b: &'k Objects) -> Self {
        let mut m = Matches::default();
        for kind in [
            ObjectKind::ForeignKey,
            ObjectKind::Unique,
            ObjectKind::Index,
        ] {
            let only = |x: &'k Objects, y: &'k Objects| -> Vec<&'k ObjectKey> {
                x.keys()
                    .filter(|k| k.kind == kind && !y.contains_key(*k))
                    .collect()
            };
            let (a_only, b_only) = (only(a, b), only(b, a));
            let same = |x: &ObjectKey, y: &ObjectKey| {
                x.table == y.table && same_definition(&a[x].attributes, &b[y].attributes)
            };
            for x in &a_only {
                let mut candidates = b_only.iter().filter(|y| same(x, y));
                let (Some(y), None) = (candidates.next(), candidates.next()) else {
                    continue;
                };
                // One to one: no other reference object has that definition either.
                if a_only.iter().filter(|z| same(z, y)).count() == 1 {
                    m.renamed.insert(*x, *y);
                    m.partners.insert(*y);
                }
            }
        }
        if dialect == Dialect::Postgresql {
            m.folded = folded_uniques(a, b)
                .into_iter()
                .filter(|k| !m.renamed.contains_key(k))
                .collect();
        }
        m
    }
}

/// Equal in everything but the name.
fn same_definition(x: &[(&'static str, Value)], y: &[(&'static str, Value)]) -> bool {
    let without_name = |attrs: &'_ [(&'static str, Value)]| -> Vec<(&'static str, Value)> {
        attrs
            .iter()
            .filter(|(n, _)| *n != "name")
            .cloned()
            .collect()
    };
    without_name(x) == without_name(y)
}

/// `CREATE TABLE t (id text PRIMARY KEY, CONSTRAINT t_id_unique UNIQUE (id))` (what
/// drizzle-kit writes for `.primaryKey().unique()`) leaves PostgreSQL with the primary key
/// only. A reference unique on exactly the primary key's columns (same order, NULLS
/// DISTINCT) that the database lacks, where the database has that primary key, is that
/// merge; it enforces nothing the primary key does not.
fn folded_uniques<'k>(a: &'k Objects, b: &'k Objects) -> Vec<&'k ObjectKey> {
    let pk_columns = |side: &'k Objects| {
        side.iter()
            .find(|(k, _)| k.kind == ObjectKind::PrimaryKey)
            .and_then(|(_, o)| o.get("columns"))
    };
    let (Some(a_pk), Some(b_pk)) = (pk_columns(a), pk_columns(b)) else {
        return Vec::new();
    };
    if a_pk != b_pk {
        return Vec::new();
    }
    a.iter()
        .filter(|(k, o)| {
            k.kind == ObjectKind::Unique
                && !b.contains_key(*k)
                && o.get("columns") == Some(a_pk)
                && o.get("nulls_not_distinct") != Some(&Value::Bool(true))
        })
        .map(|(k, _)| k)
        .collect()
}

/// Enum values that are the same set in another order (`ALTER TYPE … ADD VALUE` without
/// `BEFORE` appends): only comparisons and sorting on the enum see the difference.
pub(super) fn same_values_reordered(a: &Value, b: &Value) -> bool {
    let (Value::Array(x), Value::Array(y)) = (a, b) else {
        return false;
    };
    let sorted = |v: &[Value]| {
        let mut s: Vec<String> = v.iter().map(Value::to_string).collect();
        s.sort();
        s
    };
    x != y && sorted(x) == sorted(y)
}

#[cfg(test)]
mod tests {
    use crate::diff::{findings, Inputs};
    use crate::model::{
        Column, Dialect, Enum, ForeignKey, PrimaryKey, QualifiedName, Schema, Table, Unique,
    };
    use crate::report::Severity;
    use std::collections::BTreeSet;

    fn table(name: &str) -> Table {
        let mut t = Table::new(QualifiedName::new("public", name));
        t.columns = vec![Column::new("id", "integer"), Column::new("a", "integer")];
        t.primary_key = Some(PrimaryKey {
            name: format!("{name}_pkey"),
            columns: vec!["id".into()],
        });
        t
    }

    fn fk(name: &str, column: &str) -> ForeignKey {
        ForeignKey {
            name: name.into(),
            columns: vec![column.into()],
            references: QualifiedName::new("public", "p"),
            ref_columns: vec!["id".into()],
            on_delete: "no action".into(),
            on_update: "no action".into(),
            origin: None,
        }
    }

    fn unique(name: &str, columns: &[&str]) -> Unique {
        Unique {
            name: name.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            nulls_not_distinct: false,
            origin: None,
        }
    }

    fn schema(tables: Vec<Table>) -> Schema {
        let mut s = Schema::new(Dialect::Postgresql);
        for t in tables {
            s.tables.insert(t.name.clone(), t);
        }
        s
    }

    /// `severity category object name field` of each drift finding.
    fn drift(applied: &Schema, live: &Schema, only: Option<&BTreeSet<String>>) -> Vec<String> {
        let inputs = Inputs {
            dialect: applied.dialect,
            live_schemas: only,
            ts: None,
            latest: Some(applied),
            base: None,
            applied: Some(applied),
            live: Some(live),
            pending_tags: &[],
            push: false,
        };
        findings(&inputs)
            .into_iter()
            .map(|f| {
                let severity = match f.severity {
                    Severity::Info => "info",
                    _ => "error",
                };
                format!(
                    "{severity} {:?} {} {}",
                    f.object,
                    f.name,
                    f.field.as_deref().unwrap_or("-")
                )
            })
            .collect()
    }

    #[test]
    fn a_foreign_key_under_another_name_is_one_info_finding() {
        let mut a = table("t");
        a.foreign_keys = vec![fk("t_a_p_id_fk", "a")];
        let mut b = table("t");
        b.foreign_keys = vec![fk("t_a_fkey", "a")];
        assert_eq!(
            drift(&schema(vec![a.clone()]), &schema(vec![b.clone()]), None),
            ["info ForeignKey t_a_p_id_fk name"]
        );
        // Another definition is not the same key.
        b.foreign_keys[0].on_delete = "cascade".into();
        assert_eq!(
            drift(&schema(vec![a]), &schema(vec![b]), None),
            [
                "error ForeignKey t_a_fkey -",
                "error ForeignKey t_a_p_id_fk -"
            ]
        );
    }

    #[test]
    fn two_candidates_are_not_paired() {
        let mut a = table("t");
        a.foreign_keys = vec![fk("one_fk", "a"), fk("two_fk", "a")];
        let mut b = table("t");
        b.foreign_keys = vec![fk("t_a_fkey", "a")];
        assert_eq!(drift(&schema(vec![a]), &schema(vec![b]), None).len(), 3);
    }

    #[test]
    fn a_unique_repeating_the_primary_key_is_folded_into_it() {
        let mut a = table("t");
        a.uniques = vec![unique("t_id_unique", &["id"])];
        let mut b = table("t");
        if let Some(pk) = b.primary_key.as_mut() {
            pk.name = "t_id_unique".into();
        }
        a.unknown
            .insert(crate::model::UNKNOWN_PRIMARY_KEY_NAME.to_string());
        assert_eq!(
            drift(&schema(vec![a.clone()]), &schema(vec![b.clone()]), None),
            Vec::<String>::new()
        );
        // A unique on other columns, or one the database has on its own, is compared.
        let mut other = a.clone();
        other.uniques = vec![unique("t_a_unique", &["a"])];
        assert_eq!(
            drift(&schema(vec![other]), &schema(vec![b.clone()]), None),
            ["error Unique t_a_unique -"]
        );
        let mut live_unique = table("t");
        live_unique.uniques = vec![unique("t_id_key", &["id"])];
        assert_eq!(
            drift(&schema(vec![table("t")]), &schema(vec![live_unique]), None),
            ["error Unique t_id_key -"]
        );
    }

    #[test]
    fn a_named_primary_key_is_still_compared() {
        let a = table("t");
        let mut b = table("t");
        if let Some(pk) = b.primary_key.as_mut() {
            pk.name = "old_pkey".into();
        }
        assert_eq!(
            drift(&schema(vec![a]), &schema(vec![b]), None),
            ["error PrimaryKey t_pkey name"]
        );
    }

    #[test]
    fn enum_values_in_another_order_are_info_other_values_are_not() {
        let with = |values: &[&str]| {
            let mut s = schema(vec![]);
            let name = QualifiedName::new("public", "mood");
            s.enums.insert(
                name.clone(),
                Enum {
                    name,
                    values: values.iter().map(|v| v.to_string()).collect(),
                    origin: None,
                },
            );
            s
        };
        assert_eq!(
            drift(&with(&["a", "b", "c"]), &with(&["a", "c", "b"]), None),
            ["info Enum mood order"]
        );
        assert_eq!(
            drift(&with(&["a", "b"]), &with(&["a", "b", "c"]), None),
            ["error Enum mood values"]
        );
    }

    #[test]
    fn an_enum_the_reference_columns_use_is_expected_in_the_database() {
        let mut live = schema(vec![]);
        for name in ["apiKeyType", "unused"] {
            let name = QualifiedName::new("public", name);
            live.enums.insert(
                name.clone(),
                Enum {
                    name,
                    values: vec!["a".into()],
                    origin: None,
                },
            );
        }
        let mut t = table("keys");
        // Column types are compared in lower case (as normalization spells them).
        t.columns.push(Column::new("kind", "apikeytype[]"));
        let applied = schema(vec![t.clone()]);
        live.tables.insert(t.name.clone(), t);
        assert_eq!(drift(&applied, &live, None), ["error Enum unused -"]);
    }

    #[test]
    fn schemas_outside_an_explicit_filter_are_not_compared() {
        let mut mirror = table("users");
        mirror.name = QualifiedName::new("auth", "users");
        let mut real = mirror.clone();
        real.columns.push(Column::new("email", "text"));
        let mut live = schema(vec![real]);
        live.schemas.insert("auth".into());
        let applied = schema(vec![mirror]);
        assert_eq!(
            drift(&applied, &live, None),
            ["error Column email -"],
            "the schema holding the snapshot's table is expected"
        );
        let only: BTreeSet<String> = ["public".to_string()].into();
        assert_eq!(drift(&applied, &live, Some(&only)), Vec::<String>::new());
    }
}
