import "server-only";
import { and, count, inArray, isNull, sql, sum, type SQL } from "drizzle-orm";
import type { Filters } from "../../lib/filters";
import { toMatchExpression } from "../../lib/search";
import { casesWhere, type FilterOptions } from "../case-filters";
import type { Db } from "../open";
import { campaigns, caseFlowRollup, caseRightHolders, caseRollup, cases, customsOffices, rightHolders } from "../schema";

export type CaseTotals = { cases: number; pieces: number; valueFen: number };

type Rollup = {
  table: typeof caseRollup | typeof caseFlowRollup;
  filters: (keyof Filters)[];
  conditions: (filters: Filters) => (SQL | undefined)[];
};

// Which filters each rollup can answer, and how they become conditions on its cells.
const ROLLUPS: Rollup[] = [
  {
    table: caseRollup,
    filters: ["from", "to", "district", "type", "category"],
    conditions: (f) => [
      f.type.length ? inArray(caseRollup.infringementType, f.type) : undefined,
      f.category.length ? inArray(caseRollup.goodsCategory, f.category) : undefined,
    ],
  },
  {
    table: caseFlowRollup,
    filters: ["from", "to", "district", "direction", "channel", "transport", "mode", "status", "campaign"],
    conditions: (f) => [
      f.direction.length ? inArray(caseFlowRollup.direction, f.direction) : undefined,
      f.channel.length ? inArray(caseFlowRollup.channel, f.channel) : undefined,
      f.transport.length ? inArray(caseFlowRollup.transport, f.transport) : undefined,
      f.mode.length ? inArray(caseFlowRollup.protectionMode, f.mode) : undefined,
      f.status.length ? inArray(caseFlowRollup.status, f.status) : undefined,
      f.campaign.length ? inArray(caseFlowRollup.campaignId, sql`(select id from ${campaigns} where code in ${f.campaign})`) : undefined,
    ],
  },
];

/** The rollup that holds every filter in use (dates, direct districts and its own columns), if any. */
function servingRollup(db: Db, filters: Filters, options: FilterOptions): Rollup | null {
  if (options.restrictToHolders || options.except) return null;
  const used = (Object.entries(filters) as [keyof Filters, unknown][])
    .filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== null))
    .map(([name]) => name);
  const rollup = ROLLUPS.find((r) => used.every((name) => r.filters.includes(name)));
  if (!rollup) return null;
  if (!filters.district.length) return rollup;
  const districts = db
    .select({ n: count() })
    .from(customsOffices)
    .where(and(inArray(customsOffices.code, filters.district), isNull(customsOffices.districtId)))
    .get()!.n;
  return districts === filters.district.length ? rollup : null;
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
 * Cases, pieces and value of the filtered set. Whole years come from a rollup; a partial
 * year at either end of the date range, and any filter the rollup does not hold, from cases.
 */
export function caseTotals(db: Db, filters: Filters, options: FilterOptions = {}): CaseTotals {
  const rollup = servingRollup(db, filters, options);
  if (!rollup) return baseTotals(db, filters, options);
  const table = rollup.table;

  const fromYear = filters.from ? Number(filters.from.slice(0, 4)) + (filters.from.endsWith("-01-01") ? 0 : 1) : -Infinity;
  const toYear = filters.to ? Number(filters.to.slice(0, 4)) - (filters.to.endsWith("-12-31") ? 0 : 1) : Infinity;
  let totals: CaseTotals = { cases: 0, pieces: 0, valueFen: 0 };

  if (fromYear > toYear) return baseTotals(db, filters, options); // a range inside one year

  const parts = [
    Number.isFinite(fromYear) ? sql`${table.year} >= ${fromYear}` : undefined,
    Number.isFinite(toYear) ? sql`${table.year} <= ${toYear}` : undefined,
    filters.district.length
      ? inArray(table.districtId, sql`(select id from ${customsOffices} where code in ${filters.district})`)
      : undefined,
    ...rollup.conditions(filters),
  ];
  const rolled = db
    .select({
      cases: sql<number>`coalesce(sum(${table.cases}), 0)`,
      pieces: sql<number>`coalesce(sum(${table.pieces}), 0)`,
      valueFen: sql<number>`coalesce(sum(${table.valueFen}), 0)`,
    })
    .from(table)
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
  if (servingRollup(db, filters, options)) return caseTotals(db, filters, options).cases;
  // a filter on right holders (or their industry) alone is counted over the links, less the
  // soft-deleted cases, instead of looking each case up
  const used = (Object.entries(filters) as [keyof Filters, unknown][]).filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== null));
  if (!options.restrictToHolders && !options.except && used.length === 1 && (used[0]![0] === "holder" || used[0]![0] === "industry")) {
    const holderIds =
      used[0]![0] === "holder"
        ? filters.holder
        : (db.all(sql`select id from ${rightHolders} where industry in ${filters.industry}`) as { id: number }[]).map((r) => r.id);
    if (!holderIds.length) return 0;
    return (
      db.get(sql`select count(distinct l.case_id) as n from ${caseRightHolders} l
                 where l.right_holder_id in ${holderIds}
                 and l.case_id not in (select id from ${cases} where deleted_at is not null)`) as { n: number }
    ).n;
  }
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


