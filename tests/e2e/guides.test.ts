import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseURL, demoEmail, expectNoSeriousAxeViolations, launchBrowser, sessionCookie, signInAs, sqlGet, waitForHydration } from "./support";

// Authentication guides in Chromium (issue 17, item 2): the member, in Chinese, looks at its
// company's guide (pairs side by side with their markers), writes a new guide shared with
// Kunming only, adds a pair of pictures (kept without EXIF/GPS), marks a feature by clicking on
// a picture and sees the version history grow; another company's guide and its pictures are
// 404 to it. The analyst, in English, without a district does not see the Kunming guide; once
// an admin gives its account the Kunming district on the accounts page, it does, and finds it
// by brand, category and recordation. An admin's stale edit is refused naming who changed the
// guide. A case page lists its right holders' guides. Axe on every page.

let browser: Browser;
let member: BrowserContext;
let analyst: BrowserContext;
let admin: BrowserContext;
let memberPage: Page;
let analystPage: Page;
let adminPage: Page;
let memberHolder = 0;
let ownGuide = 0;
let foreignGuide = 0;
let foreignPair = 0;
let newGuide = 0;
const stamp = String(Date.now() % 1_000_000);
const brand = `Zebra Test ${stamp}`;
const analystId = () => sqlGet<{ id: string }>("select id from user where email = ?", demoEmail("analyst")).id;

