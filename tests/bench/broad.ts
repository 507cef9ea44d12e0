// The filters issue 14 measured as slow (any filter the old cube did not hold read every
// matching row into JavaScript): the dashboard's data, the facet counts and the totals, each
// computed afresh. Used by `npm run bench`; alone: tsx --conditions=react-server tests/bench/broad.ts
import type { Db } from "../../db/sqlite/open";
import { caseTotals } from "../../db/queries/cases";
import { facetCounts, forgetKeptAnswers, getDashboardStats } from "../../db/queries/stats";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";

const f = (over: Partial<Filters>): Filters => ({ ...EMPTY_FILTERS, ...over });
export const BROAD: [string, Filters][] = [
  ["direction=export", f({ direction: ["export"] })],
  ["mode=ex_officio", f({ mode: ["ex_officio"] })],
  ["status=closed", f({ status: ["closed"] })],
  ["category=apparel_footwear", f({ category: ["apparel_footwear"] })],
  ["q=counterfeit", f({ q: "counterfeit" })],
  ["status=closed&district=5100&type=design_patent", f({ status: ["closed"], district: ["5100"], type: ["design_patent"] })],
  ["direction=export&mode=ex_officio&status=closed (broad set)", f({ direction: ["export"], mode: ["ex_officio"], status: ["closed"] })],
];

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timed(fn: () => unknown, rounds = 3): number {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export function broadLines(db: Db): void {
  getDashboardStats(db, EMPTY_FILTERS); // first use (loads what the reads keep)
  console.log(`\nbroad filters, each afresh (median of 3, ms)    dashboard    facets    totals`);
  for (const [label, filters] of BROAD) {
    const dash = timed(() => (forgetKeptAnswers(db), getDashboardStats(db, filters)));
    const facets = timed(() => (forgetKeptAnswers(db), facetCounts(db, filters)));
    const totals = timed(() => (forgetKeptAnswers(db), caseTotals(db, { ...filters, from: "2016-03-05" })));
    console.log(`  ${label.padEnd(58)} ${dash.toFixed(1).padStart(8)} ${facets.toFixed(1).padStart(9)} ${totals.toFixed(1).padStart(9)}`);
  }
}

if (process.argv[1] && /broad\.ts$/.test(process.argv[1])) {
  const { openDb, withServerCache } = await import("../../db/sqlite/open");
  const db = openDb(process.env.DATABASE_URL?.trim() || "file:data/bench-1000000.db");
  withServerCache(db.$client);
  broadLines(db);
  db.$client.close();
}
