import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/db";
import { freePort, startAppServer, stopAppServer, type AppServer } from "../support/server";
import { startTestSmtp, type ReceivedMail, type TestSmtp } from "../support/smtp";
import { baseURL, copyTestDatabase, expectNoSeriousAxeViolations, launchBrowser, sessionCookie } from "./support";

// E-mail end to end, on a server of this file's own (a copy of the e2e database) that sends
// through a real SMTP server started here: an admin invites a person (Chinese mail, a 7-day
// one-use link on APP_URL; a resend voids the old link; an expired one is refused); a password
// reset in English (the same answer for an unknown address, the link works once and ends the
// account's sessions); /admin/outbox with a failed attempt while the SMTP server is down and
// an admin's retry, in both languages; the shared server, which has no SMTP_URL, says mail is
// not configured. Screenshots go to /work/notes/shots when that folder exists.

const SHOTS = "/work/notes/shots";
const PASSWORD = "a-fresh-password-1";

let smtp: TestSmtp;
let app: AppServer;
let base = "";
let dir = "";
let dbFile = "";
let browser: Browser;

function db<T>(work: (d: Database.Database) => T): T {
  const d = new Database(dbFile, { fileMustExist: true });
  try {
    d.pragma("busy_timeout = 5000");
    return work(d);
  } finally {
    d.close();
  }
}

async function shot(page: Page, name: string): Promise<void> {
  if (fs.existsSync(SHOTS)) await page.screenshot({ path: path.join(SHOTS, `outbox-${name}.png`), fullPage: true });
}

async function context(locale: "en" | "zh", signIn?: { email: string; password: string }): Promise<BrowserContext> {
  const c = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await c.addCookies([{ name: "NEXT_LOCALE", value: locale, url: base }]);
  if (signIn) {
    const r = await c.request.post(`${base}/api/auth/sign-in/email`, { data: signIn, headers: { origin: base } });
    expect(r.status(), `sign-in as ${signIn.email}`).toBe(200);
  }
  return c;
}

function linkOf(mail: ReceivedMail): string {
  const m = /(https?:\/\/\S+\/login\/reset\?token=[A-Za-z0-9_-]+)/.exec(mail.text);
  expect(m, `a link in: ${mail.text}`).toBeTruthy();
  return m![1]!;
}

