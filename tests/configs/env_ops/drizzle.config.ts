import "dotenv/config";
import { defineConfig } from "drizzle-kit";

const port = Number(process.env.DB_PORT ?? "5432");

export default defineConfig({
  dialect: "postgresql",
  schema: process.env.SCHEMA_PATH || "./src/schema.ts",
  out: process.env["MIGRATIONS_DIR"] ?? "./drizzle",
  dbCredentials: {
    host: process.env.DB_HOST!,
    port,
    user: process.env.DB_USER ?? "postgres",
    password: process.env.DB_PASSWORD!,
    database: `${process.env.DB_NAME}_${process.env.NODE_ENV ?? "development"}`,
    ssl: process.env.DB_SSL === "true" ? "require" : false,
  },
});
