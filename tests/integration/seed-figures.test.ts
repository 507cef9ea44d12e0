import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { derivedMismatches } from "../../db/aggregate/check";
import { sqliteConnectionOf, type Engine } from "../../db/engine";
import { PUBLISHED_FIGURES, type PublishedFigure } from "../../seed/published-figures";
import { seedDatabase } from "../../seed/run";
import { SURGE } from "../../seed/generate";
import { refreshHotspots } from "../../db/hotspots";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";
import { searchMismatches } from "../support/written";

// The demo seed on both engines: the same arguments give the same cases, and Kunming
// Customs' published figures come out exactly, counted with plain SQL.

const KUNMING_CASES = sql`
  select c.* from cases c
  join customs_offices o on o.id = c.office_id
  join customs_offices d on d.id = coalesce(o.district_id, o.id)
  where d.code = '8600' and c.deleted_at is null`;

type Figure = { cases: number; value: number; pieces: number; holders: number; foreignHolders: number; trademark: number };

async function kunmingFigure(e: Engine, from: string, to: string, campaign: string | null): Promise<Figure> {
  const where = sql`k.seized_on between ${from} and ${to} ${campaign ? sql`and k.campaign_id = (select id from campaigns where code = ${campaign})` : sql``}`;
  const totals = await e.get<Record<string, number>>(sql`select count(*) as cases, cast(coalesce(sum(value_fen), 0) as bigint) as value,
      cast(coalesce(sum(pieces), 0) as bigint) as pieces, count(case when infringement_type = 'trademark' then 1 end) as trademark
    from (${KUNMING_CASES}) k where ${where}`);
  const holders = await e.get<Record<string, number>>(sql`select count(distinct h.id) as holders,
      count(distinct case when h.foreign_invested = ${e.say.bool(true)} then h.id end) as "foreignHolders"
    from (${KUNMING_CASES}) k join case_right_holders l on l.case_id = k.id join right_holders h on h.id = l.right_holder_id
    where ${where}`);
  const n = (v: unknown) => Number(v);
  return { cases: n(totals!.cases), value: n(totals!.value), pieces: n(totals!.pieces), trademark: n(totals!.trademark), holders: n(holders!.holders), foreignHolders: n(holders!.foreignHolders) };
}

async function checkPublished(e: Engine, figure: PublishedFigure) {
  const got = await kunmingFigure(e, figure.from, figure.to, figure.campaign);
  expect(got.cases, `${figure.label}: cases`).toBe(figure.cases);
  expect(got.value, `${figure.label}: value in fen`).toBe(figure.valueFen);
  if (figure.pieces.exactly !== undefined) expect(got.pieces).toBe(figure.pieces.exactly);
  if (figure.pieces.over !== undefined) expect(got.pieces).toBeGreaterThan(figure.pieces.over);
  if (figure.pieces.under !== undefined) expect(got.pieces).toBeLessThan(figure.pieces.under);
  if (figure.rightHolders?.exactly !== undefined) expect(got.holders).toBe(figure.rightHolders.exactly);
  if (figure.rightHolders?.over !== undefined) expect(got.holders).toBeGreaterThan(figure.rightHolders.over);
  if (figure.rightHolders?.allForeignInvested) expect(got.foreignHolders).toBe(got.holders);
  if (figure.mostlyTrademark) expect(got.trademark).toBeGreaterThan(got.cases / 2);
  return got;
}

/** Every figure of the seed both engines must agree on, per engine. */
const seen = new Map<string, unknown[]>();

