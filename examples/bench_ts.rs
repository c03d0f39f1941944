//! Times the static TypeScript reader on a generated 500-table schema split over 50 files
//! (with shared helpers, enums, foreign keys, indexes and a barrel), in a temp folder.
//!
//!     cargo run --release --example bench_ts [tables] [iterations] [keep-dir]
//!
//! With `keep-dir`, the project is written there (and kept) instead of a temp folder, so
//! drizzle-kit can be timed on the same input.
//!
//! Budget (DESIGN.md): a 500-table schema read in under 50 ms.

use drizzle_drift::config::{self, Env};
use drizzle_drift::sources::typescript;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const TABLES_PER_FILE: usize = 10;

fn table_source(i: usize, out: &mut String) {
    let name = format!("table{i}");
    let _ = writeln!(
        out,
        r#"export const {name} = pgTable(
  "{name}",
  {{
    id: serial("id").primaryKey(),
    publicId: uuid("public_id").defaultRandom().notNull().unique(),
    name: varchar("name", {{ length: 200 }}).notNull(),
    slug: varchar("slug", {{ length: 64 }}).notNull(),
    description: text("description"),
    status: status("status").notNull().default("draft"),
    priority: integer("priority").notNull().default(0),
    amount: numeric("amount", {{ precision: 12, scale: 2 }}).default("0.00"),
    ratio: doublePrecision("ratio"),
    isActive: boolean("is_active").notNull().default(true),
    tags: text("tags").array().notNull().default(sql`'{{}}'::text[]`),
    settings: jsonb("settings").notNull().default({{ theme: "dark", n: {i} }}),
    parentId: integer("parent_id"),{fk}
    ...timestamps,
  }},
  (t) => [
    index("{name}_slug_idx").on(t.slug),
    uniqueIndex("{name}_name_lower_idx").on(sql`lower(${{t.name}})`),
    index().on(t.status, t.priority.desc()),
    check("{name}_priority_check", sql`${{t.priority}} >= 0`),
  ],
);
"#,
        fk = if i > 0 {
            format!(
                "\n    prevId: integer(\"prev_id\").references(() => table{}.id, {{ onDelete: \"cascade\" }}),",
                i - 1
            )
        } else {
            String::new()
        }
    );
}

fn generate(dir: &std::path::Path, tables: usize) -> std::io::Result<()> {
    let schema = dir.join("src/db/schema");
    std::fs::create_dir_all(&schema)?;
    std::fs::write(
        dir.join("drizzle.config.ts"),
        "import { defineConfig } from \"drizzle-kit\";\n\
         export default defineConfig({ dialect: \"postgresql\", schema: \"./src/db/schema/*.ts\", out: \"./drizzle\" });\n",
    )?;
    std::fs::write(
        dir.join("src/db/helpers.ts"),
        r#"import { pgEnum, timestamp } from "drizzle-orm/pg-core";
export const status = pgEnum("status", ["draft", "active", "archived"]);
export const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow().$onUpdate(() => new Date()),
};
"#,
    )?;
    let files = tables.div_ceil(TABLES_PER_FILE);
    let mut barrel = String::from("export { status } from \"../helpers\";\n");
    for f in 0..files {
        let mut text = String::from(
            "import { sql } from \"drizzle-orm\";\n\
             import { boolean, check, doublePrecision, index, integer, jsonb, numeric, pgTable, serial, text, uniqueIndex, uuid, varchar } from \"drizzle-orm/pg-core\";\n\
             import { status, timestamps } from \"../helpers\";\n",
        );
        let first = f * TABLES_PER_FILE;
        if first > 0 {
            let _ = writeln!(
                text,
                "import {{ table{} }} from \"./part{}\";",
                first - 1,
                f - 1
            );
        }
        for i in first..(first + TABLES_PER_FILE).min(tables) {
            table_source(i, &mut text);
        }
        std::fs::write(schema.join(format!("part{f}.ts")), text)?;
        let _ = writeln!(barrel, "export * from \"./part{f}\";");
    }
    std::fs::write(schema.join("index.ts"), barrel)?;
    Ok(())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let tables: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let iterations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(30);
    let keep = args.next().map(std::path::PathBuf::from);
    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot create a temp folder: {e}");
            std::process::exit(2);
        }
    };
    let dir = keep.unwrap_or_else(|| tmp.path().to_path_buf());
    if let Err(e) = generate(&dir, tables) {
        eprintln!("cannot write the schema: {e}");
        std::process::exit(2);
    }
    let cfg = match config::load_with_env(None, &dir, Env::default()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("config: {e}");
            std::process::exit(2);
        }
    };
    let mut times: Vec<Duration> = Vec::with_capacity(iterations);
    let mut result = None;
    for _ in 0..iterations.max(1) {
        let start = Instant::now();
        let ts = typescript::load(&cfg);
        times.push(start.elapsed());
        result = Some(ts);
    }
    times.sort();
    let Some(ts) = result else { return };
    let columns: usize = ts.schema.tables.values().map(|t| t.columns.len()).sum();
    println!(
        "{} tables, {} columns, {} files, {} diagnostics",
        ts.schema.tables.len(),
        columns,
        ts.files.len(),
        ts.diagnostics.len()
    );
    for d in ts.diagnostics.iter().take(5) {
        println!("  {d}");
    }
    println!(
        "load: min {:.1} ms, median {:.1} ms, max {:.1} ms over {} runs (budget 50 ms)",
        times[0].as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        times.len()
    );
}
