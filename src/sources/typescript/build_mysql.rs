//! The model drizzle-kit's `generateMySqlSnapshot` (snapshot version 5) would write:
//! tables keyed by bare name, single-column primary keys as `<table>_<column>` entries of
//! `compositePrimaryKeys`, `enum('a','b')` types, defaults of text/json/blob columns
//! wrapped in parentheses, tables of another database (`mysqlSchema`) left out. With
//! `v1`, what drizzle-kit 1.0 writes instead (snapshot version 6, see [`super::mysql_v1`]):
//! its defaults, `<columns>_unique` and `_fkey` names, `nameExplicit`.

use super::build::{mark_unknown, upsert, Builder};
use super::mysql::enum_type;
use super::snapshot_values::{column_type, json_value};
use super::sql::{self, Mode};
use super::value::{
    js_number, js_string, json_stringify, Dz, IndexKeyV, IndexV, TableCol, TableV, Value, Why,
};
use crate::model::{
    Column, Dialect, ForeignKey, Generated, GeneratedKind, Index, IndexKey, PrimaryKey,
    QualifiedName, Schema, Table, Unique, View, IMPLICIT_FOREIGN_KEY, IMPLICIT_UNIQUE,
    UNKNOWN_COLUMNS, UNKNOWN_CONSTRAINTS,
};
use std::rc::Rc;

impl<'a, 'm, 'e> Builder<'a, 'm, 'e> {
    pub(super) fn build_mysql(&mut self, entries: usize) -> Schema {
        let exported = self.exported(entries);
        let mut schema = Schema::new(Dialect::Mysql);
        schema.partial = exported.partial;
        for t in &exported.tables {
            if !t.mysql {
                self.warn(
                    Some(t.loc),
                    format!(
                        "table {} is a pg-core table in a MySQL project; drizzle-kit ignores it",
                        t.name
                    ),
                );
                continue;
            }
            if t.schema.is_some() {
                // drizzle-kit writes only the tables of the connection's own database.
                continue;
            }
            let table = self.mysql_table(t);
            schema.tables.insert(table.name.clone(), table);
        }
        for v in &exported.views {
            let name = QualifiedName::new("", &*v.name);
            if !v.mysql {
                self.warn(
                    Some(v.loc),
                    format!(
                        "view {name} is a pg-core view in a MySQL project; drizzle-kit ignores it"
                    ),
                );
                continue;
            }
            if schema.views.contains_key(&name) {
                self.warn(
                    Some(v.loc),
                    format!("view {name} is declared twice; drizzle-kit refuses such a schema"),
                );
                continue;
            }
            let definition = if v.existing {
                None
            } else {
                match &v.definition {
                    Ok(d) => Some(d.clone()),
                    Err(w) => {
                        let w = w.clone();
                        self.unknown(&format!("the definition of view {name}"), &w, v.loc);
                        None
                    }
                }
            };
            schema.views.insert(
                name.clone(),
                View {
                    name,
                    materialized: false,
                    definition,
                    origin: self.origin(v.loc),
                },
            );
        }
        schema
    }

