import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { openPostgres } from "./open";

// PostgreSQL's side of the aggregate store (db/aggregate/store.ts): a full load reads every
// live case and link inside ONE repeatable-read, read-only transaction on a connection of its
// own, so that the cases, the links, the right holders and the log's last seq all come from
// one snapshot while the app writes on. The cases and links stream in COPY's binary format,
// parsed as they arrive in batches of integers (a million cases in about a second, where rows
// through the driver's text protocol took ten). The change log commits in seq order
// (migration 0002_change_log_order), so "the newest seq I have read" is enough to catch up.

export type SnapshotRows = (text: string, params?: unknown[]) => Promise<unknown[][]>;
/** The rows of a query of integer columns (int2/int4/int8; null as null), in batches. */
export type SnapshotCopy = (query: string) => AsyncIterable<(number | null)[][]>;

/**
 * Runs `work` with a reader of raw rows (arrays) and of COPY streams in one read-only snapshot
 * of the pool's database; `beside`, when the pool has room for a second connection, streams
 * in the same snapshot (pg_export_snapshot) on that connection, so that two tables load at once.
 */
export async function inSnapshot<T>(pool: pg.Pool, work: (rows: SnapshotRows, copy: SnapshotCopy, beside: SnapshotCopy | null) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let second: pg.PoolClient | null = null;
  let ok = false;
  try {
    await client.query("begin isolation level repeatable read read only");
    const rows: SnapshotRows = async (text, params) => (await client.query({ text, values: params, rowMode: "array" })).rows as unknown[][];
    const copyOn = (c: pg.PoolClient): SnapshotCopy => (query) => integerRows(c.query(copyTo(`copy (${query}) to stdout (format binary)`)));
    if ((pool.options.max ?? 10) >= 2 && pool.idleCount + (pool.options.max ?? 10) - pool.totalCount >= 1) {
      const { snapshot } = (await client.query<{ snapshot: string }>("select pg_export_snapshot() as snapshot")).rows[0]!;
      second = await pool.connect();
      await second.query("begin isolation level repeatable read read only");
      await second.query(`set transaction snapshot '${snapshot!.replace(/'/g, "''")}'`);
    }
    const result = await work(rows, copyOn(client), second ? copyOn(second) : null);
    if (second) await second.query("commit");
    await client.query("commit");
    ok = true;
    return result;
  } finally {
    if (!ok) {
      await client.query("rollback").catch(() => {});
      await second?.query("rollback").catch(() => {});
    }
    client.release(!ok);
    second?.release(!ok);
  }
}

/** A second pool to the same database as `pool` (the derived check's "fresh connection"): close it with `.end()`. */
export function anotherPool(pool: pg.Pool) {
  return openPostgres((pool as unknown as { options: { connectionString: string } }).options.connectionString, { max: 2 });
}

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const BATCH = 8192;

/** Parses COPY's binary format of integer columns as the stream delivers it. */
async function* integerRows(stream: AsyncIterable<Buffer>): AsyncGenerator<(number | null)[][]> {
  let buffer: Buffer = Buffer.alloc(0);
  let at = 0;
  let header = false;
  let batch: (number | null)[][] = [];
  for await (const chunk of stream) {
    buffer = at < buffer.length ? Buffer.concat([buffer.subarray(at), chunk]) : chunk;
    at = 0;
    if (!header) {
      if (buffer.length < 19) continue;
      if (!buffer.subarray(0, 11).equals(SIGNATURE)) throw new Error("COPY did not answer in its binary format.");
      at = 19 + buffer.readInt32BE(15);
      header = true;
    }
    for (;;) {
      if (at + 2 > buffer.length) break;
      const fields = buffer.readInt16BE(at);
      if (fields === -1) {
        at = buffer.length;
        break;
      }
      // the whole tuple must be here before it is read
      let end = at + 2;
      let whole = true;
      for (let f = 0; f < fields; f++) {
        if (end + 4 > buffer.length) {
          whole = false;
          break;
        }
        const length = buffer.readInt32BE(end);
        end += 4 + (length > 0 ? length : 0);
      }
      if (!whole || end > buffer.length) break;
      const row: (number | null)[] = new Array(fields);
      let p = at + 2;
      for (let f = 0; f < fields; f++) {
        const length = buffer.readInt32BE(p);
        p += 4;
        if (length === -1) row[f] = null;
        else if (length === 4) row[f] = buffer.readInt32BE(p);
        else if (length === 8) row[f] = buffer.readInt32BE(p) * 4294967296 + buffer.readUInt32BE(p + 4);
        else if (length === 2) row[f] = buffer.readInt16BE(p);
        else throw new Error(`COPY gave a field of ${length} bytes where an integer was expected.`);
        p += length > 0 ? length : 0;
      }
      batch.push(row);
      at = end;
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}
