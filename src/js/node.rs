//! The parts of Node's runtime configs compute paths with: `path`, `url`
//! (`fileURLToPath`, `pathToFileURL`, `URL`), `process.cwd()`, `__dirname`, `__filename`
//! and `import.meta.url`, as they are when drizzle-kit loads a file (CommonJS through its
//! TypeScript loader: `import.meta.dirname`/`filename` are undefined there).

use super::interp::Interp;
use super::module::ImportName;
use super::value::{js_string, Loc, Obj, Value};
use super::{Host, Val};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

const PATH_FNS: &[(&str, &str)] = &[
    ("join", "node.path.join"),
    ("resolve", "node.path.resolve"),
    ("relative", "node.path.relative"),
    ("dirname", "node.path.dirname"),
    ("basename", "node.path.basename"),
    ("extname", "node.path.extname"),
    ("normalize", "node.path.normalize"),
    ("isAbsolute", "node.path.isAbsolute"),
];

const URL_FNS: &[(&str, &str)] = &[
    ("fileURLToPath", "node.url.fileURLToPath"),
    ("pathToFileURL", "node.url.pathToFileURL"),
    ("URL", "node.URL"),
];

/// What an import of a Node builtin module is; `None` for other packages.
pub fn package<'a, X: super::HostValue>(
    package: &str,
    name: ImportName<'_>,
) -> Option<Value<'a, X>> {
    let module = match package {
        "path" | "node:path" | "path/posix" | "node:path/posix" => "node.path",
        "url" | "node:url" => "node.url",
        "process" | "node:process" => "js.process",
        _ => return None,
    };
    Some(match name {
        ImportName::Default | ImportName::Namespace => Value::Builtin(module),
        ImportName::Named(n) => match member_of(module, n) {
            Some(v) => v,
            None => Value::Unknown(Rc::new(super::value::Why::new(
                format!("`{n}` from {package} is not evaluated by drizzle-drift"),
                None,
            ))),
        },
    })
}

fn member_of<'a, X: super::HostValue>(module: &str, key: &str) -> Option<Value<'a, X>> {
    let table = match module {
        "node.path" => PATH_FNS,
        "node.url" => URL_FNS,
        "js.process" => match key {
            "cwd" => return Some(Value::Builtin("node.process.cwd")),
            "env" => return Some(Value::Builtin("js.env")),
            _ => return None,
        },
        _ => return None,
    };
    match key {
        "sep" if module == "node.path" => Some(Value::str("/")),
        "posix" | "default" if module == "node.path" => Some(Value::Builtin("node.path")),
        _ => table
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, b)| Value::Builtin(b)),
    }
}

/// A Node module (`path`), whose members are functions.
pub fn is_module(builtin: &str) -> bool {
    matches!(builtin, "node.path" | "node.url" | "js.process")
}

/// `builtin.key` for Node's builtins; `None` when `builtin` is not one.
pub fn builtin_member<'a, H: Host<'a>>(
    ev: &Interp<'a, '_, H>,
    builtin: &'static str,
    key: &str,
    at: Option<Loc>,
) -> Option<Val<'a, H>> {
    let _ = ev;
    match builtin {
        "node.path" | "node.url" | "js.process" => Some(
            member_of(builtin, key)
                .unwrap_or_else(|| Value::unknown(format!("reads {builtin}.{key}"), at)),
        ),
        _ => None,
    }
}

