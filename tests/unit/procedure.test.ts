import { describe, expect, it } from "vitest";
import {
  bondKinds, caseStatuses, determinations, holderAnswers, procedureDeadlines, procedureSteps, releaseGrounds,
  transitionRefusals, type ProcedureStepKind, type ReleaseGround,
} from "../../lib/enums";
import {
  DOCUMENT_REQUIRED, RELEASE_GROUNDS, TRANSITIONS, checkHistory, checkTransition, dueAction, modeOf, nextSteps,
  openDeadline, procedureStates, releaseGroundsFor, requiredBondFen, stateOf, statusOf, statusOfStep, viewOf,
  type ProcedureState, type ProcedureStep,
} from "../../lib/procedure";

const t = (iso: string) => new Date(iso);
const HOUR = 3600_000;
const DAY = 86_400_000;

// One case of each path, dated over the 2024 National Day week (working days hand-counted in
// tests/unit/working-days.test.ts and below).
const S = {
  suspected: { kind: "suspected", at: t("2024-09-29T01:00:00Z"), by: "officer-1", documentNo: "ZZFX-2024-001" },
  notice: { kind: "notice_sent", at: t("2024-09-29T02:00:00Z"), by: "officer-1", documentNo: "TZ-2024-001" },
  // served 2024-09-29 (Sunday, a make-up working day): 09-30, 10-08, 10-09 → ends 2024-10-09 24:00 Beijing
  requests: {
    kind: "holder_answered", at: t("2024-10-08T03:00:00Z"), by: "member-7", answer: "requests_detention",
    bondFen: 2_000_000, bondKind: "deposit", documentNo: "SQ-2024-001",
  },
  declines: { kind: "holder_answered", at: t("2024-10-08T03:00:00Z"), by: "member-7", answer: "declines" },
  noAnswer: { kind: "no_answer", at: t("2024-10-09T16:00:00Z"), by: "officer-1" },
  // detained 2024-10-10: determination within 30 working days → 2024-11-20; court order within 50 → 2024-12-18
  detained: { kind: "detained", at: t("2024-10-10T02:00:00Z"), by: "officer-1", documentNo: "KL-2024-001" },
  investigation: { kind: "investigation_started", at: t("2024-10-11T02:00:00Z"), by: "officer-2" },
  infringing: { kind: "determination", at: t("2024-10-25T02:00:00Z"), by: "officer-2", decision: "infringing", documentNo: "RD-1" },
  notInfringing: { kind: "determination", at: t("2024-10-25T02:00:00Z"), by: "officer-2", decision: "not_infringing", documentNo: "RD-2" },
  undetermined: { kind: "determination", at: t("2024-10-25T02:00:00Z"), by: "officer-2", decision: "not_determinable", documentNo: "RD-3" },
  courtOrder: { kind: "court_order", at: t("2024-11-05T02:00:00Z"), by: "officer-2", court: "昆明市中级人民法院", documentNo: "(2024)云01执保1号" },
  hearing: { kind: "hearing", at: t("2024-11-06T02:00:00Z"), by: "officer-3", documentNo: "TZ-HEAR-1" },
  penalty: { kind: "penalty", at: t("2024-11-12T02:00:00Z"), by: "officer-3", fineFen: 150_000_00, documentNo: "昆关知罚字〔2024〕1号" },
  referral: { kind: "referral_to_police", at: t("2024-11-13T02:00:00Z"), by: "officer-3", documentNo: "YS-2024-1" },
  disposal: { kind: "disposal", at: t("2024-12-02T02:00:00Z"), by: "officer-3", disposal: "green_destruction" },
  // on application: applied and detained on 2024-09-20; the court order is due within 20 working days → 2024-10-23
  application: { kind: "application_filed", at: t("2024-09-20T01:00:00Z"), by: "member-7", bondFen: 5_000_000, bondKind: "bank_guarantee" },
  detainedOnApp: { kind: "detained", at: t("2024-09-20T06:00:00Z"), by: "officer-1", documentNo: "KL-2024-002" },
} satisfies Record<string, ProcedureStep>;

const released = (ground: ReleaseGround, at: Date): ProcedureStep => ({ kind: "released", at, by: "officer-1", ground });

