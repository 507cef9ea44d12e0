import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, sqlAll, signInAs } from "./support";

// The reference pages (right holders, customs districts) against plain SQL over the same
// database: every figure they show is the dashboard's, so it must equal a count of live cases.

// Independent formatting for the expectations: Intl on yuan, not the app's fen formatter.
const group = (n: number, locale = "en-US") => new Intl.NumberFormat(locale).format(n);
const yuan = (fen: number, locale = "en-US") =>
  new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(fen / 100);

type Holder = { id: number; name: string; nameZh: string | null; cases: number };
type Figures = { cases: number; pieces: number; value: number };

let browser: Browser;
let context: BrowserContext;
let page: Page;
let holders: Holder[];

const sql = sqlAll;

/** Live cases of a customs district with its subordinate customs, optionally within dates. */
const districtFigures = (code: string, from = "0000-00-00", to = "9999-99-99") =>
  sql<Figures>(
    `select count(*) as cases, coalesce(sum(c.pieces), 0) as pieces, coalesce(sum(c.value_fen), 0) as value
     from cases c join customs_offices o on o.id = c.office_id left join customs_offices d on d.id = o.district_id
     where c.deleted_at is null and (o.code = ? or d.code = ?) and c.seized_on between ? and ?`,
    code, code, from, to,
  )[0]!;

// Read when a test needs them, so that they describe the database as the page saw it.
const holdersNow = () =>
  (holders = sql<Holder>(
    `select h.id, h.name, h.name_zh as nameZh,
       (select count(*) from case_right_holders l join cases c on c.id = l.case_id
        where l.right_holder_id = h.id and c.deleted_at is null) as cases
     from right_holders h order by cases desc, h.name`,
  ));
const kunmingNow = () => ({
  ...districtFigures("8600"),
  offices: sql<{ code: string }>(
    `select o.code from customs_offices o join customs_offices d on d.id = o.district_id where d.code = '8600' order by o.code`,
  ).map((r) => r.code),
});

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 900 } });
  await signInAs(context, "analyst");
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

const holderRow = (id: number) => page.locator(`[data-testid="holders-table"] tr[data-holder="${id}"]`);
const countText = () => page.getByTestId("holder-count").textContent();
const kpi = (id: string) => page.locator(`[data-kpi="${id}"] .kpi-value`).textContent();
const fold = (s: string) => s.toLocaleLowerCase();

