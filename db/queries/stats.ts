import "server-only";
import { sql } from "drizzle-orm";
import { EMPTY_FILTERS, ENUM_FILTERS, FACET_NAMES, type FacetName, type Filters } from "../../lib/filters";
import { difference, type Difference } from "../../lib/comparison";
import { comparisonPeriod, DEFAULT_COMPARISON, isPartialPeriod, type ComparisonKind, type ComparisonSpec, type Period } from "../../lib/period";
import { casesWhere, type FilterOptions } from "../case-filters";
import type { Engine } from "../engine";
import { forgetKept, keptAnswer } from "../kept";
import { STATS_DIMS, tally, type Collected, type Figures, type StatsDim, type Tally, type Want } from "../aggregate/plan";

// Every figure of the dashboard for one filter, from the aggregate store through its one
// planner (db/aggregate): any combination of filters is one scan of the store's columns,
// which every commit of any process keeps in step. The tests compare the figures with plain
// SQL over the cases. A member's scope (FilterOptions.restrictToHolders, from lib/roles.ts
// caseScope) counts its own cases and its own links only.

export type { Figures };

const zero = (): Figures => ({ cases: 0, pieces: 0, valueFen: 0 });

// ---- answers kept until the database changes (db/kept.ts) ------------------------------
//
// Every reader of the same filters (each dashboard, facet bar, API call) gets the same
// tallies until something is committed. The tallies are frozen: a caller that tried to
// change a kept answer would throw.

const KEPT_ANSWERS = 200;

/** Forgets this connection's kept answers (the bench measures the work itself with it). */
export function forgetKeptAnswers(e: Engine): void {
  forgetKept(e, "tallies");
  forgetKept(e, "totals");
}

function freeze(c: Collected): Collected {
  const tallies = [...c.dims.values(), c.year, c.office, c.campaign];
  for (const t of tallies) for (const f of t.values()) Object.freeze(f);
  if (c.previous) Object.freeze(c.previous);
  for (const e of c.except.values()) freeze(e);
  return c;
}

/** Collects the wanted tallies (see computeTallies), or gives the same answer again while the database is unchanged. */
function collect(e: Engine, filters: Filters, want: Want, options: FilterOptions = {}): Promise<Collected> {
  return keptAnswer(e, "tallies", KEPT_ANSWERS, JSON.stringify([filters, options, want]), async () => freeze(await computeTallies(e, filters, want, options)));
}

/** Computes the wanted tallies: one plan, one scan of the aggregate store. */
function computeTallies(e: Engine, filters: Filters, want: Want, options: FilterOptions = {}): Promise<Collected> {
  return tally(e, filters, options, want);
}

export type Kpis = Figures & {
  /** distinct right holders named by the cases */
  rightHolders: number;
  /** value per case in fen, rounded to the fen; null without cases */
  avgValueFen: number | null;
};

function kpisOf(c: Collected): Kpis {
  const all = c.dims.get("all")!.get("") ?? zero();
  let rightHolders = 0;
  for (const f of c.dims.get("holder")!.values()) if (f.cases > 0) rightHolders++;
  return { ...all, rightHolders, avgValueFen: all.cases ? Math.round(all.valueFen / all.cases) : null };
}

function previousKpis(p: NonNullable<Collected["previous"]>): Kpis {
  const { rightHolders, ...all } = p;
  return { ...all, rightHolders, avgValueFen: all.cases ? Math.round(all.valueFen / all.cases) : null };
}

export type Named = { code: string; nameEn: string; nameZh: string };
export type ValueRow = Figures & { value: string };
export type DashboardStats = {
  kpis: Kpis;
  /** the period of equal length just before the filter's dates, when it has a start and is the chosen comparison (the default) */
  previous: { from: string; to: string; kpis: Kpis } | null;
  /** the chosen comparison: its period's KPIs and figures by year, and which periods are partial */
  comparison: DashboardComparison;
  byYear: (Figures & { year: number })[];
  /** every district with cases (subordinate customs included), most cases first */
  byDistrict: (Figures & Named)[];
  /** every office with cases, with its district's code */
  byOffice: (Figures & Named & { districtCode: string })[];
  byType: ValueRow[];
  byCategory: ValueRow[];
  byDirection: ValueRow[];
  byChannel: ValueRow[];
  byTransport: ValueRow[];
  byMode: ValueRow[];
  byStatus: ValueRow[];
  byDisposal: ValueRow[];
  byIndustry: ValueRow[];
};

/** Every value of an enumeration in its order, with the figures found (zero when none). */
function enumRows(values: readonly string[], tally: Tally<string>): ValueRow[] {
  return values.map((value) => ({ value, ...(tally.get(value) ?? zero()) }));
}

function byCasesThenCode<T extends Figures & { code: string }>(a: T, b: T): number {
  return b.cases - a.cases || a.code.localeCompare(b.code);
}

/** Every customs office (districts too) by id; an office's district is officesById.get(districtId ?? id). */
async function officesById(e: Engine) {
  const { customsOffices } = e.t;
  const offices = await e.db
    .select({ id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh, districtId: customsOffices.districtId })
    .from(customsOffices);
  return new Map(offices.map((o) => [o.id, o]));
}

