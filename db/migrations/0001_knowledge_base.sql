CREATE TYPE "public"."feedback_target" AS ENUM('question', 'faq', 'tutorial');--> statement-breakpoint
CREATE TYPE "public"."content_language" AS ENUM('en', 'ja');--> statement-breakpoint
CREATE TYPE "public"."lifecycle_phase" AS ENUM('onboarding', 'adoption', 'expansion');--> statement-breakpoint
CREATE TABLE "content_feedback" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_type" "feedback_target" NOT NULL,
	"target_id" integer NOT NULL,
	"voter_key" text NOT NULL,
	"user_id" text,
	"visitor_id" text,
	"helpful" boolean NOT NULL,
	"reason" text,
	"comment" text,
	"search_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "faq_categories" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "faq_categories_name_unique" UNIQUE("name"),
	CONSTRAINT "faq_categories_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "faq_revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"faq_id" integer NOT NULL,
	"editor_id" text,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"category_id" integer,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"language" "content_language" NOT NULL,
	"published" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "faqs" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"slug" text NOT NULL,
	"category_id" integer,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"language" "content_language" DEFAULT 'en' NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone,
	"position" integer DEFAULT 0 NOT NULL,
	"external_id" text,
	"source_question_id" integer,
	"frequency" integer DEFAULT 1 NOT NULL,
	"view_count" integer DEFAULT 0 NOT NULL,
	"created_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "faqs_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "search_clicks" (
	"id" serial PRIMARY KEY NOT NULL,
	"search_id" uuid NOT NULL,
	"hit_type" text,
	"hit_id" integer NOT NULL,
	"position" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_vocabulary" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"synonyms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"stop_words" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tutorial_progress" (
	"user_id" text NOT NULL,
	"step_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tutorial_progress_user_id_step_id_pk" PRIMARY KEY("user_id","step_id")
);
--> statement-breakpoint
CREATE TABLE "tutorial_steps" (
	"id" serial PRIMARY KEY NOT NULL,
	"tutorial_id" integer NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tutorials" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"slug" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"phase" "lifecycle_phase" DEFAULT 'onboarding' NOT NULL,
	"estimated_minutes" integer DEFAULT 5 NOT NULL,
	"language" "content_language" DEFAULT 'en' NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"external_id" text,
	"created_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tutorials_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "duplicate_of_question_id" integer;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "duplicate_of_faq_id" integer;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "closed_by_id" text;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "frequency" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "searches" ADD COLUMN "hits" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "content_feedback" ADD CONSTRAINT "content_feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_revisions" ADD CONSTRAINT "faq_revisions_faq_id_faqs_id_fk" FOREIGN KEY ("faq_id") REFERENCES "public"."faqs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_revisions" ADD CONSTRAINT "faq_revisions_editor_id_users_id_fk" FOREIGN KEY ("editor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faqs" ADD CONSTRAINT "faqs_category_id_faq_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."faq_categories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faqs" ADD CONSTRAINT "faqs_source_question_id_questions_id_fk" FOREIGN KEY ("source_question_id") REFERENCES "public"."questions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faqs" ADD CONSTRAINT "faqs_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_clicks" ADD CONSTRAINT "search_clicks_search_id_searches_id_fk" FOREIGN KEY ("search_id") REFERENCES "public"."searches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tutorial_progress" ADD CONSTRAINT "tutorial_progress_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tutorial_progress" ADD CONSTRAINT "tutorial_progress_step_id_tutorial_steps_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."tutorial_steps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tutorial_steps" ADD CONSTRAINT "tutorial_steps_tutorial_id_tutorials_id_fk" FOREIGN KEY ("tutorial_id") REFERENCES "public"."tutorials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tutorials" ADD CONSTRAINT "tutorials_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "content_feedback_voter_key" ON "content_feedback" USING btree ("target_type","target_id","voter_key");--> statement-breakpoint
CREATE INDEX "content_feedback_search_idx" ON "content_feedback" USING btree ("search_id");--> statement-breakpoint
CREATE INDEX "faq_revisions_faq_idx" ON "faq_revisions" USING btree ("faq_id");--> statement-breakpoint
CREATE INDEX "faqs_category_idx" ON "faqs" USING btree ("category_id","position");--> statement-breakpoint
CREATE INDEX "faqs_source_question_idx" ON "faqs" USING btree ("source_question_id");--> statement-breakpoint
CREATE INDEX "search_clicks_search_idx" ON "search_clicks" USING btree ("search_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tutorial_steps_position_key" ON "tutorial_steps" USING btree ("tutorial_id","position");--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_closed_by_id_users_id_fk" FOREIGN KEY ("closed_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "questions_duplicate_of_question_idx" ON "questions" USING btree ("duplicate_of_question_id");--> statement-breakpoint
CREATE INDEX "questions_duplicate_of_faq_idx" ON "questions" USING btree ("duplicate_of_faq_id");--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_external_id_unique" UNIQUE("external_id");--> statement-breakpoint
UPDATE "questions" SET "frequency" = 1 + "me_too_count";
