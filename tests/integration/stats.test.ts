import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { softDeleteCase } from "../../db/mutations/cases";
import { derivedMismatches } from "../../db/aggregate/check";
import { sql } from "drizzle-orm";
import { casesWhere, type FilterOptions } from "../../db/case-filters";
import { sqliteEngine, type Engine } from "../../db/engine";
import { drizzleOf } from "../../db/sqlite/open";
import { facetCounts, getDashboardStats, holderFigures, type DashboardStats, type Kpis } from "../../db/queries/stats";
import {
  caseStatuses, channels, directions, disposalFilterValues, goodsCategories, industries, infringementTypes, protectionModes, transports,
} from "../../lib/enums";
import { EMPTY_FILTERS, FACET_NAMES, type FacetName, type Filters } from "../../lib/filters";
import { previousPeriod } from "../../lib/period";
import { toMatchExpression } from "../../lib/search";
import { ENGINES } from "../support/engines";
import { sameData, seeded, type SameData } from "../support/same-data";

// Every figure of the dashboard (getDashboardStats) against aggregates written by hand over
// the base tables (cases, customs_offices, case_right_holders, right_holders). The aggregate
// store reads whole years of a filter of dates alone from its year tallies and scans its rows
// for everything else; the filters below take both paths and their mixtures. On both engines:
// the data is seeded into a SQLite file, which the hand-written aggregates read, and for
// PostgreSQL copied whole into a fresh PostgreSQL database, whose dashboard is read.

const TODAY = new Date("2025-05-10T12:00:00Z");

let t: SameData;
let e: Engine;
/** The SQLite file the data was seeded into: the independent aggregates read it. */
let oracle: Database.Database;
/** Values looked up in the seeded data (before the tests run). */
const ref = {
  subordinateOffice: "",
  medianHolder: 0,
  topHolder: 0,
  holderWord: "",
  goodsWord: "",
  deleted: { id: 0, caseNo: "", pieces: 0, valueFen: 0 },
  beforeDelete: new Map<string, Kpis>(),
};

const f = (over: Partial<Filters>): Filters => ({ ...EMPTY_FILTERS, ...over });

/** Filters whose figures must drop by exactly the deleted case (each includes it). */
const includesDeleted = (): [string, Filters][] => [
  ["none", f({})],
  ["2020", f({ from: "2020-01-01", to: "2020-12-31" })],
  ["5300", f({ district: ["5300"] })],
  ["5300 trademark 2020", f({ district: ["5300"], type: ["trademark"], from: "2020-01-01", to: "2020-12-31" })],
  ["5300 2019-03-01…2021-02-15", f({ district: ["5300"], from: "2019-03-01", to: "2021-02-15" })],
  ["holder", f({ holder: [ref.medianHolder] })],
];

