import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDb, openDb } from "../../db/sqlite/open";
import { buildIfNeeded } from "../../scripts/build-if-needed";
import { findChromium } from "../../scripts/ensure-chromium.mjs";
import { seedDatabase } from "../../seed/run";
import { ensureDemoAccounts } from "../../db/auth";
import { sqliteEngine } from "../../db/engine";
import { startAppServer, stopAppServer } from "../support/server";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    databaseFile: string;
    chromiumPath: string;
  }
}

export const E2E_SEED = { cases: 20_000, seed: 11 };

// Browser tests run against a production build served as npm start serves it (scripts/serve.mjs), on a seeded SQLite file.
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
  await seedDatabase(db.$client, E2E_SEED);
  await ensureDemoAccounts(sqliteEngine(db));
  db.$client.close();

  buildIfNeeded(root, (line) => console.log(`[e2e] ${line}`));

  // TRUST_PROXY=1: the tests stand where a reverse proxy would, so a suite can claim a client
  // address with X-Forwarded-For (tests/e2e/client-address.test.ts checks both settings).
  // Two server processes whatever the machine, so that every test meets what they share.
  const { baseURL, server } = await startAppServer(databaseFile, { env: { TRUST_PROXY: "1", WEB_CONCURRENCY: "2" } });

  project.provide("baseURL", baseURL);
  project.provide("databaseFile", databaseFile);
  project.provide("chromiumPath", chromiumPath);

  return async () => {
    await stopAppServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
