import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DashboardStats } from "../../db/queries/stats";
import type { Locale } from "../../lib/enums";
import { NO_NAMES } from "../../lib/filter-labels";
import { parseFilters } from "../../lib/filters";
import { formatCount, formatMoney } from "../../lib/format";
import { reportModel, tableRows } from "../../components/reports/draw/model";
import { embeddedFonts, readPdf } from "../support/pdf-text";
import { baseURL, demoEmail, expectNoSeriousAxeViolations, launchBrowser, openTestDatabase, sessionCookie, signInAs, type DemoRole } from "./support";

// Issue 20 item 4: the dashboard report, over real HTTP. The PDF's text (read back with
// pdfjs-dist) holds the same KPIs as /api/stats for the same view, to the fen, and every
// chart's figures as the dashboard's tables list them, in both languages, in an embedded CJK
// font; the XLSX holds the same numbers. A member's report is its own company's alone: no
// other company's name in its text, metadata, file name or sheets. REPORT_SAVE_DIR=<dir>
// keeps the PDFs to look at (pdftoppm -png -r 80 -f 1 -l 1 …).

const KUNMING = "district=8600&from=2016-01-01&to=2017-06-07";
const YEAR = "from=2020-01-01&to=2020-12-31";
const SAVE = process.env.REPORT_SAVE_DIR;

type Download = { status: number; type: string; disposition: string; bytes: Buffer };
async function download(query: string, role: DemoRole): Promise<Download> {
  const response = await fetch(`${baseURL()}/api/report?${query}`, { headers: { cookie: await sessionCookie(role) } });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, type: response.headers.get("content-type") ?? "", disposition: response.headers.get("content-disposition") ?? "", bytes };
}
async function stats(query: string, role: DemoRole): Promise<DashboardStats> {
  const response = await fetch(`${baseURL()}/api/stats?${query}`, { headers: { cookie: await sessionCookie(role) } });
  expect(response.status).toBe(200);
  return (await response.json()) as DashboardStats;
}
const flat = (s: string) => s.replace(/\s+/g, "");

/** Every cell and sheet name of a workbook, as text. */
async function workbookText(bytes: Buffer): Promise<{ wb: ExcelJS.Workbook; text: string }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const parts: string[] = [String(wb.creator ?? ""), String(wb.title ?? ""), String(wb.subject ?? "")];
  wb.eachSheet((sheet) => {
    parts.push(sheet.name);
    sheet.eachRow((row) => row.eachCell((cell) => parts.push(String(cell.value ?? ""))));
  });
  return { wb, text: parts.join("\n") };
}

let own = { id: 0, name: "", nameZh: "" };
let otherNames: string[] = [];
let otherHolder = 0;
let browser: Browser;

