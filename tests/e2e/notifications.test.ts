import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/db";
import { freePort, startAppServer, stopAppServer, type AppServer } from "../support/server";
import { startTestSmtp, type TestSmtp } from "../support/smtp";
import { copyTestDatabase, demoEmail, expectNoSeriousAxeViolations, launchBrowser, waitForHydration, type DemoRole } from "./support";

// Notifications in Chromium (issue 16, item 4), on a server of this file's own (a copy of the
// e2e database) that sends through a real SMTP server started here: the member chooses Chinese;
// an officer records a detention notice on a case of the member's company; the member sees it
// in the header's bell and on /notifications in Chinese (its link opens the inbox), receives it
// by e-mail in Chinese, marks it read and the bell follows; the header stays one line at
// 1440 px for every role in both languages, with a member's "Inbox" link too.

let smtp: TestSmtp;
let app: AppServer;
let base = "";
let dir = "";
let dbFile = "";
let browser: Browser;
const contexts = new Map<DemoRole, BrowserContext>();
let caseId = 0;
let caseNo = "";
const SHOTS = "/work/notes/shots";

function db<T>(work: (d: Database.Database) => T): T {
  const d = new Database(dbFile, { fileMustExist: true });
  try {
    d.pragma("busy_timeout = 5000");
    return work(d);
  } finally {
    d.close();
  }
}
const sqlGet = <T,>(query: string, ...params: unknown[]) => db((d) => d.prepare(query).get(...params) as T);
const sqlAll = <T,>(query: string, ...params: unknown[]) => db((d) => d.prepare(query).all(...params) as T[]);
const sqlRun = (query: string, ...params: unknown[]) => db((d) => d.prepare(query).run(...params));
const shot = async (page: Page, name: string, clip?: { x: number; y: number; width: number; height: number }) => {
  if (fs.existsSync(SHOTS)) await page.screenshot({ path: path.join(SHOTS, `notify-${name}.png`), clip });
};

beforeAll(async () => {
  smtp = await startTestSmtp();
  dir = tempDir("notify-e2e");
  dbFile = path.join(dir, "ipr.db");
  await copyTestDatabase(dbFile);
  sqlRun("delete from outbox");
  sqlRun("delete from sign_in_failures");
  sqlRun("delete from rate_limit");
  // a case of the member's company without steps
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
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = await startAppServer(dbFile, {
    port,
    env: { SMTP_URL: smtp.url, APP_URL: base, OUTBOX_POLL_MS: "200", WEB_CONCURRENCY: "1", TRUST_PROXY: "1", QUERY_READERS: "1" },
  });
  browser = await launchBrowser();
  for (const role of ["admin", "analyst", "member"] as const) {
    // every role starts in English (the member switches to Chinese in the first test)
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } });
    const r = await context.request.post(`${base}/api/auth/sign-in/email`, { data: { email: demoEmail(role), password: "demo-password" }, headers: { origin: base } });
    expect(r.status(), `sign-in as ${role}`).toBe(200);
    contexts.set(role, context);
  }
});
afterAll(async () => {
  await browser?.close();
  if (app) await stopAppServer(app.server);
  await smtp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
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
    // the member chooses Chinese with the language switch: its e-mails follow (user.locale).
    // The e2e database is shared and another file may have left the member in Chinese: English first.
    sqlRun("update user set locale = 'en' where id = ?", memberId);
    await member.goto(`${base}/notifications`);
    // the switch offers the other language only, in its own words
    await member.getByRole("button", { name: "中文" }).click();
    await expect.poll(() => member.getByRole("heading", { level: 1 }).textContent()).toBe("通知");
    await expect.poll(() => sqlGet<{ l: string }>("select locale as l from user where id = ?", memberId).l).toBe("zh");

    const officer = await contexts.get("admin")!.newPage();
    await officer.goto(`${base}/cases/${caseId}`);
    await record(officer, "suspected");
    await record(officer, "notice_sent", "TZ2026-NOTE1");
    // (the authorisation matrix, run earlier on the shared database, wrote a notification for
    // every demo account on a case of the member's company: its keys start "matrix:")
    const written = sqlAll<{ userId: string; kind: string }>("select user_id as userId, kind from notifications where case_id = ? and key not like 'matrix:%'", caseId);
    expect(written.map((w) => w.kind)).toContain("detention_notice");
    // the officer (staff) is not a recipient of a notice to the right holder
    const officerId = sqlGet<{ id: string }>("select id from user where email = ?", demoEmail("admin")).id;
    expect(written.some((w) => w.userId === officerId)).toBe(false);

    await member.goto(`${base}/notifications`);
    expect(unreadInDb()).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => (await member.reload(), (await bellCount(member)) === unreadInDb())).toBe(true);
    expect(await member.getByTestId("bell").getAttribute("aria-label")).toMatch(/^通知，\d+条未读$/);
    const item = member.getByTestId("notification-list").locator("li[data-kind=detention_notice]").first();
    expect(await item.locator("h3").textContent()).toBe(`案件${caseNo}扣留通知`);
    expect(await item.textContent()).toMatch(/请于北京时间\d{4}年\d{1,2}月\d{1,2}日24时前答复/);
    // a member opens a detention notice in its inbox
    expect(await item.locator("h3 a").getAttribute("href")).toBe(`/inbox/${caseId}`);
    await expectNoSeriousAxeViolations(member);
    await shot(member, "member-zh");

    // and by e-mail, through the real SMTP server, in Chinese, its link on APP_URL
    const [mail] = await smtp.waitFor(1, (m) => m.to === demoEmail("member") && m.subject.includes(caseNo));
    expect(mail!.subject).toBe(`案件${caseNo}扣留通知`);
    expect(mail!.text).toMatch(/请于北京时间\d{4}年\d{1,2}月\d{1,2}日24时前答复/);
    expect(mail!.text).toContain(`${base}/inbox/${caseId}`);
    expect(mail!.text).not.toContain("{");
    const outbox = sqlAll<{ key: string; status: string }>("select dedupe_key as key, status from outbox where dedupe_key like 'notice:%' and to_address = ?", demoEmail("member"));
    expect(outbox.length, "one mail per notification").toBe(1);

    // marked read: the bell's count goes down, the item stays, read
    const id = Number((await item.getAttribute("data-testid"))!.replace("notification-", ""));
    await waitForHydration(member.getByTestId(`mark-read-${id}`));
    await member.getByTestId(`mark-read-${id}`).click();
    await expect.poll(() => member.getByTestId(`notification-${id}`).getAttribute("data-read"), { timeout: 15_000 }).toBe("true");
    await expect.poll(async () => (await bellCount(member)) === unreadInDb(), { timeout: 15_000 }).toBe(true);

    // the officer's own page, in English: nothing of the member's
    await officer.goto(`${base}/notifications`);
    expect(await officer.getByRole("heading", { level: 1 }).textContent()).toBe("Notifications");
    expect(await officer.locator(`[data-testid=notification-${id}]`).count()).toBe(0);
    await expectNoSeriousAxeViolations(officer);
    await shot(officer, "admin-en");
  });

  it("the header stays one line at 1440 px for every role in both languages, with a member's Inbox link", async () => {
    for (const role of ["admin", "analyst", "member"] as const) {
      const context = contexts.get(role)!;
      for (const locale of ["en", "zh"] as const) {
        await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: base }]);
        const page = await context.newPage();
        await page.goto(`${base}/notifications`);
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
        if (locale === "zh" && role !== "analyst") await shot(page, `header-${role}-zh`, { x: 0, y: 0, width: 1440, height: 80 });
        await page.close();
      }
    }
  });
});
