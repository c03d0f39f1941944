//! drizzle-orm's mysql-core as the evaluator sees it: the column builders (their
//! `getSQLType()` spellings), `mysqlTable`, `mysqlSchema`, `mysqlView` and the index
//! builder, mirroring drizzle-orm 0.45. Shared builders (keys, checks) live in
//! [`super::pg`].

use super::eval::Evaluator;
use super::pg::{new_column, table, view_builder};
use super::value::{js_string, ColType, ColumnB, Dz, Family, IndexOnV, Loc, Value, Why};
use std::rc::Rc;

/// The mysql-core exports the reader knows, by their canonical builtin name.
pub(super) fn export(name: &str) -> Option<&'static str> {
    Some(match name {
        "mysqlTable" => "my.mysqlTable",
        "mysqlTableCreator" => "my.mysqlTableCreator",
        "mysqlSchema" | "mysqlDatabase" => "my.mysqlSchema",
        "mysqlView" => "my.mysqlView",
        "index" => "my.index",
        "uniqueIndex" => "my.uniqueIndex",
        "primaryKey" => "pg.primaryKey",
        "foreignKey" => "pg.foreignKey",
        "unique" => "pg.unique",
        "check" => "pg.check",
        "customType" => "my.customType",
        "bigint" => "my.bigint",
        "binary" => "my.binary",
        "boolean" => "my.boolean",
        "char" => "my.char",
        "date" => "my.date",
        "datetime" => "my.datetime",
        "decimal" => "my.decimal",
        "double" => "my.double",
        "float" => "my.float",
        "int" => "my.int",
        "json" => "my.json",
        "mediumint" => "my.mediumint",
        "mysqlEnum" => "my.mysqlEnum",
        "real" => "my.real",
        "serial" => "my.serial",
        "smallint" => "my.smallint",
        "text" => "my.text",
        "tinytext" => "my.tinytext",
        "mediumtext" => "my.mediumtext",
        "longtext" => "my.longtext",
        "time" => "my.time",
        "timestamp" => "my.timestamp",
        "tinyint" => "my.tinyint",
        "varbinary" => "my.varbinary",
        "varchar" => "my.varchar",
        "year" => "my.year",
        _ => return None,
    })
}

/// The column builders `mysqlTable(name, (t) => ({...}))` hands its callback.
pub(super) const COLUMN_BUILDERS: &[&str] = &[
    "bigint",
    "binary",
    "boolean",
    "char",
    "customType",
    "date",
    "datetime",
    "decimal",
    "double",
    "mysqlEnum",
    "float",
    "int",
    "json",
    "mediumint",
    "real",
    "serial",
    "smallint",
    "text",
    "time",
    "timestamp",
    "tinyint",
    "varbinary",
    "varchar",
    "year",
    "longtext",
    "mediumtext",
    "tinytext",
];

fn why(message: impl Into<String>, loc: Option<Loc>) -> Rc<Why> {
    Rc::new(Why::new(message.into(), loc))
}

fn arg<'a>(args: &[Value<'a>], i: usize) -> Value<'a> {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

/// `config?.key`.
fn opt<'a>(config: &Value<'a>, key: &str) -> Result<Value<'a>, Rc<Why>> {
    match config {
        Value::Object(o) => match o.get(key) {
            Some(Value::Unknown(w)) => Err(w.clone()),
            Some(v) => Ok(v.clone()),
            None => match o.holes.first() {
                Some(h) => Err(h.clone()),
                None => Ok(Value::Undefined),
            },
        },
        Value::Unknown(w) => Err(w.clone()),
        _ => Ok(Value::Undefined),
    }
}

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
    match arg(args, 0) {
        Value::Unknown(w) => Err(w),
        Value::Str(s) => Ok(((!s.is_empty()).then_some(s), arg(args, 1))),
        a @ (Value::Object(_) | Value::Null | Value::Array(_)) => Ok((None, a)),
        _ => Ok((None, arg(args, 1))),
    }
}

fn name_only(args: &[Value<'_>]) -> Result<Option<Rc<str>>, Rc<Why>> {
    match arg(args, 0) {
        Value::Unknown(w) => Err(w),
        Value::Str(s) => Ok((!s.is_empty()).then_some(s)),
        Value::Undefined | Value::Null => Ok(None),
        other => Err(why(format!("names a column with {}", other.kind()), None)),
    }
}

/// `precision`/`scale` spelled as drizzle-orm's number builders spell them.
fn precision_scale(base: &str, config: &Value<'_>, sep: &str, loc: Loc) -> Result<String, Rc<Why>> {
    let p = opt(config, "precision")?;
    let s = opt(config, "scale")?;
    Ok(match (&p, &s) {
        (Value::Undefined, _) => base.to_string(),
        (p, Value::Undefined) => format!("{base}({})", interp(p, "the precision", loc)?),
        (p, s) => format!(
            "{base}({}{sep}{})",
            interp(p, "the precision", loc)?,
            interp(s, "the scale", loc)?
        ),
    })
}

fn unsigned(config: &Value<'_>) -> Result<bool, Rc<Why>> {
    Ok(opt(config, "unsigned")?.truthy().unwrap_or(false))
}

fn column<'a>(
    ty: String,
    family: Family,
    column_type: &'static str,
    name: Option<Rc<str>>,
    loc: Loc,
) -> ColumnB<'a> {
    new_column(ColType::Sql(ty), family, column_type, name, loc)
}

