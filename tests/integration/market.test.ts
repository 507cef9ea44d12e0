import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { softDeleteCase } from "../../db/mutations/cases";
import { getMarketView, marketRelease, marketThreshold } from "../../db/queries/market";
import { isSensitive, type Figures, type MarketView } from "../../lib/suppression";
import { ROOT, tempDir } from "../support/db";
import { recoverable } from "../support/disclosure";
import { ENGINES } from "../support/engines";
import { sameData, seeded, type SameData } from "../support/same-data";

// The market tables on a real seeded database: what they show equals plain GROUP BYs over
// all live cases; what they hide is hidden by the rules (threshold, dominance of the
// requesting member's own cases) and cannot be recovered from everything published —
// every table, every period, all together — checked by exact linear algebra. On both engines
// over the same data (PostgreSQL: a db:copy of the seeded SQLite file, whose plain SQL is the truth).

let t: SameData;
let topHolder = 0;
let smallHolder = 0;

type Truth = Map<string, Figures & { own: number }>;

/** Plain SQL over the cases: figures per (table, row, year), and the cases naming `holder`. */
function truth(holder: number | null): Truth {
  const keys: Record<string, string> = {
    district: "d.code",
    type: "c.infringement_type",
    category: "c.goods_category",
    direction: "c.direction",
    year: "''",
  };
  const out: Truth = new Map();
  for (const [name, key] of Object.entries(keys)) {
    const rows = t.sqlite
      .prepare(`select ${key} as k, substr(c.seized_on, 1, 4) as y, count(*) as cases, sum(c.pieces) as pieces, sum(c.value_fen) as valueFen,
                  sum(exists (select 1 from case_right_holders l where l.case_id = c.id and l.right_holder_id = ?)) as own
                from cases c join customs_offices o on o.id = c.office_id join customs_offices d on d.id = coalesce(o.district_id, o.id)
                where c.deleted_at is null group by 1, 2`)
      .all(holder ?? -1) as { k: string; y: string; cases: number; pieces: number; valueFen: number; own: number }[];
    for (const r of rows) out.set(`${name}|${r.k}|${r.y}`, { cases: r.cases, pieces: r.pieces, valueFen: r.valueFen, own: r.own });
  }
  return out;
}

const zero = { cases: 0, pieces: 0, valueFen: 0, own: 0 };
const figures = ({ cases, pieces, valueFen }: Figures) => ({ cases, pieces, valueFen });

/** Every period of the release's years, the whole one first. */
async function everyPeriod(holder: number | null, threshold?: number): Promise<MarketView[]> {
  const whole = await getMarketView(t.e, holder, 0, 9999, threshold);
  const views = [whole];
  const ys = whole.years;
  for (let i = 0; i < ys.length; i++) for (let j = i; j < ys.length; j++) views.push(await getMarketView(t.e, holder, ys[i]!, ys[j]!, threshold));
  return views;
}

async function checkAgainstSql(holder: number | null, threshold: number) {
  const sqlFigures = truth(holder);
  const view = await getMarketView(t.e, holder, 0, 9999, threshold);
  const yearsWithCases = [...new Set([...sqlFigures.keys()].filter((k) => k.startsWith("year|")).map((k) => Number(k.split("|")[2])))].sort();
  // a year is published unless its national figures are themselves sensitive
  const publishable = yearsWithCases.filter((y) => {
    const f = sqlFigures.get(`year||${y}`)!;
    return !isSensitive({ ...f, othersCases: f.cases - f.own }, threshold);
  });
  expect(view.years).toEqual(publishable);
  for (const y of view.byYear) expect(figures(y)).toEqual(figures(sqlFigures.get(`year||${y.year}`)!));
  let hidden = 0;
  for (const table of view.tables) {
    for (const row of table.rows) {
      row.cells.forEach((cell, i) => {
        const f = sqlFigures.get(`${table.name}|${row.key}|${view.years[i]}`) ?? zero;
        const sensitive = isSensitive({ ...f, othersCases: f.cases - f.own }, threshold);
        if (cell === null) {
          hidden++;
          expect(f.cases, `${table.name} ${row.key} ${view.years[i]} hidden, so not empty`).toBeGreaterThan(0);
        } else {
          expect(cell, `${table.name} ${row.key} ${view.years[i]}`).toEqual(figures(f));
          expect(sensitive, `${table.name} ${row.key} ${view.years[i]} shown, so not sensitive`).toBe(false);
        }
      });
      if (row.total) {
        const sum = view.years.reduce((s, y) => {
          const f = sqlFigures.get(`${table.name}|${row.key}|${y}`) ?? zero;
          return { cases: s.cases + f.cases, pieces: s.pieces + f.pieces, valueFen: s.valueFen + f.valueFen };
        }, { cases: 0, pieces: 0, valueFen: 0 });
        expect(row.total).toEqual(sum);
      }
    }
    expect(table.total).toEqual(view.total);
  }
  return { view, hidden };
}

