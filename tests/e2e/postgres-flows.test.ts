import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyDatabase } from "../../db/copy";
import { csvLine, UTF8_BOM } from "../../lib/csv";
import { exportHeader } from "../../lib/export-columns";
import { emptyDatabase, ensurePostgres } from "../support/postgres";
import { freePort, ROOT, stopAppServer } from "../support/server";
import { copyTestDatabase, DEMO_PASSWORD, demoEmail, expectNoSeriousAxeViolations, launchBrowser, type DemoRole } from "./support";

// The browser suite's main flows on PostgreSQL (issue 15): a fresh PostgreSQL database of the
// test server, filled with the shared e2e database's demo data by `npm run db:copy`'s code
// (cases, accounts, everything), served by `npm start` itself (scripts/start.mjs: it migrates
// under the advisory lock and serves the existing build, two server processes). Then in
// Chromium, each page checked by axe: signing in, the dashboard, the case table, case entry,
// import, and the admin's backup download (a pg_dump). Expectations come from SQL on the
// PostgreSQL database itself.

let pgUrl: string;
let dropDatabase: () => Promise<void>;
let dir: string;
let server: ChildProcess | undefined;
let serverLog = "";
let base: string;
let browser: Browser;

async function sql<T extends Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    return (await client.query(query, params)).rows[0] as T;
  } finally {
    await client.end();
  }
}
const count = async (query: string, params: unknown[] = []) => Number((await sql<{ n: string }>(query, params)).n);

