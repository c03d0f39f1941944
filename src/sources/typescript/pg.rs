//! drizzle-orm's pg-core (and the parts of `drizzle-orm` schemas use) as the evaluator sees
//! them: what each builder function returns and what each method changes, mirroring
//! drizzle-orm 0.45.

use super::eval::Evaluator;
use super::sql;
use super::value::{
    js_string, ColType, ColumnB, Dz, EnumV, Family, FkV, IndexOnV, IndexOptions, Loc, Obj, PkV,
    PolicyV, RoleV, SeqOpts, SequenceV, TCol, TableCol, TableV, Value, ViewBuilderV, Why,
};
use crate::config::Casing;
use crate::js::ImportName;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// The pg-core exports the reader knows, by their canonical builtin name.
fn pg_export(name: &str) -> Option<&'static str> {
    Some(match name {
        "pgTable" => "pg.pgTable",
        "pgTableCreator" => "pg.pgTableCreator",
        "pgSchema" => "pg.pgSchema",
        "pgEnum" => "pg.pgEnum",
        "pgSequence" => "pg.pgSequence",
        "pgView" => "pg.pgView",
        "pgMaterializedView" => "pg.pgMaterializedView",
        "pgRole" => "pg.pgRole",
        "pgPolicy" => "pg.pgPolicy",
        "index" => "pg.index",
        "uniqueIndex" => "pg.uniqueIndex",
        "primaryKey" => "pg.primaryKey",
        "foreignKey" => "pg.foreignKey",
        "unique" => "pg.unique",
        "check" => "pg.check",
        "customType" => "pg.customType",
        "getTableConfig" => "pg.getTableConfig",
        "bigint" => "pg.bigint",
        "bigserial" => "pg.bigserial",
        "boolean" => "pg.boolean",
        "char" => "pg.char",
        "cidr" => "pg.cidr",
        "bytea" => "pg.bytea",
        "date" => "pg.date",
        "doublePrecision" => "pg.doublePrecision",
        "inet" => "pg.inet",
        "integer" => "pg.integer",
        "interval" => "pg.interval",
        "json" => "pg.json",
        "jsonb" => "pg.jsonb",
        "line" => "pg.line",
        "macaddr" => "pg.macaddr",
        "macaddr8" => "pg.macaddr8",
        "numeric" => "pg.numeric",
        "decimal" => "pg.numeric",
        "point" => "pg.point",
        "geometry" => "pg.geometry",
        "real" => "pg.real",
        "serial" => "pg.serial",
        "smallint" => "pg.smallint",
        "smallserial" => "pg.smallserial",
        "text" => "pg.text",
        "time" => "pg.time",
        "timestamp" => "pg.timestamp",
        "uuid" => "pg.uuid",
        "varchar" => "pg.varchar",
        "bit" => "pg.bit",
        "halfvec" => "pg.halfvec",
        "sparsevec" => "pg.sparsevec",
        "vector" => "pg.vector",
        _ => return None,
    })
}

/// Finds a package export's canonical builtin name.
type Lookup = fn(&str) -> Option<&'static str>;

/// The column builders `pgTable(name, (t) => ({...}))` hands its callback.
const COLUMN_BUILDERS: &[&str] = &[
    "bigint",
    "bigserial",
    "boolean",
    "char",
    "cidr",
    "bytea",
    "customType",
    "date",
    "doublePrecision",
    "inet",
    "integer",
    "interval",
    "json",
    "jsonb",
    "line",
    "macaddr",
    "macaddr8",
    "numeric",
    "point",
    "geometry",
    "real",
    "serial",
    "smallint",
    "smallserial",
    "text",
    "time",
    "timestamp",
    "uuid",
    "varchar",
    "bit",
    "halfvec",
    "sparsevec",
    "vector",
];

/// The `drizzle-orm` exports the reader knows.
fn orm_export(name: &str) -> Option<&'static str> {
    Some(match name {
        "sql" => "orm.sql",
        "relations" => "orm.relations",
        "defineRelations" => "orm.relations",
        "eq" => "orm.eq",
        "ne" => "orm.ne",
        "gt" => "orm.gt",
        "gte" => "orm.gte",
        "lt" => "orm.lt",
        "lte" => "orm.lte",
        "and" => "orm.and",
        "or" => "orm.or",
        "not" => "orm.not",
        "isNull" => "orm.isNull",
        "isNotNull" => "orm.isNotNull",
        "inArray" => "orm.inArray",
        "notInArray" => "orm.notInArray",
        "like" => "orm.like",
        "notLike" => "orm.notLike",
        "ilike" => "orm.ilike",
        "notIlike" => "orm.notIlike",
        "between" => "orm.between",
        "notBetween" => "orm.notBetween",
        "exists" => "orm.exists",
        "notExists" => "orm.notExists",
        "asc" => "orm.asc",
        "desc" => "orm.desc",
        "count" => "orm.count",
        "countDistinct" => "orm.countDistinct",
        "sum" => "orm.sum",
        "sumDistinct" => "orm.sumDistinct",
        "avg" => "orm.avg",
        "avgDistinct" => "orm.avgDistinct",
        "max" => "orm.max",
        "min" => "orm.min",
        "getTableColumns" => "orm.getTableColumns",
        "getTableName" => "orm.getTableName",
        _ => return None,
    })
}