fn column_builder<'a>(kind: &str, args: &[Value<'a>], loc: Loc) -> Result<ColumnB<'a>, Rc<Why>> {
    let at = Some(loc);
    match kind {
        "int" | "tinyint" | "smallint" | "mediumint" => {
            let (name, config) = name_and_config(args)?;
            let ty = format!(
                "{kind}{}",
                if unsigned(&config)? { " unsigned" } else { "" }
            );
            let ct = match kind {
                "int" => "MySqlInt",
                "tinyint" => "MySqlTinyInt",
                "smallint" => "MySqlSmallInt",
                _ => "MySqlMediumInt",
            };
            Ok(column(ty, Family::MyAuto, ct, name, loc))
        }
        "bigint" => {
            let (name, config) = name_and_config(args)?;
            if config.is_nullish() {
                return Err(why("bigint() needs { mode }", at));
            }
            let ty = format!(
                "bigint{}",
                if unsigned(&config)? { " unsigned" } else { "" }
            );
            Ok(column(ty, Family::MyAuto, "MySqlBigInt64", name, loc))
        }
        "serial" => {
            let mut c = column(
                "serial".into(),
                Family::MyAuto,
                "MySqlSerial",
                name_only(args)?,
                loc,
            );
            c.autoincrement = true;
            Ok(c)
        }
        "boolean" => Ok(column(
            "boolean".into(),
            Family::Other,
            "MySqlBoolean",
            name_only(args)?,
            loc,
        )),
        "year" => Ok(column(
            "year".into(),
            Family::Other,
            "MySqlYear",
            name_only(args)?,
            loc,
        )),
        "json" => Ok(column(
            "json".into(),
            Family::Json,
            "MySqlJson",
            name_only(args)?,
            loc,
        )),
        "text" | "tinytext" | "mediumtext" | "longtext" => {
            let (name, _) = name_and_config(args)?;
            Ok(column(kind.into(), Family::Other, "MySqlText", name, loc))
        }
        "char" | "varchar" | "binary" | "varbinary" => {
            let (name, config) = name_and_config(args)?;
            if kind == "varchar" && config.is_nullish() {
                return Err(why("varchar() needs { length }", at));
            }
            let ty = match opt(&config, "length")? {
                Value::Undefined => kind.to_string(),
                other => format!("{kind}({})", interp(&other, "the length", loc)?),
            };
            let ct = match kind {
                "char" => "MySqlChar",
                "varchar" => "MySqlVarChar",
                "binary" => "MySqlBinary",
                _ => "MySqlVarBinary",
            };
            Ok(column(ty, Family::Other, ct, name, loc))
        }
        "decimal" => {
            let (name, config) = name_and_config(args)?;
            let mut ty = precision_scale("decimal", &config, ",", loc)?;
            if ty == "decimal(10,0)" || ty == "decimal(10)" {
                ty = "decimal".into();
            }
            if unsigned(&config)? {
                ty.push_str(" unsigned");
            }
            Ok(column(ty, Family::MyAuto, "MySqlDecimal", name, loc))
        }
        "double" | "float" => {
            let (name, config) = name_and_config(args)?;
            let mut ty = precision_scale(kind, &config, ",", loc)?;
            if unsigned(&config)? {
                ty.push_str(" unsigned");
            }
            let ct = if kind == "double" {
                "MySqlDouble"
            } else {
                "MySqlFloat"
            };
            Ok(column(ty, Family::MyAuto, ct, name, loc))
        }
        "real" => {
            let (name, config) = name_and_config(args)?;
            let ty = precision_scale("real", &config, ", ", loc)?;
            Ok(column(ty, Family::MyAuto, "MySqlReal", name, loc))
        }
        "date" => {
            let (name, _) = name_and_config(args)?;
            Ok(column("date".into(), Family::Other, "MySqlDate", name, loc))
        }
        "datetime" | "time" | "timestamp" => {
            let (name, config) = name_and_config(args)?;
            let ty = match opt(&config, "fsp")? {
                Value::Undefined => kind.to_string(),
                other => format!("{kind}({})", interp(&other, "the fsp", loc)?),
            };
            let (family, ct) = match kind {
                "timestamp" => (Family::MyTimestamp, "MySqlTimestamp"),
                // drizzle-orm 1.0 gives datetime `defaultNow()` and `onUpdateNow()` too.
                "datetime" if super::sql::orm_v1() => (Family::MyTimestamp, "MySqlDateTime"),
                "datetime" => (Family::Other, "MySqlDateTime"),
                _ => (Family::Other, "MySqlTime"),
            };
            Ok(column(ty, family, ct, name, loc))
        }
        "mysqlEnum" => {
            let a = arg(args, 0);
            let b = arg(args, 1);
            let (name, values) = match (&a, &b) {
                (Value::Str(n), Value::Array(v)) => (n.clone(), v.to_vec()),
                (Value::Array(v), _) => (Rc::from(""), v.to_vec()),
                (Value::Str(n), Value::Object(o)) => (
                    n.clone(),
                    super::value::ordered_props(o)
                        .into_iter()
                        .map(|(_, v, _)| v.clone())
                        .collect(),
                ),
                (Value::Object(o), _) => (
                    Rc::from(""),
                    super::value::ordered_props(o)
                        .into_iter()
                        .map(|(_, v, _)| v.clone())
                        .collect(),
                ),
                (Value::Unknown(w), _) | (_, Value::Unknown(w)) => return Err(w.clone()),
                _ => return Err(why("mysqlEnum() needs its values", at)),
            };
            if values.is_empty() {
                return Err(why("mysqlEnum() has no values; drizzle-orm throws", at));
            }
            let mut quoted = Vec::new();
            for v in &values {
                quoted.push(format!("'{}'", interp(v, "an enum value", loc)?));
            }
            let name = (!name.is_empty()).then_some(name);
            Ok(column(
                format!("enum({})", quoted.join(",")),
                Family::Other,
                "MySqlEnumColumn",
                name,
                loc,
            ))
        }
        other => Err(why(
            format!("{other}() is not a mysql-core column builder"),
            at,
        )),
    }
}

