import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countryName } from "../../lib/countries";
import { ports } from "../../lib/enums";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, sessionCookie, signInAs, sqlAll, sqlGet, waitForExplorer, waitForHydration, type DemoRole } from "./support";

// The route and party filters of the filter bar (issue 18), in Chromium: the "Route and parties"
// group sets a port (keyboard), an origin country (typed, chosen with the mouse), an HS heading
// (a bad one named beside the field, nothing navigated) and a party (typed); after each step
// the URL, the chips and the table's count are what /api/cases gives for the same query. The
// dashboard's group agrees with /api/stats; a member's counts are its own company's; the
// Chinese page says it in Chinese; axe passes with the group open. Screenshots go to test-results/.

let browser: Browser;
const shots = path.join(process.cwd(), "test-results", "route-filters");

beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function contextFor(role: DemoRole, locale: "en-US" | "zh-CN"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 1400, height: 1000 } });
  await signInAs(context, role);
  return { context, page: await context.newPage() };
}

const api = async <T,>(role: DemoRole, path: string): Promise<T> => {
  const response = await fetch(`${baseURL()}${path}`, { headers: { cookie: await sessionCookie(role) } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
};
/** The filters of the page's URL (without the table's own parameters). */
const filterQuery = (page: Page) => {
  const params = new URL(page.url()).searchParams;
  for (const name of ["page", "size", "sort"]) params.delete(name);
  return params.toString();
};
const casesTotal = (page: Page) => page.locator('[data-total="cases"] dd').textContent();
const chipTexts = (page: Page) => page.locator(".chips button.chip").allTextContents();

/** Opens the group (once hydrated), if it is not open. */
async function openGroup(page: Page) {
  const group = page.getByTestId("route-filters");
  await waitForHydration(group);
  if (!(await group.evaluate((d) => (d as HTMLDetailsElement).open))) await group.locator("summary").click();
  await group.locator(".route-panel").waitFor();
  return group;
}

/** After a change: the URL has it, the navigation finished, and the table's count is the API's for the same query. */
async function settled(page: Page, role: DemoRole, check: (url: URL) => boolean) {
  await page.waitForURL(check);
  await waitForExplorer(page);
  const query = filterQuery(page);
  const { total } = await api<{ total: number }>(role, `/api/cases?${query}&size=1`);
  await expect.poll(() => casesTotal(page)).toBe(total.toLocaleString("en-US"));
  return total;
}

describe("route and party filters in the filter bar", () => {
  it("set a port, an origin, an HS heading and a party from the controls: URL, chips and count follow, as the API counts", async () => {
    // values the data holds together: the busiest border port, its commonest origin, heading and a party of those cases
    const origin = sqlGet<{ code: string }>(`select origin_country as code from cases where deleted_at is null and port = 'ruili' and origin_country is not null
      group by 1 order by count(*) desc, 1 limit 1`).code;
    const hs = sqlGet<{ hs: string }>(`select hs_heading as hs from cases where deleted_at is null and port = 'ruili' and origin_country = ? and hs_heading is not null
      group by 1 order by count(*) desc, 1 limit 1`, origin).hs;
    const party = sqlAll<{ name: string }>(`select p.name as name from case_parties cp join parties p on p.id = cp.party_id join cases c on c.id = cp.case_id
      where c.deleted_at is null and c.port = 'ruili' and c.origin_country = ? and c.hs_heading = ? and p.kind <> 'person' order by p.name limit 1`, origin, hs)[0]!.name;
    const word = party.split(/\s+/).find((w) => /^[A-Za-z]{4,}$/.test(w)) ?? party;

    const { context, page } = await contextFor("analyst", "en-US");
    await page.goto(`${baseURL()}/cases`);
    const all = await settled(page, "analyst", () => true);
    const group = await openGroup(page);

    // a port, by keyboard: Space ticks it
    await group.getByRole("checkbox", { name: "Ruili", exact: true }).focus();
    await page.keyboard.press("Space");
    const byPort = await settled(page, "analyst", (url) => url.searchParams.getAll("port").join() === "ruili");
    expect(byPort).toBeLessThan(all);
    expect(await chipTexts(page)).toContain("Port: Ruili ×");
    await expect.poll(() => group.locator("summary .facet-badge").textContent()).toBe("1 selected");

    // an origin country: typed in part, chosen with the mouse
    await openGroup(page);
    const name = countryName(origin, "en");
    await group.getByRole("combobox", { name: "Origin country" }).fill(name.slice(0, 4));
    await group.getByRole("option", { name: new RegExp(`^${name}`) }).click();
    const byOrigin = await settled(page, "analyst", (url) => url.searchParams.getAll("origin").join() === origin);
    expect(byOrigin).toBeLessThanOrEqual(byPort);
    expect(await chipTexts(page)).toContain(`Origin country: ${name} ×`);
    // the field is empty again for another country, and kept the focus
    expect(await group.getByRole("combobox", { name: "Origin country" }).inputValue()).toBe("");

    // an HS heading: a bad one is named beside the field and changes nothing
    await openGroup(page);
    const heading = group.getByRole("textbox", { name: "HS heading" });
    await heading.fill("64031");
    await heading.press("Enter");
    const error = group.getByTestId("hs-error");
    await error.waitFor();
    expect(await error.textContent()).toBe("“64031” is not an HS heading: enter four digits, e.g. 6403.");
    expect(await heading.getAttribute("aria-invalid")).toBe("true");
    expect(new URL(page.url()).searchParams.has("hs")).toBe(false);
    await heading.fill(hs);
    await group.getByRole("button", { name: "Add", exact: true }).click();
    const byHs = await settled(page, "analyst", (url) => url.searchParams.getAll("hs").join() === hs);
    expect(byHs).toBeGreaterThan(0);
    expect(byHs).toBeLessThanOrEqual(byOrigin);
    expect(await error.count()).toBe(0);
    expect(await chipTexts(page)).toContain(`HS heading: ${hs} ×`);

    // a party: typed, applied once the typing pauses
    await openGroup(page);
    await group.getByRole("searchbox", { name: "Party" }).fill(word);
    const byParty = await settled(page, "analyst", (url) => url.searchParams.get("party") === word);
    expect(byParty).toBeGreaterThan(0);
    expect(byParty).toBeLessThanOrEqual(byHs);
    expect(await chipTexts(page)).toContain(`Party: ${word} ×`);
    expect(new URL(page.url()).searchParams.getAll("port")).toEqual(["ruili"]);
    await expect.poll(() => group.locator("summary .facet-badge").textContent()).toBe("4 selected");

    await openGroup(page);
    await page.screenshot({ path: path.join(shots, "cases-open-en.png") });
    await expectNoSeriousAxeViolations(page);

    // a chosen origin is taken away from inside the group, and the count follows
    await openGroup(page);
    await group.getByRole("button", { name: `Remove Origin country: ${name}` }).click();
    await settled(page, "analyst", (url) => !url.searchParams.has("origin"));
    await context.close();
  });

  it("on the dashboard: the group sets a port and an origin; the KPIs are /api/stats' for the same query", async () => {
    const { context, page } = await contextFor("analyst", "en-US");
    await page.goto(`${baseURL()}/`);
    const group = await openGroup(page);
    await group.getByRole("checkbox", { name: "Hekou", exact: true }).check();
    await page.waitForURL((url) => url.searchParams.getAll("port").join() === "hekou");
    await waitForExplorer(page);
    await openGroup(page);
    const origin = group.getByRole("combobox", { name: "Origin country" });
    await origin.fill("VN");
    // the names arrive with the panel's first opening (a chunk of their own): Enter picks the first match shown
    await group.getByRole("option", { name: /^Vietnam/ }).waitFor();
    await origin.press("Enter");
    await page.waitForURL((url) => url.searchParams.getAll("origin").join() === "VN");
    await waitForExplorer(page);
    const stats = await api<{ kpis: { cases: number } }>("analyst", `/api/stats?${filterQuery(page)}`);
    expect(filterQuery(page)).toBe("port=hekou&origin=VN");
    await expect.poll(() => page.locator('[data-kpi="cases"] .kpi-value').textContent()).toBe(stats.kpis.cases.toLocaleString("en-US"));
    expect(await chipTexts(page)).toEqual(["Port: Hekou ×", "Origin country: Vietnam ×"]);
    await context.close();
  });

  it("a member's counts under the route filters are its own company's, as the API gives them to the member", async () => {
    const { context, page } = await contextFor("member", "en-US");
    const origin = sqlGet<{ code: string }>(`select c.origin_country as code from cases c join case_right_holders l on l.case_id = c.id
      where l.right_holder_id = (select holder_id from "user" where email = 'member@demo.test') and c.deleted_at is null and c.origin_country is not null
      group by 1 order by count(*) desc, 1 limit 1`).code;
    await page.goto(`${baseURL()}/cases`);
    const group = await openGroup(page);
    // the group lists the ports (an enumeration) and no counts
    expect(await group.locator(".facet-count").count()).toBe(0);
    await group.getByRole("combobox", { name: "Origin country" }).fill(origin);
    await group.getByRole("option", { name: new RegExp(`^${countryName(origin, "en")}`) }).first().waitFor();
    await group.getByRole("combobox", { name: "Origin country" }).press("Enter");
    const mine = await settled(page, "member", (url) => url.searchParams.getAll("origin").join() === origin);
    expect(mine).toBeGreaterThan(0);
    const everyone = await api<{ total: number }>("analyst", `/api/cases?origin=${origin}&size=1`);
    expect(mine).toBeLessThan(everyone.total);
    await context.close();
  });

  it("the Chinese page names the controls, the ports and the countries in Chinese, passes axe, and a bad heading is said in Chinese", async () => {
    const { context, page } = await contextFor("analyst", "zh-CN");
    await page.goto(`${baseURL()}/cases?port=ruili`);
    const group = await openGroup(page);
    expect(await group.locator("summary").textContent()).toBe("路线与当事人已选1项");
    expect(await group.locator("legend").textContent()).toBe("进出境口岸");
    expect(await group.getByRole("checkbox", { name: "瑞丽", exact: true }).isChecked()).toBe(true);
    for (const value of ports.values.slice(0, 5)) await group.getByRole("checkbox", { name: ports.labels[value].zh, exact: true }).waitFor();
    const heading = group.getByRole("textbox", { name: "商品编码品目" });
    await heading.fill("12a");
    await heading.press("Enter");
    expect(await group.getByTestId("hs-error").textContent()).toBe("“12a”不是商品编码品目：请输入4位数字，例如6403。");
    expect(new URL(page.url()).searchParams.has("hs")).toBe(false);
    await group.getByRole("combobox", { name: "原产国（地区）" }).fill("越南");
    await group.getByRole("option", { name: /^越南/ }).waitFor();
    await page.screenshot({ path: path.join(shots, "cases-open-zh.png") });
    await group.getByRole("option", { name: /^越南/ }).click();
    await page.waitForURL((url) => url.searchParams.getAll("origin").join() === "VN");
    await waitForExplorer(page);
    expect(await chipTexts(page)).toEqual(["口岸：瑞丽 ×", "原产国（地区）：越南 ×"]);
    await openGroup(page);
    await expectNoSeriousAxeViolations(page);
    await context.close();
  });

  it("on a phone the group opens inside the filter drawer, within the screen's width", async () => {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signInAs(context, "analyst");
    const page = await context.newPage();
    await page.goto(`${baseURL()}/cases?port=ruili`);
    const opener = page.getByTestId("filter-drawer-button");
    await waitForHydration(opener);
    await opener.click();
    const group = await openGroup(page);
    const box = (await group.locator(".route-panel").boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await group.getByRole("checkbox", { name: "Ruili", exact: true }).isChecked()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(shots, "cases-open-phone.png") });
    await context.close();
  });

  it("Escape closes the group and gives the focus back to its button", async () => {
    const { context, page } = await contextFor("analyst", "en-US");
    await page.goto(`${baseURL()}/cases`);
    const group = await openGroup(page);
    // Escape in the country field closes its list of matches first, the group stays open
    const origin = group.getByRole("combobox", { name: "Origin country" });
    await origin.fill("viet");
    await group.getByRole("option", { name: /^Vietnam/ }).waitFor();
    await origin.press("Escape");
    await group.getByRole("listbox").waitFor({ state: "hidden" });
    expect(await group.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await group.getByRole("checkbox", { name: "Mohan", exact: true }).focus();
    await page.keyboard.press("Escape");
    expect(await group.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("SUMMARY");
    await context.close();
  });

  it("the API refuses an unknown origin code, naming the parameter", async () => {
    for (const path of ["/api/cases?origin=ZZ", "/api/stats?origin=ZZ"]) {
      const response = await fetch(`${baseURL()}${path}`, { headers: { cookie: await sessionCookie("analyst") } });
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain("origin");
    }
  });
});
