//! The SQL statements inside one migrator chunk. drizzle-orm's migrator splits a file on
//! `--> statement-breakpoint` only and sends each chunk as one query, which PostgreSQL
//! and MySQL run statement by statement: a hand-written file without breakpoints is one
//! chunk of many statements. Semicolons inside strings, quoted names, comments and
//! dollar-quoted bodies (`DO $$ … $$`, function bodies) end nothing.

use crate::sources::history::Statement;

/// The statements of `chunk`, each with its own line. A comment on the line a statement
/// ends stays with it; leading comments go with the statement they precede, so a
/// `-- drizzle-drift-ignore` comment keeps applying to its statement.
pub fn split(chunk: &Statement) -> Vec<Statement> {
    let text = chunk.sql.as_str();
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' => i = skip_string(b, i),
            b'"' | b'`' => i = skip_until(b, i + 1, b[i]),
            b'-' if b.get(i + 1) == Some(&b'-') => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_block_comment(b, i),
            b'$' => i = skip_dollar(b, i),
            b';' => {
                let mut end = i + 1;
                // The rest of the line, when only blanks and a comment.
                let mut k = end;
                while k < b.len() && (b[k] == b' ' || b[k] == b'\t' || b[k] == b'\r') {
                    k += 1;
                }
                if b.get(k) == Some(&b'-') && b.get(k + 1) == Some(&b'-') {
                    end = line_end(b, k);
                }
                push(&mut out, chunk, start, end);
                start = end;
                i = end;
            }
            _ => i += 1,
        }
    }
    if meaningful(&text[start..]) || out.is_empty() {
        push(&mut out, chunk, start, b.len());
    } else if let Some(last) = out.last_mut() {
        // Trailing comments after the last statement belong to it.
        let tail = text[start..].trim_end();
        if !tail.trim().is_empty() {
            last.sql.push_str(tail);
        }
    }
    out
}

fn push(out: &mut Vec<Statement>, chunk: &Statement, start: usize, end: usize) {
    let text = &chunk.sql[start..end];
    let trimmed = text.trim_start();
    let leading = &text[..text.len() - trimmed.len()];
    let sql = trimmed.trim_end();
    if sql.is_empty() {
        return;
    }
    // The line of its first token: leading comments go with it but are not where it is.
    let code = first_token(sql);
    let before = chunk.sql[..start].bytes().filter(|&c| c == b'\n').count()
        + leading.bytes().filter(|&c| c == b'\n').count()
        + sql[..code].bytes().filter(|&c| c == b'\n').count();
    out.push(Statement {
        sql: sql.to_string(),
        line: chunk.line + before as u32,
    });
}

/// Whether `text` holds anything but blanks and comments.
pub fn meaningful(text: &str) -> bool {
    first_token(text) < text.len()
}

/// The offset of the first character that is no blank and no comment (the length if none).
fn first_token(text: &str) -> usize {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            c if c.is_ascii_whitespace() => i += 1,
            b'-' if b.get(i + 1) == Some(&b'-') => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_block_comment(b, i),
            _ => return i,
        }
    }
    b.len()
}

fn line_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| from + p)
}

/// After the closing `quote` (doubled quotes are the character itself).
fn skip_until(b: &[u8], mut i: usize, quote: u8) -> usize {
    while i < b.len() {
        if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// A `'…'` literal at `i`; `E'…'` (and MySQL's strings) also take backslash escapes.
fn skip_string(b: &[u8], i: usize) -> usize {
    let escapes = i > 0
        && matches!(b[i - 1], b'e' | b'E')
        && !(i > 1 && (b[i - 2].is_ascii_alphanumeric() || b[i - 2] == b'_'));
    let mut k = i + 1;
    while k < b.len() {
        match b[k] {
            b'\\' if escapes => k += 2,
            b'\'' if b.get(k + 1) == Some(&b'\'') => k += 2,
            b'\'' => return k + 1,
            _ => k += 1,
        }
    }
    b.len()
}

/// `/* … */`, nested as PostgreSQL nests them.
fn skip_block_comment(b: &[u8], i: usize) -> usize {
    let mut depth = 0;
    let mut k = i;
    while k < b.len() {
        if b[k] == b'/' && b.get(k + 1) == Some(&b'*') {
            depth += 1;
            k += 2;
        } else if b[k] == b'*' && b.get(k + 1) == Some(&b'/') {
            depth -= 1;
            k += 2;
            if depth == 0 {
                return k;
            }
        } else {
            k += 1;
        }
    }
    b.len()
}

/// `$tag$ … $tag$` at `i` (a `$` that opens no tag, as in `$1`, is one character).
fn skip_dollar(b: &[u8], i: usize) -> usize {
    if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
        return i + 1;
    }
    let mut k = i + 1;
    while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'_' || b[k] >= 0x80) {
        k += 1;
    }
    if b.get(k) != Some(&b'$') || b.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
        return i + 1;
    }
    let tag = &b[i..=k];
    let body = k + 1;
    b[body..]
        .windows(tag.len())
        .position(|w| w == tag)
        .map_or(b.len(), |p| body + p + tag.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(sql: &str) -> Vec<(String, u32)> {
        split(&Statement {
            sql: sql.into(),
            line: 10,
        })
        .into_iter()
        .map(|s| (s.sql, s.line))
        .collect()
    }

    #[test]
    fn one_chunk_of_many_statements() {
        let sql = "-- Drop and recreate\nALTER TABLE \"d\" DROP COLUMN IF EXISTS \"v\";\nALTER TABLE \"d\" ADD COLUMN \"v\" tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED;\n\n-- index\nCREATE INDEX IF NOT EXISTS \"i\" ON \"d\" USING gin (\"v\");";
        let p = pieces(sql);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].0.starts_with("-- Drop and recreate\nALTER TABLE"));
        assert_eq!(p[0].1, 11);
        assert_eq!(p[1].1, 12);
        assert!(p[2].0.starts_with("-- index\nCREATE INDEX"));
        assert_eq!(p[2].1, 15);
    }

    #[test]
    fn semicolons_that_end_nothing() {
        let sql = "CREATE FUNCTION f() RETURNS trigger AS $body$\nBEGIN\n  NEW.a := 'x;y'; RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql;\nDO $$ BEGIN PERFORM 1; END $$;\nSELECT 'it''s;', \"a;b\", E'\\';' /* ; /* ; */ */ -- ;\n;";
        let p = pieces(sql);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].0.ends_with("LANGUAGE plpgsql;"));
        assert_eq!(p[1].0, "DO $$ BEGIN PERFORM 1; END $$;");
        assert!(p[2].0.starts_with("SELECT 'it''s;'"));
    }

    #[test]
    fn comments_stay_with_their_statement() {
        let p =
            pieces("ALTER TABLE a ADD b int; -- drizzle-drift-ignore x\nSELECT 1;\n-- the end\n");
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].0.ends_with("-- drizzle-drift-ignore x"));
        assert_eq!(p[1].0, "SELECT 1;\n-- the end");
        // Only a comment: one piece, as the migrator sends it.
        assert_eq!(pieces("-- ALTER TABLE a DROP COLUMN b;").len(), 1);
        assert!(pieces("  \n").is_empty());
        // An unterminated quote or body never panics and swallows the rest.
        assert_eq!(pieces("SELECT $x$ ; ").len(), 1);
        assert_eq!(pieces("SELECT 'é;").len(), 1);
    }
}
