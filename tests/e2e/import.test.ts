import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvLine, UTF8_BOM } from "../../lib/csv";
import { exportHeader } from "../../lib/export-columns";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, sqlGet, sessionCookie, signInAs } from "./support";

// The import in Chromium as the demo admin: a file with errors gives a report of rows,
// columns and reasons and cannot be committed; the fixed file is checked, committed, and its
// cases are found in /cases. Other roles get 403, on the page and on the upload.

let browser: Browser;
let admin: BrowserContext;
let page: Page;
let dir: string;

const sql = sqlGet;

/** Two case numbers of the 0200-2024-95xx series no other test uses, not yet taken here. */
function freshCaseNos(): [string, string] {
  const last = sql<{ no: string | null }>("select max(case_no) as no from cases where case_no like '0200-2024-95%'").no;
  const next = last ? Number(last.slice(-2)) + 1 : 0;
  if (next > 98) throw new Error("the 0200-2024-95xx series is used up: reseed the e2e database");
  return [`0200-2024-95${String(next).padStart(2, "0")}`, `0200-2024-95${String(next + 1).padStart(2, "0")}`];
}

let caseNos: [string, string];
let office: string;
let holder: string;

function row(caseNo: string, over: { office?: string; pieces?: string; holder?: string } = {}): string[] {
  // the columns of the export, in its order (lib/export-columns.ts)
  return [caseNo, "2024-05-06", "", "", over.office ?? office, "", "Trademark", "Toys", "E2E import: plush toys", over.pieces ?? "12",
    "1234.56", "Import", "Express", "Air", "Ex officio", "HK", "CN", "", "Detained", "", "no", "no", "", over.holder ?? holder, "imported in e2e"];
}

/** A CSV file as the export writes it, plus `raw` lines written as they are (csvLine would neutralise a formula). */
function writeCsv(name: string, rows: string[][], raw = ""): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, UTF8_BOM + csvLine(exportHeader("en")) + rows.map((r) => csvLine(r)).join("") + raw);
  return file;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-e2e-import-"));
  caseNos = freshCaseNos();
  office = sql<{ code: string }>("select code from customs_offices where district_id is not null order by code limit 1").code;
  holder = sql<{ name: string }>("select name from right_holders order by id limit 1 offset 5").name;
  browser = await launchBrowser();
  admin = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 1000 } });
  await signInAs(admin, "admin");
  page = await admin.newPage();
});
afterAll(async () => {
  await browser?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Uploads a file for a dry run and waits for its report. */
async function check(file: string) {
  await page.getByLabel("Spreadsheet (CSV or XLSX)").setInputFiles(file);
  await page.getByRole("button", { name: "Check file" }).click();
  await page.getByTestId("import-report").getByText(`File: ${path.basename(file)}`).waitFor();
  await page.locator('.import-form[aria-busy="false"]').waitFor();
}

describe("importing cases", () => {
  it("the admin index links to the import page, which passes axe", async () => {
    await page.goto(`${baseURL()}/admin`);
    await page.getByRole("link", { name: /^Import/ }).click();
    await page.waitForURL(/\/admin\/import$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Import cases");
    await expectNoSeriousAxeViolations(page);
  });

  it("a file with errors gives a report of rows, columns and reasons, and cannot be committed", async () => {
    const cases = () => sql<{ n: number }>("select count(*) as n from cases").n;
    const before = cases();
    // row 4: a formula in the goods column, as a spreadsheet would run it
    const formula = row("0200-2024-9599").map((c, i) => (i === 8 ? '"=HYPERLINK(""http://evil.example"",""click"")"' : c)).join(",") + "\r\n";
    await check(writeCsv("with-errors.csv", [row(caseNos[0], { pieces: "0" }), row(caseNos[1], { office: "9999", holder: "Nobody Such Ltd" })], formula));
    expect(await page.getByTestId("count-total").textContent()).toBe("3 rows read");
    expect(await page.getByTestId("count-rejected").textContent()).toBe("3 rows rejected");
    const problems = await page.getByTestId("import-rejections").locator("tbody tr").evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent?.trim())),
    );
    expect(problems).toEqual([
      ["2", "Pieces", "Pieces must be at least 1, not “0”."],
      ["3", "Office code", "No customs office has the code “9999”."],
      ["3", "Right holders", "Unknown right holder: Nobody Such Ltd."],
      ["4", "Goods", "“=HYPERLINK(\"http://evil.example\",\"click\")” is a spreadsheet formula: enter the value itself. Text that starts with =, +, - or @ needs an apostrophe (') before it."],
    ]);
    expect(await page.getByTestId("import-commit").isDisabled()).toBe(true);
    await expectNoSeriousAxeViolations(page);
    expect(cases()).toBe(before);
  });

  it("the fixed file is checked, committed, and its cases are in /cases", async () => {
    await check(writeCsv("fixed.csv", [row(caseNos[0]), row(caseNos[1])]));
    expect(await page.getByTestId("count-creates").textContent()).toBe("2 cases to create");
    expect(await page.getByTestId("count-rejected").textContent()).toBe("0 rows rejected");
    await page.getByTestId("import-commit").click();
    await page.getByTestId("import-result").waitFor();
    expect(await page.getByTestId("import-result").textContent()).toContain("Imported 2 cases");
    const stored = sql<{ n: number; v: number }>("select count(*) as n, sum(value_fen) as v from cases where case_no in (?, ?)", ...caseNos);
    expect(stored).toEqual({ n: 2, v: 2 * 123_456 });
    expect(sql<{ n: number }>("select count(*) as n from audit_log where action = 'import' and entity_id in (select id from cases where case_no in (?, ?))", ...caseNos).n).toBe(2);
    for (const caseNo of caseNos) {
      await page.goto(`${baseURL()}/cases?q=${caseNo}`);
      await page.locator(`[data-testid="cases-table"] tr[data-case-no="${caseNo}"]`).waitFor();
    }
  });

  it("the template downloads in both languages with the export's headers", async () => {
    for (const locale of ["en", "zh"] as const) {
      const response = await admin.request.get(`${baseURL()}/api/admin/import/template?format=csv&locale=${locale}`);
      expect(response.status()).toBe(200);
      const [header] = (await response.text()).replace(UTF8_BOM, "").split("\r\n");
      expect(header).toBe(csvLine(exportHeader(locale)).trimEnd());
    }
    const xlsx = await admin.request.get(`${baseURL()}/api/admin/import/template?format=xlsx&locale=zh`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
  });

  it("a non-admin gets 403 on the page and on the upload", async () => {
    const analyst = await browser.newContext({ locale: "en-US" });
    try {
      await signInAs(analyst, "analyst");
      const p = await analyst.newPage();
      expect((await p.goto(`${baseURL()}/admin/import`))?.status()).toBe(403);
    } finally {
      await analyst.close();
    }
    const form = new FormData();
    form.set("file", new Blob(["Case number\n"]), "x.csv");
    const upload = await fetch(`${baseURL()}/api/admin/import?mode=dry-run`, { method: "POST", body: form, headers: { cookie: await sessionCookie("member") } });
    expect(upload.status).toBe(403);
    const anonymous = await fetch(`${baseURL()}/api/admin/import?mode=commit`, { method: "POST", body: form });
    expect(anonymous.status).toBe(401);
  });
});
