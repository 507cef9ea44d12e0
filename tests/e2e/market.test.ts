import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import AxeBuilder from "@axe-core/playwright";
import { baseURL, launchBrowser, openTestDatabase, sessionCookie, signInAs, type DemoRole } from "./support";

// The market section of a member's dashboard in Chromium, and GET /api/market over HTTP for
// every role: the figures shown are what SQL counts over all cases, suppressed cells are
// marked the same way the API marks them (null), only the period (whole years) applies.

type Figures = { cases: number; pieces: number; valueFen: number };
type Market = {
  threshold: number; availableYears: number[]; years: number[]; whole: boolean;
  byYear: (Figures & { year: number })[]; total: Figures;
  tables: { name: string; rows: { key: string; en: string; zh: string; cells: (Figures | null)[]; total: Figures | null }[]; columnTotals: Figures[]; total: Figures }[];
};

const group = (n: number, locale: string) => new Intl.NumberFormat(locale).format(n);
const SCREENSHOTS = process.env.MARKET_SCREENSHOTS; // a folder: the test also saves what it saw there

/** Saves the top of the market section as a picture (for a person to look at; asserts nothing). */
async function picture(p: Page, name: string) {
  if (!SCREENSHOTS) return;
  await p.evaluate(() => window.scrollTo(0, 0));
  const box = (await p.getByTestId("market").boundingBox())!;
  await p.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true, clip: { x: 0, y: box.y, width: box.width + 60, height: 1500 } });
}

/** Serious or critical accessibility violations in the market section (home.test.ts checks the rest of the page). */
async function expectSectionAccessible(p: Page) {
  await p.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page: p }).include('[data-testid="market"]').analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

let browser: Browser;
let member: BrowserContext;
let page: Page;

async function api(path: string, who: DemoRole | "anonymous") {
  const headers: Record<string, string> = who === "anonymous" ? {} : { cookie: await sessionCookie(who) };
  return fetch(`${baseURL()}${path}`, { headers });
}

function sqlByYear(): Map<number, Figures> {
  const db = openTestDatabase();
  try {
    const rows = db.prepare(`select cast(substr(seized_on, 1, 4) as integer) as year, count(*) as cases, sum(pieces) as pieces, sum(value_fen) as valueFen
                             from cases where deleted_at is null group by 1`).all() as (Figures & { year: number })[];
    return new Map(rows.map(({ year, ...f }) => [year, f]));
  } finally {
    db.close();
  }
}

