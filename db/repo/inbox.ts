import "server-only";
import { getEngine } from "../client";
import {
  answerNotice as answer, holderNotice, holderNotices, memberAccounts, recentAppAnswers, releaseDue as release,
  type AnswerInput, type AppAnswer, type NoticeRow,
} from "../inbox";

// The right holders' inbox of detention notices (issue 16, cut 3) for pages and actions: a
// member's company's notices and its answer (THE writer's "step" op, db/inbox.ts); for the
// officers, the answers given in the app and the one action for a release that is due. The
// member's company comes from its session (SessionUser.holderId), never from the request.

export type { AppAnswer, NoticeRow };
export { AnswerRefusedError, NotDueError } from "../inbox";

/** A member's notices at `now`: the open and overdue ones, then the latest answered ones. */
export async function listNotices(holderId: number | null, now = new Date()): Promise<{ current: NoticeRow[]; past: NoticeRow[] }> {
  if (holderId === null) return { current: [], past: [] };
  return holderNotices(getEngine(), holderId, now);
}

/** One notice of the member's company, or null (another company's, none, a bad id: the same 404). */
export async function getNotice(holderId: number | null, caseId: number, now = new Date()): Promise<NoticeRow | null> {
  if (holderId === null) return null;
  return holderNotice(getEngine(), holderId, caseId, now);
}

export async function answerNotice(input: AnswerInput, now = new Date()) {
  return answer(getEngine(), input, now);
}

/** Customs records "no answer" and the release (or the release due) in one action. */
export async function releaseDue(caseId: number, expectedVersion: number, userId: string, now = new Date()) {
  return release(getEngine(), caseId, expectedVersion, userId, now);
}

/** The user ids among these that are member accounts (answers given in the app). */
export async function appAnswerers(ids: string[]): Promise<Set<string>> {
  return memberAccounts(getEngine(), ids);
}

export async function listAppAnswers(limit = 20): Promise<AppAnswer[]> {
  return recentAppAnswers(getEngine(), limit);
}
