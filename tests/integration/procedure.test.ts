import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../db/engine";
import { createCase, updateCase, type CaseInput } from "../../db/mutations/cases";
import { openProcedures, readHistory, removeOverride, setOverride } from "../../db/procedure";
import {
  StatusFollowsStepsError, TransitionRefusedError, VersionConflictError, loadStoredCase, writeCases,
} from "../../db/writer";
import { checkHistory, statusOf, type ProcedureStep } from "../../lib/procedure";
import { seedDatabase } from "../../seed/run";
import { SEED_STEP_USER } from "../../seed/steps";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// The detention procedure through THE writer (op "step") on both engines: the step row, the
// case's status from its latest step, the version bump and the audit row in one transaction;
// a refused step (the state machine's code, a stale version) leaves no trace; the calendar
// table supplies a year chinese-days does not know. And the demo seed's steps agree with the
// status of every case that has them.

/** A step without its recorder (the officer of these tests by default). */
type StepIn = ProcedureStep extends infer S ? (S extends ProcedureStep ? Omit<S, "by"> & { by?: string } : never) : never;

describe.each(ENGINES)("the procedure's steps on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  beforeAll(async () => {
    fresh = await freshEngine(dialect, "procedure");
    e = fresh.e;
    await seedDatabase(e, { cases: 1_000, seed: 5 });
  }, 120_000);
  afterAll(() => fresh?.close());

  const OFFICER = "officer-1";
  const at = (iso: string) => new Date(iso);
  let serial = 0;
  /** A new case (ex officio, goods worth RMB 50,000) copied from the first seeded one. */
  async function newCase(over: Partial<CaseInput> = {}): Promise<number> {
    const first = (await loadStoredCase(e, 1))!;
    const { version: _v, updatedBy: _u, updatedAt: _a, deletedAt: _d, ...values } = first;
    const input: CaseInput = {
      ...values, caseNo: `8600-2024-${9000 + ++serial}`, seizedOn: "2024-09-27", protectionMode: "ex_officio",
      status: "detained", valueFen: 5_000_000, penaltyFen: null, disposal: null, hearingHeld: false, referredToPolice: false, ...over,
    };
    return (await createCase(e, input, OFFICER)).id;
  }
  const step = async (id: number, version: number, s: StepIn) =>
    (await writeCases(e, [{ op: "step", id, expectedVersion: version, step: { by: OFFICER, ...s } as ProcedureStep }], { userId: OFFICER })).cases[0]!;
  const caseRow = async (id: number) =>
    (await e.get<{ status: string; version: number; penaltyFen: number | null; disposal: string | null; hearingHeld: unknown; updatedBy: string }>(sql`
      select status, version, penalty_fen as "penaltyFen", disposal, hearing_held as "hearingHeld", updated_by as "updatedBy" from cases where id = ${id}`))!;
  const stepCount = async (id: number) => Number((await e.get<{ n: number }>(sql`select count(*) as n from case_steps where case_id = ${id}`))!.n);
  const audits = (id: number) =>
    e.all<{ action: string; userId: string; after: unknown }>(sql`select action, user_id as "userId", after from audit_log where entity = 'case' and entity_id = ${id} order by id`);
  const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as Record<string, unknown>;
  /** The refusal a write threw (failing the test when it wrote). */
  const refusal = async (write: () => Promise<unknown>) => {
    try {
      await write();
    } catch (error) {
      return error;
    }
    throw new Error("the write was not refused");
  };

  it("gives the demo cases of the last two years and Kunming's steps that end in their own status", async () => {
    const stepped = await e.all<{ caseId: number; status: string; caseNo: string; valueFen: number }>(sql`
      select c.id as "caseId", c.status as "status", c.case_no as "caseNo", c.value_fen as "valueFen" from cases c
      where exists (select 1 from case_steps s where s.case_id = c.id) order by c.id`);
    expect(stepped.length).toBeGreaterThan(100);
    for (const c of stepped) {
      expect(c.caseNo.startsWith("8600-") || /^\d{4}-202[45]-/.test(c.caseNo), c.caseNo).toBe(true);
      const history = await readHistory(e, Number(c.caseId));
      expect(statusOf(history), c.caseNo).toBe(c.status);
      expect(checkHistory(history, undefined, { goodsValueFen: Number(c.valueFen) }), c.caseNo).toMatchObject({ ok: true });
      expect(history.every((s) => s.by === SEED_STEP_USER)).toBe(true);
    }
    // no step for an older case outside Kunming
    const older = await e.get<{ n: number }>(sql`select count(*) as n from case_steps s join cases c on c.id = s.case_id
      where c.seized_on < '2024-01-01' and c.case_no not like '8600-%'`);
    expect(Number(older!.n)).toBe(0);
  });

  it("records notice → answer → detention → determination → hearing → penalty → disposal, the status following each step", async () => {
    const id = await newCase();
    let version = 1;
    const expectStatus = async (status: string) => {
      const row = await caseRow(id);
      expect(row.status).toBe(status);
      expect(row.version).toBe(version);
      expect(row.updatedBy).toBe(OFFICER);
    };
    version = (await step(id, version, { kind: "suspected", at: at("2024-09-27T02:00:00Z") })).version;
    await expectStatus("detained");
    // served on Sunday 2024-09-29, a make-up working day that does not count: 09-30, 10-08, 10-09
    version = (await step(id, version, { kind: "notice_sent", at: at("2024-09-29T03:00:00Z"), documentNo: "TZ2024-00001", servedOn: "2024-09-29" })).version;
    const open = (await openProcedures(e)).find((p) => p.caseId === id)!;
    expect(open.steps.map((s) => s.kind)).toEqual(["suspected", "notice_sent"]);
    // the answer on the last day, 23:59 Beijing time
    version = (await step(id, version, {
      kind: "holder_answered", at: at("2024-10-09T15:59:00Z"), answer: "requests_detention", bondKind: "deposit", bondFen: 2_500_000,
    })).version;
    version = (await step(id, version, { kind: "detained", at: at("2024-10-10T02:00:00Z"), documentNo: "KL2024-00001" })).version;
    await expectStatus("detained");
    version = (await step(id, version, { kind: "determination", at: at("2024-10-20T02:00:00Z"), documentNo: "RD2024-00001", decision: "infringing" })).version;
    await expectStatus("infringement_confirmed");
    version = (await step(id, version, { kind: "hearing", at: at("2024-10-25T02:00:00Z"), documentNo: "TZ2024-00002" })).version;
    version = (await step(id, version, { kind: "penalty", at: at("2024-11-01T02:00:00Z"), documentNo: "CF2024-00001", fineFen: 750_000 })).version;
    await expectStatus("penalised");
    expect((await caseRow(id)).penaltyFen).toBe(750_000);
    expect(Boolean((await caseRow(id)).hearingHeld)).toBe(true);
    version = (await step(id, version, { kind: "disposal", at: at("2024-12-01T02:00:00Z"), disposal: "green_destruction" })).version;
    await expectStatus("closed");
    expect((await caseRow(id)).disposal).toBe("green_destruction");
    expect(version).toBe(9);
    const history = await readHistory(e, id);
    expect(history.map((s) => s.kind)).toEqual(["suspected", "notice_sent", "holder_answered", "detained", "determination", "hearing", "penalty", "disposal"]);
    expect(history[1]).toMatchObject({ documentNo: "TZ2024-00001", servedOn: "2024-09-29", by: OFFICER });
    expect(history[2]).toMatchObject({ answer: "requests_detention", bondKind: "deposit", bondFen: 2_500_000 });
    // one audit row per write: the creation, then each step with the status and version it moved
    const rows = await audits(id);
    expect(rows.map((r) => r.action)).toEqual(["create", ...Array(8).fill("update")]);
    const last = json(rows.at(-1)!.after);
    expect(last).toMatchObject({ status: "closed", disposal: "green_destruction", version: 9, step: { kind: "disposal", disposal: "green_destruction" } });
    expect(rows.every((r) => r.userId === OFFICER)).toBe(true);
    // the procedure has ended
    const ended = await refusal(() => step(id, version, { kind: "released", at: at("2024-12-02T02:00:00Z"), ground: "court_decision" }));
    expect(ended).toBeInstanceOf(TransitionRefusedError);
    expect((ended as TransitionRefusedError).code).toBe("procedure_ended");
  });

  it("refuses an illegal step with the state machine's code and message, writing nothing", async () => {
    const id = await newCase();
    const v = (await step(id, 1, { kind: "suspected", at: at("2024-09-27T02:00:00Z") })).version;
    const cases: [StepIn, string, RegExp][] = [
      [{ kind: "detained", at: at("2024-09-28T02:00:00Z"), documentNo: "KL1" }, "not_allowed_after", /detained cannot follow suspected/],
      [{ kind: "notice_sent", at: at("2024-09-28T02:00:00Z") }, "document_no_required", /document number/],
      [{ kind: "notice_sent", at: at("2024-09-26T02:00:00Z"), documentNo: "TZ1" }, "before_previous_step", /before the suspected/],
      [{ kind: "released", at: at("2024-09-28T02:00:00Z"), ground: "no_answer" }, "release_ground_not_allowed", /does not fit/],
    ];
    for (const [s, code, message] of cases) {
      const error = await refusal(() => step(id, v, s));
      expect(error, code).toBeInstanceOf(TransitionRefusedError);
      expect((error as TransitionRefusedError).code).toBe(code);
      expect((error as Error).message).toMatch(message);
    }
    await step(id, v, { kind: "notice_sent", at: at("2024-09-29T03:00:00Z"), documentNo: "TZ2", servedOn: "2024-09-29" });
    // a bond below Measures Art. 23's (goods of RMB 50,000: RMB 25,000), then an answer after 24:00 of 10-09
    const low = await refusal(() => step(id, v + 1, { kind: "holder_answered", at: at("2024-10-08T02:00:00Z"), answer: "requests_detention", bondKind: "deposit", bondFen: 100 }));
    expect((low as TransitionRefusedError).code).toBe("bond_below_required");
    expect((low as TransitionRefusedError).params).toMatchObject({ required: 2_500_000 });
    const late = await refusal(() => step(id, v + 1, { kind: "holder_answered", at: at("2024-10-09T16:00:00Z"), answer: "declines" }));
    expect((late as TransitionRefusedError).code).toBe("answer_deadline_passed");
    const early = await refusal(() => step(id, v + 1, { kind: "no_answer", at: at("2024-10-09T15:00:00Z") }));
    expect((early as TransitionRefusedError).code).toBe("deadline_not_passed");
    expect(await stepCount(id)).toBe(2);
    expect(await caseRow(id)).toMatchObject({ version: v + 1, status: "detained" });
    expect((await audits(id)).length).toBe(3);
    // after the deadline: no answer, then the release on that ground
    await step(id, v + 1, { kind: "no_answer", at: at("2024-10-09T16:00:00Z") });
    await step(id, v + 2, { kind: "released", at: at("2024-10-10T02:00:00Z"), ground: "no_answer" });
    expect(await caseRow(id)).toMatchObject({ version: v + 3, status: "released" });
  });

  it("refuses a step recorded against an older version, naming who changed the case and when", async () => {
    const id = await newCase();
    await step(id, 1, { kind: "suspected", at: at("2024-09-27T02:00:00Z") });
    const stale = await refusal(() => step(id, 1, { kind: "notice_sent", at: at("2024-09-29T03:00:00Z"), documentNo: "TZ3" }));
    expect(stale).toBeInstanceOf(VersionConflictError);
    expect((stale as VersionConflictError).current).toMatchObject({ version: 2, updatedBy: OFFICER });
    expect(await stepCount(id)).toBe(1);
  });

  it("keeps the status from the steps: an edit may not change it", async () => {
    const id = await newCase();
    await step(id, 1, { kind: "suspected", at: at("2024-09-27T02:00:00Z") });
    const stored = (await loadStoredCase(e, id))!;
    const { version: _v, updatedBy: _u, updatedAt: _a, deletedAt: _d, ...values } = stored;
    const error = await refusal(() => updateCase(e, id, 2, { ...values, status: "closed" }, OFFICER));
    expect(error).toBeInstanceOf(StatusFollowsStepsError);
    expect((await caseRow(id)).status).toBe("detained");
    // other fields may change
    await updateCase(e, id, 2, { ...values, notes: "checked" }, OFFICER);
    expect((await caseRow(id)).version).toBe(3);
  });

  it("refuses a deadline in a year nobody knows until the calendar table holds it", async () => {
    const id = await newCase({ seizedOn: "2026-12-28" });
    await step(id, 1, { kind: "suspected", at: at("2026-12-28T02:00:00Z") });
    // served on Wednesday 2026-12-30: the 3 working days reach into 2027
    const unknown = await refusal(() => step(id, 2, { kind: "notice_sent", at: at("2026-12-30T02:00:00Z"), documentNo: "TZ4" }).then(() =>
      step(id, 3, { kind: "holder_answered", at: at("2026-12-31T02:00:00Z"), answer: "declines" })));
    expect((unknown as TransitionRefusedError).code).toBe("holiday_calendar_unknown");
    expect((unknown as TransitionRefusedError).params).toMatchObject({ year: 2027 });
    await setOverride(e, "2027-01-01", "holiday", "New Year's Day", OFFICER);
    await setOverride(e, "2027-01-01", "holiday", "元旦", OFFICER); // entered again: replaced
    await step(id, 3, { kind: "holder_answered", at: at("2026-12-31T02:00:00Z"), answer: "declines" });
    expect((await caseRow(id)).version).toBe(4);
    expect(await removeOverride(e, "2027-01-01")).toBe(true);
    expect(await removeOverride(e, "2027-01-01")).toBe(false);
  });
});
