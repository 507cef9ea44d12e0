import { sql } from "drizzle-orm";
import { caseStore, DIMS, DIM_VALUES, type Dim } from "./aggregate/store";
import type { Engine } from "./engine";
import { ports } from "../lib/enums";
import {
  CHART_MONTHS, detectHotspots, HISTORY, HOTSPOT_DIMENSIONS, MIN_HISTORY, monthIndex, monthOfIndex,
  type HotspotDimension, type SeriesInput,
} from "../lib/hotspots";

// Hot spots (issue 18, item 3): the monthly case counts of every series (one per value of each
// dimension of lib/hotspots.ts HOTSPOT_DIMENSIONS) read through the aggregate store — ONE scan
// of its columns counts every dimension it holds at once, and one grouped read of the cases
// counts the two it does not (port, origin country) — then the test of lib/hotspots.ts, and the
// run with its flags kept in hotspot_runs / hotspot_flags, so that pages read a stored result.
//
// The refresh runs off the request path (db/hotspot-job.ts, started by instrumentation.ts):
// each server looks every few minutes and refreshes when the data changed since the last run
// (the change log's seq the store has applied), its evaluation month moved, or the last run is
// an hour old; a lease row (hotspot_lease) lets one server of several compute at a time.
// Over all live cases, never a member's scope: the result is for staff only (readRisk).

/** Months are counted as year·12 + month − 1. */
const monthOfYmd = (ymd: number) => Math.floor(ymd / 10000) * 12 + (Math.floor(ymd / 100) % 100) - 1;

/** The store's enumerated dimension of a hot-spot dimension, if it is one. */
const STORE_DIM: Partial<Record<HotspotDimension, Dim>> = { category: "category", channel: "channel", transport: "transport" };

export type MonthlyCounts = {
  /** the latest complete month of the data, "YYYY-MM" */
  evaluationMonth: string;
  /** the first month counted (at most HISTORY months before the evaluation month, never before the data's first month) */
  historyFrom: string;
  /** months from historyFrom to the evaluation month, both counted */
  months: number;
  /** the change-log seq of the data read */
  dataSeq: number;
  /** per dimension: value → counts by month (oldest first, the evaluation month last) */
  series: Map<HotspotDimension, Map<string, Int32Array>>;
};

/**
 * The monthly counts of live cases by every hot-spot dimension, from the aggregate store in one
 * scan. The evaluation month is the newest seizure month of the data, or the month before the
 * current one (of `now`, UTC) when the data reaches into it (a month not over yet). Null when
 * there are no cases.
 */
