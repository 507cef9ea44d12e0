import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { casesWhere, type FilterOptions } from "../../db/case-filters";
import { parseJson, type Engine } from "../../db/engine";
import { commitImport, planImport } from "../../db/import";
import { createCase, updateCase } from "../../db/mutations/cases";
import { mergeRightHolders } from "../../db/mutations/reference";
import { listCases } from "../../db/queries/cases";
import { getDashboardStats } from "../../db/queries/stats";
import { caseTotals } from "../../db/queries/totals";
import { casesByRecordation, expiringRecordations } from "../../db/queries/recordations";
import { RecordationLinkError, UnknownReferenceError, loadStoredCase, writeCases } from "../../db/writer";
import { withBlanks, type CaseInput } from "../../lib/case-definition";
import { DEFAULT_SORT, EMPTY_FILTERS, parseFilters, type Filters } from "../../lib/filters";
import { addMonths, todayInBeijing } from "../../lib/recordations";
import { seedDatabase } from "../../seed/run";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// Cases and the recordations they rest on, on both engines: the seed's links (each to a
// recordation of one of the case's right holders, approved and valid on the seizure date),
// the one writer's links and the ex-officio rule (a newly entered ex-officio case names a
// recordation valid on its seizure date; an import may lack one), and the `recordation`
// filter, whose table, totals and dashboard agree, in a member's scope too.

type Rec = { id: number; holderId: number; validFrom: string; validTo: string; status: string; number: string };

/** as the admin's form writes (db/repo/cases.ts createCase) */
const entered = { entered: true };

