//! Snapshots converted to the model, on the real fixtures: 0.x versions 5, 6 and 7, 1.0
//! version 8 (full `ddl`) and version 9 (base + diffs replayed).

mod history_support;

use drizzle_drift::model::{GeneratedKind, IdentityKind, QualifiedName, Schema, Table};
use drizzle_drift::sources::history;
use history_support::*;
use std::collections::BTreeSet;

fn qn(schema: &str, name: &str) -> QualifiedName {
    QualifiedName::new(schema, name)
}

fn table<'a>(s: &'a Schema, schema: &str, name: &str) -> &'a Table {
    s.tables
        .get(&qn(schema, name))
        .unwrap_or_else(|| panic!("no table {schema}.{name}: {:?}", s.tables.keys()))
}

fn last(name: &str) -> Schema {
    let h = load_pg(&drizzle(name));
    history::snapshot(&h, h.migrations.len() - 1).unwrap()
}

/// The model without origins, for comparing two sources of the same state.
fn without_origins(mut s: Schema) -> Schema {
    for e in s.enums.values_mut() {
        e.origin = None;
    }
    for q in s.sequences.values_mut() {
        q.origin = None;
    }
    for v in s.views.values_mut() {
        v.origin = None;
    }
    for t in s.tables.values_mut() {
        t.origin = None;
    }
    s
}

#[test]
fn kitchen_columns_keep_drizzle_kit_spellings() {
    let s = last("kitchen");
    let users = table(&s, "public", "users");
    let names: Vec<&str> = users
        .columns
        .iter()
        .take(6)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "id",
            "public_id",
            "email",
            "email_domain",
            "display_name",
            "role"
        ],
        "snapshot key order"
    );
    let col = |n: &str| users.column(n).unwrap_or_else(|| panic!("no column {n}"));
    assert_eq!(col("id").sql_type, "serial");
    assert!(col("id").not_null);
    assert_eq!(col("email").sql_type, "varchar(400)");
    assert_eq!(col("role").sql_type, "public.user_role");
    assert_eq!(col("role").default.as_deref(), Some("'member'"));
    assert_eq!(col("moods").sql_type, "public.mood[]");
    assert_eq!(col("balance").sql_type, "numeric(12, 2)");
    assert_eq!(col("balance").default.as_deref(), Some("'0.00'"));
    assert_eq!(col("karma").default.as_deref(), Some("0"));
    assert_eq!(col("weight").default.as_deref(), Some("1.5"));
    assert_eq!(col("active").default.as_deref(), Some("true"));
    assert_eq!(col("display_name").default.as_deref(), Some("'it''s me'"));
    assert_eq!(col("tags").sql_type, "text[]");
    assert_eq!(col("tags").default.as_deref(), Some("'{}'::text[]"));
    assert_eq!(
        col("settings").default.as_deref(),
        Some("'{\"theme\":\"dark\",\"notifications\":true}'::jsonb")
    );
    assert_eq!(col("score").default, None);
    let generated = col("email_domain").generated.as_ref().unwrap();
    assert_eq!(generated.expression, "split_part(email, '@', 2)");
    assert_eq!(generated.kind, GeneratedKind::Stored);

    let devices = table(&s, "public", "devices");
    let offset = devices.column("offset").unwrap();
    assert_eq!(offset.default.as_deref(), Some("-0.25"));
    assert_eq!(devices.column("matrix").unwrap().sql_type, "integer[][]");
    assert!(devices.column("legacy_code").is_none(), "dropped in step 2");

    let log = table(&s, "audit", "log");
    assert_eq!(log.column("action").unwrap().sql_type, "audit.action");
}

