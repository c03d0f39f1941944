//! Spell every value the same way whatever source it came from, so the diff can use
//! plain equality. Readers fill the model with the SQL text their source gives; loaders
//! run [`schema`] on the result, once.

mod array;
mod datetime;
mod defaults;
mod deparse;
pub mod expr;
mod grouping;
mod interval;
mod mysql;
pub mod types;

pub use defaults::pg_default;
pub use expr::expression;
pub use mysql::{mysql_default, mysql_type};
pub use types::pg_type;

use super::{Dialect, Identity, QualifiedName, Schema, SequenceOptions, Table};
use std::collections::BTreeMap;

/// PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1); drizzle-kit does not,
/// so its auto-generated constraint names can be longer than what the database keeps.
pub fn pg_identifier(name: &str) -> String {
    if name.len() <= 63 {
        return name.to_string();
    }
    let mut end = 63;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_string()
}

/// What drizzle-kit's own sources (snapshots, the TS schema) imply without saying:
/// `generate` enables row level security on every table that has a policy.
pub fn drizzle_implied(s: &mut Schema) {
    for table in s.tables.values_mut() {
        if !table.policies.is_empty() {
            table.rls_enabled = true;
        }
    }
}

/// Normalize every type, default and expression of a schema in place.
pub fn schema(s: &mut Schema) {
    match s.dialect {
        Dialect::Postgresql => postgres(s),
        Dialect::Mysql => mysql(s),
    }
}

fn postgres(s: &mut Schema) {
    truncate_names(s);
    for table in s.tables.values_mut() {
        postgres_table(table);
    }
    for seq in s.sequences.values_mut() {
        fill_sequence_defaults(&mut seq.options, "bigint");
    }
    for view in s.views.values_mut() {
        view.definition = view.definition.as_deref().map(expression);
    }
}

/// The texts drizzle-kit compares as written, kept before they are normalized: index
/// keys that are expressions and `where` clauses, checks, policies, generated columns,
/// defaults.
pub(super) fn keep_written(t: &mut Table) {
    let mut written = std::collections::BTreeMap::new();
    for i in &t.indexes {
        if i.keys.iter().any(|k| k.is_expression) {
            let keys: Vec<&str> = i.keys.iter().map(|k| k.expression.as_str()).collect();
            written.insert(("index", i.name.clone(), "columns"), keys.join(", "));
        }
        if let Some(w) = &i.where_clause {
            written.insert(("index", i.name.clone(), "where"), w.clone());
        }
    }
    for c in &t.checks {
        written.insert(
            ("check", c.name.clone(), "definition"),
            c.expression.clone(),
        );
    }
    for p in &t.policies {
        if let Some(u) = &p.using {
            written.insert(("policy", p.name.clone(), "using"), u.clone());
        }
        if let Some(w) = &p.with_check {
            written.insert(("policy", p.name.clone(), "with_check"), w.clone());
        }
    }
    for c in &t.columns {
        if let Some(g) = &c.generated {
            written.insert(
                ("column", c.name.clone(), "generated"),
                g.expression.clone(),
            );
        }
        if let Some(d) = &c.default {
            written.insert(("column", c.name.clone(), "default"), d.clone());
        }
        // MySQL: `ON UPDATE CURRENT_TIMESTAMP` and `…(3)` on a `timestamp(3)` are one
        // clause to the server, two texts to drizzle-kit 1.0 (`onUpdateNowFsp`).
        if let Some(u) = &c.on_update {
            written.insert(("column", c.name.clone(), "on_update"), u.clone());
        }
    }
    t.written = written;
}

/// Every name as PostgreSQL keeps it: cut to 63 bytes (see [`pg_identifier`]). Tables,
/// enums, sequences and views are keyed by their new names.
fn truncate_names(s: &mut Schema) {
    let names = |v: &mut Vec<String>| v.iter_mut().for_each(|n| *n = pg_identifier(n));
    s.schemas = std::mem::take(&mut s.schemas)
        .iter()
        .map(|n| pg_identifier(n))
        .collect();
    rekey(&mut s.enums, |e| &mut e.name);
    rekey(&mut s.sequences, |q| &mut q.name);
    rekey(&mut s.views, |v| &mut v.name);
    rekey(&mut s.tables, |t| &mut t.name);
    for t in s.tables.values_mut() {
        for c in &mut t.columns {
            c.name = pg_identifier(&c.name);
            if let Some(seq) = c.identity.as_mut().and_then(|i| i.sequence.as_mut()) {
                *seq = pg_identifier(seq);
            }
        }
        if let Some(pk) = &mut t.primary_key {
            pk.name = pg_identifier(&pk.name);
            names(&mut pk.columns);
        }
        for i in &mut t.indexes {
            i.name = pg_identifier(&i.name);
            for k in i.keys.iter_mut().filter(|k| !k.is_expression) {
                k.expression = pg_identifier(&k.expression);
            }
        }
        for fk in &mut t.foreign_keys {
            fk.name = pg_identifier(&fk.name);
            names(&mut fk.columns);
            fk.references = qualified_identifier(&fk.references);
            names(&mut fk.ref_columns);
        }
        for u in &mut t.uniques {
            u.name = pg_identifier(&u.name);
            names(&mut u.columns);
        }
        for c in &mut t.checks {
            c.name = pg_identifier(&c.name);
        }
        for p in &mut t.policies {
            p.name = pg_identifier(&p.name);
        }
    }
}

