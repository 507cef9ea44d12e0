import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  ENUM_FILTERS, FILTER_NAMES, MAX_PAGE_SIZE, MAX_QUERY_LENGTH, MAX_VALUES_PER_PARAMETER, SORT_KEYS, isIsoDate, parseCaseQuery,
  parseFilters, serializeCaseQuery, serializeFilters, type EnumFilterName, type Filters, type Ignored,
} from "../../lib/filters";
import { toIndexText, toMatchExpression } from "../../lib/search";
import { isCountryCode } from "../../lib/countries";

// Hostile input at the filter model (issue 7, item 3): whatever a URL holds — SQL, FTS5
// syntax, 10k-character strings, emoji, RTL marks, combining marks, lone surrogates, NULs,
// huge numbers, a parameter repeated where one value belongs — parsing never throws, keeps
// only valid values, reports everything else, and what it keeps survives a round trip.

const MALICIOUS = [
  "' or 1=1 --", "1; drop table cases", "1 OR 1=1", "\"; delete from cases; --", "1/*", "*/", "%", "_", "\\", "'", "\"\"",
  "\"", "NEAR(", "NEAR(a b, 2)", "*", "col:", "case_no:", "{case_no goods}:x", "a AND", "OR", "NOT", "^", "(", ")", "a + b",
  "-", "--", "+", "=1+1", "@SUM(A1)", "=HYPERLINK(\"http://x\")",
  "1e308", "-1e308", "Infinity", "NaN", "-0", "0", "00", "0x10", "9007199254740993", "999999999999999", "9999999999999999",
  "1.5", "-1", " 1 ", "１２", "٣", "8600", "86000", "860", "2016-01-01", "2016-02-30", "0000-00-00", "2016-1-1", "+002016-01-01",
  "9999-12-31", "trademark", "TRADEMARK", "__proto__", "constructor", "toString", "hasOwnProperty", "qingfeng", "Qingfeng",
  "value.asc", "seizedOn.desc", "value.asc.x", ".asc", "1", "25", "200", "201", "2147483648",
  "\u0000", "\r\n", "\t", "\u0085", "\u009f", "\u2028", "\u00a0", "\ufeff", "\u202e", "\u200f", "\u200b",
  "e\u0301\u0301\u0301", "😀", "👩‍👩‍👧", "\ud800", "\udfff", "a\ud800b", "مرحبا", "阿维", "Ａ",
  "x".repeat(10_001), "😀".repeat(5_000), "a ".repeat(150), "\u0000".repeat(300),
];

const REAL_NAMES = [...FILTER_NAMES, "page", "size", "sort"];
const JUNK_NAMES = ["format", "__proto__", "constructor", "q[]", "type[]", "", " q", "Q", "from ", "x".repeat(300), "\u0000", "😀"];

/** A value that is sometimes valid, often hostile. */
const validish = fc.oneof(
  fc.constantFrom(...Object.values(ENUM_FILTERS).flatMap((e) => e.values as readonly string[])),
  fc.constantFrom(...SORT_KEYS.flatMap((k) => [`${k}.asc`, `${k}.desc`])),
  fc.stringMatching(/^\d{4}$/),
  fc.integer({ min: -10, max: 10_000 }).map(String),
  fc.date({ min: new Date("1900-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,45}$/),
  // origin countries: real codes in either case, and two letters the ISO list may not know
  fc.constantFrom("VN", "mm", "US", "cn", "XX", "ZZ", "UK", "EU"),
  fc.stringMatching(/^[A-Za-z]{2}$/),
);
const hostileValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...MALICIOUS) },
  { weight: 3, arbitrary: validish },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", minLength: 150, maxLength: 400 }) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...MALICIOUS), validish, fc.constantFrom("", " ", "\u0000", ";", "'")).map(([a, b, c]) => `${b}${c}${a}`) },
);
const hostileName = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...REAL_NAMES) }, { weight: 1, arbitrary: fc.constantFrom(...JUNK_NAMES) });
/** Parameters as a URL may carry them: any order, any name repeated. */
const hostilePairs = fc.oneof(
  fc.array(fc.tuple(hostileName, hostileValue), { maxLength: 30 }),
  // one parameter given many times (over MAX_VALUES_PER_PARAMETER)
  fc.tuple(hostileName, fc.array(hostileValue, { minLength: 90, maxLength: 130 })).map(([n, vs]) => vs.map((v) => [n, v] as [string, string])),
);

const DISTRICT_LIKE = new Set(["district", "office"]);
const CONTROL = /\p{Cc}/u;

