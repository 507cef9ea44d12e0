import type pg from "pg";

/**
 * A reader process's pool (db/budget/worker.ts): every connection it opens is read-only
 * (default_transaction_read_only, as the reader's SQLite connection is), stops any statement
 * after `ms` (statement_timeout) and notices within a second that its client went away
 * (client_connection_check_interval): a reader process killed for its time budget
 * (db/budget/pool.ts) leaves no server process working on for it.
 */
export function readerSessions(pool: pg.Pool, ms: number): void {
  const limit = Math.max(1, Math.round(ms));
  pool.on("connect", (client) => {
    // queued ahead of the first query the pool hands this connection out for
    client.query(`set default_transaction_read_only = on; set statement_timeout = ${limit}; set client_connection_check_interval = 1000`).catch(() => {});
  });
}
