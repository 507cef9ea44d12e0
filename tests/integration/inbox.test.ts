import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoMemberHolder } from "../../db/auth";
import type { Engine } from "../../db/engine";
import {
  AnswerRefusedError, NotDueError, answerNotice, holderNotice, holderNotices, memberAccounts, recentAppAnswers, releaseDue,
  type AnswerInput,
} from "../../db/inbox";
import { createCase, type CaseInput } from "../../db/mutations/cases";
import { readHistory } from "../../db/procedure";
import { CaseNotFoundError, loadStoredCase, writeCases } from "../../db/writer";
import { checkHistory, requiredBondFen, type ProcedureStep } from "../../lib/procedure";
import { seedDatabase } from "../../seed/run";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// The right holders' inbox (issue 16, cut 3) on both engines, at a fixed clock: the demo member's
// notices served relative to the seed's clock; an answer recorded through THE writer (op "step")
// against the version seen, and each refusal (bond too small, a second answer, after the
// deadline, a notice closed, another company's case) leaving nothing written; two members of one
// company answering at once: exactly one wins, the other is told someone else answered; a
// passed answer period makes the release due, recorded with "no answer" in one batch.

/** The seed's clock and the tests' own: Tuesday 2026-03-10, 12:00 Beijing time. */
const NOW = new Date("2026-03-10T04:00:00Z");
const hours = (n: number) => new Date(NOW.getTime() + n * 3600_000);

