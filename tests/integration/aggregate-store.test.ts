import { spawnSync } from "node:child_process";
import path from "node:path";
import type Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseStore, dropCaseStore } from "../../db/aggregate/store";
import type { Engine } from "../../db/engine";
import { caseTotals } from "../../db/queries/totals";
import { facetCounts, forgetKeptAnswers, getDashboardStats, holderFigures } from "../../db/queries/stats";
import {
  caseStatuses, channels, directions, disposalFilterValues, goodsCategories, industries, infringementTypes, ports, protectionModes, transports, type Port,
} from "../../lib/enums";
import { EMPTY_FILTERS, FACET_NAMES, type FacetName, type Filters } from "../../lib/filters";
import { previousPeriod } from "../../lib/period";
import { createRandom } from "../../lib/prng";
import { phraseOf, searchWords, toMatchExpression } from "../../lib/search";
import { ROOT, TSX } from "../support/db";
import { secondEngine, sqlTotals } from "../support/derived";
import { ENGINES } from "../support/engines";
import { sameData, seeded, type SameData } from "../support/same-data";

// The aggregate store (db/aggregate) against SQL written by hand over the base tables, for
// random filter combinations of every kind, a member's scope among them — on both engines:
// the data is seeded into a SQLite file (which the hand-written SQL reads) and, for
// PostgreSQL, copied whole into a fresh PostgreSQL database whose store is read. Then the
// store learning of writes made by another connection (another pool: another app server) and
// another process, from the change log the triggers fill, and after the log was pruned past it
// (a full load); on PostgreSQL, two writers whose log rows commit in seq order.

const TODAY = new Date("2025-05-10T12:00:00Z");

const ENUM_COLUMNS = {
  type: ["infringement_type", infringementTypes.values], category: ["goods_category", goodsCategories.values],
  direction: ["direction", directions.values], channel: ["channel", channels.values], transport: ["transport", transports.values],
  mode: ["protection_mode", protectionModes.values], status: ["status", caseStatuses.values], disposal: ["coalesce(c.disposal, 'none')", disposalFilterValues.values],
} as const;
type EnumName = keyof typeof ENUM_COLUMNS;
const col = (e: EnumName) => (ENUM_COLUMNS[e][0].includes("(") ? ENUM_COLUMNS[e][0] : `c.${ENUM_COLUMNS[e][0]}`);
const lit = (s: string | number) => (typeof s === "number" ? String(s) : `'${s.replace(/'/g, "''")}'`);
const list = (xs: readonly (string | number)[]) => `(${xs.length ? xs.map(lit).join(", ") : "null"})`;

/** The hand-written condition over c (case), o (its office), d (the office's district, if any). */
function where(f: Filters, own: number[] | null): string {
  const parts = ["c.deleted_at is null"];
  if (f.from) parts.push(`c.seized_on >= ${lit(f.from)}`);
  if (f.to) parts.push(`c.seized_on <= ${lit(f.to)}`);
  if (f.district.length) parts.push(`(o.code in ${list(f.district)} or d.code in ${list(f.district)})`);
  if (f.office.length) parts.push(`o.code in ${list(f.office)}`);
  for (const e of Object.keys(ENUM_COLUMNS) as EnumName[]) if ((f[e] as string[]).length) parts.push(`${col(e)} in ${list(f[e] as string[])}`);
  if (f.campaign.length) parts.push(`c.campaign_id in (select id from campaigns where code in ${list(f.campaign)})`);
  if (f.origin.length) parts.push(`c.origin_country in ${list(f.origin)}`);
  if (f.port.length) parts.push(`c.port in ${list(f.port)}`);
  const ownOnly = own ? `and l.right_holder_id in ${list(own)}` : "";
  if (own) parts.push(`c.id in (select case_id from case_right_holders l where 1 ${ownOnly})`);
  if (f.holder.length) parts.push(`c.id in (select case_id from case_right_holders l where l.right_holder_id in ${list(f.holder)} ${ownOnly})`);
  if (f.industry.length) {
    parts.push(`c.id in (select l.case_id from case_right_holders l join right_holders h on h.id = l.right_holder_id where h.industry in ${list(f.industry)} ${ownOnly})`);
  }
  if (f.q) {
    // the test's words never match a company's own names, so a member's search reads the redacted index
    const match = own ? searchWords(f.q).map(phraseOf).join(" AND ") : toMatchExpression(f.q);
    parts.push(match ? `c.id in (select rowid from ${own ? "cases_redacted_fts" : "cases_fts"} where ${own ? "cases_redacted_fts" : "cases_fts"} match ${lit(match)})` : "0");
  }
  return parts.join(" and ");
}

