import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { isLocale, type Locale, type NotificationKind, type Role } from "../lib/enums";
import { appUrl } from "../lib/env";
import {
  deadlineRecipients, deadlineToNotify, notificationHref, notificationKey, notificationMail, recordationPhase, type NotificationParams,
} from "../lib/notifications";
import { openDeadline, type ProcedureStep } from "../lib/procedure";
import { addMonths, todayInBeijing } from "../lib/recordations";
import type { Scope } from "../lib/roles";
import { UnknownHolidayYearError, type WorkingDayOverrides } from "../lib/working-days";
import type { Engine } from "./engine";
import { enqueueMail } from "./outbox";
import { readOverrides, stepOfRow, type StoredStep } from "./procedure";

// Notifications (issue 16, item 4; lib/notifications.ts has the rules): rows of the table
// `notifications`, one per (event, recipient), each with a key unique in the table (and in the
// outbox), so an event is notified exactly once however many servers race.
// - The detention notice is written by the one writer (db/writer.ts, op "step") in the same
//   transaction as the `notice_sent` step: notifyDetentionNotice.
// - Deadlines one working day away and recordations expiring come from scanNotifications(e, now),
//   which every server process runs every minute (instrumentation.ts, startNotificationScanner).
// - Read: a user's own rows; a member's are filtered by its scope again (the case must still
//   name its company, the recordation still be its company's), so a member moved to another
//   company, or a case relinked, shows nothing of the other company.

export type NewNotification = {
  key: string;
  userId: string;
  kind: NotificationKind;
  caseId?: number | null;
  recordationId?: number | null;
  /** the company a member's notification concerns; null for staff */
  holderId?: number | null;
  params: NotificationParams;
};

type Recipient = { id: string; holderId: number | null };

/** The member accounts of these companies. */
async function membersOf(e: Engine, holderIds: readonly number[]): Promise<Recipient[]> {
  if (holderIds.length === 0) return [];
  const rows = await e.all<{ id: string; holderId: number }>(sql`
    select id, holder_id as "holderId" from "user" where role = 'member' and ${e.say.inList(sql`holder_id`, holderIds)} order by id`);
  return rows.map((r) => ({ id: r.id, holderId: Number(r.holderId) }));
}

/** The admin accounts (customs officers). */
async function admins(e: Engine): Promise<Recipient[]> {
  const rows = await e.all<{ id: string }>(sql`select id from "user" where role = 'admin' order by id`);
  return rows.map((r) => ({ id: r.id, holderId: null }));
}

/** The accounts' addresses, names, languages and roles (what their e-mail needs). */
async function accountsOf(tx: Engine, ids: string[]): Promise<Map<string, { email: string; name: string; locale: Locale; role: Role }>> {
  const out = new Map<string, { email: string; name: string; locale: Locale; role: Role }>();
  if (ids.length === 0) return out;
  const rows = await tx.all<{ id: string; email: string; name: string; locale: string; role: string }>(sql`
    select id, email, name, locale, role from "user" where ${tx.say.inList(sql`id`, ids)}`);
  for (const r of rows) out.set(r.id, { email: r.email, name: r.name, locale: isLocale(r.locale) ? r.locale : "en", role: r.role as Role });
  return out;
}

/**
 * Writes notifications inside the caller's transaction, each at most once: a key already there
 * (another server's scan, a repeat) is skipped. Each one written gets its e-mail in the outbox
 * (db/outbox.ts enqueueMail), in the same transaction and under the same key, in the
 * recipient's language (user.locale). Returns those written.
 */
export async function insertNotifications(tx: Engine, rows: readonly NewNotification[], now: number): Promise<NewNotification[]> {
  if (!tx.inTransaction) throw new Error("Notifications are written inside the transaction of the event they tell of.");
  const { notifications: n } = tx.t;
  const written: NewNotification[] = [];
  const people = await accountsOf(tx, [...new Set(rows.map((r) => r.userId))]);
  const base = appUrl().replace(/\/+$/, "");
  for (const r of rows) {
    const inserted = await tx.db
      .insert(n)
      .values({
        key: r.key, userId: r.userId, kind: r.kind, caseId: r.caseId ?? null, recordationId: r.recordationId ?? null,
        holderId: r.holderId ?? null, params: JSON.stringify(r.params), createdAt: now, readAt: null,
      })
      .onConflictDoNothing({ target: n.key })
      .returning({ id: n.id });
    if (!inserted.length) continue;
    written.push(r);
    // its e-mail, in the same transaction, under the same key (unique in the outbox too)
    const person = people.get(r.userId);
    if (!person) continue;
    const href = notificationHref({ kind: r.kind, caseId: r.caseId ?? null, recordationId: r.recordationId ?? null, params: r.params }, person.role);
    const mail = notificationMail(person.locale, { name: person.name, kind: r.kind, params: r.params, url: href ? `${base}${href}` : null });
    await enqueueMail(tx, { to: person.email, locale: person.locale, subject: mail.subject, text: mail.text, html: mail.html, dedupeKey: r.key }, now);
  }
  return written;
}

