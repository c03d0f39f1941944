//! Reading every target at once, at most `jobs` at a time. Each read is the ordinary
//! one (read-only transaction, the usual timeouts) on one connection; a target that
//! cannot be reached or read is a [`Failure`], and the others carry on.

use super::{Location, Target};
use crate::error::Error;
use crate::model::{normalize, Dialect};
pub use crate::report::TargetState as State;
use crate::sources::catalog::{self, postgres::ReadOptions, Catalog};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// A target read: its catalog, schema normalized, and its fingerprint.
pub struct Read {
    pub catalog: Catalog,
    pub fingerprint: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub state: State,
    pub reason: String,
}

/// Read `targets`, at most `jobs` at a time; `done(index, outcome)` is called as each
/// finishes (in completion order), so what is kept of each is up to the caller.
pub async fn all(
    targets: &[Target],
    dialect: Dialect,
    opts: &ReadOptions,
    jobs: usize,
    mut done: impl FnMut(usize, Result<Read, Failure>),
) {
    let permits = Arc::new(Semaphore::new(jobs.max(1)));
    let mut set = JoinSet::new();
    let mut index_of = HashMap::new();
    for (i, target) in targets.iter().enumerate() {
        let permits = Arc::clone(&permits);
        let location = target.location.clone();
        let opts = opts.clone();
        let handle = set.spawn(async move {
            // The semaphore is never closed: an error here cannot happen, and reading
            // without a permit would only exceed the bound.
            let _permit = permits.acquire_owned().await;
            one(&location, dialect, &opts).await
        });
        index_of.insert(handle.id(), i);
    }
    while let Some(joined) = set.join_next_with_id().await {
        match joined {
            Ok((id, outcome)) => {
                if let Some(&i) = index_of.get(&id) {
                    done(i, outcome);
                }
            }
            Err(e) => {
                if let Some(&i) = index_of.get(&e.id()) {
                    done(
                        i,
                        Err(Failure {
                            state: State::Error,
                            reason: format!("the reader stopped: {e}"),
                        }),
                    );
                }
            }
        }
    }
}

/// Read one target and fingerprint it.
pub async fn one(
    location: &Location,
    dialect: Dialect,
    opts: &ReadOptions,
) -> Result<Read, Failure> {
    let read = match location {
        Location::Url(url) => match dialect {
            Dialect::Postgresql => catalog::postgres::read(url, opts).await,
            Dialect::Mysql => catalog::mysql::read(url, opts).await,
        },
        Location::Catalog(path) => catalog::capture::load(path),
    };
    let mut catalog = read.map_err(|e| match e {
        Error::Unreachable { message, .. } => Failure {
            state: State::Unreachable,
            reason: message,
        },
        Error::Database { message, .. } => Failure {
            state: State::Error,
            reason: message,
        },
        other => Failure {
            state: State::Error,
            reason: other.to_string(),
        },
    })?;
    if catalog.schema.dialect != dialect {
        return Err(Failure {
            state: State::Error,
            reason: format!(
                "it is a {} database, the project's dialect is {dialect}",
                catalog.schema.dialect
            ),
        });
    }
    normalize::schema(&mut catalog.schema);
    let fingerprint = super::fingerprint::of(&catalog);
    Ok(Read {
        catalog,
        fingerprint,
    })
}
