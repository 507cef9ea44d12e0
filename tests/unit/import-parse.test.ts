import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { withBlanks } from "../../lib/case-definition";
import { csvLine, UTF8_BOM } from "../../lib/csv";
import { exportCells, exportHeader, type ExportRow } from "../../lib/export-columns";
import { columnOfHeader, mapColumns } from "../../lib/import/columns";
import {
  ImportFileError, MAX_IMPORT_BYTES, checkImportSize, detectDelimiter, parseCsvText, parseImportFile, parseXlsxBytes,
} from "../../lib/import/parse";
import { splitHolders, validateImport, type ExistingCases, type ImportOptions, type ImportReference } from "../../lib/import/validate";

// The pure half of the import: files into rows of strings, headers in either language, and
// each kind of bad row with its reason, row number and column.

const row: ExportRow = {
  caseNo: "0200-2024-9501", seizedOn: "2024-03-05", districtCode: "0200", districtNameEn: "Tianjin", districtNameZh: "天津",
  officeCode: "0201", officeNameEn: "Tianjin Port", officeNameZh: "天津港", infringementType: "trademark",
  goodsCategory: "apparel_footwear", goodsDescription: 'Shoes, "Zenka" branded; 2 kinds', pieces: 120, valueFen: 1_234_505,
  direction: "export", channel: "express", transport: "air", protectionMode: "ex_officio", originCountry: "CN",
  destinationCountry: "US", campaignCode: "longteng", campaignNameEn: "Longteng", campaignNameZh: "龙腾", status: "penalised",
  disposal: "destroyed", hearingHeld: true, referredToPolice: false, penaltyFen: 50_000, rightHolders: "Acme Corp; Zenka Athletics",
  notes: "=not a formula",
};

const reference: ImportReference = {
  districts: new Map([["0200", 1], ["0300", 5]]),
  offices: new Map([["0200", { id: 1, districtCode: "0200" }], ["0201", { id: 2, districtCode: "0200" }]]),
  holders: new Map([["acme corp", 10], ["爱克美", 10], ["zenka athletics", 11]]),
  campaigns: new Map([["longteng", 3], ["龙腾", 3]]),
};
const none: ExistingCases = new Map();
const opts = (over: Partial<ImportOptions> = {}): ImportOptions => ({ update: false, skipInvalid: false, createHolders: false, ...over });

function csvOf(rows: ExportRow[], locale: "en" | "zh" = "en"): string {
  return UTF8_BOM + csvLine(exportHeader(locale)) + rows.map((r) => csvLine(exportCells(r, locale))).join("");
}

describe("reading files", () => {
  it("reads an export's CSV (BOM, quotes, a neutralised formula) back to the same cells", () => {
    const parsed = parseCsvText(csvOf([row]));
    expect(parsed.header).toEqual(exportHeader("en"));
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.rows[0]!.row).toBe(2);
    const cells = parsed.rows[0]!.cells;
    expect(cells[8]).toBe('Shoes, "Zenka" branded; 2 kinds');
    expect(cells[10]).toBe("12345.05");
    expect(cells[24]).toBe("=not a formula");
  });

  it("takes the delimiter from the header line: comma or semicolon", () => {
    expect(detectDelimiter("a,b,c\r\n1;2")).toBe(",");
    expect(detectDelimiter('"x,y";b;c\n1,2')).toBe(";");
    const semi = parseCsvText('Case number;Goods;Pieces\n0200-2024-9501;"a;b, c";3\n');
    expect(semi.rows[0]!.cells).toEqual(["0200-2024-9501", "a;b, c", "3"]);
  });

  it("works without a BOM, skips blank lines and keeps spreadsheet row numbers", () => {
    const parsed = parseCsvText("Case number,Pieces\n\n0200-2024-9501,1\n0200-2024-9502,2");
    expect(parsed.rows.map((r) => r.row)).toEqual([3, 4]);
  });

  it("refuses an empty file, a non-UTF-8 file, and a file over 50 MB before reading it", async () => {
    await expect(parseImportFile(new Uint8Array())).rejects.toMatchObject({ code: "empty" });
    await expect(parseImportFile(new Uint8Array([0x43, 0xff, 0xfe, 0x2c, 0x0a]))).rejects.toMatchObject({ code: "not_utf8" });
    expect(() => checkImportSize(MAX_IMPORT_BYTES + 1)).toThrow(ImportFileError);
    expect(() => checkImportSize(MAX_IMPORT_BYTES)).not.toThrow();
  });

  it("recognises headers in English or Chinese, whatever the case, spaces or full-width punctuation", () => {
    expect(columnOfHeader("case NUMBER")).toBe("case_no");
    expect(columnOfHeader(" 案件编号 ")).toBe("case_no");
    expect(columnOfHeader("货值(元)")).toBe("value_yuan");
    expect(columnOfHeader("货值（元）")).toBe("value_yuan");
    expect(columnOfHeader("Value (RMB)")).toBe("value_yuan");
    expect(columnOfHeader("Something else")).toBeNull();
    expect(mapColumns(exportHeader("zh")).locale).toBe("zh");
  });

  it("round-trips an XLSX workbook written by exceljs, choosing the cases sheet", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("Notes").addRow(["not this sheet"]);
    const sheet = workbook.addWorksheet("案件");
    sheet.addRow(exportHeader("zh"));
    sheet.addRow(exportCells(row, "zh"));
    const dated = exportCells({ ...row, caseNo: "0200-2024-9502" }, "zh");
    dated[1] = new Date(Date.UTC(2024, 2, 6)) as unknown as string; // a date cell, as Excel stores a typed date
    dated[9] = 7;
    sheet.addRow(dated);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const parsed = await parseXlsxBytes(bytes);
    expect(parsed.format).toBe("xlsx");
    expect(parsed.header).toEqual(exportHeader("zh"));
    expect(parsed.rows.map((r) => r.row)).toEqual([2, 3]);
    expect(parsed.rows[1]!.cells[1]).toBe("2024-03-06");
    expect(parsed.rows[1]!.cells[9]).toBe("7");
    const v = validateImport(parsed, reference, none, opts());
    expect(v.rejected).toEqual([]);
    expect(v.accepted.map((a) => a.input.caseNo)).toEqual(["0200-2024-9501", "0200-2024-9502"]);
    expect((await parseImportFile(bytes, "x.xlsx")).rows).toHaveLength(2);
  });
});