// ---- the detention notice (in the writer's transaction) ---------------------------------------

/**
 * The detention notice just recorded (`history` ends with it, step row `stepId`): a notification
 * to each member account of the case's right holders, in the writer's transaction.
 */
export async function notifyDetentionNotice(
  tx: Engine,
  c: { caseId: number; caseNo: string; holderIds: readonly number[] },
  stepId: number,
  history: readonly ProcedureStep[],
  overrides: WorkingDayOverrides,
  now: number,
): Promise<NewNotification[]> {
  let lastDay: string | null = null;
  try {
    lastDay = openDeadline(history, overrides)?.lastDay ?? null;
  } catch (error) {
    // the notice was accepted: its answer period runs into a year the calendar does not know
    if (!(error instanceof UnknownHolidayYearError)) throw error;
  }
  const rows = (await membersOf(tx, c.holderIds)).map((m): NewNotification => ({
    key: notificationKey.notice(stepId, m.id), userId: m.id, kind: "detention_notice", caseId: c.caseId, holderId: m.holderId,
    params: { caseNo: c.caseNo, lastDay },
  }));
  return insertNotifications(tx, rows, now);
}

// ---- the scan ---------------------------------------------------------------------------------

/** The latest-step kinds after which a deadline may run (lib/procedure.ts openDeadline). */
const OPEN_KINDS = ["notice_sent", "detained", "investigation_started", "determination"] as const;
/** A period runs at most 50 working days from its step (Reg. Art. 24(2)): well within 150 calendar days. */
const LOOKBACK_MS = 150 * 86_400_000;

export type ScanResult = {
  /** notifications written by this scan */
  written: number;
  /** cases (or recordations) skipped, and why */
  skipped: { caseId: number; reason: string }[];
};

const loggedSkips = new Set<string>();

/** Logs a skipped case once per process (a scan runs every minute). */
function logSkip(caseId: number, reason: string) {
  const key = `${caseId}:${reason}`;
  if (loggedSkips.has(key)) return;
  loggedSkips.add(key);
  console.warn(`[notifications] case ${caseId} skipped: ${reason}`);
}

/** The steps of these cases, by case, in the order recorded. */
async function historiesOf(e: Engine, caseIds: number[]): Promise<Map<number, StoredStep[]>> {
  const { caseSteps } = e.t;
  const out = new Map<number, StoredStep[]>();
  if (caseIds.length === 0) return out;
  const rows = await e.db.select().from(caseSteps).where(e.say.inList(sql`${caseSteps.caseId}`, caseIds)).orderBy(caseSteps.caseId, caseSteps.id);
  for (const row of rows) {
    const step = stepOfRow(row as never);
    const list = out.get(step.caseId) ?? [];
    list.push(step);
    out.set(step.caseId, list);
  }
  return out;
}

function lastStepId(history: readonly StoredStep[], kind: StoredStep["kind"]): number | null {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.kind === kind) return history[i]!.id;
  return null;
}

