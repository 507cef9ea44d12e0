import AxeBuilder from "@axe-core/playwright";
import Database from "better-sqlite3";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expect, inject } from "vitest";

export const baseURL = () => inject("baseURL");

/** Debian's Chromium, with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: inject("chromiumPath"),
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

/**
 * Waits until React has hydrated the element (it carries React's props): a click before that
 * reaches the bare HTML, and a disclosure opened so shows no options, since they are drawn by
 * React once it opens.
 */
export async function waitForHydration(locator: Locator): Promise<void> {
  await locator.waitFor();
  await locator.page().waitForFunction(
    (element) => element !== null && Object.keys(element).some((key) => key.startsWith("__reactProps$")),
    await locator.elementHandle(),
  );
}

/**
 * Waits until the explorer (filters, table) has finished a navigation it started: call it
 * after the URL shows the change, since the URL changes when the new page is committed and
 * `aria-busy` is then false again.
 */
export async function waitForExplorer(page: Page): Promise<void> {
  await page.locator('.explorer[aria-busy="false"]').first().waitFor();
}

/** Read-only access to the database the server uses, for independent SQL expectations. */
export function openTestDatabase(): Database.Database {
  return new Database(inject("databaseFile"), { readonly: true, fileMustExist: true });
}

/** A consistent copy of a database (by default the e2e one) at `file`, made while the shared server may be writing, for a test's own server. */
export async function copyTestDatabase(file: string, source: string = inject("databaseFile")): Promise<void> {
  const from = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await from.backup(file);
  } finally {
    from.close();
  }
}

/** Every row a query gives on the server's database (a connection of its own, closed again). */
export function sqlAll<T>(query: string, ...params: unknown[]): T[] {
  const db = openTestDatabase();
  try {
    return db.prepare(query).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The first row a query gives on the server's database. */
export const sqlGet = <T>(query: string, ...params: unknown[]): T => sqlAll<T>(query, ...params)[0]!;

/** Fails on serious or critical accessibility violations, listing them. */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  // let a re-render settle first: Next streams a dynamic page's <title> in after its body
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => document.title.trim().length > 0, undefined, { timeout: 10_000 });
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

export type DemoRole = "admin" | "analyst" | "member";
export const DEMO_PASSWORD = "demo-password";
export const demoEmail = (role: DemoRole) => `${role}@demo.test`;

/** Signs a browser context in as a demo user, through better-auth's HTTP endpoint. */
export async function signInAs(context: BrowserContext, role: DemoRole): Promise<void> {
  forgetClientFailures();
  const response = await context.request.post(`${baseURL()}/api/auth/sign-in/email`, {
    data: { email: demoEmail(role), password: DEMO_PASSWORD },
    headers: { origin: baseURL() },
  });
  expect(response.status(), `sign-in as ${role}`).toBe(200);
}

/**
 * Clears the sign-in failures counted for the test machine's own address on the shared
 * database: tests that fail sign-ins on purpose (the throttle's tests) must not lock the next
 * file's demo sign-ins out, whatever order the files run in and however fast.
 */
export function forgetClientFailures(): void {
  const db = new Database(inject("databaseFile"), { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare("delete from sign_in_failures where key like 'client:%'").run();
    // and better-auth's per-address rate limit (60 sign-ins a minute), which the suite's many
    // demo sign-ins from this one address outran on a quick machine
    db.prepare("delete from rate_limit where key like '127.0.0.1|%' or key like '::%'").run();
  } finally {
    db.close();
  }
}

const cookies = new Map<DemoRole, string>();
/** A session cookie ("name=value") of a demo user, for plain fetch calls. */
export async function sessionCookie(role: DemoRole): Promise<string> {
  const known = cookies.get(role);
  if (known) return known;
  forgetClientFailures();
  const response = await fetch(`${baseURL()}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseURL() },
    body: JSON.stringify({ email: demoEmail(role), password: DEMO_PASSWORD }),
  });
  expect(response.status, `sign-in as ${role}`).toBe(200);
  const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.includes("session_token"));
  expect(cookie, "a session cookie").toBeTruthy();
  cookies.set(role, cookie!);
  return cookie!;
}
