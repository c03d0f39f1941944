import type { Config } from "drizzle-kit";

export default {
  dialect: "mysql",
  schema: "./src/db/schema.ts",
  out: "./drizzle/mysql",
  dbCredentials: {
    url: "mysql://root:rootpw@127.0.0.1:3306/app",
  },
} as Config;