    fn mysql_table(&mut self, t: &Rc<TableV<'a>>) -> Table {
        let mut table = Table::new(QualifiedName::new("", &*t.name));
        table.origin = self.origin(t.loc);
        let label = t.name.to_string();
        for (key, w) in &t.bad_columns {
            let w = w.clone();
            self.unknown(&format!("column {label}.{key}"), &w, t.loc);
        }
        for w in &t.holes {
            let w = w.clone();
            self.unknown(&format!("some columns of {label} (a spread)"), &w, t.loc);
        }
        if !t.bad_columns.is_empty() || !t.holes.is_empty() {
            // A column the reader could not evaluate may exist under any name and carry
            // keys and references: none of their absences may be reported.
            mark_unknown(&mut table, &[UNKNOWN_COLUMNS, UNKNOWN_CONSTRAINTS]);
        }
        let mut pks: Vec<PrimaryKey> = Vec::new();
        let mut uniques: Vec<Unique> = Vec::new();
        let mut fks: Vec<ForeignKey> = Vec::new();
        for (i, c) in t.columns.iter().enumerate() {
            let b = &c.builder;
            let loc = c.loc.unwrap_or(b.loc);
            let name = self.col_name(c);
            let col_label = format!("{label}.{name}");
            let mut unknown = Vec::new();
            let sql_type = match column_type(b) {
                Ok((ty, _)) => ty,
                Err(w) => {
                    self.unknown(&format!("the type of {col_label}"), &w, loc);
                    unknown.push("type");
                    String::new()
                }
            };
            let mut column = Column::new(
                name.clone(),
                if sql_type.starts_with("enum") {
                    enum_type(&sql_type)
                } else {
                    sql_type.clone()
                },
            );
            column.origin = self.origin(loc);
            column.not_null = b.not_null;
            column.autoincrement = b.autoincrement;
            column.on_update = b.on_update_now.then(|| "CURRENT_TIMESTAMP".to_string());
            match &b.on_update_fsp {
                Some(Value::Num(fsp)) if self.v1 => {
                    column.on_update = Some(format!("CURRENT_TIMESTAMP({})", js_number(*fsp)));
                }
                Some(Value::Unknown(w)) if self.v1 => {
                    let w = w.clone();
                    self.unknown(&format!("the onUpdateNow fsp of {col_label}"), &w, loc);
                    unknown.push("on_update");
                }
                _ => {}
            }
            for (attr, w) in &b.unknown {
                let w = w.clone();
                self.unknown(&format!("{attr} of {col_label}"), &w, loc);
                if *attr != "column" {
                    unknown.push(attr);
                }
            }
            if let Some(default) = &b.default {
                let text = if self.v1 {
                    let custom = b.column_type == "MySqlCustomColumn";
                    super::mysql_v1::default_text(default, &sql_type, custom, self.style())
                } else {
                    default_text(default, &sql_type, self.style())
                };
                match text {
                    Ok(d) => column.default = d,
                    Err(w) => {
                        self.unknown(&format!("the default of {col_label}"), &w, loc);
                        unknown.push("default");
                    }
                }
            }
            if let Some(generated) = &b.generated {
                match self.generated_expression(generated, loc) {
                    Ok(expression) => {
                        column.generated = Some(Generated {
                            expression,
                            kind: match b.generated_mode.as_deref() {
                                Some("virtual") => GeneratedKind::Virtual,
                                _ => GeneratedKind::Stored,
                            },
                        })
                    }
                    Err(w) => {
                        self.unknown(&format!("the generated expression of {col_label}"), &w, loc);
                        unknown.push("generated");
                    }
                }
            }
            for (field, value) in [("charset", &b.charset), ("collation", &b.collation)] {
                let text = match value {
                    None | Some(Value::Undefined) => None,
                    Some(Value::Str(s)) => Some(s.to_string()),
                    Some(Value::Unknown(w)) => {
                        let w = w.clone();
                        self.unknown(&format!("the {field} of {col_label}"), &w, loc);
                        unknown.push(field);
                        None
                    }
                    Some(other) => js_string(other),
                };
                if field == "charset" {
                    column.charset = text;
                } else {
                    column.collation = text;
                }
            }
            column.unknown = unknown.into_iter().map(str::to_string).collect();
            if b.primary {
                let pk_name = format!("{}_{}", t.name, name);
                upsert(
                    &mut pks,
                    |p| p.name == pk_name,
                    PrimaryKey {
                        name: pk_name.clone(),
                        columns: vec![name.clone()],
                    },
                );
            }
            if let Some((explicit, _)) = &b.unique {
                let unique_name = match explicit {
                    Some(n) if self.v1 => n.to_string(),
                    None if self.v1 => {
                        let n = super::mysql_v1::unique_name(std::slice::from_ref(&name));
                        table.implicit_names.insert((IMPLICIT_UNIQUE, n.clone()));
                        n
                    }
                    _ => b
                        .unique_name
                        .as_deref()
                        .map_or_else(|| format!("{}_{}_unique", t.name, c.name), str::to_string),
                };
                upsert(
                    &mut uniques,
                    |u| u.name == unique_name,
                    Unique {
                        name: unique_name.clone(),
                        columns: vec![name.clone()],
                        nulls_not_distinct: false,
                        origin: self.origin(loc),
                    },
                );
            }
            for r in &b.references {
                let from = TableCol {
                    table: t.clone(),
                    index: i,
                    extra: false,
                    desc: false,
                    nulls_first: false,
                    opclass: None,
                };
                match self.ev.call(r.target.clone(), Vec::new(), r.loc) {
                    Value::Host(Dz::TableCol(to)) => {
                        if let Some(fk) = self.foreign_key(
                            t,
                            &[from],
                            &[(*to).clone()],
                            None,
                            r.on_update.as_ref(),
                            r.on_delete.as_ref(),
                            true,
                            r.loc,
                        ) {
                            if self.v1 {
                                table
                                    .implicit_names
                                    .insert((IMPLICIT_FOREIGN_KEY, fk.name.clone()));
                            }
                            let n = fk.name.clone();
                            upsert(&mut fks, |f| f.name == n, fk);
                        }
                    }
                    Value::Unknown(w) => {
                        mark_unknown(&mut table, &[UNKNOWN_CONSTRAINTS]);
                        self.unknown(&format!("the reference of {col_label}"), &w, r.loc)
                    }
                    other => {
                        mark_unknown(&mut table, &[UNKNOWN_CONSTRAINTS]);
                        let what = format!("the reference of {col_label}");
                        let w =
                            super::pg::why(format!("returns {}, not a column", other.kind()), None);
                        self.unknown(&what, &w, r.loc);
                    }
                }
            }
            self.mark_touched(t, i, &mut column);
            table.columns.push(column);
        }

        let mut table_uniques: Vec<Unique> = Vec::new();
        let mut extra_fks: Vec<ForeignKey> = Vec::new();
        let (items, complete) = self.extra_items(t);
        if !complete {
            table
                .unknown
                .insert(crate::model::UNKNOWN_CONSTRAINTS.to_string());
        }
        for item in items {
            match item {
                Value::Host(Dz::Index(i)) => {
                    if let Some(index) = self.mysql_index(t, &i) {
                        table.indexes.push(index);
                    }
                }
                Value::Host(Dz::Check(c)) => {
                    if let Some(check) = self.extra_check(&c, &label) {
                        let n = check.name.clone();
                        upsert(&mut table.checks, |x| x.name == n, check);
                    }
                }
                Value::Host(Dz::Unique(u)) => {
                    if let Some(mut unique) = self.extra_unique(t, &u, &label) {
                        if self.v1 && u.name.is_none() {
                            unique.name = super::mysql_v1::unique_name(&unique.columns);
                            table
                                .implicit_names
                                .insert((IMPLICIT_UNIQUE, unique.name.clone()));
                        }
                        let n = unique.name.clone();
                        let unique = Unique {
                            nulls_not_distinct: false,
                            ..unique
                        };
                        upsert(&mut table_uniques, |x| x.name == n, unique);
                    }
                }
                Value::Host(Dz::PrimaryKey(pk)) => {
                    if let Some(pk) = self.extra_primary_key(t, &pk, &label) {
                        // drizzle-kit marks the columns of a table-level primary key NOT NULL.
                        for c in &pk.columns {
                            if let Some(col) = table.columns.iter_mut().find(|x| &x.name == c) {
                                col.not_null = true;
                            }
                        }
                        let n = pk.name.clone();
                        upsert(&mut pks, |p| p.name == n, pk);
                    }
                }
                Value::Host(Dz::ForeignKey(fk)) => {
                    let named = !matches!(fk.name, None | Some(Value::Undefined));
                    if let Some(fk) = self.extra_foreign_key(
                        t,
                        &fk,
                        &label,
                        fk.on_update.as_ref(),
                        fk.on_delete.as_ref(),
                    ) {
                        if self.v1 && !named {
                            table
                                .implicit_names
                                .insert((IMPLICIT_FOREIGN_KEY, fk.name.clone()));
                        }
                        extra_fks.push(fk);
                    }
                }
                _ => {}
            }
        }
        for fk in extra_fks {
            let n = fk.name.clone();
            upsert(&mut fks, |f| f.name == n, fk);
        }
        for fk in &mut fks {
            fk.references.schema = String::new();
        }
        for u in table_uniques {
            let n = u.name.clone();
            upsert(&mut uniques, |x| x.name == n, u);
        }
        table.primary_key = pks.into_iter().next();
        table.uniques = uniques;
        table.foreign_keys = fks;
        table
    }

