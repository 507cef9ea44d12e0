import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CaseNotFoundError,
  DuplicateCaseNoError,
  UnknownReferenceError,
  VersionConflictError,
  createCase,
  getCaseForEdit,
  restoreCase,
  softDeleteCase,
  updateCase,
  type CaseInput,
} from "../../db/mutations/cases";
import { getCase, listCases } from "../../db/queries/cases";
import { getDashboardStats, type Kpis } from "../../db/queries/stats";
import { derivedMismatches } from "../../db/aggregate/check";
import { derivedDigest } from "../support/derived";
import { writeCases } from "../../db/writer";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { seedDatabase } from "../../seed/run";
import { freshDb } from "../support/db";

let t: ReturnType<typeof freshDb>;
beforeAll(() => {
  t = freshDb("writes");
  seedDatabase(t.db.$client, { cases: 5_000, seed: 3 });
});
afterAll(() => t.close());

const sqlite = () => t.db.$client;
const f = (over: Partial<Filters>): Filters => ({ ...EMPTY_FILTERS, ...over });
const kpis = (filters: Filters): Kpis => getDashboardStats(t.db, filters).kpis;
const ids = (filters: Filters): number[] =>
  listCases(t.db, { filters, page: 1, size: 200, sort: { key: "caseNo", dir: "asc" } }).rows.map((r) => r.id);
const total = (filters: Filters): number =>
  listCases(t.db, { filters, page: 1, size: 25, sort: { key: "seizedOn", dir: "desc" } }).total;
const one = <T>(query: string, ...params: unknown[]): T => sqlite().prepare(query).get(...params) as T;
const officeId = (code: string) => one<{ id: number }>("select id from customs_offices where code = ?", code).id;
const campaignId = (code: string) => one<{ id: number }>("select id from campaigns where code = ?", code).id;
/** The first right holder of an industry (ids from the seed, whatever their number). */
const holderOf = (industry: string, nth = 0) =>
  one<{ id: number }>("select id from right_holders where industry = ? order by id limit 1 offset ?", industry, nth).id;

const counts = () => ({
  cases: one<{ n: number }>("select count(*) as n from cases").n,
  links: one<{ n: number }>("select count(*) as n from case_right_holders").n,
  audit: one<{ n: number }>("select count(*) as n from audit_log").n,
  changes: one<{ n: number }>("select count(*) as n from case_changes").n,
});

const derivedChecksum = () => derivedDigest(sqlite());

const plus = (k: Kpis, c: { pieces: number; valueFen: number }, sign = 1) => ({
  cases: k.cases + sign,
  pieces: k.pieces + sign * c.pieces,
  valueFen: k.valueFen + sign * c.valueFen,
});
const figures = (k: Kpis) => ({ cases: k.cases, pieces: k.pieces, valueFen: k.valueFen });

let serial = 9000;
/** A new case at Kunming Airport Customs (district 8600) in 2016, in the Qingfeng campaign. */
function kunmingInput(over: Partial<CaseInput> = {}): CaseInput {
  return {
    caseNo: `8600-2016-${++serial}`,
    officeId: officeId("8601"),
    seizedOn: "2016-03-15",
    infringementType: "copyright",
    goodsCategory: "toys",
    goodsDescription: "Plush toys bearing counterfeit cartoon characters quokkaplush",
    pieces: 1_234,
    valueFen: 5_678_900,
    direction: "export",
    channel: "postal",
    transport: "post",
    protectionMode: "ex_officio",
    originCountry: "CN",
    destinationCountry: "MM",
    campaignId: campaignId("qingfeng"),
    status: "detained",
    disposal: null,
    hearingHeld: false,
    referredToPolice: false,
    penaltyFen: null,
    notes: null,
    rightHolderIds: [holderOf("luxury"), holderOf("lighting")],
    ...over,
  };
}

