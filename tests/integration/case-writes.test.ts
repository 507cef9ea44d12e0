import { withBlanks } from "../../lib/case-definition";
import { spawn } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
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
import { derivedMismatches } from "../../db/aggregate/check";
import { tally } from "../../db/aggregate/plan";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { sqliteConnectionOf, type Engine } from "../../db/engine";
import { writeCases } from "../../db/writer";
import { seedDatabase } from "../../seed/run";
import { ROOT } from "../support/db";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";
import { caseIds, figures, rowCounts, searchIds, searchMismatches, traceDigest, type Figures, type Where } from "../support/written";

// THE writer on both engines, against a seeded database: each write reaches the figures, the
// lists and the search of the cases it touches, with its audit entry; a refused write (bad
// input, a stale version, a constraint) leaves no trace at all. Figures and lists are read
// back with independent SQL (tests/support/written.ts); the aggregate stores and the search
// indexes are also checked against the cases (db/aggregate/check.ts; term by term on SQLite).

describe.each(ENGINES)("the one writer on %s", (dialect) => {
let fresh: FreshEngine;
let e: Engine;
beforeAll(async () => {
  fresh = await freshEngine(dialect, "writes");
  e = fresh.e;
  await seedDatabase(e, { cases: 5_000, seed: 3 });
}, 120_000);
afterAll(() => fresh?.close());

const one = async <T>(query: ReturnType<typeof sql>): Promise<T> => (await e.get<T>(query))!;
const officeId = async (code: string) => (await one<{ id: number }>(sql`select id from customs_offices where code = ${code}`)).id;
const campaignId = async (code: string) => (await one<{ id: number }>(sql`select id from campaigns where code = ${code}`)).id;
/** The first right holder of an industry (ids from the seed, whatever their number). */
const holderOf = async (industry: string, nth = 0) =>
  (await one<{ id: number }>(sql`select id from right_holders where industry = ${industry} order by id limit 1 offset ${nth}`)).id;
const caseRow = (id: number) => e.get<Record<string, unknown>>(sql`select * from cases where id = ${id}`);
const linksOf = async (id: number) => (await e.all<{ h: number }>(sql`select right_holder_id as h from case_right_holders where case_id = ${id} order by 1`)).map((r) => r.h);
const auditOf = (id: number, action?: string) =>
  e.all<{ action: string; userId: string; before: unknown; after: unknown }>(
    sql`select action, user_id as "userId", before, after from audit_log where entity = 'case' and entity_id = ${id} ${action ? sql`and action = ${action}` : sql``} order by id`,
  );
/** JSON as either engine returns it */
const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
const counts = () => rowCounts(e);
const traces = () => traceDigest(e);
/** The derived figures and search indexes against the cases: the aggregate check (db/aggregate/check.ts) and the search documents, on both engines. */
const mismatches = async () => [
  ...(await searchMismatches(e)),
  ...(await derivedMismatches(e)).map((m) => JSON.stringify(m)),
];
const plus = (k: Figures, c: { pieces: number; valueFen: number }, sign = 1): Figures => ({
  cases: k.cases + sign,
  pieces: k.pieces + sign * c.pieces,
  valueFen: k.valueFen + sign * c.valueFen,
});
const kpis = (w: Where) => figures(e, w);
const ids = (w: Where) => caseIds(e, w);
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

let serial = 9000;
const ref = { o8601: 0, o5301: 0, qingfeng: 0, longteng: 0, luxury: 0, lighting: 0, automotive: 0, automotive1: 0, pharma: 0 };
beforeAll(async () => {
  Object.assign(ref, {
    o8601: await officeId("8601"), o5301: await officeId("5301"), qingfeng: await campaignId("qingfeng"), longteng: await campaignId("longteng"),
    luxury: await holderOf("luxury"), lighting: await holderOf("lighting"), automotive: await holderOf("automotive"),
    automotive1: await holderOf("automotive", 1), pharma: await holderOf("pharma_medical"),
  });
});

/** A new case at Kunming Airport Customs (district 8600) in 2016, in the Qingfeng campaign. */
function kunmingInput(over: Partial<CaseInput> = {}): CaseInput {
  return {
    caseNo: `8600-2016-${++serial}`,
    officeId: ref.o8601,
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
    campaignId: ref.qingfeng,
    status: "detained",
    disposal: null,
    hearingHeld: false,
    referredToPolice: false,
    penaltyFen: null,
    notes: null,
    rightHolderIds: [ref.luxury, ref.lighting],
    ...over,
  };
}

/** The error a write threw (undefined when it did not). */
const caught = async (write: () => Promise<unknown>): Promise<unknown> => {
  try {
    await write();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe("createCase", () => {
  it("adds the case to figures, lists, search, the audit log and the derived figures", async () => {
    const input = kunmingInput();
    const filters: Where[] = [
      { district: "8600", from: "2016-01-01", to: "2016-12-31" },
      { district: "8600", type: "copyright", category: "toys" },
      { office: "8601", from: "2016-03-01", to: "2016-03-31" },
      { campaign: "qingfeng", channel: "postal", status: "detained" },
      { holder: input.rightHolderIds[0]! },
      { industry: "lighting", from: "2016-01-01" },
    ];
    const before = await Promise.all(filters.map(kpis));
    const n0 = await counts();

    const created = await createCase(e, input, "admin-1");
    expect(created.version).toBe(1);
    expect(created.id).toBeGreaterThan(5_000);

    for (const [i, filter] of filters.entries()) {
      expect(await kpis(filter), JSON.stringify(filter)).toEqual(plus(before[i]!, input));
      expect(await ids({ ...filter, from: input.seizedOn, to: input.seizedOn })).toContain(created.id);
    }
    expect(await searchIds(e, input.caseNo)).toEqual([created.id]);
    expect(await searchIds(e, "quokkaplush")).toEqual([created.id]);

    const row = (await caseRow(created.id))!;
    expect(row).toMatchObject({ created_by: "admin-1", updated_by: "admin-1", version: 1, deleted_at: null });
    expect(Boolean(row.hearing_held)).toBe(false);
    expect(Math.abs(Number(row.created_at) - Date.now())).toBeLessThan(60_000);
    expect(await linksOf(created.id)).toEqual(sorted(input.rightHolderIds));

    const entries = await auditOf(created.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "create", userId: "admin-1" });
    expect(json(entries[0]!.before)).toBeNull();
    // every field of the case definition, the recordations it names too (none here)
    expect(json(entries[0]!.after)).toEqual({ ...withBlanks(input), rightHolderIds: sorted(input.rightHolderIds), recordationIds: [] });

    expect(await counts()).toMatchObject({ cases: n0.cases + 1, links: n0.links + 2, audit: n0.audit + 1 });
    expect(await getCaseForEdit(e, created.id)).toEqual({
      ...withBlanks(input),
      rightHolderIds: sorted(input.rightHolderIds),
      recordationIds: [],
      version: 1,
      updatedBy: "admin-1",
      updatedAt: Number(row.created_at),
    });
    expect(await mismatches()).toEqual([]);
  });

  it("lists each right holder once when the input repeats one", async () => {
    const h = ref.automotive;
    const { id } = await createCase(e, kunmingInput({ rightHolderIds: [h, h] }), null);
    expect((await getCaseForEdit(e, id))!.rightHolderIds).toEqual([h]);
    expect((await kpis({ holder: h, from: "2016-03-15", to: "2016-03-15" })).cases).toBeGreaterThanOrEqual(1);
    expect(await mismatches()).toEqual([]);
  });
});

describe("updateCase", () => {
  it("moves the case between offices, years, types, categories, channels, statuses, disposals, campaigns and right holders", async () => {
    const input = kunmingInput();
    const { id } = await createCase(e, input, "admin-1");
    const oldHolder = input.rightHolderIds[0]!;
    const newHolders = [ref.automotive1, ref.pharma];
    const edited: CaseInput = {
      ...input,
      officeId: ref.o5301, // Huanggang, in the Shenzhen district
      seizedOn: "2021-07-02",
      infringementType: "design_patent",
      goodsCategory: "lighting",
      channel: "express",
      status: "closed",
      disposal: "destroyed",
      campaignId: ref.longteng,
      rightHolderIds: newHolders,
      pieces: 4_321,
      valueFen: 9_876_500,
    };
    const oldFilters: Where[] = [
      { district: "8600", from: "2016-01-01", to: "2016-12-31" },
      { district: "8600", type: "copyright", category: "toys" },
      { campaign: "qingfeng", channel: "postal" },
      { holder: oldHolder },
      { status: "detained", from: "2016-03-01", to: "2016-03-31" },
    ];
    const newFilters: Where[] = [
      { district: "5300", from: "2021-01-01", to: "2021-12-31" },
      { office: "5301", type: "design_patent", category: "lighting" },
      { campaign: "longteng", channel: "express" },
      { holder: newHolders[0]! },
      { industry: "pharma_medical", status: "closed", from: "2021-07-01", to: "2021-07-31" },
      { disposal: "destroyed", type: "design_patent" },
    ];
    const oldBefore = await Promise.all(oldFilters.map(kpis));
    const newBefore = await Promise.all(newFilters.map(kpis));

    expect(await updateCase(e, id, 1, edited, "admin-2")).toEqual({ version: 2 });

    for (const [i, filter] of oldFilters.entries()) expect(await kpis(filter), JSON.stringify(filter)).toEqual(plus(oldBefore[i]!, input, -1));
    for (const [i, filter] of newFilters.entries()) expect(await kpis(filter), JSON.stringify(filter)).toEqual(plus(newBefore[i]!, edited));
    expect(await ids({ holder: oldHolder, district: "8600", from: "2016-03-15", to: "2016-03-15" })).not.toContain(id);
    expect(await ids({ holder: newHolders[1]!, district: "5300", from: "2021-07-02", to: "2021-07-02" })).toContain(id);
    expect(await searchIds(e, input.caseNo)).toEqual([id]);

    expect(await caseRow(id)).toMatchObject({ version: 2, updated_by: "admin-2", created_by: "admin-1", status: "closed", disposal: "destroyed" });
    expect(await linksOf(id)).toEqual(sorted(newHolders));

    const [entry] = await auditOf(id, "update");
    expect(entry!.userId).toBe("admin-2");
    expect(json(entry!.before)).toEqual({
      officeId: input.officeId, seizedOn: "2016-03-15", infringementType: "copyright", goodsCategory: "toys", pieces: 1_234,
      valueFen: 5_678_900, channel: "postal", campaignId: input.campaignId, status: "detained", disposal: null,
      rightHolderIds: sorted(input.rightHolderIds), version: 1,
    });
    expect(json(entry!.after)).toEqual({
      officeId: edited.officeId, seizedOn: "2021-07-02", infringementType: "design_patent", goodsCategory: "lighting", pieces: 4_321,
      valueFen: 9_876_500, channel: "express", campaignId: edited.campaignId, status: "closed", disposal: "destroyed",
      rightHolderIds: sorted(newHolders), version: 2,
    });
    expect(await mismatches()).toEqual([]);
  });

  it("records only the holder list when the same holders come in another order, and a new case number in search", async () => {
    const input = kunmingInput();
    const { id } = await createCase(e, input, "admin-1");
    const newNo = `8600-2016-${++serial}`;
    await updateCase(e, id, 1, { ...input, caseNo: newNo, rightHolderIds: [...input.rightHolderIds].reverse(), notes: "checked" }, "admin-3");
    const [entry] = await auditOf(id, "update");
    expect(json(entry!.before)).toEqual({ caseNo: input.caseNo, notes: null, version: 1 });
    expect(json(entry!.after)).toEqual({ caseNo: newNo, notes: "checked", version: 2 });
    expect(await searchIds(e, newNo)).toEqual([id]);
    expect(await searchIds(e, input.caseNo)).toEqual([]);
  });

  it("is refused for a missing or deleted case", async () => {
    expect(await caught(() => updateCase(e, 99_999_999, 1, kunmingInput(), "x"))).toBeInstanceOf(CaseNotFoundError);
    const { id } = await createCase(e, kunmingInput(), "admin-1");
    await softDeleteCase(e, id, "admin-1");
    expect(await getCaseForEdit(e, id)).toBeNull();
    const n0 = await counts();
    expect(await caught(() => updateCase(e, id, 2, kunmingInput(), "x"))).toBeInstanceOf(CaseNotFoundError);
    expect(await counts()).toEqual(n0);
  });

  it("rolls everything back when the row itself is refused by a constraint", async () => {
    const input = kunmingInput();
    const { id } = await createCase(e, input, "admin-1");
    const sum = await traces();
    const row = await caseRow(id);
    const n0 = await counts();
    // pieces >= 1 is a CHECK constraint of the table: the database refuses the row itself
    const error = await caught(() => updateCase(e, id, 1, { ...input, pieces: 0 }, "admin-2"));
    expect(String(error)).toMatch(/CHECK constraint failed: cases_pieces_ck|violates check constraint "cases_pieces_ck"/);
    expect(await caseRow(id)).toEqual(row);
    expect(await counts()).toEqual(n0);
    expect(await traces()).toBe(sum);
    expect(e.inTransaction).toBe(false);
    if (dialect === "sqlite") expect(sqliteConnectionOf(e)!.inTransaction).toBe(false);
  });
});

describe("soft delete and restore", () => {
  it("take the case out of every figure and put it back, with its history", async () => {
    const input = kunmingInput();
    const filter: Where = { district: "8600", from: "2016-01-01", to: "2016-12-31" };
    const partial: Where = { office: "8601", category: "toys", from: "2016-02-01" };
    const base = [await kpis(filter), await kpis(partial)];
    const { id } = await createCase(e, input, "admin-1");
    await updateCase(e, id, 1, { ...input, notes: "seen" }, "admin-1");
    expect(await kpis(filter)).toEqual(plus(base[0]!, input));

    await softDeleteCase(e, id, "admin-2");
    expect(await kpis(filter)).toEqual(base[0]);
    expect(await kpis(partial)).toEqual(base[1]);
    expect(await searchIds(e, input.caseNo)).toEqual([]);
    expect(await mismatches()).toEqual([]);

    await restoreCase(e, id, "admin-2");
    expect(await kpis(filter)).toEqual(plus(base[0]!, input));
    expect(await kpis(partial)).toEqual(plus(base[1]!, input));
    expect(await searchIds(e, input.caseNo)).toEqual([id]);
    expect(await mismatches()).toEqual([]);

    expect((await auditOf(id)).map((h) => h.action).sort()).toEqual(["create", "delete", "restore", "update"]);
    expect((await getCaseForEdit(e, id))!.version).toBe(4);
    expect(await caught(() => restoreCase(e, id, "admin-2"))).toBeInstanceOf(CaseNotFoundError);
  });
});

describe("the route filters read the store's codes", () => {
  /** The planner's totals (the aggregate store, caught up through the change log) and plain SQL's, for a route filter. */
  const both = async (route: Pick<Filters, "port" | "origin">) => {
    const c = await tally(e, { ...EMPTY_FILTERS, ...route }, {}, { dims: ["all"], year: false, office: false });
    const planned = c.dims.get("all")!.get("") ?? { cases: 0, pieces: 0, valueFen: 0 };
    const where = sql.join([
      sql`deleted_at is null`,
      ...route.port.map((p) => sql`port = ${p}`),
      ...route.origin.map((o) => sql`origin_country = ${o}`),
    ], sql` and `);
    const row = await one<Figures>(sql`select count(*) as cases, cast(coalesce(sum(pieces), 0) as bigint) as pieces, cast(coalesce(sum(value_fen), 0) as bigint) as "valueFen" from cases where ${where}`);
    return { planned, sql: { cases: Number(row.cases), pieces: Number(row.pieces), valueFen: Number(row.valueFen) } };
  };
  const filters: Pick<Filters, "port" | "origin">[] = [
    { port: [], origin: ["LA"] }, { port: [], origin: ["TH"] }, { port: [], origin: ["CN"] },
    { port: ["mohan"], origin: [] }, { port: ["hekou"], origin: [] }, { port: ["mohan"], origin: ["LA"] },
  ];
  const agree = async (step: string) => {
    for (const f of filters) {
      const { planned, sql: expected } = await both(f);
      expect(planned, `${step}: ${JSON.stringify(f)}`).toEqual(expected);
    }
  };

  it("moves a case whose port or origin is edited, deleted and restored between the masks, as SQL does", async () => {
    const input = kunmingInput({ originCountry: "LA", port: "mohan" });
    await agree("before"); // the store is loaded here: what follows reaches it through the change log
    const { id } = await createCase(e, input, "admin-1");
    const la = (await both({ port: [], origin: ["LA"] })).planned;
    await agree("created");
    await updateCase(e, id, 1, { ...input, originCountry: "TH", port: "hekou" }, "admin-1");
    await agree("edited");
    expect((await both({ port: [], origin: ["LA"] })).planned).toEqual(plus(la, input, -1));
    await updateCase(e, id, 2, { ...input, originCountry: null, port: null }, "admin-1");
    await agree("cleared");
    await updateCase(e, id, 3, input, "admin-1");
    await agree("put back");
    await softDeleteCase(e, id, "admin-1");
    await agree("deleted");
    await restoreCase(e, id, "admin-1");
    await agree("restored");
    expect(await mismatches()).toEqual([]);
  });
});

describe("optimistic concurrency", () => {
  it("lets the first of two edits from the same version win and refuses the second, writing nothing", async () => {
    const input = kunmingInput();
    const { id } = await createCase(e, input, "admin-1");
    const loaded = (await getCaseForEdit(e, id))!;
    expect(loaded.version).toBe(1);

    const first = await updateCase(e, id, loaded.version, { ...input, status: "penalised", penaltyFen: 50_000 }, "alice");
    expect(first.version).toBe(2);
    const row = await caseRow(id);
    const links = await linksOf(id);
    const n0 = await counts();
    const sum = await traces();

    const error = await caught(() => updateCase(e, id, loaded.version, { ...input, status: "released", pieces: 1 }, "bob"));
    expect(error).toBeInstanceOf(VersionConflictError);
    const conflict = error as VersionConflictError;
    expect(conflict.current.version).toBe(2);
    expect(conflict.current.updatedBy).toBe("alice");
    expect(conflict.current.updatedAt).toBe(Number(row!.updated_at));
    expect(conflict.message).toContain("alice");
    expect(conflict.message).toContain(new Date(conflict.current.updatedAt).toISOString());

    expect(await caseRow(id)).toEqual(row);
    expect(await linksOf(id)).toEqual(links);
    expect(await counts()).toEqual(n0);
    expect(await traces()).toBe(sum);
    expect(await getCaseForEdit(e, id)).toMatchObject({ status: "penalised", penaltyFen: 50_000, version: 2, updatedBy: "alice" });
  });
});

describe("one writer, batches", () => {
  it("a batch with one bad row leaves nothing of the batch written", async () => {
    const { id } = await createCase(e, kunmingInput(), "admin-1");
    const loaded = (await getCaseForEdit(e, id))!;
    const { version: _v, updatedBy: _u, updatedAt: _a, ...values } = loaded;
    const n0 = await counts();
    const sum = await traces();
    const row = await caseRow(id);
    const good = kunmingInput();
    const error = await caught(() =>
      writeCases(e, [
        { op: "create", input: good },
        { op: "update", id, expectedVersion: loaded.version, input: { ...values, pieces: values.pieces + 5 } },
        { op: "create", input: kunmingInput() },
        { op: "create", input: kunmingInput({ officeId: 999_999 }) },
      ], { userId: "batcher" }),
    );
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect((error as UnknownReferenceError).field).toBe("officeId");
    expect(await counts()).toEqual(n0);
    expect(await traces()).toBe(sum);
    expect(await caseRow(id)).toEqual(row);
    expect(await e.get(sql`select id from cases where case_no = ${good.caseNo}`)).toBeUndefined();
    expect(await mismatches()).toEqual([]);
  });

  it("a batch of good rows is written whole, each with its audit row, and the figures stay exact", async () => {
    const inputs = [kunmingInput(), kunmingInput({ seizedOn: "2019-01-02", status: "penalised" }), kunmingInput({ goodsCategory: "medicines" })];
    const n0 = await counts();
    const before = await kpis({});
    const result = await writeCases(e, inputs.map((input) => ({ op: "create" as const, input })), { userId: "batcher" });
    expect(result.cases.map((r) => r.version)).toEqual([1, 1, 1]);
    expect(await counts()).toMatchObject({ cases: n0.cases + 3, audit: n0.audit + 3 });
    expect(await kpis({})).toEqual({
      cases: before.cases + 3,
      pieces: before.pieces + inputs.reduce((a, c) => a + c.pieces, 0),
      valueFen: before.valueFen + inputs.reduce((a, c) => a + c.valueFen, 0),
    });
    expect(await mismatches()).toEqual([]);
  });

  it("a bulk batch (derived: rebuild) pauses the change log and leaves one 'everything changed' row", async () => {
    const seqBefore = Number((await one<{ s: number | null }>(sql`select max(seq) as s from case_changes`)).s ?? 0);
    const inputs = [kunmingInput(), kunmingInput()];
    const result = await writeCases(e, inputs.map((input) => ({ op: "create" as const, input })), { userId: "loader", derived: "rebuild" });
    expect(result.cases).toHaveLength(2);
    expect((await e.all<{ c: number }>(sql`select case_id as c from case_changes where seq > ${seqBefore}`)).map((r) => r.c)).toEqual([0]);
    expect(await e.get(sql`select 1 from app_meta where key = 'case_changes'`)).toBeUndefined();
    // the log runs again after it
    const { id } = await createCase(e, kunmingInput(), "admin-1");
    expect((await e.all<{ c: number }>(sql`select case_id as c from case_changes where seq > ${seqBefore}`)).map((r) => r.c)).toContain(id);
    expect(await mismatches()).toEqual([]);
  });

  it("delete with a stale version is refused, naming who changed the case and when, and writes nothing", async () => {
    const input = kunmingInput();
    const { id } = await createCase(e, input, "admin-1");
    const { version: shown } = (await getCaseForEdit(e, id))!;
    await updateCase(e, id, shown, { ...input, status: "closed" }, "carol");
    const changed = (await getCaseForEdit(e, id))!;
    const n0 = await counts();
    const sum = await traces();
    const error = await caught(() => softDeleteCase(e, id, "dave", shown));
    expect(error).toBeInstanceOf(VersionConflictError);
    const conflict = error as VersionConflictError;
    expect(conflict.current).toEqual({ version: changed.version, updatedBy: "carol", updatedAt: changed.updatedAt });
    expect(conflict.message).toContain("carol");
    expect(await counts()).toEqual(n0);
    expect(await traces()).toBe(sum);
    expect(await getCaseForEdit(e, id)).not.toBeNull();

    // with the version now shown it goes
    await softDeleteCase(e, id, "dave", changed.version);
    expect(await getCaseForEdit(e, id)).toBeNull();
    expect(await mismatches()).toEqual([]);
  });
});

describe("bad input leaves nothing written", () => {
  const refused = async (write: () => Promise<unknown>): Promise<unknown> => {
    const n0 = await counts();
    const sum = await traces();
    const error = await caught(write);
    expect(error, "the write should have thrown").toBeInstanceOf(Error);
    expect(await counts()).toEqual(n0);
    expect(await traces()).toBe(sum);
    return error;
  };

  it("refuses a case number another case has, live or deleted", async () => {
    const taken = (await one<{ caseNo: string }>(sql`select case_no as "caseNo" from cases where id = 42`)).caseNo;
    const error = await refused(() => createCase(e, kunmingInput({ caseNo: taken }), "admin-1"));
    expect(error).toBeInstanceOf(DuplicateCaseNoError);
    expect((error as DuplicateCaseNoError).caseNo).toBe(taken);

    const gone = kunmingInput();
    const { id } = await createCase(e, gone, "admin-1");
    await softDeleteCase(e, id, "admin-1");
    expect(await refused(() => createCase(e, kunmingInput({ caseNo: gone.caseNo }), "admin-1"))).toBeInstanceOf(DuplicateCaseNoError);

    const mine = kunmingInput();
    const created = await createCase(e, mine, "admin-1");
    const row = await caseRow(created.id);
    expect(await refused(() => updateCase(e, created.id, 1, { ...mine, caseNo: taken }, "admin-1"))).toBeInstanceOf(DuplicateCaseNoError);
    expect(await caseRow(created.id)).toEqual(row);
    // keeping its own number is no duplicate
    expect((await updateCase(e, created.id, 1, { ...mine, notes: "same number" }, "admin-1")).version).toBe(2);
  });

  it("refuses a second case number within one validated batch (the import's), by the database's unique index", async () => {
    const twin = kunmingInput();
    const error = await refused(() =>
      writeCases(e, [{ op: "create", input: twin }, { op: "create", input: { ...kunmingInput(), caseNo: twin.caseNo } }], { userId: "x", validated: true }),
    );
    expect(error).toBeInstanceOf(DuplicateCaseNoError);
    expect((error as DuplicateCaseNoError).caseNo).toBe(twin.caseNo);
  });

  it("refuses an unknown office", async () => {
    const error = await refused(() => createCase(e, kunmingInput({ officeId: 987_654 }), "admin-1"));
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect(error).toMatchObject({ field: "officeId", value: 987_654 });
  });

  it("refuses an unknown right holder, naming it", async () => {
    const error = await refused(() => createCase(e, kunmingInput({ rightHolderIds: [ref.luxury, 876_543] }), "admin-1"));
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect(error).toMatchObject({ field: "rightHolderIds", value: [876_543] });
  });

  it("refuses a case without right holders, on create and on edit", async () => {
    const error = await refused(() => createCase(e, kunmingInput({ rightHolderIds: [] }), "admin-1"));
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect(error).toMatchObject({ field: "rightHolderIds", value: [] });
    const input = kunmingInput();
    const { id } = await createCase(e, input, "admin-1");
    expect(await refused(() => updateCase(e, id, 1, { ...input, rightHolderIds: [] }, "admin-1"))).toMatchObject({ field: "rightHolderIds" });
    expect((await getCaseForEdit(e, id))!.rightHolderIds).toEqual(sorted(input.rightHolderIds));
  });

  it("refuses an unknown campaign", async () => {
    const error = await refused(() => createCase(e, kunmingInput({ campaignId: 765_432 }), "admin-1"));
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect(error).toMatchObject({ field: "campaignId", value: 765_432 });
  });

  it("leaves every derived figure in step after all of the above", async () => {
    expect(await mismatches()).toEqual([]);
  });
});

describe("two connections", () => {
  /** tests/support/writer.ts on this database, in a process of its own. */
  function writer(args: string[]) {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "support", "writer.ts"), fresh.url, ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    const lines: string[] = [];
    let out = "";
    let errors = "";
    child.stderr.on("data", (d) => (errors += d));
    const waiting: { test: (l: string) => boolean; resolve: (l: string) => void }[] = [];
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const parts = out.split("\n");
      out = parts.pop()!;
      lines.push(...parts);
      for (const w of waiting) for (const l of lines) if (w.test(l)) w.resolve(l);
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const line = (test: (l: string) => boolean) =>
      new Promise<string>((resolve, reject) => {
        const found = lines.find(test);
        if (found) return resolve(found);
        waiting.push({ test, resolve });
        void exited.then((code) => reject(new Error(`the writer exited (${code}) without that line: ${lines.join(" | ")} ${errors}`)));
      });
    return { child, line, exited };
  }

  it("two edits of the same case from the same version: the second, waiting for the first, is refused naming who and when", async () => {
    const { id } = await createCase(e, kunmingInput(), "admin-1");
    const n0 = await counts();
    const alice = writer(["edit", String(id), "1", "alice", "written"]);
    await alice.line((l) => l === "written");
    const bob = writer(["edit", String(id), "1", "bob"]);
    // bob waits for alice: on PostgreSQL for her row's lock (no clock: the server says it
    // waits); on SQLite for the write lock (busy_timeout 10 minutes in that process)
    for (; dialect === "postgres"; ) {
      const waiting = await e.get<{ n: number }>(sql`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
      if (waiting!.n > 0) break;
      const early = await Promise.race([bob.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]);
      if (early) break;
    }
    alice.child.stdin!.end("\n");
    expect(await alice.line((l) => l.startsWith("edited") || l.startsWith("refused"))).toBe("edited 2");
    const refusal = await bob.line((l) => l.startsWith("edited") || l.startsWith("refused"));
    expect(refusal).toMatch(/^refused VersionConflictError: The case was changed by alice at .* \(now version 2\); nothing was saved\.$/);
    await Promise.all([alice.exited, bob.exited]);
    expect(await getCaseForEdit(e, id)).toMatchObject({ version: 2, updatedBy: "alice", notes: "edited by alice" });
    expect(await counts()).toMatchObject({ cases: n0.cases, audit: n0.audit + 1 });
    expect(await mismatches()).toEqual([]);
  });

  it("an edit made after another connection's commit, from the version shown before it, is refused naming who and when", async () => {
    const { id } = await createCase(e, kunmingInput(), "admin-1");
    const carol = writer(["edit", String(id), "1", "carol"]);
    expect(await carol.line((l) => l.startsWith("edited") || l.startsWith("refused"))).toBe("edited 2");
    await carol.exited;
    const error = await caught(() => updateCase(e, id, 1, kunmingInput(), "dave"));
    expect(error).toBeInstanceOf(VersionConflictError);
    expect((error as VersionConflictError).current.updatedBy).toBe("carol");
  });
});
});
