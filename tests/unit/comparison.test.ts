import { describe, expect, it } from "vitest";
import { difference, periodLabel, signedCount, signedMoney, signedPercent } from "../../lib/comparison";
import { parseComparison, serializeComparison } from "../../lib/filters";
import { comparisonPeriod, isPartialPeriod, previousPeriod, yearEarlier, type ComparisonSpec } from "../../lib/period";
import { canonicalViewQuery, viewHref } from "../../lib/views";

const TODAY = new Date("2025-05-10T12:00:00Z");
const PREV: ComparisonSpec = { kind: "prev" };
const YOY: ComparisonSpec = { kind: "yoy" };

describe("comparisonPeriod: the same period a year earlier", () => {
  it.each([
    // a whole year, a leap year's whole year
    ["2025-01-01", "2025-12-31", "2024-01-01", "2024-12-31"],
    ["2024-01-01", "2024-12-31", "2023-01-01", "2023-12-31"],
    // the leap day: 29 Feb → 28 Feb, and a February ending on the 28th → the 29th (a whole month stays whole)
    ["2024-02-29", "2024-02-29", "2023-02-28", "2023-02-28"],
    ["2024-02-01", "2024-02-29", "2023-02-01", "2023-02-28"],
    ["2025-02-01", "2025-02-28", "2024-02-01", "2024-02-29"],
    ["2024-02-10", "2024-03-10", "2023-02-10", "2023-03-10"],
    // month ends and quarters
    ["2024-04-01", "2024-06-30", "2023-04-01", "2023-06-30"],
    ["2025-01-01", "2025-03-31", "2024-01-01", "2024-03-31"],
    ["2024-10-01", "2024-12-31", "2023-10-01", "2023-12-31"],
    ["2024-01-31", "2024-04-30", "2023-01-31", "2023-04-30"],
    // any days, across a year end
    ["2023-11-15", "2024-03-14", "2022-11-15", "2023-03-14"],
  ])("%s … %s → %s … %s", (from, to, pFrom, pTo) => {
    expect(comparisonPeriod(YOY, from, to, TODAY)).toEqual({ from: pFrom, to: pTo });
  });

  it("an open end runs to the end of this year, a year earlier", () => {
    expect(comparisonPeriod(YOY, "2025-01-01", null, TODAY)).toEqual({ from: "2024-01-01", to: "2024-12-31" });
    expect(comparisonPeriod(YOY, "2016-03-15", null, TODAY)).toEqual({ from: "2015-03-15", to: "2024-12-31" });
  });

  it("a range without a start has nothing to compare with", () => {
    expect(comparisonPeriod(YOY, null, null, TODAY)).toBeNull();
    expect(comparisonPeriod(YOY, null, "2020-06-30", TODAY)).toBeNull();
  });

  it("yearEarlier keeps month ends month ends", () => {
    expect(yearEarlier("2024-02-29")).toBe("2023-02-28");
    expect(yearEarlier("2025-02-28")).toBe("2024-02-29");
    expect(yearEarlier("2024-02-28")).toBe("2023-02-28");
    expect(yearEarlier("2024-03-01")).toBe("2023-03-01");
    expect(yearEarlier("2024-12-31")).toBe("2023-12-31");
  });
});

describe("comparisonPeriod: the previous period and any period", () => {
  it("prev is the period of equal length before (previousPeriod), so old links keep their meaning", () => {
    for (const [from, to] of [["2024-01-01", "2024-03-31"], ["2024-02-29", "2024-02-29"], ["2016-01-01", null], [null, null], ["2023-03-15", "2024-03-14"]] as const) {
      expect(comparisonPeriod(PREV, from, to, TODAY)).toEqual(previousPeriod(from, to, TODAY));
    }
    expect(comparisonPeriod(PREV, "2024-01-01", "2024-03-31", TODAY)).toEqual({ from: "2023-10-01", to: "2023-12-31" });
    expect(comparisonPeriod(PREV, "2024-03-01", "2024-03-31", TODAY)).toEqual({ from: "2024-02-01", to: "2024-02-29" });
  });

  it("custom is its own dates, whatever the filter's (even without a start)", () => {
    const spec: ComparisonSpec = { kind: "custom", from: "2019-01-01", to: "2019-06-30" };
    expect(comparisonPeriod(spec, "2024-01-01", "2024-03-31", TODAY)).toEqual({ from: "2019-01-01", to: "2019-06-30" });
    expect(comparisonPeriod(spec, null, null, TODAY)).toEqual({ from: "2019-01-01", to: "2019-06-30" });
  });
});

describe("isPartialPeriod", () => {
  it("a period running past today is partial; one behind us is not", () => {
    expect(isPartialPeriod("2025-01-01", "2025-12-31", TODAY)).toBe(true);
    expect(isPartialPeriod("2025-01-01", null, TODAY)).toBe(true);
    expect(isPartialPeriod("2025-01-01", "2025-05-10", TODAY)).toBe(false);
    expect(isPartialPeriod("2024-01-01", "2024-12-31", TODAY)).toBe(false);
  });
  it("a period starting before the first case is partial", () => {
    expect(isPartialPeriod("2005-01-01", "2005-12-31", TODAY, "2006-03-01")).toBe(true);
    expect(isPartialPeriod("2006-03-01", "2006-12-31", TODAY, "2006-03-01")).toBe(false);
  });
});

