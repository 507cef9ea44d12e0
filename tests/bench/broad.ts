// The filters issue 14 measured as slow (any filter the old cube did not hold read every
// matching row into JavaScript): the dashboard's data, the facet counts and the totals, each
// computed afresh. Used by `npm run bench`; alone: tsx --conditions=react-server tests/bench/broad.ts
import type { Engine } from "../../db/engine";
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

async function timed(fn: () => unknown, rounds = 3): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export async function broadLines(e: Engine): Promise<void> {
  await getDashboardStats(e, EMPTY_FILTERS); // first use (loads what the reads keep)
  console.log(`\nbroad filters, each afresh (median of 3, ms)    dashboard    facets    totals`);
  for (const [label, filters] of BROAD) {
    const dash = await timed(() => (forgetKeptAnswers(e), getDashboardStats(e, filters)));
    const facets = await timed(() => (forgetKeptAnswers(e), facetCounts(e, filters)));
    const totals = await timed(() => (forgetKeptAnswers(e), caseTotals(e, { ...filters, from: "2016-03-05" })));
    console.log(`  ${label.padEnd(58)} ${dash.toFixed(1).padStart(8)} ${facets.toFixed(1).padStart(9)} ${totals.toFixed(1).padStart(9)}`);
  }
}

if (process.argv[1] && /broad\.ts$/.test(process.argv[1])) {
  const { closeEngine, openEngine } = await import("../../db/open");
  const e = openEngine(process.env.DATABASE_URL?.trim() || "file:data/bench-1000000.db", { server: true });
  await broadLines(e);
  await closeEngine(e);
}
