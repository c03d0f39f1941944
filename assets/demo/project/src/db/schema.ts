// demo (assets/demo/project), step 4: project slugs and archiving, paid-at on invoices.
import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgSchema,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

export const plan = pgEnum("plan", ["free", "pro", "enterprise"]);
export const memberRole = pgEnum("member_role", ["owner", "admin", "member"]);

export const billing = pgSchema("billing");
export const invoiceStatus = billing.enum("invoice_status", ["draft", "open", "paid", "void"]);

export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  email: varchar("email", { length: 320 }).notNull().unique(),
  name: text("name").notNull(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const organizations = pgTable(
  "organizations",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    slug: varchar("slug", { length: 64 }).notNull().unique(),
    plan: plan("plan").notNull().default("free"),
    seats: integer("seats").notNull().default(3),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("organizations_seats_positive", sql`${t.seats} > 0`)],
);

export const memberships = pgTable(
  "memberships",
  {
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: memberRole("role").notNull().default("member"),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

export const projects = pgTable(
  "projects",
  {
    id: serial("id").primaryKey(),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    slug: varchar("slug", { length: 64 }).notNull(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("projects_organization_idx").on(t.organizationId),
    uniqueIndex("projects_organization_slug_idx").on(t.organizationId, t.slug),
    index("projects_active_idx")
      .on(t.organizationId)
      .where(sql`${t.archivedAt} IS NULL`),
  ],
);

export const invoices = billing.table(
  "invoices",
  {
    id: serial("id").primaryKey(),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    number: varchar("number", { length: 32 }).notNull().unique(),
    status: invoiceStatus("status").notNull().default("draft"),
    amount: numeric("amount", { precision: 12, scale: 2 }).notNull(),
    currency: varchar("currency", { length: 3 }).notNull().default("EUR"),
    periodStart: date("period_start").notNull(),
    periodEnd: date("period_end").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }),
    paidAt: timestamp("paid_at", { withTimezone: true }),
  },
  (t) => [
    index("invoices_organization_status_idx").on(t.organizationId, t.status),
    check("invoices_amount_nonnegative", sql`${t.amount} >= 0`),
    check("invoices_period_order", sql`${t.periodEnd} >= ${t.periodStart}`),
  ],
);
