import { config } from "dotenv";
import { defineConfig } from "drizzle-kit";

config({ path: ".env.local" });
config({ path: `.env.${process.env.APP_ENV ?? "development"}`, override: true });

export default defineConfig({
  dialect: "mysql",
  schema: "./src/schema.ts",
  dbCredentials: {
    url: process.env.DATABASE_URL!,
  },
  tablesFilter: process.env.TABLES?.split(","),
});
