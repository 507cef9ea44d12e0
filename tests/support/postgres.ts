import { createHash, randomBytes } from "node:crypto";
import os from "node:os";
import pg from "pg";
import { inject } from "vitest";
import { migratePostgres, openPostgres, type PgDb } from "../../db/postgres/open";
import { ensurePostgres, serverUrl } from "../../scripts/ensure-postgres";

export { ensurePostgres, serverUrl };

// PostgreSQL for the tests, never skipped: the server at TEST_DATABASE_URL, or the local
// default; when none answers and we are root, Debian's cluster is started (and the package
// installed first when missing), as scripts/ensure-chromium.mjs does for Chromium; otherwise
// the run stops with one sentence saying how. The integration project's global setup
// (tests/support/postgres-global.ts) makes one migrated template database per run; each test
// file gets its own database copied from it (CREATE DATABASE … TEMPLATE), dropped at its end.
// Names carry the process id and random letters, so parallel files and several checkouts on
// one server never collide, and a later run drops what a killed run left behind.

const PREFIX = "ipr_test_";

/** The URL of database `name` on the same server as `url`. */
export function databaseUrl(name: string, url = serverUrl()): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** This machine, so that a run drops only leftovers of its own machine's dead processes (one server may serve several). */
const HOST = createHash("sha256").update(os.hostname()).digest("hex").slice(0, 6);

export const uniqueName = (kind: "tpl" | "db") => `${PREFIX}${kind}_${HOST}_${process.pid}_${randomBytes(4).toString("hex")}`;

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops the test databases of processes that no longer run (a killed run's leftovers). */
export async function dropLeftovers(url = serverUrl()): Promise<void> {
  await admin(url, async (client) => {
    const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like $1", [`${PREFIX}%`]);
    for (const { datname } of rows) {
      const [, host, id] = /_([0-9a-f]{6})_(\d+)_[0-9a-f]+$/.exec(datname) ?? [];
      const pid = Number(id);
      if (host !== HOST) continue;
      if (!pid || processAlive(pid)) continue;
      await client.query(`drop database if exists "${datname}" with (force)`).catch(() => {});
    }
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A new, empty database on the test server (not migrated); `drop()` removes it. */
export async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = uniqueName("db");
  await admin(serverUrl(), (c) => c.query(`create database "${name}"`));
  return { url: databaseUrl(name), drop: () => dropDatabase(name) };
}

export async function dropDatabase(name: string): Promise<void> {
  await admin(serverUrl(), (c) => c.query(`drop database if exists "${name}" with (force)`));
}

/** The run's migrated template (made by the global setup). */
export async function createTemplate(): Promise<string> {
  const name = uniqueName("tpl");
  await admin(serverUrl(), (c) => c.query(`create database "${name}"`));
  await migratePostgres(databaseUrl(name));
  return name;
}

/** A migrated database of this test file's own, copied from the run's template. */
export async function freshPostgres(): Promise<{ db: PgDb; url: string; close: () => Promise<void> }> {
  const template = inject("postgresTemplate");
  const name = uniqueName("db");
  for (let attempt = 0; ; attempt++) {
    try {
      await admin(serverUrl(), (c) => c.query(`create database "${name}" template "${template}"`));
      break;
    } catch (error) {
      // another file's copy of the template may be starting at this very moment
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
  const url = databaseUrl(name);
  const db = openPostgres(url);
  return {
    db,
    url,
    close: async () => {
      await db.$client.end();
      await dropDatabase(name);
    },
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresTemplate: string;
  }
}
