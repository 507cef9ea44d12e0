// npm run bench: the performance budgets of DESIGN.md at national scale, printed as a table.
// Seeds (or reuses) a 1,000,000-case database and times the same query functions the pages use,
// on the engine DATABASE_URL names: unset, the bench's own SQLite file; postgres://…, that
// PostgreSQL database (empty, or holding the bench's cases; the seed fills it with COPY).
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { caseTotals, listCases } from "../../db/queries/cases";
import { forgetKeptAnswers, getDashboardStats, holderFigures } from "../../db/queries/stats";
import { openExportCursor } from "../../db/queries/export";
import { isEmpty } from "../../db/bulk";
import type { Engine } from "../../db/engine";
import { closeEngine, migrateEngine, openEngine } from "../../db/open";
import { derivedMismatches } from "../../db/aggregate/check";
import { csvLine } from "../../lib/csv";
import { exportCells } from "../../lib/export-columns";
import { DEFAULT_SORT, EMPTY_FILTERS, type CaseQuery, type Filters, type Sort } from "../../lib/filters";
import { seedDatabase } from "../../seed/run";
import { createCase, getCaseForEdit, updateCase, type CaseInput } from "../../db/mutations/cases";
import { combinationSearch } from "./combinations";
import { broadLines } from "./broad";
import { duckdbComparison } from "./duckdb";
import { caseStore, caseStoreBytes } from "../../db/aggregate/store";
import { refreshHotspots } from "../../db/hotspots";

const CASES = Number(process.env.BENCH_CASES ?? 1_000_000);
// the database named by DATABASE_URL, or the bench's own file when it is unset
const ownFile = `file:data/bench-${CASES}.db`;
const url = process.env.DATABASE_URL?.trim() || ownFile;
if (url === ownFile) fs.mkdirSync("data", { recursive: true });
process.env.DATABASE_URL = url;

await migrateEngine(url);
// measured with the server's connection settings (db/open.ts: SQLite's page cache, PostgreSQL's pool)
const e: Engine = openEngine(url, { server: true });
const postgres = e.dialect === "postgres";
const one = async (query: ReturnType<typeof sql>) => Number(Object.values((await e.get<Record<string, unknown>>(query))!)[0]);
const existing = await one(sql`select count(*) as n from cases`);
if (existing !== CASES && existing > 0 && url !== ownFile) {
  // never replace someone's data: only an empty database or the bench's own file is (re)seeded
  const shown = url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:…@");
  console.error(`bench: ${shown} holds ${existing.toLocaleString("en-US")} cases, not ${CASES.toLocaleString("en-US")}; name an empty database or leave DATABASE_URL unset (then ${ownFile} is used).`);
  process.exit(1);
}
if (existing !== CASES) {
  console.log(`Seeding ${CASES.toLocaleString("en-US")} cases into ${url} (once; later runs reuse it)…`);
  const r = await seedDatabase(e, { cases: CASES, seed: 7, reset: !(await isEmpty(e)) });
  console.log(`seeded in ${(r.milliseconds / 1000).toFixed(1)} s`);
}

type Result = { name: string; samples: number[]; budget?: [number, number]; note?: string };
const results: Result[] = [];

