import { createHash } from "node:crypto";
import type Database from "better-sqlite3";

/**
 * A digest of everything a write to cases derives besides the cases and links themselves:
 * the change log (which the aggregate stores read) and both search indexes, each document
 * and each term at its place (fts5vocab; the indexes are contentless). Equal before and after
 * a refused write: it left no trace a store or a search could see.
 */
export function derivedDigest(sqlite: Database.Database): string {
  const hash = createHash("sha256");
  const queries = ["select seq, case_id from case_changes order by seq"];
  for (const index of ["cases_fts", "cases_redacted_fts"]) {
    sqlite.exec(`drop table if exists temp.digest_${index}; create virtual table temp.digest_${index} using fts5vocab(main, ${index}, instance)`);
    queries.push(`select rowid from ${index} order by rowid`, `select term, doc, col, offset from temp.digest_${index} order by term, doc, col, offset`);
  }
  try {
    for (const query of queries) for (const row of sqlite.prepare(query).raw().iterate()) hash.update(JSON.stringify(row));
  } finally {
    for (const index of ["cases_fts", "cases_redacted_fts"]) sqlite.exec(`drop table if exists temp.digest_${index}`);
  }
  return hash.digest("hex");
}
