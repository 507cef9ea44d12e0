import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createAccount, createAuth } from "../../db/auth";
import { sqliteEngine } from "../../db/engine";
import { drizzleOf } from "../../db/sqlite/open";
import { baseURL, demoEmail, expectNoSeriousAxeViolations, forgetClientFailures, launchBrowser, signInAs, sqlAll, sqlGet, waitForHydration } from "./support";

// Saved views (issue 20, item 1) in Chromium: an analyst saves a filtered dashboard and shares
// it; another analyst opens it (the same filter, the current data); a member's shared view is
// seen by its own company's accounts only — not by a member of another company, nor by
// customs; the owner deletes one after confirming. Axe on /views; the member's pages in Chinese.

const SHOTS = "/work/notes/shots";
const PASSWORD = "views-password-1";
const suffix = Date.now().toString(36);
const analyst2 = `views-analyst-${suffix}@demo.test`;
const otherMember = `views-member-${suffix}@demo.test`;

let browser: Browser;
const contexts: BrowserContext[] = [];

async function context(locale: "en" | "zh"): Promise<BrowserContext> {
  const c = await browser.newContext({ locale: locale === "zh" ? "zh-CN" : "en-US", viewport: { width: 1440, height: 1000 } });
  if (locale === "zh") await c.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
  contexts.push(c);
  return c;
}
async function signInWith(c: BrowserContext, email: string): Promise<void> {
  forgetClientFailures();
  const response = await c.request.post(`${baseURL()}/api/auth/sign-in/email`, { data: { email, password: PASSWORD }, headers: { origin: baseURL() } });
  expect(response.status(), `sign-in as ${email}`).toBe(200);
}
async function saveView(page: Page, name: string, share: boolean, labels: { save: string; name: string; submit: string }) {
  const opener = page.getByTestId("save-view");
  await waitForHydration(opener);
  await opener.click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(labels.name).fill(name);
  if (share) await dialog.getByRole("checkbox").check();
  await dialog.getByTestId("save-view-submit").click();
}