describe.each(ENGINES)("the market tables on a seeded database on %s", (dialect) => {
  beforeAll(async () => {
    t = await sameData(dialect, "market", seeded({ cases: 20_000, seed: 9 }));
    const holders = t.sqlite
      .prepare("select right_holder_id as id, count(*) as n from case_right_holders group by 1 order by n desc, id")
      .all() as { id: number; n: number }[];
    topHolder = holders[0]!.id;
    smallHolder = holders[Math.floor(holders.length * 0.8)]!.id;
  }, 300_000);
  afterAll(() => t?.close());

  it("show exactly what SQL counts over all cases, and hide every sensitive cell (analyst: no company of its own)", async () => {
    const { view, hidden } = await checkAgainstSql(null, 10);
    expect(view.tables.map((tb) => tb.name)).toEqual(["district", "type", "category", "direction"]);
    expect(view.tables.find((tb) => tb.name === "district")!.rows).toHaveLength(42);
    expect(hidden).toBeGreaterThan(0);
  });

  it("for a member, also hide every cell where the cases not naming its company are under the threshold", async () => {
    for (const holder of [topHolder, smallHolder]) await checkAgainstSql(holder, 10);
    // the largest company dominates some cells that an analyst's tables show
    const member = await getMarketView(t.e, topHolder, 0, 9999, 40);
    const analyst = await getMarketView(t.e, null, 0, 9999, 40);
    const shownTo = (v: MarketView) => v.tables.flatMap((tb) => tb.rows.flatMap((r) => r.cells.map((c, i) => (c ? `${tb.name}|${r.key}|${v.years[i]}` : "")))).filter(Boolean);
    const onlyAnalyst = shownTo(analyst).filter((k) => !shownTo(member).includes(k));
    expect(onlyAnalyst.length).toBeGreaterThan(0);
    // the figures themselves never depend on who asks: a cell shown to both is the same
    const analystCells = new Map(analyst.tables.flatMap((tb) => tb.rows.flatMap((r) => r.cells.map((c, i) => [`${tb.name}|${r.key}|${analyst.years[i]}`, c] as const))));
    for (const tb of member.tables) for (const r of tb.rows) r.cells.forEach((c, i) => c && expect(c).toEqual(analystCells.get(`${tb.name}|${r.key}|${member.years[i]}`)));
  });

  it("a larger threshold hides more, and MARKET_MIN_CASES sets it", async () => {
    const count = (v: MarketView) => v.tables.reduce((n, tb) => n + tb.rows.reduce((m, r) => m + r.cells.filter((c) => c === null).length, 0), 0);
    const at3 = count((await checkAgainstSql(null, 3)).view);
    const at50 = count((await checkAgainstSql(null, 50)).view);
    expect(at50).toBeGreaterThan(at3);
    const before = process.env.MARKET_MIN_CASES;
    try {
      process.env.MARKET_MIN_CASES = "50";
      expect(marketThreshold()).toBe(50);
      expect((await getMarketView(t.e, null, 0, 9999)).threshold).toBe(50);
      process.env.MARKET_MIN_CASES = "abc";
      await expect(getMarketView(t.e, null, 0, 9999)).rejects.toThrow(/MARKET_MIN_CASES must be a whole number/);
    } finally {
      if (before === undefined) delete process.env.MARKET_MIN_CASES;
      else process.env.MARKET_MIN_CASES = before;
    }
  });

  it("nothing hidden can be recovered from all tables and every period together (exact rank test)", async () => {
    for (const [holder, threshold] of [[topHolder, 10], [null, 10], [smallHolder, 25]] as const) {
      const views = await everyPeriod(holder, threshold);
      const found = recoverable(views, views[0]!.years);
      expect(found.hiddenCells.length, `holder ${holder}`).toBeGreaterThan(0);
      expect(found.determinedCells, `holder ${holder}`).toEqual([]);
      expect(found.determinedTotals, `holder ${holder}`).toEqual([]);
    }
  });

  it("is computed again when the data changes", async () => {
    const before = await marketRelease(t.e, null, 10);
    expect(await marketRelease(t.e, null, 10)).toBe(before); // kept while nothing changed
    const victim = t.sqlite.prepare("select id from cases where deleted_at is null order by id limit 1").get() as { id: number };
    // through the writer on the engine under test, and in the truth's file (the same on SQLite)
    await softDeleteCase(t.e, victim.id, null);
    if (t.source !== t.e) await softDeleteCase(t.source, victim.id, null);
    const after = await marketRelease(t.e, null, 10);
    expect(after).not.toBe(before);
    expect(after.byYear.reduce((s, y) => s + y.cases, 0)).toBe(before.byYear.reduce((s, y) => s + y.cases, 0) - 1);
    await checkAgainstSql(null, 10);
  });
});

describe("MARKET_MIN_CASES at start-up", () => {
  it("npm start stops with one sentence for a bad value, before touching the database", () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
      cwd: ROOT,
      env: { ...process.env, MARKET_MIN_CASES: "five", PORT: "3999", DATABASE_URL: `file:${path.join(tempDir("market-start"), "never.db")}` },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Cannot start: MARKET_MIN_CASES must be a whole number from 3 to 1000 (got "five").');
  });
});