const FROM = "from cases c join customs_offices o on o.id = c.office_id left join customs_offices d on d.id = o.district_id";
type Fig = { cases: number; pieces: number; valueFen: number };

function sqlFigures(s: Database.Database, f: Filters, own: number[] | null) {
  const w = where(f, own);
  const group = (key: string) =>
    new Map((s.prepare(`select ${key} as k, count(*) as cases, sum(c.pieces) as pieces, sum(c.value_fen) as valueFen ${FROM} where ${w} group by 1`).all() as (Fig & { k: string })[])
      .map(({ k, ...x }) => [String(k), x]));
  const ownLinks = own ? `and l.right_holder_id in ${list(own)}` : "";
  const holders = new Map((s.prepare(`select l.right_holder_id as k, count(*) as cases, sum(c.pieces) as pieces, sum(c.value_fen) as valueFen
      ${FROM} join case_right_holders l on l.case_id = c.id where ${w} ${ownLinks} group by 1`).all() as (Fig & { k: number })[]).map(({ k, ...x }) => [k, x]));
  const industryRows = s.prepare(`select k, count(*) as cases, sum(pieces) as pieces, sum(valueFen) as valueFen from
      (select distinct c.id, h.industry as k, c.pieces as pieces, c.value_fen as valueFen ${FROM}
       join case_right_holders l on l.case_id = c.id join right_holders h on h.id = l.right_holder_id where ${w} ${ownLinks}) group by 1`).all() as (Fig & { k: string })[];
  const total = s.prepare(`select count(*) as cases, coalesce(sum(c.pieces), 0) as pieces, coalesce(sum(c.value_fen), 0) as valueFen ${FROM} where ${w}`).get() as Fig;
  return {
    total, holders, industries: new Map(industryRows.map(({ k, ...x }) => [k, x])),
    year: group("cast(substr(c.seized_on, 1, 4) as integer)"), office: group("o.code"), district: group("coalesce(d.code, o.code)"),
    dims: Object.fromEntries((Object.keys(ENUM_COLUMNS) as EnumName[]).map((e) => [e, group(col(e))])) as Record<EnumName, Map<string, Fig>>,
  };
}

function sqlFacet(s: Database.Database, f: Filters, own: number[] | null, facet: FacetName): Map<string, number> {
  const w = where({ ...f, [facet]: [] }, own);
  const ownLinks = own ? `and l.right_holder_id in ${list(own)}` : "";
  const q =
    facet === "district" ? `select coalesce(d.code, o.code) as k, count(*) as n ${FROM} where ${w} group by 1`
    : facet === "office" ? `select o.code as k, count(*) as n ${FROM} where ${w} and o.district_id is not null group by 1`
    : facet === "campaign" ? `select g.code as k, count(*) as n ${FROM} join campaigns g on g.id = c.campaign_id where ${w} group by 1`
    : facet === "holder" ? `select l.right_holder_id as k, count(*) as n ${FROM} join case_right_holders l on l.case_id = c.id where ${w} ${ownLinks} group by 1`
    : facet === "industry" ? `select k, count(*) as n from (select distinct c.id, h.industry as k ${FROM} join case_right_holders l on l.case_id = c.id
        join right_holders h on h.id = l.right_holder_id where ${w} ${ownLinks}) group by 1`
    : `select ${col(facet as EnumName)} as k, count(*) as n ${FROM} where ${w} group by 1`;
  return new Map((s.prepare(q).all() as { k: string | number; n: number }[]).map((r) => [String(r.k), r.n]));
}

const nonZero = (rows: (Fig & Record<string, unknown>)[], key: string) =>
  new Map(rows.filter((r) => r.cases > 0).map((r) => [String(r[key]), { cases: r.cases, pieces: r.pieces, valueFen: r.valueFen }]));

