CREATE TABLE "rate_limits" (
	"key" varchar(255) PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" bigint
);
--> statement-breakpoint
CREATE INDEX "rate_limits_expire_idx" ON "rate_limits" USING btree ("expire");
--> statement-breakpoint
ALTER TABLE "learned_phrasings" ADD COLUMN "active" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "learned_phrasing_voters" ADD COLUMN "user_id" text;
--> statement-breakpoint
ALTER TABLE "learned_phrasing_voters" ADD COLUMN "staff" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
UPDATE "learned_phrasing_voters" v SET "user_id" = u."id", "staff" = u."role" IN ('cs', 'admin') FROM "users" u WHERE u."id" = v."voter_key";
--> statement-breakpoint
DELETE FROM "learned_phrasing_voters" WHERE "user_id" IS NULL;
--> statement-breakpoint
ALTER TABLE "learned_phrasing_voters" DROP CONSTRAINT "learned_phrasing_voters_phrasing_id_voter_key_pk";
--> statement-breakpoint
ALTER TABLE "learned_phrasing_voters" DROP COLUMN "voter_key";
--> statement-breakpoint
ALTER TABLE "learned_phrasing_voters" ALTER COLUMN "user_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "learned_phrasing_voters" ADD CONSTRAINT "learned_phrasing_voters_phrasing_id_user_id_pk" PRIMARY KEY("phrasing_id","user_id");
--> statement-breakpoint
ALTER TABLE "learned_phrasing_voters" ADD CONSTRAINT "learned_phrasing_voters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
UPDATE "learned_phrasings" lp SET "count" = t."teachers", "active" = NOT lp."hidden" AND (t."staff" OR t."teachers" >= 3)
FROM (
	SELECT p."id", count(v."user_id")::int AS "teachers", coalesce(bool_or(v."staff"), false) AS "staff"
	FROM "learned_phrasings" p LEFT JOIN "learned_phrasing_voters" v ON v."phrasing_id" = p."id"
	GROUP BY p."id"
) t
WHERE t."id" = lp."id";
--> statement-breakpoint
UPDATE "questions" q SET "frequency" = 1 + q."me_too_count"
	+ coalesce((SELECT sum(1 + d."me_too_count") FROM "questions" d WHERE d."duplicate_of_question_id" = q."id"), 0)::int
	+ (SELECT count(*) FROM "learned_phrasings" lp WHERE lp."target_type" = 'question' AND lp."target_id" = q."id" AND NOT lp."hidden" AND lp."active")::int
	+ (SELECT count(*) FROM "help_journeys" hj WHERE hj."resolved_target_type" = 'question' AND hj."resolved_target_id" = q."id" AND hj."self_resolved")::int;
--> statement-breakpoint
UPDATE "faqs" f SET "frequency" = 1
	+ coalesce((SELECT sum(1 + d."me_too_count") FROM "questions" d WHERE d."duplicate_of_faq_id" = f."id"), 0)::int
	+ (SELECT count(*) FROM "learned_phrasings" lp WHERE lp."target_type" = 'faq' AND lp."target_id" = f."id" AND NOT lp."hidden" AND lp."active")::int
	+ (SELECT count(*) FROM "help_journeys" hj WHERE hj."resolved_target_type" = 'faq' AND hj."resolved_target_id" = f."id" AND hj."self_resolved")::int;
--> statement-breakpoint
INSERT INTO "search_index_tasks" ("document_type", "entity_id")
SELECT DISTINCT lp."target_type"::text, lp."target_id" FROM "learned_phrasings" lp WHERE NOT lp."hidden" AND NOT lp."active";