/** A history that leads to each state. */
const PATHS: Record<ProcedureState, ProcedureStep[]> = {
  not_started: [],
  suspected: [S.suspected],
  applied: [S.application],
  notice_sent: [S.suspected, S.notice],
  answer_requests: [S.suspected, S.notice, S.requests],
  answer_declines: [S.suspected, S.notice, S.declines],
  no_answer: [S.suspected, S.notice, S.noAnswer],
  detained_ex_officio: [S.suspected, S.notice, S.requests, S.detained],
  detained_on_application: [S.application, S.detainedOnApp],
  investigating: [S.suspected, S.notice, S.requests, S.detained, S.investigation],
  infringing: [S.suspected, S.notice, S.requests, S.detained, S.investigation, S.infringing],
  not_infringing: [S.suspected, S.notice, S.requests, S.detained, S.investigation, S.notInfringing],
  not_determinable: [S.suspected, S.notice, S.requests, S.detained, S.investigation, S.undetermined],
  court_order: [S.suspected, S.notice, S.requests, S.detained, S.investigation, S.undetermined, S.courtOrder],
  hearing: [S.suspected, S.notice, S.requests, S.detained, S.investigation, S.infringing, S.hearing],
  penalised: [S.suspected, S.notice, S.requests, S.detained, S.investigation, S.infringing, S.hearing, S.penalty],
  referred: [S.suspected, S.notice, S.requests, S.detained, S.investigation, S.infringing, S.referral],
  released: [S.suspected, S.notice, S.declines, released("holder_declined", t("2024-10-08T05:00:00Z"))],
  disposed: [S.suspected, S.notice, S.requests, S.detained, S.investigation, S.infringing, S.hearing, S.penalty, S.disposal],
};

// The table as read from the Regulations and Measures (docs/procedure.md), written out again by hand.
const EXPECTED: Record<ProcedureState, ProcedureStepKind[]> = {
  not_started: ["suspected", "application_filed"],
  suspected: ["notice_sent", "released"],
  applied: ["detained"],
  notice_sent: ["holder_answered", "no_answer"],
  answer_requests: ["detained"],
  answer_declines: ["released"],
  no_answer: ["released"],
  detained_ex_officio: ["investigation_started", "determination", "court_order", "released"],
  detained_on_application: ["court_order", "released"],
  investigating: ["determination", "court_order", "released"],
  infringing: ["hearing", "penalty", "referral_to_police"],
  not_infringing: ["released"],
  not_determinable: ["court_order", "released"],
  court_order: ["released", "disposal"],
  hearing: ["penalty", "referral_to_police"],
  penalised: ["disposal", "referral_to_police"],
  referred: [],
  released: [],
  disposed: [],
};

const EXPECTED_GROUNDS: Partial<Record<ProcedureState, ReleaseGround[]>> = {
  suspected: ["consignee_evidence"],
  answer_declines: ["holder_declined"],
  no_answer: ["no_answer"],
  detained_ex_officio: ["consignee_evidence", "counter_bond", "application_withdrawn"],
  investigating: ["consignee_evidence", "counter_bond", "application_withdrawn"],
  detained_on_application: ["no_court_order_in_time", "consignee_evidence", "counter_bond", "application_withdrawn"],
  not_infringing: ["not_infringing"],
  not_determinable: ["no_court_order_in_time", "consignee_evidence", "counter_bond", "application_withdrawn"],
  court_order: ["court_decision"],
};

/** A well-formed step of `kind` to try after `history`: an answer within its period, anything else much later. */
function sample(kind: ProcedureStepKind, history: ProcedureStep[], ground?: ReleaseGround): ProcedureStep {
  const lastAt = history.at(-1)?.at.getTime() ?? t("2024-09-10T02:00:00Z").getTime();
  const at = new Date(lastAt + (kind === "holder_answered" ? HOUR : 200 * DAY));
  const base = { at, by: "officer-9", documentNo: "DOC-9" };
  switch (kind) {
    case "suspected": return { ...base, kind };
    case "application_filed": return { ...base, kind, bondFen: 100_000, bondKind: "deposit" };
    case "notice_sent": return { ...base, kind };
    case "holder_answered": return { ...base, kind, answer: "requests_detention", bondFen: 100_000, bondKind: "deposit" };
    case "no_answer": return { ...base, kind };
    case "detained": return { ...base, kind };
    case "investigation_started": return { ...base, kind };
    case "determination": return { ...base, kind, decision: "infringing" };
    case "court_order": return { ...base, kind, court: "Court" };
    case "hearing": return { ...base, kind };
    case "penalty": return { ...base, kind, fineFen: 0 };
    case "referral_to_police": return { ...base, kind };
    case "released": return { ...base, kind, ground: ground ?? RELEASE_GROUNDS[stateOf(history)]?.[0] ?? "consignee_evidence" };
    case "disposal": return { ...base, kind, disposal: "destroyed" };
  }
}