/// Calls a mysql-core builtin.
pub(super) fn call_builtin<'a>(
    ev: &mut Evaluator<'a, '_>,
    name: &'static str,
    args: Vec<Value<'a>>,
    loc: Loc,
) -> Value<'a> {
    let at = Some(loc);
    let kind = name.trim_start_matches("my.");
    if COLUMN_BUILDERS.contains(&kind) && kind != "customType" {
        return match column_builder(kind, &args, loc) {
            Ok(c) => Value::Host(Dz::Column(Rc::new(std::cell::RefCell::new(c)))),
            Err(w) => Value::Unknown(w),
        };
    }
    match kind {
        "mysqlTable" => table(ev, &args, None, true, loc),
        "mysqlTableCreator" => Value::Host(Dz::TableCreator(Rc::new((
            arg(&args, 0),
            true,
            arg(&args, 1),
        )))),
        "mysqlSchema" => match arg(&args, 0) {
            Value::Str(s) => Value::Host(Dz::MySchema(s)),
            other => Value::unknown(format!("names a database with {}", other.kind()), at),
        },
        "mysqlView" => view_builder(ev, &args, None, false, true, loc),
        "index" | "uniqueIndex" => match arg(&args, 0) {
            Value::Str(n) => Value::Host(Dz::IndexOn(Rc::new(IndexOnV {
                unique: kind == "uniqueIndex",
                name: Some(n),
                loc,
                mysql: true,
            }))),
            Value::Unknown(w) => Value::Unknown(w),
            other => Value::unknown(format!("names an index with {}", other.kind()), at),
        },
        "customType" => match arg(&args, 0) {
            Value::Object(o) => Value::Host(Dz::CustomType(Rc::new((o, true)))),
            other => Value::unknown(format!("customType() of {}", other.kind()), at),
        },
        _ => Value::unknown(
            format!("calls {kind}, which drizzle-drift does not evaluate"),
            at,
        ),
    }
}

/// `schema.table(...)`, `schema.view(...)` of a `mysqlSchema`: drizzle-kit leaves tables
/// of another database out of the snapshot.
pub(super) fn schema_method<'a>(
    ev: &mut Evaluator<'a, '_>,
    schema: &Rc<str>,
    name: &str,
    args: Vec<Value<'a>>,
    loc: Loc,
) -> Value<'a> {
    match name {
        "table" => table(ev, &args, Some(schema.clone()), true, loc),
        "view" => view_builder(ev, &args, Some(schema.clone()), false, true, loc),
        _ => Value::unknown(format!("calls mysqlSchema().{name}()"), Some(loc)),
    }
}

/// drizzle-kit's `handleEnumType`: `enum('a','b')` with each value's quotes doubled.
pub(super) fn enum_type(sql_type: &str) -> String {
    let inner = sql_type.split('(').nth(1).unwrap_or("");
    let inner: String = {
        let chars: Vec<char> = inner.chars().collect();
        chars[..chars.len().saturating_sub(1)].iter().collect()
    };
    let values: Vec<String> = inner
        .split(',')
        .map(|v| {
            let chars: Vec<char> = v.chars().collect();
            let body: String = if chars.len() >= 2 {
                chars[1..chars.len() - 1].iter().collect()
            } else {
                String::new()
            };
            format!("'{}'", body.replace('\'', "''"))
        })
        .collect();
    format!("enum({})", values.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_types_are_requoted_like_drizzle_kit() {
        assert_eq!(enum_type("enum('a','b')"), "enum('a','b')");
        assert_eq!(enum_type("enum('it's')"), "enum('it''s')");
    }
}
