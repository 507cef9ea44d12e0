import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresEngine, sqliteEngine, type Engine } from "../../db/engine";
import { softDeleteCase } from "../../db/mutations/cases";
import { caseTotals, filterNames, getCase, listCases } from "../../db/queries/cases";
import { openExportCursor } from "../../db/queries/export";
import type { FilterOptions } from "../../db/case-filters";
import { copyDatabase } from "../../db/copy";
import type { ExportRow } from "../../lib/export-columns";
import type { Filters, SortKey } from "../../lib/filters";
import { createRandom } from "../../lib/prng";
import { seedDatabase } from "../../seed/run";
import { freshDb } from "../support/db";
import { combinedFilters, filterKinds, label, type FilterKind } from "../support/filter-combinations";
import { freshPostgres } from "../support/postgres";

// The two engines answer alike: one seeded demo database, copied into PostgreSQL by db:copy,
// and a sample of filter combinations drawn with a seeded PRNG from every kind of filter
// (dates, places, every enum, holders, industries, campaigns, text in English and Chinese,
// case numbers) give, on SQLite and on PostgreSQL, the same totals, the same first pages for
// every sort (ids, order, every field), the same cases and the same filter names — for staff
// and for a member, whose answers never show another company.

const CASES = 3_000;
const COMBINATIONS = 36;
const SORTS: SortKey[] = ["seizedOn", "caseNo", "pieces", "value"];

let source: ReturnType<typeof freshDb>;
let postgres: Awaited<ReturnType<typeof freshPostgres>>;
let lite: Engine;
let pg: Engine;
let kinds: FilterKind[];
type Holder = { id: number; name: string; nameZh: string | null };
let holders: Map<number, Holder>;
let memberHolder: Holder;

beforeAll(async () => {
  source = freshDb("agree");
  const s = source.db.$client;
  await seedDatabase(s, { cases: CASES, seed: 11 });
  await softDeleteCase(sqliteEngine(source.db), 9, null);
  postgres = await freshPostgres();
  await copyDatabase({ from: `file:${source.file}`, to: postgres.url });
  lite = sqliteEngine(source.db);
  pg = postgresEngine(postgres.db);

  holders = new Map((s.prepare("select id, name, name_zh as nameZh from right_holders").all() as Holder[]).map((h) => [h.id, h]));
  // a member whose company has a fair number of cases, some shared with another company
  const memberId = s
    .prepare(`select l.right_holder_id from case_right_holders l
              where l.case_id in (select case_id from case_right_holders group by case_id having count(*) > 1)
              group by 1 order by count(*) desc, 1 limit 1 offset 2`)
    .pluck()
    .get() as number;
  memberHolder = holders.get(memberId)!;
  const sample = s.prepare("select c.case_no as caseNo, c.goods_description as goods from cases c where c.id = 1234").get() as { caseNo: string; goods: string };
  const withZh = s.prepare("select name_zh from right_holders where name_zh is not null order by id limit 1 offset 3").pluck().get() as string;
  const goodsWord = sample.goods.split(/\s+/).find((w) => /^[a-z]{5,}$/i.test(w)) ?? "bags";
  const [district, year] = sample.caseNo.split("-");
  const text = (name: string, q: string): FilterKind => ({ name, filters: { q }, sql: "" });
  kinds = [
    ...filterKinds(s),
    { name: "two districts", filters: { district: ["8600", "5300"] }, sql: "" },
    { name: "two statuses", filters: { status: ["detained", "closed"] }, sql: "" },
    { name: "disposal or none", filters: { disposal: ["none", "auctioned"] }, sql: "" },
    { name: "two holders", filters: { holder: [memberId, 1] }, sql: "" },
    { name: "from only", filters: { from: "2020-01-01" }, sql: "" },
    { name: "to only", filters: { to: "2015-06-30" }, sql: "" },
    text("q Chinese name", withZh),
    text("q Chinese two characters", withZh.slice(0, 2)),
    text("q case number", sample.caseNo),
    text("q case number prefix", `${district}-${year}`),
    text("q goods word", goodsWord),
    text("q goods word prefix", goodsWord.slice(0, 4).toUpperCase()),
    text("q member's own name and a goods word", `${memberHolder.name} ${goodsWord}`),
    text("q member's Chinese name", memberHolder.nameZh ?? memberHolder.name),
    text("q no token", "*** ;"),
  ];
}, 240_000);

afterAll(async () => {
  source?.close();
  await postgres?.close();
});

/** The sampled combinations: one to three distinct kinds each, every kind in at least one. */
function sampled(): FilterKind[][] {
  const random = createRandom(20_261_130);
  const out: FilterKind[][] = [];
  const seen = new Set<string>();
  while (out.length < COMBINATIONS) {
    const size = random.int(1, 3);
    const chosen = new Set<FilterKind>();
    // the first combinations start with each kind in turn, then all are drawn at random
    if (out.length < kinds.length) chosen.add(kinds[out.length]!);
    while (chosen.size < size) chosen.add(random.pick(kinds));
    // one text filter per combination (a second would replace the first)
    const texts = [...chosen].filter((k) => k.filters.q !== undefined);
    for (const extra of texts.slice(1)) chosen.delete(extra);
    if (out.length < kinds.length && !chosen.has(kinds[out.length]!)) continue;
    const combination = [...chosen];
    if (seen.has(label(combination))) continue;
    seen.add(label(combination));
    out.push(combination);
  }
  return out;
}