describe("the transition table", () => {
  it("is the one read from the texts, for every state", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...procedureStates].sort());
    for (const s of procedureStates) expect([...TRANSITIONS[s]].sort(), s).toEqual([...EXPECTED[s]].sort());
    expect(RELEASE_GROUNDS).toEqual(EXPECTED_GROUNDS);
  });

  it("every state is reached by a history that checkHistory accepts", () => {
    for (const s of procedureStates) {
      const check = checkHistory(PATHS[s]);
      expect(check, s).toMatchObject({ ok: true, state: s });
      expect(stateOf(PATHS[s])).toBe(s);
      expect(nextSteps(PATHS[s])).toEqual(TRANSITIONS[s]);
    }
  });

  // every state × every step kind: allowed exactly when the table says so, refused with the right code otherwise
  for (const s of procedureStates) {
    for (const kind of procedureSteps.values) {
      const allowed = EXPECTED[s].includes(kind);
      it(`${s} → ${kind}: ${allowed ? "allowed" : "refused"}`, () => {
        const check = checkTransition(PATHS[s], sample(kind, PATHS[s]));
        if (allowed) {
          expect(check).toMatchObject({ ok: true });
        } else {
          const code = s === "not_started" ? "must_start_procedure" : EXPECTED[s].length === 0 ? "procedure_ended" : "not_allowed_after";
          expect(check).toMatchObject({ ok: false, code });
          if (!check.ok) expect(check.message).toMatch(new RegExp(kind));
        }
      });
    }
  }

  // every state × every release ground
  for (const s of procedureStates) {
    if (!EXPECTED[s].includes("released")) continue;
    for (const ground of releaseGrounds.values) {
      const allowed = (EXPECTED_GROUNDS[s] ?? []).includes(ground);
      it(`${s} → released (${ground}): ${allowed ? "allowed" : "refused"}`, () => {
        const check = checkTransition(PATHS[s], sample("released", PATHS[s], ground));
        expect(check).toMatchObject(allowed ? { ok: true, status: "released" } : { ok: false, code: "release_ground_not_allowed" });
        expect(releaseGroundsFor(PATHS[s])).toEqual(EXPECTED_GROUNDS[s]);
      });
    }
  }
});

