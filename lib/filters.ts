import {
  caseStatuses,
  channels,
  disposalFilterValues,
  directions,
  goodsCategories,
  industries,
  infringementTypes,
  ports,
  protectionModes,
  transports,
  type CaseStatus,
  type Channel,
  type Direction,
  type DisposalFilter,
  type GoodsCategory,
  type Industry,
  type InfringementType,
  type Port,
  type ProtectionMode,
  type Transport,
} from "./enums";
import { isAlpha2Code, isHsHeading } from "./route-codes";
import { COMPARISON_KINDS, DEFAULT_COMPARISON, type ComparisonKind, type ComparisonSpec } from "./period";

// The one filter model: URL search params → a typed Filters value, and back. The dashboard,
// the case table, the exports and the JSON API all take this value. A bad value never
// throws: it is left out and reported, so a page can say what it ignored and the API can
// answer 400 naming the parameter.

export type Filters = {
  from: string | null;
  to: string | null;
  district: string[];
  office: string[];
  type: InfringementType[];
  category: GoodsCategory[];
  industry: Industry[];
  holder: number[];
  direction: Direction[];
  channel: Channel[];
  transport: Transport[];
  mode: ProtectionMode[];
  status: CaseStatus[];
  disposal: DisposalFilter[];
  campaign: string[];
  /** recordation ids, or "none": the cases resting on no recordation (to be completed) */
  recordation: RecordationFilter[];
  q: string | null;
  /** the port of entry or exit (issue 18) */
  port: Port[];
  /** the route's origin country: ISO 3166-1 alpha-2 codes (upper case) */
  origin: string[];
  /** HS headings, four digits each */
  hs: string[];
  /** a party's name (part of it) or code: the consignor, consignee or declarant (never a person's identity number) */
  party: string | null;
};
export type RecordationFilter = number | "none";

export const EMPTY_FILTERS: Filters = {
  from: null, to: null, district: [], office: [], type: [], category: [], industry: [], holder: [],
  direction: [], channel: [], transport: [], mode: [], status: [], disposal: [], campaign: [], recordation: [], q: null,
  port: [], origin: [], hs: [], party: null,
};

/** The enumerated filters, with the enumeration each takes its values from. */
export const ENUM_FILTERS = {
  type: infringementTypes,
  category: goodsCategories,
  industry: industries,
  direction: directions,
  channel: channels,
  transport: transports,
  mode: protectionModes,
  status: caseStatuses,
  disposal: disposalFilterValues,
  port: ports,
} as const;
export type EnumFilterName = keyof typeof ENUM_FILTERS;
export type FilterName = keyof Filters;
export const FILTER_NAMES = Object.keys(EMPTY_FILTERS) as FilterName[];
/** The filters that take a list of values, each a facet of the filter bar, in the bar's order. */
export const FACET_NAMES = [
  "district", "office", "type", "category", "direction", "channel", "transport", "mode", "status", "disposal", "industry", "holder", "campaign",
] as const satisfies readonly FilterName[];
export type FacetName = (typeof FACET_NAMES)[number];
/**
 * The list filters that are no facet of the bar: a recordation is chosen from the dashboard's
 * recordation panel, a case page or a shared link (thousands of them: no select of counts),
 * and shows as a chip with its number and mark. The route filters (port, origin country, HS
 * heading) have their own group of the bar, with the party (ROUTE_FILTER_NAMES), and no counts.
 */
export const NON_FACET_LIST_FILTERS = ["recordation", "port", "hs", "origin"] as const satisfies readonly FilterName[];
/** The filters of the bar's "Route and parties" group (components/filters/RoutePanel.tsx), in its order. */
export const ROUTE_FILTER_NAMES = ["port", "origin", "hs", "party"] as const satisfies readonly FilterName[];
export type RouteFilterName = (typeof ROUTE_FILTER_NAMES)[number];


