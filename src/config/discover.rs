//! Which config file to read.

use crate::error::Error;
use std::path::{Path, PathBuf};

/// File names tried in `cwd` when no `--config` is given.
///
/// drizzle-kit (0.31 and 1.0) tries `drizzle.config.ts`, then `drizzle.config.js`, then
/// falls back to `drizzle.config.json`. The module variants come after those: drizzle-kit
/// only reads them through `--config`, but a project that has nothing else clearly means
/// them.
pub const DEFAULT_NAMES: [&str; 6] = [
    "drizzle.config.ts",
    "drizzle.config.js",
    "drizzle.config.json",
    "drizzle.config.mts",
    "drizzle.config.mjs",
    "drizzle.config.cjs",
];

/// The config file to read: `explicit` (relative to `cwd`) or the first of
/// [`DEFAULT_NAMES`] that exists in `cwd`.
pub fn find(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf, Error> {
    if let Some(explicit) = explicit {
        let path = cwd.join(explicit);
        return if path.is_file() {
            Ok(path)
        } else if path.is_dir() {
            Err(Error::Config(format!(
                "{} is a folder, not a config file",
                path.display()
            )))
        } else {
            Err(Error::Config(format!(
                "config file {} does not exist",
                path.display()
            )))
        };
    }
    DEFAULT_NAMES
        .iter()
        .map(|name| cwd.join(name))
        .find(|path| path.is_file())
        .ok_or_else(|| {
            Error::Config(format!(
                "no drizzle config in {}: looked for {}",
                cwd.display(),
                DEFAULT_NAMES.join(", ")
            ))
            .advise("pass --config PATH")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_drizzle_kit_order() {
        let dir = tempfile::tempdir().unwrap();
        let err = find(None, dir.path()).unwrap_err().to_string();
        assert!(err.contains("drizzle.config.ts") && err.contains("drizzle.config.json"));
        for name in [
            "drizzle.config.mjs",
            "drizzle.config.json",
            "drizzle.config.js",
        ] {
            std::fs::write(dir.path().join(name), "{}").unwrap();
            assert_eq!(find(None, dir.path()).unwrap(), dir.path().join(name));
        }
        std::fs::write(dir.path().join("drizzle.config.ts"), "").unwrap();
        assert_eq!(
            find(None, dir.path()).unwrap(),
            dir.path().join("drizzle.config.ts")
        );
        let err = find(Some(Path::new("nope.ts")), dir.path()).unwrap_err();
        assert!(err.to_string().contains("nope.ts"));
        assert_eq!(
            find(Some(Path::new("drizzle.config.json")), dir.path()).unwrap(),
            dir.path().join("drizzle.config.json")
        );
    }
}