/// A value from a package the reader does not read (the message the reader also treats
/// as "not a schema object" for validation libraries).
pub(super) fn not_read<'a>(package: &str, at: Option<Loc>) -> Value<'a> {
    Value::unknown(
        format!("is imported from the package {package:?}, which drizzle-drift does not read"),
        at,
    )
}

/// What an import from a package is.
pub(super) fn package_value<'a>(package: &str, name: ImportName<'_>, at: Option<Loc>) -> Value<'a> {
    let named = match name {
        ImportName::Named(n) => Some(n),
        ImportName::Namespace | ImportName::Default => None,
    };
    if super::ramda::is_ramda(package) {
        return super::ramda::import(named, at);
    }
    if super::zod::is_zod(package) {
        return super::zod::import(named, at);
    }
    let lookup: Lookup = match package {
        "drizzle-orm/pg-core" => pg_export,
        "drizzle-orm/mysql-core" => super::mysql::export,
        "drizzle-orm" | "drizzle-orm/sql" | "drizzle-orm/sql/expressions" => orm_export,
        _ => return not_read(package, at),
    };
    match name {
        ImportName::Named(n) => match lookup(n) {
            Some(b) => Value::Builtin(b),
            None => Value::unknown(
                format!("`{n}` from {package} is not supported by drizzle-drift"),
                at,
            ),
        },
        ImportName::Namespace | ImportName::Default => Value::Builtin(match package {
            "drizzle-orm/pg-core" => "pkg.pg",
            "drizzle-orm/mysql-core" => "pkg.my",
            _ => "pkg.orm",
        }),
    }
}

/// `builtin.key`: namespace members, `sql.raw`…
pub(super) fn builtin_member<'a>(builtin: &'static str, key: &str, at: Option<Loc>) -> Value<'a> {
    if builtin == "zod.z" {
        return super::zod::member(at);
    }
    if builtin == "ramda.R" {
        return super::ramda::member(key, at);
    }
    let found = match builtin {
        "pkg.pg" => pg_export(key),
        "pkg.my" => super::mysql::export(key),
        "pkg.orm" => orm_export(key),
        _ => None,
    };
    match found {
        Some(b) => Value::Builtin(b),
        None if builtin.starts_with("pkg.") => Value::unknown(
            format!("`{key}` from drizzle-orm is not supported by drizzle-drift"),
            at,
        ),
        None => Value::Bound(Rc::new((Value::Builtin(builtin), Rc::from(key)))),
    }
}

pub(super) fn why(message: impl Into<String>, loc: Option<Loc>) -> Rc<Why> {
    Rc::new(Why::new(message.into(), loc))
}

pub(super) fn arg<'a>(args: &[Value<'a>], i: usize) -> Value<'a> {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

/// `config.key` for an options object: `undefined` when the object is absent.
pub(super) fn opt<'a>(config: &Value<'a>, key: &str) -> Result<Value<'a>, Rc<Why>> {
    match config {
        Value::Object(o) => match o.get(key) {
            Some(v) => match v {
                Value::Unknown(w) => Err(w.clone()),
                other => Ok(other.clone()),
            },
            None => match o.holes.first() {
                Some(h) => Err(h.clone()),
                None => Ok(Value::Undefined),
            },
        },
        Value::Unknown(w) => Err(w.clone()),
        _ => Ok(Value::Undefined),
    }
}

/// `${value}` in a template.
fn interp(v: &Value<'_>, what: &str, loc: Loc) -> Result<String, Rc<Why>> {
    match v {
        Value::Unknown(w) => Err(w.clone()),
        other => {
            js_string(other).ok_or_else(|| why(format!("{what} is {}", other.kind()), Some(loc)))
        }
    }
}

/// drizzle-orm's `getColumnNameAndConfig(a, b)`.
fn name_and_config<'a>(args: &[Value<'a>]) -> Result<(Option<Rc<str>>, Value<'a>), Rc<Why>> {
    let a = arg(args, 0);
    match a {
        Value::Unknown(w) => Err(w),
        Value::Str(s) => Ok(((!s.is_empty()).then_some(s), arg(args, 1))),
        Value::Object(_) | Value::Null | Value::Array(_) => Ok((None, a)),
        _ => Ok((None, arg(args, 1))),
    }
}

/// A builder that takes only a name: `integer(name)`.
fn name_only<'a>(args: &[Value<'a>]) -> Result<Option<Rc<str>>, Rc<Why>> {
    match arg(args, 0) {
        Value::Unknown(w) => Err(w),
        Value::Str(s) => Ok((!s.is_empty()).then_some(s)),
        Value::Undefined | Value::Null => Ok(None),
        other => Err(why(format!("names a column with {}", other.kind()), None)),
    }
}