/** Random filters of every kind with real values (seeded), a member's scope in a third of them. */
function combinations(s: Database.Database, n: number): { label: string; filters: Filters; own: number[] | null }[] {
  const pluck = <T>(q: string) => s.prepare(q).pluck().all() as T[];
  const districts = pluck<string>("select code from customs_offices where district_id is null");
  const offices = pluck<string>("select distinct o.code from cases c join customs_offices o on o.id = c.office_id where o.district_id is not null");
  const campaigns = pluck<string>("select code from campaigns");
  const holders = pluck<number>("select right_holder_id from case_right_holders group by 1 having count(*) >= 20 order by 1");
  const words = ["counterfeit", "handbags", "watches", "brake", "parts", "5300-2021"];
  const origins = pluck<string>("select distinct origin_country from cases where origin_country is not null order by 1");
  const random = createRandom(1414);
  // the ports the cases name, and one they do not (a case without a port matches none)
  const usedPorts = pluck<Port>("select distinct port from cases where port is not null order by 1");
  const portValues = [...usedPorts, ...ports.values.filter((p) => !usedPorts.includes(p)).slice(0, 1)];
  const kinds = ["dates", "district", "office", ...Object.keys(ENUM_COLUMNS), "campaign", "holder", "industry", "q", "origin", "port"];
  const out: { label: string; filters: Filters; own: number[] | null }[] = [];
  for (let i = 0; i < n; i++) {
    const f: Filters = { ...EMPTY_FILTERS };
    const some = <T>(xs: readonly T[], max: number) => random.shuffle([...xs]).slice(0, random.int(1, max));
    const chosen = random.shuffle([...kinds]).slice(0, random.int(1, 4));
    for (const k of chosen) {
      if (k === "dates") {
        const y = random.int(2013, 2024);
        f.from = random.chance(0.5) ? `${y}-01-01` : `${y}-0${random.int(2, 9)}-1${random.int(0, 9)}`;
        if (random.chance(0.7)) f.to = `${y + random.int(0, 3)}-${random.chance(0.5) ? "12-31" : "06-15"}`;
      } else if (k === "district") f.district = some(districts, 2);
      else if (k === "office") f.office = some(offices, 2);
      else if (k === "campaign") f.campaign = some(campaigns, 1);
      else if (k === "holder") f.holder = some(holders, 2);
      else if (k === "industry") f.industry = some(industries.values, 2);
      else if (k === "q") f.q = random.pick(words);
      // a broad origin now and then: China, where every export starts
      else if (k === "origin") f.origin = random.chance(0.3) ? ["CN"] : some(origins, 2);
      else if (k === "port") f.port = some(portValues, 2);
      else (f as Record<string, unknown>)[k] = some(ENUM_COLUMNS[k as EnumName][1], 2);
    }
    // a member: its company's holders (one of them, sometimes also one it filters by)
    const own = i % 3 === 2 ? [f.holder[0] ?? random.pick(holders)] : null;
    out.push({ label: `${chosen.join("+")}${own ? ` (member ${own[0]})` : ""}`, filters: f, own });
  }
  return out;
}

