import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, launchBrowser, signInAs, sqlAll, type DemoRole } from "./support";

// Every Chinese page each role can reach is read for English left untranslated. The pages
// are found from the header's navigation and then one page of each kind linked from there
// (a case, its edit form, a district, a right holder, a recordation, an admin page…), so a
// page added to the navigation later is read too, without a list to keep up to date.
//
// What is not UI text is left out: text inside an element marked lang="en" (English data,
// such as a holder's English name or an English goods description, which the pages mark so
// that screen readers read it as English; that includes data other test files write into
// the shared database), code (commands), e-mail addresses and web addresses. The few Latin
// words that are names of formats, units or bodies in Chinese text too are allowed below, and
// so are the words of names that are data: right holders' English names, recordations'
// English titles, parties' names and users' names (brands, companies and people, shown beside their Chinese names
// or alone when they have none), read from the database when the crawl starts.

const ALLOWED = new Set([
  "RMB", // the currency code, as GACC's Chinese statistics write it
  "CSV", "Excel", "XLSX", "MB", "UTF", // file formats and sizes of the export and import
  "PDF", // the dashboard report's format
  "PNG", "JPEG", "WebP", // image formats of the recordation form
  "QBPC", // the association's name
  "UTC", // the time-zone note
  "Ctrl", "Mac", // key names
]);
/** Most pages read per role: each kind of page once. */
const MAX_PAGES = 40;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The Latin words of the page's text and attributes that are not data marked English, with where they are. */
async function latinWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // form values are what was typed; recharts' drawings are being replaced by the charts' own SVG (issue 19 items 2 and 7)
    const skip = (el: Element | null) =>
      !el || el.closest('[lang^="en"], script, style, noscript, code, template, textarea, .recharts-wrapper, [data-crawl-skip]') !== null;
    const words = (text: string) =>
      text
        .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, " ") // e-mail addresses
        .replace(/https?:\/\/\S+/g, " ")
        // words, not letters glued to digits: document and case numbers (TZ2025-45134, T2016-…) are data
        .match(/(?<![A-Za-z0-9])[A-Za-z][A-Za-z'’]*[A-Za-z](?![A-Za-z0-9])/g) ?? [];
    const where = (el: Element) => {
      const id = el.closest("[data-testid]")?.getAttribute("data-testid");
      return `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? `.${el.className.split(" ")[0]}` : ""}${id ? ` in ${id}` : ""}`;
    };
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (skip(el)) continue;
      for (const w of words(node.textContent ?? "")) found.push(`${w} (${where(el!)}: "${(node.textContent ?? "").trim().slice(0, 60)}")`);
    }
    for (const el of document.body.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
      if (skip(el)) continue;
      for (const name of ["aria-label", "title", "placeholder", "alt"]) {
        const value = el.getAttribute(name);
        if (value) for (const w of words(value)) found.push(`${w} (${where(el)} @${name}: "${value.slice(0, 60)}")`);
      }
    }
    return found;
  });
}

/** The page's kind: its path with ids as ":id" (/cases/123/edit is /cases/:id/edit; an account's id is a random string). */
const kindOf = (path: string) => path.replace(/\/(\d+|[A-Za-z0-9_-]{20,})(?=\/|$)/g, "/:id");

/** Links worth following: pages of the app (no API, download, sign-in or sign-out). The
 * attribute, not `.href`: the charts' links are SVG `<a>` elements, whose `.href` is an object. */
async function pageLinks(page: Page, selector: string): Promise<string[]> {
  const hrefs = await page.locator(selector).evaluateAll((links) => links.map((a) => new URL(a.getAttribute("href") ?? "", document.baseURI).href));
  const out: string[] = [];
  for (const href of hrefs) {
    const url = new URL(href);
    if (url.origin !== new URL(baseURL()).origin) continue;
    if (/^\/(api|login)(\/|$)|\.(csv|xlsx|pdf|db|dump)$|\/(export|download|backup\/file)/.test(url.pathname)) continue;
    out.push(url.pathname);
  }
  return out;
}

describe("Chinese pages carry no untranslated English", () => {
  for (const role of ["admin", "analyst", "member"] as DemoRole[]) {
    it(`for the ${role}: every page reached from the navigation`, async () => {
      const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1440, height: 900 } });
      await signInAs(context, role);
      const page = await context.newPage();
      const dataWords = new Set(
        sqlAll<{ text: string }>(
          "select name as text from right_holders union all select title_en from recordations union all select name from recordation_parties union all select name from user union all select name from saved_views union all select brand from guides union all select coalesce(product_line, '') from guides",
        ).flatMap((r) => r.text.match(/[A-Za-z][A-Za-z'’]*[A-Za-z]/g) ?? []),
      );
      const problems: string[] = [];
      const kinds = new Set<string>();
      const queue: { path: string; depth: number }[] = [];
      const enqueue = (paths: string[], depth: number) => {
        for (const path of paths) {
          const kind = kindOf(path);
          if (kinds.has(kind)) continue;
          kinds.add(kind);
          queue.push({ path, depth });
        }
      };
      await page.goto(`${baseURL()}/`);
      expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
      enqueue(["/"], 0);
      enqueue(await pageLinks(page, "header a"), 0);
      const read: string[] = [];
      while (queue.length && read.length < MAX_PAGES) {
        const { path, depth } = queue.shift()!;
        const response = await page.goto(`${baseURL()}${path}`);
        expect(response?.status(), path).toBeLessThan(400);
        // until the streamed parts are in (a district's links come with its figures)
        await page.waitForLoadState("networkidle");
        read.push(path);
        for (const w of await latinWords(page)) {
          const word = w.split(" ")[0]!;
          if (!ALLOWED.has(word) && !dataWords.has(word)) problems.push(`${path}: ${w}`);
        }
        // one page of each kind linked from the navigation's pages, and from those (a case, then its edit form)
        if (depth < 2) enqueue(await pageLinks(page, "main a[href^='/']"), depth + 1);
      }
      console.log(`[chinese-text] ${role}: ${read.length} pages read: ${read.join(" ")}`);
      expect(read.length).toBeGreaterThan(5);
      expect(read.some((p) => /^\/districts\/\d+$/.test(p)), "a district's page was read").toBe(true);
      expect(read.some((p) => /^\/cases\/\d+$/.test(p)), "a case's page was read").toBe(true);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
