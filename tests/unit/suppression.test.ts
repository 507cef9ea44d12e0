import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../lib/env";
import {
  buildRelease, DEFAULT_MARKET_MIN_CASES, isSensitive, marketMinCasesFromEnv, protectTable, snapToYears, viewPeriod,
  type CountedCell, type MarketSource, type MarketView, type Release,
} from "../../lib/suppression";
import { parseMarketPeriod } from "../../lib/market-period";
import { recoverable, RowSpace } from "../support/disclosure";

// The market tables' disclosure control. Properties over random case lists, checked by an
// independent method (exact linear algebra over the published numbers, tests/support/
// disclosure.ts) rather than by the bridge argument the library uses.

type Case = { year: number; a: number; b: number; pieces: number; valueFen: number; own: boolean };

const cell = (cases: number, othersCases = cases, pieces = cases * 3, valueFen = cases * 1000): CountedCell => ({ cases, pieces, valueFen, othersCases });

/** Two tables (A: rows a0…, B: rows b0…) and the by-year figures, counted from a list of cases. */
function sourceOf(cases: Case[], years: number[], rowsA: number, rowsB: number): MarketSource {
  const empty = (n: number) => Array.from({ length: n }, () => years.map(() => cell(0)));
  const a = empty(rowsA), b = empty(rowsB), byYear = years.map(() => cell(0));
  for (const c of cases) {
    const i = years.indexOf(c.year);
    for (const target of [a[c.a]![i]!, b[c.b]![i]!, byYear[i]!]) {
      target.cases++;
      target.pieces += c.pieces;
      target.valueFen += c.valueFen;
      if (!c.own) target.othersCases++;
    }
  }
  const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, en: `${prefix}${i}`, zh: `${prefix}${i}` }));
  return { years, byYear, tables: [{ name: "A", rows: rows("a", rowsA), cells: a }, { name: "B", rows: rows("b", rowsB), cells: b }] };
}

/** Random case lists: a few years, a few rows per table, cells from empty to well above the threshold. */
const arbitraryRelease = fc
  .record({
    yearCount: fc.integer({ min: 1, max: 5 }),
    rowsA: fc.integer({ min: 2, max: 6 }),
    rowsB: fc.integer({ min: 2, max: 4 }),
    threshold: fc.integer({ min: 3, max: 12 }),
    ownShare: fc.constantFrom(0, 0.1, 0.5),
  })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      cases: fc.array(
        fc.record({
          year: fc.integer({ min: 2012, max: 2011 + shape.yearCount }),
          // skewed rows: some cells large, some small or empty
          a: fc.integer({ min: 0, max: shape.rowsA * shape.rowsA - 1 }).map((n) => Math.floor(Math.sqrt(n))),
          b: fc.integer({ min: 0, max: shape.rowsB - 1 }),
          pieces: fc.integer({ min: 1, max: 500 }),
          valueFen: fc.integer({ min: 0, max: 1_000_000 }),
          own: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < shape.ownShare),
        }),
        { minLength: 0, maxLength: 400 },
      ),
    }),
  )
  .map(({ shape, cases }) => {
    const years = Array.from({ length: shape.yearCount }, (_, i) => 2012 + i);
    const source = sourceOf(cases, years, shape.rowsA, shape.rowsB);
    return { source, release: buildRelease(source, shape.threshold), threshold: shape.threshold };
  });

/** Every period of a release's years (and one outside them). */
function allPeriods(release: Release): MarketView[] {
  const ys = release.years;
  const views: MarketView[] = [];
  for (let i = 0; i < ys.length; i++) for (let j = i; j < ys.length; j++) views.push(viewPeriod(release, ys[i]!, ys[j]!));
  views.push(viewPeriod(release, 1990, 2100));
  return views;
}

