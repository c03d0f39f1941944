//! Naming the databases of a run: `--target NAME=URL`, `--targets FILE` and `[targets]`
//! in `drizzle-drift.toml`, with `${VAR}` taken from the environment and `.env`.

use super::{Location, Target};
use crate::config::Env;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `--target NAME=URL`. A value without `://` and without `=` is a captured catalog file
/// (from `capture`), relative to `cwd`.
pub fn flag(text: &str, env: &Env, cwd: &Path) -> Result<Target> {
    let (name, value) = text.split_once('=').ok_or_else(|| {
        Error::Usage(format!(
            "--target {}: expected NAME=URL (e.g. --target replica=postgres://…)",
            shown(text)
        ))
    })?;
    let name = name.trim();
    check_name(name).map_err(|why| Error::Usage(format!("--target {name}=…: {why}")))?;
    let value = expand(value.trim(), env)
        .map_err(|why| Error::Usage(format!("--target {name}=…: {why}")))?;
    if value.is_empty() {
        return Err(Error::Usage(format!("--target {name}= names no database")));
    }
    Ok(Target {
        name: name.to_string(),
        location: location(&value, cwd),
    })
}

/// A `--targets` file: one target a line, `NAME URL` or a bare URL (named after its host
/// and database); `#` starts a comment. Paths of catalog files are relative to the file.
pub fn file(path: &Path, env: &Env) -> Result<Vec<Target>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Config(format!("{}: cannot read: {e}", path.display())))?;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let at = |why: String| Error::Config(format!("{}:{}: {why}", path.display(), i + 1));
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or_default();
        let rest: Vec<&str> = words.collect();
        let (name, value) =
            match rest.as_slice() {
                [] => (None, first),
                [value] => (Some(first), *value),
                _ => return Err(at(
                    "expected `NAME URL` or a bare URL (a URL with spaces must be percent-encoded)"
                        .into(),
                )),
            };
        let value = expand(value, env).map_err(&at)?;
        let location = location(&value, dir);
        let name = match name {
            Some(n) => n.to_string(),
            None => default_name(&location),
        };
        check_name(&name).map_err(|why| at(format!("target {name}: {why}")))?;
        out.push(Target { name, location });
    }
    if out.is_empty() {
        return Err(Error::Config(format!(
            "{}: names no target (one a line: `NAME URL` or a URL)",
            path.display()
        )));
    }
    Ok(out)
}

/// `[targets]` of `drizzle-drift.toml` in `dir`: `name = "URL"`, in file order. No file,
/// or no table: none.
pub fn toml_table(dir: &Path, env: &Env) -> Result<Vec<Target>> {
    let path = dir.join(crate::lint::settings::FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::Config(format!("{}: {e}", path.display()))),
    };
    toml_text(&text, &path, env)
}

fn toml_text(text: &str, path: &Path, env: &Env) -> Result<Vec<Target>> {
    let line_of = |needle: &str| {
        // A needle may start with the newline before its line.
        let skip = usize::from(needle.starts_with('\n'));
        text.find(needle)
            .map_or(1, |o| text[..o + skip].matches('\n').count() + 1)
    };
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        });
        Error::Config(format!(
            "{}:{line}: {}",
            path.display(),
            e.message().trim_end()
        ))
    })?;
    let Some(section) = table.get("targets") else {
        return Ok(Vec::new());
    };
    let toml::Value::Table(section) = section else {
        return Err(Error::Config(format!(
            "{}:{}: `targets` must be a table: [targets] name = \"URL\"",
            path.display(),
            line_of("targets")
        )));
    };
    // toml::Table keeps keys sorted; the file's order is the order a person wrote.
    let mut entries: Vec<(usize, &String, &toml::Value)> = section
        .iter()
        .map(|(k, v)| (text.find(&format!("\n{k}")).unwrap_or(usize::MAX), k, v))
        .collect();
    entries.sort_by_key(|(at, name, _)| (*at, name.to_string()));
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut out = Vec::new();
    for (_, name, value) in entries {
        let at = |why: String| {
            Error::Config(format!(
                "{}:{}: targets.{name}: {why}",
                path.display(),
                line_of(&format!("\n{name}"))
            ))
        };
        let toml::Value::String(value) = value else {
            return Err(at("expected a string: the database URL".into()));
        };
        check_name(name).map_err(&at)?;
        let value = expand(value.trim(), env).map_err(&at)?;
        if value.is_empty() {
            return Err(at("names no database".into()));
        }
        out.push(Target {
            name: name.clone(),
            location: location(&value, dir),
        });
    }
    Ok(out)
}

/// Refuse two targets with one name: their findings could not be told apart.
pub fn unique(targets: &[Target]) -> Result<()> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for t in targets {
        *seen.entry(t.name.as_str()).or_default() += 1;
    }
    match seen.into_iter().find(|(_, n)| *n > 1) {
        Some((name, n)) => Err(Error::Usage(format!(
            "{n} targets are named {name}: give each its own name (`NAME URL` in a --targets file, NAME=URL for --target)"
        ))),
        None => Ok(()),
    }
}

fn check_name(name: &str) -> std::result::Result<(), String> {
    if name.is_empty() {
        return Err("a target needs a name".into());
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("a target name has no spaces".into());
    }
    if name.contains("://") {
        return Err("the name looks like a URL: write NAME=URL".into());
    }
    Ok(())
}

