import path from "node:path";
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: path.join(__dirname, "src", "schema.ts"),
  out: path.resolve(process.cwd(), "db/../drizzle"),
});
