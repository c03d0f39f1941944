//! MySQL and MariaDB spellings. drizzle-kit writes `int`, `serial`, `boolean`, `json`,
//! `(now())`, `'0.00'`; the server stores `int(11)` (MariaDB; MySQL 8 drops display
//! widths), `bigint(20) unsigned` + `AUTO_INCREMENT` + a unique key named after the
//! column, `tinyint(1)`, `longtext` with a `json_valid` check (MariaDB),
//! `current_timestamp(3)`, `0.00`; it names every primary key `PRIMARY` and adds an index
//! named after each foreign key whose columns no other index covers. Both sides are
//! brought to one spelling here.

use super::defaults::sort_json_keys;
use super::expr::expression;
use crate::model::{Column, Table};

/// Normalize one table in place.
pub(super) fn table(t: &mut Table) {
    super::keep_written(t);
    json_columns(t);
    let pk_columns: Vec<String> = t
        .primary_key
        .as_ref()
        .map(|pk| pk.columns.clone())
        .unwrap_or_default();
    for col in &mut t.columns {
        column(col);
        // A primary key column is NOT NULL whether or not it says so.
        if pk_columns.contains(&col.name) {
            col.not_null = true;
        }
    }
    if let Some(pk) = &mut t.primary_key {
        pk.name = "PRIMARY".to_string();
    }
    for index in &mut t.indexes {
        index.method = match index.method.to_ascii_lowercase().as_str() {
            // InnoDB builds a BTREE whatever USING says, and drizzle-kit never writes it.
            "" | "btree" | "hash" => "btree".to_string(),
            other => other.to_string(),
        };
        for key in &mut index.keys {
            if key.is_expression {
                key.expression = expression(&key.expression);
            }
            key.nulls_first = !key.asc;
        }
    }
    // A unique index on plain columns is a unique constraint: MySQL keeps no difference.
    let (unique_keys, indexes): (Vec<_>, Vec<_>) =
        std::mem::take(&mut t.indexes).into_iter().partition(|i| {
            i.unique && i.method == "btree" && i.keys.iter().all(|k| !k.is_expression && k.asc)
        });
    t.indexes = indexes;
    for index in unique_keys {
        // drizzle-kit 1.0 writes unique constraints as unique indexes; a name it chose
        // stays one it chose.
        let kind = (crate::model::IMPLICIT_INDEX, index.name.clone());
        if t.implicit_names.remove(&kind) {
            t.implicit_names
                .insert((crate::model::IMPLICIT_UNIQUE, index.name.clone()));
        }
        t.uniques.push(crate::model::Unique {
            name: index.name,
            columns: index.keys.into_iter().map(|k| k.expression).collect(),
            nulls_not_distinct: false,
            origin: index.origin,
        });
    }
    // SERIAL is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE: the server names that
    // unique key after the column.
    let columns = &t.columns;
    t.uniques.retain(|u| {
        let [only] = u.columns.as_slice() else {
            return true;
        };
        let implicit = *only == u.name
            && columns.iter().any(|c| {
                c.name == *only && c.sql_type == "bigint unsigned" && c.autoincrement && c.not_null
            });
        !implicit
    });
    for fk in &mut t.foreign_keys {
        fk.on_delete = fk_action(&fk.on_delete);
        fk.on_update = fk_action(&fk.on_update);
    }
    // InnoDB's own index for a foreign key is named after it, or after its first column
    // when the key has no name of its own (`FOREIGN KEY (owner_id) …` makes `owner_id`).
    let fks = &t.foreign_keys;
    t.indexes.retain(|i| {
        i.unique
            || !fks.iter().any(|fk| {
                (fk.name == i.name || fk.columns.first() == Some(&i.name))
                    && i.keys.len() == fk.columns.len()
                    && i.keys
                        .iter()
                        .zip(&fk.columns)
                        .all(|(k, c)| !k.is_expression && k.expression == *c)
            })
    });
    for check in &mut t.checks {
        check.expression = expression(&check.expression);
    }
}

/// MariaDB stores `json` as `longtext` with a column check `json_valid(`col`)` named
/// after the column.
fn json_columns(t: &mut Table) {
    let mut json = Vec::new();
    t.checks.retain(|c| {
        let is_json_check = t
            .columns
            .iter()
            .any(|col| col.name == c.name && col.sql_type.eq_ignore_ascii_case("longtext"))
            && expression(&c.expression) == expression(&format!("json_valid(`{}`)", c.name));
        if is_json_check {
            json.push(c.name.clone());
        }
        !is_json_check
    });
    for col in &mut t.columns {
        if json.contains(&col.name) {
            col.sql_type = "json".to_string();
        }
    }
}

