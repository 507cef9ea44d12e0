import Database from "better-sqlite3";
import { inject } from "vitest";
import { beforeAll, describe, expect, it } from "vitest";
import { createCase } from "../../db/mutations/cases";
import { parseCsv } from "../../lib/csv";
import { baseURL, sessionCookie } from "./support";
import { sqliteEngine } from "../../db/engine";
import { drizzleOf } from "../../db/sqlite/open";

// read as the demo analyst (who may read every case)
const get = async (path: string) => fetch(`${baseURL()}${path}`, { headers: { cookie: await sessionCookie("analyst") } });
const KUNMING = "district=8600&from=2016-01-01&to=2017-06-07";

let formulaCaseNo = "";
beforeAll(async () => {
  // a case whose goods text is a spreadsheet formula, written through the app's write path
  const db = new Database(inject("databaseFile"));
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  const base = db.prepare("select office_id as officeId from cases where id = 1").get() as { officeId: number };
  formulaCaseNo = "0100-2025-9901";
  await createCase(sqliteEngine(drizzleOf(db)), {
    caseNo: formulaCaseNo, officeId: base.officeId, seizedOn: "2025-12-01", infringementType: "trademark", goodsCategory: "other",
    goodsDescription: "=1+1", pieces: 3, valueFen: 12345, direction: "export", channel: "postal", transport: "post",
    protectionMode: "ex_officio", originCountry: null, destinationCountry: null, campaignId: null, status: "detained", disposal: null,
    hearingHeld: false, referredToPolice: false, penaltyFen: null, notes: null, rightHolderIds: [1],
  }, null);
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

describe("GET /api/stats", () => {
  type Stats = {
    kpis: { cases: number; pieces: number; valueFen: number; rightHolders: number; avgValueFen: number | null };
    previous: { from: string; to: string; kpis: { cases: number } } | null;
    byYear: { year: number; cases: number }[];
    byDistrict: { code: string; cases: number; valueFen: number }[];
    byType: { value: string; cases: number }[];
    byDisposal: { value: string; cases: number }[];
  };
  const stats = async (query: string) => {
    const response = await get(`/api/stats?${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    return (await response.json()) as Stats;
  };

  it("answers the published Kunming figures", async () => {
    const km = await stats(KUNMING);
    expect(km.kpis.cases).toBe(63);
    expect(km.kpis.valueFen).toBe(625_000_000);
    expect(km.kpis.pieces).toBeGreaterThan(300_000);
    expect(km.kpis.rightHolders).toBeGreaterThan(90);
    expect(km.byDistrict.map((d) => d.code)).toEqual(["8600"]);
    expect(km.byYear.reduce((n, y) => n + y.cases, 0)).toBe(63);
    expect(km.previous).toMatchObject({ from: "2014-07-26", to: "2015-12-31" });
    const y2014 = await stats("district=8600&from=2014-01-01&to=2014-12-31");
    expect(y2014.kpis).toMatchObject({ cases: 96, valueFen: 700_000_000, pieces: 544_000 });
    expect(y2014.previous).toMatchObject({ from: "2013-01-01", to: "2013-12-31" });
  });

  it("agrees with the case API and with its own breakdowns", async () => {
    const query = "type=trademark&type=copyright&direction=export&from=2018-01-01";
    const s = await stats(query);
    const cases = (await (await get(`/api/cases?${query}&size=1`)).json()) as { total: number };
    expect(s.kpis.cases).toBe(cases.total);
    for (const breakdown of [s.byYear, s.byDistrict, s.byType, s.byDisposal]) {
      expect(breakdown.reduce((n, r) => n + r.cases, 0)).toBe(s.kpis.cases);
    }
    expect(s.byDistrict.reduce((n, r) => n + r.valueFen, 0)).toBe(s.kpis.valueFen);
  });

  it.each([
    ["district=86", "district"],
    ["disposal=burnt", "disposal"],
    ["to=2016-02-30", "to"],
  ])("answers 400 naming the parameter for %s", async (query, parameter) => {
    const response = await get(`/api/stats?${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { parameter: string }).parameter).toBe(parameter);
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
