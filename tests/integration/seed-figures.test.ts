import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLISHED_FIGURES, type PublishedFigure } from "../../seed/published-figures";
import { seedDatabase } from "../../seed/run";
import { derivedMismatches } from "../../db/aggregate/check";
import { freshDb } from "../support/db";
import { kunmingFigure } from "../support/sql";

function checkPublished(sqlite: import("better-sqlite3").Database, figure: PublishedFigure) {
  const got = kunmingFigure(sqlite, figure.from, figure.to, figure.campaign);
  expect(got.cases, `${figure.label}: cases`).toBe(figure.cases);
  expect(got.value, `${figure.label}: value in fen`).toBe(figure.valueFen);
  if (figure.pieces.exactly !== undefined) expect(got.pieces).toBe(figure.pieces.exactly);
  if (figure.pieces.over !== undefined) expect(got.pieces).toBeGreaterThan(figure.pieces.over);
  if (figure.pieces.under !== undefined) expect(got.pieces).toBeLessThan(figure.pieces.under);
  if (figure.rightHolders?.exactly !== undefined) expect(got.holders).toBe(figure.rightHolders.exactly);
  if (figure.rightHolders?.over !== undefined) expect(got.holders).toBeGreaterThan(figure.rightHolders.over);
  if (figure.rightHolders?.allForeignInvested) expect(got.foreignHolders).toBe(got.holders);
  if (figure.mostlyTrademark) expect(got.trademark).toBeGreaterThan(got.cases / 2);
}

describe.each([
  { cases: 100_000, seed: 1, label: "the default demo (100,000 cases, seed 1)" },
  { cases: 20_000, seed: 20170607, label: "another size and seed (20,000 cases, seed 20170607)" },
])("$label", ({ cases, seed }) => {
  let t: ReturnType<typeof freshDb>;
  beforeAll(() => {
    t = freshDb("figures");
    expect(seedDatabase(t.db.$client, { cases, seed }).cases).toBe(cases);
  });
  afterAll(() => t.close());

  it("holds exactly the number of cases asked for", () => {
    expect((t.db.$client.prepare("select count(*) as n from cases").get() as { n: number }).n).toBe(cases);
  });

  it("leaves every derived figure equal to plain SQL, having logged one 'everything changed' row instead of one per case", () => {
    expect(t.db.$client.prepare("select case_id from case_changes").pluck().all()).toEqual([0]);
    // the search indexes term by term for the smaller seed (by case id for both)
    expect(derivedMismatches(t.db, { text: cases <= 20_000 })).toEqual([]);
  });

  it("reproduces Kunming Customs' 2014 figures: 96 cases, RMB 7,000,000.00, 544,000 pieces", () => {
    checkPublished(t.db.$client, PUBLISHED_FIGURES.year2014);
  });

  it("reproduces the QBPC meeting figures: 63 cases since 2016, RMB 6,250,000.00, >300,000 pieces, >90 foreign-invested holders, mostly trademark", () => {
    checkPublished(t.db.$client, PUBLISHED_FIGURES.since2016);
  });

  it("reproduces the Qingfeng figures: 214 cases, RMB 14,720,000.00, >630,000 pieces, 276 right holders", () => {
    checkPublished(t.db.$client, PUBLISHED_FIGURES.qingfeng);
  });

  it("follows the national shape: ≈97–99% trademark, ≥95% export, ≥99% ex officio", () => {
    const shape = t.db.$client
      .prepare(`select avg(infringement_type = 'trademark') as trademark, avg(direction = 'export') as export,
                       avg(protection_mode = 'ex_officio') as exOfficio from cases`)
      .get() as { trademark: number; export: number; exOfficio: number };
    expect(shape.trademark).toBeGreaterThanOrEqual(0.97);
    expect(shape.trademark).toBeLessThanOrEqual(0.99);
    expect(shape.export).toBeGreaterThanOrEqual(0.95);
    expect(shape.exOfficio).toBeGreaterThanOrEqual(0.99);
  });

  it("gives every one of the 42 districts cases, with Shenzhen among the five largest by pieces", () => {
    const rows = t.db.$client
      .prepare(`select d.code, count(c.id) as cases, coalesce(sum(c.pieces), 0) as pieces
                from customs_offices d
                left join customs_offices o on o.id = d.id or o.district_id = d.id
                left join cases c on c.office_id = o.id
                where d.district_id is null group by d.code order by pieces desc`)
      .all() as { code: string; cases: number; pieces: number }[];
    expect(rows).toHaveLength(42);
    for (const row of rows) expect(row.cases, `district ${row.code}`).toBeGreaterThan(0);
    expect(rows.slice(0, 5).map((r) => r.code)).toContain("5300");
  });

  it("covers 2012 to 2025 and numbers cases <district>-<year>-<seq>", () => {
    const span = t.db.$client.prepare("select min(seized_on) as first, max(seized_on) as last from cases").get() as { first: string; last: string };
    expect(span.first.startsWith("2012-")).toBe(true);
    expect(span.last.startsWith("2025-")).toBe(true);
    const bad = t.db.$client
      .prepare(`select count(*) as n from cases c join customs_offices o on o.id = c.office_id
                join customs_offices d on d.id = coalesce(o.district_id, o.id)
                where c.case_no not glob d.code || '-' || substr(c.seized_on, 1, 4) || '-[0-9][0-9][0-9][0-9]*'`)
      .get() as { n: number };
    expect(bad.n).toBe(0);
  });
});