#[test]
fn kitchen_constraints() {
    let s = last("kitchen");
    let users = table(&s, "public", "users");
    let pk = users.primary_key.as_ref().unwrap();
    assert_eq!(
        (pk.name.as_str(), pk.columns.as_slice()),
        ("users_pkey", &["id".to_string()][..])
    );

    let memberships = table(&s, "public", "memberships");
    let pk = memberships.primary_key.as_ref().unwrap();
    assert_eq!(pk.name, "memberships_org_id_user_id_pk");
    assert_eq!(pk.columns, ["org_id", "user_id"]);
    let fk = memberships
        .foreign_keys
        .iter()
        .find(|f| f.name == "memberships_user_id_users_id_fk")
        .unwrap();
    assert_eq!(fk.references, qn("public", "users"));
    assert_eq!(fk.columns, ["user_id"]);
    assert_eq!(fk.ref_columns, ["id"]);
    assert_eq!(fk.on_delete, "cascade");
    assert_eq!(fk.on_update, "restrict");

    let log = table(&s, "audit", "log");
    let fk = &log.foreign_keys[0];
    assert_eq!(
        fk.references,
        qn("public", "users"),
        "no schemaTo means public"
    );
    assert_eq!(fk.on_delete, "set null");
    assert_eq!(fk.on_update, "no action");

    let nickname = users
        .uniques
        .iter()
        .find(|u| u.name == "users_nickname_key")
        .unwrap();
    assert!(nickname.nulls_not_distinct);
    assert_eq!(nickname.columns, ["nickname"]);
    let email = users
        .uniques
        .iter()
        .find(|u| u.name == "users_email_unique")
        .unwrap();
    assert!(!email.nulls_not_distinct);

    let check = users
        .checks
        .iter()
        .find(|c| c.name == "users_age_check")
        .unwrap();
    assert_eq!(
        check.expression,
        "\"users\".\"age\" >= 0 AND \"users\".\"age\" < 150"
    );
}

#[test]
fn kitchen_indexes() {
    let s = last("kitchen");
    let users = table(&s, "public", "users");
    let index = |n: &str| users.indexes.iter().find(|i| i.name == n).unwrap();

    let lower = index("users_email_lower_idx");
    assert!(lower.unique);
    assert!(lower.keys[0].is_expression);
    assert_eq!(lower.keys[0].expression, "lower(\"email\")");

    let created = index("users_created_at_idx");
    assert!(!created.keys[0].asc);
    assert!(created.keys[0].nulls_first);

    let gin = index("users_settings_gin_idx");
    assert_eq!(gin.method, "gin");
    assert_eq!(gin.keys[0].opclass.as_deref(), Some("jsonb_path_ops"));

    assert_eq!(index("users_public_id_hash_idx").method, "hash");
    assert_eq!(index("users_country_idx").with, ["fillfactor=70"]);
    assert_eq!(
        index("users_active_email_idx").where_clause.as_deref(),
        Some("\"users\".\"active\" = true")
    );
    let multi = index("users_role_created_at_index");
    let keys: Vec<&str> = multi.keys.iter().map(|k| k.expression.as_str()).collect();
    assert_eq!(keys, ["role", "created_at"]);
    assert!(multi
        .keys
        .iter()
        .all(|k| k.asc && !k.nulls_first && !k.is_expression));
    assert!(
        users.indexes.iter().all(|i| i.name != "users_tags_idx"),
        "dropped in step 3"
    );
}

#[test]
fn kitchen_identity_policies_views_and_the_rest() {
    let s = last("kitchen");
    let events = table(&s, "public", "events");
    let id = events.column("id").unwrap().identity.as_ref().unwrap();
    assert_eq!(id.kind, IdentityKind::Always);
    assert_eq!(id.sequence.as_deref(), Some("events_id_custom_seq"));
    assert_eq!(id.options.max_value.as_deref(), Some("900000000000"));
    assert_eq!(id.options.start_with.as_deref(), Some("1"));
    assert!(!id.options.cycle);
    let seq = events.column("seq").unwrap().identity.as_ref().unwrap();
    assert_eq!(seq.kind, IdentityKind::ByDefault);

    let documents = table(&s, "public", "documents");
    assert_eq!(documents.policies.len(), 4);
    let read = documents
        .policies
        .iter()
        .find(|p| p.name == "documents_public_read")
        .unwrap();
    assert_eq!(
        (read.kind.as_str(), read.command.as_str()),
        ("permissive", "select")
    );
    assert_eq!(read.to, ["public"]);
    assert_eq!(
        read.using.as_deref(),
        Some("\"documents\".\"published\" = true")
    );
    assert_eq!(read.with_check, None);
    let no_delete = documents
        .policies
        .iter()
        .find(|p| p.name == "documents_no_delete_published")
        .unwrap();
    assert_eq!(
        (no_delete.kind.as_str(), no_delete.command.as_str()),
        ("restrictive", "delete")
    );
    assert!(table(&s, "public", "secrets").rls_enabled);

    let org_sizes = &s.views[&qn("public", "org_sizes")];
    assert!(!org_sizes.materialized);
    assert_eq!(
        org_sizes.definition.as_deref(),
        Some("select org_id, count(*) as members from memberships group by org_id")
    );
    assert!(s.views[&qn("audit", "summary")].materialized);

    assert_eq!(
        s.enums[&qn("public", "mood")].values,
        ["sad", "ok", "happy", "ecstatic"]
    );
    assert_eq!(
        s.enums[&qn("audit", "action")].values,
        ["insert", "update", "delete"]
    );
    let invoice = &s.sequences[&qn("public", "invoice_number_seq")].options;
    assert_eq!(invoice.increment.as_deref(), Some("2"));
    assert_eq!(invoice.min_value.as_deref(), Some("1000"));
    assert_eq!(invoice.cache.as_deref(), Some("10"));
    assert_eq!(s.schemas, BTreeSet::from(["audit".to_string()]));
    assert!(s.roles.is_empty(), "existing roles are not in the snapshot");
}

