//! How an error that stops a command (exit 2) is printed: what could not be done, what
//! caused it, and what to do about it, as separate sections of a color-eyre report. The
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

pub fn parts(error: &Error) -> Parts {
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
