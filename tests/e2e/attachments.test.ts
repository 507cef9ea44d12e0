import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, expectNoSeriousAxeViolations, launchBrowser, sessionCookie, signInAs, sqlGet, waitForHydration } from "./support";

// Files on a case in Chromium (issue 17): an admin adds two pictures at once (one of them an HTML
// page named .jpg, refused with its reason), captions one in place, looks at it in the viewer
// (arrow keys, Escape) and removes it after a confirmation; what is served has no EXIF or GPS,
// says nosniff, a sandbox policy and private caching; a PDF is only a download; too large a
// file is refused while it streams. The member, in Chinese, sees on its own company's case
// only what customs shared, adds its own file, and gets 404 for everything else. Axe on both.

let browser: Browser;
let admin: BrowserContext;
let member: BrowserContext;
let adminPage: Page;
let memberPage: Page;
let caseId = 0;
let otherCase = 0;
let memberHolder = 0;
const stamp = String(Date.now() % 1_000_000);

const count = (where: string, ...params: unknown[]) => sqlGet<{ n: number }>(`select count(*) as n from case_attachments where ${where}`, ...params).n;
const audits = (action: string) => sqlGet<{ n: number }>("select count(*) as n from audit_log where entity = 'attachment' and action = ?", action).n;

beforeAll(async () => {
  memberHolder = sqlGet<{ id: number }>("select holder_id as id from user where email = 'member@demo.test'").id;
  // a Kunming case of the published period naming the member's company, with the demo's files
  caseId = sqlGet<{ id: number }>(
    `select min(a.case_id) as id from case_attachments a join case_right_holders l on l.case_id = a.case_id and l.right_holder_id = ?
     where a.holder_id is null and a.shared = 0`,
    memberHolder,
  ).id;
  otherCase = sqlGet<{ id: number }>(
    "select min(case_id) as id from case_attachments where case_id not in (select case_id from case_right_holders where right_holder_id = ?)",
    memberHolder,
  ).id;
  fs.mkdirSync("/work/notes/shots", { recursive: true });
  browser = await launchBrowser();
  admin = await browser.newContext({ locale: "en-US", viewport: { width: 1300, height: 900 } });
  member = await browser.newContext({ locale: "zh-CN", viewport: { width: 1300, height: 900 } });
  await member.addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL() }]);
  await signInAs(admin, "admin");
  await signInAs(member, "member");
  adminPage = await admin.newPage();
  memberPage = await member.newPage();
});
afterAll(async () => {
  await browser?.close();
});

async function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: "#2a6f97" } })
    .jpeg()
    .withExif({ IFD0: { Make: "SpyCam" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "25/1 2/1 0/1" } })
    .toBuffer();
}

