//! No SQL makes the SQL readers panic: byte-level mutations of every migration under
//! tests/fixtures (deterministic, so a failure reproduces) go through the lexer, the
//! statement splitter, the statement tokens, lint, the lineage parse and the expression
//! normalizer, in both dialects; the lexer always gives its input back.

mod fuzz_support;

use drizzle_drift::diff::lineage::events::events;
use drizzle_drift::lint::{self, Migration, Settings};
use drizzle_drift::model::normalize::expression;
use drizzle_drift::model::Dialect;
use drizzle_drift::sources::history::statements;
use drizzle_drift::sql::lex::Lexer;
use drizzle_drift::sql::{split, tokens};
use fuzz_support::Rng;
use std::path::{Path, PathBuf};

/// What opens or closes something in SQL, and multi-byte text.
const INSERTS: &[&str] = &[
    "'",
    "\"",
    "`",
    "$$",
    "$a$",
    "$1",
    "--",
    "/*",
    "*/",
    "#",
    ";",
    "(",
    ")",
    "E'",
    "\\",
    "é",
    "::",
    "\n",
    "--> statement-breakpoint\n",
    "DO ",
    "BEGIN",
    "CREATE TABLE ",
    "ALTER TYPE ",
];

fn mutate(rng: &mut Rng, original: &str) -> String {
    let mut s = original.to_string();
    for _ in 0..1 + rng.below(4) {
        let boundaries: Vec<usize> = s
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(s.len()))
            .collect();
        let at = boundaries[rng.below(boundaries.len())];
        match rng.below(3) {
            0 => s.truncate(at),
            1 => s.insert_str(at, INSERTS[rng.below(INSERTS.len())]),
            _ => {
                let to = boundaries[rng.below(boundaries.len())].max(at);
                s.replace_range(at..to, "");
            }
        }
    }
    s
}

fn sql_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            sql_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "sql") {
            out.push(path);
        }
    }
}

fn read_all(sql: &str) {
    for dialect in [Dialect::Postgresql, Dialect::Mysql] {
        let joined: String = Lexer::new(sql, dialect).map(|l| l.text).collect();
        assert_eq!(joined, sql, "the lexemes give the input back");
        for l in Lexer::new(sql, dialect) {
            let _ = l.value();
        }
        let chunks = statements(sql);
        for chunk in &chunks {
            for st in split::split(chunk, dialect) {
                let _ = tokens::tokens(&st.sql, dialect, 64);
            }
        }
        let _ = events(dialect, &chunks);
        let migration = Migration {
            tag: "0000_fuzz".into(),
            file: "drizzle/0000_fuzz.sql".into(),
            sql: sql.to_string(),
            before: None,
            after: None,
        };
        let _ = lint::lint(dialect, &[migration], None, &Settings::default());
    }
    let _ = expression(sql);
}

#[test]
fn mutated_migrations_never_panic() {
    let mut files = Vec::new();
    sql_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut files,
    );
    files.sort();
    assert!(
        files.len() > 50,
        "fixtures hold migrations: {}",
        files.len()
    );
    let mut rng = Rng(0x5eed_0fd1_217e_e5a1);
    for file in &files {
        let original = std::fs::read_to_string(file).expect("fixture is UTF-8");
        read_all(&original);
        for _ in 0..12 {
            let mutated = mutate(&mut rng, &original);
            let run = std::panic::catch_unwind(|| read_all(&mutated));
            assert!(
                run.is_ok(),
                "{} mutated to:\n{mutated}\n-- panicked",
                file.display()
            );
        }
    }
}
