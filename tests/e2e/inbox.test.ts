import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMoney } from "../../lib/format";
import { requiredBondFen } from "../../lib/procedure";
import { servedNotice } from "./notice-fixtures";
import { baseURL, demoEmail, expectNoSeriousAxeViolations, launchBrowser, signInAs, sqlAll, sqlGet, waitForHydration } from "./support";

// The right holders' inbox in Chromium (issue 16, cut 3): the member sees its company's notices
// with the deadline counting down and the overdue one marked; answers one (a bond below the
// required amount refused, then accepted to the fen) and declines another after confirming; the
// officer sees the answer (and who gave it, in the app) and releases the overdue case in one
// action; another company's notice and a bad id are the same 404; Chinese; axe; the header stays
// one line at 1,440 px with the Inbox link.

const SHOTS = "/work/notes/shots";
let browser: Browser;
let member: BrowserContext;
let admin: BrowserContext;
let memberPage: Page;
let adminPage: Page;
/** the notices this file serves: two open on the member's company's cases, one overdue, one on another company's case */
const c = { accept: 0, decline: 0, overdue: 0, other: 0 };
const caseNo = (id: number) => sqlGet<{ n: string }>("select case_no as n from cases where id = ?", id).n;
const value = (id: number) => sqlGet<{ v: number }>("select value_fen as v from cases where id = ?", id).v;
const steps = (id: number) => sqlAll<{ kind: string; answer: string | null; bondFen: number | null; bondKind: string | null; ground: string | null }>(
  "select kind, answer, bond_fen as bondFen, bond_kind as bondKind, ground from case_steps where case_id = ? order by id", id);
const shot = async (page: Page, name: string, fullPage = true) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/inbox-${name}.png`, fullPage });
};

beforeAll(async () => {
  c.accept = await servedNotice("inbox-accept", true, 1);
  c.decline = await servedNotice("inbox-decline", true, 1);
  c.overdue = await servedNotice("inbox-overdue", true, 20 * 24);
  c.other = await servedNotice("inbox-other", false, 1);
  browser = await launchBrowser();
  member = await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 1000 } });
  admin = await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 1000 } });
  await signInAs(member, "member");
  await signInAs(admin, "admin");
  memberPage = await member.newPage();
  adminPage = await admin.newPage();
});
afterAll(async () => {
  await browser?.close();
});

/** The header's items all sit on one line (their tops within a few pixels of each other). */
async function expectOneLineHeader(page: Page) {
  const tops = await page.locator("header.site-header > *").evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
  const heights = await page.locator("header.site-header > *").evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
  expect(Math.max(...tops) - Math.min(...tops), `header items' tops ${tops.join(", ")}`).toBeLessThan(Math.max(...heights));
}

