import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, sqlGet, signInAs, waitForHydration } from "./support";

// An admin enters a case in Chromium: bad input refused field by field with nothing written
// and nothing typed lost, the saved case in the table, the dashboard and its page; an edit
// with its history; two edits from the same version (the second refused, naming who changed
// it); delete with a confirmation step, the deleted list, restore. Analysts cannot get in.

let browser: Browser;
let context: BrowserContext;
let page: Page;

const sql = sqlGet;
const caseCount = () => sql<{ n: number }>("select count(*) as n from cases").n;

/** A case number of the 0100-2026-9xxx series no other test uses, not yet taken in this database. */
function freshCaseNo(): string {
  const last = sql<{ no: string | null }>("select max(case_no) as no from cases where case_no like '0100-2026-9%'").no;
  return `0100-2026-${last ? Number(last.slice(-4)) + 1 : 9001}`;
}

// reference data picked through SQL, whatever ids the seed gave them
let office: { id: number; code: string; name: string };
let holders: { id: number; name: string; country: string }[];
let campaign: { id: number };
let takenCaseNo: string;
let caseNo: string;
let caseId: number;

beforeAll(async () => {
  office = sql("select id, code, name_en as name from customs_offices where code = '8601'");
  holders = [0, 1].map((i) => sql("select id, name, country from right_holders order by id limit 1 offset ?", 10 + i * 7));
  campaign = sql("select id from campaigns order by starts_on limit 1");
  takenCaseNo = sql<{ no: string }>("select case_no as no from cases where deleted_at is null order by id limit 1").no;
  caseNo = freshCaseNo();
  browser = await launchBrowser();
  context = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 1000 } });
  await signInAs(context, "admin");
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

const field = (name: string) => page.locator(`#case-${name}`);
const errorOf = (name: string) => page.locator(`#case-${name}-error`);
const chips = (p: Page = page) => p.getByTestId("chosen-holders").locator("li");

async function addHolder(h: { name: string; country: string }) {
  await field("rightHolderIds").fill(h.name);
  await page.getByRole("button", { name: `Add ${h.name} (${h.country})`, exact: true }).click();
}

/** Submits the case form and waits for the server's answer (an error summary, or another page). */
async function submit(p: Page = page) {
  const before = p.url();
  await p.getByTestId("case-submit").click();
  await Promise.race([
    p.getByTestId("error-summary").waitFor({ state: "visible" }),
    p.getByTestId("form-message").waitFor({ state: "visible" }),
    p.waitForURL((url) => url.toString() !== before),
  ]);
  await p.waitForLoadState("networkidle");
}