fn qualified_identifier(q: &QualifiedName) -> QualifiedName {
    QualifiedName::new(pg_identifier(&q.schema), pg_identifier(&q.name))
}

/// Cuts the names of a map's entries to 63 bytes, keying each by its new name.
fn rekey<T>(map: &mut BTreeMap<QualifiedName, T>, name: impl Fn(&mut T) -> &mut QualifiedName) {
    *map = std::mem::take(map)
        .into_values()
        .map(|mut v| {
            let n = name(&mut v);
            *n = qualified_identifier(n);
            (n.clone(), v)
        })
        .collect();
}

fn postgres_table(table: &mut Table) {
    keep_written(table);
    let table_name = table.name.name.clone();
    let pk_columns: Vec<String> = table
        .primary_key
        .as_ref()
        .map(|pk| pk.columns.clone())
        .unwrap_or_default();
    for col in &mut table.columns {
        let (raw_type, collation) = types::split_collation(&col.sql_type);
        if let Some(c) = collation {
            col.collation = Some(c);
        }
        // `COLLATE "default"` is what a column without a collation has.
        col.collation = col.collation.take().filter(|c| c != "default");
        let mut ty = pg_type(&raw_type);
        // Every column of a primary key is NOT NULL, declared so or not.
        if pk_columns.contains(&col.name) {
            col.not_null = true;
        }
        if let Some(default) = &col.default {
            let canonical = pg_default(default, &ty);
            // An integer column whose default takes the next value of the sequence
            // `<table>_<column>_seq` is what `serial` creates.
            let serial_seq = pg_identifier(&format!("{table_name}_{}_seq", col.name));
            if let Some(serial) =
                types::serial_for(&ty).filter(|_| is_nextval_of(&canonical, &serial_seq))
            {
                ty = serial.to_string();
                col.default = None;
            } else if canonical == "null" {
                // `DEFAULT NULL`: PostgreSQL stores no default, or `NULL::type`.
                col.default = None;
            } else {
                col.default = Some(canonical);
            }
        }
        if let Some(identity) = &mut col.identity {
            normalize_identity(identity, &table_name, &col.name, &ty);
        }
        if let Some(generated) = &mut col.generated {
            generated.expression = expression(&generated.expression);
        }
        col.sql_type = ty;
    }
    for index in &mut table.indexes {
        index.method = if index.method.is_empty() {
            "btree".into()
        } else {
            index.method.to_lowercase()
        };
        for key in &mut index.keys {
            if key.is_expression {
                key.expression = expression(&key.expression);
            }
            key.opclass = key
                .opclass
                .as_ref()
                .map(|o| o.to_lowercase())
                .filter(|o| !o.is_empty());
        }
        index.where_clause = index.where_clause.as_deref().map(expression);
        index.with.sort();
    }
    for fk in &mut table.foreign_keys {
        fk.on_delete = fk_action(&fk.on_delete);
        fk.on_update = fk_action(&fk.on_update);
        if fk.references.schema.is_empty() {
            fk.references.schema = "public".into();
        }
    }
    for check in &mut table.checks {
        check.expression = expression(&check.expression);
    }
    for policy in &mut table.policies {
        policy.kind = policy.kind.to_lowercase();
        policy.command = policy.command.to_lowercase();
        policy.to.sort();
        policy.using = policy.using.as_deref().map(expression);
        policy.with_check = policy.with_check.as_deref().map(expression);
    }
}

fn is_nextval_of(default: &str, sequence: &str) -> bool {
    nextval_sequence(default).is_some_and(|(_, name)| name == sequence)
}

/// The sequence a `nextval('…')` default takes its values from: schema (when written)
/// and name, unquoted. Both `nextval('s')` and the catalog's
/// `nextval('app."S"'::regclass)` are read.
pub fn nextval_sequence(default: &str) -> Option<(Option<String>, String)> {
    let arg = default.trim().strip_prefix("nextval('")?;
    let arg = arg
        .strip_suffix("'::regclass)")
        .or_else(|| arg.strip_suffix("')"))?;
    let unquote = |s: &str| match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => s.to_string(),
    };
    // A dot inside quotes belongs to a name.
    let mut split = None;
    let mut quoted = false;
    for (i, c) in arg.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '.' if !quoted => split = Some(i),
            _ => {}
        }
    }
    Some(match split {
        Some(i) => (Some(unquote(&arg[..i])), unquote(&arg[i + 1..])),
        None => (None, unquote(arg)),
    })
}

