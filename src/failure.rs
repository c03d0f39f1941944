//! How an error that stops a command (exit 2) is printed: what could not be done, each
//! level of what caused it, and what to do about it, as separate sections of a color-eyre
//! report. The
//! same hooks print a panic, after the explorer gave the terminal back.

use crate::error::Error;
use color_eyre::config::{HookBuilder, Theme};
use color_eyre::{eyre, Section};

/// An error taken apart for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// What could not be done.
    pub headline: String,
    /// Why, outermost first.
    pub causes: Vec<String>,
    pub suggestion: Option<String>,
}

/// Words a message's last clause starts with when it tells the user what to do
/// (`…; pass --config PATH`).
const IMPERATIVES: &[&str] = &[
    "pass", "set", "run", "use", "drop", "fix", "add", "give", "rename", "remove", "install",
    "check", "see", "try", "name", "write", "start", "quote",
];

/// Split `message` into what happened and the advice after its last `; <imperative>`.
fn split_advice(message: &str) -> (String, Option<String>) {
    let mut at = None;
    for (i, _) in message.match_indices("; ") {
        let rest = &message[i + 2..];
        let word = rest
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("");
        if IMPERATIVES.contains(&word) {
            at = Some(i);
        }
    }
    match at {
        Some(i) => (message[..i].to_string(), Some(message[i + 2..].to_string())),
        None => (message.to_string(), None),
    }
}

/// Advice for a database that could not be read, from what the server or the network said.
fn database_advice(message: &str) -> String {
    let lower = message.to_lowercase();
    if lower.contains("connection refused") || lower.contains("timed out") {
        "is the server running and reachable at that host and port? Check the URL (--url, \
         the config's dbCredentials or DATABASE_URL), or compare without a database: \
         --offline or --catalog FILE"
            .into()
    } else if lower.contains("authentication") || lower.contains("access denied") {
        "check the user and password in the URL (--url, dbCredentials or DATABASE_URL)".into()
    } else if lower.contains("does not exist") || lower.contains("unknown database") {
        "check the database name at the end of the URL".into()
    } else if lower.contains("lock") {
        "run it again once the migration or transaction holding the lock is done".into()
    } else {
        "check the URL (--url, dbCredentials or DATABASE_URL), or compare without a \
         database: --offline or --catalog FILE"
            .into()
    }
}

