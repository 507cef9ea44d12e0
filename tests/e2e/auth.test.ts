import http from "node:http";
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createAccount, createAuth } from "../../db/auth";
import { sqliteEngine } from "../../db/engine";
import { drizzleOf } from "../../db/sqlite/open";
import { DEMO_PASSWORD, baseURL, demoEmail, expectNoSeriousAxeViolations, launchBrowser, openTestDatabase, sessionCookie } from "./support";

// Signing in and out, the login page, slowing down guesses, password change, and what a
// member may see: only their company's cases, never another right holder's name on a case.

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

async function fillLogin(p: Page, email: string, password: string) {
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password").fill(password);
  await p.getByRole("button", { name: "Sign in" }).click();
}

describe("signing in", () => {
  it("sends an anonymous visitor to the login page, which lists the demo accounts", async () => {
    const response = await page.request.get(`${baseURL()}/cases?type=copyright`, { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    expect(response.headers().location).toMatch(/\/login\?next=%2Fcases%3Ftype%3Dcopyright$/);
    await page.goto(`${baseURL()}/cases?type=copyright`);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign in");
    const demo = await page.locator(".demo-accounts li code").allTextContents();
    expect(demo).toEqual(["admin@demo.test", "analyst@demo.test", "member@demo.test"]);
    expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
  });

  it("refuses a wrong password with a message, keeping the email", async () => {
    await fillLogin(page, demoEmail("analyst"), "not-the-password");
    await expect.poll(() => page.locator("#login-error").textContent()).toBe("Wrong email or password.");
    expect(await page.getByLabel("Email").inputValue()).toBe(demoEmail("analyst"));
    await expectNoSeriousAxeViolations(page);
  });

  it("signs in and comes back to the page asked for; signs out", async () => {
    await fillLogin(page, demoEmail("analyst"), "demo-password");
    await page.waitForURL(/\/cases\?type=copyright$/);
    expect(await page.locator(".user-menu").textContent()).toContain("analyst@demo.test");
    const cookie = (await context.cookies()).find((c) => c.name.endsWith("session_token"))!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Lax");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login/);
    await page.goto(baseURL());
    expect(new URL(page.url()).pathname).toBe("/login");
  });

  it("answers the API with 401 without a session", async () => {
    for (const path of ["/api/cases", "/api/cases/1", "/api/stats", "/api/cases/export?format=csv"]) {
      const response = await fetch(`${baseURL()}${path}`);
      expect(response.status, path).toBe(401);
      expect(((await response.json()) as { error: string }).error).toBe("unauthenticated");
    }
  });

  it("has no public sign-up", async () => {
    const response = await fetch(`${baseURL()}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseURL() },
      body: JSON.stringify({ email: "intruder@example.com", password: "long-enough-password", name: "X" }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    const db = openTestDatabase();
    expect(db.prepare("select count(*) as n from user where email = 'intruder@example.com'").get()).toEqual({ n: 0 });
    db.close();
  });

  it("slows down repeated failed sign-ins for an address", async () => {
    const attempt = () =>
      fetch(`${baseURL()}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: baseURL() },
        body: JSON.stringify({ email: "guess@demo.test", password: "wrong-password-x" }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    const blocked = await attempt();
    expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await blocked.json()) as { message: string }).message).toMatch(/try again in \d+ s/);
  });

  it("limits sign-in requests per client across every server process (better-auth's rate limit, in the database)", async () => {
    // requests that better-auth refuses before any password is hashed (not an email address):
    // the rate limit counts every request, and the failure throttle only wrong passwords; 60 of
    // them cost little, where 60 real sign-ins (scrypt each) outlasted the test on a busy machine.
    // A documentation address of its own (the e2e server trusts the test as its proxy); each on
    // a new connection, so that the server's processes take turns
    const cheap = JSON.stringify({ email: "not-an-email", password: "x" });
    const valid = JSON.stringify({ email: demoEmail("analyst"), password: DEMO_PASSWORD });
    const attempt = (body: string) =>
      new Promise<number>((resolve, reject) => {
        const request = http.request(
          `${baseURL()}/api/auth/sign-in/email`,
          { method: "POST", agent: false, headers: { "content-type": "application/json", origin: baseURL(), "x-forwarded-for": "192.0.2.61" } },
          (response) => {
            response.resume();
            response.on("end", () => resolve(response.statusCode ?? 0));
          },
        );
        request.on("error", reject);
        request.end(body);
      });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push(await attempt(cheap));
    expect(statuses).toEqual(Array(60).fill(400));
    // two server processes with limits in memory would each have allowed 60: the right password is refused too
    expect(await attempt(valid)).toBe(429);
    const db = openTestDatabase();
    expect(db.prepare("select count from rate_limit where key = '192.0.2.61|/sign-in/email'").get()).toEqual({ count: 60 });
    db.close();
  });

  it("changes a password: the new one works, the old one no longer does", async () => {
    const file = inject("databaseFile");
    const sqlite = new Database(file);
    sqlite.pragma("busy_timeout = 5000");
    const db = drizzleOf(sqlite);
    await createAccount(sqliteEngine(db), await createAuth(sqliteEngine(db)), { email: "changer@demo.test", name: "Changer", role: "analyst", holderId: null, password: "first-password-1" });
    sqlite.close();
    const p = await (await browser.newContext({ locale: "en-US" })).newPage();
    await p.goto(`${baseURL()}/login`);
    await fillLogin(p, "changer@demo.test", "first-password-1");
    await p.waitForURL((url) => url.pathname === "/");
    await p.goto(`${baseURL()}/account`);
    await p.getByLabel("Current password").fill("first-password-1");
    await p.getByLabel("New password (at least 10 characters)").fill("second-password-2");
    await p.getByLabel("New password again").fill("second-password-2");
    await p.getByRole("button", { name: "Change password" }).click();
    await p.waitForURL(/\/account\?changed=1$/);
    expect(await p.locator("main [role=status]").textContent()).toMatch(/was changed/);
    const signIn = (password: string) =>
      fetch(`${baseURL()}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: baseURL() },
        body: JSON.stringify({ email: "changer@demo.test", password }),
      });
    expect((await signIn("first-password-1")).status).toBe(401);
    expect((await signIn("second-password-2")).status).toBe(200);
    await p.context().close();
  });
});

describe("a member", () => {
  let holderId = 0;
  let holderName = "";
  let ownCases = 0;
  let otherCaseId = 0;
  beforeAll(() => {
    const db = openTestDatabase();
    const member = db.prepare("select u.holder_id as id, h.name from user u join right_holders h on h.id = u.holder_id where u.email = ?").get(demoEmail("member")) as { id: number; name: string };
    holderId = member.id;
    holderName = member.name;
    ownCases = (db.prepare(`select count(distinct l.case_id) as n from case_right_holders l join cases c on c.id = l.case_id
                            where c.deleted_at is null and l.right_holder_id = ?`).get(holderId) as { n: number }).n;
    otherCaseId = (db.prepare(`select id from cases where deleted_at is null and id not in (select case_id from case_right_holders where right_holder_id = ?) limit 1`).get(holderId) as { id: number }).id;
    db.close();
  });

  const asMember = async (path: string) => fetch(`${baseURL()}${path}`, { headers: { cookie: await sessionCookie("member") } });

  it("reads only their company's cases, with no other right holder's name, in the table API", async () => {
    const body = (await (await asMember("/api/cases?size=200")).json()) as { total: number; rows: { rightHolders: { id: number; name: string }[] }[] };
    expect(body.total).toBe(ownCases);
    expect(ownCases).toBeGreaterThan(0);
    for (const row of body.rows) expect(row.rightHolders).toEqual([expect.objectContaining({ id: holderId, name: holderName })]);
  });

  it("gets 404 for another company's case, and the case of their own", async () => {
    expect((await asMember(`/api/cases/${otherCaseId}`)).status).toBe(404);
    const own = (await (await asMember("/api/cases?size=1")).json()) as { rows: { id: number }[] };
    const response = await asMember(`/api/cases/${own.rows[0]!.id}`);
    expect(response.status).toBe(200);
    const detail = (await response.json()) as { rightHolders: { id: number }[] };
    expect(detail.rightHolders.map((h) => h.id)).toEqual([holderId]);
  });

  it("exports only their cases, naming only their company", async () => {
    const csv = await (await asMember("/api/cases/export?format=csv")).text();
    const lines = csv.trim().split(/\r?\n/);
    expect(lines.length - 1).toBe(ownCases);
    const db = openTestDatabase();
    const others = (db.prepare("select name from right_holders where id <> ?").all(holderId) as { name: string }[]).map((h) => h.name);
    db.close();
    const leaked = others.filter((name) => csv.includes(name));
    expect(leaked).toEqual([]);
  });

  it("sees their own company's cases on the dashboard and in the table", async () => {
    const all = (await (await asMember("/api/stats")).json()) as { kpis: { cases: number } };
    expect(all.kpis.cases).toBe(ownCases);
    const p = await browser.newContext({ locale: "en-US" }).then(async (c) => {
      await c.request.post(`${baseURL()}/api/auth/sign-in/email`, { data: { email: demoEmail("member"), password: "demo-password" }, headers: { origin: baseURL() } });
      return c.newPage();
    });
    await p.goto(`${baseURL()}/cases?size=200`);
    const names = await p.locator('[data-testid="cases-table"] tbody td[data-column="rightHolders"]').allTextContents();
    expect(names.length).toBe(Math.min(200, ownCases));
    for (const n of names) expect(n.trim()).toBe(holderName);
    const response = await p.goto(`${baseURL()}/cases/${otherCaseId}`);
    expect(response?.status()).toBe(404);
    await p.context().close();
  });
});
