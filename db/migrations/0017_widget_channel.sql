ALTER TYPE "public"."event_type" ADD VALUE 'support_contacted';--> statement-breakpoint
CREATE TABLE "widget_page_rules" (
	"id" serial PRIMARY KEY NOT NULL,
	"pattern" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" integer,
	"tag" text,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "channel" text DEFAULT 'community' NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "page" text;--> statement-breakpoint
ALTER TABLE "help_journeys" ADD COLUMN "channel" text DEFAULT 'community' NOT NULL;--> statement-breakpoint
ALTER TABLE "help_journeys" ADD COLUMN "page" text;--> statement-breakpoint
CREATE INDEX "widget_page_rules_pattern_idx" ON "widget_page_rules" USING btree ("pattern");