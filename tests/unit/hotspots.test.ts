import { describe, expect, it } from "vitest";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import {
  baseline, flagInFilter, seriesFilters, seriesHref, HOTSPOT_DIMENSIONS, HOTSPOT_FILTER_PARAM, benjaminiHochberg, detectHotspots, HISTORY, monthIndex, monthOfIndex, monthRange, normalUpperTail, Q,
  type SeriesInput,
} from "../../lib/hotspots";
import { createRandom, gaussian, type Random } from "../../lib/prng";

// A statistical test of the hot-spot test (lib/hotspots.ts), on simulated series with fixed
// seeds (so it never flakes): the stated figures below hold for these seeds, and each bound
// leaves a tolerance of about three binomial standard errors around the rate it checks.

function poisson(r: Random, lambda: number): number {
  if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(r)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r.next();
  } while (p > limit);
  return k - 1;
}

type Shape = { level: number; season?: number; december?: number; trend?: number };

/** HISTORY months and the evaluation month; the evaluation month is a December (firstMonthOfYear 0 … month 36 is January: start in December). */
function simulate(r: Random, shape: Shape, rise = 1): SeriesInput<number> & { counts: number[] } {
  const first = 11; // December: the 37th month, the evaluation month, is a December
  const counts: number[] = [];
  for (let t = 0; t <= HISTORY; t++) {
    const moy = (first + t) % 12;
    let l = shape.level * Math.exp(((shape.trend ?? 0) * t) / 12);
    l *= 1 + (shape.season ?? 0) * Math.sin((2 * Math.PI * moy) / 12);
    if (moy === 11) l *= shape.december ?? 1;
    if (t === HISTORY) l *= rise;
    counts.push(poisson(r, l));
  }
  return { key: 0, counts, firstMonthOfYear: first };
}

/** Share of single-series tests with p below `alpha`. */
function rawRate(seed: number, shape: Shape, runs: number, alpha: number): number {
  const r = createRandom(seed);
  let below = 0;
  let n = 0;
  for (let i = 0; i < runs; i++) {
    const s = simulate(r, shape);
    const b = baseline(s.counts.slice(0, HISTORY), s.firstMonthOfYear, s.counts[HISTORY]!);
    if (!b) continue;
    n++;
    if (b.p < alpha) below++;
  }
  expect(n).toBe(runs);
  return below / n;
}

