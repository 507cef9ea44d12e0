import "server-only";
import { drizzleOf, openSqlite, type Db } from "./open";
import { databasePathFromUrl } from "../lib/env";

// One connection per server process (kept across hot reloads in development).
const globalForDb = globalThis as unknown as { iprDb?: Db };

export function getDb(): Db {
  if (!globalForDb.iprDb) {
    globalForDb.iprDb = drizzleOf(openSqlite(databasePathFromUrl(process.env.DATABASE_URL)));
  }
  return globalForDb.iprDb;
}