/** The chosen comparison of a dashboard (lib/period.ts comparisonPeriod). */
export type DashboardComparison = {
  kind: ComparisonKind;
  /** the filter's own period: partial while it runs past today or starts before the first case */
  current: { from: string | null; to: string | null; partial: boolean };
  /** null: nothing to compare with (prev and yoy need a start date) */
  period: (Period & { partial: boolean; kpis: Kpis; differences: KpiDifferences; byYear: (Figures & { year: number })[] }) | null;
};

/** The first day with a case in the reader's scope (a period starting before it is partial); null without cases. */
function firstCaseDay(e: Engine, options: FilterOptions): Promise<string | null> {
  return keptAnswer(e, "totals", KEPT_ANSWERS, JSON.stringify(["firstCaseDay", options.restrictToHolders ?? null]), async () => {
    const where = await casesWhere(e, EMPTY_FILTERS, { restrictToHolders: options.restrictToHolders });
    const row = (await e.all<{ d: string | null }>(sql`select min(${e.t.cases.seizedOn}) as d from ${e.t.cases} where ${where}`))[0];
    return row?.d ?? null;
  });
}

function byYearOf(c: Collected): (Figures & { year: number })[] {
  const years = [...c.year.entries()].filter(([, f]) => f.cases > 0).map(([y]) => y);
  const out: (Figures & { year: number })[] = [];
  if (years.length) for (let y = Math.min(...years); y <= Math.max(...years); y++) out.push({ year: y, ...(c.year.get(y) ?? zero()) });
  return out;
}

export type KpiDifferences = Record<keyof Kpis, Difference>;

/**
 * The key figures of a filter against its chosen comparison, for any caller (the dashboard's
 * cards, the JSON API, a subscription digest, a PDF report): the filter's KPIs, the comparison
 * period's KPIs under the same filters and the same scope, the differences (absolute, and per
 * cent — null when the base is 0), and which periods are partial. `comparison` null: the
 * filter has no start date, so there is nothing before it (note "noStart").
 */
export type KpiComparison = {
  kind: ComparisonKind;
  current: { from: string | null; to: string | null; partial: boolean; kpis: Kpis };
  comparison: (Period & { partial: boolean; kpis: Kpis }) | null;
  differences: KpiDifferences | null;
  note: "noStart" | null;
};

export function kpiDifferences(now: Kpis, before: Kpis): KpiDifferences {
  const keys = ["cases", "pieces", "valueFen", "rightHolders", "avgValueFen"] as const;
  return Object.fromEntries(keys.map((k) => [k, difference(now[k], before[k])])) as KpiDifferences;
}

export async function compareKpis(
  e: Engine,
  filters: Filters,
  spec: ComparisonSpec = DEFAULT_COMPARISON,
  options: FilterOptions = {},
  today: Date = new Date(),
): Promise<KpiComparison> {
  const period = comparisonPeriod(spec, filters.from, filters.to, today);
  const c = await collect(e, filters, { dims: ["all", "holder"], year: false, office: false, previous: period }, options);
  const dataFrom = await firstCaseDay(e, options);
  const kpis = kpisOf(c);
  const current = { from: filters.from, to: filters.to, partial: isPartialPeriod(filters.from, filters.to, today, dataFrom), kpis };
  if (!period || !c.previous) return { kind: spec.kind, current, comparison: null, differences: null, note: "noStart" };
  const before = previousKpis(c.previous);
  return {
    kind: spec.kind,
    current,
    comparison: { ...period, partial: isPartialPeriod(period.from, period.to, today, dataFrom), kpis: before },
    differences: kpiDifferences(kpis, before),
    note: null,
  };
}

/** Everything the dashboard and the filter bar read for one filter: one collection serves both. */
const EVERYTHING: Want = { dims: [...STATS_DIMS], year: true, office: true, campaign: true };

