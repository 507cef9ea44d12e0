import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteEngine } from "../../db/engine";
import { openDb } from "../../db/sqlite/open";
import { loadStoredCase, writeCases } from "../../db/writer";
import { PARTY_FIELDS, type CaseInput } from "../../lib/case-definition";
import { idCheckChar } from "../../lib/parties";
import { startAppServer, stopAppServer } from "../support/server";
import { copyTestDatabase, DEMO_PASSWORD, demoEmail, expectNoSeriousAxeViolations, launchBrowser, type DemoRole } from "./support";

// The daily PIPL erasure (db/erasure-job.ts) in a real deployment: two server processes over a
// copy of the e2e database where an admin has set a retention of 24 months and three persons'
// last cases are from 2015. Both processes' jobs look soon after start; the test waits for the
// stored run. Then: the persons' numbers are gone, with exactly one audit entry by the system;
// the admin page says when the erasure ran and how many numbers it erased, and the audit log
// shows the entry's user as the system, in English and in Chinese.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-erasure-"));
const file = path.join(dir, "ipr.db");
const PLANTED = 3;
let server: ChildProcess;
let base = "";
let browser: Browser;
let planted: number[] = [];
/** the audit log's last entry before the server started (the copy may hold the admins' erasures of other files) */
let lastAuditId = 0;

const one = <T>(query: string, ...params: unknown[]): T => {
  const ro = new Database(file, { readonly: true });
  try {
    return ro.prepare(query).get(...params) as T;
  } finally {
    ro.close();
  }
};

async function signIn(context: BrowserContext, role: DemoRole) {
  const response = await context.request.post(`${base}/api/auth/sign-in/email`, {
    data: { email: demoEmail(role), password: DEMO_PASSWORD },
    headers: { origin: base },
  });
  expect(response.status(), `sign-in as ${role}`).toBe(200);
}