describe("a case's files in Chromium", () => {
  it("an admin adds two files at once: the picture is kept without its EXIF/GPS, the HTML named .jpg is refused with its reason", async () => {
    await adminPage.goto(`${baseURL()}/cases/${caseId}`);
    const gallery = adminPage.getByTestId("attachments");
    await expect.poll(() => gallery.getByRole("heading", { name: "Photos and documents" }).count()).toBe(1);
    await waitForHydration(gallery.getByTestId("new-kind"));
    await expectNoSeriousAxeViolations(adminPage);
    const before = count("case_id = ?", caseId);
    const created = audits("create");
    await gallery.getByTestId("new-kind").selectOption("packaging");
    await gallery.getByTestId("attachment-picker").setInputFiles([
      { name: `../../carton-${stamp}.jpg`, mimeType: "image/jpeg", buffer: await photoWithGps() },
      { name: "invoice.jpg", mimeType: "image/jpeg", buffer: Buffer.from("<!doctype html><script>alert(1)</script>") },
    ]);
    const uploads = gallery.getByTestId("uploads");
    await expect.poll(() => uploads.locator("li[data-state='done']").textContent()).toBe(`carton-${stamp}.jpg added`);
    await expect.poll(() => uploads.locator("li[data-state='failed']").textContent()).toContain("invoice.jpg was not added: it is not a JPEG, PNG or WebP picture or a PDF document");
    await expect.poll(() => gallery.getByTestId("attachment").count()).toBe(before + 1);
    expect(count("case_id = ?", caseId)).toBe(before + 1);
    expect(audits("create")).toBe(created + 1);
    const stored = sqlGet<{ id: number; fileName: string; kind: string }>(
      "select id, file_name as fileName, kind from case_attachments where case_id = ? order by id desc limit 1",
      caseId,
    );
    expect(stored).toMatchObject({ fileName: `carton-${stamp}.jpg`, kind: "packaging" });

    // what is served: the picture without its camera or position, with the file headers
    const served = await adminPage.request.get(`${baseURL()}/api/cases/${caseId}/attachments/${stored.id}`);
    expect(served.status()).toBe(200);
    const headers = served.headers();
    expect(headers["content-type"]).toBe("image/jpeg");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["content-security-policy"]).toContain("sandbox");
    expect(headers["cache-control"]).toContain("private");
    expect(headers["content-disposition"]).toBe(`inline; filename="carton-${stamp}.jpg"; filename*=UTF-8''carton-${stamp}.jpg`);
    const body = await served.body();
    expect(body.includes("SpyCam")).toBe(false);
    expect((await sharp(body).metadata()).exif).toBeUndefined();
    const thumb = await adminPage.request.get(`${baseURL()}/api/cases/${caseId}/attachments/${stored.id}/thumbnail`);
    expect(thumb.headers()["content-type"]).toBe("image/webp");
    // the list route bypasses the proxy (the upload streams): next.config.js gives it the API's headers
    const list = await adminPage.request.get(`${baseURL()}/api/cases/${caseId}/attachments`);
    expect(list.headers()["content-security-policy"]).toContain("sandbox");
    expect(list.headers()["cache-control"]).toBe("private, no-store");
    // only a case id of digits passes the proxy by: a broken %-escape there is still its 400, not a 500
    expect((await adminPage.request.get(`${baseURL()}/api/cases/%zz/attachments`)).status()).toBe(400);
    // a PDF is only ever a download
    const pdf = sqlGet<{ id: number }>("select min(id) as id from case_attachments where case_id = ? and content_type = 'application/pdf'", caseId).id;
    const notice = await adminPage.request.get(`${baseURL()}/api/cases/${caseId}/attachments/${pdf}`);
    expect(notice.headers()["content-type"]).toBe("application/pdf");
    expect(notice.headers()["content-disposition"]).toMatch(/^attachment; filename="detention-notice-/);
    expect(notice.headers()["content-security-policy"]).toContain("sandbox");
  });

  it("refuses a file over 20 MB while it streams, naming the limit, and writes nothing", async () => {
    const before = count("case_id = ?", caseId);
    const answer = await adminPage.evaluate(async (url) => {
      const big = new Uint8Array(20 * 1024 * 1024 + 1);
      big.set([0xff, 0xd8, 0xff]);
      const response = await fetch(url, { method: "POST", body: big });
      return { status: response.status, body: (await response.json()) as { error: string; message: string } };
    }, `${baseURL()}/api/cases/${caseId}/attachments?name=big.jpg&kind=goods_photo`);
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ error: "too_large", message: "The file is larger than 20 MB." });
    expect(count("case_id = ?", caseId)).toBe(before);
  });

  it("captions a file in place, looks at it in the viewer with the arrow keys, and removes it after a confirmation", async () => {
    const gallery = adminPage.getByTestId("attachments");
    const id = sqlGet<{ id: number }>("select max(id) as id from case_attachments where case_id = ? and file_name = ?", caseId, `carton-${stamp}.jpg`).id;
    const card = gallery.locator(`[data-testid='attachment'][data-id='${id}']`);
    await card.getByTestId("edit-attachment").click();
    await card.getByTestId("edit-caption").fill(`Outer carton ${stamp}`);
    await card.getByTestId("edit-shared").check();
    await card.getByTestId("save-attachment").click();
    await expect.poll(() => card.getByTestId("attachment-caption").textContent()).toBe(`Outer carton ${stamp}`);
    expect(sqlGet<{ caption: string; shared: number }>("select caption, shared from case_attachments where id = ?", id)).toEqual({ caption: `Outer carton ${stamp}`, shared: 1 });
    expect(sqlGet<{ n: number }>("select count(*) as n from audit_log where entity = 'attachment' and entity_id = ? and action = 'update'", id).n).toBe(1);

    // the viewer: opened from the thumbnail, arrow keys move, Escape closes and focus comes back
    await card.getByTestId("open-attachment").click();
    const viewer = adminPage.getByTestId("viewer");
    await expect.poll(() => viewer.getByTestId("viewer-image").getAttribute("alt")).toBe(`Outer carton ${stamp}`);
    await expect.poll(() => viewer.getByTestId("viewer-image").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1200);
    const position = async () => viewer.getByTestId("viewer-position").textContent();
    const first = await position();
    await adminPage.keyboard.press("ArrowRight");
    await expect.poll(position).not.toBe(first);
    await adminPage.keyboard.press("ArrowLeft");
    await expect.poll(position).toBe(first);
    await expectNoSeriousAxeViolations(adminPage);
    await adminPage.keyboard.press("ArrowRight");
    await expect.poll(position).not.toBe(first);
    await adminPage.screenshot({ path: "/work/notes/shots/attach-viewer.png" });
    await adminPage.keyboard.press("Escape");
    await expect.poll(() => viewer.count()).toBe(0);

    await gallery.screenshot({ path: "/work/notes/shots/attach-gallery-en.png" });

    // removal asks first; keeping the file leaves it
    await card.getByTestId("remove-attachment").click();
    const dialog = card.getByRole("dialog");
    await expect.poll(() => dialog.getByRole("heading").textContent()).toBe(`Remove Outer carton ${stamp}?`);
    await dialog.getByRole("button", { name: "Keep the file" }).click();
    expect(count("id = ?", id)).toBe(1);
    await card.getByTestId("remove-attachment").click();
    await dialog.getByTestId("confirm-remove").click();
    await expect.poll(() => gallery.locator(`[data-testid='attachment'][data-id='${id}']`).count()).toBe(0);
    expect(count("id = ?", id)).toBe(0);
    expect(sqlGet<{ n: number }>("select count(*) as n from audit_log where entity = 'attachment' and entity_id = ? and action = 'delete'", id).n).toBe(1);
    const gone = await adminPage.request.get(`${baseURL()}/api/cases/${caseId}/attachments/${id}`);
    expect(gone.status()).toBe(404);
  });

  it("the member, in Chinese, sees on its company's case only what customs shared and its own files, adds one, and gets the same 404 for everything else", async () => {
    await memberPage.goto(`${baseURL()}/cases/${caseId}`);
    const gallery = memberPage.getByTestId("attachments");
    await expect.poll(() => gallery.getByRole("heading", { name: "照片与文件" }).count()).toBe(1);
    await waitForHydration(gallery.getByTestId("new-kind"));
    const shown = await gallery.getByTestId("attachment").evaluateAll((cards) => cards.map((c) => Number(c.getAttribute("data-id"))).sort((a, b) => a - b));
    const visible = (
      await (await memberPage.request.get(`${baseURL()}/api/cases/${caseId}/attachments`)).json() as { attachments: { id: number }[] }
    ).attachments.map((a) => a.id).sort((a, b) => a - b);
    expect(shown).toEqual(visible);
    const expected = sqlGet<{ ids: string | null }>(
      "select group_concat(id) as ids from (select id from case_attachments where case_id = ? and ((holder_id is null and shared = 1) or holder_id = ?) order by id)",
      caseId, memberHolder,
    ).ids;
    expect(shown.join(",")).toBe(expected ?? "");
    // the Chinese hints name no Latin words
    expect(await gallery.locator(".drop-zone").textContent()).not.toMatch(/PDF|EXIF|GPS|JPEG|PNG|MB/);
    // nor do the cards: kinds, the demo's captions, sizes ("千字节") and badges are Chinese
    expect(await gallery.getByTestId("gallery").textContent()).not.toMatch(/[A-Za-z]/);
    await expectNoSeriousAxeViolations(memberPage);

    // files dropped on the page (the admin used the picker): the member's is its company's; a refused one says why, in Chinese
    const png = (await sharp({ create: { width: 400, height: 300, channels: 3, background: "#eeeeee" } }).png().toBuffer()).toString("base64");
    await gallery.getByTestId("drop-zone").evaluate((zone, { png, name }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))], name, { type: "image/png" }));
      transfer.items.add(new File(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], "mark.svg", { type: "image/svg+xml" }));
      zone.dispatchEvent(new DragEvent("dragover", { bubbles: true, cancelable: true, dataTransfer: transfer }));
      zone.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer }));
    }, { png, name: `genuine-${stamp}.png` });
    const uploads = gallery.getByTestId("uploads");
    await expect.poll(() => uploads.locator("li[data-state='done']").count()).toBe(1);
    await expect.poll(() => uploads.locator("li[data-state='failed']").textContent()).toContain("未添加 mark.svg：文件不是常见格式的图片或便携文档");
    await expect.poll(() => gallery.getByTestId("attachment").count()).toBe(shown.length + 1);
    expect(sqlGet<{ holderId: number }>("select holder_id as holderId from case_attachments where case_id = ? and file_name = ?", caseId, `genuine-${stamp}.png`).holderId).toBe(memberHolder);
    await gallery.screenshot({ path: "/work/notes/shots/attach-gallery-zh.png" });

    // everything else: the same 404 as a file that does not exist
    const hidden = sqlGet<{ id: number }>("select min(id) as id from case_attachments where case_id = ? and holder_id is null and shared = 0", caseId).id;
    const foreign = sqlGet<{ id: number }>("select min(id) as id from case_attachments where case_id = ?", otherCase).id;
    const cookie = await sessionCookie("member");
    const status = async (path: string, init: RequestInit = {}) => (await fetch(`${baseURL()}${path}`, { ...init, headers: { cookie, origin: baseURL() } })).status;
    const answer = async (path: string) => {
      const response = await fetch(`${baseURL()}${path}`, { headers: { cookie } });
      return { status: response.status, body: await response.json() };
    };
    const noFile = await answer(`/api/cases/${caseId}/attachments/99999999`);
    const noCase = await answer("/api/cases/99999999/attachments");
    expect([noFile.status, noCase.status]).toEqual([404, 404]);
    for (const [path, like] of [
      [`/api/cases/${caseId}/attachments/${hidden}`, noFile],
      [`/api/cases/${caseId}/attachments/${hidden}/thumbnail`, noFile],
      [`/api/cases/${otherCase}/attachments/${foreign}`, noFile],
      [`/api/cases/${caseId}/attachments/${foreign}`, noFile],
      [`/api/cases/${otherCase}/attachments`, noCase],
    ] as const) {
      expect(await answer(path), path).toEqual(like);
    }
    expect(await status(`/api/cases/${otherCase}/attachments?name=x.pdf`, { method: "POST", body: "%PDF-1.4\n%%EOF\n" })).toBe(404);
    // the member's page of another company's case is the case page's 404
    expect((await memberPage.goto(`${baseURL()}/cases/${otherCase}`))!.status()).toBe(404);
  });
});
