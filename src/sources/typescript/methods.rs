//! Methods of the drizzle objects a schema builds: column builders (`.notNull()`,
//! `.references()`…), tables, table columns in index position (`.desc()`), schemas, roles,
//! policies, index and constraint builders, `sql` values, views and their query builder.

use super::eval::Evaluator;
use super::pg::{
    arg, call_value, new_column, opt, pg_enum, seq_opts, sequence, table, view_builder, why,
};
use super::sql;
use super::value::{
    ColType, ColumnB, Dz, Family, IdentityB, IndexKeyV, IndexV, Loc, PolicyV, QueryV, Reference,
    RoleV, TableCol, UniqueV, Value, ViewBuilderV,
};
use std::cell::RefCell;
use std::rc::Rc;

/// `object.name(...args)` for drizzle objects.
pub(super) fn method<'a>(
    ev: &mut Evaluator<'a, '_>,
    object: Value<'a>,
    name: &str,
    args: Vec<Value<'a>>,
    loc: Loc,
) -> Value<'a> {
    let loc = ev.here(loc);
    let at = Some(loc);
    match &object {
        Value::Host(Dz::Column(c)) => column_method(ev, c, name, args, loc),
        Value::Host(Dz::Table(t)) => match name {
            "enableRLS" => {
                t.rls.set(true);
                object.clone()
            }
            _ => Value::unknown(format!("calls table.{name}()"), at),
        },
        Value::Host(Dz::TableCol(c)) => {
            if !c.extra {
                return Value::unknown(
                    format!(
                        "calls .{name}() on {}.{}, which only the columns the table callback receives have",
                        c.table.name,
                        c.col().key
                    ),
                    at,
                );
            }
            // The options live on the table's callback column, shared by every use of it.
            let opclass = match (name, arg(&args, 0)) {
                ("op", Value::Str(s)) => Some(s),
                ("op", Value::Unknown(w)) => return Value::Unknown(w),
                ("op", other) => {
                    return Value::unknown(format!("gives .op() {}", other.kind()), at)
                }
                _ => None,
            };
            {
                let mut options = c.table.index_options.borrow_mut();
                let Some(o) = options.get_mut(c.index) else {
                    return Value::unknown("indexes a column the table lacks", at);
                };
                match name {
                    "asc" => o.desc = false,
                    "desc" => o.desc = true,
                    "nullsFirst" => o.nulls_first = true,
                    "nullsLast" => o.nulls_first = false,
                    "op" => o.opclass = opclass,
                    _ => return Value::unknown(format!("calls column.{name}()"), at),
                }
            }
            object.clone()
        }
        Value::Host(Dz::PgSchema(s)) => {
            let schema = Some(s.clone());
            match name {
                "table" => table(ev, &args, schema, false, loc),
                "enum" => pg_enum(ev, &args, schema, loc),
                "sequence" => sequence(ev, &args, schema, loc),
                "view" => view_builder(ev, &args, schema, false, false, loc),
                "materializedView" => view_builder(ev, &args, schema, true, false, loc),
                _ => Value::unknown(format!("calls schema.{name}()"), at),
            }
        }
        Value::Host(Dz::MySchema(s)) => super::mysql::schema_method(ev, s, name, args, loc),
        Value::Host(Dz::Role(r)) => match name {
            "existing" => Value::Host(Dz::Role(Rc::new(RoleV {
                name: r.name.clone(),
                existing: true,
                create_db: r.create_db,
                create_role: r.create_role,
                inherit: r.inherit,
                loc: r.loc,
            }))),
            _ => Value::unknown(format!("calls role.{name}()"), at),
        },
        Value::Host(Dz::Policy(p)) => match name {
            "link" => match arg(&args, 0) {
                Value::Host(Dz::Table(t)) => Value::Host(Dz::Policy(Rc::new(PolicyV {
                    name: p.name.clone(),
                    as_: p.as_.clone(),
                    for_: p.for_.clone(),
                    to: p.to.clone(),
                    using: p.using.clone(),
                    with_check: p.with_check.clone(),
                    link: Some(t),
                    loc: p.loc,
                }))),
                Value::Unknown(w) => Value::Unknown(w),
                other => Value::unknown(format!("links a policy to {}", other.kind()), at),
            },
            _ => Value::unknown(format!("calls policy.{name}()"), at),
        },
        Value::Host(Dz::IndexOn(on)) => {
            if on.mysql && name != "on" {
                return Value::unknown(format!("calls index().{name}() of mysql-core"), at);
            }
            let (method, cols) = match name {
                "on" | "onOnly" => (Value::str("btree"), args),
                "using" => {
                    let mut it = args.into_iter();
                    (it.next().unwrap_or(Value::Undefined), it.collect())
                }
                _ => return Value::unknown(format!("calls index().{name}()"), at),
            };
            let only = name == "onOnly";
            let keys = cols
                .into_iter()
                .map(|c| match c {
                    // `.on()`/`.using()` reset the column's index options with
                    // `JSON.parse(JSON.stringify(defaultConfig))`, which a table's own
                    // column lacks: drizzle-kit 0.31 stops there.
                    Value::Host(Dz::TableCol(tc)) if !tc.extra && !only && !on.mysql => IndexKeyV::Unknown(why(
                        format!(
                            "index().{name}() is given {}.{}, a column of the table object rather                              than of the table callback; drizzle-kit fails on it (\"undefined\" is                              not valid JSON)",
                            tc.table.name,
                            tc.col().key
                        ),
                        at,
                    )),
                    Value::Host(Dz::TableCol(tc)) if tc.extra => {
                        // `.on()` copies the column's options and resets them.
                        let taken = tc
                            .table
                            .index_options
                            .borrow_mut()
                            .get_mut(tc.index)
                            .map(std::mem::take)
                            .unwrap_or_default();
                        IndexKeyV::Col(TableCol {
                            desc: taken.desc,
                            nulls_first: taken.nulls_first,
                            opclass: taken.opclass,
                            ..(*tc).clone()
                        })
                    }
                    Value::Host(Dz::TableCol(tc)) => IndexKeyV::Col((*tc).clone()),
                    Value::Host(Dz::Sql(s)) => IndexKeyV::Sql(s),
                    Value::Unknown(w) => IndexKeyV::Unknown(w),
                    other => IndexKeyV::Unknown(why(format!("indexes {}", other.kind()), at)),
                })
                .collect();
            Value::Host(Dz::Index(Rc::new(IndexV {
                unique: on.unique,
                name: on.name.clone(),
                keys,
                method,
                concurrently: false,
                with: None,
                where_: None,
                loc: on.loc,
                mysql: on.mysql,
            })))
        }
        Value::Host(Dz::Index(i)) => {
            let mut next = (**i).clone();
            match name {
                "using" if i.mysql => next.method = arg(&args, 0),
                "algorithm" | "lock" if i.mysql => {}
                "concurrently" if !i.mysql => next.concurrently = true,
                "with" => next.with = Some(arg(&args, 0)),
                "where" => next.where_ = Some(arg(&args, 0)),
                _ => return Value::unknown(format!("calls index.{name}()"), at),
            }
            Value::Host(Dz::Index(Rc::new(next)))
        }
        Value::Host(Dz::ForeignKey(fk)) => {
            let mut next = (**fk).clone();
            match name {
                "onUpdate" => next.on_update = Some(arg(&args, 0)),
                "onDelete" => next.on_delete = Some(arg(&args, 0)),
                _ => return Value::unknown(format!("calls foreignKey.{name}()"), at),
            }
            Value::Host(Dz::ForeignKey(Rc::new(next)))
        }
        Value::Host(Dz::UniqueOn(n)) => match name {
            "on" => Value::Host(Dz::Unique(Rc::new(UniqueV {
                name: n.clone(),
                columns: args,
                nulls_not_distinct: false,
                loc,
            }))),
            _ => Value::unknown(format!("calls unique().{name}()"), at),
        },
        Value::Host(Dz::Unique(u)) => match name {
            "nullsNotDistinct" => {
                let mut next = (**u).clone();
                next.nulls_not_distinct = true;
                Value::Host(Dz::Unique(Rc::new(next)))
            }
            _ => Value::unknown(format!("calls unique.{name}()"), at),
        },
        Value::Host(Dz::Sql(_)) | Value::Host(Dz::Aliased(_)) => {
            sql::sql_method(object.clone(), name, args, at)
        }
        Value::Host(Dz::ViewBuilder(vb)) => view_method(ev, vb, name, args, loc),
        Value::Host(Dz::Query(q)) => sql::query_method(q, name, args, at),
        Value::Host(Dz::Enum(_))
        | Value::Host(Dz::CustomType(_))
        | Value::Host(Dz::TableCreator(_)) => match name {
            "call" => {
                let rest = args.into_iter().skip(1).collect();
                call_value(ev, object.clone(), rest, loc)
            }
            _ => Value::unknown(format!("calls .{name}() on {}", object.kind()), at),
        },
        Value::Host(Dz::Ignored) => Value::Host(Dz::Ignored),
        other => Value::unknown(format!("calls .{name}() on {}", other.kind()), at),
    }
}

