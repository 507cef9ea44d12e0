import { EMPTY_FILTERS, serializeFilters, type Filters } from "./filters";

// Hot spots (issue 18, item 3): which series of monthly case counts — one per district, port,
// origin country, goods category, channel, transport and right holder — rose in the evaluation month beyond what
// their own history leads one to expect. Pure code, no I/O: db/hotspots.ts reads the counts
// (through the aggregate store) and keeps the result.
//
// The method, for each series:
// - The evaluation month is the latest complete month of the data (db/hotspots.ts chooses it).
// - The baseline is fitted on the HISTORY months before it (36, or as few as MIN_HISTORY when
//   the data begins later): a Poisson log-linear regression log μ_t = a + b·t + s(month of t),
//   a linear trend plus one level per month of the year (11 contrasts, held slightly towards
//   zero by a ridge of RIDGE so that a month never seen stays finite), fitted by iteratively
//   reweighted least squares.
// - Overdispersion φ = max(1, Pearson χ² / (n − p)) (quasi-Poisson).
// - The expected count μ0 of the evaluation month is the fit's prediction for it; the test is
//   Farrington's (Farrington et al. 1996, J. R. Stat. Soc. A 159): under "no rise", Y^(2/3) is
//   about normal with mean μ0^(2/3) and variance (4/9)·μ0^(1/3)·(φ + μ0·Var η̂0), where Var η̂0
//   is the prediction's own variance on the log scale; the one-sided p-value is
//   P(Z ≥ (y^(2/3) − μ0^(2/3)) / sd).
// - Series with fewer than MIN_HISTORY_CASES cases over their history are not evaluated (too
//   few to fit a season).
// - Benjamini–Hochberg over every series evaluated in one run controls the false discovery
//   rate at Q; a series is flagged when its q ≤ Q, its count is at least MIN_OBSERVED and above
//   the expected level.

/**
 * The dimensions whose values each make a series, in the page's order. Adding a dimension is
 * one entry here, its URL parameter in HOTSPOT_FILTER_PARAM, its monthly counts in
 * db/hotspots.ts and its values' names in db/repo/risk.ts.
 */
// port: the port of entry or exit of the case's route (issue 18 item 1), counted from the cases' own column;
// origin: the country of origin (cases.origin_country, ISO 3166-1 alpha-2), likewise
export const HOTSPOT_DIMENSIONS = ["district", "port", "origin", "category", "channel", "transport", "holder"] as const;
export type HotspotDimension = (typeof HOTSPOT_DIMENSIONS)[number];

/** The case table's URL parameter (the filter of lib/filters.ts) that selects a series' value: `origin=CN` opens an origin's cases. */
export const HOTSPOT_FILTER_PARAM: Record<HotspotDimension, string> = {
  district: "district", port: "port", origin: "origin", category: "category", channel: "channel", transport: "transport", holder: "holder",
};

/** Months of history fitted (at most). */
export const HISTORY = 36;
/** Fewest months of history a series needs to be evaluated. */
export const MIN_HISTORY = 24;
/** Fewest cases over the history a series needs to be evaluated. */
export const MIN_HISTORY_CASES = 24;
/** Fewest cases in the evaluation month for a flag. */
export const MIN_OBSERVED = 5;
/** The false discovery rate controlled over one run (Benjamini–Hochberg). */
export const Q = 0.05;
/** The ridge held on each month-of-year contrast (in units of the Poisson weight). */
export const RIDGE = 0.5;
/** Months of counts kept with a flag for its small chart (the evaluation month last). */
export const CHART_MONTHS = 24;

export type Baseline = {
  expected: number;
  /** overdispersion */
  phi: number;
  /** one-sided p-value of the observed count */
  p: number;
};

/** The standard normal's upper tail P(Z ≥ z) (erfc of Numerical Recipes, relative error < 1.2e-7). */
export function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const erfcAbs = t * Math.exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  const erfc = x >= 0 ? erfcAbs : 2 - erfcAbs;
  return erfc / 2;
}

/** Solves A x = b for a symmetric positive definite A (Cholesky), A given row-major of size k×k. Returns null if not positive definite. */
function cholesky(a: Float64Array, k: number): Float64Array | null {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j]!;
      for (let m = 0; m < j; m++) s -= l[i * k + m]! * l[j * k + m]!;
      if (i === j) {
        if (!(s > 1e-12)) return null;
        l[i * k + i] = Math.sqrt(s);
      } else l[i * k + j] = s / l[j * k + j]!;
    }
  }
  return l;
}