async function exportOf(e: Engine, filters: Filters, sortKey: SortKey, options: FilterOptions, chunk?: number): Promise<ExportRow[]> {
  const cursor = await openExportCursor(e, filters, { key: sortKey, dir: "desc" }, options, chunk);
  const rows: ExportRow[] = [];
  try {
    for (let next = await cursor.rows.next(); !next.done; next = await cursor.rows.next()) rows.push(next.value);
  } finally {
    cursor.close();
  }
  return rows;
}

describe("SQLite and PostgreSQL answer alike", () => {
  it("for every sampled filter combination, staff and member: totals, first pages of every sort, cases, filter names, exports", async () => {
    const combinations = sampled();
    const names = new Set(combinations.flatMap((c) => c.map((k) => k.name)));
    // every kind of filter is drawn at least once
    expect(kinds.filter((k) => !names.has(k.name)).map((k) => k.name)).toEqual([]);
    const random = createRandom(7);
    let nonEmpty = 0;

    for (const [n, combination] of combinations.entries()) {
      const filters = combinedFilters(combination);
      for (const scope of ["staff", "member"] as const) {
        const options: FilterOptions = scope === "member" ? { restrictToHolders: [memberHolder.id] } : {};
        const what = `${label(combination)} (${scope})`;
        const totals = await caseTotals(lite, filters, options);
        expect(await caseTotals(pg, filters, options), what).toEqual(totals);
        if (totals.cases > 0) nonEmpty++;
        for (const key of SORTS) {
          const dir = random.chance(0.5) ? "asc" : "desc";
          const query = { filters, page: key === "seizedOn" ? 2 : 1, size: 20, sort: { key, dir } as const };
          const page = await listCases(lite, query, options);
          expect(await listCases(pg, query, options), `${what} by ${key} ${dir}`).toEqual(page);
          expect(page.total).toBe(totals.cases);
          if (scope === "member") {
            for (const row of page.rows) {
              expect(row.rightHolders.map((h) => h.id)).toEqual([memberHolder.id]);
              const others = source.db.$client
                .prepare("select right_holder_id from case_right_holders where case_id = ? and right_holder_id != ?")
                .pluck()
                .all(row.id, memberHolder.id) as number[];
              for (const other of others) expect(row.goodsDescription, what).not.toContain(holders.get(other)!.name);
            }
          }
          for (const row of page.rows.slice(0, 2)) {
            const one = await getCase(lite, row.id, options);
            expect(one).not.toBeNull();
            expect(await getCase(pg, row.id, options), `case ${row.id}`).toEqual(one);
          }
        }
        expect(await filterNames(pg, filters, options), what).toEqual(await filterNames(lite, filters, options));
        if (n % 6 === 0) {
          const rows = await exportOf(lite, filters, SORTS[n % 4]!, options);
          expect(rows.length).toBe(totals.cases);
          expect(await exportOf(pg, filters, SORTS[n % 4]!, options), `export of ${what}`).toEqual(rows);
          // read in small chunks (keyset on the sort value and id, through ties), the same rows
          expect(await exportOf(lite, filters, SORTS[n % 4]!, options, 37), `export of ${what} in chunks`).toEqual(rows);
          expect(await exportOf(pg, filters, SORTS[n % 4]!, options, 37), `export of ${what} in chunks`).toEqual(rows);
        }
      }
    }
    // the comparisons are not between empty answers
    expect(nonEmpty).toBeGreaterThanOrEqual(COMBINATIONS);
  }, 600_000);

  it("export every case alike, whole or in chunks through ties of the sort value, for staff and for a member", async () => {
    const none = combinedFilters([]);
    for (const options of [{}, { restrictToHolders: [memberHolder.id] }]) {
      for (const key of ["pieces", "caseNo"] as const) {
        const whole = await exportOf(lite, none, key, options);
        expect(whole.length).toBeGreaterThan(options.restrictToHolders ? 50 : CASES - 10);
        expect(await exportOf(pg, none, key, options)).toEqual(whole);
        expect(await exportOf(lite, none, key, options, 97)).toEqual(whole);
        expect(await exportOf(pg, none, key, options, 97)).toEqual(whole);
      }
    }
  }, 300_000);

  it("a deleted case, an unknown id and another company's case are null on both; a member's case has no staff fields", async () => {
    for (const e of [lite, pg]) {
      expect(await getCase(e, 9)).toBeNull();
      expect(await getCase(e, 99_999_999)).toBeNull();
      const foreign = source.db.$client
        .prepare("select case_id from case_right_holders where case_id not in (select case_id from case_right_holders where right_holder_id = ?) limit 1")
        .pluck()
        .get(memberHolder.id) as number;
      expect(await getCase(e, foreign, { restrictToHolders: [memberHolder.id] })).toBeNull();
      expect(await getCase(e, foreign)).not.toBeNull();
      const mine = source.db.$client.prepare("select case_id from case_right_holders where right_holder_id = ? limit 1").pluck().get(memberHolder.id) as number;
      const seen = (await getCase(e, mine, { restrictToHolders: [memberHolder.id] }))!;
      expect(seen.createdBy).toBeNull();
      expect(seen.history.every((h) => h.userId === undefined && h.before === undefined)).toBe(true);
    }
  });
});