fn view_method<'a>(
    ev: &mut Evaluator<'a, '_>,
    vb: &Rc<ViewBuilderV<'a>>,
    name: &str,
    args: Vec<Value<'a>>,
    loc: Loc,
) -> Value<'a> {
    let at = Some(loc);
    match name {
        // Options the model does not record.
        "with" | "using" | "tablespace" | "withNoData" if !vb.mysql => {
            Value::Host(Dz::ViewBuilder(vb.clone()))
        }
        "algorithm" | "sqlSecurity" | "withCheckOption" if vb.mysql => {
            Value::Host(Dz::ViewBuilder(vb.clone()))
        }
        "existing" => {
            if vb.columns.is_none() {
                return Value::unknown(".existing() needs the view's columns", at);
            }
            sql::view(vb, true, Ok(String::new()), Vec::new())
        }
        "as" => {
            let q = arg(&args, 0);
            match (&vb.columns, q) {
                (Some(_), Value::Host(Dz::Sql(s))) => {
                    let mut s = (*s).clone();
                    s.inline = true;
                    let style = sql::Style {
                        casing: ev.host.casing,
                        mysql: vb.mysql,
                    };
                    let def = sql::render_with(&s, sql::Mode::Query, style);
                    sql::view(vb, false, def, Vec::new())
                }
                (Some(_), Value::Unknown(w)) => sql::view(vb, false, Err(w), Vec::new()),
                (Some(_), other) => sql::view(
                    vb,
                    false,
                    Err(why(format!("defines a view with {}", other.kind()), at)),
                    Vec::new(),
                ),
                (None, f @ (Value::Func(_) | Value::Bound(_))) => {
                    let built = ev.call(
                        f,
                        vec![Value::Host(Dz::Query(Rc::new(QueryV::default())))],
                        loc,
                    );
                    sql::view_from_query(vb, built, at, ev.host.casing)
                }
                (None, q) => sql::view_from_query(vb, q, at, ev.host.casing),
            }
        }
        _ => Value::unknown(format!("calls view.{name}()"), at),
    }
}