/** The dashboard's data for one filter: KPIs with the chosen comparison (the previous period by default), and every chart. */
export async function getDashboardStats(
  e: Engine,
  filters: Filters,
  options: FilterOptions = {},
  today: Date = new Date(),
  spec: ComparisonSpec = DEFAULT_COMPARISON,
): Promise<DashboardStats> {
  // the comparison period's KPIs are counted in the same scan (the same filters, its own dates)
  const period = comparisonPeriod(spec, filters.from, filters.to, today);
  const c = await collect(e, filters, { ...EVERYTHING, previous: period }, options);
  const compared = period && c.previous ? previousKpis(c.previous) : null;
  const previous = spec.kind === "prev" && period && compared ? { ...period, kpis: compared } : null;
  const dataFrom = await firstCaseDay(e, options);
  // its figures by year (the year chart draws both): one more scan, of its dates alone
  const comparisonYears = period && compared
    ? byYearOf(await collect(e, { ...filters, from: period.from, to: period.to }, { dims: [], year: true, office: false }, options))
    : [];
  const comparison: DashboardComparison = {
    kind: spec.kind,
    current: { from: filters.from, to: filters.to, partial: isPartialPeriod(filters.from, filters.to, today, dataFrom) },
    period: period && compared
      ? { ...period, partial: isPartialPeriod(period.from, period.to, today, dataFrom), kpis: compared, differences: kpiDifferences(kpisOf(c), compared), byYear: comparisonYears }
      : null,
  };

  const byYear = byYearOf(c);

  const officeById = await officesById(e);
  const districts = new Map<number, Figures & Named>();
  const byOffice: DashboardStats["byOffice"] = [];
  for (const [officeId, f] of c.office) {
    if (f.cases === 0) continue;
    const o = officeById.get(officeId);
    if (!o) continue;
    const d = officeById.get(o.districtId ?? o.id)!;
    byOffice.push({ code: o.code, nameEn: o.nameEn, nameZh: o.nameZh, districtCode: d.code, ...f });
    const entry = districts.get(d.id) ?? { code: d.code, nameEn: d.nameEn, nameZh: d.nameZh, ...zero() };
    entry.cases += f.cases;
    entry.pieces += f.pieces;
    entry.valueFen += f.valueFen;
    districts.set(d.id, entry);
  }

  const tally = (d: StatsDim) => c.dims.get(d)!;
  return {
    kpis: kpisOf(c),
    previous,
    comparison,
    byYear,
    byDistrict: [...districts.values()].sort(byCasesThenCode),
    byOffice: byOffice.sort(byCasesThenCode),
    byType: enumRows(ENUM_FILTERS.type.values, tally("type")),
    byCategory: enumRows(ENUM_FILTERS.category.values, tally("category")),
    byDirection: enumRows(ENUM_FILTERS.direction.values, tally("direction")),
    byChannel: enumRows(ENUM_FILTERS.channel.values, tally("channel")),
    byTransport: enumRows(ENUM_FILTERS.transport.values, tally("transport")),
    byMode: enumRows(ENUM_FILTERS.mode.values, tally("mode")),
    byStatus: enumRows(ENUM_FILTERS.status.values, tally("status")),
    byDisposal: enumRows(ENUM_FILTERS.disposal.values, tally("disposal")),
    byIndustry: enumRows(ENUM_FILTERS.industry.values, tally("industry")),
  };
}

/** Cases, pieces and value per right holder under a filter (a case counts for each holder it names). */
export async function holderFigures(e: Engine, filters: Filters, options: FilterOptions = {}): Promise<Map<number, Figures>> {
  const c = await collect(e, filters, { dims: ["holder"], year: false, office: false }, options);
  return new Map([...c.dims.get("holder")!].filter(([, f]) => f.cases > 0).map(([k, f]) => [Number(k), f]));
}

/** Cases per value of each facet: district, office and campaign codes, enumeration values, right-holder ids. */
export type FacetCounts = Record<FacetName, Map<string, number>>;

/**
 * Cases per value of every facet, each under every filter but its own, all from one scan of
 * the aggregate store (db/aggregate/plan.ts: a case that fails exactly one facet's filter
 * counts for that facet alone).
 */
export async function facetCounts(e: Engine, filters: Filters, options: FilterOptions = {}): Promise<FacetCounts> {
  const out = Object.fromEntries(FACET_NAMES.map((f) => [f, new Map<string, number>()])) as FacetCounts;
  const offices = await officesById(e);
  const campaignCodes = new Map((await e.all<{ id: number; code: string }>(sql`select id, code from ${e.t.campaigns}`)).map((c) => [c.id, c.code]));
  const add = (tally: Map<string, number>, key: string, n: number) => tally.set(key, (tally.get(key) ?? 0) + n);

  const fill = (facets: FacetName[], c: Collected) => {
    for (const facet of facets) {
      const tally = out[facet];
      if (facet === "district" || facet === "office") {
        for (const [id, f] of c.office) {
          const o = offices.get(id);
          if (!o || f.cases === 0) continue;
          if (facet === "district") add(tally, offices.get(o.districtId ?? o.id)!.code, f.cases);
          else if (o.districtId !== null) add(tally, o.code, f.cases); // subordinate customs only
        }
      } else if (facet === "campaign") {
        for (const [id, f] of c.campaign) if (f.cases > 0 && campaignCodes.has(id)) add(tally, campaignCodes.get(id)!, f.cases);
      } else {
        for (const [k, f] of c.dims.get(facet)!) if (f.cases > 0) add(tally, k, f.cases);
      }
    }
  };
  const want = (facets: FacetName[]): Want => ({
    dims: facets.filter((f): f is FacetName & StatsDim => f !== "district" && f !== "office" && f !== "campaign"),
    year: false,
    office: facets.includes("district") || facets.includes("office"),
    campaign: facets.includes("campaign"),
  });
  // one scan: the facets without a choice of their own from the matching cases, each facet
  // with a choice from the cases that fail its filter alone or none
  const unset = FACET_NAMES.filter((f) => filters[f].length === 0 || options.except === f);
  const c = await collect(e, filters, { ...want(unset), facets: true }, options);
  if (unset.length) fill(unset, c);
  for (const [facet, except] of c.except) fill([facet], except);
  return out;
}