describe("the right holders' inbox in Chromium", () => {
  it("lists the company's notices: the open ones with working days left, the overdue one marked; the header stays one line", async () => {
    await memberPage.goto(`${baseURL()}/inbox`);
    const table = memberPage.getByTestId("inbox-current");
    await table.waitFor();
    const row = (id: number) => table.locator(`tr[data-case='${caseNo(id)}']`);
    expect(await row(c.accept).getAttribute("data-state")).toBe("open");
    expect(await row(c.accept).getByTestId("notice-left").textContent()).toMatch(/^\d working days? left$/);
    expect(await row(c.accept).getByTestId("notice-deadline").textContent()).toMatch(/^24:00 Beijing time, /);
    expect(await row(c.overdue).getAttribute("data-state")).toBe("overdue");
    expect(await row(c.overdue).textContent()).toContain("Overdue: no longer answerable");
    expect(await table.locator(`tr[data-case='${caseNo(c.other)}']`).count()).toBe(0);
    // the open ones come before the overdue ones
    const states = await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-state")));
    expect(states.slice(states.indexOf("overdue")).includes("open")).toBe(false);
    await expect.poll(() => memberPage.locator("header nav").getByRole("link", { name: "Inbox" }).count()).toBe(1);
    await expectOneLineHeader(memberPage);
    await expectNoSeriousAxeViolations(memberPage);
    await shot(memberPage, "list");
  });

  it("refuses a bond below the required amount, then records the answer to the fen", async () => {
    const required = requiredBondFen(value(c.accept));
    await memberPage.goto(`${baseURL()}/inbox/${c.accept}`);
    const form = memberPage.getByTestId("answer-form");
    await waitForHydration(form.getByTestId("answer-requests_detention"));
    await form.getByTestId("answer-requests_detention").check();
    await form.getByTestId("answer-bond-kind").selectOption("deposit");
    const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
    expect(await form.getByTestId("answer-required-bond").textContent()).toContain(`At least ${formatMoney(required, "en")} for goods worth ${formatMoney(value(c.accept), "en")}`);
    if (required > 1) {
      await form.getByTestId("answer-bond").fill(yuan(required - 1));
      await form.getByTestId("answer-submit").click();
      await expect.poll(() => form.getByTestId("answer-refused").textContent()).toMatch(/^Not recorded: the bond must be at least RMB [\d,]+\.\d\d for these goods/);
      expect(steps(c.accept).map((s) => s.kind)).toEqual(["suspected", "notice_sent"]);
      await expectNoSeriousAxeViolations(memberPage);
      await shot(memberPage, "refused");
    }
    // what was typed stays; the exact amount, one fen above the minimum
    const exact = required + 1;
    await form.getByTestId("answer-bond").fill(yuan(exact));
    await form.getByTestId("answer-submit").click();
    await expect.poll(() => memberPage.getByTestId("notice-answered").textContent()).toContain("Requests detention");
    expect(steps(c.accept).at(-1)).toEqual({ kind: "holder_answered", answer: "requests_detention", bondFen: exact, bondKind: "deposit", ground: null });
  });

  it("declines after confirming", async () => {
    await memberPage.goto(`${baseURL()}/inbox/${c.decline}`);
    const form = memberPage.getByTestId("answer-form");
    await waitForHydration(form.getByTestId("answer-declines"));
    await form.getByTestId("answer-declines").check();
    // without the confirmation the form does not go (the box is required)
    await form.getByTestId("answer-submit").click();
    expect(await form.getByTestId("answer-confirm").evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);
    expect(steps(c.decline).length).toBe(2);
    await form.getByTestId("answer-confirm").check();
    await form.getByTestId("answer-submit").click();
    await expect.poll(() => memberPage.getByTestId("notice-answered").textContent()).toContain("Declines");
    expect(steps(c.decline).at(-1)).toMatchObject({ kind: "holder_answered", answer: "declines", bondFen: null });
  });

  it("answers another company's notice and a bad id with the same 404 as a missing one", async () => {
    const texts: string[] = [];
    for (const path of [`/inbox/${c.other}`, "/inbox/99999999", "/inbox/abc"]) {
      const response = await memberPage.goto(`${baseURL()}${path}`);
      expect(response?.status(), path).toBe(404);
      texts.push((await memberPage.locator("main").textContent()) ?? "");
    }
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toContain("Notice not found");
    expect(texts[0]).not.toContain(caseNo(c.other));
  });

  it("shows the officer the answer given in the app, and releases the overdue case in one action", async () => {
    await adminPage.goto(`${baseURL()}/procedure`);
    const answers = adminPage.getByTestId("app-answers-table");
    await answers.waitFor();
    const answered = answers.locator(`tr[data-case='${caseNo(c.accept)}']`);
    expect(await answered.textContent()).toContain(demoEmail("member"));
    expect(await answered.textContent()).toContain("Waiting for detention");
    // release due first: the passed answer period (the decline is release due too, further down)
    await adminPage.getByTestId("procedure-chips").locator("[data-chip='release_due']").click();
    await adminPage.waitForURL(/show=release_due/);
    const table = adminPage.getByTestId("deadline-table");
    const flags = await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-release-due")));
    expect(flags.every((f) => f === "yes")).toBe(true);
    const overdueRow = table.locator(`tr[data-case='${caseNo(c.overdue)}']`);
    expect(await overdueRow.textContent()).toContain("Release due");
    // a passed answer period comes first: the rows before ours are all of that kind
    const before = await table.locator("tbody tr").evaluateAll((rows, no) => rows.slice(0, rows.findIndex((r) => r.getAttribute("data-case") === no)).map((r) => r.textContent ?? ""), caseNo(c.overdue));
    expect(before.every((text) => text.includes("Record no answer and release"))).toBe(true);
    await shot(adminPage, "procedure", false);
    // the header stays one line for the officer too (no inbox link, more links of its own)
    await expectOneLineHeader(adminPage);
    const ask = overdueRow.getByTestId("release-ask");
    await waitForHydration(ask);
    expect(await ask.textContent()).toBe("Record no answer and release");
    await ask.click();
    await overdueRow.getByTestId("release-confirm").click();
    await expect.poll(() => steps(c.overdue).map((s) => s.kind)).toEqual(["suspected", "notice_sent", "no_answer", "released"]);
    expect(steps(c.overdue).at(-1)!.ground).toBe("no_answer");
    expect(sqlGet<{ s: string }>("select status as s from cases where id = ?", c.overdue).s).toBe("released");
    await expectNoSeriousAxeViolations(adminPage);
    // the case page names who answered in the app, and when
    await adminPage.goto(`${baseURL()}/cases/${c.accept}`);
    await expect.poll(() => adminPage.getByTestId("answered-in-app").textContent()).toMatch(new RegExp(`^answered in the app by ${demoEmail("member")} on `));
    // the member's view of the same case names no account
    await memberPage.goto(`${baseURL()}/cases/${c.accept}`);
    const section = memberPage.getByTestId("procedure");
    await section.waitFor();
    expect(await section.textContent()).not.toContain("@demo.test");
    // and its inbox shows the overdue notice closed
    await memberPage.goto(`${baseURL()}/inbox/${c.overdue}`);
    await expect.poll(() => memberPage.getByTestId("notice-closed").textContent()).toContain("no answer came in time");
  });

  it("speaks Chinese to a Chinese member, and keeps the header on one line", async () => {
    const zh = await browser.newContext({ locale: "zh-CN", viewport: { width: 1440, height: 1000 } });
    await signInAs(zh, "member");
    await zh.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
    const page = await zh.newPage();
    await page.goto(`${baseURL()}/inbox`);
    await expect.poll(() => page.locator("h1").textContent()).toBe("扣留通知");
    const past = page.getByTestId("inbox-past");
    await past.waitFor();
    expect(await past.locator(`tr[data-case='${caseNo(c.accept)}']`).textContent()).toContain("申请扣留");
    expect(await page.locator("header nav").getByRole("link", { name: "通知" }).count()).toBe(1);
    await expectOneLineHeader(page);
    await page.goto(`${baseURL()}/inbox/${c.accept}`);
    await expect.poll(() => page.getByTestId("notice-answered").textContent()).toMatch(/^已于.+答复：申请扣留。/);
    await expectNoSeriousAxeViolations(page);
    await shot(page, "zh");
    await zh.close();
  });
});
