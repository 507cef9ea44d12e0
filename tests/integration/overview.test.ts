import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getLargestDistricts, getOverview, isDemoDatabase } from "../../db/queries/overview";
import { seedDatabase } from "../../seed/run";
import { freshDb } from "../support/db";

let t: ReturnType<typeof freshDb>;
beforeAll(() => {
  t = freshDb("overview");
});
afterAll(() => t.close());

describe("the home page figures", () => {
  it("are zero on an empty database, which is not a demo", () => {
    expect(getOverview(t.db)).toEqual({ cases: 0, pieces: 0, valueFen: 0, rightHolders: 0, firstSeizedOn: null, lastSeizedOn: null });
    expect(isDemoDatabase(t.db)).toBe(false);
  });

  it("equal independent SQL over the seeded demo, and leave out deleted cases", () => {
    seedDatabase(t.db.$client, { cases: 10_000, seed: 3 });
    expect(isDemoDatabase(t.db)).toBe(true);
    // soft-delete a few cases: they must no longer count
    t.db.$client.prepare("update cases set deleted_at = 1 where id in (1, 2, 3)").run();
    const sql = t.db.$client
      .prepare(`select count(*) as cases, sum(pieces) as pieces, sum(value_fen) as valueFen,
                  min(seized_on) as firstSeizedOn, max(seized_on) as lastSeizedOn,
                  (select count(distinct l.right_holder_id) from case_right_holders l join cases c on c.id = l.case_id
                   where c.deleted_at is null) as rightHolders
                from cases where deleted_at is null`)
      .get();
    expect(getOverview(t.db)).toEqual(sql);
    expect(getOverview(t.db).cases).toBe(9_997);
  });

  it("rank districts by cases, counting their subordinate customs", () => {
    const districts = getLargestDistricts(t.db, 42);
    const sql = t.db.$client
      .prepare(`select d.code, count(*) as cases, sum(c.pieces) as pieces, sum(c.value_fen) as valueFen
                from cases c join customs_offices o on o.id = c.office_id
                join customs_offices d on d.code = case when o.district_id is null then o.code
                                                        else (select code from customs_offices where id = o.district_id) end
                where c.deleted_at is null group by d.code order by cases desc, d.code`)
      .all();
    expect(districts.map(({ code, cases, pieces, valueFen }) => ({ code, cases, pieces, valueFen }))).toEqual(sql);
    expect(districts[0]!.code).toBe("5300");
    const shenzhen = districts[0]!;
    expect(shenzhen.nameZh).toBe("深圳");
  });
});