describe("parseComparison and the URL", () => {
  const parse = (q: string) => parseComparison(new URLSearchParams(q));
  it("no cmp is the previous period, and leaves nothing in the URL", () => {
    expect(parse("")).toEqual({ comparison: { kind: "prev" }, ignored: [] });
    expect(serializeComparison({ kind: "prev" }).toString()).toBe("");
  });
  it("reads the three kinds", () => {
    expect(parse("cmp=prev").comparison).toEqual({ kind: "prev" });
    expect(parse("cmp=yoy").comparison).toEqual({ kind: "yoy" });
    expect(parse("cmp=custom&cmpFrom=2019-01-01&cmpTo=2019-12-31").comparison).toEqual({ kind: "custom", from: "2019-01-01", to: "2019-12-31" });
    // dates without custom are not used (the form sends its empty fields)
    expect(parse("cmp=yoy&cmpFrom=&cmpTo=")).toEqual({ comparison: { kind: "yoy" }, ignored: [] });
  });
  it("names what was wrong and keeps the default", () => {
    expect(parse("cmp=lastweek")).toEqual({ comparison: { kind: "prev" }, ignored: [{ parameter: "cmp", value: "lastweek", reason: "value" }] });
    expect(parse("cmp=custom&cmpFrom=2019-02-30&cmpTo=2019-12-31")).toEqual({
      comparison: { kind: "prev" }, ignored: [{ parameter: "cmpFrom", value: "2019-02-30", reason: "date" }],
    });
    expect(parse("cmp=custom&cmpFrom=2019-01-01")).toEqual({ comparison: { kind: "prev" }, ignored: [{ parameter: "cmpTo", value: "", reason: "date" }] });
    expect(parse("cmp=custom&cmpFrom=2019-12-31&cmpTo=2019-01-01").ignored).toEqual([{ parameter: "cmpTo", value: "2019-01-01", reason: "range" }]);
    expect(parse("cmp=yoy&cmp=prev").ignored).toEqual([{ parameter: "cmp", value: "prev", reason: "repeated" }]);
  });
  it("a saved view keeps the comparison in its canonical query, the default left out", () => {
    expect(canonicalViewQuery("dashboard", "from=2024-01-01&to=2024-03-31&cmp=yoy")).toBe("from=2024-01-01&to=2024-03-31&cmp=yoy");
    expect(canonicalViewQuery("dashboard", "cmpTo=2020-12-31&cmp=custom&cmpFrom=2020-01-01&district=5300")).toBe("district=5300&cmp=custom&cmpFrom=2020-01-01&cmpTo=2020-12-31");
    expect(canonicalViewQuery("dashboard", "from=2024-01-01&cmp=prev")).toBe("from=2024-01-01");
    expect(canonicalViewQuery("dashboard", "cmp=nonsense")).toBe("");
    expect(viewHref("dashboard", "cmp=yoy&from=2024-01-01")).toBe("/?from=2024-01-01&cmp=yoy");
    // the case table has no comparison
    expect(canonicalViewQuery("cases", "cmp=yoy&from=2024-01-01")).toBe("from=2024-01-01");
  });
});

describe("differences", () => {
  it("absolute and per cent; no per cent of a zero base (no Infinity)", () => {
    expect(difference(120, 100)).toEqual({ absolute: 20, percent: 20 });
    expect(difference(0, 50)).toEqual({ absolute: -50, percent: -100 });
    expect(difference(7, 0)).toEqual({ absolute: 7, percent: null });
    expect(difference(0, 0)).toEqual({ absolute: 0, percent: null });
    expect(difference(null, 5)).toEqual({ absolute: null, percent: null });
    expect(difference(5, null)).toEqual({ absolute: null, percent: null });
  });
  it("money differences are exact to the fen", () => {
    expect(difference(100_000_001, 1).absolute).toBe(100_000_000);
    expect(signedMoney(123_456, "en")).toBe("+RMB 1,234.56");
    expect(signedMoney(-1, "en")).toBe("-RMB 0.01");
    expect(signedMoney(-625_000_000, "zh")).toBe("-¥6,250,000.00");
    expect(signedMoney(0, "en")).toBe("RMB 0.00");
  });
  it("signed counts and per cents", () => {
    expect(signedCount(1234, "en")).toBe("+1,234");
    expect(signedCount(-56, "zh")).toBe("-56");
    expect(signedCount(0, "en")).toBe("0");
    expect(signedPercent(12.345, "en")).toBe("+12.3%");
    expect(signedPercent(-4, "zh")).toBe("-4%");
    expect(signedPercent(0.01, "en")).toBe("0%");
  });
});

describe("periodLabel: a period readably, not ISO dates", () => {
  it.each([
    ["2023-01-01", "2023-12-31", "2023", "2023年"],
    ["2013-01-01", "2015-12-31", "2013–2015", "2013–2015年"],
    ["2024-01-01", "2024-03-31", "Q1 2024", "2024年第一季度"],
    ["2023-10-01", "2023-12-31", "Q4 2023", "2023年第四季度"],
    ["2024-02-01", "2024-02-29", "February 2024", "2024年2月"],
    ["2024-02-01", "2024-04-30", "Feb – Apr 2024", "2024年2月–4月"],
    ["2023-11-01", "2024-02-29", "Nov 2023 – Feb 2024", "2023年11月–2024年2月"],
    ["2024-01-01", "2024-03-14", "1 Jan – 14 Mar 2024", "2024年1月1日–3月14日"],
    ["2023-03-15", "2024-03-14", "15 Mar 2023 – 14 Mar 2024", "2023年3月15日–2024年3月14日"],
    ["2024-02-29", "2024-02-29", "29 Feb 2024", "2024年2月29日"],
    ["2014-07-26", "2015-12-31", "26 Jul 2014 – 31 Dec 2015", "2014年7月26日–2015年12月31日"],
  ])("%s … %s", (from, to, en, zh) => {
    expect(periodLabel(from, to, "en")).toBe(en);
    expect(periodLabel(from, to, "zh")).toBe(zh);
  });
});
