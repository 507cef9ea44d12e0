import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, addMonths, defaultValidTo, renewedValidTo, todayInBeijing } from "../../lib/recordations";
import { ensureRecordationFixtures, PNG_1x1, type RecordationFixtures } from "./recordation-fixtures";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, sessionCookie, signInAs, sqlAll, sqlGet, waitForHydration } from "./support";

// Recordations in Chromium: a member records a right of its company (with the mark's image),
// an admin approves it, the member renews it in its last six months; the list filters by the
// derived state; a member never sees another company's recordation or its image (404).

let browser: Browser;
let member: BrowserContext;
let admin: BrowserContext;
let memberPage: Page;
let adminPage: Page;
let fx: RecordationFixtures;

// unique per run: the e2e database lives on between runs of single files
const number = `T2016-${String(Date.now() % 100_000).padStart(5, "0")}`;
// approved ten years ago less three months: its recordation ends within six months
const validFrom = addDays(addMonths(todayInBeijing(), -117), 0);
const validTo = defaultValidTo(validFrom);

beforeAll(async () => {
  fx = ensureRecordationFixtures();
  browser = await launchBrowser();
  member = await browser.newContext({ locale: "en-US", viewport: { width: 1300, height: 900 } });
  admin = await browser.newContext({ locale: "en-US", viewport: { width: 1300, height: 900 } });
  await signInAs(member, "member");
  await signInAs(admin, "admin");
  memberPage = await member.newPage();
  adminPage = await admin.newPage();
});
afterAll(async () => {
  await browser?.close();
});

const row = () => sqlGet<{ id: number; status: string; holderId: number; validTo: string; parties: number; image: number } | undefined>(
  `select r.id, r.status, r.holder_id as holderId, r.valid_to as validTo,
     (select count(*) from recordation_parties p where p.recordation_id = r.id) as parties,
     (select count(*) from recordation_images i where i.recordation_id = r.id) as image
   from recordations r where r.number = ?`,
  number,
);

