const { defineConfig } = require("drizzle-kit");

const url = process.env.DATABASE_URL || "postgres://postgres@localhost:5432/dev";

module.exports = defineConfig({
  dialect: "postgresql",
  schema: "./lib/schema.js",
  dbCredentials: { url },
});
