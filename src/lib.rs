//! drizzle-drift: do the Drizzle TypeScript schema, the migration history and the live
//! database agree, and if not, which arrow broke?

pub mod braces;
pub mod civil_time;
pub mod commands;
pub mod config;
pub mod demo;
pub mod diagnostic;
pub mod diff;
pub mod engine;
pub mod error;
pub mod extglob;
pub mod failure;
pub mod js;
pub mod lint;
pub mod model;
pub mod report;
pub mod shutdown;
pub mod sources;
pub mod sql;
pub mod targets;
pub mod tui;
pub mod watch;
pub mod why;
