//! Behaviour of the static TypeScript reader beyond conformance: positions, what it
//! cannot evaluate, broken files, and inputs that must never make it panic.

mod ts_support;

use drizzle_drift::diagnostic::Level;
use drizzle_drift::model::QualifiedName;
use drizzle_drift::sources::typescript::TsSchema;
use std::path::Path;
use ts_support::load_ts;

const CONFIG: &str = r#"import { defineConfig } from "drizzle-kit";
export default defineConfig({ dialect: "postgresql", schema: "./src", out: "./drizzle" });
"#;

/// A project in a temp folder: the config above and `files` under `src/`.
fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, TsSchema) {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_project(tmp.path(), files);
    let ts = load_ts(tmp.path(), None);
    (tmp, ts)
}

fn write_project(dir: &Path, files: &[(&str, &str)]) {
    std::fs::write(dir.join("drizzle.config.ts"), CONFIG).expect("config");
    write_files(&dir.join("src"), files);
}

/// Writes each `(path, text)` under `root`, creating folders.
fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, text).expect("write");
    }
}

fn table<'s>(ts: &'s TsSchema, name: &str) -> &'s drizzle_drift::model::Table {
    ts.schema
        .tables
        .get(&QualifiedName::new("public", name))
        .unwrap_or_else(|| panic!("no table {name}: {:?}", ts.schema.tables.keys()))
}

const USERS: &str = r#"import { pgTable, serial, text, index } from "drizzle-orm/pg-core";

export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    email: text("email").notNull(),
  },
  (t) => [index("users_email_idx").on(t.email)],
);
"#;

#[test]
fn every_object_knows_its_file_and_line() {
    let (_tmp, ts) = project(&[("users.ts", USERS)]);
    assert!(ts.diagnostics.is_empty(), "{:?}", ts.diagnostics);
    let users = table(&ts, "users");
    let origin = users.origin.as_ref().expect("table origin");
    assert_eq!(origin.file, "src/users.ts");
    assert_eq!(origin.line, Some(3));
    assert_eq!(
        users.columns[0].origin.as_ref().and_then(|o| o.line),
        Some(6)
    );
    assert_eq!(
        users.columns[1].origin.as_ref().and_then(|o| o.line),
        Some(7)
    );
    assert_eq!(
        users.indexes[0].origin.as_ref().and_then(|o| o.line),
        Some(9)
    );
}

#[test]
fn a_half_typed_line_is_reported_and_the_rest_still_loads() {
    let broken = "import { pgTable, serial } from \"drizzle-orm/pg-core\";\n\
                  export const posts = pgTable(\"posts\", {\n  id: serial(\"id\").primaryKey(),\n  title: te\n";
    let (_tmp, ts) = project(&[("users.ts", USERS), ("posts.ts", broken)]);
    table(&ts, "users");
    assert!(!ts
        .schema
        .tables
        .contains_key(&QualifiedName::new("public", "posts")));
    let d = ts
        .diagnostics
        .iter()
        .find(|d| d.location == "src/posts.ts")
        .unwrap_or_else(|| panic!("no diagnostic for posts.ts: {:?}", ts.diagnostics));
    assert_eq!(d.level, Level::Error);
    assert!(d.line.is_some() && d.column.is_some(), "{d}");
    assert!(d.message.contains("syntax error"), "{d}");
    assert!(d.to_string().starts_with("src/posts.ts:"), "{d}");
}

/// Everything the reader said: its notes and what it marked incomplete.
fn said(ts: &TsSchema) -> Vec<String> {
    let notes = ts.diagnostics.iter().map(|d| d.to_string());
    notes
        .chain(ts.incomplete.iter().map(|i| i.to_string()))
        .collect()
}

#[test]
fn an_import_of_a_broken_file_names_it() {
    let broken = "export const x = {\n";
    let users = r#"import { pgTable, serial, text } from "drizzle-orm/pg-core";
import { x } from "./lib/broken";
export const users = pgTable("users", { id: serial("id").primaryKey(), ...x });
"#;
    let (_tmp, ts) = project(&[("users.ts", users), ("lib/broken.ts", broken)]);
    let t = table(&ts, "users");
    assert_eq!(t.columns.len(), 1);
    assert!(
        said(&ts).iter().any(|d| d.contains("lib/broken.ts")),
        "{:?}",
        said(&ts)
    );
}

