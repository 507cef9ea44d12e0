import { asc, sql } from "drizzle-orm";
import { answerRefusal, noticeOf, releaseDueSteps, type AnswerRefusal, type NoticeView } from "../lib/inbox";
import type { BondKind, HolderAnswer } from "../lib/enums";
import type { ProcedureStep } from "../lib/procedure";
import { CaseNotFoundError, TransitionRefusedError, VersionConflictError } from "./case-errors";
import type { Engine } from "./engine";
import { readHistory, readOverrides, stepOfRow, type StoredStep } from "./procedure";
import { writeCases } from "./writer";

// The right holders' inbox of detention notices (issue 16, cut 3): the notices on a company's
// cases, the answer a member records in the app, and the officers' one action for a release that
// is due. The rules are lib/inbox.ts's and lib/procedure.ts's; every write is THE writer's "step"
// op (db/writer.ts), against the version the member or officer saw, so the case's status follows.

/** A notice on a case of the company, with where it stands at `now`. */
export type NoticeRow = {
  caseId: number; caseNo: string; version: number; valueFen: number; seizedOn: string; goods: string;
  steps: StoredStep[]; view: NoticeView;
};

/** How many answered or closed notices the inbox lists (the latest; the open ones are all listed). */
export const PAST_SHOWN = 30;

type Head = { caseId: number; caseNo: string; version: number; valueFen: number; seizedOn: string; goods: string; noticeAt: number; latest: string };

/** The live cases naming `holderId` that have a notice, with their latest step's kind. */
async function noticeHeads(e: Engine, holderId: number, caseId?: number): Promise<Head[]> {
  const rows = await e.all<Head>(sql`
    select c.id as "caseId", c.case_no as "caseNo", c.version as "version", c.value_fen as "valueFen",
      c.seized_on as "seizedOn", c.goods_description as "goods",
      (select max(n.at) from case_steps n where n.case_id = c.id and n.kind = 'notice_sent') as "noticeAt",
      (select l.kind from case_steps l where l.case_id = c.id order by l.id desc limit 1) as "latest"
    from cases c
    where c.deleted_at is null
      and c.id in (select h.case_id from case_right_holders h where h.right_holder_id = ${holderId})
      and exists (select 1 from case_steps s where s.case_id = c.id and s.kind = 'notice_sent')
      ${caseId === undefined ? sql`` : sql`and c.id = ${caseId}`}`);
  return rows.map((r) => ({ ...r, caseId: Number(r.caseId), version: Number(r.version), valueFen: Number(r.valueFen), noticeAt: Number(r.noticeAt) }));
}

async function stepsOf(e: Engine, ids: number[]): Promise<Map<number, StoredStep[]>> {
  const byCase = new Map<number, StoredStep[]>();
  if (!ids.length) return byCase;
  const { caseSteps } = e.t;
  const rows = await e.db.select().from(caseSteps).where(e.say.inList(sql`${caseSteps.caseId}`, ids)).orderBy(asc(caseSteps.caseId), asc(caseSteps.id));
  for (const row of rows) {
    const step = stepOfRow(row as never);
    const list = byCase.get(step.caseId) ?? [];
    list.push(step);
    byCase.set(step.caseId, list);
  }
  return byCase;
}

/**
 * A company's notices at `now`: the open ones (the soonest deadline first), then the overdue ones
 * (no longer answerable), then the latest PAST_SHOWN answered or closed ones with their answers.
 */
export async function holderNotices(e: Engine, holderId: number, now: Date): Promise<{ current: NoticeRow[]; past: NoticeRow[] }> {
  const heads = await noticeHeads(e, holderId);
  const open = heads.filter((h) => h.latest === "notice_sent");
  const past = heads.filter((h) => h.latest !== "notice_sent").sort((a, b) => b.noticeAt - a.noticeAt || b.caseId - a.caseId).slice(0, PAST_SHOWN);
  const [steps, overrides] = await Promise.all([stepsOf(e, [...open, ...past].map((h) => h.caseId)), readOverrides(e)]);
  const row = (h: Head): NoticeRow => {
    const history = steps.get(h.caseId) ?? [];
    const { noticeAt: _n, latest: _l, ...head } = h;
    return { ...head, steps: history, view: noticeOf(history, now, overrides)! };
  };
  const rank = (r: NoticeRow) => (r.view.state === "open" ? 0 : 1);
  const end = (r: NoticeRow) => r.view.deadline?.endsAt.getTime() ?? r.view.notice.at.getTime();
  const current = open.map(row).sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? end(a) - end(b) : end(b) - end(a)) || a.caseNo.localeCompare(b.caseNo));
  return { current, past: past.map(row) };
}

/** One notice of the company's, or null: another company's case, a case without a notice, a deleted case. */
export async function holderNotice(e: Engine, holderId: number, caseId: number, now: Date): Promise<NoticeRow | null> {
  const [head] = await noticeHeads(e, holderId, caseId);
  if (!head) return null;
  const [history, overrides] = await Promise.all([readHistory(e, caseId), readOverrides(e)]);
  const { noticeAt: _n, latest: _l, ...rest } = head;
  return { ...rest, steps: history, view: noticeOf(history, now, overrides)! };
}

/** An answer that was not written, with the member's reason (lib/inbox.ts) and what fills its message. */
export class AnswerRefusedError extends Error {
  override name = "AnswerRefusedError";
  constructor(
    readonly code: AnswerRefusal,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`The answer was not recorded: ${code}.`);
  }
}

