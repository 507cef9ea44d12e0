// The periods of digest e-mails (issue 20, item 3), in Beijing time (UTC+8, no daylight
// saving). A weekly digest covers the ISO week just ended (Monday to Sunday) and is due on the
// Monday after it at 08:00 Beijing time; a monthly digest covers the calendar month just ended
// and is due on the 1st at 08:00 Beijing time. 08:00 in Beijing is 00:00 UTC, so a period's
// send time is midnight UTC of its next day. Pure functions, no I/O.

import { digestFrequencies, type DigestFrequency } from "./enums";

export const FREQUENCIES = digestFrequencies.values;
export type Frequency = DigestFrequency;

export const isFrequency = (v: unknown): v is Frequency => digestFrequencies.is(v);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Beijing time is UTC+8 all year. */
export const BEIJING_OFFSET_MS = 8 * HOUR;

export type DigestPeriod = {
  frequency: Frequency;
  /** "2026-W48" (the ISO week) or "2026-11" (the month): the subscription's last sent key and the outbox's dedupe key */
  key: string;
  /** first and last day (YYYY-MM-DD, Beijing dates) */
  from: string;
  to: string;
  /** the period as instants: [startMs, endMs), 00:00 Beijing time of `from` to 00:00 after `to` */
  startMs: number;
  endMs: number;
  /** when its digest is due: 08:00 Beijing time after the period (ms since 1970) */
  sendAt: number;
};

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** 00:00 Beijing time of a Beijing date (ms since 1970). */
const beijingMidnight = (date: string) => Date.parse(`${date}T00:00:00Z`) - BEIJING_OFFSET_MS;

/** The ISO week of a date: its year (that of the week's Thursday) and number, "2026-W48". */
export function isoWeekKey(date: string): string {
  const day = Date.parse(`${date}T00:00:00Z`);
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = day + (3 - weekday) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

function weekOf(monday: string): DigestPeriod {
  const start = Date.parse(`${monday}T00:00:00Z`);
  const to = iso(start + 6 * DAY);
  return { frequency: "weekly", key: isoWeekKey(monday), from: monday, to, startMs: beijingMidnight(monday), endMs: beijingMidnight(iso(start + 7 * DAY)), sendAt: start + 7 * DAY };
}

function monthOf(year: number, month: number /* 1-12 */): DigestPeriod {
  const from = `${year}-${String(month).padStart(2, "0")}-01`;
  const next = Date.UTC(year, month, 1);
  return {
    frequency: "monthly", key: from.slice(0, 7), from, to: iso(next - DAY),
    startMs: beijingMidnight(from), endMs: next - BEIJING_OFFSET_MS, sendAt: next,
  };
}

/**
 * The latest period whose digest is due at `now`: the week (or month) that ended before the
 * last Monday (or 1st) 08:00 Beijing time at or before `now`.
 */
export function duePeriod(frequency: Frequency, now: Date | number): DigestPeriod {
  const t = typeof now === "number" ? now : now.getTime();
  // 08:00 Beijing = 00:00 UTC: the UTC date of `now` is the date whose 08:00 has passed
  const today = Date.parse(`${iso(t)}T00:00:00Z`);
  if (frequency === "weekly") {
    const weekday = (new Date(today).getUTCDay() + 6) % 7;
    const monday = today - weekday * DAY; // the last Monday 08:00 Beijing at or before now
    return weekOf(iso(monday - 7 * DAY));
  }
  const d = new Date(today);
  const y = d.getUTCFullYear(), m = d.getUTCMonth() + 1; // the month whose 1st 08:00 has passed
  return m === 1 ? monthOf(y - 1, 12) : monthOf(y, m - 1);
}

/** The period after `period`'s (its digest due at the next send time). */
export function nextPeriod(period: DigestPeriod): DigestPeriod {
  if (period.frequency === "weekly") return weekOf(iso(Date.parse(`${period.from}T00:00:00Z`) + 7 * DAY));
  const [y, m] = [Number(period.from.slice(0, 4)), Number(period.from.slice(5, 7))];
  return m === 12 ? monthOf(y + 1, 1) : monthOf(y, m + 1);
}

/** When the next digest of a subscription made at `now` goes: the next Monday (or 1st) 08:00 Beijing time. */
export function nextSendAt(frequency: Frequency, now: Date | number): number {
  return nextPeriod(duePeriod(frequency, now)).sendAt;
}
