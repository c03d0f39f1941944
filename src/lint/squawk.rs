//! squawk's PostgreSQL rules over the pending batch, read as one transaction.

use squawk_linter::{Linter, Rule};
use squawk_syntax::SourceFile;

/// Rules left out by default, and why (decided on the output of drizzle-kit 0.31):
/// - `prefer-robust-stmts`: drizzle-kit never writes `IF NOT EXISTS`; every migration fails it.
/// - `require-timeout-settings` (lock/statement timeout): drizzle-kit never sets them; every
///   migration fails it, and the migrator's transaction is the place to set them, not the file.
/// - `require-enum-value-ordering`: drizzle-kit writes `ADD VALUE` without `BEFORE`/`AFTER`
///   exactly when the TypeScript enum appends the value, so the order is the declared one.
/// - `prefer-bigint-over-int`, `prefer-bigint-over-smallint`, `prefer-identity`,
///   `prefer-text-field`, `prefer-timestamptz`: schema taste, decided in the TypeScript
///   schema (`serial`, `integer`, `varchar`, `timestamp` are drizzle's own idioms), not
///   migration safety.
/// - `adding-not-nullable-field`, `changing-column-type`, `constraint-missing-not-valid`,
///   `adding-foreign-key-constraint`, `disallowed-unique-constraint`,
///   `ban-concurrent-index-creation-in-transaction`: replaced by the `drizzle-…` rules that
///   know the whole pending batch (no alarm on a table an earlier pending migration
///   creates) and the table's live size.
pub const EXCLUDED: &[Rule] = &[
    Rule::PreferRobustStmts,
    Rule::RequireTimeoutSettings,
    Rule::RequireLockTimeout,
    Rule::RequireStatementTimeout,
    Rule::RequireEnumValueOrdering,
    Rule::PreferBigintOverInt,
    Rule::PreferBigintOverSmallint,
    Rule::PreferIdentity,
    Rule::PreferTextField,
    Rule::PreferTimestampTz,
    Rule::AddingNotNullableField,
    Rule::ChangingColumnType,
    Rule::ConstraintMissingNotValid,
    Rule::AddingForeignKeyConstraint,
    Rule::DisallowedUniqueConstraint,
    Rule::BanConcurrentIndexCreationInTransaction,
];

pub struct Violation {
    pub rule: String,
    /// Byte offset in the linted text.
    pub offset: usize,
    pub message: String,
    pub help: Option<String>,
}

/// Lint `text` (the pending migrations one after the other) with squawk's default rules
/// minus [`EXCLUDED`] and minus `disabled`, plus `enabled` (opt-in or excluded ones).
pub fn lint(
    text: &str,
    disabled: &std::collections::BTreeSet<String>,
    enabled: &std::collections::BTreeSet<String>,
) -> Vec<Violation> {
    let include: Vec<Rule> = enabled
        .iter()
        .filter(|n| !disabled.contains(*n))
        .filter_map(|n| Rule::try_from(n.as_str()).ok())
        .collect();
    let exclude: Vec<Rule> = EXCLUDED
        .iter()
        .copied()
        .filter(|r| !include.contains(r))
        .chain(
            disabled
                .iter()
                .filter_map(|n| Rule::try_from(n.as_str()).ok()),
        )
        .collect();
    let mut linter = Linter::with_rules(&include, &exclude);
    // drizzle-orm's PostgreSQL migrator runs every pending migration in one transaction.
    linter.settings.assume_in_transaction = true;
    let parse = SourceFile::parse(text);
    let mut out: Vec<Violation> = linter
        .lint(&parse, text)
        .into_iter()
        .map(|v| Violation {
            rule: v.code.to_string(),
            offset: usize::from(v.text_range.start()),
            message: v.message,
            help: v.help,
        })
        .collect();
    out.sort_by_key(|v| v.offset);
    out
}

pub fn is_rule(name: &str) -> bool {
    Rule::try_from(name).is_ok()
}
