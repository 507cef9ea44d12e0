import type { Connection } from "./open";

// The bulk-load side of the change log `case_changes` (migration 0011, whose header is the
// contract): a bulk load logs no row per case and link; at its end it appends one row with
// case id 0 ("everything changed"), so that every aggregate store (db/aggregate/store.ts), in
// this process or any other, loads everything again at its next read.
//
// 0011 pauses the log with the app_meta row 'case_changes' = 'paused', which its triggers
// test on every row (PostgreSQL's way: db/postgres/change-log.ts). On SQLite this writer goes
// one step further and drops the log's triggers inside the load's own transaction, then
// creates them again from their own definitions before it commits: any trigger on a table
// makes SQLite keep a statement journal for every insert into it, and at 200,000 cases the
// paused triggers still cost 9.4 s of a 19.8 s seed (10.4 s without them). No other
// connection sees the triggers gone (WAL readers keep their snapshot; SQLite has one writer
// at a time, and db/engine.ts keeps this process's other requests out of the transaction),
// and should the load fail, its rollback restores them with everything else.

const LOG_TRIGGERS = "select name, sql from sqlite_master where type = 'trigger' and name like 'case\\_changes\\_%' escape '\\' and tbl_name in ('cases', 'case_right_holders')";

/** Runs `load` with the change log paused (see above); must run inside the load's transaction. */
export async function withSqliteChangeLogPaused<T>(sqlite: Connection, load: () => Promise<T>): Promise<T> {
  if (!sqlite.inTransaction) throw new Error("The change log is paused only inside the bulk load's own transaction.");
  const triggers = sqlite.prepare(LOG_TRIGGERS).all() as { name: string; sql: string }[];
  // already paused by an enclosing load: that one resumes it
  if (!triggers.length) return load();
  for (const { name } of triggers) sqlite.prepare(`drop trigger "${name.replace(/"/g, '""')}"`).run();
  const result = await load();
  for (const { sql } of triggers) sqlite.prepare(sql).run();
  sqlite.prepare("insert into case_changes (case_id) values (0)").run();
  return result;
}