#[test]
fn origins_name_the_snapshot_file_and_line() {
    let h = load_pg(&drizzle("kitchen"));
    let path = h.migrations[2].snapshot_path.clone().unwrap();
    let s = history::snapshot(&h, 2).unwrap();
    let text = read(&path);
    for t in s.tables.values() {
        let origin = t.origin.as_ref().unwrap();
        assert_eq!(origin.file, path.display().to_string());
        let line = text.lines().nth(origin.line.unwrap() as usize - 1).unwrap();
        assert_eq!(
            line.trim(),
            format!("\"{}.{}\": {{", t.name.schema, t.name.name)
        );
    }
}

#[test]
fn each_migration_has_its_own_state() {
    let h = load_pg(&drizzle("kitchen"));
    let first = history::snapshot(&h, 0).unwrap();
    let second = history::snapshot(&h, 1).unwrap();
    assert!(table(&first, "public", "devices")
        .column("legacy_code")
        .is_some());
    assert!(table(&second, "public", "devices")
        .column("legacy_code")
        .is_none());
    assert!(!first.tables.contains_key(&qn("public", "events")));
    assert!(second.tables.contains_key(&qn("public", "events")));
    assert!(history::snapshot(&h, 3).is_err());
}

#[test]
fn legacy_v5_and_v6_give_the_same_model() {
    // Same schema steps generated by drizzle-kit 0.20 (v5: bare table keys, dialect "pg")
    // and 0.21 (v6: `public.` keys).
    let v5 = without_origins(last("legacy-v5"));
    let v6 = without_origins(last("legacy-v6"));
    assert_eq!(v5, v6);
    let users = table(&v5, "public", "users");
    assert_eq!(users.primary_key.as_ref().unwrap().name, "users_pkey");
    let posts = table(&v5, "public", "posts");
    let index = &posts.indexes[0];
    assert_eq!(index.name, "posts_author_id_idx");
    assert_eq!(index.keys[0].expression, "author_id");
    assert!(index.keys[0].asc && !index.keys[0].nulls_first);
    assert_eq!(index.method, "btree");
    assert_eq!(
        posts.column("published").unwrap().default.as_deref(),
        Some("false")
    );
}

#[test]
fn rc5_replay_equals_the_rc4_full_snapshots() {
    // The same three schema steps: rc.4 wrote every state in full (version 8), rc.5
    // wrote a base and two diffs (version 9). Replaying rc.5 must give rc.4's states.
    let rc4 = load_pg(&drizzle("v1-rc4"));
    let rc5 = load_pg(&drizzle("v1-rc5"));
    assert_eq!(rc4.migrations.len(), rc5.migrations.len());
    for i in 0..rc4.migrations.len() {
        let full = without_origins(history::snapshot(&rc4, i).unwrap());
        let replayed = history::snapshot_with_notes(&rc5, i).unwrap();
        assert!(replayed.notes.is_empty(), "{:#?}", replayed.notes);
        let mut replayed = without_origins(replayed.schema);
        let mut full = full;
        // A diff appends new columns after the existing ones; order is not the state.
        for s in [&mut replayed, &mut full] {
            for t in s.tables.values_mut() {
                t.columns.sort_by(|a, b| a.name.cmp(&b.name));
            }
        }
        assert_eq!(replayed, full, "migration {i}");
    }
    let last = history::snapshot(&rc5, 2).unwrap();
    let comments = table(&last, "public", "comments");
    assert!(comments.column("body").is_some());
}