describe("createCase", () => {
  it("adds the case to lists, KPIs, search, the audit log and every derived table", () => {
    const input = kunmingInput();
    const filters = [
      f({ district: ["8600"], from: "2016-01-01", to: "2016-12-31" }), // whole year: the store's year tallies
      f({ district: ["8600"], type: ["copyright"], category: ["toys"] }), // category: a scan of the store's rows
      f({ office: ["8601"], from: "2016-03-01", to: "2016-03-31" }), // partial year
      f({ campaign: ["qingfeng"], channel: ["postal"], status: ["detained"] }),
      f({ holder: [input.rightHolderIds[0]!] }),
      f({ industry: ["lighting"], from: "2016-01-01" }),
    ];
    const before = filters.map(kpis);
    const totalsBefore = filters.map(total);
    const n0 = counts();

    const created = createCase(sqlite(), input, "admin-1");
    expect(created.version).toBe(1);
    expect(created.id).toBeGreaterThan(5_000);

    filters.forEach((filter, i) => {
      expect(figures(kpis(filter)), JSON.stringify(filter)).toEqual(plus(before[i]!, input));
      expect(total(filter)).toBe(totalsBefore[i]! + 1);
      // narrowed to its day, the filter lists it
      expect(ids({ ...filter, from: input.seizedOn, to: input.seizedOn })).toContain(created.id);
    });
    expect(ids(f({ district: ["8600"], type: ["copyright"], category: ["toys"] }))).toContain(created.id);
    expect(ids(f({ q: input.caseNo }))).toEqual([created.id]);
    expect(ids(f({ q: "quokkaplush" }))).toEqual([created.id]);

    const row = one<{ created_by: string; updated_by: string; version: number; created_at: number; deleted_at: number | null; hearing_held: number }>(
      "select * from cases where id = ?", created.id);
    expect(row).toMatchObject({ created_by: "admin-1", updated_by: "admin-1", version: 1, deleted_at: null, hearing_held: 0 });
    expect(Math.abs(row.created_at - Date.now())).toBeLessThan(60_000);
    const links = sqlite().prepare("select right_holder_id from case_right_holders where case_id = ? order by 1").pluck().all(created.id);
    expect(links).toEqual([...input.rightHolderIds].sort((a, b) => a - b));

    const entries = sqlite().prepare("select * from audit_log where entity = 'case' and entity_id = ?").all(created.id) as
      { action: string; user_id: string; before: string | null; after: string }[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "create", user_id: "admin-1" });
    expect(JSON.parse(entries[0]!.before ?? "null")).toBeNull();
    expect(JSON.parse(entries[0]!.after)).toEqual({ ...input, rightHolderIds: [...input.rightHolderIds].sort((a, b) => a - b) });

    expect(counts()).toMatchObject({ cases: n0.cases + 1, links: n0.links + 2, audit: n0.audit + 1 });
    expect(getCaseForEdit(sqlite(), created.id)).toEqual({
      ...input,
      rightHolderIds: [...input.rightHolderIds].sort((a, b) => a - b),
      version: 1,
      updatedBy: "admin-1",
      updatedAt: row.created_at,
    });
    expect(derivedMismatches(sqlite())).toEqual([]);
  });

  it("lists each right holder once when the input repeats one", () => {
    const h = holderOf("automotive");
    const { id } = createCase(sqlite(), kunmingInput({ rightHolderIds: [h, h] }), null);
    expect(getCaseForEdit(sqlite(), id)!.rightHolderIds).toEqual([h]);
    expect(kpis(f({ holder: [h], from: "2016-03-15", to: "2016-03-15" })).cases).toBeGreaterThanOrEqual(1);
    expect(derivedMismatches(sqlite())).toEqual([]);
  });
});

