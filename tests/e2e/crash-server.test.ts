import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openSqlite } from "../../db/open";
import { rollupMismatches } from "../../db/rollup";
import { csvLine, UTF8_BOM } from "../../lib/csv";
import { exportHeader } from "../../lib/export-columns";

// kill -9 of the production server (`next start`, the existing build) while admins' imports
// commit over HTTP: every import answered 200 is in the database afterwards, the file is
// intact, the derived tables are in step, and the server starts again and takes writes.
// It runs its own server on a copy of the e2e database (never the shared one). Outside the
// e2e project (no global setup, no build): CRASH_E2E_DATABASE=<a seeded file with the demo
// accounts> names the database to copy.

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-crash-server-"));
const file = path.join(dir, "ipr.db");
const servers: ChildProcess[] = [];
let office = "";
let holder = "";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `next start` in its own process group (killed whole: next may run workers). */
async function startServer(): Promise<{ baseURL: string; server: ChildProcess }> {
  const port = await freePort();
  const server = spawn(process.execPath, [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "--port", String(port)], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${file}`, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  servers.push(server);
  let log = "";
  server.stdout!.on("data", (d) => (log += d));
  server.stderr!.on("data", (d) => (log += d));
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}:\n${log}`);
    if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s:\n${log}`);
    try {
      if ((await fetch(`${baseURL}/api/health`)).status < 500) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseURL, server };
}

function killGroup(server: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) return resolve();
    server.once("exit", () => resolve());
    try {
      process.kill(-server.pid!, signal);
    } catch {
      resolve();
    }
  });
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
  const from = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await from.backup(file); // a consistent copy while the shared server may be writing
  } finally {
    from.close();
  }
  const db = new Database(file, { readonly: true });
  office = (db.prepare("select code from customs_offices where district_id is not null order by code limit 1").get() as { code: string }).code;
  holder = (db.prepare("select name from right_holders order by id limit 1 offset 5").get() as { name: string }).name;
  db.close();
});

afterAll(async () => {
  for (const s of servers) await killGroup(s, "SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("kill -9 of next start during writes", () => {
  it("loses no acknowledged import and starts again cleanly", async () => {
    const { baseURL, server } = await startServer();
    const cookie = await signIn(baseURL);
    const acknowledged: string[] = [];
    let sent = 0;
    let killed = false;
    let firstAck: () => void;
    const first = new Promise<void>((resolve) => (firstAck = resolve));
    const worker = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const caseNo = `9990-2024-${w}${String(i).padStart(3, "0")}`;
        sent++;
        try {
          await importCase(baseURL, cookie, caseNo);
          if (!killed) acknowledged.push(caseNo); // an answer read after the kill cannot exist, but be strict
          firstAck();
        } catch (error) {
          if (!killed) throw error;
          return;
        }
      }
    };
    const workers = [1, 2, 3, 4].map(worker);
    await first;
    await new Promise((r) => setTimeout(r, 1500));
    killed = true;
    await killGroup(server, "SIGKILL");
    expect(server.signalCode).toBe("SIGKILL");
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThan(5);

    const walBytes = fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0;
    const sqlite = openSqlite(file);
    let present: number;
    try {
      expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      const rows = new Set((sqlite.prepare("select case_no as c from cases where case_no like '9990-2024-%'").all() as { c: string }[]).map((r) => r.c));
      expect(acknowledged.filter((c) => !rows.has(c))).toEqual([]);
      present = rows.size;
      expect(present).toBeLessThanOrEqual(sent); // committed but unanswered imports may be there too
      expect(rollupMismatches(sqlite)).toEqual([]);
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
