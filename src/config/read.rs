//! From an evaluated config value to the settings drizzle-drift uses, with a diagnostic for
//! every key that cannot be known and an error only for a missing or wrong `dialect`.

use super::value::{Lookup, Node, Object, Value, Why};
use super::{Casing, Credentials, MigrationsConfig};
use crate::diagnostic::{line_col, Diagnostic, Level};
use crate::error::Error;
use crate::model::Dialect;

/// Dialects drizzle-kit knows (0.31 and 1.0) that drizzle-drift does not read.
const UNSUPPORTED_DIALECTS: [&str; 7] = [
    "sqlite",
    "turso",
    "singlestore",
    "gel",
    "mssql",
    "cockroach",
    "duckdb",
];

/// The prefixes drizzle-kit accepts for `migrations.prefix`.
const PREFIXES: [&str; 5] = ["index", "timestamp", "supabase", "unix", "none"];

pub(crate) struct Settings {
    pub dialect: Dialect,
    pub schema: Vec<String>,
    pub out: String,
    pub casing: Option<Casing>,
    pub credentials: Option<Credentials>,
    pub migrations: MigrationsConfig,
    pub schema_filter: Vec<String>,
    pub tables_filter: Vec<String>,
}

/// The keys the comparisons rest on: one that cannot be evaluated is never replaced by
/// a default (see [`super::Unread`]).
const NEEDED: [&str; 7] = [
    "schema",
    "out",
    "casing",
    "schemaFilter",
    "tablesFilter",
    "migrations.table",
    "migrations.schema",
];

pub(crate) struct Reader<'t> {
    display: &'t str,
    /// Source text for turning offsets into line:column (`None` for JSON).
    text: Option<&'t str>,
    pub diagnostics: Vec<Diagnostic>,
    /// Needed keys whose value could not be evaluated.
    pub unread: Vec<super::Unread>,
    /// Keys left unset because an unevaluable spread may set them, grouped by spread.
    hidden: Vec<(Option<u32>, Why, Vec<String>)>,
}

impl<'t> Reader<'t> {
    pub fn new(display: &'t str, text: Option<&'t str>) -> Self {
        Reader {
            display,
            text,
            diagnostics: Vec::new(),
            unread: Vec::new(),
            hidden: Vec::new(),
        }
    }

    /// Remembers a needed key (`schema`, `schemaFilter[1]`…) that was not evaluated.
    fn not_read(&mut self, path: &str, reason: String, at: Option<u32>) {
        let key = match path.split('[').next().unwrap_or(path) {
            // The whole `migrations` object: its table is not known.
            "migrations" => "migrations.table",
            key => key,
        };
        if !NEEDED.contains(&key) || self.unread.iter().any(|u| u.key == key) {
            return;
        }
        let location = match self.pos(at) {
            Some((line, col)) => format!("{}:{line}:{col}", self.display),
            None => self.display.to_string(),
        };
        self.unread.push(super::Unread {
            key: key.to_string(),
            location,
            reason,
        });
    }

    fn pos(&self, at: Option<u32>) -> Option<(u32, u32)> {
        Some(line_col(self.text?, at? as usize))
    }

    fn diag(&mut self, level: Level, at: Option<u32>, message: String) {
        let mut d = Diagnostic::new(level, self.display, message);
        if let Some((line, col)) = self.pos(at) {
            d = d.at(line, col);
        }
        self.diagnostics.push(d);
    }

    fn error(&self, at: Option<u32>, message: String) -> Error {
        match self.pos(at) {
            Some((line, col)) => Error::Config(format!("{}:{line}:{col}: {message}", self.display)),
            None => Error::Config(format!("{}: {message}", self.display)),
        }
    }

    fn unknown(&mut self, path: &str, why: &Why, at: Option<u32>) {
        self.not_read(path, why.describe(), at);
        let message = match why {
            Why::MissingEnv(_) => format!("{path}: {}", why.describe()),
            Why::Other(reason) => format!("cannot evaluate {path} ({reason})"),
        };
        self.diag(Level::Warning, at, message);
    }

    fn invalid(&mut self, path: &str, expected: &str, node: &Node) {
        self.diag(
            Level::Error,
            node.at,
            format!("{path} must be {expected}, found {}", node.value.kind()),
        );
    }

