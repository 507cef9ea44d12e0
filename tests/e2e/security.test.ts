import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvLine, UTF8_BOM } from "../../lib/csv";
import { exportHeader } from "../../lib/export-columns";
import { baseURL, demoEmail, DEMO_PASSWORD, launchBrowser, openTestDatabase, sessionCookie, signInAs, type DemoRole } from "./support";

// Web security basics over real HTTP and in Chromium: the headers on every kind of answer, a
// Content-Security-Policy the pages work under (no violations, charts drawn, forms sent), a
// cross-site POST refused, the health check, and errors without stack traces. (The session
// cookie's HttpOnly and SameSite=Lax are checked in auth.test.ts.)

type Who = "anonymous" | DemoRole;

async function get(path: string, who: Who): Promise<Response> {
  const headers: Record<string, string> = who === "anonymous" ? {} : { cookie: await sessionCookie(who) };
  return fetch(`${baseURL()}${path}`, { headers, redirect: "manual" });
}

/** The directives of a CSP header, by name. */
function directives(policy: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (policy ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

function expectCommonHeaders(response: Response, what: string) {
  const h = response.headers;
  expect(h.get("x-content-type-options"), what).toBe("nosniff");
  expect(h.get("x-frame-options"), what).toBe("DENY");
  expect(h.get("referrer-policy"), what).toMatch(/^(strict-origin-when-cross-origin|no-referrer)$/);
  expect(h.get("permissions-policy"), what).toContain("camera=()");
  expect(directives(h.get("content-security-policy")).get("frame-ancestors"), what).toEqual(["'none'"]);
  // plain http here: HSTS only behind HTTPS (AUTH_SECURE_COOKIES=1)
  expect(h.get("strict-transport-security"), what).toBeNull();
  expect(h.get("x-powered-by"), what).toBeNull();
}

/** Checks a page's CSP: a nonce and 'strict-dynamic' for scripts, and every script tag carrying that nonce. */
function expectPagePolicy(response: Response, html: string, what: string): string {
  const csp = directives(response.headers.get("content-security-policy"));
  const scripts = csp.get("script-src") ?? [];
  const nonce = scripts.find((s) => s.startsWith("'nonce-"))?.slice("'nonce-".length, -1);
  expect(nonce, `${what}: script-src has a nonce`).toBeTruthy();
  expect(scripts, what).toContain("'strict-dynamic'");
  expect(scripts, what).not.toContain("'unsafe-inline'");
  expect(scripts, what).not.toContain("'unsafe-eval'");
  expect(csp.get("object-src"), what).toEqual(["'none'"]);
  expect(csp.get("base-uri"), what).toEqual(["'self'"]);
  expect(csp.get("form-action"), what).toEqual(["'self'"]);
  expect(csp.get("connect-src"), what).toEqual(["'self'"]);
  expect(csp.get("img-src"), what).toEqual(["'self'", "data:"]);
  const tags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length, `${what}: scripts in the page`).toBeGreaterThan(0);
  expect(tags.filter((t) => !t.includes(`nonce="${nonce}"`)), `${what}: scripts without the nonce`).toEqual([]);
  return nonce!;
}

describe("security headers", () => {
  const PAGES: [string, string, Who][] = [
    ["login page", "/login", "anonymous"],
    ["dashboard", "/", "analyst"],
    ["cases table", "/cases", "analyst"],
    ["admin page", "/admin", "admin"],
    ["admin: users", "/admin/users", "admin"],
  ];
  for (const [name, path, who] of PAGES) {
    it(`${name} (${path}): CSP with a nonce, frame-ancestors 'none', nosniff, referrer policy`, async () => {
      const response = await get(path, who);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
      expectCommonHeaders(response, path);
      expectPagePolicy(response, await response.text(), path);
    });
  }

  it("a fresh nonce for every request", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const response = await get("/login", "anonymous");
      nonces.add(expectPagePolicy(response, await response.text(), "/login"));
    }
    expect(nonces.size).toBe(3);
  });

  it("the redirect to the login page, a 403 and a 404 page carry them too", async () => {
    const redirect = await get("/cases", "anonymous");
    expect(redirect.status).toBe(307);
    expectCommonHeaders(redirect, "redirect");
    const forbidden = await get("/admin", "analyst");
    expect(forbidden.status).toBe(403);
    expectCommonHeaders(forbidden, "403 page");
    expectPagePolicy(forbidden, await forbidden.text(), "403 page");
    const missing = await get("/no-such-page", "analyst");
    expect(missing.status).toBe(404);
    expectCommonHeaders(missing, "404 page");
  });

  const APIS: [string, string, Who, number][] = [
    ["an API route", "/api/cases?pageSize=1", "analyst", 200],
    ["an API route, anonymous", "/api/cases", "anonymous", 401],
    ["the health check", "/api/health", "anonymous", 200],
    ["better-auth", "/api/auth/get-session", "anonymous", 200],
  ];
  for (const [name, path, who, status] of APIS) {
    it(`${name} (${path}): nosniff, frame-ancestors 'none', referrer policy`, async () => {
      const response = await get(path, who);
      expect(response.status).toBe(status);
      expectCommonHeaders(response, path);
      expect(directives(response.headers.get("content-security-policy")).get("default-src")).toEqual(["'none'"]);
    });
  }

  it("Next's static files carry nosniff", async () => {
    const html = await (await get("/login", "anonymous")).text();
    const src = html.match(/<script[^>]+src="(\/_next\/static\/[^"]+)"/)?.[1];
    expect(src).toBeTruthy();
    const response = await fetch(`${baseURL()}${src}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("the pages under the Content-Security-Policy, in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A page that records console messages, page errors and CSP violation events. */
  async function watchedPage(context: BrowserContext): Promise<{ page: Page; problems: () => Promise<string[]> }> {
    const seen: string[] = [];
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => seen.push(`page error: ${e.message}`));
    return {
      page,
      problems: async () => {
        const violations = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []).catch(() => []);
        return [...seen, ...violations.map((v) => `violation: ${v}`)];
      },
    };
  }

  async function signedIn(role: DemoRole): Promise<BrowserContext> {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 1000 } });
    await signInAs(context, role);
    return context;
  }

  it("the dashboard draws its charts, with no violation (analyst)", async () => {
    const context = await signedIn("analyst");
    try {
      const { page, problems } = await watchedPage(context);
      const response = await page.goto(`${baseURL()}/`);
      expect(response?.status()).toBe(200);
      await page.locator("svg.chart-svg").first().waitFor({ timeout: 20_000 });
      expect(await page.locator("svg.chart-svg").count()).toBeGreaterThan(0);
      await page.waitForLoadState("networkidle");
      // a client-side navigation: the RSC request goes through connect-src
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cases" }).click();
      await page.waitForURL(/\/cases$/);
      await page.locator("table").first().waitFor();
      await page.waitForLoadState("networkidle");
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the cases table works, with no violation (analyst)", async () => {
    const context = await signedIn("analyst");
    try {
      const { page, problems } = await watchedPage(context);
      expect((await page.goto(`${baseURL()}/cases`))?.status()).toBe(200);
      await page.locator("table tbody tr").first().waitFor();
      await page.waitForLoadState("networkidle");
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the new case form, with no violation (admin)", async () => {
    const context = await signedIn("admin");
    try {
      const { page, problems } = await watchedPage(context);
      expect((await page.goto(`${baseURL()}/cases/new`))?.status()).toBe(200);
      await page.locator("form").first().waitFor();
      await page.waitForLoadState("networkidle");
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the login page, and its form signs in, with no violation", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    try {
      const { page, problems } = await watchedPage(context);
      expect((await page.goto(`${baseURL()}/login`))?.status()).toBe(200);
      await page.waitForLoadState("networkidle");
      await page.getByLabel("Email").fill(demoEmail("analyst"));
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === "/");
      await page.locator("svg.chart-svg").first().waitFor({ timeout: 20_000 });
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("cross-site requests (CSRF)", () => {
  function counts() {
    const db = openTestDatabase();
    try {
      return {
        cases: (db.prepare("select count(*) as n from cases").get() as { n: number }).n,
        audit: (db.prepare("select count(*) as n from audit_log").get() as { n: number }).n,
      };
    } finally {
      db.close();
    }
  }

  /** A CSV of one valid new case (the columns of the export), with a case number no other test uses. */
  function importForm(): { form: FormData; caseNo: string } {
    const db = openTestDatabase();
    let caseNo: string;
    let office: string;
    let holder: string;
    try {
      const last = (db.prepare("select max(case_no) as no from cases where case_no like '0200-2024-97%'").get() as { no: string | null }).no;
      caseNo = `0200-2024-97${String(last ? Number(last.slice(-2)) + 1 : 0).padStart(2, "0")}`;
      office = (db.prepare("select code from customs_offices where district_id is not null order by code limit 1").get() as { code: string }).code;
      holder = (db.prepare("select name from right_holders order by id limit 1 offset 5").get() as { name: string }).name;
    } finally {
      db.close();
    }
    const row = [caseNo, "2024-05-06", "", "", office, "", "Trademark", "Toys", "CSRF probe", "12", "1234.56", "Import", "Express", "Air",
      "Ex officio", "HK", "CN", "", "Detained", "", "no", "no", "", holder, "must never be written"];
    const form = new FormData();
    form.append("file", new Blob([UTF8_BOM + csvLine(exportHeader("en")) + csvLine(row)], { type: "text/csv" }), "cases.csv");
    return { form, caseNo };
  }

  async function postImport(mode: string, headers: Record<string, string>, form: FormData): Promise<Response> {
    return fetch(`${baseURL()}/api/admin/import?mode=${mode}`, {
      method: "POST",
      headers: { cookie: await sessionCookie("admin"), ...headers },
      body: form,
    });
  }

  it("the import refuses a cross-site POST from an admin's browser and writes nothing", async () => {
    const { form, caseNo } = importForm();
    const before = counts();
    const refused: [string, Record<string, string>][] = [
      ["Origin of another site", { origin: "https://evil.example" }],
      ["Origin of the same host on another port", { origin: "http://127.0.0.1:1" }],
      ["Origin null (a sandboxed frame)", { origin: "null" }],
      ["Referer of another site, no Origin", { referer: "https://evil.example/page" }],
      ["neither Origin nor Referer", {}],
      ["Sec-Fetch-Site cross-site", { origin: baseURL(), "sec-fetch-site": "cross-site" }],
    ];
    for (const [what, headers] of refused) {
      const response = await postImport("commit", headers, form);
      expect(response.status, what).toBe(403);
      const body = (await response.json()) as { error: string };
      expect(body.error, what).toBe("cross_site");
    }
    expect(counts()).toEqual(before);
    const db = openTestDatabase();
    try {
      expect(db.prepare("select count(*) as n from cases where case_no = ?").get(caseNo)).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    // the same file from the tracker's own page is accepted (a dry run: nothing written)
    const own = await postImport("dry-run", { origin: baseURL() }, form);
    expect(own.status).toBe(200);
    const ownByReferer = await postImport("dry-run", { referer: `${baseURL()}/admin/import` }, form);
    expect(ownByReferer.status).toBe(200);
    expect(counts()).toEqual(before);
  });

  it("better-auth's endpoints refuse a cross-site POST that carries the session cookie", async () => {
    // a fresh session, so that a refusal that failed would end no other test's session
    const signIn = await fetch(`${baseURL()}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseURL() },
      body: JSON.stringify({ email: demoEmail("analyst"), password: DEMO_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.includes("session_token"))!;
    for (const origin of ["https://evil.example", "http://evil.example"]) {
      const response = await fetch(`${baseURL()}/api/auth/sign-out`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, origin },
        body: "{}",
      });
      expect(response.status, origin).toBe(403);
    }
    const session = await fetch(`${baseURL()}/api/auth/get-session`, { headers: { cookie } });
    expect(await session.json(), "still signed in").not.toBeNull();
  });

  it("a cross-site sign-in is refused", async () => {
    const response = await fetch(`${baseURL()}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ email: demoEmail("analyst"), password: DEMO_PASSWORD }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie().filter((c) => c.includes("session_token"))).toEqual([]);
  });
});

describe("health and errors", () => {
  it("GET /api/health needs no session and reports the database and its migrations", async () => {
    const response = await fetch(`${baseURL()}/api/health`, { redirect: "manual" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("cache-control")).toContain("no-store");
    const body = (await response.json()) as {
      status: string;
      database: { reachable: boolean; migrations: { applied: number; expected: number; current: boolean } };
      time: string;
    };
    expect(body.status).toBe("ok");
    expect(body.database.reachable).toBe(true);
    expect(body.database.migrations.current).toBe(true);
    expect(body.database.migrations.applied).toBe(body.database.migrations.expected);
    expect(body.database.migrations.expected).toBeGreaterThan(0);
    expect(Math.abs(Date.parse(body.time) - Date.now())).toBeLessThan(60_000);
  });

  it("API errors are JSON without a stack trace", async () => {
    for (const [path, status] of [
      ["/api/cases/abc", 404],
      ["/api/cases/99999999999", 404],
      ["/api/cases?size=500", 400],
      ["/api/cases?sort=password.asc", 400],
      ["/api/cases?holder=1%3B%20drop%20table%20cases", 400],
    ] as const) {
      const response = await get(path, "analyst");
      expect(response.status, path).toBe(status);
      expect(response.headers.get("content-type"), path).toContain("application/json");
      const text = await response.text();
      expect(text, path).not.toMatch(/\n\s+at |\bat [\w.<>]+ \(|node_modules|\.next\/|Error:/);
      expect(() => JSON.parse(text), path).not.toThrow();
    }
  });
});
