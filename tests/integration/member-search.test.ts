import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, restoreCase, softDeleteCase, updateCase, type CaseInput } from "../../db/mutations/cases";
import { getCase, listCases } from "../../db/queries/cases";
import { sqliteEngine, type Engine } from "../../db/engine";
import { ensureSearchIndexes, rebuildRedactedIndex } from "../../db/sqlite/search-index";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { seedDatabase } from "../../seed/run";
import type Database from "better-sqlite3";
import { freshDb } from "../support/db";
import { ENGINES } from "../support/engines";
import { sameData, type SameData } from "../support/same-data";

// A member's text search (db/case-filters.ts) over the redacted search index (SQLite:
// cases_redacted_fts, db/sqlite/search-index.ts; PostgreSQL: cases_search.redacted_doc): case
// number, its own company's names and the goods text with every right holder of the case
// blotted out — never another company's name. The index is kept by the one writer (create,
// edit, delete, restore) and rebuilt on migration. The reads run on both engines over the
// same data (PostgreSQL: a db:copy of the SQLite file, written before the copy), then follow
// the writer's edits on the engine itself; the rebuild of SQLite's redacted index is SQLite's.

type Holder = { id: number; name: string; nameZh: string; industry: string };
const caseNo = "0200-2023-9901";
const f = (over: Partial<Filters>): Filters => ({ ...EMPTY_FILTERS, ...over });

/** The member's company and a co-holder of another industry whose name shares no word with it. */
function holdersOf(s: Database.Database): { own: Holder; co: Holder } {
  const holders = s.prepare("select id, name, name_zh as nameZh, industry from right_holders order by id").all() as Holder[];
  const own = holders[0]!;
  const co = holders.find((h) => h.industry !== own.industry && !h.name.split(" ").some((w) => own.name.includes(w)))!;
  return { own, co };
}

function inputOf(s: Database.Database, { own, co }: { own: Holder; co: Holder }, over: Partial<CaseInput>): CaseInput {
  const officeId = (s.prepare("select id from customs_offices where code = '0200'").get() as { id: number }).id;
  return {
    caseNo, officeId, seizedOn: "2023-08-09", infringementType: "trademark", goodsCategory: "bags_leather",
    goodsDescription: `Handbags with ${co.name} logos and quokka tags`, pieces: 12, valueFen: 120_000, direction: "export",
    channel: "express", transport: "air", protectionMode: "ex_officio", originCountry: "CN", destinationCountry: "US",
    campaignId: null, status: "detained", disposal: null, hearingHeld: false, referredToPolice: false, penaltyFen: null,
    notes: `Reported by ${co.nameZh}`, rightHolderIds: [own.id, co.id], ...over,
  };
}

const finder = (e: () => Engine, own: () => Holder) => async (q: string, options: { restrictToHolders?: number[] } = { restrictToHolders: [own().id] }) =>
  (await listCases(e(), { filters: f({ q }), page: 1, size: 50, sort: { key: "caseNo", dir: "asc" } }, options)).rows.map((r) => r.caseNo);

