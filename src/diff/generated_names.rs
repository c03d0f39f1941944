//! drizzle-kit 1.0's `preserveEntityNames`: before `generate` compares the schema with
//! the previous snapshot, a primary key, unique constraint, foreign key or index whose
//! name drizzle-kit chose on both sides (`nameExplicit: false`) and whose definition is
//! the same takes the snapshot's name. A new default-name rule (1.0's betas named
//! things differently from its release candidates) or a renamed table therefore never
//! makes `generate` rename such an object, and neither may the comparison here.

use crate::model::{
    Index, Schema, Table, IMPLICIT_FOREIGN_KEY, IMPLICIT_INDEX, IMPLICIT_PRIMARY_KEY,
    IMPLICIT_UNIQUE,
};

/// Renames the implicitly named objects of `ts` after their counterparts in `snapshot`.
pub fn keep_snapshot_names(ts: &mut Schema, snapshot: &Schema) {
    for (name, old) in &snapshot.tables {
        if let Some(new) = ts.tables.get_mut(name) {
            keep_table_names(new, old);
        }
    }
}

fn keep_table_names(new: &mut Table, old: &Table) {
    if let (Some(o), Some(n)) = (&old.primary_key, &new.primary_key) {
        let both = old
            .implicit_names
            .contains(&(IMPLICIT_PRIMARY_KEY, o.name.clone()))
            && new
                .implicit_names
                .contains(&(IMPLICIT_PRIMARY_KEY, n.name.clone()));
        if both && o.columns == n.columns && o.name != n.name {
            let to = o.name.clone();
            rename(new, IMPLICIT_PRIMARY_KEY, &n.name.clone(), &to);
            if let Some(pk) = &mut new.primary_key {
                pk.name = to;
            }
        }
    }
    for o in &old.uniques {
        let found = matching(
            &old.implicit_names,
            &new.implicit_names,
            IMPLICIT_UNIQUE,
            &o.name,
            {
                new.uniques
                    .iter()
                    .filter(|u| {
                        u.columns == o.columns && u.nulls_not_distinct == o.nulls_not_distinct
                    })
                    .map(|u| u.name.as_str())
            },
        );
        if let Some(from) = found {
            rename(new, IMPLICIT_UNIQUE, &from, &o.name);
            for u in new.uniques.iter_mut().filter(|u| u.name == from) {
                u.name = o.name.clone();
            }
        }
    }
    for o in &old.foreign_keys {
        let found = matching(
            &old.implicit_names,
            &new.implicit_names,
            IMPLICIT_FOREIGN_KEY,
            &o.name,
            new.foreign_keys
                .iter()
                .filter(|f| {
                    f.columns == o.columns
                        && f.references == o.references
                        && f.ref_columns == o.ref_columns
                        && f.on_delete == o.on_delete
                        && f.on_update == o.on_update
                })
                .map(|f| f.name.as_str()),
        );
        if let Some(from) = found {
            rename(new, IMPLICIT_FOREIGN_KEY, &from, &o.name);
            for f in new.foreign_keys.iter_mut().filter(|f| f.name == from) {
                f.name = o.name.clone();
            }
        }
    }
    for o in &old.indexes {
        let found = matching(
            &old.implicit_names,
            &new.implicit_names,
            IMPLICIT_INDEX,
            &o.name,
            new.indexes
                .iter()
                .filter(|i| same_index(i, o))
                .map(|i| i.name.as_str()),
        );
        if let Some(from) = found {
            rename(new, IMPLICIT_INDEX, &from, &o.name);
            for i in new.indexes.iter_mut().filter(|i| i.name == from) {
                i.name = o.name.clone();
            }
            let written: Vec<_> = new
                .written
                .keys()
                .filter(|(kind, name, _)| *kind == "index" && *name == from)
                .cloned()
                .collect();
            for key in written {
                if let Some(text) = new.written.remove(&key) {
                    new.written.insert((key.0, o.name.clone(), key.2), text);
                }
            }
        }
    }
}

fn same_index(a: &Index, b: &Index) -> bool {
    a.keys == b.keys
        && a.unique == b.unique
        && a.method == b.method
        && a.where_clause == b.where_clause
        && a.with == b.with
}

/// The one implicitly named object of the new side among `candidates` (same definition)
/// when the old object `name` is implicitly named too and the names differ.
fn matching<'n>(
    old_implicit: &std::collections::BTreeSet<(&'static str, String)>,
    new_implicit: &std::collections::BTreeSet<(&'static str, String)>,
    kind: &'static str,
    name: &str,
    candidates: impl Iterator<Item = &'n str>,
) -> Option<String> {
    if !old_implicit.contains(&(kind, name.to_string())) {
        return None;
    }
    let found: Vec<&str> = candidates
        .filter(|c| new_implicit.contains(&(kind, c.to_string())))
        .collect();
    match found.as_slice() {
        [one] if *one != name => Some(one.to_string()),
        _ => None,
    }
}

fn rename(t: &mut Table, kind: &'static str, from: &str, to: &str) {
    t.implicit_names.remove(&(kind, from.to_string()));
    t.implicit_names.insert((kind, to.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dialect, ForeignKey, QualifiedName};

    fn fk(name: &str, implicit: bool) -> Schema {
        let mut s = Schema::new(Dialect::Postgresql);
        let mut t = Table::new(QualifiedName::new("public", "posts"));
        t.foreign_keys.push(ForeignKey {
            name: name.to_string(),
            columns: vec!["author_id".into()],
            references: QualifiedName::new("public", "users"),
            ref_columns: vec!["id".into()],
            on_delete: "cascade".into(),
            on_update: "no action".into(),
            origin: None,
        });
        if implicit {
            t.implicit_names
                .insert((IMPLICIT_FOREIGN_KEY, name.to_string()));
        }
        s.tables.insert(t.name.clone(), t);
        s
    }

    fn fk_name(s: &Schema) -> &str {
        &s.tables[&QualifiedName::new("public", "posts")].foreign_keys[0].name
    }

    #[test]
    fn a_generated_name_follows_the_snapshot() {
        let snapshot = fk("posts_author_id_users_id_fk", true);
        let mut ts = fk("posts_author_id_users_id_fkey", true);
        keep_snapshot_names(&mut ts, &snapshot);
        assert_eq!(fk_name(&ts), "posts_author_id_users_id_fk");
    }

    #[test]
    fn an_explicit_name_on_either_side_is_kept() {
        let snapshot = fk("posts_author_fk", false);
        let mut ts = fk("posts_author_id_users_id_fkey", true);
        keep_snapshot_names(&mut ts, &snapshot);
        assert_eq!(fk_name(&ts), "posts_author_id_users_id_fkey");
        let snapshot = fk("posts_author_id_users_id_fk", true);
        let mut ts = fk("posts_author", false);
        keep_snapshot_names(&mut ts, &snapshot);
        assert_eq!(fk_name(&ts), "posts_author");
    }

    #[test]
    fn another_definition_keeps_its_own_name() {
        let snapshot = fk("posts_author_id_users_id_fk", true);
        let mut ts = fk("posts_author_id_users_id_fkey", true);
        for t in ts.tables.values_mut() {
            t.foreign_keys[0].on_delete = "set null".into();
        }
        keep_snapshot_names(&mut ts, &snapshot);
        assert_eq!(fk_name(&ts), "posts_author_id_users_id_fkey");
    }
}
