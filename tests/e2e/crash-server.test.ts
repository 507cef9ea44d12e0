import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openSqlite } from "../../db/sqlite/open";
import { derivedMismatches } from "../../db/aggregate/check";
import { csvLine, UTF8_BOM } from "../../lib/csv";
import { exportHeader } from "../../lib/export-columns";
import { killGroup, startAppServer } from "../support/server";
import { copyTestDatabase } from "./support";

// kill -9 of the production server (scripts/serve.mjs over the existing build, as npm start runs it) while admins' imports
// commit over HTTP: every import answered 200 is in the database afterwards, the file is
// intact, the derived tables are in step, and the server starts again and takes writes.
// It runs its own server on a copy of the e2e database (never the shared one). Outside the
// e2e project (no global setup, no build): CRASH_E2E_DATABASE=<a seeded file with the demo
// accounts> names the database to copy.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-crash-server-"));
const file = path.join(dir, "ipr.db");
const servers: ChildProcess[] = [];
let office = "";
let holder = "";

/** The production server in its own process group (killed whole: it runs worker processes). */
async function startServer(): Promise<{ baseURL: string; server: ChildProcess }> {
  const started = await startAppServer(file, { detached: true });
  servers.push(started.server);
  return started;
}

async function signIn(baseURL: string): Promise<string> {
  const response = await fetch(`${baseURL}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseURL },
    body: JSON.stringify({ email: "admin@demo.test", password: "demo-password" }),
  });
  expect(response.status, "sign-in as admin").toBe(200);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.includes("session_token"))!;
}

const row = (caseNo: string) => [caseNo, "2024-05-06", "", "", office, "", "Trademark", "Toys", "Written before a kill -9", "12",
  "1234.56", "Import", "Express", "Air", "Ex officio", "HK", "CN", "", "Detained", "", "no", "no", "", holder, "crash test"];

/** One import of one case; true when the server answered that it committed it. */
async function importCase(baseURL: string, cookie: string, caseNo: string): Promise<boolean> {
  const form = new FormData();
  form.set("file", new Blob([UTF8_BOM + csvLine(exportHeader("en")) + csvLine(row(caseNo))], { type: "text/csv" }), `${caseNo}.csv`);
  const response = await fetch(`${baseURL}/api/admin/import?mode=commit`, { method: "POST", body: form, headers: { cookie, origin: baseURL } });
  const body = (await response.json()) as { committed?: boolean; error?: string };
  if (response.status !== 200 || !body.committed) throw new Error(`import of ${caseNo} answered ${response.status}: ${JSON.stringify(body)}`);
  return true;
}

beforeAll(async () => {
  const source = process.env.CRASH_E2E_DATABASE ?? inject("databaseFile");
  await copyTestDatabase(file, source);
  const db = new Database(file, { readonly: true });
  office = (db.prepare("select code from customs_offices where district_id is not null order by code limit 1").get() as { code: string }).code;
  holder = (db.prepare("select name from right_holders order by id limit 1 offset 5").get() as { name: string }).name;
  db.close();
});

afterAll(async () => {
  for (const s of servers) await killGroup(s, "SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("kill -9 of the server during writes", () => {
  it("loses no acknowledged import and starts again cleanly", async () => {
    const { baseURL, server } = await startServer();
    const cookie = await signIn(baseURL);
    const acknowledged: string[] = [];
    let sent = 0;
    let killed = false;
    // the kill comes once several imports are acknowledged, while four clients keep importing:
    // a state to wait for, not a length of time
    const ACKNOWLEDGED_BEFORE_KILL = 6;
    let enough: () => void;
    const enoughAcknowledged = new Promise<void>((resolve) => (enough = resolve));
    const worker = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const caseNo = `9990-2024-${w}${String(i).padStart(3, "0")}`;
        sent++;
        try {
          await importCase(baseURL, cookie, caseNo);
          if (!killed) acknowledged.push(caseNo); // an answer read after the kill cannot exist, but be strict
          if (acknowledged.length >= ACKNOWLEDGED_BEFORE_KILL) enough();
        } catch (error) {
          if (!killed) throw error;
          return;
        }
      }
    };
    const workers = [1, 2, 3, 4].map(worker);
    await enoughAcknowledged;
    killed = true;
    await killGroup(server, "SIGKILL");
    expect(server.signalCode).toBe("SIGKILL");
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_KILL);

    const walBytes = fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0;
    const sqlite = openSqlite(file);
    let present: number;
    try {
      expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      const rows = new Set((sqlite.prepare("select case_no as c from cases where case_no like '9990-2024-%'").all() as { c: string }[]).map((r) => r.c));
      expect(acknowledged.filter((c) => !rows.has(c))).toEqual([]);
      present = rows.size;
      expect(present).toBeLessThanOrEqual(sent); // committed but unanswered imports may be there too
      expect(await derivedMismatches(sqlite)).toEqual([]);
    } finally {
      sqlite.close();
    }
    console.log(`crash (HTTP): ${sent} imports sent, ${acknowledged.length} acknowledged, ${present} present; WAL ${walBytes} bytes at restart`);

    // starts again on the same file and takes writes
    const again = await startServer();
    const cookieAgain = await signIn(again.baseURL);
    expect(await importCase(again.baseURL, cookieAgain, "9990-2024-9999")).toBe(true);
    const cases = await fetch(`${again.baseURL}/api/cases?q=9990-2024-9999`, { headers: { cookie: cookieAgain } });
    expect(cases.status).toBe(200);
    await killGroup(again.server, "SIGTERM");
  });
});

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // "pid (comm) state ppid …": the command may hold spaces, so read after its closing parenthesis
        const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false; // ended meanwhile
      }
    })
    .map(Number);
}

/** One GET on a new connection (no kept-alive socket of a killed process is reused); 0 when it failed. */
function getStatus(url: string, cookie: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, headers: { cookie } }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", () => resolve(0));
    });
    request.on("error", () => resolve(0));
  });
}

/** Resolves once the server's output matches `pattern` (it prints as it notices). */
async function logShows(server: { log: () => string; server: ChildProcess }, pattern: RegExp): Promise<void> {
  while (!pattern.test(server.log())) {
    if (server.server.exitCode !== null) throw new Error(`the server ended before printing ${pattern}:\n${server.log()}`);
    await new Promise<void>((resolve) => {
      const more = () => {
        server.server.stdout!.off("data", more);
        server.server.stderr!.off("data", more);
        server.server.off("exit", more);
        resolve();
      };
      server.server.stdout!.on("data", more);
      server.server.stderr!.on("data", more);
      server.server.on("exit", more);
    });
  }
}

describe("kill -9 of one server process", () => {
  it("is noticed and replaced; the other process answers meanwhile, and both after", async () => {
    const started = await startAppServer(file, { detached: true, env: { WEB_CONCURRENCY: "2" } });
    servers.push(started.server);
    const { baseURL, server } = started;
    const cookie = await signIn(baseURL);
    const before = childrenOf(server.pid!);
    expect(before).toHaveLength(2);
    process.kill(before[0]!, "SIGKILL");
    // once the primary has noticed the death (its IPC channel closes), it sends no connection
    // to the dead process: until the replacement serves, the other process answers every request
    await logShows(started, /ended \(SIGKILL\); starting another/);
    const during: number[] = [];
    do during.push(await getStatus(`${baseURL}/api/cases?size=1`, cookie));
    while (!/is serving in place of one that ended/.test(started.log()));
    expect(started.log()).toMatch(/ended \(SIGKILL\); starting another/);
    expect(started.log()).toMatch(/is serving in place of one that ended/);
    const replaced = childrenOf(server.pid!);
    expect(replaced).toHaveLength(2);
    expect(replaced).not.toContain(before[0]);
    expect(during).toEqual(during.map(() => 200));
    // once replaced, every request is answered (round robin reaches both processes)
    const after: number[] = [];
    for (let i = 0; i < 10; i++) after.push(await getStatus(`${baseURL}/api/cases?size=1`, cookie));
    expect(after).toEqual(Array(10).fill(200));
    await killGroup(server, "SIGTERM");
  });
});
