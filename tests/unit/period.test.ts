import { describe, expect, it } from "vitest";
import { clampToYear, openEnd, previousPeriod, QUICK_PICKS, quickPickRange } from "../../lib/period";

// Day arithmetic written out here, independent of lib/period.ts: days since 1970-01-01.
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const lengthOf = (from: string, to: string) => day(to) - day(from) + 1;
const dayBefore = (iso: string) => new Date((day(iso) - 1) * 86_400_000).toISOString().slice(0, 10);

const TODAY = new Date("2025-05-10T12:00:00Z");

describe("previousPeriod: whole years shift by years", () => {
  it.each([
    ["2020-01-01", "2020-12-31", "2019-01-01", "2019-12-31"],
    ["2013-01-01", "2013-12-31", "2012-01-01", "2012-12-31"],
    // a leap year before or as the range: still one calendar year, not 365 or 366 days
    ["2017-01-01", "2017-12-31", "2016-01-01", "2016-12-31"],
    ["2016-01-01", "2016-12-31", "2015-01-01", "2015-12-31"],
    ["2021-01-01", "2021-12-31", "2020-01-01", "2020-12-31"],
    // several years
    ["2016-01-01", "2017-12-31", "2014-01-01", "2015-12-31"],
    ["2015-01-01", "2017-12-31", "2012-01-01", "2014-12-31"],
    ["2020-01-01", "2025-12-31", "2014-01-01", "2019-12-31"],
  ])("%s … %s → %s … %s", (from, to, pFrom, pTo) => {
    expect(previousPeriod(from, to, TODAY)).toEqual({ from: pFrom, to: pTo });
  });
});

describe("previousPeriod: whole months shift by months", () => {
  it.each([
    ["2016-02-01", "2016-02-29", "2016-01-01", "2016-01-31"], // leap February
    ["2016-03-01", "2016-03-31", "2016-02-01", "2016-02-29"], // ends on a leap day
    ["2017-03-01", "2017-03-31", "2017-02-01", "2017-02-28"],
    ["2018-02-01", "2018-02-28", "2018-01-01", "2018-01-31"], // February of a common year is a whole month
    ["2019-05-01", "2019-05-31", "2019-04-01", "2019-04-30"], // 31 days before a 30-day month
    ["2019-07-01", "2019-07-31", "2019-06-01", "2019-06-30"],
    // crossing a year
    ["2017-01-01", "2017-01-31", "2016-12-01", "2016-12-31"],
    ["2017-01-01", "2017-03-31", "2016-10-01", "2016-12-31"],
    ["2016-11-01", "2017-02-28", "2016-07-01", "2016-10-31"],
    ["2016-01-01", "2016-02-29", "2015-11-01", "2015-12-31"],
    ["2016-07-01", "2017-06-30", "2015-07-01", "2016-06-30"], // twelve months that are not a calendar year
    ["2016-03-01", "2017-06-30", "2014-11-01", "2016-02-29"], // sixteen months
    ["2016-01-01", "2016-06-30", "2015-07-01", "2015-12-31"], // a half year from New Year is months, not a year
    ["2016-01-01", "2017-06-30", "2014-07-01", "2015-12-31"], // eighteen months
    ["2012-01-01", "2012-01-31", "2011-12-01", "2011-12-31"],
  ])("%s … %s → %s … %s", (from, to, pFrom, pTo) => {
    expect(previousPeriod(from, to, TODAY)).toEqual({ from: pFrom, to: pTo });
  });
});

describe("previousPeriod: any other range shifts by its number of days", () => {
  it.each([
    // the Kunming question: 524 days (2016 is a leap year) just before 2016-01-01
    ["2016-01-01", "2017-06-07", "2014-07-26", "2015-12-31"],
    ["2016-03-15", "2018-07-31", "2013-10-28", "2016-03-14"],
    ["2016-03-15", "2016-03-20", "2016-03-09", "2016-03-14"],
    ["2016-03-01", "2016-03-10", "2016-02-20", "2016-02-29"], // starts on the 1st, but ends mid-month
    ["2016-02-02", "2016-02-29", "2016-01-05", "2016-02-01"], // ends on a month end, but starts mid-month
    ["2016-03-01", "2016-03-01", "2016-02-29", "2016-02-29"], // one day, after a leap day
    ["2017-01-01", "2017-01-01", "2016-12-31", "2016-12-31"], // one day, crossing a year
    ["2019-04-01", "2019-09-15", "2018-10-15", "2019-03-31"],
    ["2012-01-01", "2012-12-30", "2011-01-01", "2011-12-31"], // a leap year less a day: 365 days
  ])("%s … %s → %s … %s", (from, to, pFrom, pTo) => {
    const p = previousPeriod(from, to, TODAY);
    expect(p).toEqual({ from: pFrom, to: pTo });
    expect(lengthOf(p!.from, p!.to)).toBe(lengthOf(from, to));
    expect(p!.to).toBe(dayBefore(from));
  });

  it("ends the day before the start and has the same number of days, for many ranges", () => {
    const starts = ["2012-01-02", "2015-02-28", "2016-02-28", "2016-02-29", "2016-12-31", "2019-06-15", "2020-02-29", "2024-12-31"];
    for (const from of starts) {
      for (const days of [1, 2, 27, 28, 29, 30, 31, 59, 60, 365, 366, 500, 1000]) {
        const to = new Date((day(from) + days - 1) * 86_400_000).toISOString().slice(0, 10);
        const p = previousPeriod(from, to, TODAY)!;
        expect(p.to, `${from} … ${to}`).toBe(dayBefore(from));
        expect(lengthOf(p.from, p.to), `${from} … ${to}`).toBe(days);
      }
    }
  });
});

