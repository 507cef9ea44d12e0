import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, openTestDatabase } from "./support";

// Independent formatting for the expectations: Intl on yuan, not the app's fen formatter.
const group = (n: number, locale: string) => new Intl.NumberFormat(locale).format(n);
const yuan = (fen: number, locale: string) =>
  new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(fen / 100);

let browser: Browser;
let page: Page;
let expected: { cases: number; pieces: number; value: number; holders: number; topDistrict: { nameEn: string; nameZh: string } };

beforeAll(async () => {
  const sqlite = openTestDatabase();
  const totals = sqlite
    .prepare(`select count(*) as cases, sum(pieces) as pieces, sum(value_fen) as value,
                (select count(distinct right_holder_id) from case_right_holders l join cases c on c.id = l.case_id where c.deleted_at is null) as holders
              from cases where deleted_at is null`)
    .get() as { cases: number; pieces: number; value: number; holders: number };
  const topDistrict = sqlite
    .prepare(`select d.name_en as nameEn, d.name_zh as nameZh, count(*) as n from cases c
              join customs_offices o on o.id = c.office_id join customs_offices d on d.id = coalesce(o.district_id, o.id)
              where c.deleted_at is null group by d.id order by n desc limit 1`)
    .get() as { nameEn: string; nameZh: string };
  sqlite.close();
  expected = { ...totals, topDistrict };
  browser = await launchBrowser();
  page = await (await browser.newContext({ locale: "en-US" })).newPage();
});
afterAll(async () => {
  await browser?.close();
});

const kpi = (id: string) => page.locator(`[data-kpi="${id}"] .kpi-value`);

describe("the home page", () => {
  it("shows the figures SQL computes for the same database, in English", async () => {
    await page.goto(baseURL());
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Overview");
    expect(await kpi("cases").textContent()).toBe(group(expected.cases, "en-US"));
    expect(await kpi("pieces").textContent()).toBe(group(expected.pieces, "en-US"));
    expect(await kpi("value").textContent()).toBe(`RMB ${yuan(expected.value, "en-US")}`);
    expect(await kpi("right-holders").textContent()).toBe(group(expected.holders, "en-US"));
    expect(await page.getByRole("note").textContent()).toMatch(/Demo data/);
    const firstRow = page.locator('[data-testid="largest-districts"] tbody tr').first();
    expect(await firstRow.locator("th").textContent()).toBe(expected.topDistrict.nameEn);
    await expectNoSeriousAxeViolations(page);
  });

  it("switches to Chinese and shows the same figures, with Chinese district names", async () => {
    await page.getByRole("button", { name: "中文" }).click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("zh-CN");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("概览");
    expect(await page.getByRole("button", { name: "中文" }).getAttribute("aria-pressed")).toBe("true");
    expect(await kpi("cases").textContent()).toBe(group(expected.cases, "zh-CN"));
    expect(await kpi("value").textContent()).toBe(`¥${yuan(expected.value, "zh-CN")}`);
    expect(await kpi("right-holders").textContent()).toBe(group(expected.holders, "zh-CN"));
    const firstRow = page.locator('[data-testid="largest-districts"] tbody tr').first();
    expect(await firstRow.locator("th").textContent()).toBe(expected.topDistrict.nameZh);
    expect(await page.getByRole("note").textContent()).toMatch(/演示数据/);
    await expectNoSeriousAxeViolations(page);
  });

  it("keeps the chosen language on the next visit, and switches back", async () => {
    await page.goto(baseURL());
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("概览");
    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Overview");
  });

  it("answers an unknown address with a page-not-found page in the user's language", async () => {
    const response = await page.goto(`${baseURL()}/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    await expectNoSeriousAxeViolations(page);
  });
});
