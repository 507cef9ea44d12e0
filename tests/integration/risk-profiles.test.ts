import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitImport } from "../../db/import";
import { listCases } from "../../db/queries/cases";
import { openExportCursor } from "../../db/queries/export";
import {
  archiveProfile, changeProfile, createProfile, getProfile, hitCaseIds, listProfiles, matchProfiles, ProfileError, type ProfileInput,
} from "../../db/risk-profiles";
import { loadStoredCase, writeCases, type CaseWrite } from "../../db/writer";
import { CASE_INPUT_KEYS, type CaseInput } from "../../lib/case-definition";
import { csvStream } from "../../lib/export-stream";
import { EMPTY_FILTERS, serializeFilters, type Filters } from "../../lib/filters";
import { parseImportFile } from "../../lib/import/parse";
import { createRandom } from "../../lib/prng";
import { addDays, shanghaiDate } from "../../lib/risk-profiles";
import { ENGINES } from "../support/engines";
import { combinedFilters, filterKinds, label, type FilterKind } from "../support/filter-combinations";
import { sameData, seeded, type SameData } from "../support/same-data";

// Risk profiles (issue 18, item 4) on both engines: a profile's hits are exactly the cases its
// filter selects by the case table's own query (listCases), for random filters drawn from
// every kind of filter (tests/support/filter-combinations.ts), among cases created through the
// writer and cases imported; the backfill over its validity; hits all or nothing with the
// write; inactive profiles hit nothing; an edit that makes a case match hits it then.

const CASES = 2_000;
const PROFILES = 16;

