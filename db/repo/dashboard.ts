import "server-only";
import { budgetedRead } from "../budget";
import { getEngine } from "../client";
import { listCampaigns, listRightHolders, type HolderRef, type Named } from "../queries/cases";
import { isDemoDatabase as isDemo } from "../queries/overview";
import { listDistrictsWithOffices, type DistrictFacts } from "../queries/reference";
import type { CaseTotals } from "../queries/totals";
import type { DashboardComparison, DashboardStats, FacetCounts, Figures, KpiComparison, Kpis } from "../queries/stats";
import { DEFAULT_COMPARISON, type ComparisonSpec } from "../../lib/period";
import type { Filters } from "../../lib/filters";
import type { Scope } from "../../lib/roles";
import { started } from "./started";

// The dashboard's reads and the filter explorer's: KPIs and charts, facet counts with the
// choices they count, the totals bar, figures per right holder. Each heavy read runs within
// the time budget (db/budget) over the reader's scope.

export type { CaseTotals, DashboardComparison, DashboardStats, FacetCounts, Figures, KpiComparison, Kpis };

/** KPIs (with the chosen comparison, the previous period by default) and every chart's figures for the filters, over the reader's scope. */
export function dashboardStats(scope: Scope, filters: Filters, comparison: ComparisonSpec = DEFAULT_COMPARISON): Promise<DashboardStats> {
  return started(budgetedRead("dashboardStats", filters, scope, undefined, comparison));
}

/**
 * The key figures of the filters against a chosen comparison, over the reader's scope (a
 * member: its own company's cases, in both periods): for a digest, a report or the API.
 */
export function compareKpis(scope: Scope, filters: Filters, comparison: ComparisonSpec = DEFAULT_COMPARISON): Promise<KpiComparison> {
  return budgetedRead("compareKpis", filters, comparison, scope);
}

/** Cases, pieces and value of the filtered cases (the totals bar). */
export function caseTotals(scope: Scope, filters: Filters): Promise<CaseTotals> {
  return started(budgetedRead("caseTotals", filters, scope));
}

/** Figures per right holder (the right holders' list page). */
export function holderFigures(scope: Scope, filters: Filters): Promise<Map<number, Figures>> {
  return budgetedRead("holderFigures", filters, scope);
}

/** What the facet selects show: the counts (each facet ignoring its own filter) and the choices. */
export type FacetData = {
  counts: FacetCounts;
  districts: DistrictFacts[];
  campaigns: Named[];
  /** a member's: its own company only */
  holders: HolderRef[];
};

export function facetData(scope: Scope, filters: Filters): Promise<FacetData> {
  return started(
    (async () => {
      const counts = await budgetedRead("facetCounts", filters, scope);
      const e = getEngine();
      return { counts, districts: await listDistrictsWithOffices(e), campaigns: await listCampaigns(e), holders: await listRightHolders(e, scope) };
    })(),
  );
}

/** Whether the database holds the generated demo data (the UI then says so). */
export async function isDemoDatabase(): Promise<boolean> {
  return isDemo(getEngine());
}