describe.each(
  ENGINES.flatMap((dialect) => [
    { dialect, cases: 100_000, seed: 1, label: `${dialect}: the default demo (100,000 cases, seed 1)` },
    { dialect, cases: 20_000, seed: 20170607, label: `${dialect}: another size and seed (20,000 cases, seed 20170607)` },
  ]),
)("$label", ({ dialect, cases, seed }) => {
  let fresh: FreshEngine;
  let e: Engine;
  const key = `${cases}/${seed}`;
  const record = (what: unknown) => {
    const list = seen.get(key) ?? [];
    list.push({ dialect, what });
    seen.set(key, list);
  };
  beforeAll(async () => {
    fresh = await freshEngine(dialect, "figures");
    e = fresh.e;
    expect((await seedDatabase(e, { cases, seed })).cases).toBe(cases);
  }, 600_000);
  afterAll(() => fresh?.close());

  it("holds exactly the number of cases asked for, and the seed says it is demo data", async () => {
    expect(Number((await e.get<{ n: number }>(sql`select count(*) as n from cases`))!.n)).toBe(cases);
    expect(JSON.parse((await e.get<{ value: string }>(sql`select value from app_meta where key = 'demo_seed'`))!.value)).toMatchObject({ cases, seed });
  });

  it("leaves the search documents and derived figures equal to plain SQL, having logged one 'everything changed' row instead of one per case", async () => {
    expect((await e.all<{ c: number }>(sql`select case_id as c from case_changes`)).map((r) => r.c)).toEqual([0]);
    expect(await e.get(sql`select 1 from app_meta where key = 'case_changes'`)).toBeUndefined();
    if (dialect === "sqlite") {
      // the search indexes term by term for the smaller seed (by case id for both)
      expect(await derivedMismatches(sqliteConnectionOf(e)!, { text: cases <= 20_000 })).toEqual([]);
    } else if (cases <= 20_000) {
      expect(await searchMismatches(e)).toEqual([]);
    }
  }, 300_000);

  it("reproduces Kunming Customs' 2014 figures: 96 cases, RMB 7,000,000.00, 544,000 pieces", async () => {
    record(await checkPublished(e, PUBLISHED_FIGURES.year2014));
  });

  it("reproduces the QBPC meeting figures: 63 cases since 2016, RMB 6,250,000.00, >300,000 pieces, >90 foreign-invested holders, mostly trademark", async () => {
    record(await checkPublished(e, PUBLISHED_FIGURES.since2016));
  });

  it("reproduces the Qingfeng figures: 214 cases, RMB 14,720,000.00, >630,000 pieces, 276 right holders", async () => {
    record(await checkPublished(e, PUBLISHED_FIGURES.qingfeng));
  });

  it("follows the national shape: ≈97–99% trademark, ≥95% export, ≥99% ex officio", async () => {
    const shape = await e.get<Record<string, number>>(sql`select
        count(case when infringement_type = 'trademark' then 1 end) as trademark,
        count(case when direction = 'export' then 1 end) as export,
        count(case when protection_mode = 'ex_officio' then 1 end) as "exOfficio", count(*) as n from cases`);
    const share = (k: string) => Number(shape![k]) / Number(shape!.n);
    expect(share("trademark")).toBeGreaterThanOrEqual(0.97);
    expect(share("trademark")).toBeLessThanOrEqual(0.99);
    expect(share("export")).toBeGreaterThanOrEqual(0.95);
    expect(share("exOfficio")).toBeGreaterThanOrEqual(0.99);
  });

  it("gives every one of the 42 districts cases, with Shenzhen among the five largest by pieces", async () => {
    const rows = await e.all<{ code: string; cases: number; pieces: number }>(sql`select d.code, count(c.id) as cases, cast(coalesce(sum(c.pieces), 0) as bigint) as pieces
      from customs_offices d
      left join customs_offices o on o.id = d.id or o.district_id = d.id
      left join cases c on c.office_id = o.id
      where d.district_id is null group by d.code order by pieces desc, d.code`);
    expect(rows).toHaveLength(42);
    for (const row of rows) expect(Number(row.cases), `district ${row.code}`).toBeGreaterThan(0);
    expect(rows.slice(0, 5).map((r) => r.code)).toContain("5300");
    record(rows.map((r) => [r.code, Number(r.cases), Number(r.pieces)]));
  });

  it("covers 2012 to 2025 and numbers cases <district>-<year>-<seq>", async () => {
    const span = (await e.get<{ first: string; last: string }>(sql`select min(seized_on) as first, max(seized_on) as last from cases`))!;
    expect(span.first.startsWith("2012-")).toBe(true);
    expect(span.last.startsWith("2025-")).toBe(true);
    const bad = await e.get<{ n: number }>(sql`select count(*) as n from cases c join customs_offices o on o.id = c.office_id
      join customs_offices d on d.id = coalesce(o.district_id, o.id)
      where substr(c.case_no, 1, 10) <> d.code || '-' || substr(c.seized_on, 1, 4) || '-'
        or length(c.case_no) < 14 or ${dialect === "sqlite" ? sql`substr(c.case_no, 11) glob '*[^0-9]*'` : sql`substr(c.case_no, 11) ~ '[^0-9]'`}`);
    expect(Number(bad!.n)).toBe(0);
  });

  it("plants one hot spot for the Risk page: the default demo flags Nanning Customs' December 2025, and no seed flags another district", async () => {
    const { flags, run } = await refreshHotspots(e, new Date("2026-01-10T00:00:00Z"));
    expect(run.evaluationMonth).toBe("2025-12");
    const seen = JSON.stringify(flags.map((f) => [f.dimension, f.value, f.observed, f.expected]));
    const surge = flags.find((f) => f.dimension === "district" && f.value === SURGE.district);
    // planted in a demo of 50,000 cases or more (the default); a smaller one has no planted rise
    if (cases >= SURGE.minCases) {
      expect(surge, `flags: ${seen}`).toBeDefined();
      expect(surge!.observed, seen).toBeGreaterThan(surge!.expected * 3);
    }
    expect(flags.filter((f) => f.dimension === "district" && f.value !== SURGE.district), seen).toEqual([]);
    record({ flags: flags.map((f) => [f.dimension, f.value, f.observed]) });
  }, 120_000);

  it("holds the same cases, links and figures on both engines", async () => {
    const digest = await e.all(sql`select id, case_no, office_id, seized_on, pieces, value_fen, campaign_id, status, created_at from cases order by id limit 500`);
    const sums = await e.get(sql`select count(*) as n, cast(sum(id * 7 + pieces) as bigint) as a, cast(sum(value_fen % 1000003) as bigint) as b,
      (select cast(sum(case_id * 31 + right_holder_id) as bigint) from case_right_holders) as links from cases`);
    record({ first: digest.map((r) => Object.values(r as object).map(String)), sums: Object.values(sums as object).map(Number) });
    const all = seen.get(key)!;
    if (all.some((x) => (x as { dialect: string }).dialect !== dialect)) {
      const by = (d: string) => all.filter((x) => (x as { dialect: string }).dialect === d).map((x) => (x as { what: unknown }).what);
      expect(by(dialect)).toEqual(by(dialect === "sqlite" ? "postgres" : "sqlite"));
    }
  });
});
