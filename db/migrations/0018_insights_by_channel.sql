ALTER TABLE "insight_daily" DROP CONSTRAINT "insight_daily_key";--> statement-breakpoint
-- Every row so far counts community journeys and searches: no release wrote widget events before the builder kept channels (0017 and 0018 ship together).
ALTER TABLE "insight_daily" ADD COLUMN "channel" text DEFAULT 'community' NOT NULL;--> statement-breakpoint
CREATE INDEX "help_journeys_widget_idx" ON "help_journeys" USING btree ("started_at") WHERE "help_journeys"."channel" = 'widget';--> statement-breakpoint
ALTER TABLE "insight_daily" ADD CONSTRAINT "insight_daily_key" UNIQUE NULLS NOT DISTINCT("day","account_id","channel");