describe.each(ENGINES)("cases and their recordations on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  let recs: Rec[] = [];

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "case-recordations");
    e = fresh.e;
    await seedDatabase(e, { cases: 1000, seed: 3 });
    recs = await e.all<Rec>(sql`select id, holder_id as "holderId", valid_from as "validFrom", valid_to as "validTo", status, number from recordations order by id`);
  }, 120_000);
  afterAll(async () => fresh?.close());

  const count = async (query: ReturnType<typeof sql>) => Number((await e.get<{ n: number }>(query))!.n);

  it("the seed gives every right holder a recordation and links its cases to valid ones of their own holders", async () => {
    const holders = await count(sql`select count(*) as n from right_holders`);
    const withRecordation = await count(sql`select count(distinct holder_id) as n from recordations`);
    expect(withRecordation).toBe(holders);
    const bad = await count(sql`select count(*) as n from case_recordations l join cases c on c.id = l.case_id join recordations r on r.id = l.recordation_id
      where r.status <> 'approved' or c.seized_on < r.valid_from or c.seized_on > r.valid_to
        or not exists (select 1 from case_right_holders h where h.case_id = c.id and h.right_holder_id = r.holder_id)`);
    expect(bad).toBe(0);
    const cases = await count(sql`select count(*) as n from cases`);
    const linked = await count(sql`select count(distinct case_id) as n from case_recordations`);
    // each holder's main mark was recorded before the first case year and kept renewed
    expect(linked).toBe(cases);
  });

  it("a newly entered ex-officio case without a valid recordation is refused, nothing written; with one it saves its link", async () => {
    const [c] = await e.all<{ id: number }>(sql`select id from cases where protection_mode = 'ex_officio' order by id limit 1`);
    const base = (await loadStoredCase(e, c!.id))!;
    const holderId = base.rightHolderIds[0]!;
    const own = recs.find((r) => r.holderId === holderId && r.status === "approved" && r.validFrom <= "2024-03-01" && "2024-03-01" <= r.validTo)!;
    const other = recs.find((r) => r.holderId !== holderId && !base.rightHolderIds.includes(r.holderId) && r.status === "approved")!;
    const input = (over: Partial<CaseInput>): CaseInput => ({ ...withBlanks(base), caseNo: "8600-2024-9001", seizedOn: "2024-03-01", rightHolderIds: [holderId], ...over });
    const before = await count(sql`select count(*) as n from cases`);

    await expect(createCase(e, input({ recordationIds: [] }), "u-admin", entered)).rejects.toMatchObject({ name: "RecordationLinkError", code: "recordation_required" });
    await expect(createCase(e, input({ recordationIds: [] }), "u-admin", entered)).rejects.toThrow(/must name a customs recordation .* valid on the seizure date \(2024-03-01\)/);
    // another company's recordation: refused, naming it
    await expect(createCase(e, input({ recordationIds: [other.id] }), "u-admin", entered)).rejects.toMatchObject({ code: "recordation_holder", params: { number: other.number } });
    // its own, but not valid on the seizure date (before it was recorded)
    await expect(createCase(e, input({ recordationIds: [own.id], seizedOn: "1999-01-04" }), "u-admin", entered)).rejects.toBeInstanceOf(RecordationLinkError);
    await expect(createCase(e, input({ recordationIds: [2_000_000] }), "u-admin", entered)).rejects.toBeInstanceOf(UnknownReferenceError);
    expect(await count(sql`select count(*) as n from cases`)).toBe(before);

    // on application: no recordation needed
    const onApplication = await createCase(e, input({ caseNo: "8600-2024-9002", protectionMode: "on_application", recordationIds: [] }), "u-admin", entered);
    expect((await loadStoredCase(e, onApplication.id))!.recordationIds).toEqual([]);

    const saved = await createCase(e, input({ recordationIds: [own.id] }), "u-admin", entered);
    expect((await loadStoredCase(e, saved.id))!.recordationIds).toEqual([own.id]);
    const audit = await e.get<{ after: unknown }>(sql`select after from audit_log where entity = 'case' and entity_id = ${saved.id} and action = 'create'`);
    expect(parseJson<{ recordationIds: number[] }>(audit!.after).recordationIds).toEqual([own.id]);

    // an edit replaces the links (an older case may drop to none: the rule is for new entries)
    await updateCase(e, saved.id, saved.version, input({ recordationIds: [] }), "u-admin");
    expect((await loadStoredCase(e, saved.id))!.recordationIds).toEqual([]);
    expect(await count(sql`select count(*) as n from case_recordations where case_id = ${saved.id}`)).toBe(0);
  });

  it("an import, and any write not entered in the form, may enter an ex-officio case without a recordation", async () => {
    const [c] = await e.all<{ id: number }>(sql`select id from cases where protection_mode = 'ex_officio' order by id limit 1`);
    const base = (await loadStoredCase(e, c!.id))!;
    const result = await writeCases(e, [{ op: "create", input: { ...withBlanks(base), caseNo: "8600-2024-9003", recordationIds: [] } }], { userId: "u-admin", audit: "import" });
    expect((await loadStoredCase(e, result.cases[0]!.id))!.recordationIds).toEqual([]);
    const other = await createCase(e, { ...withBlanks(base), caseNo: "8600-2024-9004", recordationIds: [] }, "u-admin");
    expect((await loadStoredCase(e, other.id))!.protectionMode).toBe("ex_officio");
  });

  it("the import report warns of an ex-officio row without a valid recordation or with one this database lacks, and refuses another company's", async () => {
    const [h] = await e.all<{ id: number; name: string }>(sql`select h.id, h.name from right_holders h order by h.id limit 1`);
    const own = recs.find((r) => r.holderId === h!.id && r.status === "approved" && r.validFrom <= "2024-03-01" && "2024-03-01" <= r.validTo)!;
    const other = recs.find((r) => r.holderId !== h!.id)!;
    const [office] = await e.all<{ code: string }>(sql`select code from customs_offices order by id limit 1`);
    const header = ["Case number", "Seized on", "Office code", "Infringement type", "Goods category", "Goods", "Pieces", "Value (RMB)", "Direction", "Channel", "Transport", "Protection mode", "Status", "Right holders", "Recordations"];
    const row = (caseNo: string, recordations: string) =>
      [caseNo, "2024-03-01", office!.code, "trademark", "lighting", "LED lamps", "10", "100", "export", "express", "air", "ex_officio", "detained", h!.name, recordations];
    const parsed = {
      format: "csv" as const, header,
      rows: [row("8600-2024-9101", ""), row("8600-2024-9102", "T2099-99999"), row("8600-2024-9103", other.number), row("8600-2024-9104", own.number.toLowerCase())]
        .map((cells, i) => ({ row: i + 2, cells })),
    };
    const report = await planImport(e, parsed, { update: false, skipInvalid: true, createHolders: false });
    expect(report.rejected.map((r) => [r.row, r.column, r.reason])).toEqual([[4, "Recordations", "recordation_holder"]]);
    expect(report.warnings!.map((w) => [w.row, w.caseNo, w.reason])).toEqual([
      [2, "8600-2024-9101", "no_recordation"], [3, "8600-2024-9102", "unknown_recordation"], [3, "8600-2024-9102", "no_recordation"],
    ]);
    expect(report.warnings![1]!.message).toContain("T2099-99999");
    expect(report.creates).toBe(3);
    const committed = await commitImport(e, parsed, { update: false, skipInvalid: true, createHolders: false }, "u-admin");
    expect(committed.committed).toBe(true);
    const links = await e.all<{ caseNo: string; recordationId: number | null }>(sql`select c.case_no as "caseNo", l.recordation_id as "recordationId"
      from cases c left join case_recordations l on l.case_id = c.id where c.case_no in ('8600-2024-9101', '8600-2024-9104') order by c.case_no`);
    expect(links).toEqual([{ caseNo: "8600-2024-9101", recordationId: null }, { caseNo: "8600-2024-9104", recordationId: own.id }]);
  });

  it("a merge of right holders moves the removed one's recordations, and its cases keep their links", async () => {
    const [pair] = await e.all<{ keep: number; remove: number }>(sql`select min(holder_id) as keep, max(holder_id) as remove from recordations`);
    const moved = await count(sql`select count(*) as n from recordations where holder_id = ${pair!.remove}`);
    const links = await count(sql`select count(*) as n from case_recordations`);
    await mergeRightHolders(e, pair!.keep, pair!.remove, "u-admin");
    expect(await count(sql`select count(*) as n from recordations where holder_id = ${pair!.remove}`)).toBe(0);
    expect(moved).toBeGreaterThan(0);
    expect(await count(sql`select count(*) as n from case_recordations`)).toBe(links);
    recs = await e.all<Rec>(sql`select id, holder_id as "holderId", valid_from as "validFrom", valid_to as "validTo", status, number from recordations order by id`);
  });

  const sqlCount = async (filters: Filters, options: FilterOptions = {}) =>
    count(sql`select count(*) as n from cases where ${await casesWhere(e, filters, options)}`);

  it("the recordation filter: table, totals and dashboard agree; 'none' lists the cases to complete", async () => {
    const [top] = await e.all<{ id: number; n: number }>(sql`select recordation_id as id, count(*) as n from case_recordations l join cases c on c.id = l.case_id
      where c.deleted_at is null group by recordation_id order by count(*) desc, recordation_id limit 1`);
    const filters = parseFilters(new URLSearchParams(`recordation=${top!.id}`)).filters;
    expect(filters.recordation).toEqual([top!.id]);
    const direct = await sqlCount(filters);
    expect(direct).toBe(Number(top!.n));
    expect((await caseTotals(e, filters)).cases).toBe(direct);
    expect((await getDashboardStats(e, filters)).kpis.cases).toBe(direct);
    expect((await listCases(e, { filters, page: 1, size: 200, sort: DEFAULT_SORT })).total).toBe(direct);

    const none = { ...EMPTY_FILTERS, recordation: ["none" as const] };
    const all = await sqlCount(EMPTY_FILTERS);
    const linked = await count(sql`select count(distinct l.case_id) as n from case_recordations l join cases c on c.id = l.case_id where c.deleted_at is null`);
    expect(await sqlCount(none)).toBe(all - linked);
    expect(await sqlCount(none)).toBeGreaterThan(0); // the cases written above without one
    expect((await caseTotals(e, none)).cases).toBe(all - linked);
    expect((await getDashboardStats(e, none)).kpis.cases).toBe(all - linked);
    // either: the chosen recordation's cases or those resting on none
    const either = { ...EMPTY_FILTERS, recordation: [top!.id, "none" as const] };
    expect((await caseTotals(e, either)).cases).toBe(direct + all - linked);
    expect(await sqlCount(either)).toBe(direct + all - linked);
    // with another filter beside it
    const withType = { ...filters, type: ["trademark" as const], from: "2016-01-01" };
    expect((await caseTotals(e, withType)).cases).toBe(await sqlCount(withType));
  });

  it("the dashboard's cases by recordation come from the aggregate store and equal plain SQL, and follow a relinked case at once", async () => {
    const sqlTop = async (filters: Filters) => {
      const where = await casesWhere(e, filters);
      return (await e.all<{ id: number; number: string; cases: number; pieces: number; value: number }>(sql`
        select r.id as id, r.number as number, count(*) as cases, cast(sum(cases.pieces) as bigint) as pieces, cast(sum(cases.value_fen) as bigint) as value
        from case_recordations l join recordations r on r.id = l.recordation_id join cases on cases.id = l.case_id
        where ${where} group by r.id, r.number`))
        .map((r) => ({ id: Number(r.id), number: r.number, cases: Number(r.cases), pieces: Number(r.pieces), valueFen: Number(r.value) }))
        .sort((a, b) => b.cases - a.cases || (a.number < b.number ? -1 : a.number > b.number ? 1 : 0))
        .slice(0, 10);
    };
    const pick = (rows: { id: number; cases: number; pieces: number; valueFen: number }[]) => rows.map(({ id, cases, pieces, valueFen }) => ({ id, cases, pieces, valueFen }));
    for (const filters of [EMPTY_FILTERS, { ...EMPTY_FILTERS, type: ["trademark" as const], from: "2018-01-01" }, { ...EMPTY_FILTERS, status: ["released" as const] }]) {
      expect(pick(await casesByRecordation(e, filters, {}, 10))).toEqual(pick(await sqlTop(filters)));
    }
    // a case moved from one recordation to another: the next answer says so (the kept one is dropped)
    const before = await casesByRecordation(e, EMPTY_FILTERS, {}, 10);
    const [moved] = await e.all<{ caseId: number; recordationId: number }>(sql`select case_id as "caseId", recordation_id as "recordationId" from case_recordations
      where recordation_id = ${before[0]!.id} order by case_id limit 1`);
    const stored = (await loadStoredCase(e, moved!.caseId))!;
    await updateCase(e, moved!.caseId, stored.version, { ...withBlanks(stored), recordationIds: [] }, "u-admin");
    const after = await casesByRecordation(e, EMPTY_FILTERS, {}, 10);
    expect(after.find((r) => r.id === before[0]!.id)?.cases ?? 0).toBe(before[0]!.cases - 1);
    expect(pick(after)).toEqual(pick(await sqlTop(EMPTY_FILTERS)));
  });

  it("in a member's scope only its own company's recordations select, count and show", async () => {
    const [top] = await e.all<{ id: number; holderId: number }>(sql`select r.id, r.holder_id as "holderId" from case_recordations l join recordations r on r.id = l.recordation_id
      group by r.id, r.holder_id order by count(*) desc, r.id limit 1`);
    const own: FilterOptions = { restrictToHolders: [top!.holderId] };
    const filters = { ...EMPTY_FILTERS, recordation: [top!.id] };
    const mine = await sqlCount(filters, own);
    expect(mine).toBeGreaterThan(0);
    expect((await caseTotals(e, filters, own)).cases).toBe(mine);
    expect((await getDashboardStats(e, filters, own)).kpis.cases).toBe(mine);
    // another company's recordation selects nothing for this member, even on a shared case
    const [other] = await e.all<{ id: number; holderId: number }>(sql`select id, holder_id as "holderId" from recordations where holder_id <> ${top!.holderId} order by id limit 1`);
    const theirs = { ...EMPTY_FILTERS, recordation: [other!.id] };
    expect(await sqlCount(theirs, own)).toBe(0);
    expect((await caseTotals(e, theirs, own)).cases).toBe(0);
    // "none" for a member: its cases resting on none of its own company's recordations
    const none = { ...EMPTY_FILTERS, recordation: ["none" as const] };
    expect((await caseTotals(e, none, own)).cases).toBe(await sqlCount(none, own));

    // the dashboard panel: cases by recordation and expiring ones, the member's own only
    const byRecordation = await casesByRecordation(e, EMPTY_FILTERS, own, 10);
    expect(byRecordation.length).toBeGreaterThan(0);
    for (const row of byRecordation) {
      expect(recs.find((r) => r.id === row.id)!.holderId).toBe(top!.holderId);
      expect(row.cases).toBe(await sqlCount({ ...EMPTY_FILTERS, recordation: [row.id] }, own));
    }
    const today = todayInBeijing();
    const expiring = await expiringRecordations(e, own, today, 50);
    for (const r of expiring) {
      expect(r.holderId).toBe(top!.holderId);
      expect(r.validTo >= today && r.validTo <= addMonths(today, 6)).toBe(true);
    }
    const everyone = await expiringRecordations(e, {}, today, 500);
    expect(everyone.length).toBe(recs.filter((r) => r.status === "approved" && r.validTo >= today && r.validTo <= addMonths(today, 6)).length);
    expect(everyone.length).toBeGreaterThan(0);
  });
});
