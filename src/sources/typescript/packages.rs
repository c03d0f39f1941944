//! drizzle-orm entry points that are themselves schema code (`drizzle-orm/supabase`,
//! `drizzle-orm/neon`): the reader evaluates these sources, written here to declare the
//! same objects as drizzle-orm 0.45 does, as if they were project files.

/// The source the reader uses for a package import, if it is one of these.
pub(super) fn source(package: &str) -> Option<&'static str> {
    match package {
        "drizzle-orm/supabase" => Some(SUPABASE),
        "drizzle-orm/neon" => Some(NEON),
        "drizzle-orm/neon/neon-auth" => Some(NEON_AUTH),
        _ => None,
    }
}

const SUPABASE: &str = r#"
import { sql } from "drizzle-orm";
import { bigserial, pgRole, pgSchema, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";

export const anonRole = pgRole("anon").existing();
export const authenticatedRole = pgRole("authenticated").existing();
export const serviceRole = pgRole("service_role").existing();
export const postgresRole = pgRole("postgres_role").existing();
export const supabaseAuthAdminRole = pgRole("supabase_auth_admin").existing();

const auth = pgSchema("auth");
export const authUsers = auth.table("users", {
  id: uuid().primaryKey().notNull(),
  email: varchar({ length: 255 }),
  phone: text().unique(),
  emailConfirmedAt: timestamp("email_confirmed_at", { withTimezone: true }),
  phoneConfirmedAt: timestamp("phone_confirmed_at", { withTimezone: true }),
  lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
});

const realtime = pgSchema("realtime");
export const realtimeMessages = realtime.table("messages", {
  id: bigserial({ mode: "bigint" }).primaryKey(),
  topic: text().notNull(),
  extension: text({ enum: ["presence", "broadcast", "postgres_changes"] }).notNull(),
});

export const authUid = sql`(select auth.uid())`;
export const realtimeTopic = sql`realtime.topic()`;
"#;

const NEON_AUTH: &str = r#"
import { jsonb, pgSchema, text, timestamp } from "drizzle-orm/pg-core";

const neonAuth = pgSchema("neon_auth");
export const usersSync = neonAuth.table("users_sync", {
  rawJson: jsonb("raw_json").notNull(),
  id: text().primaryKey().notNull(),
  name: text(),
  email: text(),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }),
  deletedAt: timestamp("deleted_at", { withTimezone: true, mode: "string" }),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }),
});
"#;

const NEON: &str = r#"
import { sql } from "drizzle-orm";
import { pgPolicy, pgRole } from "drizzle-orm/pg-core";
export * from "drizzle-orm/neon/neon-auth";

export const authenticatedRole = pgRole("authenticated").existing();
export const anonymousRole = pgRole("anonymous").existing();
export const authUid = (userIdColumn) => sql`(select auth.user_id() = ${userIdColumn})`;

const roleName = (role) => (typeof role === "string" ? role : role.name);
const condition = (option) => (option === true ? sql`true` : option === false ? sql`false` : option);

export const crudPolicy = (options) => {
  const read = condition(options.read);
  const modify = condition(options.modify);
  const roles = Array.isArray(options.role) ? options.role.map(roleName).join("-") : roleName(options.role);
  return [
    read && pgPolicy(`crud-${roles}-policy-select`, { for: "select", to: options.role, using: read }),
    modify && pgPolicy(`crud-${roles}-policy-insert`, { for: "insert", to: options.role, withCheck: modify }),
    modify &&
      pgPolicy(`crud-${roles}-policy-update`, {
        for: "update",
        to: options.role,
        using: modify,
        withCheck: modify,
      }),
    modify && pgPolicy(`crud-${roles}-policy-delete`, { for: "delete", to: options.role, using: modify }),
  ].filter(Boolean);
};
"#;
