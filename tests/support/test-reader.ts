// A reader process for tests/integration/read-budget.test.ts: the server's reads, plus reads
// that only a test may run — SQL that never ends (it counts an endless recursion, real work
// that better-sqlite3 cannot interrupt), a write on the read-only connection (a real
// SQLITE_READONLY), and the reader's pid. Never loaded by the app.
import Database from "better-sqlite3";
import type { Db } from "../../db/sqlite/open";
import { READS, STREAMS } from "../../db/budget/reads";
import { serveReads } from "../../db/budget/worker";

const endless = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c";

serveReads(
  {
    ...(READS as unknown as Record<string, (db: Db, ...args: unknown[]) => unknown>),
    endless: (db: Db) => db.$client.prepare(endless).get(),
    writeOnReadOnly: (db: Db) => db.$client.prepare("delete from campaigns").run(),
    pid: () => process.pid,
  },
  {
    ...(STREAMS as unknown as Record<string, (...args: unknown[]) => { rows: Iterator<unknown>; close: () => void }>),
    // a first row at once, then a row that never comes
    stuckRows: () => {
      const memory = new Database(":memory:");
      let first = true;
      const rows: Iterator<unknown> = {
        next: () => (first ? ((first = false), { done: false, value: { n: 1 } }) : { done: false, value: memory.prepare(endless).get() }),
      };
      return { rows, close: () => memory.close() };
    },
  },
);
