import "server-only";
import type { Filters } from "../../lib/filters";
import { tally } from "../aggregate/plan";
import type { FilterOptions } from "../case-filters";
import type { Engine } from "../engine";
import { keptAnswer } from "../kept";

// The totals bar and the table's count: the cases, pieces and value of the filtered set, from
// the aggregate store through its one planner (db/aggregate), for any filter, and kept until
// the database changes (db/kept.ts) as the dashboard's figures are.

export type CaseTotals = { cases: number; pieces: number; valueFen: number };

const KEPT_TOTALS = 200;

/** Cases, pieces and value of the filtered set. */
export async function caseTotals(e: Engine, filters: Filters, options: FilterOptions = {}): Promise<CaseTotals> {
  return keptAnswer(e, "totals", KEPT_TOTALS, JSON.stringify([filters, options]), async () => {
    const all = (await tally(e, filters, options, { dims: ["all"], year: false, office: false })).dims.get("all")!.get("");
    return Object.freeze({ cases: all?.cases ?? 0, pieces: all?.pieces ?? 0, valueFen: all?.valueFen ?? 0 });
  });
}

/** How many cases the filter matches (the case table's total). */
export async function countCases(e: Engine, filters: Filters, options: FilterOptions = {}): Promise<number> {
  return (await caseTotals(e, filters, options)).cases;
}
