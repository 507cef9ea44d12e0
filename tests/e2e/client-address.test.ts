import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_FREE_FAILURES } from "../../db/auth";
import { startAppServer, stopAppServer } from "../support/server";
import { copyTestDatabase } from "./support";

// Whose failures a sign-in counts under (db/auth.ts signInKeys, and better-auth's rate limit):
// the server (scripts/serve.mjs) sets X-Forwarded-For to the socket's peer, so a client cannot
// spread its guesses over made-up addresses; with TRUST_PROXY=1 it takes the address the
// proxy in front appended. Each setting gets its own server on a copy of the e2e database.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-client-address-"));
const file = path.join(dir, "ipr.db");
const servers: ChildProcess[] = [];

beforeAll(async () => {
  await copyTestDatabase(file);
  const db = new Database(file);
  // the copy starts with no sign-in counted: neither the app's throttle nor better-auth's rate
  // limit (rate_limit) may carry over the other test files' sign-ins from 127.0.0.1
  db.prepare("delete from sign_in_failures").run();
  db.prepare("delete from rate_limit").run();
  db.close();
});

afterAll(async () => {
  for (const s of servers) await stopAppServer(s);
  fs.rmSync(dir, { recursive: true, force: true });
});

function failures(): Map<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    return new Map((db.prepare("select key, failures from sign_in_failures where key like 'client:%'").all() as { key: string; failures: number }[]).map((r) => [r.key, r.failures]));
  } finally {
    db.close();
  }
}

async function failedSignIn(baseURL: string, email: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${baseURL}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseURL, ...headers },
    body: JSON.stringify({ email, password: "not-the-password" }),
  });
  await response.text();
  return response.status;
}

describe("the client address of a sign-in", () => {
  it("is the socket's peer without a trusted proxy: made-up X-Forwarded-For and X-Real-IP change nothing", async () => {
    const { baseURL, server } = await startAppServer(file, { env: { WEB_CONCURRENCY: "1" } });
    servers.push(server);
    const free = SIGN_IN_FREE_FAILURES.client;
    const statuses: number[] = [];
    // each guess for another account (the per-account limit never applies) and from a "new" address
    for (let i = 0; i < free; i++) {
      statuses.push(await failedSignIn(baseURL, `nobody-${i}@example.test`, { "x-forwarded-for": `203.0.113.${i + 1}`, "x-real-ip": `198.51.100.${i + 1}` }));
    }
    expect(statuses).toEqual(Array(free).fill(401));
    expect(failures()).toEqual(new Map([["client:127.0.0.1", free]]));
    // the next guess is slowed down, whatever address it claims
    const blocked = await fetch(`${baseURL}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseURL, "x-forwarded-for": "192.0.2.200" },
      body: JSON.stringify({ email: "nobody-last@example.test", password: "not-the-password" }),
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
    await stopAppServer(server);
  });

  it("is the address the proxy appended with TRUST_PROXY=1, not the one the client wrote first", async () => {
    const db = new Database(file);
    db.prepare("delete from sign_in_failures").run();
    db.close();
    const { baseURL, server } = await startAppServer(file, { env: { WEB_CONCURRENCY: "1", TRUST_PROXY: "1" } });
    servers.push(server);
    // the client claimed 198.51.100.7; the proxy saw 203.0.113.10 and appended it
    expect(await failedSignIn(baseURL, "nobody-a@example.test", { "x-forwarded-for": "198.51.100.7, 203.0.113.10" })).toBe(401);
    // no header (a request that did not come through the proxy): the socket's peer
    expect(await failedSignIn(baseURL, "nobody-b@example.test", {})).toBe(401);
    expect(failures()).toEqual(new Map([["client:203.0.113.10", 1], ["client:127.0.0.1", 1]]));
    await stopAppServer(server);
  });
});
