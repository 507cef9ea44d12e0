// The filter-combination search of `npm run bench`: every pair and triple of filter kinds with
// real values (tests/support/filter-combinations.ts), each read the pages run — a table page
// with its total, the totals, the dashboard's data, the facet counts — timed in a reader
// process as the server runs them, each with a time budget (a read past it counts as "> budget"
// and is stopped). Prints the slowest combinations with the full-scan floor beside them, and
// what the budget's process boundary costs a normal request.
//
//   npm run bench                                         (this runs after the other sections)
//   tsx --conditions=react-server tests/bench/combinations.ts   (this section alone; DATABASE_URL as for npm run bench, BENCH_COMBO_SIZES=2,3)
import path from "node:path";
import { ReaderPool } from "../../db/budget/pool";
import { sql } from "drizzle-orm";
import { sqliteConnectionOf, type Engine } from "../../db/engine";
import { listCases } from "../../db/queries/cases";
import { getDashboardStats } from "../../db/queries/stats";
import { DEFAULT_SORT, EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { QueryTimeoutError } from "../../lib/query-budget";
import { combinations, combinedFilters, filterKinds, label, type FilterKind } from "../support/filter-combinations";

const READER = path.join(path.dirname(new URL(import.meta.url).pathname), "bench-reader.ts");
const READS = ["listCases", "caseTotals", "dashboardStats", "facetCounts"] as const;
type Timing = { combination: string; read: string; ms: number; timedOut: boolean };

function pct(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * The filter kinds with real values from the data: on SQLite the shared helper's
 * (tests/support/filter-combinations.ts); on PostgreSQL the same kinds with the same choice of
 * values (the median right holder, the busiest district and subordinate office), found in
 * portable SQL. Only `name` and `filters` are used here.
 */
async function benchFilterKinds(e: Engine): Promise<FilterKind[]> {
  const sqlite = sqliteConnectionOf(e);
  if (sqlite) return filterKinds(sqlite);
  const holders = await e.all<{ id: number }>(sql`select right_holder_id as id from case_right_holders group by 1 order by count(*), 1`);
  const holder = Number(holders[Math.floor(holders.length / 2)]!.id);
  const district = (await e.get<{ code: string }>(sql`select d.code from cases c join customs_offices o on o.id = c.office_id
    join customs_offices d on d.id = coalesce(o.district_id, o.id) group by d.code order by count(*) desc, d.code limit 1`))!.code;
  const office = (await e.get<{ code: string }>(sql`select o.code from cases c join customs_offices o on o.id = c.office_id
    where o.district_id is not null group by o.code order by count(*) desc, o.code limit 1`))!.code;
  // the shared list's names and filters, with these values (its SQL texts are SQLite's and unused here)
  const values: Record<string, Partial<Filters>> = { district: { district: [district] }, office: { office: [office] }, holder: { holder: [holder] } };
  const shape = filterKinds({
    prepare: () => ({ pluck: () => ({ get: () => null }) }),
  } as unknown as Parameters<typeof filterKinds>[0]);
  return shape.map((k) => ({ ...k, filters: values[k.name] ?? k.filters }));
}

export async function combinationSearch(e: Engine, url: string, floorMs: number): Promise<void> {
  const budgetMs = Number(process.env.BENCH_COMBO_BUDGET_MS ?? 20_000);
  const sizes = (process.env.BENCH_COMBO_SIZES ?? "2,3").split(",").map(Number);
  const pool = new ReaderPool({ workerFile: READER, size: 1, budgetMs, env: { ...process.env, DATABASE_URL: url } });
  try {
    const kinds = await benchFilterKinds(e);
    const combos = sizes.flatMap((n) => combinations(kinds, n));
    console.log(`\nFilter combinations: ${combos.length} (${sizes.join(" and ")} kinds of ${kinds.length}), 4 reads each, budget ${budgetMs} ms a read…`);
    // the reader starts (and loads its aggregate store) before the first timed read: that wait
    // is a start-up cost, printed on its own line, not the first combination's time
    const ready0 = performance.now();
    await pool.run("fresh:caseTotals", [combinedFilters([]), {}]);
    console.log(`reader process ready (started, store loaded) in ${((performance.now() - ready0) / 1000).toFixed(1)} s`);
    const timings: Timing[] = [];
    const started = performance.now();
    for (const [i, combo] of combos.entries()) {
      const filters = combinedFilters(combo);
      for (const read of READS) {
        const args = read === "listCases" ? [{ filters, sort: DEFAULT_SORT, page: 1, size: 25 }, {}] : [filters, {}];
        const t0 = performance.now();
        let timedOut = false;
        try {
          await pool.run(`fresh:${read}`, args);
        } catch (error) {
          if (!(error instanceof QueryTimeoutError)) throw error;
          timedOut = true;
        }
        timings.push({ combination: label(combo), read, ms: performance.now() - t0, timedOut });
      }
      if (process.env.BENCH_VERBOSE && (i + 1) % 50 === 0) console.log(`  ${i + 1}/${combos.length} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const seconds = (performance.now() - started) / 1000;
    const fmt = (t: Timing) => (t.timedOut ? `> ${budgetMs}` : t.ms.toFixed(1)).padStart(9);
    const pad = (s: string, n: number) => s.padEnd(n);
    console.log(`searched in ${seconds.toFixed(0)} s; full-scan floor ${floorMs.toFixed(1)} ms\n`);
    console.log(`${pad("read", 15)} ${"p50 ms".padStart(9)} ${"p95 ms".padStart(9)} ${"max ms".padStart(9)} ${"÷ floor".padStart(8)}  slowest combination`);
    for (const read of READS) {
      const mine = timings.filter((t) => t.read === read);
      const worst = mine.reduce((a, b) => (b.ms > a.ms ? b : a));
      const ms = mine.map((t) => t.ms);
      console.log(`${pad(read, 15)} ${pct(ms, 50).toFixed(1).padStart(9)} ${pct(ms, 95).toFixed(1).padStart(9)} ${fmt(worst)} ${(worst.ms / floorMs).toFixed(1).padStart(8)}  ${worst.combination}`);
    }
    // the slowest combinations over the four reads together (what a page with all of them costs)
    const perCombo = new Map<string, Timing[]>();
    for (const t of timings) perCombo.set(t.combination, [...(perCombo.get(t.combination) ?? []), t]);
    const ranked = [...perCombo].map(([combination, ts]) => ({ combination, ts, sum: ts.reduce((s, t) => s + t.ms, 0) })).sort((a, b) => b.sum - a.sum);
    console.log(`\nslowest ${Math.min(15, ranked.length)} combinations (ms: ${READS.join(" / ")}; sum ÷ floor)`);
    for (const r of ranked.slice(0, 15)) {
      console.log(`  ${pad(r.combination, 40)} ${r.ts.map(fmt).join(" ")}  ${(r.sum / floorMs).toFixed(1).padStart(7)}×`);
    }
    const stopped = timings.filter((t) => t.timedOut).length;
    console.log(`reads stopped at the budget: ${stopped}`);
    if (stopped) process.exitCode = 1;

    // What the budget costs a normal request: the same read in this process and through a
    // reader process (send the arguments, run, send the answer back), kept answers warm in both.
    const overhead: [string, () => Promise<unknown>, () => Promise<unknown>][] = [];
    const stats = { ...EMPTY_FILTERS, district: ["8600"] } as Filters;
    const page = { filters: { ...EMPTY_FILTERS, type: ["copyright"] } as Filters, sort: DEFAULT_SORT, page: 1, size: 25 };
    overhead.push(["dashboard data (/api/stats?district=8600), kept answer", () => getDashboardStats(e, stats), () => pool.run("dashboardStats", [stats, {}])]);
    overhead.push(["case-table page with total (type=copyright)", () => listCases(e, page), () => pool.run("listCases", [page, {}])]);
    console.log(`\ntime budget's cost per read (p50 of 50): in process / through a reader process`);
    for (const [name, local, remote] of overhead) {
      await local();
      await remote();
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < 50; i++) {
        let t0 = performance.now();
        await local();
        a.push(performance.now() - t0);
        t0 = performance.now();
        await remote();
        b.push(performance.now() - t0);
      }
      console.log(`  ${pad(name, 58)} ${pct(a, 50).toFixed(2).padStart(7)} ms / ${pct(b, 50).toFixed(2).padStart(7)} ms  (+${(pct(b, 50) - pct(a, 50)).toFixed(2)} ms)`);
    }
  } finally {
    await pool.close();
  }
}

// this section alone
if (process.argv[1] && /combinations\.ts$/.test(process.argv[1])) {
  const { closeEngine, openEngine } = await import("../../db/open");
  const url = process.env.DATABASE_URL?.trim() || "file:data/bench-1000000.db";
  const e = openEngine(url, { server: true });
  for (let i = 0; i < 2; i++) await e.get(sql`select sum(pieces) from cases`);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await e.get(sql`select sum(pieces) from cases`);
    samples.push(performance.now() - t);
  }
  await combinationSearch(e, url, pct(samples, 50));
  await closeEngine(e);
}
