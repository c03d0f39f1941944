//! What drizzle-kit 1.0 writes into a MySQL snapshot (version 6) where 0.x wrote
//! something else: defaults spelled by its per-type grammar (`(0.00)` for decimals,
//! `('…')` for text and binary, `(0x…)` for varbinary, `sql` defaults wrapped in
//! parentheses, backslashes doubled) and the default names of unique constraints.

use super::sql::{self, Mode};
use super::value::{js_number, js_string, json_stringify, Dz, Value, Why};
use std::rc::Rc;

/// drizzle-kit 1.0's `nameForUnique`: the columns alone, no table name.
pub(super) fn unique_name(columns: &[String]) -> String {
    format!("{}_unique", columns.join("_"))
}

/// The grammar drizzle-kit 1.0's `typeFor` picks for a MySQL type (lowercased), in its
/// order of tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grammar {
    /// `boolean`, `tinyint(1)`, the integers, `bigint`, `year`, `real`, `double`, `float`:
    /// `String(value)`.
    Plain,
    Serial,
    Decimal,
    /// `char`, `varchar`, `enum`: `'…'`.
    Quoted,
    /// The texts and `binary`: `('…')`.
    Text,
    Varbinary,
    Blob,
    Json,
    /// `timestamp`, `datetime`: a Date as `'YYYY-MM-DD HH:MM:SS.mmm'`.
    DateTime,
    Date,
    /// `time`: `'value'` without escaping.
    Time,
    Custom,
}

fn grammar(ty: &str) -> Grammar {
    // `^(?:name)(?:[\s(].*)?$`: the name alone or followed by a space or a parenthesis.
    let starts = |name: &str| {
        ty.strip_prefix(name)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '(']))
    };
    let exactly = |name: &str| ty.trim() == name;
    if ty == "tinyint(1)" || ty == "boolean" {
        return Grammar::Plain;
    }
    if ["tinyint", "smallint", "mediumint", "int", "bigint"]
        .iter()
        .any(|n| starts(n))
    {
        return Grammar::Plain;
    }
    if starts("serial") {
        return Grammar::Serial;
    }
    if starts("numeric") || starts("decimal") {
        return Grammar::Decimal;
    }
    if starts("real") || starts("double") || starts("float") {
        return Grammar::Plain;
    }
    if starts("char") || starts("character") || starts("varchar") || starts("nvarchar") {
        return Grammar::Quoted;
    }
    if ["tinytext", "mediumtext", "text", "longtext"]
        .iter()
        .any(|n| exactly(n))
        || starts("binary")
    {
        return Grammar::Text;
    }
    if starts("varbinary") {
        return Grammar::Varbinary;
    }
    if exactly("json") {
        return Grammar::Json;
    }
    if starts("timestamp") || starts("datetime") {
        return Grammar::DateTime;
    }
    if exactly("date") {
        return Grammar::Date;
    }
    if starts("time") {
        return Grammar::Time;
    }
    if exactly("year") {
        return Grammar::Plain;
    }
    if starts("enum") {
        return Grammar::Quoted;
    }
    if ["tinyblob", "mediumblob", "longblob", "blob"]
        .iter()
        .any(|n| exactly(n))
    {
        return Grammar::Blob;
    }
    Grammar::Custom
}

/// drizzle-kit's `escapeForSqlDefault`: backslashes and quotes doubled.
fn escaped(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\'', "''")
}

/// The default drizzle-kit 1.0's `defaultFromColumn` writes for a MySQL column of type
/// `sql_type` (`custom`: a `customType`, whose `toDriver` the reader does not run).
pub(super) fn default_text(
    v: &Value<'_>,
    sql_type: &str,
    custom: bool,
    style: sql::Style,
) -> Result<Option<String>, Rc<Why>> {
    let fail = |m: String| Rc::new(Why::new(m, None));
    let text = match v {
        Value::Host(Dz::Sql(s)) => {
            let text = sql::render_with(s, Mode::Default, style)?;
            return Ok(Some(if text.starts_with('(') {
                text
            } else {
                format!("({text})")
            }));
        }
        Value::Unknown(w) => return Err(w.clone()),
        _ if custom => {
            return Err(fail(
                "is given to a customType, whose toDriver drizzle-kit applies".into(),
            ))
        }
        _ => v,
    };
    let string =
        || js_string(text).ok_or_else(|| fail(format!("is {}, which has no text form", v.kind())));
    let grammar = grammar(&sql_type.to_lowercase());
    Ok(Some(match (grammar, text) {
        (Grammar::Serial, _) => String::new(),
        (Grammar::Plain, Value::Num(n)) => js_number(*n),
        (Grammar::Plain, _) => string()?,
        (Grammar::Decimal, _) => format!("({})", string()?),
        (Grammar::Quoted, _) => format!("'{}'", escaped(&string()?)),
        (Grammar::Text | Grammar::Blob, Value::Str(s)) => format!("('{}')", escaped(s)),
        (Grammar::Varbinary, Value::Str(s)) => {
            let hex: String = s.bytes().map(|b| format!("{b:02x}")).collect();
            format!("(0x{hex})")
        }
        (Grammar::Json, _) => match json_stringify(text) {
            Ok(Some(json)) => format!("('{}')", json.replace('\'', "''")),
            Ok(None) => return Err(fail(format!("is {}, which JSON leaves out", v.kind()))),
            Err(m) => return Err(fail(m)),
        },
        (Grammar::DateTime | Grammar::Date, Value::Date(ms)) => {
            let iso = crate::js::date_iso(*ms)
                .ok_or_else(|| fail("is an invalid date (drizzle-kit throws)".into()))?;
            if grammar == Grammar::Date {
                format!("'{}'", iso.get(..10).unwrap_or(""))
            } else {
                format!("'{}'", iso.replace('T', " ").get(..23).unwrap_or(""))
            }
        }
        (Grammar::DateTime | Grammar::Date | Grammar::Time, _) => format!("'{}'", string()?),
        (Grammar::Custom, _) => string()?,
        (Grammar::Text | Grammar::Blob | Grammar::Varbinary, other) => {
            return Err(fail(format!(
                "is {}, which drizzle-kit does not write for a {sql_type} column",
                other.kind()
            )))
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_pick_drizzle_kits_grammar() {
        let cases = [
            ("boolean", Grammar::Plain),
            ("tinyint(1)", Grammar::Plain),
            ("int unsigned", Grammar::Plain),
            ("bigint unsigned", Grammar::Plain),
            ("serial", Grammar::Serial),
            ("decimal(10,2)", Grammar::Decimal),
            ("double(8,3)", Grammar::Plain),
            ("char", Grammar::Quoted),
            ("varchar(20)", Grammar::Quoted),
            ("enum('a','b')", Grammar::Quoted),
            ("text", Grammar::Text),
            ("binary(16)", Grammar::Text),
            ("varbinary(255)", Grammar::Varbinary),
            ("json", Grammar::Json),
            ("timestamp(3)", Grammar::DateTime),
            ("datetime", Grammar::DateTime),
            ("date", Grammar::Date),
            ("time(2)", Grammar::Time),
            ("year", Grammar::Plain),
            ("longblob", Grammar::Blob),
            ("citext", Grammar::Custom),
            ("integer", Grammar::Custom),
        ];
        for (ty, expected) in cases {
            assert_eq!(grammar(ty), expected, "{ty}");
        }
    }

    #[test]
    fn unique_names_leave_the_table_out() {
        assert_eq!(
            unique_name(&["owner_id".into(), "slug".into()]),
            "owner_id_slug_unique"
        );
    }
}
