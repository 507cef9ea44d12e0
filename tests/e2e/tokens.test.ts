import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, signInAs, sqlGet, waitForHydration } from "./support";

// Personal API tokens in the browser and over real HTTP (issue 20, item 5): a member makes one
// on /account, sees it once (copy button), uses it with `Authorization: Bearer`, reads only its
// company's cases (as SQL counts them), sees its last use, revokes it (confirmed) and is then
// refused with 401; an expired token is refused too; an admin sees every token on
// /admin/tokens (in Chinese here) and revokes one. axe on both pages.

const SHOTS = "/work/notes/shots";
const shot = async (page: Page, name: string) => {
  if (fs.existsSync(SHOTS)) await page.screenshot({ path: path.join(SHOTS, `tokens-${name}.png`), fullPage: true });
};
const write = (query: string, ...params: unknown[]) => {
  const d = new Database(inject("databaseFile"), { fileMustExist: true });
  try {
    d.pragma("busy_timeout = 5000");
    d.prepare(query).run(...params);
  } finally {
    d.close();
  }
};
const api = (path: string, token: string) => fetch(`${baseURL()}${path}`, { headers: { authorization: `Bearer ${token}` } });
const suffix = String(Date.now() % 100000);

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe("personal API tokens", () => {
  let memberToken = "";

  it("a member creates one on /account, sees it once, uses it within its scope, and revokes it", async () => {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1440, height: 900 } });
    await signInAs(context, "member");
    const page = await context.newPage();
    await page.goto(`${baseURL()}/account`);
    const form = page.getByTestId("token-form");
    await waitForHydration(page.getByTestId("token-create"));
    // a name is required: a clear message, nothing written
    await page.getByTestId("token-name").fill("   ");
    await page.getByTestId("token-create").click();
    await expect.poll(() => page.locator("#token-name-error").textContent()).toContain("Give the token a name");
    const name = `Nightly export ${suffix}`;
    await page.getByTestId("token-name").fill(name);
    expect(await form.getByTestId("token-days").inputValue()).toBe("90");
    await form.getByTestId("token-days").selectOption("30");
    await page.getByTestId("token-create").click();
    const value = page.getByTestId("token-value");
    await value.waitFor();
    memberToken = (await value.textContent())!;
    expect(memberToken).toMatch(/^bet_[A-Za-z0-9_-]{43}$/);
    await expect.poll(() => page.getByTestId("token-copy").isVisible()).toBe(true);
    const row = sqlGet<{ id: number; hash: string; prefix: string; days: number }>(
      "select id, hash, prefix, (expires_at - created_at) / 86400000 as days from api_tokens where name = ?", name);
    expect(row.hash).not.toContain(memberToken.slice(4));
    expect(memberToken.startsWith(row.prefix)).toBe(true);
    expect(row.days).toBe(30);
    await shot(page, "account-created");
    await expectNoSeriousAxeViolations(page);

    // over HTTP, without a cookie: the member's company's cases only, as SQL counts them
    const holderId = sqlGet<{ h: number }>("select holder_id as h from user where email = 'member@demo.test'").h;
    const expected = sqlGet<{ n: number }>(`select count(*) as n from cases c where c.deleted_at is null
      and exists (select 1 from case_right_holders l where l.case_id = c.id and l.right_holder_id = ?)`, holderId).n;
    const cases = await api("/api/cases?size=5", memberToken);
    expect(cases.status).toBe(200);
    expect(((await cases.json()) as { total: number }).total).toBe(expected);
    const stats = await api("/api/stats", memberToken);
    expect(((await stats.json()) as { kpis: { cases: number } }).kpis.cases).toBe(expected);
    const other = sqlGet<{ id: number }>("select min(id) as id from cases where deleted_at is null and id not in (select case_id from case_right_holders where right_holder_id = ?)", holderId).id;
    expect((await api(`/api/cases/${other}`, memberToken)).status).toBe(404);
    expect((await api("/api/cases/export?format=csv&from=2016-01-01&to=2016-12-31", memberToken)).status).toBe(200);

    // shown once: after a reload only its first characters, and its last use
    await page.reload();
    const html = await page.content();
    expect(html).not.toContain(memberToken);
    const listed = page.locator(`[data-testid="token-row"][data-id="${row.id}"]`);
    expect(await listed.textContent()).toContain(row.prefix);
    expect(await listed.textContent()).not.toContain("Never");
    await shot(page, "account-list");

    // revoke, confirmed in a dialog (Escape keeps it)
    const revoke = page.getByTestId(`revoke-${row.id}`);
    await waitForHydration(revoke);
    await revoke.click();
    await page.keyboard.press("Escape");
    expect(sqlGet<{ r: number | null }>("select revoked_at as r from api_tokens where id = ?", row.id).r).toBeNull();
    await revoke.click();
    await page.getByTestId(`confirm-revoke-${row.id}`).click();
    await expect.poll(() => listed.getAttribute("data-state")).toBe("revoked");
    const refused = await api("/api/cases", memberToken);
    expect(refused.status).toBe(401);
    const body = (await refused.json()) as { error: string; message: string };
    expect(body.error).toBe("token_revoked");
    expect(body.message).toContain("revoked");
    await context.close();
  });

  it("refuses an expired token and a malformed header with a clear 401", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    await signInAs(context, "analyst");
    const page = await context.newPage();
    await page.goto(`${baseURL()}/account`);
    await waitForHydration(page.getByTestId("token-create"));
    await page.getByTestId("token-name").fill(`Soon expired ${suffix}`);
    await page.getByTestId("token-create").click();
    const token = (await page.getByTestId("token-value").textContent())!;
    expect((await api("/api/stats", token)).status).toBe(200);
    write("update api_tokens set expires_at = ? where name = ?", Date.now() - 1000, `Soon expired ${suffix}`);
    const expired = await api("/api/stats", token);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: string }).error).toBe("token_expired");
    const malformed = await fetch(`${baseURL()}/api/stats`, { headers: { authorization: "Token abc" } });
    expect(malformed.status).toBe(401);
    expect(((await malformed.json()) as { message: string }).message).toContain("Bearer");
    await context.close();
  });

  it("an admin sees every token on /admin/tokens (in Chinese) and revokes one", async () => {
    const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1440, height: 900 } });
    await signInAs(context, "admin");
    await context.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
    const page = await context.newPage();
    await page.goto(`${baseURL()}/admin`);
    await page.locator('a.admin-card[href="/admin/tokens"]').click();
    await page.waitForURL(/\/admin\/tokens$/);
    expect(await page.locator('.admin-nav a[href="/admin/tokens"]').getAttribute("aria-current")).toBe("page");
    expect(await page.locator("h1").textContent()).toBe("所有账户的接口令牌");
    const analysts = page.locator('[data-testid="token-row"]', { hasText: `Soon expired ${suffix}` });
    expect(await analysts.getAttribute("data-state")).toBe("expired");
    expect(await analysts.textContent()).toContain("analyst@demo.test");
    // a member's live token, revoked by the admin
    write(`insert into api_tokens (user_id, name, prefix, hash, created_at, expires_at) select id, ?, 'bet_zzzzzz', ?, ?, ? from user where email = 'member@demo.test'`,
      `Admin revokes ${suffix}`, `${suffix}`.padEnd(64, "0"), Date.now(), Date.now() + 86_400_000);
    await page.reload();
    const target = page.locator('[data-testid="token-row"]', { hasText: `Admin revokes ${suffix}` });
    const id = await target.getAttribute("data-id");
    await shot(page, "admin-zh");
    await expectNoSeriousAxeViolations(page);
    await waitForHydration(page.getByTestId(`revoke-${id}`));
    await page.getByTestId(`revoke-${id}`).click();
    expect(await page.locator("dialog[open] h2").textContent()).toContain("撤销令牌");
    await page.getByTestId(`confirm-revoke-${id}`).click();
    await expect.poll(() => target.getAttribute("data-state")).toBe("revoked");
    const audit = sqlGet<{ n: number }>("select count(*) as n from audit_log where entity = 'api_token' and entity_id = ? and action = 'update' and user_id = (select id from user where email = 'admin@demo.test')", Number(id));
    expect(audit.n).toBe(1);
    await context.close();
  });
});