fn strip_comment(line: &str) -> &str {
    // `#` starts a comment at the line's start or after a space: a URL's fragment or a
    // password may hold one.
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

/// `${NAME}` replaced by the variable's value; an unset variable is an error naming it
/// (never a value).
pub fn expand(text: &str, env: &Env) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("`${{` without a closing `}}` in {}", shown(text)))?;
        let name = &after[..end];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`${{{name}}}` is not a variable name"));
        }
        let (value, _) = env
            .get(name)
            .ok_or_else(|| format!("${{{name}}} is not set (in the environment or .env)"))?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A URL (`scheme://…`), a libpq `key=value` string, or else a captured catalog file.
fn location(value: &str, base: &Path) -> Location {
    if value.contains("://") || value.contains('=') {
        Location::Url(value.to_string())
    } else {
        let path = PathBuf::from(value);
        Location::Catalog(if path.is_absolute() {
            path
        } else {
            base.join(path)
        })
    }
}

/// A bare URL's name: `host/database` (`host:port/database` off the default port); a
/// catalog file's: its file name without `.json`.
pub fn default_name(location: &Location) -> String {
    match location {
        Location::Catalog(path) => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
        Location::Url(url) => url_name(url),
    }
}

fn url_name(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        // key=value: host and dbname.
        let get = |key: &str| {
            url.split_whitespace()
                .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
                .unwrap_or_default()
                .to_string()
        };
        return format!("{}/{}", get("host"), get("dbname"));
    };
    let rest = &url[scheme_end + 3..];
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let rest = &rest[..end];
    let (authority, db) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host
        .strip_suffix(":5432")
        .or_else(|| host.strip_suffix(":3306"))
        .unwrap_or(host);
    format!("{host}/{db}")
}

/// Text quoted in an error, without what could be a password.
fn shown(text: &str) -> String {
    crate::config::redact_url(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> Env {
        Env::with_vars(
            vars.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<HashMap<_, _>>(),
        )
    }

    #[test]
    fn flags_name_urls_and_catalog_files() {
        let e = env(&[("PW", "s3cret")]);
        let t = flag("replica=postgres://app:${PW}@db2/app", &e, Path::new("/p")).unwrap();
        assert_eq!(t.name, "replica");
        assert_eq!(
            t.location,
            Location::Url("postgres://app:s3cret@db2/app".into())
        );
        let t = flag("old=snap/prod.json", &e, Path::new("/p")).unwrap();
        assert_eq!(t.location, Location::Catalog("/p/snap/prod.json".into()));
        let err = flag("postgres://db/app", &e, Path::new("/p")).unwrap_err();
        assert!(err.to_string().contains("NAME=URL"), "{err}");
        let err = flag("x=${NOPE}", &e, Path::new("/p")).unwrap_err();
        assert!(err.to_string().contains("${NOPE} is not set"), "{err}");
    }

    #[test]
    fn files_name_bare_urls_after_host_and_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("targets.txt");
        std::fs::write(
            &path,
            "# the fleet\n\
             primary postgres://app:${PW}@db1:5432/app  # main\n\
             \n\
             postgres://app@db2:6432/app\n\
             mysql://root@maria/shop?ssl=false\n\
             old prod.json\n",
        )
        .unwrap();
        let targets = file(&path, &env(&[("PW", "pw#1")])).unwrap();
        let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["primary", "db2:6432/app", "maria/shop", "old"]);
        assert_eq!(
            targets[0].location,
            Location::Url("postgres://app:pw#1@db1:5432/app".into())
        );
        assert_eq!(
            targets[3].location,
            Location::Catalog(dir.path().join("prod.json"))
        );

        std::fs::write(&path, "a b c\n").unwrap();
        let err = file(&path, &Env::default()).unwrap_err().to_string();
        assert!(
            err.ends_with(
                ":1: expected `NAME URL` or a bare URL (a URL with spaces must be percent-encoded)"
            ),
            "{err}"
        );
        std::fs::write(&path, "# nothing\n").unwrap();
        assert!(file(&path, &Env::default()).is_err());
    }

    #[test]
    fn toml_targets_keep_the_file_order() {
        let text = "[lint]\ndisable = []\n\n[targets]\nprod = \"${URL_PROD}\"\nstaging = \"postgres://s/app\"\nalpha = \"a.json\"\n";
        let targets = toml_text(
            text,
            Path::new("/p/drizzle-drift.toml"),
            &env(&[("URL_PROD", "postgres://p/app")]),
        )
        .unwrap();
        let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["prod", "staging", "alpha"]);
        assert_eq!(targets[2].location, Location::Catalog("/p/a.json".into()));
        let err = toml_text(
            "[targets]\nprod = 1\n",
            Path::new("d.toml"),
            &Env::default(),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "d.toml:2: targets.prod: expected a string: the database URL"
        );
        assert!(toml_text("x = 1\n", Path::new("d.toml"), &Env::default())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn duplicate_names_are_refused() {
        let t = |n: &str| Target {
            name: n.into(),
            location: Location::Url("postgres://x/y".into()),
        };
        assert!(unique(&[t("a"), t("b")]).is_ok());
        assert!(unique(&[t("a"), t("b"), t("a")])
            .unwrap_err()
            .to_string()
            .starts_with("2 targets are named a"));
    }

    #[test]
    fn expansion_needs_a_closed_valid_name() {
        let e = env(&[("A", "1")]);
        assert_eq!(expand("x${A}y${A}", &e).unwrap(), "x1y1");
        assert!(expand("${A", &e).is_err());
        assert!(expand("${A-B}", &e).is_err());
        assert_eq!(expand("$A", &e).unwrap(), "$A");
    }
}