/** `npm start` (node scripts/start.mjs, as npm runs it) against the PostgreSQL database; resolves once every server process listens. */
async function startOnPostgres(): Promise<void> {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.join(ROOT, "scripts", "start.mjs")], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: pgUrl, PORT: String(port), WEB_CONCURRENCY: "2", NEXT_TELEMETRY_DISABLED: "1", BETTER_AUTH_SECRET: "", BETTER_AUTH_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (d) => (serverLog += d));
  server.stderr!.on("data", (d) => (serverLog += d));
  const deadline = Date.now() + 120_000;
  while (!/Ready on port \d+: 2 processes/.test(serverLog)) {
    if (server.exitCode !== null) throw new Error(`npm start on PostgreSQL exited with ${server.exitCode}:\n${serverLog}`);
    if (Date.now() > deadline) throw new Error(`npm start on PostgreSQL was not ready within 120 s:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function signIn(context: BrowserContext, role: DemoRole): Promise<void> {
  const response = await context.request.post(`${base}/api/auth/sign-in/email`, {
    data: { email: demoEmail(role), password: DEMO_PASSWORD },
    headers: { origin: base },
  });
  expect(response.status(), `sign-in as ${role}: ${await response.text()}\n${serverLog}`).toBe(200);
}

async function newPage(role?: DemoRole): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 1000 } });
  if (role) await signIn(context, role);
  return { context, page: await context.newPage() };
}

beforeAll(async () => {
  await ensurePostgres();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-e2e-postgres-"));
  const db = await emptyDatabase();
  pgUrl = db.url;
  dropDatabase = db.drop;
  // the shared e2e database (seeded, with the demo accounts), copied consistently, then into PostgreSQL
  const copy = path.join(dir, "source.db");
  await copyTestDatabase(copy);
  await copyDatabase({ from: `file:${copy}`, to: pgUrl });
  await startOnPostgres();
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (server) await stopAppServer(server);
  await dropDatabase?.();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm start on PostgreSQL", () => {
  it("migrated the database and serves it: /api/health answers 200 with the migrations current", async () => {
    expect(serverLog).toMatch(/Serving the PostgreSQL database postgres:\/\/\S+ at http:\/\/localhost:\d+/);
    // what several servers on one database need, said at the start (README, Deployment)
    expect(serverLog).toContain("On PostgreSQL, with several servers on one database, set BETTER_AUTH_SECRET and BETTER_AUTH_URL alike on every server");
    expect(serverLog).not.toMatch(/is empty: `npm run seed`/); // it holds the copied demo data
    const response = await fetch(`${base}/api/health`);
    const body = (await response.json()) as { status: string; database: { reachable: boolean; migrations: { current: boolean } } };
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ status: "ok", database: { reachable: true, migrations: { current: true } } });
  });
});

describe("the main flows on PostgreSQL, in Chromium", () => {
  it("signs in through the login page and comes back to the page asked for", async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${base}/cases?type=copyright`);
      expect(new URL(page.url()).pathname).toBe("/login");
      await expectNoSeriousAxeViolations(page);
      await page.getByLabel("Email").fill(demoEmail("analyst"));
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/cases\?type=copyright$/);
      expect(await page.locator(".user-menu").textContent()).toContain("analyst@demo.test");
      // the session is PostgreSQL's: the row is there
      expect(await count(`select count(*) as n from session s join "user" u on u.id = s.user_id where u.email = $1`, [demoEmail("analyst")])).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });

  it("shows the dashboard with the figures SQL computes on PostgreSQL", async () => {
    const { context, page } = await newPage("analyst");
    try {
      await page.goto(base);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Dashboard");
      const all = await sql<{ cases: string; pieces: string }>("select count(*) as cases, coalesce(sum(pieces), 0) as pieces from cases where deleted_at is null");
      expect(await page.locator('[data-kpi="cases"] .kpi-value').textContent()).toBe(Number(all.cases).toLocaleString("en-US"));
      expect(await page.locator('[data-kpi="pieces"] .kpi-value').textContent()).toBe(Number(all.pieces).toLocaleString("en-US"));
      await page.locator('[data-chart="year"] svg.chart-svg').first().waitFor({ timeout: 15_000 });
      await expectNoSeriousAxeViolations(page);
    } finally {
      await context.close();
    }
  });

  it("lists the cases of a filter in the table, with its total, and a text search finds a case by its number", async () => {
    const { context, page } = await newPage("analyst");
    try {
      await page.goto(`${base}/cases?type=copyright`);
      const expected = await count("select count(*) as n from cases where deleted_at is null and infringement_type = 'copyright'");
      await expect.poll(() => page.getByTestId("pager-rows").textContent()).toBe(`Rows 1–${Math.min(25, expected)} of ${expected.toLocaleString("en-US")}`);
      expect(await page.locator('[data-testid="cases-table"] tbody tr').count()).toBe(Math.min(25, expected));
      await expectNoSeriousAxeViolations(page);
      const { case_no: caseNo } = await sql<{ case_no: string }>("select case_no from cases where deleted_at is null order by id desc limit 1");
      await page.goto(`${base}/cases?q=${caseNo}`);
      await page.locator(`[data-testid="cases-table"] tbody tr[data-case-no="${caseNo}"]`).waitFor();
    } finally {
      await context.close();
    }
  });

  it("an admin enters a case: a bad value is refused with nothing written, the corrected case is saved and found", async () => {
    const { context, page } = await newPage("admin");
    try {
      const office = await sql<{ id: number }>("select id from customs_offices where code = '8601'");
      const holder = await sql<{ id: number; name: string; country: string }>("select id, name, country from right_holders order by id limit 1 offset 10");
      const caseNo = "0100-2026-8001"; // the 2026 series is not seeded; 8xxx is this file's alone
      const field = (name: string) => page.locator(`#case-${name}`);
      const submit = async () => {
        const before = page.url();
        await page.getByTestId("case-submit").click();
        await Promise.race([
          page.getByTestId("error-summary").waitFor({ state: "visible" }),
          page.getByTestId("form-message").waitFor({ state: "visible" }),
          page.waitForURL((url) => url.toString() !== before),
        ]);
        await page.waitForLoadState("networkidle");
      };
      expect((await page.goto(`${base}/cases/new`))?.status()).toBe(200);
      await expectNoSeriousAxeViolations(page);
      await field("caseNo").fill(caseNo);
      await field("seizedOn").fill("2025-03-14");
      await field("officeId").selectOption(String(office.id));
      await field("infringementType").selectOption("trademark");
      await field("goodsCategory").selectOption("apparel_footwear");
      await field("goodsDescription").fill("Counterfeit running shoes, PostgreSQL e2e");
      await field("pieces").fill("0");
      await field("valueYuan").fill("1,234.5");
      await field("direction").selectOption("export");
      await field("channel").selectOption("express");
      await field("transport").selectOption("air");
      await field("protectionMode").selectOption("ex_officio");
      await field("originCountry").fill("CN");
      await field("destinationCountry").fill("US");
      await field("status").selectOption("detained");
      await field("rightHolderIds").fill(holder.name);
      await page.getByRole("button", { name: `Add ${holder.name} (${holder.country})`, exact: true }).click();
      const before = await count("select count(*) as n from cases");
      await submit();
      expect(await page.locator("#case-pieces-error").textContent()).toContain("There must be at least 1 piece.");
      expect(await count("select count(*) as n from cases")).toBe(before);
      await field("pieces").fill("1200");
      // an ex-officio case rests on a recordation of one of its holders valid on the seizure date
      const recordation = await sql<{ id: number }>(
        "select id from recordations where holder_id = $1 and status = 'approved' and valid_from <= '2025-03-14' and valid_to >= '2025-03-14' order by id limit 1",
        [holder.id],
      );
      await field("recordationIds").selectOption(String(recordation.id));
      await submit();
      await page.waitForURL(/\/cases\/\d+\?saved=created$/);
      const id = Number(new URL(page.url()).pathname.split("/").pop());
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`Case ${caseNo}`);
      const row = await sql<Record<string, unknown>>("select case_no, pieces, value_fen, version from cases where id = $1", [id]);
      expect([row.case_no, Number(row.pieces), Number(row.value_fen), Number(row.version)]).toEqual([caseNo, 1200, 123_450, 1]);
      expect(await count("select count(*) as n from audit_log where entity = 'case' and action = 'create' and entity_id = $1", [id])).toBe(1);
      await expectNoSeriousAxeViolations(page);
      await page.goto(`${base}/cases?q=${caseNo}`);
      await expect.poll(() => page.getByTestId("pager-rows").textContent()).toBe("Rows 1–1 of 1");
    } finally {
      await context.close();
    }
  });

  it("an admin imports a CSV: checked, committed in one transaction, its cases in the table", async () => {
    const { context, page } = await newPage("admin");
    try {
      const { code: office } = await sql<{ code: string }>("select code from customs_offices where district_id is not null order by code limit 1");
      const { name: holder } = await sql<{ name: string }>("select name from right_holders order by id limit 1 offset 5");
      const caseNos = ["0200-2026-8001", "0200-2026-8002"]; // the 2026 series is not seeded; 8xxx is this file's alone
      const row = (caseNo: string) => [caseNo, "2024-05-06", "", "", office, "", "Trademark", "Toys", "PostgreSQL e2e import: plush toys", "12",
        "1234.56", "Import", "Express", "Air", "Ex officio", "HK", "CN", "", "Detained", "", "no", "no", "", holder, "imported on PostgreSQL"];
      const file = path.join(dir, "import.csv");
      fs.writeFileSync(file, UTF8_BOM + csvLine(exportHeader("en")) + caseNos.map((c) => csvLine(row(c))).join(""));
      await page.goto(`${base}/admin/import`);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Import cases");
      await expectNoSeriousAxeViolations(page);
      await page.getByLabel("Spreadsheet (CSV or XLSX)").setInputFiles(file);
      await page.getByRole("button", { name: "Check file" }).click();
      await page.getByTestId("import-report").getByText("File: import.csv").waitFor();
      await page.locator('.import-form[aria-busy="false"]').waitFor();
      expect(await page.getByTestId("count-creates").textContent()).toBe("2 cases to create");
      await page.getByTestId("import-commit").click();
      await page.getByTestId("import-result").waitFor();
      expect(await page.getByTestId("import-result").textContent()).toContain("Imported 2 cases");
      const stored = await sql<{ n: string; v: string }>("select count(*) as n, sum(value_fen)::bigint as v from cases where case_no = any($1)", [caseNos]);
      expect([Number(stored.n), Number(stored.v)]).toEqual([2, 2 * 123_456]);
      await page.goto(`${base}/cases?q=${caseNos[0]}`);
      await page.locator(`[data-testid="cases-table"] tr[data-case-no="${caseNos[0]}"]`).waitFor();
    } finally {
      await context.close();
    }
  });

  it("an admin downloads a backup: a pg_dump of the database, with its case count", async () => {
    const { context } = await newPage("admin");
    try {
      const response = await context.request.get(`${base}/api/admin/backup`);
      expect(response.status(), await response.text().catch(() => "")).toBe(200);
      expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="ipr-backup-\d{4}-\d{2}-\d{2}\.dump"$/);
      const body = await response.body();
      expect(body.subarray(0, 5).toString("latin1")).toBe("PGDMP");
      expect(Number(response.headers()["x-backup-cases"])).toBe(await count("select count(*) as n from cases"));
      // the admin page says how a dump comes back (pg_restore into an empty database), not the SQLite way
      const html = await (await context.request.get(`${base}/admin`, { headers: { "accept-language": "en" } })).text();
      expect(html).toContain("npm run restore -- FILE.dump");
      expect(html).not.toContain("npm run restore -- FILE.db");
    } finally {
      await context.close();
    }
  });
});
