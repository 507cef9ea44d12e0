import { marketMinCases } from "./env";

// Statistical disclosure control for the market tables (pure, no I/O).
//
// The market section publishes a fixed set of tables about all customs cases: figures by
// year, and row × year tables (district, infringement type, goods category, direction).
// Each row × year table is published with its row totals, its column totals (the by-year
// table) and its grand total.
//
// Primary suppression: a cell (or a row total) with cases is sensitive when it has fewer
// than THRESHOLD cases, or when fewer than THRESHOLD of its cases do not name the
// requester's company — otherwise the requester subtracts its own cases and learns the
// rest (dominance). An empty cell (0 cases) holds nobody's figures and is published as 0.
//
// Secondary suppression: the published values are linear constraints on the suppressed
// ones. Treat the table as a bipartite graph: a vertex per row, per year column and one
// for the "total" column; an edge per suppressed cell (row, year) and per suppressed row
// total (row, total). Row r says  Σ_year x(r,year) − T(r) = 0, year c says Σ_r x(r,c) = Y(c),
// the total column says Σ_r T(r) = G; the unknowns are the suppressed edges. After flipping
// the sign of the T(r) unknowns and of the total column's equation, this is the (unsigned =
// signed, up to signs, since the graph is bipartite) incidence matrix of the graph, whose row
// space is the cut space: a suppressed value is exactly recoverable iff its edge is in no
// cycle, i.e. it is a bridge (a row or column with a single suppressed cell is the simplest
// bridge). So suppression goes on until no suppressed edge is a bridge: for a bridge (u, v)
// the cheapest path between u's side and v's side through other non-empty cells is found
// (Dijkstra; a cell's cost is its cases, so the smallest cells are taken; already suppressed
// cells cost nothing) and its cells are suppressed, which closes a cycle through the bridge.
// Every suppressed cell has at least one case, so moving one case around such a cycle keeps
// every cell non-negative: each suppressed count lies in an interval of width ≥ 2, bounds
// included. tests/unit/suppression.test.ts checks the claim with exact linear algebra.
//
// Combining tables: the tables share only the year columns, and the by-year table publishes
// them in full. Given those published totals, each table's unknowns appear only in that
// table's own equations (no two tables nest: a district-year cell is not a sum of type-year
// cells), so the combined system is block-diagonal and a cell undetermined in its own table
// stays undetermined with all the others. A year whose national figures are themselves
// sensitive is left out of every table, and every total is taken over the published years.
//
// Periods: the pattern is computed once on the whole table of all published years. A period
// shows the columns of its years with that pattern; a period's row total is shown only when
// the row has no suppressed cell within the period (it is then the sum of shown cells), and
// the whole-table row totals only for the whole range. Every value of every period is thus a
// published value of the whole table or a sum of them: comparing periods adds nothing.

export { DEFAULT_MARKET_MIN_CASES, MARKET_MIN_CASES_RANGE } from "./env";

/** MARKET_MIN_CASES: the least number of cases of a published cell (default 10; lib/env.ts checks it). */
export function marketMinCasesFromEnv(value: string | undefined): number {
  return marketMinCases({ MARKET_MIN_CASES: value });
}

export type Figures = { cases: number; pieces: number; valueFen: number };
/** A cell as counted: its figures, and how many of its cases do not name the requester's company. */
export type CountedCell = Figures & { othersCases: number };

/** A row of a table: its key (district code, enumeration value) and labels. */
export type MarketRow = { key: string; en: string; zh: string };
export type SourceTable = { name: string; rows: MarketRow[]; cells: CountedCell[][] };
/** Everything counted: the years with cases, the by-year figures, and row × year tables aligned with `years`. */
export type MarketSource = { years: number[]; byYear: CountedCell[]; tables: SourceTable[] };

/** Whether a cell's figures may not be published by themselves (primary suppression). */
export function isSensitive(cell: CountedCell, threshold: number): boolean {
  return cell.cases > 0 && (cell.cases < threshold || cell.othersCases < threshold);
}

