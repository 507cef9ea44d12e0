import path from "node:path";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guarded } from "../../app/api/respond";
import { ReaderPool } from "../../db/budget/pool";
import { postgresPoolOf, type Engine } from "../../db/engine";
import { facetCounts, getDashboardStats, holderFigures } from "../../db/queries/stats";
import { listCases } from "../../db/queries/cases";
import { caseTotals } from "../../db/queries/totals";
import { openExportCursor } from "../../db/queries/export";
import { classifyDbError } from "../../lib/db-errors";
import { ConfigError } from "../../lib/env";
import { DEFAULT_SORT, EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { QueryTimeoutError } from "../../lib/query-budget";
import { ROOT } from "../support/db";
import { ENGINES } from "../support/engines";
import { databaseUrl } from "../support/postgres";
import { sameData, seeded, type SameData } from "../support/same-data";
import { POSTGRES_ENDLESS } from "../support/test-reader";

// The reader pool of the time budget (db/budget) with real reader processes on a real
// database of either engine (the readers open DATABASE_URL: the SQLite file read-only, or a
// read-only PostgreSQL pool): the answers equal the same reads in this process, a read past
// its budget is stopped by killing its process, which is replaced (and on PostgreSQL its
// server process stops too), and errors arrive as the same classes as in process.

const TEST_READER = path.join(ROOT, "tests", "support", "test-reader.ts");
const f = (over: Partial<Filters>): Filters => ({ ...EMPTY_FILTERS, ...over });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Waits until `pid` has gone (the kill is sent at once; the exit is asynchronous). */
async function gone(pid: number) {
  while (alive(pid)) await new Promise((r) => setTimeout(r, 20));
  return true;
}

describe.each(ENGINES)("the reader pool on %s", (dialect) => {
  let fixture: SameData;
  let e: Engine;
  let url: string;
  const pools: ReaderPool[] = [];
  const makePool = (options: { size?: number; budgetMs?: number; env?: Record<string, string> } = {}) => {
    const pool = new ReaderPool({
      workerFile: TEST_READER,
      size: options.size ?? 2,
      budgetMs: options.budgetMs ?? 60_000,
      env: { ...process.env, DATABASE_URL: url, ...options.env },
      cwd: ROOT,
    });
    pools.push(pool);
    return pool;
  };
  // two pools, started once: one with room for any real read, one with a short budget
  let roomy: ReaderPool;
  let short: ReaderPool;

  beforeAll(async () => {
    fixture = await sameData(dialect, "budget", seeded({ cases: 3_000, seed: 23 }));
    e = fixture.e;
    url = dialect === "sqlite" ? `file:${fixture.file}` : (postgresPoolOf(e) as unknown as { options: { connectionString: string } }).options.connectionString;
    roomy = makePool({ budgetMs: 120_000 });
    short = makePool({ budgetMs: 1_500 });
    roomy.warm();
    short.warm();
  }, 180_000);
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await fixture?.close();
  });

  describe("reads in reader processes", () => {
    it("answer exactly what the same reads answer in this process (Maps and all)", async () => {
      const filters = f({ from: "2019-03-01", industry: ["personal_care"], channel: ["express", "postal"] });
      const scope = { restrictToHolders: [3] };
      expect(await roomy.run("dashboardStats", [filters, {}, new Date("2025-06-01")])).toEqual(await getDashboardStats(e, filters, {}, new Date("2025-06-01")));
      const facets = (await roomy.run("facetCounts", [filters, scope])) as Awaited<ReturnType<typeof facetCounts>>;
      expect(facets.district).toBeInstanceOf(Map);
      expect(facets).toEqual(await facetCounts(e, filters, scope));
      expect(await roomy.run("holderFigures", [filters, {}])).toEqual(await holderFigures(e, filters));
      const query = { filters: f({ q: "watches" }), sort: { key: "value", dir: "desc" } as const, page: 2, size: 10 };
      expect(await roomy.run("listCases", [query, {}])).toEqual(await listCases(e, query));
      expect(await roomy.run("caseTotals", [filters, scope])).toEqual(await caseTotals(e, filters, scope));
    });

    it("stream an export a chunk at a time, the same rows in the same order", async () => {
      const filters = f({ type: ["trademark"], from: "2020-01-01" });
      const stream = await roomy.openStream("exportRows", [filters, DEFAULT_SORT, {}], { totalMs: 120_000, rowsPerChunk: 97 });
      const got: unknown[] = [];
      for (;;) {
        const chunk = await stream.next();
        got.push(...chunk.rows);
        if (chunk.done) break;
      }
      const cursor = await openExportCursor(e, filters, DEFAULT_SORT);
      const expected: unknown[] = [];
      try {
        for (let next = await cursor.rows.next(); !next.done; next = await cursor.rows.next()) expected.push(next.value);
      } finally {
        await cursor.close();
      }
      expect(got.length).toBeGreaterThan(97 * 3);
      expect(got).toEqual(expected);
    });
  });

  describe("a read past its budget", () => {
    it("is stopped: QueryTimeoutError at once, its process killed and replaced, while the other reader goes on", async () => {
      await short.run("pid", []);
      const before = short.pids();
      expect(before).toHaveLength(2);
      const stuck = short.run("endless", []);
      // while the endless read runs, the other reader answers
      const answers = await Promise.all([1, 2, 3].map(() => short.run("caseTotals", [f({ district: ["8600"] }), {}])));
      for (const a of answers) expect(a).toEqual(await caseTotals(e, f({ district: ["8600"] })));
      await expect(stuck).rejects.toMatchObject({ name: "QueryTimeoutError", read: "endless", stage: "running" });
      await expect(stuck).rejects.toBeInstanceOf(QueryTimeoutError);
      expect(short.counts.killed).toBe(1);
      // the reader that ran it is gone; a new one takes its place and answers with the same data
      const killed = await Promise.race(before.map((pid) => gone(pid).then(() => pid)));
      const survivor = before.find((pid) => pid !== killed)!;
      expect(alive(survivor)).toBe(true);
      if (dialect === "postgres") {
        // and the PostgreSQL server process that ran its statement stops too
        const running = sql`select count(*) as n from pg_stat_activity where query = ${POSTGRES_ENDLESS} and pid <> pg_backend_pid()`;
        while (Number((await e.get<{ n: number }>(running))!.n) > 0) await new Promise((r) => setTimeout(r, 50));
      }
      const fresh = async () => {
        for (;;) {
          const pid = (await short.run("pid", [])) as number;
          if (!before.includes(pid)) return pid;
        }
      };
      expect(await fresh()).not.toBe(killed);
      expect(await short.run("caseTotals", [EMPTY_FILTERS, {}])).toEqual(await caseTotals(e, EMPTY_FILTERS));
    });

    it("breaks off a stream whose next chunk does not come in time", async () => {
      const stream = await short.openStream<{ n: number }>("stuckRows", [], { totalMs: 120_000, rowsPerChunk: 1 });
      expect((await stream.next()).rows).toEqual([{ n: 1 }]);
      await expect(stream.next()).rejects.toBeInstanceOf(QueryTimeoutError);
      stream.close();
    });

    it("is a 503 with Retry-After and a JSON reason through the API's wrapper", async () => {
      const response = await guarded(() => {
        throw new QueryTimeoutError("dashboardStats", 5000);
      });
      expect(response.status).toBe(503);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await response.json()).toMatchObject({ error: "timeout", message: expect.stringMatching(/stopped/) });
    });
  });

  describe("errors of a reader", () => {
    it("keep their class: the reader's engine is read-only (SQLite: still that fault, a 503 read_only through the API)", async () => {
      const error = await roomy.run("writeOnReadOnly", []).catch((x: unknown) => x);
      if (dialect === "sqlite") {
        expect(error).toBeInstanceOf(Database.SqliteError);
        expect(classifyDbError(error)).toBe("read_only");
        const response = await guarded(() => {
          throw error;
        });
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ error: "read_only" });
      } else {
        // PostgreSQL's read_only_sql_transaction, with its code
        expect(error).toMatchObject({ code: "25006", message: expect.stringMatching(/read-only transaction/) });
      }
      // the reader survives an error of its read
      expect(typeof (await roomy.run("pid", []))).toBe("number");
    });

    it("a reader that cannot open the database answers with the ConfigError (503 unavailable)", async () => {
      const bad = dialect === "sqlite" ? `file:${path.join(ROOT, "package.json")}` : databaseUrl("ipr_test_no_such_database");
      const pool = makePool({ size: 1, env: { DATABASE_URL: bad } });
      const error = await pool.run("caseTotals", [EMPTY_FILTERS, {}]).catch((x: unknown) => x);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(dialect === "sqlite" ? /not a SQLite database/ : /^Cannot connect to the PostgreSQL database .*ipr_test_no_such_database.*does not exist\.$/);
      const response = await guarded(() => {
        throw error;
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: "unavailable" });
    });

    it("an unknown read is refused by name", async () => {
      await expect(roomy.run("noSuchRead", [])).rejects.toThrow(/No read named "noSuchRead"/);
    });
  });
});
