import "server-only";
import { getEngine } from "../client";
import {
  openProcedures, readHistory, readOverrideRows, readOverrides, removeOverride as removeOverrideRow, setOverride as setOverrideRow,
  type OverrideRow, type StoredStep,
} from "../procedure";
import { writeCases } from "../writer";
import { isReleaseDue } from "../../lib/inbox";
import { viewOf, type OpenDeadline, type ProcedureStep, type ProcedureView } from "../../lib/procedure";
import type { DayOverride, IsoDate } from "../../lib/working-days";

// The detention procedure for pages and actions (issue 16, item 2): a case's steps and what is
// open and due (lib/procedure.ts viewOf at the server's `now`); recording a step through THE
// writer (db/writer.ts op "step"); the officers' list of open deadlines; the calendar table.
// Reads of one case's steps come after the page read the case in the reader's scope.

export type { OverrideRow, StoredStep };
export { StatusFollowsStepsError, TransitionRefusedError } from "../case-errors";

/** A case's steps, the calendar table and the view of its procedure now. */
export async function getProcedure(caseId: number, now = new Date()): Promise<{ steps: StoredStep[]; view: ProcedureView }> {
  const e = getEngine();
  const [steps, overrides] = await Promise.all([readHistory(e, caseId), readOverrides(e)]);
  return { steps, view: viewOf(steps, now, overrides) };
}

/** Records a step of a case against the version the officer saw; returns the case's new version. */
export async function recordStep(caseId: number, expectedVersion: number, step: ProcedureStep, userId: string): Promise<{ version: number; stepId: number }> {
  const [done] = (await writeCases(getEngine(), [{ op: "step", id: caseId, expectedVersion, step }], { userId })).cases;
  return { version: done!.version, stepId: done!.stepId! };
}

export type OpenDeadlineRow = {
  caseId: number; caseNo: string; version: number;
  latest: StoredStep;
  view: ProcedureView;
  deadline: (OpenDeadline & { workingDaysLeft: number; passed: boolean }) | null;
  /** the deadline has passed or something is due now */
  overdue: boolean;
  /** the goods are due for release now (Reg. Arts. 16, 24): customs records it (lib/inbox.ts releaseDueSteps) */
  releaseDue: boolean;
};

/**
 * The officers' list: every live case with an open deadline or something due: a passed answer
 * period first (Reg. Art. 16), then the other releases due, then the other overdue ones (the
 * longest overdue first within each); then the cases whose deadline runs into a year the calendar does
 * not know (nothing can be computed until it is entered); then by the deadline's end.
 */
export async function listOpenDeadlines(now = new Date()): Promise<OpenDeadlineRow[]> {
  const e = getEngine();
  const [open, overrides] = await Promise.all([openProcedures(e), readOverrides(e)]);
  const rows: OpenDeadlineRow[] = [];
  for (const p of open) {
    const view = viewOf(p.steps, now, overrides);
    if (!view.deadline && !view.due && view.unknownHolidayYear === null) continue;
    rows.push({
      caseId: p.caseId, caseNo: p.caseNo, version: p.version, latest: p.steps.at(-1)!, view, deadline: view.deadline,
      overdue: view.due !== null || (view.deadline?.passed ?? false),
      releaseDue: isReleaseDue(view.due),
    });
  }
  const end = (r: OpenDeadlineRow) => r.deadline?.endsAt.getTime() ?? r.latest.at.getTime();
  // a passed answer period first (Reg. Art. 16: customs may not detain, the goods wait for their release), then the other releases due, then the rest overdue
  const rank = (r: OpenDeadlineRow) => (r.view.due?.kind === "record_no_answer" ? 0 : r.releaseDue ? 1 : r.overdue ? 2 : 3);
  rows.sort((a, b) =>
    rank(a) - rank(b) ||
    Number(b.view.unknownHolidayYear !== null) - Number(a.view.unknownHolidayYear !== null) ||
    end(a) - end(b) || a.caseNo.localeCompare(b.caseNo));
  return rows;
}

export async function listOverrides(): Promise<OverrideRow[]> {
  return readOverrideRows(getEngine());
}

export async function setOverride(date: IsoDate, kind: DayOverride, note: string | null, userId: string): Promise<void> {
  await setOverrideRow(getEngine(), date, kind, note, userId);
}

export async function removeOverride(date: IsoDate): Promise<boolean> {
  return removeOverrideRow(getEngine(), date);
}
