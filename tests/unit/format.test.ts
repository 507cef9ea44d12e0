import { describe, expect, it } from "vitest";
import { formatCount, formatDate, formatMoney, formatYuanAmount, parseYuanToFen } from "../../lib/format";

describe("money in fen", () => {
  it("formats the published Kunming value exactly in both languages", () => {
    expect(formatMoney(625_000_000, "en")).toBe("RMB 6,250,000.00");
    expect(formatMoney(625_000_000, "zh")).toBe("¥6,250,000.00");
    expect(formatMoney(1_472_000_000, "en")).toBe("RMB 14,720,000.00");
  });

  it("keeps every fen, with no floating-point drift", () => {
    expect(formatYuanAmount(1, "en")).toBe("0.01");
    expect(formatYuanAmount(10, "en")).toBe("0.10");
    expect(formatYuanAmount(0, "en")).toBe("0.00");
    expect(formatYuanAmount(-12_345, "en")).toBe("-123.45");
    // 0.29 * 100 is 28.999999999999996 in floating point; integer fen never is
    expect(formatYuanAmount(29, "en")).toBe("0.29");
    expect(formatYuanAmount(9_007_199_254_740_991, "en")).toBe("90,071,992,547,409.91");
  });

  it("refuses a value that is not a whole number of fen", () => {
    expect(() => formatMoney(1.5, "en")).toThrow(/whole number of fen/);
    expect(() => formatMoney(Number.NaN, "en")).toThrow(/whole number of fen/);
  });

  it("parses yuan typed by a person into fen", () => {
    expect(parseYuanToFen("6,250,000.00")).toBe(625_000_000);
    expect(parseYuanToFen(" 12.3 ")).toBe(1_230);
    expect(parseYuanToFen("RMB 0.01")).toBe(1);
    expect(parseYuanToFen("¥7")).toBe(700);
    expect(parseYuanToFen("1.234")).toBeNull();
    expect(parseYuanToFen("-5")).toBeNull();
    expect(parseYuanToFen("abc")).toBeNull();
    expect(parseYuanToFen("")).toBeNull();
  });
});

describe("counts and dates", () => {
  it("groups digits for the locale", () => {
    expect(formatCount(544_000, "en")).toBe("544,000");
    expect(formatCount(544_000, "zh")).toBe("544,000");
  });

  it("writes calendar dates without a time-zone shift", () => {
    expect(formatDate("2017-06-07", "en")).toBe("June 7, 2017");
    expect(formatDate("2017-06-07", "zh")).toBe("2017年6月7日");
    expect(formatDate("not a date", "en")).toBe("not a date");
  });
});
