import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDb, openDb } from "../../db/open";
import { buildIfNeeded } from "../../scripts/build-if-needed";
import { findChromium } from "../../scripts/ensure-chromium.mjs";
import { seedDatabase } from "../../seed/run";
import { ensureDemoAccounts } from "../../db/auth";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    databaseFile: string;
    chromiumPath: string;
  }
}

export const E2E_SEED = { cases: 20_000, seed: 11 };

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

async function waitForServer(url: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the app server exited with ${server.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app server did not answer at ${url} within 60 s:\n${output()}`);
}

// Browser tests run against a production build served by `next start`, on a seeded SQLite file.
export default async function setup(project: TestProject) {
  const chromiumPath: string | null = findChromium();
  if (!chromiumPath) {
    throw new Error("Chromium was not found: run `apt-get install -y chromium` (npm test does this when it runs as root) or set CHROME_PATH.");
  }
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-e2e-"));
  const databaseFile = path.join(dir, "ipr.db");
  const db = openDb(`file:${databaseFile}`);
  migrateDb(db);
  seedDatabase(db.$client, E2E_SEED);
  await ensureDemoAccounts(db);
  db.$client.close();

  buildIfNeeded(root, (line) => console.log(`[e2e] ${line}`));

  const port = await freePort();
  let log = "";
  const server = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "--port", String(port)], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${databaseFile}`, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (d) => (log += d));
  server.stderr!.on("data", (d) => (log += d));
  const baseURL = `http://127.0.0.1:${port}`;
  await waitForServer(baseURL, server, () => log);

  project.provide("baseURL", baseURL);
  project.provide("databaseFile", databaseFile);
  project.provide("chromiumPath", chromiumPath);

  return async () => {
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    if (server.exitCode === null) server.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
