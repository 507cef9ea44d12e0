import Database from "better-sqlite3";
import { inject } from "vitest";
import { beforeAll, describe, expect, it } from "vitest";
import { searchIndexWriter } from "../../db/search-index";
import { parseCsv } from "../../lib/csv";
import { baseURL } from "./support";

const get = (path: string) => fetch(`${baseURL()}${path}`);
const KUNMING = "district=8600&from=2016-01-01&to=2017-06-07";

let formulaCaseNo = "";
beforeAll(() => {
  // a case whose goods text is a spreadsheet formula, written the way the app writes cases
  const db = new Database(inject("databaseFile"));
  db.pragma("busy_timeout = 5000");
  db.transaction(() => {
    const base = db.prepare("select * from cases where id = 1").get() as Record<string, unknown>;
    formulaCaseNo = "0100-2025-9901";
    const info = db
      .prepare(`insert into cases (case_no, office_id, seized_on, infringement_type, goods_category, goods_description, pieces, value_fen,
                direction, channel, transport, protection_mode, status, created_at, updated_at)
                values (?, ?, '2025-12-01', 'trademark', 'other', '=1+1', 3, 12345, 'export', 'postal', 'post', 'ex_officio', 'detained', 0, 0)`)
      .run(formulaCaseNo, base.office_id);
    db.prepare("insert into case_right_holders (case_id, right_holder_id) values (?, 1)").run(info.lastInsertRowid);
    searchIndexWriter(db).add({ caseId: Number(info.lastInsertRowid), caseNo: formulaCaseNo, goods: "=1+1", holderNames: [] });
  })();
  db.close();
});

describe("GET /api/cases", () => {
  it("answers the Kunming question: 63 cases with pages and rows", async () => {
    const response = await get(`/api/cases?${KUNMING}&size=50&sort=value.desc`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { total: number; page: number; size: number; rows: { valueFen: number; district: { code: string } }[] };
    expect(body.total).toBe(63);
    expect(body.page).toBe(1);
    expect(body.size).toBe(50);
    expect(body.rows).toHaveLength(50);
    for (const r of body.rows) expect(r.district.code).toBe("8600");
    const values = body.rows.map((r) => r.valueFen);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const second = (await (await get(`/api/cases?${KUNMING}&size=50&page=2`)).json()) as { rows: unknown[] };
    expect(second.rows).toHaveLength(13);
  });

  it.each([
    ["size=500", "size"],
    ["from=2017-13-01", "from"],
    ["type=piracy", "type"],
    ["sort=password.asc", "sort"],
    ["page=-2", "page"],
    ["holder=1%3B%20drop%20table%20cases", "holder"],
  ])("answers 400 naming the parameter for %s", async (query, parameter) => {
    const response = await get(`/api/cases?${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; parameter: string; message: string };
    expect(body.error).toBe("invalid_parameter");
    expect(body.parameter).toBe(parameter);
    expect(body.message).toContain(parameter);
  });
});

describe("GET /api/cases/{id}", () => {
  it("returns one case with every field", async () => {
    const response = await get("/api/cases/5");
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    for (const field of ["caseNo", "seizedOn", "office", "district", "infringementType", "goodsCategory", "pieces", "valueFen", "status", "rightHolders", "history", "version"]) {
      expect(body).toHaveProperty(field);
    }
  });

  it("answers 404 as JSON for an unknown or malformed id", async () => {
    for (const id of ["99999999", "abc", "1.5"]) {
      const response = await get(`/api/cases/${id}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: string }).error).toBe("not_found");
    }
  });
});

describe("exports", () => {
  it("a CSV holds exactly the filtered set and parses back to the same values", async () => {
    const api = (await (await get(`/api/cases?${KUNMING}&size=200&sort=caseNo.asc`)).json()) as {
      total: number;
      rows: { caseNo: string; pieces: number; valueFen: number }[];
    };
    const response = await get(`/api/cases/export?format=csv&${KUNMING}&sort=caseNo.asc`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="cases_2016-01-01_to_2017-06-07_district-8600_\d{4}-\d{2}-\d{2}\.csv"/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM for Excel
    const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes));
    expect(header![0]).toBe("Case number");
    expect(rows).toHaveLength(api.total);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[col("Case number")])).toEqual(api.rows.map((r) => r.caseNo));
    expect(rows.map((r) => Number(r[col("Pieces")]))).toEqual(api.rows.map((r) => r.pieces));
    expect(rows.map((r) => Math.round(Number(r[col("Value (RMB)")]) * 100))).toEqual(api.rows.map((r) => r.valueFen));
    const fen = rows.reduce((s, r) => s + Math.round(Number(r[col("Value (RMB)")]) * 100), 0);
    expect(fen).toBe(625_000_000);
  });

  it("neutralises a cell that would run as a formula", async () => {
    const text = await (await get(`/api/cases/export?format=csv&q=${formulaCaseNo}`)).text();
    const [, row] = parseCsv(text);
    expect(row).toBeDefined();
    expect(row).toContain("'=1+1");
    expect(text).not.toMatch(/(^|,)=1\+1/m);
  });

  it("an XLSX export is a workbook with the cases and a sheet stating the filters", async () => {
    const response = await get(`/api/cases/export?format=xlsx&${KUNMING}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    const ExcelJS = (await import("exceljs")).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const [cases, filters] = workbook.worksheets;
    expect(cases!.name).toBe("Cases");
    expect(cases!.actualRowCount).toBe(64); // header + 63
    expect(filters!.name).toBe("Filters");
    const text = filters!.getSheetValues().flat().join(" | ");
    expect(text).toContain("Kunming (8600)");
    expect(text).toContain("2016-01-01");
    expect(text).toContain("Rows | 63");
  });

  it("answers 400 for a bad parameter or format instead of an empty file", async () => {
    expect((await get("/api/cases/export?format=pdf")).status).toBe(400);
    expect((await get("/api/cases/export?format=csv&type=piracy")).status).toBe(400);
  });
});
