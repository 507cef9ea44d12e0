import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, restoreCase, softDeleteCase, updateCase, type CaseInput } from "../../db/mutations/cases";
import { getCase, listCases } from "../../db/queries/cases";
import { ensureSearchIndexes, rebuildRedactedIndex } from "../../db/sqlite/search-index";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { seedDatabase } from "../../seed/run";
import { freshDb } from "../support/db";
import { sqliteEngine } from "../../db/engine";

// A member's text search (db/case-filters.ts) over the redacted search index
// (cases_redacted_fts, db/sqlite/search-index.ts): case number, its own company's names and the goods
// text with every right holder of the case blotted out — never another company's name. The
// index is kept by the one writer (create, edit, delete, restore) and rebuilt on migration.

let t: ReturnType<typeof freshDb>;
type Holder = { id: number; name: string; nameZh: string; industry: string };
let own: Holder;
let co: Holder;
let caseId = 0;
const caseNo = "0200-2023-9901";

const f = (over: Partial<Filters>): Filters => ({ ...EMPTY_FILTERS, ...over });
const member = () => ({ restrictToHolders: [own.id] });
const found = (q: string, options = member()) =>
  listCases(t.db, { filters: f({ q }), page: 1, size: 50, sort: { key: "caseNo", dir: "asc" } }, options).rows.map((r) => r.caseNo);

function input(over: Partial<CaseInput>): CaseInput {
  const officeId = (t.db.$client.prepare("select id from customs_offices where code = '0200'").get() as { id: number }).id;
  return {
    caseNo, officeId, seizedOn: "2023-08-09", infringementType: "trademark", goodsCategory: "bags_leather",
    goodsDescription: `Handbags with ${co.name} logos and quokka tags`, pieces: 12, valueFen: 120_000, direction: "export",
    channel: "express", transport: "air", protectionMode: "ex_officio", originCountry: "CN", destinationCountry: "US",
    campaignId: null, status: "detained", disposal: null, hearingHeld: false, referredToPolice: false, penaltyFen: null,
    notes: `Reported by ${co.nameZh}`, rightHolderIds: [own.id, co.id], ...over,
  };
}

beforeAll(async () => {
  t = freshDb("member-search");
  await seedDatabase(t.db.$client, { cases: 2_000, seed: 3 });
  const holders = t.db.$client.prepare("select id, name, name_zh as nameZh, industry from right_holders order by id").all() as Holder[];
  own = holders[0]!;
  co = holders.find((h) => h.industry !== own.industry && !h.name.split(" ").some((w) => own.name.includes(w)))!;
  caseId = (await createCase(sqliteEngine(t.db), input({}), null)).id;
});
afterAll(() => t?.close());

describe("a member's q", () => {
  it("finds its case by number, by a goods word and by its own company's name", () => {
    expect(found(caseNo)).toEqual([caseNo]);
    expect(found(`quokka ${caseNo}`)).toEqual([caseNo]);
    expect(found(`${own.name} quokka`)).toEqual([caseNo]);
    expect(found(`${own.nameZh} quokka`)).toEqual([caseNo]);
  });

  it("never finds it by the co-holder's name, English or Chinese, though an analyst does", () => {
    expect(found(`${co.name} quokka`)).toEqual([]);
    expect(found(`${co.nameZh} ${caseNo}`)).toEqual([]);
    expect(found(co.name.split(" ")[0]!)).toEqual([]);
    expect(found(`${co.name} quokka`, {} as ReturnType<typeof member>)).toEqual([caseNo]);
  });

  it("shows it with the co-holder blotted out and without the co-holder's id or history values", () => {
    const detail = getCase(t.db, caseId, member())!;
    expect(detail.goodsDescription).toBe("Handbags with ▇▇▇ logos and quokka tags");
    expect(detail.notes).toBe("Reported by ▇▇▇");
    expect(detail.rightHolders.map((h) => h.id)).toEqual([own.id]);
    expect(detail.history.map((h) => Object.keys(h).sort())).toEqual([["action", "at", "id"]]);
    expect(getCase(t.db, caseId)!.history[0]).toMatchObject({ action: "create", before: null });
  });

  it("follows edits, deletion and restoring through the one writer", async () => {
    await updateCase(sqliteEngine(t.db), caseId, 1, input({ goodsDescription: `Wallets with ${co.name} logos and wombat tags` }), null);
    expect(found("quokka")).toEqual([]);
    expect(found("wombat")).toEqual([caseNo]);
    expect(found(`${co.name} wombat`)).toEqual([]);
    await softDeleteCase(sqliteEngine(t.db), caseId, null);
    expect(found("wombat")).toEqual([]);
    await restoreCase(sqliteEngine(t.db), caseId, null);
    expect(found("wombat")).toEqual([caseNo]);
  });

  it("gives the same answers after the index is rebuilt as the migration does", () => {
    const words = ["wombat", caseNo, co.name, own.name, "counterfeit", "fake", "2019", co.nameZh];
    const before = words.map((w) => found(w).length);
    rebuildRedactedIndex(t.db.$client);
    expect(words.map((w) => found(w).length)).toEqual(before);
    expect(ensureSearchIndexes(t.db.$client)).toBe(false);
    t.db.$client.prepare("delete from app_meta where key = 'redacted_search_version'").run();
    expect(ensureSearchIndexes(t.db.$client)).toBe(true);
    expect(words.map((w) => found(w).length)).toEqual(before);
    expect(before[3]).toBeGreaterThan(1);
  });
});