describe.each(ENGINES)("the inbox on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  let holderId = 0;
  let otherHolderId = 0;
  const OFFICER = "officer-inbox";
  const MEMBER_A = "member-a";
  const MEMBER_B = "member-b";

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "inbox");
    e = fresh.e;
    await seedDatabase(e, { cases: 3_000, seed: 1, now: NOW });
    holderId = (await demoMemberHolder(e))!;
    otherHolderId = Number((await e.get<{ id: number }>(sql`select min(id) as id from right_holders where id <> ${holderId}`))!.id);
    for (const [id, email] of [[MEMBER_A, "a@inbox.test"], [MEMBER_B, "b@inbox.test"]] as const) {
      await e.run(sql`insert into "user" (id, name, email, email_verified, created_at, updated_at, role, holder_id)
        values (${id}, 'Member', ${email}, ${e.say.bool(false)}, 0, 0, 'member', ${holderId})`);
    }
  }, 180_000);
  afterAll(() => fresh?.close());

  let serial = 0;
  /** A case of the member's company (goods worth RMB 50,000.00: a bond of at least 25,000.00) with a notice served at `servedAt`. */
  async function noticeCase(servedAt: Date): Promise<{ id: number; version: number }> {
    const first = (await loadStoredCase(e, 1))!;
    const { version: _v, updatedBy: _u, updatedAt: _a, deletedAt: _d, ...values } = first;
    const input: CaseInput = {
      ...values, caseNo: `8600-2026-${7000 + ++serial}`, seizedOn: "2026-02-02", protectionMode: "ex_officio", status: "detained",
      valueFen: 5_000_000, penaltyFen: null, disposal: null, hearingHeld: false, referredToPolice: false,
      rightHolderIds: [holderId], recordationIds: [],
    };
    const id = (await createCase(e, input, OFFICER)).id;
    const steps: ProcedureStep[] = [
      { kind: "suspected", at: new Date(servedAt.getTime() - 3600_000), by: OFFICER },
      { kind: "notice_sent", at: servedAt, by: OFFICER, documentNo: `TZ2026-${serial}` },
    ];
    const done = await writeCases(e, steps.map((step, i) => ({ op: "step" as const, id, expectedVersion: 1 + i, step })), { userId: OFFICER });
    return { id, version: done.cases.at(-1)!.version };
  }
  const request = (c: { id: number; version: number }, bondFen: number, userId = MEMBER_A): AnswerInput => ({
    holderId, caseId: c.id, expectedVersion: c.version, userId, answer: "requests_detention", bondKind: "deposit", bondFen,
  });
  const trace = async (id: number) => ({
    steps: Number((await e.get<{ n: number }>(sql`select count(*) as n from case_steps where case_id = ${id}`))!.n),
    version: Number((await e.get<{ v: number }>(sql`select version as v from cases where id = ${id}`))!.v),
  });
  const refusal = async (write: () => Promise<unknown>) => {
    try {
      await write();
    } catch (error) {
      return error;
    }
    throw new Error("the answer was not refused");
  };

  it("serves the demo member's company its notices relative to the seed's clock; no case row changes", async () => {
    // at 3,000 cases (seed 1) one case of the demo member's company stands detained ex officio: one notice, served an hour before the seed's clock
    const { current } = await holderNotices(e, holderId, NOW);
    const demo = current.filter((r) => /^TZ2026-D000\d$/.test(r.view.notice.documentNo ?? ""));
    expect(demo.length).toBe(1);
    expect(demo[0]!.view).toMatchObject({ state: "open", notice: { at: hours(-1), by: "seed" } });
    // 3 working days from the day after service: 03-11, 03-12, 03-13 (4 left on the day of service itself, a working day)
    expect(demo[0]!.view.deadline).toMatchObject({ lastDay: "2026-03-13", endsAt: new Date("2026-03-13T16:00:00Z"), workingDaysLeft: 4, passed: false });
    const all = await e.all<{ caseId: number }>(sql`select case_id as "caseId" from case_steps where document_no like 'TZ%-D%'`);
    expect(all.map((r) => Number(r.caseId))).toEqual(demo.map((r) => r.caseId));
    for (const r of demo) {
      expect(r.version).toBe(1); // the seed wrote the case once; the notice changed no row of it
      const c = await e.get<{ status: string; mode: string }>(sql`select status, protection_mode as mode from cases where id = ${r.caseId}`);
      expect(c).toEqual({ status: "detained", mode: "ex_officio" });
      expect(r.steps.map((s) => s.kind)).toEqual(["suspected", "notice_sent"]);
      expect(checkHistory(r.steps, undefined, { goodsValueFen: r.valueFen })).toMatchObject({ ok: true, status: "detained" });
    }
    // another company sees none of them
    const other = await holderNotices(e, otherHolderId, NOW);
    expect(other.current.some((r) => demo.some((d) => d.caseId === r.caseId))).toBe(false);
  });

  it("refuses a bond below the required amount, then records the answer to the fen; a second answer is refused", async () => {
    const c = await noticeCase(hours(-2));
    const required = requiredBondFen(5_000_000);
    expect(required).toBe(2_500_000);
    const before = await trace(c.id);
    const small = await refusal(() => answerNotice(e, request(c, required - 1), NOW));
    expect(small).toBeInstanceOf(AnswerRefusedError);
    expect(small).toMatchObject({ code: "bond_below_required", params: { required } });
    expect(await trace(c.id)).toEqual(before);

    const done = await answerNotice(e, request(c, 2_500_001), NOW);
    expect(done.version).toBe(c.version + 1);
    const last = (await readHistory(e, c.id)).at(-1)!;
    expect(last).toMatchObject({ kind: "holder_answered", answer: "requests_detention", bondKind: "deposit", bondFen: 2_500_001, by: MEMBER_A, at: NOW });
    expect((await e.get<{ status: string; updatedBy: string }>(sql`select status, updated_by as "updatedBy" from cases where id = ${c.id}`))).toEqual({ status: "detained", updatedBy: MEMBER_A });
    expect((await holderNotice(e, holderId, c.id, NOW))!.view.state).toBe("answered");

    const again = await refusal(() => answerNotice(e, { ...request(c, 2_600_000), expectedVersion: done.version }, hours(1)));
    expect(again).toMatchObject({ code: "already_answered" });
    // the other member, with the version it saw before: told someone else answered, not who
    const late = await refusal(() => answerNotice(e, request(c, 2_600_000, MEMBER_B), hours(1)));
    expect(late).toMatchObject({ code: "answered_by_other" });
    expect(JSON.stringify(late)).not.toContain(MEMBER_A);
    expect(await trace(c.id)).toEqual({ steps: before.steps + 1, version: done.version });
  });

  it("records a decline; refuses another company's case as not found and an answer after the deadline or on a closed notice", async () => {
    const c = await noticeCase(hours(-1));
    await answerNotice(e, { holderId, caseId: c.id, expectedVersion: c.version, userId: MEMBER_A, answer: "declines" }, NOW);
    expect((await readHistory(e, c.id)).at(-1)).toMatchObject({ kind: "holder_answered", answer: "declines", bondFen: null, bondKind: null });

    const d = await noticeCase(hours(-1));
    const other = await refusal(() => answerNotice(e, { ...request(d, 2_500_000), holderId: otherHolderId }, NOW));
    expect(other).toBeInstanceOf(CaseNotFoundError);
    expect(await holderNotice(e, otherHolderId, d.id, NOW)).toBeNull();
    expect(await holderNotice(e, holderId, 99_999_999, NOW)).toBeNull();

    // served Tuesday 03-10: the period ends Friday 03-13 at 24:00 Beijing time (16:00 UTC)
    const before = await trace(d.id);
    const lastMinute = await answerNotice(e, request(d, 2_500_000), new Date("2026-03-13T15:59:00Z")).catch((error: unknown) => error);
    expect(lastMinute).toMatchObject({ version: d.version + 1 });
    const f = await noticeCase(hours(-1));
    const afterDeadline = await refusal(() => answerNotice(e, request(f, 2_500_000), new Date("2026-03-13T16:00:00Z")));
    expect(afterDeadline).toMatchObject({ code: "deadline_passed" });
    expect((await holderNotice(e, holderId, f.id, new Date("2026-03-13T16:00:00Z")))!.view.state).toBe("overdue");
    expect((await trace(d.id)).steps).toBe(before.steps + 1);

    // customs recorded "no answer" (and released): the notice is closed
    const released = await releaseDue(e, f.id, f.version, OFFICER, new Date("2026-03-16T02:00:00Z"));
    const closed = await refusal(() => answerNotice(e, { ...request(f, 2_500_000), expectedVersion: released.version }, new Date("2026-03-16T03:00:00Z")));
    expect(closed).toMatchObject({ code: "notice_closed" });
  });

  it("lets exactly one of two members answering at once win; the other is told someone else answered", async () => {
    for (let round = 0; round < 3; round++) {
      const c = await noticeCase(hours(-1));
      const results = await Promise.allSettled([
        answerNotice(e, request(c, 2_500_000, MEMBER_A), NOW),
        answerNotice(e, request(c, 3_000_000, MEMBER_B), NOW),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won.length, `round ${round}`).toBe(1);
      expect(lost.length).toBe(1);
      expect(lost[0]!.reason).toBeInstanceOf(AnswerRefusedError);
      expect(lost[0]!.reason).toMatchObject({ code: "answered_by_other" });
      const history = await readHistory(e, c.id);
      expect(history.filter((s) => s.kind === "holder_answered").length).toBe(1);
      expect((await trace(c.id)).version).toBe(c.version + 1);
    }
  });

  it("makes the release due once the answer period has passed, and records no answer and the release in one batch", async () => {
    const c = await noticeCase(hours(-1));
    // not before the period has passed (Reg. Art. 16)
    const early = await refusal(() => releaseDue(e, c.id, c.version, OFFICER, new Date("2026-03-13T15:59:00Z")));
    expect(early).toBeInstanceOf(NotDueError);
    expect((await trace(c.id)).version).toBe(c.version);
    const done = await releaseDue(e, c.id, c.version, OFFICER, new Date("2026-03-14T01:00:00Z"));
    expect(done).toEqual({ version: c.version + 2, steps: ["no_answer", "released"] });
    const history = await readHistory(e, c.id);
    expect(history.slice(-2)).toMatchObject([{ kind: "no_answer", by: OFFICER }, { kind: "released", ground: "no_answer", by: OFFICER }]);
    expect((await e.get<{ status: string }>(sql`select status from cases where id = ${c.id}`))!.status).toBe("released");
    // nothing is due any more
    expect(await refusal(() => releaseDue(e, c.id, done.version, OFFICER, new Date("2026-03-14T02:00:00Z")))).toBeInstanceOf(NotDueError);
    // a decline makes the release due at once (ground: the holder declined)
    const d = await noticeCase(hours(-1));
    const answered = await answerNotice(e, { holderId, caseId: d.id, expectedVersion: d.version, userId: MEMBER_B, answer: "declines" }, NOW);
    expect(await releaseDue(e, d.id, answered.version, OFFICER, hours(1))).toEqual({ version: answered.version + 1, steps: ["released"] });
    expect((await readHistory(e, d.id)).at(-1)).toMatchObject({ kind: "released", ground: "holder_declined" });
  });

  it("names the answers given in the app to the officers, and only members' answers", async () => {
    expect(await memberAccounts(e, [MEMBER_A, MEMBER_B, OFFICER, "seed"])).toEqual(new Set([MEMBER_A, MEMBER_B]));
    const answers = await recentAppAnswers(e, 50);
    expect(answers.length).toBeGreaterThanOrEqual(5);
    expect(answers.every((a) => a.email === "a@inbox.test" || a.email === "b@inbox.test")).toBe(true);
    expect(answers.every((a) => a.step.kind === "holder_answered")).toBe(true);
  });
});
