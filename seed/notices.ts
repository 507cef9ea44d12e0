import { demoMemberHolder } from "../db/auth";
import type { Engine } from "../db/engine";
import { detainedExOfficioCases } from "../db/inbox";
import type { ProcedureStep } from "../lib/procedure";
import { SEED_STEP_USER, type CaseForSteps } from "./steps";

// The demo member's detention notices (issue 16, cut 3): so that the inbox has something to
// answer, the seed serves notices relative to its own clock on up to four cases of the demo
// member's company that stand detained ex officio and get steps (seed/steps.ts): their history
// becomes the release suspended (the generated first step) and a notice, three served in the last
// hours (open) and one served 20 days earlier (its 3 working days have passed whatever the
// holidays: overdue, release due). Such a history leaves the case "detained", as it was
// generated: no case row changes, and every published figure stays as it was.

/** How far back each notice was served, in hours before the seed's clock (at most four notices). */
export const DEMO_NOTICES_HOURS_AGO = [1, 2, 3, 20 * 24] as const;

/** The cases that get the demo notices: the demo member's company's detained ex-officio cases with steps, the latest seized first. */
export async function demoNoticeCases(tx: Engine, stepped: readonly CaseForSteps[]): Promise<number[]> {
  const holderId = await demoMemberHolder(tx);
  if (holderId === null) return [];
  const withSteps = new Set(stepped.map((c) => c.id));
  return (await detainedExOfficioCases(tx, holderId, 500)).filter((id) => withSteps.has(id)).slice(0, DEMO_NOTICES_HOURS_AGO.length);
}

/**
 * The seed's step rows with the demo notices in: each chosen case keeps its first generated step
 * (the suspension) and gets the notice after it, its other generated steps left out.
 */
export function* withDemoNotices(
  rows: Iterable<{ caseId: number; step: ProcedureStep }>, caseIds: readonly number[], now: Date,
): Generator<{ caseId: number; step: ProcedureStep }> {
  const notices = new Map(caseIds.map((id, i) => {
    const at = new Date(now.getTime() - DEMO_NOTICES_HOURS_AGO[i]! * 3600_000);
    const step: ProcedureStep = { kind: "notice_sent", at, by: SEED_STEP_USER, documentNo: `TZ${at.getUTCFullYear()}-D${String(i + 1).padStart(4, "0")}` };
    return [id, step] as const;
  }));
  const started = new Set<number>();
  for (const row of rows) {
    const notice = notices.get(row.caseId);
    if (!notice) {
      yield row;
      continue;
    }
    if (started.has(row.caseId)) continue;
    started.add(row.caseId);
    yield row;
    // a suspension recorded before the notice (a seed run with an old clock keeps the generated history's first step only)
    if (row.step.kind === "suspected" && row.step.at.getTime() < notice.at.getTime()) yield { caseId: row.caseId, step: notice };
  }
}
