import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { infringementTypes } from "../../lib/enums";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, openTestDatabase, signInAs } from "./support";

// The dashboard in Chromium: figures against independent SQL, every chart drawn, drill-down
// from a bar, a slice's table link and a card to the case table, both languages.

// Independent formatting for the expectations: Intl on yuan, not the app's fen formatter.
const group = (n: number, locale: string) => new Intl.NumberFormat(locale).format(n);
const yuan = (fen: number, locale: string) =>
  new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(fen / 100);

const CHARTS = ["year", "district", "type", "category", "channel", "transport", "status", "disposal", "industry"];
const KUNMING = "district=8600&from=2016-01-01&to=2017-06-07";

let browser: Browser;
let page: Page;

type Totals = { cases: number; pieces: number; value: number; holders: number };
function sqlTotals(where = "1", params: unknown[] = []): Totals {
  const db = openTestDatabase();
  try {
    return db
      .prepare(`select count(*) as cases, coalesce(sum(c.pieces), 0) as pieces, coalesce(sum(c.value_fen), 0) as value,
                  (select count(distinct l.right_holder_id) from case_right_holders l join cases c2 on c2.id = l.case_id
                     join customs_offices o2 on o2.id = c2.office_id
                   where c2.deleted_at is null and c2.id in (select c.id from cases c join customs_offices o on o.id = c.office_id where ${where})) as holders
                from cases c join customs_offices o on o.id = c.office_id where c.deleted_at is null and (${where})`)
      .get(...params, ...params) as Totals;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 900 } });
  await signInAs(context, "analyst");
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

const kpi = (id: string) => page.locator(`[data-kpi="${id}"] .kpi-value`);
const casesTotal = async () => Number((await page.locator('[data-total="cases"] dd').textContent())!.replace(/[^\d]/g, ""));

/** The charts are drawn on the server: each is on the page with its bars, points or slices. */
async function chartsDrawn() {
  for (const id of CHARTS) {
    await page.locator(`[data-chart="${id}"]`).locator(".bar-row, .year-hit, .slice").first().waitFor({ timeout: 15_000 });
  }
}

