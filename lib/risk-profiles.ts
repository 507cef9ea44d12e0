import { isIsoDate, parseFilters, serializeFilters, type Filters, type SearchParamsInput } from "./filters";

// Risk profiles (issue 18, item 4): an analyst's targeting rule. Its filter is the one filter
// model's canonical URL query (lib/filters.ts parse → serialise, as saved views keep theirs,
// lib/views.ts): whatever filter the model gains (ports, parties) a profile gets with it.
// Matching runs that filter through the case table's own filter → SQL (db/case-filters.ts).

export const MAX_PROFILE_NAME = 80;
export const MAX_PROFILE_REASON = 1000;
/** a canonical query is short; a longer one was not made by the filter bar */
export const MAX_PROFILE_QUERY = 4000;
/** an active profile with no hit for this many days has "stopped hitting" */
export const STALE_DAYS = 30;
/** months of the list's sparkline and of a profile's chart */
export const SPARK_MONTHS = 12;
/** the hit cases a profile's page lists, newest first */
export const LATEST_HITS = 200;
export const DAY_MS = 86_400_000;
/** Beijing time is UTC+8 all year */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The canonical query of a filter (the dashboard's: no sort, size or page). */
export function canonicalProfileQuery(input: SearchParamsInput | string): string {
  const params = typeof input === "string" ? new URLSearchParams(input.startsWith("?") ? input.slice(1) : input) : input;
  return serializeFilters(parseFilters(params).filters).toString();
}

/** A profile's filter, parsed again by the filter model. */
export function profileFilters(query: string): Filters {
  return parseFilters(new URLSearchParams(query)).filters;
}

/** The Beijing date of an instant, YYYY-MM-DD. */
export function shanghaiDate(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The first instant (ms) of a Beijing date. */
export function shanghaiStart(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
}

/** The date `days` after (or before) `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a profile is matched on `today`: not archived, and today within its validity. */
export function isActiveOn(p: { archived: boolean; validFrom: string; validTo: string | null }, today: string): boolean {
  return !p.archived && p.validFrom <= today && (p.validTo === null || today <= p.validTo);
}

/** The last `count` months up to `today`'s, oldest first, as YYYY-MM. */
export function lastMonths(today: string, count = SPARK_MONTHS): string[] {
  const [y, m] = today.split("-").map(Number) as [number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const index = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`);
  }
  return out;
}

export { isIsoDate };