describe("updateCase", () => {
  it("moves the case between offices, years, types, categories, channels, statuses, disposals, campaigns and right holders", () => {
    const input = kunmingInput();
    const { id } = createCase(sqlite(), input, "admin-1");
    const oldHolder = input.rightHolderIds[0]!;
    const newHolders = [holderOf("automotive", 1), holderOf("pharma_medical")];
    const edited: CaseInput = {
      ...input,
      officeId: officeId("5301"), // Huanggang, in the Shenzhen district
      seizedOn: "2021-07-02",
      infringementType: "design_patent",
      goodsCategory: "lighting",
      channel: "express",
      status: "closed",
      disposal: "destroyed",
      campaignId: campaignId("longteng"),
      rightHolderIds: newHolders,
      pieces: 4_321,
      valueFen: 9_876_500,
    };
    const oldFilters = [
      f({ district: ["8600"], from: "2016-01-01", to: "2016-12-31" }),
      f({ district: ["8600"], type: ["copyright"], category: ["toys"] }),
      f({ campaign: ["qingfeng"], channel: ["postal"] }),
      f({ holder: [oldHolder] }),
      f({ status: ["detained"], from: "2016-03-01", to: "2016-03-31" }),
    ];
    const newFilters = [
      f({ district: ["5300"], from: "2021-01-01", to: "2021-12-31" }),
      f({ office: ["5301"], type: ["design_patent"], category: ["lighting"] }),
      f({ campaign: ["longteng"], channel: ["express"] }),
      f({ holder: [newHolders[0]!] }),
      f({ industry: ["pharma_medical"], status: ["closed"], from: "2021-07-01", to: "2021-07-31" }),
      f({ disposal: ["destroyed"], type: ["design_patent"] }),
    ];
    const oldBefore = oldFilters.map(kpis);
    const newBefore = newFilters.map(kpis);
    const disposalsBefore = getDashboardStats(t.db, f({ type: ["design_patent"] })).byDisposal;

    const result = updateCase(sqlite(), id, 1, edited, "admin-2");
    expect(result).toEqual({ version: 2 });

    oldFilters.forEach((filter, i) => {
      expect(figures(kpis(filter)), JSON.stringify(filter)).toEqual(plus(oldBefore[i]!, input, -1));
    });
    newFilters.forEach((filter, i) => {
      expect(figures(kpis(filter)), JSON.stringify(filter)).toEqual(plus(newBefore[i]!, edited));
    });
    const disposalsAfter = getDashboardStats(t.db, f({ type: ["design_patent"] })).byDisposal;
    expect(disposalsAfter.find((d) => d.value === "destroyed")!.cases).toBe(disposalsBefore.find((d) => d.value === "destroyed")!.cases + 1);
    expect(ids(f({ holder: [oldHolder], district: ["8600"], from: "2016-03-15", to: "2016-03-15" }))).not.toContain(id);
    expect(ids(f({ holder: [newHolders[1]!], district: ["5300"], from: "2021-07-02", to: "2021-07-02" }))).toContain(id);
    expect(ids(f({ q: input.caseNo }))).toEqual([id]);

    const detail = getCase(t.db, id)!;
    expect(detail).toMatchObject({ version: 2, updatedBy: "admin-2", createdBy: "admin-1", status: "closed", disposal: "destroyed" });
    expect(detail.district.code).toBe("5300");
    expect(detail.rightHolders.map((h) => h.id).sort((a, b) => a - b)).toEqual([...newHolders].sort((a, b) => a - b));

    const entry = one<{ action: string; user_id: string; before: string; after: string }>(
      "select * from audit_log where entity = 'case' and entity_id = ? and action = 'update'", id);
    expect(entry.user_id).toBe("admin-2");
    const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
    expect(JSON.parse(entry.before)).toEqual({
      officeId: input.officeId, seizedOn: "2016-03-15", infringementType: "copyright", goodsCategory: "toys", pieces: 1_234,
      valueFen: 5_678_900, channel: "postal", campaignId: input.campaignId, status: "detained", disposal: null,
      rightHolderIds: sorted(input.rightHolderIds), version: 1,
    });
    expect(JSON.parse(entry.after)).toEqual({
      officeId: edited.officeId, seizedOn: "2021-07-02", infringementType: "design_patent", goodsCategory: "lighting", pieces: 4_321,
      valueFen: 9_876_500, channel: "express", campaignId: edited.campaignId, status: "closed", disposal: "destroyed",
      rightHolderIds: sorted(newHolders), version: 2,
    });
    expect(derivedMismatches(sqlite())).toEqual([]);
  });

  it("records only the holder list when the same holders come in another order, and a new case number in search", () => {
    const input = kunmingInput();
    const { id } = createCase(sqlite(), input, "admin-1");
    const newNo = `8600-2016-${++serial}`;
    updateCase(sqlite(), id, 1, { ...input, caseNo: newNo, rightHolderIds: [...input.rightHolderIds].reverse(), notes: "checked" }, "admin-3");
    const entry = one<{ before: string; after: string }>("select * from audit_log where entity_id = ? and action = 'update'", id);
    expect(JSON.parse(entry.before)).toEqual({ caseNo: input.caseNo, notes: null, version: 1 });
    expect(JSON.parse(entry.after)).toEqual({ caseNo: newNo, notes: "checked", version: 2 });
    expect(ids(f({ q: newNo }))).toEqual([id]);
    expect(ids(f({ q: input.caseNo }))).toEqual([]);
  });

  it("is refused for a missing or deleted case", () => {
    expect(() => updateCase(sqlite(), 99_999_999, 1, kunmingInput(), "x")).toThrow(CaseNotFoundError);
    const { id } = createCase(sqlite(), kunmingInput(), "admin-1");
    softDeleteCase(sqlite(), id, "admin-1");
    expect(getCaseForEdit(sqlite(), id)).toBeNull();
    const n0 = counts();
    expect(() => updateCase(sqlite(), id, 2, kunmingInput(), "x")).toThrow(CaseNotFoundError);
    expect(counts()).toEqual(n0);
  });

  it("rolls everything back when the row itself is refused after the old cells were taken out", () => {
    const input = kunmingInput();
    const { id } = createCase(sqlite(), input, "admin-1");
    const sum = derivedChecksum();
    const row = one<object>("select * from cases where id = ?", id);
    const n0 = counts();
    // pieces >= 1 is a CHECK constraint: it fails after the writer has taken the old cells out (its summed deltas)
    expect(() => updateCase(sqlite(), id, 1, { ...input, pieces: 0 }, "admin-2")).toThrow(/CHECK constraint failed/);
    expect(one<object>("select * from cases where id = ?", id)).toEqual(row);
    expect(counts()).toEqual(n0);
    expect(derivedChecksum()).toBe(sum);
    expect(sqlite().inTransaction).toBe(false);
  });
});

