//! `Schema` as JSON: tables, enums, sequences and views are written as lists (their map
//! keys are not strings, and each value carries its own name).

use super::{Dialect, Enum, Role, Schema, Sequence, Table, View};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Serialize)]
struct SchemaOut<'a> {
    dialect: Dialect,
    schemas: &'a BTreeSet<String>,
    enums: Vec<&'a Enum>,
    sequences: Vec<&'a Sequence>,
    tables: Vec<&'a Table>,
    views: Vec<&'a View>,
    roles: &'a BTreeMap<String, Role>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    partial: bool,
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    default_opclasses: &'a BTreeSet<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    charset_collations: &'a BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct SchemaIn {
    dialect: Dialect,
    #[serde(default)]
    schemas: BTreeSet<String>,
    #[serde(default)]
    enums: Vec<Enum>,
    #[serde(default)]
    sequences: Vec<Sequence>,
    #[serde(default)]
    tables: Vec<Table>,
    #[serde(default)]
    views: Vec<View>,
    #[serde(default)]
    roles: BTreeMap<String, Role>,
    #[serde(default)]
    partial: bool,
    #[serde(default)]
    default_opclasses: BTreeSet<String>,
    #[serde(default)]
    charset_collations: BTreeMap<String, String>,
}

impl Serialize for Schema {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SchemaOut {
            dialect: self.dialect,
            schemas: &self.schemas,
            enums: self.enums.values().collect(),
            sequences: self.sequences.values().collect(),
            tables: self.tables.values().collect(),
            views: self.views.values().collect(),
            roles: &self.roles,
            partial: self.partial,
            default_opclasses: &self.default_opclasses,
            charset_collations: &self.charset_collations,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Schema, D::Error> {
        let input = SchemaIn::deserialize(deserializer)?;
        let mut schema = Schema::new(input.dialect);
        schema.schemas = input.schemas;
        schema.roles = input.roles;
        schema.partial = input.partial;
        schema.default_opclasses = input.default_opclasses;
        schema.charset_collations = input.charset_collations;
        schema.enums = input
            .enums
            .into_iter()
            .map(|e| (e.name.clone(), e))
            .collect();
        schema.sequences = input
            .sequences
            .into_iter()
            .map(|s| (s.name.clone(), s))
            .collect();
        schema.tables = input
            .tables
            .into_iter()
            .map(|t| (t.name.clone(), t))
            .collect();
        schema.views = input
            .views
            .into_iter()
            .map(|v| (v.name.clone(), v))
            .collect();
        Ok(schema)
    }
}
