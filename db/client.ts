import "server-only";
import { createAuth, type Auth } from "./auth";
import { drizzleOf, openSqlite, withServerCache, type Db } from "./open";
import { databasePathFromUrl } from "../lib/env";

// One connection per server process (kept across hot reloads in development), and the
// authentication on top of it.
const globalForDb = globalThis as unknown as { iprDb?: Db; iprAuth?: Auth };

export function getDb(): Db {
  if (!globalForDb.iprDb) {
    globalForDb.iprDb = drizzleOf(withServerCache(openSqlite(databasePathFromUrl(process.env.DATABASE_URL))));
  }
  return globalForDb.iprDb;
}

export function getAuth(): Auth {
  if (!globalForDb.iprAuth) globalForDb.iprAuth = createAuth(getDb());
  return globalForDb.iprAuth;
}
