// Date ranges of the dashboard: the previous period a KPI is compared with, and the quick
// picks of the filter bar. Dates are ISO strings (YYYY-MM-DD); pure functions, no I/O.

export type Period = { from: string; to: string };

function parts(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function dayNumber(date: string): number {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** The end of an open range: the last day of the current year. */
export function openEnd(today: Date = new Date()): string {
  return iso(today.getUTCFullYear(), 12, 31);
}

/**
 * The period of equal length just before [from, to]: whole years shift by years, whole
 * months by months, anything else by days. An open end runs to the end of this year; a
 * range without a start has nothing before it (null).
 */
export function previousPeriod(from: string | null, to: string | null, today: Date = new Date()): Period | null {
  if (!from) return null;
  const end = to ?? openEnd(today);
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(end);
  if (fm === 1 && fd === 1 && tm === 12 && td === 31) {
    const years = ty - fy + 1;
    return { from: iso(fy - years, 1, 1), to: iso(fy - 1, 12, 31) };
  }
  if (fd === 1 && td === daysInMonth(ty, tm)) {
    const months = (ty - fy) * 12 + (tm - fm) + 1;
    const startIndex = fy * 12 + (fm - 1) - months; // months since year 0
    const endIndex = fy * 12 + (fm - 1) - 1;
    const sy = Math.floor(startIndex / 12), sm = (startIndex % 12) + 1;
    const ey = Math.floor(endIndex / 12), em = (endIndex % 12) + 1;
    return { from: iso(sy, sm, 1), to: iso(ey, em, daysInMonth(ey, em)) };
  }
  const length = dayNumber(end) - dayNumber(from) + 1;
  const prevTo = addDays(from, -1);
  return { from: addDays(prevTo, -(length - 1)), to: prevTo };
}

export const QUICK_PICKS = ["thisYear", "lastYear", "since2016", "all"] as const;
export type QuickPick = (typeof QUICK_PICKS)[number];

/** The range a quick pick stands for (null ends are open). */
export function quickPickRange(pick: QuickPick, today: Date = new Date()): { from: string | null; to: string | null } {
  const y = today.getUTCFullYear();
  switch (pick) {
    case "thisYear":
      return { from: iso(y, 1, 1), to: iso(y, 12, 31) };
    case "lastYear":
      return { from: iso(y - 1, 1, 1), to: iso(y - 1, 12, 31) };
    case "since2016":
      return { from: "2016-01-01", to: null };
    case "all":
      return { from: null, to: null };
  }
}

/** The part of [from, to] that falls in one calendar year (for a drill-down from a year bar). */
export function clampToYear(year: number, from: string | null, to: string | null): Period {
  const start = iso(year, 1, 1), end = iso(year, 12, 31);
  return { from: from && from > start ? from : start, to: to && to < end ? to : end };
}

// ---- the chosen comparison (issue 20, item 2) -------------------------------------------
//
// The dashboard compares its period with one the reader chooses: the period of equal length
// just before (`prev`, the default, what previousPeriod gives), the same period a year earlier
// (`yoy`), or any period (`custom`, its own dates). The URL keeps the choice (lib/filters.ts
// parseComparison: cmp, cmpFrom, cmpTo), so links and saved views keep it too.

export const COMPARISON_KINDS = ["prev", "yoy", "custom"] as const;
export type ComparisonKind = (typeof COMPARISON_KINDS)[number];
export type ComparisonSpec = { kind: "prev" } | { kind: "yoy" } | { kind: "custom"; from: string; to: string };
export const DEFAULT_COMPARISON: ComparisonSpec = { kind: "prev" };

/**
 * The same day a year earlier. The last day of a month stays the last day of its month
 * (29 Feb 2024 → 28 Feb 2023, 28 Feb 2025 → 29 Feb 2024), so a whole month or quarter stays whole.
 */
export function yearEarlier(date: string): string {
  const [y, m, d] = parts(date);
  const last = daysInMonth(y - 1, m);
  return iso(y - 1, m, d === daysInMonth(y, m) ? last : Math.min(d, last));
}

/**
 * The period the filter's dates [from, to] are compared with. An open end runs to the end of
 * this year (as previousPeriod); `prev` and `yoy` need a start (null without one: the page says
 * to choose one); `custom` is its own dates, whatever the filter's.
 */
export function comparisonPeriod(spec: ComparisonSpec, from: string | null, to: string | null, today: Date = new Date()): Period | null {
  if (spec.kind === "custom") return { from: spec.from, to: spec.to };
  if (spec.kind === "prev") return previousPeriod(from, to, today);
  if (!from) return null;
  return { from: yearEarlier(from), to: yearEarlier(to ?? openEnd(today)) };
}

/** Today's date (UTC) as YYYY-MM-DD. */
export function isoDay(today: Date = new Date()): string {
  return today.toISOString().slice(0, 10);
}

/**
 * Whether a period is only partly behind us: it ends after today (the current period still
 * running, a comparison period reaching into the future), or it starts before the first day
 * with data (`dataFrom`), so its figures cover only part of it.
 */
export function isPartialPeriod(from: string | null, to: string | null, today: Date = new Date(), dataFrom?: string | null): boolean {
  const end = to ?? openEnd(today);
  if (end > isoDay(today)) return true;
  return !!(dataFrom && from && from < dataFrom);
}