pub(super) fn new_column<'a>(
    ty: ColType<'a>,
    family: Family,
    column_type: &'static str,
    name: Option<Rc<str>>,
    loc: Loc,
) -> ColumnB<'a> {
    ColumnB {
        ty,
        family,
        column_type,
        key_as_name: name.is_none(),
        unique_name: None,
        name,
        not_null: false,
        primary: false,
        default: None,
        unique: None,
        generated: None,
        identity: None,
        references: Vec::new(),
        unknown: Vec::new(),
        loc,
        autoincrement: false,
        charset: None,
        collation: None,
        on_update_now: false,
        on_update_fsp: None,
        generated_mode: None,
        assigned: Vec::new(),
    }
}

/// A pg-core column builder call: `varchar("email", { length: 256 })`.
fn column_builder<'a>(
    ev: &mut Evaluator<'a, '_>,
    kind: &str,
    args: &[Value<'a>],
    loc: Loc,
) -> Value<'a> {
    match column_builder_inner(ev, kind, args, loc) {
        Ok(c) => Value::Host(Dz::Column(Rc::new(RefCell::new(c)))),
        Err(w) => Value::Unknown(w),
    }
}

fn column_builder_inner<'a>(
    _ev: &mut Evaluator<'a, '_>,
    kind: &str,
    args: &[Value<'a>],
    loc: Loc,
) -> Result<ColumnB<'a>, Rc<Why>> {
    let simple =
        |sql: &str, family: Family, column_type: &'static str| -> Result<ColumnB<'a>, Rc<Why>> {
            Ok(new_column(
                ColType::Sql(sql.to_string()),
                family,
                column_type,
                name_only(args)?,
                loc,
            ))
        };
    let serial = |sql: &str, column_type: &'static str, name: Option<Rc<str>>| {
        let mut c = new_column(
            ColType::Sql(sql.to_string()),
            Family::Other,
            column_type,
            name,
            loc,
        );
        c.not_null = true;
        c
    };
    match kind {
        "integer" => simple("integer", Family::Int, "PgInteger"),
        "smallint" => simple("smallint", Family::Int, "PgSmallInt"),
        "serial" => Ok(serial("serial", "PgSerial", name_only(args)?)),
        "smallserial" => Ok(serial("smallserial", "PgSmallSerial", name_only(args)?)),
        "bigint" => {
            let (name, config) = name_and_config(args)?;
            let number = matches!(opt(&config, "mode")?, Value::Str(m) if &*m == "number");
            let ct = if number { "PgBigInt53" } else { "PgBigInt64" };
            Ok(new_column(
                ColType::Sql("bigint".into()),
                Family::Int,
                ct,
                name,
                loc,
            ))
        }
        "bigserial" => {
            let (name, config) = name_and_config(args)?;
            let number = matches!(opt(&config, "mode")?, Value::Str(m) if &*m == "number");
            // drizzle-orm's bigint-mode bigserial builder sets no `notNull` (the number
            // mode one does), so the snapshot says nullable.
            if number {
                Ok(serial("bigserial", "PgBigSerial53", name))
            } else {
                Ok(new_column(
                    ColType::Sql("bigserial".into()),
                    Family::Other,
                    "PgBigSerial64",
                    name,
                    loc,
                ))
            }
        }
        "boolean" => simple("boolean", Family::Other, "PgBoolean"),
        "cidr" => simple("cidr", Family::Other, "PgCidr"),
        "inet" => simple("inet", Family::Other, "PgInet"),
        // drizzle-orm 1.0 (0.x has no `bytea`: a project on 0.x gets an import error).
        "bytea" => simple("bytea", Family::Other, "PgBytea"),
        "macaddr" => simple("macaddr", Family::Other, "PgMacaddr"),
        "macaddr8" => simple("macaddr8", Family::Other, "PgMacaddr8"),
        "uuid" => simple("uuid", Family::Uuid, "PgUUID"),
        "json" => simple("json", Family::Json, "PgJson"),
        "jsonb" => simple("jsonb", Family::Json, "PgJsonb"),
        "real" => simple("real", Family::Other, "PgReal"),
        "doublePrecision" => simple("double precision", Family::Other, "PgDoublePrecision"),
        "text" => {
            let (name, _) = name_and_config(args)?;
            Ok(new_column(
                ColType::Sql("text".into()),
                Family::Other,
                "PgText",
                name,
                loc,
            ))
        }
        "varchar" | "char" => {
            let (name, config) = name_and_config(args)?;
            let length = opt(&config, "length")?;
            let base = kind;
            let ty = match length {
                Value::Undefined => base.to_string(),
                other => format!("{base}({})", interp(&other, "the length", loc)?),
            };
            let ct = if kind == "varchar" {
                "PgVarchar"
            } else {
                "PgChar"
            };
            Ok(new_column(ColType::Sql(ty), Family::Other, ct, name, loc))
        }
        "numeric" => {
            let (name, config) = name_and_config(args)?;
            let precision = opt(&config, "precision")?;
            let scale = opt(&config, "scale")?;
            let ty = match (&precision, &scale) {
                (Value::Undefined, _) => "numeric".to_string(),
                (p, Value::Undefined) => format!("numeric({})", interp(p, "the precision", loc)?),
                (p, s) => format!(
                    "numeric({}, {})",
                    interp(p, "the precision", loc)?,
                    interp(s, "the scale", loc)?
                ),
            };
            Ok(new_column(
                ColType::Sql(ty),
                Family::Other,
                "PgNumeric",
                name,
                loc,
            ))
        }
        "timestamp" => {
            let (name, config) = name_and_config(args)?;
            let string_mode = matches!(opt(&config, "mode")?, Value::Str(m) if &*m == "string");
            let precision = opt(&config, "precision")?;
            let tz = opt(&config, "withTimezone")?.truthy().unwrap_or(false);
            let p = match precision {
                Value::Undefined => String::new(),
                other if string_mode => format!("({})", interp(&other, "the precision", loc)?),
                other => format!(" ({})", interp(&other, "the precision", loc)?),
            };
            let ty = format!("timestamp{p}{}", if tz { " with time zone" } else { "" });
            let ct = if string_mode {
                "PgTimestampString"
            } else {
                "PgTimestamp"
            };
            Ok(new_column(ColType::Sql(ty), Family::Date, ct, name, loc))
        }
        "time" => {
            let (name, config) = name_and_config(args)?;
            let precision = opt(&config, "precision")?;
            let tz = opt(&config, "withTimezone")?.truthy().unwrap_or(false);
            let p = match precision {
                Value::Undefined => String::new(),
                other => format!("({})", interp(&other, "the precision", loc)?),
            };
            let ty = format!("time{p}{}", if tz { " with time zone" } else { "" });
            Ok(new_column(
                ColType::Sql(ty),
                Family::Date,
                "PgTime",
                name,
                loc,
            ))
        }
        "date" => {
            let (name, config) = name_and_config(args)?;
            let date_mode = matches!(opt(&config, "mode")?, Value::Str(m) if &*m == "date");
            let ct = if date_mode { "PgDate" } else { "PgDateString" };
            Ok(new_column(
                ColType::Sql("date".into()),
                Family::Date,
                ct,
                name,
                loc,
            ))
        }
        "interval" => {
            let (name, config) = name_and_config(args)?;
            let fields = opt(&config, "fields")?;
            let precision = opt(&config, "precision")?;
            let mut ty = "interval".to_string();
            if fields.truthy().unwrap_or(false) {
                ty.push(' ');
                ty.push_str(&interp(&fields, "the fields", loc)?);
            }
            if precision.truthy().unwrap_or(false) {
                ty.push_str(&format!("({})", interp(&precision, "the precision", loc)?));
            }
            Ok(new_column(
                ColType::Sql(ty),
                Family::Other,
                "PgInterval",
                name,
                loc,
            ))
        }
        "point" | "line" => {
            let (name, _) = name_and_config(args)?;
            Ok(new_column(
                ColType::Sql(kind.into()),
                Family::Other,
                "PgPointTuple",
                name,
                loc,
            ))
        }
        "geometry" => {
            let (name, _) = name_and_config(args)?;
            Ok(new_column(
                ColType::Sql("geometry(point)".into()),
                Family::Other,
                "PgGeometry",
                name,
                loc,
            ))
        }
        "bit" | "halfvec" | "sparsevec" | "vector" => {
            let (name, config) = name_and_config(args)?;
            if config.is_nullish() {
                return Err(why(format!("{kind}() needs {{ dimensions }}"), Some(loc)));
            }
            let dims = opt(&config, "dimensions")?;
            let ty = format!("{kind}({})", interp(&dims, "the dimensions", loc)?);
            let ct = match kind {
                "bit" => "PgBinaryVector",
                "halfvec" => "PgHalfVector",
                "sparsevec" => "PgSparseVector",
                _ => "PgVector",
            };
            Ok(new_column(ColType::Sql(ty), Family::Other, ct, name, loc))
        }
        other => Err(why(
            format!("{other}() is not a pg-core column builder"),
            Some(loc),
        )),
    }
}

