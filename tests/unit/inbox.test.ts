import { describe, expect, it } from "vitest";
import { answerRefusal, chipOf, inChip, isReleaseDue, noticeOf, releaseDueSteps } from "../../lib/inbox";
import { checkHistory, viewOf, type ProcedureStep } from "../../lib/procedure";

// The inbox's pure rules (lib/inbox.ts) at fixed clocks: where a notice stands and how its
// deadline counts down in working days to 24:00 Beijing time; the member's refusal words (never
// who else answered); what "release due" records and which chip a row belongs to.

const at = (iso: string) => new Date(iso);
const OFFICER = "officer";
/** Suspended Friday 2024-09-27, notice served Sunday 2024-09-29 (a make-up working day that does not count): the period is 09-30, 10-08, 10-09. */
const base: ProcedureStep[] = [
  { kind: "suspected", at: at("2024-09-27T02:00:00Z"), by: OFFICER },
  { kind: "notice_sent", at: at("2024-09-29T03:00:00Z"), by: OFFICER, documentNo: "TZ1", servedOn: "2024-09-29" },
];
const answered = (by: string): ProcedureStep[] => [
  ...base, { kind: "holder_answered", at: at("2024-10-08T03:00:00Z"), by, answer: "requests_detention", bondKind: "deposit", bondFen: 100 },
];

describe("a notice's state and deadline", () => {
  it("counts the working days left through the National Day week, ending at 24:00 Beijing time on the last one", () => {
    const open = noticeOf(base, at("2024-09-29T04:00:00Z"))!;
    expect(open.state).toBe("open");
    expect(open.deadline).toMatchObject({ lastDay: "2024-10-09", endsAt: at("2024-10-09T16:00:00Z"), passed: false });
    // on the day of service (a make-up working day, so today counts while it lasts): 09-29, 09-30, 10-08, 10-09
    expect(open.deadline!.workingDaysLeft).toBe(4);
    // on a holiday of the National Day week: 10-08 and 10-09
    expect(noticeOf(base, at("2024-10-03T04:00:00Z"))!.deadline!.workingDaysLeft).toBe(2);
    // the last day itself still counts while it is open; one minute before its end
    expect(noticeOf(base, at("2024-10-09T15:59:00Z"))!).toMatchObject({ state: "open", deadline: { workingDaysLeft: 1 } });
    expect(noticeOf(base, at("2024-10-09T16:00:00Z"))!).toMatchObject({ state: "overdue", deadline: { workingDaysLeft: 0, passed: true } });
  });

  it("says answered, or closed without answer, once the procedure moved on; none without a notice", () => {
    expect(noticeOf(answered("m1"), at("2024-10-20T00:00:00Z"))).toMatchObject({ state: "answered", answer: { kind: "holder_answered", by: "m1" } });
    const closed: ProcedureStep[] = [...base, { kind: "no_answer", at: at("2024-10-10T02:00:00Z"), by: OFFICER }];
    expect(checkHistory(closed)).toMatchObject({ ok: true });
    expect(noticeOf(closed, at("2024-10-20T00:00:00Z"))).toMatchObject({ state: "unanswered", answer: { kind: "no_answer" } });
    expect(noticeOf(base.slice(0, 1), at("2024-10-20T00:00:00Z"))).toBeNull();
  });

  it("does not throw for a year nobody knows: the deadline is missing and the year named", () => {
    const far: ProcedureStep[] = [
      { kind: "suspected", at: at("2099-03-02T02:00:00Z"), by: OFFICER },
      { kind: "notice_sent", at: at("2099-03-03T02:00:00Z"), by: OFFICER, documentNo: "TZ9" },
    ];
    expect(noticeOf(far, at("2099-03-03T03:00:00Z"))).toMatchObject({ state: "open", deadline: null, unknownHolidayYear: 2099 });
  });
});

