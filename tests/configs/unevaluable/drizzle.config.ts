import { defineConfig } from "drizzle-kit";
import { getDatabaseUrl } from "./src/env";

export default defineConfig({
  dialect: "postgresql",
  dbCredentials: {
    url: getDatabaseUrl(),
  },
  schema: "./src/schema.ts",
  out: "./drizzle",
});
