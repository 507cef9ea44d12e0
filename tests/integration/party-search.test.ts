import { sql } from "drizzle-orm";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteConnectionOf, type Engine } from "../../db/engine";
import { derivedMismatches } from "../../db/aggregate/check";
import { commitImport } from "../../db/import";
import { mergeRightHolders } from "../../db/mutations/reference";
import { setPartyIdRetention } from "../../db/party-erasure";
import { ensurePostgresSearch } from "../../db/postgres/open";
import { openExportCursor } from "../../db/queries/export";
import { listCases } from "../../db/queries/cases";
import { CASE_PARTY_INDEX_SQL, groupParties, holderIndexName, partiesIndexText, type PartyIndexEntry } from "../../db/search-document";
import { ensureSearchIndexes } from "../../db/sqlite/search-index";
import { loadStoredCase, writeCases } from "../../db/writer";
import { PARTY_FIELDS, type CaseInput } from "../../lib/case-definition";
import { csvStream } from "../../lib/export-stream";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { parseImportFile } from "../../lib/import/parse";
import { idCheckChar, maskIdNumber, usccCheckChar } from "../../lib/parties";
import { codeOf, phraseMatches, searchWords } from "../../lib/search";
import { seedDatabase } from "../../seed/run";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";
import { searchMismatches } from "../support/written";

// Issue 18: the case table's `q` finds a case by its parties — a party's name (words, as every
// other field: a phrase per word, its last token a prefix, Chinese by characters) and an
// enterprise's code (whole, typed with spaces, hyphens or in any case) — on both engines, from
// the search documents the one writer keeps (db/search-document.ts). A natural person's identity
// number never enters an index in any form. A member searches its own company's cases only,
// and the redacted document never holds the names of the case's other right holders.

const PERSON_ID = (() => {
  const first17 = "53010219870611" + "352";
  return first17 + idCheckChar(first17);
})();
const CODE = (() => {
  const first17 = "91530100MA6K7Q2B4";
  return first17 + usccCheckChar(first17)!;
})();
const RENAMED_CODE = (() => {
  const first17 = "91530100MA6K7Q2C5";
  return first17 + usccCheckChar(first17)!;
})();

type Holder = { id: number; name: string; nameZh: string | null };
/** What each engine found for the same words over the same seeded data (compared at the end). */
const foundBy: Record<string, Map<string, string[]>> = { sqlite: new Map(), postgres: new Map() };

