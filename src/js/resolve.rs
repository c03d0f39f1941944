//! Where an import leads, as the loaders drizzle-kit runs resolve it: relative files (a
//! `.js` specifier naming the `.ts` source), tsconfig `paths`/`baseUrl`.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

/// Extensions an extension-less import may resolve to, in the order esbuild tries them.
const IMPORT_EXTENSIONS: &[&str] = &["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];

/// Resolves a relative import from `from` the way esbuild/Node do for TypeScript sources.
/// `None` for package imports and imports that lead nowhere.
pub fn resolve_import(from: &Path, spec: &str) -> Option<PathBuf> {
    if !(spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == "..") {
        return None;
    }
    let base = normalize(&from.parent()?.join(spec));
    resolve_path(&base)
}

fn resolve_path(base: &Path) -> Option<PathBuf> {
    if base.is_file() {
        return Some(base.to_path_buf());
    }
    // `./users.js` in TypeScript source means `./users.ts`.
    if let Some(ext) = base.extension().and_then(|e| e.to_str()) {
        let swaps: &[&str] = match ext {
            "js" => &["ts", "tsx"],
            "jsx" => &["tsx"],
            "mjs" => &["mts"],
            "cjs" => &["cts"],
            _ => &[],
        };
        for swap in swaps {
            let candidate = base.with_extension(swap);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    let name = base.file_name()?.to_string_lossy().into_owned();
    for ext in IMPORT_EXTENSIONS {
        let candidate = base.with_file_name(format!("{name}.{ext}"));
        if candidate.is_file() {
            return Some(candidate);
        }
    }
    if base.is_dir() {
        for ext in IMPORT_EXTENSIONS {
            let candidate = base.join(format!("index.{ext}"));
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// `compilerOptions.paths` of a tsconfig, resolved: `(pattern, targets)` with targets
/// already joined to the folder they are relative to.
struct PathMap {
    paths: Vec<(String, Vec<PathBuf>)>,
    base_url: Option<PathBuf>,
}

/// tsconfig path aliases (`@/db/users`), as drizzle-kit 1.0 and bundlers resolve them
/// (drizzle-kit 0.31 does not: such imports fail there). Each folder's nearest
/// `tsconfig.json` is read once, following `extends` (relative files and package configs).
#[derive(Default)]
pub struct Aliases {
    by_dir: HashMap<PathBuf, Option<Rc<PathMap>>>,
}

impl Aliases {
    /// The file an aliased import of `from` leads to.
    pub fn resolve(&mut self, from: &Path, spec: &str) -> Option<PathBuf> {
        let map = self.for_dir(from.parent()?)?;
        for (pattern, targets) in &map.paths {
            let rest = match pattern.split_once('*') {
                Some((prefix, suffix)) => spec
                    .strip_prefix(prefix)
                    .and_then(|r| r.strip_suffix(suffix))
                    .map(str::to_string),
                None => (pattern == spec).then(String::new),
            };
            let Some(rest) = rest else { continue };
            for target in targets {
                let text = target.to_string_lossy().replacen('*', &rest, 1);
                if let Some(found) = resolve_path(&normalize(Path::new(&text))) {
                    return Some(found);
                }
            }
        }
        let base = map.base_url.as_ref()?;
        resolve_path(&normalize(&base.join(spec)))
    }

    fn for_dir(&mut self, dir: &Path) -> Option<Rc<PathMap>> {
        if let Some(found) = self.by_dir.get(dir) {
            return found.clone();
        }
        let config = dir.join("tsconfig.json");
        let map = if config.is_file() {
            read_tsconfig(&config, 0).map(Rc::new)
        } else {
            dir.parent().and_then(|p| self.for_dir(p))
        };
        self.by_dir.insert(dir.to_path_buf(), map.clone());
        map
    }
}

/// The configs a tsconfig `extends` (a string, or a list since TypeScript 5.0).
fn extends_list(json: &serde_json::Value) -> Vec<String> {
    match json.get("extends") {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The file an `extends` entry of a tsconfig in `dir` names: a relative path (`.json`
/// optional), or a package's file (`@acme/tsconfig/base.json`; the package's
/// `tsconfig.json` when no file is named) from the workspace or `node_modules`.
fn extended_config(dir: &Path, spec: &str) -> Option<PathBuf> {
    let with_json = |p: PathBuf| {
        if p.is_file() {
            Some(p)
        } else {
            let json = PathBuf::from(format!("{}.json", p.display()));
            json.is_file().then_some(json)
        }
    };
    if spec.starts_with('.') || spec.starts_with('/') {
        return with_json(normalize(&dir.join(spec)));
    }
    let mut parts = spec.splitn(3, '/');
    let first = parts.next()?;
    let (name, rest) = if first.starts_with('@') {
        (format!("{first}/{}", parts.next()?), parts.next())
    } else {
        (first.to_string(), spec.split_once('/').map(|(_, r)| r))
    };
    let package = Workspaces::default()
        .package_dir(&dir.join("tsconfig.json"), &name)
        .or_else(|| {
            dir.ancestors()
                .map(|a| a.join("node_modules").join(&name))
                .find(|p| p.is_dir())
        })?;
    match rest {
        Some(file) if !file.is_empty() => with_json(normalize(&package.join(file))),
        _ => {
            let named = read_json(&package.join("package.json")).and_then(|m| {
                m.get("tsconfig")
                    .and_then(|t| t.as_str())
                    .map(str::to_string)
            });
            with_json(package.join(named.as_deref().unwrap_or("tsconfig.json")))
        }
    }
}

/// `paths` and `baseUrl` of a tsconfig, its own or inherited through `extends`.
fn read_tsconfig(path: &Path, depth: u32) -> Option<PathMap> {
    if depth > 8 {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&strip_jsonc(&text)).ok()?;
    let dir = path.parent()?;
    // TypeScript 5 takes a list too: later entries override earlier ones.
    let inherited = extends_list(&json)
        .iter()
        .filter_map(|spec| extended_config(dir, spec))
        .filter_map(|target| read_tsconfig(&target, depth + 1))
        .reduce(|mut earlier, later| {
            earlier.paths = if later.paths.is_empty() {
                earlier.paths
            } else {
                later.paths
            };
            earlier.base_url = later.base_url.or(earlier.base_url);
            earlier
        });
    let options = json.get("compilerOptions");
    let base_url = options
        .and_then(|o| o.get("baseUrl"))
        .and_then(|b| b.as_str())
        .map(|b| normalize(&dir.join(b)));
    let paths = options
        .and_then(|o| o.get("paths"))
        .and_then(|p| p.as_object());
    match (paths, inherited) {
        (Some(paths), _) => {
            let root = base_url.clone().unwrap_or_else(|| dir.to_path_buf());
            Some(PathMap {
                paths: paths
                    .iter()
                    .map(|(k, v)| {
                        let targets = v
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(|t| t.as_str())
                                    .map(|t| root.join(t))
                                    .collect()
                            })
                            .unwrap_or_default();
                        (k.clone(), targets)
                    })
                    .collect(),
                base_url,
            })
        }
        (None, Some(mut parent)) => {
            if base_url.is_some() {
                parent.base_url = base_url;
            }
            Some(parent)
        }
        (None, None) => base_url.map(|b| PathMap {
            paths: Vec::new(),
            base_url: Some(b),
        }),
    }
}

/// Packages of the project's workspace (pnpm-workspace.yaml or package.json
/// `workspaces`) and those linked into `node_modules` by a symlink, resolved from their
/// sources by `package.json` `name`, `exports`, `main`, `types`. An npm dependency (a
/// package outside the workspace) is not resolved.
#[derive(Default)]
pub struct Workspaces {
    /// Per workspace root: package name → folder.
    by_root: HashMap<PathBuf, Rc<HashMap<String, PathBuf>>>,
    /// Per folder: its workspace root, if any.
    root_of: HashMap<PathBuf, Option<PathBuf>>,
}

impl Workspaces {
    /// The file `spec` (`@acme/ids/drizzle`) names, imported from `from`.
    pub fn resolve(&mut self, from: &Path, spec: &str) -> Option<PathBuf> {
        if spec.starts_with('.') || spec.starts_with('/') || spec.starts_with("node:") {
            return None;
        }
        let mut parts = spec.splitn(3, '/');
        let first = parts.next()?;
        let (name, rest) = if first.starts_with('@') {
            let second = parts.next()?;
            (format!("{first}/{second}"), parts.next())
        } else {
            let rest = spec.split_once('/').map(|(_, r)| r);
            (first.to_string(), rest)
        };
        let subpath = match rest {
            Some(r) if !r.is_empty() => format!("./{r}"),
            _ => ".".to_string(),
        };
        let dir = self.package_dir(from, &name)?;
        package_entry(&dir, &subpath)
    }

    fn package_dir(&mut self, from: &Path, name: &str) -> Option<PathBuf> {
        let start = from.parent()?;
        if let Some(root) = self.root_for(start) {
            let packages = self.packages(&root);
            if let Some(dir) = packages.get(name) {
                return Some(dir.clone());
            }
        }
        // A workspace link: node_modules/<name> as a symlink to a folder of sources.
        for dir in start.ancestors() {
            let link = dir.join("node_modules").join(name);
            if let Ok(meta) = std::fs::symlink_metadata(&link) {
                if meta.file_type().is_symlink() {
                    return std::fs::canonicalize(&link).ok();
                }
                return None;
            }
        }
        None
    }

    fn root_for(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.root_of.get(dir) {
            return found.clone();
        }
        let found = if dir.join("pnpm-workspace.yaml").is_file()
            || read_json(&dir.join("package.json")).is_some_and(|j| j.get("workspaces").is_some())
        {
            Some(dir.to_path_buf())
        } else {
            dir.parent().and_then(|p| self.root_for(p))
        };
        self.root_of.insert(dir.to_path_buf(), found.clone());
        found
    }

    fn packages(&mut self, root: &Path) -> Rc<HashMap<String, PathBuf>> {
        if let Some(found) = self.by_root.get(root) {
            return found.clone();
        }
        let mut patterns = Vec::new();
        if let Ok(text) = std::fs::read_to_string(root.join("pnpm-workspace.yaml")) {
            patterns.extend(pnpm_packages(&text));
        }
        if let Some(json) = read_json(&root.join("package.json")) {
            let list = match json.get("workspaces") {
                Some(serde_json::Value::Array(a)) => Some(a.clone()),
                Some(serde_json::Value::Object(o)) => {
                    o.get("packages").and_then(|p| p.as_array()).cloned()
                }
                _ => None,
            };
            patterns.extend(
                list.unwrap_or_default()
                    .iter()
                    .filter_map(|p| p.as_str().map(str::to_string)),
            );
        }
        let mut out = HashMap::new();
        for pattern in patterns.iter().filter(|p| !p.starts_with('!')) {
            let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
            let full = root.join(pattern).join("package.json");
            let Ok(paths) = glob::glob(&full.to_string_lossy()) else {
                continue;
            };
            for manifest in paths.flatten() {
                if manifest
                    .components()
                    .any(|c| c.as_os_str() == "node_modules")
                {
                    continue;
                }
                let name = read_json(&manifest)
                    .and_then(|j| j.get("name").and_then(|n| n.as_str()).map(str::to_string));
                if let (Some(name), Some(dir)) = (name, manifest.parent()) {
                    out.entry(name).or_insert_with(|| dir.to_path_buf());
                }
            }
        }
        let out = Rc::new(out);
        self.by_root.insert(root.to_path_buf(), out.clone());
        out
    }
}

/// The `packages:` list of a pnpm-workspace.yaml.
fn pnpm_packages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if !line.starts_with([' ', '\t', '-']) && !trimmed.is_empty() {
            inside = trimmed.starts_with("packages:");
            continue;
        }
        if let (true, Some(item)) = (inside, trimmed.strip_prefix('-')) {
            let item = item.split(" #").next().unwrap_or(item).trim();
            out.push(item.trim_matches(['"', '\'']).to_string());
        }
    }
    out
}

fn read_json(path: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&strip_jsonc(&text)).ok()
}

/// The conditions an `exports` entry is read with: what the loader drizzle-kit runs in
/// matches, and `types` (a workspace package often points it at its sources).
const CONDITIONS: &[&str] = &[
    "import", "require", "node", "default", "module", "types", "source",
];

/// The file a package folder exports at `subpath` (`.` or `./drizzle`).
fn package_entry(dir: &Path, subpath: &str) -> Option<PathBuf> {
    let manifest = read_json(&dir.join("package.json")).unwrap_or(serde_json::Value::Null);
    if let Some(exports) = manifest.get("exports") {
        let is_map = exports
            .as_object()
            .is_some_and(|o| o.keys().any(|k| k.starts_with('.')));
        let target = if is_map {
            let map = exports.as_object()?;
            match map.get(subpath) {
                Some(t) => target_file(dir, t, None),
                None => map.iter().find_map(|(key, t)| {
                    let (prefix, suffix) = key.split_once('*')?;
                    let star = subpath.strip_prefix(prefix)?.strip_suffix(suffix)?;
                    target_file(dir, t, Some(star))
                }),
            }
        } else if subpath == "." {
            target_file(dir, exports, None)
        } else {
            None
        };
        // `exports` is the whole interface: what it does not list is not importable.
        return target;
    }
    if subpath != "." {
        return resolve_path(&normalize(&dir.join(subpath)));
    }
    for key in ["main", "module", "types"] {
        if let Some(main) = manifest.get(key).and_then(|m| m.as_str()) {
            let path = dir.join(main);
            if let Some(file) = source_file(&path).or_else(|| unbuilt_source(dir, &path)) {
                return Some(file);
            }
        }
    }
    resolve_path(&dir.join("index"))
}

/// An `exports` target (a path, a conditions object, a list of fallbacks).
fn target_file(dir: &Path, target: &serde_json::Value, star: Option<&str>) -> Option<PathBuf> {
    match target {
        serde_json::Value::String(s) => {
            let s = match star {
                Some(star) => s.replace('*', star),
                None => s.clone(),
            };
            let path = dir.join(s);
            source_file(&path).or_else(|| unbuilt_source(dir, &path))
        }
        serde_json::Value::Object(o) => o
            .iter()
            .filter(|(k, _)| CONDITIONS.contains(&k.as_str()))
            .find_map(|(_, t)| target_file(dir, t, star)),
        serde_json::Value::Array(a) => a.iter().find_map(|t| target_file(dir, t, star)),
        _ => None,
    }
}

/// A file with code in it (a declaration file has none).
fn source_file(path: &Path) -> Option<PathBuf> {
    let file = resolve_path(&normalize(path))?;
    let name = file.file_name()?.to_string_lossy();
    (!name.ends_with(".d.ts") && !name.ends_with(".d.mts") && !name.ends_with(".d.cts"))
        .then_some(file)
}

/// The source a build output that is not there (a fresh clone never ran the package's
/// build) is compiled from: `dist/index.js` read as `src/index.ts` when the package's
/// tsconfig says `outDir` is `dist` and `rootDir` is `src` (TypeScript's own mapping).
fn unbuilt_source(dir: &Path, path: &Path) -> Option<PathBuf> {
    let (Some(out_dir), Some(root_dir)) = out_and_root_dirs(&dir.join("tsconfig.json"), 0) else {
        return None;
    };
    let rest = normalize(path).strip_prefix(&out_dir).ok()?.to_path_buf();
    let mut mapped = normalize(&root_dir.join(rest));
    let name = mapped.file_name()?.to_string_lossy().into_owned();
    for (declaration, source) in [(".d.ts", ".ts"), (".d.mts", ".mts"), (".d.cts", ".cts")] {
        if let Some(stem) = name.strip_suffix(declaration) {
            mapped.set_file_name(format!("{stem}{source}"));
        }
    }
    source_file(&mapped)
}

/// `compilerOptions.outDir` and `rootDir` of a package's tsconfig (each may come from a
/// relative file it extends), as paths.
fn out_and_root_dirs(config: &Path, depth: u32) -> (Option<PathBuf>, Option<PathBuf>) {
    let Some(json) = (depth <= 8).then(|| read_json(config)).flatten() else {
        return (None, None);
    };
    let Some(here) = config.parent() else {
        return (None, None);
    };
    let options = json.get("compilerOptions");
    let own = |key: &str| {
        options
            .and_then(|o| o.get(key))
            .and_then(|v| v.as_str())
            .map(|v| normalize(&here.join(v)))
    };
    let (out_dir, root_dir) = (own("outDir"), own("rootDir"));
    if out_dir.is_some() && root_dir.is_some() {
        return (out_dir, root_dir);
    }
    let parent = extends_list(&json)
        .iter()
        .filter_map(|spec| extended_config(here, spec))
        .map(|target| out_and_root_dirs(&target, depth + 1))
        .fold((None, None), |(o, r), (later_o, later_r)| {
            (later_o.or(o), later_r.or(r))
        });
    (out_dir.or(parent.0), root_dir.or(parent.1))
}

/// JSON with comments and trailing commas (tsconfig's dialect) as plain JSON.
fn strip_jsonc(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            out.push(b);
            if b == b'\\' && i + 1 < bytes.len() {
                out.push(bytes[i + 1]);
                i += 2;
                continue;
            }
            if b == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                out.push(b);
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b',' => {
                let next = bytes[i + 1..]
                    .iter()
                    .find(|c| !c.is_ascii_whitespace())
                    .copied();
                if !matches!(next, Some(b'}') | Some(b']')) {
                    out.push(b);
                }
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes `.` and resolves `..` lexically, so one file has one path.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for comp in path.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonc_becomes_json() {
        let text = r#"{
  // a comment
  "compilerOptions": { /* block */ "paths": { "@/*": ["./src/*",], }, "x": "a//b" },
}"#;
        let v: serde_json::Value = serde_json::from_str(&strip_jsonc(text)).expect("json");
        assert_eq!(v["compilerOptions"]["paths"]["@/*"][0], "./src/*");
        assert_eq!(v["compilerOptions"]["x"], "a//b");
    }

    #[test]
    fn normalizes_dots() {
        assert_eq!(
            normalize(Path::new("/a/./b/../c.ts")),
            PathBuf::from("/a/c.ts")
        );
    }
}
