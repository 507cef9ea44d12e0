import { serializeFilters, type Filters } from "./filters";
import { clampToYear } from "./period";

// Drill-down: a bar, slice or KPI of the dashboard becomes the case table with that
// filter added to the current ones. Pure: the dashboard builds every link on the server.

type ListFilter = Exclude<keyof Filters, "from" | "to" | "q">;

/** The current filters narrowed to the given values of one list filter. */
export function withValues(filters: Filters, name: ListFilter, values: (string | number)[]): Filters {
  return { ...filters, [name]: values } as Filters;
}

/** The current filters narrowed to one calendar year (within the current dates). */
export function withYear(filters: Filters, year: number): Filters {
  return { ...filters, ...clampToYear(year, filters.from, filters.to) };
}

/** A link to a page with these filters in its URL ("/cases", "/", "/districts/8600", …). */
export function hrefWith(path: string, filters: Filters): string {
  const query = serializeFilters(filters).toString();
  return query ? `${path}?${query}` : path;
}

export const casesHref = (filters: Filters): string => hrefWith("/cases", filters);
