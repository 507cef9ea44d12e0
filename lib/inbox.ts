// The right holder's inbox of detention notices (issue 16, cut 3; docs/procedure.md "Answers in
// the app"), as pure rules over a case's procedure (lib/procedure.ts): where a notice stands at
// `now` (open with working days left, overdue, answered, closed without answer), why an answer
// was refused (in words the member may read: never who else answered), and what "release due"
// means for the officers: the steps customs records in one action when the period has passed.
// No database, no clock.

import type { TransitionRefusal } from "./enums";
import {
  PERIODS, dueAction, stateOf,
  type DueAction, type HolderAnsweredStep, type NoAnswerStep, type NoticeSentStep, type ProcedureStep,
  type ProcedureView,
} from "./procedure";
import { UnknownHolidayYearError, beijingDateOf, deadlineOf, isPast, workingDaysLeft, type WorkingDayOverrides } from "./working-days";

/** Where a notice stands: answerable now, past its deadline unanswered, answered, or closed without an answer. */
export type NoticeState = "open" | "overdue" | "answered" | "unanswered";

export interface NoticeView {
  state: NoticeState;
  notice: NoticeSentStep;
  /** the answer period (Reg. Art. 16): null when it runs into a year whose holidays nobody knows */
  deadline: { lastDay: string; endsAt: Date; workingDaysLeft: number; passed: boolean } | null;
  unknownHolidayYear: number | null;
  /** the right holder's answer, or customs' record that none came */
  answer: HolderAnsweredStep | NoAnswerStep | null;
}

/**
 * The latest detention notice of a history and where it stands at `now`; null when the
 * procedure has no notice. Never throws for an unknown holiday year (one row must not break the
 * inbox): the deadline is then null and `unknownHolidayYear` says which year.
 */
export function noticeOf(history: readonly ProcedureStep[], now: Date, overrides?: WorkingDayOverrides): NoticeView | null {
  let index = -1;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i]!.kind === "notice_sent") {
      index = i;
      break;
    }
  }
  if (index < 0) return null;
  const notice = history[index] as NoticeSentStep;
  const answer = (history.slice(index + 1).find((s) => s.kind === "holder_answered" || s.kind === "no_answer") ?? null) as
    HolderAnsweredStep | NoAnswerStep | null;
  let deadline: NoticeView["deadline"] = null;
  let unknownHolidayYear: number | null = null;
  try {
    const d = deadlineOf(notice.servedOn ?? beijingDateOf(notice.at), PERIODS.answer, overrides);
    deadline = { lastDay: d.lastDay, endsAt: d.endsAt, workingDaysLeft: workingDaysLeft(now, d, overrides), passed: isPast(now, d) };
  } catch (e) {
    if (!(e instanceof UnknownHolidayYearError)) throw e;
    unknownHolidayYear = e.year;
  }
  const open = stateOf(history) === "notice_sent";
  const state: NoticeState = open
    ? deadline?.passed ? "overdue" : "open"
    : answer?.kind === "holder_answered" ? "answered" : "unanswered";
  return { state, notice, deadline, unknownHolidayYear, answer };
}

/** Why an answer was refused, in the member's words (messages `inbox.refusal.*`). */
export const ANSWER_REFUSALS = [
  "bond_below_required", "bond_required", "already_answered", "answered_by_other", "deadline_passed", "notice_closed",
  "changed", "holiday_calendar_unknown", "invalid",
] as const;
export type AnswerRefusal = (typeof ANSWER_REFUSALS)[number];

/**
 * The refusal to tell a member whose answer was not written, from the case's history as it
 * stands after the refusal and the cause: the state machine's code, or "version" (the case
 * changed since the member saw it — another answer won the race, or an officer wrote). Who else
 * answered is never named: "answered_by_other" says only that someone did.
 */
export function answerRefusal(
  history: readonly ProcedureStep[], userId: string, cause: TransitionRefusal | "version", now: Date, overrides?: WorkingDayOverrides,
): AnswerRefusal {
  if (cause === "bond_below_required" || cause === "bond_required" || cause === "holiday_calendar_unknown") return cause;
  const view = noticeOf(history, now, overrides);
  if (!view) return "notice_closed";
  if (view.state === "answered") return view.answer!.by === userId ? "already_answered" : "answered_by_other";
  if (view.state === "unanswered") return "notice_closed";
  if (view.state === "overdue" || cause === "answer_deadline_passed") return "deadline_passed";
  return cause === "version" ? "changed" : "invalid";
}

// ---- the officers' side ------------------------------------------------------------------------

/** Whether the goods are due for release now (Reg. Arts. 16, 24): what customs must record. */
export function isReleaseDue(due: DueAction | null): boolean {
  return due?.kind === "record_no_answer" || due?.kind === "release";
}

/** The officers' list's chips: every row, the releases due, the cases waiting on the right holder's act. */
export const PROCEDURE_CHIPS = ["all", "release_due", "waiting"] as const;
export type ProcedureChip = (typeof PROCEDURE_CHIPS)[number];

export function chipOf(value: unknown): ProcedureChip {
  return (PROCEDURE_CHIPS as readonly unknown[]).includes(value) ? (value as ProcedureChip) : "all";
}

/** Whether an officers' list row (its view at now) belongs under a chip. */
export function inChip(chip: ProcedureChip, view: Pick<ProcedureView, "due" | "deadline">): boolean {
  if (chip === "release_due") return isReleaseDue(view.due);
  if (chip === "waiting") return view.deadline !== null && view.deadline.party === "right_holder" && !view.deadline.passed && !isReleaseDue(view.due);
  return true;
}

/**
 * The steps customs records in one action when the goods are due for release at `now`:
 * "no answer" and the release after a passed answer period (Reg. Art. 16), or the release on the
 * ground due (the holder declined, no court order in time, found not infringing). Null when no
 * release is due. Both steps take `now`: the state machine checks them as usual.
 */
export function releaseDueSteps(history: readonly ProcedureStep[], now: Date, by: string, overrides?: WorkingDayOverrides): ProcedureStep[] | null {
  let due: DueAction | null;
  try {
    due = dueAction(history, now, overrides);
  } catch (e) {
    if (e instanceof UnknownHolidayYearError) return null;
    throw e;
  }
  if (due?.kind === "record_no_answer") {
    return [
      { kind: "no_answer", at: now, by },
      { kind: "released", at: now, by, ground: "no_answer" },
    ];
  }
  if (due?.kind === "release") return [{ kind: "released", at: now, by, ground: due.ground }];
  return null;
}