async function fill(s: Database.Database, se: Engine) {
  oracle = s;
  // a subordinate customs with cases
  ref.subordinateOffice = (s
    .prepare(`select o.code from customs_offices o join cases c on c.office_id = o.id
              where o.district_id is not null group by o.id order by count(*) desc, o.code limit 1`)
    .get() as { code: string }).code;
  const holders = s
    .prepare(`select l.right_holder_id as id, count(*) as n from case_right_holders l group by 1 order by n, id`)
    .all() as { id: number; n: number }[];
  ref.medianHolder = holders[Math.floor(holders.length / 2)]!.id;
  ref.topHolder = holders[holders.length - 1]!.id;
  // a word of a holder's name and of the goods (letters only, so FTS and the test agree on tokens)
  const name = (s.prepare("select name from right_holders where id = ?").get(ref.topHolder) as { name: string }).name;
  ref.holderWord = name.split(/\s+/).find((w) => /^[A-Za-z]{4,}$/.test(w)) ?? name.split(/\s+/)[0]!;
  const goods = (s.prepare("select goods_description as g from cases where id = 4242").get() as { g: string }).g;
  ref.goodsWord = goods.split(/\s+/).find((w) => /^[a-z]{5,}$/i.test(w))!;
  // the case to delete: Shenzhen (5300), 2020, trademark, naming the median holder — outside Kunming's published figures
  ref.deleted = s
    .prepare(`select c.id, c.case_no as caseNo, c.pieces, c.value_fen as valueFen from cases c
              join customs_offices o on o.id = c.office_id left join customs_offices d on d.id = o.district_id
              join case_right_holders l on l.case_id = c.id and l.right_holder_id = ?
              where (o.code = '5300' or d.code = '5300') and c.seized_on between '2020-01-01' and '2020-12-31'
                and c.infringement_type = 'trademark' order by c.id limit 1`)
    .get(ref.medianHolder) as typeof ref.deleted;
  if (!ref.deleted) {
    // the median holder has no such case in this data: fall back to any Shenzhen 2020 trademark case
    ref.deleted = s
      .prepare(`select c.id, c.case_no as caseNo, c.pieces, c.value_fen as valueFen from cases c
                join customs_offices o on o.id = c.office_id left join customs_offices d on d.id = o.district_id
                where (o.code = '5300' or d.code = '5300') and c.seized_on between '2020-01-01' and '2020-12-31'
                  and c.infringement_type = 'trademark' order by c.id limit 1`)
      .get() as typeof ref.deleted;
    ref.medianHolder = (s.prepare("select min(right_holder_id) as id from case_right_holders where case_id = ?").get(ref.deleted.id) as { id: number }).id;
  }
  // the figures before the delete, by the independent aggregates below
  for (const [label, filters] of includesDeleted()) {
    const w = SPECS_WHERE_OF(filters);
    ref.beforeDelete.set(label, expectedKpis(w, filters.from, filters.to));
  }
  await softDeleteCase(se, ref.deleted.id, null);
}

/** The hand-written condition of the filters of includesDeleted() (dates go separately). */
function SPECS_WHERE_OF(filters: Filters): string {
  const parts = ["1"];
  if (filters.district.length) parts.push(`(${filters.district.map(inDistrict).join(" or ")})`);
  if (filters.type.length) parts.push(`c.infringement_type in (${filters.type.map((x) => `'${x}'`).join(", ")})`);
  if (filters.holder.length) parts.push(filters.holder.map(ofHolder).join(" and "));
  return parts.join(" and ");
}

// ---- the independent aggregates --------------------------------------------------------

type Fig = { cases: number; pieces: number; valueFen: number };

function dateWhere(from: string | null, to: string | null): string {
  return [from ? `c.seized_on >= '${from}'` : "1", to ? `c.seized_on <= '${to}'` : "1"].join(" and ");
}

/** The matching live cases, as a CTE named m. `where` may use c (case), o (its office) and d (the office's district, if subordinate). */
function matching(where: string, from: string | null, to: string | null): string {
  return `with m as (
    select c.* from cases c
    join customs_offices o on o.id = c.office_id
    left join customs_offices d on d.id = o.district_id
    where c.deleted_at is null and (${where}) and ${dateWhere(from, to)})`;
}

function all<T>(query: string): T[] {
  return oracle.prepare(query).all() as T[];
}

const FIGS = "count(*) as cases, coalesce(sum(m.pieces), 0) as pieces, coalesce(sum(m.value_fen), 0) as valueFen";

/** For a member: its cases only, and only its own links of them count (holders, industries). */
const ownLinks = (own?: number[]) => (own ? ` and l.right_holder_id in (${own.join(", ")})` : "");

function expectedKpis(where: string, from: string | null, to: string | null, own?: number[]): Kpis {
  const cte = matching(where, from, to);
  const totals = all<Fig>(`${cte} select ${FIGS} from m`)[0]!;
  const holders = all<{ n: number }>(`${cte} select count(distinct l.right_holder_id) as n from m join case_right_holders l on l.case_id = m.id${ownLinks(own)}`)[0]!.n;
  return { ...totals, rightHolders: holders, avgValueFen: totals.cases ? Math.round(totals.valueFen / totals.cases) : null };
}

