CREATE TABLE "learned_phrasing_voters" (
	"phrasing_id" integer NOT NULL,
	"voter_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learned_phrasing_voters_phrasing_id_voter_key_pk" PRIMARY KEY("phrasing_id","voter_key")
);
--> statement-breakpoint
CREATE TABLE "learned_phrasings" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_type" "feedback_target" NOT NULL,
	"target_id" integer NOT NULL,
	"phrasing" text NOT NULL,
	"normalized" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "learned_phrasing_voters" ADD CONSTRAINT "learned_phrasing_voters_phrasing_id_learned_phrasings_id_fk" FOREIGN KEY ("phrasing_id") REFERENCES "public"."learned_phrasings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "learned_phrasings_target_key" ON "learned_phrasings" USING btree ("target_type","target_id","normalized");