require("dotenv").config();

/** @type {import("drizzle-kit").Config} */
module.exports = {
  schema: "./db/schema.js",
  out: "./migrations",
  driver: "mysql2",
  dbCredentials: {
    uri: "mysql://root@localhost:3306/legacy",
  },
};