    fn mysql_index(&mut self, t: &Rc<TableV<'a>>, i: &IndexV<'a>) -> Option<Index> {
        let Some(name) = i.name.as_deref().map(str::to_string) else {
            self.warn(Some(i.loc), format!("an index of {} has no name", t.name));
            return None;
        };
        let mut keys = Vec::new();
        for key in &i.keys {
            match key {
                IndexKeyV::Col(c) => keys.push(IndexKey {
                    expression: self.col_name(c.col()),
                    is_expression: false,
                    asc: true,
                    nulls_first: false,
                    opclass: None,
                }),
                IndexKeyV::Sql(s) => match sql::render_with(s, Mode::Index, self.style()) {
                    Ok(expression) => keys.push(IndexKey {
                        expression,
                        is_expression: true,
                        asc: true,
                        nulls_first: false,
                        opclass: None,
                    }),
                    Err(w) => {
                        self.unknown(&format!("index {name}"), &w, i.loc);
                        return None;
                    }
                },
                IndexKeyV::Unknown(w) => {
                    let w = w.clone();
                    self.unknown(&format!("index {name}"), &w, i.loc);
                    return None;
                }
            }
        }
        let method = match &i.method {
            Value::Str(s) if !s.is_empty() => s.to_string(),
            _ => "btree".into(),
        };
        Some(Index {
            name,
            keys,
            unique: i.unique,
            method,
            where_clause: None,
            with: Vec::new(),
            origin: self.origin(i.loc),
        })
    }
}

