import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { startAppServer, stopAppServer, type AppServer } from "../support/server";
import { baseURL, DEMO_PASSWORD, demoEmail, launchBrowser, sessionCookie } from "./support";

// No request may hold a server process: a second production server on the e2e database with
// a time budget of 1 ms per read, so that every real dashboard read overruns it. Its heavy
// reads are stopped and answered 503 while /api/health keeps answering, the reader processes
// that ran them are killed and replaced, and the pages say so in both languages. The shared
// server (normal budget) answers the same requests in full.

let tiny: AppServer;
let cookie: string;
let browser: Browser;

/** The reader processes (db/budget/worker.ts) below the server's process tree. */
function readerPids(root: number): number[] {
  const parent = new Map<number, number>();
  const command = new Map<number, string>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      command.set(Number(entry), fs.readFileSync(`/proc/${entry}/cmdline`, "utf8"));
    } catch {
      // gone meanwhile
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid), hops = 0; p && hops < 10; p = parent.get(p), hops++) if (p === root) return true;
    return false;
  };
  return [...command].filter(([pid, cmd]) => cmd.includes("db/budget/worker.ts") && below(pid)).map(([pid]) => pid).sort();
}

async function until<T>(probe: () => T, ok: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = probe();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  tiny = await startAppServer(inject("databaseFile"), { env: { QUERY_BUDGET_MS: "1", WEB_CONCURRENCY: "1", QUERY_READERS: "2" } });
  const response = await fetch(`${tiny.baseURL}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: tiny.baseURL },
    body: JSON.stringify({ email: demoEmail("analyst"), password: DEMO_PASSWORD }),
  });
  expect(response.status).toBe(200);
  cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.includes("session_token"))!;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  if (tiny) await stopAppServer(tiny.server);
});

const HEAVY = "/api/stats?channel=express&from=2016-03-01";

describe("a read past its time budget", () => {
  it("is stopped and answered 503 with Retry-After, while /api/health keeps answering", async () => {
    // the readers started with the server process
    const before = await until(() => readerPids(tiny.server.pid!), (pids) => pids.length === 2);
    const heavy = [1, 2, 3, 4].map(() => fetch(`${tiny.baseURL}${HEAVY}`, { headers: { cookie } }));
    const health = [1, 2, 3].map(() => fetch(`${tiny.baseURL}/api/health`));
    for (const response of await Promise.all(health)) {
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "ok" });
    }
    for (const response of await Promise.all(heavy)) {
      expect(response.status).toBe(503);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(response.headers.get("content-type")).toMatch(/application\/json/);
      expect(await response.json()).toEqual({ error: "timeout", message: expect.stringMatching(/stopped/) });
    }
    // the readers that ran the reads were killed, and new ones took their place
    const after = await until(() => readerPids(tiny.server.pid!), (pids) => pids.length === 2 && pids.some((p) => !before.includes(p)));
    expect(before.filter((p) => !after.includes(p)).length).toBeGreaterThan(0);
    // the server process itself still serves
    expect((await fetch(`${tiny.baseURL}/api/health`)).status).toBe(200);
    expect((await fetch(`${tiny.baseURL}/login`)).status).toBe(200);
  });

  it("is answered in full by a server with the normal budget", async () => {
    const response = await fetch(`${baseURL()}${HEAVY}`, { headers: { cookie: await sessionCookie("analyst") } });
    expect(response.status).toBe(200);
    expect((await response.json()).kpis.cases).toBeGreaterThan(0);
  });

  it("stops a report (PDF and XLSX) the same way: 503 with Retry-After, no file", async () => {
    for (const format of ["pdf", "xlsx"]) {
      const response = await fetch(`${tiny.baseURL}/api/report?format=${format}&channel=postal&from=2016-03-01`, { headers: { cookie } });
      expect(response.status).toBe(503);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(response.headers.get("content-disposition")).toBeNull();
      expect(await response.json()).toEqual({ error: "timeout", message: expect.stringMatching(/stopped/) });
    }
  });

  it("shows a page that says so, in English and in Chinese", async () => {
    for (const [locale, title] of [["en-US", "This view took too long"], ["zh-CN", "此视图耗时过长"]] as const) {
      const context = await browser.newContext({ locale });
      await context.addCookies([{ name: cookie.split("=")[0]!, value: cookie.slice(cookie.indexOf("=") + 1), url: tiny.baseURL }]);
      const page = await context.newPage();
      await page.goto(`${tiny.baseURL}/cases?channel=express`);
      const alert = page.locator('[data-fault="timeout"]');
      await alert.waitFor();
      expect(await alert.locator("h1").textContent()).toBe(title);
      await context.close();
    }
  });
});
