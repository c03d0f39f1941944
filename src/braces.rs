//! Brace expansion as minimatch and node-glob do it, before a pattern reaches `glob`
//! (which has no braces): drizzle-kit's schema globs and tablesFilter both use it.

/// `a/{b,c}/*.ts` → `a/b/*.ts`, `a/c/*.ts` (nested braces included).
pub fn expand_braces(pattern: &str) -> Vec<String> {
    let bytes = pattern.as_bytes();
    let Some(open) = pattern.find('{') else {
        return vec![pattern.to_string()];
    };
    let mut depth = 0;
    let mut close = None;
    let mut commas = Vec::new();
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            b',' if depth == 1 => commas.push(i),
            _ => {}
        }
    }
    let Some(close) = close else {
        return vec![pattern.to_string()];
    };
    if commas.is_empty() {
        // `{a}` is literal in node-glob; keep it and expand the rest.
        return expand_braces(&pattern[close + 1..])
            .into_iter()
            .map(|rest| format!("{}{rest}", &pattern[..=close]))
            .collect();
    }
    let mut bounds = vec![open];
    bounds.extend(commas);
    bounds.push(close);
    let mut out = Vec::new();
    for pair in bounds.windows(2) {
        let alt = &pattern[pair[0] + 1..pair[1]];
        let joined = format!("{}{alt}{}", &pattern[..open], &pattern[close + 1..]);
        out.extend(expand_braces(&joined));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_expand_like_node_glob() {
        assert_eq!(
            expand_braces("src/{a,b}/*.ts"),
            vec!["src/a/*.ts", "src/b/*.ts"]
        );
        assert_eq!(
            expand_braces("{x,y/{1,2}}.ts"),
            vec!["x.ts", "y/1.ts", "y/2.ts"]
        );
        assert_eq!(expand_braces("plain.ts"), vec!["plain.ts"]);
        assert_eq!(expand_braces("odd{.ts"), vec!["odd{.ts"]);
    }

    #[test]
    fn a_single_alternative_stays_literal() {
        assert_eq!(expand_braces("t_{a}_{x,y}"), vec!["t_{a}_x", "t_{a}_y"]);
    }
}
