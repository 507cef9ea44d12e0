import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { postgresEngine, postgresPoolOf, sqliteEngine, type Engine } from "../../db/engine";
import { openPostgres } from "../../db/postgres/open";
import { openDb } from "../../db/sqlite/open";

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

/**
 * A second engine on the same database as `e` (another connection to the SQLite file, another
 * pool to the PostgreSQL database): another server process, as far as the database can tell.
 */
export function secondEngine(e: Engine, file: string): { e: Engine; close: () => Promise<void> } {
  if (e.dialect === "sqlite") {
    const db = openDb(`file:${file}`);
    return { e: sqliteEngine(db), close: async () => void db.$client.close() };
  }
  const url = (postgresPoolOf(e) as unknown as { options: { connectionString: string } }).options.connectionString;
  const db = openPostgres(url);
  return { e: postgresEngine(db), close: async () => void (await db.$client.end()) };
}

/** The live cases' totals by plain SQL through the engine (the same text on both). */
export async function sqlTotals(e: Engine): Promise<{ cases: number; pieces: number; valueFen: number }> {
  const row = await e.get<{ cases: number; pieces: number; valueFen: number }>(sql`select count(*) as cases,
    cast(coalesce(sum(pieces), 0) as bigint) as pieces, cast(coalesce(sum(value_fen), 0) as bigint) as "valueFen"
    from cases where deleted_at is null`);
  return { cases: Number(row!.cases), pieces: Number(row!.pieces), valueFen: Number(row!.valueFen) };
}