describe("the hot-spot test (Farrington-style quasi-Poisson baseline, Benjamini–Hochberg)", () => {
  it("computes the normal tail and the BH q-values", () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(-1.959964)).toBeCloseTo(0.975, 6);
    expect(normalUpperTail(5) / 2.866516e-7).toBeCloseTo(1, 4);
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.5]);
    expect(q.map((x) => Number(x.toFixed(6)))).toEqual([0.04, 0.053333, 0.053333, 0.5]);
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it("fits a flat series' level and flags nothing at its level", () => {
    const b = baseline(Array(36).fill(20), 0, 20)!;
    expect(b.expected).toBeCloseTo(20, 3);
    expect(b.phi).toBe(1);
    expect(b.p).toBeGreaterThan(0.3);
  });

  it("leaves out series too short or too thin, and fits a series that has a month never seen", () => {
    expect(baseline(Array(23).fill(5), 0, 5)).toBeNull();
    expect(baseline(Array(36).fill(0.5).map((_, i) => i % 2), 0, 1)).toBeNull(); // 18 cases in 36 months
    const sparse = Array.from({ length: 36 }, (_, t) => (t % 12 === 3 ? 0 : 4));
    const b = baseline(sparse, 0, 0)!;
    expect(Number.isFinite(b.expected)).toBe(true);
  });

  it("holds the single-series false-alarm rate near its nominal level on flat, seasonal and thin series (2,000 each)", () => {
    // stated: at α = 0.05 the share of p < α lies in [0.03, 0.07] (measured 0.04–0.05)
    for (const [seed, shape] of [[1, { level: 20 }], [2, { level: 5 }], [3, { level: 20, season: 0.5 }]] as const) {
      const rate = rawRate(seed, shape, 2000, 0.05);
      expect(rate).toBeGreaterThanOrEqual(0.03);
      expect(rate).toBeLessThanOrEqual(0.07);
    }
  });

  it("does not flag a December peak that comes every year, in December", () => {
    // every December 2.5× the level: the season, not a rise
    const rate = rawRate(4, { level: 20, december: 2.5 }, 2000, 0.05);
    expect(rate).toBeLessThanOrEqual(0.07);
    const r = createRandom(44);
    const results = detectHotspots(Array.from({ length: 2000 }, (_, i) => ({ ...simulate(r, { level: 20, december: 2.5 }), key: i })));
    expect(results.length).toBe(2000);
    expect(results.filter((x) => x.flagged).length).toBeLessThanOrEqual(2);
  });

  it("does not flag a series merely for its trend (30 % a year up)", () => {
    const rate = rawRate(5, { level: 15, trend: 0.3 }, 2000, 0.05);
    expect(rate).toBeLessThanOrEqual(0.07);
  });

  it(`keeps the share of runs with any false flag at about Q = ${Q} over many series (400 runs of 25 series without a rise)`, () => {
    // BH over series without a rise controls the chance of any flag at Q; stated tolerance:
    // at most Q + 0.035 (three standard errors of 400 runs)
    const r = createRandom(6);
    const shapes: Shape[] = [{ level: 20 }, { level: 6 }, { level: 40, season: 0.4 }, { level: 12, trend: 0.2 }, { level: 25, december: 2 }];
    let runsWithFlag = 0;
    for (let run = 0; run < 400; run++) {
      const series = Array.from({ length: 25 }, (_, i) => ({ ...simulate(r, shapes[i % shapes.length]!), key: i }));
      if (detectHotspots(series).some((x) => x.flagged)) runsWithFlag++;
    }
    expect(runsWithFlag / 400).toBeLessThanOrEqual(Q + 0.035);
  });

  it("flags a planted rise of 2.5× among 49 series without one, in at least 95 % of 200 runs (level 40 a month; measured power of 2.5×: 44 % at 10, 80 % at 20, 96 % at 30)", () => {
    const r = createRandom(7);
    let found = 0;
    let fdp = 0;
    for (let run = 0; run < 200; run++) {
      const series = Array.from({ length: 50 }, (_, i) => ({ ...simulate(r, { level: 40, season: 0.3 }, i === 0 ? 2.5 : 1), key: i }));
      const results = detectHotspots(series);
      if (results.find((x) => x.key === 0)?.flagged) found++;
      const flags = results.filter((x) => x.flagged);
      if (flags.length) fdp += flags.filter((x) => x.key !== 0).length / flags.length;
    }
    expect(found / 200).toBeGreaterThanOrEqual(0.95);
    // the false discovery rate (the mean share of false flags among a run's flags) is at most Q, with tolerance
    expect(fdp / 200).toBeLessThanOrEqual(Q + 0.03);
  });

  it("needs at least five cases for a flag", () => {
    const r = createRandom(8);
    const tiny = { ...simulate(r, { level: 0.8 }), key: 1 };
    tiny.counts[HISTORY] = 4;
    const result = detectHotspots([tiny]);
    expect(result[0]!.p).toBeLessThan(0.01);
    expect(result[0]!.flagged).toBe(false);
  });

  it("names months and their day ranges", () => {
    expect(monthOfIndex(monthIndex("2025-12"))).toBe("2025-12");
    expect(monthIndex("2026-01") - monthIndex("2025-12")).toBe(1);
    expect(monthRange("2024-02")).toEqual({ from: "2024-02-01", to: "2024-02-29" });
    expect(monthRange("2025-12")).toEqual({ from: "2025-12-01", to: "2025-12-31" });
  });

  it("opens a series' cases of the month through the one filter model, and matches a dashboard filter", () => {
    expect(seriesFilters("district", "5300", "2025-12")).toEqual({ ...EMPTY_FILTERS, from: "2025-12-01", to: "2025-12-31", district: ["5300"] });
    expect(seriesFilters("holder", "42", "2024-02")).toEqual({ ...EMPTY_FILTERS, from: "2024-02-01", to: "2024-02-29", holder: [42] });
    const flag = { dimension: "category" as const, value: "toys" };
    expect(flagInFilter(flag, "2025-12", EMPTY_FILTERS)).toBe(true);
    expect(flagInFilter(flag, "2025-12", { ...EMPTY_FILTERS, category: ["toys", "lighting"] })).toBe(true);
    expect(flagInFilter(flag, "2025-12", { ...EMPTY_FILTERS, category: ["lighting"] })).toBe(false);
    // a filter on another hot-spot dimension: only that dimension's flags
    expect(flagInFilter(flag, "2025-12", { ...EMPTY_FILTERS, district: ["5300"] })).toBe(false);
    expect(flagInFilter({ dimension: "holder", value: "7" }, "2025-12", { ...EMPTY_FILTERS, holder: [7] })).toBe(true);
    // a filter of other kinds only (type, status): every flag
    expect(flagInFilter(flag, "2025-12", { ...EMPTY_FILTERS, type: ["copyright"] })).toBe(true);
    // dates: the evaluation month must fall within them
    expect(flagInFilter(flag, "2025-12", { ...EMPTY_FILTERS, from: "2025-12-31" })).toBe(true);
    expect(flagInFilter(flag, "2025-12", { ...EMPTY_FILTERS, from: "2026-01-01" })).toBe(false);
    expect(flagInFilter(flag, "2025-12", { ...EMPTY_FILTERS, to: "2025-11-30" })).toBe(false);
  });

  it("links each flag to its cases of the month under its filter's URL parameter, an origin country as origin=<code>", () => {
    expect(seriesHref("category", "toys", "2025-12")).toBe("/cases?from=2025-12-01&to=2025-12-31&category=toys");
    expect(seriesHref("holder", "42", "2024-02")).toBe("/cases?from=2024-02-01&to=2024-02-29&holder=42");
    expect(seriesHref("origin", "VN", "2025-12")).toBe("/cases?from=2025-12-01&to=2025-12-31&origin=VN");
    expect(seriesHref("port", "ruili", "2025-11")).toBe("/cases?from=2025-11-01&to=2025-11-30&port=ruili");
    expect(HOTSPOT_FILTER_PARAM.origin).toBe("origin");
    // every other dimension's parameter is its filter's name in the one filter model
    for (const d of HOTSPOT_DIMENSIONS) if (d !== "origin") expect(Object.keys(EMPTY_FILTERS)).toContain(HOTSPOT_FILTER_PARAM[d]);
    const origin = { dimension: "origin" as const, value: "VN" };
    expect(flagInFilter(origin, "2025-12", EMPTY_FILTERS)).toBe(true);
    expect(flagInFilter(origin, "2025-12", { ...EMPTY_FILTERS, category: ["toys"] })).toBe(false);
    // a dashboard filtered by origin (the filter model's origin filter) keeps that origin's flags only
    expect(flagInFilter(origin, "2025-12", { ...EMPTY_FILTERS, origin: ["VN"] } as Filters)).toBe(true);
    expect(flagInFilter(origin, "2025-12", { ...EMPTY_FILTERS, origin: ["US"] } as Filters)).toBe(false);
    expect(flagInFilter({ dimension: "category", value: "toys" }, "2025-12", { ...EMPTY_FILTERS, origin: ["VN"] } as Filters)).toBe(false);
  });
});