function byValue(cte: string, column: string, values: readonly string[]): ({ value: string } & Fig)[] {
  const rows = all<{ value: string } & Fig>(`${cte} select ${column} as value, ${FIGS} from m group by 1`);
  const found = new Map(rows.map((r) => [r.value, r]));
  // every row the SQL found must be one of the enumeration's values (nothing is dropped)
  for (const r of rows) expect(values, `${column} = ${r.value}`).toContain(r.value);
  return values.map((value) => {
    const r = found.get(value);
    return { value, cases: r?.cases ?? 0, pieces: r?.pieces ?? 0, valueFen: r?.valueFen ?? 0 };
  });
}

function expectedStats(where: string, from: string | null, to: string | null, own?: number[]): Omit<DashboardStats, "previous" | "comparison"> {
  const cte = matching(where, from, to);
  const years = all<{ year: number } & Fig>(`${cte} select cast(substr(m.seized_on, 1, 4) as integer) as year, ${FIGS} from m group by 1 order by 1`);
  const byYear: DashboardStats["byYear"] = [];
  if (years.length) {
    const found = new Map(years.map((r) => [r.year, r]));
    for (let y = years[0]!.year; y <= years[years.length - 1]!.year; y++) byYear.push(found.get(y) ?? { year: y, cases: 0, pieces: 0, valueFen: 0 });
  }
  const byDistrict = all<DashboardStats["byDistrict"][number]>(`${cte}
    select dd.code, dd.name_en as nameEn, dd.name_zh as nameZh, ${FIGS}
    from m join customs_offices oo on oo.id = m.office_id join customs_offices dd on dd.id = coalesce(oo.district_id, oo.id)
    group by dd.id order by cases desc, dd.code`);
  const byOffice = all<DashboardStats["byOffice"][number]>(`${cte}
    select oo.code, oo.name_en as nameEn, oo.name_zh as nameZh, dd.code as districtCode, ${FIGS}
    from m join customs_offices oo on oo.id = m.office_id join customs_offices dd on dd.id = coalesce(oo.district_id, oo.id)
    group by oo.id order by cases desc, oo.code`);
  // a case counts once per industry among its right holders
  const industryRows = all<{ value: string } & Fig>(`${cte}
    select x.industry as value, count(*) as cases, sum(x.pieces) as pieces, sum(x.value_fen) as valueFen
    from (select distinct m.id, h.industry, m.pieces, m.value_fen from m
          join case_right_holders l on l.case_id = m.id${ownLinks(own)} join right_holders h on h.id = l.right_holder_id) x
    group by 1`);
  const industryFound = new Map(industryRows.map((r) => [r.value, r]));
  return {
    kpis: expectedKpis(where, from, to, own),
    byYear,
    byDistrict,
    byOffice,
    byType: byValue(cte, "m.infringement_type", infringementTypes.values),
    byCategory: byValue(cte, "m.goods_category", goodsCategories.values),
    byDirection: byValue(cte, "m.direction", directions.values),
    byChannel: byValue(cte, "m.channel", channels.values),
    byTransport: byValue(cte, "m.transport", transports.values),
    byMode: byValue(cte, "m.protection_mode", protectionModes.values),
    byStatus: byValue(cte, "m.status", caseStatuses.values),
    byDisposal: byValue(cte, "coalesce(m.disposal, 'none')", disposalFilterValues.values),
    byIndustry: industries.values.map((value) => {
      const r = industryFound.get(value);
      return { value, cases: r?.cases ?? 0, pieces: r?.pieces ?? 0, valueFen: r?.valueFen ?? 0 };
    }),
  };
}

function expectedHolderFigures(where: string, from: string | null, to: string | null): [number, Fig][] {
  return all<{ id: number } & Fig>(`${matching(where, from, to)}
    select l.right_holder_id as id, ${FIGS} from m join case_right_holders l on l.case_id = m.id group by 1 order by 1`)
    .map(({ id, ...fig }) => [id, fig]);
}