fn column_method<'a>(
    ev: &mut Evaluator<'a, '_>,
    c: &Rc<RefCell<ColumnB<'a>>>,
    name: &str,
    args: Vec<Value<'a>>,
    loc: Loc,
) -> Value<'a> {
    let at = Some(loc);
    let own = c
        .borrow()
        .assigned
        .iter()
        .rev()
        .find(|(k, _)| &**k == name)
        .map(|(_, f)| f.clone());
    if let Some(f) = own {
        return ev.call(f, args, loc);
    }
    if name == "array" {
        let current = c.borrow().clone();
        if current.column_type.starts_with("MySql") {
            return Value::unknown("calls .array() on a mysql-core column", at);
        }
        let size = match arg(&args, 0) {
            Value::Num(n) => Some(n),
            _ => None,
        };
        let (base_name, base_loc, key_as_name) =
            (current.name.clone(), current.loc, current.key_as_name);
        let mut array = new_column(
            ColType::Array(Rc::new(current), size),
            Family::Other,
            "PgArray",
            base_name,
            base_loc,
        );
        array.key_as_name = key_as_name;
        return Value::Host(Dz::Column(Rc::new(RefCell::new(array))));
    }
    // Mutated in place: the builder is one object wherever it is used.
    let mut next = c.borrow_mut();
    let current_family = next.family;
    let current_type = next.column_type;
    match name {
        "notNull" => next.not_null = true,
        "primaryKey" => {
            next.primary = true;
            next.not_null = true;
        }
        "default" => {
            next.default = match arg(&args, 0) {
                Value::Undefined => None,
                v => Some(v),
            }
        }
        "defaultNow" if current_family == Family::Date => {
            next.default = Some(sql::raw_sql("now()"));
        }
        "defaultNow" if current_family == Family::MyTimestamp => {
            next.default = Some(sql::raw_sql("(now())"));
        }
        "onUpdateNow" if current_family == Family::MyTimestamp => {
            next.on_update_now = true;
            // drizzle-orm 1.0's `onUpdateNow({ fsp })`.
            next.on_update_fsp = match opt(&arg(&args, 0), "fsp") {
                Ok(Value::Undefined) => None,
                Ok(v) => Some(v),
                Err(w) => Some(Value::Unknown(w)),
            };
        }
        "autoincrement" if current_family == Family::MyAuto => next.autoincrement = true,
        "defaultRandom" if current_family == Family::Uuid => {
            next.default = Some(sql::raw_sql("gen_random_uuid()"));
        }
        "$defaultFn" | "$default" | "$onUpdate" | "$onUpdateFn" | "$type" => {}
        "unique" => {
            let uname = match arg(&args, 0) {
                Value::Str(s) => Some(s),
                Value::Undefined => None,
                Value::Unknown(w) => {
                    next.unknown.push(("unique", w));
                    None
                }
                other => {
                    next.unknown.push((
                        "unique",
                        why(
                            format!("names a unique constraint with {}", other.kind()),
                            at,
                        ),
                    ));
                    None
                }
            };
            let nnd =
                matches!(opt(&arg(&args, 1), "nulls"), Ok(Value::Str(s)) if &*s == "not distinct");
            next.unique_name = uname.clone();
            next.unique = Some((uname, nnd));
        }
        "references" => {
            let actions = arg(&args, 1);
            let action = |k: &str| match opt(&actions, k) {
                Ok(Value::Undefined) => None,
                Ok(v) => Some(v),
                Err(w) => Some(Value::Unknown(w)),
            };
            next.references.push(Reference {
                target: arg(&args, 0),
                on_update: action("onUpdate"),
                on_delete: action("onDelete"),
                name: action("name"),
                loc,
            });
        }
        "charSet" | "collate"
            if sql::orm_v1()
                && matches!(
                    current_type,
                    "MySqlChar" | "MySqlVarChar" | "MySqlText" | "MySqlEnumColumn"
                ) =>
        {
            let value = Some(arg(&args, 0));
            if name == "charSet" {
                next.charset = value;
            } else {
                next.collation = value;
            }
        }
        "generatedAlwaysAs" => {
            next.generated = Some(arg(&args, 0));
            if current_type.starts_with("MySql") {
                next.generated_mode = Some(match opt(&arg(&args, 1), "mode") {
                    Ok(Value::Str(m)) => m,
                    _ => Rc::from("virtual"),
                });
            }
        }
        "generatedAlwaysAsIdentity" | "generatedByDefaultAsIdentity"
            if current_family == Family::Int =>
        {
            let options = arg(&args, 0);
            let seq_name = match opt(&options, "name") {
                Ok(Value::Str(s)) => Some(s),
                _ => None,
            };
            match seq_opts(&options) {
                Ok(opts) => {
                    next.identity = Some(IdentityB {
                        always: name == "generatedAlwaysAsIdentity",
                        name: seq_name,
                        options: opts,
                    })
                }
                Err(w) => next.unknown.push(("identity", w)),
            }
            next.not_null = true;
        }
        _ => {
            let _ = ev;
            return Value::unknown(
                format!("calls .{name}() on a column builder, which drizzle-drift does not know"),
                at,
            );
        }
    }
    drop(next);
    Value::Host(Dz::Column(c.clone()))
}