export type Pattern = {
  /** [row][column]: suppressed, primary or secondary */
  suppressed: boolean[][];
  /** [row]: the row total is suppressed */
  totalSuppressed: boolean[];
  primary: boolean[][];
  primaryTotal: boolean[];
};

type Edge = { u: number; v: number; cases: number; suppressed: boolean };

/** The edges of the table's graph that are bridges among the suppressed edges. */
export function suppressedBridges(vertexCount: number, edges: Edge[]): number[] {
  const adjacency: [number, number][][] = Array.from({ length: vertexCount }, () => []);
  edges.forEach((e, id) => {
    if (!e.suppressed) return;
    adjacency[e.u]!.push([e.v, id]);
    adjacency[e.v]!.push([e.u, id]);
  });
  const order = new Array<number>(vertexCount).fill(-1);
  const low = new Array<number>(vertexCount).fill(0);
  const bridges: number[] = [];
  let counter = 0;
  const visit = (vertex: number, viaEdge: number) => {
    order[vertex] = low[vertex] = counter++;
    for (const [next, id] of adjacency[vertex]!) {
      if (id === viaEdge) continue;
      if (order[next] === -1) {
        visit(next, id);
        low[vertex] = Math.min(low[vertex]!, low[next]!);
        if (low[next]! > order[vertex]!) bridges.push(id);
      } else low[vertex] = Math.min(low[vertex]!, order[next]!);
    }
  };
  for (let v = 0; v < vertexCount; v++) if (order[v] === -1) visit(v, -1);
  return bridges.sort((a, b) => a - b);
}

function reachable(vertexCount: number, edges: Edge[], from: number, without: number): boolean[] {
  const seen = new Array<boolean>(vertexCount).fill(false);
  const stack = [from];
  seen[from] = true;
  while (stack.length) {
    const vertex = stack.pop()!;
    edges.forEach((e, id) => {
      if (!e.suppressed || id === without) return;
      const next = e.u === vertex ? e.v : e.v === vertex ? e.u : -1;
      if (next >= 0 && !seen[next]) {
        seen[next] = true;
        stack.push(next);
      }
    });
  }
  return seen;
}

/**
 * The cheapest set of unsuppressed non-empty edges that, with the suppressed ones, joins
 * `from` to `to` without the edge `without`; a suppressed edge costs nothing, another its
 * cases (plus a little per cell, so fewer cells win a tie). Null when there is no such path.
 */
function cheapestPath(vertexCount: number, edges: Edge[], from: boolean[], to: boolean[], without: number): number[] | null {
  const dist = new Array<number>(vertexCount).fill(Infinity);
  const via = new Array<number>(vertexCount).fill(-1);
  const done = new Array<boolean>(vertexCount).fill(false);
  for (let v = 0; v < vertexCount; v++) if (from[v]) dist[v] = 0;
  for (;;) {
    let vertex = -1;
    for (let v = 0; v < vertexCount; v++) if (!done[v] && dist[v]! < Infinity && (vertex < 0 || dist[v]! < dist[vertex]!)) vertex = v;
    if (vertex < 0) return null;
    if (to[vertex]) {
      const path: number[] = [];
      for (let v = vertex; via[v]! >= 0; ) {
        const e = edges[via[v]!]!;
        if (!e.suppressed) path.push(via[v]!);
        v = e.u === v ? e.v : e.u;
      }
      return path;
    }
    done[vertex] = true;
    edges.forEach((e, id) => {
      if (id === without || e.cases === 0) return;
      const next = e.u === vertex ? e.v : e.v === vertex ? e.u : -1;
      if (next < 0 || done[next]) return;
      const d = dist[vertex]! + (e.suppressed ? 0 : e.cases + 1e-3);
      if (d < dist[next]!) {
        dist[next] = d;
        via[next] = id;
      }
    });
  }
}

