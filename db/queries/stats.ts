import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { ENUM_FILTERS, FACET_NAMES, type FacetName, type Filters } from "../../lib/filters";
import { previousPeriod } from "../../lib/period";
import { casesWhere, type FilterOptions } from "../case-filters";
import { forgetKept, keptAnswer } from "../kept";
import type { Db } from "../open";
import { campaigns, caseStats, cases, customsOffices, rightHolders } from "../schema";
import { CASE_DIMS, NO_DISPOSAL, STATS_DIMS, STATS_GRAINS, type StatsDim } from "../rollup";

// Every figure of the dashboard for one filter. Whole years of filters the cube holds
// (dates, districts and offices, infringement types, campaigns) are read from case_stats;
// partial years at the ends of the range and every other filter from the cases themselves.
// Both paths give the same numbers: the tests compare them with plain SQL over the cases.
// A member's scope (FilterOptions.restrictToHolders, from lib/roles.ts caseScope) never
// reads the cube, which holds every company's cases: its figures come from its own cases
// and its own links only.

export type Figures = { cases: number; pieces: number; valueFen: number };
type Tally<K> = Map<K, Figures>;

type Want = { dims: StatsDim[]; year: boolean; office: boolean; campaign?: boolean };
type Collected = { dims: Map<StatsDim, Tally<string>>; year: Tally<number>; office: Tally<number>; campaign: Tally<number> };

const zero = (): Figures => ({ cases: 0, pieces: 0, valueFen: 0 });

function addTo<K>(tally: Tally<K>, key: K, cases: number, pieces: number, valueFen: number) {
  const f = tally.get(key);
  if (f) {
    f.cases += cases;
    f.pieces += pieces;
    f.valueFen += valueFen;
  } else tally.set(key, { cases, pieces, valueFen });
}

function emptyCollected(want: Want): Collected {
  return { dims: new Map(want.dims.map((d) => [d, new Map()])), year: new Map(), office: new Map(), campaign: new Map() };
}

function merge(into: Collected, from: Collected): Collected {
  for (const [dim, tally] of from.dims) {
    const target = into.dims.get(dim)!;
    for (const [k, f] of tally) addTo(target, k, f.cases, f.pieces, f.valueFen);
  }
  for (const [k, f] of from.year) addTo(into.year, k, f.cases, f.pieces, f.valueFen);
  for (const [k, f] of from.office) addTo(into.office, k, f.cases, f.pieces, f.valueFen);
  for (const [k, f] of from.campaign) addTo(into.campaign, k, f.cases, f.pieces, f.valueFen);
  return into;
}

const CUBE_FILTERS = new Set<keyof Filters>(["from", "to", "district", "office", "type", "campaign"]);

type CubePlan = { officeIds: number[] | null; types: string[] | null; campaignIds: number[] | null };

function usedFilters(filters: Filters): (keyof Filters)[] {
  return (Object.keys(filters) as (keyof Filters)[]).filter((name) => {
    const v = filters[name];
    return Array.isArray(v) ? v.length > 0 : v !== null;
  });
}

function idList(db: Db, query: SQL): number[] {
  return (db.all(query) as { id: number }[]).map((r) => r.id);
}

/** How the cube answers these filters, or null when it cannot. */
function cubePlan(db: Db, filters: Filters, options: FilterOptions): CubePlan | null {
  if (options.restrictToHolders || options.except) return null;
  if (!usedFilters(filters).every((name) => CUBE_FILTERS.has(name))) return null;
  let officeIds: number[] | null = null;
  if (filters.district.length) {
    // a district includes its subordinate customs
    officeIds = idList(db, sql`select o.id from ${customsOffices} o where o.code in ${filters.district}
      or o.district_id in (select d.id from ${customsOffices} d where d.code in ${filters.district})`);
  }
  if (filters.office.length) {
    const chosen = idList(db, sql`select o.id from ${customsOffices} o where o.code in ${filters.office}`);
    officeIds = officeIds ? officeIds.filter((id) => chosen.includes(id)) : chosen;
  }
  const campaignIds = filters.campaign.length
    ? idList(db, sql`select c.id from ${campaigns} c where c.code in ${filters.campaign}`)
    : null;
  return { officeIds, types: filters.type.length ? filters.type : null, campaignIds };
}

