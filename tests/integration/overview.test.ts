import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { softDeleteCase } from "../../db/mutations/cases";
import { newestAppliedMigration } from "../../db/queries/health";
import { isDemoDatabase } from "../../db/queries/overview";
import postgresJournal from "../../db/postgres/migrations/meta/_journal.json";
import sqliteJournal from "../../db/sqlite/migrations/meta/_journal.json";
import { getDashboardStats } from "../../db/queries/stats";
import { EMPTY_FILTERS } from "../../lib/filters";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";
import { sameData, seeded, type SameData } from "../support/same-data";

// The dashboard's overview on an empty database and on a demo one, on both engines (the
// demo on PostgreSQL: a db:copy of the seeded SQLite file, its demo mark included).

describe.each(ENGINES)("the dashboard on an empty and on a demo database on %s", (dialect) => {
  let empty: FreshEngine;
  let demo: SameData;
  beforeAll(async () => {
    empty = await freshEngine(dialect, "overview");
    demo = await sameData(dialect, "overview-demo", seeded({ cases: 10_000, seed: 3 }, async (s, e) => {
      // one of Kunming's cases deleted: it counts nowhere
      const kunmingCase = s.prepare(`select c.id from cases c join customs_offices o on o.id = c.office_id
        where coalesce(o.district_id, o.id) = (select id from customs_offices where code = '8600') order by c.id limit 1`).pluck().get() as number;
      await softDeleteCase(e, kunmingCase, null);
    }));
  }, 300_000);
  afterAll(async () => {
    await empty?.close();
    await demo?.close();
  });

  it("is all zeros on an empty database, which is not a demo", async () => {
    const s = await getDashboardStats(empty.e, EMPTY_FILTERS);
    expect(s.kpis).toEqual({ cases: 0, pieces: 0, valueFen: 0, rightHolders: 0, avgValueFen: null });
    expect(s.previous).toBeNull();
    expect(s.byYear).toEqual([]);
    expect(s.byDistrict).toEqual([]);
    expect(s.byType.every((r) => r.cases === 0)).toBe(true);
    expect(s.byType.map((r) => r.value)).toContain("trademark");
    expect(await isDemoDatabase(empty.e)).toBe(false);
  });

  it("answers the health check with the newest migration of the engine's own journal", async () => {
    const journal = dialect === "postgres" ? postgresJournal : sqliteJournal;
    expect(await newestAppliedMigration(empty.e)).toBe(Math.max(...journal.entries.map((m) => m.when)));
  });

  it("is marked as a demo once seeded, ranks districts with their subordinate customs, and leaves out deleted cases", async () => {
    expect(await isDemoDatabase(demo.e)).toBe(true);
    const before = await getDashboardStats(demo.e, EMPTY_FILTERS);
    expect(before.kpis.cases).toBe(9_999);
    expect(before.byDistrict[0]!.code).toBe("5300");
    expect(before.byDistrict[0]!.nameZh).toBe("深圳");
    const kunming = before.byDistrict.find((d) => d.code === "8600")!;
    const sql = demo.sqlite
      .prepare(`select count(*) as n from cases c join customs_offices o on o.id = c.office_id
                where c.deleted_at is null and coalesce(o.district_id, o.id) = (select id from customs_offices where code = '8600')`)
      .get() as { n: number };
    expect(kunming.cases).toBe(sql.n);
    expect(before.byOffice.filter((o) => o.districtCode === "8600").length).toBeGreaterThan(1);
  });
});
