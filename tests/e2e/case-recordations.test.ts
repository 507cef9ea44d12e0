import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMonths, todayInBeijing } from "../../lib/recordations";
import { ensureRecordationFixtures, type RecordationFixtures } from "./recordation-fixtures";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, signInAs, sqlAll, sqlGet } from "./support";

// Cases and the recordations they rest on, in Chromium: an ex-officio case entered without a
// recordation is refused with the message, with one it saves and its page shows the link;
// the recordation filter (table, chip, dashboard agree); the dashboard's recordation panel,
// for an admin and (its own company's only) for a member.

let browser: Browser;
let admin: BrowserContext;
let member: BrowserContext;
let page: Page;
let memberPage: Page;
let fx: RecordationFixtures;

const office = () => sqlGet<{ id: number }>("select id from customs_offices where code = '8601'");
const holder = () => sqlGet<{ id: number; name: string; country: string }>("select id, name, country from right_holders order by id limit 1 offset 23");
const caseNo = `0100-2026-${String(5000 + (Date.now() % 4000)).padStart(4, "0")}`;
const caseCount = () => sqlGet<{ n: number }>("select count(*) as n from cases").n;

beforeAll(async () => {
  fx = ensureRecordationFixtures();
  browser = await launchBrowser();
  admin = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 1000 } });
  member = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 1000 } });
  await signInAs(admin, "admin");
  await signInAs(member, "member");
  page = await admin.newPage();
  memberPage = await member.newPage();
});
afterAll(async () => {
  await browser?.close();
});

const field = (name: string) => page.locator(`#case-${name}`);

async function submit() {
  const before = page.url();
  await page.getByTestId("case-submit").click();
  await Promise.race([
    page.getByTestId("error-summary").waitFor({ state: "visible" }),
    page.waitForURL((url) => url.toString() !== before),
  ]);
}

