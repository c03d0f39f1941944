//! The normalized schema model shared by every source.
//!
//! Each reader (TypeScript, snapshot history, live catalog) produces a [`Schema`] whose
//! values are already spelled the way [`normalize`] spells them, so the diff can compare
//! with plain equality. Raw spellings never reach the diff.

pub mod normalize;
mod serde_lists;

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Postgresql,
    Mysql,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Postgresql => "postgresql",
            Dialect::Mysql => "mysql",
        }
    }

    /// The schema a bare table name lives in: `public` on PostgreSQL, none on MySQL.
    pub fn default_schema(self) -> &'static str {
        match self {
            Dialect::Postgresql => "public",
            Dialect::Mysql => "",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `schema.name`, with the dialect's default schema spelled out (`public`), never empty on
/// PostgreSQL. Ordered by schema, then name, which is the order every report uses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QualifiedName {
    pub schema: String,
    pub name: String,
}

impl QualifiedName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema: schema.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.schema.is_empty() || self.schema == "public" {
            f.write_str(&self.name)
        } else {
            write!(f, "{}.{}", self.schema, self.name)
        }
    }
}

/// Where a source declared an object: a TS `file:line`, a snapshot file, or nothing for
/// the live catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.file, line),
            None => f.write_str(&self.file),
        }
    }
}

/// One source's view of a whole database. Serialized with its maps as lists
/// (see `serde_lists`).
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub dialect: Dialect,
    /// Schemas other than the default one that the source declares (`pgSchema`).
    pub schemas: BTreeSet<String>,
    pub enums: BTreeMap<QualifiedName, Enum>,
    pub sequences: BTreeMap<QualifiedName, Sequence>,
    pub tables: BTreeMap<QualifiedName, Table>,
    pub views: BTreeMap<QualifiedName, View>,
    pub roles: BTreeMap<String, Role>,
    /// The source could not read all it names (an unresolved `export * from "pkg"`, a
    /// table whose name could not be evaluated): an object missing from it may exist, so
    /// its absence is never reported.
    pub partial: bool,
    /// Operator classes that are the default of their type for an index method, as
    /// `method opclass` (`btree uuid_ops`): naming one on an index key is the same as
    /// naming none, and `pg_get_indexdef` leaves it out. Read from a live PostgreSQL
    /// catalog (`pg_opclass.opcdefault`); empty for the other sources.
    pub default_opclasses: BTreeSet<String>,
    /// MySQL: each character set's default collation (`latin1` → `latin1_swedish_ci`), from
    /// a live catalog; empty for the other sources. A column given only `CHARACTER SET x`
    /// has that collation.
    pub charset_collations: BTreeMap<String, String>,
}