export async function monthlyCounts(e: Engine, now: Date): Promise<MonthlyCounts | null> {
  const s = await caseStore(e);
  const districtRows = await e.all<{ id: number | string; district: string }>(
    sql`select o.id as id, coalesce(d.code, o.code) as district from ${e.t.customsOffices} o left join ${e.t.customsOffices} d on d.id = o.district_id`,
  );
  let newest = -1;
  let oldest = Number.MAX_SAFE_INTEGER;
  for (let r = 0; r < s.n; r++) {
    if (s.live[r] !== 1) continue;
    const m = monthOfYmd(s.ymd[r]!);
    if (m > newest) newest = m;
    if (m < oldest) oldest = m;
  }
  if (newest < 0) return null;
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const evaluation = newest >= current ? current - 1 : newest;
  const from = Math.max(oldest, evaluation - HISTORY);
  const M = Math.max(0, evaluation - from + 1);

  // each dimension's values as codes 0…k−1 and a flat counts array [code · M + month]
  const districts = [...new Set(districtRows.map((r) => r.district))].sort();
  const districtCode = new Map(districts.map((d, i) => [d, i]));
  const districtOfOffice = new Int32Array(Math.max(s.maxOffice, ...districtRows.map((r) => Number(r.id))) + 1).fill(-1);
  for (const r of districtRows) districtOfOffice[Number(r.id)] = districtCode.get(r.district)!;
  // the port of each live case's route and its origin country are not in the store: one grouped
  // read of the months counted, by port, origin and month (the few ports are on a minority of
  // cases, so the groups stay about origins × months)
  const fromDate = `${monthOfIndex(from)}-01`;
  const toDate = `${monthOfIndex(evaluation + 1)}-01`;
  const routeRows = await e.all<{ port: string | null; origin: string | null; ym: string; n: number | string }>(
    sql`select port, origin_country as origin, substr(seized_on, 1, 7) as ym, count(*) as n from ${e.t.cases}
      where deleted_at is null and seized_on >= ${fromDate} and seized_on < ${toDate} and (port is not null or origin_country is not null)
      group by port, origin_country, substr(seized_on, 1, 7)`,
  );
  const origins = [...new Set(routeRows.flatMap((r) => (r.origin === null ? [] : [r.origin])))].sort();
  const values: Record<HotspotDimension, readonly string[]> = {
    district: districts,
    port: ports.values,
    origin: origins,
    category: DIM_VALUES[DIMS.indexOf("category")]!,
    channel: DIM_VALUES[DIMS.indexOf("channel")]!,
    transport: DIM_VALUES[DIMS.indexOf("transport")]!,
    holder: Array.from({ length: s.maxHolder + 1 }, (_, h) => String(h)),
  };
  const counts = new Map<HotspotDimension, Int32Array>(HOTSPOT_DIMENSIONS.map((d) => [d, new Int32Array(values[d].length * M)]));
  const district = counts.get("district")!;
  const holder = counts.get("holder")!;
  const enumerated = HOTSPOT_DIMENSIONS.flatMap((d) => (STORE_DIM[d] ? [{ codes: s.dims[DIMS.indexOf(STORE_DIM[d])]!, out: counts.get(d)! }] : []));
  for (let r = 0; r < s.n; r++) {
    if (s.live[r] !== 1) continue;
    const k = monthOfYmd(s.ymd[r]!) - from;
    if (k < 0 || k >= M) continue;
    const d = districtOfOffice[s.office[r]!] ?? -1;
    if (d >= 0) district[d * M + k]!++;
    for (const x of enumerated) x.out[x.codes[r]! * M + k]!++;
    const end = s.linkStart[r]! + s.linkCount[r]!;
    for (let i = s.linkStart[r]!; i < end; i++) holder[s.links[i]! * M + k]!++;
  }
  const port = counts.get("port")!;
  const origin = counts.get("origin")!;
  const portCode = new Map(ports.values.map((p, i) => [p as string, i]));
  const originCode = new Map(origins.map((o, i) => [o, i]));
  for (const r of routeRows) {
    const k = monthIndex(r.ym) - from;
    if (k < 0 || k >= M) continue;
    const p = r.port === null ? undefined : portCode.get(r.port);
    if (p !== undefined) port[p * M + k]! += Number(r.n);
    const o = r.origin === null ? undefined : originCode.get(r.origin);
    if (o !== undefined) origin[o * M + k]! += Number(r.n);
  }
  const series = new Map<HotspotDimension, Map<string, Int32Array>>();
  for (const dim of HOTSPOT_DIMENSIONS) {
    const flat = counts.get(dim)!;
    const byValue = new Map<string, Int32Array>();
    values[dim].forEach((v, code) => {
      const c = flat.subarray(code * M, code * M + M);
      if (c.some((x) => x > 0)) byValue.set(v, c);
    });
    series.set(dim, byValue);
  }
  return { evaluationMonth: monthOfIndex(evaluation), historyFrom: monthOfIndex(from), months: M, dataSeq: s.seq, series };
}

export type HotspotFlag = {
  dimension: HotspotDimension;
  value: string;
  observed: number;
  expected: number;
  p: number;
  q: number;
  /** the month of counts[0] */
  chartFrom: string;
  counts: number[];
};

export type HotspotRun = {
  id: number;
  ranAt: number;
  evaluationMonth: string;
  historyFrom: string;
  seriesCount: number;
  flagCount: number;
  tookMs: number;
  dataSeq: number;
};

export type HotspotResult = { run: HotspotRun | null; flags: HotspotFlag[] };

