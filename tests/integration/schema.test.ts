import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteConnectionOf, type Engine } from "../../db/engine";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// The migrated schema refuses what the app would refuse, on both engines (each in its words).

describe.each(ENGINES)("the migrated schema on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  beforeAll(async () => {
    fresh = await freshEngine(dialect, "schema");
    e = fresh.e;
    await e.run(sql`insert into customs_offices (id, code, name_en, name_zh, province) values (1, '8600', 'Kunming', '昆明', 'Yunnan')`);
    await e.run(sql`insert into right_holders (id, name, country, industry) values (1, 'Test Brand', 'DE', 'luxury')`);
  });
  afterAll(() => fresh?.close());

  const insertCase = (over: Partial<{ caseNo: string; officeId: number; seizedOn: string; type: string; pieces: number; valueFen: number }>) => {
    const v = { caseNo: "8600-2016-0001", officeId: 1, seizedOn: "2016-03-01", type: "trademark", pieces: 10, valueFen: 100, ...over };
    return e.run(sql`insert into cases (case_no, office_id, seized_on, infringement_type, goods_category, goods_description, pieces,
              value_fen, direction, channel, transport, protection_mode, status, created_at, updated_at)
              values (${v.caseNo}, ${v.officeId}, ${v.seizedOn}, ${v.type}, 'bags_leather', 'Handbags', ${v.pieces}, ${v.valueFen}, 'export',
              'general_freight', 'sea', 'ex_officio', 'detained', 0, 0)`);
  };
  /** The database's refusal, as text (its cause's message on PostgreSQL). */
  const refusal = async (write: () => Promise<unknown>): Promise<string> => {
    try {
      await write();
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause;
      return `${(error as Error).message} ${cause?.message ?? ""}`;
    }
    throw new Error("the write was accepted");
  };
  const says = { sqlite: (check: string) => new RegExp(`CHECK constraint failed: ${check}`), postgres: (check: string) => new RegExp(`violates check constraint "${check}"`) }[dialect];

  it("builds every table of the design on a fresh database, with the migrations recorded", async () => {
    const tables = (
      await e.all<{ name: string }>(
        dialect === "sqlite"
          ? sql`select name from sqlite_master where type = 'table' order by name`
          : sql`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
      )
    ).map((r) => r.name);
    for (const name of ["app_meta", "audit_log", "campaigns", "case_right_holders", "cases", "customs_offices", "right_holders", "case_changes"]) {
      expect(tables).toContain(name);
    }
    const applied = await e.get<{ n: number }>(dialect === "sqlite" ? sql`select count(*) as n from __drizzle_migrations` : sql`select count(*) as n from drizzle.__drizzle_migrations`);
    expect(Number(applied!.n)).toBeGreaterThanOrEqual(1);
    const sqlite = sqliteConnectionOf(e);
    if (sqlite) {
      expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    }
  });

  it("accepts a valid case", async () => {
    expect((await insertCase({ caseNo: "8600-2016-0100" })).changes).toBe(1);
  });

  it("rejects a case with fewer than one piece", async () => {
    expect(await refusal(() => insertCase({ caseNo: "8600-2016-0002", pieces: 0 }))).toMatch(says("cases_pieces_ck"));
  });

  it("rejects a negative value", async () => {
    expect(await refusal(() => insertCase({ caseNo: "8600-2016-0003", valueFen: -1 }))).toMatch(says("cases_value_ck"));
  });

  it("rejects an unknown office", async () => {
    expect(await refusal(() => insertCase({ caseNo: "8600-2016-0004", officeId: 999 }))).toMatch(/FOREIGN KEY constraint failed|violates foreign key constraint/);
  });

  it("rejects an infringement type outside the enumeration, and a malformed date", async () => {
    expect(await refusal(() => insertCase({ caseNo: "8600-2016-0005", type: "piracy" }))).toMatch(/cases_type_ck/);
    expect(await refusal(() => insertCase({ caseNo: "8600-2016-0006", seizedOn: "07/06/2017" }))).toMatch(/cases_seized_on_ck/);
  });

  it("rejects a second case with the same number", async () => {
    await insertCase({ caseNo: "8600-2016-0007" });
    expect(await refusal(() => insertCase({ caseNo: "8600-2016-0007" }))).toMatch(/UNIQUE constraint failed: cases.case_no|duplicate key value violates unique constraint "cases_case_no_unique"/);
  });

  it("rejects an office code that is not four digits", async () => {
    expect(await refusal(() => e.run(sql`insert into customs_offices (code, name_en, name_zh, province) values ('86A0', 'X', 'X', 'X')`))).toMatch(/customs_offices_code_ck/);
  });
});
