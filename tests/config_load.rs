//! Loading realistic drizzle-kit configs (tests/configs/<case>/) without Node.

use drizzle_drift::config::{
    load_with_env, resolve_url, resolve_url_with_env, Casing, Config, Credentials, Env,
};
use drizzle_drift::diagnostic::Level;
use drizzle_drift::model::Dialect;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/configs")
        .join(name)
}

fn env(pairs: &[(&str, &str)]) -> Env {
    Env::with_vars(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<HashMap<_, _>>(),
    )
}

/// Loads the config found in a case folder, run from that folder, with only `vars` set.
fn load(name: &str, vars: &[(&str, &str)]) -> Config {
    match load_with_env(None, &case(name), env(vars)) {
        Ok(config) => config,
        Err(err) => panic!("{name}: {err}"),
    }
}

fn load_err(name: &str, vars: &[(&str, &str)]) -> String {
    match load_with_env(None, &case(name), env(vars)) {
        Ok(config) => panic!("{name} loaded: {config:?}"),
        Err(err) => err.to_string(),
    }
}

fn url(config: &Config) -> Option<String> {
    config
        .credentials
        .as_ref()
        .map(|c| c.to_url(config.dialect))
}

fn messages(config: &Config) -> Vec<String> {
    config.diagnostics.iter().map(|d| d.to_string()).collect()
}

