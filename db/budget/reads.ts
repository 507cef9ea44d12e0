import type { CaseQuery, Filters, Sort } from "../../lib/filters";
import type { FilterOptions } from "../case-filters";
import { sqliteEngine, type Engine } from "../engine";
import type { Db } from "../sqlite/open";
import { caseTotals, listCases } from "../queries/cases";
import { openExportCursor } from "../queries/export";
import { getMarketView } from "../queries/market";
import { facetCounts, getDashboardStats, holderFigures } from "../queries/stats";

// The reads a reader process (db/budget/worker.ts) runs for the server, by name. Arguments
// and results cross a process boundary (structured clone: plain data, Map, Date), so a read
// takes its connection first and only such values after it. Add a read here to give it a
// time budget: `await budgetedRead("name", ...args)` (db/budget/pool.ts).

export const READS = {
  dashboardStats: (db: Db, filters: Filters, options?: FilterOptions, today?: Date) => getDashboardStats(db, filters, options, today),
  facetCounts: (db: Db, filters: Filters, options?: FilterOptions) => facetCounts(db, filters, options),
  holderFigures: (db: Db, filters: Filters, options?: FilterOptions) => holderFigures(db, filters, options),
  listCases: (db: Db, query: CaseQuery, options?: FilterOptions) => listCases(sqliteEngine(db), query, options),
  caseTotals: (db: Db, filters: Filters, options?: FilterOptions) => caseTotals(sqliteEngine(db), filters, options),
  marketView: (db: Db, holderId: number | null, fromYear: number, toYear: number) => getMarketView(sqliteEngine(db), holderId, fromYear, toYear),
} satisfies Record<string, (db: Db, ...args: never[]) => unknown>;

/** Streamed reads: rows produced a chunk at a time (exports), over the reader's engine. */
export const STREAMS = {
  exportRows: (e: Engine, filters: Filters, sort: Sort, options?: FilterOptions) => openExportCursor(e, filters, sort, options),
} satisfies Record<string, (e: Engine, ...args: never[]) => Promise<{ rows: AsyncIterator<unknown>; close: () => void }>>;

export type Reads = typeof READS;
export type ReadName = keyof Reads;
export type ReadArgs<N extends ReadName> = Parameters<Reads[N]> extends [Db, ...infer A] ? A : never;
export type ReadResult<N extends ReadName> = Awaited<ReturnType<Reads[N]>>;

export type Streams = typeof STREAMS;
export type StreamName = keyof Streams;
export type StreamArgs<N extends StreamName> = Parameters<Streams[N]> extends [Engine, ...infer A] ? A : never;
export type StreamRow<N extends StreamName> = Awaited<ReturnType<Streams[N]>>["rows"] extends AsyncIterator<infer R> ? R : never;