describe.each(ENGINES)("risk profiles on %s", (dialect) => {
  let t: SameData;
  let kinds: FilterKind[];
  const drawn: { filters: Filters; name: string; id: number }[] = [];
  const actor = { id: "analyst-1" };
  const today = shanghaiDate(Date.now());

  beforeAll(async () => {
    t = await sameData(dialect, "profiles", seeded({ cases: CASES, seed: 21 }, async (s) => {
    }));
    kinds = filterKinds(t.sqlite);
    const now = new Date();
    await t.e.db.insert(t.e.t.users).values([
      { id: "analyst-1", name: "Analyst One", email: "analyst-1@example.test", role: "analyst", holderId: null, createdAt: now, updatedAt: now },
      { id: "admin-1", name: "Admin One", email: "admin-1@example.test", role: "admin", holderId: null, createdAt: now, updatedAt: now },
    ]);
  }, 300_000);
  afterAll(() => t?.close());

  const input = (name: string, filters: Filters, over: Partial<ProfileInput> = {}): ProfileInput => ({
    name, ownerId: "analyst-1", query: serializeFilters(filters).toString(), validFrom: "2000-01-01", validTo: null, reason: "a test of the matching", ...over,
  });

  /** Every id the case table's own query selects (page by page, as the table reads them). */
  async function tableIds(filters: Filters): Promise<number[]> {
    const ids: number[] = [];
    for (let page = 1; ; page++) {
      const result = await listCases(t.e, { filters, page, size: 200, sort: { key: "caseNo", dir: "asc" } });
      ids.push(...result.rows.map((r) => r.id));
      if (result.rows.length < 200) break;
    }
    return ids.sort((a, b) => a - b);
  }
  const among = (ids: number[], set: Set<number>) => ids.filter((id) => set.has(id)).sort((a, b) => a - b);
  const hitRows = async () => Number((await t.e.get<{ n: number }>(sql`select count(*) as n from profile_hits`))!.n);
  const caseRows = async () => Number((await t.e.get<{ n: number }>(sql`select count(*) as n from cases`))!.n);

  it("backfills, over its validity so far, exactly the cases the case table selects", async () => {
    const random = createRandom(dialect === "sqlite" ? 41 : 42);
    for (let i = 0; i < PROFILES; i++) {
      // each kind in turn, with 0–2 others drawn at random
      const own = kinds[i % kinds.length]!;
      const chosen = [own, ...random.shuffle(kinds.filter((k) => k !== own)).slice(0, i % 3)];
      const filters = combinedFilters(chosen);
      const name = `P${i} ${label(chosen)}`;
      const { id, backfilled } = await createProfile(t.e, actor, input(name, filters));
      drawn.push({ filters, name, id });
      const expected = await tableIds(filters);
      expect(await hitCaseIds(t.e, id), name).toEqual(expected);
      expect(backfilled, name).toBe(expected.length);
    }
    // every kind of filter is drawn at least once
    expect(new Set(drawn.flatMap((d) => d.name.replace(/^P\d+ /, "").split(" + ")))).toEqual(new Set(kinds.map((k) => k.name)));
  });

  it("hits, among cases created through the writer, exactly those the case table's query selects", async () => {
    const random = createRandom(7);
    const sources = random.shuffle((await t.e.all<{ id: number }>(sql`select id from cases where deleted_at is null order by id`)).map((r) => Number(r.id))).slice(0, 120);
    const writes: CaseWrite[] = [];
    for (const [i, id] of sources.entries()) {
      const stored = (await loadStoredCase(t.e, id))!;
      const copy = Object.fromEntries(CASE_INPUT_KEYS.map((k) => [k, stored[k]])) as CaseInput;
      const [d, , n] = stored.caseNo.split("-");
      writes.push({ op: "create", input: { ...copy, caseNo: `${d}-${8000 + i}-${n}`, recordationIds: [] } });
    }
    const before = Date.now();
    const result = await writeCases(t.e, writes, { userId: "admin-1" });
    const created = new Set(result.cases.map((c) => c.id));
    expect(created.size).toBe(120);
    let total = 0;
    for (const p of drawn) {
      const expected = among(await tableIds(p.filters), created);
      expect(among(await hitCaseIds(t.e, p.id), created), p.name).toEqual(expected);
      total += expected.length;
      const hitAt = await t.e.all<{ at: number }>(sql`select hit_at as at from profile_hits where profile_id = ${p.id} and ${t.e.say.inList(sql`case_id`, [...created])}`);
      for (const h of hitAt) expect(Number(h.at)).toBeGreaterThanOrEqual(before);
    }
    expect(total).toBeGreaterThan(0);
  });

  it("hits, among imported cases, exactly those the case table's query selects", async () => {
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = `file:${t.file}`;
    let bytes: Uint8Array;
    try {
      const cursor = await openExportCursor(t.source, { ...EMPTY_FILTERS, from: "2021-01-01", to: "2021-12-31" }, { key: "caseNo", dir: "asc" });
      bytes = new Uint8Array(await new Response(csvStream(cursor.rows, "en", cursor.close)).arrayBuffer());
    } finally {
      process.env.DATABASE_URL = previous;
    }
    const parsed = await parseImportFile(bytes, "file.csv");
    expect(parsed.rows.length).toBeGreaterThan(50);
    for (const [i, row] of parsed.rows.entries()) {
      const [d, , n] = row.cells[0]!.split("-");
      row.cells[0] = `${d}-${7000 + i}-${n}`;
    }
    const report = await commitImport(t.e, parsed, { update: false, skipInvalid: true, createHolders: false }, "admin-1");
    expect(report.committed).toBe(true);
    expect(report.creates).toBeGreaterThan(50);
    const imported = new Set(
      (await t.e.all<{ id: number }>(sql`select id from cases where ${t.e.say.inList(sql`case_no`, report.caseNos!)}`)).map((r) => Number(r.id)),
    );
    expect(imported.size).toBe(report.creates);
    let total = 0;
    for (const p of drawn) {
      const expected = among(await tableIds(p.filters), imported);
      expect(among(await hitCaseIds(t.e, p.id), imported), p.name).toEqual(expected);
      total += expected.length;
    }
    expect(total).toBeGreaterThan(0);
    // after backfill, creates and the import: every profile's hits are the case table's whole set
    for (const p of drawn) expect(await hitCaseIds(t.e, p.id), p.name).toEqual(await tableIds(p.filters));
  });

  it("records no hit when the write fails: hits are all or nothing with the batch", async () => {
    const stored = (await loadStoredCase(t.e, 5))!;
    const copy = Object.fromEntries(CASE_INPUT_KEYS.map((k) => [k, stored[k]])) as CaseInput;
    const [d, , n] = stored.caseNo.split("-");
    const matching = await createProfile(t.e, actor, input("Matches everything", { ...EMPTY_FILTERS, from: "2000-01-01" }));
    const hits = await hitRows();
    const cases = await caseRows();
    const writes: CaseWrite[] = [
      { op: "create", input: { ...copy, caseNo: `${d}-6001-${n}`, recordationIds: [] } },
      { op: "create", input: { ...copy, caseNo: stored.caseNo, recordationIds: [] } }, // a case number taken: the batch is refused
    ];
    await expect(writeCases(t.e, writes, { userId: "admin-1" })).rejects.toThrow();
    expect(await hitRows()).toBe(hits);
    expect(await caseRows()).toBe(cases);
    // an import with a rejected row commits nothing, and hits nothing
    const parsed = { format: "csv" as const, header: ["case_no"], rows: [{ row: 2, cells: ["not a case number"] }] };
    const report = await commitImport(t.e, parsed, { update: false, skipInvalid: false, createHolders: false }, "admin-1");
    expect(report.committed).toBe(false);
    expect(await hitRows()).toBe(hits);
    await archiveProfile(t.e, actor, matching.id, 1);
  });

  it("matches active profiles only, and hits a case edited so that it now matches at the edit", async () => {
    const word = "zebraquartzite";
    const filters = { ...EMPTY_FILTERS, q: word };
    const active = await createProfile(t.e, actor, input("Zebra active", filters));
    const archived = await createProfile(t.e, actor, input("Zebra archived", filters));
    await archiveProfile(t.e, actor, archived.id, 1);
    const future = await createProfile(t.e, actor, input("Zebra future", filters, { validFrom: addDays(today, 2) }));
    const expired = await createProfile(t.e, actor, input("Zebra expired", filters, { validFrom: "2020-01-01", validTo: "2020-12-31" }));
    for (const p of [active, archived, future, expired]) expect(p.backfilled).toBe(0);

    const stored = (await loadStoredCase(t.e, 17))!;
    const copy = Object.fromEntries(CASE_INPUT_KEYS.map((k) => [k, stored[k]])) as CaseInput;
    const before = Date.now();
    await writeCases(t.e, [{ op: "update", id: 17, expectedVersion: stored.version, input: { ...copy, goodsDescription: `${copy.goodsDescription} ${word}` } }], { userId: "admin-1" });
    expect(await hitCaseIds(t.e, active.id)).toEqual([17]);
    for (const p of [archived, future, expired]) expect(await hitCaseIds(t.e, p.id)).toEqual([]);
    const at = Number((await t.e.get<{ at: number }>(sql`select hit_at as at from profile_hits where profile_id = ${active.id}`))!.at);
    expect(at).toBeGreaterThanOrEqual(before);
    // an edit that makes it stop matching keeps the hit (a record of what matched when)
    await writeCases(t.e, [{ op: "update", id: 17, expectedVersion: stored.version + 1, input: copy }], { userId: "admin-1" });
    expect(await hitCaseIds(t.e, active.id)).toEqual([17]);
    // matching again hits nothing twice
    expect(await t.e.transaction((tx) => matchProfiles(tx, [17]))).toBe(0);
  });

  it("shows each profile's figures: hits, value to the fen, share of the period, stale ones first", async () => {
    const list = await listProfiles(t.e);
    const p = drawn[0]!;
    const row = list.find((r) => r.id === p.id)!;
    const ids = await tableIds(p.filters);
    const value = Number(
      (await t.e.get<{ v: number }>(sql`select coalesce(sum(value_fen), 0) as v from cases where ${t.e.say.inList(sql`id`, ids.length ? ids : [-1])}`))!.v,
    );
    expect(row.hits).toBe(ids.length);
    expect(row.valueFen).toBe(value);
    const live = Number((await t.e.get<{ n: number }>(sql`select count(*) as n from cases where deleted_at is null`))!.n);
    expect(row.periodCases).toBe(live);
    expect(row.periodHits).toBe(ids.length);
    // stale: active with no hit for 30 days — listed before the others
    const firstFresh = list.findIndex((r) => !r.stale);
    expect(list.slice(firstFresh).some((r) => r.stale)).toBe(false);
    const zebra = list.find((r) => r.name === "Zebra future")!;
    expect(zebra.active).toBe(false);
    expect(zebra.stale).toBe(false);
    const detail = (await getProfile(t.e, p.id))!;
    expect(detail.history.at(-1)!.month).toBe(today.slice(0, 7));
    expect(detail.history.reduce((s, m) => s + m.hits, 0)).toBeLessThanOrEqual(ids.length);
    expect(detail.latest.length).toBe(Math.min(200, ids.length));
  });

  it("refuses bad input and edits made against an old version, writing nothing", async () => {
    const count = async () => Number((await t.e.get<{ n: number }>(sql`select count(*) as n from risk_profiles`))!.n);
    const n = await count();
    const refused = async (over: Partial<ProfileInput>, field: string, code: string) => {
      const error = await createProfile(t.e, actor, input("Refused", { ...EMPTY_FILTERS, type: ["copyright"] }, over)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProfileError);
      expect(error).toMatchObject({ field, code });
    };
    await refused({ name: "   " }, "name", "required");
    await refused({ name: drawn[0]!.name }, "name", "taken");
    await refused({ reason: "" }, "reason", "required");
    await refused({ query: "bogus=1&type=nothing" }, "query", "empty");
    await refused({ validFrom: "2024-02-30" }, "validFrom", "date");
    await refused({ validFrom: "2024-05-01", validTo: "2024-04-30" }, "validTo", "before_from");
    await refused({ ownerId: "nobody" }, "ownerId", "owner");
    expect(await count()).toBe(n);

    const p = drawn[1]!;
    const { version } = await changeProfile(t.e, actor, p.id, 1, input(`${p.name} renamed`, p.filters, { reason: "narrowed" }));
    expect(version).toBe(2);
    const stale = await changeProfile(t.e, actor, p.id, 1, input("Old edit", p.filters)).catch((e: unknown) => e);
    expect(stale).toMatchObject({ field: "version", code: "conflict" });
    expect((await getProfile(t.e, p.id))!.name).toBe(`${p.name} renamed`);
    const audits = Number((await t.e.get<{ n: number }>(sql`select count(*) as n from audit_log where entity = 'risk_profile'`))!.n);
    expect(audits).toBe(n + 2 + 1); // every create, the archives (2), the edit
  });
});