/** Runs kept (the newest); older ones and their flags are deleted by each refresh. */
const RUNS_KEPT = 5;

/** Computes the hot spots now and keeps the run (one transaction); returns it with its flags. */
export async function refreshHotspots(e: Engine, now = new Date()): Promise<HotspotResult & { run: HotspotRun }> {
  const started = performance.now();
  const counts = await monthlyCounts(e, now);
  const flags: HotspotFlag[] = [];
  let seriesCount = 0;
  if (counts && counts.months >= MIN_HISTORY + 1) {
    const inputs: SeriesInput<{ dimension: HotspotDimension; value: string; counts: Int32Array }>[] = [];
    const firstMonthOfYear = Number(counts.historyFrom.slice(5, 7)) - 1;
    for (const [dimension, byValue] of counts.series) {
      for (const [value, c] of byValue) inputs.push({ key: { dimension, value, counts: c }, counts: Array.from(c), firstMonthOfYear });
    }
    const results = detectHotspots(inputs);
    seriesCount = results.length;
    const chartStart = Math.max(0, counts.months - CHART_MONTHS);
    const fromIndex = Number(counts.historyFrom.slice(0, 4)) * 12 + firstMonthOfYear;
    for (const r of results) {
      if (!r.flagged) continue;
      flags.push({
        dimension: r.key.dimension, value: r.key.value, observed: r.observed, expected: r.expected, p: r.p, q: r.q,
        chartFrom: monthOfIndex(fromIndex + chartStart), counts: Array.from(r.key.counts.subarray(chartStart)),
      });
    }
    flags.sort((a, b) => a.q - b.q || a.p - b.p || a.dimension.localeCompare(b.dimension) || a.value.localeCompare(b.value));
  }
  const tookMs = Math.round(performance.now() - started);
  const { hotspotRuns, hotspotFlags } = e.t;
  const run = await e.transaction(async (tx) => {
    const row = await tx.get<{ id: number | string }>(sql`insert into ${hotspotRuns} (ran_at, evaluation_month, history_from, series_count, flag_count, took_ms, data_seq)
      values (${now.getTime()}, ${counts?.evaluationMonth ?? ""}, ${counts?.historyFrom ?? ""}, ${seriesCount}, ${flags.length}, ${tookMs}, ${counts?.dataSeq ?? 0}) returning id`);
    const id = Number(row!.id);
    for (let i = 0; i < flags.length; i += 200) {
      const part = flags.slice(i, i + 200).map((f) =>
        sql`(${id}, ${f.dimension}, ${f.value}, ${f.observed}, ${Math.round(f.expected * 1000)}, ${String(f.p)}, ${String(f.q)}, ${f.chartFrom}, ${JSON.stringify(f.counts)})`);
      await tx.run(sql`insert into ${hotspotFlags} (run_id, dimension, value, observed, expected_milli, p, q, chart_from, counts) values ${sql.join(part, sql`, `)}`);
    }
    const old = await tx.all<{ id: number | string }>(sql`select id from ${hotspotRuns} order by id desc limit 1000 offset ${RUNS_KEPT}`);
    if (old.length) {
      const ids = old.map((r) => Number(r.id));
      await tx.run(sql`delete from ${hotspotFlags} where ${tx.say.inList(sql`run_id`, ids)}`);
      await tx.run(sql`delete from ${hotspotRuns} where ${tx.say.inList(sql`id`, ids)}`);
    }
    return id;
  });
  return {
    run: {
      id: run, ranAt: now.getTime(), evaluationMonth: counts?.evaluationMonth ?? "", historyFrom: counts?.historyFrom ?? "",
      seriesCount, flagCount: flags.length, tookMs, dataSeq: counts?.dataSeq ?? 0,
    },
    flags,
  };
}

function runOf(r: Record<string, unknown>): HotspotRun {
  return {
    id: Number(r.id), ranAt: Number(r.ranAt), evaluationMonth: String(r.evaluationMonth), historyFrom: String(r.historyFrom),
    seriesCount: Number(r.seriesCount), flagCount: Number(r.flagCount), tookMs: Number(r.tookMs), dataSeq: Number(r.dataSeq),
  };
}