beforeAll(async () => {
  const db = openTestDatabase();
  try {
    own = db.prepare("select h.id, h.name, coalesce(h.name_zh, h.name) as nameZh from user u join right_holders h on h.id = u.holder_id where u.email = ?").get(demoEmail("member")) as typeof own;
    const others = db.prepare("select id, name, name_zh as nameZh from right_holders where id <> ?").all(own.id) as { id: number; name: string; nameZh: string | null }[];
    otherNames = others.flatMap((h) => [h.name, h.nameZh ?? ""]).filter((n) => n.length >= 4 && !own.name.includes(n) && !own.nameZh.includes(n));
    // the other company with the most cases
    otherHolder = (db.prepare("select right_holder_id as id from case_right_holders where right_holder_id <> ? group by right_holder_id order by count(*) desc limit 1").get(own.id) as { id: number }).id;
  } finally {
    db.close();
  }
  if (SAVE) fs.mkdirSync(SAVE, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the PDF report", () => {
  const cases: [DemoRole, string, Locale][] = [
    ["analyst", KUNMING, "en"],
    ["analyst", KUNMING, "zh"],
    ["analyst", YEAR, "zh"],
    ["member", "", "en"],
    ["member", YEAR, "zh"],
    // the chosen comparison of the view (issue 20 item 2): a year earlier, another period
    ["analyst", `${KUNMING}&cmp=yoy`, "en"],
    ["member", `${YEAR}&cmp=custom&cmpFrom=2018-01-01&cmpTo=2018-12-31`, "zh"],
  ];
  it.each(cases)("as the %s for %j in %s: the KPIs and every chart's figures of /api/stats, to the fen", async (role, query, locale) => {
    const got = await download(`format=pdf&lang=${locale}&${query}`, role);
    expect(got.status).toBe(200);
    expect(got.type).toBe("application/pdf");
    expect(got.disposition).toMatch(new RegExp(`^attachment; filename="report_[A-Za-z0-9+_.-]+_${locale}\\.pdf"$`));
    if (SAVE) fs.writeFileSync(path.join(SAVE, `${role}-${locale}-${query ? "filtered" : "all"}-${query.length}.pdf`), got.bytes);
    const read = await readPdf(got.bytes);
    const text = flat(read.text);
    const s = await stats(query, role);

    // the key figures, as the dashboard writes them (money to the fen)
    expect(text).toContain(flat(formatCount(s.kpis.cases, locale)));
    expect(text).toContain(flat(formatCount(s.kpis.pieces, locale)));
    expect(text).toContain(flat(formatMoney(s.kpis.valueFen, locale)));
    expect(text).toContain(flat(formatCount(s.kpis.rightHolders, locale)));
    if (s.kpis.avgValueFen !== null) expect(text).toContain(flat(formatMoney(s.kpis.avgValueFen, locale)));
    // every chart's table, row by row, from /api/stats's figures
    const model = reportModel({ stats: s, filters: parseFilters(new URLSearchParams(query)).filters, names: NO_NAMES, locale, now: new Date(), demo: true, member: role === "member" });
    expect(model.charts.length).toBeGreaterThan(0);
    for (const chart of model.charts) {
      expect(text).toContain(flat(chart.title));
      for (const row of tableRows(chart, locale).rows) expect(text, `${chart.id}: ${row.join(" | ")}`).toContain(flat(row.join("")));
    }
    // the comparison the view chose, and each card's change against it, as /api/stats counts them
    expect(model.comparison).not.toBe("");
    expect(text).toContain(flat(model.comparison));
    for (const card of model.kpis) if (card.change) expect(text, card.id).toContain(flat(card.change));
    // the demo notice on demo data, page numbers, the title in the metadata
    expect(text).toContain(flat(locale === "zh" ? "演示数据" : "Demo data"));
    for (let n = 1; n <= read.numPages; n++) {
      expect(flat(read.pages[n - 1]!)).toContain(locale === "zh" ? `第${n}页，共${read.numPages}页` : `Page${n}of${read.numPages}`);
    }
    expect(read.info.Title).toBe(locale === "zh" ? "数据看板报告" : "Dashboard report");
    // the Chinese text comes back as Chinese: the font is embedded (a subset of Noto Sans SC)
    if (locale === "zh") expect(text).toContain("关键指标");
    const fonts = embeddedFonts(got.bytes);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font.name).toMatch(/^[A-Z]{6}\+NotoSansSC-(Regular|Bold)$/);
      expect(font.embedded).toBe(true);
    }
  });

  it("follows the locale cookie without a lang parameter, and refuses a bad format or language naming it", async () => {
    const response = await fetch(`${baseURL()}/api/report?format=pdf&${KUNMING}`, { headers: { cookie: `${await sessionCookie("analyst")}; NEXT_LOCALE=zh` } });
    expect(response.status).toBe(200);
    expect(flat((await readPdf(Buffer.from(await response.arrayBuffer()))).text)).toContain("关键指标");
    for (const [query, parameter] of [["format=doc", "format"], ["lang=fr", "lang"], ["format=pdf&from=2020-13-01", "from"]] as const) {
      const bad = await download(query, "analyst");
      expect(bad.status).toBe(400);
      const body = JSON.parse(bad.bytes.toString("utf8")) as { parameter: string; message: string };
      expect(body.parameter).toBe(parameter);
      expect(body.message).toContain(parameter);
    }
    expect((await fetch(`${baseURL()}/api/report?format=pdf`)).status).toBe(401);
  });
});

