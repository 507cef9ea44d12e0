import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { DashboardStats } from "../../db/queries/stats";
import { NO_NAMES } from "../../lib/filter-labels";
import { ENUM_FILTERS, parseFilters } from "../../lib/filters";
import { beijingTime, kpiCards, reportModel, tableRows } from "../../components/reports/draw/model";
import { reportPdf } from "../../components/reports/draw/pdf";
import { barsSvg, chartSvg, escapeXml, fit } from "../../components/reports/draw/svg";
import { woffToSfnt } from "../../components/reports/draw/woff";
import { reportXlsx, sheetName } from "../../components/reports/draw/xlsx";
import { embeddedFonts, readPdf } from "../support/pdf-text";

const zero = { cases: 0, pieces: 0, valueFen: 0 };
const f = (cases: number, pieces: number, valueFen: number) => ({ cases, pieces, valueFen });

/** A small dashboard: 20 districts (so an "others" row), three years, two types. */
function stats(): DashboardStats {
  const byDistrict = Array.from({ length: 20 }, (_, i) => ({
    code: String(5100 + i * 100), nameEn: `District ${i + 1}`, nameZh: `第${i + 1}关区`, ...f(40 - i, 1000 + i, 123_456 + i),
  }));
  // every value of each enumeration, the first two with cases (the real values: labels come from lib/enums.ts)
  const enumRows = (name: keyof typeof ENUM_FILTERS) =>
    ENUM_FILTERS[name].values.map((value, i) => ({ value, ...(i === 0 ? f(30, 700, 1_000_001) : i === 1 ? f(10, 300, 99) : zero) }));
  return {
    kpis: { cases: 40, pieces: 1000, valueFen: 1_000_100, rightHolders: 3, avgValueFen: 25_003 },
    previous: { from: "2023-01-01", to: "2023-12-31", kpis: { cases: 32, pieces: 900, valueFen: 2_000_000, rightHolders: 3, avgValueFen: 62_500 } },
    // the chosen comparison (here the default, the previous period): what the report's cards compare with
    comparison: {
      kind: "prev",
      current: { from: "2024-01-01", to: "2024-12-31", partial: true },
      period: { from: "2023-01-01", to: "2023-12-31", partial: false, kpis: { cases: 32, pieces: 900, valueFen: 2_000_000, rightHolders: 3, avgValueFen: 62_500 }, differences: {}, byYear: [] },
    },
    byYear: [{ year: 2022, ...f(10, 100, 250_000) }, { year: 2023, ...zero }, { year: 2024, ...f(30, 900, 750_100) }],
    byDistrict,
    byOffice: [],
    byType: [{ value: "trademark", ...f(27, 900, 900_000) }, { value: "copyright", ...f(13, 100, 100_100) }, { value: "invention_patent", ...zero }],
    byCategory: enumRows("category"),
    byDirection: enumRows("direction"),
    byChannel: enumRows("channel"),
    byTransport: enumRows("transport"),
    byMode: enumRows("mode"),
    byStatus: enumRows("status"),
    byDisposal: enumRows("disposal"),
    byIndustry: enumRows("industry"),
  } as unknown as DashboardStats;
}

const NOW = new Date("2024-06-30T17:30:00Z"); // 2024-07-01 01:30 in Beijing
const model = (locale: "en" | "zh", demo = true) =>
  reportModel({ stats: stats(), filters: parseFilters({ from: "2024-01-01", to: "2024-12-31" }).filters, names: NO_NAMES, locale, now: NOW, demo, member: false });

describe("the report's figures", () => {
  it("are the KPI cards exact to the fen with the change against the previous period", () => {
    const s = stats();
    const en = kpiCards(s.kpis, s.previous, "en");
    expect(en.map((k) => k.shown)).toEqual(["40", "1,000", "RMB 10,001.00", "3", "RMB 250.03"]);
    expect(en.map((k) => k.change)).toEqual(["▲ +25%", "▲ +11.1%", "▼ -50%", "0%", "▼ -60%"]);
    const zh = kpiCards(s.kpis, null, "zh");
    expect(zh.map((k) => k.shown)).toEqual(["40", "1,000", "¥10,001.00", "3", "¥250.03"]);
    expect(zh.every((k) => k.change === null)).toBe(true);
  });

  it("become table rows: item, cases, pieces, value; the types with shares adding up to 100.0 %", () => {
    const m = model("en");
    const year = m.charts.find((c) => c.id === "year")!;
    // a year without cases is drawn but has no row, as on the dashboard
    expect(tableRows(year, "en")).toEqual({
      header: ["Item", "Cases", "Pieces", "Value"],
      rows: [["2022", "10", "100", "RMB 2,500.00"], ["2024", "30", "900", "RMB 7,501.00"]],
    });
    const type = m.charts.find((c) => c.id === "type")!;
    expect(tableRows(type, "zh").header).toEqual(["项目", "案件数", "占比", "件数", "货值"]);
    expect(tableRows(type, "en").rows).toEqual([["Trademark", "27", "67.5%", "900", "RMB 9,000.00"], ["Copyright", "13", "32.5%", "100", "RMB 1,001.00"]]);
    const district = m.charts.find((c) => c.id === "district")!;
    const rows = tableRows(district, "en").rows;
    expect(rows).toHaveLength(16);
    expect(rows[0]).toEqual(["District 1", "40", "1,000", "RMB 1,234.56"]);
    // the five districts outside the top 15 as one row, last: 25+24+23+22+21 cases
    expect(rows[15]).toEqual(["Other districts (5)", "115", "5,085", "RMB 6,173.65"]);
    const category = model("zh").charts.find((c) => c.id === "category")!;
    expect(tableRows(category, "zh").rows).toEqual([["服装鞋帽", "30", "700", "¥10,000.01"], ["箱包皮具", "10", "300", "¥0.99"]]);
  });

  it("state the time in Beijing, the filters, the demo notice and the comparison in both languages", () => {
    expect(beijingTime(NOW)).toBe("2024-07-01 01:30");
    const en = model("en");
    expect(en.generatedAt).toBe("Generated 2024-07-01 01:30 (Beijing time)");
    expect(en.filters.map((l) => l.label)).toEqual(["Seized from", "Seized to"].map(() => expect.any(String)));
    expect(en.demoNotice).toMatch(/^Demo data/);
    expect(model("en", false).demoNotice).toBeNull();
    const zh = model("zh");
    expect(zh.generatedAt).toBe("生成时间：2024-07-01 01:30（北京时间）");
    expect(en.comparison).toBe("Compared with: Previous period, 2023");
    expect(zh.comparison).toBe("比较对象：上一期，2023年");
    // a year earlier, partial: named as the dashboard's cards name it
    const yoy = stats();
    yoy.comparison = { ...yoy.comparison, kind: "yoy", period: { ...yoy.comparison.period!, partial: true } };
    const yoyModel = reportModel({ stats: yoy, filters: parseFilters({ from: "2024-01-01", to: "2024-12-31" }).filters, names: NO_NAMES, locale: "en", now: NOW, demo: false, member: false });
    expect(yoyModel.comparison).toBe("Compared with: Same period a year earlier, 2023 (partial)");
    const none2 = stats();
    none2.comparison = { ...none2.comparison, period: null };
    expect(reportModel({ stats: none2, filters: parseFilters({}).filters, names: NO_NAMES, locale: "en", now: NOW, demo: false, member: false }).kpis.every((k) => k.change === null)).toBe(true);
    const none = reportModel({ stats: stats(), filters: parseFilters({}).filters, names: NO_NAMES, locale: "zh", now: NOW, demo: false, member: true });
    expect(none.filters).toEqual([{ label: "", value: "无：您可查看的全部案件" }]);
    expect(none.memberNote).toBe("仅含贵公司的案件。");
  });
});

