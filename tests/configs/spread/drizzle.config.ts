import { defineConfig } from "drizzle-kit";

const shared = {
  out: "./migrations",
  dialect: "postgresql",
  migrations: { schema: "public" },
} as const;

export default defineConfig({
  ...shared,
  schema: "./src/schema.ts",
  dbCredentials: {
    url: process.env.DATABASE_URL!,
  },
});
