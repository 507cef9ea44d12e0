import "server-only";
import { and, count, inArray, isNull, sql, sum } from "drizzle-orm";
import type { Filters } from "../../lib/filters";
import { toMatchExpression } from "../../lib/search";
import { casesWhere, type FilterOptions } from "../case-filters";
import type { Db } from "../open";
import { caseRollup, cases, customsOffices } from "../schema";

export type CaseTotals = { cases: number; pieces: number; valueFen: number };

const ROLLED_UP: (keyof Filters)[] = ["from", "to", "district", "type", "category"];

/** The rollup serves a filter that uses only dates, direct districts, types and categories. */
function rollupServes(db: Db, filters: Filters, options: FilterOptions): boolean {
  if (options.restrictToHolders || options.except) return false;
  for (const [name, value] of Object.entries(filters) as [keyof Filters, unknown][]) {
    if (ROLLED_UP.includes(name)) continue;
    if (Array.isArray(value) ? value.length > 0 : value !== null) return false;
  }
  if (!filters.district.length) return true;
  const districts = db
    .select({ n: count() })
    .from(customsOffices)
    .where(and(inArray(customsOffices.code, filters.district), isNull(customsOffices.districtId)))
    .get()!.n;
  return districts === filters.district.length;
}

function baseTotals(db: Db, filters: Filters, options: FilterOptions): CaseTotals {
  const row = db
    .select({ cases: count(), pieces: sum(cases.pieces).mapWith(Number), valueFen: sum(cases.valueFen).mapWith(Number) })
    .from(cases)
    .where(casesWhere(db, filters, options))
    .get()!;
  return { cases: row.cases, pieces: row.pieces ?? 0, valueFen: row.valueFen ?? 0 };
}

function add(a: CaseTotals, b: CaseTotals): CaseTotals {
  return { cases: a.cases + b.cases, pieces: a.pieces + b.pieces, valueFen: a.valueFen + b.valueFen };
}

/**
 * Cases, pieces and value of the filtered set. Whole years come from case_rollup; a partial
 * year at either end of the date range, and any filter the rollup does not hold, from cases.
 */
export function caseTotals(db: Db, filters: Filters, options: FilterOptions = {}): CaseTotals {
  if (!rollupServes(db, filters, options)) return baseTotals(db, filters, options);

  const fromYear = filters.from ? Number(filters.from.slice(0, 4)) + (filters.from.endsWith("-01-01") ? 0 : 1) : -Infinity;
  const toYear = filters.to ? Number(filters.to.slice(0, 4)) - (filters.to.endsWith("-12-31") ? 0 : 1) : Infinity;
  let totals: CaseTotals = { cases: 0, pieces: 0, valueFen: 0 };

  if (fromYear > toYear) return baseTotals(db, filters, options); // a range inside one year

  const parts = [
    Number.isFinite(fromYear) ? sql`${caseRollup.year} >= ${fromYear}` : undefined,
    Number.isFinite(toYear) ? sql`${caseRollup.year} <= ${toYear}` : undefined,
    filters.type.length ? inArray(caseRollup.infringementType, filters.type) : undefined,
    filters.category.length ? inArray(caseRollup.goodsCategory, filters.category) : undefined,
    filters.district.length
      ? inArray(caseRollup.districtId, sql`(select id from ${customsOffices} where code in ${filters.district})`)
      : undefined,
  ];
  const rolled = db
    .select({
      cases: sql<number>`coalesce(sum(${caseRollup.cases}), 0)`,
      pieces: sql<number>`coalesce(sum(${caseRollup.pieces}), 0)`,
      valueFen: sql<number>`coalesce(sum(${caseRollup.valueFen}), 0)`,
    })
    .from(caseRollup)
    .where(and(...parts))
    .get()!;
  totals = add(totals, rolled);
  if (filters.from && !filters.from.endsWith("-01-01")) {
    totals = add(totals, baseTotals(db, { ...filters, to: `${filters.from.slice(0, 4)}-12-31` }, options));
  }
  if (filters.to && !filters.to.endsWith("-12-31")) {
    totals = add(totals, baseTotals(db, { ...filters, from: `${filters.to.slice(0, 4)}-01-01` }, options));
  }
  return totals;
}

export function countCases(db: Db, filters: Filters, options: FilterOptions = {}): number {
  if (rollupServes(db, filters, options)) return caseTotals(db, filters, options).cases;
  // the search index holds live cases only, so a text-only filter is counted there
  const onlyText = filters.q && !options.restrictToHolders && !options.except &&
    (Object.entries(filters) as [keyof Filters, unknown][]).every(([name, v]) => name === "q" || (Array.isArray(v) ? v.length === 0 : v === null));
  if (onlyText) {
    const match = toMatchExpression(filters.q!);
    if (!match) return 0;
    return (db.get(sql`select count(*) as n from cases_fts where cases_fts match ${match}`) as { n: number }).n;
  }
  return db.select({ n: count() }).from(cases).where(casesWhere(db, filters, options)).get()!.n;
}


