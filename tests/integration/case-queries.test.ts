import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseTotals, getCase, listCases } from "../../db/queries/cases";
import { restoreCase, softDeleteCase } from "../../db/mutations/cases";
import { derivedMismatches } from "../../db/aggregate/check";
import { EMPTY_FILTERS, type CaseQuery, type Filters } from "../../lib/filters";
import { formatMoney } from "../../lib/format";
import { ENGINES } from "../support/engines";
import { sameData, seeded, type SameData } from "../support/same-data";

// The case table's reads on both engines, over the same seeded data (on PostgreSQL a db:copy
// of the SQLite file): each filter against hand-written SQL over the SQLite file, the
// Kunming question, the text search, totals to the fen, one case. Case 778 is deleted and 779
// deleted and restored before the copy, through the writer.

describe.each(ENGINES)("case queries on %s", (dialect) => {
  let t: SameData;
  beforeAll(async () => {
    t = await sameData(dialect, "queries", seeded({ cases: 20_000, seed: 9 }, async (s, e) => {
      await softDeleteCase(e, 778, null);
      await softDeleteCase(e, 779, null);
      await restoreCase(e, 779, null);
    }));
  }, 300_000);
  afterAll(() => t?.close());

  const f = (over: Partial<Filters>): Filters => ({ ...EMPTY_FILTERS, ...over });
  const all = (filters: Filters): CaseQuery => ({ filters, page: 1, size: 200, sort: { key: "caseNo", dir: "asc" } });

  /** Every id of the filtered set through the app, page by page. */
  async function appIds(filters: Filters): Promise<{ ids: number[]; total: number }> {
    const ids: number[] = [];
    let total = 0;
    for (let page = 1; ; page++) {
      const result = await listCases(t.e, { ...all(filters), page });
      total = result.total;
      ids.push(...result.rows.map((r) => r.id));
      if (result.rows.length < 200) break;
    }
    return { ids, total };
  }

  /** The same set by hand-written SQL, independent of the app's filter code. */
  function sqlIds(where: string, params: unknown[] = []): number[] {
    return (
      t.sqlite
        .prepare(`select c.id from cases c join customs_offices o on o.id = c.office_id
                  left join customs_offices d on d.id = o.district_id
                  where c.deleted_at is null and (${where}) order by c.case_no`)
        .all(...params) as { id: number }[]
    ).map((r) => r.id);
  }

  const holderOf = (id: number) => `c.id in (select case_id from case_right_holders where right_holder_id = ${id})`;

  describe("each filter, alone and combined, returns the rows an independent query returns", () => {
    const cases: [string, Filters, string][] = [
      ["no filter", f({}), "1"],
      ["from/to", f({ from: "2016-01-01", to: "2017-06-07" }), "c.seized_on between '2016-01-01' and '2017-06-07'"],
      ["from only", f({ from: "2025-06-01" }), "c.seized_on >= '2025-06-01'"],
      ["to only", f({ to: "2012-03-31" }), "c.seized_on <= '2012-03-31'"],
      ["district with subordinates", f({ district: ["8600"] }), "o.code = '8600' or d.code = '8600'"],
      ["two districts", f({ district: ["8600", "5300"] }), "o.code in ('8600','5300') or d.code in ('8600','5300')"],
      ["office", f({ office: ["8601"] }), "o.code = '8601'"],
      ["type", f({ type: ["copyright", "design_patent"] }), "c.infringement_type in ('copyright','design_patent')"],
      ["category", f({ category: ["lighting"] }), "c.goods_category = 'lighting'"],
      ["industry", f({ industry: ["lighting"] }), "c.id in (select l.case_id from case_right_holders l join right_holders h on h.id = l.right_holder_id where h.industry = 'lighting')"],
      ["holder", f({ holder: [7] }), holderOf(7)],
      ["direction", f({ direction: ["import"] }), "c.direction = 'import'"],
      ["channel", f({ channel: ["postal", "express"] }), "c.channel in ('postal','express')"],
      ["transport", f({ transport: ["rail"] }), "c.transport = 'rail'"],
      ["mode", f({ mode: ["on_application"] }), "c.protection_mode = 'on_application'"],
      ["status", f({ status: ["detained"] }), "c.status = 'detained'"],
      ["campaign", f({ campaign: ["qingfeng"] }), "c.campaign_id = (select id from campaigns where code = 'qingfeng')"],
      [
        "district + dates + type + industry",
        f({ district: ["8600"], from: "2016-01-01", to: "2017-12-31", type: ["copyright", "trademark"], industry: ["lighting", "luxury"] }),
        "(o.code = '8600' or d.code = '8600') and c.seized_on between '2016-01-01' and '2017-12-31' and c.infringement_type in ('copyright','trademark') and c.id in (select l.case_id from case_right_holders l join right_holders h on h.id = l.right_holder_id where h.industry in ('lighting','luxury'))",
      ],
      [
        "category + channel + status + direction",
        f({ category: ["apparel_footwear"], channel: ["express"], status: ["closed"], direction: ["export"] }),
        "c.goods_category = 'apparel_footwear' and c.channel = 'express' and c.status = 'closed' and c.direction = 'export'",
      ],
    ];
    it.each(cases)("%s", async (_label, filters, where) => {
      const expected = sqlIds(where);
      const got = await appIds(filters);
      expect(got.total).toBe(expected.length);
      expect(got.ids).toEqual(expected);
    });
  });

  describe("the Kunming question", () => {
    it("2016-01-01…2017-06-07 in district 8600 gives 63 cases and RMB 6,250,000.00", async () => {
      const filters = f({ district: ["8600"], from: "2016-01-01", to: "2017-06-07" });
      expect((await listCases(t.e, all(filters))).total).toBe(63);
      const totals = await caseTotals(t.e, filters);
      expect(totals.cases).toBe(63);
      expect(formatMoney(totals.valueFen, "en")).toBe("RMB 6,250,000.00");
    });

    it("district 8600 includes the subordinate customs", async () => {
      const offices = new Set((await listCases(t.e, { ...all(f({ district: ["8600"] })), size: 200 })).rows.map((r) => r.office.code));
      expect([...offices].some((code) => code !== "8600")).toBe(true);
      for (const r of (await listCases(t.e, all(f({ district: ["8600"] })))).rows) expect(r.district.code).toBe("8600");
    });
  });

  describe("text search", () => {
    it("finds a case by its number, by a goods word and by a right holder's English or Chinese name", async () => {
      const sample = t.sqlite
        .prepare(`select c.id, c.case_no as caseNo, c.goods_description as goods, h.name, h.name_zh as nameZh
                  from cases c join case_right_holders l on l.case_id = c.id join right_holders h on h.id = l.right_holder_id
                  where c.id = 777`)
        .get() as { id: number; caseNo: string; goods: string; name: string; nameZh: string };
      const ids = async (q: string) => (await appIds(f({ q }))).ids;
      expect(await ids(sample.caseNo)).toEqual([777]);
      const word = sample.goods.split(" ").find((w) => /^[a-z]{5,}$/i.test(w))!;
      expect(await ids(word)).toContain(777);
      expect(await ids(sample.name)).toContain(777);
      expect(await ids(sample.nameZh)).toContain(777);
      expect(await ids(sample.nameZh.slice(0, 2))).toContain(777);
      // every hit really names the holder
      const byName = (await appIds(f({ q: sample.name }))).ids;
      expect(byName).toEqual(sqlIds(`c.id in (select l.case_id from case_right_holders l join right_holders h on h.id = l.right_holder_id where h.name = ?)
                                     or c.goods_description like ?`, [sample.name, `%${sample.name}%`]));
    });

    it("matches nothing, without an error, for punctuation or SQL fragments", async () => {
      expect((await listCases(t.e, all(f({ q: "***" })))).total).toBe(0);
      expect((await listCases(t.e, all(f({ q: "'; drop table cases; --" })))).total).toBe(0);
      expect((await t.e.get<{ n: number }>(sql`select count(*) as n from cases`))!.n).toBe(20_000);
    });
  });

  describe("totals and the derived figures", () => {
    it("every derived figure (aggregate store, search indexes) equals plain SQL over the cases", async () => {
      expect(await derivedMismatches(t.e)).toEqual([]);
    });

    it.each([
      f({}),
      f({ from: "2016-01-01", to: "2017-06-07" }),
      f({ from: "2015-03-15" }),
      f({ to: "2019-12-31" }),
      f({ from: "2018-02-01", to: "2018-02-28" }),
      f({ district: ["8600"], type: ["trademark"], category: ["lighting", "auto_parts"] }),
      f({ district: ["8601"] }),
      f({ channel: ["express"] }),
      f({ channel: ["express"], direction: ["import"], from: "2019-07-01" }),
      f({ status: ["closed"], campaign: ["qingfeng"], district: ["8600"], to: "2017-03-31" }),
      f({ channel: ["postal"], type: ["trademark"] }),
      f({ industry: ["luxury"] }),
      f({ holder: [3, 4] }),
    ])("totals for %j equal a base-table aggregate, to the fen", async (filters) => {
      const ids = (await appIds(filters)).ids;
      const base = ids.length
        ? (t.sqlite
            .prepare(`select count(*) as cases, coalesce(sum(pieces), 0) as pieces, coalesce(sum(value_fen), 0) as valueFen
                      from cases where id in (${ids.join(",")})`)
            .get() as { cases: number; pieces: number; valueFen: number })
        : { cases: 0, pieces: 0, valueFen: 0 };
      expect(await caseTotals(t.e, filters)).toEqual(base);
    });
  });

  describe("one case", () => {
    it("has every field, its right holders and its district", async () => {
      const c = (await getCase(t.e, 777))!;
      expect(c.id).toBe(777);
      expect(c.rightHolders.length).toBeGreaterThan(0);
      expect(c.district.code).toMatch(/^\d{4}$/);
      expect(typeof c.valueFen).toBe("number");
      expect(typeof c.createdAt).toBe("number");
      expect(c.version).toBe(1);
    });

    it("is null for an unknown or a deleted id; a deleted case is out of every list, a restored one back in", async () => {
      expect(await getCase(t.e, 99_999_999)).toBeNull();
      expect(await getCase(t.e, 0)).toBeNull();
      expect(await getCase(t.e, 778)).toBeNull();
      const caseNo = t.sqlite.prepare("select case_no from cases where id = 778").pluck().get() as string;
      const holder = t.sqlite.prepare("select right_holder_id from case_right_holders where case_id = 778 limit 1").pluck().get() as number;
      expect((await listCases(t.e, all(f({ holder: [holder] })))).total).toBe(sqlIds(holderOf(holder)).length);
      expect((await appIds(f({ holder: [holder] }))).ids).not.toContain(778);
      expect((await listCases(t.e, all(f({})))).total).toBe(19_999);
      expect((await listCases(t.e, all(f({ q: caseNo })))).total).toBe(0);
      const restored = (await getCase(t.e, 779))!;
      expect(restored.history.map((h) => h.action)).toEqual(["restore", "delete"]);
      expect((await listCases(t.e, all(f({ q: restored.caseNo })))).rows.map((r) => r.id)).toEqual([779]);
    });
  });
});
