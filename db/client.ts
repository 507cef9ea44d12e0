import "server-only";
import { authSecret, createAuth, type Auth } from "./auth";
import type { Engine } from "./engine";
import { openEngine } from "./open";
import { drizzleOf, openSqlite, withServerCache, type Db } from "./sqlite/open";
import { databasePath } from "../lib/env";

// One engine per server process (kept across hot reloads in development): SQLite or
// PostgreSQL as DATABASE_URL says (db/open.ts), and the authentication on top of it.
const globalForDb = globalThis as unknown as { iprEngine?: Engine; iprDb?: Db; iprAuth?: Promise<Auth>; iprAuthSecret?: Promise<string> };

/** This process's engine: every repository function (db/repo) reads and writes through it. */
export function getEngine(): Engine {
  globalForDb.iprEngine ??= openEngine(process.env.DATABASE_URL, { server: true });
  return globalForDb.iprEngine;
}

/** @deprecated SQLite only, while db/ moves to getEngine(): the SQLite connection of this process. */
export function getDb(): Db {
  if (!globalForDb.iprDb) {
    const e = globalForDb.iprEngine;
    globalForDb.iprDb = e && e.dialect === "sqlite" ? e.db : drizzleOf(withServerCache(openSqlite(databasePath())));
  }
  return globalForDb.iprDb;
}

/** better-auth over this process's engine (made once, on first use: it reads the secret from the database). */
export function getAuth(): Promise<Auth> {
  // a failure (the database unreachable) is not kept: the next request tries again
  globalForDb.iprAuth ??= createAuth(getEngine()).catch((error: unknown) => {
    globalForDb.iprAuth = undefined;
    throw error;
  });
  return globalForDb.iprAuth;
}

/** The secret that signs session and device cookies (read once per process). */
export function getAuthSecret(): Promise<string> {
  globalForDb.iprAuthSecret ??= authSecret(getEngine()).catch((error: unknown) => {
    globalForDb.iprAuthSecret = undefined;
    throw error;
  });
  return globalForDb.iprAuthSecret;
}
