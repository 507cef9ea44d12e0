// The detention procedure of customs IP protection as a state machine (issue 16, item 2).
// docs/procedure.md gives the article of the Regulations on Customs Protection of IPR ("Reg.")
// and of GACC's Implementing Measures (Order 183 as amended by Order 240, "Measures") behind
// each step, period and choice made here.
//
// A case's procedure is its history: the steps in the order they were recorded. The latest step
// (with the protection mode the first step sets) is the state; the state says which steps may
// come next, which deadline is open, what a passed deadline makes due, and the case's status.
// Pure code: no database, no clock; deadlines in Chinese working days (lib/working-days.ts).

import {
  bondKinds, determinations, disposals, holderAnswers, procedureSteps, releaseGrounds, transitionRefusals,
  type BondKind, type CaseStatus, type Determination, type Disposal, type HolderAnswer, type ProcedureDeadlineKind,
  type ProcedureStepKind, type ProtectionMode, type ReleaseGround, type TransitionRefusal,
} from "./enums";
import {
  UnknownHolidayYearError, beijingDateOf, deadlineOf, isIsoDate, isPast, workingDaysLeft,
  type Deadline, type IsoDate, type WorkingDayOverrides,
} from "./working-days";

/** The periods, in working days, and where they come from. */
export const PERIODS = {
  /** Reg. Art. 16, Measures Art. 22: the right holder answers a notice within 3 working days of service. */
  answer: 3,
  /** Reg. Art. 20: customs investigates and determines within 30 working days of detention (ex officio). */
  determination: 30,
  /** Reg. Art. 24(1): on application, release if no court order within 20 working days of detention. */
  courtOrderOnApplication: 20,
  /** Reg. Art. 24(2): ex officio, release if no court order within 50 working days of detention and no determination. */
  courtOrderExOfficio: 50,
} as const;

/**
 * The bond a right holder gives with a request for detention after an ex officio notice
 * (Measures Art. 23), in fen, from the goods' value in fen (the value customs sets, Measures Art. 39):
 * below RMB 20,000 the value itself; RMB 20,000–200,000 half the value, at least RMB 20,000;
 * above RMB 200,000, RMB 100,000. A general bond lodged with GACC (Art. 24) replaces it.
 */
export function requiredBondFen(goodsValueFen: number): number {
  if (!Number.isSafeInteger(goodsValueFen) || goodsValueFen < 0) {
    throw new RangeError(`The goods' value must be whole fen, 0 or more, not ${goodsValueFen}`);
  }
  if (goodsValueFen < 2_000_000) return goodsValueFen;
  if (goodsValueFen <= 20_000_000) return Math.max(Math.ceil(goodsValueFen / 2), 2_000_000);
  return 10_000_000;
}

// ---------------------------------------------------------------------------------------------
// Steps: what each records

interface StepBase {
  /** When the step took effect (an instant; its Beijing date starts the periods that run from it). */
  at: Date;
  /** Who recorded it: the user id of the officer, or of the right holder's member who answered. */
  by: string;
  /** The number of the step's document (notice, detention receipt, decision …). */
  documentNo?: string | null;
  note?: string | null;
}

