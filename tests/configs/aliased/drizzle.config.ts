import { defineConfig as drizzleConfig } from "drizzle-kit";

export default drizzleConfig({
  dialect: "postgresql",
  schema: "./src/schema.ts",
  out: "drizzle",
});
