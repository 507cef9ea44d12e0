import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyDatabase } from "../../db/copy";
import { emptyDatabase, ensurePostgres } from "../support/postgres";
import { killGroup, ROOT, startAppServer, stopAppServer } from "../support/server";
import { copyTestDatabase } from "./support";

// Several app servers on one PostgreSQL database (issue 15, item 3): two servers, A and B,
// each its own `scripts/serve.mjs` (its own processes, reader processes and kept answers),
// on a fresh PostgreSQL database holding the e2e demo data. A session made on A is valid
// on B; a case written through A is on B's dashboard at B's next request; two admins editing
// one case through A and B → one edit refused naming who and when; and `kill -9` of A in the
// middle of writes across both loses no acknowledged write while B keeps serving.

const require = createRequire(import.meta.url);
const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.node.js") as {
  encodeReply: (value: unknown) => Promise<FormData | string>;
};

const SECRET = "two-servers-share-this-secret-of-more-than-32-chars";
let pgUrl: string;
let drop: () => Promise<void>;
let dir: string;
const servers: ChildProcess[] = [];
let a: string;
let b: string;
let office = 0;
let holder = 0;
let recordation = 0;

async function query<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function start(detached: boolean): Promise<{ baseURL: string; server: ChildProcess }> {
  const started = await startAppServer(path.join(dir, "unused.db"), {
    detached,
    env: { DATABASE_URL: pgUrl, WEB_CONCURRENCY: "1", BETTER_AUTH_SECRET: SECRET, BETTER_AUTH_URL: "" },
  });
  servers.push(started.server);
  return started;
}