describe("soft delete and restore", () => {
  it("take the case out of every figure and put it back, with its history", () => {
    const input = kunmingInput();
    const filter = f({ district: ["8600"], from: "2016-01-01", to: "2016-12-31" });
    const partial = f({ office: ["8601"], category: ["toys"], from: "2016-02-01" });
    const base = [kpis(filter), kpis(partial)];
    const { id } = createCase(sqlite(), input, "admin-1");
    updateCase(sqlite(), id, 1, { ...input, notes: "seen" }, "admin-1");
    expect(figures(kpis(filter))).toEqual(plus(base[0]!, input));

    softDeleteCase(sqlite(), id, "admin-2");
    expect(figures(kpis(filter))).toEqual(figures(base[0]!));
    expect(figures(kpis(partial))).toEqual(figures(base[1]!));
    expect(ids(f({ q: input.caseNo }))).toEqual([]);
    expect(derivedMismatches(sqlite())).toEqual([]);

    restoreCase(sqlite(), id, "admin-2");
    expect(figures(kpis(filter))).toEqual(plus(base[0]!, input));
    expect(figures(kpis(partial))).toEqual(plus(base[1]!, input));
    expect(ids(f({ q: input.caseNo }))).toEqual([id]);
    expect(derivedMismatches(sqlite())).toEqual([]);

    const history = getCase(t.db, id)!.history;
    expect(history.length).toBeGreaterThanOrEqual(3);
    expect(history.map((h) => h.action).sort()).toEqual(["create", "delete", "restore", "update"]);
    expect(getCaseForEdit(sqlite(), id)!.version).toBe(4);
  });
});