beforeAll(async () => {
  await copyTestDatabase(file);
  const db = openDb(`file:${file}`);
  try {
    db.$client.prepare("delete from sign_in_failures").run();
    db.$client.prepare("delete from rate_limit").run();
    const e = sqliteEngine(db);
    const first = (db.$client.prepare("select id from cases where deleted_at is null order by id limit 1").get() as { id: number }).id;
    const { version: _v, updatedBy: _u, updatedAt: _a, deletedAt: _d, ...values } = (await loadStoredCase(e, first))!;
    const base = { ...values, ...Object.fromEntries(PARTY_FIELDS.map((f) => [f.key, null])), recordationIds: [] } as CaseInput;
    // a free block of case numbers (other files add cases to the shared database)
    let prefix = "";
    for (let block = 99; block >= 10 && !prefix; block--) {
      const candidate = `0100-2015-${block}`;
      if ((db.$client.prepare("select count(*) as n from cases where case_no like ?").get(`${candidate}%`) as { n: number }).n === 0) prefix = candidate;
    }
    const { cases } = await writeCases(e, Array.from({ length: PLANTED }, (_, i) => {
      const first17 = `530102197503${10 + i}4${String(i).padStart(2, "0")}`;
      return {
        op: "create" as const,
        input: { ...base, caseNo: `${prefix}${String(i).padStart(2, "0")}`, seizedOn: `2015-03-${String(10 + i)}`, consigneeKind: "person" as const, consigneeName: `Erasure Person ${i}`, consigneeCode: first17 + idCheckChar(first17) },
      };
    }), { userId: null });
    planted = cases.map((c) => c!.id);
    // the admin's retention, as the admin page saves it (the server's job erases by it)
    db.$client.prepare("insert into app_meta (key, value) values ('party_id_retention_months', '24') on conflict (key) do update set value = excluded.value").run();
    db.$client.prepare("delete from app_meta where key in ('party_id_erasure_day', 'party_id_erasure_last')").run();
  } finally {
    db.$client.close();
  }
  lastAuditId = one<{ id: number | null }>("select max(id) as id from audit_log").id ?? 0;
  expect(one<{ n: number }>(`select count(*) as n from case_parties cp join parties p on p.id = cp.party_id where cp.case_id in (${planted.join(",")}) and p.id_sealed is not null`).n).toBe(PLANTED);
  const started = await startAppServer(file, { env: { WEB_CONCURRENCY: "2" } });
  server = started.server;
  base = started.baseURL;
  // both processes' jobs look soon after start (db/erasure-job.ts): wait for the stored run
  for (const deadline = Date.now() + 120_000; !one<{ value: string } | undefined>("select value from app_meta where key = 'party_id_erasure_last'"); ) {
    if (Date.now() > deadline) throw new Error(`the server ran no erasure within 120 s:\n${started.log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (server) await stopAppServer(server);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the daily erasure of identity numbers", () => {
  it("erased the planted persons' numbers once, with one audit entry by the system", () => {
    expect(one<{ n: number }>(`select count(*) as n from case_parties cp join parties p on p.id = cp.party_id where cp.case_id in (${planted.join(",")}) and (p.id_sealed is not null or p.id_hash is not null or p.id_masked is not null)`).n).toBe(0);
    const entries = one<{ n: number; users: number }>("select count(*) as n, count(user_id) as users from audit_log where entity = 'party_ids' and action = 'delete' and id > ?", lastAuditId);
    expect(entries).toEqual({ n: 1, users: 0 });
    const run = JSON.parse(one<{ value: string }>("select value from app_meta where key = 'party_id_erasure_last'").value) as { erased: number; source: string };
    expect(run.erased).toBeGreaterThanOrEqual(PLANTED);
    expect(run.source).toBe("job");
  });

  it("shows the admin when the erasure last ran and how many numbers it erased, and the audit entry's user as the system (English)", async () => {
    const run = JSON.parse(one<{ value: string }>("select value from app_meta where key = 'party_id_erasure_last'").value) as { erased: number; ranAt: number };
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 1000 } });
    await signIn(context, "admin");
    const page = await context.newPage();
    expect((await page.goto(`${base}/admin`))?.status()).toBe(200);
    const status = page.getByTestId("erasure-last-run");
    expect(await status.getAttribute("data-ran-at")).toBe(String(run.ranAt));
    expect(await status.getAttribute("data-erased")).toBe(String(run.erased));
    const text = await status.innerText();
    expect(text).toContain("Automatic erasure");
    expect(text).toContain(`(Beijing time): ${run.erased} persons' identity numbers were erased.`);
    expect(text).toMatch(/Last run \w{3} \d{1,2}, \d{4}, .+ \(Beijing time\)/);
    await expectNoSeriousAxeViolations(page);
    if (process.env.ERASURE_SCREENSHOT) await page.screenshot({ path: process.env.ERASURE_SCREENSHOT, fullPage: true });
    await status.getByRole("link").click();
    await page.waitForURL((url) => url.pathname === "/admin/audit" && url.searchParams.get("entity") === "party_ids");
    // the newest entry first: the job's
    const row = page.locator('[data-testid="audit-table"] tbody tr[data-entity="party_ids"]').first();
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute("data-action")).toBe("delete");
    expect((await row.locator("td").nth(1).innerText()).trim()).toBe("the system");
    await context.close();
  });

  it("reads in Chinese: the last run on the admin page, and 系统 as the audit entry's user", async () => {
    const run = JSON.parse(one<{ value: string }>("select value from app_meta where key = 'party_id_erasure_last'").value) as { erased: number };
    const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 1000 } });
    await signIn(context, "admin");
    const page = await context.newPage();
    expect((await page.goto(`${base}/admin`))?.status()).toBe(200);
    const text = await page.getByTestId("erasure-last-run").innerText();
    expect(text).toContain("自动删除");
    expect(text).toContain(`（北京时间）：已删除${run.erased}名当事人的身份证件号码。`);
    expect(text).toMatch(/最近一次运行：\d{4}年\d{1,2}月\d{1,2}日/);
    if (process.env.ERASURE_SCREENSHOT_ZH) await page.getByTestId("erasure-last-run").screenshot({ path: process.env.ERASURE_SCREENSHOT_ZH });
    await page.goto(`${base}/admin/audit?entity=party_ids`);
    const row = page.locator('[data-testid="audit-table"] tbody tr[data-entity="party_ids"]').first();
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute("data-action")).toBe("delete");
    expect((await row.locator("td").nth(1).innerText()).trim()).toBe("系统");
    await context.close();
  });
});
