import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../db/engine";
import { changeCounter } from "../../db/kept";
import { caseTotals } from "../../db/queries/totals";
import { facetCounts, getDashboardStats, holderFigures } from "../../db/queries/stats";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { secondEngine } from "../support/derived";
import { ENGINES } from "../support/engines";
import { sameData, seeded, type SameData } from "../support/same-data";

// The dashboard's tallies are kept between requests (db/queries/stats.ts) and must never be
// one commit behind: a write through this engine, a commit by another connection or pool —
// another app server on the same database — and a rolled-back transaction each show, or
// not, at that server's next read. On PostgreSQL the two "servers" are two pools on one
// database, each with its own aggregate store and kept answers, agreeing through the change
// counter (the change log's newest seq, which reference writes move too).

const f = (over: Partial<Filters>): Filters => ({ ...EMPTY_FILTERS, ...over });
const FILTERS: Filters[] = [f({}), f({ district: ["5300"] }), f({ from: "2020-01-01", to: "2020-12-31" }), f({ category: ["toys"] })];

describe.each(ENGINES)("kept dashboard answers on %s", (dialect) => {
  let t: SameData;
  let e: Engine;
  let other: ReturnType<typeof secondEngine>;
  beforeAll(async () => {
    t = await sameData(dialect, "kept", seeded({ cases: 3_000, seed: 5 }));
    e = t.e;
    other = secondEngine(e, t.file);
  }, 180_000);
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const cases = async (x: Engine, filters: Filters) => (await getDashboardStats(x, filters)).kpis.cases;
  const counts = (x: Engine) => Promise.all(FILTERS.map((filters) => cases(x, filters)));

  /** Creates a case (Kunming 5300, 2020, toys, one right holder) through `x`, as one transaction; its id. */
  async function newCase(x: Engine, caseNo: string): Promise<number> {
    return x.transaction(async (tx) => {
      const { cases: c, caseRightHolders: l, customsOffices, rightHolders } = tx.t;
      const office = (await tx.get<{ id: number }>(sql`select id from ${customsOffices} where code = '5300'`))!.id;
      const holder = (await tx.get<{ id: number }>(sql`select min(id) as id from ${rightHolders}`))!.id;
      const now = new Date();
      const [row] = await tx.db.insert(c).values({
        caseNo, officeId: office, seizedOn: "2020-06-01", infringementType: "trademark", goodsCategory: "toys", goodsDescription: "kept-answers test",
        pieces: 7, valueFen: 12_345, direction: "export", channel: "postal", transport: "post", protectionMode: "ex_officio",
        status: "detained", createdAt: now, updatedAt: now,
      }).returning({ id: c.id });
      await tx.db.insert(l).values({ caseId: row!.id, rightHolderId: holder });
      return row!.id;
    });
  }
  const softDelete = (x: Engine, id: number) => x.transaction(async (tx) => void (await tx.run(sql`update cases set deleted_at = ${Date.now()} where id = ${id}`)));

  it("are the same answer again while nothing changes, frozen", async () => {
    const a = await getDashboardStats(e, FILTERS[1]!);
    const b = await getDashboardStats(e, FILTERS[1]!);
    expect(b).toEqual(a);
    const figures = await holderFigures(e, FILTERS[1]!);
    const first = figures.values().next().value!;
    expect(() => {
      first.cases += 1;
    }).toThrow(TypeError);
  });

  it("follow a write through the same engine at once", async () => {
    const before = await counts(e);
    const facetsBefore = await facetCounts(e, f({}));
    const id = await newCase(e, "5300-2020-9001");
    expect(await counts(e)).toEqual(before.map((n) => n + 1));
    expect((await facetCounts(e, f({}))).category.get("toys")).toBe((facetsBefore.category.get("toys") ?? 0) + 1);
    await softDelete(e, id);
    expect(await counts(e)).toEqual(before);
  });

  it("follow a commit by another server at its next read: cases, and reference data (a right holder's industry)", async () => {
    const before = await counts(e);
    const totalsBefore = await caseTotals(e, FILTERS[1]!);
    // the other server reads (and keeps) too
    expect(await counts(other.e)).toEqual(before);
    const id = await newCase(other.e, "5300-2020-9002");
    expect(await counts(e)).toEqual(before.map((n) => n + 1));
    expect(await caseTotals(e, FILTERS[1]!)).toEqual({ cases: totalsBefore.cases + 1, pieces: totalsBefore.pieces + 7, valueFen: totalsBefore.valueFen + 12_345 });
    await softDelete(other.e, id);
    expect(await counts(e)).toEqual(before);
    expect(await counts(other.e)).toEqual(before);

    // a right holder moves to another industry on the other server: this one's industry facet and chart follow
    const holder = (await e.get<{ id: number; industry: string }>(sql`select h.id as id, h.industry as industry from right_holders h
      where exists (select 1 from case_right_holders l join cases c on c.id = l.case_id where l.right_holder_id = h.id and c.deleted_at is null)
      order by h.id limit 1`))!;
    const target = holder.industry === "lighting" ? "toys" : "lighting";
    const facets = await facetCounts(e, f({}));
    const chart = (await getDashboardStats(e, f({}))).byIndustry.find((r) => r.value === target)!.cases;
    await other.e.transaction(async (tx) => void (await tx.run(sql`update right_holders set industry = ${target} where id = ${holder.id}`)));
    const expected = Number((await e.get<{ n: number }>(sql`select count(distinct l.case_id) as n from case_right_holders l
      join cases c on c.id = l.case_id join right_holders h on h.id = l.right_holder_id where c.deleted_at is null and h.industry = ${target}`))!.n);
    expect(expected).toBeGreaterThan(facets.industry.get(target) ?? 0);
    expect((await facetCounts(e, f({}))).industry.get(target)).toBe(expected);
    expect((await getDashboardStats(e, f({}))).byIndustry.find((r) => r.value === target)!.cases).toBe(expected);
    expect(chart).toBe(facets.industry.get(target) ?? 0);
    await other.e.transaction(async (tx) => void (await tx.run(sql`update right_holders set industry = ${holder.industry} where id = ${holder.id}`)));
    expect((await facetCounts(e, f({}))).industry.get(target)).toBe(facets.industry.get(target));
  });

  it("the change counter moves with another server's commit to the cases or the reference data, and not with reads", async () => {
    const a = await changeCounter(e);
    await getDashboardStats(other.e, f({ district: ["8600"] }));
    await facetCounts(e, f({}));
    expect(await changeCounter(e)).toBe(a);
    await other.e.transaction(async (tx) => void (await tx.run(sql`update campaigns set name_en = name_en || '.' where id = (select min(id) from campaigns)`)));
    const b = await changeCounter(e);
    expect(b).not.toBe(a);
    const id = await newCase(other.e, "5300-2020-9004");
    const c = await changeCounter(e);
    expect(c).not.toBe(b);
    await softDelete(other.e, id);
    expect(await changeCounter(e)).not.toBe(c);
  });

  it("are not kept from inside a transaction that rolls back", async () => {
    const before = await cases(e, FILTERS[0]!);
    const rollback = new Error("roll back");
    await expect(
      e.transaction(async (tx) => {
        await newCase(tx, "5300-2020-9003");
        expect(await cases(tx, FILTERS[0]!)).toBe(before + 1); // inside: sees its own write
        throw rollback;
      }),
    ).rejects.toThrow(rollback);
    expect(await cases(e, FILTERS[0]!)).toBe(before);
  });
});