describe("the right holders", () => {
  it("lists every right holder with its cases as SQL counts them, and passes axe", async () => {
    await page.goto(`${baseURL()}/right-holders`);
    holdersNow();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Right holders");
    await expect.poll(countText).toBe(`${group(holders.length)} of ${group(holders.length)} right holders`);
    expect(await page.locator('[data-testid="holders-table"] tbody tr').count()).toBe(holders.length);

    // most cases first
    const top = holders[0]!;
    const first = page.locator('[data-testid="holders-table"] tbody tr').first();
    expect(await first.locator('[data-figure="cases"]').textContent()).toBe(group(top.cases));
    for (const h of [top, holders[Math.floor(holders.length / 2)]!, holders.at(-1)!]) {
      expect(await holderRow(h.id).locator('[data-figure="cases"]').textContent()).toBe(group(h.cases));
    }
    expect(await holderRow(top.id).locator("th a").textContent()).toBe(top.name);
    // the cases figure opens the case table for that holder
    expect(await holderRow(top.id).locator('[data-figure="cases"] a').getAttribute("href")).toBe(`/cases?holder=${top.id}`);
    await expectNoSeriousAxeViolations(page);
  });

  it("sorts by a clicked column", async () => {
    const casesHeader = page.locator('[data-testid="holders-table"] th[data-column="cases"]');
    expect(await casesHeader.getAttribute("aria-sort")).toBe("descending");
    await casesHeader.getByRole("button").click();
    await expect.poll(() => casesHeader.getAttribute("aria-sort")).toBe("ascending");
    const fewest = Math.min(...holders.map((h) => h.cases));
    expect(await page.locator('[data-testid="holders-table"] tbody tr').first().locator('[data-figure="cases"]').textContent()).toBe(group(fewest));
    await casesHeader.getByRole("button").click();
    await expect.poll(() => casesHeader.getAttribute("aria-sort")).toBe("descending");
  });

  it("narrows the list as the user types a name, in English or Chinese", async () => {
    const search = page.getByRole("searchbox", { name: "Search right holders by name" });
    const top = holders[0]!;
    const needle = top.name.split(" ")[0]!;
    const expected = holders.filter((h) => fold(h.name).includes(fold(needle)) || (h.nameZh ?? "").includes(needle));
    await search.fill(needle);
    await expect.poll(countText).toBe(`${group(expected.length)} of ${group(holders.length)} right holders`);
    expect(await page.locator('[data-testid="holders-table"] tbody tr').count()).toBe(expected.length);
    expect(await holderRow(top.id).isVisible()).toBe(true);

    if (top.nameZh) {
      await search.fill(top.nameZh);
      await expect.poll(() => page.locator('[data-testid="holders-table"] tbody tr').count()).toBe(
        holders.filter((h) => (h.nameZh ?? "").includes(top.nameZh!) || h.name.includes(top.nameZh!)).length,
      );
      expect(await holderRow(top.id).isVisible()).toBe(true);
    }

    await search.fill("zzzqqq");
    await expect.poll(countText).toBe(`0 of ${group(holders.length)} right holders`);
    expect(await page.getByTestId("holders-empty").isVisible()).toBe(true);

    await search.fill(needle);
    await expect.poll(countText).toBe(`${group(expected.length)} of ${group(holders.length)} right holders`);
  });

  it("opens a right holder's page with its own KPIs and charts, and lists its cases", async () => {
    const top = holders[0]!;
    await holderRow(top.id).locator("th a").click();
    await page.waitForURL(new RegExp(`/right-holders/${top.id}$`));
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(top.name);
    await page.locator("svg.chart-svg").first().waitFor();
    expect(await kpi("cases")).toBe(group(top.cases));
    await expectNoSeriousAxeViolations(page);

    await page.getByTestId("list-cases").click();
    await page.waitForURL((url) => url.pathname === "/cases" && url.searchParams.getAll("holder").join() === String(top.id));
    await expect.poll(() => page.locator('[data-total="cases"] dd').textContent()).toBe(group(top.cases));
  });

  it("carries the filters into a right holder's page", async () => {
    const top = holders[0]!;
    const expected = sql<{ n: number }>(
      `select count(*) as n from case_right_holders l join cases c on c.id = l.case_id
       where l.right_holder_id = ? and c.deleted_at is null and c.infringement_type = 'trademark' and c.seized_on >= '2016-01-01'`,
      top.id,
    )[0]!.n;
    await page.goto(`${baseURL()}/right-holders?type=trademark&from=2016-01-01`);
    await expect.poll(() => holderRow(top.id).locator('[data-figure="cases"]').textContent()).toBe(group(expected));
    await holderRow(top.id).locator("th a").click();
    await page.waitForURL(new RegExp(`/right-holders/${top.id}\\?`));
    expect(new URL(page.url()).searchParams.get("type")).toBe("trademark");
    await expect.poll(() => kpi("cases")).toBe(group(expected));
  });

  it("says which bad parameters it ignored", async () => {
    const response = await page.goto(`${baseURL()}/right-holders?type=piracy`);
    holdersNow();
    expect(response?.status()).toBe(200);
    expect(await page.getByTestId("ignored-parameters").textContent()).toContain("type=piracy");
    await expect.poll(countText).toBe(`${group(holders.length)} of ${group(holders.length)} right holders`);
  });
});

