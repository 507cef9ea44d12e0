import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { beijingDateOf, packageKnowsYear } from "../../lib/working-days";
import { baseURL, demoEmail, expectNoSeriousAxeViolations, launchBrowser, signInAs, sqlAll, sqlGet, waitForHydration } from "./support";

// The detention procedure in Chromium: an officer (admin) records suspected → notice → the right
// holder's answer → detained → determination on a case of the member's company, a refused
// transition shows its message (in English and Chinese), the officers' list shows the case with
// its open deadline, overdue cases first; the member sees its case's procedure without staff names.

let browser: Browser;
let admin: BrowserContext;
let member: BrowserContext;
let adminPage: Page;
let memberPage: Page;
let caseId = 0;
let caseNo = "";

beforeAll(async () => {
  // a case of the member's company without steps (the e2e database lives on between runs: a new one each run)
  const holderId = sqlGet<{ id: number }>("select holder_id as id from user where email = ?", demoEmail("member")).id;
  const found = sqlGet<{ id: number; caseNo: string }>(
    `select c.id, c.case_no as caseNo from cases c join case_right_holders l on l.case_id = c.id and l.right_holder_id = ?
     where c.deleted_at is null and c.seized_on < '2024-01-01' and c.case_no not like '8600-%'
       and not exists (select 1 from case_steps s where s.case_id = c.id)
     order by c.id desc limit 1`,
    holderId,
  );
  caseId = found.id;
  caseNo = found.caseNo;
  browser = await launchBrowser();
  admin = await browser.newContext({ locale: "en-US", viewport: { width: 1300, height: 1000 } });
  member = await browser.newContext({ locale: "en-US", viewport: { width: 1300, height: 1000 } });
  await signInAs(admin, "admin");
  await signInAs(member, "member");
  adminPage = await admin.newPage();
  memberPage = await member.newPage();
});
afterAll(async () => {
  await browser?.close();
});

const kinds = () => sqlAll<{ kind: string }>("select kind from case_steps where case_id = ? order by id", caseId).map((r) => r.kind);
const status = () => sqlGet<{ status: string }>("select status from cases where id = ?", caseId).status;

/** Chooses the step kind (by keyboard: focus the select, pick the option), fills the fields, submits, waits for the timeline. */
async function record(page: Page, kind: string, fill: (form: ReturnType<Page["getByTestId"]>) => Promise<void> = async () => {}) {
  const form = page.getByTestId("step-form");
  await waitForHydration(form.getByTestId("step-kind"));
  const count = await page.getByTestId("procedure-steps").locator("li[data-kind]").count().catch(() => 0);
  await form.getByTestId("step-kind").focus();
  await form.getByTestId("step-kind").selectOption(kind);
  await fill(form);
  await form.getByTestId("step-submit").press("Enter");
  await expect.poll(() => page.getByTestId("procedure-steps").locator("li[data-kind]").count(), { timeout: 15_000 }).toBe(count + 1);
  await expect.poll(() => page.getByTestId("procedure-steps").locator("li[data-kind]").last().getAttribute("data-kind")).toBe(kind);
}

