import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../db/engine";
import { compareKpis, getDashboardStats, type Kpis } from "../../db/queries/stats";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { comparisonPeriod, type ComparisonSpec } from "../../lib/period";
import { ENGINES } from "../support/engines";
import { sameData, seeded, type SameData } from "../support/same-data";

// The chosen comparison (issue 20, item 2) against SQL: for each kind — the previous period,
// the same period a year earlier, any period — the comparison period's KPIs and its figures
// by year equal a direct count and sum over the cases with the same filter and the
// comparison's dates; for a member, over its own cases and its own links only. On both engines.

const TODAY = new Date("2025-05-10T12:00:00Z");

let t: SameData;
let e: Engine;
let oracle: Database.Database;
const ref = { holder: 0, leapCases: 0 };

const f = (over: Partial<Filters>): Filters => ({ ...EMPTY_FILTERS, ...over });
const inDistrict = (code: string) =>
  `(o.code = '${code}' or o.district_id = (select id from customs_offices where code = '${code}'))`;
const ofHolder = (id: number) => `c.id in (select case_id from case_right_holders where right_holder_id = ${id})`;

function all<T>(query: string): T[] {
  return oracle.prepare(query).all() as T[];
}

function matching(where: string, from: string, to: string): string {
  return `with m as (select c.* from cases c join customs_offices o on o.id = c.office_id
    where c.deleted_at is null and (${where}) and c.seized_on between '${from}' and '${to}')`;
}

/** KPIs by hand: count, sums, distinct right holders (a member: its own links), the rounded average. */
function sqlKpis(where: string, from: string, to: string, own?: number): Kpis {
  const cte = matching(where, from, to);
  const totals = all<{ cases: number; pieces: number; valueFen: number }>(
    `${cte} select count(*) as cases, coalesce(sum(pieces), 0) as pieces, coalesce(sum(value_fen), 0) as valueFen from m`,
  )[0]!;
  const holders = all<{ n: number }>(`${cte} select count(distinct l.right_holder_id) as n from m join case_right_holders l on l.case_id = m.id
    ${own ? `and l.right_holder_id = ${own}` : ""}`)[0]!.n;
  return { ...totals, rightHolders: holders, avgValueFen: totals.cases ? Math.round(totals.valueFen / totals.cases) : null };
}

function sqlYears(where: string, from: string, to: string) {
  return all<{ year: number; cases: number; pieces: number; valueFen: number }>(`${matching(where, from, to)}
    select cast(substr(seized_on, 1, 4) as integer) as year, count(*) as cases, coalesce(sum(pieces), 0) as pieces, coalesce(sum(value_fen), 0) as valueFen
    from m group by 1 order by 1`);
}

const PREV: ComparisonSpec = { kind: "prev" };
const YOY: ComparisonSpec = { kind: "yoy" };
const custom = (from: string, to: string): ComparisonSpec => ({ kind: "custom", from, to });

