//! Snapshots of drizzle-kit 1.0: a flat `ddl` list of entities, each tagged by
//! `entityType` and linked to its table by `schema` + `table`. PostgreSQL version 8, and
//! the `base`/`checkpoint` files of version 9; MySQL version 6 (no schemas: its unique
//! constraints are unique `indexes`, its columns carry `autoIncrement`, `onUpdateNow`,
//! `charSet` and `collation`).

use super::pg_legacy::{RawGenerated, RawIdentity, RawView};
use super::{default_text, fk_action, option_text, parse_typed, Converted, LineFinder};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Check, Column, Dialect, Enum, ForeignKey, Index, IndexKey, Origin, Policy, PrimaryKey,
    QualifiedName, Role, Schema, Sequence, SequenceOptions, Table, Unique, IMPLICIT_FOREIGN_KEY,
    IMPLICIT_INDEX, IMPLICIT_PRIMARY_KEY, IMPLICIT_UNIQUE,
};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct FullSnapshot {
    #[serde(default)]
    ddl: Vec<Value>,
}

// Short-lived (one conversion), so variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Deserialize)]
#[serde(tag = "entityType", rename_all = "camelCase")]
enum Entity {
    Schemas {
        name: String,
    },
    Enums {
        name: String,
        #[serde(default)]
        schema: Option<String>,
        #[serde(default)]
        values: Vec<String>,
    },
    Tables {
        name: String,
        #[serde(default)]
        schema: Option<String>,
        #[serde(default, rename = "isRlsEnabled")]
        is_rls_enabled: Option<bool>,
    },
    Columns(DdlColumn),
    Indexes(DdlIndex),
    Fks(DdlForeignKey),
    Pks(DdlConstraint),
    Uniques(DdlConstraint),
    Checks(DdlCheck),
    Sequences(DdlSequence),
    Roles(DdlRole),
    Policies(DdlPolicy),
    Views(RawView),
    /// Grants: not part of the model.
    Privileges,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DdlColumn {
    #[serde(default)]
    schema: Option<String>,
    table: String,
    name: String,
    #[serde(rename = "type")]
    sql_type: String,
    #[serde(default)]
    type_schema: Option<String>,
    #[serde(default)]
    not_null: bool,
    #[serde(default)]
    dimensions: Option<u32>,
    #[serde(default)]
    default: Option<Value>,
    #[serde(default)]
    generated: Option<RawGenerated>,
    #[serde(default)]
    identity: Option<RawIdentity>,
    #[serde(default)]
    auto_increment: bool,
    #[serde(default)]
    on_update_now: bool,
    #[serde(default)]
    on_update_now_fsp: Option<u32>,
    #[serde(default)]
    char_set: Option<String>,
    #[serde(default)]
    collation: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DdlIndex {
    #[serde(default)]
    schema: Option<String>,
    table: String,
    name: String,
    #[serde(default)]
    columns: Vec<DdlIndexColumn>,
    #[serde(default)]
    is_unique: bool,
    #[serde(default, rename = "where")]
    where_clause: Option<String>,
    #[serde(default)]
    with: Option<Value>,
    #[serde(default)]
    method: Option<String>,
    /// MySQL's name for `method`.
    #[serde(default)]
    using: Option<String>,
    #[serde(default)]
    name_explicit: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DdlIndexColumn {
    value: String,
    #[serde(default)]
    is_expression: bool,
    #[serde(default = "yes")]
    asc: bool,
    #[serde(default)]
    nulls_first: Option<bool>,
    /// `null`, a name, or `{name, default}`.
    #[serde(default)]
    opclass: Option<Value>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DdlForeignKey {
    #[serde(default)]
    schema: Option<String>,
    table: String,
    name: String,
    #[serde(default)]
    columns: Vec<String>,
    #[serde(default)]
    schema_to: Option<String>,
    table_to: String,
    #[serde(default)]
    columns_to: Vec<String>,
    #[serde(default)]
    on_update: Option<String>,
    #[serde(default)]
    on_delete: Option<String>,
    #[serde(default)]
    name_explicit: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DdlConstraint {
    #[serde(default)]
    schema: Option<String>,
    table: String,
    name: String,
    #[serde(default)]
    columns: Vec<String>,
    #[serde(default)]
    nulls_not_distinct: bool,
    /// `false` when drizzle-kit chose the name (a primary key's is then the database's).
    #[serde(default)]
    name_explicit: Option<bool>,
}

#[derive(Deserialize)]
struct DdlCheck {
    #[serde(default)]
    schema: Option<String>,
    table: String,
    name: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DdlSequence {
    #[serde(default)]
    schema: Option<String>,
    name: String,
    #[serde(default)]
    increment_by: Option<Value>,
    #[serde(default)]
    min_value: Option<Value>,
    #[serde(default)]
    max_value: Option<Value>,
    #[serde(default)]
    start_with: Option<Value>,
    #[serde(default)]
    cache_size: Option<Value>,
    #[serde(default)]
    cycle: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DdlRole {
    name: String,
    #[serde(default)]
    create_db: Option<bool>,
    #[serde(default)]
    create_role: Option<bool>,
    #[serde(default)]
    inherit: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DdlPolicy {
    #[serde(default)]
    schema: Option<String>,
    table: String,
    name: String,
    #[serde(default, rename = "as")]
    kind: Option<String>,
    #[serde(default, rename = "for")]
    command: Option<String>,
    #[serde(default)]
    roles: Option<Vec<String>>,
    #[serde(default)]
    using: Option<String>,
    #[serde(default)]
    with_check: Option<String>,
}

/// A PostgreSQL version 8 snapshot, a version 9 `base`/`checkpoint`, or a MySQL version 6
/// snapshot.
pub(super) fn convert_full(
    text: &str,
    file: &str,
    dialect: Dialect,
) -> Result<Converted, Diagnostic> {
    let raw: FullSnapshot = parse_typed(text, file)?;
    let lines = entity_lines(text, raw.ddl.len());
    let origins: Vec<Origin> = (0..raw.ddl.len())
        .map(|i| Origin {
            file: file.to_string(),
            line: lines.as_ref().and_then(|l| l.get(i).copied()),
        })
        .collect();
    Ok(convert_rows(&raw.ddl, &origins, dialect))
}

/// Line of each entity: drizzle-kit writes `"entityType"` once per entity (and once per
/// created row of a diff), so the k-th occurrence belongs to the k-th entity. `None` when
/// the counts disagree.
pub(super) fn entity_lines(text: &str, count: usize) -> Option<Vec<u32>> {
    let mut finder = LineFinder::new(text);
    let lines: Vec<u32> = std::iter::from_fn(|| finder.next("\"entityType\"")).collect();
    (lines.len() == count).then_some(lines)
}

/// The schema an entity's `schema` names: `public` when it names none on PostgreSQL,
/// always none on MySQL.
fn qualified(dialect: Dialect, schema: &Option<String>, name: &str) -> QualifiedName {
    let schema = match (dialect, schema.as_deref()) {
        (Dialect::Mysql, _) => String::new(),
        (Dialect::Postgresql, Some(s)) if !s.is_empty() => s.to_string(),
        (Dialect::Postgresql, _) => "public".to_string(),
    };
    QualifiedName::new(schema, name)
}

/// The model of a list of 1.0 entities, each with the file and line it comes from.
/// Entities that do not have the expected shape, or belong to a table the list does not
/// declare, are left out with a note.
pub(super) fn convert_rows(rows: &[Value], origins: &[Origin], dialect: Dialect) -> Converted {
    let mut schema = Schema::new(dialect);
    let qualified = |s: &Option<String>, name: &str| qualified(dialect, s, name);
    let mut notes = Vec::new();
    let mut entities = Vec::with_capacity(rows.len());
    let unknown = Origin {
        file: String::new(),
        line: None,
    };
    let note = |at: &Origin, message: String| {
        let mut note = Diagnostic::warning(&at.file, format!("{}: {message}", at.file));
        note.line = at.line;
        note
    };
    for (i, row) in rows.iter().enumerate() {
        let at = origins.get(i).unwrap_or(&unknown);
        match Entity::deserialize(row) {
            Ok(entity) => entities.push((entity, at)),
            Err(e) => notes.push(note(
                at,
                format!("entity {} is left out: {e}", describe(row)),
            )),
        }
    }
    let origin = |at: &Origin| Some(at.clone());

    // Tables first: the other entities attach to them whatever the list's order.
    for (entity, line) in &entities {
        if let Entity::Tables {
            name,
            schema: s,
            is_rls_enabled,
        } = entity
        {
            let qn = qualified(s, name);
            let mut table = Table::new(qn.clone());
            table.rls_enabled = is_rls_enabled.unwrap_or(false);
            table.origin = origin(line);
            schema.tables.insert(qn, table);
        }
    }

    for (entity, line) in entities {
        let note_missing =
            |notes: &mut Vec<Diagnostic>, what: &str, name: &str, table: &QualifiedName| {
                notes.push(note(
                    line,
                    format!(
                        "{what} {name} belongs to table {table}, which the snapshot does not \
                         declare; it is left out"
                    ),
                ))
            };
        match entity {
            Entity::Schemas { name } => {
                if name != "public" {
                    schema.schemas.insert(name);
                }
            }
            Entity::Enums {
                name,
                schema: s,
                values,
            } => {
                let qn = qualified(&s, &name);
                schema.enums.insert(
                    qn.clone(),
                    Enum {
                        name: qn,
                        values,
                        origin: origin(line),
                    },
                );
            }
            Entity::Tables { .. } | Entity::Privileges => {}
            Entity::Columns(c) => {
                let table = qualified(&c.schema, &c.table);
                match schema.tables.get_mut(&table) {
                    Some(t) => t.columns.push(column(&c)),
                    None => note_missing(&mut notes, "column", &c.name, &table),
                }
            }
            Entity::Indexes(i) => {
                let table = qualified(&i.schema, &i.table);
                match schema.tables.get_mut(&table) {
                    Some(t) => {
                        implicit(t, IMPLICIT_INDEX, &i.name, i.name_explicit);
                        t.indexes.push(index(&i));
                    }
                    None => note_missing(&mut notes, "index", &i.name, &table),
                }
            }
            Entity::Fks(fk) => {
                let table = qualified(&fk.schema, &fk.table);
                match schema.tables.get_mut(&table) {
                    Some(t) => {
                        implicit(t, IMPLICIT_FOREIGN_KEY, &fk.name, fk.name_explicit);
                        t.foreign_keys.push(ForeignKey {
                            name: fk.name.clone(),
                            columns: fk.columns.clone(),
                            references: qualified(&fk.schema_to, &fk.table_to),
                            ref_columns: fk.columns_to.clone(),
                            on_delete: fk_action(&fk.on_delete),
                            on_update: fk_action(&fk.on_update),
                            origin: None,
                        });
                    }
                    None => note_missing(&mut notes, "foreign key", &fk.name, &table),
                }
            }
            Entity::Pks(pk) => {
                let table = qualified(&pk.schema, &pk.table);
                match schema.tables.get_mut(&table) {
                    Some(t) => {
                        if let Some(old) = &t.primary_key {
                            notes.push(note(
                                line,
                                format!(
                                    "table {table} has primary keys {} and {}; the later one \
                                     is kept",
                                    old.name, pk.name
                                ),
                            ));
                        }
                        let marker = crate::model::UNKNOWN_PRIMARY_KEY_NAME;
                        if pk.name_explicit == Some(false) {
                            t.unknown.insert(marker.to_string());
                        } else {
                            t.unknown.remove(marker);
                        }
                        if let Some(old) = &t.primary_key {
                            t.implicit_names
                                .remove(&(IMPLICIT_PRIMARY_KEY, old.name.clone()));
                        }
                        implicit(t, IMPLICIT_PRIMARY_KEY, &pk.name, pk.name_explicit);
                        t.primary_key = Some(PrimaryKey {
                            name: pk.name,
                            columns: pk.columns,
                        });
                    }
                    None => note_missing(&mut notes, "primary key", &pk.name, &table),
                }
            }
            Entity::Uniques(u) => {
                let table = qualified(&u.schema, &u.table);
                match schema.tables.get_mut(&table) {
                    Some(t) => {
                        implicit(t, IMPLICIT_UNIQUE, &u.name, u.name_explicit);
                        t.uniques.push(Unique {
                            name: u.name,
                            columns: u.columns,
                            nulls_not_distinct: u.nulls_not_distinct,
                            origin: None,
                        });
                    }
                    None => note_missing(&mut notes, "unique constraint", &u.name, &table),
                }
            }
            Entity::Checks(c) => {
                let table = qualified(&c.schema, &c.table);
                match schema.tables.get_mut(&table) {
                    Some(t) => t.checks.push(Check {
                        name: c.name,
                        expression: c.value,
                        origin: None,
                    }),
                    None => note_missing(&mut notes, "check", &c.name, &table),
                }
            }
            Entity::Policies(p) => {
                let table = qualified(&p.schema, &p.table);
                match schema.tables.get_mut(&table) {
                    Some(t) => t.policies.push(Policy {
                        name: p.name,
                        kind: p.kind.as_deref().unwrap_or("permissive").to_lowercase(),
                        command: p.command.as_deref().unwrap_or("all").to_lowercase(),
                        to: p.roles.unwrap_or_else(|| vec!["public".to_string()]),
                        using: p.using,
                        with_check: p.with_check,
                        origin: None,
                    }),
                    None => note_missing(&mut notes, "policy", &p.name, &table),
                }
            }
            Entity::Sequences(s) => {
                let qn = qualified(&s.schema, &s.name);
                schema.sequences.insert(
                    qn.clone(),
                    Sequence {
                        name: qn,
                        options: SequenceOptions {
                            increment: option_text(&s.increment_by),
                            min_value: option_text(&s.min_value),
                            max_value: option_text(&s.max_value),
                            start_with: option_text(&s.start_with),
                            cache: option_text(&s.cache_size),
                            cycle: s.cycle.unwrap_or(false),
                        },
                        origin: origin(line),
                    },
                );
            }
            Entity::Roles(r) => {
                schema.roles.insert(
                    r.name.clone(),
                    Role {
                        name: r.name,
                        create_db: r.create_db.unwrap_or(false),
                        create_role: r.create_role.unwrap_or(false),
                        inherit: r.inherit.unwrap_or(true),
                    },
                );
            }
            Entity::Views(v) => {
                let qn = qualified(&v.schema, &v.name);
                let mut view = super::pg_legacy::view(qn.clone(), &v, &line.file);
                view.origin = origin(line);
                schema.views.insert(qn, view);
            }
            Entity::Other => {}
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let kind = row.get("entityType").and_then(Value::as_str).unwrap_or("");
        if !KNOWN.contains(&kind) && row.is_object() {
            notes.push(note(
                origins.get(i).unwrap_or(&unknown),
                format!(
                    "entity {} has an entity type drizzle-drift does not know; it is left out",
                    describe(row)
                ),
            ));
        }
    }
    Converted { schema, notes }
}

const KNOWN: &[&str] = &[
    "schemas",
    "enums",
    "tables",
    "columns",
    "indexes",
    "fks",
    "pks",
    "uniques",
    "checks",
    "sequences",
    "roles",
    "policies",
    "views",
    "privileges",
];

/// `columns public.users.id` for notes.
fn describe(row: &Value) -> String {
    let field = |k: &str| row.get(k).and_then(Value::as_str);
    let path: Vec<&str> = ["schema", "table", "name"]
        .iter()
        .filter_map(|k| field(k))
        .collect();
    format!(
        "{} {}",
        field("entityType").unwrap_or("(no entityType)"),
        if path.is_empty() {
            "(unnamed)".to_string()
        } else {
            path.join(".")
        }
    )
}

/// Records that drizzle-kit chose the name (`nameExplicit: false`).
fn implicit(t: &mut Table, kind: &'static str, name: &str, explicit: Option<bool>) {
    if explicit == Some(false) {
        t.implicit_names.insert((kind, name.to_string()));
    }
}

fn column(c: &DdlColumn) -> Column {
    let mut sql_type = match c.type_schema.as_deref() {
        Some(s) if !s.is_empty() => format!("{s}.{}", c.sql_type),
        _ => c.sql_type.clone(),
    };
    for _ in 0..c.dimensions.unwrap_or(0) {
        sql_type.push_str("[]");
    }
    let mut column = Column::new(c.name.clone(), sql_type);
    column.not_null = c.not_null;
    column.default = c.default.as_ref().and_then(default_text);
    column.generated = c.generated.as_ref().map(RawGenerated::to_model);
    column.identity = c.identity.as_ref().map(RawIdentity::to_model);
    column.autoincrement = c.auto_increment;
    column.on_update = c.on_update_now.then(|| match c.on_update_now_fsp {
        Some(fsp) => format!("CURRENT_TIMESTAMP({fsp})"),
        None => "CURRENT_TIMESTAMP".to_string(),
    });
    column.charset = c.char_set.clone();
    column.collation = c.collation.clone();
    column
}

fn index(i: &DdlIndex) -> Index {
    let keys = i
        .columns
        .iter()
        .map(|c| IndexKey {
            expression: c.value.clone(),
            is_expression: c.is_expression,
            asc: c.asc,
            nulls_first: c.nulls_first.unwrap_or(!c.asc),
            opclass: match &c.opclass {
                Some(Value::String(s)) => Some(s.clone()),
                // `{name, default: true}` is the type's default operator class, which
                // PostgreSQL does not print either.
                Some(Value::Object(o)) if o.get("default") != Some(&Value::Bool(true)) => {
                    o.get("name").and_then(Value::as_str).map(str::to_string)
                }
                _ => None,
            },
        })
        .collect();
    let with = match &i.with {
        Some(Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::Object(o)) => o
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}={s}"),
                other => format!("{k}={other}"),
            })
            .collect(),
        _ => Vec::new(),
    };
    Index {
        name: i.name.clone(),
        keys,
        unique: i.is_unique,
        method: i
            .method
            .clone()
            .or_else(|| i.using.clone())
            .unwrap_or_else(|| "btree".to_string()),
        where_clause: i.where_clause.clone(),
        with,
        origin: None,
    }
}