describe("the detention procedure in Chromium", () => {
  it("an officer records notice → answer → detention → determination; the status follows each step", async () => {
    await adminPage.goto(`${baseURL()}/cases/${caseId}`);
    const section = adminPage.getByTestId("procedure");
    await expect.poll(() => section.getByRole("heading", { level: 2 }).textContent()).toBe("Procedure");
    // only the steps that may start a procedure are offered
    const offered = await section.getByTestId("step-kind").locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(offered).toEqual(["suspected", "application_filed"]);

    await record(adminPage, "suspected");
    expect(status()).toBe("detained");
    await record(adminPage, "notice_sent", async (form) => {
      await form.getByTestId("step-document").fill("TZ2026-E2E01");
    });
    // the answer deadline: 3 working days, ending at 24:00 Beijing time
    await expect.poll(() => section.getByTestId("procedure-deadline").textContent()).toContain("Ends at 24:00 Beijing time on");
    await expect.poll(() => section.getByTestId("procedure-days-left").textContent()).toMatch(/working days? left/);

    // a refused transition: "no answer" before the deadline has passed, with its message
    await section.getByTestId("step-kind").selectOption("no_answer");
    await section.getByTestId("step-confirm").check();
    await section.getByTestId("step-submit").click();
    await expect.poll(() => section.getByTestId("step-refused").textContent()).toMatch(/^Refused: The deadline has not passed yet: the period runs until 24:00 Beijing time on /);
    expect(kinds()).toEqual(["suspected", "notice_sent"]);

    await record(adminPage, "holder_answered", async (form) => {
      await form.getByTestId("step-answer").selectOption("requests_detention");
      await form.getByTestId("step-bond-kind").selectOption("deposit");
      await form.getByTestId("step-bond").fill("100000");
    });
    await record(adminPage, "detained", async (form) => {
      await form.getByTestId("step-document").fill("KL2026-E2E01");
    });
    // the 30 working days may reach into a year chinese-days does not know: the page says so, and
    // an admin enters that year's New Year's Day in the holiday calendar (which declares the year)
    const nextYear = Number(beijingDateOf(new Date()).slice(0, 4)) + 1;
    const entered = sqlGet<{ n: number }>("select count(*) as n from working_day_overrides where date like ?", `${nextYear}-%`).n > 0;
    if (!packageKnowsYear(nextYear) && !entered) {
      await expect.poll(() => section.getByTestId("procedure-unknown-year").textContent()).toContain(`The holiday arrangement of ${nextYear} is not known`);
      await adminPage.goto(`${baseURL()}/procedure`);
      const calendar = adminPage.getByTestId("calendar-form");
      await waitForHydration(calendar.getByTestId("calendar-save"));
      await calendar.getByTestId("calendar-date").fill(`${nextYear}-01-01`);
      await calendar.getByTestId("calendar-kind").selectOption("holiday");
      await calendar.getByTestId("calendar-note").fill("New Year's Day");
      await calendar.getByTestId("calendar-save").click();
      await expect.poll(() => adminPage.getByTestId("calendar-table").textContent()).toContain("New Year's Day");
      await adminPage.goto(`${baseURL()}/cases/${caseId}`);
    }
    await expect.poll(() => section.getByTestId("procedure-deadline").textContent()).toContain("Investigation and determination (30 working days)");
    // the officers' list shows the case waiting on customs' determination, after every overdue case
    await adminPage.goto(`${baseURL()}/procedure`);
    const row = adminPage.getByTestId("deadline-table").locator(`tr[data-case='${caseNo}']`);
    await expect.poll(() => row.getAttribute("data-overdue")).toBe("no");
    expect(await row.textContent()).toContain("Goods detained");
    const order = await adminPage.getByTestId("deadline-table").locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-overdue")));
    expect(order.slice(order.indexOf("no")).includes("yes")).toBe(false);
    await adminPage.getByTestId("deadline-table").getByRole("link", { name: caseNo }).click();
    await adminPage.waitForURL(new RegExp(`/cases/${caseId}$`));
    await record(adminPage, "determination", async (form) => {
      await form.getByTestId("step-document").fill("RD2026-E2E01");
      await form.getByTestId("step-decision").selectOption("infringing");
    });
    expect(kinds()).toEqual(["suspected", "notice_sent", "holder_answered", "detained", "determination"]);
    expect(status()).toBe("infringement_confirmed");
    // the staff see who recorded each step
    expect(await section.getByTestId("procedure-steps").textContent()).toContain(`by ${demoEmail("admin")}`);
    await expectNoSeriousAxeViolations(adminPage);
    await section.screenshot({ path: "/tmp/procedure-section.png" });
  });

  it("a refused transition speaks Chinese to a Chinese reader", async () => {
    const zh = await browser.newContext({ locale: "zh-CN", viewport: { width: 1300, height: 1000 } });
    await signInAs(zh, "admin");
    await zh.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
    const page = await zh.newPage();
    await page.goto(`${baseURL()}/cases/${caseId}`);
    const section = page.getByTestId("procedure");
    await waitForHydration(section.getByTestId("step-kind"));
    // a penalty without its decision's number
    await section.getByTestId("step-kind").selectOption("penalty");
    await section.getByTestId("step-fine").fill("1000");
    await section.getByTestId("step-submit").click();
    await expect.poll(() => section.getByTestId("step-refused").textContent()).toBe("未能记录：须填写文书编号");
    await zh.close();
  });

  it("the officers' list puts the overdue cases first", async () => {
    await adminPage.goto(`${baseURL()}/procedure`);
    const table = adminPage.getByTestId("deadline-table");
    await table.waitFor();
    const order = await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-overdue")));
    expect(order[0]).toBe("yes"); // the seeded cases of 2024–2025 wait on deadlines long passed
    const firstOpen = order.indexOf("no");
    if (firstOpen >= 0) expect(order.slice(firstOpen).includes("yes")).toBe(false);
    await expectNoSeriousAxeViolations(adminPage);
  });

  it("a member sees the procedure of its own case without staff names or notes", async () => {
    await memberPage.goto(`${baseURL()}/cases/${caseId}`);
    const section = memberPage.getByTestId("procedure");
    await expect.poll(() => section.getByTestId("procedure-steps").locator("li[data-kind]").count()).toBe(5);
    const text = (await section.textContent()) ?? "";
    expect(text).toContain("Notice sent to the right holder");
    expect(text).toContain("TZ2026-E2E01");
    expect(text).not.toContain("@demo.test");
    expect(text).not.toMatch(/\bby\b/);
    expect(await section.getByTestId("step-form").count()).toBe(0);
    // the officers' list is staff only
    const response = await memberPage.goto(`${baseURL()}/procedure`);
    expect(response?.status()).toBe(403);
  });
});
