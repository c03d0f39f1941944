//! The drizzle-orm objects a schema file builds (column builders, tables, enums,
//! constraints, `sql` fragments…), which the evaluator carries as its host's values.
//! Drizzle objects are immutable here: a method returns a changed copy, which is what every
//! real schema observes since builders are used once.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

pub(super) use crate::js::{js_number, js_string, json_stringify, ordered_props, Loc, Why};

pub(super) type Value<'a> = crate::js::Value<'a, Dz<'a>>;
pub(super) type Obj<'a> = crate::js::Obj<'a, Dz<'a>>;

/// A drizzle-orm object.
#[derive(Clone)]
pub(super) enum Dz<'a> {
    /// A column builder. drizzle-orm's builders are mutable and methods return the same
    /// object, so a builder shared by two tables or variables is one cell here too.
    Column(Rc<RefCell<ColumnB<'a>>>),
    TableCol(Rc<TableCol<'a>>),
    Table(Rc<TableV<'a>>),
    /// The columns the third argument of `pgTable` receives (`t` in `(t) => [...]`).
    ExtraCols(Rc<TableV<'a>>),
    Enum(Rc<EnumV>),
    PgSchema(Rc<str>),
    Sequence(Rc<SequenceV>),
    Role(Rc<RoleV>),
    Policy(Rc<PolicyV<'a>>),
    IndexOn(Rc<IndexOnV>),
    Index(Rc<IndexV<'a>>),
    PrimaryKey(Rc<PkV<'a>>),
    ForeignKey(Rc<FkV<'a>>),
    UniqueOn(Option<Rc<str>>),
    Unique(Rc<UniqueV<'a>>),
    Check(Rc<CheckV<'a>>),
    Sql(Rc<Sql<'a>>),
    /// `sql\`…\`.as("alias")`.
    Aliased(Rc<(Rc<Sql<'a>>, Rc<str>)>),
    /// The column factory `customType({ dataType() {…} })` returns (and whether it is
    /// mysql-core's).
    CustomType(Rc<(Rc<Obj<'a>>, bool)>),
    /// `mysqlSchema(name)`: another database on the same server.
    MySchema(Rc<str>),
    /// The table factory `pgTableCreator(fn, casing)` returns (and whether it is
    /// mysql-core's).
    TableCreator(Rc<(Value<'a>, bool, Value<'a>)>),
    ViewBuilder(Rc<ViewBuilderV<'a>>),
    View(Rc<ViewV<'a>>),
    /// The query builder a view's `.as(qb => …)` receives, and the selects it builds.
    Query(Rc<QueryV<'a>>),
    /// Something drizzle-orm builds that no snapshot records (`relations(…)`).
    Ignored,
}

impl crate::js::HostValue for Dz<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Dz::Column(_) => "a column builder",
            Dz::TableCol(_) => "a column",
            Dz::Table(_) => "a table",
            Dz::Enum(_) => "an enum",
            Dz::Sql(_) | Dz::Aliased(_) => "an sql fragment",
            _ => "a drizzle object",
        }
    }

    fn is_callable(&self) -> bool {
        matches!(self, Dz::Enum(_))
    }

    fn to_js_string(&self) -> Option<String> {
        match self {
            Dz::Table(t) => Some(t.name.to_string()),
            _ => None,
        }
    }

    fn same(&self, other: &Self) -> Option<bool> {
        match (self, other) {
            (Dz::Table(x), Dz::Table(y)) => Some(x.id == y.id),
            (x, y) if std::mem::discriminant(x) != std::mem::discriminant(y) => Some(false),
            _ => None,
        }
    }
}

/// The SQL type a column builder produces.
#[derive(Clone)]
pub(super) enum ColType<'a> {
    /// drizzle-orm's `getSQLType()` text, e.g. `varchar(256)`, `timestamp (6)`.
    Sql(String),
    Enum(Rc<EnumV>),
    Array(Rc<ColumnB<'a>>, Option<f64>),
    Unknown(Rc<Why>),
}

/// Which builder class a column comes from, for the methods only some classes have and
/// the values drizzle-kit derives from the class.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Family {
    /// integer, smallint, bigint: identity columns.
    Int,
    /// timestamp, date, time: `defaultNow()`.
    Date,
    Uuid,
    Json,
    Other,
    /// mysql-core builders with `.autoincrement()` (the number types).
    MyAuto,
    /// mysql-core `timestamp`: `.defaultNow()` and `.onUpdateNow()`.
    MyTimestamp,
}

/// Sequence options as drizzle-kit's `stringFromIdentityProperty` turns them into text.
#[derive(Clone, Default, Debug)]
pub(super) struct SeqOpts {
    pub increment: Option<String>,
    pub min_value: Option<String>,
    pub max_value: Option<String>,
    pub start_with: Option<String>,
    pub cache: Option<String>,
    pub cycle: Option<bool>,
}

#[derive(Clone)]
pub(super) struct IdentityB {
    pub always: bool,
    pub name: Option<Rc<str>>,
    pub options: SeqOpts,
}

#[derive(Clone)]
pub(super) struct Reference<'a> {
    /// `() => users.id`
    pub target: Value<'a>,
    pub on_update: Option<Value<'a>>,
    pub on_delete: Option<Value<'a>>,
    /// pg-core 1.0: `.references(() => x.id, { name })`.
    pub name: Option<Value<'a>>,
    pub loc: Loc,
}

/// A column builder: `varchar("email", { length: 256 }).notNull()`.
#[derive(Clone)]
pub(super) struct ColumnB<'a> {
    pub ty: ColType<'a>,
    pub family: Family,
    /// drizzle-orm's `columnType` (`PgInteger`), which drizzle-kit uses for identity ranges.
    pub column_type: &'static str,
    /// `None` when declared without a name and not yet put in a table (drizzle-orm's
    /// `setName` then gives it the first table key it is put under).
    pub name: Option<Rc<str>>,
    /// Declared without a name: `casing` applies to it.
    pub key_as_name: bool,
    /// drizzle-orm's `config.uniqueName`: `.unique(name)`, or set to
    /// `<table>_<column>_unique` by the first table the builder is built into.
    pub unique_name: Option<Rc<str>>,
    pub not_null: bool,
    pub primary: bool,
    pub default: Option<Value<'a>>,
    pub unique: Option<(Option<Rc<str>>, bool)>,
    pub generated: Option<Value<'a>>,
    pub identity: Option<IdentityB>,
    pub references: Vec<Reference<'a>>,
    /// Attributes that could not be evaluated, with the reason.
    pub unknown: Vec<(&'static str, Rc<Why>)>,
    pub loc: Loc,
    /// mysql-core: `.autoincrement()` (and `serial`).
    pub autoincrement: bool,
    /// mysql-core 1.0 string columns: `.charSet(x)`, `.collate(x)`.
    pub charset: Option<Value<'a>>,
    pub collation: Option<Value<'a>>,
    /// mysql-core: `.onUpdateNow()`.
    pub on_update_now: bool,
    /// mysql-core 1.0: `.onUpdateNow({ fsp })`.
    pub on_update_fsp: Option<Value<'a>>,
    /// mysql-core: `generatedAlwaysAs(as, { mode })`, `virtual` unless given.
    pub generated_mode: Option<Rc<str>>,
    /// Keys put on the builder by `Object.assign(builder, { defaultNow() { … } })`: a
    /// method of that name is the assigned function, not drizzle-orm's.
    pub assigned: Vec<(Rc<str>, Value<'a>)>,
}

/// One column of a built table.
pub(super) struct TCol<'a> {
    pub key: Rc<str>,
    /// The builder's name, or the key when it had none.
    pub name: Rc<str>,
    pub key_as_name: bool,
    pub builder: Rc<ColumnB<'a>>,
    /// The property that put the column in the table.
    pub loc: Option<Loc>,
}

pub(super) struct TableV<'a> {
    /// Unique per evaluation, to tell tables apart.
    pub id: u32,
    pub name: Rc<str>,
    pub schema: Option<Rc<str>>,
    pub columns: Vec<TCol<'a>>,
    /// The third argument of `pgTable`.
    pub extra: Option<Value<'a>>,
    pub rls: Cell<bool>,
    /// The index options (`.desc()`, `.nullsFirst()`, `.op()`) each column of the table
    /// callback carries until an index builder takes and resets them, as drizzle-orm's
    /// `ExtraConfigColumn.indexConfig` does.
    pub index_options: RefCell<Vec<IndexOptions>>,
    pub loc: Loc,
    /// A mysql-core table.
    pub mysql: bool,
    /// Properties of the columns object that are not columns, or could not be evaluated.
    pub bad_columns: Vec<(Rc<str>, Rc<Why>)>,
    /// Spreads into the columns object that could not be evaluated.
    pub holes: Vec<Rc<Why>>,
}

impl<'a> TableV<'a> {
    pub fn column_index(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| &*c.key == key)
    }

    /// A property that is not one of the evaluated columns: unknown when it may be a column
    /// the reader could not evaluate, so nothing built from it is taken as known.
    pub fn not_a_column(&self, key: &str) -> Value<'a> {
        let bad = self.bad_columns.iter().find(|(k, _)| &**k == key);
        match bad.map(|(_, w)| w).or(self.holes.first()) {
            Some(w) => Value::Unknown(w.clone()),
            None => Value::Undefined,
        }
    }
}

/// Ordering options of a column in an index.
#[derive(Clone, Default, Debug)]
pub(super) struct IndexOptions {
    pub desc: bool,
    pub nulls_first: bool,
    pub opclass: Option<Rc<str>>,
}

/// A column of a table as seen by index and constraint builders: `t.email.desc()`.
#[derive(Clone)]
pub(super) struct TableCol<'a> {
    pub table: Rc<TableV<'a>>,
    pub index: usize,
    /// True for the columns the third `pgTable` argument receives (drizzle-orm's
    /// `ExtraConfigColumn`, which carries index ordering); false for `users.email`.
    pub extra: bool,
    pub desc: bool,
    pub nulls_first: bool,
    pub opclass: Option<Rc<str>>,
}

impl<'a> TableCol<'a> {
    pub fn col(&self) -> &TCol<'a> {
        &self.table.columns[self.index]
    }
}

pub(super) struct EnumV {
    pub name: Rc<str>,
    pub schema: Option<Rc<str>>,
    pub values: Vec<Rc<str>>,
    /// Built from a TS object (`pgEnum("x", MyEnum)`): drizzle-kit writes no typeSchema
    /// for its columns.
    pub from_object: bool,
    pub loc: Loc,
}

pub(super) struct SequenceV {
    pub name: Rc<str>,
    pub schema: Option<Rc<str>>,
    pub options: SeqOpts,
    pub loc: Loc,
}

pub(super) struct RoleV {
    pub name: Rc<str>,
    pub existing: bool,
    pub create_db: Option<bool>,
    pub create_role: Option<bool>,
    pub inherit: Option<bool>,
    pub loc: Loc,
}

pub(super) struct PolicyV<'a> {
    pub name: Rc<str>,
    pub as_: Option<Value<'a>>,
    pub for_: Option<Value<'a>>,
    pub to: Option<Value<'a>>,
    pub using: Option<Value<'a>>,
    pub with_check: Option<Value<'a>>,
    pub link: Option<Rc<TableV<'a>>>,
    pub loc: Loc,
}

pub(super) struct IndexOnV {
    pub unique: bool,
    pub name: Option<Rc<str>>,
    pub loc: Loc,
    pub mysql: bool,
}

#[derive(Clone)]
pub(super) enum IndexKeyV<'a> {
    Col(TableCol<'a>),
    Sql(Rc<Sql<'a>>),
    /// `.on(x)` with something that is neither: remembered to be reported.
    Unknown(Rc<Why>),
}

#[derive(Clone)]
pub(super) struct IndexV<'a> {
    pub unique: bool,
    pub name: Option<Rc<str>>,
    pub keys: Vec<IndexKeyV<'a>>,
    pub method: Value<'a>,
    pub concurrently: bool,
    pub with: Option<Value<'a>>,
    pub where_: Option<Value<'a>>,
    pub loc: Loc,
    pub mysql: bool,
}

pub(super) struct PkV<'a> {
    pub columns: Vec<Value<'a>>,
    pub name: Option<Value<'a>>,
    pub loc: Loc,
}

#[derive(Clone)]
pub(super) struct FkV<'a> {
    pub columns: Value<'a>,
    pub foreign: Value<'a>,
    pub name: Option<Value<'a>>,
    pub on_update: Option<Value<'a>>,
    pub on_delete: Option<Value<'a>>,
    pub loc: Loc,
}

#[derive(Clone)]
pub(super) struct UniqueV<'a> {
    pub name: Option<Rc<str>>,
    pub columns: Vec<Value<'a>>,
    pub nulls_not_distinct: bool,
    pub loc: Loc,
}

pub(super) struct CheckV<'a> {
    pub name: Value<'a>,
    pub value: Value<'a>,
    pub loc: Loc,
}

/// One piece of an `sql` template.
#[derive(Clone)]
pub(super) enum Chunk<'a> {
    Text(Rc<str>),
    /// `sql.identifier(name)`.
    Ident(Rc<str>),
    /// A value bound to a column by an operator (`eq(users.id, 1)`): encoded like the
    /// column encodes it.
    Param(Value<'a>, Option<Rc<ColumnB<'a>>>),
    Value(Value<'a>),
}

#[derive(Clone, Default)]
pub(super) struct Sql<'a> {
    pub chunks: Vec<Chunk<'a>>,
    pub inline: bool,
}

#[derive(Clone)]
pub(super) struct ViewBuilderV<'a> {
    pub name: Rc<str>,
    pub schema: Option<Rc<str>>,
    pub materialized: bool,
    /// The explicit column object of `pgView(name, columns)`.
    pub columns: Option<Value<'a>>,
    pub loc: Loc,
    pub mysql: bool,
}

pub(super) struct ViewV<'a> {
    pub name: Rc<str>,
    pub schema: Option<Rc<str>>,
    pub materialized: bool,
    pub existing: bool,
    /// The SQL of the view's query, rendered, or why it could not be.
    pub definition: Result<String, Rc<Why>>,
    /// Selected fields, for `view.column` references from other views.
    pub fields: Vec<(Rc<str>, Value<'a>)>,
    pub loc: Loc,
    pub mysql: bool,
}

/// A select being built by a view's query builder.
#[derive(Clone, Default)]
pub(super) struct QueryV<'a> {
    pub started: bool,
    pub distinct: bool,
    pub fields: Option<Vec<(Rc<str>, Value<'a>)>>,
    pub from: Option<Value<'a>>,
    pub joins: Vec<(&'static str, Value<'a>, Option<Value<'a>>)>,
    pub where_: Option<Value<'a>>,
    pub group_by: Vec<Value<'a>>,
    pub having: Option<Value<'a>>,
    pub order_by: Vec<Value<'a>>,
    pub limit: Option<Value<'a>>,
    pub offset: Option<Value<'a>>,
}