function fromCube(db: Db, plan: CubePlan, years: [number, number], want: Want): Collected {
  const out = emptyCollected(want);
  const typeCampaign = plan.types !== null || plan.campaignIds !== null;
  // the years that have cases, listed, so that the office column after them can be sought
  const yearList = (db.all(sql`select distinct ${caseStats.year} as y from ${caseStats}
    where ${caseStats.grain} = 0 and ${caseStats.dim} = 'all' and ${caseStats.year} between ${years[0]} and ${years[1]}`) as { y: number }[]).map((r) => r.y);
  const grain = (office: boolean, tc: boolean) => STATS_GRAINS.find((g) => g.office === office && g.typeCampaign === tc)!.grain;
  const where = (office: boolean, dims: string[], tc = typeCampaign) => {
    const parts: SQL[] = [
      sql`${caseStats.grain} = ${grain(office, tc)}`,
      sql`${caseStats.dim} in ${dims}`,
      sql`${caseStats.year} in ${yearList.length ? yearList : [-1]}`,
    ];
    if (plan.officeIds) parts.push(sql`${caseStats.officeId} in ${plan.officeIds.length ? plan.officeIds : [-1]}`);
    if (plan.types) parts.push(sql`${caseStats.infringementType} in ${plan.types}`);
    if (plan.campaignIds) parts.push(sql`${caseStats.campaignId} in ${plan.campaignIds.length ? plan.campaignIds : [-1]}`);
    return sql.join(parts, sql` and `);
  };
  const sums = sql`sum(${caseStats.cases}) as cases, sum(${caseStats.pieces}) as pieces, sum(${caseStats.valueFen}) as valueFen`;
  const needOffice = plan.officeIds !== null;
  if (want.dims.length) {
    const rows = db.all(sql`select ${caseStats.dim} as dim, ${caseStats.value} as k, ${sums} from ${caseStats}
      where ${where(needOffice, want.dims)} group by 1, 2`) as { dim: StatsDim; k: string; cases: number; pieces: number; valueFen: number }[];
    for (const r of rows) addTo(out.dims.get(r.dim)!, r.k, r.cases, r.pieces, r.valueFen);
  }
  if (want.year) {
    const rows = db.all(sql`select ${caseStats.year} as k, ${sums} from ${caseStats}
      where ${where(needOffice, ["all"])} group by 1`) as { k: number; cases: number; pieces: number; valueFen: number }[];
    for (const r of rows) addTo(out.year, r.k, r.cases, r.pieces, r.valueFen);
  }
  if (want.office) {
    const rows = db.all(sql`select ${caseStats.officeId} as k, ${sums} from ${caseStats}
      where ${where(true, ["all"])} group by 1`) as { k: number; cases: number; pieces: number; valueFen: number }[];
    for (const r of rows) addTo(out.office, r.k, r.cases, r.pieces, r.valueFen);
  }
  if (want.campaign) {
    // campaigns are kept only by the grains with (type, campaign); campaign 0 is "no campaign"
    const rows = db.all(sql`select ${caseStats.campaignId} as k, ${sums} from ${caseStats}
      where ${where(needOffice, ["all"], true)} group by 1`) as { k: number; cases: number; pieces: number; valueFen: number }[];
    for (const r of rows) if (r.k !== 0) addTo(out.campaign, r.k, r.cases, r.pieces, r.valueFen);
  }
  return out;
}

const CASE_DIM_NAMES = (Object.keys(CASE_DIMS) as (keyof typeof CASE_DIMS)[]).filter((d) => d !== "all");
const DIM_COLUMNS: Record<Exclude<keyof typeof CASE_DIMS, "all">, SQL> = {
  type: sql`${cases.infringementType}`,
  category: sql`${cases.goodsCategory}`,
  direction: sql`${cases.direction}`,
  channel: sql`${cases.channel}`,
  transport: sql`${cases.transport}`,
  mode: sql`${cases.protectionMode}`,
  status: sql`${cases.status}`,
  disposal: sql`coalesce(${cases.disposal}, ${NO_DISPOSAL})`,
};

/**
 * The tallies from the cases themselves: one read of the matching rows (only the columns
 * the tallies need), then one of their right-holder links, added up here. One evaluation
 * of the filter serves every chart, which a GROUP BY per chart would repeat.
 */
