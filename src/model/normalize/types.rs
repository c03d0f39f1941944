//! PostgreSQL type names: drizzle-kit's spelling (`varchar(256)`, `timestamp (6)`,
//! `numeric(10, 2)`) and the catalog's (`character varying(256)`,
//! `timestamp(6) without time zone`, `numeric(10,2)`) meet in one canonical form.

/// Canonical spelling of a PostgreSQL column type.
pub fn pg_type(raw: &str) -> String {
    let mut s = collapse_ws(&raw.trim().to_lowercase());
    // Array dimensions are not stored by PostgreSQL: `integer[][]` is `integer[]`.
    let mut array = false;
    while let Some(stripped) = s.strip_suffix("[]") {
        array = true;
        s = stripped.trim_end().to_string();
    }
    // `int[3]` style sizes are not stored either.
    if let Some(open) = s.rfind('[') {
        if s.ends_with(']') {
            array = true;
            s.truncate(open);
            s = s.trim_end().to_string();
        }
    }
    let (base, modifier, suffix) = split_modifier(&s);
    let base = base.strip_prefix("public.").unwrap_or(&base).to_string();
    let base = base
        .strip_prefix("pg_catalog.")
        .unwrap_or(&base)
        .trim_matches('"')
        .to_string();
    let suffix = suffix.trim().to_string();
    let (name, modifier) = match base.as_str() {
        "character varying" | "varchar" => ("varchar".to_string(), modifier),
        "character" | "char" | "bpchar" => (
            "char".to_string(),
            Some(modifier.unwrap_or_else(|| "1".into())),
        ),
        "int" | "int4" | "integer" => ("integer".to_string(), modifier),
        "int2" | "smallint" => ("smallint".to_string(), modifier),
        "int8" | "bigint" => ("bigint".to_string(), modifier),
        "serial4" | "serial" => ("serial".to_string(), modifier),
        "serial2" | "smallserial" => ("smallserial".to_string(), modifier),
        "serial8" | "bigserial" => ("bigserial".to_string(), modifier),
        "float8" | "double precision" => ("double precision".to_string(), None),
        "float4" | "real" => ("real".to_string(), None),
        "bool" | "boolean" => ("boolean".to_string(), None),
        "decimal" | "numeric" => (
            "numeric".to_string(),
            modifier.map(|m| numeric_modifier(&m)),
        ),
        "timestamptz" => ("timestamp".to_string(), modifier),
        "timetz" => ("time".to_string(), modifier),
        _ => (base.clone(), modifier),
    };
    let with_tz =
        matches!(base.as_str(), "timestamptz" | "timetz") || suffix.starts_with("with time zone");
    let mut out = name.clone();
    if let Some(m) = modifier {
        if name == "interval" {
            out.push(' ');
            out.push_str(&m);
        } else {
            out.push('(');
            out.push_str(&m);
            out.push(')');
        }
    }
    if matches!(name.as_str(), "timestamp" | "time") {
        if with_tz {
            out.push_str(" with time zone");
        }
    } else if !suffix.is_empty() {
        out.push(' ');
        out.push_str(&suffix);
    }
    if array {
        out.push_str("[]");
    }
    out
}

/// `text COLLATE "C"` → (`text`, `C`): the type and the collation name (case kept when
/// quoted, folded to lower case when not, as PostgreSQL reads it); the type alone when
/// it names no collation.
pub fn split_collation(raw: &str) -> (String, Option<String>) {
    let lower = raw.to_ascii_lowercase();
    let Some(at) = find_word_outside_quotes(&lower, "collate") else {
        return (raw.to_string(), None);
    };
    let name = raw[at + "collate".len()..].trim();
    // The last part of `schema."name"`.
    let mut parts = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let (part, tail) = match rest.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted.find('"').unwrap_or(quoted.len());
                (
                    quoted[..end].to_string(),
                    &quoted[(end + 1).min(quoted.len())..],
                )
            }
            None => {
                let end = rest.find('.').unwrap_or(rest.len());
                (rest[..end].trim().to_lowercase(), &rest[end..])
            }
        };
        parts.push(part);
        rest = tail
            .trim_start()
            .strip_prefix('.')
            .unwrap_or(tail)
            .trim_start();
        if !tail.trim_start().starts_with('.') {
            break;
        }
    }
    let name = parts.pop().filter(|p| !p.is_empty());
    let collation = match parts.pop() {
        Some(schema) if schema != "pg_catalog" && schema != "public" => {
            name.map(|n| format!("{schema}.{n}"))
        }
        _ => name,
    };
    (raw[..at].trim_end().to_string(), collation)
}

/// Byte index of `word` (lower case) standing alone in `s`, outside quotes.
fn find_word_outside_quotes(s: &str, word: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None => {
                let before = i == 0 || bytes[i - 1].is_ascii_whitespace();
                let after = bytes.get(i + word.len());
                if before
                    && s[i..].starts_with(word)
                    && after.is_none_or(|c| c.is_ascii_whitespace() || *c == b'"')
                {
                    return Some(i);
                }
            }
        }
    }
    None
}

