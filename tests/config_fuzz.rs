//! No input makes the config reader panic: every test config, mutated a few thousand
//! deterministic ways, loads to Ok or Err.

mod fuzz_support;

use drizzle_drift::config::{load_with_env, Env};
use drizzle_drift::model::Dialect;
use fuzz_support::Rng;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const INSERTS: [&[u8]; 14] = [
    b"\"",
    b"'",
    b"`",
    b"{",
    b"}",
    b"(",
    b")",
    b"[",
    b"]",
    b",",
    b"...",
    b"${",
    b"process.env.",
    b"\xff",
];

fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(3) {
        match rng.below(5) {
            0 => out.truncate(rng.below(out.len() + 1)),
            1 => {
                if !out.is_empty() {
                    let i = rng.below(out.len());
                    out[i] ^= 1 << rng.below(8);
                }
            }
            2 => {
                let at = rng.below(out.len() + 1);
                let ins = INSERTS[rng.below(INSERTS.len())];
                out.splice(at..at, ins.iter().copied());
            }
            3 => {
                if !out.is_empty() {
                    let start = rng.below(out.len());
                    let end = (start + rng.below(16)).min(out.len());
                    out.drain(start..end);
                }
            }
            _ => {
                // Duplicate a slice: repeats keys, spreads and nesting.
                if !out.is_empty() {
                    let start = rng.below(out.len());
                    let end = (start + rng.below(64)).min(out.len());
                    let slice = out[start..end].to_vec();
                    let at = rng.below(out.len() + 1);
                    out.splice(at..at, slice);
                }
            }
        }
    }
    out
}

fn config_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            config_files(&path, out);
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("drizzle.config.") || n.starts_with(".env"))
        {
            out.push(path);
        }
    }
}

#[test]
fn mutated_configs_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs");
    let mut files = Vec::new();
    config_files(&root, &mut files);
    assert!(
        files.len() >= 20,
        "expected the test configs, found {files:?}"
    );

    let vars: HashMap<String, String> =
        [("DATABASE_URL", "postgres://u:p@h/db"), ("DB_PORT", "5432")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut ok, mut err) = (0, 0);
    let rounds = 3000;
    for round in 0..rounds {
        let source = &files[round % files.len()];
        let Ok(original) = std::fs::read(source) else {
            continue;
        };
        let name = source.file_name().unwrap();
        let mutated = mutate(&original, &mut rng);
        // Configs are loaded from the folder; a mutated .env goes beside a fixed config.
        let case = dir.path().join(format!("r{round}"));
        std::fs::create_dir_all(&case).unwrap();
        let config = if name.to_string_lossy().starts_with(".env") {
            std::fs::write(
                case.join("drizzle.config.ts"),
                "import 'dotenv/config';\nexport default { dialect: 'postgresql', \
                 dbCredentials: { url: process.env.DATABASE_URL!, port: Number(process.env.DB_PORT) } };",
            )
            .unwrap();
            std::fs::write(case.join(".env"), &mutated).unwrap();
            case.join("drizzle.config.ts")
        } else {
            std::fs::write(case.join(name), &mutated).unwrap();
            case.join(name)
        };
        let result = std::panic::catch_unwind(|| {
            load_with_env(Some(&config), &case, Env::with_vars(vars.clone()))
        });
        match result {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                assert!(!e.to_string().is_empty());
                err += 1;
            }
            Err(_) => panic!(
                "round {round}: panicked on a mutation of {}:\n{}",
                source.display(),
                String::from_utf8_lossy(&mutated)
            ),
        }
        std::fs::remove_dir_all(&case).unwrap();
    }
    // Both outcomes occur, so the mutations neither all break nor all miss the parser.
    assert!(ok > rounds / 10 && err > rounds / 10, "ok {ok}, err {err}");
}

/// Deep nesting of every recursive construct, at the largest size the reader accepts,
/// ends in Ok or Err: never a stack overflow.
#[test]
fn deeply_nested_configs_do_not_overflow_the_stack() {
    let patterns: &[(&str, &str, &str)] = &[
        ("!", "1", ""),
        ("- ", "1", ""),
        ("typeof ", "1", ""),
        ("void ", "0", ""),
        ("await ", "1", ""),
        ("new ", "X", ""),
        ("a=", "1", ""),
        ("a+", "1", ""),
        ("a**", "1", ""),
        ("a?b:", "1", ""),
        ("x=>", "1", ""),
        ("a.b?.", "c", ""),
        ("`${", "1", "}`"),
        ("[", "", "]"),
        ("(", "1", ")"),
        ("{a:", "1", "}"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let limit = 256 * 1024;
    for (open, middle, close) in patterns {
        let prefix = "export default { dialect: 'mysql', x: ";
        let n = (limit - prefix.len() - 16) / (open.len() + close.len());
        let source = format!("{prefix}{}{middle}{} }};", open.repeat(n), close.repeat(n));
        std::fs::write(dir.path().join("drizzle.config.ts"), &source).unwrap();
        match load_with_env(None, dir.path(), Env::with_vars(HashMap::new())) {
            Ok(config) => assert_eq!(config.dialect, Dialect::Mysql, "{open}"),
            Err(err) => assert!(err.to_string().starts_with("drizzle.config.ts"), "{err}"),
        }
    }
    // Past the size limit the reader refuses the file outright.
    std::fs::write(
        dir.path().join("drizzle.config.ts"),
        format!(
            "export default {{ dialect: 'mysql', x: '{}' }};",
            "a".repeat(limit)
        ),
    )
    .unwrap();
    let err = load_with_env(None, dir.path(), Env::with_vars(HashMap::new())).unwrap_err();
    assert!(err.to_string().contains("not supported"), "{err}");
}
