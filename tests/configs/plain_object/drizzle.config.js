/** @type { import("drizzle-kit").Config } */
export default {
  dialect: "mysql",
  schema: ["./db/users.ts", "./db/posts.ts"],
  dbCredentials: {
    host: "127.0.0.1",
    port: 3306,
    user: "root",
    database: "shop",
  },
};