#[test]
fn what_cannot_be_evaluated_is_unknown_not_wrong() {
    let schema = r#"import { pgTable, serial, text, integer } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { defaultPlan } from "@acme/billing";

export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  plan: text("plan").notNull().default(defaultPlan()),
  score: integer("score").default(sql`${42}`),
  name: text("name").default("ok"),
});
"#;
    let (_tmp, ts) = project(&[("users.ts", schema)]);
    let t = table(&ts, "users");
    let plan = t.column("plan").expect("plan");
    assert!(plan.unknown.contains("default"), "{plan:?}");
    assert_eq!(plan.default, None);
    assert!(plan.not_null, "known attributes are kept");
    let score = t.column("score").expect("score");
    assert!(score.unknown.contains("default"), "{score:?}");
    assert_eq!(
        t.column("name").and_then(|c| c.default.clone()).as_deref(),
        Some("'ok'")
    );
    // What could not be evaluated makes the source incomplete, naming where.
    let plan_entry = ts
        .incomplete
        .iter()
        .find(|i| i.reason.contains("default of users.plan"))
        .unwrap_or_else(|| panic!("{:?}", ts.incomplete));
    let location = plan_entry.location.as_deref().unwrap_or("");
    assert!(location.starts_with("src/users.ts:7:"), "{plan_entry}");
    assert!(plan_entry.reason.contains("@acme/billing"), "{plan_entry}");
}

/// tsconfig `paths` inherited from a config in a package: `extends` naming a workspace
/// package's file (without `.json`), in the list form of TypeScript 5, after a package
/// from `node_modules` whose `package.json` names its config.
#[test]
fn tsconfig_extends_a_package_config() {
    let schema = r#"import { pgTable, varchar } from "drizzle-orm/pg-core";
import { NAME_LENGTH } from "~db/limits";
export const users = pgTable("users", { name: varchar("name", { length: NAME_LENGTH }) });
"#;
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    let app = root.join("apps/db");
    std::fs::create_dir_all(&app).expect("app");
    write_project(&app, &[("schema.ts", schema)]);
    let files: &[(&str, &str)] = &[
        (
            "pnpm-workspace.yaml",
            "packages:\n  - 'packages/*'\n  - 'apps/*'\n",
        ),
        (
            "apps/db/tsconfig.json",
            r#"{ "extends": ["@vendor/strictest", "@acme/tsconfig/base"] }"#,
        ),
        (
            "packages/tsconfig/package.json",
            r#"{ "name": "@acme/tsconfig" }"#,
        ),
        (
            "packages/tsconfig/base.json",
            r#"{ "compilerOptions": { "paths": { "~db/*": ["../../apps/db/lib/*"] } } }"#,
        ),
        (
            "node_modules/@vendor/strictest/package.json",
            r#"{ "name": "@vendor/strictest", "tsconfig": "strictest.json" }"#,
        ),
        (
            "node_modules/@vendor/strictest/strictest.json",
            r#"{ "compilerOptions": { "paths": { "~db/*": ["./nowhere/*"] } } }"#,
        ),
        ("apps/db/lib/limits.ts", "export const NAME_LENGTH = 64;\n"),
    ];
    write_files(root, files);
    let ts = load_ts(&app, None);
    assert!(ts.diagnostics.is_empty(), "{:?}", ts.diagnostics);
    assert!(ts.incomplete.is_empty(), "{:?}", ts.incomplete);
    assert_eq!(
        table(&ts, "users")
            .column("name")
            .map(|c| c.sql_type.as_str()),
        Some("varchar(64)")
    );
}

/// An enum whose values come from a validation library the reader does not model is an
/// enum it could not read (incomplete, naming it), not a validation value left out quietly.
#[test]
fn an_enum_valued_by_an_unread_package_is_incomplete() {
    let schema = r#"import { pgEnum, pgTable, serial } from "drizzle-orm/pg-core";
import { z } from "zod";
import * as v from "valibot";
enum Native { A = "a" }
export const native = pgEnum("native", z.nativeEnum(Native).options);
export const mood = pgEnum("mood", v.picklist(["x"]).options);
export const form = z.object({ id: z.number() });
export const rows = pgTable("rows", { id: serial("id").primaryKey() });
"#;
    let (_tmp, ts) = project(&[("schema.ts", schema)]);
    let said = said(&ts);
    for name in ["`native`", "`mood`"] {
        assert!(
            ts.incomplete.iter().any(|i| i.reason.contains(name)),
            "{name}: {said:?}"
        );
    }
    assert!(!said.iter().any(|s| s.contains("`form`")), "{said:?}");
    assert_eq!(ts.incomplete.len(), 2, "{said:?}");
}

