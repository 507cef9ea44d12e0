import "server-only";
import type { Filters } from "../../lib/filters";
import { tally } from "../aggregate/plan";
import type { FilterOptions } from "../case-filters";
import { keptAnswer } from "../kept";
import type { Db } from "../sqlite/open";

// The totals bar and the table's count: the cases, pieces and value of the filtered set, from
// the aggregate store through its one planner (db/aggregate), for any filter, and kept until
// the database changes (db/kept.ts) as the dashboard's figures are.

export type CaseTotals = { cases: number; pieces: number; valueFen: number };

const KEPT_TOTALS = 200;

/** Cases, pieces and value of the filtered set. */
export function caseTotals(db: Db, filters: Filters, options: FilterOptions = {}): CaseTotals {
  return keptAnswer(db, "totals", KEPT_TOTALS, JSON.stringify([filters, options]), () => {
    const all = tally(db, filters, options, { dims: ["all"], year: false, office: false }).dims.get("all")!.get("");
    return Object.freeze({ cases: all?.cases ?? 0, pieces: all?.pieces ?? 0, valueFen: all?.valueFen ?? 0 });
  });
}

/** How many cases the filter matches (the case table's total). */
export function countCases(db: Db, filters: Filters, options: FilterOptions = {}): number {
  return caseTotals(db, filters, options).cases;
}