describe.each(ENGINES)("a member's search on %s", (dialect) => {
  let t: SameData;
  let own: Holder;
  let co: Holder;
  let caseId = 0;
  const member = () => ({ restrictToHolders: [own.id] });
  const found = finder(() => t.e, () => own);

  beforeAll(async () => {
    t = await sameData(dialect, "member-search", async (s, e) => {
      await seedDatabase(s, { cases: 2_000, seed: 3 });
      ({ own, co } = holdersOf(s));
      caseId = (await createCase(e, inputOf(s, { own, co }, {}), null)).id;
      // a second case edited, a third deleted, a fourth deleted and restored: the index the
      // engine holds (on PostgreSQL, built by the copy) has each as the writer left it
      const second = await createCase(e, inputOf(s, { own, co }, { caseNo: "0200-2023-9902", goodsDescription: `Belts with ${co.name} buckles and numbat tags` }), null);
      await updateCase(e, second.id, second.version, inputOf(s, { own, co }, { caseNo: "0200-2023-9902", goodsDescription: `Belts with ${co.name} buckles and bilby tags` }), null);
      const third = await createCase(e, inputOf(s, { own, co }, { caseNo: "0200-2023-9903", goodsDescription: "Caps with dugong tags" }), null);
      await softDeleteCase(e, third.id, null);
      const fourth = (await createCase(e, inputOf(s, { own, co }, { caseNo: "0200-2023-9904", goodsDescription: "Scarves with potoroo tags" }), null)).id;
      await softDeleteCase(e, fourth, null);
      await restoreCase(e, fourth, null);
    });
  }, 120_000);
  afterAll(() => t?.close());

  describe("a member's q", () => {
    it("finds its case by number, by a goods word and by its own company's name", async () => {
      expect(await found(caseNo)).toEqual([caseNo]);
      expect(await found(`quokka ${caseNo}`)).toEqual([caseNo]);
      expect(await found(`${own.name} quokka`)).toEqual([caseNo]);
      expect(await found(`${own.nameZh} quokka`)).toEqual([caseNo]);
    });

    it("never finds it by the co-holder's name, English or Chinese, though an analyst does", async () => {
      expect(await found(`${co.name} quokka`)).toEqual([]);
      expect(await found(`${co.nameZh} ${caseNo}`)).toEqual([]);
      expect(await found(co.name.split(" ")[0]!)).toEqual([]);
      expect(await found(`${co.name} quokka`, {})).toEqual([caseNo]);
    });

    it("shows it with the co-holder blotted out and without the co-holder's id or history values", async () => {
      const detail = (await getCase(t.e, caseId, member()))!;
      expect(detail.goodsDescription).toBe("Handbags with ▇▇▇ logos and quokka tags");
      expect(detail.notes).toBe("Reported by ▇▇▇");
      expect(detail.rightHolders.map((h) => h.id)).toEqual([own.id]);
      expect(detail.history.map((h) => Object.keys(h).sort())).toEqual([["action", "at", "id"]]);
      expect((await getCase(t.e, caseId))!.history[0]).toMatchObject({ action: "create", before: null });
    });

    it("finds an edited case by its new words only, a deleted one never, a restored one again", async () => {
      expect(await found("numbat")).toEqual([]);
      expect(await found("bilby")).toEqual(["0200-2023-9902"]);
      expect(await found(`${co.name} bilby`)).toEqual([]);
      expect(await found("bilby", {})).toEqual(["0200-2023-9902"]);
      expect(await found("dugong")).toEqual([]);
      expect(await found("dugong", {})).toEqual([]);
      expect(await found("potoroo")).toEqual(["0200-2023-9904"]);
      expect(await found("0200-2023-99")).toEqual([caseNo, "0200-2023-9902", "0200-2023-9904"]);
    });

    it("follows edits, deletion and restoring through the one writer, on the engine itself", async () => {
      const input = (over: Partial<CaseInput>) => inputOf(t.sqlite, { own, co }, over);
      await updateCase(t.e, caseId, 1, input({ goodsDescription: `Wallets with ${co.name} logos and wombat tags` }), null);
      expect(await found("quokka")).toEqual([]);
      expect(await found("wombat")).toEqual([caseNo]);
      expect(await found(`${co.name} wombat`)).toEqual([]);
      expect(await found(`${co.name} wombat`, {})).toEqual([caseNo]);
      await softDeleteCase(t.e, caseId, null);
      expect(await found("wombat")).toEqual([]);
      await restoreCase(t.e, caseId, null);
      expect(await found("wombat")).toEqual([caseNo]);
    });
  });
});

// The migration rebuilds SQLite's redacted FTS5 index when its definition changes
// (PostgreSQL's cases_search is written whole by db:copy and kept by the writer).
describe("on SQLite, the redacted index's rebuild", () => {
  let t: ReturnType<typeof freshDb>;
  let own: Holder;
  let co: Holder;
  const e = () => sqliteEngine(t.db);
  const found = finder(e, () => own);
  const input = (over: Partial<CaseInput>) => inputOf(t.db.$client, { own, co }, over);

  beforeAll(async () => {
    t = freshDb("member-search-writes");
    await seedDatabase(t.db.$client, { cases: 2_000, seed: 3 });
    ({ own, co } = holdersOf(t.db.$client));
    await createCase(e(), input({}), null);
  });
  afterAll(() => t?.close());

  it("gives the same answers after the index is rebuilt as the migration does", async () => {
    const words = ["wombat", caseNo, co.name, own.name, "counterfeit", "fake", "2019", co.nameZh];
    const counts = async () => Promise.all(words.map(async (w) => (await found(w)).length));
    const before = await counts();
    rebuildRedactedIndex(t.db.$client);
    expect(await counts()).toEqual(before);
    expect(ensureSearchIndexes(t.db.$client)).toBe(false);
    t.db.$client.prepare("delete from app_meta where key = 'redacted_search_version'").run();
    expect(ensureSearchIndexes(t.db.$client)).toBe(true);
    expect(await counts()).toEqual(before);
    expect(before[3]).toBeGreaterThan(1);
  });
});
