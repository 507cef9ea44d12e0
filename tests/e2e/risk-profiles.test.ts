import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, signInAs, sqlGet, waitForHydration } from "./support";

// Risk profiles (issue 18, item 4) in Chromium: an analyst saves the case table's filter as a
// risk profile ("Save as risk profile" beside the filter bar; a missing reason refused with
// nothing written); an admin enters a case that the filter selects; the profile shows the hit
// (its page, the list, the case page's "Risk profiles hit"); archive after confirming. Axe on
// every page, in both languages. A member gets 403 on every profile page and never sees the
// entry point or the profile's name.

const SHOTS = "/work/notes/shots";
const suffix = Date.now().toString(36);
const word = `zebrafalcon${suffix.replace(/[^a-z]/g, "")}`;
const profileName = `Zebra watch ${suffix}`;

let browser: Browser;
const contexts: BrowserContext[] = [];
async function context(role: "admin" | "analyst" | "member", locale: "en" | "zh" = "en"): Promise<Page> {
  const c = await browser.newContext({ locale: locale === "zh" ? "zh-CN" : "en-US", viewport: { width: 1440, height: 1000 } });
  if (locale === "zh") await c.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
  contexts.push(c);
  await signInAs(c, role);
  return c.newPage();
}

let profileId = 0;
let caseId = 0;
let caseNo = "";
let member: { holderId: number; name: string; country: string };

