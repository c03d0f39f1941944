//! Whether PostgreSQL refuses `ALTER COLUMN … SET DATA TYPE to` without `USING`.
//!
//! Without `USING` the server converts the column with an assignment cast; where none
//! exists it stops with `column "c" cannot be cast automatically to type integer`, whatever
//! the rows (an empty table too). drizzle-kit writes no `USING`. Only conversions between
//! the built-in types [`base`] knows are claimed; an enum, a domain or an array is left alone.

/// The type's canonical name, modifiers and array brackets dropped.
fn base(text: &str) -> Option<&'static str> {
    let t = text.trim().to_ascii_lowercase().replace('"', "");
    if t.ends_with("[]") {
        return None;
    }
    let head = match (t.find('('), t.find(')')) {
        (Some(o), Some(c)) if c > o => format!("{} {}", &t[..o], &t[c + 1..]),
        _ => t,
    };
    let words: Vec<&str> = head.split_whitespace().collect();
    Some(match words.join(" ").as_str() {
        "text" => "text",
        "character varying" | "varchar" => "varchar",
        "character" | "char" | "bpchar" => "bpchar",
        "smallint" | "int2" => "int2",
        "integer" | "int" | "int4" => "int4",
        "bigint" | "int8" => "int8",
        "numeric" | "decimal" => "numeric",
        "real" | "float4" => "float4",
        "double precision" | "float8" => "float8",
        "boolean" | "bool" => "bool",
        "uuid" => "uuid",
        "json" => "json",
        "jsonb" => "jsonb",
        "date" => "date",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "timestamp with time zone" | "timestamptz" => "timestamptz",
        "interval" => "interval",
        "inet" => "inet",
        "bytea" => "bytea",
        _ => return None,
    })
}

/// Families within which PostgreSQL has assignment casts both ways.
const FAMILIES: &[&[&str]] = &[
    &["int2", "int4", "int8", "numeric", "float4", "float8"],
    &["json", "jsonb"],
    &["date", "timestamp", "timestamptz"],
];

/// `true` when PostgreSQL has no assignment cast `from → to`: the change fails without
/// `USING`. `false` when it has one or when a type is not one of those listed in [`base`].
/// Among those, a conversion works only to a string type (I/O to a string is an assignment
/// cast) or within a family; tests/lint_pg.rs checks every pair against a real server.
pub fn needs_using(from: &str, to: &str) -> bool {
    let (Some(a), Some(b)) = (base(from), base(to)) else {
        return false;
    };
    let converts = a == b
        || matches!(b, "text" | "varchar" | "bpchar")
        || FAMILIES.iter().any(|f| f.contains(&a) && f.contains(&b));
    !converts
}
