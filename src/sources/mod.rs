//! The three readers. Each only reads, and turns what it reads into a [`crate::model::Schema`].

pub mod catalog;
pub mod git;
pub mod history;
pub mod typescript;
