//! Views of the current database. Their definitions are kept as the server prints them
//! (rewritten, database-qualified): the diff compares views with the database by presence.

use super::session::{Fields, Session};
use super::tables::Listing;
use crate::model::{QualifiedName, View};

/// No query when the listing has no view.
pub(super) async fn query(session: &mut Session, listing: &Listing) -> Result<Vec<Fields>, String> {
    if listing.views.is_empty() {
        return Ok(Vec::new());
    }
    session
        .rows(
            "views",
            "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS \
             WHERE TABLE_SCHEMA = DATABASE()",
        )
        .await
}

pub(super) fn build(rows: Vec<Fields>, listing: &Listing) -> Vec<View> {
    rows.iter()
        .filter(|row| listing.has_view(row.text(0)))
        .map(|row| View {
            name: QualifiedName::new("", row.text(0)),
            materialized: false,
            // Empty without the SHOW VIEW privilege.
            definition: row.opt(1).filter(|d| !d.is_empty()).map(str::to_string),
            origin: None,
        })
        .collect()
}