export type SuspectedStep = StepBase & { kind: "suspected" };
/** Reg. Arts. 12–14: the right holder applies before customs finds anything, with a bond ≤ the goods' value. */
export type ApplicationFiledStep = StepBase & { kind: "application_filed"; bondFen: number; bondKind: BondKind };
/** Reg. Art. 16, Measures Art. 21: written notice to the right holder; `servedOn` (Beijing date) starts the 3 days. */
export type NoticeSentStep = StepBase & { kind: "notice_sent"; servedOn?: IsoDate | null };
/** Measures Art. 22: request detention with a bond (Arts. 23/24), or decline in writing. */
export type HolderAnsweredStep = StepBase & {
  kind: "holder_answered"; answer: HolderAnswer; bondFen?: number | null; bondKind?: BondKind | null;
};
/** Reg. Art. 16: no application or no bond within the period — customs may not detain. */
export type NoAnswerStep = StepBase & { kind: "no_answer" };
/** Reg. Arts. 15/16: detention; the detention receipt (扣留凭单) is served on the consignee/consignor. */
export type DetainedStep = StepBase & { kind: "detained" };
export type InvestigationStartedStep = StepBase & { kind: "investigation_started" };
/** Reg. Art. 20. */
export type DeterminationStep = StepBase & { kind: "determination"; decision: Determination };
/** Reg. Art. 23: the court's notice for assistance in execution (order to stop / property preservation). */
export type CourtOrderStep = StepBase & { kind: "court_order"; court: string };
/** Administrative Penalty Law: a hearing before a heavy penalty, at the party's request. */
export type HearingStep = StepBase & { kind: "hearing" };
/** Reg. Art. 27, Customs Administrative Penalty Regs Art. 25: confiscation and a fine (≤ 30% of the value; 0 = none). */
export type PenaltyStep = StepBase & { kind: "penalty"; fineFen: number };
/** Reg. Art. 30 (crime), Customs Administrative Penalty Regs Art. 4. */
export type ReferralStep = StepBase & { kind: "referral_to_police" };
export type ReleasedStep = StepBase & { kind: "released"; ground: ReleaseGround };
/** Reg. Art. 27: public welfare, sale to the right holder, auction without infringing features, destruction. */
export type DisposalStep = StepBase & { kind: "disposal"; disposal: Disposal };

export type ProcedureStep =
  | SuspectedStep | ApplicationFiledStep | NoticeSentStep | HolderAnsweredStep | NoAnswerStep | DetainedStep
  | InvestigationStartedStep | DeterminationStep | CourtOrderStep | HearingStep | PenaltyStep | ReferralStep
  | ReleasedStep | DisposalStep;

/** Steps whose document number must be given (the others may have one). */
export const DOCUMENT_REQUIRED: ReadonlySet<ProcedureStepKind> = new Set<ProcedureStepKind>([
  "notice_sent", "detained", "determination", "court_order", "hearing", "penalty", "referral_to_police",
]);

// ---------------------------------------------------------------------------------------------
// States and the transition table

export const procedureStates = [
  "not_started", "suspected", "applied", "notice_sent", "answer_requests", "answer_declines", "no_answer",
  "detained_ex_officio", "detained_on_application", "investigating", "infringing", "not_infringing",
  "not_determinable", "court_order", "hearing", "penalised", "referred", "released", "disposed",
] as const;
export type ProcedureState = (typeof procedureStates)[number];