describe.each(ENGINES)("a party in q on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  let base: CaseInput;
  let own: Holder;
  let co: Holder;
  let other: Holder;
  let n = 0;

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "party-search");
    e = fresh.e;
    await seedDatabase(e, { cases: 1000, seed: 11 });
    const [row] = await e.all<{ id: number }>(sql`select id from cases order by id limit 1`);
    const { version: _v, updatedBy: _u, updatedAt: _a, deletedAt: _d, ...values } = (await loadStoredCase(e, row!.id))!;
    base = { ...values, ...Object.fromEntries(PARTY_FIELDS.map((f) => [f.key, null])), caseNo: "", recordationIds: [], protectionMode: "on_application" } as CaseInput;
    const holders = await e.all<Holder>(sql`select id, name, name_zh as "nameZh" from right_holders order by id`);
    own = holders[0]!;
    const words = (h: Holder) => h.name.toLowerCase().split(/\W+/).filter(Boolean);
    const shares = (a: Holder, b: Holder) => words(a).some((w) => words(b).includes(w));
    co = holders.find((h) => h.id !== own.id && !shares(h, own))!;
    other = holders.find((h) => h.id !== own.id && h.id !== co.id && !shares(h, own) && !shares(h, co))!;
  }, 240_000);
  afterAll(async () => fresh?.close());

  const newCase = (extra: Partial<CaseInput>): CaseInput => ({ ...base, caseNo: `9100-2024-${String(++n).padStart(4, "0")}`, rightHolderIds: [own.id], ...extra });
  const create = async (...inputs: CaseInput[]) => (await writeCases(e, inputs.map((input) => ({ op: "create" as const, input })), { userId: null })).cases.map((c) => c.id);
  const f = (q: string): Filters => ({ ...EMPTY_FILTERS, q });
  /** The case numbers `q` finds in the case table (as staff, or as a member of `holder`). */
  const found = async (q: string, holder?: Holder) => {
    const out: string[] = [];
    for (let page = 1; ; page++) {
      const { rows, total } = await listCases(e, { filters: f(q), page, size: 200, sort: { key: "caseNo", dir: "asc" } }, holder ? { restrictToHolders: [holder.id] } : {});
      out.push(...rows.map((r) => r.caseNo));
      if (!rows.length || out.length >= total) return out;
    }
  };
  const total = async (q: string) => (await listCases(e, { filters: f(q), page: 1, size: 1, sort: { key: "caseNo", dir: "asc" } })).total;
  /** The live cases linked to the party of that name, by SQL over case_parties. */
  const linked = async (name: string) =>
    (await e.all<{ caseNo: string }>(sql`select distinct c.case_no as "caseNo" from case_parties cp join parties p on p.id = cp.party_id
      join cases c on c.id = cp.case_id where p.name = ${name} and c.deleted_at is null order by c.case_no`)).map((r) => r.caseNo);

  /**
   * An oracle written without the indexes: every live case's fields read back, and `q`'s words
   * matched against them as FTS5 matches a phrase per column (lib/search.ts phraseMatches).
   */
  const oracle = async (q: string): Promise<string[]> => {
    const cases = await e.all<{ id: number; caseNo: string; goods: string }>(sql`select id, case_no as "caseNo", goods_description as goods from cases where deleted_at is null`);
    const holders = new Map<number, string[]>();
    for (const r of await e.all<{ c: number; name: string; nameZh: string | null }>(sql`select l.case_id as c, h.name, h.name_zh as "nameZh"
      from case_right_holders l join right_holders h on h.id = l.right_holder_id order by l.case_id, h.id`)) {
      holders.set(Number(r.c), [...(holders.get(Number(r.c)) ?? []), holderIndexName(r)]);
    }
    const parties = groupParties(await e.all<PartyIndexEntry & { caseId: number }>(sql.raw(CASE_PARTY_INDEX_SQL)));
    const words = searchWords(q);
    const code = codeOf(q);
    return cases
      .filter((c) => {
        const partyText = partiesIndexText(parties.get(Number(c.id)) ?? []);
        const columns = [c.caseNo, c.goods, (holders.get(Number(c.id)) ?? []).join(" ; "), partyText];
        const all = words.every((w) => columns.some((text) => phraseMatches(w, text)));
        return all || (code !== null && partyText.toLowerCase().split(/[^a-z0-9]+/).includes(code));
      })
      .map((c) => c.caseNo)
      .sort();
  };

  it("finds the cases of a seeded party by its name: the oracle's cases, which hold every case linked to it", async () => {
    const picks = await e.all<{ name: string; kind: string; n: number }>(sql`select p.name, p.kind, count(*) as n from parties p join case_parties cp on cp.party_id = p.id
      group by p.id, p.name, p.kind order by count(*) desc, p.name limit 200`);
    const chosen = ["enterprise", "foreign", "person"].flatMap((kind) => picks.filter((p) => p.kind === kind).slice(0, 2));
    expect(chosen.length).toBe(6);
    for (const p of chosen) {
      const hits = await found(p.name);
      expect(hits, p.name).toEqual(await oracle(p.name));
      for (const caseNo of await linked(p.name)) expect(hits, p.name).toContain(caseNo);
      foundBy[dialect]!.set(p.name, hits);
    }
    // a word of a name, as a prefix
    const word = chosen[0]!.name.split(" ")[0]!.slice(0, 3);
    expect(await found(word)).toEqual(await oracle(word));
    foundBy[dialect]!.set(word, await found(word));
  });

  it("finds exactly the cases linked to a party by its name, in English and Chinese, and by its code typed any way", async () => {
    const party = { consigneeKind: "enterprise" as const, consigneeName: "Quokkavale Trading Co.", consigneeCode: CODE, consigneeAddress: "3 Jiegang Road, Ruili" };
    const zh = { consignorKind: "enterprise" as const, consignorName: "袋獾谷进出口有限公司", consignorCode: null, consignorAddress: "昆明市" };
    await create(newCase(party), newCase({ ...party, ...zh }), newCase(zh));
    const named = await linked("Quokkavale Trading Co.");
    expect(named).toHaveLength(2);
    expect(await found("Quokkavale Trading Co.")).toEqual(named);
    expect(await found("quokkaval")).toEqual(named);
    expect(await found("袋獾谷进出口有限公司")).toEqual(await linked("袋獾谷进出口有限公司"));
    expect(await found("袋獾谷")).toHaveLength(2);
    expect(await found("袋獾谷 quokkavale")).toHaveLength(1);
    // the code: whole, with or without spaces and hyphens, in any case
    for (const typed of [CODE, CODE.toLowerCase(), `${CODE.slice(0, 8)}-${CODE.slice(8)}`, `${CODE.slice(0, 4)} ${CODE.slice(4, 10)} ${CODE.slice(10).toLowerCase()}`]) {
      expect(await found(typed), typed).toEqual(named);
    }
    // a part of the code typed with a hyphen is no code
    expect(await found(`${CODE.slice(0, 4)}-${CODE.slice(4, 9)}`)).toEqual([]);
    for (const q of ["Quokkavale Trading Co.", "袋獾谷", CODE]) foundBy[dialect]!.set(q, await found(q));
  });

  it("finds a person by name, never by the identity number in any form", async () => {
    const [id] = await create(newCase({ consigneeKind: "person", consigneeName: "Numbat Feng", consigneeCode: PERSON_ID, consigneeAddress: "7 Border Street, Ruili" }));
    const caseNo = (await loadStoredCase(e, id!))!.caseNo;
    expect(await found("Numbat Feng")).toEqual([caseNo]);
    for (const q of [PERSON_ID, PERSON_ID.toLowerCase(), PERSON_ID.slice(0, 17), `${PERSON_ID.slice(0, 6)}-${PERSON_ID.slice(6)}`, maskIdNumber(PERSON_ID), PERSON_ID.slice(-4)]) {
      expect(await found(q), q).toEqual([]);
    }
    const [p] = await e.all<{ idHash: string; idMasked: string }>(sql`select id_hash as "idHash", id_masked as "idMasked" from parties where name = 'Numbat Feng'`);
    expect(await found(p!.idHash)).toEqual([]);
    // and the indexes hold none of it
    const needles = [PERSON_ID.toLowerCase(), PERSON_ID.slice(0, 17), p!.idHash.toLowerCase(), PERSON_ID.slice(-4)];
    const sqlite = sqliteConnectionOf(e);
    if (sqlite) {
      for (const index of ["cases_fts", "cases_redacted_fts"]) {
        sqlite.exec(`drop table if exists temp.v; create virtual table temp.v using fts5vocab(main, ${index}, row)`);
        const terms = sqlite.prepare("select term from temp.v").pluck().all() as string[];
        for (const needle of needles) expect(terms.filter((t) => t.includes(needle)), `${index} ${needle}`).toEqual([]);
        sqlite.exec("drop table temp.v");
      }
    } else {
      for (const needle of needles) {
        const [row] = await e.all<{ n: number }>(sql`select count(*) as n from cases_search where lower(doc::text) like ${`%${needle}%`} or lower(redacted_doc::text) like ${`%${needle}%`}`);
        expect(Number(row!.n), needle).toBe(0);
      }
    }
  });

  it("keeps the documents current: an edit, a party renamed by another case, a delete and restore, an import, a merge, an erasure", async () => {
    const [a] = await create(newCase({ consignorKind: "enterprise", consignorName: "Bilbyford Supply Chain Ltd", consignorCode: RENAMED_CODE, consignorAddress: "1 Binjiang Avenue" }));
    const caseNo = (await loadStoredCase(e, a!))!.caseNo;
    expect(await found("Bilbyford")).toEqual([caseNo]);

    // edited: the consignor replaced
    const stored = (await loadStoredCase(e, a!))!;
    const { version, updatedBy: _u, updatedAt: _a, deletedAt: _d, ...values } = stored;
    await writeCases(e, [{ op: "update", id: a!, expectedVersion: version, input: { ...values, consignorName: "Potoroo Harbour Logistics", consignorCode: null } }], { userId: null });
    expect(await found("Bilbyford")).toEqual([]);
    expect(await found("Potoroo Harbour")).toEqual([caseNo]);

    // another case names the same enterprise (its code) under a new name: the first case's document follows
    await writeCases(e, [{ op: "update", id: a!, expectedVersion: version + 1, input: { ...values } }], { userId: null });
    expect(await found("Bilbyford")).toEqual([caseNo]);
    const [b] = await create(newCase({ consignorKind: "enterprise", consignorName: "Bettongia Supply Chain Ltd", consignorCode: RENAMED_CODE, consignorAddress: "1 Binjiang Avenue" }));
    const second = (await loadStoredCase(e, b!))!.caseNo;
    expect(await found("Bilbyford")).toEqual([]);
    expect(await found("Bettongia")).toEqual([caseNo, second]);
    expect(await found(RENAMED_CODE)).toEqual([caseNo, second]);

    // deleted and restored
    await writeCases(e, [{ op: "delete", id: b! }], { userId: null });
    expect(await found("Bettongia")).toEqual([caseNo]);
    await writeCases(e, [{ op: "restore", id: b! }], { userId: null });
    expect(await found("Bettongia")).toEqual([caseNo, second]);

    // imported: the export of the second case, under a new number
    const cursor = await openExportCursor(e, { ...EMPTY_FILTERS, q: second }, { key: "caseNo", dir: "asc" });
    const parsed = await parseImportFile(new Uint8Array(await new Response(csvStream(cursor.rows, "en", cursor.close)).arrayBuffer()), "cases.csv");
    const imported = second.replace(/^9/, "8");
    parsed.rows[0]!.cells[0] = imported;
    expect((await commitImport(e, parsed, { update: false, skipInvalid: false, createHolders: false }, null)).rejected).toEqual([]);
    expect(await found("Bettongia")).toEqual([imported, caseNo, second].sort());

    // the right holders merged: the documents written again keep the parties
    const [spare] = await e.all<{ id: number }>(sql`select id from right_holders where id not in (${own.id}, ${co.id}, ${other.id}) order by id desc limit 1`);
    const [c] = await create(newCase({ rightHolderIds: [spare!.id], consigneeKind: "foreign", consigneeName: "Mekong Dibbler Export Ltd", consigneeCode: "LA5566123", consigneeAddress: null }));
    const third = (await loadStoredCase(e, c!))!.caseNo;
    await mergeRightHolders(e, own.id, spare!.id, null);
    expect(await found("Dibbler")).toEqual([third]);
    expect(await found("LA5566123")).toEqual([third]);

    // a person's number erased: the name still finds the case, the documents unchanged
    const [old] = await create(newCase({ seizedOn: "2015-05-05", consigneeKind: "person", consigneeName: "Quoll Zhang", consigneeCode: (() => {
      const first17 = "53010219600101" + "123";
      return first17 + idCheckChar(first17);
    })(), consigneeAddress: null }));
    const oldNo = (await loadStoredCase(e, old!))!.caseNo;
    expect((await setPartyIdRetention(e, 120, "admin-1", "2026-12-01")).erased).toBeGreaterThan(0);
    expect(await found("Quoll Zhang")).toEqual([oldNo]);

    expect(await derivedMismatches(e)).toEqual([]);
    expect(await searchMismatches(e)).toEqual([]);
  });

  it("lets a member find its own cases by their parties, never another company's, and never by a co-holder's name in a party", async () => {
    const [mine] = await create(newCase({ consigneeKind: "enterprise", consigneeName: "Wallaroo Import & Export Co.", consigneeCode: null, consigneeAddress: null }));
    const [theirs] = await create(newCase({ rightHolderIds: [other.id], consigneeKind: "enterprise", consigneeName: "Wombatfield Logistics", consigneeCode: null, consigneeAddress: null }));
    const [shared] = await create(newCase({
      rightHolderIds: [own.id, co.id], consigneeKind: "enterprise", consigneeName: `${co.name} Kowari Logistics`, consigneeCode: null, consigneeAddress: null,
    }));
    const no = async (id: number) => (await loadStoredCase(e, id))!.caseNo;
    expect(await found("Wallaroo", own)).toEqual([await no(mine!)]);
    expect(await found("Wombatfield")).toEqual([await no(theirs!)]);
    expect(await found("Wombatfield", own)).toEqual([]);
    expect(await found("Wombatfield", other)).toEqual([await no(theirs!)]);
    // the party's other words find the member's case; the co-holder's name in it does not
    expect(await found("Kowari", own)).toEqual([await no(shared!)]);
    expect(await found(co.name, own)).not.toContain(await no(shared!));
    expect(await found(`${co.name} Kowari`, own)).toEqual([]);
    expect(await found(`${co.name} Kowari`)).toEqual([await no(shared!)]);
    expect(await found(`${co.name} Kowari`, co)).toEqual([await no(shared!)]);
    expect(await derivedMismatches(e)).toEqual([]);
  });

  it("fills the documents of a database written before the parties were indexed", async () => {
    const before = await found("Quokkavale");
    expect(before.length).toBeGreaterThan(0);
    const sqlite = sqliteConnectionOf(e);
    if (sqlite) {
      // as migration 0026 leaves a database: both indexes made again, empty, and the older version
      sqlite.exec("delete from cases_fts; delete from cases_redacted_fts; update app_meta set value = '1' where key = 'redacted_search_version'");
      expect(await found("Quokkavale")).toEqual([]);
      expect(ensureSearchIndexes(sqlite)).toBe(true);
      expect(ensureSearchIndexes(sqlite)).toBe(false);
    } else {
      // as migration 0016 leaves one: documents of an older definition (here: none at all), marked
      await e.run(sql`update cases_search set doc = ''::tsvector, redacted_doc = ''::tsvector`);
      await e.run(sql`insert into app_meta (key, value) values ('search_rebuild', 'parties')`);
      expect(await found("Quokkavale")).toEqual([]);
      const client = await (e.db as unknown as { $client: pg.Pool }).$client.connect();
      try {
        expect(await ensurePostgresSearch(client)).toBeGreaterThan(1000);
        expect(await ensurePostgresSearch(client)).toBe(0);
      } finally {
        client.release();
      }
    }
    expect(await found("Quokkavale")).toEqual(before);
    expect(await derivedMismatches(e)).toEqual([]);
    expect(await searchMismatches(e)).toEqual([]);
    expect(await total("Quokkavale")).toBe(before.length);
  });
});

describe("both engines", () => {
  it("find the same cases for the same words over the same seeded data", () => {
    expect(foundBy.sqlite!.size).toBeGreaterThan(5);
    expect([...foundBy.postgres!.entries()]).toEqual([...foundBy.sqlite!.entries()]);
  });
});