fn fk_action(raw: &str) -> String {
    let a = raw.trim().to_lowercase().replace('_', " ");
    if a.is_empty() {
        "no action".into()
    } else {
        a
    }
}

fn normalize_identity(identity: &mut Identity, table: &str, column: &str, ty: &str) {
    if identity.sequence.as_deref().is_none_or(str::is_empty) {
        identity.sequence = Some(pg_identifier(&format!("{table}_{column}_seq")));
    }
    if let Some(seq) = &mut identity.sequence {
        *seq = seq
            .rsplit('.')
            .next()
            .unwrap_or(seq)
            .trim_matches('"')
            .to_string();
    }
    fill_sequence_defaults(&mut identity.options, ty);
}

/// PostgreSQL's defaults for unspecified sequence options, so an omitted option and the
/// catalog's explicit value compare equal.
fn fill_sequence_defaults(o: &mut SequenceOptions, ty: &str) {
    let max = match ty {
        "smallint" | "smallserial" => "32767",
        "integer" | "serial" => "2147483647",
        _ => "9223372036854775807",
    };
    let min_for_negative = match ty {
        "smallint" | "smallserial" => "-32768",
        "integer" | "serial" => "-2147483648",
        _ => "-9223372036854775808",
    };
    let increment = o.increment.clone().unwrap_or_else(|| "1".into());
    let descending = increment.starts_with('-');
    let min = o
        .min_value
        .clone()
        .map(js_rounded_limit)
        .unwrap_or_else(|| {
            if descending {
                min_for_negative.into()
            } else {
                "1".into()
            }
        });
    let max = o
        .max_value
        .clone()
        .map(js_rounded_limit)
        .unwrap_or_else(|| if descending { "-1".into() } else { max.into() });
    let start =
        o.start_with
            .clone()
            .unwrap_or_else(|| if descending { max.clone() } else { min.clone() });
    o.increment = Some(increment);
    o.min_value = Some(min);
    o.max_value = Some(max);
    o.start_with = Some(start);
    o.cache = Some(o.cache.clone().unwrap_or_else(|| "1".into()));
}

/// A bigint bound written through a JavaScript number: `maxValue: 9223372036854775807`
/// reaches the snapshot as `9223372036854776000`, a value no sequence can hold. The limit
/// that rounds to it is the one meant.
fn js_rounded_limit(v: String) -> String {
    let Ok(n) = v.parse::<i128>() else {
        return v;
    };
    let (max, min) = (i128::from(i64::MAX), i128::from(i64::MIN));
    if n > max && n as f64 == max as f64 {
        max.to_string()
    } else if n < min && n as f64 == min as f64 {
        min.to_string()
    } else {
        v
    }
}

fn mysql(s: &mut Schema) {
    for table in s.tables.values_mut() {
        mysql::table(table);
    }
    for view in s.views.values_mut() {
        view.definition = view.definition.as_deref().map(expression);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, QualifiedName};

    #[test]
    fn serial_is_an_integer_with_its_own_sequence() {
        let mut s = Schema::new(Dialect::Postgresql);
        let mut t = Table::new(QualifiedName::new("public", "users"));
        let mut id = Column::new("id", "integer");
        id.default = Some("nextval('users_id_seq'::regclass)".into());
        let mut other = Column::new("n", "integer");
        other.default = Some("nextval('shared_seq'::regclass)".into());
        t.columns = vec![id, other];
        s.tables.insert(t.name.clone(), t);
        schema(&mut s);
        let t = &s.tables[&QualifiedName::new("public", "users")];
        assert_eq!(t.columns[0].sql_type, "serial");
        assert_eq!(t.columns[0].default, None);
        assert_eq!(t.columns[1].sql_type, "integer");
        assert_eq!(
            t.columns[1].default.as_deref(),
            Some("nextval('shared_seq')")
        );
    }

    #[test]
    fn nextval_names_its_sequence() {
        assert_eq!(
            nextval_sequence("nextval('old_name_id_seq'::regclass)"),
            Some((None, "old_name_id_seq".into()))
        );
        assert_eq!(
            nextval_sequence(r#"nextval('app."We.ird"'::regclass)"#),
            Some((Some("app".into()), "We.ird".into()))
        );
        assert_eq!(nextval_sequence("nextval('s')"), Some((None, "s".into())));
        assert_eq!(nextval_sequence("now()"), None);
    }

    #[test]
    fn long_names_are_cut_like_postgres_does() {
        let long = "a".repeat(70);
        assert_eq!(pg_identifier(&long).len(), 63);
        assert_eq!(pg_identifier("short"), "short");
    }
}
