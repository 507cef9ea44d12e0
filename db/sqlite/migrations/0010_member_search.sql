-- The search index a member's `q` reads: case number and goods description with the names of
-- every right holder the case names blotted out (lib/redact.ts), so that a member's search
-- can never find a case by another company's name written in its goods text. Contentless
-- and keyed by the case id like cases_fts, written by the same transactions
-- (db/search-index.ts); filled for the cases already there when the database is migrated
-- (ensureSearchIndexes).
CREATE VIRTUAL TABLE `cases_redacted_fts` USING fts5(
	case_no, goods,
	content='', contentless_delete=1,
	tokenize='unicode61 remove_diacritics 2'
);
