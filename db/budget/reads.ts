import type { CaseQuery, Filters, Sort } from "../../lib/filters";
import type { FilterOptions } from "../case-filters";
import type { Engine } from "../engine";
import { listCases } from "../queries/cases";
import { openExportCursor } from "../queries/export";
import { getMarketView } from "../queries/market";
import { compareKpis, facetCounts, getDashboardStats, holderFigures } from "../queries/stats";
import type { ComparisonSpec } from "../../lib/period";
import { casesByRecordation } from "../queries/recordations";
import { caseTotals } from "../queries/totals";
import type { Scope } from "../../lib/roles";

// The reads a reader process (db/budget/worker.ts) runs for the server, by name. Arguments
// and results cross a process boundary (structured clone: plain data, Map, Date), so a read
// takes the reader's engine first and only such values after it. Add a read here to give it a
// time budget: `await budgetedRead("name", ...args)` (db/budget/pool.ts).

export const READS = {
  dashboardStats: (e: Engine, filters: Filters, options?: FilterOptions, today?: Date, comparison?: ComparisonSpec) => getDashboardStats(e, filters, options, today, comparison),
  compareKpis: (e: Engine, filters: Filters, comparison?: ComparisonSpec, options?: FilterOptions, today?: Date) => compareKpis(e, filters, comparison, options, today),
  facetCounts: (e: Engine, filters: Filters, options?: FilterOptions) => facetCounts(e, filters, options),
  holderFigures: (e: Engine, filters: Filters, options?: FilterOptions) => holderFigures(e, filters, options),
  listCases: (e: Engine, query: CaseQuery, options?: FilterOptions) => listCases(e, query, options),
  caseTotals: (e: Engine, filters: Filters, options?: FilterOptions) => caseTotals(e, filters, options),
  casesByRecordation: (e: Engine, filters: Filters, scope: Scope, limit?: number) => casesByRecordation(e, filters, scope, limit),
  marketView: (e: Engine, holderId: number | null, fromYear: number, toYear: number) => getMarketView(e, holderId, fromYear, toYear),
} satisfies Record<string, (e: Engine, ...args: never[]) => Promise<unknown>>;

/** A streamed read's rows, pulled a chunk at a time, and how to let it go. */
export type Cursor<R = unknown> = { rows: AsyncIterator<R>; close: () => void | Promise<void> };

/** Streamed reads: rows produced a chunk at a time (exports), over the reader's engine. */
export const STREAMS = {
  exportRows: (e: Engine, filters: Filters, sort: Sort, options?: FilterOptions) => openExportCursor(e, filters, sort, options),
} satisfies Record<string, (e: Engine, ...args: never[]) => Promise<Cursor>>;

export type Reads = typeof READS;
export type ReadName = keyof Reads;
export type ReadArgs<N extends ReadName> = Parameters<Reads[N]> extends [Engine, ...infer A] ? A : never;
export type ReadResult<N extends ReadName> = Awaited<ReturnType<Reads[N]>>;

export type Streams = typeof STREAMS;
export type StreamName = keyof Streams;
export type StreamArgs<N extends StreamName> = Parameters<Streams[N]> extends [Engine, ...infer A] ? A : never;
export type StreamRow<N extends StreamName> = Awaited<ReturnType<Streams[N]>>["rows"] extends AsyncIterator<infer R> ? R : never;
