import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, demoEmail, expectNoSeriousAxeViolations, launchBrowser, signInAs, sqlGet } from "./support";

// The chosen comparison (issue 20, item 2) in Chromium: each kind chosen from the dashboard's
// control with the keyboard, in English and Chinese, the cards' comparison figure against SQL,
// the year chart's outlines and table columns, partial periods marked, the choice kept by the
// filter bar, the plain GET form, a member's own figures; axe on each.

const SHOTS = "/work/notes/shots";
const group = (n: number, locale: string) => new Intl.NumberFormat(locale).format(n);
const Q1_2024 = "from=2024-01-01&to=2024-03-31";

let browser: Browser;
const contexts: BrowserContext[] = [];

async function open(locale: "en" | "zh", role: "analyst" | "member" = "analyst"): Promise<Page> {
  const c = await browser.newContext({ locale: locale === "zh" ? "zh-CN" : "en-US", viewport: { width: 1440, height: 1000 } });
  if (locale === "zh") await c.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
  await signInAs(c, role);
  contexts.push(c);
  return c.newPage();
}

/** Cases in [from, to] by plain SQL (a member: its own cases). */
function sqlCases(from: string, to: string, holderId?: number): number {
  return sqlGet<{ n: number }>(
    `select count(*) as n from cases c where c.deleted_at is null and c.seized_on between ? and ?
     ${holderId ? "and c.id in (select case_id from case_right_holders where right_holder_id = ?)" : ""}`,
    ...(holderId ? [from, to, holderId] : [from, to]),
  ).n;
}

const change = (page: Page) => page.locator('[data-kpi="cases"] [data-testid="kpi-change"]');
const then = (page: Page) => page.locator('[data-kpi="cases"] [data-testid="kpi-then"]');
const control = (page: Page) => page.getByTestId("comparison-control");

/** Chooses a kind with the keyboard: from the checked radio by arrow keys, then Enter on the submit button. */
async function chooseByKeyboard(page: Page, kind: "prev" | "yoy" | "custom", dates?: [string, string]) {
  const radios = control(page).locator('input[name="cmp"]');
  const order = ["prev", "yoy", "custom"];
  const checked = await radios.evaluateAll((els) => els.findIndex((e) => (e as HTMLInputElement).checked));
  await radios.nth(checked).focus();
  for (let i = checked; i < order.indexOf(kind); i++) await page.keyboard.press("ArrowDown");
  for (let i = checked; i > order.indexOf(kind); i--) await page.keyboard.press("ArrowUp");
  expect(await radios.nth(order.indexOf(kind)).isChecked()).toBe(true);
  if (dates) {
    await control(page).locator('input[name="cmpFrom"]').fill(dates[0]);
    await control(page).locator('input[name="cmpTo"]').fill(dates[1]);
  }
  await control(page).locator('button[type="submit"]').focus();
  await Promise.all([page.waitForURL(new RegExp(`cmp=${kind}`)), page.keyboard.press("Enter")]);
  await page.getByTestId("dashboard").waitFor();
}

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

