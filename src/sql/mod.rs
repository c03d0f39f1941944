//! Migration SQL as its readers see it: one lexer (`lex`), the statements of a migrator
//! chunk (`split`) and their tokens (`tokens`), for lint, the lineage of applied migrations
//! and partial migrations.

pub mod lex;
pub mod split;
pub mod tokens;
