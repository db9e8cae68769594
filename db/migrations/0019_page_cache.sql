-- The anonymous page cache shared by every web process (app/server/page-cache.ts).
-- UNLOGGED: no WAL for entries that live 30 seconds and are rebuilt by the next
-- request; a crash empties the table, which is what a cache may do. Not declared in
-- db/schema.ts: only the page cache reads it, with its own SQL.
CREATE UNLOGGED TABLE "page_cache" (
	"key" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"entry" jsonb NOT NULL,
	"body" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
