import "server-only";
import { authSecret, createAuth, type Auth } from "./auth";
import { drizzleOf, openSqlite, withServerCache, type Db } from "./sqlite/open";
import { databasePath } from "../lib/env";

// One connection per server process (kept across hot reloads in development), and the
// authentication on top of it.
const globalForDb = globalThis as unknown as { iprDb?: Db; iprAuth?: Auth; iprAuthSecret?: string };

export function getDb(): Db {
  if (!globalForDb.iprDb) {
    globalForDb.iprDb = drizzleOf(withServerCache(openSqlite(databasePath())));
  }
  return globalForDb.iprDb;
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