beforeAll(async () => {
  smtp = await startTestSmtp();
  dir = tempDir("mail-e2e");
  dbFile = path.join(dir, "ipr.db");
  await copyTestDatabase(dbFile);
  db((d) => {
    d.prepare("delete from outbox").run();
    d.prepare("delete from sign_in_failures").run();
    d.prepare("delete from rate_limit").run();
    // the e2e database is shared: another file may have switched these accounts to Chinese
    // (the language switch stores user.locale). This file's reset mails are in English because
    // the accounts' language is English, whatever the requesting page's language is.
    d.prepare("update user set locale = 'en' where email in ('analyst@demo.test', 'member@demo.test')").run();
  });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = await startAppServer(dbFile, {
    port,
    env: { SMTP_URL: smtp.url, APP_URL: base, OUTBOX_POLL_MS: "200", WEB_CONCURRENCY: "1", TRUST_PROXY: "1", QUERY_READERS: "1" },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (app) await stopAppServer(app.server);
  await smtp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("e-mail", () => {
  it("an admin invites a person in Chinese: a one-use 7-day link on APP_URL; a resend voids the old link; an expired one is refused", async () => {
    const admin = await context("en", { email: "admin@demo.test", password: "demo-password" });
    const page = await admin.newPage();
    await page.goto(`${base}/admin/users`);
    const form = page.getByTestId("create-account");
    await form.getByLabel("Email").fill("chen.jing@example.test");
    await form.getByLabel("Name").fill("Chen Jing");
    await form.getByLabel("Language of e-mails").selectOption("zh");
    await form.getByRole("button", { name: "Create the account" }).click();
    await expect.poll(() => form.getByRole("status").textContent()).toContain("invitation sent");

    const [invite] = await smtp.waitFor(1, (m) => m.to === "chen.jing@example.test");
    expect(invite!.subject).toBe("邀请您使用知识产权边境执法案件系统");
    expect(invite!.text).toContain("7天内有效");
    const first = linkOf(invite!);
    expect(first.startsWith(`${base}/login/reset?token=`)).toBe(true);

    await page.reload();
    const row = page.locator('[data-testid="invitations-table"] tr[data-email="chen.jing@example.test"]');
    await expect.poll(() => row.getAttribute("data-state")).toBe("pending");
    await expectNoSeriousAxeViolations(page);
    await shot(page, "admin-users-invitations");
    await page.getByTestId("resend-chen.jing@example.test").click();
    await expect.poll(() => row.getByRole("status").textContent()).toContain("previous link no longer works");
    const resent = await smtp.waitFor(2, (m) => m.to === "chen.jing@example.test");
    const second = linkOf(resent[1]!);
    expect(second).not.toBe(first);

    const guest = await context("zh");
    const invitee = await guest.newPage();
    await invitee.goto(first);
    await expect.poll(() => invitee.getByTestId("link-invalid").textContent()).toContain("该链接无效");
    await invitee.goto(second);
    await expect.poll(() => invitee.getByRole("heading", { level: 1 }).textContent()).toBe("设置您的密码");
    await expectNoSeriousAxeViolations(invitee);
    await shot(invitee, "invitation-zh");
    await invitee.getByLabel("新密码（至少10个字符）").fill(PASSWORD);
    await invitee.getByLabel("再次输入新密码").fill(PASSWORD);
    await invitee.getByRole("button", { name: "保存我的密码" }).click();
    await invitee.waitForURL(/\/login\?reset=1$/);
    expect(await invitee.getByTestId("reset-done").textContent()).toContain("您的密码已设置");
    const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
      method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify({ email: "chen.jing@example.test", password: PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    // the second use is refused
    await invitee.goto(second);
    await expect.poll(() => invitee.getByTestId("link-invalid").isVisible()).toBe(true);
    await page.reload();
    expect(await row.count()).toBe(0);

    // an invitation whose 7 days have passed: listed as expired, its link refused
    await page.goto(`${base}/admin/users`);
    await form.getByLabel("Email").fill("late.comer@example.test");
    await form.getByLabel("Name").fill("Late Comer");
    await form.getByRole("button", { name: "Create the account" }).click();
    const [late] = await smtp.waitFor(1, (m) => m.to === "late.comer@example.test");
    expect(late!.subject).toBe("You are invited to the IP Border Enforcement Tracker");
    db((d) => {
      const id = (d.prepare("select id from user where email = 'late.comer@example.test'").get() as { id: string }).id;
      d.prepare("update invitations set expires_at = ? where user_id = ?").run(Date.now() - 1000, id);
      d.prepare("update verification set expires_at = ? where value = ?").run(Date.now() - 1000, id);
    });
    await page.reload();
    await expect.poll(() => page.locator('[data-testid="invitations-table"] tr[data-email="late.comer@example.test"]').getAttribute("data-state")).toBe("expired");
    await invitee.goto(linkOf(late!));
    await expect.poll(() => invitee.getByTestId("link-invalid").isVisible()).toBe(true);
    await admin.close();
    await guest.close();
  });

  it("a password reset in English: the same answer for any address; the link works once and ends the account's sessions", async () => {
    const signedIn = await context("en", { email: "analyst@demo.test", password: "demo-password" });
    const session = await signedIn.newPage();
    await session.goto(`${base}/account`);
    expect(new URL(session.url()).pathname).toBe("/account");

    const guest = await context("en");
    const page = await guest.newPage();
    await page.goto(`${base}/login`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.waitForURL(/\/login\/forgot$/);
    await expectNoSeriousAxeViolations(page);
    await shot(page, "forgot-en");
    const ask = async (email: string) => {
      await page.goto(`${base}/login/forgot`);
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Send the link" }).click();
      return (await page.getByTestId("forgot-sent").textContent())!.replace(email, "ADDRESS");
    };
    const known = await ask("analyst@demo.test");
    expect(await ask("nobody-here@example.test")).toBe(known);

    const [mail] = await smtp.waitFor(1, (m) => m.to === "analyst@demo.test");
    expect(mail!.subject).toBe("Reset your password");
    expect(mail!.text).toContain("within 60 minutes");
    const link = linkOf(mail!);
    expect(link.startsWith(`${base}/login/reset?token=`)).toBe(true);
    expect(smtp.received.some((m) => m.to === "nobody-here@example.test")).toBe(false);

    await page.goto(link);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Choose a new password");
    await expectNoSeriousAxeViolations(page);
    await shot(page, "reset-en");
    await page.getByLabel("New password (at least 10 characters)").fill(PASSWORD);
    await page.getByLabel("New password again").fill("something-else-1");
    await page.getByRole("button", { name: "Save the new password" }).click();
    await expect.poll(() => page.locator("#reset-error").textContent()).toContain("The two new passwords differ.");
    await page.getByLabel("New password (at least 10 characters)").fill(PASSWORD);
    await page.getByLabel("New password again").fill(PASSWORD);
    await page.getByRole("button", { name: "Save the new password" }).click();
    await page.waitForURL(/\/login\?reset=1$/);

    // the analyst's other session has ended
    await session.goto(`${base}/account`);
    expect(new URL(session.url()).pathname).toBe("/login");
    // the new password signs in; the link does not work twice
    const r = await fetch(`${base}/api/auth/sign-in/email`, {
      method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify({ email: "analyst@demo.test", password: PASSWORD }),
    });
    expect(r.status).toBe(200);
    await page.goto(link);
    await expect.poll(() => page.getByTestId("link-invalid").textContent()).toContain("expired or was used already");
    await signedIn.close();
    await guest.close();
  });

  it("/admin/outbox shows a failed attempt while the SMTP server is down, and an admin's retry sends it, in both languages", async () => {
    await smtp.stop();
    const guest = await context("zh");
    const page = await guest.newPage();
    await page.goto(`${base}/login/forgot`);
    await page.getByLabel("电子邮箱").fill("member@demo.test");
    await page.getByRole("button", { name: "发送链接" }).click();
    await page.getByTestId("forgot-sent").waitFor();
    const row = () => db((d) => d.prepare("select id, attempts, last_error as lastError, status from outbox where to_address = 'member@demo.test' and dedupe_key like 'reset:%'").get() as { id: number; attempts: number; lastError: string | null; status: string } | undefined);
    await expect.poll(() => row()?.attempts ?? 0).toBeGreaterThanOrEqual(1);
    expect(row()!.lastError).toMatch(/ECONNREFUSED|connect/i);
    await smtp.start();

    const admin = await context("en", { email: "admin@demo.test", password: "demo-password" });
    const outbox = await admin.newPage();
    await outbox.goto(`${base}/admin/outbox`);
    // the reset mail's own line, by its id (the member may have notifications' mails too: this
    // server's scan of expiring recordations); asked for from a Chinese page, it is in the
    // account's language, English
    const line = outbox.locator(`[data-testid="outbox-table"] tr[data-mail-id="${row()!.id}"]`);
    expect(await line.getAttribute("data-to")).toBe("member@demo.test");
    expect(await line.textContent()).toContain("Reset your password");
    await expect.poll(() => line.getAttribute("data-status")).toBe("pending");
    expect(await line.textContent()).toMatch(/ECONNREFUSED|connect/i);
    expect(await outbox.getByTestId("outbox-counts").textContent()).toContain("Sent");
    expect(await outbox.getByTestId("mail-not-configured").count()).toBe(0);
    await expectNoSeriousAxeViolations(outbox);
    await shot(outbox, "admin-outbox-en");
    await line.getByRole("button", { name: "Send the e-mail to member@demo.test again" }).click();
    await outbox.waitForURL(/retried=/);
    await outbox.getByTestId("retried").waitFor();
    const [delivered] = await smtp.waitFor(1, (m) => m.to === "member@demo.test" && m.subject === "Reset your password");
    expect(delivered!.subject).toBe("Reset your password");
    await expect.poll(() => row()?.status).toBe("sent");
    expect(db((d) => (d.prepare("select count(*) as n from audit_log where entity = 'outbox_mail' and entity_id = ?").get(row()!.id) as { n: number }).n)).toBe(1);

    const zh = await context("zh", { email: "admin@demo.test", password: "demo-password" });
    const zhPage = await zh.newPage();
    await zhPage.goto(`${base}/admin/outbox`);
    await expect.poll(() => zhPage.getByRole("heading", { level: 1 }).textContent()).toBe("邮件发件箱");
    await expectNoSeriousAxeViolations(zhPage);
    await shot(zhPage, "admin-outbox-zh");
    await zhPage.goto(`${base}/login/forgot`);
    await shot(zhPage, "forgot-zh");

    // the shared test server has no SMTP_URL: mail waits, and the page says so
    const shared = await fetch(`${baseURL()}/admin/outbox`, { headers: { cookie: await sessionCookie("admin") } });
    expect(await shared.text()).toContain("E-mail is not configured");
    await admin.close();
    await zh.close();
    await guest.close();
  });
});
