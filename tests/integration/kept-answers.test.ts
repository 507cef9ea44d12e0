import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, softDeleteCase } from "../../db/mutations/cases";
import { openDb, type Db } from "../../db/sqlite/open";
import { facetCounts, getDashboardStats, holderFigures } from "../../db/queries/stats";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { seedDatabase } from "../../seed/run";
import { freshDb } from "../support/db";
import { sqliteEngine } from "../../db/engine";

// The dashboard's tallies are kept between requests (db/queries/stats.ts) and must never be
// one commit behind: a write through this connection, a commit by another connection (another
// server process, an import) and a rolled-back transaction each show, or not, at once.

let t: ReturnType<typeof freshDb>;
let other: Db;
const f = (over: Partial<Filters>): Filters => ({ ...EMPTY_FILTERS, ...over });
const FILTERS: Filters[] = [f({}), f({ district: ["5300"] }), f({ from: "2020-01-01", to: "2020-12-31" }), f({ category: ["toys"] })];

function newCase(caseNo: string) {
  const s = t.db.$client;
  const office = (s.prepare("select id from customs_offices where code = '5300'").get() as { id: number }).id;
  const holder = (s.prepare("select min(id) as id from right_holders").get() as { id: number }).id;
  return {
    caseNo, officeId: office, seizedOn: "2020-06-01", infringementType: "trademark" as const, goodsCategory: "toys" as const,
    goodsDescription: "kept-answers test", pieces: 7, valueFen: 12_345, direction: "export" as const, channel: "postal" as const,
    transport: "post" as const, protectionMode: "ex_officio" as const, originCountry: null, destinationCountry: null, campaignId: null,
    status: "detained" as const, disposal: null, hearingHeld: false, referredToPolice: false, penaltyFen: null, notes: null,
    rightHolderIds: [holder],
  };
}

const cases = (db: Db, filters: Filters) => getDashboardStats(db, filters).kpis.cases;

beforeAll(async () => {
  t = freshDb("kept");
  await seedDatabase(t.db.$client, { cases: 3_000, seed: 5 });
  other = openDb(`file:${t.file}`);
});
afterAll(() => {
  other?.$client.close();
  t?.close();
});

describe("kept dashboard answers", () => {
  it("are the same object again while nothing changes, frozen", () => {
    const a = getDashboardStats(t.db, FILTERS[1]!);
    const b = getDashboardStats(t.db, FILTERS[1]!);
    expect(b).toEqual(a);
    const figures = holderFigures(t.db, FILTERS[1]!);
    const first = figures.values().next().value!;
    expect(() => {
      first.cases += 1;
    }).toThrow(TypeError);
  });

  it("follow a write on the same connection at once", async () => {
    const before = FILTERS.map((x) => cases(t.db, x));
    const facetsBefore = facetCounts(t.db, f({}));
    const { id } = await createCase(sqliteEngine(t.db), newCase("5300-2020-9001"), null);
    expect(FILTERS.map((x) => cases(t.db, x))).toEqual(before.map((n) => n + 1));
    expect(facetCounts(t.db, f({})).category.get("toys")).toBe((facetsBefore.category.get("toys") ?? 0) + 1);
    await softDeleteCase(sqliteEngine(t.db), id, null);
    expect(FILTERS.map((x) => cases(t.db, x))).toEqual(before);
  });

  it("follow a commit by another connection at once", async () => {
    const before = FILTERS.map((x) => cases(t.db, x));
    const { id } = await createCase(sqliteEngine(other), newCase("5300-2020-9002"), null);
    expect(FILTERS.map((x) => cases(t.db, x))).toEqual(before.map((n) => n + 1));
    await softDeleteCase(sqliteEngine(other), id, null);
    expect(FILTERS.map((x) => cases(t.db, x))).toEqual(before);
  });

  it("are not kept from inside a transaction that rolls back", async () => {
    const before = cases(t.db, FILTERS[0]!);
    const rollback = new Error("roll back");
    await expect(
      sqliteEngine(t.db).transaction(async (tx) => {
        await createCase(tx, newCase("5300-2020-9003"), null);
        expect(cases(t.db, FILTERS[0]!)).toBe(before + 1); // inside: sees its own write
        throw rollback;
      }),
    ).rejects.toThrow(rollback);
    expect(cases(t.db, FILTERS[0]!)).toBe(before);
  });
});