/// The parts of `error`: an [`Error::Advice`] gives the suggestion as it was written; each
/// [`Error::Context`] is a level of the chain (the outermost says what could not be done),
/// down to the error that stopped it and that error's own causes.
pub fn parts(error: &Error) -> Parts {
    let mut contexts: Vec<String> = Vec::new();
    let mut advice: Option<String> = None;
    let mut e = error;
    loop {
        match e {
            Error::Advice { error, suggestion } => {
                advice.get_or_insert_with(|| suggestion.clone());
                e = error;
            }
            Error::Context { context, source } => {
                contexts.push(context.clone());
                match source.downcast_ref::<Error>() {
                    Some(inner) => e = inner,
                    None => {
                        // Not ours: its own `source()` chain, each level once.
                        let mut causes = Vec::new();
                        let mut next: Option<&(dyn std::error::Error + 'static)> =
                            Some(source.as_ref());
                        while let Some(cause) = next {
                            causes.push(cause.to_string());
                            next = cause.source();
                        }
                        return chained(contexts, causes, advice);
                    }
                }
            }
            leaf => {
                let mut p = leaf_parts(leaf);
                if advice.is_some() {
                    p.suggestion = advice;
                }
                if contexts.is_empty() {
                    return p;
                }
                // Under a context the leaf's headline is a cause when it names something
                // (the file, the database), not when it is the generic one.
                let mut causes = Vec::new();
                if matches!(
                    leaf,
                    Error::File { .. } | Error::Database { .. } | Error::Unreachable { .. }
                ) {
                    causes.push(p.headline);
                }
                causes.extend(p.causes);
                return chained(contexts, causes, p.suggestion);
            }
        }
    }
}

fn chained(contexts: Vec<String>, causes: Vec<String>, suggestion: Option<String>) -> Parts {
    let mut levels = contexts.into_iter();
    let headline = levels.next().unwrap_or_default();
    Parts {
        headline,
        causes: levels.chain(causes).collect(),
        suggestion,
    }
}

/// An error that wraps nothing: what could not be done by its kind, its message as the
/// cause, advice still written into the message taken from its last clause.
fn leaf_parts(error: &Error) -> Parts {
    match error {
        Error::Config(message) => {
            let (cause, suggestion) = split_advice(message);
            Parts {
                headline: "the project's configuration cannot be used".into(),
                causes: vec![cause],
                suggestion: suggestion.or_else(|| {
                    Some(
                        "fix the file at the place named above; --schema, --out, --url and \
                         --casing stand in for the config's settings"
                            .into(),
                    )
                }),
            }
        }
        Error::File { path, message } => {
            let (cause, suggestion) = split_advice(message);
            Parts {
                headline: format!("cannot use {}", path.display()),
                causes: vec![cause],
                suggestion,
            }
        }
        Error::Database { target, message } | Error::Unreachable { target, message } => {
            let (cause, suggestion) = split_advice(message);
            Parts {
                headline: format!("cannot read the database {target}"),
                suggestion: suggestion.or_else(|| Some(database_advice(&cause))),
                causes: vec![cause],
            }
        }
        Error::Usage(message) => {
            let (cause, suggestion) = split_advice(message);
            Parts {
                headline: "the command cannot run".into(),
                causes: vec![cause],
                suggestion,
            }
        }
        // Taken apart by `parts`.
        Error::Context { .. } | Error::Advice { .. } => Parts {
            headline: error.to_string(),
            causes: Vec::new(),
            suggestion: None,
        },
    }
}

/// The report for `error`: the headline, each cause, and a `Suggestion:` section.
pub fn report(error: &Error) -> eyre::Report {
    let parts = parts(error);
    let mut chain = parts.causes.iter().rev();
    let mut report = match chain.next() {
        Some(innermost) => eyre::Report::msg(innermost.clone()),
        None => eyre::Report::msg(parts.headline.clone()),
    };
    for cause in chain {
        report = report.wrap_err(cause.clone());
    }
    if !parts.causes.is_empty() {
        report = report.wrap_err(parts.headline);
    }
    // The error is the user's to fix, not a bug: where in drizzle-drift it was noticed
    // (RUST_BACKTRACE) is no help.
    let report = report.suppress_backtrace(true);
    match parts.suggestion {
        Some(s) => report.suggestion(s),
        None => report,
    }
}

/// Install color-eyre's error and panic hooks, colored or not. The explorer's terminal
/// hook (installed later, around this one) gives the terminal back before a panic is
/// printed.
pub fn install(color: bool) {
    let theme = if color { Theme::dark() } else { Theme::new() };
    // The environment section would advise RUST_BACKTRACE on every configuration error.
    let _ = HookBuilder::new()
        .theme(theme)
        .display_env_section(false)
        .panic_section(
            "this is a bug in drizzle-drift: please report it with the command that was run \
             (RUST_BACKTRACE=1 adds a backtrace)",
        )
        .install();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_after_the_last_imperative_clause_is_the_suggestion() {
        let e = Error::Config(
            "no drizzle config in /p: looked for drizzle.config.ts; pass --config PATH".into(),
        );
        let p = parts(&e);
        assert_eq!(
            p.causes,
            ["no drizzle config in /p: looked for drizzle.config.ts"]
        );
        assert_eq!(p.suggestion.as_deref(), Some("pass --config PATH"));
        // A clause that is not advice stays in the cause.
        let (cause, advice) = split_advice("a; b; the rest");
        assert_eq!((cause.as_str(), advice), ("a; b; the rest", None));
    }

    #[derive(Debug)]
    struct Denied;
    impl std::fmt::Display for Denied {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("permission denied")
        }
    }
    impl std::error::Error for Denied {}

    #[derive(Debug)]
    struct Locked(Denied);
    impl std::fmt::Display for Locked {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("cannot open the lock file")
        }
    }
    impl std::error::Error for Locked {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn every_level_of_a_chain_is_printed_in_order_with_its_advice() {
        let e = Error::context(
            "cannot read the migrations folder",
            Error::context("copying drizzle/0001_a.sql", Locked(Denied)),
        )
        .advise("check the folder's permissions");
        let p = parts(&e);
        assert_eq!(p.headline, "cannot read the migrations folder");
        assert_eq!(
            p.causes,
            [
                "copying drizzle/0001_a.sql",
                "cannot open the lock file",
                "permission denied"
            ]
        );
        assert_eq!(
            p.suggestion.as_deref(),
            Some("check the folder's permissions")
        );
        let printed = format!("{:?}", report(&e));
        let at = |s: &str| {
            printed
                .find(s)
                .unwrap_or_else(|| panic!("{s:?} not in {printed}"))
        };
        assert!(at("cannot read the migrations folder") < at("copying drizzle/0001_a.sql"));
        assert!(at("copying drizzle/0001_a.sql") < at("cannot open the lock file"));
        assert!(at("cannot open the lock file") < at("permission denied"));
        // (The `Suggestion:` section is color-eyre's, installed by the binary: tests/cli.rs.)
        // The one-line form (the explorer's status, `check --watch`) keeps every level.
        assert_eq!(
            e.to_string(),
            "cannot read the migrations folder: copying drizzle/0001_a.sql: cannot open the \
             lock file; check the folder's permissions"
        );
    }

    #[test]
    fn advice_given_apart_is_the_suggestion_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let e = crate::config::find(None, dir.path()).unwrap_err();
        let p = parts(&e);
        assert_eq!(p.suggestion.as_deref(), Some("pass --config PATH"));
        assert!(!p.causes.concat().contains("--config"), "{p:?}");
        assert!(e.to_string().ends_with("; pass --config PATH"), "{e}");
        // A database error under a context keeps the target it names.
        let e = Error::context(
            "cannot check the fleet",
            Error::Database {
                target: "staging".into(),
                message: "timed out".into(),
            },
        );
        let p = parts(&e);
        assert_eq!(p.headline, "cannot check the fleet");
        assert_eq!(p.causes, ["cannot read the database staging", "timed out"]);
        assert!(p.suggestion.unwrap().contains("is the server running"));
    }

    #[test]
    fn a_database_error_names_the_target_and_advises_from_the_message() {
        let e = Error::Database {
            target: "postgres://u@127.0.0.1:1/db".into(),
            message: "cannot connect: Connection refused (os error 111)".into(),
        };
        let p = parts(&e);
        assert_eq!(
            p.headline,
            "cannot read the database postgres://u@127.0.0.1:1/db"
        );
        assert!(p.suggestion.unwrap().contains("is the server running"));
        let printed = format!("{:?}", report(&e));
        assert!(printed.contains("Connection refused"), "{printed}");
    }
}
