import { defineConfig } from "drizzle-kit";

const config = defineConfig({
  dialect: "mysql",
  schema: "./src/schema.ts",
  out: "./drizzle",
  casing: "camelCase",
});

export { config as default };