describe("RowSpace (the independent checker) finds what is recoverable", () => {
  it("a row with one hidden cell gives it away; a 2 × 2 block of hidden cells does not", () => {
    const s = new RowSpace();
    s.add(new Map([["x", 1n]])); // row total over one hidden cell
    expect(s.contains(new Map([["x", 1n]]))).toBe(true);
    const t = new RowSpace();
    // x11 + x12, x21 + x22, x11 + x21, x12 + x22
    for (const pair of [["a", "b"], ["c", "d"], ["a", "c"], ["b", "d"]]) t.add(new Map(pair.map((k) => [k, 1n])));
    expect(t.rank).toBe(3);
    for (const k of ["a", "b", "c", "d"]) expect(t.contains(new Map([[k, 1n]]))).toBe(false);
    expect(t.contains(new Map([["a", 1n], ["b", 1n], ["c", 1n], ["d", 1n]]))).toBe(true);
  });

  it("catches a pattern without secondary suppression", () => {
    // one sensitive cell and nothing else hidden: the row total gives it away
    const view: MarketView = {
      threshold: 10, availableYears: [2020, 2021], years: [2020, 2021], whole: true,
      byYear: [], total: { cases: 0, pieces: 0, valueFen: 0 },
      tables: [{
        name: "T", columnTotals: [], total: { cases: 0, pieces: 0, valueFen: 0 },
        rows: [
          { key: "r0", en: "", zh: "", cells: [null, { cases: 50, pieces: 1, valueFen: 1 }], total: { cases: 55, pieces: 1, valueFen: 1 } },
          { key: "r1", en: "", zh: "", cells: [{ cases: 40, pieces: 1, valueFen: 1 }, { cases: 40, pieces: 1, valueFen: 1 }], total: { cases: 80, pieces: 1, valueFen: 1 } },
        ],
      }],
    };
    expect(recoverable([view], [2020, 2021]).determinedCells).toEqual(["T|r0|2020"]);
  });
});

describe("primary suppression", () => {
  it("hides a cell under the threshold, and one whose cases not naming the requester are under it", () => {
    expect(isSensitive(cell(9), 10)).toBe(true);
    expect(isSensitive(cell(10), 10)).toBe(false);
    expect(isSensitive(cell(500, 9), 10)).toBe(true); // the requester would subtract its own 491
    expect(isSensitive(cell(500, 10), 10)).toBe(false);
    expect(isSensitive(cell(0, 0), 10)).toBe(false); // nothing to protect: published as 0
  });

  it("a 3 × 3 table: the small cell, and the cells of the cheapest cycle through it", () => {
    const cells = [
      [cell(4), cell(100), cell(30)],
      [cell(12), cell(200), cell(300)],
      [cell(50), cell(11), cell(400)],
    ];
    const totals = cells.map((row) => row.reduce((s, c) => cell(s.cases + c.cases), cell(0)));
    const p = protectTable(cells, totals, 10);
    expect(p.primary.flat().filter(Boolean)).toHaveLength(1);
    // the cycle through (0,0) with the fewest cases: 100 + 11 + 50 = 161, cheaper than any through the 12
    const hidden = p.suppressed.flatMap((row, r) => row.flatMap((s, c) => (s ? [`${r}${c}`] : [])));
    expect(hidden).toEqual(["00", "01", "20", "21"]);
    expect(p.totalSuppressed.some(Boolean)).toBe(false);
  });

  it("drops a year whose national figures are sensitive from every table", () => {
    const source = sourceOf(
      [...Array.from({ length: 30 }, () => ({ year: 2012, a: 0, b: 0, pieces: 1, valueFen: 1, own: false })),
       ...Array.from({ length: 5 }, () => ({ year: 2013, a: 1, b: 1, pieces: 1, valueFen: 1, own: false })),
       ...Array.from({ length: 40 }, (_, i) => ({ year: 2014, a: i % 2, b: 1, pieces: 1, valueFen: 1, own: i > 5 }))],
      [2012, 2013, 2014], 2, 2,
    );
    const release = buildRelease(source, 10);
    expect(release.years).toEqual([2012]); // 2013: 5 cases; 2014: 6 not naming the requester
    expect(release.tables.every((t) => t.cells.every((row) => row.length === 1))).toBe(true);
  });
});