/// Calls a builtin function.
pub(super) fn call_builtin<'a>(
    ev: &mut Evaluator<'a, '_>,
    name: &'static str,
    args: Vec<Value<'a>>,
    loc: Loc,
) -> Value<'a> {
    let loc = ev.here(loc);
    let at = Some(loc);
    if let Some(v) = super::ramda::call_builtin(name, &args, at) {
        return v;
    }
    if name.starts_with("my.") {
        return super::mysql::call_builtin(ev, name, args, loc);
    }
    if let Some(kind) = name.strip_prefix("pg.") {
        if COLUMN_BUILDERS.contains(&kind) && kind != "customType" {
            return column_builder(ev, kind, &args, loc);
        }
    }
    match name {
        "pg.pgTable" => table(ev, &args, None, false, loc),
        "pg.pgTableCreator" => Value::Host(Dz::TableCreator(Rc::new((
            arg(&args, 0),
            false,
            arg(&args, 1),
        )))),
        "pg.pgSchema" => match arg(&args, 0) {
            Value::Str(s) if &*s == "public" => {
                Value::unknown("pgSchema(\"public\") throws: public tables use pgTable", at)
            }
            Value::Str(s) => Value::Host(Dz::PgSchema(s)),
            other => Value::unknown(format!("names a schema with {}", other.kind()), at),
        },
        "pg.pgEnum" => pg_enum(ev, &args, None, loc),
        "pg.pgSequence" => sequence(ev, &args, None, loc),
        "pg.pgView" | "pg.pgMaterializedView" => {
            view_builder(ev, &args, None, name == "pg.pgMaterializedView", false, loc)
        }
        "pg.pgRole" => match arg(&args, 0) {
            Value::Str(n) => {
                let config = arg(&args, 1);
                let flag = |k: &str| match opt(&config, k) {
                    Ok(Value::Bool(b)) => Ok(Some(b)),
                    Ok(Value::Undefined) => Ok(None),
                    Ok(other) => Ok(other.truthy()),
                    Err(w) => Err(w),
                };
                match (flag("createDb"), flag("createRole"), flag("inherit")) {
                    (Ok(create_db), Ok(create_role), Ok(inherit)) => {
                        Value::Host(Dz::Role(Rc::new(RoleV {
                            name: n,
                            existing: false,
                            create_db,
                            create_role,
                            inherit,
                            loc: ev.site(loc),
                        })))
                    }
                    (Err(w), _, _) | (_, Err(w), _) | (_, _, Err(w)) => Value::Unknown(w),
                }
            }
            other => Value::unknown(format!("names a role with {}", other.kind()), at),
        },
        "pg.pgPolicy" => match arg(&args, 0) {
            Value::Str(n) => {
                let config = arg(&args, 1);
                let field = |k: &str| match opt(&config, k) {
                    Ok(Value::Undefined) => None,
                    Ok(v) => Some(v),
                    Err(w) => Some(Value::Unknown(w)),
                };
                Value::Host(Dz::Policy(Rc::new(PolicyV {
                    name: n,
                    as_: field("as"),
                    for_: field("for"),
                    to: field("to"),
                    using: field("using"),
                    with_check: field("withCheck"),
                    link: None,
                    loc,
                })))
            }
            other => Value::unknown(format!("names a policy with {}", other.kind()), at),
        },
        "pg.index" | "pg.uniqueIndex" => match arg(&args, 0) {
            Value::Str(n) => Value::Host(Dz::IndexOn(Rc::new(IndexOnV {
                unique: name == "pg.uniqueIndex",
                name: Some(n),
                loc,
                mysql: false,
            }))),
            Value::Undefined => Value::Host(Dz::IndexOn(Rc::new(IndexOnV {
                unique: name == "pg.uniqueIndex",
                name: None,
                loc,
                mysql: false,
            }))),
            other => Value::unknown(format!("names an index with {}", other.kind()), at),
        },
        "pg.primaryKey" => {
            let first = arg(&args, 0);
            match &first {
                Value::Object(o) if o.get("columns").is_some_and(|c| c.truthy() == Some(true)) => {
                    let columns = match o.get("columns") {
                        Some(Value::Array(items)) => items.to_vec(),
                        Some(Value::Unknown(w)) => return Value::Unknown(w.clone()),
                        _ => return Value::unknown("primaryKey({ columns }) is not an array", at),
                    };
                    let name = o
                        .get("name")
                        .filter(|v| !matches!(v, Value::Undefined))
                        .cloned();
                    Value::Host(Dz::PrimaryKey(Rc::new(PkV { columns, name, loc })))
                }
                _ => Value::Host(Dz::PrimaryKey(Rc::new(PkV {
                    columns: args,
                    name: None,
                    loc,
                }))),
            }
        }
        "pg.foreignKey" => {
            let config = arg(&args, 0);
            let get = |k: &str| opt(&config, k).unwrap_or_else(Value::Unknown);
            let name = match get("name") {
                Value::Undefined => None,
                other => Some(other),
            };
            Value::Host(Dz::ForeignKey(Rc::new(FkV {
                columns: get("columns"),
                foreign: get("foreignColumns"),
                name,
                on_update: None,
                on_delete: None,
                loc,
            })))
        }
        "pg.unique" => match arg(&args, 0) {
            Value::Str(n) => Value::Host(Dz::UniqueOn(Some(n))),
            Value::Undefined => Value::Host(Dz::UniqueOn(None)),
            other => Value::unknown(
                format!("names a unique constraint with {}", other.kind()),
                at,
            ),
        },
        "pg.check" => Value::Host(Dz::Check(Rc::new(super::value::CheckV {
            name: arg(&args, 0),
            value: arg(&args, 1),
            loc,
        }))),
        "pg.customType" => match arg(&args, 0) {
            Value::Object(o) => Value::Host(Dz::CustomType(Rc::new((o, false)))),
            other => Value::unknown(format!("customType() of {}", other.kind()), at),
        },
        "orm.relations" => Value::Host(Dz::Ignored),
        "orm.getTableColumns" => match arg(&args, 0) {
            Value::Host(Dz::Table(t)) => {
                let mut out = Obj::default();
                for (i, c) in t.columns.iter().enumerate() {
                    out.set(
                        c.key.clone(),
                        Value::Host(Dz::TableCol(Rc::new(TableCol {
                            table: t.clone(),
                            index: i,
                            extra: false,
                            desc: false,
                            nulls_first: false,
                            opclass: None,
                        }))),
                        c.loc,
                    );
                }
                Value::Object(Rc::new(out))
            }
            other => Value::unknown(format!("getTableColumns() of {}", other.kind()), at),
        },
        "orm.getTableName" => match arg(&args, 0) {
            Value::Host(Dz::Table(t)) => Value::Str(t.name.clone()),
            other => Value::unknown(format!("getTableName() of {}", other.kind()), at),
        },
        other if other.starts_with("orm.") => sql::call_orm(other, args, at),
        other => Value::unknown(
            format!("calls {other}, which drizzle-drift does not evaluate"),
            at,
        ),
    }
}