describe("the XLSX report", () => {
  it.each([["analyst", KUNMING, "en"], ["member", YEAR, "zh"]] as [DemoRole, string, Locale][])(
    "as the %s for %j in %s: the KPIs and the charts' figures of /api/stats, as numbers",
    async (role, query, locale) => {
      const got = await download(`format=xlsx&lang=${locale}&${query}`, role);
      expect(got.status).toBe(200);
      expect(got.type).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      const { wb } = await workbookText(got.bytes);
      const s = await stats(query, role);
      const model = reportModel({ stats: s, filters: parseFilters(new URLSearchParams(query)).filters, names: NO_NAMES, locale, now: new Date(), demo: true, member: role === "member" });
      const summary = wb.worksheets[0]!;
      const byLabel = new Map<string, ExcelJS.Row>();
      summary.eachRow((row) => byLabel.set(String(row.getCell(1).value), row));
      const kpi = (id: string) => byLabel.get(model.kpis.find((k) => k.id === id)!.label)!.getCell(2).value as number;
      expect(kpi("cases")).toBe(s.kpis.cases);
      expect(kpi("pieces")).toBe(s.kpis.pieces);
      expect(Math.round(kpi("value") * 100)).toBe(s.kpis.valueFen);
      expect(kpi("right-holders")).toBe(s.kpis.rightHolders);
      expect(Math.round(kpi("average-value") * 100)).toBe(s.kpis.avgValueFen);
      expect(wb.worksheets.slice(1).map((w) => w.name)).toEqual(model.charts.map((c) => c.title.slice(0, 31)));
      for (const [i, chart] of model.charts.entries()) {
        const sheet = wb.worksheets[i + 1]!;
        const rows: unknown[][] = [];
        sheet.eachRow((row, n) => {
          if (n > 3) rows.push((row.values as unknown[]).slice(1));
        });
        const shares = chart.kind === "donut";
        const expected = chart.rows.filter((r) => r.cases > 0).map((r) => [r.label, r.cases, ...(shares ? [(r.sharePerMille ?? 0) / 1000] : []), r.pieces, r.valueFen / 100]);
        expect(rows, chart.id).toEqual(expected);
      }
    },
  );
});

describe("a member's report", () => {
  it("names no other company anywhere: PDF text and metadata, file name, workbook", async () => {
    const queries = ["", YEAR, `holder=${otherHolder}`, `holder=${otherHolder}&holder=${own.id}`];
    const compact = otherNames.map(flat);
    const leaks = (text: string) => compact.filter((n) => flat(text).includes(n));
    for (const query of queries) {
      for (const locale of ["en", "zh"] as const) {
        const pdf = await download(`format=pdf&lang=${locale}&${query}`, "member");
        expect(pdf.status).toBe(200);
        const read = await readPdf(pdf.bytes);
        expect(leaks(`${read.text}\n${Object.values(read.info).join("\n")}\n${pdf.disposition}`), `PDF ${locale} ${query}`).toEqual([]);
        const xlsx = await download(`format=xlsx&lang=${locale}&${query}`, "member");
        expect(xlsx.status).toBe(200);
        expect(leaks(`${(await workbookText(xlsx.bytes)).text}\n${xlsx.disposition}`), `XLSX ${locale} ${query}`).toEqual([]);
      }
    }
    // another company's holder filter: the member's figures for it are none, as on its dashboard
    const s = await stats(`holder=${otherHolder}`, "member");
    expect(s.kpis.cases).toBe(0);
  });
});

describe("the dashboard's Download report control", () => {
  it.each(["en", "zh"] as const)("downloads the PDF and the XLSX of the view shown (%s), by keyboard", async (locale) => {
    const context = await browser.newContext({ locale: locale === "zh" ? "zh-CN" : "en-US", viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    try {
      await signInAs(context, "analyst");
      if (locale === "zh") await context.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
      const page = await context.newPage();
      await page.goto(`${baseURL()}/?${KUNMING}`);
      const control = page.getByTestId("report-download");
      await control.waitFor();
      await expectNoSeriousAxeViolations(page);
      const pdfButton = page.getByTestId("report-pdf");
      await pdfButton.focus();
      const [pdf] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
      expect(pdf.suggestedFilename()).toMatch(new RegExp(`^report_.*_${locale}\\.pdf$`));
      const bytes = fs.readFileSync((await pdf.path())!);
      const text = flat((await readPdf(bytes)).text);
      const s = await stats(KUNMING, "analyst");
      expect(text).toContain(flat(formatMoney(s.kpis.valueFen, locale)));
      await expect.poll(() => page.getByTestId("report-status").textContent()).toBe(locale === "zh" ? "报告已下载。" : "The report was downloaded.");
      await expect.poll(() => pdfButton.isEnabled()).toBe(true);
      const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByTestId("report-xlsx").click()]);
      expect(xlsx.suggestedFilename()).toMatch(new RegExp(`^report_.*_${locale}\\.xlsx$`));
      if (SAVE) await page.screenshot({ path: path.join(SAVE, `dashboard-${locale}.png`), clip: { x: 0, y: 0, width: 1440, height: 420 } });
    } finally {
      await context.close();
    }
  });
});