#[test]
fn only_exported_objects_count() {
    let schema = r#"import { pgTable, pgEnum, serial } from "drizzle-orm/pg-core";
const hidden = pgTable("hidden", { id: serial("id").primaryKey() });
export const mood = pgEnum("mood", ["a"]);
const secret = pgEnum("secret", ["b"]);
export const shown = pgTable("shown", { id: serial("id").primaryKey(), m: secret("m") });
"#;
    let (_tmp, ts) = project(&[("s.ts", schema)]);
    assert_eq!(ts.schema.tables.len(), 1);
    assert_eq!(ts.schema.enums.len(), 1);
    assert_eq!(table(&ts, "shown").columns[1].sql_type, "public.secret");
}

#[test]
fn unknown_exports_that_may_be_tables_are_reported() {
    let schema = r#"import { createTable } from "@/lib/tables";
import { createInsertSchema } from "drizzle-zod";
import { pgTable, serial } from "drizzle-orm/pg-core";
export const things = createTable("things");
export const users = pgTable("users", { id: serial("id").primaryKey() });
export const insertUser = createInsertSchema(users);
"#;
    let (_tmp, ts) = project(&[("s.ts", schema)]);
    assert_eq!(ts.schema.tables.len(), 1);
    // Only `things` (drizzle-zod's schema is no schema object): the source is incomplete.
    assert_eq!(ts.incomplete.len(), 1, "{:?}", ts.incomplete);
    assert!(
        ts.incomplete[0].reason.contains("`things`"),
        "{:?}",
        ts.incomplete
    );
    assert!(ts.schema.partial);
}

#[test]
fn missing_schema_paths_are_diagnostics() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("drizzle.config.ts"),
        r#"export default { dialect: "postgresql", schema: ["./nowhere/*.ts", "./gone.ts"] };"#,
    )
    .expect("config");
    let ts = load_ts(tmp.path(), None);
    assert!(ts.schema.tables.is_empty());
    assert_eq!(ts.diagnostics.len(), 2, "{:?}", ts.diagnostics);
}

#[test]
fn recursion_and_deep_nesting_end_in_diagnostics() {
    let recursive = r#"import { pgTable, serial } from "drizzle-orm/pg-core";
function cols(n: number): any { return n === 0 ? { id: serial("id") } : cols(n + 1); }
export const t = pgTable("t", cols(1));
const a: any = b;
const b: any = a;
export const u = pgTable("u", { id: a });
"#;
    let deep = format!(
        "export const x = {}1{};\n",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let (_tmp, ts) = project(&[("r.ts", recursive), ("deep.ts", &deep)]);
    assert!(!ts
        .schema
        .tables
        .contains_key(&QualifiedName::new("public", "t")));
    let texts = said(&ts);
    assert!(
        texts
            .iter()
            .any(|t| t.contains("deep.ts") && t.contains("nested")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.contains("`t`")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("u.id")), "{texts:?}");
}

// ----- mutation fuzzing ----------------------------------------------------------------

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&str] = &[
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    ".",
    "...",
    "=>",
    "\"",
    "'",
    "`",
    "${",
    "sql`",
    ";",
    "\n",
    " ",
    "pgTable(",
    ".notNull()",
    ".default(",
    ".array()",
    ".references(() => ",
    "index(",
    ".on(",
    "users",
    "t.",
    "export ",
    "const ",
    "import ",
    "from ",
    "\"./a\"",
    "0",
    "-1",
    "1e400",
    "null",
    "undefined",
    "?.",
    "!",
    "as const",
    "satisfies ",
    "function f(",
    "return ",
    "if (",
    "=",
    "+",
    "*",
    "\\",
    "\u{2019}",
    "é",
    "/*",
    "//",
];

/// Words that keep a file parseable when they replace another word.
const WORDS: &[&str] = &[
    "notNull",
    "primaryKey",
    "users",
    "t",
    "sql",
    "undefined",
    "index",
    "serial",
    "text",
    "0",
    "\"x\"",
    "null",
    "pgTable",
    "references",
    "default",
    "array",
    "on",
    "id",
    "integer",
    "timestamps",
    "desc",
    "unique",
    "check",
    "helpers",
    "x",
];