describe("cases and their recordations in Chromium", () => {
  let recordationId = 0;
  let recordationNumber = "";

  it("an ex-officio case without a recordation is refused with the message; with one it saves and shows the link", async () => {
    const h = holder();
    const r = sqlGet<{ id: number; number: string }>(
      "select id, number from recordations where holder_id = ? and status = 'approved' and valid_from <= '2025-03-14' and valid_to >= '2025-03-14' order by id limit 1",
      h.id,
    );
    recordationId = r.id;
    recordationNumber = r.number;
    await page.goto(`${baseURL()}/cases/new`);
    await field("caseNo").fill(caseNo);
    await field("seizedOn").fill("2025-03-14");
    await field("officeId").selectOption(String(office().id));
    await field("infringementType").selectOption("trademark");
    await field("goodsCategory").selectOption("apparel_footwear");
    await field("goodsDescription").fill("Counterfeit trainers, e2e recordation");
    await field("pieces").fill("40");
    await field("valueYuan").fill("4,000");
    await field("direction").selectOption("export");
    await field("channel").selectOption("express");
    await field("transport").selectOption("air");
    await field("protectionMode").selectOption("ex_officio");
    await field("status").selectOption("detained");
    await field("rightHolderIds").fill(h.name);
    await page.getByRole("button", { name: `Add ${h.name} (${h.country})`, exact: true }).click();

    const before = caseCount();
    await submit();
    const error = page.locator("#case-recordationIds-error");
    expect(await error.textContent()).toContain("An ex-officio case must name a customs recordation of one of its right holders that is valid on the seizure date (2025-03-14).");
    expect(await field("recordationIds").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByTestId("error-summary").textContent()).toContain("Customs recordations");
    expect(caseCount()).toBe(before);
    await expectNoSeriousAxeViolations(page);

    // another company's recordation is refused too (the summary stays on screen: wait for the new message)
    await field("recordationIds").selectOption(String(fx.other));
    await page.getByTestId("case-submit").click();
    await expect
      .poll(() => page.locator("#case-recordationIds-error").textContent(), { timeout: 20_000 })
      .toContain(`Recordation ${fx.otherNumber} belongs to none of the case's right holders.`);
    expect(caseCount()).toBe(before);

    await field("recordationIds").selectOption(String(recordationId));
    await submit();
    await page.waitForURL(/\/cases\/\d+\?saved=created$/);
    const id = Number(new URL(page.url()).pathname.split("/").pop());
    const links = page.getByTestId("case-recordations");
    expect(await links.textContent()).toContain(recordationNumber);
    expect(sqlAll<{ r: number }>("select recordation_id as r from case_recordations where case_id = ?", id).map((x) => x.r)).toEqual([recordationId]);
    await expectNoSeriousAxeViolations(page);
  });

  it("the recordation filter: the table's rows, its chip and the dashboard's KPI agree", async () => {
    const n = sqlGet<{ n: number }>(
      "select count(*) as n from case_recordations l join cases c on c.id = l.case_id where c.deleted_at is null and l.recordation_id = ?",
      recordationId,
    ).n;
    await page.goto(`${baseURL()}/cases?recordation=${recordationId}`);
    await expect.poll(() => page.getByTestId("pager-rows").textContent()).toMatch(new RegExp(`of ${n.toLocaleString("en-US")}$`));
    expect(await page.locator(`[data-testid="cases-table"] tbody tr[data-case-no="${caseNo}"]`).count()).toBe(1);
    await expect.poll(() => page.getByText(`Recordation: ${recordationNumber}`, { exact: false }).count()).toBeGreaterThan(0);
    await page.goto(`${baseURL()}/?recordation=${recordationId}`);
    expect(await page.locator('[data-kpi="cases"] .kpi-value').textContent()).toBe(n.toLocaleString("en-US"));
    // the cases resting on none: listed for completion
    const none = sqlGet<{ n: number }>("select count(*) as n from cases c where c.deleted_at is null and not exists (select 1 from case_recordations l where l.case_id = c.id)").n;
    await page.goto(`${baseURL()}/cases?recordation=none`);
    if (none === 0) await expect.poll(() => page.getByTestId("empty-state").count()).toBe(1);
    else await expect.poll(() => page.getByTestId("pager-rows").textContent()).toMatch(new RegExp(`of ${none.toLocaleString("en-US")}$`));
    await expect.poll(() => page.getByText("Recordation: none (to be completed)", { exact: false }).count()).toBeGreaterThan(0);
  });

  it("the dashboard panel: recordations expiring within 6 months and cases by recordation, each a link", async () => {
    await page.goto(`${baseURL()}/`);
    const panel = page.getByTestId("recordation-panel");
    await panel.scrollIntoViewIfNeeded();
    const today = todayInBeijing();
    const expiring = sqlGet<{ n: number }>(
      "select count(*) as n from recordations where status = 'approved' and valid_to >= ? and valid_to <= ?", today, addMonths(today, 6)).n;
    expect(expiring).toBeGreaterThan(0);
    expect(await page.getByTestId("recordations-expiring").locator("tbody tr").count()).toBe(Math.min(10, expiring));
    const top = sqlGet<{ id: number; n: number }>(
      `select l.recordation_id as id, count(*) as n from case_recordations l join cases c on c.id = l.case_id where c.deleted_at is null
       group by l.recordation_id order by count(*) desc limit 1`);
    const first = page.getByTestId("cases-by-recordation").locator("tbody tr").first();
    expect(await first.locator("td").first().textContent()).toBe(top.n.toLocaleString("en-US"));
    await panel.screenshot({ path: "/tmp/caserec-panel.png" });
    await expectNoSeriousAxeViolations(page);
    await first.getByRole("link").click();
    await page.waitForURL(/\/cases\?recordation=\d+/);
    await expect.poll(() => page.getByTestId("pager-rows").textContent()).toMatch(new RegExp(`of ${top.n.toLocaleString("en-US")}$`));
  });

  it("a member's panel shows its own company's recordations only", async () => {
    await memberPage.goto(`${baseURL()}/`);
    const panel = memberPage.getByTestId("recordation-panel");
    await panel.waitFor();
    const ids = await panel.locator("tbody tr[data-recordation]").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-recordation"))));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(sqlGet<{ h: number }>("select holder_id as h from recordations where id = ?", id).h).toBe(fx.memberHolder);
    expect(await panel.textContent()).not.toContain(fx.otherNumber);
    await panel.screenshot({ path: "/tmp/caserec-panel-member.png" });
    await expectNoSeriousAxeViolations(memberPage);
  });
});