/// `builtin.method(...)`: `sql.raw(...)` and friends.
pub(super) fn builtin_method<'a>(
    _ev: &mut Evaluator<'a, '_>,
    builtin: &'static str,
    name: &str,
    args: Vec<Value<'a>>,
    loc: Loc,
) -> Value<'a> {
    if builtin == "orm.sql" {
        return sql::sql_static(name, args, Some(loc));
    }
    if builtin == "zod.z" {
        return super::zod::method(name, &args, Some(loc));
    }
    if builtin == "ramda.R" {
        return super::ramda::method(name, &args, Some(loc));
    }
    Value::unknown(format!("calls {builtin}.{name}()"), Some(loc))
}

/// Calls a drizzle object that is a function: an enum, a custom type, a table creator.
pub(super) fn call_value<'a>(
    ev: &mut Evaluator<'a, '_>,
    f: Value<'a>,
    args: Vec<Value<'a>>,
    loc: Loc,
) -> Value<'a> {
    let loc = ev.here(loc);
    let at = Some(loc);
    match f {
        Value::Host(Dz::Enum(e)) => match name_only(&args) {
            Ok(name) => Value::Host(Dz::Column(Rc::new(RefCell::new(new_column(
                ColType::Enum(e.clone()),
                Family::Other,
                if e.from_object {
                    "PgEnumObjectColumn"
                } else {
                    "PgEnumColumn"
                },
                name,
                loc,
            ))))),
            Err(w) => Value::Unknown(w),
        },
        Value::Host(Dz::CustomType(custom)) => {
            let (params, mysql) = (custom.0.clone(), custom.1);
            let (name, config) = match name_and_config(&args) {
                Ok(x) => x,
                Err(w) => return Value::Unknown(w),
            };
            let ty = match params.get("dataType") {
                Some(f) => {
                    let f = f.clone();
                    match ev.call(f, vec![config], loc) {
                        Value::Str(s) => ColType::Sql(s.to_string()),
                        Value::Unknown(w) => ColType::Unknown(w),
                        other => ColType::Unknown(why(
                            format!("the custom type's dataType() returns {}", other.kind()),
                            at,
                        )),
                    }
                }
                None => ColType::Unknown(why("the custom type has no dataType()", at)),
            };
            let ct = if mysql {
                "MySqlCustomColumn"
            } else {
                "PgCustomColumn"
            };
            Value::Host(Dz::Column(Rc::new(RefCell::new(new_column(
                ty,
                Family::Other,
                ct,
                name,
                loc,
            )))))
        }
        Value::Host(Dz::TableCreator(creator)) => {
            let (f, mysql) = (creator.0.clone(), creator.1);
            // drizzle-orm 1.0's second argument: the casing of the columns declared
            // without a name (0.x has none).
            let casing = match &creator.2 {
                _ if !super::sql::orm_v1() => None,
                Value::Str(s) if &**s == "snake_case" => Some(Casing::SnakeCase),
                Value::Str(s) if &**s == "camelCase" => Some(Casing::CamelCase),
                Value::Unknown(w) => return Value::Unknown(w.clone()),
                _ => None,
            };
            let base = arg(&args, 0);
            let full = ev.call(f, vec![base], loc);
            match full {
                Value::Str(s) => {
                    let mut rest = args;
                    if !rest.is_empty() {
                        rest[0] = Value::Str(s);
                    }
                    table_cased(ev, &rest, None, mysql, casing, loc)
                }
                Value::Unknown(w) => Value::Unknown(w),
                other => Value::unknown(
                    format!("the table name function returns {}", other.kind()),
                    at,
                ),
            }
        }
        other => Value::unknown(format!("calls {}", other.kind()), at),
    }
}