fn column(col: &mut Column) {
    // `.default(sql`CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)`)` puts the whole
    // clause into drizzle-kit's default; the server keeps ON UPDATE apart (EXTRA).
    if let Some((default, on_update)) = col.default.as_deref().and_then(split_on_update) {
        if col.on_update.is_none() {
            col.on_update = Some(on_update.to_string());
        }
        col.default = Some(default.to_string());
    }
    let (raw_type, charset, collation) = split_charset(&col.sql_type);
    col.charset = charset
        .or(col.charset.take())
        .map(|c| c.to_ascii_lowercase());
    col.collation = collation
        .or(col.collation.take())
        .map(|c| c.to_ascii_lowercase());
    let mut ty = mysql_type(&raw_type);
    if ty == "json" && col.collation.as_deref() == Some("utf8mb4_bin") {
        // MariaDB's JSON is LONGTEXT CHARSET utf8mb4 COLLATE utf8mb4_bin.
        col.collation = None;
        col.charset = None;
    }
    if ty == "serial" {
        ty = "bigint unsigned".to_string();
        col.not_null = true;
        col.autoincrement = true;
    }
    col.default = col.default.as_deref().and_then(|d| mysql_default(d, &ty));
    col.on_update = col.on_update.as_deref().map(|u| {
        let precision = fractional_precision(&ty);
        now_with_precision(u, precision).unwrap_or_else(|| expression(u))
    });
    if let Some(generated) = &mut col.generated {
        generated.expression = expression(&generated.expression);
    }
    col.sql_type = ty;
}

/// `char(36) CHARACTER SET ascii COLLATE ascii_bin` → (`char(36)`, `ascii`, `ascii_bin`):
/// drizzle-kit keeps what a custom type's `dataType()` says in the type, the server keeps
/// the character set and collation apart from `COLUMN_TYPE`.
fn split_charset(raw: &str) -> (String, Option<String>, Option<String>) {
    let mut kept: Vec<&str> = Vec::new();
    let (mut charset, mut collation) = (None, None);
    let mut words = raw.split_whitespace().peekable();
    while let Some(w) = words.next() {
        let lower = w.to_ascii_lowercase();
        let value = |words: &mut std::iter::Peekable<std::str::SplitWhitespace>| {
            words.next().map(|v| {
                v.trim_matches(|c| c == '`' || c == '\'' || c == '"')
                    .to_string()
            })
        };
        match lower.as_str() {
            "character" if words.peek().is_some_and(|n| n.eq_ignore_ascii_case("set")) => {
                words.next();
                charset = value(&mut words);
            }
            "charset" => charset = value(&mut words),
            "collate" => collation = value(&mut words),
            _ => kept.push(w),
        }
    }
    // Enum values with spaces: only split what has a character set or collation.
    if charset.is_none() && collation.is_none() {
        return (raw.to_string(), None, None);
    }
    (kept.join(" "), charset, collation)
}