/// Diagnostics above info level (one-off configs below often leave `schema` out).
fn warnings(config: &Config) -> Vec<String> {
    config
        .diagnostics
        .iter()
        .filter(|d| d.level > Level::Info)
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn define_config_with_every_key() {
    let c = load("define_config", &[]);
    assert_eq!(c.path, case("define_config").join("drizzle.config.ts"));
    assert_eq!(c.root, case("define_config"));
    assert_eq!(c.dialect, Dialect::Postgresql);
    assert_eq!(c.schema, vec!["./src/db/schema.ts"]);
    assert_eq!(c.out, case("define_config").join("drizzle"));
    assert_eq!(c.casing, Some(Casing::SnakeCase));
    assert_eq!(
        url(&c).as_deref(),
        Some("postgres://app:s3cret-pw@localhost:5432/app")
    );
    assert_eq!(c.migrations.table, "journal");
    assert_eq!(c.migrations.schema, "audit");
    assert_eq!(c.migrations.prefix, "timestamp");
    assert_eq!(c.schema_filter, vec!["public", "billing"]);
    assert_eq!(c.tables_filter, vec!["app_*"]);
    assert!(c.diagnostics.is_empty(), "{:?}", messages(&c));
}

#[test]
fn plain_object_in_js_with_defaults() {
    let c = load("plain_object", &[]);
    assert_eq!(c.dialect, Dialect::Mysql);
    assert_eq!(c.schema, vec!["./db/users.ts", "./db/posts.ts"]);
    assert_eq!(c.out, case("plain_object").join("drizzle"));
    assert_eq!(c.casing, None);
    assert_eq!(c.migrations.table, "__drizzle_migrations");
    assert_eq!(c.migrations.schema, "drizzle");
    assert_eq!(c.migrations.prefix, "index");
    assert!(c.schema_filter.is_empty());
    assert!(c.tables_filter.is_empty());
    assert_eq!(
        c.credentials,
        Some(Credentials::Params {
            host: "127.0.0.1".into(),
            port: Some(3306),
            user: Some("root".into()),
            password: None,
            database: "shop".into(),
            ssl: None,
        })
    );
    assert_eq!(url(&c).as_deref(), Some("mysql://root@127.0.0.1:3306/shop"));
    assert!(c.diagnostics.is_empty(), "{:?}", messages(&c));
}

#[test]
fn satisfies_config_binding_and_env_non_null() {
    let c = load(
        "satisfies",
        &[("DATABASE_URL", "postgres://u:p@db/satisfied")],
    );
    assert_eq!(c.dialect, Dialect::Postgresql);
    assert_eq!(c.schema, vec!["./src/schema/*"]);
    assert_eq!(c.out, case("satisfies").join("migrations"));
    assert!(c.schema_filter.is_empty(), "no schemaFilter in the config");
    assert_eq!(url(&c).as_deref(), Some("postgres://u:p@db/satisfied"));
    assert!(c.diagnostics.is_empty(), "{:?}", messages(&c));
}

#[test]
fn as_config_in_mts() {
    let c = load_with_env(
        Some(Path::new("drizzle.config.mts")),
        &case("as_config"),
        env(&[]),
    )
    .unwrap();
    assert_eq!(c.dialect, Dialect::Mysql);
    assert_eq!(c.out, case("as_config").join("drizzle/mysql"));
    assert_eq!(
        url(&c).as_deref(),
        Some("mysql://root:rootpw@127.0.0.1:3306/app")
    );
    // Without --config, .mts is still found when it is the only config.
    assert_eq!(load("as_config", &[]).dialect, Dialect::Mysql);
}

#[test]
fn spread_of_a_shared_object() {
    let c = load("spread", &[("DATABASE_URL", "postgres://x@h/spread")]);
    assert_eq!(c.dialect, Dialect::Postgresql);
    assert_eq!(c.out, case("spread").join("migrations"));
    assert_eq!(c.migrations.schema, "public");
    assert_eq!(c.migrations.table, "__drizzle_migrations");
    assert_eq!(c.schema, vec!["./src/schema.ts"]);
    assert!(c.diagnostics.is_empty(), "{:?}", messages(&c));
}

#[test]
fn env_operators_and_dotenv_next_to_the_config() {
    // .env in the case folder supplies DB_HOST, DB_PASSWORD, DB_NAME and an empty
    // SCHEMA_PATH (so `||` falls back); DB_PORT is unset (so `??` falls back).
    let c = load("env_ops", &[]);
    assert_eq!(c.schema, vec!["./src/schema.ts"]);
    assert_eq!(c.out, case("env_ops").join("drizzle"));
    assert_eq!(
        c.credentials,
        Some(Credentials::Params {
            host: "db.local".into(),
            port: Some(5432),
            user: Some("postgres".into()),
            password: Some("pa55 w0rd!".into()),
            database: "shop_development".into(),
            ssl: Some("false".into()),
        })
    );
    assert_eq!(
        url(&c).as_deref(),
        Some("postgresql://postgres:pa55%20w0rd%21@db.local:5432/shop_development?sslmode=disable")
    );
    assert_eq!(c.env.files(), &[case("env_ops").join(".env")]);
    assert!(c.diagnostics.is_empty(), "{:?}", messages(&c));

    // The process environment wins over .env.
    let c = load(
        "env_ops",
        &[
            ("DB_HOST", "prod.internal"),
            ("DB_PORT", "6432"),
            ("NODE_ENV", "production"),
            ("DB_SSL", "true"),
            ("MIGRATIONS_DIR", "db/migrations"),
        ],
    );
    assert_eq!(
        url(&c).as_deref(),
        Some("postgresql://postgres:pa55%20w0rd%21@prod.internal:6432/shop_production?sslmode=require")
    );
    assert_eq!(c.out, case("env_ops").join("db/migrations"));
}

#[test]
fn config_in_a_subfolder_resolves_paths_against_cwd() {
    let root = case("monorepo");
    let c = load_with_env(
        Some(Path::new("server/db/drizzle.config.ts")),
        &root,
        env(&[]),
    )
    .unwrap();
    assert_eq!(c.root, root);
    assert_eq!(c.path, root.join("server/db/drizzle.config.ts"));
    assert_eq!(c.out, root.join("server/db/migrations"));
    assert_eq!(c.schema, vec!["./server/db/schema.ts"]);
    // DATABASE_URL comes from the .env beside the config.
    assert_eq!(
        url(&c).as_deref(),
        Some("postgres://monorepo:monopw@127.0.0.1:5432/mono")
    );
    assert!(c.diagnostics.is_empty(), "{:?}", messages(&c));
    // Without --config nothing is found in the package root, and the error says where
    // it looked.
    let err = load_err("monorepo", &[]);
    assert!(
        err.contains("drizzle.config.ts") && err.contains("monorepo"),
        "{err}"
    );
}

#[test]
fn json_config_with_params_and_string_port() {
    let c = load("json", &[]);
    assert_eq!(c.dialect, Dialect::Postgresql);
    assert_eq!(c.schema, vec!["./schema/users.ts", "./schema/orders.ts"]);
    assert_eq!(c.out, case("json").join("db/migrations"));
    assert_eq!(c.migrations.table, "schema_history");
    assert_eq!(
        url(&c).as_deref(),
        Some("postgresql://svc:json-pw@localhost:5433/orders?sslmode=verify-full")
    );
}

#[test]
fn legacy_driver_pg_with_connection_string() {
    let c = load("legacy_pg", &[]);
    assert_eq!(c.dialect, Dialect::Postgresql);
    assert_eq!(
        url(&c).as_deref(),
        Some("postgres://legacy:legacypw@localhost/legacy")
    );
    let notes = messages(&c);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("legacy `driver: \"pg\"`"), "{notes:?}");
    assert_eq!(c.diagnostics[0].level, Level::Info);
}