/** Which step kinds may follow each state. An empty list: the procedure has ended. */
export const TRANSITIONS: Readonly<Record<ProcedureState, readonly ProcedureStepKind[]>> = {
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

/** The grounds a release may give in each state (Reg. Arts. 16, 24). */
export const RELEASE_GROUNDS: Readonly<Partial<Record<ProcedureState, readonly ReleaseGround[]>>> = {
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

/** The case status (lib/enums.ts caseStatuses) each step leaves the case in. */
export function statusOfStep(step: ProcedureStep): CaseStatus {
  switch (step.kind) {
    case "suspected": case "application_filed": case "notice_sent": case "holder_answered": case "no_answer":
    case "detained": case "court_order":
      return "detained";
    case "investigation_started":
      return "under_investigation";
    case "determination":
      return step.decision === "infringing" ? "infringement_confirmed" : "under_investigation";
    case "hearing":
      return "infringement_confirmed";
    case "penalty":
      return "penalised";
    case "referral_to_police":
      return "referred_to_police";
    case "released":
      return "released";
    case "disposal":
      return "closed";
  }
}

/** The case's status from its latest step; null for a case without steps (it keeps its own status). */
export function statusOf(history: readonly ProcedureStep[]): CaseStatus | null {
  const last = history.at(-1);
  return last ? statusOfStep(last) : null;
}

/** Ex officio when the procedure began with a suspension, on application when with the right holder's application. */
export function modeOf(history: readonly ProcedureStep[]): ProtectionMode | null {
  const first = history[0];
  if (!first) return null;
  return first.kind === "application_filed" ? "on_application" : "ex_officio";
}

function stateAfter(step: ProcedureStep, mode: ProtectionMode): ProcedureState {
  switch (step.kind) {
    case "suspected": return "suspected";
    case "application_filed": return "applied";
    case "notice_sent": return "notice_sent";
    case "holder_answered": return step.answer === "requests_detention" ? "answer_requests" : "answer_declines";
    case "no_answer": return "no_answer";
    case "detained": return mode === "on_application" ? "detained_on_application" : "detained_ex_officio";
    case "investigation_started": return "investigating";
    case "determination":
      return step.decision === "infringing" ? "infringing" : step.decision === "not_infringing" ? "not_infringing" : "not_determinable";
    case "court_order": return "court_order";
    case "hearing": return "hearing";
    case "penalty": return "penalised";
    case "referral_to_police": return "referred";
    case "released": return "released";
    case "disposal": return "disposed";
  }
}

/** The state the history leaves the procedure in. */
export function stateOf(history: readonly ProcedureStep[]): ProcedureState {
  const last = history.at(-1);
  const mode = modeOf(history);
  return last && mode ? stateAfter(last, mode) : "not_started";
}

/** The step kinds that may be recorded next (deadlines and field checks aside: see checkTransition). */
export function nextSteps(history: readonly ProcedureStep[]): readonly ProcedureStepKind[] {
  return TRANSITIONS[stateOf(history)];
}

/** The release grounds a release recorded now may give. */
export function releaseGroundsFor(history: readonly ProcedureStep[]): readonly ReleaseGround[] {
  return RELEASE_GROUNDS[stateOf(history)] ?? [];
}

// ---------------------------------------------------------------------------------------------
// Deadlines

export type DeadlineParty = "right_holder" | "customs";
export interface OpenDeadline extends Deadline {
  kind: ProcedureDeadlineKind;
  /** Who must act before it ends: the right holder (answer, court order) or customs (determination). */
  party: DeadlineParty;
  /** What its passing does: the goods become due for release, or customs is overdue (flagged). */
  onExpiry: "release_due" | "overdue";
  /** Where the period comes from. */
  basis: string;
}

function lastOf<K extends ProcedureStepKind>(history: readonly ProcedureStep[], kind: K) {
  for (let i = history.length - 1; i >= 0; i--) {
    const step = history[i];
    if (step?.kind === kind) return step as Extract<ProcedureStep, { kind: K }>;
  }
  return undefined;
}

function answerDeadline(notice: NoticeSentStep, overrides?: WorkingDayOverrides): OpenDeadline {
  const servedOn = notice.servedOn ?? beijingDateOf(notice.at);
  return {
    ...deadlineOf(servedOn, PERIODS.answer, overrides),
    kind: "answer", party: "right_holder", onExpiry: "release_due", basis: "Reg. Art. 16; Measures Arts. 22, 41",
  };
}

/**
 * The deadline the procedure's open step runs against, or null when none runs. Throws
 * UnknownHolidayYearError when the period reaches a year whose arrangement nobody knows.
 */
export function openDeadline(history: readonly ProcedureStep[], overrides?: WorkingDayOverrides): OpenDeadline | null {
  const state = stateOf(history);
  if (state === "notice_sent") return answerDeadline(lastOf(history, "notice_sent")!, overrides);
  const detained = lastOf(history, "detained");
  if (!detained) return null;
  const from = beijingDateOf(detained.at);
  switch (state) {
    case "detained_ex_officio":
    case "investigating":
      return {
        ...deadlineOf(from, PERIODS.determination, overrides),
        kind: "determination", party: "customs", onExpiry: "overdue", basis: "Reg. Art. 20",
      };
    case "detained_on_application":
      return {
        ...deadlineOf(from, PERIODS.courtOrderOnApplication, overrides),
        kind: "court_order", party: "right_holder", onExpiry: "release_due", basis: "Reg. Art. 24(1)",
      };
    case "not_determinable":
      return {
        ...deadlineOf(from, PERIODS.courtOrderExOfficio, overrides),
        kind: "court_order", party: "right_holder", onExpiry: "release_due", basis: "Reg. Art. 24(2)",
      };
    default:
      return null;
  }
}

/** What the procedure needs done at `now`, as the rules say. */
export type DueAction =
  /** The answer period passed without an answer: record `no_answer`, then release (Reg. Art. 16). */
  | { kind: "record_no_answer"; deadline: OpenDeadline }
  /** The goods must be released, on this ground. */
  | { kind: "release"; ground: ReleaseGround; deadline?: OpenDeadline }
  /** Customs has passed the 30 working days to determine (Reg. Art. 20): flag the case, nothing is automatic. */
  | { kind: "determination_overdue"; deadline: OpenDeadline };

export function dueAction(
  history: readonly ProcedureStep[], now: Date, overrides?: WorkingDayOverrides,
): DueAction | null {
  const state = stateOf(history);
  switch (state) {
    case "no_answer": return { kind: "release", ground: "no_answer" };
    case "answer_declines": return { kind: "release", ground: "holder_declined" };
    case "not_infringing": return { kind: "release", ground: "not_infringing" };
    default: break;
  }
  const deadline = openDeadline(history, overrides);
  if (!deadline || !isPast(now, deadline)) return null;
  if (deadline.kind === "answer") return { kind: "record_no_answer", deadline };
  if (deadline.kind === "court_order") return { kind: "release", ground: "no_court_order_in_time", deadline };
  return { kind: "determination_overdue", deadline };
}

export interface ProcedureView {
  mode: ProtectionMode | null;
  state: ProcedureState;
  status: CaseStatus | null;
  next: readonly ProcedureStepKind[];
  releaseGrounds: readonly ReleaseGround[];
  deadline: (OpenDeadline & { workingDaysLeft: number; passed: boolean }) | null;
  due: DueAction | null;
  /** Set when the open deadline runs into a year whose holiday arrangement nobody knows: the
   *  deadline (and what is due) cannot be computed until that year is entered in the calendar table. */
  unknownHolidayYear: number | null;
}

/**
 * Everything a page or an inbox row shows about a case's procedure at `now`. Never throws for an
 * unknown holiday year (one row must not break a list): `unknownHolidayYear` says so instead.
 */
export function viewOf(history: readonly ProcedureStep[], now: Date, overrides?: WorkingDayOverrides): ProcedureView {
  const view = {
    mode: modeOf(history),
    state: stateOf(history),
    status: statusOf(history),
    next: nextSteps(history),
    releaseGrounds: releaseGroundsFor(history),
  };
  try {
    const deadline = openDeadline(history, overrides);
    return {
      ...view,
      deadline: deadline
        ? { ...deadline, workingDaysLeft: workingDaysLeft(now, deadline, overrides), passed: isPast(now, deadline) }
        : null,
      due: dueAction(history, now, overrides),
      unknownHolidayYear: null,
    };
  } catch (e) {
    if (!(e instanceof UnknownHolidayYearError)) throw e;
    return { ...view, deadline: null, due: null, unknownHolidayYear: e.year };
  }
}

// ---------------------------------------------------------------------------------------------
// Checking a step

export type TransitionCheck =
  | { ok: true; state: ProcedureState; status: CaseStatus }
  | { ok: false; code: TransitionRefusal; message: string; params: Record<string, string | number> };

function refuse(code: TransitionRefusal, detail: string, params: Record<string, string | number> = {}): TransitionCheck {
  return { ok: false, code, message: `${transitionRefusals.label(code, "en")}: ${detail}`, params };
}

const isFen = (v: unknown, min: number) => typeof v === "number" && Number.isSafeInteger(v) && v >= min;
const filled = (v: unknown) => typeof v === "string" && v.trim() !== "";

/** The fields of a step alone, whatever comes before it; null when well formed. */
function malformed(step: ProcedureStep): TransitionCheck | null {
  const s = step as unknown as Record<string, unknown>;
  if (typeof step !== "object" || step === null) return refuse("invalid_step", "not a step");
  if (!procedureSteps.is(s.kind)) return refuse("invalid_step", `unknown kind ${JSON.stringify(s.kind)}`, { field: "kind" });
  if (!(s.at instanceof Date) || !Number.isFinite(s.at.getTime())) return refuse("invalid_step", "`at` must be a valid instant", { field: "at" });
  if (!filled(s.by)) return refuse("invalid_step", "`by` (who recorded the step) is required", { field: "by" });
  for (const field of ["documentNo", "note"] as const) {
    if (s[field] != null && typeof s[field] !== "string") return refuse("invalid_step", `\`${field}\` must be text`, { field });
  }
  if (DOCUMENT_REQUIRED.has(step.kind) && !filled(step.documentNo)) {
    return refuse("document_no_required", `a ${step.kind} step needs its document number`, { field: "documentNo" });
  }
  switch (step.kind) {
    case "application_filed":
      if (!bondKinds.is(step.bondKind)) return refuse("bond_required", "the application needs a bond kind", { field: "bondKind" });
      if (!isFen(step.bondFen, step.bondKind === "general_bond" ? 0 : 1)) {
        return refuse("bond_required", "the application needs a bond in whole fen (Reg. Art. 14)", { field: "bondFen" });
      }
      break;
    case "notice_sent":
      if (step.servedOn != null && !isIsoDate(step.servedOn)) {
        return refuse("invalid_step", "`servedOn` must be a date YYYY-MM-DD", { field: "servedOn" });
      }
      break;
    case "holder_answered":
      if (!holderAnswers.is(step.answer)) return refuse("invalid_step", "`answer` must be requests_detention or declines", { field: "answer" });
      if (step.answer === "requests_detention") {
        if (!bondKinds.is(step.bondKind)) return refuse("bond_required", "a request for detention needs a bond kind", { field: "bondKind" });
        // a general bond already lodged with GACC covers the request (Measures Art. 24)
        if (!isFen(step.bondFen, step.bondKind === "general_bond" ? 0 : 1)) {
          return refuse("bond_required", "a request for detention needs a bond in whole fen (Measures Art. 23)", { field: "bondFen" });
        }
      } else if ((step.bondFen != null && step.bondFen !== 0) || step.bondKind != null) {
        return refuse("bond_not_allowed", "a right holder who declines gives no bond", { field: "bondFen" });
      }
      break;
    case "determination":
      if (!determinations.is(step.decision)) return refuse("invalid_step", "`decision` is not a determination", { field: "decision" });
      break;
    case "court_order":
      if (!filled(step.court)) return refuse("invalid_step", "the court is required", { field: "court" });
      break;
    case "penalty":
      if (!isFen(step.fineFen, 0)) return refuse("invalid_step", "the fine must be whole fen, 0 or more", { field: "fineFen" });
      break;
    case "released":
      if (!releaseGrounds.is(step.ground)) return refuse("invalid_step", "`ground` is not a release ground", { field: "ground" });
      break;
    case "disposal":
      if (!disposals.is(step.disposal)) return refuse("invalid_step", "`disposal` is not a disposal", { field: "disposal" });
      break;
    default:
      break;
  }
  return null;
}

function iso(instant: Date) {
  return instant.toISOString();
}

export interface TransitionContext {
  /** The goods' value in fen, when the case has one: a request's bond is checked against Measures Art. 23. */
  goodsValueFen?: number | null;
}

/**
 * Whether `step` may be recorded after `history` (which checkTransition accepted step by step).
 * On refusal: a code from transitionRefusals (labels in both languages), an English message with
 * the detail, and params for a translated message.
 */
export function checkTransition(
  history: readonly ProcedureStep[], step: ProcedureStep, overrides?: WorkingDayOverrides, context?: TransitionContext,
): TransitionCheck {
  const bad = malformed(step);
  if (bad) return bad;
  const state = stateOf(history);
  const allowed = TRANSITIONS[state];
  if (!allowed.includes(step.kind)) {
    if (state === "not_started") {
      return refuse("must_start_procedure", `a procedure cannot start with ${step.kind}`, { kind: step.kind });
    }
    if (allowed.length === 0) {
      return refuse("procedure_ended", `${step.kind} cannot follow ${history.at(-1)!.kind}, which ends the procedure`, { kind: step.kind, after: history.at(-1)!.kind });
    }
    return refuse("not_allowed_after", `${step.kind} cannot follow ${history.at(-1)!.kind} (${state}); allowed: ${allowed.join(", ")}`, {
      kind: step.kind, after: history.at(-1)!.kind, state, allowed: allowed.join(","),
    });
  }
  const last = history.at(-1);
  if (last && step.at.getTime() < last.at.getTime()) {
    return refuse("before_previous_step", `${iso(step.at)} is before the ${last.kind} of ${iso(last.at)}`, { at: iso(step.at), previous: iso(last.at) });
  }
  if (step.kind === "released") {
    const grounds = RELEASE_GROUNDS[state] ?? [];
    if (!grounds.includes(step.ground)) {
      return refuse("release_ground_not_allowed", `${step.ground} does not fit ${state}; allowed: ${grounds.join(", ")}`, {
        ground: step.ground, state, allowed: grounds.join(","),
      });
    }
  }
  if (
    step.kind === "holder_answered" && step.answer === "requests_detention" && step.bondKind !== "general_bond" &&
    context?.goodsValueFen != null
  ) {
    const required = requiredBondFen(context.goodsValueFen);
    if ((step.bondFen ?? 0) < required) {
      return refuse("bond_below_required", `goods worth ${context.goodsValueFen} fen need a bond of ${required} fen (Measures Art. 23)`, {
        field: "bondFen", required, goodsValueFen: context.goodsValueFen,
      });
    }
  }
  try {
    const deadline = openDeadline(history, overrides);
    if (deadline) {
      const passed = isPast(step.at, deadline);
      const params = { deadline: iso(deadline.endsAt), lastDay: deadline.lastDay, at: iso(step.at) };
      if (step.kind === "holder_answered" && passed) {
        return refuse("answer_deadline_passed", `the period ended at 24:00 Beijing time on ${deadline.lastDay}`, params);
      }
      if (step.kind === "no_answer" && !passed) {
        return refuse("deadline_not_passed", `the right holder may answer until 24:00 Beijing time on ${deadline.lastDay}`, params);
      }
      if (step.kind === "released" && step.ground === "no_court_order_in_time" && !passed) {
        return refuse("deadline_not_passed", `the court order may come until 24:00 Beijing time on ${deadline.lastDay}`, params);
      }
    }
  } catch (e) {
    if (e instanceof UnknownHolidayYearError) {
      return refuse("holiday_calendar_unknown", e.message, { year: e.year });
    }
    throw e;
  }
  return { ok: true, state: stateAfter(step, modeOf(history) ?? (step.kind === "application_filed" ? "on_application" : "ex_officio")), status: statusOfStep(step) };
}

/** Checks a whole history step by step; the first refusal with its index, or ok with the final state. */
export function checkHistory(
  history: readonly ProcedureStep[], overrides?: WorkingDayOverrides, context?: TransitionContext,
): { ok: true; state: ProcedureState; status: CaseStatus | null } | (Extract<TransitionCheck, { ok: false }> & { index: number }) {
  for (const [i, step] of history.entries()) {
    const check = checkTransition(history.slice(0, i), step, overrides, context);
    if (!check.ok) return { ...check, index: i };
  }
  return { ok: true, state: stateOf(history), status: statusOf(history) };
}