pub(super) fn pg_enum<'a>(
    ev: &mut Evaluator<'a, '_>,
    args: &[Value<'a>],
    schema: Option<Rc<str>>,
    loc: Loc,
) -> Value<'a> {
    let at = Some(loc);
    let Value::Str(name) = arg(args, 0) else {
        return Value::unknown("names an enum with something that is not a string", at);
    };
    let (items, from_object) = match arg(args, 1) {
        Value::Array(items) => (items.to_vec(), false),
        Value::Object(o) => {
            if let Some(h) = o.holes.first() {
                return Value::Unknown(h.clone());
            }
            (
                super::value::ordered_props(&o)
                    .into_iter()
                    .map(|(_, v, _)| v.clone())
                    .collect(),
                true,
            )
        }
        Value::Unknown(w) => return enum_values_unknown(&name, &w),
        other => return Value::unknown(format!("gives an enum {} as values", other.kind()), at),
    };
    let mut values = Vec::new();
    for item in items {
        match &item {
            Value::Unknown(w) => return enum_values_unknown(&name, w),
            other => match js_string(other) {
                Some(s) => values.push(Rc::from(s)),
                None => {
                    return Value::unknown(format!("has {} as an enum value", other.kind()), at)
                }
            },
        }
    }
    Value::Host(Dz::Enum(Rc::new(EnumV {
        name,
        schema,
        values,
        from_object,
        loc: ev.site(loc),
    })))
}