function checkCell(cell: CountedCell, where: string): void {
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!whole(cell.cases) || !whole(cell.pieces) || !whole(cell.valueFen) || !whole(cell.othersCases) || cell.othersCases > cell.cases) {
    throw new RangeError(`The market cell ${where} is not a valid count: ${JSON.stringify(cell)}.`);
  }
}

/**
 * The suppression pattern of one row × column table whose column totals and grand total are
 * published: primary cells and row totals, then secondary suppression until no suppressed
 * cell or row total is a bridge of the table's graph (see the top of this file).
 */
export function protectTable(cells: CountedCell[][], rowTotals: CountedCell[], threshold: number): Pattern {
  const rowCount = cells.length;
  const columnCount = cells[0]?.length ?? 0;
  if (rowTotals.length !== rowCount || cells.some((row) => row.length !== columnCount)) {
    throw new RangeError("A market table must have one total per row and the same columns in every row.");
  }
  cells.forEach((row, r) => row.forEach((cell, c) => checkCell(cell, `[${r}][${c}]`)));
  rowTotals.forEach((cell, r) => checkCell(cell, `total[${r}]`));
  const TOTAL = rowCount + columnCount;
  const edges: Edge[] = [];
  for (let r = 0; r < rowCount; r++) {
    for (let c = 0; c < columnCount; c++) {
      const cell = cells[r]![c]!;
      edges.push({ u: r, v: rowCount + c, cases: cell.cases, suppressed: isSensitive(cell, threshold) });
    }
  }
  for (let r = 0; r < rowCount; r++) {
    edges.push({ u: r, v: TOTAL, cases: rowTotals[r]!.cases, suppressed: isSensitive(rowTotals[r]!, threshold) });
  }
  const primary = edges.map((e) => e.suppressed);
  const vertexCount = TOTAL + 1;
  for (let bridges = suppressedBridges(vertexCount, edges); bridges.length; bridges = suppressedBridges(vertexCount, edges)) {
    const bridge = bridges[0]!;
    const { u, v } = edges[bridge]!;
    const path = cheapestPath(vertexCount, edges, reachable(vertexCount, edges, u, bridge), reachable(vertexCount, edges, v, bridge), bridge);
    // cannot happen once empty columns are left out: a non-empty cell shares its column with
    // another non-empty one unless it holds the whole column, and then it is not sensitive
    if (!path) throw new Error(`The market table cannot be protected: cell ${bridge} has no alternative path.`);
    for (const id of path) edges[id]!.suppressed = true;
  }
  const at = (r: number, c: number) => r * columnCount + c;
  return {
    suppressed: cells.map((row, r) => row.map((_, c) => edges[at(r, c)]!.suppressed)),
    totalSuppressed: rowTotals.map((_, r) => edges[rowCount * columnCount + r]!.suppressed),
    primary: cells.map((row, r) => row.map((_, c) => primary[at(r, c)]!)),
    primaryTotal: rowTotals.map((_, r) => primary[rowCount * columnCount + r]!),
  };
}

export type ProtectedTable = {
  name: string;
  rows: MarketRow[];
  /** [row][column] over the release's years */
  cells: CountedCell[][];
  rowTotals: CountedCell[];
  pattern: Pattern;
};
/** The whole release as computed on the server: every value, and which may be shown. */
export type Release = { threshold: number; years: number[]; byYear: Figures[]; tables: ProtectedTable[] };

function sum<T extends Figures>(cells: T[]): CountedCell {
  const out: CountedCell = { cases: 0, pieces: 0, valueFen: 0, othersCases: 0 };
  for (const c of cells) {
    out.cases += c.cases;
    out.pieces += c.pieces;
    out.valueFen += c.valueFen;
    out.othersCases += "othersCases" in c ? (c.othersCases as number) : c.cases;
  }
  return out;
}

const figuresOf = ({ cases, pieces, valueFen }: Figures): Figures => ({ cases, pieces, valueFen });