/// Replaces the word at a random position with another word.
fn replace_word(rng: &mut XorShift, bytes: &mut Vec<u8>) {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let at = rng.below(bytes.len());
    let Some(start) = (at..bytes.len()).find(|&i| is_word(bytes[i])) else {
        return;
    };
    let end = (start..bytes.len())
        .find(|&i| !is_word(bytes[i]))
        .unwrap_or(bytes.len());
    let word = WORDS[rng.below(WORDS.len())];
    bytes.splice(start..end, word.bytes());
}

fn mutate(rng: &mut XorShift, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(9) {
            5..=8 => replace_word(rng, &mut bytes),
            0 => {
                let end = (at + rng.below(40)).min(bytes.len());
                bytes.drain(at..end);
            }
            1 | 2 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                bytes.splice(at..at, token.bytes());
            }
            3 => {
                let end = (at + rng.below(80)).min(bytes.len());
                let copy: Vec<u8> = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
            _ => {
                if at < bytes.len() {
                    bytes[at] = (rng.next() & 0xff) as u8;
                }
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn mutated_schemas_never_panic() {
    let fixtures = ts_support::fixtures();
    let seeds: Vec<String> = [
        "pg/kitchen/src/schema.ts",
        "ts/constraints/src/schema.ts",
        "ts/views/src/schema.ts",
        "ts/modules/src/db/helpers.ts",
        "ts/modules/src/db/schema/users.ts",
        "ts/rls/src/schema.ts",
        "ts/mysql/src/schema.ts",
    ]
    .iter()
    .map(|p| std::fs::read_to_string(fixtures.join(p)).expect("seed"))
    .collect();
    let helper =
        std::fs::read_to_string(fixtures.join("ts/modules/src/db/helpers.ts")).expect("helper");
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let rounds = 2500;
    let mut rounds_with_tables = 0usize;
    for round in 0..rounds {
        let seed = &seeds[round % seeds.len()];
        let mutated = mutate(&mut rng, seed);
        // The mutated file imports a helper that is sometimes mutated too.
        let helper_text = if rng.below(4) == 0 {
            mutate(&mut rng, &helper)
        } else {
            helper.clone()
        };
        write_project(
            tmp.path(),
            &[
                ("schema.ts", mutated.as_str()),
                ("db/helpers.ts", helper_text.as_str()),
            ],
        );
        let ts = load_ts(tmp.path(), None);
        if !ts.schema.tables.is_empty() {
            rounds_with_tables += 1;
        }
        for d in &ts.diagnostics {
            assert!(!d.message.is_empty());
        }
    }
    // Many mutations leave the file parseable, so evaluation is exercised too.
    assert!(
        rounds_with_tables > rounds / 5,
        "only {rounds_with_tables} of {rounds} rounds read a table"
    );
}

#[test]
fn process_env_reads_what_the_config_saw() {
    let schema = r#"import { pgSchema, pgTable, serial } from "drizzle-orm/pg-core";
export const app = pgSchema(process.env.APP_SCHEMA ?? "app");
export const items = app.table("items", { id: serial("id").primaryKey() });
export const other = pgTable(process.env.MISSING_TABLE ?? "fallback", { id: serial("id") });
"#;
    let tmp = tempfile::tempdir().expect("tempdir");
    write_project(tmp.path(), &[("s.ts", schema)]);
    std::fs::write(tmp.path().join(".env"), "APP_SCHEMA=tenant\n").expect(".env");
    let ts = load_ts(tmp.path(), None);
    assert!(ts.diagnostics.is_empty(), "{:?}", ts.diagnostics);
    assert!(
        ts.schema.schemas.contains("tenant"),
        "{:?}",
        ts.schema.schemas
    );
    assert!(ts
        .schema
        .tables
        .contains_key(&QualifiedName::new("tenant", "items")));
    assert!(ts
        .schema
        .tables
        .contains_key(&QualifiedName::new("public", "fallback")));
}

#[test]
fn a_default_export_is_one_object_for_every_importer() {
    let users = r#"import { pgTable, serial } from "drizzle-orm/pg-core";
export default pgTable("users", { id: serial("id").primaryKey() });
"#;
    let posts = r#"import { pgTable, serial, integer } from "drizzle-orm/pg-core";
import users from "./users";
export { default as people } from "./users";
export const posts = pgTable("posts", {
  id: serial("id").primaryKey(),
  authorId: integer("author_id").references(() => users.id),
});
"#;
    let (_tmp, ts) = project(&[("users.ts", users), ("posts.ts", posts)]);
    assert!(ts.diagnostics.is_empty(), "{:?}", ts.diagnostics);
    assert_eq!(ts.schema.tables.len(), 2);
    assert_eq!(
        table(&ts, "posts").foreign_keys[0].name,
        "posts_author_id_users_id_fk"
    );
    assert_eq!(
        table(&ts, "users").origin.as_ref().and_then(|o| o.line),
        Some(2)
    );
}

#[test]
fn tsconfig_path_aliases_are_followed() {
    let users = r#"import { pgTable, serial } from "drizzle-orm/pg-core";
export const users = pgTable("users", { id: serial("id").primaryKey() });
"#;
    let posts = r#"import { pgTable, serial, integer } from "drizzle-orm/pg-core";
import { users } from "@/lib/users";
import { STATUS } from "~consts";
export const posts = pgTable("posts", {
  id: serial("id").primaryKey(),
  authorId: integer("author_id").references(() => users.id),
  status: integer("status").default(STATUS),
});
"#;
    let tmp = tempfile::tempdir().expect("tempdir");
    write_project(
        tmp.path(),
        &[
            ("posts.ts", posts),
            ("../lib/users.ts", users),
            ("../lib/consts/index.ts", "export const STATUS = 3;\n"),
        ],
    );
    std::fs::write(
        tmp.path().join("tsconfig.base.json"),
        r#"{ "compilerOptions": { "paths": { "@/*": ["./*"], "~consts": ["./lib/consts"] } } }"#,
    )
    .expect("tsconfig.base");
    std::fs::write(
        tmp.path().join("tsconfig.json"),
        "{\n  // inherits the aliases\n  \"extends\": \"./tsconfig.base\",\n}\n",
    )
    .expect("tsconfig");
    let ts = load_ts(tmp.path(), None);
    assert!(ts.diagnostics.is_empty(), "{:?}", ts.diagnostics);
    let posts = table(&ts, "posts");
    assert_eq!(posts.foreign_keys.len(), 1);
    assert_eq!(
        posts.column("status").and_then(|c| c.default.as_deref()),
        Some("3")
    );
}

#[test]
fn json_modules_are_their_default_export() {
    let schema = r#"import { pgEnum, pgTable, serial, text } from "drizzle-orm/pg-core";
import settings from "../settings.json";
export const plan = pgEnum("plan", settings.plans);
export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  theme: text("theme").default(settings.defaults.theme),
});
"#;
    let (_tmp, ts) = project(&[
        ("s.ts", schema),
        (
            "../settings.json",
            r#"{ "plans": ["free", "pro"], "defaults": { "theme": "dark" } }"#,
        ),
    ]);
    assert!(ts.diagnostics.is_empty(), "{:?}", ts.diagnostics);
    let plan = ts.schema.enums.values().next().expect("enum");
    assert_eq!(plan.values, ["free", "pro"]);
    assert_eq!(
        table(&ts, "users")
            .column("theme")
            .and_then(|c| c.default.as_deref()),
        Some("'dark'")
    );
}

#[test]
fn the_table_callback_columns_can_be_enumerated() {
    let schema = r#"import { index, pgTable, text } from "drizzle-orm/pg-core";
export const words = pgTable(
  "words",
  { a: text("a"), b: text("b") },
  (t) => [index("words_all_idx").on(...Object.values(t)), ...Object.entries(t).map(([k, c]) => index(`words_${k}_idx`).on(c))],
);
"#;
    let (_tmp, ts) = project(&[("s.ts", schema)]);
    assert!(ts.diagnostics.is_empty(), "{:?}", ts.diagnostics);
    let names: Vec<&str> = table(&ts, "words")
        .indexes
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, ["words_all_idx", "words_a_idx", "words_b_idx"]);
    assert_eq!(table(&ts, "words").indexes[0].keys.len(), 2);
}