function cholSolve(l: Float64Array, k: number, b: Float64Array): Float64Array {
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= l[i * k + m]! * y[m]!;
    y[i] = s / l[i * k + i]!;
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let m = i + 1; m < k; m++) s -= l[m * k + i]! * x[m]!;
    x[i] = s / l[i * k + i]!;
  }
  return x;
}

/** The design row of month t (0 = the first month of history) whose month of the year is `moy` (0–11). */
function designRow(row: Float64Array, t: number, moy: number, center: number) {
  row.fill(0);
  row[0] = 1;
  row[1] = (t - center) / 12;
  // month-of-year contrasts against January (column 2 + moy − 1)
  if (moy > 0) row[1 + moy] = 1;
}

const P = 13;

/**
 * The baseline of the month after `history` (counts of consecutive months, oldest first;
 * `firstMonthOfYear` is the first one's month of the year, 0 = January) and the one-sided
 * p-value of `observed` under it. Null when the history is too short or too thin to fit.
 */
export function baseline(history: readonly number[], firstMonthOfYear: number, observed: number): Baseline | null {
  const n = history.length;
  if (n < MIN_HISTORY) return null;
  let total = 0;
  for (const y of history) total += y;
  if (total < MIN_HISTORY_CASES) return null;
  const center = (n - 1) / 2;
  const X = new Float64Array(n * P);
  const row = new Float64Array(P);
  for (let t = 0; t < n; t++) {
    designRow(row, t, (firstMonthOfYear + t) % 12, center);
    X.set(row, t * P);
  }
  const beta = new Float64Array(P);
  beta[0] = Math.log(total / n);
  const mu = new Float64Array(n);
  let l: Float64Array | null = null;
  for (let iter = 0; iter < 50; iter++) {
    const A = new Float64Array(P * P);
    const b = new Float64Array(P);
    for (let t = 0; t < n; t++) {
      let eta = 0;
      for (let j = 0; j < P; j++) eta += X[t * P + j]! * beta[j]!;
      eta = Math.max(-30, Math.min(30, eta));
      const m = Math.exp(eta);
      mu[t] = m;
      const z = eta + (history[t]! - m) / m;
      for (let i = 0; i < P; i++) {
        const xi = X[t * P + i]!;
        if (xi === 0) continue;
        b[i]! += m * xi * z;
        for (let j = 0; j <= i; j++) A[i * P + j]! += m * xi * X[t * P + j]!;
      }
    }
    for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) A[j * P + i] = A[i * P + j]!;
    for (let i = 2; i < P; i++) A[i * P + i]! += RIDGE;
    l = cholesky(A, P);
    if (!l) return null;
    const next = cholSolve(l, P, b);
    let change = 0;
    for (let j = 0; j < P; j++) change = Math.max(change, Math.abs(next[j]! - beta[j]!));
    beta.set(next);
    if (change < 1e-8) break;
  }
  // the fitted values and the information matrix at the final β
  const A = new Float64Array(P * P);
  let pearson = 0;
  for (let t = 0; t < n; t++) {
    let eta = 0;
    for (let j = 0; j < P; j++) eta += X[t * P + j]! * beta[j]!;
    const m = Math.exp(Math.max(-30, Math.min(30, eta)));
    pearson += (history[t]! - m) ** 2 / m;
    for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) A[i * P + j]! += m * X[t * P + i]! * X[t * P + j]!;
  }
  for (let i = 2; i < P; i++) A[i * P + i]! += RIDGE;
  l = cholesky(A, P);
  if (!l) return null;
  const phi = Math.max(1, pearson / (n - P));
  designRow(row, n, (firstMonthOfYear + n) % 12, center);
  let eta0 = 0;
  for (let j = 0; j < P; j++) eta0 += row[j]! * beta[j]!;
  const expected = Math.exp(Math.max(-30, Math.min(30, eta0)));
  // Var η̂0 = φ · x0' A⁻¹ x0
  const v = cholSolve(l, P, row);
  let quad = 0;
  for (let j = 0; j < P; j++) quad += row[j]! * v[j]!;
  const varEta = phi * quad;
  const sd = (2 / 3) * Math.pow(expected, 1 / 6) * Math.sqrt(phi + expected * varEta);
  const z = (Math.pow(observed, 2 / 3) - Math.pow(expected, 2 / 3)) / sd;
  return { expected, phi, p: normalUpperTail(z) };
}

