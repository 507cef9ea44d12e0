import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDemoDatabase } from "../../db/queries/overview";
import { getDashboardStats } from "../../db/queries/stats";
import { EMPTY_FILTERS } from "../../lib/filters";
import { seedDatabase } from "../../seed/run";
import { freshDb } from "../support/db";

let t: ReturnType<typeof freshDb>;
beforeAll(() => {
  t = freshDb("overview");
});
afterAll(() => t.close());

describe("the dashboard on an empty and on a demo database", () => {
  it("is all zeros on an empty database, which is not a demo", async () => {
    const s = getDashboardStats(t.db, EMPTY_FILTERS);
    expect(s.kpis).toEqual({ cases: 0, pieces: 0, valueFen: 0, rightHolders: 0, avgValueFen: null });
    expect(s.previous).toBeNull();
    expect(s.byYear).toEqual([]);
    expect(s.byDistrict).toEqual([]);
    expect(s.byType.every((r) => r.cases === 0)).toBe(true);
    expect(s.byType.map((r) => r.value)).toContain("trademark");
    expect(await isDemoDatabase(t.db)).toBe(false);
  });

  it("is marked as a demo once seeded, ranks districts with their subordinate customs, and leaves out deleted cases", async () => {
    await seedDatabase(t.db.$client, { cases: 10_000, seed: 3 });
    expect(await isDemoDatabase(t.db)).toBe(true);
    const before = getDashboardStats(t.db, EMPTY_FILTERS);
    expect(before.kpis.cases).toBe(10_000);
    expect(before.byDistrict[0]!.code).toBe("5300");
    expect(before.byDistrict[0]!.nameZh).toBe("深圳");
    const kunming = before.byDistrict.find((d) => d.code === "8600")!;
    const sql = t.db.$client
      .prepare(`select count(*) as n from cases c join customs_offices o on o.id = c.office_id
                where c.deleted_at is null and coalesce(o.district_id, o.id) = (select id from customs_offices where code = '8600')`)
      .get() as { n: number };
    expect(kunming.cases).toBe(sql.n);
    expect(before.byOffice.filter((o) => o.districtCode === "8600").length).toBeGreaterThan(1);
  });
});
