-- Issue 18: `q` also finds a case by its parties (consignor, consignee, declarant/agent): both
-- search indexes gain a `parties` column (names, and an enterprise's or foreign registration's
-- code as one token; never a natural person's identity number in any form). FTS5 cannot add a
-- column, so both tables are made again, empty; ensureSearchIndexes (db/sqlite/search-index.ts,
-- run by migrateDb after the migrations) then writes every live case's documents, because the
-- index version it finds is older than its own.
DROP TABLE IF EXISTS `cases_fts`;
--> statement-breakpoint
DROP TABLE IF EXISTS `cases_redacted_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `cases_fts` USING fts5(
	case_no, goods, holders, parties,
	content='', contentless_delete=1,
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `cases_redacted_fts` USING fts5(
	case_no, goods, parties,
	content='', contentless_delete=1,
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
UPDATE `app_meta` SET `value` = '1' WHERE `key` = 'redacted_search_version';
