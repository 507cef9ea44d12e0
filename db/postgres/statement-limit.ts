import type pg from "pg";

/**
 * A reader process's pool (db/budget/worker.ts): every connection it opens is read-only
 * (default_transaction_read_only, as the reader's SQLite connection is), and its server
 * process stops a read that outlives the budget `ms` however the reader fares. The reader's
 * server (db/budget/pool.ts) kills the reader at the budget; the server process notices within
 * a quarter of a second that its client went away (client_connection_check_interval) and stops
 * the statement. statement_timeout, a second past the budget, stops it should the client's end go
 * unnoticed (the kill stays the one answer the request gets: QueryTimeoutError, not this).
 */
export function readerSessions(pool: pg.Pool, ms: number): void {
  const limit = Math.max(1, Math.round(ms)) + 1000;
  // as start-up parameters of every connection the pool opens (libpq's `options`), so that no
  // statement of its own runs beside the pool's first query (pg warns of overlapping queries);
  // set before the reader's first query, when the pool holds no connection yet
  (pool as unknown as { options: { options?: string } }).options.options =
    `-c default_transaction_read_only=on -c statement_timeout=${limit} -c client_connection_check_interval=250`;
}
