import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, signInAs, sqlGet, waitForHydration } from "./support";

// Two people edit one case, each in a browser of their own. The first saves; the second is
// refused, and sees only the fields either of them changed, each with the value both started
// from, theirs and their own. The second keeps the first person's value of a field both
// changed, keeps their own elsewhere, and saves against the first person's version.

type Row = { version: number; goods_description: string; notes: string | null; hearing_held: number; pieces: number };
const row = (id: number) => sqlGet<Row>("select version, goods_description, notes, hearing_held, pieces from cases where id = ?", id);

let browser: Browser;
let first: BrowserContext;
let second: BrowserContext;
let caseId: number;
let start: Row;

beforeAll(async () => {
  // a seed case no other test file edits
  caseId = sqlGet<{ id: number }>("select id from cases where deleted_at is null order by id desc limit 1 offset 7").id;
  start = row(caseId);
  browser = await launchBrowser();
  first = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 1000 } });
  second = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 1000 } });
  await signInAs(first, "admin");
  await signInAs(second, "admin");
});
afterAll(async () => {
  await browser?.close();
});

async function save(page: Page) {
  const before = page.url();
  await page.getByTestId("case-submit").click();
  await Promise.race([
    page.getByTestId("form-message").waitFor({ state: "visible" }),
    page.waitForURL((url) => url.toString() !== before),
  ]);
}

describe("two people editing one case", () => {
  it("shows the fields either changed with start, theirs and yours; keeps theirs field by field; saves against their version", async () => {
    const theirs = await first.newPage();
    const yours = await second.newPage();
    await theirs.goto(`${baseURL()}/cases/${caseId}/edit`);
    await yours.goto(`${baseURL()}/cases/${caseId}/edit`);
    // the forms must be React's before anyone types or saves: a save before hydration posts the
    // bare HTML form, and the page then answered knows the newer case but not the version the
    // edit began from (the form's memory of it lives in the browser), so no merge table comes
    await waitForHydration(theirs.getByTestId("case-submit"));
    await waitForHydration(yours.getByTestId("case-submit"));

    // the first person changes the description and the notes, and saves
    await theirs.locator("#case-goodsDescription").fill("Merge test: their description");
    await theirs.locator("#case-notes").fill("Their note");
    await save(theirs);
    await theirs.waitForURL(/\?saved=updated$/);
    expect(row(caseId).version).toBe(start.version + 1);

    // the second changes the notes and the hearing, not knowing
    await yours.locator("#case-notes").fill("Your note");
    await yours.locator("#case-hearingHeld").setChecked(!start.hearing_held);
    await save(yours);
    expect(await yours.getByTestId("form-message").textContent()).toContain("Nothing was saved");
    const table = yours.getByTestId("merge-table");
    await table.waitFor();

    // only the three fields either changed, in the form's order; pieces, untouched by both, is not listed
    expect(await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-field")))).toEqual([
      "goodsDescription", "hearingHeld", "notes",
    ]);
    const cells = async (field: string) =>
      table.locator(`tr[data-field="${field}"] td[data-side]`).evaluateAll((tds) => tds.map((td) => td.querySelector("span")!.textContent));
    expect(await cells("goodsDescription")).toEqual([start.goods_description, "Merge test: their description", start.goods_description]);
    expect(await cells("notes")).toEqual([start.notes || "(empty)", "Their note", "Your note"]);
    const yes = "✓", no = "—";
    expect(await cells("hearingHeld")).toEqual(start.hearing_held ? [yes, yes, no] : [no, no, yes]);

    // the form holds the case as it is now with the user's changes: theirs where only they changed it
    expect(await yours.locator("#case-goodsDescription").inputValue()).toBe("Merge test: their description");
    expect(await yours.locator("#case-notes").inputValue()).toBe("Your note");
    expect(await yours.getByTestId("keep-yours-notes").isChecked()).toBe(true);
    await expectNoSeriousAxeViolations(yours);
    if (fs.existsSync("/work/notes/shots")) await table.screenshot({ path: "/work/notes/shots/pages-merge-en.png" });

    // keep theirs for the notes, from the keyboard; a field typed meanwhile stays as typed
    await yours.locator("#case-pieces").fill(String(start.pieces + 1));
    await yours.getByTestId("keep-theirs-notes").focus();
    await yours.keyboard.press("Space");
    await expect.poll(() => yours.locator("#case-notes").inputValue()).toBe("Their note");
    expect(await yours.locator("#case-pieces").inputValue()).toBe(String(start.pieces + 1));
    await yours.locator("#case-pieces").fill(String(start.pieces));

    await save(yours);
    await yours.waitForURL(/\?saved=updated$/);
    expect(row(caseId)).toEqual({
      version: start.version + 2,
      goods_description: "Merge test: their description",
      notes: "Their note",
      hearing_held: start.hearing_held ? 0 : 1,
      pieces: start.pieces,
    });
  });
});
