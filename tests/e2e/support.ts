import AxeBuilder from "@axe-core/playwright";
import Database from "better-sqlite3";
import { chromium, type Browser, type Page } from "playwright-core";
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

/** Read-only access to the database the server uses, for independent SQL expectations. */
export function openTestDatabase(): Database.Database {
  return new Database(inject("databaseFile"), { readonly: true, fileMustExist: true });
}

/** Fails on serious or critical accessibility violations, listing them. */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  // let a re-render settle first: Next streams a dynamic page's <title> in after its body
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => document.title.trim().length > 0, undefined, { timeout: 10_000 });
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}
