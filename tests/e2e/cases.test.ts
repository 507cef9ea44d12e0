import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../lib/csv";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, openTestDatabase, signInAs, waitForExplorer, waitForHydration } from "./support";

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: "en-US", acceptDownloads: true, viewport: { width: 1400, height: 900 } });
  await signInAs(context, "analyst");
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

const sqlCount = (where: string) => {
  const db = openTestDatabase();
  try {
    return (db.prepare(`select count(*) as n from cases c join customs_offices o on o.id = c.office_id
                        left join customs_offices d on d.id = o.district_id where c.deleted_at is null and (${where})`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};
const pagerText = () => page.getByTestId("pager-rows").textContent();
const caseNumbers = () => page.locator('[data-testid="cases-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-case-no")));

/**
 * Ticks `option` of a facet and waits until the page shows the result. Every step waits for a
 * state: the facet hydrated (its options are drawn by React), the URL changed, the navigation
 * finished, and the facets of the new page rendered (they stream in after the table, and
 * replace the ones ticked on).
 */
async function pick(facet: string, option: string) {
  const details = page.locator(`details[data-facet="${facet}"]`);
  await waitForHydration(details);
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator("summary").click();
  const chosen = new URL(page.url()).searchParams.getAll(facet).length + 1;
  await details.getByLabel(option, { exact: false }).first().check();
  await page.waitForURL((url) => url.searchParams.getAll(facet).length === chosen);
  await waitForExplorer(page);
  await page.locator(`details[data-facet="${facet}"] .facet-badge`).filter({ hasText: `${chosen} selected` }).waitFor();
}

describe("the cases explorer in Chromium", () => {
  it("lists every case, with totals, and passes axe", async () => {
    await page.goto(`${baseURL()}/cases`);
    await expect.poll(pagerText).toMatch(/^Rows 1–25 of [\d,]+$/);
    const total = sqlCount("1");
    expect(await pagerText()).toBe(`Rows 1–25 of ${total.toLocaleString("en-US")}`);
    expect(await page.locator('[data-total="cases"] dd').textContent()).toBe(total.toLocaleString("en-US"));
    await expectNoSeriousAxeViolations(page);
  });

  it("filters by district and type, sorts by value, pages forward, opens a case and comes back with the state intact", async () => {
    await pick("district", "Kunming");
    expect(new URL(page.url()).searchParams.getAll("district")).toEqual(["8600"]);
    await pick("type", "Trademark");
    const expected = sqlCount("(o.code = '8600' or d.code = '8600') and c.infringement_type = 'trademark'");
    await expect.poll(pagerText).toBe(`Rows 1–25 of ${expected.toLocaleString("en-US")}`);
    await page.keyboard.press("Escape");

    await page.locator('th[data-column="value"] button').click();
    await page.waitForURL(/sort=value\./);
    await waitForExplorer(page);
    const sortDir = new URL(page.url()).searchParams.get("sort")!.split(".")[1];
    const values = await page.locator('td[data-column="value"]').allTextContents();
    const fen = values.map((v) => Math.round(Number(v.replace(/[^\d.]/g, "")) * 100));
    expect(fen).toEqual([...fen].sort((a, b) => (sortDir === "desc" ? b - a : a - b)));
    expect(await page.locator('th[data-column="value"]').getAttribute("aria-sort")).toBe(sortDir === "desc" ? "descending" : "ascending");

    await page.getByRole("button", { name: "Next page" }).click();
    await page.waitForURL(/page=2/);
    await expect.poll(pagerText).toBe(`Rows 26–50 of ${expected.toLocaleString("en-US")}`);
    const pageTwo = await caseNumbers();
    const stateUrl = page.url();

    const first = page.locator('[data-testid="cases-table"] tbody tr').first();
    const caseNo = await first.getAttribute("data-case-no");
    await first.getByRole("link", { name: caseNo! }).click();
    await page.waitForURL(/\/cases\/\d+$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`Case ${caseNo}`);
    expect(await page.getByTestId("case-holders").locator("li").count()).toBeGreaterThan(0);
    await expectNoSeriousAxeViolations(page);

    await page.goBack();
    await page.waitForURL(stateUrl);
    await expect.poll(caseNumbers).toEqual(pageTwo);
    expect(await page.locator('details[data-facet="district"] .facet-badge').textContent()).toBe("1 selected");
  });

  it("exports exactly the filtered set as CSV", async () => {
    const total = Number((await pagerText())!.replace(/.* of /, "").replace(/,/g, ""));
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    expect(download.suggestedFilename()).toMatch(/^cases_district-8600_type-trademark_\d{4}-\d{2}-\d{2}\.csv$/);
    const file = await download.path();
    const rows = parseCsv(fs.readFileSync(file, "utf8"));
    expect(rows.length - 1).toBe(total);
  });

  it("searches as the user types, and offers to clear filters when nothing matches", async () => {
    await page.getByPlaceholder("Case number, goods, right holder or party…").fill("zzzqqq");
    await page.waitForURL(/q=zzzqqq/);
    await expect.poll(() => page.getByTestId("empty-state").isVisible()).toBe(true);
    await page.getByTestId("empty-state").getByRole("button", { name: "Clear all filters" }).click();
    await page.waitForURL((url) => !url.searchParams.has("q") && !url.searchParams.has("district") && !url.searchParams.has("type"));
    await expect.poll(pagerText).toMatch(/^Rows 1–25 of /);
  });

  it("says which bad parameters it ignored, instead of failing", async () => {
    const response = await page.goto(`${baseURL()}/cases?size=500&type=piracy&district=8600`);
    expect(response?.status()).toBe(200);
    const notice = page.getByTestId("ignored-parameters");
    expect(await notice.textContent()).toContain("size=500");
    expect(await notice.textContent()).toContain("type=piracy");
    expect(await pagerText()).toMatch(/^Rows 1–25 of /);
  });

  it("works in Chinese", async () => {
    await page.goto(`${baseURL()}/cases?district=8600&from=2016-01-01&to=2017-06-07`);
    await page.getByRole("button", { name: "中文" }).click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("zh-CN");
    await expect.poll(pagerText).toBe("第1–25条，共63条");
    expect(await page.locator('[data-total="value"] dd').textContent()).toBe("¥6,250,000.00");
    expect(await page.locator('td[data-column="office"]').first().textContent()).toContain("昆明");
    await expectNoSeriousAxeViolations(page);
    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
  });

  it("shows a not-found page for an unknown case", async () => {
    // in English whatever the earlier tests chose: the session stays, the language cookie goes
    await page.context().clearCookies({ name: "NEXT_LOCALE" });
    const response = await page.goto(`${baseURL()}/cases/99999999`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
  });
});