/** The newest run, or null before the first. */
export async function latestRun(e: Engine): Promise<HotspotRun | null> {
  const row = await e.get<Record<string, unknown>>(sql`select id, ran_at as "ranAt", evaluation_month as "evaluationMonth", history_from as "historyFrom",
    series_count as "seriesCount", flag_count as "flagCount", took_ms as "tookMs", data_seq as "dataSeq" from ${e.t.hotspotRuns} order by id desc limit 1`);
  return row ? runOf(row) : null;
}

/** The newest run and its flags (by q). */
export async function readHotspots(e: Engine): Promise<HotspotResult> {
  const run = await latestRun(e);
  if (!run) return { run: null, flags: [] };
  const rows = await e.all<Record<string, unknown>>(sql`select dimension, value, observed, expected_milli as "expectedMilli", p, q, chart_from as "chartFrom", counts
    from ${e.t.hotspotFlags} where run_id = ${run.id} order by id`);
  const flags = rows.map((r) => ({
    dimension: r.dimension as HotspotDimension, value: String(r.value), observed: Number(r.observed), expected: Number(r.expectedMilli) / 1000,
    p: Number(r.p), q: Number(r.q), chartFrom: String(r.chartFrom), counts: JSON.parse(String(r.counts)) as number[],
  }));
  flags.sort((a, b) => a.q - b.q || a.p - b.p);
  return { run, flags };
}

const LEASE_NAME = "refresh";

/** Takes the refresh lease for `owner` until now + ms when free, expired, or already its own. */
export async function claimHotspotLease(e: Engine, owner: string, now: number, ms: number): Promise<boolean> {
  const { hotspotLease } = e.t;
  await e.run(sql`insert into ${hotspotLease} (name, owner, lease_until) values (${LEASE_NAME}, '', 0) on conflict (name) do nothing`);
  const rows = await e.all(sql`update ${hotspotLease} set owner = ${owner}, lease_until = ${now + ms}
    where name = ${LEASE_NAME} and (lease_until <= ${now} or owner = ${owner}) returning owner`);
  return rows.length > 0;
}

/** Gives the lease back (when still `owner`'s). */
export async function releaseHotspotLease(e: Engine, owner: string): Promise<void> {
  await e.run(sql`update ${e.t.hotspotLease} set lease_until = 0 where name = ${LEASE_NAME} and owner = ${owner}`);
}

/** Refresh when older than this even if nothing changed (the clock may move the evaluation month). */
export const REFRESH_EVERY_MS = 60 * 60_000;
const LEASE_MS = 5 * 60_000;

/**
 * One look of the periodic job: refreshes when there is no run yet, the data changed since the
 * last (the store's change-log seq), or the last is REFRESH_EVERY_MS old — and only while this
 * owner holds the lease. Returns the new run, or null when nothing was done.
 */
export async function refreshHotspotsIfDue(e: Engine, owner: string, now = new Date()): Promise<HotspotRun | null> {
  const last = await latestRun(e);
  const seq = (await caseStore(e)).seq;
  if (last && last.dataSeq === seq && now.getTime() - last.ranAt < REFRESH_EVERY_MS) return null;
  if (!(await claimHotspotLease(e, owner, now.getTime(), LEASE_MS))) return null;
  try {
    // another server may have refreshed while this one waited for the lease
    const again = await latestRun(e);
    if (again && again.id !== last?.id && again.dataSeq === seq && now.getTime() - again.ranAt < REFRESH_EVERY_MS) return null;
    return (await refreshHotspots(e, now)).run;
  } finally {
    await releaseHotspotLease(e, owner);
  }
}

/** The full-scan floor (SELECT SUM(pieces) FROM cases), in ms: the anchor `npm run hotspots` states the refresh beside. */
export async function fullScanFloorMs(e: Engine): Promise<number> {
  const t0 = performance.now();
  await e.get(sql`select sum(pieces) from cases`);
  return performance.now() - t0;
}
