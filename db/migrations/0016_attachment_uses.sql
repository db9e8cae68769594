CREATE TABLE "attachment_uses" (
	"attachment_id" uuid NOT NULL,
	"post_type" text NOT NULL,
	"post_id" integer NOT NULL,
	CONSTRAINT "attachment_uses_attachment_id_post_type_post_id_pk" PRIMARY KEY("attachment_id","post_type","post_id")
);
--> statement-breakpoint
ALTER TABLE "attachment_uses" ADD CONSTRAINT "attachment_uses_attachment_id_attachments_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "public"."attachments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachment_uses_post_idx" ON "attachment_uses" USING btree ("post_type","post_id");--> statement-breakpoint
-- Keeps attachment_uses in step with each post's body, whichever code writes it (app/markdown/attachments.ts names the same address shape).
CREATE FUNCTION "record_attachment_uses"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	use_kind text := TG_ARGV[0];
BEGIN
	IF TG_OP = 'DELETE' THEN
		DELETE FROM "attachment_uses" WHERE "post_type" = use_kind AND "post_id" = OLD."id";
		RETURN OLD;
	END IF;
	IF TG_OP = 'UPDATE' AND NEW."body" IS NOT DISTINCT FROM OLD."body" THEN
		RETURN NEW;
	END IF;
	DELETE FROM "attachment_uses" WHERE "post_type" = use_kind AND "post_id" = NEW."id";
	INSERT INTO "attachment_uses" ("attachment_id", "post_type", "post_id")
		SELECT DISTINCT a."id", use_kind, NEW."id"
		FROM regexp_matches(NEW."body", '/attachments/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/', 'g') AS m
		JOIN "attachments" a ON a."id" = lower(m[1])::uuid
		ON CONFLICT DO NOTHING;
	RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "questions_attachment_uses" AFTER INSERT OR UPDATE OF "body" OR DELETE ON "questions" FOR EACH ROW EXECUTE FUNCTION "record_attachment_uses"('question');--> statement-breakpoint
CREATE TRIGGER "answers_attachment_uses" AFTER INSERT OR UPDATE OF "body" OR DELETE ON "answers" FOR EACH ROW EXECUTE FUNCTION "record_attachment_uses"('answer');--> statement-breakpoint
CREATE TRIGGER "faqs_attachment_uses" AFTER INSERT OR UPDATE OF "body" OR DELETE ON "faqs" FOR EACH ROW EXECUTE FUNCTION "record_attachment_uses"('faq');--> statement-breakpoint
CREATE TRIGGER "tutorial_steps_attachment_uses" AFTER INSERT OR UPDATE OF "body" OR DELETE ON "tutorial_steps" FOR EACH ROW EXECUTE FUNCTION "record_attachment_uses"('tutorial_step');--> statement-breakpoint
-- Posts written before this migration.
INSERT INTO "attachment_uses" ("attachment_id", "post_type", "post_id")
SELECT DISTINCT a."id", p.kind, p."id"
FROM (
	SELECT 'question' AS kind, "id", "body" FROM "questions"
	UNION ALL SELECT 'answer', "id", "body" FROM "answers"
	UNION ALL SELECT 'faq', "id", "body" FROM "faqs"
	UNION ALL SELECT 'tutorial_step', "id", "body" FROM "tutorial_steps"
) p
CROSS JOIN LATERAL regexp_matches(p."body", '/attachments/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/', 'g') AS m
JOIN "attachments" a ON a."id" = lower(m[1])::uuid
ON CONFLICT DO NOTHING;