/// Calls a Node builtin; `None` when `builtin` is not one.
pub fn call_builtin<'a, H: Host<'a>>(
    ev: &mut Interp<'a, '_, H>,
    builtin: &'static str,
    args: &[Val<'a, H>],
    loc: Loc,
) -> Option<Val<'a, H>> {
    let at = Some(loc);
    let strings = || -> Result<Vec<String>, Val<'a, H>> {
        args.iter()
            .map(|a| match a {
                Value::Str(s) => Ok(s.to_string()),
                Value::Unknown(_) => Err(a.clone()),
                Value::MissingEnv(name) => Err(Value::missing_env(name, at)),
                other => Err(Value::unknown(
                    format!("passes {} to {builtin}", other.kind()),
                    at,
                )),
            })
            .collect()
    };
    let cwd = ev.cwd.clone();
    let resolve = |parts: &[String]| -> Option<PathBuf> {
        let mut p = PathBuf::new();
        for part in parts.iter().rev() {
            if part.is_empty() {
                continue;
            }
            p = Path::new(part).join(p);
            if part.starts_with('/') {
                return Some(normalize(&p));
            }
        }
        Some(normalize(&cwd.as_ref()?.join(p)))
    };
    let path_value = |p: &Path| -> Val<'a, H> {
        match p.to_str() {
            Some("") => Value::str("."),
            Some(s) => Value::str(s),
            None => Value::unknown("is a path that is not valid UTF-8", at),
        }
    };
    let result = match builtin {
        "node.process.cwd" => match &ev.cwd {
            Some(cwd) => path_value(cwd),
            None => Value::unknown("calls process.cwd()", at),
        },
        "node.path.join" | "node.path.normalize" => match strings() {
            Ok(parts) => {
                let joined: Vec<&str> = parts
                    .iter()
                    .map(String::as_str)
                    .filter(|s| !s.is_empty())
                    .collect();
                let text = joined.join("/");
                let mut out = normalize(Path::new(&text)).to_string_lossy().into_owned();
                if text.ends_with('/') && !out.ends_with('/') && !out.is_empty() {
                    out.push('/');
                }
                if out.is_empty() {
                    out.push('.');
                }
                Value::str(&out)
            }
            Err(u) => u,
        },
        "node.path.resolve" => match strings() {
            Ok(parts) => match resolve(&parts) {
                Some(p) => path_value(&p),
                None => Value::unknown("resolves a relative path (process.cwd() unknown)", at),
            },
            Err(u) => u,
        },
        "node.path.relative" => match strings() {
            Ok(parts) if parts.len() == 2 => match (resolve(&parts[..1]), resolve(&parts[1..])) {
                (Some(from), Some(to)) => Value::str(&relative(&from, &to)),
                _ => Value::unknown("resolves a relative path (process.cwd() unknown)", at),
            },
            Ok(_) => Value::unknown("calls path.relative without two paths", at),
            Err(u) => u,
        },
        "node.path.dirname" => match strings() {
            Ok(parts) if !parts.is_empty() => Value::str(&dirname(&parts[0])),
            Ok(_) => Value::unknown("calls path.dirname without a path", at),
            Err(u) => u,
        },
        "node.path.basename" | "node.path.extname" => match strings() {
            Ok(parts) if !parts.is_empty() => {
                let trimmed = parts[0].trim_end_matches('/');
                let base = trimmed.rsplit('/').next().unwrap_or("");
                if builtin == "node.path.extname" {
                    match base.rfind('.') {
                        Some(i) if i > 0 => Value::str(&base[i..]),
                        _ => Value::str(""),
                    }
                } else {
                    let base = match parts.get(1) {
                        Some(ext) if base.ends_with(ext.as_str()) && base != ext => {
                            &base[..base.len() - ext.len()]
                        }
                        _ => base,
                    };
                    Value::str(base)
                }
            }
            Ok(_) => Value::unknown("calls path.basename without a path", at),
            Err(u) => u,
        },
        "node.path.isAbsolute" => match strings() {
            Ok(parts) if !parts.is_empty() => Value::Bool(parts[0].starts_with('/')),
            Ok(_) => Value::Bool(false),
            Err(u) => u,
        },
        "node.url.fileURLToPath" => match args.first() {
            Some(url) => file_url_to_path::<H>(ev, url, at),
            None => Value::unknown("calls fileURLToPath without a URL", at),
        },
        "node.url.pathToFileURL" => match strings() {
            Ok(parts) if !parts.is_empty() => match resolve(&parts[..1]) {
                Some(p) => url_object(&file_url(&p)),
                None => Value::unknown("resolves a relative path (process.cwd() unknown)", at),
            },
            Ok(_) => Value::unknown("calls pathToFileURL without a path", at),
            Err(u) => u,
        },
        "node.URL" => new_url::<H>(args, at),
        _ => return None,
    };
    Some(result)
}