    /// A key's value when it is known; a diagnostic when it exists but cannot be known.
    /// `undefined` counts as absent, as in drizzle-kit.
    fn get<'o>(&mut self, obj: &'o Object, key: &str, path: &str) -> Option<&'o Node> {
        match obj.get(key) {
            Lookup::Found(node) => match &node.value {
                Value::Undefined {
                    missing_env: Some(name),
                } => {
                    self.unknown(path, &Why::MissingEnv(name.clone()), node.at);
                    None
                }
                Value::Undefined { missing_env: None } => None,
                Value::Unknown(why) => {
                    self.unknown(path, why, node.at);
                    None
                }
                _ => Some(node),
            },
            Lookup::Missing => None,
            Lookup::Hidden(why, at) => {
                match self.hidden.iter_mut().find(|h| h.0 == at && h.1 == *why) {
                    Some(h) => h.2.push(path.to_string()),
                    None => self.hidden.push((at, why.clone(), vec![path.to_string()])),
                }
                None
            }
        }
    }

    fn string(&mut self, obj: &Object, key: &str, path: &str) -> Option<String> {
        let node = self.get(obj, key, path)?;
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            _ => {
                self.invalid(path, "a string", node);
                None
            }
        }
    }

    /// A string or an array of strings, as `schema` and the filters accept.
    fn string_list(&mut self, obj: &Object, key: &str, path: &str) -> Option<Vec<String>> {
        let node = self.get(obj, key, path)?;
        match &node.value {
            Value::Str(s) => Some(vec![s.clone()]),
            Value::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let item_path = format!("{path}[{i}]");
                    match &item.value {
                        Value::Str(s) => out.push(s.clone()),
                        Value::Unknown(why) => self.unknown(&item_path, why, item.at),
                        Value::Undefined {
                            missing_env: Some(name),
                        } => self.unknown(&item_path, &Why::MissingEnv(name.clone()), item.at),
                        _ => self.invalid(&item_path, "a string", item),
                    }
                }
                Some(out)
            }
            _ => {
                self.invalid(path, "a string or an array of strings", node);
                None
            }
        }
    }

    pub fn read(&mut self, root: &Node) -> Result<Settings, Error> {
        let obj = match &root.value {
            Value::Object(obj) => obj,
            Value::Unknown(why) => {
                return Err(self.error(
                    root.at,
                    format!("cannot evaluate the exported config ({})", why.describe()),
                ))
            }
            other => {
                return Err(self.error(
                    root.at,
                    format!(
                        "the exported config must be an object, found {}",
                        other.kind()
                    ),
                ))
            }
        };
        let dialect = self.dialect(obj)?;

        let schema = match self.string_list(obj, "schema", "schema") {
            Some(schema) => schema,
            None => {
                if matches!(obj.get("schema"), Lookup::Missing) {
                    self.diag(
                        Level::Info,
                        root.at,
                        "schema is not set: the TypeScript schema cannot be read".to_string(),
                    );
                }
                Vec::new()
            }
        };
        let out = self
            .string(obj, "out", "out")
            .unwrap_or_else(|| "drizzle".to_string());
        let casing = self.casing(obj);
        let credentials = self.credentials(obj);
        let migrations = self.migrations(obj);
        // Empty when the config names none: then the engine reads `public` and every schema
        // the history declares; an explicit filter is honored as written.
        let schema_filter = self
            .string_list(obj, "schemaFilter", "schemaFilter")
            .unwrap_or_default();
        let tables_filter = self
            .string_list(obj, "tablesFilter", "tablesFilter")
            .unwrap_or_default();
        self.report_hidden();
        Ok(Settings {
            dialect,
            schema,
            out,
            casing,
            credentials,
            migrations,
            schema_filter,
            tables_filter,
        })
    }

    fn report_hidden(&mut self) {
        for (at, why, keys) in std::mem::take(&mut self.hidden) {
            for key in &keys {
                let reason = format!(
                    "may come from a spread that cannot be evaluated ({})",
                    why.describe()
                );
                self.not_read(key, reason, at);
            }
            self.diag(
                Level::Warning,
                at,
                format!(
                    "cannot evaluate a spread ({}); {} may come from it and {} left unset",
                    why.describe(),
                    keys.join(", "),
                    if keys.len() == 1 { "is" } else { "are" }
                ),
            );
        }
    }

    fn dialect(&mut self, obj: &Object) -> Result<Dialect, Error> {
        match obj.get("dialect") {
            Lookup::Found(node) => match &node.value {
                Value::Str(s) => return self.parse_dialect(s, node.at),
                Value::Unknown(why) => {
                    return Err(self.error(
                        node.at,
                        format!("cannot evaluate dialect ({})", why.describe()),
                    ))
                }
                Value::Undefined {
                    missing_env: Some(name),
                } => {
                    return Err(self.error(
                        node.at,
                        format!("dialect: {}", Why::MissingEnv(name.clone()).describe()),
                    ))
                }
                Value::Undefined { missing_env: None } => {}
                other => {
                    return Err(self.error(
                        node.at,
                        format!(
                            "dialect must be \"postgresql\" or \"mysql\", found {}",
                            other.kind()
                        ),
                    ))
                }
            },
            Lookup::Hidden(why, at) => {
                return Err(self.error(
                    at,
                    format!(
                        "dialect is not set literally and may come from a spread that cannot be \
                         evaluated ({})",
                        why.describe()
                    ),
                ))
            }
            Lookup::Missing => {}
        }
        // drizzle-kit before 0.21 named the database by driver.
        if let Lookup::Found(node) = obj.get("driver") {
            if let Value::Str(driver) = &node.value {
                let dialect = match driver.as_str() {
                    "pg" => Some(("postgresql", Dialect::Postgresql)),
                    "mysql2" => Some(("mysql", Dialect::Mysql)),
                    "better-sqlite" | "libsql" | "turso" | "d1" | "d1-http" | "expo"
                    | "durable-sqlite" => {
                        return Err(self.error(
                            node.at,
                            format!(
                                "driver {driver} means dialect sqlite, which is not supported yet"
                            ),
                        ))
                    }
                    _ => None,
                };
                if let Some((name, dialect)) = dialect {
                    self.diag(
                        Level::Info,
                        node.at,
                        format!(
                            "uses the legacy `driver: \"{driver}\"`; drizzle-kit 0.21 and later \
                             expect `dialect: \"{name}\"`"
                        ),
                    );
                    return Ok(dialect);
                }
            }
        }
        Err(Error::Config(format!(
            "{}: dialect is not set (expected dialect: \"postgresql\" or \"mysql\")",
            self.display
        )))
    }

    fn parse_dialect(&self, s: &str, at: Option<u32>) -> Result<Dialect, Error> {
        match s {
            "postgresql" => Ok(Dialect::Postgresql),
            "mysql" => Ok(Dialect::Mysql),
            s if UNSUPPORTED_DIALECTS.contains(&s) => Err(self.error(
                at,
                format!(
                    "dialect {s} is not supported yet (drizzle-drift reads postgresql and mysql)"
                ),
            )),
            s => Err(self.error(
                at,
                format!("unknown dialect {s:?} (expected \"postgresql\" or \"mysql\")"),
            )),
        }
    }

    fn casing(&mut self, obj: &Object) -> Option<Casing> {
        let node = self.get(obj, "casing", "casing")?;
        match &node.value {
            Value::Str(s) if s == "snake_case" => Some(Casing::SnakeCase),
            Value::Str(s) if s == "camelCase" => Some(Casing::CamelCase),
            _ => {
                self.invalid("casing", "\"snake_case\" or \"camelCase\"", node);
                None
            }
        }
    }

    fn migrations(&mut self, obj: &Object) -> MigrationsConfig {
        let mut m = MigrationsConfig {
            table: "__drizzle_migrations".to_string(),
            schema: "drizzle".to_string(),
            prefix: "index".to_string(),
        };
        let Some(node) = self.get(obj, "migrations", "migrations") else {
            return m;
        };
        let Value::Object(inner) = &node.value else {
            self.invalid("migrations", "an object", node);
            return m;
        };
        if let Some(table) = self.string(inner, "table", "migrations.table") {
            m.table = table;
        }
        if let Some(schema) = self.string(inner, "schema", "migrations.schema") {
            m.schema = schema;
        }
        if let Some(prefix) = self.string(inner, "prefix", "migrations.prefix") {
            if PREFIXES.contains(&prefix.as_str()) {
                m.prefix = prefix;
            } else {
                let at = match inner.get("prefix") {
                    Lookup::Found(n) => n.at,
                    _ => node.at,
                };
                self.diag(
                    Level::Error,
                    at,
                    format!(
                        "migrations.prefix must be one of {}, found {prefix:?}",
                        PREFIXES.join(", ")
                    ),
                );
            }
        }
        m
    }

    fn credentials(&mut self, obj: &Object) -> Option<Credentials> {
        if let Lookup::Found(node) = obj.get("driver") {
            if let Value::Str(driver) = &node.value {
                if matches!(driver.as_str(), "aws-data-api" | "pglite") {
                    self.diag(
                        Level::Warning,
                        node.at,
                        format!(
                            "driver {driver} does not connect to a server drizzle-drift can \
                             read; dbCredentials are ignored (pass --url)"
                        ),
                    );
                    return None;
                }
            }
        }
        let node = self.get(obj, "dbCredentials", "dbCredentials")?;
        let Value::Object(creds) = &node.value else {
            self.invalid("dbCredentials", "an object", node);
            return None;
        };
        // `connectionString` (pg) and `uri` (mysql2) are the names before drizzle-kit 0.21.
        for key in ["url", "connectionString", "uri"] {
            if !matches!(creds.get(key), Lookup::Missing) {
                let path = format!("dbCredentials.{key}");
                return self.string(creds, key, &path).map(Credentials::Url);
            }
        }
        if matches!(creds.get("host"), Lookup::Missing) {
            self.diag(
                Level::Warning,
                node.at,
                "dbCredentials has neither url nor host".to_string(),
            );
            return None;
        }
        let host = self.string(creds, "host", "dbCredentials.host");
        let port = self.port(creds);
        let user = self.string(creds, "user", "dbCredentials.user");
        let password = self.string(creds, "password", "dbCredentials.password");
        let database = self.string(creds, "database", "dbCredentials.database");
        if database.is_none() && matches!(creds.get("database"), Lookup::Missing) {
            self.diag(
                Level::Warning,
                node.at,
                "dbCredentials.database is not set".to_string(),
            );
        }
        let ssl = self.get(creds, "ssl", "dbCredentials.ssl").cloned();
        let ssl = ssl.and_then(|n| match &n.value {
            Value::Bool(b) => Some(b.to_string()),
            Value::Str(s) => Some(s.clone()),
            Value::Object(options) => Some(self.ssl_options(options, n.at)),
            _ => None,
        });
        Some(Credentials::Params {
            host: host?,
            port,
            user,
            password,
            database: database?,
            ssl,
        })
    }

    /// A TLS options object the way node-postgres and mysql2 read it: the certificate
    /// is verified (chain and host name) unless `rejectUnauthorized: false`.
    fn ssl_options(&mut self, options: &Object, at: Option<u32>) -> String {
        let verify = !matches!(
            options.get("rejectUnauthorized"),
            Lookup::Found(Node {
                value: Value::Bool(false),
                ..
            })
        );
        if !verify {
            return "require".to_string();
        }
        if !matches!(options.get("ca"), Lookup::Missing) {
            self.diag(
                Level::Warning,
                at,
                "dbCredentials.ssl.ca is not read from the config: the server's certificate is verified against the system's roots; to trust another CA, give the URL `sslrootcert=<file>` (DATABASE_URL or dbCredentials.url)".to_string(),
            );
        }
        "verify-full".to_string()
    }

    fn port(&mut self, creds: &Object) -> Option<u16> {
        let node = self.get(creds, "port", "dbCredentials.port")?;
        // drizzle-kit coerces: `port: process.env.DB_PORT` is fine.
        let n = match &node.value {
            Value::Num(n) => *n,
            Value::Str(s) => super::value::string_to_number(s),
            _ => f64::NAN,
        };
        if n.fract() == 0.0 && (1.0..=65535.0).contains(&n) {
            Some(n as u16)
        } else {
            self.invalid("dbCredentials.port", "a port number", node);
            None
        }
    }
}