async function time(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function pct(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(name: string, runs: (() => unknown)[], budget?: [number, number], rounds = 3, labels?: string[]) {
  for (const run of runs) await run(); // warm the page cache
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++)
    for (const [i, run] of runs.entries()) {
      const ms = await time(run);
      samples.push(ms);
      if (process.env.BENCH_VERBOSE && budget && ms > budget[0]) console.log(`  slow: ${name} #${i} ${labels?.[i] ?? ""} ${ms.toFixed(1)} ms`);
    }
  results.push({ name, samples, budget });
}

const f = (over: Partial<Filters>): Filters => ({ ...EMPTY_FILTERS, ...over });
const q = (filters: Filters, sort: Sort = DEFAULT_SORT, page = 1, size = 25): CaseQuery => ({ filters, sort, page, size });

await measure("full-scan floor: SELECT SUM(pieces) FROM cases", [() => e.get(sql`select sum(pieces) from cases`)]);

const tableFilters: Filters[] = [
  f({}),
  f({ from: "2016-01-01", to: "2017-06-07" }),
  f({ district: ["8600"] }),
  f({ district: ["8600"], from: "2016-01-01", to: "2017-06-07" }),
  f({ district: ["5300"], type: ["trademark"] }),
  f({ type: ["copyright"] }),
  f({ category: ["lighting"], from: "2020-01-01", to: "2020-12-31" }),
  f({ holder: [12] }),
  f({ industry: ["lighting"] }),
  f({ channel: ["express"], direction: ["import"] }),
  f({ status: ["detained"] }),
  f({ campaign: ["qingfeng"] }),
  f({ district: ["8600"], type: ["copyright"], industry: ["lighting"], from: "2016-01-01", to: "2017-12-31" }),
];
const sorts: Sort[] = [DEFAULT_SORT, { key: "value", dir: "desc" }, { key: "pieces", dir: "asc" }, { key: "caseNo", dir: "asc" }];
await measure(
  "case-table page with its total (13 filters × 4 sorts)",
  tableFilters.flatMap((filters) => sorts.map((sort) => () => listCases(e, q(filters, sort)))),
  [20, 100],
  1,
  tableFilters.flatMap((filters) => sorts.map((sort) => `${JSON.stringify(Object.fromEntries(Object.entries(filters).filter(([, v]) => (Array.isArray(v) ? v.length : v))))} ${sort.key}.${sort.dir}`)),
);
await measure("case-table page 40 of 200 rows, no filter", [() => listCases(e, q(f({}), DEFAULT_SORT, 40, 200))], [20, 100], 5);
await measure(
  "totals of the filtered set (cases, pieces, value)",
  tableFilters.map((filters) => () => (forgetKeptAnswers(e), caseTotals(e, filters))),
  undefined,
  1,
);
// real words of the data: a brand, its Chinese name, goods, a case-number prefix, a full case number
const sample = await e.all<{ name: string; nameZh: string }>(sql`select name, name_zh as "nameZh" from right_holders where id in (3, 50, 200) order by id`);
const someCase = (await e.get<{ caseNo: string }>(sql`select case_no as "caseNo" from cases where id = 4242`))!;
// and a party (issue 18): an enterprise's full name, and its credit code typed with a hyphen
const someParty = await e.get<{ name: string; code: string }>(
  sql`select name, code from parties where kind = 'enterprise' and code is not null order by id limit 1`,
);
const searches = [
  sample[0]!.name.split(" ")[0]!, sample[1]!.name, sample[2]!.nameZh.slice(0, 2), "handbags", "brake pads",
  "8600-2016", someCase.caseNo, "counterfeit wristwatches",
  ...(someParty ? [someParty.name, `${someParty.code.slice(0, 8)}-${someParty.code.slice(8)}`] : []),
];
await measure(
  "text search page with its total",
  searches.map((text) => () => listCases(e, q(f({ q: text })))),
  [50, 100],
  3,
  searches,
);

// The dashboard: KPIs with the previous period and every chart, for a spread of filters —
// whole years (the store's year tallies), partial ranges, and filters the store scans its rows for.
const holderCounts = await e.all<{ id: number; n: number }>(
  sql`select right_holder_id as id, count(*) as n from case_right_holders group by 1 order by n, id`,
);
const medianHolder = holderCounts[Math.floor(holderCounts.length / 2)]!;
const topHolder = holderCounts[holderCounts.length - 1]!;
const medianHolderName = (await e.get<{ name: string }>(sql`select name from right_holders where id = ${medianHolder.id}`))!.name;
const holderWord = medianHolderName.split(/\s+/).find((w) => /^[A-Za-z]{4,}$/.test(w)) ?? medianHolderName.split(/\s+/)[0]!;
const dashboardFilters: [string, Filters][] = [
  ["no filter", f({})],
  ["2020", f({ from: "2020-01-01", to: "2020-12-31" })],
  ["2016", f({ from: "2016-01-01", to: "2016-12-31" })],
  ["district 5300 (Shenzhen)", f({ district: ["5300"] })],
  ["district 8600 (Kunming)", f({ district: ["8600"] })],
  ["5300 + trademark", f({ district: ["5300"], type: ["trademark"] })],
  ["8600 + copyright", f({ district: ["8600"], type: ["copyright"] })],
  [`holder ${medianHolder.id} (median, ${medianHolder.n} cases)`, f({ holder: [medianHolder.id] })],
  ["q=8600-2016 (case-number prefix)", f({ q: "8600-2016" })],
  [`q=${holderWord} (holder name word)`, f({ q: holderWord })],
  ["campaign qingfeng", f({ campaign: ["qingfeng"] })],
  ["campaign longteng", f({ campaign: ["longteng"] })],
  ["8600, 2016-01-01 … 2017-06-07", f({ district: ["8600"], from: "2016-01-01", to: "2017-06-07" })],
];
// each answer computed afresh (the app keeps answers until the next commit: see the row after)
const fresh = (filters: Filters) => () => {
  forgetKeptAnswers(e);
  return getDashboardStats(e, filters);
};
await measure(
  `all dashboard data (KPIs + every chart), ${dashboardFilters.length} filters`,
  dashboardFilters.map(([, filters]) => fresh(filters)),
  [50, 150],
  3,
  dashboardFilters.map(([label]) => label),
);
await measure(
  `the same, asked again with no commit between (kept answers)`,
  dashboardFilters.map(([, filters]) => () => getDashboardStats(e, filters)),
  undefined,
  3,
  dashboardFilters.map(([label]) => label),
);
// Filters that match tens of thousands of cases (the old cube held none of them). Shown
// apart, without a budget, so the cost is visible.
const broadFilters: [string, Filters][] = [
  [`holder ${topHolder.id} (most, ${topHolder.n} cases)`, f({ holder: [topHolder.id] })],
  ["q=handbags (goods word)", f({ q: "handbags" })],
  ["q=5300-2021 (case-number prefix)", f({ q: "5300-2021" })],
];
await measure(
  `dashboard data for broad sets only the cases answer, ${broadFilters.length} filters`,
  broadFilters.map(([, filters]) => fresh(filters)),
  undefined,
  3,
  broadFilters.map(([label]) => label),
);
// Hot spots (issue 18, item 3): the whole refresh — one scan of the aggregate store counting
// every dimension by month, the fit and test of every series, the run kept — as the servers'
// job runs it off the request path; target under 10 s
await measure("hot-spot refresh (every series, stored)", [() => refreshHotspots(e)], [10_000, 10_000], 3);
await measure("per-holder figures (holderFigures), no filter", [() => (forgetKeptAnswers(e), holderFigures(e, EMPTY_FILTERS))], undefined, 5);

// Writes: create and edit one case (with its audit entry, change-log rows and search index),
// through the same functions as the server actions. All of it inside one transaction that
// is rolled back at the end, so the bench database stays as seeded; each write is then a
// savepoint, which skips only the commit itself (WAL, synchronous=NORMAL: no fsync).
{
  const total = await one(sql`select count(*) as n from cases`);
  const rollback = new Error("the bench's writes roll back");
  const timeAsync = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  await e
    .transaction(async (tx) => {
      const creates: (() => Promise<unknown>)[] = [];
      const edits: (() => Promise<unknown>)[] = [];
      for (let i = 0; i < 100; i++) {
        const offset = Math.floor(((i * 7919) % 1000) / 1000 * (total - 1));
        const id = Number((await tx.get<{ id: number }>(sql`select id from cases where deleted_at is null order by id limit 1 offset ${offset}`))!.id);
        const base = (await getCaseForEdit(tx, id))!;
        const stepped = (await tx.get(sql`select 1 as x from case_steps where case_id = ${id} limit 1`)) !== undefined;
        const { version: _v, updatedBy: _b, updatedAt: _a, ...input } = base;
        const fresh: CaseInput = { ...input, caseNo: `9999-2025-${String(i).padStart(4, "0")}` };
        creates.push(() => createCase(tx, fresh, "bench"));
        edits.push(async () => {
          const current = (await getCaseForEdit(tx, id))!;
          const { version, updatedBy: _u, updatedAt: _t, ...values } = current;
          // a case with procedure steps takes its status from them (StatusFollowsStepsError): its edit changes the pieces only
          const status = stepped ? values.status : values.status === "closed" ? "penalised" : "closed";
          return updateCase(tx, id, version, { ...values, pieces: values.pieces + 1, status }, "bench");
        });
      }
      // no warm-up pass for creates: each case number can be created once
      const createSamples: number[] = [];
      for (const run of creates) createSamples.push(await timeAsync(run));
      results.push({ name: "create one case (audit, change log, search index)", samples: createSamples, budget: [5, 20] });
      for (const run of edits) await run(); // warm the page cache
      const editSamples: number[] = [];
      for (const run of edits) editSamples.push(await timeAsync(run));
      results.push({ name: "edit one case (audit, change log, search index)", samples: editSamples, budget: [5, 20] });
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
}

// CSV export: every row of the whole table through the same cursor and CSV writer as the route.
const exportStart = performance.now();
const cursor = await openExportCursor(e, EMPTY_FILTERS, DEFAULT_SORT);
let exported = 0;
let bytes = 0;
const heapBefore = process.memoryUsage().rss;
let heapPeak = heapBefore;
for (let next = await cursor.rows.next(); !next.done; next = await cursor.rows.next()) {
  const row = next.value;
  bytes += csvLine(exportCells(row, "en")).length;
  if (++exported % 100_000 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().rss);
}
cursor.close();
const exportSeconds = (performance.now() - exportStart) / 1000;

const floor = pct(results[0]!.samples, 50);
const pad = (s: string, n: number) => s.padEnd(n);
const num = (x: number) => x.toFixed(1).padStart(8);
const where = postgres
  ? `PostgreSQL ${(await e.get<{ v: string }>(sql`select current_setting('server_version') as v`))!.v} database ${(await e.get<{ d: string }>(sql`select current_database() as d`))!.d}`
  : path.resolve(url.replace(/^file:/, ""));
const bytesOnDisk = postgres ? await one(sql`select pg_database_size(current_database())`) : fs.statSync(url.replace(/^file:/, "")).size;
const load = fs.existsSync("/proc/loadavg") ? fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ") : "?";
console.log(`\nDatabase: ${where} (${(bytesOnDisk / 1e6).toFixed(0)} MB), ${CASES.toLocaleString("en-US")} cases; load average ${load}\n`);
console.log(`${pad("request", 58)} ${"runs".padStart(5)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"÷ floor".padStart(8)}  budget (p50/p95)`);
for (const r of results) {
  const p50 = pct(r.samples, 50);
  const p95 = pct(r.samples, 95);
  const verdict = r.budget ? `${r.budget[0]}/${r.budget[1]} ms ${p50 <= r.budget[0] && p95 <= r.budget[1] ? "ok" : "OVER"}` : "";
  console.log(`${pad(r.name, 58)} ${String(r.samples.length).padStart(5)} ${num(p50)} ${num(p95)} ${(p50 / floor).toFixed(2).padStart(8)}  ${verdict}`);
}
const rate = exported / exportSeconds;
console.log(
  `${pad("CSV export of every case (rows/s)", 58)} ${String(exported).padStart(5)} ${Math.round(rate).toLocaleString("en-US").padStart(17)}           ≥ 100,000 rows/s ${rate >= 100_000 ? "ok" : "OVER"}` +
    `  (${(bytes / 1e6).toFixed(0)} MB, RSS +${((heapPeak - heapBefore) / 1e6).toFixed(0)} MB)`,
);
// the filters that used to read every matching row, before and after the aggregate store
await broadLines(e);
// the aggregate store against DuckDB on random combinations of every filter kind
const memoryBefore = process.memoryUsage().rss;
if (!(await duckdbComparison(e))) process.exitCode = 1;
const store = await caseStore(e);
console.log(`aggregate store of this process: ${(caseStoreBytes(store) / 1e6).toFixed(0)} MB of typed arrays for ${store.n.toLocaleString("en-US")} cases; RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB (${(memoryBefore / 1e6).toFixed(0)} MB before DuckDB's section)`);
// every pair and triple of filter kinds, through reader processes with a time budget
await combinationSearch(e, url, floor);

const checkStart = performance.now();
// the search indexes by case id only: their term-by-term comparison takes minutes at a million cases
const mismatches = await derivedMismatches(e, { text: false });
console.log(`\nDerived figures (aggregate stores, search-index ids) against the base tables: ${mismatches.length === 0 ? "equal in every figure" : `${mismatches.length} differ`} (checked in ${((performance.now() - checkStart) / 1000).toFixed(1)} s)`);
if (mismatches.length) process.exitCode = 1;
await closeEngine(e);
console.log(`load average at the end: ${fs.existsSync("/proc/loadavg") ? fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ") : "?"}`);
