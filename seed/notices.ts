import { sql } from "drizzle-orm";
import { demoMemberHolder } from "../db/auth";
import type { Engine } from "../db/engine";
import type { ProcedureStep } from "../lib/procedure";
import { SEED_STEP_USER } from "./steps";

// The demo member's detention notices (issue 16, cut 3): so that the inbox has something to
// answer, the seed serves notices, relative to its own clock, on up to four cases of the demo
// member's company whose procedure stands at "suspected" (release suspended, status detained):
// three served in the last hours (open) and one served 20 days earlier (its 3 working days have
// passed whatever the holidays: overdue, release due). A notice leaves the case's status at
// "detained", so no case row changes and every published figure stays as it was.

/** How many notices, and how far back each was served (hours before the seed's clock). */
export const DEMO_NOTICES_HOURS_AGO = [1, 2, 3, 20 * 24] as const;

export async function demoNotices(tx: Engine, now: Date): Promise<{ caseId: number; step: ProcedureStep }[]> {
  const holderId = await demoMemberHolder(tx);
  if (holderId === null) return [];
  const rows = await tx.all<{ caseId: number; at: number; caseNo: string }>(sql`
    select c.id as "caseId", s.at as "at", c.case_no as "caseNo" from cases c join case_steps s on s.case_id = c.id
    where c.deleted_at is null and c.status = 'detained'
      and c.id in (select h.case_id from case_right_holders h where h.right_holder_id = ${holderId})
      and s.id = (select max(l.id) from case_steps l where l.case_id = c.id) and s.kind = 'suspected'
    order by c.seized_on desc, c.id desc limit ${DEMO_NOTICES_HOURS_AGO.length}`);
  const out: { caseId: number; step: ProcedureStep }[] = [];
  rows.forEach((r, i) => {
    const at = new Date(now.getTime() - DEMO_NOTICES_HOURS_AGO[i]! * 3600_000);
    if (at.getTime() <= Number(r.at)) return; // never before the suspension (a seed run with an old clock)
    const year = String(at.getUTCFullYear());
    out.push({ caseId: Number(r.caseId), step: { kind: "notice_sent", at, by: SEED_STEP_USER, documentNo: `TZ${year}-D${String(i + 1).padStart(4, "0")}` } });
  });
  return out;
}
