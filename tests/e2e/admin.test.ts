import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, sqlAll, signInAs, type DemoRole } from "./support";

// The admin pages in a real browser as the demo admin: every page passes axe, an account
// made on /admin/users can sign in at once and shows in the audit log, whose filters live in
// the URL; other roles get 403 and anonymous visitors the login page.

let browser: Browser;
let admin: BrowserContext;
let page: Page;
const email = `e2e-admin-${Date.now()}@example.test`;
const password = "an-e2e-password";

const sql = sqlAll;
const one = <T>(query: string, ...params: unknown[]): T => sql<T>(query, ...params)[0]!;

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 900 } });
  await signInAs(admin, "admin");
  page = await admin.newPage();
});
afterAll(async () => {
  await browser?.close();
});

async function visit(path: string): Promise<number> {
  const response = await page.goto(`${baseURL()}${path}`);
  await page.waitForLoadState("networkidle");
  return response?.status() ?? 0;
}

describe("the admin pages", () => {
  it("the index links to every section, and passes axe", async () => {
    expect(await visit("/admin")).toBe(200);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Administration");
    const hrefs = await page.locator(".admin-cards a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(hrefs).toEqual(["/admin/users", "/admin/audit", "/admin/right-holders", "/admin/offices", "/admin/deleted", "/admin/outbox", "/admin/tokens"]);
    await expectNoSeriousAxeViolations(page);
  });

  const pages: [string, () => string][] = [
    ["accounts", () => "/admin/users"],
    ["an account", () => `/admin/users/${one<{ id: string }>("select id from user where email = 'analyst@demo.test'").id}`],
    ["audit log", () => "/admin/audit"],
    ["e-mail outbox", () => "/admin/outbox"],
    ["API tokens", () => "/admin/tokens"],
    ["right holders", () => "/admin/right-holders"],
    ["a right holder", () => `/admin/right-holders/${one<{ id: number }>("select id from right_holders order by id limit 1").id}`],
    ["customs offices", () => "/admin/offices"],
    ["a subordinate customs", () => `/admin/offices/${one<{ id: number }>("select id from customs_offices where district_id is not null order by id limit 1").id}`],
  ];
  for (const [name, path] of pages) {
    it(`${name}: 200, and passes axe`, async () => {
      expect(await visit(path())).toBe(200);
      await expectNoSeriousAxeViolations(page);
    });
  }

  it("lists every account and every customs office", async () => {
    await visit("/admin/users");
    const accounts = sql<{ email: string }>("select email from user order by email").map((r) => r.email);
    expect(await page.locator('[data-testid="accounts-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-email")))).toEqual(accounts);
    await visit("/admin/offices");
    const offices = one<{ n: number }>("select count(*) as n from customs_offices").n;
    expect(await page.locator('[data-testid="admin-offices-table"] tbody tr').count()).toBe(offices);
  });

  it("creates an account that can sign in at once, and refuses the same email twice", async () => {
    await visit("/admin/users");
    const form = page.getByTestId("create-account");
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Name", { exact: true }).fill("E2E Analyst");
    await form.getByLabel("Role").selectOption("analyst");
    await form.getByLabel("Initial password").fill(password);
    await form.getByRole("button", { name: "Create the account" }).click();
    await form.getByText(`The account ${email} was created`).waitFor();
    await expect.poll(() => page.locator(`[data-testid="accounts-table"] tr[data-email="${email}"]`).count()).toBe(1);
    expect(one("select name, role, holder_id as holderId from user where email = ?", email)).toEqual({ name: "E2E Analyst", role: "analyst", holderId: null });

    // the new account signs in from another browser
    const other = await browser.newContext();
    try {
      const signIn = await other.request.post(`${baseURL()}/api/auth/sign-in/email`, {
        data: { email, password },
        headers: { origin: baseURL(), "content-type": "application/json" },
      });
      expect(signIn.status()).toBe(200);
      const session = await (await other.request.get(`${baseURL()}/api/auth/get-session`)).json();
      expect(session.user).toMatchObject({ email, role: "analyst" });
    } finally {
      await other.close();
    }

    // the same email again: a message at the field, nothing written
    await form.getByLabel("Email").fill(email.toUpperCase());
    await form.getByLabel("Name", { exact: true }).fill("Someone Else");
    await form.getByLabel("Initial password").fill(password);
    await form.getByRole("button", { name: "Create the account" }).click();
    await form.getByText("An account with this email exists already.").waitFor();
    expect(await form.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
    expect(one<{ n: number }>("select count(*) as n from user where email = ?", email).n).toBe(1);
  });

  it("the audit log lists the account's creation, newest first, and filters by action in the URL", async () => {
    const created = one<{ n: number }>("select count(*) as n from audit_log where action = 'create'").n;
    const total = one<{ n: number }>("select count(*) as n from audit_log").n;
    await visit("/admin/audit");
    expect(await page.getByTestId("audit-count").textContent()).toBe(`${total.toLocaleString("en-US")} ${total === 1 ? "entry" : "entries"}`);
    const first = page.locator('[data-testid="audit-table"] tbody tr').first();
    expect(await first.getAttribute("data-action")).toBe("create");
    expect(await first.getAttribute("data-entity")).toBe("user");
    expect(await first.textContent()).toContain(email);
    expect(await first.textContent()).toContain("admin@demo.test");

    await page.getByLabel("Action").selectOption("create");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/action=create/);
    await page.waitForLoadState("networkidle");
    expect(await page.getByTestId("audit-count").textContent()).toBe(`${created.toLocaleString("en-US")} ${created === 1 ? "entry" : "entries"}`);
    const actions = await page.locator('[data-testid="audit-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
    expect(actions.length).toBe(Math.min(created, 50));
    expect(new Set(actions)).toEqual(new Set(["create"]));

    // a filter with nothing to show, straight from the URL
    await visit("/admin/audit?action=merge&entity=user");
    expect(await page.getByTestId("audit-count").textContent()).toBe("0 entries");
    expect(await page.getByLabel("Action").inputValue()).toBe("merge");
    // a bad value is named, not an error
    expect(await visit("/admin/audit?action=explode&from=2020-13-01")).toBe(200);
    expect(await page.getByTestId("ignored-parameters").textContent()).toContain("action=explode");
  });
});

describe("who may not", () => {
  for (const role of ["analyst", "member"] as DemoRole[]) {
    it(`${role}: 403 on /admin and /admin/users`, async () => {
      const context = await browser.newContext({ locale: "en-US" });
      try {
        await signInAs(context, role);
        const p = await context.newPage();
        for (const path of ["/admin", "/admin/users"]) {
          const response = await p.goto(`${baseURL()}${path}`);
          expect(response?.status(), `${role} ${path}`).toBe(403);
          expect(await p.locator("[data-testid='accounts-table'], .admin-cards").count()).toBe(0);
        }
      } finally {
        await context.close();
      }
    });
  }

  it("anonymous: to the login page, and back afterwards", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    try {
      const p = await context.newPage();
      await p.goto(`${baseURL()}/admin/users`);
      expect(new URL(p.url()).pathname).toBe("/login");
      expect(new URL(p.url()).searchParams.get("next")).toBe("/admin/users");
      const response = await context.request.get(`${baseURL()}/admin`, { maxRedirects: 0 });
      expect(response.status()).toBe(307);
      expect(response.headers().location).toContain("/login?next=%2Fadmin");
    } finally {
      await context.close();
    }
  });
});