#[test]
fn legacy_driver_mysql2_in_cjs() {
    let c = load("legacy_mysql2", &[]);
    assert_eq!(c.dialect, Dialect::Mysql);
    assert_eq!(
        url(&c).as_deref(),
        Some("mysql://root@localhost:3306/legacy")
    );
    assert_eq!(c.out, case("legacy_mysql2").join("migrations"));
}

#[test]
fn unsupported_dialect_is_a_clear_error() {
    let err = load_err("unsupported", &[]);
    assert_eq!(
        err,
        "drizzle.config.ts:4:12: dialect sqlite is not supported yet (drizzle-drift reads postgresql and mysql)"
    );
}

#[test]
fn syntax_error_names_file_line_and_column() {
    let err = load_err("syntax_error", &[]);
    assert!(
        err.starts_with("drizzle.config.ts:6:3: syntax error"),
        "{err}"
    );
}

#[test]
fn unevaluable_call_is_a_diagnostic_and_the_rest_loads() {
    let c = load("unevaluable", &[]);
    assert_eq!(c.dialect, Dialect::Postgresql);
    assert_eq!(c.schema, vec!["./src/schema.ts"]);
    assert_eq!(c.out, case("unevaluable").join("drizzle"));
    assert!(c.credentials.is_none());
    assert_eq!(
        messages(&c),
        vec!["drizzle.config.ts:7:10: cannot evaluate dbCredentials.url (uses `getDatabaseUrl` imported from ./src/env, which is no file)"]
    );
    assert_eq!(c.diagnostics[0].level, Level::Warning);
}

#[test]
fn missing_env_var_is_named() {
    let c = load("missing_env", &[]);
    assert!(c.credentials.is_none());
    assert_eq!(
        messages(&c),
        vec![
            "drizzle.config.ts:7:10: dbCredentials.url: DATABASE_URL is not set (neither in the environment nor in .env)"
        ]
    );
    // resolve_url has nothing to offer then, and says where a given URL came from.
    assert_eq!(resolve_url(Some(&c), None), None);
    assert_eq!(
        resolve_url(Some(&c), Some("postgres://cli@h/db")),
        Some(("postgres://cli@h/db".to_string(), "--url"))
    );
}

#[test]
fn imported_env_helper_is_not_guessed() {
    let c = load("t3_env", &[("DATABASE_URL", "postgres://from-env@h/db")]);
    assert!(c.credentials.is_none());
    assert_eq!(c.tables_filter, vec!["t3app_*"]);
    let notes = messages(&c);
    assert_eq!(
        notes,
        vec!["drizzle.config.ts:9:10: cannot evaluate dbCredentials.url (uses `env` imported from ~/env)"]
    );
    // The CLI then falls back to DATABASE_URL.
    assert_eq!(
        resolve_url(Some(&c), None),
        Some((
            "postgres://from-env@h/db".to_string(),
            "DATABASE_URL in the environment"
        ))
    );
}

#[test]
fn commonjs_require_and_logical_or_fallback() {
    let c = load("cjs_require", &[]);
    assert_eq!(c.dialect, Dialect::Postgresql);
    assert_eq!(
        url(&c).as_deref(),
        Some("postgres://postgres@localhost:5432/dev")
    );
    let c = load("cjs_require", &[("DATABASE_URL", "postgres://ci@ci/db")]);
    assert_eq!(url(&c).as_deref(), Some("postgres://ci@ci/db"));
}

