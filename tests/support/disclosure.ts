import type { Figures, MarketView } from "../../lib/suppression";

// An independent check of what published market tables disclose, by exact linear algebra
// (BigInt Gaussian elimination), written without lib/suppression.ts's graph argument.
//
// The unknowns are the true case counts of every cell (table, row, year) that no view shows.
// Every published number is an equation over the cells: a shown cell fixes it; a shown row
// total, column total or grand total is a sum of cells. A quantity — one cell, or a row's
// sum over the whole range — is determined by the published numbers iff its coefficient
// vector over the unknowns lies in the row space of the equations' coefficients over the
// unknowns (the known cells move to the constant side, which does not matter here).

type Vector = Map<string, bigint>;

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A row space over named variables kept in reduced row-echelon form (integer rows). */
export class RowSpace {
  private basis: { pivot: string; row: Vector }[] = [];

  private reduce(vector: Vector): Vector {
    let v = new Map(vector);
    for (const { pivot, row } of this.basis) {
      const a = v.get(pivot) ?? 0n;
      if (a === 0n) continue;
      const p = row.get(pivot)!;
      const next: Vector = new Map();
      for (const [k, x] of v) next.set(k, x * p);
      for (const [k, x] of row) next.set(k, (next.get(k) ?? 0n) - x * a);
      v = next;
    }
    for (const [k, x] of v) if (x === 0n) v.delete(k);
    let g = 0n;
    for (const x of v.values()) g = gcd(g, x);
    if (g > 1n) for (const [k, x] of v) v.set(k, x / g);
    return v;
  }

  add(vector: Vector): void {
    const v = this.reduce(vector);
    if (v.size === 0) return;
    const pivot = [...v.keys()].sort()[0]!;
    // keep the basis reduced: the new pivot leaves every other row
    for (const b of this.basis) {
      const a = b.row.get(pivot) ?? 0n;
      if (a === 0n) continue;
      const p = v.get(pivot)!;
      const next: Vector = new Map();
      for (const [k, x] of b.row) next.set(k, x * p);
      for (const [k, x] of v) next.set(k, (next.get(k) ?? 0n) - x * a);
      for (const [k, x] of next) if (x === 0n) next.delete(k);
      b.row = next;
    }
    this.basis.push({ pivot, row: v });
  }

  contains(vector: Vector): boolean {
    return this.reduce(vector).size === 0;
  }

  get rank(): number {
    return this.basis.length;
  }
}

const cellId = (table: string, row: string, year: number) => `${table}|${row}|${year}`;

/**
 * What the published views (of one release, any periods) disclose about what they hide:
 * for every hidden cell and every hidden whole-range row total, whether the published
 * numbers determine it exactly. `allYears` are the release's years.
 */
export function recoverable(views: MarketView[], allYears: number[]): {
  hiddenCells: string[];
  hiddenTotals: string[];
  determinedCells: string[];
  determinedTotals: string[];
  rank: number;
} {
  const shown = new Set<string>();
  const tables = new Map<string, string[]>();
  for (const view of views) {
    for (const t of view.tables) {
      tables.set(t.name, t.rows.map((r) => r.key));
      for (const row of t.rows) row.cells.forEach((c, i) => c !== null && shown.add(cellId(t.name, row.key, view.years[i]!)));
    }
  }
  const unknown = (id: string) => !shown.has(id);
  const equations: Vector[] = [];
  const sumOf = (ids: string[]): Vector => new Map(ids.filter(unknown).map((id) => [id, 1n]));
  for (const view of views) {
    for (const t of view.tables) {
      const keys = t.rows.map((r) => r.key);
      // column totals and the grand total of the view's years
      for (const year of view.years) equations.push(sumOf(keys.map((k) => cellId(t.name, k, year))));
      equations.push(sumOf(keys.flatMap((k) => view.years.map((y) => cellId(t.name, k, y)))));
      for (const row of t.rows) {
        if (row.total !== null) equations.push(sumOf(view.years.map((y) => cellId(t.name, row.key, y))));
      }
    }
  }
  const space = new RowSpace();
  for (const e of equations) if (e.size) space.add(e);

  const hiddenCells: string[] = [];
  const determinedCells: string[] = [];
  const hiddenTotals: string[] = [];
  const determinedTotals: string[] = [];
  for (const [name, keys] of tables) {
    for (const key of keys) {
      for (const year of allYears) {
        const id = cellId(name, key, year);
        if (!unknown(id)) continue;
        hiddenCells.push(id);
        if (space.contains(new Map([[id, 1n]]))) determinedCells.push(id);
      }
      const wholeShown = views.some((v) => v.whole && v.tables.find((t) => t.name === name)!.rows.find((r) => r.key === key)!.total !== null);
      if (!wholeShown) {
        hiddenTotals.push(`${name}|${key}`);
        const functional = sumOf(allYears.map((y) => cellId(name, key, y)));
        if (functional.size === 0 || space.contains(functional)) determinedTotals.push(`${name}|${key}`);
      }
    }
  }
  return { hiddenCells, hiddenTotals, determinedCells, determinedTotals, rank: space.rank };
}

export const sameFigures = (a: Figures, b: Figures) => a.cases === b.cases && a.pieces === b.pieces && a.valueFen === b.valueFen;