function sqlDistrictYear(code: string, year: number): number {
  const db = openTestDatabase();
  try {
    return (db.prepare(`select count(*) as n from cases c join customs_offices o on o.id = c.office_id join customs_offices d on d.id = coalesce(o.district_id, o.id)
                        where c.deleted_at is null and d.code = ? and substr(c.seized_on, 1, 4) = ?`).get(code, String(year)) as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
  member = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 1000 } });
  await signInAs(member, "member");
  page = await member.newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe("the market section of a member's dashboard", () => {
  it("shows the published tables under the member's own figures, and marks suppressed cells as the API does", async () => {
    await page.goto(`${baseURL()}/`);
    const section = page.getByTestId("market");
    // the section streams in after the member's own figures: wait for it
    await section.getByRole("heading", { level: 2, name: "The market: all customs cases, published tables" }).waitFor();
    expect(await section.getByRole("heading", { level: 2, name: "The market: all customs cases, published tables" }).count()).toBe(1);
    // the member's own dashboard comes first
    const order = await page.evaluate(() => {
      const d = document.querySelector('[data-testid="dashboard"]')!, m = document.querySelector('[data-testid="market"]')!;
      return d.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
    const captions = await section.locator("caption").allTextContents();
    expect(captions).toEqual([
      "Cases, pieces and value by year, all customs",
      "Cases by customs district and year",
      "Cases by infringement type and year",
      "Cases by goods category and year",
      "Cases by direction and year",
    ]);
    // the by-year table: what SQL counts over all cases
    const byYear = sqlByYear();
    const market = (await (await api("/api/market", "member")).json()) as Market;
    const yearRows = section.locator('[data-market-table="year"] tbody tr');
    expect(await yearRows.count()).toBe(market.years.length);
    for (const year of market.years) {
      const cells = await section.locator(`[data-market-table="year"] tbody tr[data-row="${year}"] td`).allTextContents();
      expect(cells.slice(0, 2)).toEqual([group(byYear.get(year)!.cases, "en-US"), group(byYear.get(year)!.pieces, "en-US")]);
    }
    // the district table: a shown cell is SQL's count; suppressed cells are where the API has null
    const district = market.tables.find((t) => t.name === "district")!;
    let checked = 0;
    for (const row of district.rows) {
      const tds = section.locator(`[data-market-table="district"] tbody tr[data-row="${row.key}"] td`);
      const marks = await tds.evaluateAll((els) => els.map((e) => e.hasAttribute("data-suppressed")));
      expect(marks, row.key).toEqual([...row.cells.map((c) => c === null), row.total === null]);
      const firstShown = row.cells.findIndex((c) => c !== null && c.cases > 0);
      if (firstShown >= 0 && checked < 5) {
        checked++;
        expect(await tds.nth(firstShown).textContent()).toBe(group(sqlDistrictYear(row.key, market.years[firstShown]!), "en-US"));
      }
    }
    const suppressed = section.locator("[data-suppressed]");
    expect(await suppressed.count()).toBeGreaterThan(0);
    expect(await suppressed.first().textContent()).toBe("xsuppressed"); // the mark, and the words for a screen reader
    expect(await section.locator(".market-legend").textContent()).toContain("fewer than 10 cases");
    await picture(page, "market-en");
  });

  it("a period of whole years chosen in the section shows those years only, keeps the dashboard's filters and the measure, and passes axe", async () => {
    await page.goto(`${baseURL()}/?district=8600`);
    const section = page.getByTestId("market");
    await section.getByLabel("From year").selectOption("2016");
    await section.getByLabel("To year").selectOption("2017");
    await section.getByLabel("Figure shown").selectOption("pieces");
    await section.getByRole("button", { name: "Show tables" }).click();
    await page.waitForURL(/marketFrom=2016/);
    const url = new URL(page.url());
    expect(url.searchParams.get("district")).toBe("8600");
    expect(url.searchParams.get("marketTo")).toBe("2017");
    expect(await section.getByTestId("market-period").textContent()).toBe("Whole calendar years 2016–2017.");
    const head = await section.locator('[data-market-table="type"] thead th').allTextContents();
    expect(head).toEqual(["Infringement type", "2016", "2017", "Total"]);
    expect(await section.locator('[data-market-table="type"] caption').textContent()).toBe("Pieces by infringement type and year");
    // the same cells as the API's view of that period
    const market = (await (await api("/api/market?from=2016&to=2017", "member")).json()) as Market;
    const trademark = market.tables.find((t) => t.name === "type")!.rows.find((r) => r.key === "trademark")!;
    const tds = await section.locator('[data-market-table="type"] tbody tr[data-row="trademark"] td').allTextContents();
    expect(tds.slice(0, 2)).toEqual(trademark.cells.map((c) => (c ? group(c.pieces, "en-US") : "xsuppressed")));
    // the dashboard's other filters leave the market alone: the national figures, not Kunming's
    expect(market.total.cases).toBe([2016, 2017].reduce((s, y) => s + sqlByYear().get(y)!.cases, 0));
    // axe on a period of two years: the same markup as the whole range, with fewer cells to check
    await expectSectionAccessible(page);
    // a period the other way round is ignored, and the section says why
    await page.goto(`${baseURL()}/?marketFrom=2016&marketTo=2014`);
    expect(await section.getByRole("alert").textContent()).toBe("The market period was ignored: the last year is before the first.");
    expect(await section.getByTestId("market-period").textContent()).toBe("Whole calendar years 2012–2025.");
  });

  it("reads in Chinese", async () => {
    const zh = await browser.newContext({ locale: "zh-CN", viewport: { width: 1400, height: 1000 } });
    try {
      await signInAs(zh, "member");
      await zh.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
      const p = await zh.newPage();
      await p.goto(`${baseURL()}/`);
      const section = p.getByTestId("market");
      expect(await section.getByRole("heading", { level: 2 }).textContent()).toBe("市场概况：全部海关案件公开统计表");
      expect(await section.locator('[data-market-table="district"] caption').textContent()).toBe("按直属海关和年度统计的案件数");
      expect(await section.locator('[data-market-table="district"] tbody tr[data-row="8600"] th').textContent()).toBe("昆明");
      expect(await section.locator(".market-legend").textContent()).toContain("少于10件");
      await picture(p, "market-zh");
      await p.goto(`${baseURL()}/?marketFrom=abc`);
      expect(await section.getByRole("alert").textContent()).toBe("已忽略市场统计期间：“abc”不是年份。");
    } finally {
      await zh.close();
    }
  });

  it("is not on an analyst's dashboard (analysts read every case itself)", async () => {
    const analyst = await browser.newContext();
    try {
      await signInAs(analyst, "analyst");
      const p = await analyst.newPage();
      await p.goto(`${baseURL()}/`);
      await p.getByTestId("dashboard").waitFor();
      expect(await p.getByTestId("market").count()).toBe(0);
    } finally {
      await analyst.close();
    }
  });
});

describe("GET /api/market", () => {
  it("answers every role with the same published figures; a member's own dominance hides only more", async () => {
    expect((await api("/api/market", "anonymous")).status).toBe(401);
    const views = new Map<DemoRole, Market>();
    for (const who of ["member", "analyst", "admin"] as const) {
      const response = await api("/api/market?from=2013-05-01&to=2020-02-01", who);
      expect(response.status, who).toBe(200);
      expect(response.headers.get("cache-control"), who).toBe("private, no-store");
      views.set(who, (await response.json()) as Market & { period: unknown });
    }
    const analyst = views.get("analyst")!, memberView = views.get("member")!;
    expect(views.get("admin")).toEqual(analyst);
    expect(analyst.years).toEqual([2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020]); // snapped to whole years
    expect(analyst.threshold).toBe(10);
    for (const t of memberView.tables) {
      const other = analyst.tables.find((x) => x.name === t.name)!;
      t.rows.forEach((row, r) => row.cells.forEach((c, i) => c && expect(c).toEqual(other.rows[r]!.cells[i])));
    }
    expect(memberView.byYear).toEqual(analyst.byYear.filter((y) => memberView.years.includes(y.year)));
  });

  it("names no right holder, and no cell of fewer than 10 cases", async () => {
    const body = await (await api("/api/market", "member")).text();
    const db = openTestDatabase();
    const names = (db.prepare("select name, name_zh as nameZh from right_holders").all() as { name: string; nameZh: string | null }[]);
    db.close();
    for (const h of names) {
      expect(body.includes(JSON.stringify(h.name).slice(1, -1)), h.name).toBe(false);
      if (h.nameZh) expect(body.includes(h.nameZh), h.nameZh).toBe(false);
    }
    const market = JSON.parse(body) as Market;
    for (const t of market.tables) for (const row of t.rows) for (const c of [...row.cells, row.total]) if (c && c.cases > 0) expect(c.cases).toBeGreaterThanOrEqual(10);
  });

  it("answers 400 naming the parameter for a bad period or any other filter", async () => {
    const cases: [string, string][] = [
      ["/api/market?from=2016-02-30", "from"],
      ["/api/market?to=last-year", "to"],
      ["/api/market?from=2020&to=2019", "to"],
      ["/api/market?from=2016&from=2017", "from"],
      ["/api/market?district=8600", "district"],
      ["/api/market?q=5300-2012-0010", "q"],
    ];
    for (const [path, parameter] of cases) {
      const response = await api(path, "member");
      expect(response.status, path).toBe(400);
      expect(response.headers.get("cache-control"), path).toBe("private, no-store");
      const body = (await response.json()) as { error: string; parameter: string; message: string };
      expect(body.error).toBe("invalid_parameter");
      expect(body.parameter, path).toBe(parameter);
      expect(body.message, path).toContain(parameter);
    }
  });
});
