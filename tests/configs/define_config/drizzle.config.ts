import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
  casing: "snake_case",
  dbCredentials: {
    url: "postgres://app:s3cret-pw@localhost:5432/app",
  },
  migrations: {
    table: "journal",
    schema: "audit",
    prefix: "timestamp",
  },
  schemaFilter: ["public", "billing"],
  tablesFilter: "app_*",
  verbose: true,
  strict: true,
});