describe("previousPeriod: open ends and missing starts", () => {
  it("runs an open end to the end of the current year (the `today` argument)", () => {
    // 2016-01-01 … 2025-12-31: ten whole years
    expect(previousPeriod("2016-01-01", null, TODAY)).toEqual({ from: "2006-01-01", to: "2015-12-31" });
    expect(previousPeriod("2016-01-01", null, new Date("2020-01-01T00:00:00Z"))).toEqual({ from: "2011-01-01", to: "2015-12-31" });
    // 2025-03-01 … 2025-12-31: ten whole months
    expect(previousPeriod("2025-03-01", null, TODAY)).toEqual({ from: "2024-05-01", to: "2025-02-28" });
    // 2025-03-15 … 2025-12-31: 292 days
    const p = previousPeriod("2025-03-15", null, TODAY)!;
    expect(p).toEqual({ from: "2024-05-27", to: "2025-03-14" });
    expect(lengthOf(p.from, p.to)).toBe(lengthOf("2025-03-15", "2025-12-31"));
  });

  it("gives an open end the same previous period as the explicit end of this year", () => {
    for (const from of ["2016-01-01", "2016-03-15", "2024-07-01", "2025-05-10"]) {
      expect(previousPeriod(from, null, TODAY)).toEqual(previousPeriod(from, "2025-12-31", TODAY));
    }
  });

  it("has no previous period without a start", () => {
    expect(previousPeriod(null, null, TODAY)).toBeNull();
    expect(previousPeriod(null, "2017-06-07", TODAY)).toBeNull();
    expect(previousPeriod(null, "2017-12-31", TODAY)).toBeNull();
  });

  it("openEnd is the last day of today's year in UTC", () => {
    expect(openEnd(TODAY)).toBe("2025-12-31");
    expect(openEnd(new Date("2016-01-01T00:00:00Z"))).toBe("2016-12-31");
    expect(openEnd(new Date("2016-12-31T23:59:59Z"))).toBe("2016-12-31");
  });
});

describe("quickPickRange", () => {
  it.each([
    ["thisYear", { from: "2025-01-01", to: "2025-12-31" }],
    ["lastYear", { from: "2024-01-01", to: "2024-12-31" }],
    ["since2016", { from: "2016-01-01", to: null }],
    ["all", { from: null, to: null }],
  ] as const)("%s with today 2025-05-10", (pick, range) => {
    expect(quickPickRange(pick, TODAY)).toEqual(range);
  });

  it("follows `today` and covers every pick", () => {
    const newYear = new Date("2017-01-01T00:00:00Z");
    expect(quickPickRange("thisYear", newYear)).toEqual({ from: "2017-01-01", to: "2017-12-31" });
    expect(quickPickRange("lastYear", newYear)).toEqual({ from: "2016-01-01", to: "2016-12-31" });
    expect([...QUICK_PICKS].sort()).toEqual(["all", "lastYear", "since2016", "thisYear"]);
    // the previous period of "this year" is last year
    const thisYear = quickPickRange("thisYear", TODAY);
    expect(previousPeriod(thisYear.from, thisYear.to, TODAY)).toEqual(quickPickRange("lastYear", TODAY));
  });
});

describe("clampToYear", () => {
  it.each([
    [2016, null, null, "2016-01-01", "2016-12-31"],
    [2016, "2015-06-01", "2017-06-07", "2016-01-01", "2016-12-31"],
    [2016, "2016-01-01", "2017-06-07", "2016-01-01", "2016-12-31"],
    [2017, "2016-01-01", "2017-06-07", "2017-01-01", "2017-06-07"],
    [2016, "2016-03-15", "2018-07-31", "2016-03-15", "2016-12-31"],
    [2018, "2016-03-15", "2018-07-31", "2018-01-01", "2018-07-31"],
    [2016, "2016-03-15", "2016-07-31", "2016-03-15", "2016-07-31"],
    [2016, "2016-03-15", null, "2016-03-15", "2016-12-31"],
    [2016, null, "2016-07-31", "2016-01-01", "2016-07-31"],
    [2020, null, "2020-12-31", "2020-01-01", "2020-12-31"],
  ] as const)("year %i within %s … %s → %s … %s", (year, from, to, cFrom, cTo) => {
    expect(clampToYear(year, from, to)).toEqual({ from: cFrom, to: cTo });
  });
});