describe("the dashboard", () => {
  it("shows the figures SQL computes, draws every chart, and passes axe", async () => {
    await page.goto(baseURL());
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Dashboard");
    const all = sqlTotals();
    expect(await kpi("cases").textContent()).toBe(group(all.cases, "en-US"));
    expect(await kpi("pieces").textContent()).toBe(group(all.pieces, "en-US"));
    expect(await kpi("value").getAttribute("data-exact")).toBe(`RMB ${yuan(all.value, "en-US")}`);
    // exact money on the card itself
    expect(await kpi("value").textContent()).toBe(`RMB ${yuan(all.value, "en-US")}`);
    expect(await kpi("right-holders").textContent()).toBe(group(all.holders, "en-US"));
    expect(await kpi("average-value").getAttribute("data-exact")).toBe(`RMB ${yuan(Math.round(all.value / all.cases), "en-US")}`);
    // no start date: nothing to compare with, and the page says so once
    expect(await page.getByTestId("kpi-change").count()).toBe(0);
    expect(await page.locator(".kpi-note").textContent()).toMatch(/start date/);
    expect(await page.getByRole("note").textContent()).toMatch(/Demo data/);
    await chartsDrawn();
    for (const id of CHARTS) {
      expect(await page.locator(`[data-chart="${id}"] h2:visible`).textContent()).not.toBe("");
      expect(await page.locator(`[data-chart="${id}"] .chart-unit:visible`).textContent()).not.toBe("");
    }
    // the district chart: top 15 and "others"; the value toggle reorders it
    const bars = page.locator('[data-chart="district"] .bar-row:visible');
    expect(await bars.count()).toBe(16);
    await page.locator('[data-chart="district"]').getByRole("button", { name: "Value" }).click();
    expect(await page.locator('[data-chart="district"] .chart-unit:visible').textContent()).toMatch(/^Value in RMB/);
    await expectNoSeriousAxeViolations(page);
  });

  it("answers the Kunming question with 63 cases and RMB 6,250,000.00, compared with the period before", async () => {
    await page.goto(`${baseURL()}/?${KUNMING}`);
    expect(await kpi("cases").textContent()).toBe("63");
    expect(await kpi("value").getAttribute("data-exact")).toBe("RMB 6,250,000.00");
    const before = sqlTotals("c.deleted_at is null and coalesce(o.district_id, o.id) = (select id from customs_offices where code = '8600') and c.seized_on between '2014-07-26' and '2015-12-31'");
    const change = ((63 - before.cases) / before.cases) * 100;
    const text = await page.locator('[data-kpi="cases"] [data-testid="kpi-change"]').textContent();
    expect(text).toContain(`${change < 0 ? "-" : "+"}${Math.abs(change).toFixed(1).replace(/\.0$/, "")}%`);
    expect(text).toContain("vs 26 Jul 2014 – 31 Dec 2015");
    // chips name the filters
    expect(await page.locator(".chips").textContent()).toContain("Kunming (8600)");
  });

  it("drills from a Kunming office's bar to its cases in the table", async () => {
    await page.goto(`${baseURL()}/?${KUNMING}`);
    await chartsDrawn();
    // one district chosen: the chart shows its subordinate customs, and together they make the 63 cases
    const figures = await page.locator('[data-chart="district"] .bar-row:visible .bar-value').allTextContents();
    expect(figures.reduce((s, v) => s + Number(v.replace(/[^\d]/g, "")), 0)).toBe(63);
    const bar = page.locator('[data-chart="district"] .bar-row:visible').first();
    const shown = Number((await bar.locator(".bar-value").textContent())!.replace(/[^\d]/g, ""));
    await bar.click();
    await page.waitForURL(/\/cases\?/);
    const url = new URL(page.url());
    expect(url.searchParams.getAll("district")).toEqual(["8600"]);
    expect(url.searchParams.getAll("office")).toHaveLength(1);
    expect(url.searchParams.get("from")).toBe("2016-01-01");
    expect(url.searchParams.get("to")).toBe("2017-06-07");
    expect(await casesTotal()).toBe(shown);
  });

  it("drills from a year bar, and from a slice's table link, keeping the other filters", async () => {
    await page.goto(baseURL());
    await chartsDrawn();
    await page.locator('[data-chart="year"] a.year-hit[data-year="2016"]').click();
    await page.waitForURL(/\/cases\?/);
    expect(new URL(page.url()).searchParams.get("from")).toBe("2016-01-01");
    expect(new URL(page.url()).searchParams.get("to")).toBe("2016-12-31");
    expect(await casesTotal()).toBe(sqlTotals("c.seized_on between '2016-01-01' and '2016-12-31'").cases);

    // keyboard path: the figures table under the donut has a link per slice
    await page.goto(`${baseURL()}/?direction=export`);
    await chartsDrawn();
    const panel = page.locator('[data-chart="type"]');
    await panel.locator("summary").focus();
    await page.keyboard.press("Enter");
    const link = panel.locator("table").getByRole("link", { name: "Copyright" });
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/cases\?/);
    const params = new URL(page.url()).searchParams;
    expect(params.getAll("type")).toEqual(["copyright"]);
    expect(params.getAll("direction")).toEqual(["export"]);
    expect(await casesTotal()).toBe(sqlTotals("c.infringement_type = 'copyright' and c.direction = 'export'").cases);
  });

  it("opens the table from a KPI card, and sets dates with a quick pick", async () => {
    await page.goto(`${baseURL()}/?type=copyright`);
    await page.locator('[data-kpi="cases"]').click();
    await page.waitForURL(/\/cases\?type=copyright$/);
    expect(await casesTotal()).toBe(sqlTotals("c.infringement_type = 'copyright'").cases);

    await page.goto(baseURL());
    await page.getByRole("button", { name: "Since 2016" }).click();
    await page.waitForURL(/from=2016-01-01/);
    expect(await page.getByRole("button", { name: "Since 2016" }).getAttribute("aria-pressed")).toBe("true");
    expect(await kpi("cases").textContent()).toBe(group(sqlTotals("c.seized_on >= '2016-01-01'").cases, "en-US"));
    expect(await page.getByTestId("kpi-change").count()).toBe(5);
  });

  it("filters by a subordinate customs from the searchable office facet", async () => {
    const db = openTestDatabase();
    const sub = db.prepare(`select o.code, o.name_en as name from customs_offices o join customs_offices d on d.id = o.district_id
                            where d.code = '8600' order by o.code limit 1`).get() as { code: string; name: string };
    db.close();
    await page.goto(baseURL());
    const facet = page.locator('details[data-facet="office"]');
    await facet.locator("summary").click();
    await facet.getByRole("searchbox").fill(sub.name);
    const before = page.url();
    await facet.getByLabel(`Kunming › ${sub.name} (${sub.code})`).check();
    await page.waitForURL((url) => url.toString() !== before);
    expect(new URL(page.url()).searchParams.getAll("office")).toEqual([sub.code]);
    await expect.poll(() => kpi("cases").textContent()).toBe(group(sqlTotals("o.code = ?", [sub.code]).cases, "en-US"));
  });

  it("draws a facet's options only once it opens, and keeps every panel inside the window", async () => {
    await page.goto(baseURL());
    // the page's HTML carries no option of any facet (hundreds of right holders and offices)
    expect(await page.locator(".facet-panel li").count()).toBe(0);
    // a narrow window, so that facets end their rows near the right edge
    const viewport = page.viewportSize()!;
    await page.setViewportSize({ width: 900, height: 900 });
    const width = 900;
    const names = await page.locator("details[data-facet]").evaluateAll((all) => all.map((d) => d.getAttribute("data-facet")!));
    expect(names).toHaveLength(13);
    for (const name of names) {
      const facet = page.locator(`details[data-facet="${name}"]`);
      await facet.locator("summary").click();
      await facet.locator(".facet-panel li").first().waitFor();
      const box = (await facet.locator(".facet-panel").boundingBox())!;
      expect(box.x, name).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, name).toBeLessThanOrEqual(width);
      await facet.locator("summary").click();
      await expect.poll(() => facet.locator(".facet-panel").count(), { message: name }).toBe(0);
    }
    await page.setViewportSize(viewport);
    // opened from the keyboard, too
    await page.locator('details[data-facet="type"] summary').focus();
    await page.keyboard.press("Enter");
    await page.locator('details[data-facet="type"] .facet-panel li').first().waitFor();
    expect(await page.locator('details[data-facet="type"] .facet-panel li').count()).toBe(infringementTypes.values.length);
    await page.keyboard.press("Enter");
  });

  it("says so when nothing matches", async () => {
    await page.goto(`${baseURL()}/?q=zzqxv-nothing`);
    // the dashboard streams in after the page's frame (its reads run in a reader process):
    // wait until React has revealed it, not only until its text has arrived
    await page.getByTestId("dashboard-empty").waitFor({ state: "visible" });
    expect(await kpi("cases").textContent()).toBe("0");
    expect(await page.locator("[data-chart]").count()).toBe(0);
  });

  it("works in Chinese, with the same figures", async () => {
    await page.goto(`${baseURL()}/?${KUNMING}`);
    await page.getByRole("button", { name: "中文" }).click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("zh-CN");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("数据看板");
    expect(await kpi("cases").textContent()).toBe("63");
    expect(await kpi("value").getAttribute("data-exact")).toBe(`¥${yuan(625_000_000, "zh-CN")}`);
    expect(await kpi("value").textContent()).toBe("¥6,250,000.00");
    await chartsDrawn();
    expect(await page.locator('[data-chart="district"] h2:visible').textContent()).toBe("昆明关区所属隶属海关");
    expect(await page.locator('[data-chart="year"] .year-labels').textContent()).toContain("至06-07");
    expect(await page.getByRole("note").textContent()).toMatch(/演示数据/);
    await expectNoSeriousAxeViolations(page);
  });

  it("keeps the chosen language on the next visit, and switches back", async () => {
    await page.goto(baseURL());
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("数据看板");
    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Dashboard");
  });

  it("answers an unknown address with a page-not-found page in the user's language", async () => {
    const response = await page.goto(`${baseURL()}/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    await expectNoSeriousAxeViolations(page);
  });
});