/** The notifications due at `now` for deadlines one working day away. */
async function dueDeadlines(e: Engine, now: Date, overrides: WorkingDayOverrides, skipped: ScanResult["skipped"]): Promise<NewNotification[]> {
  const heads = await e.all<{ caseId: number; caseNo: string }>(sql`
    select c.id as "caseId", c.case_no as "caseNo"
    from case_steps s join cases c on c.id = s.case_id
    where c.deleted_at is null and s.at >= ${now.getTime() - LOOKBACK_MS}
      and ${e.say.inList(sql`s.kind`, OPEN_KINDS)}
      and s.id = (select max(l.id) from case_steps l where l.case_id = s.case_id)
    order by c.id`);
  if (heads.length === 0) return [];
  const ids = heads.map((h) => Number(h.caseId));
  const histories = await historiesOf(e, ids);
  const due: { caseId: number; caseNo: string; kind: "answer" | "determination" | "court_order"; lastDay: string; startStepId: number }[] = [];
  for (const h of heads) {
    const caseId = Number(h.caseId);
    const history = histories.get(caseId) ?? [];
    try {
      const deadline = deadlineToNotify(history, now, overrides);
      if (!deadline) continue;
      const startStepId = lastStepId(history, deadline.kind === "answer" ? "notice_sent" : "detained");
      if (startStepId === null) continue;
      due.push({ caseId, caseNo: h.caseNo, kind: deadline.kind, lastDay: deadline.lastDay, startStepId });
    } catch (error) {
      if (!(error instanceof UnknownHolidayYearError)) throw error;
      const reason = `its deadline runs into ${error.year}, whose holiday arrangement is not known (enter it in the calendar on /procedure)`;
      skipped.push({ caseId, reason });
      logSkip(caseId, reason);
    }
  }
  if (due.length === 0) return [];
  const links = await e.all<{ caseId: number; holderId: number }>(sql`
    select case_id as "caseId", right_holder_id as "holderId" from case_right_holders
    where ${e.say.inList(sql`case_id`, due.map((d) => d.caseId))}`);
  const holdersOf = new Map<number, number[]>();
  for (const l of links) holdersOf.set(Number(l.caseId), [...(holdersOf.get(Number(l.caseId)) ?? []), Number(l.holderId)]);
  const members = await membersOf(e, [...new Set(links.map((l) => Number(l.holderId)))]);
  const staff = deadlineRecipientsNeeded(due) ? await admins(e) : [];
  const rows: NewNotification[] = [];
  for (const d of due) {
    const holders = holdersOf.get(d.caseId) ?? [];
    const to = deadlineRecipients(d.kind) === "admins" ? staff : members.filter((m) => m.holderId !== null && holders.includes(m.holderId));
    for (const u of to) {
      rows.push({
        key: notificationKey.deadline(d.kind, d.startStepId, u.id), userId: u.id, kind: "deadline_tomorrow", caseId: d.caseId, holderId: u.holderId,
        params: { caseNo: d.caseNo, lastDay: d.lastDay, deadlineKind: d.kind },
      });
    }
  }
  return rows;
}

const deadlineRecipientsNeeded = (due: { kind: "answer" | "determination" | "court_order" }[]) => due.some((d) => deadlineRecipients(d.kind) === "admins");

/** The notifications due at `now` for recordations expiring in 6 months, then in 1 month. */
async function dueRecordations(e: Engine, now: Date): Promise<NewNotification[]> {
  const today = todayInBeijing(now);
  const recs = await e.all<{ id: number; number: string; holderId: number; titleEn: string; titleZh: string | null; validTo: string }>(sql`
    select id, number, holder_id as "holderId", title_en as "titleEn", title_zh as "titleZh", valid_to as "validTo"
    from recordations where status = 'approved' and valid_to >= ${today} and valid_to <= ${addMonths(today, 6)} order by id`);
  if (recs.length === 0) return [];
  const members = await membersOf(e, [...new Set(recs.map((r) => Number(r.holderId)))]);
  const rows: NewNotification[] = [];
  for (const r of recs) {
    const phase = recordationPhase(r.validTo, today);
    if (!phase) continue;
    for (const m of members) {
      if (m.holderId !== Number(r.holderId)) continue;
      rows.push({
        key: notificationKey.recordation(phase, Number(r.id), r.validTo, m.id), userId: m.id,
        kind: phase === "6m" ? "recordation_expiring_6m" : "recordation_expiring_1m", recordationId: Number(r.id), holderId: m.holderId,
        params: { number: r.number, titleEn: r.titleEn, titleZh: r.titleZh, validTo: r.validTo },
      });
    }
  }
  return rows;
}

/** The keys of these that are already written. */
async function existingKeys(e: Engine, keys: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await e.all<{ key: string }>(sql`select key from notifications where ${e.say.inList(sql`key`, keys.slice(i, i + 500))}`);
    for (const r of rows) out.add(r.key);
  }
  return out;
}

/**
 * One scan at `now`: the deadlines one working day away and the recordations expiring, each
 * (event, recipient) written once (a second scanner racing writes nothing twice: the key is
 * unique, and a row another wrote first is skipped). A case whose deadline runs into a year the
 * calendar does not know is skipped with a logged reason; the scan goes on.
 */
