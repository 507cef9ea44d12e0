import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import { migratePostgres, openPostgres, type PgDb } from "../../db/postgres/open";

// PostgreSQL for the tests, never skipped: the server at TEST_DATABASE_URL, or the local
// default; when none answers and we are root, Debian's cluster is started (and the package
// installed first when missing), as scripts/ensure-chromium.mjs does for Chromium; otherwise
// the run stops with one sentence saying how. The integration project's global setup
// (tests/support/postgres-global.ts) makes one migrated template database per run; each test
// file gets its own database copied from it (CREATE DATABASE … TEMPLATE), dropped at its end.
// Names carry the process id and random letters, so parallel files and several checkouts on
// one server never collide, and a later run drops what a killed run left behind.

export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const PREFIX = "ipr_test_";

export function serverUrl(): string {
  return process.env.TEST_DATABASE_URL?.trim() || DEFAULT_TEST_DATABASE_URL;
}

/** The URL of database `name` on the same server as `url`. */
export function databaseUrl(name: string, url = serverUrl()): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function answers(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

const sh = (command: string) => spawnSync("sh", ["-c", command], { stdio: "ignore" }).status === 0;

/** Makes sure a PostgreSQL server answers at serverUrl(), starting or installing Debian's when it can. */
export async function ensurePostgres(): Promise<string> {
  const url = serverUrl();
  const first = await answers(url);
  if (first === null) return url;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const how = "start PostgreSQL (`pg_ctlcluster --skip-systemctl-redirect 15 main start`, or `apt-get install -y postgresql`) or set TEST_DATABASE_URL to a server the tests may create databases on";
  if (process.env.TEST_DATABASE_URL || !isRoot) throw new Error(`PostgreSQL does not answer at ${url} (${first}): ${how}.`);
  if (!fs.existsSync("/etc/postgresql") || fs.readdirSync("/etc/postgresql").length === 0) {
    if (!sh("command -v apt-get")) throw new Error(`PostgreSQL is not installed and there is no apt-get: ${how}.`);
    console.log("PostgreSQL was not found: installing Debian's postgresql package (apt-get)…");
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", "postgresql"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    // the tests connect as postgres over TCP without a password, as on the CI machines
    for (const version of fs.readdirSync("/etc/postgresql")) {
      const hba = `/etc/postgresql/${version}/main/pg_hba.conf`;
      if (fs.existsSync(hba)) fs.writeFileSync(hba, `host all postgres 127.0.0.1/32 trust\n${fs.readFileSync(hba, "utf8")}`);
    }
  }
  for (const version of fs.readdirSync("/etc/postgresql")) {
    spawnSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"], { stdio: "ignore" });
  }
  for (let i = 0; i < 30; i++) {
    if ((await answers(url)) === null) return url;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`PostgreSQL does not answer at ${url} even after pg_ctlcluster start: ${how}.`);
}

export const uniqueName = (kind: "tpl" | "db") => `${PREFIX}${kind}_${process.pid}_${randomBytes(4).toString("hex")}`;

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
      const pid = Number(/_(\d+)_[0-9a-f]+$/.exec(datname)?.[1]);
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
