// Chinese working days for the deadlines of the detention procedure (issue 16; docs/procedure.md).
//
// A working day follows the State Council's yearly holiday arrangement: public holidays are off,
// and some weekend days are make-up working days (调休). The `chinese-days` package carries the
// arrangements it knows (2004 to 2026 in 1.5.7); an admin table supplies the years it does not
// know, and may correct a known year, as `overrides` ('YYYY-MM-DD' → 'work' | 'holiday').
// A year that neither knows is an error naming the year, never a guess from the weekdays.
//
// Calendar dates are 'YYYY-MM-DD' strings meaning a day in Beijing (UTC+8, no daylight saving);
// instants are Date objects. Pure code: no database, no clock (callers pass `now`).

// The package's own functions read a 'YYYY-MM-DD' string as UTC midnight and write it back in the
// server's local time, so on a server west of UTC every holiday moves a day (seen here with
// TZ=America/Los_Angeles: a notice of 2024-10-03 ended on 10-09 instead of 10-10). We read the
// arrangement table it ships (keyed by date strings, no time zone) and apply its rule ourselves:
// a listed make-up day works, a listed holiday rests, otherwise Monday to Friday work.
import arrangement from "chinese-days/dist/chinese-days.json";

const PACKAGE_HOLIDAYS: Readonly<Record<string, string>> = arrangement.holidays;
const PACKAGE_WORKDAYS: Readonly<Record<string, string>> = arrangement.workdays;
/** The years whose arrangement the package carries (2004–2026 in chinese-days 1.5.7). */
export const PACKAGE_YEARS: ReadonlySet<number> = new Set(Object.keys(PACKAGE_HOLIDAYS).map((d) => Number(d.slice(0, 4))));

export type IsoDate = string;
export type DayOverride = "work" | "holiday";
/** The admin table's entries. Entering any date of a year declares that year's arrangement:
 *  from then on its unlisted weekdays count as working days and its unlisted weekends as rest days. */
export type WorkingDayOverrides =
  | ReadonlyMap<IsoDate, DayOverride>
  | Readonly<Record<IsoDate, DayOverride>>;

const BEIJING_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
/** No arrangement has ever had more than 9 rest days in a row; a search longer than this is a bad calendar. */
const MAX_DAYS_WITHOUT_WORK = 31;

/** A year whose holiday arrangement neither the package nor the override table knows. */
export class UnknownHolidayYearError extends Error {
  readonly year: number;
  constructor(year: number) {
    super(
      `The holiday arrangement of ${year} is not known (the chinese-days package does not carry it and ` +
        `no calendar override covers ${year}): enter that year's holidays and make-up working days in the calendar table.`,
    );
    this.name = "UnknownHolidayYearError";
    this.year = year;
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date written 'YYYY-MM-DD'. */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== "string") return false;
  if (!ISO.test(value)) return false;
  const t = Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10)));
  // years 0000–0099 are read by Date.UTC as 1900–1999, so they fail the round trip as they should
  return new Date(t).toISOString().slice(0, 10) === value;
}

function parse(date: IsoDate): { y: number; m: number; d: number; t: number } {
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const y = Number(date.slice(0, 4)), m = Number(date.slice(5, 7)), d = Number(date.slice(8, 10));
  return { y, m, d, t: Date.UTC(y, m - 1, d) };
}