/// `new URL(input, base)` for `file:` URLs.
pub fn new_url<'a, H: Host<'a>>(args: &[Val<'a, H>], at: Option<Loc>) -> Val<'a, H> {
    let text = |v: &Val<'a, H>| -> Result<String, Val<'a, H>> {
        match v {
            Value::Str(s) => Ok(s.to_string()),
            Value::Object(o) => match o.get("href") {
                Some(Value::Str(s)) => Ok(s.to_string()),
                _ => Err(Value::unknown("passes an object to new URL()", at)),
            },
            Value::Unknown(_) => Err(v.clone()),
            Value::MissingEnv(name) => Err(Value::missing_env(name, at)),
            other => Err(Value::unknown(
                format!("passes {} to new URL()", other.kind()),
                at,
            )),
        }
    };
    let input = match args.first().map(text) {
        Some(Ok(s)) => s,
        Some(Err(u)) => return u,
        None => return Value::unknown("calls new URL() without an input", at),
    };
    if input.starts_with("file:") {
        return url_object(&input);
    }
    if has_scheme(&input) {
        return Value::unknown("builds a URL that is not a file: URL", at);
    }
    let base = match args.get(1).map(text) {
        Some(Ok(s)) => s,
        Some(Err(u)) => return u,
        // Node throws: a relative URL needs a base.
        None => return Value::unknown("calls new URL() with a relative URL and no base", at),
    };
    let Some(base_path) = base.strip_prefix("file://") else {
        return Value::unknown("resolves a URL against a base that is not a file: URL", at);
    };
    let (input, suffix) = match input.find(['?', '#']) {
        Some(i) => (input[..i].to_string(), input[i..].to_string()),
        None => (input, String::new()),
    };
    let joined = if input.starts_with('/') {
        input
    } else {
        let dir = match base_path.rfind('/') {
            Some(i) => &base_path[..=i],
            None => "/",
        };
        format!("{dir}{input}")
    };
    let trailing = joined.ends_with('/');
    let mut path = normalize(Path::new(&joined)).to_string_lossy().into_owned();
    if trailing && !path.ends_with('/') {
        path.push('/');
    }
    url_object(&format!("file://{path}{suffix}"))
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 1 => s[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

/// A `file:` URL object: `href`, `pathname`, `protocol` (what configs read of it).
fn url_object<'a, X: super::HostValue>(href: &str) -> Value<'a, X> {
    let pathname = href
        .strip_prefix("file://")
        .map(|p| p.split(['?', '#']).next().unwrap_or(p))
        .unwrap_or(href);
    let mut o = Obj::default();
    o.set(Rc::from("href"), Value::str(href), None);
    o.set(Rc::from("pathname"), Value::str(pathname), None);
    o.set(Rc::from("protocol"), Value::str("file:"), None);
    Value::Object(Rc::new(o))
}

fn file_url_to_path<'a, H: Host<'a>>(
    _ev: &Interp<'a, '_, H>,
    url: &Val<'a, H>,
    at: Option<Loc>,
) -> Val<'a, H> {
    let href = match url {
        Value::Str(s) => s.to_string(),
        Value::Object(o) => match o.get("href").and_then(|h| js_string(h)) {
            Some(h) => h,
            None => return Value::unknown("passes an object that is not a URL", at),
        },
        Value::Unknown(_) => return url.clone(),
        other => return Value::unknown(format!("passes {} to fileURLToPath", other.kind()), at),
    };
    match href.strip_prefix("file://") {
        Some(rest) => {
            let rest = rest.split(['?', '#']).next().unwrap_or(rest);
            Value::str(&percent_decode(rest))
        }
        // Node throws: "The URL must be of scheme file".
        None => Value::unknown("calls fileURLToPath with a URL that is not a file: URL", at),
    }
}

/// The `file:` URL of an absolute path, percent-encoded as Node's `pathToFileURL` does.
pub fn file_url(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'/'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b':'
            | b'@' => out.push(b as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Node's `path.dirname`.
fn dirname(p: &str) -> String {
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return if p.starts_with('/') { "/" } else { "." }.to_string();
    }
    match trimmed.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => trimmed[..i].trim_end_matches('/').to_string(),
        None => ".".to_string(),
    }
}

/// Node's `path.relative` of two absolute, normalized paths.
fn relative(from: &Path, to: &Path) -> String {
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Removes `.` and folds `..` lexically, as Node's `path.normalize` does.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for comp in path.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_like_node() {
        assert_eq!(dirname("/a/b/c.ts"), "/a/b");
        assert_eq!(dirname("c.ts"), ".");
        assert_eq!(dirname("/c.ts"), "/");
        assert_eq!(
            relative(Path::new("/p/app"), Path::new("/p/app/src/schema.ts")),
            "src/schema.ts"
        );
        assert_eq!(relative(Path::new("/p/app"), Path::new("/p/lib")), "../lib");
        assert_eq!(relative(Path::new("/p"), Path::new("/p")), "");
        assert_eq!(file_url(Path::new("/a b/c.ts")), "file:///a%20b/c.ts");
        assert_eq!(percent_decode("/a%20b/c.ts"), "/a b/c.ts");
    }
}
