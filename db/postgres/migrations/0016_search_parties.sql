-- Issue 18: `q` also finds a case by its parties. The documents of cases_search gain the
-- parties' names and enterprise codes (weight D in `doc`, C in `redacted_doc`; never a natural
-- person's identity number), written in TypeScript (db/postgres/search-index.ts): a database
-- that already holds documents is marked here, and migratePostgres (db/postgres/open.ts)
-- writes every live case's documents again, under the migration lock, and removes the mark.
INSERT INTO "app_meta" ("key", "value")
SELECT 'search_rebuild', 'parties' WHERE EXISTS (SELECT 1 FROM "cases_search")
ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value";
