//! Sequences, in one query: standalone ones become [`Sequence`]s, identity sequences give
//! their column's identity options, serial (`OWNED BY`) ones are left to the column.

use super::session::Session;
use super::{not_extension_member, USER_NAMESPACE};
use crate::diagnostic::Diagnostic;
use crate::model::{QualifiedName, Sequence, SequenceOptions};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
pub(super) struct SequenceRow {
    schema: String,
    name: String,
    increment: String,
    min: String,
    max: String,
    start: String,
    cache: String,
    cycle: bool,
    /// `pg_depend.deptype` on a table column: `i` identity, `a` serial / `OWNED BY`.
    owner: Option<String>,
    owner_rel: Option<u32>,
    owner_col: Option<i32>,
}

impl SequenceRow {
    fn options(&self) -> SequenceOptions {
        SequenceOptions {
            increment: Some(self.increment.clone()),
            min_value: Some(self.min.clone()),
            max_value: Some(self.max.clone()),
            start_with: Some(self.start.clone()),
            cache: Some(self.cache.clone()),
            cycle: self.cycle,
        }
    }
}

/// The sequence behind an identity column.
#[derive(Debug, Clone)]
pub(super) struct IdentitySequence {
    pub name: String,
    pub options: SequenceOptions,
}

pub(super) async fn read(
    session: &mut Session,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<SequenceRow>, String> {
    let sql = format!(
        "SELECT json_build_object('schema', n.nspname, 'name', c.relname, \
           'increment', s.seqincrement::text, 'min', s.seqmin::text, 'max', s.seqmax::text, \
           'start', s.seqstart::text, 'cache', s.seqcache::text, 'cycle', s.seqcycle, \
           'owner', d.deptype::text, 'owner_rel', d.refobjid::bigint, 'owner_col', d.refobjsubid) \
         FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid \
           AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') \
         WHERE {USER_NAMESPACE} AND {not_ext} \
         ORDER BY n.nspname, c.relname",
        not_ext = not_extension_member("pg_class", "c"),
    );
    session.json_rows("sequences", &sql, diagnostics).await
}

/// Identity sequences by (table oid, column number).
pub(super) fn identities(rows: &[SequenceRow]) -> HashMap<(u32, i32), IdentitySequence> {
    rows.iter()
        .filter(|r| r.owner.as_deref() == Some("i"))
        .filter_map(|r| {
            Some((
                (r.owner_rel?, r.owner_col?),
                IdentitySequence {
                    name: r.name.clone(),
                    options: r.options(),
                },
            ))
        })
        .collect()
}

/// Sequences a column owns (`serial`, `OWNED BY`) by (table oid, column number): their
/// schema and name.
pub(super) fn owned(rows: &[SequenceRow]) -> HashMap<(u32, i32), (String, String)> {
    rows.iter()
        .filter(|r| r.owner.as_deref() == Some("a"))
        .filter_map(|r| {
            Some((
                (r.owner_rel?, r.owner_col?),
                (r.schema.clone(), r.name.clone()),
            ))
        })
        .collect()
}

/// Sequences no column owns: what `pgSequence` declares.
pub(super) fn standalone(rows: Vec<SequenceRow>) -> Vec<Sequence> {
    rows.into_iter()
        .filter(|r| r.owner.is_none())
        .map(|r| Sequence {
            options: r.options(),
            name: QualifiedName::new(r.schema, r.name),
            origin: None,
        })
        .collect()
}