#[test]
fn dotenv_config_paths_and_override() {
    let c = load("dotenv_path", &[]);
    // .env.development is loaded with override: true, so it beats .env.local.
    assert_eq!(
        url(&c).as_deref(),
        Some("mysql://dev:devpw@127.0.0.1:3306/dev")
    );
    assert_eq!(c.tables_filter, vec!["users", "orders"]);
    assert_eq!(
        c.env.files(),
        &[
            case("dotenv_path").join(".env.local"),
            case("dotenv_path").join(".env.development"),
        ]
    );
    // override: true beats even the process environment, as dotenv does.
    let c = load(
        "dotenv_path",
        &[("DATABASE_URL", "mysql://process@h/p"), ("APP_ENV", "test")],
    );
    assert_eq!(url(&c).as_deref(), Some("mysql://process@h/p"));
    assert!(
        messages(&c).iter().any(|m| m.contains(".env.test")),
        "{:?}",
        messages(&c)
    );
}

#[test]
fn define_config_under_another_name_and_export_as_default() {
    let c = load("aliased", &[]);
    assert_eq!(c.dialect, Dialect::Postgresql);
    assert_eq!(c.out, case("aliased").join("drizzle"));
    let c = load("named_default", &[]);
    assert_eq!(c.dialect, Dialect::Mysql);
    assert_eq!(c.casing, Some(Casing::CamelCase));
}

#[test]
fn path_helpers_with_dirname_and_cwd() {
    let c = load("path_join", &[]);
    let schema = case("path_join").join("src/schema.ts");
    assert_eq!(c.schema, vec![schema.to_str().unwrap()]);
    assert_eq!(c.out, case("path_join").join("drizzle"));
}

#[test]
fn resolve_url_precedence() {
    let c = load("define_config", &[("DATABASE_URL", "postgres://env@h/db")]);
    assert_eq!(
        resolve_url(Some(&c), Some("postgres://cli@h/db")).map(|r| r.1),
        Some("--url")
    );
    assert_eq!(
        resolve_url(Some(&c), None),
        Some((
            "postgres://app:s3cret-pw@localhost:5432/app".to_string(),
            "dbCredentials in the config"
        ))
    );
    // No config: DATABASE_URL from the process, then from .env in the directory.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "DATABASE_URL=postgres://dotenv@h/db\n",
    )
    .unwrap();
    let bare = Env::for_dir(env(&[]), dir.path());
    assert_eq!(
        resolve_url_with_env(None, None, &bare),
        Some((
            "postgres://dotenv@h/db".to_string(),
            "DATABASE_URL in a .env file"
        ))
    );
    let with_process = Env::for_dir(env(&[("DATABASE_URL", "postgres://proc@h/db")]), dir.path());
    assert_eq!(
        resolve_url_with_env(None, None, &with_process).map(|r| r.0),
        Some("postgres://proc@h/db".to_string())
    );
}

#[test]
fn passwords_never_leak_into_debug_or_errors() {
    let secrets = [
        ("define_config", "s3cret-pw"),
        ("as_config", "rootpw"),
        ("json", "json-pw"),
        ("legacy_pg", "legacypw"),
        ("env_ops", "pa55"),
        ("dotenv_path", "devpw"),
    ];
    for (name, secret) in secrets {
        let c = load(name, &[]);
        let debug = format!("{c:?}");
        assert!(!debug.contains(secret), "{name}: {debug}");
        assert!(debug.contains("***"), "{name}: {debug}");
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains(secret), "{name}: {json}");
        for d in &c.diagnostics {
            assert!(!d.to_string().contains(secret), "{name}: {d}");
        }
    }
    // An error in a config that holds a password does not quote it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("drizzle.config.ts"),
        "export default {\n  dialect: 'sqlite',\n  dbCredentials: { url: 'postgres://u:TOPSECRET@h/d' },\n}\n",
    )
    .unwrap();
    let err = load_with_env(None, dir.path(), env(&[]))
        .unwrap_err()
        .to_string();
    assert!(!err.contains("TOPSECRET"), "{err}");
    std::fs::write(
        dir.path().join("drizzle.config.ts"),
        "export default {\n  dialect: 'postgresql',\n  dbCredentials: { url: wrap('postgres://u:TOPSECRET@h/d'), password: 42 },\n}\n",
    )
    .unwrap();
    let c = load_with_env(None, dir.path(), env(&[])).unwrap();
    for d in &c.diagnostics {
        assert!(!d.to_string().contains("TOPSECRET"), "{d}");
    }
    assert_eq!(warnings(&c).len(), 1, "{:?}", messages(&c));
}