export const SORT_KEYS = ["seizedOn", "caseNo", "pieces", "value"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type Sort = { key: SortKey; dir: "asc" | "desc" };
export const DEFAULT_SORT: Sort = { key: "seizedOn", dir: "desc" };
export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 200;
export const MAX_QUERY_LENGTH = 200;
export const MAX_VALUES_PER_PARAMETER = 100;

export type CaseQuery = { filters: Filters; page: number; size: number; sort: Sort };

export type IgnoredReason =
  | "date" // not a real YYYY-MM-DD date
  | "range" // `to` before `from`
  | "value" // not one of the allowed values
  | "code" // not a 4-digit customs code
  | "id" // not a positive whole number
  | "slug" // not a campaign code
  | "hs" // not a 4-digit HS heading
  | "country" // not an ISO 3166-1 alpha-2 country code
  | "length" // text too long
  | "repeated" // a single-valued parameter given more than once
  | "too_many" // more values than allowed
  | "page" // not a whole number ≥ 1
  | "size" // not a whole number from 1 to 200
  | "sort"; // not a sortable column and direction

export type Ignored = { parameter: string; value: string; reason: IgnoredReason };

export const IGNORED_REASON_TEXT: Record<IgnoredReason, string> = {
  date: "must be a date written YYYY-MM-DD",
  range: "must not be before `from`",
  value: "is not one of the allowed values",
  code: "must be a 4-digit customs code",
  id: "must be a whole number of at least 1",
  slug: "must be a campaign code such as qingfeng",
  hs: "must be a 4-digit HS heading such as 6403",
  country: "must be an ISO 3166-1 alpha-2 country code such as VN",
  length: `must be at most ${MAX_QUERY_LENGTH} characters`,
  repeated: "may be given only once",
  too_many: `may be given at most ${MAX_VALUES_PER_PARAMETER} times`,
  page: "must be a whole number of at least 1",
  size: `must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
  sort: `must be one of ${SORT_KEYS.map((k) => `${k}.asc|${k}.desc`).join(", ")}`,
};

export function describeIgnored(i: Ignored): string {
  return `${i.parameter}=${JSON.stringify(i.value)} ${IGNORED_REASON_TEXT[i.reason]}`;
}

export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

function valuesOf(input: SearchParamsInput, name: string): string[] {
  if (input instanceof URLSearchParams) return input.getAll(name);
  const v = input[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function single(input: SearchParamsInput, name: string, ignored: Ignored[]): string | null {
  const all = valuesOf(input, name);
  for (const extra of all.slice(1)) ignored.push({ parameter: name, value: extra, reason: "repeated" });
  const value = all[0]?.trim();
  return value ? value : null;
}

function many<T>(
  input: SearchParamsInput,
  name: string,
  ignored: Ignored[],
  accept: (value: string) => T | null,
  reason: IgnoredReason,
): T[] {
  const out: T[] = [];
  for (const raw of valuesOf(input, name)) {
    const value = raw.trim();
    if (value === "") continue;
    if (out.length >= MAX_VALUES_PER_PARAMETER) {
      ignored.push({ parameter: name, value, reason: "too_many" });
      continue;
    }
    const accepted = accept(value);
    if (accepted === null) ignored.push({ parameter: name, value, reason });
    else if (!out.includes(accepted)) out.push(accepted);
  }
  return out;
}

export function parseFilters(input: SearchParamsInput): { filters: Filters; ignored: Ignored[] } {
  const ignored: Ignored[] = [];
  const date = (name: "from" | "to") => {
    const value = single(input, name, ignored);
    if (value === null) return null;
    if (isIsoDate(value)) return value;
    ignored.push({ parameter: name, value, reason: "date" });
    return null;
  };
  const from = date("from");
  let to = date("to");
  if (from && to && to < from) {
    ignored.push({ parameter: "to", value: to, reason: "range" });
    to = null;
  }
  const enumFilter = <N extends EnumFilterName>(name: N) =>
    many(input, name, ignored, (v) => (ENUM_FILTERS[name].is(v) ? v : null), "value") as Filters[N];
  const code = (v: string) => (/^\d{4}$/.test(v) ? v : null);
  const id = (v: string) => (/^\d{1,15}$/.test(v) && Number(v) >= 1 ? Number(v) : null);
  const slug = (v: string) => (/^[a-z][a-z0-9_-]{0,39}$/.test(v) ? v : null);

  const text = (name: "q" | "party") => {
    let q = single(input, name, ignored);
    if (q !== null) {
      // control characters (C0, DEL and C1) become spaces
      q = q.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").replace(/\s+/g, " ").trim() || null;
      if (q !== null && q.length > MAX_QUERY_LENGTH) {
        ignored.push({ parameter: name, value: q.slice(0, 40) + "…", reason: "length" });
        q = null;
      }
    }
    return q;
  };
  const q = text("q");

  const filters: Filters = {
    from,
    to,
    district: many(input, "district", ignored, code, "code"),
    office: many(input, "office", ignored, code, "code"),
    type: enumFilter("type"),
    category: enumFilter("category"),
    industry: enumFilter("industry"),
    holder: many(input, "holder", ignored, id, "id"),
    direction: enumFilter("direction"),
    channel: enumFilter("channel"),
    transport: enumFilter("transport"),
    mode: enumFilter("mode"),
    status: enumFilter("status"),
    disposal: enumFilter("disposal"),
    campaign: many(input, "campaign", ignored, slug, "slug"),
    recordation: many<RecordationFilter>(input, "recordation", ignored, (v) => (v === "none" ? "none" : id(v)), "id"),
    q,
    port: enumFilter("port"),
    // a code in either case ("vn" is "VN"); one the ISO list does not know is left out and named
    origin: many(input, "origin", ignored, (v) => (isAlpha2Code(v.toUpperCase()) ? v.toUpperCase() : null), "country"),
    hs: many(input, "hs", ignored, (v) => (isHsHeading(v) ? v : null), "hs"),
    party: text("party"),
  };
  return { filters, ignored };
}

export function parseCaseQuery(input: SearchParamsInput): { query: CaseQuery; ignored: Ignored[] } {
  const { filters, ignored } = parseFilters(input);
  let page = 1;
  const rawPage = single(input, "page", ignored);
  if (rawPage !== null) {
    if (/^\d{1,9}$/.test(rawPage) && Number(rawPage) >= 1) page = Number(rawPage);
    else ignored.push({ parameter: "page", value: rawPage, reason: "page" });
  }
  let size = DEFAULT_PAGE_SIZE;
  const rawSize = single(input, "size", ignored);
  if (rawSize !== null) {
    if (/^\d{1,4}$/.test(rawSize) && Number(rawSize) >= 1 && Number(rawSize) <= MAX_PAGE_SIZE) size = Number(rawSize);
    else ignored.push({ parameter: "size", value: rawSize, reason: "size" });
  }
  let sort = DEFAULT_SORT;
  const rawSort = single(input, "sort", ignored);
  if (rawSort !== null) {
    const parsed = parseSort(rawSort);
    if (parsed) sort = parsed;
    else ignored.push({ parameter: "sort", value: rawSort, reason: "sort" });
  }
  return { query: { filters, page, size, sort }, ignored };
}

export function parseSort(value: string): Sort | null {
  const [key, dir, ...rest] = value.split(".");
  if (rest.length || !key || !(SORT_KEYS as readonly string[]).includes(key) || (dir !== "asc" && dir !== "desc")) return null;
  return { key: key as SortKey, dir };
}

/** Filters back to URL parameters, in a stable order, leaving out what is unset. */
export function serializeFilters(filters: Filters, into = new URLSearchParams()): URLSearchParams {
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) into.append(name, String(v));
    else into.set(name, String(value));
  }
  return into;
}

/** A case-table query back to URL parameters; defaults are left out so links stay short. */
export function serializeCaseQuery(query: CaseQuery): URLSearchParams {
  const params = serializeFilters(query.filters);
  if (query.sort.key !== DEFAULT_SORT.key || query.sort.dir !== DEFAULT_SORT.dir) params.set("sort", `${query.sort.key}.${query.sort.dir}`);
  if (query.size !== DEFAULT_PAGE_SIZE) params.set("size", String(query.size));
  if (query.page !== 1) params.set("page", String(query.page));
  return params;
}

export function hasAnyFilter(filters: Filters): boolean {
  return FILTER_NAMES.some((name) => {
    const v = filters[name];
    return Array.isArray(v) ? v.length > 0 : v !== null;
  });
}

/** A short, file-name-safe description of the filters, for export file names. */
export function filtersSlug(filters: Filters): string {
  const parts: string[] = [];
  if (filters.from || filters.to) parts.push(`${filters.from ?? "start"}_to_${filters.to ?? "end"}`);
  for (const name of FILTER_NAMES) {
    if (name === "from" || name === "to") continue;
    const v = filters[name];
    const values = Array.isArray(v) ? v.map(String) : v !== null ? [String(v)] : [];
    if (values.length) parts.push(`${name}-${values.join("+")}`);
  }
  const slug = parts
    .join("_")
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9+_.-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return slug.length > 120 ? `${slug.slice(0, 120)}…`.replace(/…$/, "-etc") : slug || "all";
}

// ---- the chosen comparison of the dashboard (issue 20, item 2) --------------------------
//
// `cmp=prev|yoy|custom`, with `cmpFrom` and `cmpTo` for custom. No `cmp` is `prev` (the period
// of equal length before), so links made before the choice keep their meaning; the canonical
// query leaves the default out. A bad value is left out and reported like any filter's.

export const COMPARISON_PARAMS = ["cmp", "cmpFrom", "cmpTo"] as const;

export function parseComparison(input: SearchParamsInput): { comparison: ComparisonSpec; ignored: Ignored[] } {
  const ignored: Ignored[] = [];
  const kind = single(input, "cmp", ignored);
  const date = (name: "cmpFrom" | "cmpTo") => {
    const value = single(input, name, ignored);
    if (value === null) return null;
    if (isIsoDate(value)) return value;
    ignored.push({ parameter: name, value, reason: "date" });
    return null;
  };
  const from = date("cmpFrom");
  const to = date("cmpTo");
  if (kind === null) return { comparison: DEFAULT_COMPARISON, ignored };
  if (!(COMPARISON_KINDS as readonly string[]).includes(kind)) {
    ignored.push({ parameter: "cmp", value: kind, reason: "value" });
    return { comparison: DEFAULT_COMPARISON, ignored };
  }
  if (kind !== "custom") return { comparison: { kind: kind as Exclude<ComparisonKind, "custom"> }, ignored };
  // any period: both dates, in order; without them the default comparison stands
  if (from === null && !ignored.some((i) => i.parameter === "cmpFrom")) ignored.push({ parameter: "cmpFrom", value: "", reason: "date" });
  if (to === null && !ignored.some((i) => i.parameter === "cmpTo")) ignored.push({ parameter: "cmpTo", value: "", reason: "date" });
  if (from === null || to === null) return { comparison: DEFAULT_COMPARISON, ignored };
  if (to < from) {
    ignored.push({ parameter: "cmpTo", value: to, reason: "range" });
    return { comparison: DEFAULT_COMPARISON, ignored };
  }
  return { comparison: { kind: "custom", from, to }, ignored };
}

/** A comparison back to URL parameters: nothing for the default. */
export function serializeComparison(spec: ComparisonSpec, into = new URLSearchParams()): URLSearchParams {
  if (spec.kind === "prev") return into;
  into.set("cmp", spec.kind);
  if (spec.kind === "custom") {
    into.set("cmpFrom", spec.from);
    into.set("cmpTo", spec.to);
  }
  return into;
}
