// The aggregate store against DuckDB, side by side in one run (issue 14): the same live rows
// are loaded into DuckDB (ENUM columns, 2 threads); then for random filter combinations drawn
// from every filter kind (seeded, lib/prng.ts) every figure of /api/stats is computed afresh
// by the app (getDashboardStats after forgetKeptAnswers: the aggregate store, its planner and
// its own text-search lookup) and by DuckDB (one GROUPING SETS query for the totals and every
// dimension, one for the right holders, one for the industries, one for the previous period),
// the answers are compared, and the median and p95 of each side are printed.
//
// For `q` DuckDB is given the ids the engine's search index matches (SQLite's FTS5 tables,
// PostgreSQL's tsvectors), as a table (DuckDB has no such index); the time of that lookup is
// not counted on its side, while the app's time includes its own lookup.
//
// DuckDB reads the same live rows on either engine, written to tab-separated files first: on
// SQLite by iterating the rows, on PostgreSQL with `COPY (select …) TO STDOUT` (text format,
// tab-separated, the same columns), streamed into the file. DuckDB then holds its own columnar
// copy in memory, so its side of the comparison does not depend on the engine the app runs on;
// only the app's side does.
//
//   npm run bench                        (this section runs at its end; BENCH_DUCKDB_COMBOS=120 by default)
//   tsx --conditions=react-server tests/bench/duckdb.ts   (this section alone, on DATABASE_URL or data/bench-1000000.db)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { to as copyTo } from "pg-copy-streams";
import { postgresPoolOf, sqliteConnectionOf, type Engine } from "../../db/engine";
import { forgetKeptAnswers, getDashboardStats, type DashboardStats } from "../../db/queries/stats";
import { caseStore, caseStoreBytes } from "../../db/aggregate/store";
import { textMatch } from "../../db/case-filters";
import {
  caseStatuses, channels, directions, disposalFilterValues, goodsCategories, industries, infringementTypes, protectionModes, transports,
} from "../../lib/enums";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { previousPeriod } from "../../lib/period";
import { createRandom, type Random } from "../../lib/prng";

const ENUMS = {
  type: infringementTypes.values, category: goodsCategories.values, direction: directions.values, channel: channels.values,
  transport: transports.values, mode: protectionModes.values, status: caseStatuses.values, disposal: disposalFilterValues.values,
} as const;
type EnumDim = keyof typeof ENUMS;
const ENUM_DIMS = Object.keys(ENUMS) as EnumDim[];
const KINDS = ["dates", "district", "office", ...ENUM_DIMS, "campaign", "holder", "industry", "q", "origin"] as const;

