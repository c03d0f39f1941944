//! Whether PostgreSQL rewrites a table for `ALTER COLUMN … SET DATA TYPE from → to`.
//!
//! PostgreSQL skips the rewrite when the old type is binary-coercible to the new one and
//! the new type modifier only widens (the `prosupport` functions of varchar, numeric,
//! varbit, timestamp and time). Everything this module does not recognise counts as a
//! rewrite: a missed alarm is worse than a warning. tests/lint_pg.rs checks every case
//! listed there against a real server (`pg_class.relfilenode` before and after).

/// A type as written in a snapshot or a migration: canonical name and modifiers.
#[derive(Debug, PartialEq, Eq)]
struct Type {
    name: String,
    mods: Vec<i64>,
    array: bool,
}

fn parse(text: &str) -> Option<Type> {
    let t = text.trim().to_ascii_lowercase().replace('"', "");
    let (t, array) = match t.strip_suffix("[]") {
        Some(inner) => (inner.trim_end().to_string(), true),
        None => (t, false),
    };
    // `timestamp(3) with time zone`: the modifiers sit between the name and its suffix.
    let (head, mods, tail) = match (t.find('('), t.find(')')) {
        (Some(o), Some(c)) if c > o => {
            let mods = t[o + 1..c]
                .split(',')
                .map(|m| m.trim().parse::<i64>().ok())
                .collect::<Option<Vec<_>>>()?;
            (
                t[..o].trim().to_string(),
                mods,
                t[c + 1..].trim().to_string(),
            )
        }
        (None, None) => (t.clone(), Vec::new(), String::new()),
        _ => return None,
    };
    let full = format!("{head} {tail}");
    let words: Vec<&str> = full.split_whitespace().collect();
    let name = match words.join(" ").as_str() {
        "character varying" | "varchar" => "varchar",
        "character" | "char" | "bpchar" => "bpchar",
        "numeric" | "decimal" => "numeric",
        "bit varying" | "varbit" => "varbit",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "timestamp with time zone" | "timestamptz" => "timestamptz",
        "time" | "time without time zone" => "time",
        "time with time zone" | "timetz" => "timetz",
        "integer" | "int" | "int4" => "int4",
        "bigint" | "int8" => "int8",
        "smallint" | "int2" => "int2",
        other => other,
    }
    .to_string();
    Some(Type { name, mods, array })
}

/// A modifier that only widens: none (unlimited) now, or at least as large as before.
fn widens(from: Option<i64>, to: Option<i64>) -> bool {
    match (from, to) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => b >= a,
    }
}

/// `true` when the change rewrites the table, or when this cannot tell.
pub fn rewrites(from: &str, to: &str) -> bool {
    let (Some(a), Some(b)) = (parse(from), parse(to)) else {
        return true;
    };
    if a == b {
        return false;
    }
    if a.array || b.array {
        return true;
    }
    let m = |t: &Type, i: usize| t.mods.get(i).copied();
    let kept = match (a.name.as_str(), b.name.as_str()) {
        ("varchar", "varchar") | ("varbit", "varbit") => widens(m(&a, 0), m(&b, 0)),
        ("varchar", "text") => true,
        ("text", "varchar") => b.mods.is_empty(),
        ("numeric", "numeric") => {
            b.mods.is_empty()
                || (!a.mods.is_empty()
                    && m(&a, 1).unwrap_or(0) == m(&b, 1).unwrap_or(0)
                    && widens(m(&a, 0), m(&b, 0)))
        }
        // The prosupport of timestamp/time: unconstrained or 6 (the maximum) never
        // rewrites, a larger precision neither.
        ("timestamp", "timestamp")
        | ("timestamptz", "timestamptz")
        | ("time", "time")
        | ("timetz", "timetz") => m(&b, 0) == Some(6) || widens(m(&a, 0), m(&b, 0)),
        ("cidr", "inet") => true,
        // timestamp → timestamptz skips the rewrite only when the session TimeZone is UTC
        // (PostgreSQL 12+): the migrator's session is not known here.
        _ => false,
    };
    !kept
}