/// `numeric(10)` is `numeric(10,0)`; `numeric(10, 2)` is `numeric(10,2)`.
fn numeric_modifier(m: &str) -> String {
    let parts: Vec<&str> = m.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [p] => format!("{p},0"),
        _ => parts.join(","),
    }
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Split `timestamp (6) with time zone` into (`timestamp`, `6`, `with time zone`),
/// `interval day to second(3)` into (`interval`, `day to second(3)`, ``).
fn split_modifier(s: &str) -> (String, Option<String>, String) {
    if let Some(rest) = s.strip_prefix("interval") {
        let rest = rest.trim().replace(" (", "(");
        return (
            "interval".into(),
            (!rest.is_empty()).then_some(rest),
            String::new(),
        );
    }
    match (s.find('('), s.find(')')) {
        (Some(open), Some(close)) if close > open => {
            let base = s[..open].trim().to_string();
            let modifier = s[open + 1..close]
                .split(',')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(",");
            let mut suffix = s[close + 1..].trim().to_string();
            // `timestamp(6) without time zone` → no suffix
            if suffix == "without time zone" {
                suffix.clear();
            }
            (base, Some(modifier), suffix)
        }
        _ => {
            for zone in [" with time zone", " without time zone"] {
                if let Some(base) = s.strip_suffix(zone) {
                    let suffix = if zone.contains("without") {
                        ""
                    } else {
                        zone.trim()
                    };
                    return (base.trim().to_string(), None, suffix.to_string());
                }
            }
            (s.to_string(), None, String::new())
        }
    }
}

/// Is this canonical type one of the integer family (for serial detection and defaults)?
pub fn is_integer(t: &str) -> bool {
    matches!(t, "integer" | "smallint" | "bigint")
}

/// The serial pseudo-type an integer column with an owned `nextval` default stands for.
pub fn serial_for(t: &str) -> Option<&'static str> {
    match t {
        "integer" => Some("serial"),
        "smallint" => Some("smallserial"),
        "bigint" => Some("bigserial"),
        _ => None,
    }
}

/// Numeric types whose quoted literal defaults (`'-1'::integer`) mean a number.
pub fn is_numeric(t: &str) -> bool {
    let base = t.split('(').next().unwrap_or(t);
    matches!(
        base,
        "integer"
            | "smallint"
            | "bigint"
            | "serial"
            | "smallserial"
            | "bigserial"
            | "numeric"
            | "real"
            | "double precision"
    )
}

#[cfg(test)]
mod tests {
    use super::pg_type;

    #[test]
    fn drizzle_and_catalog_spellings_meet() {
        let pairs = [
            ("varchar(256)", "character varying(256)"),
            ("varchar", "character varying"),
            ("char", "character(1)"),
            ("char(10)", "character(10)"),
            ("timestamp", "timestamp without time zone"),
            ("timestamp (6)", "timestamp(6) without time zone"),
            ("timestamp(3)", "timestamp(3) without time zone"),
            ("timestamp with time zone", "timestamp with time zone"),
            (
                "timestamp (3) with time zone",
                "timestamp(3) with time zone",
            ),
            ("timestamptz", "timestamp with time zone"),
            ("time", "time without time zone"),
            ("time with time zone", "time with time zone"),
            ("numeric(10, 2)", "numeric(10,2)"),
            ("numeric(10)", "numeric(10,0)"),
            ("decimal", "numeric"),
            ("integer[][]", "integer[]"),
            ("text[]", "text[]"),
            ("int", "integer"),
            ("double precision", "double precision"),
            ("public.status", "status"),
            ("public.status[]", "status[]"),
            ("interval day to second", "interval day to second"),
            ("vector(3)", "public.vector(3)"),
            ("boolean", "bool"),
        ];
        for (drizzle, catalog) in pairs {
            assert_eq!(pg_type(drizzle), pg_type(catalog), "{drizzle} vs {catalog}");
        }
    }

    #[test]
    fn collations_are_split_off() {
        let cases = [
            ("text COLLATE \"C\"", "text", Some("C")),
            ("text collate \"en_US.utf8\"", "text", Some("en_US.utf8")),
            (
                "varchar(10) COLLATE pg_catalog.\"POSIX\"",
                "varchar(10)",
                Some("POSIX"),
            ),
            ("text COLLATE C", "text", Some("c")),
            ("text COLLATE app.\"Mine\"", "text", Some("app.Mine")),
            ("text", "text", None),
            ("\"collate\"", "\"collate\"", None),
        ];
        for (raw, ty, collation) in cases {
            let (t, c) = super::split_collation(raw);
            assert_eq!((t.as_str(), c.as_deref()), (ty, collation), "{raw}");
        }
    }

    #[test]
    fn different_types_stay_different() {
        assert_ne!(pg_type("varchar(255)"), pg_type("varchar(256)"));
        assert_ne!(pg_type("timestamp"), pg_type("timestamp with time zone"));
        assert_ne!(pg_type("numeric(10,2)"), pg_type("numeric(12,2)"));
        assert_ne!(pg_type("text"), pg_type("text[]"));
        assert_ne!(pg_type("auth.role"), pg_type("role"));
        assert_ne!(pg_type("integer"), pg_type("bigint"));
    }
}
