import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteEngine, type Engine } from "../../db/engine";
import { caseTotals, listCases } from "../../db/queries/cases";
import { facetCounts, forgetKeptAnswers, getDashboardStats } from "../../db/queries/stats";
import { countCases } from "../../db/queries/totals";
import { createRandom } from "../../lib/prng";
import { DEFAULT_SORT, EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { seedDatabase } from "../../seed/run";
import { freshDb } from "../support/db";
import {
  badShapes, combinations, combinedFilters, filterKinds, label, plainTotals, recordPlans, type FilterKind,
} from "../support/filter-combinations";

// Filter combinations (a seeded sample of the pairs and triples that `npm run bench` runs in
// full at a million cases): every read the pages run gives what plain SQL gives, and no query
// plan has a shape that made a request run for minutes (issue 13). The plan, not the time,
// is checked: the same on any machine. SQLite's plans: this file runs on SQLite only (the
// same reads on PostgreSQL answer as on SQLite, tests/integration/engines-agree.test.ts).

let t: ReturnType<typeof freshDb>;
let e: Engine;
let kinds: FilterKind[];
beforeAll(async () => {
  t = freshDb("plans");
  e = sqliteEngine(t.db);
  await seedDatabase(t.db.$client, { cases: 20_000, seed: 13 });
  kinds = filterKinds(t.db.$client);
}, 120_000);
afterAll(() => t.close());

const SAMPLE = 40;

function sample(): FilterKind[][] {
  const random = createRandom(2026_11_30);
  const all = [...combinations(kinds, 2), ...combinations(kinds, 3)];
  const chosen = random.shuffle([...all]).slice(0, SAMPLE);
  // the request of issue 13 (a date, an industry and a word) is always among them
  const issue = ["dates", "industry", "q"].map((n) => kinds.find((k) => k.name === n)!);
  return [issue, ...chosen.filter((c) => label(c) !== label(issue))];
}

/** Every read of the dashboard, the case table and the API for one filter, as the pages run them. */
async function runPages(filters: Filters) {
  forgetKeptAnswers(e);
  const page = await listCases(e, { filters, sort: DEFAULT_SORT, page: 1, size: 25 });
  const byValue = await listCases(e, { filters, sort: { key: "value", dir: "desc" }, page: 2, size: 25 });
  return {
    page,
    byValue,
    totals: await caseTotals(e, filters),
    count: await countCases(e, filters),
    stats: await getDashboardStats(e, filters),
    facets: await facetCounts(e, filters),
  };
}

describe("filter combinations on SQLite", () => {
  it("the plan check finds the shapes of issue 13 in the old holder condition", async () => {
    const sqlite = t.db.$client;
    const holders = sqlite.prepare("select id from right_holders where industry = 'personal_care'").pluck().all() as number[];
    const probe = `exists (select 1 from case_right_holders l where l.case_id = cases.id and l.right_holder_id in (${holders.join(",")}))`;
    const plans = await recordPlans(sqlite, () => {
      sqlite.prepare(`select count(*) from cases where deleted_at is null and seized_on >= '2020-01-01' and ${probe}`).get();
      sqlite.prepare(`select count(*) from cases where deleted_at is null and seized_on >= '2020-01-01' and ${probe}
        and id in (select rowid from cases_fts where cases_fts match '"counterfeit"*') limit 0`).all();
    });
    expect(plans).toHaveLength(2);
    expect(badShapes(plans[0]!).join()).toMatch(/seeks each listed holder/);
    expect(badShapes(plans[1]!).join()).toMatch(/text-search list used again/);
  });

  it(`a seeded sample of ${SAMPLE} pairs and triples: plain SQL's answers, and no bad plan`, async () => {
    const problems: string[] = [];
    for (const combination of sample()) {
      const filters = combinedFilters(combination);
      let result!: Awaited<ReturnType<typeof runPages>>;
      const plans = await recordPlans(t.db.$client, async () => (result = await runPages(filters)));
      const expected = plainTotals(t.db.$client, combination);
      // the counts come from the aggregate store: an empty set needs no statement over the cases
      if (expected.cases > 0) expect(plans.length).toBeGreaterThan(0);
      for (const p of plans) for (const bad of badShapes(p)) problems.push(`${label(combination)}: ${bad}\n  in ${p.sql.slice(0, 300)}`);

      const name = label(combination);
      expect(result.totals, name).toEqual(expected);
      expect(result.count, name).toBe(expected.cases);
      expect(result.page.total, name).toBe(expected.cases);
      expect({ cases: result.stats.kpis.cases, pieces: result.stats.kpis.pieces, valueFen: result.stats.kpis.valueFen }, name).toEqual(expected);
      const where = combination.map((k) => `and ${k.sql}`).join(" ");
      const from = `from cases c join customs_offices o on o.id = c.office_id left join customs_offices d on d.id = o.district_id where c.deleted_at is null ${where}`;
      const ids = (sql: string) => (t.db.$client.prepare(sql).pluck().all() as number[]);
      expect(result.page.rows.map((r) => r.id), name).toEqual(ids(`select c.id ${from} order by c.seized_on desc, c.id desc limit 25`));
      expect(result.byValue.rows.map((r) => r.id), name).toEqual(ids(`select c.id ${from} order by c.value_fen desc, c.id desc limit 25 offset 25`));
      // a facet the combination does not set counts the combination's cases by its values
      // (the first of these the combination leaves unset: with both status and type set, the type
      // facet would ignore its own filter, and its counts would not be the combination's)
      const columns = { status: "c.status", type: "c.infringement_type", channel: "c.channel" } as const;
      const facet = (Object.keys(columns) as (keyof typeof columns)[]).find((f) => !combination.some((k) => k.name === f))!;
      const column = columns[facet];
      const counts = new Map((t.db.$client.prepare(`select ${column} as k, count(*) as n ${from} group by 1`).all() as { k: string; n: number }[]).map((r) => [r.k, r.n]));
      expect(result.facets[facet], name).toEqual(counts);
    }
    expect(problems).toEqual([]);
  });

  it("the dashboard figures of issue 13's request equal plain SQL", async () => {
    const filters: Filters = { ...EMPTY_FILTERS, from: "2020-01-01", industry: ["personal_care"], q: "counterfeit" };
    const expected = plainTotals(t.db.$client, [
      { name: "from", filters: {}, sql: "c.seized_on >= '2020-01-01'" },
      kinds.find((k) => k.name === "industry")!,
      kinds.find((k) => k.name === "q")!,
    ]);
    expect(expected.cases).toBeGreaterThan(0);
    const plans = await recordPlans(t.db.$client, async () => {
      forgetKeptAnswers(e);
      expect((await getDashboardStats(e, filters)).kpis).toMatchObject(expected);
    });
    expect(plans.flatMap(badShapes)).toEqual([]);
  });
});
