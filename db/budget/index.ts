import "server-only";
import { exportBudgetMs } from "../../lib/env";
import { readerPool as pool } from "./shared";
import type { ReadArgs, ReadName, ReadResult, StreamArgs, StreamName, StreamRow } from "./reads";

// The server's side of the time budget: `await budgetedRead("dashboardStats", filters, scope)`
// runs a read of db/budget/reads.ts in one of this process's reader processes and answers
// within QUERY_BUDGET_MS, or throws QueryTimeoutError (a 503 with Retry-After).

export async function budgetedRead<N extends ReadName>(name: N, ...args: ReadArgs<N>): Promise<ReadResult<N>> {
  return (await pool().run(name, args)) as ReadResult<N>;
}

/**
 * A streamed read (an export) as rows: each chunk within QUERY_BUDGET_MS, the whole within
 * EXPORT_BUDGET_MS. The first chunk is read before this returns, so that a read that cannot
 * start in time is a 503 before any byte is sent; later a timeout breaks off the stream.
 */
export async function budgetedRows<N extends StreamName>(name: N, ...args: StreamArgs<N>): Promise<{ rows: AsyncIterator<StreamRow<N>>; close: () => void }> {
  const stream = await pool().openStream<StreamRow<N>>(name, args, { totalMs: exportBudgetMs() });
  let chunk: { rows: StreamRow<N>[]; done: boolean };
  try {
    chunk = await stream.next();
  } catch (error) {
    stream.close();
    throw error;
  }
  async function* rows(): AsyncGenerator<StreamRow<N>> {
    try {
      for (;;) {
        yield* chunk.rows;
        if (chunk.done) return;
        chunk = await stream.next();
      }
    } finally {
      stream.close();
    }
  }
  return { rows: rows(), close: stream.close };
}
