import "server-only";
import { directions, goodsCategories, infringementTypes } from "../../lib/enums";
import { marketMinCases } from "../../lib/env";
import {
  buildRelease, viewPeriod,
  type CountedCell, type MarketRow, type MarketSource, type MarketView, type Release,
} from "../../lib/suppression";
import { keptAnswer } from "../kept";
import type { Engine } from "../engine";
import { marketCounts } from "../aggregate/plan";

// The market section: a fixed set of published tables about all live cases — figures by
// year, and by customs district, infringement type, goods category and direction × year —
// with the disclosure control of lib/suppression.ts. The national figures and the cases naming
// the requesting member's company (for the dominance rule, its own links only) come from one
// scan of the aggregate store (db/aggregate).

/** The row × year tables of the release, in the order they are shown. */
export const MARKET_TABLES = ["district", "type", "category", "direction"] as const;
export type MarketTableName = (typeof MARKET_TABLES)[number];

/** The threshold in force: MARKET_MIN_CASES, default 10 (a bad value is a ConfigError). */
export function marketThreshold(): number {
  return marketMinCases();
}

type Counted = { cases: number; pieces: number; valueFen: number };
type Row = Counted & { year: number; k: string | number };

const enumRows = (e: { values: readonly string[]; labels: Record<string, { en: string; zh: string }> }): MarketRow[] =>
  e.values.map((v) => ({ key: v, en: e.labels[v]!.en, zh: e.labels[v]!.zh }));

/** Everything the release is made of: national figures and the holder's own case counts, from the aggregate store. */
async function countMarket(e: Engine, holderId: number | null): Promise<MarketSource> {
  const counted = await marketCounts(e, holderId);

  const { customsOffices } = e.t;
  const offices = await e.db
    .select({ id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh, districtId: customsOffices.districtId })
    .from(customsOffices)
    .orderBy(customsOffices.id);
  const districtOf = new Map(offices.map((o) => [o.id, o.districtId ?? o.id]));
  const districts = offices.filter((o) => o.districtId === null).sort((a, b) => a.code.localeCompare(b.code));

  const byYearRows: Row[] = counted.byYear;
  const years = byYearRows.map((r) => r.year).sort((a, b) => a - b);
  const yearIndex = new Map(years.map((y, i) => [y, i]));

  // the cases naming the holder, by year and every dimension of the tables (its own cases only)
  const own = counted.own.map((o) => ({ ...o, district: districtOf.get(o.office)! }));

  const grid = (rows: MarketRow[]) => rows.map(() => years.map((): CountedCell => ({ cases: 0, pieces: 0, valueFen: 0, othersCases: 0 })));
  const fill = (cells: CountedCell[][], rowIndex: Map<string, number>, data: Row[], keyOf: (r: Row) => string) => {
    for (const r of data) {
      const cell = cells[rowIndex.get(keyOf(r))!]![yearIndex.get(r.year)!]!;
      cell.cases += r.cases;
      cell.pieces += r.pieces;
      cell.valueFen += r.valueFen;
      cell.othersCases += r.cases;
    }
  };
  const subtractOwn = (cells: CountedCell[][], rowIndex: Map<string, number>, keyOf: (o: (typeof own)[number]) => string) => {
    for (const o of own) cells[rowIndex.get(keyOf(o))!]![yearIndex.get(o.year)!]!.othersCases -= o.n;
  };
  const table = (name: MarketTableName, rows: MarketRow[], data: Row[], keyOf: (r: Row) => string, ownKey: (o: (typeof own)[number]) => string) => {
    const rowIndex = new Map(rows.map((r, i) => [r.key, i]));
    const cells = grid(rows);
    fill(cells, rowIndex, data, keyOf);
    subtractOwn(cells, rowIndex, ownKey);
    return { name, rows, cells };
  };

  const districtRows = districts.map((d) => ({ key: d.code, en: d.nameEn, zh: d.nameZh }));
  const codeOfId = new Map(districts.map((d) => [d.id, d.code]));
  const byYear = years.map((): CountedCell => ({ cases: 0, pieces: 0, valueFen: 0, othersCases: 0 }));
  fill([byYear], new Map([["", 0]]), byYearRows, () => "");
  for (const o of own) byYear[yearIndex.get(o.year)!]!.othersCases -= o.n;

  return {
    years,
    byYear,
    tables: [
      table("district", districtRows, counted.office, (r) => codeOfId.get(districtOf.get(Number(r.k))!)!, (o) => codeOfId.get(o.district)!),
      table("type", enumRows(infringementTypes), counted.type, (r) => String(r.k), (o) => o.type),
      table("category", enumRows(goodsCategories), counted.category, (r) => String(r.k), (o) => o.category),
      table("direction", enumRows(directions), counted.direction, (r) => String(r.k), (o) => o.direction),
    ],
  };
}

// ---- releases kept until the database changes (as db/queries/stats.ts keeps its answers) ----
// The release depends on the data, the threshold and the requester's company only; it is
// computed once per data version and company, and a period is a cheap view of it.

const KEPT_RELEASES = 50;

/**
 * The whole release for a requester: `holderId` is the member's company (its cases count
 * for the dominance rule), null for analysts and admins (no company of their own).
 */
export async function marketRelease(e: Engine, holderId: number | null, threshold: number = marketThreshold()): Promise<Release> {
  return keptAnswer(e, "market", KEPT_RELEASES, `${holderId ?? "-"}:${threshold}`, async () => buildRelease(await countMarket(e, holderId), threshold));
}

/** The published market tables of the whole years fromYear … toYear, for a requester (see marketRelease). */
export async function getMarketView(e: Engine, holderId: number | null, fromYear: number, toYear: number, threshold?: number): Promise<MarketView> {
  return viewPeriod(await marketRelease(e, holderId, threshold), fromYear, toYear);
}