type Case = { label: string; filters: () => Filters; where: () => string; spec: ComparisonSpec; period: [string, string] | null };
const CASES: Case[] = [
  { label: "prev, Q1 2024", filters: () => f({ from: "2024-01-01", to: "2024-03-31" }), where: () => "1", spec: PREV, period: ["2023-10-01", "2023-12-31"] },
  { label: "prev, February 2024 (a leap month), district 5300", filters: () => f({ from: "2024-02-01", to: "2024-02-29", district: ["5300"] }), where: () => inDistrict("5300"), spec: PREV, period: ["2024-01-01", "2024-01-31"] },
  { label: "yoy, 2024 (a leap year)", filters: () => f({ from: "2024-01-01", to: "2024-12-31" }), where: () => "1", spec: YOY, period: ["2023-01-01", "2023-12-31"] },
  { label: "yoy, February 2024 → February 2023", filters: () => f({ from: "2024-02-01", to: "2024-02-29" }), where: () => "1", spec: YOY, period: ["2023-02-01", "2023-02-28"] },
  { label: "yoy, the leap day alone → 28 Feb 2023", filters: () => f({ from: "2024-02-29", to: "2024-02-29" }), where: () => "1", spec: YOY, period: ["2023-02-28", "2023-02-28"] },
  { label: "yoy, February 2025 → February 2024 with its leap day", filters: () => f({ from: "2025-02-01", to: "2025-02-28" }), where: () => "1", spec: YOY, period: ["2024-02-01", "2024-02-29"] },
  { label: "yoy, trademark exports 2019-03-15 … 2020-06-30", filters: () => f({ from: "2019-03-15", to: "2020-06-30", type: ["trademark"], direction: ["export"] }), where: () => "c.infringement_type = 'trademark' and c.direction = 'export'", spec: YOY, period: ["2018-03-15", "2019-06-30"] },
  { label: "yoy, this year so far (an open end: partial)", filters: () => f({ from: "2025-01-01" }), where: () => "1", spec: YOY, period: ["2024-01-01", "2024-12-31"] },
  { label: "custom, 2020 against 2016–2017, district 5300", filters: () => f({ from: "2020-01-01", to: "2020-12-31", district: ["5300"] }), where: () => inDistrict("5300"), spec: custom("2016-01-01", "2017-12-31"), period: ["2016-01-01", "2017-12-31"] },
  { label: "custom, no dates of its own filter", filters: () => f({ channel: ["express"] }), where: () => "c.channel = 'express'", spec: custom("2018-07-01", "2018-09-30"), period: ["2018-07-01", "2018-09-30"] },
  { label: "custom, reaching past today and before the first case (partial)", filters: () => f({ from: "2024-01-01", to: "2024-12-31" }), where: () => "1", spec: custom("2011-06-01", "2025-12-31"), period: ["2011-06-01", "2025-12-31"] },
  { label: "yoy without a start: nothing to compare with", filters: () => f({ to: "2020-12-31" }), where: () => "1", spec: YOY, period: null },
];

async function fill(s: Database.Database, se: Engine) {
  oracle = s;
  // seed 5 puts cases on 29 Feb 2024 and on 28 Feb 2023 (the leap day and where a year earlier takes it)
  ref.holder = (s.prepare("select right_holder_id as id from case_right_holders group by 1 order by count(*) desc, 1 limit 1").get() as { id: number }).id;
  ref.leapCases = (s.prepare("select count(*) as n from cases where seized_on = '2024-02-29' and deleted_at is null").get() as { n: number }).n;
}