/// The default as a MySQL snapshot stores it, in the history reader's text form.
fn default_text(
    v: &Value<'_>,
    sql_type: &str,
    style: sql::Style,
) -> Result<Option<String>, Rc<Why>> {
    let fail = |m: String| Rc::new(Why::new(m, None));
    let lowered = sql_type.to_lowercase();
    enum Raw {
        Text(String),
        Json(serde_json::Value, String),
    }
    let raw = match v {
        Value::Host(Dz::Sql(s)) => return sql::render_with(s, Mode::Default, style).map(Some),
        Value::Unknown(w) => return Err(w.clone()),
        Value::Str(s) => Raw::Text(format!("'{}'", s.replace('\'', "''"))),
        _ if lowered == "json" => match json_stringify(v) {
            Ok(Some(json)) => Raw::Text(format!("'{json}'")),
            Ok(None) => Raw::Text("'undefined'".into()),
            Err(m) => return Err(fail(m)),
        },
        Value::BigInt(_) => {
            return Err(fail(
                "drizzle-kit cannot write a BigInt default into a snapshot".into(),
            ))
        }
        // drizzle-kit writes a date default only for date, datetime and timestamp columns.
        Value::Date(ms) => match crate::js::date_iso(*ms) {
            Some(iso) if lowered == "date" => Raw::Text(format!("'{}'", &iso[..10])),
            Some(iso) if lowered.starts_with("datetime") || lowered.starts_with("timestamp") => {
                Raw::Text(format!(
                    "'{}'",
                    iso.replace('T', " ").get(..23).unwrap_or("")
                ))
            }
            Some(_) => return Ok(None),
            None => return Err(fail("is an invalid date (drizzle-kit throws)".into())),
        },
        Value::Null | Value::Num(_) | Value::Bool(_) | Value::Array(_) | Value::Object(_) => {
            let text = match v {
                Value::Num(n) => js_number(*n),
                other => js_string(other).unwrap_or_default(),
            };
            match json_value(v) {
                Some(j) => Raw::Json(j, text),
                None => return Err(fail(format!("is {}, which has no JSON form", v.kind()))),
            }
        }
        other => return Err(fail(format!("is {}", other.kind()))),
    };
    if ["blob", "text", "json"].contains(&sql_type) {
        return Ok(Some(match raw {
            Raw::Text(t) => format!("({t})"),
            Raw::Json(_, text) => format!("({text})"),
        }));
    }
    Ok(match raw {
        Raw::Text(t) => Some(t),
        Raw::Json(serde_json::Value::Null, _) => None,
        Raw::Json(serde_json::Value::String(s), _) => Some(s),
        Raw::Json(serde_json::Value::Bool(b), _) => Some(b.to_string()),
        Raw::Json(serde_json::Value::Number(n), _) => Some(n.to_string()),
        Raw::Json(other, _) => Some(other.to_string()),
    })
}