const detail = (label: string) => page.locator(".fields > div", { has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("dd");

describe("case entry by an admin", () => {
  it("offers a form where every field has a label, and it passes axe", async () => {
    const response = await page.goto(`${baseURL()}/cases/new`);
    expect(response?.status()).toBe(200);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("New case");
    for (const label of [
      "Case number", "Seized on", "Customs office", "Infringement type", "Goods category", "Description of the goods", "Pieces",
      "Value (RMB yuan)", "Direction", "Channel", "Transport", "Protection mode", "Country of origin", "Country of destination",
      "Campaign", "Status", "Disposal of the goods", "Penalty (RMB yuan)", "A hearing was held", "Referred to the police", "Notes",
      "Find a right holder",
    ]) {
      expect(await page.getByLabel(label, { exact: false }).count(), label).toBeGreaterThan(0);
    }
    // the office picker: districts as groups, each led by the district's own office
    const group = page.locator(`#case-officeId optgroup[label="Kunming (8600)"]`);
    expect(await group.locator("option").first().textContent()).toBe("Kunming (8600)");
    expect(await group.locator("option").allTextContents()).toContain(`${office.name} (${office.code})`);
    await expectNoSeriousAxeViolations(page);
  });

  it("refuses pieces 0 with a message next to the field, keeps what was typed, and writes nothing", async () => {
    await field("caseNo").fill(caseNo);
    await field("seizedOn").fill("2025-03-14");
    await field("officeId").selectOption(String(office.id));
    await field("infringementType").selectOption("trademark");
    await field("goodsCategory").selectOption("apparel_footwear");
    await field("goodsDescription").fill("Counterfeit running shoes, e2e case entry");
    await field("pieces").fill("0");
    await field("valueYuan").fill("6,250,000.5");
    await field("direction").selectOption("export");
    await field("channel").selectOption("express");
    await field("transport").selectOption("air");
    await field("protectionMode").selectOption("ex_officio");
    await field("originCountry").fill("cn");
    await field("destinationCountry").fill("US");
    await field("campaignId").selectOption(String(campaign.id));
    await field("status").selectOption("penalised");
    await field("disposal").selectOption("destroyed");
    await field("penaltyYuan").fill("12,000");
    await field("hearingHeld").check();
    await field("referredToPolice").check();
    await field("notes").fill("Seen twice on the same route.");
    for (const h of holders) await addHolder(h);
    expect(await chips().count()).toBe(2);

    const before = caseCount();
    await submit();
    expect(await errorOf("pieces").textContent()).toContain("There must be at least 1 piece.");
    expect(await field("pieces").getAttribute("aria-invalid")).toBe("true");
    expect(await field("pieces").getAttribute("aria-describedby")).toContain("case-pieces-error");
    expect(await page.getByTestId("error-summary").textContent()).toContain("Pieces");
    // what the admin typed is still there
    expect(await field("caseNo").inputValue()).toBe(caseNo);
    expect(await field("seizedOn").inputValue()).toBe("2025-03-14");
    expect(await field("officeId").inputValue()).toBe(String(office.id));
    expect(await field("goodsCategory").inputValue()).toBe("apparel_footwear");
    expect(await field("goodsDescription").inputValue()).toBe("Counterfeit running shoes, e2e case entry");
    expect(await field("pieces").inputValue()).toBe("0");
    expect(await field("valueYuan").inputValue()).toBe("6,250,000.5");
    expect(await field("channel").inputValue()).toBe("express");
    // the country picker took the typed code and shows the country's name; the form posts the code
    expect(await field("originCountry").inputValue()).toBe("China");
    expect(await page.locator('input[name="originCountry"]').inputValue()).toBe("CN");
    expect(await field("campaignId").inputValue()).toBe(String(campaign.id));
    expect(await field("status").inputValue()).toBe("penalised");
    expect(await field("disposal").inputValue()).toBe("destroyed");
    expect(await field("penaltyYuan").inputValue()).toBe("12,000");
    expect(await field("hearingHeld").isChecked()).toBe(true);
    expect(await field("referredToPolice").isChecked()).toBe(true);
    expect(await field("notes").inputValue()).toBe("Seen twice on the same route.");
    expect(await chips().count()).toBe(2);
    expect(caseCount()).toBe(before);
    await expectNoSeriousAxeViolations(page);
  });

  it("refuses a negative value, a future date and no right holder, each with its message", async () => {
    const before = caseCount();
    await field("pieces").fill("1200");
    await field("valueYuan").fill("-1");
    await field("seizedOn").fill("2099-01-01");
    while ((await chips().count()) > 0) await chips().first().getByRole("button").click();
    await submit();
    expect(await errorOf("valueYuan").textContent()).toContain("Cannot be negative.");
    expect(await errorOf("seizedOn").textContent()).toContain("Cannot be after today");
    expect(await errorOf("rightHolderIds").textContent()).toContain("Choose at least one right holder.");
    expect(await errorOf("pieces").count()).toBe(0);
    expect(caseCount()).toBe(before);
  });

  it("refuses a case number already taken and an office that does not exist", async () => {
    const before = caseCount();
    await field("valueYuan").fill("6,250,000.5");
    await field("seizedOn").fill("2025-03-14");
    for (const h of holders) await addHolder(h);
    await field("caseNo").fill(takenCaseNo);
    await submit();
    expect(await errorOf("caseNo").textContent()).toContain(`Another case already has the number ${takenCaseNo}.`);
    expect(caseCount()).toBe(before);

    await field("caseNo").fill(caseNo);
    // an office id the list does not offer (a stale page, a forged post)
    await field("officeId").evaluate((select: HTMLSelectElement) => select.add(new Option("Nowhere (9999)", "99999999")));
    await field("officeId").selectOption("99999999");
    await submit();
    expect(await errorOf("officeId").textContent()).toContain("There is no such customs office");
    expect(caseCount()).toBe(before);
  });

  it("saves the corrected case and lands on it; the table and the dashboard find it", async () => {
    await field("officeId").selectOption(String(office.id));
    // an ex-officio case rests on a recordation of one of its holders valid on the seizure date
    const recordation = sql<{ id: number }>(
      "select id from recordations where holder_id = ? and status = 'approved' and valid_from <= '2025-03-14' and valid_to >= '2025-03-14' order by id limit 1",
      holders[0]!.id,
    );
    await field("recordationIds").selectOption(String(recordation.id));
    await submit();
    await page.waitForURL(/\/cases\/\d+\?saved=created$/);
    caseId = Number(new URL(page.url()).pathname.split("/").pop());
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`Case ${caseNo}`);
    expect(await page.getByTestId("saved-notice").textContent()).toBe(`Case ${caseNo} was created.`);
    expect(await detail("Pieces").textContent()).toBe("1,200");
    expect(await detail("Value").textContent()).toBe("RMB 6,250,000.50");
    expect(await detail("Penalty").textContent()).toBe("RMB 12,000.00");
    expect(await page.getByTestId("case-holders").locator("li").count()).toBe(2);
    const row = sql<Record<string, unknown>>("select * from cases where id = ?", caseId);
    expect(row).toMatchObject({
      case_no: caseNo, office_id: office.id, seized_on: "2025-03-14", pieces: 1200, value_fen: 625_000_050, origin_country: "CN",
      destination_country: "US", campaign_id: campaign.id, status: "penalised", disposal: "destroyed", hearing_held: 1,
      referred_to_police: 1, penalty_fen: 1_200_000, notes: "Seen twice on the same route.", version: 1, deleted_at: null,
    });
    expect(await page.getByTestId("case-history").locator("li").first().textContent()).toContain("Created by admin@demo.test");

    await page.goto(`${baseURL()}/cases?q=${caseNo}`);
    await expect.poll(() => page.getByTestId("pager-rows").textContent()).toBe("Rows 1–1 of 1");
    expect(await page.locator(`[data-testid="cases-table"] tbody tr[data-case-no="${caseNo}"]`).count()).toBe(1);

    await page.goto(`${baseURL()}/?q=${caseNo}`);
    expect(await page.locator('[data-kpi="cases"] .kpi-value').textContent()).toBe("1");
  });

  it("edits the case: the page shows the new value and the history the change", async () => {
    await page.goto(`${baseURL()}/cases/${caseId}`);
    await page.getByTestId("edit-case").click();
    await page.waitForURL(`${baseURL()}/cases/${caseId}/edit`);
    expect(await field("pieces").inputValue()).toBe("1200");
    expect(await field("valueYuan").inputValue()).toBe("6250000.50");
    expect(await chips().count()).toBe(2);
    await expectNoSeriousAxeViolations(page);
    await field("pieces").fill("1500");
    await submit();
    await page.waitForURL(`${baseURL()}/cases/${caseId}?saved=updated`);
    expect(await detail("Pieces").textContent()).toBe("1,500");
    const edited = page.getByTestId("case-history").locator('li[data-action="update"]').first();
    expect(await edited.textContent()).toContain("Edited by admin@demo.test");
    const change = edited.locator('tr[data-field="pieces"]');
    expect(await change.locator("td").allTextContents()).toEqual(["1,200", "1,500"]);
    expect(sql<{ pieces: number; version: number }>("select pieces, version from cases where id = ?", caseId)).toEqual({ pieces: 1500, version: 2 });
  });

  it("refuses the second of two edits made from the same version, naming who changed it, and shows the newer case with the user's changes", async () => {
    const other = await context.newPage();
    await page.goto(`${baseURL()}/cases/${caseId}/edit`);
    await other.goto(`${baseURL()}/cases/${caseId}/edit`);

    await field("pieces").fill("1600");
    await submit();
    await page.waitForURL(`${baseURL()}/cases/${caseId}?saved=updated`);

    await other.locator("#case-pieces").fill("1700");
    await other.locator("#case-goodsDescription").fill("Changed in the second window");
    await submit(other);
    const message = other.getByTestId("form-message");
    expect(await message.textContent()).toContain("admin@demo.test changed this case on");
    expect(await message.textContent()).toContain("Nothing was saved");
    expect(sql<{ pieces: number; version: number; goods_description: string }>("select pieces, version, goods_description from cases where id = ?", caseId))
      .toEqual({ pieces: 1600, version: 3, goods_description: "Counterfeit running shoes, e2e case entry" });
    // the form reloads the case as it is now, at the version it can be saved against, with the
    // user's own changes in it (tests/e2e/merge.test.ts keeps theirs field by field)
    await expect.poll(() => other.getByTestId("edit-version").textContent()).toContain("version 3");
    await other.getByTestId("merge-table").waitFor();
    expect(await other.getByTestId("merge-table").locator('tr[data-field="pieces"] td[data-side="yours"]').textContent()).toContain("1700");
    expect(await other.locator("#case-pieces").inputValue()).toBe("1700");
    expect(await other.locator("#case-goodsDescription").inputValue()).toBe("Changed in the second window");
    await expectNoSeriousAxeViolations(other);
    await other.close();
  });

  it("deletes the case after a confirmation: it leaves the table and is listed as deleted", async () => {
    await page.goto(`${baseURL()}/cases/${caseId}`);
    const dialog = page.getByRole("dialog");
    // a click before hydration would reach the bare button and open nothing
    await waitForHydration(page.getByTestId("delete-case"));
    await page.getByTestId("delete-case").click();
    await dialog.waitFor();
    expect(await dialog.getByRole("heading").textContent()).toBe(`Delete case ${caseNo}?`);
    // Escape closes it without deleting; the keyboard reaches the confirmation
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(sql<{ d: number | null }>("select deleted_at as d from cases where id = ?", caseId).d).toBeNull();

    await page.getByTestId("delete-case").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // focus starts on the safe choice
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Keep the case");
    await expectNoSeriousAxeViolations(page);
    await page.getByTestId("confirm-delete").click();
    await page.waitForURL(/\/cases(\?.*)?$/);
    expect(await page.getByTestId("deleted-notice").textContent()).toContain(`Case ${caseNo} was deleted.`);
    // the notice is said once: filtering the table afterwards does not repeat it
    await expect.poll(() => new URL(page.url()).searchParams.has("deleted")).toBe(false);
    expect(sql<{ d: number | null }>("select deleted_at as d from cases where id = ?", caseId).d).not.toBeNull();

    await page.goto(`${baseURL()}/cases?q=${caseNo}`);
    await expect.poll(() => page.getByTestId("empty-state").isVisible()).toBe(true);
    expect((await page.goto(`${baseURL()}/cases/${caseId}`))?.status()).toBe(404);

    await page.goto(`${baseURL()}/admin/deleted`);
    const row = page.locator(`[data-testid="deleted-table"] tr[data-case-no="${caseNo}"]`);
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain("admin@demo.test");
    expect(await row.textContent()).toContain(`${office.name} (${office.code})`);
    await expectNoSeriousAxeViolations(page);
  });

  it("restores the case with its history", async () => {
    await page.getByRole("button", { name: `Restore case ${caseNo}` }).click();
    await page.waitForURL(`${baseURL()}/admin/deleted?restored=${caseId}`);
    expect(await page.locator(`[data-testid="deleted-table"] tr[data-case-no="${caseNo}"]`).count()).toBe(0);
    await page.getByTestId("restored-notice").getByRole("link", { name: `Open case ${caseNo}` }).click();
    await page.waitForURL(`${baseURL()}/cases/${caseId}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`Case ${caseNo}`);
    const actions = await page.getByTestId("case-history").locator("li").evaluateAll((items) => items.map((li) => li.getAttribute("data-action")));
    expect(actions).toEqual(["restore", "delete", "update", "update", "create"]);
    expect(await page.getByTestId("case-history").locator("li").first().textContent()).toContain("Restored by admin@demo.test");

    await page.goto(`${baseURL()}/cases?q=${caseNo}`);
    await expect.poll(() => page.getByTestId("pager-rows").textContent()).toBe("Rows 1–1 of 1");
  });

  it("keeps analysts out of case entry, and shows them the changes but no admin buttons", async () => {
    const analyst = await browser.newContext({ locale: "en-US" });
    await signInAs(analyst, "analyst");
    const p = await analyst.newPage();
    expect((await p.goto(`${baseURL()}/cases/new`))?.status()).toBe(403);
    expect((await p.goto(`${baseURL()}/cases/${caseId}/edit`))?.status()).toBe(403);
    expect((await p.goto(`${baseURL()}/admin/deleted`))?.status()).toBe(403);
    expect((await p.goto(`${baseURL()}/cases/${caseId}`))?.status()).toBe(200);
    expect(await p.getByTestId("edit-case").count()).toBe(0);
    expect(await p.getByTestId("delete-case").count()).toBe(0);
    expect(await p.getByTestId("case-history").locator('tr[data-field="pieces"]').count()).toBeGreaterThan(0);
    await p.goto(`${baseURL()}/cases`);
    expect(await p.getByTestId("new-case").count()).toBe(0);
    await analyst.close();
  });

  it("shows the form and its messages in Chinese", async () => {
    const zh = await browser.newContext({ locale: "zh-CN" });
    await zh.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
    await signInAs(zh, "admin");
    const p = await zh.newPage();
    await p.goto(`${baseURL()}/cases/new`);
    expect(await p.getByRole("heading", { level: 1 }).textContent()).toBe("新建案件");
    // the country picker, by keyboard: a name in Chinese, the arrow to the second match, Enter
    await waitForHydration(p.locator("#case-destinationCountry"));
    await p.locator("#case-destinationCountry").fill("德");
    await expect.poll(() => p.locator("#case-destinationCountry-list li").count()).toBeGreaterThan(1);
    const second = await p.locator("#case-destinationCountry-list li").nth(1).getAttribute("data-code");
    await p.keyboard.press("ArrowDown");
    expect(await p.locator("#case-destinationCountry").getAttribute("aria-activedescendant")).toBe(`case-destinationCountry-opt-${second}`);
    await p.keyboard.press("Enter");
    expect(await p.locator('input[name="destinationCountry"]').inputValue()).toBe(second);
    // a date as Chinese users write it reads as YYYY-MM-DD
    await p.locator("#case-seizedOn").fill("2025年3月14日");
    await p.locator("#case-pieces").fill("0");
    expect(await p.locator("#case-seizedOn").inputValue()).toBe("2025-03-14");
    await submit(p);
    expect(await p.locator("#case-pieces-error").textContent()).toContain("数量至少为 1 件。");
    expect(await p.locator("#case-seizedOn-error").count()).toBe(0);
    expect(await p.locator("#case-rightHolderIds-error").textContent()).toContain("请至少选择一个权利人。");
    await expectNoSeriousAxeViolations(p);
    await zh.close();
  });
});
