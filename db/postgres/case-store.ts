import type pg from "pg";
import { openPostgres } from "./open";

// PostgreSQL's side of the aggregate store (db/aggregate/store.ts): a full load reads every
// live case and link in chunks by key (WHERE id > last ORDER BY id LIMIT n, rows as arrays,
// no objects made per row) inside ONE repeatable-read, read-only transaction on a connection
// of its own, so that the cases, the links, the right holders and the log's last seq all come
// from one snapshot while the app writes on. The change log commits in seq order (migration
// 0002_change_log_order), so "the newest seq I have read" is enough to catch up later.

export type SnapshotRows = (text: string, params?: unknown[]) => Promise<unknown[][]>;

/** Runs `work` with a reader of raw rows (arrays) in one read-only snapshot of the pool's database. */
export async function inSnapshot<T>(pool: pg.Pool, work: (rows: SnapshotRows) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let ok = false;
  try {
    await client.query("begin isolation level repeatable read read only");
    const rows: SnapshotRows = async (text, params) => (await client.query({ text, values: params, rowMode: "array" })).rows as unknown[][];
    const result = await work(rows);
    await client.query("commit");
    ok = true;
    return result;
  } finally {
    if (!ok) await client.query("rollback").catch(() => {});
    client.release(!ok);
  }
}

/** A second pool to the same database as `pool` (the derived check's "fresh connection"): close it with `.end()`. */
export function anotherPool(pool: pg.Pool) {
  return openPostgres((pool as unknown as { options: { connectionString: string } }).options.connectionString, { max: 2 });
}