#[test]
fn rc5_kitchen_replay_applies_creates_alters_and_drops() {
    let h = load_pg(&drizzle("v1-rc5-kitchen"));
    let second = history::snapshot_with_notes(&h, 1).unwrap();
    assert!(second.notes.is_empty(), "{:#?}", second.notes);
    let s = second.schema;
    let users = table(&s, "public", "users");
    // alter: set type / default / drop default
    assert_eq!(users.column("email").unwrap().sql_type, "varchar(400)");
    assert_eq!(users.column("score").unwrap().default, None);
    assert_eq!(users.column("karma").unwrap().default.as_deref(), Some("0"));
    // create with dimensions
    assert_eq!(users.column("labels").unwrap().sql_type, "varchar(40)[]");
    // drop + alter on another table
    let devices = table(&s, "public", "devices");
    assert!(devices.column("legacy_code").is_none());
    assert!(devices.column("user_id").unwrap().not_null);
    let fk = table(&s, "public", "memberships")
        .foreign_keys
        .iter()
        .find(|f| f.name == "memberships_user_id_users_id_fkey")
        .unwrap();
    assert_eq!(
        (fk.on_delete.as_str(), fk.on_update.as_str()),
        ("cascade", "restrict")
    );
    assert_eq!(
        s.sequences[&qn("public", "invoice_number_seq")]
            .options
            .increment
            .as_deref(),
        Some("2")
    );
    assert!(users.indexes.iter().any(|i| i.name == "users_tags_idx"));
    let settings = users
        .indexes
        .iter()
        .find(|i| i.name == "users_settings_gin_idx")
        .unwrap();
    assert_eq!(settings.keys[0].opclass.as_deref(), Some("jsonb_path_ops"));
    assert_eq!(
        users
            .indexes
            .iter()
            .find(|i| i.name == "users_country_idx")
            .unwrap()
            .with,
        ["fillfactor=70"]
    );

    let third = history::snapshot_with_notes(&h, 2).unwrap();
    assert!(third.notes.is_empty(), "{:#?}", third.notes);
    let s = third.schema;
    let users = table(&s, "public", "users");
    assert!(
        users.indexes.iter().all(|i| i.name != "users_tags_idx"),
        "dropped in step 3"
    );
    assert_eq!(
        s.enums[&qn("public", "mood")].values,
        ["sad", "ok", "happy", "ecstatic"]
    );
    assert_eq!(table(&s, "public", "documents").policies.len(), 4);
    assert!(table(&s, "public", "secrets").rls_enabled);
    assert_eq!(
        s.sequences[&qn("audit", "entry_seq")]
            .options
            .increment
            .as_deref(),
        Some("10")
    );
    assert!(s.views[&qn("public", "user_stats")].materialized);
}

#[test]
fn rc5_kitchen_has_the_tables_and_columns_of_the_0x_kitchen() {
    // Both generated from the same TS steps (rc.5's generated column reads display_name,
    // see the fixtures README): every state has the same tables, views and column names.
    let old = load_pg(&drizzle("kitchen"));
    let new = load_pg(&drizzle("v1-rc5-kitchen"));
    for i in 0..3 {
        let a = history::snapshot(&old, i).unwrap();
        let b = history::snapshot(&new, i).unwrap();
        assert_eq!(
            a.tables.keys().collect::<Vec<_>>(),
            b.tables.keys().collect::<Vec<_>>(),
            "migration {i}"
        );
        assert_eq!(
            a.views.keys().collect::<Vec<_>>(),
            b.views.keys().collect::<Vec<_>>()
        );
        let values = |s: &Schema| -> Vec<(QualifiedName, Vec<String>)> {
            s.enums
                .iter()
                .map(|(k, e)| (k.clone(), e.values.clone()))
                .collect()
        };
        assert_eq!(values(&a), values(&b), "migration {i}");
        for (name, ta) in &a.tables {
            let tb = &b.tables[name];
            let mut ca: Vec<&str> = ta.columns.iter().map(|c| c.name.as_str()).collect();
            let mut cb: Vec<&str> = tb.columns.iter().map(|c| c.name.as_str()).collect();
            ca.sort_unstable();
            cb.sort_unstable();
            if name.name == "users" && i > 0 {
                ca.retain(|c| *c != "email_domain");
                cb.retain(|c| *c != "name_initial");
            }
            assert_eq!(ca, cb, "migration {i} table {name}");
            assert_eq!(ta.policies.len(), tb.policies.len(), "{name}");
            assert_eq!(ta.checks.len(), tb.checks.len(), "{name}");
            assert_eq!(ta.indexes.len(), tb.indexes.len(), "{name}");
            assert_eq!(ta.foreign_keys.len(), tb.foreign_keys.len(), "{name}");
            assert_eq!(ta.primary_key.is_some(), tb.primary_key.is_some(), "{name}");
        }
    }
}

