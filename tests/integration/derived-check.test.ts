import { sql } from "drizzle-orm";
import { partiesOfValues } from "../../db/search-document";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { derivedMismatches } from "../../db/aggregate/check";
import { caseStore } from "../../db/aggregate/store";
import { sqliteEngine, type Engine } from "../../db/engine";
import { openDb, type Db } from "../../db/sqlite/open";
import { getDashboardStats, forgetKeptAnswers } from "../../db/queries/stats";
import { searchIndexWriter } from "../../db/sqlite/search-index";
import { DuplicateCaseNoError, loadStoredCase, writeCases, type CaseWrite } from "../../db/writer";
import { EMPTY_FILTERS } from "../../lib/filters";
import { seedDatabase } from "../../seed/run";
import { freshDb } from "../support/db";
import { sqlTotals } from "../support/derived";
import { ENGINES } from "../support/engines";
import { sameData, seeded, type SameData } from "../support/same-data";

// The one check of the derived data (db/aggregate/check.ts) finds what it is there to find,
// on both engines: a store that missed a change, a search document gone (or, on SQLite, one
// whose words are wrong). And the writer's bulk-load mode (derived: "rebuild": the change log
// paused — its triggers dropped inside the load's transaction and created again — and one
// "everything changed" row at the end) reaches every store — of the connection that wrote and
// of another one — at its next read.

const kpisOf = async (e: Engine) => {
  forgetKeptAnswers(e);
  const k = (await getDashboardStats(e, EMPTY_FILTERS)).kpis;
  return { cases: k.cases, pieces: k.pieces, valueFen: k.valueFen };
};

describe.each(ENGINES)("the derived-figures check on %s", (dialect) => {
  let t: SameData;
  let e: Engine;
  beforeAll(async () => {
    t = await sameData(dialect, "derived-check", seeded({ cases: 3_000, seed: 5 }));
    e = t.e;
  }, 180_000);
  afterAll(() => t?.close());
  const liveIds = async (n: number) => (await e.all<{ id: number }>(sql`select id from cases where deleted_at is null order by id limit ${n}`)).map((r) => r.id);

  it("finds nothing after the seed", async () => {
    expect(await derivedMismatches(e)).toEqual([]);
  });

  it("finds a change the store of the writing connection missed (written with the log paused, no marker)", async () => {
    await kpisOf(e); // this connection's store is loaded
    const [id] = await liveIds(1);
    const { year } = (await e.get<{ year: string }>(sql`select substr(seized_on, 1, 4) as year from cases where id = ${id}`))!;
    const holders = (await e.all<{ h: number }>(sql`select right_holder_id as h from case_right_holders where case_id = ${id}`)).map((r) => String(r.h));
    await e.transaction(async (tx) => {
      await tx.run(sql`insert into app_meta (key, value) values ('case_changes', 'paused')`);
      await tx.run(sql`update cases set value_fen = value_fen + 12345, status = 'closed' where id = ${id}`);
      await tx.run(sql`delete from app_meta where key = 'case_changes'`);
    });
    const found = await derivedMismatches(e);
    // only this connection's store is behind (a fresh one loads the cases as they are), in
    // both ways of reading it, for the totals, the year, the status and the case's holders
    expect(new Set(found.map((m) => m.source))).toEqual(new Set(["store (this connection)"]));
    const figures = new Set(found.map((m) => m.figure));
    for (const how of ["year tallies", "row scan"]) {
      for (const figure of ["all", "year", "status", "holder", "industry"]) expect(figures, `${figure} (${how})`).toContain(`${figure} (${how})`);
    }
    expect(found).toContainEqual(expect.objectContaining({ figure: "year (row scan)", key: year }));
    expect(found.filter((m) => m.figure === "holder (row scan)").map((m) => m.key).sort()).toEqual(holders.sort());
    // the marker a bulk load leaves: the store loads again, and all agrees
    await e.transaction(async (tx) => void (await tx.run(sql`insert into case_changes (case_id) values (0)`)));
    expect(await derivedMismatches(e)).toEqual([]);
    expect(await kpisOf(e)).toEqual(await sqlTotals(e));
  });

  if (dialect === "postgres") {
    it("finds a search row gone (cases_search against the live cases)", async () => {
      const [gone] = await liveIds(1);
      await e.transaction(async (tx) => {
        await tx.run(sql`create table saved_search as select * from cases_search where case_id = ${gone}`);
        await tx.run(sql`delete from cases_search where case_id = ${gone}`);
      });
      expect(await derivedMismatches(e)).toEqual([{ source: "cases_search", figure: "case ids", key: String(gone), derived: "missing", base: "live case" }]);
      await e.transaction(async (tx) => {
        await tx.run(sql`insert into cases_search select * from saved_search`);
        await tx.run(sql`drop table saved_search`);
      });
      expect(await derivedMismatches(e)).toEqual([]);
    });
  } else {
    it("finds a search document gone, and one whose words differ from the case's", async () => {
      const sqlite = t.sqlite;
      const [gone, wrong] = await liveIds(2);
      sqlite.prepare("delete from cases_redacted_fts where rowid = ?").run(gone);
      sqlite.prepare("delete from cases_fts where rowid = ?").run(wrong);
      sqlite.prepare("insert into cases_fts (rowid, case_no, goods, holders) values (?, 'X-1', 'planted words', '')").run(wrong);
      const ids = await derivedMismatches(e);
      expect(ids).toEqual([{ source: "cases_redacted_fts", figure: "document", key: String(gone), derived: "none", base: "live case" }]);
      // the ids agree again; the terms of the planted document do not
      const search = searchIndexWriter(sqlite);
      const stored = async (id: number) => (await loadStoredCase(e, id))!;
      const names = (id: number) => sqlite.prepare(`select h.name || ' ' || coalesce(h.name_zh, '') from case_right_holders l
        join right_holders h on h.id = l.right_holder_id where l.case_id = ? order by h.id`).pluck().all(id) as string[];
      const goneCase = await stored(gone!);
      search.put({ caseId: gone!, caseNo: goneCase.caseNo, goods: goneCase.goodsDescription, holderNames: names(gone!), parties: partiesOfValues(goneCase) });
      const terms = await derivedMismatches(e);
      expect(terms.length).toBeGreaterThan(0);
      expect(terms.every((m) => m.source === "cases_fts" && m.key === String(wrong))).toBe(true);
      expect(terms).toContainEqual(expect.objectContaining({ figure: "term in goods", derived: "planted at 0", base: "none" }));
      expect(await derivedMismatches(e, { text: false })).toEqual([]);
      const wrongCase = await stored(wrong!);
      search.put({ caseId: wrong!, caseNo: wrongCase.caseNo, goods: wrongCase.goodsDescription, holderNames: names(wrong!), parties: partiesOfValues(wrongCase) });
      expect(await derivedMismatches(e)).toEqual([]);
    });
  }
});