// ---- the filters -----------------------------------------------------------------------

type Spec = { filters: () => Filters; where: () => string };
const spec = (filters: () => Partial<Filters>, where: () => string): Spec => ({ filters: () => f(filters()), where });
const inDistrict = (code: string) => `(o.code = '${code}' or d.code = '${code}')`;
const ofHolder = (id: number) => `c.id in (select case_id from case_right_holders where right_holder_id = ${id})`;
const fts = (q: string) => {
  const match = toMatchExpression(q);
  return match ? `c.id in (select rowid from cases_fts where cases_fts match '${match.replace(/'/g, "''")}')` : "0";
};
const campaign = (code: string) => `c.campaign_id = (select id from campaigns where code = '${code}')`;

const SPECS: Record<string, Spec> = {
  "no filter": spec(() => ({}), () => "1"),
  "one whole year (2020)": spec(() => ({ from: "2020-01-01", to: "2020-12-31" }), () => "1"),
  "several whole years (2014–2017)": spec(() => ({ from: "2014-01-01", to: "2017-12-31" }), () => "1"),
  "a partial-year range (2016-03-15 … 2018-07-31)": spec(() => ({ from: "2016-03-15", to: "2018-07-31" }), () => "1"),
  "a range inside one year (2019-04-01 … 2019-09-15)": spec(() => ({ from: "2019-04-01", to: "2019-09-15" }), () => "1"),
  "a whole month (2018-02)": spec(() => ({ from: "2018-02-01", to: "2018-02-28" }), () => "1"),
  "a partial year to the next year's end (2016-07-01 … 2017-12-31)": spec(() => ({ from: "2016-07-01", to: "2017-12-31" }), () => "1"),
  "open end from mid-year (2015-03-15 …)": spec(() => ({ from: "2015-03-15" }), () => "1"),
  "open end from a new year (2016-01-01 …)": spec(() => ({ from: "2016-01-01" }), () => "1"),
  "no start (… 2013-06-30)": spec(() => ({ to: "2013-06-30" }), () => "1"),
  "district 8600 (Kunming, with its subordinate customs)": spec(() => ({ district: ["8600"] }), () => inDistrict("8600")),
  "district 5300": spec(() => ({ district: ["5300"] }), () => inDistrict("5300")),
  "districts 8600 + 5300, 2016–2017": spec(
    () => ({ district: ["8600", "5300"], from: "2016-01-01", to: "2017-12-31" }),
    () => `(${inDistrict("8600")} or ${inDistrict("5300")})`,
  ),
  "district 8600, 2016-01-01 … 2017-06-07": spec(() => ({ district: ["8600"], from: "2016-01-01", to: "2017-06-07" }), () => inDistrict("8600")),
  "a subordinate customs office": spec(() => ({ office: [ref.subordinateOffice] }), () => `o.code = '${ref.subordinateOffice}'`),
  "a subordinate customs office, 2015–2019": spec(
    () => ({ office: [ref.subordinateOffice], from: "2015-01-01", to: "2019-12-31" }),
    () => `o.code = '${ref.subordinateOffice}'`,
  ),
  "district 8600 and office 8600 (the district's own office only)": spec(
    () => ({ district: ["8600"], office: ["8600"] }),
    () => `o.code = '8600'`,
  ),
  "district 5300 + trademark": spec(() => ({ district: ["5300"], type: ["trademark"] }), () => `${inDistrict("5300")} and c.infringement_type = 'trademark'`),
  "district 8600 + copyright, 2014–2019": spec(
    () => ({ district: ["8600"], type: ["copyright"], from: "2014-01-01", to: "2019-12-31" }),
    () => `${inDistrict("8600")} and c.infringement_type = 'copyright'`,
  ),
  "type copyright": spec(() => ({ type: ["copyright"] }), () => "c.infringement_type = 'copyright'"),
  "types copyright + design patent, 2016-03-15 … 2018-07-31": spec(
    () => ({ type: ["copyright", "design_patent"], from: "2016-03-15", to: "2018-07-31" }),
    () => "c.infringement_type in ('copyright', 'design_patent')",
  ),
  "campaign qingfeng": spec(() => ({ campaign: ["qingfeng"] }), () => campaign("qingfeng")),
  "campaign qingfeng, 2015–2017": spec(() => ({ campaign: ["qingfeng"], from: "2015-01-01", to: "2017-12-31" }), () => campaign("qingfeng")),
  "campaign qingfeng, district 8600, 2015–2017": spec(
    () => ({ campaign: ["qingfeng"], district: ["8600"], from: "2015-01-01", to: "2017-12-31" }),
    () => `${campaign("qingfeng")} and ${inDistrict("8600")}`,
  ),
  "campaign longteng + trademark, 2019-03-01 … 2021-06-30": spec(
    () => ({ campaign: ["longteng"], type: ["trademark"], from: "2019-03-01", to: "2021-06-30" }),
    () => `${campaign("longteng")} and c.infringement_type = 'trademark'`,
  ),
  "an unknown campaign and district": spec(() => ({ campaign: ["nosuch"], district: ["9999"] }), () => "0"),
  "a right holder (median case count)": spec(() => ({ holder: [ref.medianHolder] }), () => ofHolder(ref.medianHolder)),
  "a right holder (most cases), 2016–2017": spec(
    () => ({ holder: [ref.topHolder], from: "2016-01-01", to: "2017-12-31" }),
    () => ofHolder(ref.topHolder),
  ),
  "industry lighting": spec(
    () => ({ industry: ["lighting"] }),
    () => "c.id in (select l.case_id from case_right_holders l join right_holders h on h.id = l.right_holder_id where h.industry = 'lighting')",
  ),
  "industries luxury + automotive, district 5300, 2020": spec(
    () => ({ industry: ["luxury", "automotive"], district: ["5300"], from: "2020-01-01", to: "2020-12-31" }),
    () => `${inDistrict("5300")} and c.id in (select l.case_id from case_right_holders l join right_holders h on h.id = l.right_holder_id where h.industry in ('luxury', 'automotive'))`,
  ),
  "category lighting, 2020": spec(() => ({ category: ["lighting"], from: "2020-01-01", to: "2020-12-31" }), () => "c.goods_category = 'lighting'"),
  "channel express + direction import": spec(() => ({ channel: ["express"], direction: ["import"] }), () => "c.channel = 'express' and c.direction = 'import'"),
  "transport rail + mode on application": spec(() => ({ transport: ["rail", "road"], mode: ["on_application"] }), () => "c.transport in ('rail', 'road') and c.protection_mode = 'on_application'"),
  "status closed": spec(() => ({ status: ["closed"] }), () => "c.status = 'closed'"),
  "disposal none (not disposed of)": spec(() => ({ disposal: ["none"] }), () => "c.disposal is null"),
  "disposal destroyed or none": spec(() => ({ disposal: ["destroyed", "none"] }), () => "(c.disposal = 'destroyed' or c.disposal is null)"),
  "disposal auctioned, 2016–2017": spec(() => ({ disposal: ["auctioned"], from: "2016-01-01", to: "2017-12-31" }), () => "c.disposal = 'auctioned'"),
  "q: a case-number prefix (5300-2021)": spec(() => ({ q: "5300-2021" }), () => "c.case_no like '5300-2021-%'"),
  "q: a case-number prefix, whole year 2021": spec(() => ({ q: "5300-2021", from: "2021-01-01", to: "2021-12-31" }), () => "c.case_no like '5300-2021-%'"),
  "q: a right holder's name word": spec(() => ({ q: ref.holderWord }), () => fts(ref.holderWord)),
  "q: a goods word, district 5300": spec(() => ({ q: ref.goodsWord, district: ["5300"] }), () => `${fts(ref.goodsWord)} and ${inDistrict("5300")}`),
  "q: the deleted case's number": spec(() => ({ q: ref.deleted.caseNo }), () => `c.case_no = '${ref.deleted.caseNo}'`),
  "everything at once": spec(
    () => ({
      district: ["5300"], from: "2016-03-15", to: "2021-12-31", type: ["trademark"], direction: ["export"], channel: ["express", "general_freight"],
      status: ["closed", "penalised"], industry: ["luxury", "apparel_sportswear", "wireless_ic"],
    }),
    () => `${inDistrict("5300")} and c.infringement_type = 'trademark' and c.direction = 'export' and c.channel in ('express', 'general_freight')
           and c.status in ('closed', 'penalised')
           and c.id in (select l.case_id from case_right_holders l join right_holders h on h.id = l.right_holder_id
                        where h.industry in ('luxury', 'apparel_sportswear', 'wireless_ic'))`,
  ),
};

