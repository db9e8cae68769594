CREATE TABLE "search_fallback" (
	"document_type" text NOT NULL,
	"entity_id" integer NOT NULL,
	"title" text NOT NULL,
	"url" text NOT NULL,
	"external_id" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"category" text,
	"solved" boolean NOT NULL,
	"answered" boolean NOT NULL,
	"type_rank" integer NOT NULL,
	"frequency" integer NOT NULL,
	"score" integer NOT NULL,
	"texts" text[] DEFAULT '{}' NOT NULL,
	"terms" tsvector NOT NULL,
	CONSTRAINT "search_fallback_document_type_entity_id_pk" PRIMARY KEY("document_type","entity_id")
);
--> statement-breakpoint
CREATE INDEX "search_fallback_terms" ON "search_fallback" USING gin ("terms");
--> statement-breakpoint
CREATE TABLE "search_fallback_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"done" boolean NOT NULL,
	"next_type" text NOT NULL,
	"next_id" integer NOT NULL
);
--> statement-breakpoint
INSERT INTO "search_fallback_state" ("id", "done", "next_type", "next_id") VALUES (1, false, 'question', 0);
