import { describe, expect, it } from "vitest";
import {
  DEFAULT_SORT, EMPTY_FILTERS, FACET_NAMES, FILTER_NAMES, MAX_VALUES_PER_PARAMETER, ROUTE_FILTER_NAMES, describeIgnored, filtersSlug, hasAnyFilter, parseCaseQuery, parseFilters, serializeCaseQuery, serializeFilters,
  type Filters,
  NON_FACET_LIST_FILTERS,
} from "../../lib/filters";
import { filterChips, filterSummary } from "../../lib/filter-labels";
import { countryCodes, isCountryCode } from "../../lib/countries";
import { isAlpha2Code } from "../../lib/route-codes";

const full: Filters = {
  from: "2016-01-01", to: "2017-06-07", district: ["8600", "5300"], office: ["8601"], type: ["trademark", "copyright"],
  category: ["lighting"], industry: ["lighting", "luxury"], holder: [12, 40], direction: ["export"], channel: ["express", "postal"],
  transport: ["air"], mode: ["ex_officio"], status: ["closed"], disposal: ["destroyed", "none"], campaign: ["qingfeng"], recordation: [7, "none"], q: "Maison 阿维",
  port: ["ruili", "hekou"], origin: ["VN", "MM"], hs: ["6403"], party: "Ruili Trading",
};

