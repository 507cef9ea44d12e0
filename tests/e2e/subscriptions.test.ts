import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteEngine } from "../../db/engine";
import { drizzleOf } from "../../db/sqlite/open";
import { scanDigests } from "../../db/subscriptions";
import { createView } from "../../db/views";
import { createCase } from "../../db/mutations/cases";
import { yuanText, formatCount } from "../../lib/format";
import { tempDir } from "../support/db";
import { freePort, startAppServer, stopAppServer, type AppServer } from "../support/server";
import { startTestSmtp, type ReceivedMail, type TestSmtp } from "../support/smtp";
import { copyTestDatabase, demoEmail, expectNoSeriousAxeViolations, launchBrowser, waitForHydration } from "./support";

// Digest subscriptions (issue 20, item 3) end to end, on a server of this file's own (a copy of
// the e2e database) that sends through a real local SMTP server: an analyst subscribes to a view
// weekly in English and a member monthly in Chinese, by keyboard on /views (axe on both); the
// digest scan runs for a fixed clock (Monday 1 April 2024, 08:00 Beijing: the week 25–31 March
// and the month of March are due) and the server's outbox delivers each mail once, in its
// reader's language, with the figures plain SQL gives for its scope and RFC 8058 headers; the
// member's never names another company. Its unsubscribe link works without signing in, shows
// one button (GET changes nothing), stops that subscription only, and says so when used again.

const SHOTS = "/work/notes/shots";
const beijing = (s: string) => Date.parse(`${s}+08:00`);
const FIXED_NOW = beijing("2024-04-01T08:00:00");
const suffix = Date.now().toString(36);
const analystView = `Trademark digest ${suffix}`;
const memberView = `我们的案件 ${suffix}`;

let smtp: TestSmtp;
let app: AppServer;
let base = "";
let dir = "";
let dbFile = "";
let browser: Browser;
const contexts: BrowserContext[] = [];
const ids = { analystView: 0, memberView: 0, holder: 0, planted: 0 };
const plantedNo = `0200-2024-${String(Date.now() % 9000 + 1000)}`;
let coHolder = { name: "", nameZh: "" };

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
const sqlRun = (query: string, ...params: unknown[]) => db((d) => d.prepare(query).run(...params));
const shot = async (page: Page, name: string) => {
  if (fs.existsSync(SHOTS)) await page.screenshot({ path: path.join(SHOTS, `digest-${name}.png`), fullPage: true });
};
async function withEngine<T>(work: (e: ReturnType<typeof sqliteEngine>) => Promise<T>): Promise<T> {
  const d = new Database(dbFile, { fileMustExist: true });
  d.pragma("busy_timeout = 5000");
  try {
    return await work(sqliteEngine(drizzleOf(d)));
  } finally {
    d.close();
  }
}
async function signedIn(role: "analyst" | "member", locale: "en" | "zh"): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: locale === "zh" ? "zh-CN" : "en-US", viewport: { width: 1440, height: 1000 } });
  await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: base }]);
  const r = await context.request.post(`${base}/api/auth/sign-in/email`, { data: { email: demoEmail(role), password: "demo-password" }, headers: { origin: base } });
  expect(r.status(), `sign-in as ${role}`).toBe(200);
  contexts.push(context);
  return context;
}

