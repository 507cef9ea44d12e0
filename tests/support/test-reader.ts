// A reader process for tests/integration/read-budget.test.ts: the server's reads, plus reads
// that only a test may run — SQL that never ends (real work: on SQLite an endless recursion,
// which better-sqlite3 cannot interrupt; on PostgreSQL a join of three series, CPU-bound and
// small in memory), a write on the read-only connection (SQLITE_READONLY, or PostgreSQL's
// read-only transaction), and the reader's pid. Never loaded by the app.
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { sqliteConnectionOf, type Engine } from "../../db/engine";
import { READS, STREAMS, type Cursor } from "../../db/budget/reads";
import { serveReads } from "../../db/budget/worker";

const SQLITE_ENDLESS = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c";
/** What the read-budget test looks for in pg_stat_activity. */
export const POSTGRES_ENDLESS = "select count(*) as n from generate_series(1, 100000) a, generate_series(1, 100000) b, generate_series(1, 100000) c";

const endless = (e: Engine) => {
  const sqlite = sqliteConnectionOf(e);
  return sqlite ? sqlite.prepare(SQLITE_ENDLESS).get() : e.get(sql.raw(POSTGRES_ENDLESS));
};

if (process.argv[1] && /test-reader\.ts$/.test(process.argv[1])) {
  void serveReads(
    {
      ...(READS as unknown as Record<string, (e: Engine, ...args: unknown[]) => unknown>),
      endless,
      writeOnReadOnly: (e: Engine) => {
        const sqlite = sqliteConnectionOf(e);
        return sqlite ? sqlite.prepare("delete from campaigns").run() : e.run(sql`delete from campaigns`);
      },
      pid: () => process.pid,
    },
    {
      ...(STREAMS as unknown as Record<string, (e: Engine, ...args: unknown[]) => Promise<Cursor>>),
      // a first row at once, then a row that never comes
      stuckRows: async (e: Engine) => {
        const memory = e.dialect === "sqlite" ? new Database(":memory:") : null;
        let first = true;
        const rows: AsyncIterator<unknown> = {
          next: async () => {
            if (first) {
              first = false;
              return { done: false, value: { n: 1 } };
            }
            return { done: false, value: memory ? memory.prepare(SQLITE_ENDLESS).get() : await endless(e) };
          },
        };
        return { rows, close: () => void memory?.close() };
      },
    },
  );
}
