import type { Browser, BrowserContext, Page } from "playwright-core";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseURL, demoEmail, expectNoSeriousAxeViolations, launchBrowser, signInAs, sqlAll, sqlGet, waitForHydration, type DemoRole } from "./support";

/** A write to the server's database (the server's own writes wait for it: busy_timeout). */
const sqlRun = (query: string, ...params: unknown[]) => {
  const db = new Database(inject("databaseFile"), { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare(query).run(...params);
  } finally {
    db.close();
  }
};

// Notifications in Chromium (issue 16, item 4): an officer records a detention notice on a case
// of the member's company; the member, reading in Chinese, sees it in the header's bell and on
// /notifications (its link opens the inbox), marks it read and the bell follows; the header
// stays one line at 1440 px for every role in both languages, with a member's "Inbox" link too.

let browser: Browser;
const contexts = new Map<DemoRole, BrowserContext>();
let caseId = 0;
let caseNo = "";
const SHOTS = "/work/notes/shots";

beforeAll(async () => {
  // a case of the member's company without steps (the e2e database lives on between runs: a new one each run)
  const holderId = sqlGet<{ id: number }>("select holder_id as id from user where email = ?", demoEmail("member")).id;
  const found = sqlGet<{ id: number; caseNo: string }>(
    `select c.id, c.case_no as caseNo from cases c join case_right_holders l on l.case_id = c.id and l.right_holder_id = ?
     where c.deleted_at is null and c.seized_on < '2024-01-01' and c.case_no not like '8600-%'
       and not exists (select 1 from case_steps s where s.case_id = c.id)
     order by c.id limit 1`,
    holderId,
  );
  caseId = found.id;
  caseNo = found.caseNo;
  browser = await launchBrowser();
  for (const role of ["admin", "analyst", "member"] as const) {
    const context = await browser.newContext({ locale: role === "member" ? "zh-CN" : "en-US", viewport: { width: 1440, height: 900 } });
    await signInAs(context, role);
    contexts.set(role, context);
  }
});
afterAll(async () => {
  await browser?.close();
});

/** Records a step on the case page as the officer (by keyboard, as procedure.test.ts does). */
async function record(page: Page, kind: string, documentNo?: string) {
  const form = page.getByTestId("step-form");
  await waitForHydration(form.getByTestId("step-kind"));
  const count = await page.getByTestId("procedure-steps").locator("li[data-kind]").count().catch(() => 0);
  await form.getByTestId("step-kind").selectOption(kind);
  if (documentNo) await form.getByTestId("step-document").fill(documentNo);
  await form.getByTestId("step-submit").press("Enter");
  await expect.poll(() => page.getByTestId("procedure-steps").locator("li[data-kind]").count(), { timeout: 15_000 }).toBe(count + 1);
}

const bellCount = async (page: Page) => {
  const badge = page.getByTestId("bell-count");
  return (await badge.count()) ? Number(await badge.textContent()) : 0;
};

describe("notifications in Chromium", () => {
  it("an officer records a detention notice; the member sees it in the bell and on /notifications, in Chinese, and marks it read", async () => {
    // the member's earlier notifications (earlier runs, the server's scans) read: the bell counts what follows
    const memberId = sqlGet<{ id: string }>("select id from user where email = ?", demoEmail("member")).id;
    sqlRun("update notifications set read_at = 1 where user_id = ? and read_at is null", memberId);
    const unreadInDb = () => sqlGet<{ n: number }>("select count(*) as n from notifications where user_id = ? and read_at is null", memberId).n;
    const member = await contexts.get("member")!.newPage();

    const officer = await contexts.get("admin")!.newPage();
    await officer.goto(`${baseURL()}/cases/${caseId}`);
    await record(officer, "suspected");
    await record(officer, "notice_sent", "TZ2026-NOTE1");
    const written = sqlAll<{ userId: string; kind: string }>("select user_id as userId, kind from notifications where case_id = ?", caseId);
    expect(written.map((w) => w.kind)).toContain("detention_notice");
    // the officer (staff) is not a recipient of a notice to the right holder
    const officerId = sqlGet<{ id: string }>("select id from user where email = ?", demoEmail("admin")).id;
    expect(written.some((w) => w.userId === officerId)).toBe(false);

    await member.goto(`${baseURL()}/notifications`);
    expect(unreadInDb()).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => (await member.reload(), (await bellCount(member)) === unreadInDb())).toBe(true);
    expect(await member.getByTestId("bell").getAttribute("aria-label")).toMatch(/^通知，\d+条未读$/);
    const item = member.getByTestId("notification-list").locator("li[data-kind=detention_notice]").first();
    expect(await item.locator("h3").textContent()).toBe(`案件${caseNo}扣留通知`);
    expect(await item.textContent()).toMatch(/请于北京时间\d{4}年\d{1,2}月\d{1,2}日24时前答复/);
    // a member opens a detention notice in its inbox
    expect(await item.locator("h3 a").getAttribute("href")).toBe(`/inbox/${caseId}`);
    await expectNoSeriousAxeViolations(member);
    await member.screenshot({ path: `${SHOTS}/notify-member-zh.png`, fullPage: false });

    // marked read: the bell's count goes down, the item stays, read
    const id = Number((await item.getAttribute("data-testid"))!.replace("notification-", ""));
    await waitForHydration(member.getByTestId(`mark-read-${id}`));
    await member.getByTestId(`mark-read-${id}`).click();
    await expect.poll(() => member.getByTestId(`notification-${id}`).getAttribute("data-read"), { timeout: 15_000 }).toBe("true");
    await expect.poll(async () => (await bellCount(member)) === unreadInDb(), { timeout: 15_000 }).toBe(true);

    // the officer's own page, in English: nothing of the member's
    await officer.goto(`${baseURL()}/notifications`);
    expect(await officer.getByRole("heading", { level: 1 }).textContent()).toBe("Notifications");
    expect(await officer.locator(`[data-testid=notification-${id}]`).count()).toBe(0);
    await expectNoSeriousAxeViolations(officer);
    await officer.screenshot({ path: `${SHOTS}/notify-admin-en.png`, fullPage: false });
  });

  it("the header stays one line at 1440 px for every role in both languages, with a member's Inbox link", async () => {
    for (const role of ["admin", "analyst", "member"] as const) {
      const context = contexts.get(role)!;
      for (const locale of ["en", "zh"] as const) {
        await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: baseURL() }]);
        const page = await context.newPage();
        await page.goto(`${baseURL()}/notifications`);
        const rows = await page.evaluate(({ member, locale }) => {
          const header = document.querySelector(".site-header")!;
          const list = header.querySelector("nav ul");
          // the member's "Inbox" link another part of the product adds: as long as it would be
          if (member && list && !list.querySelector('a[href="/inbox"]')) {
            const li = document.createElement("li");
            li.innerHTML = `<a href="/inbox">${locale === "zh" ? "收件箱" : "Inbox"}</a>`;
            list.insertBefore(li, list.children[1] ?? null);
          }
          // the middle of every visible item of the header (a hidden input of the sign-out form has no box)
          const boxes = [...header.querySelectorAll(":scope > *, nav li, .user-menu > *")].map((el) => el.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
          const tops = boxes.map((r) => Math.round(r.top + r.height / 2));
          return { spread: Math.max(...tops) - Math.min(...tops), height: header.getBoundingClientRect().height };
        }, { member: role === "member", locale });
        expect(rows.spread, `${role} in ${locale}: the header's items on one line`).toBeLessThan(12);
        expect(rows.height, `${role} in ${locale}: the header's height`).toBeLessThan(70);
        if (role === "member" && locale === "zh") await page.screenshot({ path: `${SHOTS}/notify-header-member-zh.png`, clip: { x: 0, y: 0, width: 1440, height: 80 } });
        if (role === "admin" && locale === "zh") await page.screenshot({ path: `${SHOTS}/notify-header-admin-zh.png`, clip: { x: 0, y: 0, width: 1440, height: 80 } });
        await page.close();
      }
    }
  });
});