describe("recordations in Chromium", () => {
  it("the member's list shows its own company's recordations only, reached from the navigation", async () => {
    await memberPage.goto(`${baseURL()}/`);
    await memberPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Recordations" }).click();
    await memberPage.waitForURL(/\/recordations$/);
    await expect.poll(() => memberPage.getByRole("heading", { level: 1 }).textContent()).toBe("Recordations");
    const table = memberPage.getByTestId("recordations-table");
    await expect.poll(() => table.locator("tr[data-recordation='T2020-90001']").count()).toBe(1);
    expect(await table.locator(`tr[data-recordation='${fx.otherNumber}']`).count()).toBe(0);
    // a holder filter naming another company shows nothing of it
    await memberPage.goto(`${baseURL()}/recordations?holder=${fx.otherHolder}`);
    await expect.poll(() => memberPage.getByTestId("recordations-empty").count()).toBe(1);
    await memberPage.goto(`${baseURL()}/recordations`);
    await expectNoSeriousAxeViolations(memberPage);
  });

  it("a member records a right: refused with a clear message first, then pending with its image and licensee", async () => {
    await memberPage.goto(`${baseURL()}/recordations/new`);
    const form = memberPage.getByTestId("create-recordation");
    await waitForHydration(form.getByRole("button", { name: "Record" }));
    await expectNoSeriousAxeViolations(memberPage);
    await form.getByLabel("Recordation number").fill("2016-1");
    await form.getByLabel("Registration number of the right").fill("12345678");
    await form.getByLabel("Mark or title (English)").fill("E2E MARK");
    await form.getByLabel("Classes").fill("25, 18");
    await form.getByLabel("Valid from").fill(validFrom);
    await form.getByLabel("Licensees").fill("E2E Licensee (Shanghai) Co., Ltd.");
    await form.getByLabel("Image of the mark").setInputFiles({ name: "mark.png", mimeType: "image/png", buffer: PNG_1x1 });
    await form.getByRole("button", { name: "Record" }).click();
    await expect.poll(() => form.locator(".field-error").first().textContent()).toContain("a letter, the year and five digits");
    expect(row()).toBeUndefined();
    await memberPage.screenshot({ path: "/tmp/recordation-form-refused.png", fullPage: true });
    // what was typed is still there; the number corrected, the image chosen again
    expect(await form.getByLabel("Mark or title (English)").inputValue()).toBe("E2E MARK");
    await form.getByLabel("Recordation number").fill(number);
    await form.getByLabel("Image of the mark").setInputFiles({ name: "mark.png", mimeType: "image/png", buffer: PNG_1x1 });
    await form.getByRole("button", { name: "Record" }).click();
    await expect.poll(() => form.getByRole("status").textContent()).toContain(`Recorded ${number}`);
    expect(row()).toMatchObject({ status: "pending", holderId: fx.memberHolder, validTo, parties: 1, image: 1 });
    await form.getByTestId("open-created").click();
    await memberPage.waitForURL(/\/recordations\/\d+$/);
    await expect.poll(() => memberPage.locator("h1 [data-state]").textContent()).toBe("Awaiting approval");
    await expect.poll(() => memberPage.getByTestId("recordation-image").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    expect(await memberPage.getByTestId("recordation-parties").textContent()).toContain("E2E Licensee (Shanghai) Co., Ltd.");
    // pending: not renewable yet, and no admin decision for a member
    expect(await memberPage.getByTestId("renew-not-now").textContent()).toContain("Only an approved recordation");
    expect(await memberPage.getByTestId("approve-form").count()).toBe(0);
    await expectNoSeriousAxeViolations(memberPage);
    await memberPage.screenshot({ path: "/tmp/recordation-detail-member.png", fullPage: true });
  });

  it("an admin approves it after confirming; it shows as expiring within 6 months", async () => {
    const id = row()!.id;
    await adminPage.goto(`${baseURL()}/recordations/${id}`);
    const approve = adminPage.getByTestId("approve-form");
    await waitForHydration(approve.getByRole("button", { name: "Approve" }));
    await expectNoSeriousAxeViolations(adminPage);
    // without the confirmation the browser refuses to submit; with it, approved
    await approve.getByLabel("approve this recordation").check();
    await approve.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => adminPage.locator("h1 [data-state]").textContent()).toBe("Expiring within 6 months");
    expect(row()!.status).toBe("approved");
    await adminPage.goto(`${baseURL()}/recordations?state=expiring`);
    await expect.poll(() => adminPage.locator(`tr[data-recordation='${number}']`).count()).toBe(1);
    await adminPage.screenshot({ path: "/tmp/recordations-list-admin.png", fullPage: true });
  });

  it("the member renews it for ten more years, with the keyboard", async () => {
    const id = row()!.id;
    await memberPage.goto(`${baseURL()}/recordations/${id}`);
    const renew = memberPage.getByTestId("renew-form");
    const confirm = renew.getByRole("checkbox");
    await waitForHydration(confirm);
    await confirm.focus();
    await memberPage.keyboard.press("Space");
    await memberPage.keyboard.press("Tab");
    await memberPage.keyboard.press("Enter");
    const renewed = renewedValidTo(validTo);
    await expect.poll(() => memberPage.getByTestId("valid-to").textContent()).toBe(renewed);
    expect(row()!.validTo).toBe(renewed);
    await expect.poll(() => memberPage.locator("h1 [data-state]").textContent()).toBe("Valid");
  });

  it("a member never sees another company's recordation or its image: 404 as for none", async () => {
    await memberPage.goto(`${baseURL()}/recordations/${fx.other}`);
    await expect.poll(() => memberPage.getByRole("heading", { level: 1 }).textContent()).toBe("Recordation not found");
    expect(await memberPage.content()).not.toContain("OTHER FIXTURE");
    const image = await member.request.get(`${baseURL()}/api/recordations/${fx.other}/image`);
    expect(image.status()).toBe(404);
    const missing = await member.request.get(`${baseURL()}/api/recordations/99999999/image`);
    expect(missing.status()).toBe(404);
    expect(await image.text()).toBe(await missing.text());
    // staff see it
    const staff = await admin.request.get(`${baseURL()}/api/recordations/${fx.other}/image`);
    expect(staff.status()).toBe(200);
    expect(staff.headers()["content-type"]).toBe("image/png");
  });

  it("no page of recordations a member reaches names another company, in either language", async () => {
    const others = sqlAll<{ name: string; nameZh: string | null }>("select name, name_zh as nameZh from right_holders where id <> ?", fx.memberHolder)
      .flatMap((h) => [h.name, h.nameZh ?? ""])
      .filter((n) => n.length >= 4);
    const cookie = await sessionCookie("member");
    for (const locale of ["en", "zh"]) {
      for (const path of ["/recordations", `/recordations?holder=${fx.otherHolder}`, "/recordations?state=valid", "/recordations/new", `/recordations/${fx.own}`, `/recordations/${fx.other}`]) {
        const body = await (await fetch(`${baseURL()}${path}`, { headers: { cookie: `${cookie}; NEXT_LOCALE=${locale}` } })).text();
        expect(others.filter((n) => body.includes(n)), `${path} (${locale})`).toEqual([]);
      }
    }
  });

  it("the list in Chinese", async () => {
    const zh = await browser.newContext({ locale: "zh-CN" });
    await zh.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
    await signInAs(zh, "analyst");
    const page = await zh.newPage();
    await page.goto(`${baseURL()}/recordations`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("海关备案");
    // analysts read, but do not record
    expect(await page.getByTestId("new-recordation").count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
    await zh.close();
  });
});