/// An enum whose values could not be evaluated is still a schema object: its export must
/// not read as a validation library's value (which the reader leaves out quietly).
fn enum_values_unknown<'a>(name: &str, why: &Why) -> Value<'a> {
    Value::unknown(format!("enum {name:?} values: {}", why.message), why.loc)
}

/// drizzle-kit's `stringFromIdentityProperty` over an options object.
pub(super) fn seq_opts(options: &Value<'_>) -> Result<SeqOpts, Rc<Why>> {
    let text = |k: &str| -> Result<Option<String>, Rc<Why>> {
        match opt(options, k)? {
            Value::Undefined => Ok(None),
            Value::Str(s) => Ok(Some(s.to_string())),
            other => Ok(js_string(&other)),
        }
    };
    Ok(SeqOpts {
        increment: text("increment")?,
        min_value: text("minValue")?,
        max_value: text("maxValue")?,
        start_with: text("startWith")?,
        cache: text("cache")?,
        cycle: match opt(options, "cycle")? {
            Value::Undefined | Value::Null => None,
            other => other.truthy(),
        },
    })
}

pub(super) fn sequence<'a>(
    ev: &mut Evaluator<'a, '_>,
    args: &[Value<'a>],
    schema: Option<Rc<str>>,
    loc: Loc,
) -> Value<'a> {
    let Value::Str(name) = arg(args, 0) else {
        return Value::unknown(
            "names a sequence with something that is not a string",
            Some(loc),
        );
    };
    match seq_opts(&arg(args, 1)) {
        Ok(options) => Value::Host(Dz::Sequence(Rc::new(SequenceV {
            name,
            schema,
            options,
            loc: ev.site(loc),
        }))),
        Err(w) => Value::Unknown(w),
    }
}

pub(super) fn view_builder<'a>(
    ev: &mut Evaluator<'a, '_>,
    args: &[Value<'a>],
    schema: Option<Rc<str>>,
    materialized: bool,
    mysql: bool,
    loc: Loc,
) -> Value<'a> {
    let Value::Str(name) = arg(args, 0) else {
        return Value::unknown(
            "names a view with something that is not a string",
            Some(loc),
        );
    };
    let columns = match arg(args, 1) {
        Value::Undefined => None,
        other => Some(other),
    };
    Value::Host(Dz::ViewBuilder(Rc::new(ViewBuilderV {
        name,
        schema,
        materialized,
        columns,
        loc: ev.site(loc),
        mysql,
    })))
}

/// `pgTable(name, columns, extraConfig)` (and `schema.table`, table creators, and the
/// mysql-core equivalents).
pub(super) fn table<'a>(
    ev: &mut Evaluator<'a, '_>,
    args: &[Value<'a>],
    schema: Option<Rc<str>>,
    mysql: bool,
    loc: Loc,
) -> Value<'a> {
    table_cased(ev, args, schema, mysql, None, loc)
}