describe("optimistic concurrency", () => {
  it("lets the first of two edits from the same version win and refuses the second, writing nothing", () => {
    const input = kunmingInput();
    const { id } = createCase(sqlite(), input, "admin-1");
    const loaded = getCaseForEdit(sqlite(), id)!;
    expect(loaded.version).toBe(1);

    const first = updateCase(sqlite(), id, loaded.version, { ...input, status: "penalised", penaltyFen: 50_000 }, "alice");
    expect(first.version).toBe(2);
    const row = one<object>("select * from cases where id = ?", id);
    const links = sqlite().prepare("select * from case_right_holders where case_id = ? order by 2").all(id);
    const n0 = counts();
    const sum = derivedChecksum();

    let error: unknown;
    try {
      updateCase(sqlite(), id, loaded.version, { ...input, status: "released", pieces: 1 }, "bob");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VersionConflictError);
    const conflict = error as VersionConflictError;
    expect(conflict.current.version).toBe(2);
    expect(conflict.current.updatedBy).toBe("alice");
    expect(conflict.current.updatedAt).toBe((row as { updated_at: number }).updated_at);
    expect(conflict.message).toContain("alice");
    expect(conflict.message).toContain(new Date(conflict.current.updatedAt).toISOString());

    expect(one<object>("select * from cases where id = ?", id)).toEqual(row);
    expect(sqlite().prepare("select * from case_right_holders where case_id = ? order by 2").all(id)).toEqual(links);
    expect(counts()).toEqual(n0);
    expect(derivedChecksum()).toBe(sum);
    expect(getCaseForEdit(sqlite(), id)).toMatchObject({ status: "penalised", penaltyFen: 50_000, version: 2, updatedBy: "alice" });
  });
});

