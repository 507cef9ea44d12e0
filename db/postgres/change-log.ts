import { sql } from "drizzle-orm";
import type { Engine } from "../engine";

// The bulk-load side of the change log on PostgreSQL (migration change_log, with the contract
// of SQLite's 0011): the load inserts the app_meta row 'case_changes' inside its own
// transaction, which the log's triggers test on every row (no other transaction sees it), and
// before it commits it deletes the row and appends one row with case id 0 ("everything
// changed"). Dropping the triggers instead, as SQLite's side does, would take an exclusive
// lock on cases and case_right_holders for the whole load: every reader would wait.

export const PAUSE_KEY = "case_changes";

/** Runs `load` with the change log paused; `tx` is the load's transaction. */
export async function withPostgresChangeLogPaused<T>(tx: Engine, load: () => Promise<T>): Promise<T> {
  if (!tx.inTransaction) throw new Error("The change log is paused only inside the bulk load's own transaction.");
  const { appMeta, caseChanges } = tx.t;
  const paused = await tx.run(sql`insert into ${appMeta} (key, value) values (${PAUSE_KEY}, 'paused') on conflict (key) do nothing`);
  // already paused by an enclosing load: that one resumes it
  if (paused.changes === 0) return load();
  const result = await load();
  await tx.run(sql`delete from ${appMeta} where key = ${PAUSE_KEY}`);
  await tx.run(sql`insert into ${caseChanges} (case_id) values (0)`);
  return result;
}
