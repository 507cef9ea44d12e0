// Run before the tests (the integration project's global setup, and CI): PostgreSQL must
// answer at TEST_DATABASE_URL or the local default. When none answers and we are root, Debian's
// cluster is started, and the postgresql package installed first when missing (as
// scripts/ensure-chromium.mjs does for Chromium); otherwise it stops with one sentence saying how.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import pg from "pg";

import { DEFAULT_TEST_DATABASE_URL, testDatabaseUrl } from "../lib/env";

/** TEST_DATABASE_URL, or the local default. */
export function serverUrl(): string {
  return testDatabaseUrl();
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
  const how = "start PostgreSQL (`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, or `apt-get install -y postgresql`) or set TEST_DATABASE_URL to a server the tests may create databases on";
  if (url !== DEFAULT_TEST_DATABASE_URL || !isRoot) throw new Error(`PostgreSQL does not answer at ${url} (${first}): ${how}.`);
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


if (import.meta.url === `file://${process.argv[1]}`) {
  ensurePostgres().then(
    (url) => console.log(`PostgreSQL answers at ${url}.`),
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 1;
    },
  );
}
