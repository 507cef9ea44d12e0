import { sql, type SQL } from "drizzle-orm";
import { toTsQuery } from "./search-index";

// The read side of PostgreSQL's text search: the case ids whose document in cases_search
// (db/postgres/schema.ts, written by db/postgres/search-index.ts) matches a user's words, with
// FTS5's meaning (every word a phrase within one column, its last token a prefix), so that
// the same words find the same cases on both engines: `doc` for staff (cases_fts on SQLite),
// `redacted_doc` for a member's scope (cases_redacted_fts).

/**
 * `select case_id as id …` of the cases whose `column` matches every word (each word given as its
 * tokens, lib/search.ts searchWords), or whose parties hold `code`; null when no word holds a
 * searchable token.
 */
export function searchTableMatch(column: "doc" | "redacted_doc", words: string[][], code: string | null = null): SQL | null {
  // the words back as one query text: a word's tokens joined by a separator that is no token
  // character, so that toTsQuery splits them into exactly these words and tokens again; the
  // query's code form (lib/search.ts codeOf) given apart
  const query = toTsQuery(words.map((parts) => parts.join("-")).join(" "), column, code);
  if (!query) return null;
  return sql`select s.case_id as id from cases_search s where s.${sql.raw(column)} @@ ${query}::tsquery`;
}
