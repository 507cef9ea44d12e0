import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb } from "../support/db";

let t: ReturnType<typeof freshDb>;
beforeAll(() => {
  t = freshDb("schema");
  const s = t.db.$client;
  s.prepare("insert into customs_offices (id, code, name_en, name_zh, province) values (1, '8600', 'Kunming', '昆明', 'Yunnan')").run();
  s.prepare("insert into right_holders (id, name, country, industry) values (1, 'Test Brand', 'DE', 'luxury')").run();
});
afterAll(() => t.close());

const insertCase = (overrides: Record<string, unknown>) =>
  t.db.$client
    .prepare(`insert into cases (case_no, office_id, seized_on, infringement_type, goods_category, goods_description, pieces,
              value_fen, direction, channel, transport, protection_mode, status, created_at, updated_at)
              values (@caseNo, @officeId, @seizedOn, @type, 'bags_leather', 'Handbags', @pieces, @valueFen, 'export',
              'general_freight', 'sea', 'ex_officio', 'detained', 0, 0)`)
    .run({ caseNo: "8600-2016-0001", officeId: 1, seizedOn: "2016-03-01", type: "trademark", pieces: 10, valueFen: 100, ...overrides });

describe("the migrated schema", () => {
  it("builds every table of the design on a fresh file, with the migration recorded", () => {
    const tables = (t.db.$client.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name);
    for (const name of ["app_meta", "audit_log", "campaigns", "case_right_holders", "cases", "customs_offices", "right_holders"]) {
      expect(tables).toContain(name);
    }
    const applied = t.db.$client.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number };
    expect(applied.n).toBeGreaterThanOrEqual(1);
    expect(t.db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(t.db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
  });

  it("accepts a valid case", () => {
    expect(insertCase({ caseNo: "8600-2016-0100" }).changes).toBe(1);
  });

  it("rejects a case with fewer than one piece", () => {
    expect(() => insertCase({ caseNo: "8600-2016-0002", pieces: 0 })).toThrow(/CHECK constraint failed: cases_pieces_ck/);
  });

  it("rejects a negative value", () => {
    expect(() => insertCase({ caseNo: "8600-2016-0003", valueFen: -1 })).toThrow(/CHECK constraint failed: cases_value_ck/);
  });

  it("rejects an unknown office", () => {
    expect(() => insertCase({ caseNo: "8600-2016-0004", officeId: 999 })).toThrow(/FOREIGN KEY constraint failed/);
  });

  it("rejects an infringement type outside the enumeration, and a malformed date", () => {
    expect(() => insertCase({ caseNo: "8600-2016-0005", type: "piracy" })).toThrow(/cases_type_ck/);
    expect(() => insertCase({ caseNo: "8600-2016-0006", seizedOn: "07/06/2017" })).toThrow(/cases_seized_on_ck/);
  });

  it("rejects a second case with the same number", () => {
    insertCase({ caseNo: "8600-2016-0007" });
    expect(() => insertCase({ caseNo: "8600-2016-0007" })).toThrow(/UNIQUE constraint failed: cases.case_no/);
  });

  it("rejects an office code that is not four digits", () => {
    expect(() =>
      t.db.$client.prepare("insert into customs_offices (code, name_en, name_zh, province) values ('86A0', 'X', 'X', 'X')").run(),
    ).toThrow(/customs_offices_code_ck/);
  });
});
