//! The explorer's detail view names the migration that made a history difference
//! (`diff::lineage`): the real drizzle-kit fixture `pg/lineage` applied to a real
//! PostgreSQL, its catalog captured (so no throwaway URL shows), then drawn.

mod support;
mod tui_support;

use drizzle_drift::engine::{LiveSource, Options};
use drizzle_drift::tui::app;
use drizzle_drift::tui::tasks::Context;
use drizzle_drift::tui::theme::ThemeName;
use std::sync::Arc;
use support::{apply_migrations, fixture, PgServer};
use tui_support::{drive, new_state, press, runtime, screen_text};

#[test]
fn detail_of_a_history_finding_shows_its_lineage() {
    let Some(server) = PgServer::from_env() else {
        return;
    };
    let project = fixture("lineage");
    let db = runtime().block_on(async {
        let db = server.create_db().await;
        apply_migrations(
            &db,
            &project.join("drizzle"),
            None,
            "drizzle",
            "__drizzle_migrations",
        )
        .await
        .expect("apply");
        db
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("catalog.json");
    let path = catalog.to_string_lossy().to_string();
    let (code, _, stderr) = support::cli::run(&project, Some(db.url()), &["capture", "-o", &path]);
    assert_eq!(code, 0, "capture: {stderr}");
    let options = Options {
        config: None,
        cwd: project,
        live: LiveSource::Captured(catalog),
        ts_engine: Default::default(),
        overrides: Default::default(),
    };
    let mut state = new_state(&options, 120, 40, ThemeName::Default);
    let ctx = Arc::new(Context {
        options,
        live_label: Some("captured catalog".into()),
        targets: Default::default(),
    });
    let cmds = app::reload(&mut state);
    drive(&mut state, &ctx, cmds);
    // The posts table, then its first object with a finding: the table's own row (RLS
    // enabled by the custom migration 0001).
    press(&mut state, "/posts\n\n\n");
    let text = screen_text(&state);
    assert!(
        text.contains("lineage: changed by 0001_rls_and_search.sql:3, not in the snapshot"),
        "{text}"
    );
    // The differing value, its changed words against the TypeScript schema (`similar`).
    assert!(
        text.contains("rls_enabled in Live: [-false-]{+true+}"),
        "{text}"
    );
    insta::assert_snapshot!("detail_lineage_120x40", text);
}
