//! Which words of a value changed between two sources, for the detail view.

use similar::{ChangeTag, TextDiff};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Same,
    /// In the reference, not in this value.
    Removed,
    /// In this value, not in the reference.
    Added,
}

/// `value` against `reference`, word by word (spaces kept), adjacent runs merged.
pub fn words(reference: &str, value: &str) -> Vec<(Part, String)> {
    let diff = TextDiff::from_words(reference, value);
    let mut out: Vec<(Part, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let part = match change.tag() {
            ChangeTag::Equal => Part::Same,
            ChangeTag::Delete => Part::Removed,
            ChangeTag::Insert => Part::Added,
        };
        match out.last_mut() {
            Some((p, text)) if *p == part => text.push_str(change.value()),
            _ => out.push((part, change.value().to_string())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_changed_words_are_marked() {
        let parts = words("varchar(64) not null", "varchar(128) not null");
        assert_eq!(
            parts,
            vec![
                (Part::Removed, "varchar(64)".to_string()),
                (Part::Added, "varchar(128)".to_string()),
                (Part::Same, " not null".to_string()),
            ]
        );
        assert_eq!(words("a b", "a b"), vec![(Part::Same, "a b".to_string())]);
    }
}