describe("one writer, batches", () => {
  const ftsRows = () => one<{ n: number }>("select count(*) as n from cases_fts").n + one<{ n: number }>("select count(*) as n from cases_redacted_fts").n;

  it("a batch with one bad row leaves nothing of the batch written", () => {
    const { id } = createCase(sqlite(), kunmingInput(), "admin-1");
    const loaded = getCaseForEdit(sqlite(), id)!;
    const { version: _v, updatedBy: _u, updatedAt: _a, ...values } = loaded;
    const n0 = counts();
    const sum = derivedChecksum();
    const fts0 = ftsRows();
    const row = one<object>("select * from cases where id = ?", id);
    const good = kunmingInput();
    let error: unknown;
    try {
      writeCases(sqlite(), [
        { op: "create", input: good },
        { op: "update", id, expectedVersion: loaded.version, input: { ...values, pieces: values.pieces + 5 } },
        { op: "create", input: kunmingInput() },
        { op: "create", input: kunmingInput({ officeId: 999_999 }) },
      ], { userId: "batcher" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect((error as UnknownReferenceError).field).toBe("officeId");
    expect(counts()).toEqual(n0);
    expect(derivedChecksum()).toBe(sum);
    expect(ftsRows()).toBe(fts0);
    expect(one<object>("select * from cases where id = ?", id)).toEqual(row);
    expect(one<object | undefined>("select id from cases where case_no = ?", good.caseNo)).toBeUndefined();
    expect(derivedMismatches(sqlite())).toEqual([]);
  });

  it("a batch of good rows is written whole, each with its audit row, and the figures stay exact", () => {
    const inputs = [kunmingInput(), kunmingInput({ seizedOn: "2019-01-02", status: "penalised" }), kunmingInput({ goodsCategory: "medicines" })];
    const n0 = counts();
    const before = kpis(EMPTY_FILTERS);
    const result = writeCases(sqlite(), inputs.map((input) => ({ op: "create" as const, input })), { userId: "batcher" });
    expect(result.cases.map((r) => r.version)).toEqual([1, 1, 1]);
    expect(counts()).toMatchObject({ cases: n0.cases + 3, audit: n0.audit + 3 });
    expect(figures(kpis(EMPTY_FILTERS))).toEqual({
      cases: before.cases + 3,
      pieces: before.pieces + inputs.reduce((a, c) => a + c.pieces, 0),
      valueFen: before.valueFen + inputs.reduce((a, c) => a + c.valueFen, 0),
    });
    expect(derivedMismatches(sqlite())).toEqual([]);
  });

  it("delete with a stale version is refused, naming who changed the case and when, and writes nothing", () => {
    const input = kunmingInput();
    const { id } = createCase(sqlite(), input, "admin-1");
    const { version: shown } = getCaseForEdit(sqlite(), id)!;
    updateCase(sqlite(), id, shown, { ...input, status: "closed" }, "carol");
    const changed = getCaseForEdit(sqlite(), id)!;
    const n0 = counts();
    const sum = derivedChecksum();
    let error: unknown;
    try {
      softDeleteCase(sqlite(), id, "dave", shown);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VersionConflictError);
    const conflict = error as VersionConflictError;
    expect(conflict.current).toEqual({ version: changed.version, updatedBy: "carol", updatedAt: changed.updatedAt });
    expect(conflict.message).toContain("carol");
    expect(counts()).toEqual(n0);
    expect(derivedChecksum()).toBe(sum);
    expect(getCaseForEdit(sqlite(), id)).not.toBeNull();

    // with the version now shown it goes
    softDeleteCase(sqlite(), id, "dave", changed.version);
    expect(getCaseForEdit(sqlite(), id)).toBeNull();
    expect(derivedMismatches(sqlite())).toEqual([]);
  });
});

describe("bad input leaves nothing written", () => {
  const refused = (write: () => unknown): unknown => {
    const n0 = counts();
    const sum = derivedChecksum();
    let error: unknown;
    try {
      write();
    } catch (e) {
      error = e;
    }
    expect(error, "the write should have thrown").toBeInstanceOf(Error);
    expect(counts()).toEqual(n0);
    expect(derivedChecksum()).toBe(sum);
    return error;
  };

  it("refuses a case number another case has, live or deleted", () => {
    const taken = one<{ caseNo: string }>("select case_no as caseNo from cases where id = 42").caseNo;
    const error = refused(() => createCase(sqlite(), kunmingInput({ caseNo: taken }), "admin-1"));
    expect(error).toBeInstanceOf(DuplicateCaseNoError);
    expect((error as DuplicateCaseNoError).caseNo).toBe(taken);

    const gone = kunmingInput();
    const { id } = createCase(sqlite(), gone, "admin-1");
    softDeleteCase(sqlite(), id, "admin-1");
    expect(refused(() => createCase(sqlite(), kunmingInput({ caseNo: gone.caseNo }), "admin-1"))).toBeInstanceOf(DuplicateCaseNoError);

    const mine = kunmingInput();
    const created = createCase(sqlite(), mine, "admin-1");
    const row = one<object>("select * from cases where id = ?", created.id);
    const onEdit = refused(() => updateCase(sqlite(), created.id, 1, { ...mine, caseNo: taken }, "admin-1"));
    expect(onEdit).toBeInstanceOf(DuplicateCaseNoError);
    expect(one<object>("select * from cases where id = ?", created.id)).toEqual(row);
    // keeping its own number is no duplicate
    expect(updateCase(sqlite(), created.id, 1, { ...mine, notes: "same number" }, "admin-1").version).toBe(2);
  });

  it("refuses an unknown office", () => {
    const error = refused(() => createCase(sqlite(), kunmingInput({ officeId: 987_654 }), "admin-1"));
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect(error).toMatchObject({ field: "officeId", value: 987_654 });
  });

  it("refuses an unknown right holder, naming it", () => {
    const known = holderOf("luxury");
    const error = refused(() => createCase(sqlite(), kunmingInput({ rightHolderIds: [known, 876_543] }), "admin-1"));
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect(error).toMatchObject({ field: "rightHolderIds", value: [876_543] });
  });

  it("refuses a case without right holders, on create and on edit", () => {
    const error = refused(() => createCase(sqlite(), kunmingInput({ rightHolderIds: [] }), "admin-1"));
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect(error).toMatchObject({ field: "rightHolderIds", value: [] });
    const input = kunmingInput();
    const { id } = createCase(sqlite(), input, "admin-1");
    expect(refused(() => updateCase(sqlite(), id, 1, { ...input, rightHolderIds: [] }, "admin-1"))).toMatchObject({ field: "rightHolderIds" });
    expect(getCaseForEdit(sqlite(), id)!.rightHolderIds).toEqual([...input.rightHolderIds].sort((a, b) => a - b));
  });

  it("refuses an unknown campaign", () => {
    const error = refused(() => createCase(sqlite(), kunmingInput({ campaignId: 765_432 }), "admin-1"));
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect(error).toMatchObject({ field: "campaignId", value: 765_432 });
  });

  it("leaves every derived figure in step after all of the above", () => {
    expect(derivedMismatches(sqlite())).toEqual([]);
  });
});
