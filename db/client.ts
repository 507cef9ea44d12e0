import "server-only";
import { authSecret, createAuth, type Auth } from "./auth";
import type { Engine } from "./engine";
import { openEngine } from "./open";
import { drizzleOf, openSqlite, withServerCache, type Db } from "./sqlite/open";
import { databasePath } from "../lib/env";

// One engine per server process (kept across hot reloads in development): SQLite or
// PostgreSQL as DATABASE_URL says (db/open.ts), and the authentication on top of it.
const globalForDb = globalThis as unknown as { iprEngine?: Engine; iprDb?: Db; iprAuth?: Auth; iprAuthSecret?: string };

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

/** better-auth and its secret, made once per process on first use (they read the secret from the database). */
const authOnce = globalThis as unknown as { iprAuthMade?: Promise<Auth>; iprAuthSecretRead?: Promise<string> };

/** better-auth over this process's engine. */
export function getAuth(): Promise<Auth> {
  // a failure (the database unreachable) is not kept: the next request tries again
  authOnce.iprAuthMade ??= createAuth(getEngine()).catch((error: unknown) => {
    authOnce.iprAuthMade = undefined;
    throw error;
  });
  return authOnce.iprAuthMade;
}

/** The secret that signs session and device cookies (read once per process). */
export function getAuthSecret(): Promise<string> {
  authOnce.iprAuthSecretRead ??= authSecret(getEngine()).catch((error: unknown) => {
    authOnce.iprAuthSecretRead = undefined;
    throw error;
  });
  return authOnce.iprAuthSecretRead;
}