describe("validating rows", () => {
  it("turns an export row into the same case: fen, enum values, campaign, right holders, flags", () => {
    for (const locale of ["en", "zh"] as const) {
      const v = validateImport(parseCsvText(csvOf([row], locale)), reference, none, opts());
      expect(v.rejected).toEqual([]);
      expect(v.accepted[0]!.input).toEqual(withBlanks({
        caseNo: "0200-2024-9501", officeId: 2, seizedOn: "2024-03-05", infringementType: "trademark", goodsCategory: "apparel_footwear",
        goodsDescription: 'Shoes, "Zenka" branded; 2 kinds', pieces: 120, valueFen: 1_234_505, direction: "export", channel: "express",
        transport: "air", protectionMode: "ex_officio", originCountry: "CN", destinationCountry: "US", campaignId: 3, status: "penalised",
        disposal: "destroyed", hearingHeld: true, referredToPolice: false, penaltyFen: 50_000, notes: "=not a formula", rightHolderIds: [10, 11],
      }));
    }
  });

  it("accepts raw enum values and a Chinese right-holder name", () => {
    const text = "Case number,Seized on,Office code,Infringement type,Goods category,Goods,Pieces,Value (RMB),Direction,Channel,Transport,Protection mode,Status,Right holders\n"
      + "0200-2024-9503,2024/3/7,0201,design_patent,toys,Dolls,1,0.5,import,postal,post,on_application,detained,爱克美\n";
    const v = validateImport(parseCsvText(text), reference, none, opts());
    expect(v.rejected).toEqual([]);
    expect(v.accepted[0]!.input).toMatchObject({ seizedOn: "2024-03-07", valueFen: 50, infringementType: "design_patent", rightHolderIds: [10], campaignId: null, disposal: null });
  });

  it("splits right holders as the export writes them", () => {
    expect(splitHolders("A; B;；b ;")).toEqual(["A", "B"]);
  });

  const bad = (over: Partial<ExportRow>, cells: Partial<Record<number, string>> = {}) => {
    const all = exportCells({ ...row, ...over }, "en").map((c) => (c === null ? "" : String(c)));
    for (const [i, v] of Object.entries(cells)) all[Number(i)] = v!;
    return all;
  };
  const check = (rows: string[][], o: Partial<ImportOptions> = {}, existing: ExistingCases = none) =>
    validateImport({ format: "csv", header: exportHeader("en"), rows: rows.map((cells, i) => ({ row: i + 2, cells })) }, reference, existing, opts(o));

  const cases: [string, string[], string, string][] = [
    ["unknown district", bad({}, { 2: "9900" }), "District code", "unknown_district"],
    ["district that is not the office's", bad({}, { 2: "0300" }), "District code", "district_mismatch"],
    ["unknown office", bad({}, { 4: "9999" }), "Office code", "unknown_office"],
    ["unknown right holder", bad({ rightHolders: "Acme Corp; Nobody Ltd" }), "Right holders", "unknown_holder"],
    ["bad date", bad({}, { 1: "2024-02-30" }), "Seized on", "bad_date"],
    ["date in the future", bad({}, { 1: "2999-01-01" }), "Seized on", "bad_date"],
    ["pieces < 1", bad({ pieces: 0 }), "Pieces", "pieces_min"],
    ["not a number", bad({}, { 9: "many" }), "Pieces", "bad_number"],
    ["negative value", bad({}, { 10: "-12.00" }), "Value (RMB)", "negative_value"],
    ["negative penalty", bad({}, { 22: "-1" }), "Penalty (RMB)", "negative_value"],
    ["unknown enum label", bad({}, { 7: "Spaceships" }), "Goods category", "unknown_label"],
    ["unknown yes/no", bad({}, { 20: "maybe" }), "Hearing held", "unknown_label"],
    ["unknown campaign", bad({}, { 17: "Operation X" }), "Campaign", "unknown_campaign"],
    ["bad case number", bad({ caseNo: "12-34" }), "Case number", "bad_case_no"],
    ["missing value", bad({}, { 8: " " }), "Goods", "required"],
    ["bad country", bad({ originCountry: "China" }), "Origin", "bad_country"],
  ];
  for (const [name, cells, column, reason] of cases) {
    it(`rejects a row with ${name}: ${reason} in ${column}`, () => {
      const v = check([bad({ caseNo: "0200-2024-9510" }), cells]);
      expect(v.accepted).toHaveLength(1);
      expect(v.rejected.map((r) => [r.row, r.column, r.reason])).toEqual([[3, column, reason]]);
      expect(v.rejected[0]!.message).toBeTruthy();
    });
  }

  it("lists every problem of a row, in column order", () => {
    const v = check([bad({ pieces: 0 }, { 4: "9999", 1: "x" })]);
    expect(v.rejected.map((r) => r.column)).toEqual(["Seized on", "Office code", "Pieces"]);
  });

  it("rejects a case number repeated in the file, naming the first row", () => {
    const v = check([bad({}), bad({ caseNo: "0200-2024-9511" }), bad({})]);
    expect(v.rejected).toMatchObject([{ row: 4, column: "Case number", reason: "duplicate_in_file", params: { first: 2 } }]);
  });

  it("rejects a case number already in the database, unless updating (never a deleted case)", () => {
    const existing: ExistingCases = new Map([["0200-2024-9501", { id: 7, version: 3, deleted: false }], ["0200-2024-9512", { id: 8, version: 1, deleted: true }]]);
    const rows = [bad({}), bad({ caseNo: "0200-2024-9512" })];
    expect(check(rows, {}, existing).rejected.map((r) => r.reason)).toEqual(["exists", "exists_deleted"]);
    const update = check(rows, { update: true }, existing);
    expect(update.rejected.map((r) => r.reason)).toEqual(["exists_deleted"]);
    expect(update.accepted[0]!.existing).toEqual({ id: 7, version: 3 });
  });

  it("with createHolders, lists unknown right holders to create once each instead of rejecting", () => {
    const v = check([bad({ rightHolders: "Nobody Ltd; Acme Corp" }), bad({ caseNo: "0200-2024-9513", rightHolders: "NOBODY LTD; 新公司" })], { createHolders: true });
    expect(v.rejected).toEqual([]);
    expect(v.holdersToCreate.map((h) => h.name)).toEqual(["Nobody Ltd", "新公司"]);
    expect(v.holdersToCreate[1]!.nameZh).toBe("新公司");
    expect(v.accepted[0]!.input.rightHolderIds).toEqual([10]);
    expect(v.accepted[0]!.newHolders).toEqual(["Nobody Ltd"]);
  });

  it("names each missing required column once, on row 1, in the file's language", () => {
    const header = exportHeader("zh").filter((h) => h !== "件数" && h !== "权利人");
    const v = validateImport({ format: "csv", header, rows: [{ row: 2, cells: header.map(() => "") }] }, reference, none, opts());
    expect(v.rejected.map((r) => [r.row, r.column, r.reason])).toEqual([[1, "件数", "missing_column"], [1, "权利人", "missing_column"]]);
    expect(v.accepted).toEqual([]);
  });
});