/// `x ON UPDATE y` → (`x`, `y`), where `ON UPDATE` stands outside quotes and parentheses.
fn split_on_update(raw: &str) -> Option<(&str, &str)> {
    let lower = raw.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let (mut depth, mut quote) = (0i32, None);
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"' | b'`') => quote = Some(b),
            (None, b'(') => depth += 1,
            (None, b')') => depth -= 1,
            (None, _) if depth == 0 && i > 0 && bytes[i - 1].is_ascii_whitespace() => {
                let Some(after_on) = lower[i..].strip_prefix("on") else {
                    continue;
                };
                let spaced = after_on.trim_start();
                let Some(expr) = spaced
                    .strip_prefix("update")
                    .filter(|_| spaced.len() < after_on.len())
                else {
                    continue;
                };
                if expr.starts_with(|c: char| c.is_ascii_whitespace()) {
                    let start = raw.len() - expr.len();
                    let default = raw[..i].trim();
                    let on_update = raw[start..].trim();
                    if !default.is_empty() && !on_update.is_empty() {
                        return Some((default, on_update));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// InnoDB checks `NO ACTION` immediately, exactly like `RESTRICT` (its default, which
/// `information_schema` prints when the statement named none).
fn fk_action(raw: &str) -> String {
    let a = raw.trim().to_ascii_lowercase().replace('_', " ");
    match a.as_str() {
        "" | "restrict" => "no action".into(),
        _ => a,
    }
}

/// The canonical spelling of a MySQL column type.
pub fn mysql_type(raw: &str) -> String {
    let trimmed = raw.trim();
    // base name, `(...)` arguments (enum values keep their case), trailing attributes
    let base_end = trimmed
        .find(|c: char| c == '(' || c.is_whitespace())
        .unwrap_or(trimmed.len());
    let mut base = trimmed[..base_end].to_ascii_lowercase();
    let mut rest = trimmed[base_end..].trim_start();
    let mut args: Option<&str> = None;
    if rest.starts_with('(') {
        if let Some(close) = closing_paren(rest) {
            args = Some(&rest[1..close]);
            rest = &rest[close + 1..];
        }
    }
    let rest = rest.to_ascii_lowercase();
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    if base == "double" && words.first() == Some(&"precision") {
        words.remove(0);
    }
    let mut attributes: Vec<&str> = words.into_iter().filter(|w| *w != "signed").collect();
    let zerofill = attributes.contains(&"zerofill");
    if zerofill && !attributes.contains(&"unsigned") {
        // ZEROFILL implies UNSIGNED.
        attributes.insert(0, "unsigned");
    }
    base = match base.as_str() {
        "integer" | "int4" => "int".into(),
        "bool" => "boolean".into(),
        "dec" | "numeric" | "fixed" => "decimal".into(),
        "real" | "float8" => "double".into(),
        "int1" => "tinyint".into(),
        "int2" => "smallint".into(),
        "int3" | "middleint" => "mediumint".into(),
        "int8" => "bigint".into(),
        "float4" => "float".into(),
        _ => base,
    };
    let plain_args = args.map(|a| {
        a.split(',')
            .map(|p| p.trim().to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(",")
    });
    let args = match base.as_str() {
        "tinyint" if plain_args.as_deref() == Some("1") && attributes.is_empty() => {
            return "boolean".into()
        }
        // Display widths mean nothing without ZEROFILL (MySQL 8.0.19 stopped printing them).
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint" if !zerofill => None,
        "decimal" => Some(match plain_args.as_deref() {
            None | Some("") => "10,0".to_string(),
            Some(a) if !a.contains(',') => format!("{a},0"),
            Some(a) => a.to_string(),
        }),
        "char" | "binary" | "bit" if args.is_none() => Some("1".to_string()),
        "year" if plain_args.as_deref() == Some("4") => None,
        "datetime" | "timestamp" | "time" if plain_args.as_deref() == Some("0") => None,
        "enum" | "set" => args.map(|a| {
            enum_values(a)
                .iter()
                .map(|v| format!("'{}'", v.replace('\'', "''")))
                .collect::<Vec<_>>()
                .join(",")
        }),
        _ => plain_args,
    };
    let mut out = base;
    if let Some(a) = args {
        out.push('(');
        out.push_str(&a);
        out.push(')');
    }
    for a in attributes {
        out.push(' ');
        out.push_str(a);
    }
    out
}

/// Index of the `)` closing the `(` at the start of `s`, skipping quoted text.
fn closing_paren(s: &str) -> Option<usize> {
    let mut depth = 0;
    let mut quote = None;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                if chars.peek().map(|&(_, n)| n) == Some(q) {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `'a','b''c'` → `a`, `b'c`.
fn enum_values(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = args.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut value = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    value.push('\'');
                    chars.next();
                    continue;
                }
                break;
            }
            if c == '\\' {
                if let Some(next) = chars.next() {
                    value.push(next);
                }
                continue;
            }
            value.push(c);
        }
        out.push(value);
    }
    out
}

/// The fractional seconds precision of `datetime(3)`, `timestamp(6)`, `time(2)`; 0 else.
fn fractional_precision(ty: &str) -> u32 {
    ty.split_once('(')
        .and_then(|(_, rest)| rest.trim_end_matches(')').parse().ok())
        .unwrap_or(0)
}

fn is_temporal(ty: &str) -> bool {
    ["datetime", "timestamp", "time", "date", "year"]
        .iter()
        .any(|t| ty == *t || ty.starts_with(&format!("{t}(")))
}

fn is_integer(ty: &str) -> bool {
    let base = ty.split(['(', ' ']).next().unwrap_or(ty);
    matches!(
        base,
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint" | "year"
    )
}

/// `now()`, `(now())`, `CURRENT_TIMESTAMP`, `current_timestamp(3)`, `localtimestamp`…
/// → `current_timestamp(N)`, N the precision given or else the column's (MariaDB rewrites
/// them so); `None` when `raw` is something else.
fn now_with_precision(raw: &str, column_precision: u32) -> Option<String> {
    let s = strip_outer_parens(raw).to_ascii_lowercase();
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let (name, args) = match s.split_once('(') {
        Some((name, rest)) => (name.to_string(), Some(rest.strip_suffix(')')?.to_string())),
        None => (s.clone(), None),
    };
    if !matches!(
        name.as_str(),
        "now" | "current_timestamp" | "localtime" | "localtimestamp"
    ) {
        return None;
    }
    let precision = match args.as_deref() {
        None | Some("") => column_precision,
        Some(n) => n.parse().ok()?,
    };
    Some(if precision == 0 {
        "current_timestamp()".to_string()
    } else {
        format!("current_timestamp({precision})")
    })
}

/// The canonical default of a column of canonical type `ty`; `None` for no default.
pub fn mysql_default(raw: &str, ty: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.eq_ignore_ascii_case("null") || raw.eq_ignore_ascii_case("(null)") {
        return None;
    }
    // On any column: a string column given `(CURRENT_TIMESTAMP)` stores
    // `current_timestamp()` too.
    let precision = if is_temporal(ty) {
        fractional_precision(ty)
    } else {
        0
    };
    if let Some(now) = now_with_precision(raw, precision) {
        return Some(now);
    }
    let inner = strip_outer_parens(raw);
    let literal = string_literal(inner);
    let base = ty.split(['(', ' ']).next().unwrap_or(ty);
    if ty == "boolean" {
        let value = literal.as_deref().unwrap_or(inner).to_ascii_lowercase();
        match value.as_str() {
            "1" | "true" => return Some("true".into()),
            "0" | "false" => return Some("false".into()),
            _ => {}
        }
    }
    let number_text = literal.as_deref().unwrap_or(inner);
    if let Some(n) = parse_number(number_text) {
        if is_integer(ty) && !n.contains(['.', 'e', 'E']) {
            return Some(n);
        }
        match base {
            "decimal" => return Some(decimal_with_scale(&n, ty)),
            "float" | "double" => {
                if let Ok(f) = n.parse::<f64>() {
                    return Some(f.to_string());
                }
            }
            _ => {}
        }
    }
    // drizzle-kit 1.0 writes a varbinary default as `(0x6162)`; MariaDB shows `'ab'`.
    if literal.is_none()
        && matches!(
            base,
            "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob"
        )
    {
        if let Some(text) = hex_text(inner) {
            return Some(quote(&text));
        }
    }
    if let Some(content) = literal {
        if base == "json" {
            if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&content) {
                // MySQL 8 stores objects with sorted keys; MariaDB keeps the text.
                sort_json_keys(&mut value);
                return Some(quote(&value.to_string()));
            }
        }
        return Some(quote(&content));
    }
    Some(expression(inner))
}

/// The UTF-8 text of a hex literal `0x6162` / `x'6162'`; `None` for anything else.
fn hex_text(raw: &str) -> Option<String> {
    let digits = match raw.strip_prefix("0x") {
        Some(d) => d,
        None => raw
            .strip_prefix(['x', 'X'])?
            .strip_prefix('\'')?
            .strip_suffix('\'')?,
    };
    if digits.is_empty() || digits.len() % 2 != 0 {
        return None;
    }
    let bytes = (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(digits.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok()
}

/// `0` in a `decimal(10,2)` is `0.00`.
fn decimal_with_scale(n: &str, ty: &str) -> String {
    let scale: usize = ty
        .split_once(',')
        .and_then(|(_, s)| s.trim_end_matches([')', ' ']).parse().ok())
        .unwrap_or(0);
    if n.contains(['e', 'E']) {
        return n.to_string();
    }
    let (neg, digits) = match n.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, n),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut frac: String = frac.chars().take(scale).collect();
    while frac.len() < scale {
        frac.push('0');
    }
    let int = if int.is_empty() { "0" } else { int };
    let body = if scale == 0 {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    };
    let is_zero = body.chars().all(|c| c == '0' || c == '.');
    if neg && !is_zero {
        format!("-{body}")
    } else {
        body
    }
}

/// A plain decimal number (`-1`, `0.50`, `1e3`), canonical: no `+`, no leading zeros in
/// the integer part.
fn parse_number(s: &str) -> Option<String> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |d: &str| d.chars().all(|c| c.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if (int.is_empty() && frac.is_none_or(str::is_empty))
        || !digits(int)
        || !frac.is_none_or(digits)
        || !exponent_ok
    {
        return None;
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let mut out = int.to_string();
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if let Some(e) = exponent {
        out.push('e');
        out.push_str(e);
    }
    let zero = mantissa.chars().all(|c| matches!(c, '0' | '.'));
    Some(if neg && !zero { format!("-{out}") } else { out })
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn strip_outer_parens(s: &str) -> &str {
    let mut s = s.trim();
    while s.starts_with('(') && closing_paren(s) == Some(s.len() - 1) {
        s = s[1..s.len() - 1].trim();
    }
    s
}

/// The content of a single-quoted literal spanning all of `s` (`''` and MySQL's `\'`
/// escapes undone), with an optional charset introducer (`_utf8mb4'…'`).
fn string_literal(s: &str) -> Option<String> {
    let s = s.trim();
    let s = match s.strip_prefix('_') {
        Some(rest) => rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric()),
        None => s,
    };
    let body = s.strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if chars.peek() == Some(&'\'') => {
                out.push('\'');
                chars.next();
            }
            '\'' => return chars.next().is_none().then_some(out),
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('0') => out.push('\0'),
                Some(other) => out.push(other),
                None => return None,
            },
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drizzle_and_server_types_meet() {
        let cases = [
            ("int", "int(11)"),
            ("int unsigned", "int(10) unsigned"),
            ("bigint unsigned", "bigint(20) unsigned"),
            ("tinyint", "tinyint(4)"),
            ("boolean", "tinyint(1)"),
            ("decimal", "decimal(10,0)"),
            ("decimal(12)", "decimal(12,0)"),
            ("decimal(10, 2)", "decimal(10,2)"),
            ("real", "double"),
            ("double precision", "double"),
            ("char", "char(1)"),
            ("year", "year(4)"),
            ("timestamp(0)", "timestamp"),
            ("enum('a','b')", "enum('a', 'b')"),
            ("varchar(256)", "VARCHAR(256)"),
            ("int(5) zerofill", "int(5) unsigned zerofill"),
        ];
        for (drizzle, server) in cases {
            assert_eq!(
                mysql_type(drizzle),
                mysql_type(server),
                "{drizzle} vs {server}"
            );
        }
        assert_eq!(mysql_type("enum('A','it''s')"), "enum('A','it''s')");
        assert_ne!(mysql_type("int"), mysql_type("int unsigned"));
        assert_ne!(mysql_type("tinyint(1) unsigned"), mysql_type("boolean"));
        assert_ne!(mysql_type("datetime(3)"), mysql_type("datetime"));
        assert_ne!(mysql_type("enum('a','b')"), mysql_type("enum('A','b')"));
    }

    #[test]
    fn character_sets_and_collations_are_split_off() {
        let cases = [
            (
                "char(36) CHARACTER SET ascii COLLATE ascii_bin",
                ("char(36)", Some("ascii"), Some("ascii_bin")),
            ),
            (
                "varchar(64) charset latin1",
                ("varchar(64)", Some("latin1"), None),
            ),
            (
                "text COLLATE `utf8mb4_bin`",
                ("text", None, Some("utf8mb4_bin")),
            ),
            ("enum('a  b','c')", ("enum('a  b','c')", None, None)),
        ];
        for (raw, (ty, charset, collation)) in cases {
            let (t, cs, c) = super::split_charset(raw);
            assert_eq!(
                (t.as_str(), cs.as_deref(), c.as_deref()),
                (ty, charset, collation),
                "{raw}"
            );
        }
    }

    #[test]
    fn drizzle_and_server_defaults_meet() {
        let cases = [
            ("'0.00'", "0.00", "decimal(10,2)"),
            ("'1.5'", "1.50", "decimal(8,2)"),
            ("0", "0", "int"),
            ("-5", "-5", "mediumint"),
            ("true", "1", "boolean"),
            ("false", "0", "boolean"),
            ("1.5", "1.5", "float"),
            ("-0.25", "-0.25", "double"),
            ("(now())", "current_timestamp()", "timestamp"),
            ("(now())", "current_timestamp(6)", "timestamp(6)"),
            ("CURRENT_TIMESTAMP", "current_timestamp()", "datetime"),
            (
                "CURRENT_TIMESTAMP(3)",
                "current_timestamp(3)",
                "datetime(3)",
            ),
            ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP", "timestamp"),
            // What MariaDB 10.11 stored (tests/fixtures/mysql/rewrites, 0001).
            ("(CURRENT_TIMESTAMP)", "current_timestamp()", "varchar(255)"),
            ("(CURRENT_TIMESTAMP)", "current_timestamp()", "text"),
            ("'it''s me'", "'it''s me'", "varchar(50)"),
            ("'member'", "'member'", "enum('admin','member')"),
            (
                "('{\"theme\":\"dark\",\"sizes\":[1,2]}')",
                "'{\"theme\":\"dark\",\"sizes\":[1,2]}'",
                "json",
            ),
            (
                "('{\"b\":1,\"a\":2}')",
                "_utf8mb4'{\"a\": 2, \"b\": 1}'",
                "json",
            ),
            ("(1+1)", "(1 + 1)", "int"),
            ("(uuid())", "uuid()", "varchar(36)"),
            // drizzle-kit 1.0 and what MariaDB 10.11 stored (tests/fixtures/mysql/v1-kitchen).
            ("(0x6162)", "'ab'", "varbinary(16)"),
            ("(9.5)", "9.50", "decimal(8,2)"),
            ("('it''s \\\\ here')", "'it\\'s \\\\ here'", "text"),
            ("'a\\\\b'", "'a\\\\b'", "char(4)"),
        ];
        for (drizzle, server, ty) in cases {
            assert_eq!(
                mysql_default(drizzle, ty),
                mysql_default(server, ty),
                "{drizzle} vs {server} ({ty})"
            );
        }
        assert_eq!(mysql_default("NULL", "int"), None);
        assert_eq!(mysql_default("'NULL'", "varchar(5)"), Some("'NULL'".into()));
        assert_ne!(
            mysql_default("(0x6162)", "varbinary(16)"),
            mysql_default("'ac'", "varbinary(16)")
        );
        assert_eq!(hex_text("0x"), None);
        assert_eq!(hex_text("0x6"), None);
        assert_eq!(hex_text("0xzz"), None);
    }

    /// drizzle-kit's default with its ON UPDATE clause, and what MariaDB 10.11 shows in
    /// COLUMN_DEFAULT and EXTRA for it.
    #[test]
    fn on_update_inside_the_default_is_split() {
        let cases = [
            (
                "CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)",
                "datetime(3)",
                "current_timestamp(3)",
                "on update current_timestamp(3)",
            ),
            (
                "current_timestamp on update current_timestamp",
                "timestamp",
                "current_timestamp()",
                "on update current_timestamp()",
            ),
        ];
        for (drizzle, ty, server_default, server_extra) in cases {
            let mut snapshot = Column::new("c", ty);
            snapshot.default = Some(drizzle.to_string());
            column(&mut snapshot);
            let mut live = Column::new("c", ty);
            live.default = Some(server_default.to_string());
            live.on_update = server_extra.strip_prefix("on update ").map(str::to_string);
            column(&mut live);
            assert_eq!(snapshot, live, "{drizzle}");
        }
        assert_eq!(split_on_update("'on update x'"), None);
        assert_eq!(split_on_update("(f('a on update b'))"), None);
        assert_eq!(split_on_update("on update x"), None);
        assert_eq!(split_on_update("x on updated"), None);
        assert_eq!(split_on_update("x ON  UPDATE y"), Some(("x", "y")));
    }

    #[test]
    fn different_defaults_stay_different() {
        assert_ne!(mysql_default("0", "int"), mysql_default("1", "int"));
        assert_ne!(
            mysql_default("'0.00'", "decimal(10,2)"),
            mysql_default("0.01", "decimal(10,2)")
        );
        assert_ne!(
            mysql_default("'a'", "varchar(5)"),
            mysql_default("'A'", "varchar(5)")
        );
        assert_ne!(
            mysql_default("(now())", "timestamp(3)"),
            mysql_default("current_timestamp(1)", "timestamp(3)")
        );
        assert_ne!(
            mysql_default("'1'", "varchar(5)"),
            mysql_default("'01'", "varchar(5)")
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "", "(", ")", "'", "enum(", "decimal(", "int(11", "((", "_'", "'\\",
        ] {
            let _ = mysql_type(s);
            let _ = mysql_default(s, "int");
            let _ = mysql_default(s, "json");
            let _ = mysql_default(s, "decimal(10,2)");
            let _ = mysql_default(s, "datetime(3)");
        }
    }
}