// The writer's bulk-load mode on SQLite (db/sqlite/change-log.ts drops and recreates the log's triggers).
let t: ReturnType<typeof freshDb>;
beforeAll(async () => {
  t = freshDb("derived-check-bulk");
  await seedDatabase(sqliteEngine(t.db), { cases: 3_000, seed: 5 });
});
afterAll(() => t.close());

const kpis = (db: Db) => kpisOf(sqliteEngine(db));
const sqlKpis = (db: Db) =>
  db.$client.prepare("select count(*) as cases, sum(pieces) as pieces, sum(value_fen) as valueFen from cases where deleted_at is null").get();
const liveIds = (db: Db, n: number) => db.$client.prepare("select id from cases where deleted_at is null order by id limit ?").pluck().all(n) as number[];

describe("a bulk load through the writer (derived: 'rebuild') on sqlite", () => {
  /** Copies of existing cases under new case numbers. */
  const copies = async (db: Db, n: number, prefix: string): Promise<CaseWrite[]> =>
    Promise.all(
      liveIds(db, n).map(async (id, i): Promise<CaseWrite> => {
        const { version: _v, updatedBy: _u, updatedAt: _a, deletedAt: _d, ...values } = (await loadStoredCase(sqliteEngine(db), id))!;
        return { op: "create", input: { ...values, caseNo: `${prefix}-${String(i).padStart(5, "0")}` } };
      }),
    );

  it("logs one row, and every store — this connection's and another's — sees the new figures at its next read", async () => {
    const other = openDb(`file:${t.file}`);
    try {
      const before = await kpis(t.db);
      expect(await kpis(other)).toEqual(before);
      const seq = (await caseStore(sqliteEngine(t.db))).seq;
      const writes = await copies(t.db, 600, "BULK");
      await writeCases(sqliteEngine(t.db), writes, { userId: null, derived: "rebuild" });
      expect(t.db.$client.prepare("select case_id from case_changes where seq > ?").pluck().all(seq)).toEqual([0]);
      // the log is live again: the next write is logged
      const [edited] = liveIds(t.db, 1);
      const last = t.db.$client.prepare("select max(seq) from case_changes").pluck().get() as number;
      t.db.$client.prepare("update cases set pieces = pieces + 1 where id = ?").run(edited);
      expect(t.db.$client.prepare("select case_id from case_changes where seq > ?").pluck().all(last)).toEqual([edited]);
      expect(await kpis(other)).toEqual(sqlKpis(other));
      expect(await kpis(t.db)).toEqual(sqlKpis(t.db));
      expect((await kpis(t.db)).cases).toBe(before.cases + 600);
      expect(await derivedMismatches(other)).toEqual([]);
      expect(await derivedMismatches(t.db)).toEqual([]);
    } finally {
      other.$client.close();
    }
  });

  it("a bulk load that fails leaves the log live: nothing of it logged, the next write logged", async () => {
    const sqlite = t.db.$client;
    const writes = await copies(t.db, 3, "FAIL");
    const duplicate = { ...writes[0]!, input: { ...(writes[0] as { input: object }).input } } as CaseWrite;
    const seq = sqlite.prepare("select max(seq) from case_changes").pluck().get() as number;
    await expect(writeCases(sqliteEngine(t.db), [...writes, duplicate], { userId: null, derived: "rebuild" })).rejects.toThrow(DuplicateCaseNoError);
    expect(sqlite.prepare("select count(*) from case_changes where seq > ?").pluck().get(seq)).toBe(0);
    const [id] = liveIds(t.db, 1);
    sqlite.prepare("update cases set pieces = pieces + 1 where id = ?").run(id);
    expect(sqlite.prepare("select case_id from case_changes where seq > ?").pluck().all(seq)).toEqual([id]);
    expect(await derivedMismatches(t.db)).toEqual([]);
  });
});