describe("hand-written transitions", () => {
  const notice = PATHS.notice_sent;

  it("an answer is accepted until 24:00 Beijing time of the third working day, not after", () => {
    const answer = (iso: string) => ({ ...S.requests, at: t(iso) });
    expect(checkTransition(notice, answer("2024-10-09T15:59:59Z"))).toMatchObject({ ok: true, state: "answer_requests", status: "detained" });
    const late = checkTransition(notice, answer("2024-10-09T16:00:00Z"));
    expect(late).toMatchObject({ ok: false, code: "answer_deadline_passed", params: { lastDay: "2024-10-09", deadline: "2024-10-09T16:00:00.000Z" } });
    // during the National Day holiday it is still in time
    expect(checkTransition(notice, answer("2024-10-03T04:00:00Z"))).toMatchObject({ ok: true });
  });

  it("'no answer' can be recorded only once the period has passed", () => {
    const early = checkTransition(notice, { ...S.noAnswer, at: t("2024-10-09T15:59:59Z") });
    expect(early).toMatchObject({ ok: false, code: "deadline_not_passed", params: { lastDay: "2024-10-09" } });
    expect(checkTransition(notice, S.noAnswer)).toMatchObject({ ok: true, state: "no_answer" });
  });

  it("a notice served later than it was recorded counts from the service", () => {
    const served = [S.suspected, { ...S.notice, servedOn: "2024-10-03" }];
    expect(openDeadline(served)?.lastDay).toBe("2024-10-10");
    expect(checkTransition(served, { ...S.requests, at: t("2024-10-10T10:00:00Z") })).toMatchObject({ ok: true });
  });

  it("on application, release for want of a court order waits 20 working days from the detention", () => {
    const path = PATHS.detained_on_application;
    expect(checkTransition(path, released("no_court_order_in_time", t("2024-10-23T15:00:00Z")))).toMatchObject({ ok: false, code: "deadline_not_passed" });
    expect(checkTransition(path, released("no_court_order_in_time", t("2024-10-23T16:00:00Z")))).toMatchObject({ ok: true });
    expect(checkTransition(path, released("consignee_evidence", t("2024-09-25T02:00:00Z")))).toMatchObject({ ok: true });
  });

  it("ex officio, release for want of a court order after 'cannot be determined' waits 50 working days", () => {
    const path = PATHS.not_determinable;
    expect(checkTransition(path, released("no_court_order_in_time", t("2024-12-18T15:59:00Z")))).toMatchObject({ ok: false, code: "deadline_not_passed" });
    expect(checkTransition(path, released("no_court_order_in_time", t("2024-12-18T16:00:00Z")))).toMatchObject({ ok: true });
  });

  it("bonds: a request needs one, a refusal has none, a general bond may be 0", () => {
    expect(checkTransition(notice, { ...S.requests, bondFen: undefined })).toMatchObject({ ok: false, code: "bond_required", params: { field: "bondFen" } });
    expect(checkTransition(notice, { ...S.requests, bondFen: 0 })).toMatchObject({ ok: false, code: "bond_required" });
    expect(checkTransition(notice, { ...S.requests, bondFen: 10.5 })).toMatchObject({ ok: false, code: "bond_required" });
    expect(checkTransition(notice, { ...S.requests, bondKind: undefined })).toMatchObject({ ok: false, code: "bond_required", params: { field: "bondKind" } });
    expect(checkTransition(notice, { ...S.requests, bondFen: 0, bondKind: "general_bond" })).toMatchObject({ ok: true });
    expect(checkTransition(notice, { ...S.declines, bondFen: 100 })).toMatchObject({ ok: false, code: "bond_not_allowed" });
    expect(checkTransition(notice, { ...S.declines, bondKind: "deposit" })).toMatchObject({ ok: false, code: "bond_not_allowed" });
    expect(checkTransition([], { ...S.application, bondFen: 0 })).toMatchObject({ ok: false, code: "bond_required" });
  });

  it("the bond follows the goods' value (Measures Art. 23) when the case knows the value", () => {
    expect(requiredBondFen(0)).toBe(0);
    expect(requiredBondFen(1_999_999)).toBe(1_999_999); // below RMB 20,000: the value
    expect(requiredBondFen(2_000_000)).toBe(2_000_000); // RMB 20,000: half is 10,000, at least 20,000
    expect(requiredBondFen(6_000_001)).toBe(3_000_001); // half, rounded up to the fen
    expect(requiredBondFen(20_000_000)).toBe(10_000_000); // RMB 200,000: half
    expect(requiredBondFen(20_000_001)).toBe(10_000_000); // above: RMB 100,000
    expect(requiredBondFen(999_000_000_00)).toBe(10_000_000);
    expect(() => requiredBondFen(-1)).toThrow(/whole fen/);
    expect(() => requiredBondFen(1.5)).toThrow(/whole fen/);
    const notice = PATHS.notice_sent;
    // S.requests gives RMB 20,000
    expect(checkTransition(notice, S.requests, undefined, { goodsValueFen: 4_000_000 })).toMatchObject({ ok: true });
    expect(checkTransition(notice, S.requests, undefined, { goodsValueFen: 5_000_000 })).toMatchObject({
      ok: false, code: "bond_below_required", params: { required: 2_500_000 },
    });
    expect(checkTransition(notice, { ...S.requests, bondFen: 0, bondKind: "general_bond" }, undefined, { goodsValueFen: 5_000_000 })).toMatchObject({ ok: true });
    expect(checkTransition(notice, S.requests, undefined, { goodsValueFen: null })).toMatchObject({ ok: true });
    // the order of the checks: a step out of place is refused as such, whatever its bond
    expect(checkTransition(PATHS.detained_ex_officio, S.requests, undefined, { goodsValueFen: 5_000_000 })).toMatchObject({ ok: false, code: "not_allowed_after" });
  });

  it("document numbers are required where the step is a document", () => {
    for (const kind of DOCUMENT_REQUIRED) {
      const step = { ...sample(kind, []), documentNo: "  " } as ProcedureStep;
      expect(checkTransition([], step), kind).toMatchObject({ ok: false, code: "document_no_required" });
    }
    expect(checkTransition(PATHS.answer_requests, { ...S.detained, documentNo: null })).toMatchObject({ ok: false, code: "document_no_required" });
  });

  it("malformed steps are refused with the field", () => {
    const bad = (step: unknown, field: string) =>
      expect(checkTransition(notice, step as ProcedureStep)).toMatchObject({ ok: false, code: "invalid_step", params: { field } });
    bad({ ...S.requests, at: new Date("nope") }, "at");
    bad({ ...S.requests, at: "2024-10-08" }, "at");
    bad({ ...S.requests, by: " " }, "by");
    bad({ ...S.requests, kind: "teleported" }, "kind");
    bad({ ...S.requests, answer: "maybe" }, "answer");
    bad({ ...S.requests, documentNo: 42 }, "documentNo");
    bad({ ...S.notice, servedOn: "2024-02-30" }, "servedOn");
    const infr = PATHS.infringing;
    expect(checkTransition(infr, { ...S.penalty, fineFen: -1 })).toMatchObject({ ok: false, code: "invalid_step", params: { field: "fineFen" } });
    expect(checkTransition(infr, { ...S.penalty, fineFen: 1.5 })).toMatchObject({ ok: false, code: "invalid_step" });
    expect(checkTransition(PATHS.investigating, { ...S.infringing, decision: "probably" as never })).toMatchObject({ ok: false, code: "invalid_step", params: { field: "decision" } });
    expect(checkTransition(PATHS.penalised, { ...S.disposal, disposal: "burnt" as never })).toMatchObject({ ok: false, code: "invalid_step", params: { field: "disposal" } });
    expect(checkTransition(PATHS.detained_ex_officio, { ...S.courtOrder, court: "" })).toMatchObject({ ok: false, code: "invalid_step", params: { field: "court" } });
    expect(checkTransition(PATHS.no_answer, { kind: "released", at: t("2024-10-10T01:00:00Z"), by: "officer-1", ground: "because" as never })).toMatchObject({ ok: false, code: "invalid_step", params: { field: "ground" } });
  });

  it("a step dated before the latest one is refused", () => {
    expect(checkTransition(PATHS.answer_requests, { ...S.detained, at: t("2024-10-08T02:59:59Z") })).toMatchObject({ ok: false, code: "before_previous_step" });
    expect(checkTransition(PATHS.answer_requests, { ...S.detained, at: S.requests.at })).toMatchObject({ ok: true });
  });

  it("the wrong ground for the state is refused with the grounds allowed", () => {
    const check = checkTransition(PATHS.no_answer, released("not_infringing", t("2024-10-10T02:00:00Z")));
    expect(check).toMatchObject({ ok: false, code: "release_ground_not_allowed", params: { allowed: "no_answer" } });
  });

  it("a step of the other mode is refused: no notice after an application, no investigation on application", () => {
    expect(checkTransition(PATHS.applied, sample("notice_sent", PATHS.applied))).toMatchObject({ ok: false, code: "not_allowed_after" });
    expect(checkTransition(PATHS.detained_on_application, sample("investigation_started", PATHS.detained_on_application))).toMatchObject({ ok: false, code: "not_allowed_after", params: { state: "detained_on_application" } });
    expect(checkTransition(PATHS.infringing, sample("hearing", PATHS.infringing))).toMatchObject({ ok: true });
    expect(checkTransition(PATHS.hearing, sample("hearing", PATHS.hearing))).toMatchObject({ ok: false, code: "not_allowed_after" });
  });

  it("a period that runs into a year nobody knows is refused with the year, and passes once the year is entered", () => {
    const late = [{ ...S.suspected, at: t("2026-12-30T01:00:00Z") }, { ...S.notice, at: t("2026-12-30T02:00:00Z") }];
    const noAnswer = { ...S.noAnswer, at: t("2027-01-10T02:00:00Z") };
    expect(checkTransition(late, noAnswer)).toMatchObject({ ok: false, code: "holiday_calendar_unknown", params: { year: 2027 } });
    expect(() => openDeadline(late)).toThrow(/2027/);
    expect(viewOf(late, t("2026-12-31T02:00:00Z"))).toMatchObject({ state: "notice_sent", deadline: null, due: null, unknownHolidayYear: 2027 });
    expect(viewOf(late, t("2026-12-31T02:00:00Z"), { "2027-01-01": "holiday" })).toMatchObject({ deadline: { lastDay: "2027-01-05", workingDaysLeft: 3 }, unknownHolidayYear: null });
    const y2027 = { "2027-01-01": "holiday" } as const; // 12-31, 01-04, 01-05
    expect(openDeadline(late, y2027)?.lastDay).toBe("2027-01-05");
    expect(checkTransition(late, noAnswer, y2027)).toMatchObject({ ok: true });
  });
});