/// Workspace packages are read from their sources: found through pnpm-workspace.yaml or
/// package.json `workspaces`, by `name`, entered through `exports` (subpaths, conditions,
/// patterns) or `main`; a link in node_modules works too. An npm dependency is not read.
#[test]
fn workspace_packages_are_followed() {
    let schema = r#"import { pgEnum, pgTable, varchar } from "drizzle-orm/pg-core";
import { idColumn } from "@acme/ids/drizzle";
import { ROLES, Plan } from "@acme/shared";
import { NAME_LENGTH } from "@acme/shared/limits/name";
import { stamp } from "legacy-kit";
import { z } from "zod";
export const role = pgEnum("role", ROLES);
export const plan = pgEnum("plan", [Plan.Free, Plan.Pro]);
export const users = pgTable("users", {
  id: idColumn("id"),
  name: varchar("name", { length: NAME_LENGTH }),
  stamp: stamp(),
});
"#;
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    let app = root.join("apps/db");
    std::fs::create_dir_all(&app).expect("app");
    write_project(&app, &[("schema.ts", schema)]);
    let files: &[(&str, &str)] = &[
        ("pnpm-workspace.yaml", "packages:\n  - 'packages/*'\n  - \"apps/*\"\n"),
        (
            "packages/ids/package.json",
            r#"{ "name": "@acme/ids", "exports": { ".": "./src/index.ts", "./drizzle": { "types": "./dist/drizzle.d.ts", "import": "./src/drizzle.ts" } } }"#,
        ),
        (
            "packages/ids/src/drizzle.ts",
            "import { char } from \"drizzle-orm/pg-core\";\nexport const idColumn = (name: string) => char(name, { length: 24 }).primaryKey();\n",
        ),
        (
            "packages/shared/package.json",
            r#"{ "name": "@acme/shared", "main": "./src/index.ts", "exports": { ".": "./src/index.ts", "./limits/*": "./src/limits/*.ts" } }"#,
        ),
        (
            "packages/shared/src/index.ts",
            "export const ROLES = [\"admin\", \"member\"] as const;\nexport enum Plan { Free = \"free\", Pro = \"pro\" }\n",
        ),
        ("packages/shared/src/limits/name.ts", "export const NAME_LENGTH = 80;\n"),
        // Linked, not listed in the workspace: found through the symlink.
        (
            "vendor/legacy-kit/package.json",
            r#"{ "name": "legacy-kit", "main": "index.js" }"#,
        ),
        (
            "vendor/legacy-kit/index.js",
            "const { timestamp } = require(\"drizzle-orm/pg-core\");\nexports.stamp = () => timestamp(\"stamp\").defaultNow();\n",
        ),
    ];
    write_files(root, files);
    std::fs::create_dir_all(root.join("node_modules")).expect("node_modules");
    std::os::unix::fs::symlink(
        root.join("vendor/legacy-kit"),
        root.join("node_modules/legacy-kit"),
    )
    .expect("link");
    let ts = load_ts(&app, None);
    assert!(ts.diagnostics.is_empty(), "{:?}", ts.diagnostics);
    let users = table(&ts, "users");
    let id = users.column("id").expect("id");
    assert_eq!(id.sql_type, "char(24)");
    assert!(users.primary_key.is_some(), "{users:?}");
    assert_eq!(
        users.column("name").map(|c| c.sql_type.as_str()),
        Some("varchar(80)")
    );
    assert!(users.column("stamp").is_some());
    let mut enums: Vec<Vec<String>> = ts.schema.enums.values().map(|e| e.values.clone()).collect();
    enums.sort();
    assert_eq!(enums, [vec!["admin", "member"], vec!["free", "pro"]]);
}