beforeAll(async () => {
  browser = await launchBrowser();
  member = sqlGet(`select h.id as holderId, h.name as name, h.country as country from user u join right_holders h on h.id = u.holder_id where u.email = 'member@demo.test'`);
  const last = sqlGet<{ no: string | null }>("select max(case_no) as no from cases where case_no like '0100-2026-5%'").no;
  caseNo = `0100-2026-${last ? Number(last.slice(-4)) + 1 : 5001}`;
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

describe("risk profiles", () => {
  it("an analyst saves the table's filter as a risk profile; a missing reason is refused first", async () => {
    const page = await context("analyst");
    await page.goto(`${baseURL()}/cases?q=${word}&type=trademark&sort=value.desc`);
    const entry = page.getByTestId("save-as-profile");
    expect(await entry.textContent()).toBe("Save as risk profile");
    await entry.click();
    await page.waitForURL(/\/risk\/profiles\/new\?/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("New risk profile");
    // the filter in words (the table's sort is not part of it)
    const filter = await page.getByTestId("profile-filter").textContent();
    expect(filter).toContain("Trademark");
    expect(filter).toContain(word);
    await expectNoSeriousAxeViolations(page);

    const submit = page.getByTestId("profile-submit");
    await waitForHydration(submit);
    const count = () => sqlGet<{ n: number }>("select count(*) as n from risk_profiles").n;
    const before = count();
    await page.locator("#profile-name").fill(profileName);
    await submit.click();
    await expect.poll(() => page.locator("#profile-reason-error").textContent()).toBe("This is required.");
    expect(await page.locator("#profile-name").inputValue()).toBe(profileName);
    expect(count()).toBe(before);

    await page.locator("#profile-reason").fill("Zebra-branded toys seen at three ports last month.");
    await page.locator("#profile-validTo").fill("2099-12-31");
    await submit.click();
    await page.waitForURL(/\/risk\/profiles\/\d+$/);
    profileId = Number(new URL(page.url()).pathname.split("/").pop());
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(profileName);
    expect(await page.getByTestId("profile-no-hits").isVisible()).toBe(true);
    const row = sqlGet<{ query: string; owner: string; validTo: string }>(
      "select p.query as query, u.email as owner, p.valid_to as validTo from risk_profiles p join user u on u.id = p.owner_id where p.id = ?", profileId);
    expect(row).toEqual({ query: `type=trademark&q=${word}`, owner: "analyst@demo.test", validTo: "2099-12-31" });
    await expectNoSeriousAxeViolations(page);
  });

  it("an admin enters a case the filter selects: the profile records the hit", async () => {
    const page = await context("admin");
    await page.goto(`${baseURL()}/cases/new`);
    const field = (name: string) => page.locator(`#case-${name}`);
    await waitForHydration(page.getByTestId("case-submit"));
    await field("caseNo").fill(caseNo);
    await field("seizedOn").fill("2026-01-15");
    await field("officeId").selectOption({ index: 1 });
    await field("infringementType").selectOption("trademark");
    await field("goodsCategory").selectOption("toys");
    await field("goodsDescription").fill(`Plush toys with the ${word} mark`);
    await field("pieces").fill("40");
    await field("valueYuan").fill("1,234.56");
    await field("direction").selectOption("import");
    await field("channel").selectOption("express");
    await field("transport").selectOption("air");
    await field("protectionMode").selectOption("on_application");
    await field("status").selectOption("detained");
    await field("rightHolderIds").fill(member.name);
    await page.getByRole("button", { name: `Add ${member.name} (${member.country})`, exact: true }).click();
    await page.getByTestId("case-submit").click();
    await page.waitForURL(/\/cases\/\d+\?saved=created$/);
    caseId = Number(new URL(page.url()).pathname.split("/").pop());
    // the case page's "Risk profiles hit" (staff)
    const section = page.getByTestId("case-profile-hits");
    expect(await section.getByRole("link", { name: profileName }).count()).toBe(1);
    expect(sqlGet<{ n: number }>("select count(*) as n from profile_hits where profile_id = ? and case_id = ?", profileId, caseId).n).toBe(1);
  });

  it("the profile shows its hit, value to the fen, in the list and on its page, in both languages", async () => {
    const page = await context("analyst");
    await page.goto(`${baseURL()}/risk/profiles/${profileId}`);
    expect(await page.getByTestId("profile-hits").textContent()).toBe("1");
    expect(await page.getByTestId("profile-value").textContent()).toBe("RMB 1,234.56");
    expect(await page.getByTestId("profile-hit-cases").getByRole("link", { name: caseNo }).getAttribute("href")).toBe(`/cases/${caseId}`);
    expect(await page.getByTestId("profile-hits-chart").count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/risk-profile.png`, fullPage: true });
    await expectNoSeriousAxeViolations(page);

    // a profile over the years: the backfill hits the cases recorded within its validity so far
    await page.goto(`${baseURL()}/risk/profiles/new?query=category%3Dtoys%26direction%3Dexport`);
    await waitForHydration(page.getByTestId("profile-submit"));
    await page.locator("#profile-name").fill(`Toys for export ${suffix}`);
    await page.locator("#profile-validFrom").fill("2018-01-01");
    await page.locator("#profile-reason").fill("Counterfeit toys leaving by every route.");
    await page.getByTestId("profile-submit").click();
    await page.waitForURL((url) => /\/risk\/profiles\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${profileId}`));
    const backfillId = Number(new URL(page.url()).pathname.split("/").pop());
    const expected = sqlGet<{ n: number }>(`select count(*) as n from cases c
      where c.deleted_at is null and c.goods_category = 'toys' and c.direction = 'export' and c.created_at >= ?`, Date.parse("2017-12-31T16:00:00Z")).n;
    expect(expected).toBeGreaterThan(0);
    expect(sqlGet<{ n: number }>("select count(*) as n from profile_hits where profile_id = ?", backfillId).n).toBe(expected);
    await page.screenshot({ path: `${SHOTS}/risk-profile-backfill.png`, fullPage: true });

    await page.goto(`${baseURL()}/risk/profiles`);
    const row = page.getByTestId(`profile-row-${profileId}`);
    expect(await row.getByRole("link", { name: profileName }).count()).toBe(1);
    expect(await row.locator("td").nth(2).textContent()).toBe("1"); // hits, 30 days
    await page.screenshot({ path: `${SHOTS}/risk-profiles.png`, fullPage: true });
    await expectNoSeriousAxeViolations(page);
    // the stopped-hitting filter lists the stale ones only: not this fresh one
    await page.getByTestId("profiles-show-stale").click();
    await page.waitForURL(/show=stale/);
    expect(await page.getByTestId(`profile-row-${profileId}`).count()).toBe(0);

    const zh = await context("analyst", "zh");
    await zh.goto(`${baseURL()}/risk/profiles`);
    expect(await zh.getByRole("heading", { level: 1 }).textContent()).toBe("风险布控");
    await expectNoSeriousAxeViolations(zh);
    await zh.goto(`${baseURL()}/risk/profiles/${profileId}`);
    expect(await zh.getByTestId("profile-value").textContent()).toBe("¥1,234.56");
    await zh.screenshot({ path: `${SHOTS}/risk-profile-zh.png`, fullPage: true });
    await expectNoSeriousAxeViolations(zh);
    await zh.goto(`${baseURL()}/risk/profiles/new?query=type%3Dtrademark`);
    await expectNoSeriousAxeViolations(zh);
  });

  it("a member gets 403 on every profile page and never sees the entry point or the profile's name", async () => {
    const page = await context("member");
    for (const path of ["/risk/profiles", "/risk/profiles/new?query=type%3Dtrademark", `/risk/profiles/${profileId}`, "/risk/profiles/99999999"]) {
      const response = await page.goto(`${baseURL()}${path}`);
      expect(response?.status(), path).toBe(403);
      expect(await page.content(), path).not.toContain(profileName);
    }
    await page.goto(`${baseURL()}/cases?q=${word}`);
    expect(await page.getByTestId("save-as-profile").count()).toBe(0);
    // the member's own case that the profile hit: no profile, no name
    const response = await page.goto(`${baseURL()}/cases/${caseId}`);
    expect(response?.status()).toBe(200);
    expect(await page.getByTestId("case-profile-hits").count()).toBe(0);
    expect(await page.content()).not.toContain(profileName);
  });

  it("the owner archives the profile after confirming: it is matched no more, its hit stays", async () => {
    const page = await context("analyst");
    await page.goto(`${baseURL()}/risk/profiles/${profileId}`);
    const archive = page.getByTestId("profile-archive");
    await waitForHydration(archive);
    await archive.click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.getByRole("heading").textContent()).toBe(`Archive “${profileName}”?`);
    await dialog.getByTestId("confirm-archive-profile").click();
    await expect.poll(() => page.getByTestId("profile-state").textContent()).toBe("Archived");
    expect(sqlGet<{ archived: number; version: number }>("select archived, version from risk_profiles where id = ?", profileId)).toEqual({ archived: 1, version: 2 });
    expect(await page.getByTestId("profile-hits").textContent()).toBe("1");
  });
});