#[test]
fn diff_snapshot_alone_is_an_error_naming_the_file() {
    let h = load_pg(&drizzle("v1-rc5"));
    let path = h.migrations[1].snapshot_path.clone().unwrap();
    let err = history::parse_snapshot(&read(&path), "diff.json").unwrap_err();
    assert_eq!(err.location, "diff.json");
    assert!(err.message.contains("diff snapshot"), "{}", err.message);
    // The base is a full state on its own.
    let base = h.migrations[0].snapshot_path.clone().unwrap();
    let alone = history::parse_snapshot(&read(&base), &base.display().to_string()).unwrap();
    assert_eq!(alone, history::snapshot(&h, 0).unwrap());
}

#[test]
fn replay_with_a_missing_parent_is_an_error() {
    // Delete the base: the diffs cannot be rebuilt.
    let (_tmp, dir) = temp_copy("v1-rc5");
    std::fs::remove_file(dir.join("20261125211128_init/snapshot.json")).unwrap();
    let h = load_pg(&dir);
    let err = history::snapshot(&h, 2).unwrap_err();
    assert!(
        err.message.contains("is not in the migrations folder"),
        "{}",
        err.message
    );
}

#[test]
fn every_fixture_snapshot_converts_without_notes() {
    for name in all_fixtures() {
        let h = load_pg(&drizzle(&name));
        for (i, m) in h.migrations.iter().enumerate() {
            if m.snapshot_path.is_none() {
                continue;
            }
            let converted = history::snapshot_with_notes(&h, i)
                .unwrap_or_else(|e| panic!("{name} {}: {e}", m.tag));
            assert!(
                converted.notes.is_empty(),
                "{name} {}: {:#?}",
                m.tag,
                converted.notes
            );
            assert!(!converted.schema.tables.is_empty(), "{name} {}", m.tag);
            for t in converted.schema.tables.values() {
                assert!(!t.columns.is_empty(), "{name} {} {}", m.tag, t.name);
                assert!(
                    t.origin.as_ref().is_some_and(|o| o.line.is_some()),
                    "{name} {}",
                    t.name
                );
            }
        }
    }
}

#[test]
fn multischema_foreign_keys_cross_schemas() {
    let s = last("multischema");
    let mut crossing = 0;
    for t in s.tables.values() {
        for fk in &t.foreign_keys {
            assert!(
                s.tables.contains_key(&fk.references),
                "{} references unknown {}",
                t.name,
                fk.references
            );
            if fk.references.schema != t.name.schema {
                crossing += 1;
            }
        }
    }
    assert!(crossing >= 2, "{crossing}");
    assert!(s.schemas.contains("auth") && s.schemas.contains("billing"));
}

#[test]
fn replayed_tables_point_at_the_file_that_created_them() {
    let h = load_pg(&drizzle("v1-rc5-kitchen"));
    let s = history::snapshot(&h, 2).unwrap();
    for (table, migration) in [("users", 0), ("events", 1), ("documents", 2)] {
        let origin = table_origin(&s, table);
        let path = h.migrations[migration].snapshot_path.clone().unwrap();
        assert_eq!(origin.0, path.display().to_string(), "{table}");
        let text = read(&path);
        let lines: Vec<&str> = text.lines().collect();
        let at = origin.1 as usize - 1;
        assert!(
            lines[at].contains("\"entityType\": \"tables\""),
            "{table}: {}",
            lines[at]
        );
        let window = &lines[at.saturating_sub(6)..at];
        assert!(
            window
                .iter()
                .any(|l| l.contains(&format!("\"name\": \"{table}\""))),
            "{table}: {window:?}"
        );
    }
}

fn table_origin(s: &Schema, name: &str) -> (String, u32) {
    let origin = table(s, "public", name).origin.clone().unwrap();
    (origin.file, origin.line.unwrap())
}