/**
 * The release: the years whose national figures may be published (others are left out of
 * every table), and each table's suppression pattern over those years.
 */
export function buildRelease(source: MarketSource, threshold: number): Release {
  if (source.byYear.length !== source.years.length) throw new RangeError("One by-year cell per year is needed.");
  source.byYear.forEach((cell, i) => checkCell(cell, `year ${source.years[i]}`));
  const kept = source.years.map((_, i) => i).filter((i) => source.byYear[i]!.cases > 0 && !isSensitive(source.byYear[i]!, threshold));
  const tables = source.tables.map((t): ProtectedTable => {
    const cells = t.cells.map((row) => kept.map((i) => row[i]!));
    kept.forEach((i, k) => {
      const column = sum(cells.map((row) => row[k]!));
      const year = source.byYear[i]!;
      if (column.cases !== year.cases || column.pieces !== year.pieces || column.valueFen !== year.valueFen) {
        throw new RangeError(`The ${t.name} table does not add up to the figures of ${source.years[i]}.`);
      }
    });
    const rowTotals = cells.map((row) => sum(row));
    return { name: t.name, rows: t.rows, cells, rowTotals, pattern: protectTable(cells, rowTotals, threshold) };
  });
  return { threshold, years: kept.map((i) => source.years[i]!), byYear: kept.map((i) => figuresOf(source.byYear[i]!)), tables };
}

/** A published cell: its figures, or null where suppressed. */
export type PublishedCell = Figures | null;
export type PublishedTable = {
  name: string;
  rows: (MarketRow & { cells: PublishedCell[]; total: PublishedCell })[];
  /** per year of the view: the national figures */
  columnTotals: Figures[];
  total: Figures;
};
/** What leaves the server: the published figures of the years of a period, nothing else. */
export type MarketView = {
  threshold: number;
  /** every year of the release (what a period can choose from) */
  availableYears: number[];
  /** the years shown: the release's years within the period */
  years: number[];
  /** the period covers every year of the release (the whole-table row totals are shown) */
  whole: boolean;
  byYear: (Figures & { year: number })[];
  total: Figures;
  tables: PublishedTable[];
};

/** The release's published figures for the whole years fromYear … toYear (inclusive). */
export function viewPeriod(release: Release, fromYear: number, toYear: number): MarketView {
  const columns = release.years.map((y, i) => [y, i] as const).filter(([y]) => y >= fromYear && y <= toYear).map(([, i]) => i);
  const whole = columns.length === release.years.length;
  const columnTotals = columns.map((i) => figuresOf(release.byYear[i]!));
  const total = figuresOf(sum(columnTotals));
  return {
    threshold: release.threshold,
    availableYears: [...release.years],
    years: columns.map((i) => release.years[i]!),
    whole,
    byYear: columns.map((i) => ({ year: release.years[i]!, ...figuresOf(release.byYear[i]!) })),
    total,
    tables: release.tables.map((t) => ({
      name: t.name,
      columnTotals,
      total,
      rows: t.rows.map((row, r) => {
        const cells = columns.map((i) => (t.pattern.suppressed[r]![i] ? null : figuresOf(t.cells[r]![i]!)));
        let rowTotal: PublishedCell;
        if (whole) rowTotal = t.pattern.totalSuppressed[r] ? null : figuresOf(t.rowTotals[r]!);
        // a part of the years: only a sum of cells that are shown
        else rowTotal = cells.every((c) => c !== null) ? figuresOf(sum(cells as Figures[])) : null;
        return { ...row, cells, total: rowTotal };
      }),
    })),
  };
}

/** The whole years a period of dates touches: from the year of `from` to the year of `to`. */
export function snapToYears(from: string | null, to: string | null): { fromYear: number; toYear: number } {
  return { fromYear: from ? Number(from.slice(0, 4)) : 0, toYear: to ? Number(to.slice(0, 4)) : 9999 };
}
