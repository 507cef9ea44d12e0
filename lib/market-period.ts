import { isIsoDate } from "./filters";

// The period of the market tables, from request parameters (pure). The market tables take
// only a period, of whole years; see lib/suppression.ts for why a period is safe to show.

export type PeriodProblem = { parameter: string; value: string; kind: "not_accepted" | "repeated" | "year" | "range"; message: string };

/**
 * The period of the market tables from request parameters: `from` and `to`, each a date
 * (YYYY-MM-DD) or a year (YYYY), snapped to the whole years they touch. The market tables
 * take no other filter: any other parameter is a problem, named.
 */
export function parseMarketPeriod(
  input: URLSearchParams | Record<string, string | string[] | undefined>,
  names: { from: string; to: string } = { from: "from", to: "to" },
  acceptOthers = false,
): { fromYear: number | null; toYear: number | null; problems: PeriodProblem[] } {
  const entries: [string, string][] = input instanceof URLSearchParams
    ? [...input.entries()]
    : Object.entries(input).flatMap(([k, v]) => (v === undefined ? [] : Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]));
  const problems: PeriodProblem[] = [];
  const years: Record<"from" | "to", number | null> = { from: null, to: null };
  const seen = new Set<string>();
  for (const [name, raw] of entries) {
    const which = name === names.from ? "from" : name === names.to ? "to" : null;
    if (!which) {
      if (!acceptOthers) problems.push({ parameter: name, value: raw, kind: "not_accepted", message: `${name} is not accepted: the market tables take only the period (${names.from}, ${names.to})` });
      continue;
    }
    const value = raw.trim();
    if (seen.has(name)) {
      problems.push({ parameter: name, value, kind: "repeated", message: `${name}=${JSON.stringify(value)} may be given only once` });
      continue;
    }
    seen.add(name);
    if (value === "") continue;
    const valid = /^\d{4}$/.test(value) || isIsoDate(value);
    if (!valid || Number(value.slice(0, 4)) < 1900) {
      problems.push({ parameter: name, value, kind: "year", message: `${name}=${JSON.stringify(value)} must be a year (YYYY) or a date written YYYY-MM-DD` });
      continue;
    }
    years[which] = Number(value.slice(0, 4));
  }
  if (years.from !== null && years.to !== null && years.to < years.from) {
    problems.push({ parameter: names.to, value: String(years.to), kind: "range", message: `${names.to}=${years.to} must not be before ${names.from}=${years.from}` });
    years.to = null;
  }
  return { fromYear: years.from, toYear: years.to, problems };
}