async function signIn(baseURL: string, email: string): Promise<string> {
  const response = await fetch(`${baseURL}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseURL },
    body: JSON.stringify({ email, password: "demo-password" }),
  });
  expect(response.status, `sign-in as ${email} at ${baseURL}`).toBe(200);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.includes("session_token"))!;
}

function actionId(name: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName: string }>;
  };
  return Object.entries(manifest.node).find(([, v]) => v.exportedName === name)![0];
}

const caseFields = (caseNo: string, pieces: number): Record<string, string> => ({
  caseNo, officeId: String(office), seizedOn: "2025-06-01", infringementType: "trademark", goodsCategory: "toys",
  goodsDescription: "Written on one of two servers", pieces: String(pieces), valueYuan: "12.34", direction: "export", channel: "postal",
  transport: "post", protectionMode: "ex_officio", status: "detained",
});

/** Sends a case form to a server action as the browser does; the answer's body and redirect. */
async function sendCaseForm(baseURL: string, cookie: string, action: "createCaseAction" | "updateCaseAction", fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("rightHolderIds[]", String(holder));
  form.append("recordationIds[]", String(recordation));
  const response = await fetch(`${baseURL}${action === "createCaseAction" ? "/cases/new" : `/cases/${fields.id}/edit`}`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "next-action": actionId(action), accept: "text/x-component", origin: baseURL },
    body: (await encodeReply([null, form])) as BodyInit,
  });
  return { status: response.status, body: await response.text(), redirect: response.headers.get("x-action-redirect") };
}

async function dashboardCases(baseURL: string, cookie: string): Promise<number> {
  const response = await fetch(`${baseURL}/api/stats`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { kpis: { cases: number } }).kpis.cases;
}

beforeAll(async () => {
  await ensurePostgres();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-two-servers-"));
  const db = await emptyDatabase();
  pgUrl = db.url;
  drop = db.drop;
  const copy = path.join(dir, "source.db");
  await copyTestDatabase(copy);
  await copyDatabase({ from: `file:${copy}`, to: pgUrl });
  office = (await query<{ id: number }>("select id from customs_offices where code = '0100'"))[0]!.id;
  holder = (await query<{ id: number }>("select min(id) as id from right_holders"))[0]!.id;
  // an ex-officio case entered in the form rests on a recordation valid on its seizure date
  recordation = (await query<{ id: number }>(
    "select min(id) as id from recordations where holder_id = $1 and status = 'approved' and valid_from <= '2025-06-01' and valid_to >= '2025-06-01'",
    [holder],
  ))[0]!.id;
  a = (await start(true)).baseURL;
  b = (await start(false)).baseURL;
}, 240_000);

afterAll(async () => {
  for (const server of servers) await stopAppServer(server).catch(() => {});
  await drop?.();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("two app servers on one PostgreSQL database", () => {
  it("accepts a session made on A at B, and shows a write through A on B's dashboard at B's next request", async () => {
    const admin = await signIn(a, "admin@demo.test");
    const analystOnA = await signIn(a, "analyst@demo.test");
    // the session made on A is valid on B
    const before = await dashboardCases(b, analystOnA);
    const written = await sendCaseForm(a, admin, "createCaseAction", caseFields("0100-2026-7001", 5));
    expect(written.body).not.toMatch(/"ok":false/);
    expect(written.redirect).toMatch(/^\/cases\/\d+\?saved=created/);
    // B's kept tallies were made before the write: its next request sees it
    expect(await dashboardCases(b, analystOnA)).toBe(before + 1);
    expect(await dashboardCases(a, analystOnA)).toBe(before + 1);
  });

  it("refuses the second of two edits of one case made through A and B, naming who and when", async () => {
    const adminA = await signIn(a, "admin@demo.test");
    const adminB = await signIn(b, "admin@demo.test");
    const [row] = await query<{ id: number; version: number }>("select id, version from cases where case_no = '0100-2026-7001'");
    const first = await sendCaseForm(a, adminA, "updateCaseAction", { ...caseFields("0100-2026-7001", 6), id: String(row!.id), version: String(row!.version) });
    expect(first.redirect).toMatch(/saved=updated/);
    const second = await sendCaseForm(b, adminB, "updateCaseAction", { ...caseFields("0100-2026-7001", 7), id: String(row!.id), version: String(row!.version) });
    expect(second.redirect).toBeNull();
    expect(second.body).toMatch(/"error":"conflict"/);
    expect(second.body).toContain("admin@demo.test");
    const [after] = await query<{ pieces: number; version: number }>("select pieces, version from cases where id = $1", [row!.id]);
    expect(after).toEqual({ pieces: 6, version: row!.version + 1 });
  });

  it("loses no acknowledged write when A is killed with SIGKILL in the middle of writes to both, and B keeps serving", async () => {
    const adminA = await signIn(a, "admin@demo.test");
    const adminB = await signIn(b, "admin@demo.test");
    const serverA = servers[0]!;
    const acknowledged: string[] = [];
    const attempted: string[] = [];
    // B's writes that were not acknowledged: each must be a clear answer (an action's refusal,
    // or 503 with Retry-After), never a crash or a dropped connection
    const refusedOnB: { caseNo: string; status: number; body: string }[] = [];
    let acknowledgedOnBAfterKill = 0;
    let killed = false;
    const writer = async (baseURL: string, cookie: string, prefix: number) => {
      for (let i = 0; i < 40; i++) {
        const caseNo = `0100-2026-${prefix}${String(i).padStart(3, "0")}`;
        attempted.push(caseNo);
        try {
          const answer = await sendCaseForm(baseURL, cookie, "createCaseAction", caseFields(caseNo, 1));
          if (answer.redirect?.startsWith("/cases/")) {
            acknowledged.push(caseNo);
            if (baseURL === b && killed) acknowledgedOnBAfterKill++;
          } else if (baseURL === b) refusedOnB.push({ caseNo, status: answer.status, body: answer.body.slice(0, 400) });
        } catch (error) {
          if (baseURL === b) refusedOnB.push({ caseNo, status: 0, body: String(error) });
          // A is gone: its unanswered write may or may not have committed
          if (baseURL === a && killed) return;
        }
        if (baseURL === a && i === 10 && !killed) {
          killed = true;
          await killGroup(serverA, "SIGKILL");
        }
      }
    };
    await Promise.all([writer(a, adminA, 8), writer(b, adminB, 9)]);
    expect(killed).toBe(true);
    // every write that was answered is in the database
    const stored = new Set((await query<{ case_no: string }>("select case_no from cases where case_no = any($1)", [attempted])).map((r) => r.case_no));
    expect(acknowledged.filter((no) => !stored.has(no))).toEqual([]);
    // B keeps serving: it acknowledges writes after A's death, answers any write it refuses
    // clearly, and serves reads
    if (refusedOnB.length) console.warn("writes B refused while A died:", refusedOnB);
    expect(acknowledgedOnBAfterKill).toBeGreaterThan(0);
    for (const r of refusedOnB) expect(r.status === 503 || (r.status > 0 && r.status < 500 && /"ok":false/.test(r.body)), JSON.stringify(r)).toBe(true);
    const analyst = await signIn(b, "analyst@demo.test");
    expect(await dashboardCases(b, analyst)).toBeGreaterThan(0);
    const page = await fetch(`${b}/cases`, { headers: { cookie: analyst } });
    expect(page.status).toBe(200);
  });
});
