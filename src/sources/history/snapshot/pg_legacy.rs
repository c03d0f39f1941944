//! PostgreSQL snapshots of drizzle-kit 0.x: versions 5, 6 and 7.
//!
//! Version 7 keys tables and enums by `schema.name`; version 6 has the same keys but no
//! checks, policies, sequences, views or roles, and index columns are bare names; version
//! 5 (`dialect: "pg"`) may key tables by bare name and stores enum values as an object.

use super::{default_text, fk_action, option_text, parse_typed, table_lines, Converted, Ordered};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Check, Column, Dialect, Enum, ForeignKey, Generated, GeneratedKind, Identity, IdentityKind,
    Index, IndexKey, Origin, Policy, PrimaryKey, QualifiedName, Role, Schema, Sequence,
    SequenceOptions, Table, Unique, View,
};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Snapshot {
    #[serde(default)]
    version: Option<Value>,
    #[serde(default)]
    tables: Ordered<RawTable>,
    #[serde(default)]
    enums: Ordered<RawEnum>,
    #[serde(default)]
    schemas: Ordered<Value>,
    #[serde(default)]
    sequences: Ordered<RawSequence>,
    #[serde(default)]
    roles: Ordered<RawRole>,
    #[serde(default)]
    policies: Ordered<RawPolicy>,
    #[serde(default)]
    views: Ordered<RawView>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTable {
    name: String,
    #[serde(default)]
    schema: Option<String>,
    #[serde(default)]
    columns: Ordered<RawColumn>,
    #[serde(default)]
    indexes: Ordered<RawIndex>,
    #[serde(default)]
    foreign_keys: Ordered<RawForeignKey>,
    #[serde(default)]
    composite_primary_keys: Ordered<RawPrimaryKey>,
    #[serde(default)]
    unique_constraints: Ordered<RawUnique>,
    #[serde(default)]
    check_constraints: Ordered<RawCheck>,
    #[serde(default)]
    policies: Ordered<RawPolicy>,
    #[serde(default, rename = "isRLSEnabled")]
    is_rls_enabled: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub sql_type: String,
    #[serde(default)]
    pub type_schema: Option<String>,
    #[serde(default)]
    pub primary_key: bool,
    #[serde(default)]
    pub not_null: bool,
    #[serde(default)]
    pub default: Option<Value>,
    #[serde(default)]
    pub generated: Option<RawGenerated>,
    #[serde(default)]
    pub identity: Option<RawIdentity>,
    #[serde(default)]
    pub is_unique: Option<Value>,
    #[serde(default)]
    pub unique_name: Option<String>,
    #[serde(default)]
    pub nulls_not_distinct: Option<bool>,
    /// MySQL.
    #[serde(default)]
    pub autoincrement: bool,
    /// MySQL: `true` for `ON UPDATE CURRENT_TIMESTAMP`.
    #[serde(default)]
    pub on_update: Option<Value>,
}

#[derive(Deserialize)]
pub(super) struct RawGenerated {
    #[serde(rename = "as")]
    pub expression: String,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawIdentity {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub increment: Option<Value>,
    #[serde(default)]
    pub min_value: Option<Value>,
    #[serde(default)]
    pub max_value: Option<Value>,
    #[serde(default)]
    pub start_with: Option<Value>,
    #[serde(default)]
    pub cache: Option<Value>,
    #[serde(default)]
    pub cycle: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawIndex {
    name: String,
    #[serde(default)]
    columns: Vec<RawIndexColumn>,
    #[serde(default)]
    is_unique: bool,
    #[serde(default)]
    method: Option<String>,
    #[serde(default, rename = "where")]
    where_clause: Option<String>,
    #[serde(default)]
    with: Option<Ordered<Value>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawIndexColumn {
    /// Versions 5 and 6: the column name.
    Name(String),
    Full {
        expression: String,
        #[serde(default, rename = "isExpression")]
        is_expression: bool,
        #[serde(default = "yes")]
        asc: bool,
        #[serde(default)]
        nulls: Option<String>,
        #[serde(default)]
        opclass: Option<String>,
        #[serde(default, rename = "opClass")]
        op_class: Option<String>,
    },
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawForeignKey {
    pub name: String,
    pub table_to: String,
    #[serde(default)]
    pub schema_to: Option<String>,
    #[serde(default)]
    pub columns_from: Vec<String>,
    #[serde(default)]
    pub columns_to: Vec<String>,
    #[serde(default)]
    pub on_delete: Option<String>,
    #[serde(default)]
    pub on_update: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawPrimaryKey {
    pub name: String,
    #[serde(default)]
    pub columns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawUnique {
    pub name: String,
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub nulls_not_distinct: bool,
}

#[derive(Deserialize)]
pub(super) struct RawCheck {
    pub name: String,
    pub value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPolicy {
    name: String,
    #[serde(default, rename = "as")]
    kind: Option<String>,
    #[serde(default, rename = "for")]
    command: Option<String>,
    #[serde(default)]
    to: Option<Vec<String>>,
    #[serde(default)]
    using: Option<String>,
    #[serde(default)]
    with_check: Option<String>,
    /// Top-level policies: `"schema"."table"` of a table the snapshot does not define.
    #[serde(default)]
    on: Option<String>,
    #[serde(default)]
    schema: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawView {
    pub name: String,
    #[serde(default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub definition: Option<String>,
    #[serde(default)]
    pub materialized: bool,
    #[serde(default)]
    pub is_existing: bool,
}

#[derive(Deserialize)]
struct RawEnum {
    name: String,
    #[serde(default)]
    schema: Option<String>,
    values: RawEnumValues,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawEnumValues {
    List(Vec<String>),
    /// Version 5: `{"a": "a", "b": "b"}`.
    Map(Ordered<String>),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSequence {
    name: String,
    #[serde(default)]
    schema: Option<String>,
    #[serde(default)]
    increment: Option<Value>,
    #[serde(default)]
    min_value: Option<Value>,
    #[serde(default)]
    max_value: Option<Value>,
    #[serde(default)]
    start_with: Option<Value>,
    #[serde(default)]
    cache: Option<Value>,
    #[serde(default)]
    cycle: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRole {
    name: String,
    #[serde(default)]
    create_db: Option<bool>,
    #[serde(default)]
    create_role: Option<bool>,
    #[serde(default)]
    inherit: Option<bool>,
}

/// `""`/absent schema → `public`.
fn pg_schema(schema: &Option<String>) -> String {
    match schema.as_deref() {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => "public".to_string(),
    }
}

pub(super) fn convert(text: &str, file: &str) -> Result<Converted, Diagnostic> {
    let raw: Snapshot = parse_typed(text, file)?;
    let version = raw.version.as_ref().map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let mut schema = Schema::new(Dialect::Postgresql);
    let mut notes = Vec::new();
    let origin = |line: Option<u32>| {
        Some(Origin {
            file: file.to_string(),
            line,
        })
    };

    for (key, value) in &raw.schemas.0 {
        let name = value.as_str().unwrap_or(key);
        if name != "public" {
            schema.schemas.insert(name.to_string());
        }
    }
    for e in raw.enums.values() {
        let name = QualifiedName::new(pg_schema(&e.schema), e.name.clone());
        let values = match &e.values {
            RawEnumValues::List(v) => v.clone(),
            RawEnumValues::Map(m) => m.values().cloned().collect(),
        };
        schema.enums.insert(
            name.clone(),
            Enum {
                name,
                values,
                origin: origin(None),
            },
        );
    }
    for s in raw.sequences.values() {
        let name = QualifiedName::new(pg_schema(&s.schema), s.name.clone());
        schema.sequences.insert(
            name.clone(),
            Sequence {
                name,
                options: SequenceOptions {
                    increment: option_text(&s.increment),
                    min_value: option_text(&s.min_value),
                    max_value: option_text(&s.max_value),
                    start_with: option_text(&s.start_with),
                    cache: option_text(&s.cache),
                    cycle: s.cycle.unwrap_or(false),
                },
                origin: origin(None),
            },
        );
    }
    for r in raw.roles.values() {
        schema.roles.insert(
            r.name.clone(),
            Role {
                name: r.name.clone(),
                create_db: r.create_db.unwrap_or(false),
                create_role: r.create_role.unwrap_or(false),
                inherit: r.inherit.unwrap_or(true),
            },
        );
    }

    // Versions 5 and 6 carry no typeSchema: an enum column there names a public enum.
    let legacy_enums = matches!(version.as_deref(), Some("5" | "6"));
    let mut lines = table_lines(text, raw.tables.0.iter().map(|(k, _)| k.as_str()));
    for (key, t) in &raw.tables.0 {
        let name = QualifiedName::new(pg_schema(&t.schema), t.name.clone());
        let mut table = Table::new(name.clone());
        table.origin = origin(lines.remove(key.as_str()));
        table.rls_enabled = t.is_rls_enabled;
        let mut pk_columns = Vec::new();
        for c in t.columns.values() {
            let mut column = column(c);
            if legacy_enums && c.type_schema.is_none() {
                let base = c.sql_type.trim_end_matches("[]");
                if schema
                    .enums
                    .contains_key(&QualifiedName::new("public", base.to_string()))
                {
                    column.sql_type = format!("public.{}", c.sql_type);
                }
            }
            if c.primary_key {
                pk_columns.push(c.name.clone());
            }
            if is_truthy(&c.is_unique) {
                let unique_name = c
                    .unique_name
                    .clone()
                    .unwrap_or_else(|| format!("{}_{}_unique", t.name, c.name));
                if !t
                    .unique_constraints
                    .0
                    .iter()
                    .any(|(_, u)| u.name == unique_name)
                {
                    table.uniques.push(Unique {
                        name: unique_name,
                        columns: vec![c.name.clone()],
                        nulls_not_distinct: c.nulls_not_distinct.unwrap_or(false),
                        origin: None,
                    });
                }
            }
            table.columns.push(column);
        }
        table.primary_key = primary_key(
            &t.name,
            pk_columns,
            &t.composite_primary_keys,
            file,
            &mut notes,
        );
        if table.primary_key.is_some() && t.composite_primary_keys.0.is_empty() {
            table
                .unknown
                .insert(crate::model::UNKNOWN_PRIMARY_KEY_NAME.to_string());
        }
        for i in t.indexes.values() {
            table.indexes.push(index(i));
        }
        for fk in t.foreign_keys.values() {
            table.foreign_keys.push(foreign_key(fk));
        }
        for u in t.unique_constraints.values() {
            table.uniques.push(Unique {
                name: u.name.clone(),
                columns: u.columns.clone(),
                nulls_not_distinct: u.nulls_not_distinct,
                origin: None,
            });
        }
        for c in t.check_constraints.values() {
            table.checks.push(Check {
                name: c.name.clone(),
                expression: c.value.clone(),
                origin: None,
            });
        }
        for p in t.policies.values() {
            table.policies.push(policy(p));
        }
        if schema.tables.insert(name.clone(), table).is_some() {
            notes.push(Diagnostic::warning(
                file,
                format!("{file}: table {name} is declared twice; the later one is kept"),
            ));
        }
    }

    for p in raw.policies.values() {
        let target = p.on.as_deref().map(|on| parse_on(on, p.schema.as_deref()));
        match target.as_ref().and_then(|t| schema.tables.get_mut(t)) {
            Some(table) => table.policies.push(policy(p)),
            None => notes.push(Diagnostic::warning(
                file,
                format!(
                    "{file}: policy {} is on table {}, which the snapshot does not define; \
                     it is left out",
                    p.name,
                    p.on.as_deref().unwrap_or("(none)")
                ),
            )),
        }
    }

    for v in raw.views.values() {
        let name = QualifiedName::new(pg_schema(&v.schema), v.name.clone());
        schema.views.insert(name.clone(), view(name, v, file));
    }
    Ok(Converted { schema, notes })
}

pub(super) fn view(name: QualifiedName, v: &RawView, file: &str) -> View {
    View {
        name,
        materialized: v.materialized,
        definition: if v.is_existing {
            None
        } else {
            v.definition.clone()
        },
        origin: Some(Origin {
            file: file.to_string(),
            line: None,
        }),
    }
}

pub(super) fn column(c: &RawColumn) -> Column {
    let sql_type = match c.type_schema.as_deref() {
        Some(s) if !s.is_empty() => format!("{s}.{}", c.sql_type),
        _ => c.sql_type.clone(),
    };
    let mut column = Column::new(c.name.clone(), sql_type);
    column.not_null = c.not_null;
    column.default = c.default.as_ref().and_then(default_text);
    column.generated = c.generated.as_ref().map(RawGenerated::to_model);
    column.identity = c.identity.as_ref().map(RawIdentity::to_model);
    column.autoincrement = c.autoincrement;
    column.on_update = match &c.on_update {
        Some(Value::Bool(true)) => Some("CURRENT_TIMESTAMP".to_string()),
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    column
}

impl RawGenerated {
    pub(super) fn to_model(&self) -> Generated {
        Generated {
            expression: self.expression.clone(),
            kind: match self.kind.as_deref() {
                Some("virtual") => GeneratedKind::Virtual,
                _ => GeneratedKind::Stored,
            },
        }
    }
}

impl RawIdentity {
    pub(super) fn to_model(&self) -> Identity {
        Identity {
            kind: match self.kind.as_str() {
                "always" => IdentityKind::Always,
                _ => IdentityKind::ByDefault,
            },
            sequence: self.name.clone(),
            options: SequenceOptions {
                increment: option_text(&self.increment),
                min_value: option_text(&self.min_value),
                max_value: option_text(&self.max_value),
                start_with: option_text(&self.start_with),
                cache: option_text(&self.cache),
                cycle: self.cycle.unwrap_or(false),
            },
        }
    }
}

fn is_truthy(value: &Option<Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::Null) | None => false,
        Some(_) => true,
    }
}

/// The table's primary key: its `compositePrimaryKeys` entry, or the columns marked
/// `primaryKey: true` under the name PostgreSQL gives them when the table is created
/// (`<table>_pkey`; the caller marks that name as the database's choice).
fn primary_key(
    table: &str,
    marked: Vec<String>,
    composite: &Ordered<RawPrimaryKey>,
    file: &str,
    notes: &mut Vec<Diagnostic>,
) -> Option<PrimaryKey> {
    let mut keys = composite.values();
    let chosen = keys.next().map(|pk| PrimaryKey {
        name: pk.name.clone(),
        columns: pk.columns.clone(),
    });
    if keys.next().is_some() {
        notes.push(Diagnostic::warning(
            file,
            format!("{file}: table {table} has several primary keys; the first one is kept"),
        ));
    }
    match chosen {
        Some(pk) => {
            if !marked.is_empty() && marked != pk.columns {
                notes.push(Diagnostic::warning(
                    file,
                    format!(
                        "{file}: table {table} marks {} as primary key but also has primary \
                         key {}; the latter is kept",
                        marked.join(", "),
                        pk.name
                    ),
                ));
            }
            Some(pk)
        }
        None if marked.is_empty() => None,
        None => Some(PrimaryKey {
            name: format!("{table}_pkey"),
            columns: marked,
        }),
    }
}

fn index(i: &RawIndex) -> Index {
    let keys = i
        .columns
        .iter()
        .map(|c| match c {
            RawIndexColumn::Name(name) => IndexKey {
                expression: name.clone(),
                is_expression: false,
                asc: true,
                nulls_first: false,
                opclass: None,
            },
            RawIndexColumn::Full {
                expression,
                is_expression,
                asc,
                nulls,
                opclass,
                op_class,
            } => IndexKey {
                expression: expression.clone(),
                is_expression: *is_expression,
                asc: *asc,
                nulls_first: match nulls.as_deref() {
                    Some(n) => n.eq_ignore_ascii_case("first"),
                    None => !*asc,
                },
                opclass: opclass.clone().or_else(|| op_class.clone()),
            },
        })
        .collect();
    let with = i
        .with
        .as_ref()
        .map(|w| {
            w.0.iter()
                .map(|(k, v)| match v {
                    Value::String(s) => format!("{k}={s}"),
                    other => format!("{k}={other}"),
                })
                .collect()
        })
        .unwrap_or_default();
    Index {
        name: i.name.clone(),
        keys,
        unique: i.is_unique,
        method: i.method.clone().unwrap_or_else(|| "btree".to_string()),
        where_clause: i.where_clause.clone(),
        with,
        origin: None,
    }
}

pub(super) fn foreign_key(fk: &RawForeignKey) -> ForeignKey {
    ForeignKey {
        name: fk.name.clone(),
        columns: fk.columns_from.clone(),
        references: QualifiedName::new(pg_schema(&fk.schema_to), fk.table_to.clone()),
        ref_columns: fk.columns_to.clone(),
        on_delete: fk_action(&fk.on_delete),
        on_update: fk_action(&fk.on_update),
        origin: None,
    }
}

fn policy(p: &RawPolicy) -> Policy {
    Policy {
        name: p.name.clone(),
        kind: p.kind.as_deref().unwrap_or("permissive").to_lowercase(),
        command: p.command.as_deref().unwrap_or("all").to_lowercase(),
        to: p.to.clone().unwrap_or_else(|| vec!["public".to_string()]),
        using: p.using.clone(),
        with_check: p.with_check.clone(),
        origin: None,
    }
}

/// `"schema"."table"` (as drizzle-kit writes a top-level policy's `on`) as a name.
fn parse_on(on: &str, schema: Option<&str>) -> QualifiedName {
    let parts: Vec<&str> = on.split("\".\"").map(|p| p.trim_matches('"')).collect();
    match parts.as_slice() {
        [s, t] => QualifiedName::new(*s, *t),
        _ => QualifiedName::new(schema.unwrap_or("public"), on.trim_matches('"')),
    }
}