/** The date `days` calendar days after (or before, if negative) `date`. */
export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  return new Date(parse(date).t + days * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day in Beijing at `instant`. */
export function beijingDateOf(instant: Date): IsoDate {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError("Not a valid instant");
  return new Date(t + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant 24:00 Beijing time ends `date` (= 16:00 UTC of that date). */
export function endOfBeijingDay(date: IsoDate): Date {
  return new Date(parse(date).t + DAY_MS - BEIJING_OFFSET_MS);
}

function lookupOverride(overrides: WorkingDayOverrides | undefined, date: IsoDate): DayOverride | undefined {
  if (!overrides) return undefined;
  const value = overrides instanceof Map ? overrides.get(date) : (overrides as Record<string, DayOverride>)[date];
  if (value === undefined) return undefined;
  if (value !== "work" && value !== "holiday") {
    throw new RangeError(`Calendar override for ${date} must be "work" or "holiday", not ${JSON.stringify(value)}`);
  }
  return value;
}

function overrideYears(overrides: WorkingDayOverrides | undefined): Set<number> {
  const years = new Set<number>();
  if (!overrides) return years;
  const keys = overrides instanceof Map ? [...overrides.keys()] : Object.keys(overrides);
  for (const key of keys) {
    if (!isIsoDate(key)) throw new RangeError(`Calendar override key is not a date (YYYY-MM-DD): ${JSON.stringify(key)}`);
    years.add(Number(key.slice(0, 4)));
  }
  return years;
}

/** Whether `chinese-days` carries the holiday arrangement of `year`. */
export function packageKnowsYear(year: number): boolean {
  return PACKAGE_YEARS.has(year);
}

const isWeekday = (t: number) => {
  const weekday = new Date(t).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};

/** Whether `date` is a working day in China; throws UnknownHolidayYearError for a year nobody knows. */
export function isWorkingDay(date: IsoDate, overrides?: WorkingDayOverrides): boolean {
  const { y, t } = parse(date);
  return workingDayAt(date, y, t, overrides);
}

/** isWorkingDay of a date already checked: its year and its instant (midnight UTC). */
function workingDayAt(date: IsoDate, y: number, t: number, overrides?: WorkingDayOverrides): boolean {
  const override = lookupOverride(overrides, date);
  if (override) return override === "work";
  if (packageKnowsYear(y)) {
    if (PACKAGE_WORKDAYS[date] !== undefined) return true;
    if (PACKAGE_HOLIDAYS[date] !== undefined) return false;
    return isWeekday(t);
  }
  if (overrideYears(overrides).has(y)) return isWeekday(t);
  throw new UnknownHolidayYearError(y);
}

/**
 * The `n`-th working day after `start`. The day of `start` itself never counts, working day or
 * not: a period "from the day of service" is counted from the next day (Measures Art. 41), so a
 * notice served on a Monday with 3 working days ends on the Thursday. n = 0 gives `start`.
 */
export function addWorkingDays(start: IsoDate, n: number, overrides?: WorkingDayOverrides): IsoDate {
  let t = parse(start).t;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`A number of working days must be a whole number ≥ 0, not ${n}`);
  let day = start;
  let left = n;
  let idle = 0;
  while (left > 0) {
    // day by day as an instant (the dates made here need no checking)
    t += DAY_MS;
    day = new Date(t).toISOString().slice(0, 10);
    if (workingDayAt(day, Number(day.slice(0, 4)), t, overrides)) {
      left--;
      idle = 0;
    } else if (++idle > MAX_DAYS_WITHOUT_WORK) {
      throw new RangeError(`No working day in the ${MAX_DAYS_WITHOUT_WORK} days after ${addCalendarDays(day, -idle)}: check the calendar overrides`);
    }
  }
  return day;
}

export interface Deadline {
  /** The day the period runs from (not counted). */
  start: IsoDate;
  workingDays: number;
  /** The last working day of the period. */
  lastDay: IsoDate;
  /** 24:00 Beijing time of `lastDay`, as an instant. */
  endsAt: Date;
}

/** The deadline of a period of `n` working days running from `start` (a Beijing date, or the instant of service). */
export function deadlineOf(start: IsoDate | Date, n: number, overrides?: WorkingDayOverrides): Deadline {
  const from = start instanceof Date ? beijingDateOf(start) : start;
  const lastDay = addWorkingDays(from, n, overrides);
  return { start: from, workingDays: n, lastDay, endsAt: endOfBeijingDay(lastDay) };
}

/**
 * Working days left before `deadline` (an instant that ends a Beijing day, as deadlineOf gives):
 * the working days from today (Beijing) through the deadline's last day, today included.
 * 0 once the deadline has passed. On the last day itself it is 1 (the day is still open).
 */
export function workingDaysLeft(now: Date, deadline: Date | Deadline, overrides?: WorkingDayOverrides): number {
  const endsAt = deadline instanceof Date ? deadline : deadline.endsAt;
  if (now.getTime() >= endsAt.getTime()) return 0;
  const lastDay = beijingDateOf(new Date(endsAt.getTime() - 1));
  let count = 0;
  for (let day = beijingDateOf(now); day <= lastDay; day = addCalendarDays(day, 1)) {
    if (isWorkingDay(day, overrides)) count++;
  }
  return count;
}

/** Whether `deadline` has passed at `now`. */
export function isPast(now: Date, deadline: Date | Deadline): boolean {
  return now.getTime() >= (deadline instanceof Date ? deadline : deadline.endsAt).getTime();
}
