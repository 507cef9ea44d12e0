import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guarded } from "../../app/api/respond";
import { ReaderPool } from "../../db/budget/pool";
import { facetCounts, getDashboardStats, holderFigures } from "../../db/queries/stats";
import { caseTotals, listCases } from "../../db/queries/cases";
import { openExportCursor } from "../../db/queries/export";
import { classifyDbError } from "../../lib/db-errors";
import { ConfigError } from "../../lib/env";
import { DEFAULT_SORT, EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { QueryTimeoutError } from "../../lib/query-budget";
import { seedDatabase } from "../../seed/run";
import { freshDb, ROOT } from "../support/db";

// The reader pool of the time budget (db/budget) with real reader processes on a real file:
// the answers equal the same reads in this process, a read past its budget is stopped by
// killing its process, which is replaced, and errors arrive as the same classes as in process.

const TEST_READER = path.join(ROOT, "tests", "support", "test-reader.ts");
const fixture = freshDb("budget");
const pools: ReaderPool[] = [];
const makePool = (options: { size?: number; budgetMs?: number; env?: Record<string, string> } = {}) => {
  const pool = new ReaderPool({
    workerFile: TEST_READER,
    size: options.size ?? 2,
    budgetMs: options.budgetMs ?? 60_000,
    env: { ...process.env, DATABASE_URL: `file:${fixture.file}`, ...options.env },
    cwd: ROOT,
  });
  pools.push(pool);
  return pool;
};
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

beforeAll(async () => {
  await seedDatabase(fixture.db.$client, { cases: 3_000, seed: 23 });
}, 120_000);
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  fixture.close();
});

// two pools, started once: one with room for any real read, one with a short budget
let roomy: ReaderPool;
let short: ReaderPool;
beforeAll(() => {
  roomy = makePool({ budgetMs: 120_000 });
  short = makePool({ budgetMs: 1_500 });
  roomy.warm();
  short.warm();
});

describe("reads in reader processes", () => {
  it("answer exactly what the same reads answer in this process (Maps and all)", async () => {
    const db = fixture.db;
    const filters = f({ from: "2019-03-01", industry: ["personal_care"], channel: ["express", "postal"] });
    const scope = { restrictToHolders: [3] };
    expect(await roomy.run("dashboardStats", [filters, {}, new Date("2025-06-01")])).toEqual(getDashboardStats(db, filters, {}, new Date("2025-06-01")));
    const facets = (await roomy.run("facetCounts", [filters, scope])) as ReturnType<typeof facetCounts>;
    expect(facets.district).toBeInstanceOf(Map);
    expect(facets).toEqual(facetCounts(db, filters, scope));
    expect(await roomy.run("holderFigures", [filters, {}])).toEqual(holderFigures(db, filters));
    const query = { filters: f({ q: "watches" }), sort: { key: "value", dir: "desc" } as const, page: 2, size: 10 };
    expect(await roomy.run("listCases", [query, {}])).toEqual(listCases(db, query));
    expect(await roomy.run("caseTotals", [filters, scope])).toEqual(caseTotals(db, filters, scope));
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
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = `file:${fixture.file}`;
    const expected = [...openExportCursor(filters, DEFAULT_SORT).rows];
    process.env.DATABASE_URL = previous;
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
    for (const a of answers) expect(a).toEqual(caseTotals(fixture.db, f({ district: ["8600"] })));
    await expect(stuck).rejects.toMatchObject({ name: "QueryTimeoutError", read: "endless", stage: "running" });
    await expect(stuck).rejects.toBeInstanceOf(QueryTimeoutError);
    expect(short.counts.killed).toBe(1);
    // the reader that ran it is gone; a new one takes its place and answers with the same data
    const killed = await Promise.race(before.map((pid) => gone(pid).then(() => pid)));
    const survivor = before.find((pid) => pid !== killed)!;
    expect(alive(survivor)).toBe(true);
    const fresh = async () => {
      for (;;) {
        const pid = (await short.run("pid", [])) as number;
        if (!before.includes(pid)) return pid;
      }
    };
    expect(await fresh()).not.toBe(killed);
    expect(await short.run("caseTotals", [EMPTY_FILTERS, {}])).toEqual(caseTotals(fixture.db, EMPTY_FILTERS));
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
  it("keep their class: a SQLite fault is still that fault (503 read_only through the API)", async () => {
    const error = await roomy.run("writeOnReadOnly", []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Database.SqliteError);
    expect(classifyDbError(error)).toBe("read_only");
    const response = await guarded(() => {
      throw error;
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: "read_only" });
    // the reader survives an error of its read
    expect(typeof (await roomy.run("pid", []))).toBe("number");
  });

  it("a reader that cannot open the database answers with the ConfigError (503 unavailable)", async () => {
    const pool = makePool({ size: 1, env: { DATABASE_URL: `file:${path.join(ROOT, "package.json")}` } });
    const error = await pool.run("caseTotals", [EMPTY_FILTERS, {}]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/not a SQLite database/);
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