describe("the member's refusal", () => {
  const now = at("2024-10-08T04:00:00Z");
  it("tells a second answer from someone else's, never naming who", () => {
    expect(answerRefusal(answered("m1"), "m1", "not_allowed_after", now)).toBe("already_answered");
    expect(answerRefusal(answered("m1"), "m2", "version", now)).toBe("answered_by_other");
    expect(answerRefusal(answered("m1"), "m2", "not_allowed_after", now)).toBe("answered_by_other");
  });
  it("names the bond, the deadline, a closed notice and a case changed by customs", () => {
    expect(answerRefusal(base, "m1", "bond_below_required", now)).toBe("bond_below_required");
    expect(answerRefusal(base, "m1", "answer_deadline_passed", at("2024-10-10T00:00:00Z"))).toBe("deadline_passed");
    const closed: ProcedureStep[] = [...base, { kind: "no_answer", at: at("2024-10-10T02:00:00Z"), by: OFFICER }];
    expect(answerRefusal(closed, "m1", "not_allowed_after", at("2024-10-10T03:00:00Z"))).toBe("notice_closed");
    expect(answerRefusal(base, "m1", "version", now)).toBe("changed");
  });
});

describe("release due", () => {
  it("records no answer and the release together after a passed answer period, and nothing before", () => {
    expect(releaseDueSteps(base, at("2024-10-09T15:59:00Z"), OFFICER)).toBeNull();
    const passed = at("2024-10-09T16:00:00Z");
    const steps = releaseDueSteps(base, passed, OFFICER)!;
    expect(steps).toEqual([
      { kind: "no_answer", at: passed, by: OFFICER },
      { kind: "released", at: passed, by: OFFICER, ground: "no_answer" },
    ]);
    expect(checkHistory([...base, ...steps])).toMatchObject({ ok: true, state: "released", status: "released" });
  });

  it("releases at once after a decline, and not while detention is asked for", () => {
    const declined: ProcedureStep[] = [...base, { kind: "holder_answered", at: at("2024-10-08T03:00:00Z"), by: "m1", answer: "declines" }];
    expect(releaseDueSteps(declined, at("2024-10-08T04:00:00Z"), OFFICER)).toEqual([
      { kind: "released", at: at("2024-10-08T04:00:00Z"), by: OFFICER, ground: "holder_declined" },
    ]);
    expect(releaseDueSteps(answered("m1"), at("2024-10-20T00:00:00Z"), OFFICER)).toBeNull();
  });

  it("sorts rows under the officers' chips", () => {
    const overdue = viewOf(base, at("2024-10-10T00:00:00Z"));
    const waiting = viewOf(base, at("2024-10-08T00:00:00Z"));
    expect(isReleaseDue(overdue.due)).toBe(true);
    expect([inChip("release_due", overdue), inChip("waiting", overdue), inChip("all", overdue)]).toEqual([true, false, true]);
    expect([inChip("release_due", waiting), inChip("waiting", waiting)]).toEqual([false, true]);
    expect([chipOf("waiting"), chipOf("nonsense"), chipOf(["release_due"]), chipOf(undefined)]).toEqual(["waiting", "all", "all", "all"]);
  });
});

describe("the demo member's notices (seed/notices.ts)", () => {
  it("keeps each chosen case's suspension and serves the notice after it: three open, one overdue, relative to the seed's clock", async () => {
    const { withDemoNotices } = await import("../../seed/notices");
    const now = at("2026-03-10T04:00:00Z");
    const generated = (caseId: number) => [
      { caseId, step: { kind: "suspected", at: at("2025-05-01T02:00:00Z"), by: "seed" } as ProcedureStep },
      { caseId, step: { kind: "notice_sent", at: at("2025-05-02T02:00:00Z"), by: "seed", documentNo: "TZ2025-1" } as ProcedureStep },
      { caseId, step: { kind: "holder_answered", at: at("2025-05-03T02:00:00Z"), by: "seed", answer: "declines" } as ProcedureStep },
    ];
    const rows = [...withDemoNotices([...generated(1), ...generated(2), ...generated(3), ...generated(4), ...generated(5)], [4, 3, 2, 1], now)];
    const historyOf = (id: number) => rows.filter((r) => r.caseId === id).map((r) => r.step);
    expect(historyOf(5).map((s) => s.kind)).toEqual(["suspected", "notice_sent", "holder_answered"]); // not chosen: as generated
    const states = [4, 3, 2, 1].map((id) => {
      const h = historyOf(id);
      expect(h.map((s) => s.kind)).toEqual(["suspected", "notice_sent"]);
      expect(checkHistory(h)).toMatchObject({ ok: true, status: "detained" });
      return noticeOf(h, now)!.state;
    });
    expect(states).toEqual(["open", "open", "open", "overdue"]);
  });
});