function expectValidFilters(f: Filters) {
  for (const d of [f.from, f.to]) if (d !== null) expect(isIsoDate(d), d).toBe(true);
  if (f.from && f.to) expect(f.to >= f.from).toBe(true);
  for (const name of DISTRICT_LIKE) for (const c of f[name as "district"]) expect(c).toMatch(/^\d{4}$/);
  for (const name of Object.keys(ENUM_FILTERS) as EnumFilterName[]) {
    for (const v of f[name]) expect(ENUM_FILTERS[name].is(v), `${name}=${v}`).toBe(true);
  }
  for (const h of f.holder) expect(Number.isSafeInteger(h) && h >= 1, String(h)).toBe(true);
  for (const r of f.recordation) expect(r === "none" || (Number.isSafeInteger(r) && r >= 1), String(r)).toBe(true);
  for (const c of f.campaign) expect(c).toMatch(/^[a-z][a-z0-9_-]{0,39}$/);
  for (const h of f.hs) expect(h).toMatch(/^\d{4}$/);
  for (const c of f.origin) expect(isCountryCode(c), c).toBe(true);
  for (const name of FILTER_NAMES) {
    const v = f[name];
    if (Array.isArray(v)) {
      expect(v.length).toBeLessThanOrEqual(MAX_VALUES_PER_PARAMETER);
      expect(new Set<unknown>(v).size, `${name} has no duplicates`).toBe(v.length);
    }
  }
  if (f.q !== null) {
    expect(f.q.length).toBeGreaterThan(0);
    expect(f.q.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    expect(CONTROL.test(f.q), `q ${JSON.stringify(f.q)} holds a control character`).toBe(false);
    expect(f.q).toBe(f.q.trim());
  }
}

/** Whether a value given for `name` ended up in the parsed filters. */
function accepted(f: Filters, name: string, value: string): boolean {
  const v = value.trim();
  switch (name) {
    case "from":
    case "to":
      return f[name] === v;
    case "holder":
      return /^\d+$/.test(v) && f.holder.includes(Number(v));
    case "recordation":
      return v === "none" ? f.recordation.includes("none") : /^\d+$/.test(v) && f.recordation.includes(Number(v));
    case "q":
    case "party":
      return f[name] !== null;
    case "origin":
      return f.origin.includes(v.toUpperCase());
    default:
      return (f[name as keyof Filters] as unknown[]).includes(v);
  }
}

/** A string as a URL carries it: each lone surrogate becomes U+FFFD. */
const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

const reportedFor = (ignored: Ignored[], name: string) => ignored.some((i) => i.parameter === name);

describe("parseFilters and parseCaseQuery under hostile parameters", () => {
  it("never throw, keep only valid values and report every value they drop", () => {
    fc.assert(
      fc.property(hostilePairs, (pairs) => {
        const params = new URLSearchParams(pairs);
        const { filters, ignored } = parseFilters(params);
        expectValidFilters(filters);
        const { query, ignored: queryIgnored } = parseCaseQuery(params);
        expect(query.filters).toEqual(filters);
        expect(Number.isSafeInteger(query.page) && query.page >= 1).toBe(true);
        expect(Number.isInteger(query.size) && query.size >= 1 && query.size <= MAX_PAGE_SIZE).toBe(true);
        expect(SORT_KEYS).toContain(query.sort.key);
        expect(["asc", "desc"]).toContain(query.sort.dir);
        // every report names a parameter that was given
        for (const i of queryIgnored) expect(params.has(i.parameter), i.parameter).toBe(true);
        for (const i of ignored) expect(FILTER_NAMES as string[]).toContain(i.parameter);

        // every non-blank value of a known parameter was either taken or reported
        for (const name of FILTER_NAMES) {
          for (const raw of params.getAll(name)) {
            if (raw.trim() === "") continue;
            if ((name === "q" || name === "party") && raw.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").trim() === "") continue;
            expect(accepted(filters, name, raw) || reportedFor(ignored, name), `${name}=${JSON.stringify(raw.slice(0, 60))}`).toBe(true);
          }
        }
        for (const name of ["page", "size", "sort"]) {
          const raw = params.getAll(name).filter((v) => v.trim() !== "");
          if (raw.length > 1) expect(reportedFor(queryIgnored, name)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("keep no control character (C0 or C1) in q and report an over-long q", () => {
    for (const raw of ["a\u0085b", "a\u009fb", "\u0000lamp\r\n", "x\u007fy"]) {
      const { filters, ignored } = parseFilters(new URLSearchParams([["q", raw]]));
      expect(ignored).toEqual([]);
      expect(CONTROL.test(filters.q ?? ""), JSON.stringify(filters.q)).toBe(false);
    }
    expect(parseFilters(new URLSearchParams([["q", "x".repeat(10_001)]])).ignored).toMatchObject([{ parameter: "q", reason: "length" }]);
  });

  it("read Next's searchParams objects (strings or arrays per name) the same way as URLSearchParams", () => {
    fc.assert(
      fc.property(hostilePairs, (pairs) => {
        // URLSearchParams holds USV strings (a lone surrogate becomes U+FFFD): compare like with like
        const params = new URLSearchParams(pairs);
        const record: Record<string, string | string[]> = Object.create(null);
        for (const [name, value] of params) {
          const known = record[name];
          record[name] = known === undefined ? value : Array.isArray(known) ? [...known, value] : [known, value];
        }
        expect(parseCaseQuery(record)).toEqual(parseCaseQuery(params));
      }),
      { numRuns: 200 },
    );
  });

  it("round-trip what they accept: serialize → parse gives the same filters and reports nothing", () => {
    fc.assert(
      fc.property(hostilePairs, (pairs) => {
        const { query } = parseCaseQuery(new URLSearchParams(pairs));
        const again = parseCaseQuery(serializeCaseQuery(query));
        expect(again.ignored).toEqual([]);
        expect(again.query).toEqual(query);
        expect(parseFilters(serializeFilters(query.filters))).toEqual({ filters: query.filters, ignored: [] });
        // through the URL's text too (where a lone surrogate becomes U+FFFD, as browsers do)
        const text = serializeCaseQuery(query).toString();
        const viaText = parseCaseQuery(new URLSearchParams(text));
        expect(viaText.ignored).toEqual([]);
        expect(viaText.query).toEqual({ ...query, filters: { ...query.filters, q: query.filters.q === null ? null : wellFormed(query.filters.q) } });
      }),
      { numRuns: 300 },
    );
  });
});

describe("toMatchExpression under hostile search text", () => {
  // the search index exactly as migration 0026 creates it, with a few rows to match
  const sqlite = new Database(":memory:");
  sqlite.exec(`CREATE VIRTUAL TABLE cases_fts USING fts5(
    case_no, goods, holders, parties, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`);
  const insert = sqlite.prepare("insert into cases_fts(rowid, case_no, goods, holders) values (?, ?, ?, ?)");
  const samples = [
    ["8600-2016-0012", "Counterfeit LED lamps 灯具 'or 1=1", "Maison Lumière; 阿维"],
    ["5300-2019-0001", "NEAR( * col: \"quoted\" drop table", "Acme Ltd."],
    ["0100-2025-9901", "=1+1 😀 e\u0301 مرحبا", "Über GmbH"],
  ];
  samples.forEach(([caseNo, goods, holders], i) => insert.run(i + 1, toIndexText(caseNo!), toIndexText(goods!), toIndexText(holders!)));
  const match = sqlite.prepare("select rowid from cases_fts where cases_fts match ?");
  afterAll(() => sqlite.close());

  const searchText = fc.oneof(
    fc.constantFrom(...MALICIOUS),
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.string({ unit: "grapheme", maxLength: 60 }),
    fc.array(fc.constantFrom(...MALICIOUS, "a", "lamp", "8600", "灯", " ", "-", "\"", "*", "NEAR", "(", ")", ":", "^"), { maxLength: 12 }).map((p) => p.join("")),
    fc.string({ unit: "binary", minLength: 1_000, maxLength: 12_000 }),
  );

  it("never throws, and FTS5 accepts every expression it makes (also as a member's column filter)", () => {
    fc.assert(
      fc.property(searchText, (text) => {
        const expression = toMatchExpression(text);
        if (expression === null) return;
        expect(() => match.all(expression), expression.slice(0, 200)).not.toThrow();
        expect(() => match.all(`{case_no goods} : (${expression})`), expression.slice(0, 200)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it("accepts every q that parseFilters lets through", () => {
    fc.assert(
      fc.property(hostileValue, (raw) => {
        const { filters } = parseFilters(new URLSearchParams([["q", raw]]));
        const expression = filters.q === null ? null : toMatchExpression(filters.q);
        if (expression !== null) expect(() => match.all(expression)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("finds the rows its own words come from, whatever else the text holds", () => {
    expect(match.all(toMatchExpression("8600-2016-0012 ' or 1=1 --")!)).toEqual([{ rowid: 1 }]);
    expect(match.all(toMatchExpression("NEAR( col: drop")!)).toEqual([{ rowid: 2 }]);
    expect(toMatchExpression("\" * ( ) : ^ - --")).toBeNull();
  });
});
