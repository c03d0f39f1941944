//! Migration SQL files: the statements the migrator runs one by one, and the hash it
//! records for each file.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The exact text drizzle-kit puts between statements and the migrator splits on.
pub const BREAKPOINT: &str = "--> statement-breakpoint";

/// One statement of a migration file, as the migrator sends it (surrounding whitespace
/// trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub sql: String,
    /// 1-based line of the statement's first character in the file.
    pub line: u32,
}

/// Split a migration file on `--> statement-breakpoint`. Chunks holding only whitespace
/// are left out; a file without breakpoints is one statement.
pub fn statements(sql: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut line = 1u32;
    for (i, chunk) in sql.split(BREAKPOINT).enumerate() {
        if i > 0 {
            line += count_newlines(BREAKPOINT);
        }
        let trimmed_start = chunk.trim_start();
        let leading = &chunk[..chunk.len() - trimmed_start.len()];
        let text = trimmed_start.trim_end();
        if !text.is_empty() {
            out.push(Statement {
                sql: text.to_string(),
                line: line + count_newlines(leading),
            });
        }
        line += count_newlines(chunk);
    }
    out
}

fn count_newlines(text: &str) -> u32 {
    text.bytes().filter(|&b| b == b'\n').count() as u32
}

/// Lowercase hex sha256 of a migration file as the migrator computes it: Node reads the
/// file into a UTF-8 string first, so invalid UTF-8 is hashed after replacement (valid
/// files hash their exact bytes).
pub fn hash_sql(bytes: &[u8]) -> String {
    let digest = match std::str::from_utf8(bytes) {
        Ok(_) => Sha256::digest(bytes),
        Err(_) => Sha256::digest(String::from_utf8_lossy(bytes).as_bytes()),
    };
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_lines() {
        let sql = "CREATE TABLE a (\n\tid int\n);\n--> statement-breakpoint\nCREATE INDEX i ON a (id);--> statement-breakpoint\nALTER TABLE a ADD b int;";
        let st = statements(sql);
        assert_eq!(st.len(), 3);
        assert_eq!(st[0].line, 1);
        assert_eq!(st[0].sql, "CREATE TABLE a (\n\tid int\n);");
        assert_eq!(st[1].line, 5);
        assert_eq!(st[1].sql, "CREATE INDEX i ON a (id);");
        assert_eq!(st[2].line, 6);
    }

    #[test]
    fn blank_chunks_are_dropped() {
        assert!(statements("  \n--> statement-breakpoint\n\n").is_empty());
        let st = statements("\n\nSELECT 1;");
        assert_eq!(
            st,
            vec![Statement {
                sql: "SELECT 1;".into(),
                line: 3
            }]
        );
    }

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(
            hash_sql(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
