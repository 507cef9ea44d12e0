-- Full-text index for `q`: case number, goods description and right-holder names (English
-- and Chinese). Contentless: it stores only the index, keyed by the case id (rowid); rows are
-- written by the same transaction that writes the case. Han characters arrive spaced out
-- (lib/search.ts) so that Chinese names match by character sequence.
CREATE VIRTUAL TABLE `cases_fts` USING fts5(
	case_no, goods, holders,
	content='', contentless_delete=1,
	tokenize='unicode61 remove_diacritics 2'
);
