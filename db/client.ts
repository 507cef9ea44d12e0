import "server-only";
import { ConfigError } from "../lib/env";
import { authSecret, createAuth, type Auth } from "./auth";
import type { Engine } from "./engine";
import { openEngine } from "./open";
import type { Db } from "./sqlite/open";

// One engine per server process (kept across hot reloads in development): SQLite or
// PostgreSQL as DATABASE_URL says (db/open.ts), and the authentication on top of it.
// scripts/serve.mjs closes it (globalThis.iprEngine) when the process stops.
const globalForDb = globalThis as unknown as { iprEngine?: Engine; iprAuth?: Auth; iprAuthSecret?: string };

/** This process's engine: every repository function (db/repo) reads and writes through it. */
export function getEngine(): Engine {
  globalForDb.iprEngine ??= openEngine(process.env.DATABASE_URL, { server: true });
  return globalForDb.iprEngine;
}

/**
 * @deprecated SQLite only, while db/ moves to getEngine(): the SQLite connection of this
 * process's engine (the same connection, so that its transactions' lock covers it too).
 */
export function getDb(): Db {
  const e = getEngine();
  if (e.dialect !== "sqlite") throw new ConfigError("This part of the application still reads the database through getDb(), which runs on SQLite only.");
  return e.db;
}

export function getAuth(): Auth {
  if (!globalForDb.iprAuth) globalForDb.iprAuth = createAuth(getDb());
  return globalForDb.iprAuth;
}

/** The secret that signs session and device cookies (read once per process). */
export function getAuthSecret(): string {
  globalForDb.iprAuthSecret ??= authSecret(getDb());
  return globalForDb.iprAuthSecret;
}