describe("saved views", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    const sqlite = new Database(inject("databaseFile"));
    sqlite.pragma("busy_timeout = 5000");
    try {
      const e = sqliteEngine(drizzleOf(sqlite));
      const auth = await createAuth(e);
      const member = sqlite.prepare("select holder_id as holderId from user where email = ?").get(demoEmail("member")) as { holderId: number };
      const other = sqlite.prepare("select id from right_holders where id <> ? order by id limit 1").get(member.holderId) as { id: number };
      await createAccount(e, auth, { email: analyst2, name: "Second Analyst", role: "analyst", holderId: null, password: PASSWORD });
      await createAccount(e, auth, { email: otherMember, name: "Other Company", role: "member", holderId: other.id, password: PASSWORD });
    } finally {
      sqlite.close();
    }
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
  });

  it("saves a shared view of a filtered dashboard; another analyst opens it; the owner deletes it after confirming", async () => {
    const owner = await context("en");
    await signInAs(owner, "analyst");
    const page = await owner.newPage();
    await page.goto(`${baseURL()}/?type=trademark&from=2024-01-01&bogus=1`);
    const labels = { save: "Save view", name: "Name", submit: "Save" };
    // no name: a clear message, nothing written (counted against what the analyst already had:
    // the authorisation matrix saves views for the demo accounts on the shared database)
    const ownViews = () => sqlGet<{ n: number }>("select count(*) as n from saved_views v join user u on u.id = v.owner_id where u.email = ?", demoEmail("analyst")).n;
    const before = ownViews();
    await saveView(page, "   ", false, labels);
    await expect.poll(() => page.getByRole("dialog").getByRole("alert").textContent()).toBe("Enter a name for the view.");
    expect(ownViews()).toBe(before);
    await page.getByRole("dialog").getByLabel("Name").fill("Trademark since 2024");
    await page.getByRole("dialog").getByRole("checkbox").check();
    await page.screenshot({ path: `${SHOTS}/views-save-dialog.png` });
    await page.getByRole("dialog").getByTestId("save-view-submit").click();
    await page.getByTestId("view-saved").waitFor();
    expect(await page.getByRole("dialog").isVisible()).toBe(false);
    const saved = sqlGet<{ id: number; query: string; shared: number }>("select id, query, shared from saved_views where name = 'Trademark since 2024'");
    // the filter model's canonical query: the unknown parameter is gone
    expect(saved).toMatchObject({ query: "from=2024-01-01&type=trademark", shared: 1 });
    expect(sqlAll<{ action: string }>("select action from audit_log where entity = 'saved_view' and entity_id = ?", saved.id)).toEqual([{ action: "create" }]);
    // the same name again: refused, named
    await saveView(page, "Trademark since 2024", false, labels);
    await expect.poll(() => page.getByRole("dialog").getByRole("alert").textContent()).toContain("already have a view named “Trademark since 2024”");
    await page.keyboard.press("Escape");

    // another analyst: in the dashboard's menu and on /views; opening it gives the same filter
    const colleague = await context("en");
    await signInWith(colleague, analyst2);
    const other = await colleague.newPage();
    await other.goto(`${baseURL()}/`);
    await other.getByTestId("views-menu").click();
    await other.screenshot({ path: `${SHOTS}/views-menu.png` });
    await other.getByRole("link", { name: "Trademark since 2024" }).click();
    await other.waitForURL((url) => url.pathname === "/" && url.search === "?from=2024-01-01&type=trademark");
    await other.goto(`${baseURL()}/views`);
    const row = other.getByTestId(`view-row-${saved.id}`);
    expect(await row.textContent()).toContain("shared by");
    // not the owner: open it, or subscribe to its digest (one's own) — never rename, update or delete it
    for (const owned of ["view-rename", "view-update", "view-delete"]) expect(await row.getByTestId(`${owned}-${saved.id}`).count(), owned).toBe(0);
    expect(await row.getByRole("button").count()).toBe(1);
    expect(await row.getByTestId(`subscribe-set-${saved.id}`).count()).toBe(1);
    await expectNoSeriousAxeViolations(other);

    // the owner's /views: delete asks first; keeping it changes nothing
    await page.goto(`${baseURL()}/views?page=dashboard&current=${encodeURIComponent("type=copyright")}`);
    const remove = page.getByTestId(`view-delete-${saved.id}`);
    await waitForHydration(remove);
    await page.screenshot({ path: `${SHOTS}/views-list.png`, fullPage: true });
    await page.getByTestId(`view-update-${saved.id}`).click();
    await expect.poll(() => sqlGet<{ query: string }>("select query from saved_views where id = ?", saved.id).query).toBe("type=copyright");
    await remove.click();
    await page.getByRole("dialog").getByRole("button", { name: "Keep the view" }).click();
    expect(sqlGet<{ n: number }>("select count(*) as n from saved_views where id = ?", saved.id).n).toBe(1);
    await remove.click();
    // the open dialog's button: each of the analyst's views has its own (closed) dialog
    await page.getByRole("dialog").getByTestId("confirm-delete-view").click();
    await page.getByTestId(`view-row-${saved.id}`).waitFor({ state: "detached" });
    expect(sqlGet<{ n: number }>("select count(*) as n from saved_views where id = ?", saved.id).n).toBe(0);
    await other.reload();
    await other.locator("h1").waitFor();
    expect(await other.getByTestId(`view-row-${saved.id}`).count()).toBe(0);
  });

  it("shares a member's view with its own company only, in Chinese", async () => {
    const member = await context("zh");
    await signInAs(member, "member");
    const page = await member.newPage();
    await page.goto(`${baseURL()}/?category=toys`);
    await saveView(page, "我们的玩具", true, { save: "保存视图", name: "名称", submit: "保存" });
    await page.getByTestId("view-saved").waitFor();
    expect(await page.getByTestId("view-saved").textContent()).toBe("视图已保存。");
    await page.goto(`${baseURL()}/views`);
    expect(await page.locator("h1").textContent()).toBe("已保存的视图");
    expect(await page.locator("main").textContent()).toContain("我们的玩具");
    await page.screenshot({ path: `${SHOTS}/views-zh.png`, fullPage: true });
    await expectNoSeriousAxeViolations(page);

    // a member of another company, and customs staff, do not see it
    const stranger = await context("en");
    await signInWith(stranger, otherMember);
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(`${baseURL()}/views`);
    await strangerPage.locator("h1").waitFor();
    expect(await strangerPage.locator("main").textContent()).not.toContain("我们的玩具");
    const analyst = await context("en");
    await signInAs(analyst, "analyst");
    const analystPage = await analyst.newPage();
    await analystPage.goto(`${baseURL()}/views`);
    await analystPage.locator("h1").waitFor();
    expect(await analystPage.locator("main").textContent()).not.toContain("我们的玩具");
    // the company's own colleague would: the row's visibility, by SQL, is the member's company
    expect(sqlGet<{ holder: number; shared: number }>("select holder_id as holder, shared from saved_views where name = '我们的玩具'")).toMatchObject({
      holder: sqlGet<{ h: number }>("select holder_id as h from user where email = ?", demoEmail("member")).h, shared: 1,
    });
  });
});