/** Benjamini–Hochberg adjusted p-values (q-values), in the input's order. */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const m = p.length;
  const order = p.map((_, i) => i).sort((a, b) => p[b]! - p[a]!);
  const q = new Array<number>(m);
  let running = 1;
  for (let r = 0; r < m; r++) {
    const i = order[r]!;
    const rank = m - r;
    running = Math.min(running, (p[i]! * m) / rank);
    q[i] = running;
  }
  return q;
}

export type SeriesInput<K> = {
  key: K;
  /** counts of consecutive months, oldest first, the evaluation month last */
  counts: readonly number[];
  /** the first count's month of the year (0 = January) */
  firstMonthOfYear: number;
};

export type SeriesResult<K> = {
  key: K;
  observed: number;
  expected: number;
  phi: number;
  p: number;
  q: number;
  flagged: boolean;
};

/**
 * Evaluates every series (each with up to HISTORY months before its evaluation month) and
 * controls the false discovery rate over those evaluated. Series too short or thin are left
 * out of the result (and of the family).
 */
export function detectHotspots<K>(series: readonly SeriesInput<K>[]): SeriesResult<K>[] {
  const evaluated: Omit<SeriesResult<K>, "q" | "flagged">[] = [];
  for (const s of series) {
    const n = s.counts.length - 1;
    if (n < MIN_HISTORY) continue;
    const start = Math.max(0, n - HISTORY);
    const history = s.counts.slice(start, n);
    const observed = s.counts[n]!;
    const fit = baseline(history, (s.firstMonthOfYear + start) % 12, observed);
    if (!fit) continue;
    evaluated.push({ key: s.key, observed, expected: fit.expected, phi: fit.phi, p: fit.p });
  }
  const q = benjaminiHochberg(evaluated.map((e) => e.p));
  return evaluated.map((e, i) => ({
    ...e,
    q: q[i]!,
    flagged: q[i]! <= Q && e.observed >= MIN_OBSERVED && e.observed > e.expected,
  }));
}

/** "YYYY-MM" → months since year 0 (and back). */
export const monthIndex = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;
export const monthOfIndex = (i: number) => `${String(Math.floor(i / 12)).padStart(4, "0")}-${String((i % 12) + 1).padStart(2, "0")}`;

/** The first and last day of a "YYYY-MM" month, as ISO dates (the filter's from and to). */
export function monthRange(ym: string): { from: string; to: string } {
  const y = Number(ym.slice(0, 4));
  const m = Number(ym.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${ym}-01`, to: `${ym}-${String(last).padStart(2, "0")}` };
}

/** The one filter model's filters that open a series' cases in a month. */
export function seriesFilters(dimension: HotspotDimension, value: string, month: string): Filters {
  const { from, to } = monthRange(month);
  const values = dimension === "holder" ? [Number(value)] : [value];
  return { ...EMPTY_FILTERS, from, to, [HOTSPOT_FILTER_PARAM[dimension]]: values } as Filters;
}

/**
 * The link opening a series' cases of a month in the case table: the month's dates, then the
 * series' value under its filter's URL parameter (`/cases?from=2025-12-01&to=2025-12-31&origin=CN`).
 */
export function seriesHref(dimension: HotspotDimension, value: string, month: string): string {
  const { from, to } = monthRange(month);
  const params = serializeFilters({ ...EMPTY_FILTERS, from, to });
  params.append(HOTSPOT_FILTER_PARAM[dimension], value);
  return `/cases?${params}`;
}

/** The values a filter selects of a hot-spot dimension (none when the filter model has no such filter). */
const selectedValues = (filters: Filters, dimension: HotspotDimension): readonly (string | number)[] =>
  ((filters as unknown as Record<string, readonly (string | number)[] | undefined>)[HOTSPOT_FILTER_PARAM[dimension]] ?? []);

/**
 * Whether a flag falls within a dashboard filter: the filter's dates (if any) reach into the
 * evaluation month, and either the filter selects no value of any hot-spot dimension (every
 * flag), or it selects this flag's value of its dimension.
 */
export function flagInFilter(flag: { dimension: HotspotDimension; value: string }, month: string, filters: Filters): boolean {
  const { from, to } = monthRange(month);
  if (filters.from && filters.from > to) return false;
  if (filters.to && filters.to < from) return false;
  const selected = HOTSPOT_DIMENSIONS.filter((d) => selectedValues(filters, d).length > 0);
  if (!selected.length) return true;
  return selectedValues(filters, flag.dimension).map(String).includes(flag.value);
}