/// Writes a one-off config into a temp folder and loads it.
fn load_source(file: &str, source: &str, vars: &[(&str, &str)]) -> Result<Config, String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), source).unwrap();
    load_with_env(None, dir.path(), env(vars)).map_err(|e| e.to_string())
}

#[test]
fn edge_cases_of_the_evaluator() {
    // A self-referencing const neither hangs nor guesses.
    let c = load_source(
        "drizzle.config.ts",
        "const a = b; const b = a;\nexport default { dialect: 'postgresql', out: a };",
        &[],
    )
    .unwrap();
    assert_eq!(c.out.file_name().unwrap(), "drizzle");
    assert!(
        warnings(&c)[0].contains("`a` is used while it is being defined"),
        "{:?}",
        warnings(&c)
    );

    // An unevaluable spread makes the keys it may set unknown, but keys set after it stay.
    let c = load_source(
        "drizzle.config.ts",
        "import { base } from './base';\nexport default { ...base, dialect: 'mysql' };",
        &[],
    )
    .unwrap();
    assert_eq!(c.dialect, Dialect::Mysql);
    let notes = warnings(&c);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("drizzle.config.ts:1:10: cannot evaluate a spread (uses `base` imported from ./base, which is no file); schema, out, casing"),
        "{notes:?}"
    );
    // None of them is given a default: each is unread, and so incomplete.
    let unread: Vec<&str> = c.unread.iter().map(|u| u.key.as_str()).collect();
    assert_eq!(
        unread,
        [
            "schema",
            "out",
            "casing",
            "migrations.table",
            "schemaFilter",
            "tablesFilter"
        ]
    );
    assert_eq!(c.incomplete.len(), 6);

    // A dialect that may come from an unevaluable spread is a hard error that says so.
    let err = load_source(
        "drizzle.config.ts",
        "import { base } from './base';\nexport default { schema: 's.ts', ...base };",
        &[],
    )
    .unwrap_err();
    assert!(err.contains("dialect is not set literally"), "{err}");

    // Missing dialect, wrong dialect, nothing exported.
    let err = load_source("drizzle.config.ts", "export default { schema: 'x' }", &[]).unwrap_err();
    assert_eq!(
        err,
        "drizzle.config.ts: dialect is not set (expected dialect: \"postgresql\" or \"mysql\")"
    );
    let err =
        load_source("drizzle.config.ts", "export default { dialect: 'pg' }", &[]).unwrap_err();
    assert!(err.contains("unknown dialect \"pg\""), "{err}");
    let err = load_source("drizzle.config.ts", "const c = { dialect: 'mysql' };", &[]).unwrap_err();
    assert!(err.contains("exports no config"), "{err}");
    let err = load_source(
        "drizzle.config.ts",
        "export default async () => ({ dialect: 'mysql' });",
        &[],
    )
    .unwrap_err();
    assert!(
        err.contains("cannot evaluate the exported config (is a function)"),
        "{err}"
    );

    // Invalid values are error diagnostics, not guesses.
    let c = load_source(
        "drizzle.config.ts",
        "export default { dialect: 'postgresql', casing: 'kebab', migrations: { prefix: 'date' }, \
         dbCredentials: { host: 'h', port: 70000, database: 'd' }, schemaFilter: ['a', 1] };",
        &[],
    )
    .unwrap();
    let notes = warnings(&c);
    assert_eq!(notes.len(), 4, "{notes:?}");
    assert!(c
        .diagnostics
        .iter()
        .all(|d| d.level == Level::Error || d.level == Level::Info));
    assert_eq!(c.migrations.prefix, "index");
    assert_eq!(c.schema_filter, vec!["a"]);
    assert_eq!(
        c.credentials.map(|c| c.to_url(Dialect::Postgresql)),
        Some("postgresql://h/d".to_string())
    );

    // A template with an unset variable names the variable instead of building "undefined".
    let c = load_source(
        "drizzle.config.ts",
        "export default { dialect: 'postgresql', dbCredentials: { url: `postgres://${process.env.PGUSER}@h/db` } };",
        &[],
    )
    .unwrap();
    assert_eq!(
        warnings(&c),
        vec!["drizzle.config.ts:1:77: dbCredentials.url: PGUSER is not set (neither in the environment nor in .env)"]
    );

    // process.env destructured, with a default; String()/parseInt().
    let c = load_source(
        "drizzle.config.js",
        "const { DB_URL = 'postgres://d@h/db', PORT } = process.env;\n\
         module.exports = { dialect: 'postgresql', dbCredentials: { url: String(DB_URL) }, \
         out: 'm' + parseInt(PORT ?? '7', 10) };",
        &[],
    )
    .unwrap();
    assert_eq!(url(&c).as_deref(), Some("postgres://d@h/db"));
    assert_eq!(c.out.file_name().unwrap(), "m7");
}