export type AnswerInput = {
  holderId: number; caseId: number; expectedVersion: number; userId: string;
  answer: HolderAnswer; bondKind?: BondKind | null; bondFen?: number | null;
};

/**
 * Records a member's answer to its company's notice (Measures Art. 22) as the `holder_answered`
 * step at `now`, through THE writer against the version the member saw. Another company's case
 * is CaseNotFoundError (as a missing one); a refusal is AnswerRefusedError, nothing written.
 */
export async function answerNotice(e: Engine, input: AnswerInput, now: Date): Promise<{ version: number; stepId: number }> {
  const found = await holderNotice(e, input.holderId, input.caseId, now);
  if (!found) throw new CaseNotFoundError(`No notice of this company on case ${input.caseId}.`);
  const step: ProcedureStep = input.answer === "requests_detention"
    ? { kind: "holder_answered", at: now, by: input.userId, answer: "requests_detention", bondKind: input.bondKind ?? null, bondFen: input.bondFen ?? null }
    : { kind: "holder_answered", at: now, by: input.userId, answer: "declines" };
  try {
    const [done] = (await writeCases(e, [{ op: "step", id: input.caseId, expectedVersion: input.expectedVersion, step }], { userId: input.userId })).cases;
    return { version: done!.version, stepId: done!.stepId! };
  } catch (error) {
    const cause = error instanceof VersionConflictError ? "version" : error instanceof TransitionRefusedError ? error.code : null;
    if (cause === null) throw error;
    const [history, overrides] = await Promise.all([readHistory(e, input.caseId), readOverrides(e)]);
    const code = answerRefusal(history, input.userId, cause as never, now, overrides);
    const params = error instanceof TransitionRefusedError ? error.params : {};
    throw new AnswerRefusedError(code, code === "changed" ? {} : params);
  }
}

/** The release that is due on a case, or none: NotDueError. */
export class NotDueError extends Error {
  override name = "NotDueError";
}

/**
 * Customs' one action when the goods are due for release at `now` (Reg. Art. 16: no answer in
 * the period; or the holder declined, no court order in time, found not infringing): "no answer"
 * and the release, or the release alone, in ONE batch of the writer against the version the
 * officer saw. NotDueError when nothing is due (the state machine checks every step again).
 */
export async function releaseDue(e: Engine, caseId: number, expectedVersion: number, userId: string, now: Date): Promise<{ version: number; steps: string[] }> {
  const [history, overrides] = await Promise.all([readHistory(e, caseId), readOverrides(e)]);
  const steps = releaseDueSteps(history, now, userId, overrides);
  if (!steps) throw new NotDueError(`No release is due on case ${caseId}.`);
  const result = await writeCases(e, steps.map((step, i) => ({ op: "step" as const, id: caseId, expectedVersion: expectedVersion + i, step })), { userId });
  return { version: result.cases.at(-1)!.version, steps: steps.map((s) => s.kind) };
}

/** Of these user ids, the member accounts (a right holder's people: their answers were given in the app). */
export async function memberAccounts(e: Engine, ids: string[]): Promise<Set<string>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Set();
  const { users } = e.t;
  const rows = await e.all<{ id: string }>(sql`select id from ${users} where role = 'member' and ${e.say.inList(sql`id`, wanted)}`);
  return new Set(rows.map((r) => String(r.id)));
}

/** An answer given in the app, for the officers' list: the case, the answer, who and when. */
export type AppAnswer = { caseId: number; caseNo: string; step: StoredStep; email: string; latest: string };

/** The latest answers members gave in the app, newest first. */
export async function recentAppAnswers(e: Engine, limit = 20): Promise<AppAnswer[]> {
  const { users } = e.t;
  const rows = await e.all<Record<string, unknown>>(sql`
    select s.id as "id", s.case_id as "caseId", s.kind as "kind", s.at as "at", s.by_user as "byUser", s.document_no as "documentNo",
      s.served_on as "servedOn", s.answer as "answer", s.bond_fen as "bondFen", s.bond_kind as "bondKind", s.decision as "decision",
      s.court as "court", s.fine_fen as "fineFen", s.ground as "ground", s.disposal as "disposal", s.note as "note", s.recorded_at as "recordedAt",
      c.case_no as "caseNo", u.email as "email",
      (select l.kind from case_steps l where l.case_id = c.id order by l.id desc limit 1) as "latest"
    from case_steps s join cases c on c.id = s.case_id join ${users} u on u.id = s.by_user
    where s.kind = 'holder_answered' and u.role = 'member' and c.deleted_at is null
    order by s.id desc limit ${limit}`);
  return rows.map((r) => ({
    caseId: Number(r.caseId), caseNo: String(r.caseNo), email: String(r.email), latest: String(r.latest),
    step: stepOfRow(r as never),
  }));
}

/** The live cases naming `holderId` that stand detained ex officio, the latest seized first (the demo seed's notices, seed/notices.ts). */
export async function detainedExOfficioCases(e: Engine, holderId: number, limit: number): Promise<number[]> {
  const rows = await e.all<{ caseId: number }>(sql`
    select c.id as "caseId" from cases c
    where c.deleted_at is null and c.status = 'detained' and c.protection_mode = 'ex_officio'
      and c.id in (select h.case_id from case_right_holders h where h.right_holder_id = ${holderId})
    order by c.seized_on desc, c.id desc limit ${limit}`);
  return rows.map((r) => Number(r.caseId));
}
