CREATE SCHEMA "billing";
--> statement-breakpoint
CREATE TYPE "billing"."invoice_status" AS ENUM('draft', 'open', 'paid', 'void');--> statement-breakpoint
CREATE TABLE "billing"."invoices" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" integer NOT NULL,
	"number" varchar(32) NOT NULL,
	"status" "billing"."invoice_status" DEFAULT 'draft' NOT NULL,
	"amount" numeric(12, 2) NOT NULL,
	"currency" varchar(3) DEFAULT 'EUR' NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"issued_at" timestamp with time zone,
	CONSTRAINT "invoices_number_unique" UNIQUE("number"),
	CONSTRAINT "invoices_amount_nonnegative" CHECK ("billing"."invoices"."amount" >= 0),
	CONSTRAINT "invoices_period_order" CHECK ("billing"."invoices"."period_end" >= "billing"."invoices"."period_start")
);
--> statement-breakpoint
ALTER TABLE "billing"."invoices" ADD CONSTRAINT "invoices_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoices_organization_status_idx" ON "billing"."invoices" USING btree ("organization_id","status");