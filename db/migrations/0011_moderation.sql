CREATE TYPE "public"."flag_reason" AS ENUM('spam', 'offensive', 'off_topic', 'wrong', 'other');--> statement-breakpoint
CREATE TYPE "public"."post_state" AS ENUM('visible', 'held', 'hidden', 'deleted');--> statement-breakpoint
CREATE TABLE "flags" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_type" text NOT NULL,
	"target_id" integer NOT NULL,
	"reporter_id" text NOT NULL,
	"reason" "flag_reason" NOT NULL,
	"comment" text,
	"weight" smallint DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by_id" text,
	"resolution" text
);
--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "state" "post_state" DEFAULT 'visible' NOT NULL;--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "state_reason" text;--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "state_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "state_changed_by_id" text;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "state" "post_state" DEFAULT 'visible' NOT NULL;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "state_reason" text;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "state_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "state_changed_by_id" text;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "locked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "lock_reason" text;--> statement-breakpoint
ALTER TABLE "flags" ADD CONSTRAINT "flags_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flags" ADD CONSTRAINT "flags_resolved_by_id_users_id_fk" FOREIGN KEY ("resolved_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "flags_once_per_person" ON "flags" USING btree ("reporter_id","target_type","target_id");--> statement-breakpoint
CREATE INDEX "flags_target_idx" ON "flags" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "flags_open_idx" ON "flags" USING btree ("created_at") WHERE "flags"."resolved_at" is null;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_state_changed_by_id_users_id_fk" FOREIGN KEY ("state_changed_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_state_changed_by_id_users_id_fk" FOREIGN KEY ("state_changed_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;