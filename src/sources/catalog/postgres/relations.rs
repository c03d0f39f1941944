//! Every table, view and materialized view, in one query; which of them the filters keep.

use super::filter::NameFilter;
use super::session::Session;
use super::{not_extension_member, ReadOptions, USER_NAMESPACE};
use crate::diagnostic::{Diagnostic, Level};
use crate::model::QualifiedName;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
pub(super) struct RelationRow {
    pub oid: u32,
    pub schema: String,
    pub name: String,
    /// `pg_class.relkind`: `r` table, `p` partitioned table, `f` foreign table, `v` view,
    /// `m` materialized view.
    pub kind: String,
    pub rls: bool,
    /// `[schema, name]` of the parent when this is a partition.
    pub parent: Option<(String, String)>,
    /// Estimated rows (`reltuples`, -1 when never analyzed) and total bytes (`relpages` of
    /// the table, its TOAST table and its indexes), for tables. Not `pg_total_relation_size`:
    /// it opens the relation, so one ACCESS EXCLUSIVE lock would stall the whole read.
    #[serde(default)]
    pub rows: Option<f64>,
    #[serde(default)]
    pub bytes: Option<i64>,
}

pub(super) struct Kept {
    pub tables: Vec<RelationRow>,
    pub views: Vec<RelationRow>,
}

pub(super) async fn read(
    session: &mut Session,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<RelationRow>, String> {
    let sql = format!(
        "SELECT json_build_object('oid', c.oid::bigint, 'schema', n.nspname, 'name', c.relname, \
           'kind', c.relkind::text, 'rls', c.relrowsecurity, \
           'rows', CASE WHEN c.relkind IN ('r', 'p') THEN c.reltuples END, \
           'bytes', CASE WHEN c.relkind IN ('r', 'p') THEN (c.relpages::bigint \
              + COALESCE((SELECT t.relpages FROM pg_class t WHERE t.oid = c.reltoastrelid), 0) \
              + COALESCE((SELECT sum(ic.relpages) FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid \
                  WHERE x.indrelid = c.oid), 0)) * current_setting('block_size')::bigint END, \
           'parent', CASE WHEN c.relispartition THEN (SELECT json_build_array(pn.nspname, pc.relname) \
              FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent \
              JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid LIMIT 1) END) \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND {USER_NAMESPACE} AND {not_ext} \
         ORDER BY n.nspname, c.relname",
        not_ext = not_extension_member("pg_class", "c"),
    );
    session.json_rows("relations", &sql, diagnostics).await
}

/// Apply the filters; partitions and foreign tables are not part of a Drizzle schema and
/// are reported instead of read.
pub(super) fn keep(
    rows: Vec<RelationRow>,
    opts: &ReadOptions,
    schema_filter: &NameFilter,
    tables_filter: &NameFilter,
    diagnostics: &mut Vec<Diagnostic>,
) -> Kept {
    let mut kept = Kept {
        tables: Vec::new(),
        views: Vec::new(),
    };
    let mut partitions: BTreeMap<QualifiedName, usize> = BTreeMap::new();
    for row in rows {
        if row.schema == opts.migrations_schema && row.name == opts.migrations_table {
            continue;
        }
        let qualified = format!("{}.{}", row.schema, row.name);
        if !schema_filter.allows(&row.schema, None)
            || !tables_filter.allows(&row.name, Some(&qualified))
        {
            continue;
        }
        if let Some((schema, name)) = &row.parent {
            *partitions
                .entry(QualifiedName::new(schema, name))
                .or_default() += 1;
            continue;
        }
        let location = QualifiedName::new(&row.schema, &row.name).to_string();
        match row.kind.as_str() {
            "r" | "p" => kept.tables.push(row),
            "v" | "m" => kept.views.push(row),
            "f" => diagnostics.push(Diagnostic::new(
                Level::Info,
                location,
                "foreign table: not compared (Drizzle schemas do not declare foreign tables)",
            )),
            other => diagnostics.push(Diagnostic::warning(
                location,
                format!("relation of kind `{other}` not read"),
            )),
        }
    }
    for (parent, count) in partitions {
        diagnostics.push(Diagnostic::new(
            Level::Info,
            parent.to_string(),
            format!("{count} partition(s) not compared: only the partitioned table is read"),
        ));
    }
    kept
}