/// [`table`] whose columns declared without a name take `casing` (a table creator's).
fn table_cased<'a>(
    ev: &mut Evaluator<'a, '_>,
    args: &[Value<'a>],
    schema: Option<Rc<str>>,
    mysql: bool,
    casing: Option<Casing>,
    loc: Loc,
) -> Value<'a> {
    let at = Some(loc);
    let name = match arg(args, 0) {
        Value::Str(s) => s,
        Value::Unknown(w) => return Value::Unknown(w),
        other => return Value::unknown(format!("names a table with {}", other.kind()), at),
    };
    let columns = match arg(args, 1) {
        f @ (Value::Func(_) | Value::Bound(_)) => {
            let mut builders = Obj::default();
            let (list, lookup): (&[&str], Lookup) = if mysql {
                (super::mysql::COLUMN_BUILDERS, super::mysql::export)
            } else {
                (COLUMN_BUILDERS, pg_export)
            };
            for b in list {
                if let Some(canonical) = lookup(b) {
                    builders.set(Rc::from(*b), Value::Builtin(canonical), None);
                }
            }
            ev.call(f, vec![Value::Object(Rc::new(builders))], loc)
        }
        other => other,
    };
    let obj = match columns {
        Value::Object(o) => o,
        Value::Unknown(w) => {
            return Value::unknown(
                format!(
                    "the columns of table {name} could not be evaluated: {}",
                    w.message
                ),
                w.loc.or(at),
            )
        }
        other => {
            return Value::unknown(
                format!("gives table {name} {} as columns", other.kind()),
                at,
            )
        }
    };
    let mut cols = Vec::new();
    let mut bad: Vec<(Rc<str>, Rc<Why>)> = Vec::new();
    for (key, value, prop_loc) in super::value::ordered_props(&obj) {
        match value {
            Value::Host(Dz::Column(cell)) => {
                // drizzle-orm's `setName` and `PgColumn` constructor change the builder
                // itself: a shared builder keeps the first key and unique name it gets.
                let snapshot = {
                    let mut b = cell.borrow_mut();
                    if b.name.is_none() {
                        b.name = Some(key.clone());
                    }
                    if let (Some(casing), true) = (casing, b.key_as_name) {
                        let cased = super::casing::column_name(key, true, Some(casing));
                        b.name = Some(Rc::from(cased));
                        b.key_as_name = false;
                    }
                    let col_name = b.name.clone().unwrap_or_else(|| key.clone());
                    if b.unique_name.is_none() {
                        b.unique_name = Some(Rc::from(format!("{name}_{col_name}_unique")));
                    }
                    b.clone()
                };
                cols.push(TCol {
                    key: key.clone(),
                    name: snapshot.name.clone().unwrap_or_else(|| key.clone()),
                    key_as_name: snapshot.key_as_name,
                    builder: Rc::new(snapshot),
                    loc: *prop_loc,
                })
            }
            Value::Unknown(w) => bad.push((key.clone(), w.clone())),
            other => bad.push((
                key.clone(),
                why(
                    format!("is {}, not a column builder", other.kind()),
                    *prop_loc,
                ),
            )),
        }
    }
    let extra = match arg(args, 2) {
        Value::Undefined => None,
        other => Some(other),
    };
    let column_count = cols.len();
    let t = Rc::new(TableV {
        id: ev.next_id(),
        name,
        schema,
        columns: cols,
        extra,
        rls: Cell::new(false),
        index_options: RefCell::new(vec![IndexOptions::default(); column_count]),
        loc: ev.site(loc),
        mysql,
        bad_columns: bad,
        holes: obj.holes.clone(),
    });
    Value::Host(Dz::Table(t))
}

fn table_col<'a>(t: &Rc<TableV<'a>>, index: usize, extra: bool) -> Value<'a> {
    Value::Host(Dz::TableCol(Rc::new(TableCol {
        table: t.clone(),
        index,
        extra,
        desc: false,
        nulls_first: false,
        opclass: None,
    })))
}

/// `object.key` for drizzle objects.
pub(super) fn member<'a>(
    _ev: &mut Evaluator<'a, '_>,
    object: Value<'a>,
    key: &str,
    at: Option<Loc>,
) -> Value<'a> {
    match &object {
        Value::Host(Dz::Table(t)) => match t.column_index(key) {
            Some(i) => table_col(t, i, false),
            None => match key {
                "enableRLS" => bound(object, key),
                // A column that could not be evaluated may be this one.
                _ => match t.holes.first() {
                    Some(w) => Value::Unknown(w.clone()),
                    None => match t.bad_columns.iter().find(|(k, _)| &**k == key) {
                        Some((_, w)) => Value::Unknown(w.clone()),
                        None => Value::Undefined,
                    },
                },
            },
        },
        Value::Host(Dz::ExtraCols(t)) => match t.column_index(key) {
            Some(i) => table_col(t, i, true),
            None => t.not_a_column(key),
        },
        Value::Host(Dz::TableCol(c)) => match key {
            "name" => Value::Str(c.col().name.clone()),
            _ => bound(object, key),
        },
        Value::Host(Dz::Enum(e)) => match key {
            "enumValues" => Value::Array(Rc::new(
                e.values.iter().map(|v| Value::Str(v.clone())).collect(),
            )),
            "enumName" => Value::Str(e.name.clone()),
            "schema" => e.schema.clone().map_or(Value::Undefined, Value::Str),
            _ => Value::Undefined,
        },
        Value::Host(Dz::PgSchema(s)) | Value::Host(Dz::MySchema(s)) => match key {
            "schemaName" => Value::Str(s.clone()),
            _ => bound(object, key),
        },
        Value::Host(Dz::View(v)) => match v.fields.iter().find(|(k, _)| &**k == key) {
            Some((_, f)) => f.clone(),
            None => bound(object, key),
        },
        Value::Host(Dz::Sequence(s)) => match key {
            "seqName" => Value::Str(s.name.clone()),
            _ => Value::Undefined,
        },
        Value::Host(Dz::Role(r)) => match key {
            "name" => Value::Str(r.name.clone()),
            _ => bound(object, key),
        },
        Value::Host(Dz::Ignored) => Value::Undefined,
        _ => {
            let _ = at;
            bound(object, key)
        }
    }
}

fn bound<'a>(object: Value<'a>, key: &str) -> Value<'a> {
    Value::Bound(Rc::new((object, Rc::from(key))))
}