describe("the customs districts", () => {
  const district = (code: string) => page.locator(`[data-testid="districts-table"] tr[data-kind="district"][data-code="${code}"]`);
  const figure = (row: ReturnType<typeof district>, name: string) => row.locator(`[data-figure="${name}"]`).textContent();

  it("lists the 42 districts with their subordinate customs, Kunming's figures as SQL counts them", async () => {
    await page.goto(`${baseURL()}/districts`);
    const kunming = kunmingNow();
    const districtCount = sql<{ n: number }>(`select count(*) as n from customs_offices where district_id is null`)[0]!.n;
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Customs districts");
    expect(districtCount).toBe(42);
    expect(await page.locator('[data-testid="districts-table"] tr[data-kind="district"]').count()).toBe(districtCount);
    const row = district("8600");
    expect(await row.locator("th a").textContent()).toBe("Kunming");
    expect(await figure(row, "cases")).toBe(group(kunming.cases));
    expect(await figure(row, "pieces")).toBe(group(kunming.pieces));
    expect(await figure(row, "value")).toBe(`RMB ${yuan(kunming.value)}`);
    expect(await row.locator('[data-figure="cases"] a').getAttribute("href")).toBe("/cases?district=8600");
    // its own office and each subordinate customs, indented under it
    const offices = await page
      .locator('[data-testid="districts-table"] tbody', { has: page.locator('tr[data-kind="district"][data-code="8600"]') })
      .locator('tr[data-kind="office"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-code")));
    expect(offices).toEqual(["8600", ...kunming.offices]);
    await expectNoSeriousAxeViolations(page);
  });

  it("filters by dates: Kunming's published 2016–2017 figures, carried into its page", async () => {
    await page.goto(`${baseURL()}/districts?from=2016-01-01&to=2017-06-07`);
    // the seed reproduces Kunming's published figures for this period (63 cases); SQL is the judge
    const kunmingPublished = districtFigures("8600", "2016-01-01", "2017-06-07");
    expect(kunmingPublished.cases).toBeGreaterThan(0);
    const row = district("8600");
    await expect.poll(() => figure(row, "cases")).toBe(group(kunmingPublished.cases));
    expect(await figure(row, "value")).toBe(`RMB ${yuan(kunmingPublished.value)}`);
    await row.locator("th a").click();
    await page.waitForURL((url) => url.pathname === "/districts/8600" && url.searchParams.get("from") === "2016-01-01");
    await expect.poll(() => kpi("cases")).toBe(group(kunmingPublished.cases));
    expect(await kpi("pieces")).toBe(group(kunmingPublished.pieces));
  });

  it("shows a district's page with its subordinate customs, KPIs and charts", async () => {
    await page.goto(`${baseURL()}/districts/8600`);
    const kunming = kunmingNow();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Kunming 8600");
    const offices = await page.locator('[data-testid="district-offices"] tr[data-kind="office"]').evaluateAll((rows) =>
      rows.map((r) => r.getAttribute("data-code")),
    );
    expect(offices).toEqual(["8600", ...kunming.offices]);
    expect(await page.locator('[data-testid="district-offices"] tfoot [data-figure="cases"]').textContent()).toBe(group(kunming.cases));
    await page.locator("svg.chart-svg").first().waitFor();
    expect(await kpi("cases")).toBe(group(kunming.cases));
    expect(await kpi("pieces")).toBe(group(kunming.pieces));
    await expectNoSeriousAxeViolations(page);

    await page.getByTestId("list-cases").click();
    await page.waitForURL((url) => url.pathname === "/cases" && url.searchParams.getAll("district").join() === "8600");
    await expect.poll(() => page.locator('[data-total="cases"] dd').textContent()).toBe(group(kunming.cases));
  });

  it("works in Chinese", async () => {
    await context.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
    await page.goto(`${baseURL()}/districts`);
    const kunming = kunmingNow();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("zh-CN");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("海关关区");
    const row = district("8600");
    expect(await row.locator("th a").textContent()).toBe("昆明");
    expect(await figure(row, "cases")).toBe(group(kunming.cases, "zh-CN"));
    expect(await figure(row, "value")).toBe(`¥${yuan(kunming.value, "zh-CN")}`);
    await expectNoSeriousAxeViolations(page);

    await page.goto(`${baseURL()}/right-holders`);
    holdersNow();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("权利人");
    const top = holders[0]!;
    expect(await holderRow(top.id).locator("th a").textContent()).toBe(top.nameZh ?? top.name);
    await expect.poll(countText).toBe(`显示${group(holders.length, "zh-CN")}个，共${group(holders.length, "zh-CN")}个权利人`);
    await expectNoSeriousAxeViolations(page);
    await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: baseURL() }]);
  });
});

describe("access", () => {
  it("sends a visitor without a session to the login page", async () => {
    const visitor = await browser.newContext({ locale: "en-US" });
    try {
      const anonymous = await visitor.newPage();
      for (const path of ["/right-holders", "/districts/8600"]) {
        await anonymous.goto(`${baseURL()}${path}`);
        expect(new URL(anonymous.url()).pathname).toBe("/login");
        expect(new URL(anonymous.url()).searchParams.get("next")).toBe(path);
      }
    } finally {
      await visitor.close();
    }
  });

  it("shows a member its own company's cases by district, and only its own company among the right holders", async () => {
    const member = await browser.newContext({ locale: "en-US" });
    try {
      await signInAs(member, "member");
      const memberPage = await member.newPage();
      await memberPage.goto(`${baseURL()}/districts`);
      const own = sql<{ id: number }>("select holder_id as id from user where email = 'member@demo.test'")[0]!.id;
      const [busiest] = sql<{ code: string; cases: number }>(
        `select coalesce(d.code, o.code) as code, count(*) as cases from cases c join customs_offices o on o.id = c.office_id
         left join customs_offices d on d.id = o.district_id
         where c.deleted_at is null and c.id in (select case_id from case_right_holders where right_holder_id = ?)
         group by 1 order by 2 desc limit 1`, own);
      const row = memberPage.locator(`[data-testid="districts-table"] tr[data-kind="district"][data-code="${busiest!.code}"]`);
      expect(await row.locator('[data-figure="cases"]').textContent()).toBe(group(busiest!.cases));
      await memberPage.goto(`${baseURL()}/right-holders`);
      expect(await memberPage.locator("[data-testid=holders-table] tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-holder")))).toEqual([String(own)]);
    } finally {
      await member.close();
    }
  });
});

describe("unknown right holders and districts", () => {
  for (const path of ["/right-holders/99999999", "/right-holders/abc", "/right-holders/0", "/districts/9999", "/districts/86000", "/districts/8601"]) {
    it(`answers ${path} with a real 404 page`, async () => {
      const response = await page.goto(`${baseURL()}${path}`);
      expect(response?.status()).toBe(404);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    });
  }

  it("passes axe on the not-found page", async () => {
    await page.goto(`${baseURL()}/districts/9999`);
    await expectNoSeriousAxeViolations(page);
  });
});