function fromCases(db: Db, filters: Filters, want: Want, options: FilterOptions): Collected {
  const out = emptyCollected(want);
  const needHolders = want.dims.includes("holder") || want.dims.includes("industry");
  const caseDims = CASE_DIM_NAMES.filter((d) => want.dims.includes(d));
  // rows as arrays (no object per row): id, year, office, pieces, value, then the dimensions
  const query = db
    .select({
      id: cases.id,
      year: sql`cast(substr(${cases.seizedOn}, 1, 4) as integer)`,
      office: cases.officeId,
      pieces: cases.pieces,
      valueFen: cases.valueFen,
      campaign: sql`coalesce(${cases.campaignId}, 0)`,
      ...Object.fromEntries(caseDims.map((d) => [d, DIM_COLUMNS[d]])),
    })
    .from(cases)
    .where(casesWhere(db, filters, options))
    .toSQL();
  const rows = db.$client.prepare(query.sql).raw(true).all(...(query.params as unknown[])) as (number | string)[][];

  const all = out.dims.get("all");
  const dimTallies = caseDims.map((d) => out.dims.get(d)!);
  for (const r of rows) {
    const pieces = r[3] as number, value = r[4] as number;
    if (all) addTo(all, "", 1, pieces, value);
    if (want.year) addTo(out.year, r[1] as number, 1, pieces, value);
    if (want.office) addTo(out.office, r[2] as number, 1, pieces, value);
    if (want.campaign && r[5] !== 0) addTo(out.campaign, r[5] as number, 1, pieces, value);
    for (let i = 0; i < dimTallies.length; i++) addTo(dimTallies[i]!, r[6 + i] as string, 1, pieces, value);
  }
  if (needHolders && rows.length) {
    const byId = new Map<number, (number | string)[]>();
    for (const r of rows) byId.set(r[0] as number, r);
    const industryOf = new Map(
      (db.all(sql`select id, industry from ${rightHolders}`) as { id: number; industry: string }[]).map((h) => [h.id, h.industry]),
    );
    // a member's cases count for its own links only: another company named on the same
    // case adds neither a holder row nor its industry
    const own = options.restrictToHolders ? JSON.stringify(options.restrictToHolders) : null;
    const links = db.$client
      .prepare(`select l.case_id, l.right_holder_id from json_each(?) j join case_right_holders l on l.case_id = j.value
        ${own ? "where l.right_holder_id in (select value from json_each(?))" : ""} order by l.case_id`)
      .raw(true)
      .all(...[JSON.stringify(rows.map((r) => r[0])), ...(own ? [own] : [])]) as [number, number][];
    const holders = out.dims.get("holder");
    const industries = out.dims.get("industry");
    let lastCase = -1;
    let seen: string[] = [];
    for (const [caseId, holderId] of links) {
      const r = byId.get(caseId)!;
      const pieces = r[3] as number, value = r[4] as number;
      if (holders) addTo(holders, String(holderId), 1, pieces, value);
      if (industries) {
        // a case counts once per industry among its right holders
        if (caseId !== lastCase) {
          lastCase = caseId;
          seen = [];
        }
        const industry = industryOf.get(holderId)!;
        if (!seen.includes(industry)) {
          seen.push(industry);
          addTo(industries, industry, 1, pieces, value);
        }
      }
    }
  }
  return out;
}

// ---- answers kept until the database changes (db/kept.ts) ------------------------------
//
// Every reader of the same filters (each dashboard, facet bar, API call) gets the same
// tallies until something is committed. The tallies are frozen: a caller that tried to
// change a kept answer would throw.

const KEPT_ANSWERS = 200;

/** Forgets this connection's kept answers (the bench measures the work itself with it). */
export function forgetKeptAnswers(db: Db): void {
  forgetKept(db, "tallies");
}

function freeze(c: Collected): Collected {
  const tallies = [...c.dims.values(), c.year, c.office, c.campaign];
  for (const tally of tallies) for (const f of tally.values()) Object.freeze(f);
  return c;
}

/** Collects the wanted tallies (see computeTallies), or gives the same answer again while the database is unchanged. */
function collect(db: Db, filters: Filters, want: Want, options: FilterOptions = {}): Collected {
  if (db.$client.inTransaction) return computeTallies(db, filters, want, options);
  return keptAnswer(db, "tallies", KEPT_ANSWERS, JSON.stringify([filters, options, want]), () => freeze(computeTallies(db, filters, want, options)));
}

