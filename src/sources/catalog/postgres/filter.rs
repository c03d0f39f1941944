//! `schemaFilter` / `tablesFilter` as drizzle-kit applies them (`pgPushIntrospect`):
//! minimatch-style globs, `!` to exclude; an empty list lets everything through. A name
//! passes when no `!` pattern excludes it and some pattern accepts it, where a `!`
//! pattern accepts every name it does not exclude, so once a list holds a `!` pattern
//! its positive patterns no longer restrict anything (drizzle-kit's behaviour, kept).

use crate::braces::expand_braces;
use glob::Pattern;

#[derive(Debug, Clone, Default)]
pub struct NameFilter {
    patterns: Vec<(bool, Vec<Pattern>)>,
}

impl NameFilter {
    pub fn new(patterns: &[String]) -> Self {
        let patterns = patterns
            .iter()
            .map(|p| {
                let (negate, body) = strip_negation(p);
                let alternatives = expand_braces(body)
                    .iter()
                    .map(|alt| Pattern::new(alt).unwrap_or_else(|_| literal(alt)))
                    .collect();
                (negate, alternatives)
            })
            .collect();
        NameFilter { patterns }
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `name` passes; `qualified` (`schema.name`) is tried too, so a pattern may
    /// name the schema.
    pub fn allows(&self, name: &str, qualified: Option<&str>) -> bool {
        if self.patterns.is_empty() {
            return true;
        }
        let mut flags = Vec::new();
        for (negate, alternatives) in &self.patterns {
            let hit = alternatives
                .iter()
                .any(|p| p.matches(name) || qualified.is_some_and(|q| p.matches(q)));
            let matched = hit != *negate;
            if *negate && !matched {
                flags.push(false);
            }
            if matched {
                flags.push(true);
            }
        }
        !flags.is_empty() && flags.iter().all(|f| *f)
    }
}

/// minimatch: each leading `!` flips the pattern.
fn strip_negation(p: &str) -> (bool, &str) {
    let body = p.trim_start_matches('!');
    ((p.len() - body.len()) % 2 == 1, body)
}

fn literal(s: &str) -> Pattern {
    Pattern::new(&Pattern::escape(s)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(p: &[&str]) -> NameFilter {
        NameFilter::new(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn empty_allows_everything() {
        assert!(f(&[]).allows("anything", None));
    }

    #[test]
    fn positive_patterns_are_alternatives() {
        let filter = f(&["app_*", "users"]);
        assert!(filter.allows("app_orders", None));
        assert!(filter.allows("users", None));
        assert!(!filter.allows("other", None));
    }

    #[test]
    fn negations_exclude() {
        let filter = f(&["!spatial_ref_sys", "!geo*"]);
        assert!(filter.allows("users", None));
        assert!(!filter.allows("spatial_ref_sys", None));
        assert!(!filter.allows("geometry_columns", None));
        let mixed = f(&["app_*", "!app_tmp"]);
        assert!(mixed.allows("app_x", None));
        assert!(!mixed.allows("app_tmp", None));
        // drizzle-kit's quirk: a `!` pattern lets through everything it does not exclude,
        // so with one, positive patterns no longer restrict.
        assert!(mixed.allows("zzz", None));
    }

    #[test]
    fn braces_and_schema_qualified_patterns() {
        let filter = f(&["{users,posts}"]);
        assert!(filter.allows("posts", None));
        assert!(!filter.allows("comments", None));
        let qualified = f(&["auth.*"]);
        assert!(qualified.allows("sessions", Some("auth.sessions")));
        assert!(!qualified.allows("sessions", Some("public.sessions")));
    }
}
