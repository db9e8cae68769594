ALTER TABLE "questions" ADD COLUMN "body_html" text;--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "body_html" text;--> statement-breakpoint
ALTER TABLE "faqs" ADD COLUMN "body_html" text;--> statement-breakpoint
ALTER TABLE "tutorial_steps" ADD COLUMN "body_html" text;--> statement-breakpoint
ALTER TABLE "search_index_tasks" ADD COLUMN "parked_at" timestamp with time zone;
