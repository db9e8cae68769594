CREATE TABLE "account_active_days" (
	"account_id" integer NOT NULL,
	"day" date NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "account_active_days_day_account_id_user_id_pk" PRIMARY KEY("day","account_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "insight_daily" (
	"day" date NOT NULL,
	"account_id" integer,
	"journeys" integer DEFAULT 0 NOT NULL,
	"self_resolved" integer DEFAULT 0 NOT NULL,
	"escalated" integer DEFAULT 0 NOT NULL,
	"deflections" integer DEFAULT 0 NOT NULL,
	"searches" integer DEFAULT 0 NOT NULL,
	"zero_result_searches" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_daily_key" UNIQUE NULLS NOT DISTINCT("day","account_id")
);
--> statement-breakpoint
CREATE TABLE "zero_result_daily" (
	"day" date NOT NULL,
	"account_id" integer,
	"normalized_query" text NOT NULL,
	"searches" integer NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"last_query" text NOT NULL,
	CONSTRAINT "zero_result_daily_key" UNIQUE NULLS NOT DISTINCT("day","account_id","normalized_query")
);
--> statement-breakpoint
CREATE INDEX "content_feedback_updated_idx" ON "content_feedback" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "questions_unanswered_idx" ON "questions" USING btree ("created_at") WHERE "questions"."answer_count" = 0 and "questions"."closed_at" is null;--> statement-breakpoint
-- Backfill: the rollups equal counting help_journeys, and the events that already have a journey (the builder counts the rest).
INSERT INTO "insight_daily" ("day", "account_id", "journeys", "self_resolved", "escalated", "deflections", "searches", "zero_result_searches")
SELECT "day", "account_id", sum("journeys"), sum("self_resolved"), sum("escalated"), sum("deflections"), sum("searches"), sum("zero_result_searches") FROM (
	SELECT ("started_at" AT TIME ZONE 'UTC')::date AS "day", "account_id", count(*) FILTER (WHERE "is_help") AS "journeys", count(*) FILTER (WHERE "self_resolved") AS "self_resolved",
		count(*) FILTER (WHERE "escalated") AS "escalated", count(*) FILTER (WHERE "deflected") AS "deflections", 0 AS "searches", 0 AS "zero_result_searches"
	FROM "help_journeys" GROUP BY 1, 2
	UNION ALL
	SELECT ("occurred_at" AT TIME ZONE 'UTC')::date, "account_id", 0, 0, 0, 0, count(*), count(*) FILTER (WHERE "result_count" = 0)
	FROM "events" WHERE "type" = 'search' AND "journey_id" IS NOT NULL GROUP BY 1, 2
) "counts" GROUP BY "day", "account_id";
--> statement-breakpoint
INSERT INTO "zero_result_daily" ("day", "account_id", "normalized_query", "searches", "last_seen_at", "last_query")
SELECT ("occurred_at" AT TIME ZONE 'UTC')::date, "account_id", "normalized_query", count(*), max("occurred_at"), (array_agg("query" ORDER BY "occurred_at" DESC))[1]
FROM "events" WHERE "type" = 'search' AND "result_count" = 0 AND "normalized_query" <> '' AND "journey_id" IS NOT NULL GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO "account_active_days" ("account_id", "day", "user_id")
SELECT DISTINCT "account_id", ("occurred_at" AT TIME ZONE 'UTC')::date, "user_id" FROM "events"
WHERE "journey_id" IS NOT NULL AND "account_id" IS NOT NULL AND "user_id" IS NOT NULL;