/** Computes the wanted tallies: whole years from the cube where it can, the rest from cases. */
function computeTallies(db: Db, filters: Filters, want: Want, options: FilterOptions = {}): Collected {
  const plan = cubePlan(db, filters, options);
  if (!plan) return fromCases(db, filters, want, options);
  const fromYear = filters.from ? Number(filters.from.slice(0, 4)) + (filters.from.endsWith("-01-01") ? 0 : 1) : 0;
  const toYear = filters.to ? Number(filters.to.slice(0, 4)) - (filters.to.endsWith("-12-31") ? 0 : 1) : 9999;
  if (fromYear > toYear) return fromCases(db, filters, want, options); // a range within one year
  const out = fromCube(db, plan, [fromYear, toYear], want);
  if (filters.from && !filters.from.endsWith("-01-01")) {
    merge(out, fromCases(db, { ...filters, to: `${filters.from.slice(0, 4)}-12-31` }, want, options));
  }
  if (filters.to && !filters.to.endsWith("-12-31")) {
    merge(out, fromCases(db, { ...filters, from: `${filters.to.slice(0, 4)}-01-01` }, want, options));
  }
  return out;
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

export type Named = { code: string; nameEn: string; nameZh: string };
export type ValueRow = Figures & { value: string };
export type DashboardStats = {
  kpis: Kpis;
  /** the period of equal length just before the filter's dates, when it has a start */
  previous: { from: string; to: string; kpis: Kpis } | null;
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
function officesById(db: Db) {
  const offices = db
    .select({ id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh, districtId: customsOffices.districtId })
    .from(customsOffices)
    .all();
  return new Map(offices.map((o) => [o.id, o]));
}

/** Everything the dashboard and the filter bar read for one filter: one collection serves both. */
const EVERYTHING: Want = { dims: [...STATS_DIMS], year: true, office: true, campaign: true };

/** The dashboard's data for one filter: KPIs with the previous period, and every chart. */
export function getDashboardStats(db: Db, filters: Filters, options: FilterOptions = {}, today: Date = new Date()): DashboardStats {
  const c = collect(db, filters, EVERYTHING, options);
  const period = previousPeriod(filters.from, filters.to, today);
  const previous = period
    ? { ...period, kpis: kpisOf(collect(db, { ...filters, ...period }, { dims: ["all", "holder"], year: false, office: false }, options)) }
    : null;

  const years = [...c.year.entries()].filter(([, f]) => f.cases > 0).map(([y]) => y);
  const byYear: DashboardStats["byYear"] = [];
  if (years.length) {
    for (let y = Math.min(...years); y <= Math.max(...years); y++) byYear.push({ year: y, ...(c.year.get(y) ?? zero()) });
  }

  const officeById = officesById(db);
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
export function holderFigures(db: Db, filters: Filters, options: FilterOptions = {}): Map<number, Figures> {
  const c = collect(db, filters, { dims: ["holder"], year: false, office: false }, options);
  return new Map([...c.dims.get("holder")!].filter(([, f]) => f.cases > 0).map(([k, f]) => [Number(k), f]));
}

/** Cases per value of each facet: district, office and campaign codes, enumeration values, right-holder ids. */
export type FacetCounts = Record<FacetName, Map<string, number>>;

/**
 * Cases per value of every facet, each under every filter but its own. The facets whose own
 * filter is unset share one collection; each facet whose filter is set needs one more, with
 * that filter cleared. Whole years of the cube's filters are read from case_stats, so the
 * filter bar costs a few index reads instead of a GROUP BY over the cases per facet.
 */
export function facetCounts(db: Db, filters: Filters, options: FilterOptions = {}): FacetCounts {
  const out = Object.fromEntries(FACET_NAMES.map((f) => [f, new Map<string, number>()])) as FacetCounts;
  const offices = officesById(db);
  const campaignCodes = new Map((db.all(sql`select id, code from ${campaigns}`) as { id: number; code: string }[]).map((c) => [c.id, c.code]));
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
  const unset = FACET_NAMES.filter((f) => filters[f].length === 0);
  // the facets without a choice of their own read what the dashboard reads (the same kept answer)
  if (unset.length) fill(unset, collect(db, filters, EVERYTHING, options));
  for (const facet of FACET_NAMES) {
    if (filters[facet].length) fill([facet], collect(db, { ...filters, [facet]: [] }, want([facet]), options));
  }
  return out;
}
