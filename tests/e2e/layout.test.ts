import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, signInAs, waitForHydration, type DemoRole } from "./support";

// The layout at the two sizes people use: a 1440 px desktop, where the header is one line for
// every role in both languages (with room for two more items: an Inbox link and a
// notification bell) and links in tables are targets of at least 24 px; and a 390×844 phone,
// where the header's links fold behind a Menu button, the filters sit in a drawer, the cases
// are cards, the first figure is on the first screen and nothing scrolls sideways.

const SHOTS = "/work/notes/shots";
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(role: DemoRole, locale: "en" | "zh", viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: locale === "zh" ? "zh-CN" : "en-US", viewport });
  await signInAs(context, role);
  return { context, page: await context.newPage() };
}

/** Saves a screenshot for the notes when the folder exists (a developer's machine), never failing the test. */
async function shot(page: Page, name: string): Promise<void> {
  if (fs.existsSync(SHOTS)) await page.screenshot({ path: `${SHOTS}/pages-${name}.png`, fullPage: false });
}

/** How many lines the header's items take: items whose tops differ by more than half an item's height are on another line. */
async function headerLines(page: Page): Promise<number> {
  return page.evaluate(() => {
    const header = document.querySelector(".site-header")!;
    const items = [...header.querySelectorAll(".brand, nav li, .language-switch, .user-menu > *")]
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0);
    const lines: number[] = [];
    for (const r of items) {
      const middle = r.top + r.height / 2;
      if (!lines.some((m) => Math.abs(m - middle) < 12)) lines.push(middle);
    }
    return lines.length;
  });
}

describe("desktop, 1440 px", () => {
  for (const role of ["admin", "analyst", "member"] as DemoRole[]) {
    it(`the ${role}'s header is one line in both languages, with room for an Inbox link and a bell`, async () => {
      for (const locale of ["en", "zh"] as const) {
        const { context, page } = await open(role, locale, { width: 1440, height: 900 });
        await page.goto(`${baseURL()}/`);
        expect(await page.getByTestId("menu-button").isVisible()).toBe(false);
        expect(await headerLines(page), `${role} ${locale}`).toBe(1);
        if (role === "member") await shot(page, `desktop-${locale}`);
        // the two items other work adds to the header, and a margin of 40 px
        await page.evaluate((zh) => {
          const ul = document.querySelector(".site-header nav ul")!;
          const inbox = document.createElement("li");
          inbox.innerHTML = `<a href="#">${zh ? "收件箱" : "Inbox"}</a>`;
          const bell = document.createElement("li");
          bell.innerHTML = '<button type="button" style="width: 40px; height: 32px">🔔</button>';
          const margin = document.createElement("li");
          margin.style.width = "40px";
          margin.textContent = "\u00a0";
          ul.append(inbox, bell, margin);
        }, locale === "zh");
        expect(await headerLines(page), `${role} ${locale} with two more items`).toBe(1);
        await context.close();
      }
    });
  }

  it("links in the tables are at least 24 px tall", async () => {
    const { context, page } = await open("analyst", "en", { width: 1440, height: 900 });
    for (const path of ["/cases", "/right-holders"]) {
      await page.goto(`${baseURL()}${path}`);
      // wait for the table's rows, not for the load event: the case table arrives after the
      // page's loading shape (charts branch: facets drawn at once, totals streamed)
      await page.locator(".data-table tbody tr a").first().waitFor();
      const heights = await page.locator(".data-table td a, .data-table tbody th a").evaluateAll((links) =>
        links.filter((a) => a.getClientRects().length > 0).map((a) => Math.round(a.getBoundingClientRect().height * 10) / 10),
      );
      expect(heights.length, path).toBeGreaterThan(5);
      expect(Math.min(...heights), path).toBeGreaterThanOrEqual(24);
    }
    await context.close();
  });
});

describe("phone, 390×844", () => {
  /** How far the page scrolls sideways (0: not at all), naming the widest elements that stick out when it does. */
  const sideways = (page: Page) =>
    page.evaluate(() => {
      const over = document.documentElement.scrollWidth - window.innerWidth;
      if (over <= 0) return "0";
      const out = [...document.querySelectorAll("main *, header *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest(".table-scroll, .filter-drawer"))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).split(" ")[0]} (${Math.round(el.getBoundingClientRect().right)} px)`);
      return `${over} px: ${out.join(", ")}`;
    });

  for (const locale of ["en", "zh"] as const) {
    it(`in ${locale === "en" ? "English" : "Chinese"}: Menu button, filter drawer, first figure on the first screen, cards, nothing sideways`, async () => {
      const { context, page } = await open("analyst", locale, { width: 390, height: 844 });
      await page.goto(`${baseURL()}/`);
      await page.locator('[data-kpi="cases"]').waitFor();

      // the first figure starts within the first screen
      const kpiTop = await page.locator(".kpi-card").first().evaluate((el) => el.getBoundingClientRect().top);
      expect(kpiTop).toBeLessThan(844 - 60);
      expect(await sideways(page)).toBe("0");
      await shot(page, `phone-home-${locale}`);

      // the header's links fold behind the Menu button, which the keyboard opens and Escape closes
      const menu = page.getByTestId("menu-button");
      const nav = page.locator(".site-header nav");
      expect(await nav.isVisible()).toBe(false);
      await waitForHydration(menu);
      await menu.focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => nav.isVisible()).toBe(true);
      expect(await menu.getAttribute("aria-expanded")).toBe("true");
      await shot(page, `phone-menu-${locale}`);
      await page.keyboard.press("Tab");
      await page.keyboard.press("Escape");
      await expect.poll(() => nav.isVisible()).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("menu-button");

      // the filters sit in a drawer, opened and closed from the keyboard
      const drawerButton = page.getByTestId("filter-drawer-button");
      const bar = page.locator(".filter-bar");
      expect(await bar.isVisible()).toBe(false);
      await waitForHydration(drawerButton);
      await drawerButton.focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => bar.isVisible()).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("filter-drawer");
      await shot(page, `phone-filters-${locale}`);
      await expectNoSeriousAxeViolations(page);
      await page.keyboard.press("Escape");
      await expect.poll(() => bar.isVisible()).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("filter-drawer-button");

      // the cases as cards, each value under its column's name
      await page.goto(`${baseURL()}/cases`);
      const firstRow = page.locator('[data-testid="cases-table"] tbody tr').first();
      await firstRow.waitFor();
      expect(await firstRow.evaluate((tr) => getComputedStyle(tr).display)).toBe("grid");
      expect(await firstRow.locator('td[data-column="caseNo"]').evaluate((td) => getComputedStyle(td, "::before").content)).not.toBe("none");
      expect(await sideways(page)).toBe("0");
      await shot(page, `phone-cases-${locale}`);
      await expectNoSeriousAxeViolations(page);

      // and the other pages of the navigation do not scroll sideways either
      for (const path of ["/right-holders", "/districts", "/recordations", await firstRow.locator("a").first().getAttribute("href")]) {
        await page.goto(`${baseURL()}${path}`);
        await page.waitForLoadState("networkidle");
        expect(`${path}: ${await sideways(page)}`).toBe(`${path}: 0`);
      }
      await context.close();
    });
  }
});
