CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uploader_id" text NOT NULL,
	"kind" text NOT NULL,
	"content_type" text NOT NULL,
	"filename" text NOT NULL,
	"byte_size" integer NOT NULL,
	"width" integer,
	"height" integer,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"thumbnail" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "faq_category_translations" (
	"category_id" integer NOT NULL,
	"language" "content_language" NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	CONSTRAINT "faq_category_translations_category_id_language_pk" PRIMARY KEY("category_id","language")
);
--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "language" "content_language" DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "faqs" ADD COLUMN "translation_of_id" integer;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "language" "content_language" DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "tutorials" ADD COLUMN "translation_of_id" integer;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_uploader_id_users_id_fk" FOREIGN KEY ("uploader_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_category_translations" ADD CONSTRAINT "faq_category_translations_category_id_faq_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."faq_categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_uploader_idx" ON "attachments" USING btree ("uploader_id","created_at");--> statement-breakpoint
ALTER TABLE "faqs" ADD CONSTRAINT "faqs_translation_of_id_faqs_id_fk" FOREIGN KEY ("translation_of_id") REFERENCES "public"."faqs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tutorials" ADD CONSTRAINT "tutorials_translation_of_id_tutorials_id_fk" FOREIGN KEY ("translation_of_id") REFERENCES "public"."tutorials"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answers_moderation_idx" ON "answers" USING btree ("state","state_changed_at") WHERE "answers"."state" <> 'visible';--> statement-breakpoint
CREATE UNIQUE INDEX "faqs_translation_key" ON "faqs" USING btree ("translation_of_id","language");--> statement-breakpoint
CREATE INDEX "questions_language_activity_idx" ON "questions" USING btree ("language","last_activity_at");--> statement-breakpoint
CREATE INDEX "questions_moderation_idx" ON "questions" USING btree ("state","state_changed_at") WHERE "questions"."state" <> 'visible';--> statement-breakpoint
CREATE UNIQUE INDEX "tutorials_translation_key" ON "tutorials" USING btree ("translation_of_id","language");--> statement-breakpoint
-- Existing posts: kana or kanji make a post Japanese (as app/utils/limits.ts detectLanguage does).
UPDATE "questions" SET "language" = 'ja' WHERE ("title" || ' ' || "body") ~ '[ぁ-ゟ゠-ヿ㐀-䶿一-鿿ｦ-ﾟ]';--> statement-breakpoint
UPDATE "answers" SET "language" = 'ja' WHERE "body" ~ '[ぁ-ゟ゠-ヿ㐀-䶿一-鿿ｦ-ﾟ]';