#[test]
fn next_load_env_config() {
    let c = load("next_env", &[]);
    assert_eq!(
        url(&c).as_deref(),
        Some("postgres://next:nextpw@localhost:5432/next_local")
    );
    // drizzle-kit reads .env before the config runs, and loadEnvConfig keeps what is set.
    assert_eq!(c.tables_filter, vec!["app_*"]);
    assert!(c.diagnostics.is_empty(), "{:?}", messages(&c));
}

#[test]
fn byte_order_mark_and_invalid_utf8() {
    // A byte-order mark and a stray Latin-1 byte in a comment do not stop Node, nor us.
    let dir = tempfile::tempdir().unwrap();
    let mut source = b"\xEF\xBB\xBF// caf\xE9\nexport default { dialect: 'mysql' };\n".to_vec();
    std::fs::write(dir.path().join("drizzle.config.ts"), &source).unwrap();
    let c = load_with_env(None, dir.path(), env(&[])).unwrap();
    assert_eq!(c.dialect, Dialect::Mysql);
    source.truncate(source.len() - 4);
    std::fs::write(dir.path().join("drizzle.config.ts"), &source).unwrap();
    let err = load_with_env(None, dir.path(), env(&[]))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("drizzle.config.ts:2:"), "{err}");
}

/// `dbCredentials.ssl` as node-postgres, postgres.js and mysql2 read it: certificates are
/// verified unless `rejectUnauthorized: false`; mode names pass through.
#[test]
fn ssl_options_map_to_the_clients_verification() {
    let cases: &[(&str, &str, &str, usize)] = &[
        ("postgresql", "true", "sslmode=verify-full", 0),
        ("postgresql", "false", "sslmode=disable", 0),
        ("postgresql", "'require'", "sslmode=require", 0),
        ("postgresql", "'verify-full'", "sslmode=verify-full", 0),
        ("postgresql", "{}", "sslmode=verify-full", 0),
        (
            "postgresql",
            "{ rejectUnauthorized: false }",
            "sslmode=require",
            0,
        ),
        (
            "postgresql",
            "{ rejectUnauthorized: true }",
            "sslmode=verify-full",
            0,
        ),
        // The CA's contents are not evaluated: verified against the system's roots, said so.
        (
            "postgresql",
            "{ ca: fs.readFileSync('ca.pem').toString() }",
            "sslmode=verify-full",
            1,
        ),
        (
            "mysql",
            "{ rejectUnauthorized: false }",
            "sslmode=require",
            0,
        ),
        ("mysql", "{}", "sslmode=verify-full", 0),
        ("mysql", "true", "sslmode=verify-full", 0),
        ("mysql", "'Amazon RDS'", "sslmode=Amazon%20RDS", 0),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (dialect, ssl, expected, warned) in cases {
        std::fs::write(
            dir.path().join("drizzle.config.ts"),
            format!(
                "import fs from 'node:fs';\nexport default {{\n  dialect: '{dialect}',\n  schema: './schema.ts',\n  dbCredentials: {{ host: 'db', user: 'app', database: 'shop', ssl: {ssl} }},\n}}\n"
            ),
        )
        .unwrap();
        let c = load_with_env(None, dir.path(), env(&[])).unwrap();
        let url = url(&c).unwrap();
        assert!(
            url.ends_with(&format!("?{expected}")),
            "{dialect} ssl: {ssl} → {url}"
        );
        assert_eq!(warnings(&c).len(), *warned, "{ssl}: {:?}", messages(&c));
    }
}

/// A config in a subfolder, run from the project root (where drizzle-kit runs).
fn load_nested(files: &[(&str, &str)], config: &str) -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let c = load_with_env(Some(&dir.path().join(config)), dir.path(), env(&[]))
        .unwrap_or_else(|e| panic!("{e}"));
    (dir, c)
}

