import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idCheckChar } from "../../lib/party-codes";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, signInAs, sqlAll, sqlGet } from "./support";

// Parties and route on a case (issue 18), in Chromium: an admin enters a case with a
// consignor (credit code checked as typed, a wrong check character named on the field and
// refused by the server), a consignee who is a natural person and a port; the case page shows
// the parties — the person's identity number in full to the admin, masked to the analyst — in
// English and Chinese, with axe on the form and the page; the case table's search box finds
// the case by a party's name or code, never by the person's number. Screenshots go to test-results/.

let browser: Browser;
const shots = path.join(process.cwd(), "test-results", "parties");

const PERSON_FIRST17 = "53310219880412" + String(Date.now() % 1000).padStart(3, "0");
const PERSON_ID = PERSON_FIRST17 + idCheckChar(PERSON_FIRST17);
const MASKED = "5331**********" + PERSON_ID.slice(-4);

function freshCaseNo(): string {
  const last = sqlGet<{ no: string | null }>("select max(case_no) as no from cases where case_no like '8600-2026-7%'").no;
  return `8600-2026-${last ? Number(last.slice(-4)) + 1 : 7001}`;
}

async function contextFor(role: "admin" | "analyst", locale: "en-US" | "zh-CN"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 1400, height: 1000 } });
  await signInAs(context, role);
  return { context, page: await context.newPage() };
}

let caseId = 0;

beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("parties and route", () => {
  it("an admin enters a case with parties: the credit code is checked as typed and by the server, the person's number is kept", async () => {
    const { context, page } = await contextFor("admin", "en-US");
    const office = sqlGet<{ id: number }>("select id from customs_offices where code = '8606'");
    const holder = sqlGet<{ name: string; country: string }>(`select name, country from right_holders where id <> coalesce((select holder_id from "user" where email = 'member@demo.test'), 0)
      order by id limit 1 offset 3`);
    await page.goto(`${baseURL()}/cases/new`);
    await page.getByTestId("case-parties").waitFor();
    const field = (name: string) => page.locator(`#case-${name}`);
    const caseNo = freshCaseNo();
    await field("caseNo").fill(caseNo);
    await field("seizedOn").fill("2026-05-06");
    await field("officeId").selectOption(String(office.id));
    await field("infringementType").selectOption("trademark");
    await field("goodsCategory").selectOption("apparel_footwear");
    await field("goodsDescription").fill("Counterfeit sports shoes, e2e parties");
    await field("pieces").fill("240");
    await field("valueYuan").fill("48000");
    await field("direction").selectOption("import");
    await field("channel").selectOption("general_freight");
    await field("transport").selectOption("road");
    await field("protectionMode").selectOption("on_application");
    await field("originCountry").fill("MM");
    await field("status").selectOption("detained");
    await field("rightHolderIds").fill(holder.name);
    await page.getByRole("button", { name: `Add ${holder.name} (${holder.country})`, exact: true }).click();

    await field("consignorKind").selectOption("enterprise");
    await field("consignorName").fill("Ruili Example Trading Co., Ltd.");
    // a wrong check character: said as typed, naming the field
    await field("consignorCode").fill("91350100M000100Y44");
    const live = page.getByTestId("party-code-live-consignor");
    await live.waitFor({ state: "visible" });
    expect(await live.textContent()).toContain("Consignor: code or ID number");
    expect(await live.textContent()).toContain("check character");
    await field("consigneeKind").selectOption("person");
    await field("consigneeName").fill("Duan Wei");
    await field("consigneeCode").fill(PERSON_ID);
    await field("consigneeAddress").fill("12 Jiegang Road, Ruili");
    await field("loadingPlace").fill("Muse");
    await field("port").selectOption("ruili");
    await field("hsHeading").fill("6403");
    await field("declaredDescription").fill("Sports shoes, no brand");
    await expectNoSeriousAxeViolations(page);
    await page.getByTestId("case-parties").screenshot({ path: path.join(shots, "form-en.png") });

    // the server refuses the same code, field by field, nothing written
    await page.getByTestId("case-submit").click();
    await page.getByTestId("error-summary").waitFor();
    expect(await page.locator("#case-consignorCode-error").textContent()).toContain("check character");
    expect(sqlGet<{ n: number }>("select count(*) as n from cases where case_no = ?", caseNo).n).toBe(0);

    // corrected (the standard's worked example), it saves
    await field("consignorCode").fill("91350100M000100Y43");
    await expect.poll(() => live.isHidden()).toBe(true);
    await page.getByTestId("case-submit").click();
    await page.waitForURL(/\/cases\/\d+\?saved=created/);
    caseId = Number(/\/cases\/(\d+)/.exec(page.url())![1]);
    // stored sealed: the number is nowhere in clear
    const party = sqlGet<{ sealed: string; masked: string }>(
      "select p.id_sealed as sealed, p.id_masked as masked from case_parties cp join parties p on p.id = cp.party_id where cp.case_id = ? and cp.role = 'consignee'", caseId);
    expect(party.sealed).not.toContain(PERSON_ID);
    expect(party.masked).toBe(MASKED);

    // the admin's page: the number in full
    const parties = page.getByTestId("case-parties");
    expect(await page.getByTestId("party-code-consignee").textContent()).toBe(PERSON_ID);
    expect(await page.getByTestId("party-code-consignor").textContent()).toBe("91350100M000100Y43");
    expect(await page.getByTestId("case-route").textContent()).toBe("Myanmar → Muse → Ruili");
    await expectNoSeriousAxeViolations(page);
    await parties.screenshot({ path: path.join(shots, "case-admin-en.png") });
    await context.close();
  });

  it("typing a party's name or code in the case table's search box finds its case; the person's number finds nothing", async () => {
    expect(caseId).toBeGreaterThan(0);
    const caseNo = sqlGet<{ no: string }>("select case_no as no from cases where id = ?", caseId).no;
    const { context, page } = await contextFor("analyst", "en-US");
    await page.goto(`${baseURL()}/cases`);
    const box = page.locator('.filter-bar input[name="q"]');
    const row = page.locator("td", { hasText: caseNo });
    for (const typed of ["Ruili Example Trading", "Duan Wei", "9135-0100-M000-100y43"]) {
      await box.fill(typed);
      await page.waitForURL((url) => url.searchParams.get("q") === typed);
      await row.first().waitFor();
    }
    await page.screenshot({ path: path.join(shots, "search-by-party-en.png") });
    // the consignee's identity number, in full: nothing (it is in no index)
    await box.fill(PERSON_ID);
    await page.waitForURL((url) => url.searchParams.get("q") === PERSON_ID);
    await page.getByTestId("empty-state").waitFor();
    await context.close();
  });

  it("finds the seeded demo's cases by a party's name, as the seed left the index", async () => {
    // a consignee enterprise of the demo seed with the fewest cases, and a name no other party shares
    const party = sqlGet<{ id: number; name: string }>(`select p.id, p.name from parties p join case_parties cp on cp.party_id = p.id join cases c on c.id = cp.case_id
      where p.kind = 'enterprise' and c.case_no not like '8600-2026-7%' and c.deleted_at is null
        and (select count(*) from parties o where o.name = p.name) = 1
      group by p.id, p.name order by count(*), p.id limit 1`);
    const linked = sqlAll<{ no: string }>(`select c.case_no as no from case_parties cp join cases c on c.id = cp.case_id
      where cp.party_id = ? and c.deleted_at is null order by c.case_no`, party.id).map((r) => r.no);
    const context = await browser.newContext({ locale: "en-US" });
    await signInAs(context, "analyst");
    const body = (await (await context.request.get(`${baseURL()}/api/cases?q=${encodeURIComponent(party.name)}&size=200`)).json()) as { rows: { caseNo: string }[]; total: number };
    const found = body.rows.map((r) => r.caseNo);
    for (const no of linked) expect(found, party.name).toContain(no);
    await context.close();
  });

  it("the analyst sees the person's number masked, in English and in Chinese, and the page passes axe", async () => {
    expect(caseId).toBeGreaterThan(0);
    for (const locale of ["en-US", "zh-CN"] as const) {
      const { context, page } = await contextFor("analyst", locale);
      const response = await page.goto(`${baseURL()}/cases/${caseId}`);
      expect(response?.status()).toBe(200);
      expect(await page.getByTestId("party-code-consignee").textContent()).toBe(MASKED);
      const html = await page.content();
      expect(html).not.toContain(PERSON_ID);
      if (locale === "zh-CN") {
        expect(await page.getByTestId("case-parties").locator("h2").textContent()).toBe("当事人与运输路线");
        expect(await page.getByTestId("case-route").textContent()).toBe("缅甸 → Muse → 瑞丽");
      }
      await expectNoSeriousAxeViolations(page);
      await page.getByTestId("case-parties").screenshot({ path: path.join(shots, `case-analyst-${locale}.png`) });
      await context.close();
    }
  });

  it("the Chinese form names the parties' fields in Chinese and passes axe", async () => {
    const { context, page } = await contextFor("admin", "zh-CN");
    await page.goto(`${baseURL()}/cases/new`);
    await page.getByTestId("case-parties").waitFor();
    expect(await page.getByTestId("case-parties").locator("legend").first().textContent()).toBe("当事人与运输路线");
    await page.locator("#case-consignorKind").selectOption("enterprise");
    await page.locator("#case-consignorCode").fill("91350100M000100Y44");
    await page.locator("#case-consignorCode").blur();
    const live = page.getByTestId("party-code-live-consignor");
    await live.waitFor({ state: "visible" });
    expect(await live.textContent()).toContain("校验码");
    await expectNoSeriousAxeViolations(page);
    await page.getByTestId("case-parties").screenshot({ path: path.join(shots, "form-zh.png") });
    await context.close();
  });

  it("a member gets no page for another company's case, so none of its parties", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    await signInAs(context, "member");
    const page = await context.newPage();
    const response = await page.goto(`${baseURL()}/cases/${caseId}`);
    // the case names a right holder other than the demo member's company (chosen so above)
    expect(response?.status()).toBe(404);
    expect(await page.content()).not.toContain("Duan Wei");
    const api = await context.request.get(`${baseURL()}/api/cases?party=Duan`);
    if (api.status() === 200) expect(await api.text()).not.toContain("Duan Wei");
    await context.close();
  });
});
