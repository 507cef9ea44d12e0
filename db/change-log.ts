import type Database from "better-sqlite3";

// The bulk-load side of the change log `case_changes` (migration 0011, whose header is the
// contract): inside the bulk load's own transaction the app_meta row 'case_changes' =
// 'paused' stops the triggers from logging each case and link; at the end that row goes and
// one row with case id 0 ("everything changed") is appended, so that every aggregate store
// (db/aggregate/store.ts), in this process or any other, loads everything again at its next
// read. Should the load fail, its transaction rolls back the pause with everything else; no
// other writer ever sees the pause (SQLite has one writer at a time).

const PAUSE_KEY = "case_changes";

/** Runs `load` with the change log paused (see above); must run inside the load's transaction. */
export function withChangeLogPaused<T>(sqlite: Database.Database, load: () => T): T {
  if (!sqlite.inTransaction) throw new Error("The change log is paused only inside the bulk load's own transaction.");
  // already paused by an enclosing load (the seed's reset, then its cases): that one resumes it
  if (sqlite.prepare("select 1 from app_meta where key = ?").get(PAUSE_KEY) !== undefined) return load();
  sqlite.prepare("insert into app_meta (key, value) values (?, 'paused')").run(PAUSE_KEY);
  const result = load();
  sqlite.prepare("delete from app_meta where key = ?").run(PAUSE_KEY);
  sqlite.prepare("insert into case_changes (case_id) values (0)").run();
  return result;
}