function pct(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const list = (xs: readonly (string | number)[]) => `(${xs.map((x) => (typeof x === "number" ? String(x) : lit(x))).join(", ")})`;

/** Real values for every filter kind, from the data. */
async function valuePools(e: Engine) {
  const col = async <T>(q: string) => (await e.all<Record<string, T>>(sql.raw(q))).map((r) => Object.values(r)[0]!);
  return {
    districts: await col<string>("select code from customs_offices where district_id is null order by id"),
    offices: await col<string>("select code from customs_offices where district_id is not null order by id"),
    campaigns: await col<string>("select code from campaigns order by id"),
    origins: await col<string>("select distinct origin_country from cases where origin_country is not null order by 1"),
    holders: (await col<number>("select right_holder_id from case_right_holders group by 1 order by 1")).map(Number),
    words: [
      "counterfeit", "handbags", "brake pads", "wristwatches", "8600-2016", "5300-2021",
      ...(await col<string>("select name from right_holders order by id limit 40")).map((n) => n.split(/\s+/)[0]!).filter((w) => /^[A-Za-z]{4,}$/.test(w)),
    ],
  };
}

function randomFilters(random: Random, pools: Awaited<ReturnType<typeof valuePools>>): { filters: Filters; label: string } {
  const n = random.weighted([[1, 3], [2, 3], [3, 2], [4, 1]] as const);
  const kinds = random.shuffle([...KINDS]).slice(0, n);
  const f: Filters = { ...EMPTY_FILTERS };
  const some = <T>(items: readonly T[], max: number) => random.shuffle([...items]).slice(0, random.int(1, max));
  const day = () => `${random.int(2012, 2025)}-${String(random.int(1, 12)).padStart(2, "0")}-${String(random.int(1, 28)).padStart(2, "0")}`;
  for (const kind of kinds) {
    if (kind === "dates") {
      const shape = random.int(0, 3);
      if (shape === 0) {
        const y = random.int(2012, 2025);
        f.from = `${y}-01-01`;
        f.to = `${y + random.int(0, 3)}-12-31`;
      } else {
        const [a, b] = [day(), day()].sort();
        if (shape !== 2) f.from = a!;
        if (shape !== 3) f.to = b!;
      }
    } else if (kind === "district") f.district = some(pools.districts, 2);
    else if (kind === "office") f.office = some(pools.offices, 2);
    else if (kind === "campaign") f.campaign = some(pools.campaigns, 1);
    else if (kind === "holder") f.holder = some(pools.holders, 3);
    else if (kind === "industry") f.industry = some(industries.values, 2);
    else if (kind === "q") f.q = random.pick(pools.words);
    else if (kind === "origin") f.origin = some(pools.origins, 2);
    else (f as Record<string, unknown>)[kind] = some(ENUMS[kind], 2);
  }
  return { filters: f, label: kinds.map((k) => (k === "dates" ? `${f.from ?? "…"}…${f.to ?? "…"}` : `${k}=${JSON.stringify((f as Record<string, unknown>)[k])}`)).join(" ") };
}

async function loadDuckDb(e: Engine, dir: string): Promise<DuckDBConnection> {
  const sqlite = sqliteConnectionOf(e);
  const pool = postgresPoolOf(e);
  const write = async (file: string, query: string) => {
    if (pool) {
      // PostgreSQL: COPY's text format is already tab-separated lines (none of these columns is null)
      const client = await pool.connect();
      try {
        await pipeline(client.query(copyTo(`copy (${query}) to stdout`)), fs.createWriteStream(path.join(dir, file)));
      } finally {
        client.release();
      }
      return;
    }
    const s = sqlite!;
    const out = fs.openSync(path.join(dir, file), "w");
    let buffer: string[] = [];
    for (const row of s.prepare(query).raw(true).iterate() as Iterable<unknown[]>) {
      buffer.push(row.map((v) => (v === null ? "" : String(v))).join("\t"));
      if (buffer.length === 50_000) {
        fs.writeSync(out, buffer.join("\n") + "\n");
        buffer = [];
      }
    }
    if (buffer.length) fs.writeSync(out, buffer.join("\n") + "\n");
    fs.closeSync(out);
  };
  await write("cases.tsv", `select id, seized_on, office_id, coalesce(campaign_id, 0), infringement_type, goods_category, direction, channel, transport,
    protection_mode, status, coalesce(disposal, 'none'), pieces, value_fen, coalesce(origin_country, '') from cases where deleted_at is null`);
  await write("links.tsv", `select l.case_id, l.right_holder_id, h.industry from case_right_holders l join right_holders h on h.id = l.right_holder_id
    where l.case_id in (select id from cases where deleted_at is null)`);
  await write("offices.tsv", "select id, code, coalesce(district_id, id) from customs_offices");
  await write("campaigns.tsv", "select id, code from campaigns");

  const instance = await DuckDBInstance.create(":memory:");
  const duck = await instance.connect();
  await duck.run("SET threads = 2");
  for (const [dim, values] of Object.entries(ENUMS)) await duck.run(`create type e_${dim} as enum ${list(values)}`);
  await duck.run(`create type e_industry as enum ${list(industries.values)}`);
  const csv = (file: string, columns: string) => `read_csv(${lit(path.join(dir, file))}, delim = '\t', header = false, columns = {${columns}})`;
  await duck.run(`create table cases as select id, seized_on, year(seized_on) as year, office_id, campaign_id,
      type::e_type as type, category::e_category as category, direction::e_direction as direction, channel::e_channel as channel,
      transport::e_transport as transport, mode::e_mode as mode, status::e_status as status, disposal::e_disposal as disposal, pieces, value_fen, origin
    from ${csv("cases.tsv", "'id': 'INTEGER', 'seized_on': 'DATE', 'office_id': 'INTEGER', 'campaign_id': 'INTEGER', 'type': 'VARCHAR', 'category': 'VARCHAR', 'direction': 'VARCHAR', 'channel': 'VARCHAR', 'transport': 'VARCHAR', 'mode': 'VARCHAR', 'status': 'VARCHAR', 'disposal': 'VARCHAR', 'pieces': 'BIGINT', 'value_fen': 'BIGINT', 'origin': 'VARCHAR'")}`);
  await duck.run(`create table links as select case_id, right_holder_id, industry::e_industry as industry
    from ${csv("links.tsv", "'case_id': 'INTEGER', 'right_holder_id': 'INTEGER', 'industry': 'VARCHAR'")}`);
  await duck.run(`create table offices as select * from ${csv("offices.tsv", "'id': 'INTEGER', 'code': 'VARCHAR', 'district_id': 'INTEGER'")}`);
  await duck.run(`create table campaigns as select * from ${csv("campaigns.tsv", "'id': 'INTEGER', 'code': 'VARCHAR'")}`);
  await duck.run("create table qids (id INTEGER)");
  return duck;
}

function duckWhere(f: Filters, from: string | null, to: string | null): string {
  const parts = ["true"];
  if (from) parts.push(`seized_on >= DATE ${lit(from)}`);
  if (to) parts.push(`seized_on <= DATE ${lit(to)}`);
  if (f.district.length) parts.push(`office_id in (select id from offices where district_id in (select id from offices where code in ${list(f.district)}) or code in ${list(f.district)})`);
  if (f.office.length) parts.push(`office_id in (select id from offices where code in ${list(f.office)})`);
  for (const d of ENUM_DIMS) if ((f[d] as string[]).length) parts.push(`${d} in ${list(f[d] as string[])}`);
  if (f.campaign.length) parts.push(`campaign_id in (select id from campaigns where code in ${list(f.campaign)})`);
  if (f.holder.length) parts.push(`id in (select case_id from links where right_holder_id in ${list(f.holder)})`);
  if (f.industry.length) parts.push(`id in (select case_id from links where industry in ${list(f.industry)})`);
  if (f.q) parts.push("id in (select id from qids)");
  if (f.origin.length) parts.push(`origin in ${list(f.origin)}`);
  return parts.join(" and ");
}

type Normal = Map<string, string>;
const fig = (c: number, p: number, v: number) => `${c}/${p}/${v}`;

/** Every figure of /api/stats as key → "cases/pieces/value" (zero rows left out). */
function normalApp(d: DashboardStats): Normal {
  const out: Normal = new Map();
  const put = (k: string, x: { cases: number; pieces: number; valueFen: number }) => x.cases && out.set(k, fig(x.cases, x.pieces, x.valueFen));
  put("all", d.kpis);
  out.set("holders", String(d.kpis.rightHolders));
  if (d.previous) {
    put("prev", d.previous.kpis);
    out.set("prevHolders", String(d.previous.kpis.rightHolders));
  }
  for (const y of d.byYear) put(`year:${y.year}`, y);
  for (const o of d.byOffice) put(`office:${o.code}`, o);
  for (const o of d.byDistrict) put(`district:${o.code}`, o);
  const dims: [string, { value: string; cases: number; pieces: number; valueFen: number }[]][] = [
    ["type", d.byType], ["category", d.byCategory], ["direction", d.byDirection], ["channel", d.byChannel], ["transport", d.byTransport],
    ["mode", d.byMode], ["status", d.byStatus], ["disposal", d.byDisposal], ["industry", d.byIndustry],
  ];
  for (const [dim, rows] of dims) for (const r of rows) put(`${dim}:${r.value}`, r);
  return out;
}

async function duckFigures(duck: DuckDBConnection, f: Filters, previous: { from: string; to: string } | null, offices: Map<number, { code: string; district: string }>): Promise<Normal> {
  const out: Normal = new Map();
  const where = duckWhere(f, f.from, f.to);
  const groups = ["year", "office_id", ...ENUM_DIMS];
  const rows = (await duck.runAndReadAll(`select ${groups.join(", ")}, grouping(${groups.join(", ")}) as g, count(*) as n, sum(pieces) as p, sum(value_fen) as v
    from cases where ${where} group by grouping sets ((), ${groups.map((g) => `(${g})`).join(", ")})`)).getRowsJS();
  const all = (1 << groups.length) - 1;
  const districts = new Map<string, [number, number, number]>();
  let sawAll = false;
  for (const r of rows) {
    const g = Number(r[groups.length]);
    const n = Number(r[groups.length + 1]), p = Number(r[groups.length + 2]), v = Number(r[groups.length + 3]);
    if (g === all) {
      sawAll = n > 0;
      if (n) out.set("all", fig(n, p, v));
      continue;
    }
    const i = groups.findIndex((_, k) => ((g >> (groups.length - 1 - k)) & 1) === 0);
    const key = r[i];
    if (groups[i] === "year") out.set(`year:${key}`, fig(n, p, v));
    else if (groups[i] === "office_id") {
      const o = offices.get(Number(key))!;
      out.set(`office:${o.code}`, fig(n, p, v));
      const d = districts.get(o.district) ?? [0, 0, 0];
      districts.set(o.district, [d[0] + n, d[1] + p, d[2] + v]);
    } else out.set(`${groups[i]}:${key}`, fig(n, p, v));
  }
  for (const [code, [n, p, v]] of districts) out.set(`district:${code}`, fig(n, p, v));
  const holders = (await duck.runAndReadAll(`select count(distinct right_holder_id) from links where case_id in (select id from cases where ${where})`)).getRowsJS();
  out.set("holders", String(Number(holders[0]![0])));
  if (sawAll) {
    const industries = (await duck.runAndReadAll(`select industry, count(*), sum(pieces), sum(value_fen) from
      (select distinct c.id, l.industry, c.pieces, c.value_fen from cases c join links l on l.case_id = c.id where ${where.replace(/\bid in\b/g, "c.id in")}) group by 1`)).getRowsJS();
    for (const r of industries) out.set(`industry:${r[0]}`, fig(Number(r[1]), Number(r[2]), Number(r[3])));
  }
  if (previous) {
    const pw = duckWhere(f, previous.from, previous.to);
    const p = (await duck.runAndReadAll(`select count(*), sum(pieces), sum(value_fen), (select count(distinct right_holder_id) from links where case_id in (select id from cases where ${pw}))
      from cases where ${pw}`)).getRowsJS()[0]!;
    if (Number(p[0])) out.set("prev", fig(Number(p[0]), Number(p[1]), Number(p[2])));
    out.set("prevHolders", String(Number(p[3])));
  }
  return out;
}

export async function duckdbComparison(e: Engine): Promise<boolean> {
  const combos = Number(process.env.BENCH_DUCKDB_COMBOS ?? 120);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-duckdb-"));
  const today = new Date("2026-06-30T12:00:00Z");
  try {
    let t0 = performance.now();
    const duck = await loadDuckDb(e, dir);
    console.log(`\nDuckDB: live cases loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s (ENUM columns, threads=2; read from ${e.dialect === "postgres" ? "PostgreSQL by COPY … TO STDOUT" : "SQLite"} into TSV files)`);
    const rss0 = process.memoryUsage().rss;
    t0 = performance.now();
    const store = await caseStore(e);
    console.log(`aggregate store: ${store.n.toLocaleString("en-US")} rows, ${(caseStoreBytes(store) / 1e6).toFixed(0)} MB of arrays (RSS ${(rss0 / 1e6).toFixed(0)} MB)`);
    const offices = new Map(
      (await e.all<{ id: number; code: string; district: string }>(sql`select o.id, o.code, d.code as district from customs_offices o join customs_offices d on d.id = coalesce(o.district_id, o.id)`))
        .map((o) => [o.id, { code: o.code, district: o.district }]),
    );
    const random = createRandom(14);
    const pools = await valuePools(e);
    const app: number[] = [];
    const ddb: number[] = [];
    const rows: { label: string; app: number; duck: number }[] = [];
    let mismatched = 0;
    for (let i = 0; i < combos; i++) {
      const { filters, label } = randomFilters(random, pools);
      // the app: afresh, its own text lookup included
      let start = performance.now();
      forgetKeptAnswers(e);
      const stats = await getDashboardStats(e, filters, {}, today);
      const appMs = performance.now() - start;
      // DuckDB: the text matches as a table (not timed)
      await duck.run("delete from qids");
      if (filters.q) {
        const m = await textMatch(e, filters.q, null);
        const ids = m && m !== "nothing" ? (await e.all<Record<string, number>>(m)).map((r) => Number(Object.values(r)[0])) : [];
        for (let k = 0; k < ids.length; k += 50_000) await duck.run(`insert into qids select unnest([${ids.slice(k, k + 50_000).join(",")}]::INTEGER[])`);
      }
      start = performance.now();
      const theirs = await duckFigures(duck, filters, previousPeriod(filters.from, filters.to, today), offices);
      const duckMs = performance.now() - start;
      const mine = normalApp(stats);
      const keys = new Set([...mine.keys(), ...theirs.keys()]);
      const differ = [...keys].filter((k) => mine.get(k) !== theirs.get(k) && !(k.endsWith("olders") && (mine.get(k) ?? "0") === (theirs.get(k) ?? "0")));
      if (differ.length) {
        mismatched++;
        console.log(`  DIFFERENT: ${label}: ${differ.slice(0, 4).map((k) => `${k} app ${mine.get(k)} duckdb ${theirs.get(k)}`).join("; ")}`);
      }
      app.push(appMs);
      ddb.push(duckMs);
      rows.push({ label, app: appMs, duck: duckMs });
    }
    const [a50, a95, d50, d95] = [pct(app, 50), pct(app, 95), pct(ddb, 50), pct(ddb, 95)];
    console.log(`\n/api/stats figures afresh, ${combos} random filter combinations (seed 14; 1–4 kinds of ${KINDS.length}), app vs DuckDB`);
    console.log(`  app (aggregate store)  p50 ${a50.toFixed(1).padStart(7)} ms  p95 ${a95.toFixed(1).padStart(7)} ms  max ${Math.max(...app).toFixed(1)} ms`);
    console.log(`  DuckDB 1.5 (2 threads) p50 ${d50.toFixed(1).padStart(7)} ms  p95 ${d95.toFixed(1).padStart(7)} ms  max ${Math.max(...ddb).toFixed(1)} ms`);
    console.log(`  ratio app ÷ DuckDB     p50 ${(a50 / d50).toFixed(2)} (target ≤ 0.5 ${a50 <= 0.5 * d50 ? "ok" : "OVER"})  p95 ${(a95 / d95).toFixed(2)} (target ≤ 1 ${a95 <= d95 ? "ok" : "OVER"})`);
    console.log(`  answers equal in ${combos - mismatched} of ${combos} combinations`);
    if (process.env.BENCH_VERBOSE) for (const r of rows.sort((x, y) => y.app - x.app).slice(0, 10)) console.log(`  slowest app: ${r.app.toFixed(1)} ms (DuckDB ${r.duck.toFixed(1)} ms) ${r.label}`);
    duck.closeSync();
    return mismatched === 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// this section alone
if (process.argv[1] && /duckdb\.ts$/.test(process.argv[1])) {
  const { closeEngine, migrateEngine, openEngine } = await import("../../db/open");
  const url = process.env.DATABASE_URL?.trim() || "file:data/bench-1000000.db";
  await migrateEngine(url);
  const e = openEngine(url, { server: true });
  const ok = await duckdbComparison(e);
  if (!ok) process.exitCode = 1;
  await closeEngine(e);
}
