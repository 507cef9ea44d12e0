import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startAppServer, stopAppServer } from "../support/server";
import { copyTestDatabase } from "./support";

// Readers must not starve writers (issue 15, item 6): scripts/serve.mjs lets at most
// READ_CONCURRENCY page and read requests work at once per process and queues the rest, while
// a server action starts at once (and so does the page Next fetches for its redirect). Here one
// process with one read slot: an export whose client does not read holds the slot, page
// requests queue behind it, and a case created through the server action is answered and
// stored while every one of those page requests is still waiting. Then the slot is freed and
// the pages are answered. Its own server on a copy of the e2e database.

const require = createRequire(import.meta.url);
const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.node.js") as {
  encodeReply: (value: unknown) => Promise<FormData | string>;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-writes-load-"));
const file = path.join(dir, "ipr.db");
let server: ChildProcess | undefined;
let office = 0;
let holder = 0;
let recordation = 0;

beforeAll(async () => {
  await copyTestDatabase(file);
  const db = new Database(file, { readonly: true });
  office = (db.prepare("select id from customs_offices where code = '0100'").get() as { id: number }).id;
  holder = (db.prepare("select min(id) as id from right_holders").get() as { id: number }).id;
  // an ex-officio case entered in the form rests on a recordation valid on its seizure date
  recordation = (db.prepare("select min(id) as id from recordations where holder_id = ? and status = 'approved' and valid_from <= '2025-06-01' and valid_to >= '2025-06-01'").get(holder) as { id: number }).id;
  db.close();
});

afterAll(async () => {
  if (server) await stopAppServer(server);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function signIn(baseURL: string, email: string): Promise<string> {
  const response = await fetch(`${baseURL}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseURL },
    body: JSON.stringify({ email, password: "demo-password" }),
  });
  expect(response.status, `sign-in as ${email}`).toBe(200);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.includes("session_token"))!;
}

describe("a write under load", () => {
  it("is answered while page requests wait for a read slot, and the pages are answered once it frees", async () => {
    const started = await startAppServer(file, { env: { WEB_CONCURRENCY: "1", READ_CONCURRENCY: "1" } });
    server = started.server;
    const { baseURL } = started;
    const analyst = await signIn(baseURL, "analyst@demo.test");
    const admin = await signIn(baseURL, "admin@demo.test");

    // the one read slot, held: the whole export of the database, its client reading nothing
    const { port } = new URL(baseURL);
    const exportRequest = http.get({ host: "127.0.0.1", port, path: "/api/cases/export?format=csv", headers: { cookie: analyst }, agent: false });
    const exportResponse = await new Promise<http.IncomingMessage>((resolve, reject) => {
      exportRequest.on("response", resolve);
      exportRequest.on("error", reject);
    });
    expect(exportResponse.statusCode).toBe(200);
    exportResponse.pause();

    // page requests: each waits for the slot
    const PAGES = ["/", "/cases", "/cases?type=copyright", "/?district=5300", "/api/cases?district=8600"];
    const answered: (number | null)[] = PAGES.map(() => null);
    const pages = PAGES.map((p, i) =>
      fetch(`${baseURL}${p}`, { headers: { cookie: analyst } }).then(async (r) => {
        await r.arrayBuffer();
        answered[i] = r.status;
      }),
    );

    // the write: createCaseAction as the case form sends it
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { exportedName: string }>;
    };
    const createId = Object.entries(manifest.node).find(([, v]) => v.exportedName === "createCaseAction")![0];
    const caseNo = `0100-2026-${String(Date.now() % 10000).padStart(4, "0")}`;
    const fields: Record<string, string> = {
      caseNo, officeId: String(office), seizedOn: "2025-06-01", infringementType: "trademark", goodsCategory: "toys",
      goodsDescription: "Written while readers wait", pieces: "5", valueYuan: "12.34", direction: "export", channel: "postal",
      transport: "post", protectionMode: "ex_officio", status: "detained",
    };
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append("rightHolderIds[]", String(holder));
    form.append("recordationIds[]", String(recordation));
    const write = await fetch(`${baseURL}/cases/new`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: admin, "next-action": createId, accept: "text/x-component", origin: baseURL },
      body: (await encodeReply([null, form])) as BodyInit,
    });
    const writeBody = await write.text();
    expect(write.status).toBeLessThan(400);
    expect(writeBody).not.toMatch(/"ok":false/);
    // the redirect to the new case was followed inside the answer (Next's fetch of that page did not queue either)
    expect(write.headers.get("x-action-redirect")).toMatch(/^\/cases\/\d+\?saved=created/);
    expect(writeBody).toContain(caseNo);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare("select count(*) as n from cases where case_no = ? and deleted_at is null").get(caseNo)).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    // ... while every page request still waits for the slot the export holds
    expect(answered).toEqual(PAGES.map(() => null));

    // the slot freed (the export's client hangs up): the waiting pages are served, in turn
    exportRequest.destroy();
    await Promise.all(pages);
    expect(answered).toEqual(PAGES.map(() => 200));
  });
});
