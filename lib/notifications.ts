// Notifications (issue 16, item 4; db/notifications.ts): the pure rules of when an event is due,
// who it goes to, its key and where it links. No database, no clock (callers pass `now`).
//
// - A detention notice is notified when the officer records it (the writer's transaction).
// - A deadline "one working day away" is notified from 00:00 Beijing time of the working day
//   before the deadline's last day, until the deadline ends (a deadline already passed is not
//   announced). The right holder's deadlines (answer, court order) go to the company's members;
//   customs' determination deadline (Reg. Art. 20) goes to the admins.
// - A recordation expiring is notified once when 6 months or less remain, once more when
//   1 month or less remains (one first seen within a month gets only the second).

import { createTranslator } from "use-intl/core";
import en from "../messages/en.json";
import zh from "../messages/zh.json";
import type { Locale, NotificationKind, ProcedureDeadlineKind, Role } from "./enums";
import { formatDate } from "./format";
import { composeMail, mailTranslator, type MailText } from "./mail-texts";
import { openDeadline, type OpenDeadline, type ProcedureStep } from "./procedure";
import { addMonths } from "./recordations";
import { addCalendarDays, endOfBeijingDay, isPast, isWorkingDay, type IsoDate, type WorkingDayOverrides } from "./working-days";

const DAY_MS = 86_400_000;

/** The working day before `date` (throws UnknownHolidayYearError for a year nobody knows). */
export function workingDayBefore(date: IsoDate, overrides?: WorkingDayOverrides): IsoDate {
  let day = addCalendarDays(date, -1);
  for (let idle = 0; !isWorkingDay(day, overrides); idle++) {
    if (idle > 31) throw new RangeError(`No working day in the 31 days before ${date}: check the calendar overrides`);
    day = addCalendarDays(day, -1);
  }
  return day;
}

/** From when a deadline ending on `lastDay` is "one working day away": 00:00 Beijing time of the working day before. */
export function deadlineNoticeFrom(lastDay: IsoDate, overrides?: WorkingDayOverrides): Date {
  return new Date(endOfBeijingDay(workingDayBefore(lastDay, overrides)).getTime() - DAY_MS);
}

/**
 * The open deadline of a procedure to notify at `now` as one working day away, or null: none
 * open, not yet one working day away, or already passed. Throws UnknownHolidayYearError when the
 * deadline runs into a year whose arrangement nobody knows (the scan skips the case, saying so).
 */
export function deadlineToNotify(history: readonly ProcedureStep[], now: Date, overrides?: WorkingDayOverrides): OpenDeadline | null {
  const deadline = openDeadline(history, overrides);
  if (!deadline || isPast(now, deadline)) return null;
  return now.getTime() >= deadlineNoticeFrom(deadline.lastDay, overrides).getTime() ? deadline : null;
}

/** Who must hear of a deadline: the right holder's members, or customs' admins. */
export function deadlineRecipients(kind: ProcedureDeadlineKind): "members" | "admins" {
  return kind === "determination" ? "admins" : "members";
}

/** Which expiry notice a recordation valid to `validTo` is due on `today`: "1m", "6m" or none (expired, or more than 6 months left). */
export function recordationPhase(validTo: IsoDate, today: IsoDate): "6m" | "1m" | null {
  if (validTo < today) return null;
  if (validTo <= addMonths(today, 1)) return "1m";
  if (validTo <= addMonths(today, 6)) return "6m";
  return null;
}

/** The keys: one per (event, recipient), unique in the notifications table and in the outbox. */
export const notificationKey = {
  notice: (stepId: number, userId: string) => `notice:${stepId}:${userId}`,
  /** `startStepId`: the step the period runs from (the notice, or the detention) */
  deadline: (kind: ProcedureDeadlineKind, startStepId: number, userId: string) => `deadline:${kind}:${startStepId}:${userId}`,
  /** the valid-to date is in the key: a renewed recordation is announced again before its new end */
  recordation: (phase: "6m" | "1m", recordationId: number, validTo: IsoDate, userId: string) => `recordation:${phase}:${recordationId}:${validTo}:${userId}`,
};

/** What a notification's text needs (messages/*.json "notifications.text"), stored with it as JSON. */
export type NotificationParams = {
  caseNo?: string;
  /** the deadline's last working day (24:00 Beijing time ends it); null when the calendar does not know its year */
  lastDay?: IsoDate | null;
  deadlineKind?: ProcedureDeadlineKind;
  number?: string;
  titleEn?: string;
  titleZh?: string | null;
  validTo?: IsoDate;
};

/**
 * Where a notification leads its reader: a member opens a detention notice (and the reminder of
 * its answer deadline) in its inbox (/inbox/{case}, where it answers); staff open the case; a recordation's notice opens it.
 */
export function notificationHref(
  n: { kind: NotificationKind; caseId: number | null; recordationId: number | null; params?: NotificationParams }, role: Role,
): string | null {
  if (n.caseId !== null) {
    const answer = n.kind === "detention_notice" || (n.kind === "deadline_tomorrow" && n.params?.deadlineKind === "answer");
    return answer && role === "member" ? `/inbox/${n.caseId}` : `/cases/${n.caseId}`;
  }
  if (n.recordationId !== null) return `/recordations/${n.recordationId}`;
  return null;
}

/** The message key of a notification's text (messages/*.json "notifications.text.<key>"). */
export function textKey(kind: NotificationKind, params: NotificationParams): string {
  if (kind === "detention_notice") return params.lastDay ? "detention_notice" : "detention_notice_unknown_day";
  if (kind === "deadline_tomorrow") return `deadline_${params.deadlineKind ?? "answer"}`;
  return kind;
}

/** A translator over the "notifications" messages (next-intl's getTranslations on a page, use-intl/core's createTranslator for e-mail). */
export type NotificationTranslator = (key: string, values?: Record<string, string | number>) => string;

/** A notification's title and text in the translator's language (dates formatted for `locale`). */
export function renderNotification(
  t: NotificationTranslator, n: { kind: NotificationKind; params: NotificationParams }, locale: Locale,
): { title: string; text: string } {
  const p = n.params;
  const values: Record<string, string | number> = {
    caseNo: p.caseNo ?? "",
    lastDay: p.lastDay ? formatDate(p.lastDay, locale) : "",
    number: p.number ?? "",
    title: (locale === "zh" ? p.titleZh || p.titleEn : p.titleEn) ?? "",
    validTo: p.validTo ? formatDate(p.validTo, locale) : "",
  };
  return { title: t(`title.${textKey(n.kind, p)}`, values), text: t(`text.${textKey(n.kind, p)}`, values) };
}

// ---- e-mail ---------------------------------------------------------------------------------

const catalogs = { en, zh } as const;

/**
 * The e-mail of a notification in the recipient's language (use-intl/core's translator: this
 * runs in the writer's and the scanner's transactions, in code reader processes may load, where
 * next-intl's root cannot). The link is `href` on the app's public address (APP_URL).
 */
export function notificationMail(
  locale: Locale, input: { name: string; kind: NotificationKind; params: NotificationParams; url: string | null },
): MailText {
  const t = createTranslator({ locale, messages: catalogs[locale], namespace: "notifications", timeZone: "Asia/Shanghai" });
  const { title, text } = renderNotification((key, values) => t(key as never, values as never), input, locale);
  return composeMail(locale, {
    subject: title,
    greeting: mailTranslator(locale)("greeting", { name: input.name }),
    paragraphs: [text],
    link: input.url ? { label: t("mail.link"), url: input.url } : undefined,
    after: [t("mail.why")],
  });
}