describe("the report's drawings and files", () => {
  it("draw each chart as SVG markup at a fixed width, text escaped and cut to fit", () => {
    for (const c of model("zh").charts) {
      const svg = chartSvg(c, "zh", 511);
      expect(svg.markup).toMatch(/^<svg [^>]*width="511"/);
      expect(svg.height).toBeGreaterThan(0);
    }
    expect(escapeXml(`<a & "b">`)).toBe("&lt;a &amp; &quot;b&quot;&gt;");
    expect(fit("Electronics and electrical appliances of every kind", 8, 80)).toMatch(/…$/);
    const bars = barsSvg({ id: "x", kind: "bars", title: "", unit: "", rows: [{ key: "a", label: "A & <B>", ...f(3, 1, 1) }] }, "en", 300);
    expect(bars.markup).toContain("A &amp; &lt;B&gt;");
  });

  it("unwraps a WOFF into the TrueType file it holds", async () => {
    const { readFileSync } = await import("node:fs");
    const sfnt = woffToSfnt(readFileSync("node_modules/@openfonts/noto-sans-sc_all/files/noto-sans-sc-all-400.woff"));
    expect(sfnt.readUInt32BE(0)).toBe(0x00010000);
    expect(() => woffToSfnt(Buffer.from("not a font at all, not at all......................"))).toThrow(/WOFF/);
  });

  it.each(["en", "zh"] as const)("write a %s PDF whose text holds the KPIs, the tables and the page numbers, in an embedded CJK font", async (locale) => {
    const m = model(locale);
    const bytes = await reportPdf(m);
    const read = await readPdf(bytes);
    const flat = read.text.replace(/\s+/g, "");
    for (const k of m.kpis) expect(flat).toContain(k.shown.replace(/\s+/g, ""));
    for (const c of m.charts) for (const row of tableRows(c, locale).rows) expect(flat).toContain(row.join("").replace(/\s+/g, ""));
    expect(flat).toContain(m.demoNotice!.replace(/\s+/g, ""));
    const pageOf = (n: number) => (locale === "zh" ? `第${n}页，共${read.numPages}页` : `Page${n}of${read.numPages}`);
    for (let n = 1; n <= read.numPages; n++) expect(read.pages[n - 1]!.replace(/\s+/g, "")).toContain(pageOf(n));
    expect(read.info.Title).toBe(m.title);
    const fonts = embeddedFonts(bytes);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font.name).toMatch(/^[A-Z]{6}\+NotoSansSC-(Regular|Bold)$/);
      expect(font.embedded).toBe(true);
    }
    // the font is a subset: the file stays small
    expect(bytes.length).toBeLessThan(200_000);
  });

  it("write a workbook of the figures: a summary with the KPIs in numbers, one sheet per chart", async () => {
    const m = model("zh");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportXlsx(m)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["概要", ...m.charts.map((c) => c.title)]);
    const summary = wb.worksheets[0]!;
    const kpiRow = (label: string) => summary.getRows(1, summary.rowCount)!.find((r) => r.getCell(1).value === label)!;
    expect(kpiRow("涉案货值").getCell(2).value).toBe(10_001);
    expect(Math.round(Number(kpiRow("案均货值").getCell(2).value) * 100)).toBe(25_003);
    expect(kpiRow("案件数").getCell(3).value).toBe(32);
    const type = wb.getWorksheet("侵权类型")!;
    expect(type.getRow(4).values).toEqual([undefined, "商标权", 27, 0.675, 900, 9000]);
    expect(sheetName("a/b:c", new Set(["a b c"]))).toBe("a b c 2");
    expect(sheetName("x".repeat(40), new Set())).toHaveLength(31);
  });
});