#[test]
fn paths_computed_from_the_config_url_and_cwd() {
    // The real case: schema and out computed from the config's own URL, relative to where
    // drizzle-kit runs.
    let (dir, c) = load_nested(
        &[(
            "db/drizzle.config.ts",
            "import { relative } from 'node:path';\n\
             import { fileURLToPath } from 'node:url';\n\
             import { defineConfig } from 'drizzle-kit';\n\
             const here = (p: string) => relative(process.cwd(), fileURLToPath(new URL(p, import.meta.url)));\n\
             export default defineConfig({ dialect: 'postgresql', schema: here('./schema.ts'), out: here('./migrations') });",
        )],
        "db/drizzle.config.ts",
    );
    assert_eq!(c.schema, vec!["db/schema.ts"]);
    assert_eq!(c.out, dir.path().join("db/migrations"));
    assert!(warnings(&c).is_empty(), "{:?}", warnings(&c));

    // `.pathname`/`.href`, default and namespace imports of path, `path.dirname`/`basename`.
    let (dir, c) = load_nested(
        &[(
            "db/drizzle.config.mjs",
            "import path from 'path';\n\
             import * as url from 'url';\n\
             const dir = path.dirname(url.fileURLToPath(import.meta.url));\n\
             export default {\n\
               dialect: 'mysql',\n\
               schema: new URL('./schema', import.meta.url).pathname + '.ts',\n\
               out: path.join(dir, path.basename('/x/migrations.json', '.json')),\n\
               tablesFilter: [new URL('../t', import.meta.url).href.slice(-1) + '_*'],\n\
             };",
        )],
        "db/drizzle.config.mjs",
    );
    let root = dir.path().to_str().unwrap();
    assert_eq!(c.schema, vec![format!("{root}/db/schema.ts")]);
    assert_eq!(c.out, dir.path().join("db/migrations"));
    assert_eq!(c.tables_filter, vec!["t_*"]);

    // drizzle-kit loads the config as CommonJS: import.meta.dirname is undefined there.
    let (_dir, c) = load_nested(
        &[(
            "drizzle.config.ts",
            "export default { dialect: 'postgresql', out: import.meta.dirname + '/m', \
             schema: `${__dirname}/s.ts` };",
        )],
        "drizzle.config.ts",
    );
    assert_eq!(c.out.file_name().unwrap(), "m");
    assert!(
        c.out.to_str().unwrap().ends_with("undefined/m"),
        "{:?}",
        c.out
    );
    assert!(c.schema[0].ends_with("/s.ts") && c.schema[0].starts_with('/'));
}

#[test]
fn imports_of_the_config_are_followed() {
    // Relative imports, a tsconfig path alias, and `require()` of a local file.
    let (dir, c) = load_nested(
        &[
            (
                "tsconfig.json",
                r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@shared/*": ["./shared/*"] } } }"#,
            ),
            (
                "shared/db.ts",
                "export const dbDir = 'src/db';\nexport default { casing: 'snake_case' as const };",
            ),
            (
                "config/base.ts",
                "import { dbDir } from '@shared/db';\n\
                 export const base = { dialect: 'postgresql', schema: `./${dbDir}/schema.ts` };",
            ),
            (
                "drizzle.config.ts",
                "import { base } from './config/base';\n\
                 import shared from '@shared/db';\n\
                 const { out } = require('./config/out.js');\n\
                 export default { ...base, ...shared, out };",
            ),
            ("config/out.js", "exports.out = 'migrations';"),
        ],
        "drizzle.config.ts",
    );
    assert_eq!(c.dialect, Dialect::Postgresql);
    assert_eq!(c.schema, vec!["./src/db/schema.ts"]);
    assert_eq!(c.casing, Some(Casing::SnakeCase));
    assert_eq!(c.out, dir.path().join("migrations"));
}