impl Schema {
    pub fn new(dialect: Dialect) -> Self {
        Schema {
            dialect,
            schemas: BTreeSet::new(),
            enums: BTreeMap::new(),
            sequences: BTreeMap::new(),
            tables: BTreeMap::new(),
            views: BTreeMap::new(),
            roles: BTreeMap::new(),
            partial: false,
            default_opclasses: BTreeSet::new(),
            charset_collations: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enum {
    pub name: QualifiedName,
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// Sequence options are kept as the decimal text PostgreSQL prints, `None` where the
/// source leaves the server default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_with: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<String>,
    #[serde(default)]
    pub cycle: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: QualifiedName,
    #[serde(flatten)]
    pub options: SequenceOptions,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: QualifiedName,
    /// In declaration order (snapshot and TS) or ordinal order (live).
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    #[serde(default)]
    pub indexes: Vec<Index>,
    #[serde(default)]
    pub foreign_keys: Vec<ForeignKey>,
    #[serde(default)]
    pub uniques: Vec<Unique>,
    #[serde(default)]
    pub checks: Vec<Check>,
    #[serde(default)]
    pub policies: Vec<Policy>,
    #[serde(default)]
    pub rls_enabled: bool,
    /// MySQL: the table's default collation, which its columns have unless given another
    /// (read from a live catalog; `None` for the other sources).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Expressions as the source wrote them before normalization (`"t"."a" is not null`
    /// where the catalog says `(a IS NOT NULL)`), by (object kind, object name, field):
    /// drizzle-kit compares these texts, not their meaning (see [`Written`]).
    #[serde(skip)]
    pub written: BTreeMap<Written, String>,
    /// Parts the source could not determine (`constraints`: a TS table whose third
    /// argument could not be evaluated): their absence is never reported.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub unknown: BTreeSet<String>,
    /// Constraints and indexes whose name drizzle-kit chose (1.0's `nameExplicit: false`),
    /// by (kind, name) with kind one of `primary_key`, `unique`, `foreign_key`, `index`:
    /// `generate` matches these by definition, not by name (see
    /// [`crate::diff::generated_names`]).
    #[serde(skip)]
    pub implicit_names: BTreeSet<(&'static str, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// `Table::implicit_names` kinds.
pub const IMPLICIT_PRIMARY_KEY: &str = "primary_key";
pub const IMPLICIT_UNIQUE: &str = "unique";
pub const IMPLICIT_FOREIGN_KEY: &str = "foreign_key";
pub const IMPLICIT_INDEX: &str = "index";

/// `Table::unknown` entry: indexes, keys, checks and policies are unknown.
pub const UNKNOWN_CONSTRAINTS: &str = "constraints";
/// `Table::unknown` entry: the table may have columns the source could not read.
pub const UNKNOWN_COLUMNS: &str = "columns";

/// `Column::unknown` entry: every attribute of the column is unknown.
pub const UNKNOWN_ALL: &str = "*";

/// `Table::unknown` entry: one field of one of the table's objects (`index`, its name,
/// `where`) could not be read.
pub fn unknown_field(kind: &str, name: &str, field: &str) -> String {
    format!("{kind}:{name}:{field}")
}
/// `Table::unknown` entry: the primary key's name is the database's choice (a
/// column-level `primaryKey()`: PostgreSQL names it `<table>_pkey` when the table is
/// created and keeps that name when the table is renamed).
pub const UNKNOWN_PRIMARY_KEY_NAME: &str = "primary_key_name";

impl Table {
    pub fn new(name: QualifiedName) -> Self {
        Table {
            name,
            columns: Vec::new(),
            primary_key: None,
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            uniques: Vec::new(),
            checks: Vec::new(),
            policies: Vec::new(),
            rls_enabled: false,
            collation: None,
            written: BTreeMap::new(),
            unknown: BTreeSet::new(),
            implicit_names: BTreeSet::new(),
            origin: None,
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Which text of a table `Table::written` keeps: `("index", "t_a_idx", "where")`,
/// `("check", "t_ok", "definition")`, `("column", "a", "default")`…
pub type Written = (&'static str, String, &'static str);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    Always,
    ByDefault,
}

impl IdentityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKind::Always => "always",
            IdentityKind::ByDefault => "by default",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub kind: IdentityKind,
    /// The identity sequence's name (`<table>_<column>_seq` unless given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<String>,
    #[serde(flatten)]
    pub options: SequenceOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GeneratedKind {
    Stored,
    Virtual,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    pub expression: String,
    pub kind: GeneratedKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// Normalized SQL type, e.g. `varchar(256)`, `timestamp(6) with time zone`,
    /// `public.status[]` for an array of an enum.
    #[serde(rename = "type")]
    pub sql_type: String,
    pub not_null: bool,
    /// Normalized default expression; `None` when the column has no default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// MySQL `AUTO_INCREMENT`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub autoincrement: bool,
    /// MySQL `ON UPDATE` expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<String>,
    /// The collation the column was given (`COLLATE "C"`), as its name; `None`: the
    /// default one (PostgreSQL: its type's; MySQL: its table's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// MySQL: the character set the column was given (`CHARACTER SET ascii`); `None`: its
    /// table's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    /// Attributes the source could not determine (a TS default it could not evaluate):
    /// never reported as differences.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub unknown: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

impl Column {
    pub fn new(name: impl Into<String>, sql_type: impl Into<String>) -> Self {
        Column {
            name: name.into(),
            sql_type: sql_type.into(),
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            autoincrement: false,
            on_update: None,
            collation: None,
            charset: None,
            unknown: BTreeSet::new(),
            origin: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub name: String,
    pub columns: Vec<String>,
}

/// One key of an index: a column name or an expression, with its ordering options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    /// Column name, or normalized expression text when `is_expression`.
    pub expression: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_expression: bool,
    #[serde(default = "yes")]
    pub asc: bool,
    /// `NULLS FIRST`; PostgreSQL's default is first for DESC, last for ASC.
    #[serde(default)]
    pub nulls_first: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub keys: Vec<IndexKey>,
    pub unique: bool,
    /// Access method, `btree` by default.
    pub method: String,
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_clause: Option<String>,
    /// Storage parameters, `key=value` sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub references: QualifiedName,
    pub ref_columns: Vec<String>,
    /// Normalized action: `no action`, `restrict`, `cascade`, `set null`, `set default`.
    pub on_delete: String,
    pub on_update: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unique {
    pub name: String,
    pub columns: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    /// Normalized expression (bare column names, no redundant parentheses or casts).
    pub expression: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub name: String,
    /// `permissive` or `restrictive`.
    #[serde(rename = "as")]
    pub kind: String,
    /// `all`, `select`, `insert`, `update` or `delete`.
    #[serde(rename = "for")]
    pub command: String,
    /// Role names, sorted; `public` when the policy applies to everyone.
    pub to: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: QualifiedName,
    #[serde(default)]
    pub materialized: bool,
    /// Normalized definition; `None` for `.existing()` views the source does not define.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    #[serde(default)]
    pub create_db: bool,
    #[serde(default)]
    pub create_role: bool,
    #[serde(default = "yes")]
    pub inherit: bool,
}