beforeAll(async () => {
  memberHolder = sqlGet<{ id: number }>("select holder_id as id from user where email = 'member@demo.test'").id;
  ownGuide = sqlGet<{ id: number }>("select min(id) as id from guides where holder_id = ?", memberHolder).id;
  foreignGuide = sqlGet<{ id: number }>("select min(id) as id from guides where holder_id <> ? and sharing = 'all'", memberHolder).id;
  foreignPair = sqlGet<{ id: number }>("select min(id) as id from guide_pairs where guide_id = ?", foreignGuide).id;
  fs.mkdirSync("/work/notes/shots", { recursive: true });
  browser = await launchBrowser();
  member = await browser.newContext({ locale: "zh-CN", viewport: { width: 1300, height: 900 } });
  await member.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
  analyst = await browser.newContext({ locale: "en-US", viewport: { width: 1300, height: 900 } });
  admin = await browser.newContext({ locale: "en-US", viewport: { width: 1300, height: 900 } });
  await signInAs(member, "member");
  await signInAs(analyst, "analyst");
  await signInAs(admin, "admin");
  memberPage = await member.newPage();
  analystPage = await analyst.newPage();
  adminPage = await admin.newPage();
});
afterAll(async () => {
  // the analyst's account back without a district (other files count on it)
  const db = new Database(inject("databaseFile"), { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare("update user set district_id = null where email = ?").run(demoEmail("analyst"));
  } finally {
    db.close();
  }
  await browser?.close();
});

async function pictureWithGps(colour: string): Promise<Buffer> {
  return sharp({ create: { width: 900, height: 600, channels: 3, background: colour } })
    .jpeg()
    .withExif({ IFD0: { Make: "SpyCam" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "25/1 2/1 0/1" } })
    .toBuffer();
}

describe("authentication guides in Chromium", () => {
  it("the member (in Chinese) sees its company's guides only, and a guide's pairs side by side with their markers", async () => {
    await memberPage.goto(`${baseURL()}/guides`);
    await memberPage.getByRole("heading", { level: 1, name: "真伪鉴别指南" }).waitFor();
    const cards = memberPage.getByTestId("guide-list").locator("li.guide-card");
    const ids = await cards.evaluateAll((items) => items.map((li) => Number(li.getAttribute("data-guide"))));
    const own = sqlGet<{ n: number }>("select count(*) as n from guides where holder_id = ?", memberHolder).n;
    expect(ids.length).toBe(own);
    expect(ids).toContain(ownGuide);
    expect(ids).not.toContain(foreignGuide);
    await expectNoSeriousAxeViolations(memberPage);
    await memberPage.goto(`${baseURL()}/guides/${ownGuide}`);
    await memberPage.getByRole("heading", { name: "正品与假冒品对比" }).waitFor();
    const pair = memberPage.getByTestId("guide-pair").first();
    await expect.poll(() => pair.locator("img").count()).toBe(2);
    expect(await pair.locator(".guide-marker").count()).toBeGreaterThan(1);
    await expect.poll(() => pair.locator("img").first().evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await memberPage.getByTestId("guide-changed").textContent()).toMatch(/^第\d+版，修改于/);
    await expectNoSeriousAxeViolations(memberPage);
    await memberPage.screenshot({ path: "/work/notes/shots/guide-member-zh.png", fullPage: false });
    await pair.scrollIntoViewIfNeeded();
    await pair.screenshot({ path: "/work/notes/shots/guide-pair-zh.png" });
  });

  it("another company's guide and its pictures are 404 to the member, page and API alike", async () => {
    const response = await memberPage.goto(`${baseURL()}/guides/${foreignGuide}`);
    expect(response!.status()).toBe(404);
    const headers = { cookie: await sessionCookie("member") };
    for (const path of [`/api/guides/${foreignGuide}/pairs/${foreignPair}/genuine`, `/api/guides/${foreignGuide}/pairs/${foreignPair}/fake?thumbnail`]) {
      expect((await fetch(`${baseURL()}${path}`, { headers })).status, path).toBe(404);
    }
    expect((await memberPage.goto(`${baseURL()}/guides/${foreignGuide}/edit`))!.status()).toBe(404);
  });

  it("the member writes a guide shared with Kunming only, adds a pair (kept without EXIF/GPS) and marks a feature by clicking", async () => {
    await memberPage.goto(`${baseURL()}/guides/new`);
    const form = memberPage.getByTestId("create-guide");
    await waitForHydration(form.getByRole("button", { name: "创建指南" }));
    await expectNoSeriousAxeViolations(memberPage);
    await form.getByLabel("品牌", { exact: true }).fill(brand);
    await form.getByLabel("产品线").fill("Trail shoes");
    await form.getByLabel("英文标题").fill(`${brand}: genuine or fake`);
    await form.getByLabel("中文标题").fill(`${brand}真伪鉴别`);
    await form.getByLabel("鉴别要点（英文）").fill("The tongue label has a woven hologram.");
    await form.getByLabel("鉴别要点（中文）").fill("鞋舌标签有编织防伪标。");
    await form.getByLabel("关员联系人").fill("brand@example.com");
    await form.getByLabel("服装鞋帽").check();
    // shared with chosen districts, but none chosen: refused with its reason, nothing written
    await form.getByLabel("指定直属海关").check();
    const before = sqlGet<{ n: number }>("select count(*) as n from guides").n;
    await form.getByRole("button", { name: "创建指南" }).click();
    await expect.poll(() => form.locator(".field-error").first().textContent()).toBe("请至少选择一个关区，或向全国海关共享。");
    expect(sqlGet<{ n: number }>("select count(*) as n from guides").n).toBe(before);
    await form.getByLabel("昆明", { exact: true }).check();
    await form.getByRole("button", { name: "创建指南" }).click();
    await form.getByTestId("open-created-guide").click();
    await memberPage.waitForURL(/\/guides\/\d+$/);
    newGuide = Number(new URL(memberPage.url()).pathname.split("/").pop());
    expect(sqlGet<{ holder: number; sharing: string; version: number }>("select holder_id as holder, sharing, version from guides where id = ?", newGuide)).toEqual({
      holder: memberHolder, sharing: "districts", version: 1,
    });
    // a pair of pictures, through the upload route
    const upload = memberPage.getByTestId("pair-upload");
    await waitForHydration(upload.getByRole("button", { name: "添加对比照片" }));
    await upload.getByLabel("正品照片").setInputFiles({ name: "genuine.jpg", mimeType: "image/jpeg", buffer: await pictureWithGps("#2a6f97") });
    await upload.getByLabel("假冒品照片").setInputFiles({ name: "fake.html", mimeType: "image/jpeg", buffer: Buffer.from("<!doctype html><script>alert(1)</script>") });
    await upload.getByRole("button", { name: "添加对比照片" }).click();
    await expect.poll(() => upload.locator(".field-error").textContent()).toBe("照片须为常见图片格式（按文件内容判断，而非文件名）。");
    expect(sqlGet<{ n: number }>("select count(*) as n from guide_pairs where guide_id = ?", newGuide).n).toBe(0);
    await upload.getByLabel("假冒品照片").setInputFiles({ name: "fake.jpg", mimeType: "image/jpeg", buffer: await pictureWithGps("#97442a") });
    await upload.getByLabel("所示特征").selectOption("hologram");
    await upload.getByRole("button", { name: "添加对比照片" }).click();
    await memberPage.getByTestId("guide-pair").first().waitFor();
    const pairId = sqlGet<{ id: number }>("select id from guide_pairs where guide_id = ?", newGuide).id;
    const served = await fetch(`${baseURL()}/api/guides/${newGuide}/pairs/${pairId}/genuine`, { headers: { cookie: await sessionCookie("member") } });
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-security-policy")).toContain("sandbox");
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.includes("SpyCam")).toBe(false);
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
    // a marker by clicking on the fake picture, its label typed, saved
    await memberPage.getByTestId("edit-markers-link").click();
    const editor = memberPage.getByTestId("pair-editor").first();
    await waitForHydration(editor.getByTestId("marker-target-fake"));
    await editor.getByTestId("marker-target-fake").click({ position: { x: 60, y: 40 } });
    const row = editor.getByTestId("marker-row").first();
    await row.getByRole("textbox").fill("Hologram printed flat");
    await expectNoSeriousAxeViolations(memberPage);
    await editor.getByTestId("save-pair").click();
    await expect.poll(() => sqlGet<{ version: number }>("select version from guides where id = ?", newGuide).version).toBe(3);
    const markers = JSON.parse(sqlGet<{ m: string }>("select markers as m from guide_pairs where id = ?", pairId).m) as { side: string; x: number; y: number; label: string }[];
    expect(markers).toHaveLength(1);
    expect(markers[0]).toMatchObject({ side: "fake", label: "Hologram printed flat" });
    expect(markers[0]!.x).toBeGreaterThan(0);
    await memberPage.goto(`${baseURL()}/guides/${newGuide}`);
    const history = memberPage.getByTestId("guide-history");
    await expect.poll(() => history.locator("li").count()).toBe(3);
    expect(await history.locator("li").first().textContent()).toContain("标注");
    expect(sqlGet<{ n: number }>("select count(*) as n from audit_log where entity = 'guide' and entity_id = ?", newGuide).n).toBe(3);
  });

  it("an analyst without a district does not see the Kunming guide; given the Kunming district by an admin, it does, and finds it", async () => {
    const missing = await analystPage.goto(`${baseURL()}/guides/${newGuide}`);
    expect(missing!.status()).toBe(404);
    await adminPage.goto(`${baseURL()}/admin/users/${analystId()}`);
    const form = adminPage.getByTestId("account-district");
    await waitForHydration(form.getByRole("button", { name: "Save the district" }));
    await form.getByLabel("District of this customs account").selectOption("8600");
    await form.getByRole("button", { name: "Save the district" }).click();
    await expect.poll(() => form.getByRole("status").textContent()).toBe("The district is saved.");
    await expectNoSeriousAxeViolations(adminPage);
    await analystPage.goto(`${baseURL()}/guides?q=${encodeURIComponent(brand.toLowerCase())}`);
    await expect.poll(() => analystPage.getByTestId("guide-list").locator("li.guide-card").count()).toBe(1);
    await expectNoSeriousAxeViolations(analystPage);
    await analystPage.goto(`${baseURL()}/guides?category=apparel_footwear`);
    expect(await analystPage.locator(`li[data-guide="${newGuide}"]`).count()).toBe(1);
    const numbered = sqlGet<{ g: number; n: string } | undefined>("select gr.guide_id as g, r.number as n from guide_recordations gr join recordations r on r.id = gr.recordation_id join guides g on g.id = gr.guide_id where g.sharing = 'all' limit 1");
    if (numbered) {
      await analystPage.goto(`${baseURL()}/guides?recordation=${numbered.n}`);
      expect(await analystPage.locator(`li[data-guide="${numbered.g}"]`).count()).toBe(1);
    }
    await analystPage.goto(`${baseURL()}/guides/${newGuide}`);
    await analystPage.getByRole("heading", { level: 1, name: `${brand}: genuine or fake` }).waitFor();
    expect(await analystPage.getByTestId("guide-changed").textContent()).toMatch(/^Version 3, changed on /);
    expect(await analystPage.getByTestId("edit-guide-link").count()).toBe(0);
    await expectNoSeriousAxeViolations(analystPage);
    await analystPage.screenshot({ path: "/work/notes/shots/guide-analyst-en.png", fullPage: true });
  });

  it("an admin's edit made against an older version is refused naming who changed the guide; nothing is overwritten", async () => {
    await adminPage.goto(`${baseURL()}/guides/${newGuide}/edit`);
    const form = adminPage.getByTestId("edit-guide");
    await waitForHydration(form.getByRole("button", { name: "Save" }));
    await expectNoSeriousAxeViolations(adminPage);
    // meanwhile, the member changes the summary
    await memberPage.goto(`${baseURL()}/guides/${newGuide}/edit`);
    const mine = memberPage.getByTestId("edit-guide");
    await waitForHydration(mine.getByRole("button", { name: "保存" }));
    await mine.getByLabel("鉴别要点（英文）").fill("The tongue label has a woven hologram; the insole is stitched.");
    await mine.getByRole("button", { name: "保存" }).click();
    await expect.poll(() => sqlGet<{ version: number }>("select version from guides where id = ?", newGuide).version).toBe(4);
    await form.getByLabel("How to tell, in English").fill("Overwritten by the admin");
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => form.getByTestId("guide-conflict").textContent()).toContain(demoEmail("member"));
    expect(await form.getByTestId("guide-conflict").textContent()).toContain("version 4");
    expect(sqlGet<{ s: string }>("select summary_en as s from guides where id = ?", newGuide).s).toBe("The tongue label has a woven hologram; the insole is stitched.");
  });

  it("a case page lists the guides of its right holders the reader may see (the member: its own company's only)", async () => {
    const caseId = sqlGet<{ id: number }>(
      `select min(l.case_id) as id from case_right_holders l join cases c on c.id = l.case_id
       where c.deleted_at is null and l.right_holder_id = ?`,
      memberHolder,
    ).id;
    await memberPage.goto(`${baseURL()}/cases/${caseId}`);
    const section = memberPage.getByTestId("case-guides");
    await section.waitFor();
    const shown = await section.locator("li[data-guide]").evaluateAll((items) => items.map((li) => Number(li.getAttribute("data-guide"))));
    expect(shown).toContain(ownGuide);
    expect(shown.every((id) => sqlGet<{ h: number }>("select holder_id as h from guides where id = ?", id).h === memberHolder)).toBe(true);
    await analystPage.goto(`${baseURL()}/cases/${caseId}`);
    // the officer sees the same company's guide (shared with all customs)
    const staffShown = await analystPage.getByTestId("case-guides").locator("li[data-guide]").evaluateAll((items) => items.map((li) => Number(li.getAttribute("data-guide"))));
    expect(staffShown).toContain(ownGuide);
  });
});