beforeAll(async () => {
  smtp = await startTestSmtp();
  dir = tempDir("digest-e2e");
  dbFile = path.join(dir, "ipr.db");
  await copyTestDatabase(dbFile);
  sqlRun("delete from outbox");
  sqlRun("delete from sign_in_failures");
  sqlRun("delete from rate_limit");
  const analyst = sqlGet<{ id: string }>("select id from user where email = ?", demoEmail("analyst"));
  const member = sqlGet<{ id: string; holderId: number }>("select id, holder_id as holderId from user where email = ?", demoEmail("member"));
  ids.holder = member.holderId;
  sqlRun("update user set locale = 'en' where id = ?", analyst.id);
  sqlRun("update user set locale = 'zh' where id = ?", member.id);
  await withEngine(async (e) => {
    ids.analystView = await createView(e, { id: analyst.id, role: "analyst", holderId: null }, { name: analystView, page: "dashboard", query: "type=trademark", shared: false });
    ids.memberView = await createView(e, { id: member.id, role: "member", holderId: member.holderId }, { name: memberView, page: "cases", query: "sort=value.desc", shared: true });
  });
  // a case of the member's company shared with another company, which its goods name, entered in March 2024
  coHolder = sqlGet<{ id: number; name: string; nameZh: string }>("select id, name, name_zh as nameZh from right_holders where id <> ? and name_zh is not null order by id limit 1", member.holderId);
  const co = coHolder as { id: number; name: string; nameZh: string };
  const officeId = sqlGet<{ id: number }>("select id from customs_offices where code = '0200'").id;
  await withEngine(async (e) => {
    ids.planted = (await createCase(e, {
      caseNo: plantedNo, officeId, seizedOn: "2024-03-20", infringementType: "trademark", goodsCategory: "bags_leather",
      goodsDescription: `Handbags with ${co.name} (${co.nameZh}) logos`, pieces: 77, valueFen: 9_876_543_21, direction: "export",
      channel: "express", transport: "air", protectionMode: "ex_officio", originCountry: "CN", destinationCountry: "US",
      campaignId: null, status: "detained", disposal: null, hearingHeld: false, referredToPolice: false, penaltyFen: null,
      notes: null, rightHolderIds: [member.holderId, co.id],
    }, null)).id;
  });
  sqlRun("update cases set created_at = ? where id = ?", beijing("2024-03-15T10:00:00"), ids.planted);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = await startAppServer(dbFile, {
    port,
    env: { SMTP_URL: smtp.url, APP_URL: base, OUTBOX_POLL_MS: "200", WEB_CONCURRENCY: "1", TRUST_PROXY: "1", QUERY_READERS: "1", NO_DIGESTS: "1" },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  if (app) await stopAppServer(app.server);
  await smtp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Chooses a digest for a view on /views by keyboard and waits for it to be saved. */
async function subscribe(page: Page, viewId: number, frequency: "weekly" | "monthly", saved: string) {
  const select = page.getByTestId(`subscribe-frequency-${viewId}`);
  await waitForHydration(select);
  await select.focus();
  await select.selectOption(frequency);
  await page.keyboard.press("Tab");
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(`subscribe-set-${viewId}`);
  await page.keyboard.press("Enter");
  await expect.poll(() => page.getByTestId(`subscribe-${viewId}`).getByRole("status").textContent()).toContain(saved);
}

describe("digest subscriptions", () => {
  it("an analyst subscribes weekly in English, a member monthly in Chinese, by keyboard", async () => {
    const analyst = await (await signedIn("analyst", "en")).newPage();
    await analyst.goto(`${base}/views`);
    await subscribe(analyst, ids.analystView, "weekly", "Saved.");
    expect(sqlGet<{ f: string }>("select frequency as f from subscriptions where view_id = ?", ids.analystView).f).toBe("weekly");
    await analyst.reload();
    expect(await analyst.getByTestId(`digest-row-${ids.analystView}`).textContent()).toMatch(/Weekly.*08:00 Beijing time/);
    expect(await analyst.getByTestId(`subscribe-frequency-${ids.analystView}`).inputValue()).toBe("weekly");
    await expectNoSeriousAxeViolations(analyst);
    await shot(analyst, "views-en");

    const member = await (await signedIn("member", "zh")).newPage();
    await member.goto(`${base}/views`);
    expect(await member.getByRole("heading", { name: "我的摘要" }).count()).toBe(1);
    await subscribe(member, ids.memberView, "monthly", "已保存");
    await member.reload();
    expect(await member.getByTestId(`digest-row-${ids.memberView}`).textContent()).toContain("每月");
    await expectNoSeriousAxeViolations(member);
    await shot(member, "views-zh");
    expect(sqlGet<{ n: number }>("select count(*) as n from audit_log where entity = 'subscription' and action = 'create'").n).toBeGreaterThanOrEqual(2);
  });

  it("the digests for a fixed clock reach the SMTP server once, in each reader's language, with the figures of its scope", async () => {
    // made long before the fixed clock, so that its periods are due
    sqlRun("update subscriptions set created_at = ?, updated_at = ? where view_id in (?, ?)", Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 1), ids.analystView, ids.memberView);
    process.env.APP_URL = base; // the links the scan writes: this server's address, as its own APP_URL
    const written = await withEngine(async (e) => {
      const [a, b] = await Promise.all([scanDigests(e, FIXED_NOW), scanDigests(e, FIXED_NOW)]);
      return a + b;
    });
    expect(written).toBe(2);
    expect(sqlGet<{ n: number }>("select count(*) as n from outbox where dedupe_key like 'digest:%'").n).toBe(2);
    const [analystMail] = await smtp.waitFor(1, (m) => m.to === demoEmail("analyst"));
    const [memberMail] = await smtp.waitFor(1, (m) => m.to === demoEmail("member"));

    // the analyst's: the ISO week 25–31 March 2024 against the week before, trademark cases, in English
    const week = sqlGet<{ n: number; p: number; v: number }>(
      "select count(*) as n, coalesce(sum(pieces), 0) as p, coalesce(sum(value_fen), 0) as v from cases where deleted_at is null and infringement_type = 'trademark' and seized_on between '2024-03-25' and '2024-03-31'");
    const before = sqlGet<{ n: number }>("select count(*) as n from cases where deleted_at is null and infringement_type = 'trademark' and seized_on between '2024-03-18' and '2024-03-24'");
    expect(week.n).toBeGreaterThan(0);
    expect(analystMail!.language).toBe("en");
    expect(analystMail!.subject).toBe(`Weekly digest of “${analystView}”: March 25, 2024 – March 31, 2024`);
    expect(analystMail!.text).toContain(`Cases: ${formatCount(week.n, "en")} | Comparison ${formatCount(before.n, "en")}`);
    expect(analystMail!.text).toContain(`Pieces: ${formatCount(week.p, "en")}`);
    expect(analystMail!.text).toContain(`Value (CNY): ${yuanText(week.v, { group: "en" })}`);
    expect(analystMail!.text).toContain("Infringement type: Trademark");
    expect(analystMail!.text).toContain(`${base}/?type=trademark`);

    // the member's: March 2024 against February, its company's cases only, in Chinese
    const month = sqlGet<{ n: number; p: number; v: number }>(
      `select count(*) as n, coalesce(sum(pieces), 0) as p, coalesce(sum(value_fen), 0) as v from cases c where deleted_at is null and seized_on between '2024-03-01' and '2024-03-31'
         and exists (select 1 from case_right_holders l where l.case_id = c.id and l.right_holder_id = ?)`, ids.holder);
    expect(memberMail!.language).toBe("zh-CN");
    expect(memberMail!.subject).toBe(`“${memberView}”每月摘要：2024年3月1日 – 2024年3月31日`);
    expect(memberMail!.text).toContain(`案件数: ${formatCount(month.n, "zh")}`);
    expect(memberMail!.text).toContain(`货值（人民币）: ${yuanText(month.v, { group: "zh" })}`);
    expect(month.n).toBeGreaterThanOrEqual(1);
    // the planted shared case is among its largest new cases, with the other company blotted out
    expect(memberMail!.text).toContain(plantedNo);
    expect(memberMail!.text).toContain("Handbags with ▇▇▇ (▇▇▇) logos");
    for (const body of [memberMail!.text, memberMail!.html]) {
      expect(body).not.toContain(coHolder.name);
      expect(body).not.toContain(coHolder.nameZh);
    }
    // never another company's name: none of the names of the other holders of its cases
    const others = db((d) => d.prepare(`select distinct h.name, h.name_zh as nameZh from right_holders h where h.id <> ?`).all(ids.holder) as { name: string; nameZh: string | null }[]);
    for (const o of others) {
      expect(memberMail!.text, o.name).not.toContain(o.name);
      expect(memberMail!.html, o.name).not.toContain(o.name);
      if (o.nameZh) expect(memberMail!.text, o.nameZh).not.toContain(o.nameZh);
    }
    for (const mail of [analystMail!, memberMail!]) {
      // the raw header lines (mailparser folds List-* headers into one object)
      const header = (name: string) => mail.raw.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n\s+/g, " ");
      expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
      expect(header("list-unsubscribe")).toMatch(new RegExp(`^List-Unsubscribe: <${base.replace(/[.]/g, "\\.")}/unsubscribe/[A-Za-z0-9_-]+>$`));
    }
    // once: another scan at the same clock writes nothing
    expect(await withEngine((e) => scanDigests(e, FIXED_NOW + 60_000))).toBe(0);

    // look at the e-mails as a mail client shows them
    const viewer = await browser.newPage({ viewport: { width: 900, height: 900 } });
    await viewer.setContent(memberMail!.html);
    await shot(viewer, "mail-zh");
    await viewer.setContent(analystMail!.html);
    await shot(viewer, "mail-en");
    await viewer.close();
  });

  it("the unsubscribe link works without signing in, stops that subscription only, and says when it is used", async () => {
    const [memberMail] = await smtp.waitFor(1, (m) => m.to === demoEmail("member"));
    const link = /(http\S+\/unsubscribe\/[A-Za-z0-9_-]+)/.exec(memberMail!.text)![1]!;
    const anonymous = await browser.newContext({ locale: "en-US" });
    contexts.push(anonymous);
    const page = await anonymous.newPage();
    await page.goto(link);
    // a link scanner's GET changes nothing: one button, in the subscriber's language
    expect(new URL(page.url()).pathname).toMatch(/^\/unsubscribe\//);
    expect(await page.getByTestId("unsubscribe-question").textContent()).toBe(`停止向${demoEmail("member")}发送视图“${memberView}”的每月摘要？`);
    expect(sqlGet<{ n: number }>("select count(*) as n from subscriptions where view_id = ?", ids.memberView).n).toBe(1);
    await expectNoSeriousAxeViolations(page);
    await shot(page, "unsubscribe-zh");
    await page.getByTestId("unsubscribe-button").focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("unsubscribe-done").waitFor();
    expect(await page.getByTestId("unsubscribe-done").textContent()).toBe("您已退订，今后不会再收到该视图的摘要。");
    expect(sqlGet<{ n: number }>("select count(*) as n from subscriptions where view_id = ?", ids.memberView).n).toBe(0);
    expect(sqlGet<{ n: number }>("select count(*) as n from subscriptions where view_id = ?", ids.analystView).n).toBe(1);
    await shot(page, "unsubscribed-zh");
    // used: a clear page (the browser's language), nothing changes
    const again = await page.goto(link);
    expect(again!.status()).toBe(404);
    expect(await page.getByTestId("unsubscribe-unknown").textContent()).toContain("This unsubscribe link is not valid");
    await expectNoSeriousAxeViolations(page);

    // the analyst's: a mail client's one-click POST (RFC 8058)
    const [analystMail] = await smtp.waitFor(1, (m) => m.to === demoEmail("analyst"));
    const analystLink = /(http\S+\/unsubscribe\/[A-Za-z0-9_-]+)/.exec(analystMail!.text)![1]!;
    const oneClick = await fetch(analystLink, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(oneClick.status).toBe(200);
    expect(sqlGet<{ n: number }>("select count(*) as n from subscriptions where view_id = ?", ids.analystView).n).toBe(0);
  });
});