describe.each(ENGINES)("the dashboard's figures on %s", (dialect) => {
  beforeAll(async () => {
    t = await sameData(dialect, "stats", seeded({ cases: 20_000, seed: 9 }, fill));
    e = t.e;
  }, 180_000);
  afterAll(() => t?.close());

  describe("every figure of the dashboard equals an independent aggregate over the base tables", () => {
    it.each(Object.keys(SPECS))("%s", async (label) => {
      const s = SPECS[label]!;
      const filters = s.filters();
      const where = s.where();
      const got = await getDashboardStats(e, filters, {}, TODAY);
      const expected = expectedStats(where, filters.from, filters.to);
      const { previous, comparison: _comparison, ...rest } = got; // the comparison: tests/integration/comparison.test.ts
      // one chart at a time, so a failure names the chart
      for (const key of Object.keys(expected) as (keyof typeof expected)[]) expect(rest[key], `${label}: ${key}`).toEqual(expected[key]);
      expect(Object.keys(rest).sort()).toEqual(Object.keys(expected).sort());

      const period = previousPeriod(filters.from, filters.to, TODAY);
      if (!period) expect(previous).toBeNull();
      else {
        expect(previous, `${label}: previous`).toEqual({ ...period, kpis: expectedKpis(where, period.from, period.to) });
      }
    });

    it("covers both the year tallies and the row scan, with cases in most filters", async () => {
      const nonEmpty: string[] = [];
      for (const label of Object.keys(SPECS)) if ((await getDashboardStats(e, SPECS[label]!.filters(), {}, TODAY)).kpis.cases > 0) nonEmpty.push(label);
      expect(nonEmpty.length).toBeGreaterThanOrEqual(Object.keys(SPECS).length - 2);
    });
  });

  // A member (lib/roles.ts caseScope): the same figures over the cases that name its company,
  // with only its own links counted, so no other company's industry or id enters any figure.
  const MEMBER_SPECS = [
    "no filter",
    "a partial-year range (2016-03-15 … 2018-07-31)",
    "district 5300 + trademark",
    "campaign qingfeng, 2015–2017",
    "industries luxury + automotive, district 5300, 2020",
    "q: a case-number prefix (5300-2021)",
    "everything at once",
  ];

  describe("a member's dashboard equals the same aggregates over its own cases and its own links", () => {
    it.each(MEMBER_SPECS)("%s", async (label) => {
      const s = SPECS[label]!;
      const filters = s.filters();
      const own = [ref.topHolder];
      const got = await getDashboardStats(e, filters, { restrictToHolders: own }, TODAY);
      const { previous: _, comparison: _comparison, ...rest } = got;
      const where = `(${s.where()}) and ${ofHolder(ref.topHolder)}`;
      const ownIndustry = all<{ industry: string }>(`select industry from right_holders where id = ${ref.topHolder}`)[0]!.industry;
      // "industries …" names industries; a member's industry filter matches only its own industry
      const expected = label.startsWith("industries") && !["luxury", "automotive"].includes(ownIndustry)
        ? expectedStats("0", filters.from, filters.to, own)
        : expectedStats(where, filters.from, filters.to, own);
      for (const key of Object.keys(expected) as (keyof typeof expected)[]) expect(rest[key], `${label}: ${key}`).toEqual(expected[key]);
      // its own company is the only right holder, and only its own industry has figures
      expect(got.kpis.rightHolders).toBe(got.kpis.cases ? 1 : 0);
      expect(got.byIndustry.filter((r) => r.cases > 0).map((r) => r.value)).toEqual(got.kpis.cases ? [ownIndustry] : []);
    });

    it("has cases shared with other companies, whose industries stay out of its figures", async () => {
      const shared = all<{ n: number }>(`select count(*) as n from case_right_holders a join case_right_holders b
        on a.case_id = b.case_id and b.right_holder_id <> a.right_holder_id where a.right_holder_id = ${ref.topHolder}`)[0]!.n;
      expect(shared).toBeGreaterThan(0);
    });

    it("another company's id or industry as a filter selects none of its cases", async () => {
      const own = [ref.topHolder];
      const other = all<{ id: number; industry: string }>(`select h.id, h.industry from case_right_holders a join case_right_holders b
        on a.case_id = b.case_id and b.right_holder_id <> a.right_holder_id join right_holders h on h.id = b.right_holder_id
        where a.right_holder_id = ${ref.topHolder} and h.industry <> (select industry from right_holders where id = ${ref.topHolder}) limit 1`)[0]!;
      expect((await getDashboardStats(e, f({ holder: [other.id] }), { restrictToHolders: own }, TODAY)).kpis.cases).toBe(0);
      expect((await getDashboardStats(e, f({ industry: [other.industry as Filters["industry"][number]] }), { restrictToHolders: own }, TODAY)).kpis.cases).toBe(0);
      expect([...(await holderFigures(e, f({}), { restrictToHolders: own })).keys()]).toEqual([ref.topHolder]);
    });
  });

  describe("a deleted case", () => {
    it("leaves every figure that included it, by exactly its cases, pieces and value", async () => {
      expect(ref.deleted.id).toBeGreaterThan(0);
      for (const [label, filters] of includesDeleted()) {
        const before = ref.beforeDelete.get(label)!;
        const after = (await getDashboardStats(e, filters, {}, TODAY)).kpis;
        expect({ cases: after.cases, pieces: after.pieces, valueFen: after.valueFen }, label).toEqual({
          cases: before.cases - 1,
          pieces: before.pieces - ref.deleted.pieces,
          valueFen: before.valueFen - ref.deleted.valueFen,
        });
      }
    });

    it("has left every derived figure in step with the cases", async () => {
      expect(await derivedMismatches(e)).toEqual([]);
    });

    it("is not found by its own case number", async () => {
      const stats = await getDashboardStats(e, f({ q: ref.deleted.caseNo }), {}, TODAY);
      expect(stats.kpis).toEqual({ cases: 0, pieces: 0, valueFen: 0, rightHolders: 0, avgValueFen: null });
      expect(stats.byYear).toEqual([]);
      expect(stats.byDistrict).toEqual([]);
      expect(stats.byOffice).toEqual([]);
    });
  });

  describe("the published figures of DESIGN.md through getDashboardStats", () => {
    it("district 8600, 2016-01-01 … 2017-06-07: 63 cases, RMB 6,250,000.00, 300,000–400,000 pieces, more than 90 right holders", async () => {
      const { kpis } = await getDashboardStats(e, f({ district: ["8600"], from: "2016-01-01", to: "2017-06-07" }), {}, TODAY);
      expect(kpis.cases).toBe(63);
      expect(kpis.valueFen).toBe(625_000_000);
      expect(kpis.pieces).toBeGreaterThanOrEqual(300_001);
      expect(kpis.pieces).toBeLessThanOrEqual(399_999);
      expect(kpis.rightHolders).toBeGreaterThan(90);
    });

    it("district 8600, 2014: 96 cases, RMB 7,000,000.00, 544,000 pieces", async () => {
      const { kpis } = await getDashboardStats(e, f({ district: ["8600"], from: "2014-01-01", to: "2014-12-31" }), {}, TODAY);
      expect(kpis).toMatchObject({ cases: 96, valueFen: 700_000_000, pieces: 544_000 });
    });

    it("Qingfeng in district 8600, 2015–2017: 214 cases, RMB 14,720,000.00, more than 630,000 pieces, 276 right holders", async () => {
      const { kpis } = await getDashboardStats(e, f({ district: ["8600"], campaign: ["qingfeng"], from: "2015-01-01", to: "2017-12-31" }), {}, TODAY);
      expect(kpis).toMatchObject({ cases: 214, valueFen: 1_472_000_000, rightHolders: 276 });
      expect(kpis.pieces).toBeGreaterThan(630_000);
    });
  });

  describe("holderFigures", () => {
    it.each([
      "no filter",
      "district 8600, 2016-01-01 … 2017-06-07",
      "industries luxury + automotive, district 5300, 2020",
      "campaign longteng + trademark, 2019-03-01 … 2021-06-30",
    ])("%s: per-holder cases, pieces and value equal the SQL aggregate", async (label) => {
      const s = SPECS[label]!;
      const filters = s.filters();
      const got = [...(await holderFigures(e, filters))].sort(([a], [b]) => a - b);
      expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(expectedHolderFigures(s.where(), filters.from, filters.to));
    });
  });

  // ---- the filter bar's facets -------------------------------------------------------------

  /** What a facet's GROUP BY over the cases gives, under every filter but its own (the table's where-clause). */
  async function expectedFacet(filters: Filters, facet: FacetName, options: FilterOptions): Promise<Map<string, number>> {
    const lite = sqliteEngine(drizzleOf(oracle));
    const where = await casesWhere(lite, filters, { ...options, except: facet });
    const key: Record<FacetName, string> = {
      district: "coalesce(d.code, o.code)",
      office: "case when o.district_id is null then null else o.code end",
      type: "cases.infringement_type",
      category: "cases.goods_category",
      direction: "cases.direction",
      channel: "cases.channel",
      transport: "cases.transport",
      mode: "cases.protection_mode",
      status: "cases.status",
      disposal: "coalesce(cases.disposal, 'none')",
      industry: "h.industry",
      holder: "cast(l.right_holder_id as text)",
      campaign: "cp.code",
    };
    const links = facet === "industry" || facet === "holder"
      ? `join case_right_holders l on l.case_id = cases.id${ownLinks(options.restrictToHolders)} join right_holders h on h.id = l.right_holder_id` : "";
    const rows = (await lite.all(sql`select ${sql.raw(key[facet])} as value, count(distinct cases.id) as n from cases
      join customs_offices o on o.id = cases.office_id left join customs_offices d on d.id = o.district_id
      left join campaigns cp on cp.id = cases.campaign_id ${sql.raw(links)}
      where ${where} group by 1`)) as { value: string | null; n: number }[];
    return new Map(rows.filter((r) => r.value !== null).map((r) => [r.value!, r.n]));
  }

  describe("the filter bar's facet counts equal a GROUP BY over the cases, each without its own filter", () => {
    it.each(Object.keys(SPECS))("%s", async (label) => {
      const filters = SPECS[label]!.filters();
      const got = await facetCounts(e, filters);
      for (const facet of FACET_NAMES) expect(got[facet], `${label}: ${facet}`).toEqual(await expectedFacet(filters, facet, {}));
    });

    it("for a member, counting only the cases of their own company", async () => {
      const options = { restrictToHolders: [ref.topHolder] };
      for (const label of ["no filter", "district 5300 + trademark", "campaign qingfeng, 2015–2017", "q: a right holder's name word"]) {
        const filters = SPECS[label]!.filters();
        const got = await facetCounts(e, filters, options);
        for (const facet of FACET_NAMES) expect(got[facet], `${label}: ${facet}`).toEqual(await expectedFacet(filters, facet, options));
        expect([...got.holder.keys()]).toContain(String(ref.topHolder));
      }
    });
  });
});