describe.each(ENGINES)("the aggregate store on %s", (dialect) => {
  let t: SameData;
  let e: Engine;
  beforeAll(async () => {
    t = await sameData(dialect, "aggregate", seeded({ cases: 8_000, seed: 23 }));
    e = t.e;
  }, 180_000);
  afterAll(() => t?.close());

  it("gives the dashboard, facets, holder figures and totals of 66 combinations (a third in a member's scope), as plain SQL does", async () => {
    const combos = combinations(t.sqlite, 66);
    expect(new Set(combos.flatMap((c) => Object.entries(c.filters).filter(([, v]) => (Array.isArray(v) ? v.length : v)).map(([k]) => k))).size).toBe(18);
    let nonEmpty = 0;
    for (const { label, filters, own } of combos) {
      const options = own ? { restrictToHolders: own } : {};
      forgetKeptAnswers(e);
      const stats = await getDashboardStats(e, filters, options, TODAY);
      const sql = sqlFigures(t.sqlite, filters, own);
      if (sql.total.cases > 0) nonEmpty++;
      expect({ cases: stats.kpis.cases, pieces: stats.kpis.pieces, valueFen: stats.kpis.valueFen }, label).toEqual(sql.total);
      expect(stats.kpis.rightHolders, label).toBe(sql.holders.size);
      expect(nonZero(stats.byYear, "year"), label).toEqual(sql.year);
      expect(nonZero(stats.byOffice, "code"), label).toEqual(sql.office);
      expect(nonZero(stats.byDistrict, "code"), label).toEqual(sql.district);
      expect(nonZero(stats.byIndustry, "value"), label).toEqual(sql.industries);
      for (const [k, rows] of [["type", stats.byType], ["category", stats.byCategory], ["direction", stats.byDirection], ["channel", stats.byChannel],
        ["transport", stats.byTransport], ["mode", stats.byMode], ["status", stats.byStatus], ["disposal", stats.byDisposal]] as const) {
        expect(nonZero(rows, "value"), `${label} ${k}`).toEqual(sql.dims[k]);
      }
      const period = previousPeriod(filters.from, filters.to, TODAY);
      if (period) {
        const prev = sqlFigures(t.sqlite, { ...filters, ...period }, own);
        expect(stats.previous?.kpis, `${label} previous`).toMatchObject({ ...prev.total, rightHolders: prev.holders.size });
      } else expect(stats.previous).toBeNull();
      expect(await holderFigures(e, filters, options), label).toEqual(sql.holders);
      expect(await caseTotals(e, filters, options), label).toEqual(sql.total);
      const facets = await facetCounts(e, filters, options);
      for (const facet of FACET_NAMES) expect(facets[facet], `${label} facet ${facet}`).toEqual(sqlFacet(t.sqlite, filters, own, facet));
    }
    // the sample is not all empty sets
    expect(nonEmpty).toBeGreaterThan(30);
  });

  describe("the store learns of every commit", () => {
    const kpis = async (x: Engine, filters: Filters = EMPTY_FILTERS) => {
      forgetKeptAnswers(x);
      const k = (await getDashboardStats(x, filters, {}, TODAY)).kpis;
      return k;
    };
    const figures = (k: { cases: number; pieces: number; valueFen: number }) => ({ cases: k.cases, pieces: k.pieces, valueFen: k.valueFen });
    const one = async <T>(x: Engine, query: ReturnType<typeof sql>) => Object.values((await x.get<Record<string, T>>(query))!)[0] as T;

    it("sees writes of another connection (plain SQL: the triggers log them)" + (dialect === "sqlite" ? " and of another process" : ""), async () => {
      const reader = secondEngine(e, t.file);
      const writer = secondEngine(e, t.file);
      try {
        const before = await kpis(reader.e);
        expect((await caseStore(reader.e)).n).toBeGreaterThan(0);
        // another connection: an edit of an aggregated column, a deleted case, a right-holder link
        const [a, b] = (await writer.e.all<{ id: number }>(sql`select id from cases where deleted_at is null order by id limit 2`)).map((r) => r.id);
        const holder = await one<number>(writer.e, sql`select id from right_holders where id not in (select right_holder_id from case_right_holders where case_id = ${a}) order by id limit 1`);
        await writer.e.transaction(async (tx) => {
          await tx.run(sql`update cases set pieces = pieces + 1000, status = 'closed' where id = ${a}`);
          await tx.run(sql`update cases set deleted_at = 1 where id = ${b}`);
          await tx.run(sql`insert into case_right_holders (case_id, right_holder_id) values (${a}, ${holder})`);
        });
        const after = await kpis(reader.e);
        expect(after.cases).toBe(before.cases - 1);
        expect(figures(after)).toEqual(await sqlTotals(writer.e));
        const holderCases = Number(await one(writer.e, sql`select count(*) from cases c join case_right_holders l on l.case_id = c.id
          where c.deleted_at is null and l.right_holder_id = ${holder}`));
        expect((await holderFigures(reader.e, { ...EMPTY_FILTERS, holder: [holder] })).get(holder)?.cases).toBe(holderCases);

        if (dialect === "sqlite") {
          // another process, through the app's writer
          const created = spawnSync(TSX, [path.join(ROOT, "tests/support/writer.ts"), t.file, "write", "create", "PROC-2024-0001"], { encoding: "utf8", cwd: ROOT });
          expect(created.stdout).toContain("written");
          const later = await kpis(reader.e);
          expect(later.cases).toBe(after.cases + 1);
          expect(figures(later)).toEqual(await sqlTotals(writer.e));
          expect((await kpis(reader.e, { ...EMPTY_FILTERS, q: "PROC-2024-0001" })).cases).toBe(1);
        }
      } finally {
        await reader.close();
        await writer.close();
      }
    });

    it("loads everything again when the log was pruned past it", async () => {
      const reader = secondEngine(e, t.file);
      const writer = secondEngine(e, t.file);
      try {
        await kpis(reader.e);
        const seqBefore = (await caseStore(reader.e)).seq;
        const id = await one<number>(writer.e, sql`select max(id) from cases where deleted_at is null`);
        await writer.e.transaction(async (tx) => {
          await tx.run(sql`update cases set value_fen = value_fen + 777 where id = ${id}`);
        });
        // 200,000 more log rows: the pruning trigger (newest 100,000 kept) drops every row the reader has not read
        await writer.e.transaction(async (tx) => {
          await tx.run(
            dialect === "sqlite"
              ? sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 200000) insert into case_changes (case_id) select 0 from n`
              : sql`insert into case_changes (case_id) select 0 from generate_series(1, 200000)`,
          );
        });
        const oldest = Number(await one(writer.e, sql`select min(seq) from case_changes`));
        expect(oldest).toBeGreaterThan(seqBefore + 1);
        const after = await kpis(reader.e);
        expect((await caseStore(reader.e)).seq).toBeGreaterThanOrEqual(oldest);
        expect(figures(after)).toEqual(await sqlTotals(writer.e));
      } finally {
        await reader.close();
        await writer.close();
      }
    });

    it("loads everything again after a bulk load that paused the log and left its marker", async () => {
      const reader = secondEngine(e, t.file);
      const writer = secondEngine(e, t.file);
      try {
        await kpis(reader.e);
        const seq = (await caseStore(reader.e)).seq;
        await writer.e.transaction(async (tx) => {
          await tx.run(sql`insert into app_meta (key, value) values ('case_changes', 'paused')`);
          await tx.run(sql`update cases set pieces = pieces + 5 where deleted_at is null and id % 7 = 0`);
          await tx.run(sql`delete from app_meta where key = 'case_changes'`);
          await tx.run(sql`insert into case_changes (case_id) values (0)`);
        });
        // the paused writes logged nothing but the marker
        expect(Number(await one(writer.e, sql`select count(*) from case_changes where seq > ${seq}`))).toBe(1);
        const after = await kpis(reader.e);
        expect(figures(after)).toEqual(await sqlTotals(writer.e));
      } finally {
        await reader.close();
        await writer.close();
      }
    });

    it("forgets what it read inside a transaction that rolled back", async () => {
      const before = await kpis(e);
      const rollback = new Error("roll back");
      await expect(
        e.transaction(async (tx) => {
          await tx.run(sql`update cases set deleted_at = 1 where id = (select max(id) from cases where deleted_at is null)`);
          // inside: it sees its own write
          expect((await kpis(tx)).cases).toBe(before.cases - 1);
          throw rollback;
        }),
      ).rejects.toThrow(rollback);
      expect(await kpis(e)).toEqual(before);
      dropCaseStore(e);
      expect(await kpis(e)).toEqual(before);
    });
  });
});

describe("on PostgreSQL, two writers on two connections", () => {
  let t: SameData;
  beforeAll(async () => {
    t = await sameData("postgres", "aggregate-order", seeded({ cases: 1_000, seed: 3 }));
  }, 120_000);
  afterAll(() => t?.close());

  const one = async <T>(x: Engine, query: ReturnType<typeof sql>) => Object.values((await x.get<Record<string, T>>(query))!)[0] as T;
  const lastTaken = (x: Engine) => one<number>(x, sql`select last_value from pg_sequences where sequencename = 'case_changes_seq_seq'`);

  it("log in seq order: the second takes its seq only after the first has committed, and a reader between them misses neither", async () => {
    const first = secondEngine(t.e, t.file);
    const second = secondEngine(t.e, t.file);
    const reader = secondEngine(t.e, t.file);
    try {
      forgetKeptAnswers(reader.e);
      const before = (await getDashboardStats(reader.e, EMPTY_FILTERS, {}, TODAY)).kpis;
      const [x, y] = (await reader.e.all<{ id: number }>(sql`select id from cases where deleted_at is null order by id limit 2`)).map((r) => r.id);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const one1 = first.e.transaction(async (tx) => {
        await tx.run(sql`update cases set pieces = pieces + 11 where id = ${x}`);
        entered();
        await held;
      });
      await inside;
      const taken = Number(await lastTaken(reader.e));
      const two = second.e.transaction(async (tx) => {
        await tx.run(sql`update cases set pieces = pieces + 22 where id = ${y}`);
      });
      // the second writer waits for the log's lock (held by the first until its commit)…
      const waiting = sql`select count(*) from pg_locks where locktype = 'advisory' and not granted
        and database = (select oid from pg_database where datname = current_database())`;
      while (Number(await one(reader.e, waiting)) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      // …having taken no seq: a reader cannot see a seq after one still open
      expect(Number(await lastTaken(reader.e))).toBe(taken);
      // a reader meanwhile does not wait, and sees neither change
      forgetKeptAnswers(reader.e);
      expect((await getDashboardStats(reader.e, EMPTY_FILTERS, {}, TODAY)).kpis.pieces).toBe(before.pieces);
      release();
      await one1;
      await two;
      const logged = await reader.e.all<{ id: number }>(sql`select case_id as id from case_changes where seq > ${taken - 1} order by seq`);
      expect(logged.map((r) => r.id)).toEqual([x, y]);
      // the reader's next read has both
      const after = (await getDashboardStats(reader.e, EMPTY_FILTERS, {}, TODAY)).kpis;
      expect(after.pieces).toBe(before.pieces + 33);
      expect({ cases: after.cases, pieces: after.pieces, valueFen: after.valueFen }).toEqual(await sqlTotals(reader.e));
    } finally {
      await first.close();
      await second.close();
      await reader.close();
    }
  });
});