/// A workspace package whose `exports` name its build output (`dist/`, not in a fresh
/// clone) is read from the sources its tsconfig compiles there (`outDir` → `rootDir`,
/// also when inherited through `extends`), as the package's build would produce them.
#[test]
fn unbuilt_workspace_package_is_read_from_its_sources() {
    let schema = r#"import { pgEnum, pgTable, text } from "drizzle-orm/pg-core";
import { STATUSES } from "@acme/types";
import { KINDS } from "@acme/kinds";
export const status = pgEnum("status", STATUSES);
export const kind = pgEnum("kind", KINDS);
export const jobs = pgTable("jobs", { id: text("id").primaryKey(), status: status("status") });
"#;
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    let app = root.join("apps/db");
    std::fs::create_dir_all(&app).expect("app");
    write_project(&app, &[("schema.ts", schema)]);
    let files: &[(&str, &str)] = &[
        ("pnpm-workspace.yaml", "packages:\n  - 'packages/*'\n  - 'apps/*'\n"),
        (
            "packages/types/package.json",
            r#"{ "name": "@acme/types", "main": "./dist/index.js", "exports": { ".": { "types": "./dist/index.d.ts", "import": "./dist/index.js" } } }"#,
        ),
        (
            "packages/types/tsconfig.json",
            "{\n  // built by tsup\n  \"compilerOptions\": { \"outDir\": \"./dist\", \"rootDir\": \"./src\", },\n}\n",
        ),
        (
            "packages/types/src/index.ts",
            "export * from \"./statuses.js\";\n",
        ),
        (
            "packages/types/src/statuses.ts",
            "export const STATUSES = [\"queued\", \"done\"] as const;\n",
        ),
        (
            "packages/kinds/package.json",
            r#"{ "name": "@acme/kinds", "main": "./build/main.js" }"#,
        ),
        (
            "packages/kinds/tsconfig.json",
            r#"{ "extends": "../../tsconfig.base.json", "compilerOptions": { "rootDir": "lib" } }"#,
        ),
        ("tsconfig.base.json", r#"{ "compilerOptions": { "outDir": "packages/kinds/build" } }"#),
        ("packages/kinds/lib/main.ts", "export const KINDS = [\"a\", \"b\"];\n"),
    ];
    write_files(root, files);
    let ts = load_ts(&app, None);
    assert!(ts.diagnostics.is_empty(), "{:?}", ts.diagnostics);
    let mut enums: Vec<Vec<String>> = ts.schema.enums.values().map(|e| e.values.clone()).collect();
    enums.sort();
    assert_eq!(enums, [vec!["a", "b"], vec!["queued", "done"]]);
}

/// Shapes real schemas use: getters spread into tables (each table gets its own column),
/// helpers returning column maps, spreads.
#[test]
fn getters_and_helpers_build_columns() {
    let schema = r#"import { pgTable, char, timestamp, text } from "drizzle-orm/pg-core";
const ids = {
  get id() {
    return char("id", { length: 24 }).primaryKey();
  },
};
const timestamps = () => ({ createdAt: timestamp("created_at").defaultNow().notNull() });
export const users = pgTable("users", { ...ids, ...timestamps(), name: text("name") });
export const teams = pgTable("teams", { ...ids, ...timestamps() });
"#;
    let (_tmp, ts) = project(&[("schema.ts", schema)]);
    assert!(ts.diagnostics.is_empty(), "{:?}", ts.diagnostics);
    for name in ["users", "teams"] {
        let t = table(&ts, name);
        assert_eq!(
            t.column("id").map(|c| c.sql_type.as_str()),
            Some("char(24)")
        );
        assert!(t.column("created_at").is_some_and(|c| c.not_null));
    }
}

/// A top-level call made for its effect (autumn patches `col.getSQLType` to add a
/// collation) may change what it is given: that column is unknown, not as written.
#[test]
fn a_column_given_to_a_top_level_call_is_unknown() {
    let schema = r#"import { pgTable, text } from "drizzle-orm/pg-core";

function collate(col: any, collation: string) {
  const original = col.getSQLType;
  col.getSQLType = function () { return original.call(this) + ` COLLATE "${collation}"`; };
  return col;
}

export const users = pgTable("users", { id: text("id").primaryKey(), name: text("name") });
collate(users.id, "C");
"#;
    let (_tmp, ts) = project(&[("users.ts", schema)]);
    let t = table(&ts, "users");
    let id = t.column("id").expect("id");
    assert!(id.unknown.contains("*"), "{id:?}");
    let name = t.column("name").expect("name");
    assert!(name.unknown.is_empty(), "{name:?}");
    let entry = ts
        .incomplete
        .iter()
        .find(|i| i.reason.contains("users.id"))
        .unwrap_or_else(|| panic!("{:?}", ts.incomplete));
    assert!(entry.reason.contains("`collate(…)`"), "{entry}");
    assert!(
        entry
            .location
            .as_deref()
            .unwrap_or("")
            .starts_with("src/users.ts:10:"),
        "{entry}"
    );
}
