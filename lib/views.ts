import { parseCaseQuery, parseComparison, parseFilters, serializeCaseQuery, serializeComparison, serializeFilters, type SearchParamsInput } from "./filters";

// Saved views (issue 20, item 1): a view keeps its filter as the one filter model's canonical
// URL query — parsed and serialised by lib/filters.ts, never a second format. Saving and
// opening both go through `canonicalViewQuery`: what was not a valid filter is dropped, and
// the reader's scope is never in it (the page takes it from the session).

export const VIEW_PAGES = ["dashboard", "cases"] as const;
export type ViewPage = (typeof VIEW_PAGES)[number];
export const MAX_VIEW_NAME = 80;
/** a canonical query is short; a longer one was not made by the filter bar */
export const MAX_VIEW_QUERY = 4000;

export const VIEW_PATHS: Record<ViewPage, string> = { dashboard: "/", cases: "/cases" };

/**
 * The canonical query of a page's filter (the dashboard also keeps its chosen comparison, the
 * table its sort and page size; never the page number).
 */
export function canonicalViewQuery(page: ViewPage, input: SearchParamsInput | string): string {
  const params = typeof input === "string" ? new URLSearchParams(input.startsWith("?") ? input.slice(1) : input) : input;
  if (page === "dashboard") return serializeComparison(parseComparison(params).comparison, serializeFilters(parseFilters(params).filters)).toString();
  const { query } = parseCaseQuery(params);
  return serializeCaseQuery({ ...query, page: 1 }).toString();
}

/** The link that opens a view: its page with its query parsed again. */
export function viewHref(page: ViewPage, query: string): string {
  const canonical = canonicalViewQuery(page, query);
  return canonical ? `${VIEW_PATHS[page]}?${canonical}` : VIEW_PATHS[page];
}