describe("the filter model", () => {
  it("has a facet for every filter that takes a list of values (but the recordation's), and for no other", () => {
    const lists = FILTER_NAMES.filter((n) => Array.isArray(EMPTY_FILTERS[n]));
    expect([...FACET_NAMES].sort()).toEqual(lists.filter((n) => !(NON_FACET_LIST_FILTERS as readonly string[]).includes(n)).sort());
  });

  it("round-trips every parameter through the URL", () => {
    const params = serializeFilters(full);
    expect(params.getAll("type")).toEqual(["trademark", "copyright"]);
    const { filters, ignored } = parseFilters(new URLSearchParams(params.toString()));
    expect(ignored).toEqual([]);
    expect(filters).toEqual(full);
  });

  it("round-trips a table query, leaving defaults out of the URL", () => {
    const query = { filters: full, page: 3, size: 100, sort: { key: "value" as const, dir: "asc" as const } };
    const params = serializeCaseQuery(query);
    expect(params.get("sort")).toBe("value.asc");
    expect(parseCaseQuery(params)).toEqual({ query, ignored: [] });
    const plain = serializeCaseQuery({ filters: EMPTY_FILTERS, page: 1, size: 25, sort: DEFAULT_SORT });
    expect(plain.toString()).toBe("");
  });

  it("reads Next's searchParams objects as well as URLSearchParams", () => {
    const { filters } = parseFilters({ type: ["trademark", "copyright"], district: "8600", q: undefined });
    expect(filters.type).toEqual(["trademark", "copyright"]);
    expect(filters.district).toEqual(["8600"]);
  });

  it.each([
    ["from=2017-02-30", "from", "date"],
    ["to=07/06/2017", "to", "date"],
    ["from=2017-06-07&to=2016-01-01", "to", "range"],
    ["type=piracy", "type", "value"],
    ["type=toString", "type", "value"],
    ["district=86", "district", "code"],
    ["holder=-3", "holder", "id"],
    ["holder=abc", "holder", "id"],
    ["campaign=Qing Feng", "campaign", "slug"],
    ["size=500", "size", "size"],
    ["size=0", "size", "size"],
    ["page=-1", "page", "page"],
    ["page=0", "page", "page"],
    ["sort=secret.desc", "sort", "sort"],
    ["sort=value", "sort", "sort"],
    ["sort=constructor.asc", "sort", "sort"],
    ["from=2016-01-01&from=2017-01-01", "from", "repeated"],
    ["origin=ZZ", "origin", "country"],
    ["origin=USA", "origin", "country"],
    ["origin=V", "origin", "country"],
    ["hs=64031", "hs", "hs"],
    ["port=atlantis", "port", "value"],
  ])("ignores %s and says why", (query, parameter, reason) => {
    const { query: parsed, ignored } = parseCaseQuery(new URLSearchParams(query));
    expect(ignored).toEqual([expect.objectContaining({ parameter, reason })]);
    expect(parsed.size).toBe(parameter === "size" ? 25 : parsed.size);
    expect(parsed.page).toBe(parameter === "page" ? 1 : parsed.page);
    expect(parsed.sort).toEqual(parameter === "sort" ? DEFAULT_SORT : parsed.sort);
  });

  it("keeps the good values of a parameter and drops only the bad one", () => {
    const { filters, ignored } = parseFilters(new URLSearchParams("type=trademark&type=piracy&type=copyright"));
    expect(filters.type).toEqual(["trademark", "copyright"]);
    expect(ignored).toHaveLength(1);
  });

  it("cleans the text query and refuses a very long one", () => {
    expect(parseFilters(new URLSearchParams("q=  hand\u0000bags  ")).filters.q).toBe("hand bags");
    expect(parseFilters(new URLSearchParams("q=   ")).filters.q).toBeNull();
    const long = parseFilters(new URLSearchParams(`q=${"x".repeat(201)}`));
    expect(long.filters.q).toBeNull();
    expect(long.ignored[0]).toMatchObject({ parameter: "q", reason: "length" });
  });

  it("caps how many values one parameter may carry", () => {
    const params = new URLSearchParams();
    for (let i = 1; i <= 150; i++) params.append("holder", String(i));
    const { filters, ignored } = parseFilters(params);
    expect(filters.holder).toHaveLength(100);
    expect(ignored).toHaveLength(50);
  });

  it("reads the origin country: ISO alpha-2 codes in either case, each once, a bad one named", () => {
    expect(parseFilters(new URLSearchParams("origin=VN&origin=mm")).filters.origin).toEqual(["VN", "MM"]);
    // repeated (also in another case): kept once, nothing reported
    const repeated = parseFilters(new URLSearchParams("origin=VN&origin=vn&origin=VN"));
    expect(repeated.filters.origin).toEqual(["VN"]);
    expect(repeated.ignored).toEqual([]);
    // an unknown code is left out with a reason that names it; the good ones stay
    const bad = parseFilters(new URLSearchParams("origin=VN&origin=XX&origin=Vietnam"));
    expect(bad.filters.origin).toEqual(["VN"]);
    expect(bad.ignored).toEqual([
      { parameter: "origin", value: "XX", reason: "country" },
      { parameter: "origin", value: "Vietnam", reason: "country" },
    ]);
    expect(describeIgnored(bad.ignored[0]!)).toBe('origin="XX" must be an ISO 3166-1 alpha-2 country code such as VN');
    // blank values are no value
    expect(parseFilters(new URLSearchParams("origin=&origin=%20")).filters.origin).toEqual([]);
  });

  it("checks origin codes against the very list the country names come from (lib/countries.ts)", () => {
    const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (const a of letters) for (const b of letters) expect(isAlpha2Code(a + b), a + b).toBe(isCountryCode(a + b));
    expect(countryCodes().every(isAlpha2Code)).toBe(true);
    expect(isAlpha2Code("vn")).toBe(false);
  });

  it("takes at most as many origin countries as any list filter", () => {
    const codes = countryCodes();
    expect(codes.length).toBeGreaterThan(MAX_VALUES_PER_PARAMETER);
    const params = new URLSearchParams(codes.map((c) => ["origin", c]));
    const { filters, ignored } = parseFilters(params);
    expect(filters.origin).toEqual(codes.slice(0, MAX_VALUES_PER_PARAMETER));
    expect(ignored).toHaveLength(codes.length - MAX_VALUES_PER_PARAMETER);
    expect(ignored.every((i) => i.parameter === "origin" && i.reason === "too_many")).toBe(true);
  });

  it("round-trips the route filters alone", () => {
    const route: Filters = { ...EMPTY_FILTERS, port: ["mohan"], origin: ["LA", "TH"], hs: ["8517", "6403"], party: "Boten" };
    const params = serializeFilters(route);
    expect(params.toString()).toBe("port=mohan&origin=LA&origin=TH&hs=8517&hs=6403&party=Boten");
    expect(parseFilters(params)).toEqual({ filters: route, ignored: [] });
    expect(ROUTE_FILTER_NAMES.every((n) => (FILTER_NAMES as string[]).includes(n))).toBe(true);
    expect(hasAnyFilter({ ...EMPTY_FILTERS, origin: ["VN"] })).toBe(true);
    expect(filtersSlug({ ...EMPTY_FILTERS, origin: ["VN"] })).toBe("origin-VN");
  });

  it("names origin countries in both languages on chips and in the filter words", () => {
    const f: Filters = { ...EMPTY_FILTERS, origin: ["VN", "US"], port: ["ruili"] };
    expect(filterChips(f, "en").map((c) => c.label)).toEqual(["Port: Ruili", "Origin country: Vietnam", "Origin country: United States"]);
    expect(filterChips(f, "zh").map((c) => c.label)).toEqual(["口岸：瑞丽", "原产国（地区）：越南", "原产国（地区）：美国"]);
    expect(filterSummary(f, "zh")).toEqual([
      { label: "口岸", value: "瑞丽" },
      { label: "原产国（地区）", value: "越南、美国" },
    ]);
  });

  it("knows when any filter is set", () => {
    expect(hasAnyFilter(EMPTY_FILTERS)).toBe(false);
    expect(hasAnyFilter({ ...EMPTY_FILTERS, q: "x" })).toBe(true);
  });

  it("names an export file after its filters, safely", () => {
    expect(filtersSlug(EMPTY_FILTERS)).toBe("all");
    expect(filtersSlug({ ...EMPTY_FILTERS, district: ["8600"], type: ["copyright"], from: "2016-01-01", to: "2017-12-31" })).toBe(
      "2016-01-01_to_2017-12-31_district-8600_type-copyright",
    );
    expect(filtersSlug({ ...EMPTY_FILTERS, q: '../"evil"\r\nname' })).toMatch(/^[A-Za-z0-9+_.-]+$/);
    expect(filtersSlug(full).length).toBeLessThanOrEqual(130);
  });

  it("describes filters in both languages", () => {
    const names = { district: { "8600": { en: "Kunming", zh: "昆明" } }, office: {}, holder: {}, campaign: {} };
    const chips = filterChips({ ...EMPTY_FILTERS, district: ["8600"], type: ["copyright"] }, "zh", names);
    expect(chips.map((c) => c.label)).toEqual(["直属海关：昆明 (8600)", "侵权类型：著作权"]);
    expect(filterSummary({ ...EMPTY_FILTERS, type: ["trademark", "copyright"] }, "en")).toEqual([
      { label: "Infringement type", value: "Trademark, Copyright" },
    ]);
  });
});
