// The arithmetic of the dashboard's charts, pure and unit-tested (tests/unit/chart-scale.test.ts):
// round axis steps, shares that add up to exactly 100.0 %, and which years a period only
// partly covers.

const MANTISSAS = [1, 2, 2.5, 5, 10];

/**
 * The smallest round step (1, 2, 2.5 or 5 × 10ⁿ) that is at least `raw`. For `integer`
 * axes (counts) the step is a whole number: at least 1, and 2.5 is skipped below 10.
 */
export function roundStep(raw: number, integer = false): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of MANTISSAS) {
    const step = m * power;
    if (integer && (step < 1 || !Number.isInteger(step))) continue;
    // a float's rounding (0.30000000000000004) must not push a step past its round value
    if (step >= raw * (1 - 1e-12)) return Number(step.toPrecision(12));
  }
  return 10 * power;
}

export type Scale = { step: number; max: number; ticks: number[] };

/**
 * An axis from 0 to a round top above `max`, in about `count` round steps (never more than
 * count + 1). `max` 0 gives one step, so that an empty chart still has an axis.
 */
export function niceScale(max: number, count = 5, integer = false): Scale {
  const top = max > 0 ? max : 1;
  let step = roundStep(top / count, integer);
  // the top tick is the first multiple of the step at or above max
  let steps = Math.ceil(top / step - 1e-9);
  if (steps > count + 1) {
    step = roundStep(step * 1.0000001, integer);
    steps = Math.ceil(top / step - 1e-9);
  }
  steps = Math.max(1, steps);
  const ticks = Array.from({ length: steps + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  return { step, max: ticks[ticks.length - 1]!, ticks };
}

/**
 * Shares in tenths of a percent (per mille) that add up to exactly 1000 when any value is
 * above 0: each value gets its quota rounded down, and the tenths left over go to the largest
 * remainders (ties: the earlier value). All zeros give all zeros.
 */
export function sharesPerMille(values: number[]): number[] {
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  if (total === 0) return values.map(() => 0);
  const quotas = values.map((v) => (Math.max(0, v) * 1000) / total);
  const shares = quotas.map((q) => Math.floor(q + 1e-9));
  let left = 1000 - shares.reduce((s, v) => s + v, 0);
  const order = quotas
    .map((q, i) => ({ i, rest: q - shares[i]! }))
    .filter(({ i }) => values[i]! > 0)
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; left > 0 && order.length; k = (k + 1) % order.length, left--) shares[order[k]!.i]! += 1;
  return shares;
}

/** A share in per mille as text: "37.5%" (always one decimal). */
export function shareText(perMille: number, locale: string): string {
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(perMille / 10)}%`;
}

export type PartialYear = { year: number; from?: string; to?: string };

/**
 * Which of `years` the period only partly covers: the year of a start date later than 1 January
 * (`from` "MM-DD"), and the year of the end (the filter's end date, or today when that is
 * earlier or absent) when it ends before 31 December (`to` "MM-DD").
 */
export function partialYears(years: number[], from: string | undefined, to: string | undefined, today: string): Map<number, PartialYear> {
  const out = new Map<number, PartialYear>();
  const end = to && to < today ? to : today;
  for (const year of years) {
    const p: PartialYear = { year };
    if (from && from.startsWith(`${year}-`) && !from.endsWith("-01-01")) p.from = from.slice(5);
    if (end.startsWith(`${year}-`) && !end.endsWith("-12-31")) p.to = end.slice(5);
    if (p.from || p.to) out.set(year, p);
  }
  return out;
}

// Okabe–Ito: eight colours that stay apart for the common forms of colour blindness.
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

/**
 * An arc of a donut from angle a to b (radians, clockwise from 12 o'clock) as SVG path data,
 * centred at (cx, cx): the dashboard's donut (200 × 200) and the PDF report's.
 */
export function donutArc(a: number, b: number, r: number, inner: number, cx = 100): string {
  const p = (angle: number, radius: number) => `${(cx + radius * Math.sin(angle)).toFixed(3)} ${(cx - radius * Math.cos(angle)).toFixed(3)}`;
  const large = b - a > Math.PI ? 1 : 0;
  return `M ${p(a, r)} A ${r} ${r} 0 ${large} 1 ${p(b, r)} L ${p(b, inner)} A ${inner} ${inner} 0 ${large} 0 ${p(a, inner)} Z`;
}
