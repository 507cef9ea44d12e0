import { describe, expect, it } from "vitest";
import { niceScale, partialYears, roundStep, sharesPerMille, shareText } from "../../lib/chart-scale";

const ROUND = new Set([1, 2, 2.5, 5]);
const mantissa = (step: number) => Number((step / 10 ** Math.floor(Math.log10(step))).toPrecision(6));

describe("round axis steps", () => {
  it("are 1, 2, 2.5 or 5 × 10ⁿ and at least what was asked", () => {
    expect(roundStep(0.6)).toBe(1);
    expect(roundStep(190_000)).toBe(200_000);
    expect(roundStep(2_100_000)).toBe(2_500_000);
    expect(roundStep(3)).toBe(5);
    expect(roundStep(5)).toBe(5);
    expect(roundStep(0.3)).toBe(0.5);
    for (let raw = 0.013; raw < 1e12; raw *= 1.37) {
      const step = roundStep(raw);
      expect(ROUND.has(mantissa(step)), `${raw} → ${step}`).toBe(true);
      expect(step).toBeGreaterThanOrEqual(raw * (1 - 1e-9));
      expect(step).toBeLessThan(raw * 2.5);
    }
  });

  it("are whole numbers on a count axis", () => {
    expect(roundStep(0.2, true)).toBe(1);
    expect(roundStep(2.1, true)).toBe(5);
    expect(roundStep(21, true)).toBe(25);
  });

  it("make an axis from 0 past the largest value in at most six steps", () => {
    // the uneven axis: 950K / 1.9M / 2.9M for a value of about 2.85M yuan
    expect(niceScale(2_850_000, 4).ticks).toEqual([0, 1_000_000, 2_000_000, 3_000_000]);
    expect(niceScale(6_250_000, 5).ticks).toEqual([0, 2_000_000, 4_000_000, 6_000_000, 8_000_000]);
    expect(niceScale(63, 5, true).ticks).toEqual([0, 20, 40, 60, 80]);
    expect(niceScale(1, 5, true).ticks).toEqual([0, 1]);
    expect(niceScale(0, 5, true).ticks).toEqual([0, 1]);
    expect(niceScale(12_000_000, 5).ticks).toEqual([0, 2_500_000, 5_000_000, 7_500_000, 10_000_000, 12_500_000]);
    for (let max = 1; max < 1e11; max = Math.ceil(max * 1.61)) {
      for (const integer of [false, true]) {
        const { ticks, step } = niceScale(max, 5, integer);
        expect(ticks[0]).toBe(0);
        expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
        expect(ticks.at(-1)! - step).toBeLessThan(max);
        expect(ticks.length).toBeLessThanOrEqual(7);
        expect(ROUND.has(mantissa(step)), `${max} → ${step}`).toBe(true);
        if (integer) expect(ticks.every(Number.isInteger)).toBe(true);
      }
    }
  });
});

describe("shares by largest remainder", () => {
  it("add up to exactly 100.0 %", () => {
    expect(sharesPerMille([1, 1, 1])).toEqual([334, 333, 333]);
    expect(sharesPerMille([2, 1])).toEqual([667, 333]);
    expect(sharesPerMille([0, 5, 0])).toEqual([0, 1000, 0]);
    expect(sharesPerMille([0, 0])).toEqual([0, 0]);
    // 1/7 each: 142.857… → six get 143 would overshoot; four get 143, three 142
    expect(sharesPerMille([1, 1, 1, 1, 1, 1, 1]).reduce((a, b) => a + b)).toBe(1000);
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let run = 0; run < 500; run++) {
      const values = Array.from({ length: 1 + (next() % 9) }, () => next() % 5000);
      const shares = sharesPerMille(values);
      const total = values.reduce((a, b) => a + b, 0);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(total ? 1000 : 0);
      // each share within one tenth of its exact quota
      values.forEach((v, i) => total && expect(Math.abs(shares[i]! - (v * 1000) / total)).toBeLessThan(1));
    }
  });

  it("are written with one decimal", () => {
    expect(shareText(334, "en-US")).toBe("33.4%");
    expect(shareText(1000, "zh-CN")).toBe("100.0%");
    expect(shareText(0, "en-US")).toBe("0.0%");
  });
});

describe("partial years", () => {
  it("marks the year a start date or the end cuts", () => {
    const p = partialYears([2016, 2017], "2016-01-01", "2017-06-07", "2026-11-30");
    expect([...p.values()]).toEqual([{ year: 2017, to: "06-07" }]);
    expect([...partialYears([2015, 2016], "2015-03-01", undefined, "2016-05-02").values()]).toEqual([
      { year: 2015, from: "03-01" },
      { year: 2016, to: "05-02" },
    ]);
    // an end date after today: the year is counted to today
    expect([...partialYears([2026], undefined, "2026-12-31", "2026-11-30").values()]).toEqual([{ year: 2026, to: "11-30" }]);
    expect(partialYears([2020, 2021], undefined, "2021-12-31", "2026-11-30").size).toBe(0);
  });
});