describe("status derivation", () => {
  it("maps every step to a case status", () => {
    const expected: Record<ProcedureStepKind, string> = {
      suspected: "detained", application_filed: "detained", notice_sent: "detained", holder_answered: "detained",
      no_answer: "detained", detained: "detained", investigation_started: "under_investigation",
      determination: "infringement_confirmed", court_order: "detained", hearing: "infringement_confirmed",
      penalty: "penalised", referral_to_police: "referred_to_police", released: "released", disposal: "closed",
    };
    for (const kind of procedureSteps.values) {
      const status = statusOfStep(sample(kind, []));
      expect(status, kind).toBe(expected[kind]);
      expect(caseStatuses.is(status)).toBe(true);
    }
    expect(statusOfStep(S.notInfringing)).toBe("under_investigation");
    expect(statusOfStep(S.undetermined)).toBe("under_investigation");
    expect(statusOfStep(S.declines)).toBe("detained");
  });

  it("follows the latest step along a whole case", () => {
    const path = PATHS.disposed;
    expect(statusOf([])).toBeNull();
    expect(path.map((_, i) => statusOf(path.slice(0, i + 1)))).toEqual([
      "detained", "detained", "detained", "detained", "under_investigation", "infringement_confirmed",
      "infringement_confirmed", "penalised", "closed",
    ]);
    expect(statusOf(PATHS.referred)).toBe("referred_to_police");
    expect(statusOf(PATHS.released)).toBe("released");
    expect(checkTransition(PATHS.penalised, S.disposal)).toMatchObject({ ok: true, state: "disposed", status: "closed" });
  });

  it("knows the mode from the first step", () => {
    expect(modeOf([])).toBeNull();
    expect(modeOf(PATHS.disposed)).toBe("ex_officio");
    expect(modeOf(PATHS.detained_on_application)).toBe("on_application");
  });
});