export async function scanNotifications(e: Engine, now: Date = new Date()): Promise<ScanResult> {
  const skipped: ScanResult["skipped"] = [];
  const overrides = await readOverrides(e);
  const candidates = [...(await dueDeadlines(e, now, overrides, skipped)), ...(await dueRecordations(e, now))];
  if (candidates.length === 0) return { written: 0, skipped };
  const known = await existingKeys(e, candidates.map((c) => c.key));
  const fresh = candidates.filter((c) => !known.has(c.key));
  let written = 0;
  // in transactions of 200 rows: a first scan of a large database does not hold the write lock long
  for (let i = 0; i < fresh.length; i += 200) {
    const chunk = fresh.slice(i, i + 200);
    written += (await e.transaction((tx) => insertNotifications(tx, chunk, now.getTime()))).length;
  }
  return { written, skipped };
}

// ---- reading ------------------------------------------------------------------------------------

export type NotificationRow = {
  id: number; kind: NotificationKind; caseId: number | null; recordationId: number | null;
  params: NotificationParams; createdAt: number; readAt: number | null;
};

export type Reader = { userId: string; scope: Scope };

/** The reader's own notifications that its scope still allows (a member's company's case or recordation). */
function visible(e: Engine, reader: Reader): SQL {
  const { notifications: n } = e.t;
  const mine = eq(n.userId, reader.userId);
  const liveCase = sql`(${n.caseId} is null or exists (select 1 from cases c where c.id = ${n.caseId} and c.deleted_at is null))`;
  const holders = reader.scope.restrictToHolders;
  if (holders === undefined) return and(mine, liveCase)!;
  if (holders.length === 0) return e.say.never;
  const inScope = sql`${e.say.inList(sql`${n.holderId}`, holders)}
    and (${n.caseId} is null or exists (select 1 from case_right_holders l where l.case_id = ${n.caseId} and ${e.say.inList(sql`l.right_holder_id`, holders)}))
    and (${n.recordationId} is null or exists (select 1 from recordations r where r.id = ${n.recordationId} and ${e.say.inList(sql`r.holder_id`, holders)}))`;
  return and(mine, liveCase, inScope)!;
}

/** The reader's notifications, newest first (at most `limit`). */
export async function listNotifications(e: Engine, reader: Reader, limit = 200): Promise<NotificationRow[]> {
  const { notifications: n } = e.t;
  const rows = await e.db
    .select({ id: n.id, kind: n.kind, caseId: n.caseId, recordationId: n.recordationId, params: n.params, createdAt: n.createdAt, readAt: n.readAt })
    .from(n)
    .where(visible(e, reader))
    .orderBy(desc(n.id))
    .limit(limit);
  return rows.map((r) => ({
    id: Number(r.id), kind: r.kind, caseId: r.caseId === null ? null : Number(r.caseId), recordationId: r.recordationId === null ? null : Number(r.recordationId),
    params: JSON.parse(r.params) as NotificationParams, createdAt: Number(r.createdAt), readAt: r.readAt === null ? null : Number(r.readAt),
  }));
}

/** How many of the reader's notifications are unread (counted up to `cap`: the bell shows "99+"). */
export async function unreadCount(e: Engine, reader: Reader, cap = 100): Promise<number> {
  const { notifications: n } = e.t;
  const rows = await e.db.select({ id: n.id }).from(n).where(and(visible(e, reader), isNull(n.readAt))).limit(cap);
  return rows.length;
}

/** Marks one of the reader's notifications (or all of them) read; returns how many changed (0: none of its own by that id). */
export async function markRead(e: Engine, reader: Reader, which: number | "all", now = Date.now()): Promise<number> {
  return e.transaction(async (tx) => {
    const { notifications: n } = tx.t;
    const target = which === "all" ? visible(tx, reader) : and(visible(tx, reader), eq(n.id, which));
    const { changes } = await tx.run(sql`update notifications set read_at = ${now} where read_at is null and id in (select ${n.id} from ${n} where ${target})`);
    return changes;
  });
}

/** Whether the reader has a notification by this id (read or not) that its scope allows. */
export async function hasNotification(e: Engine, reader: Reader, id: number): Promise<boolean> {
  const { notifications: n } = e.t;
  const rows = await e.db.select({ id: n.id }).from(n).where(and(visible(e, reader), eq(n.id, id))).limit(1);
  return rows.length > 0;
}