describe.each([
  ["en", "en-US", { prev: "vs Q4 2023", yoy: "vs Q1 2023", custom: "vs 2019", legend: "Compare with", tableCases: "Cases, Q1 2023" }],
  ["zh", "zh-CN", { prev: "较2023年第四季度", yoy: "较2023年第一季度", custom: "较2019年", legend: "比较对象", tableCases: "案件数（2023年第一季度）" }],
] as const)("the chosen comparison in %s", (locale, intl, text) => {
  it("compares Q1 2024 with the previous quarter, the same quarter a year earlier and 2019, each against SQL", async () => {
    const page = await open(locale);
    await page.goto(`${baseURL()}/?${Q1_2024}`);
    expect(await control(page).locator("legend").textContent()).toBe(text.legend);
    // the default: the previous period, named readably
    expect(await change(page).textContent()).toContain(text.prev);
    expect(await then(page).getAttribute("data-exact")).toBe(group(sqlCases("2023-10-01", "2023-12-31"), intl));
    await expectNoSeriousAxeViolations(page);

    await chooseByKeyboard(page, "yoy");
    expect(new URL(page.url()).searchParams.get("from")).toBe("2024-01-01");
    expect(await change(page).textContent()).toContain(text.yoy);
    const before = sqlCases("2023-01-01", "2023-03-31");
    const now = sqlCases("2024-01-01", "2024-03-31");
    expect(await then(page).getAttribute("data-exact")).toBe(group(before, intl));
    // the difference: absolute and per cent
    const absolute = now - before;
    expect(await change(page).textContent()).toContain(`${absolute > 0 ? "+" : absolute < 0 ? "-" : ""}${group(Math.abs(absolute), intl)}`);
    // the year chart: outlines beside the bars, a key, and the table's comparison columns
    const year = page.locator('[data-chart="year"]');
    expect(await year.locator(".cmp-bar").count()).toBe(1);
    expect(await year.locator(".year-legend").textContent()).toContain(text.yoy.replace(/^vs |^较/, ""));
    expect(await year.locator("thead").textContent()).toContain(text.tableCases);
    expect(await year.locator("tbody td[data-cmp-year]").first().textContent()).toContain("2023");
    await expectNoSeriousAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/comparison-yoy-${locale}.png`, fullPage: false });

    await chooseByKeyboard(page, "custom", ["2019-01-01", "2019-12-31"]);
    const params = new URL(page.url()).searchParams;
    expect([params.get("cmpFrom"), params.get("cmpTo")]).toEqual(["2019-01-01", "2019-12-31"]);
    expect(await change(page).textContent()).toContain(text.custom);
    expect(await then(page).getAttribute("data-exact")).toBe(group(sqlCases("2019-01-01", "2019-12-31"), intl));
    await expectNoSeriousAxeViolations(page);

    await chooseByKeyboard(page, "prev");
    expect(await change(page).textContent()).toContain(text.prev);
  });
});

describe("the comparison's state", () => {
  it("the filter bar keeps it: a quick pick changes the dates, not the comparison", async () => {
    const page = await open("en");
    await page.goto(`${baseURL()}/?${Q1_2024}&cmp=yoy`);
    const lastYear = page.getByRole("button", { name: "Last year" });
    await lastYear.waitFor();
    await page.waitForFunction((el) => el !== null && Object.keys(el).some((k) => k.startsWith("__reactProps$")), await lastYear.elementHandle());
    await lastYear.click();
    const y = new Date().getUTCFullYear() - 1;
    await page.waitForURL(new RegExp(`from=${y}-01-01`));
    expect(new URL(page.url()).searchParams.get("cmp")).toBe("yoy");
    await change(page).filter({ hasText: `vs ${y - 1}` }).waitFor();
    expect(await then(page).getAttribute("data-exact")).toBe(group(sqlCases(`${y - 1}-01-01`, `${y - 1}-12-31`), "en-US"));
  });

  it("a period still running is marked partial on every card", async () => {
    const page = await open("en");
    const y = new Date().getUTCFullYear();
    await page.goto(`${baseURL()}/?from=${y}-01-01&cmp=yoy`);
    expect(await page.locator(".kpi-label .cmp-partial").count()).toBe(5);
    expect(await page.getByTestId("kpi-partial-note").textContent()).toMatch(/partial/);
    // and a comparison period starting before the first case, partial on its own line
    await page.goto(`${baseURL()}/?${Q1_2024}&cmp=custom&cmpFrom=1990-01-01&cmpTo=1990-12-31`);
    expect(await page.locator(".kpi-then .cmp-partial").count()).toBe(5);
    // per cent of nothing: said, never Infinity
    expect(await change(page).textContent()).toMatch(/no %/);
    expect(await page.locator(".kpis").textContent()).not.toMatch(/Infinity|NaN/);
  });

  it("a bad comparison is named, and the default stands", async () => {
    const page = await open("en");
    await page.goto(`${baseURL()}/?${Q1_2024}&cmp=custom&cmpFrom=2019-02-30&cmpTo=2019-12-31`);
    expect(await page.getByTestId("ignored-parameters").textContent()).toContain("cmpFrom=2019-02-30");
    expect(await change(page).textContent()).toContain("vs Q4 2023");
  });

  it("is a plain GET form: a click on a choice and on Compare keeps the filters and sets the comparison", async () => {
    const page = await open("en");
    await page.goto(`${baseURL()}/?${Q1_2024}&district=5300`);
    expect(await control(page).getAttribute("method")).toBe("get");
    await control(page).getByText("Same period a year earlier").click();
    await Promise.all([page.waitForURL(/cmp=yoy/), control(page).locator('button[type="submit"]').click()]);
    const params = new URL(page.url()).searchParams;
    expect([params.get("from"), params.get("to"), params.get("district")]).toEqual(["2024-01-01", "2024-03-31", "5300"]);
    expect(await change(page).textContent()).toContain("vs Q1 2023");
    expect(await then(page).getAttribute("data-exact")).toBe(group(sqlGet<{ n: number }>(
      `select count(*) as n from cases c join customs_offices o on o.id = c.office_id where c.deleted_at is null
       and c.seized_on between '2023-01-01' and '2023-03-31' and (o.code = '5300' or o.district_id = (select id from customs_offices where code = '5300'))`,
    ).n, "en-US"));
  });

  it("a member compares its own cases only, in Chinese", async () => {
    const page = await open("zh", "member");
    const own = sqlGet<{ id: number }>("select holder_id as id from user where email = ?", demoEmail("member")).id;
    await page.goto(`${baseURL()}/?from=2020-01-01&to=2020-12-31`);
    await chooseByKeyboard(page, "yoy");
    expect(await change(page).textContent()).toContain("较2019年");
    expect(await then(page).getAttribute("data-exact")).toBe(group(sqlCases("2019-01-01", "2019-12-31", own), "zh-CN"));
    expect(sqlCases("2019-01-01", "2019-12-31", own)).toBeLessThan(sqlCases("2019-01-01", "2019-12-31"));
    await expectNoSeriousAxeViolations(page);
    await page.screenshot({ path: `${SHOTS}/comparison-member-zh.png` });
    await page.locator('[data-chart="year"]').screenshot({ path: `${SHOTS}/comparison-member-zh-year.png` });
  });
});