describe("secondary suppression: properties over random tables", () => {
  it("every sensitive cell is hidden, every hidden cell has cases, nothing hidden is recoverable from one table's totals", () => {
    fc.assert(
      fc.property(arbitraryRelease, ({ release, threshold }) => {
        for (const t of release.tables) {
          t.cells.forEach((row, r) =>
            row.forEach((c, i) => {
              if (isSensitive(c, threshold)) expect(t.pattern.suppressed[r]![i]).toBe(true);
              if (t.pattern.suppressed[r]![i]) expect(c.cases).toBeGreaterThan(0);
            }),
          );
          t.rowTotals.forEach((c, r) => isSensitive(c, threshold) && expect(t.pattern.totalSuppressed[r]).toBe(true));
          const whole = viewPeriod({ ...release, tables: [t] }, 0, 9999);
          const found = recoverable([whole], release.years);
          expect(found.determinedCells).toEqual([]);
          expect(found.determinedTotals).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("combining the tables (sharing the published year totals) recovers nothing either", () => {
    fc.assert(
      fc.property(arbitraryRelease, ({ release }) => {
        const found = recoverable([viewPeriod(release, 0, 9999)], release.years);
        expect(found.determinedCells).toEqual([]);
        expect(found.determinedTotals).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("every period of the same release, all taken together, recovers nothing", () => {
    fc.assert(
      fc.property(arbitraryRelease, ({ release }) => {
        const views = allPeriods(release);
        const found = recoverable(views, release.years);
        expect(found.determinedCells).toEqual([]);
        expect(found.determinedTotals).toEqual([]);
        // and each period shows only values of the whole table, or sums of shown ones
        const whole = viewPeriod(release, 0, 9999);
        for (const v of views) {
          for (const [ti, t] of v.tables.entries()) {
            for (const [ri, row] of t.rows.entries()) {
              row.cells.forEach((c, i) => {
                const at = whole.years.indexOf(v.years[i]!);
                expect(c).toEqual(whole.tables[ti]!.rows[ri]!.cells[at]);
              });
              if (!v.whole && row.total) expect(row.cells.every((c) => c !== null)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("shows the true figures of every cell it does not hide, with totals that add up", () => {
    fc.assert(
      fc.property(arbitraryRelease, ({ source, release }) => {
        const view = viewPeriod(release, 0, 9999);
        for (const t of view.tables) {
          const src = source.tables.find((s) => s.name === t.name)!;
          t.rows.forEach((row, r) =>
            row.cells.forEach((c, i) => {
              const truth = src.cells[r]![source.years.indexOf(view.years[i]!)]!;
              if (c) expect(c).toEqual({ cases: truth.cases, pieces: truth.pieces, valueFen: truth.valueFen });
            }),
          );
          expect(t.total.cases).toBe(view.byYear.reduce((s, y) => s + y.cases, 0));
        }
      }),
      { numRuns: 100 },
    );
  });

  it("is deterministic: the same figures give the same pattern", () => {
    fc.assert(
      fc.property(arbitraryRelease, ({ source, release, threshold }) => {
        expect(buildRelease(source, threshold).tables.map((t) => t.pattern)).toEqual(release.tables.map((t) => t.pattern));
      }),
      { numRuns: 50 },
    );
  });
});

describe("periods", () => {
  const cases: Case[] = [];
  // row a0: large every year; a1: 3 cases in 2013 only (sensitive); a2: large
  for (const year of [2012, 2013, 2014]) {
    for (let i = 0; i < 40; i++) cases.push({ year, a: i % 2 === 0 ? 0 : 2, b: i % 2, pieces: 2, valueFen: 100, own: false });
  }
  for (let i = 0; i < 3; i++) cases.push({ year: 2013, a: 1, b: 0, pieces: 2, valueFen: 100, own: false });
  const release = buildRelease(sourceOf(cases, [2012, 2013, 2014], 3, 2), 10);

  it("a one-year period hides the row total of a row with a hidden cell, which would be the cell itself", () => {
    const v2013 = viewPeriod(release, 2013, 2013);
    const a = v2013.tables.find((t) => t.name === "A")!;
    expect(a.rows[1]!.cells).toEqual([null]);
    expect(a.rows[1]!.total).toBeNull();
    // rows without hidden cells in the period show their period total
    const v2012 = viewPeriod(release, 2012, 2012);
    expect(v2012.tables.find((t) => t.name === "A")!.rows[1]!.total).toEqual({ cases: 0, pieces: 0, valueFen: 0 });
  });

  it("whole years: a date period is snapped to the years it touches", () => {
    expect(snapToYears("2013-06-07", "2014-02-01")).toEqual({ fromYear: 2013, toYear: 2014 });
    expect(snapToYears(null, null)).toEqual({ fromYear: 0, toYear: 9999 });
    expect(viewPeriod(release, 2013, 2014).years).toEqual([2013, 2014]);
    expect(viewPeriod(release, 2030, 2031).years).toEqual([]);
  });
});

describe("MARKET_MIN_CASES", () => {
  it("defaults to 10 and takes a whole number from 3 to 1000", () => {
    expect(marketMinCasesFromEnv(undefined)).toBe(DEFAULT_MARKET_MIN_CASES);
    expect(marketMinCasesFromEnv(" ")).toBe(10);
    expect(marketMinCasesFromEnv("25")).toBe(25);
  });

  it.each(["2", "0", "-5", "10.5", "ten", "1e2", "1001"])("refuses %j with a sentence naming the variable", (value) => {
    expect(() => marketMinCasesFromEnv(value)).toThrow(ConfigError);
    expect(() => marketMinCasesFromEnv(value)).toThrow(`MARKET_MIN_CASES must be a whole number from 3 to 1000 (got "${value}").`);
  });
});

describe("parseMarketPeriod", () => {
  const parse = (query: string) => parseMarketPeriod(new URLSearchParams(query));

  it("takes years or dates and snaps them to the whole years they touch", () => {
    expect(parse("")).toEqual({ fromYear: null, toYear: null, problems: [] });
    expect(parse("from=2016-06-07&to=2017-01-31")).toEqual({ fromYear: 2016, toYear: 2017, problems: [] });
    expect(parse("from=2016&to=2016")).toEqual({ fromYear: 2016, toYear: 2016, problems: [] });
    expect(parse("to=2020-12-31")).toEqual({ fromYear: null, toYear: 2020, problems: [] });
  });

  it.each([
    ["from=2016-02-30", "from", 'from="2016-02-30" must be a year (YYYY) or a date written YYYY-MM-DD'],
    ["to=20166", "to", 'to="20166" must be a year (YYYY) or a date written YYYY-MM-DD'],
    ["from=0999", "from", 'from="0999" must be a year (YYYY) or a date written YYYY-MM-DD'],
    ["from=2020&to=2019-12-31", "to", "to=2019 must not be before from=2020"],
    ["from=2016&from=2017", "from", 'from="2017" may be given only once'],
    ["district=8600", "district", "district is not accepted: the market tables take only the period (from, to)"],
    ["q=5300-2012-0010&from=2016", "q", "q is not accepted: the market tables take only the period (from, to)"],
  ])("%s: names %s", (query, parameter, message) => {
    const { problems } = parse(query);
    expect(problems[0]).toMatchObject({ parameter, message });
  });

  it("on the dashboard: its own parameter names, the dashboard's filters left alone", () => {
    const names = { from: "marketFrom", to: "marketTo" };
    expect(parseMarketPeriod({ marketFrom: "2014", marketTo: "2015", district: "8600", q: "x" }, names, true))
      .toEqual({ fromYear: 2014, toYear: 2015, problems: [] });
    expect(parseMarketPeriod({ marketFrom: ["2014", "2015"] }, names, true).problems[0]!.parameter).toBe("marketFrom");
  });

  it("never throws, whatever it is given", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("from", "to", "x"), fc.string({ maxLength: 12 })), { maxLength: 4 }), (pairs) => {
        const { fromYear, toYear, problems } = parseMarketPeriod(new URLSearchParams(pairs));
        if (fromYear !== null && toYear !== null) expect(toYear).toBeGreaterThanOrEqual(fromYear);
        for (const p of problems) expect(p.message).toContain(p.parameter);
      }),
    );
  });
});
