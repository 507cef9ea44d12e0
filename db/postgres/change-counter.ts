import { sql } from "drizzle-orm";
import type { Engine } from "../engine";

// PostgreSQL's change counter (SQLite's is PRAGMA data_version + total_changes(),
// db/sqlite/engine.ts): the newest seq of the change log. Every commit that changes a case,
// its links, a right holder, an office or a campaign appends log rows from triggers
// (migrations 0001_change_log and 0002_change_log_order), and the log commits in seq order, so
// the newest committed seq moves with every such commit of ANY server, script or process on
// the database: kept answers (db/kept.ts) and the aggregate store (db/aggregate/store.ts) of
// several app servers on one PostgreSQL agree at each one's next read. One probe of the log's
// primary key.
export async function postgresChangeCounter(e: Engine): Promise<string> {
  const row = await e.get<{ seq: number | null }>(sql`select max(seq) as seq from case_changes`);
  return String(row?.seq ?? 0);
}