describe.each(ENGINES)("the chosen comparison against SQL on %s", (dialect) => {
  beforeAll(async () => {
    t = await sameData(dialect, "comparison", seeded({ cases: 8_000, seed: 5 }, fill));
    e = t.e;
  }, 180_000);
  afterAll(() => t?.close());

  it("has cases on the leap day and in most compared periods", () => {
    expect(ref.leapCases).toBeGreaterThan(0);
    const withCases = CASES.filter((c) => c.period && sqlKpis(c.where(), c.period[0], c.period[1]).cases > 0);
    expect(withCases.length).toBeGreaterThanOrEqual(CASES.length - 2);
  });

  describe.each(CASES.map((c) => [c.label, c] as const))("%s", (_label, c) => {
    it("the comparison's period, KPIs, differences and years equal SQL over the cases", async () => {
      const filters = c.filters();
      const stats = await getDashboardStats(e, filters, {}, TODAY, c.spec);
      expect(comparisonPeriod(c.spec, filters.from, filters.to, TODAY)).toEqual(c.period && { from: c.period[0], to: c.period[1] });
      expect(stats.comparison.kind).toBe(c.spec.kind);
      if (!c.period) {
        expect(stats.comparison.period).toBeNull();
        expect(stats.previous).toBeNull();
        const k = await compareKpis(e, filters, c.spec, {}, TODAY);
        expect(k).toMatchObject({ comparison: null, differences: null, note: "noStart" });
        return;
      }
      const [from, to] = c.period;
      const expected = sqlKpis(c.where(), from, to);
      const period = stats.comparison.period!;
      expect({ from: period.from, to: period.to }).toEqual({ from, to });
      expect(period.kpis).toEqual(expected);
      expect(period.byYear.filter((y) => y.cases > 0)).toEqual(sqlYears(c.where(), from, to));
      // the differences: exact (money to the fen), per cent only of a base above 0
      expect(period.differences.cases.absolute).toBe(stats.kpis.cases - expected.cases);
      expect(period.differences.valueFen.absolute).toBe(stats.kpis.valueFen - expected.valueFen);
      expect(period.differences.cases.percent).toBe(expected.cases ? ((stats.kpis.cases - expected.cases) / expected.cases) * 100 : null);
      // the previous period (today's field) only when it is the chosen comparison
      expect(stats.previous).toEqual(c.spec.kind === "prev" ? { from, to, kpis: expected } : null);

      // compareKpis: the same figures for any caller
      const k = await compareKpis(e, filters, c.spec, {}, TODAY);
      expect(k.current.kpis).toEqual(stats.kpis);
      expect(k.comparison).toEqual({ from, to, partial: period.partial, kpis: expected });
      expect(k.differences).toEqual(period.differences);
      expect(k.note).toBeNull();
    });
  });

  it("marks partial periods: one running past today, one starting before the first case", async () => {
    const first = all<{ d: string }>("select min(seized_on) as d from cases where deleted_at is null")[0]!.d;
    expect(first >= "2011-06-01").toBe(true);
    const open = await compareKpis(e, f({ from: "2025-01-01" }), YOY, {}, TODAY);
    expect(open.current.partial).toBe(true); // runs to the end of 2025, after 10 May
    expect(open.comparison!.partial).toBe(false); // 2024 is behind us and has cases from its start
    const whole = await compareKpis(e, f({ from: "2024-01-01", to: "2024-12-31" }), custom("2011-06-01", "2025-12-31"), {}, TODAY);
    expect(whole.current.partial).toBe(false);
    expect(whole.comparison!.partial).toBe(true);
    const before = await compareKpis(e, f({ from: "2024-01-01", to: "2024-12-31" }), custom("2011-01-01", "2011-12-31"), {}, TODAY);
    expect(before.comparison!.partial).toBe(true); // the data start in 2012
    expect(before.comparison!.kpis.cases).toBe(0);
    expect(before.differences!.cases.percent).toBeNull(); // no per cent of nothing
  });

  describe("a member: both periods over its own cases and its own links only", () => {
    it.each([
      ["prev", f({ from: "2024-01-01", to: "2024-06-30" }), PREV],
      ["yoy", f({ from: "2024-02-01", to: "2024-02-29" }), YOY],
      ["custom", f({ from: "2023-01-01", to: "2023-12-31" }), custom("2019-01-01", "2020-12-31")],
    ] as const)("%s", async (_kind, filters, spec) => {
      const own = { restrictToHolders: [ref.holder] };
      const stats = await getDashboardStats(e, filters, own, TODAY, spec);
      const period = comparisonPeriod(spec, filters.from, filters.to, TODAY)!;
      const expected = sqlKpis(ofHolder(ref.holder), period.from, period.to, ref.holder);
      expect(expected.cases).toBeGreaterThan(0);
      expect(stats.comparison.period!.kpis).toEqual(expected);
      expect(stats.comparison.period!.kpis.rightHolders).toBe(1);
      expect(stats.comparison.period!.byYear.filter((y) => y.cases > 0)).toEqual(sqlYears(ofHolder(ref.holder), period.from, period.to));
      expect((await compareKpis(e, filters, spec, own, TODAY)).comparison!.kpis).toEqual(expected);
      // and fewer than all companies' cases: the comparison never counts another company's
      expect(expected.cases).toBeLessThan(sqlKpis("1", period.from, period.to).cases);
    });
  });
});