describe("deadlines and what their passing does", () => {
  it("the open step's deadline", () => {
    expect(openDeadline(PATHS.notice_sent)).toMatchObject({
      kind: "answer", party: "right_holder", onExpiry: "release_due", start: "2024-09-29", workingDays: 3, lastDay: "2024-10-09",
      endsAt: t("2024-10-09T16:00:00Z"),
    });
    expect(openDeadline(PATHS.detained_ex_officio)).toMatchObject({ kind: "determination", party: "customs", onExpiry: "overdue", start: "2024-10-10", lastDay: "2024-11-20" });
    expect(openDeadline(PATHS.investigating)).toMatchObject({ kind: "determination", lastDay: "2024-11-20" });
    expect(openDeadline(PATHS.detained_on_application)).toMatchObject({ kind: "court_order", onExpiry: "release_due", start: "2024-09-20", lastDay: "2024-10-23" });
    expect(openDeadline(PATHS.not_determinable)).toMatchObject({ kind: "court_order", workingDays: 50, lastDay: "2024-12-18" });
    for (const s of ["not_started", "suspected", "applied", "answer_requests", "infringing", "court_order", "penalised", "released", "disposed"] as const) {
      expect(openDeadline(PATHS[s]), s).toBeNull();
    }
  });

  it("no answer in 3 working days makes the release due", () => {
    expect(dueAction(PATHS.notice_sent, t("2024-10-09T15:59:59Z"))).toBeNull();
    expect(dueAction(PATHS.notice_sent, t("2024-10-09T16:00:00Z"))).toMatchObject({ kind: "record_no_answer", deadline: { lastDay: "2024-10-09" } });
    expect(dueAction(PATHS.no_answer, t("2024-10-09T16:00:00Z"))).toEqual({ kind: "release", ground: "no_answer" });
    // and doing what is due is accepted
    const due = dueAction(PATHS.no_answer, t("2024-10-10T01:00:00Z"));
    expect(due?.kind === "release" && checkTransition(PATHS.no_answer, released(due.ground, t("2024-10-10T01:00:00Z")))).toMatchObject({ ok: true });
  });

  it("a decline or a finding of no infringement makes the release due at once", () => {
    expect(dueAction(PATHS.answer_declines, t("2024-10-08T04:00:00Z"))).toEqual({ kind: "release", ground: "holder_declined" });
    expect(dueAction(PATHS.not_infringing, t("2024-10-25T04:00:00Z"))).toEqual({ kind: "release", ground: "not_infringing" });
  });

  it("no court order in time makes the release due; a late determination only flags customs", () => {
    expect(dueAction(PATHS.detained_on_application, t("2024-10-23T15:59:59Z"))).toBeNull();
    expect(dueAction(PATHS.detained_on_application, t("2024-10-23T16:00:00Z"))).toMatchObject({ kind: "release", ground: "no_court_order_in_time" });
    expect(dueAction(PATHS.not_determinable, t("2024-12-18T16:00:00Z"))).toMatchObject({ kind: "release", ground: "no_court_order_in_time" });
    expect(dueAction(PATHS.investigating, t("2024-11-20T15:00:00Z"))).toBeNull();
    expect(dueAction(PATHS.investigating, t("2024-11-20T16:00:00Z"))).toMatchObject({ kind: "determination_overdue", deadline: { party: "customs" } });
    expect(dueAction(PATHS.penalised, t("2030-01-01T00:00:00Z"))).toBeNull();
  });

  it("viewOf gives an inbox row: state, status, next steps, deadline with working days left, what is due", () => {
    const view = viewOf(PATHS.notice_sent, t("2024-10-01T04:00:00Z"));
    expect(view).toMatchObject({
      mode: "ex_officio", state: "notice_sent", status: "detained", next: ["holder_answered", "no_answer"],
      deadline: { kind: "answer", lastDay: "2024-10-09", workingDaysLeft: 2, passed: false }, due: null,
    });
    expect(viewOf(PATHS.notice_sent, t("2024-09-29T04:00:00Z")).deadline?.workingDaysLeft).toBe(4);
    expect(viewOf(PATHS.notice_sent, t("2024-10-10T04:00:00Z"))).toMatchObject({ deadline: { workingDaysLeft: 0, passed: true }, due: { kind: "record_no_answer" } });
    expect(viewOf([], t("2024-10-10T04:00:00Z"))).toMatchObject({ state: "not_started", status: null, deadline: null, next: ["suspected", "application_filed"], unknownHolidayYear: null });
  });
});

describe("checkHistory", () => {
  it("accepts a whole case and names the first bad step", () => {
    expect(checkHistory(PATHS.disposed)).toEqual({ ok: true, state: "disposed", status: "closed" });
    const bad = [...PATHS.answer_requests, S.penalty];
    expect(checkHistory(bad)).toMatchObject({ ok: false, code: "not_allowed_after", index: 3 });
  });
});

describe("the procedure's enumerations", () => {
  it("have a label in both languages, the Chinese one in Chinese", () => {
    for (const e of [procedureSteps, holderAnswers, bondKinds, determinations, releaseGrounds, transitionRefusals, procedureDeadlines]) {
      for (const v of e.values) {
        expect(v).toMatch(/^[a-z_]+$/);
        expect(e.label(v as never, "en").trim()).not.toBe("");
        expect(e.label(v as never, "zh")).toMatch(/\p{Script=Han}/u);
      }
    }
  });
});
