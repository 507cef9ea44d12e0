import { databaseReadUrls, databaseTargetFromUrl, isDefaultDatabase } from "../lib/env";
import { postgresEngine, sqliteEngine, type Engine } from "./engine";
import { migratePostgres, openPostgres } from "./postgres/open";
import { closeReplicated, replicatedEngine } from "./postgres/replicas";
import { drizzleOf, migrateDb, openSqlite, withServerCache } from "./sqlite/open";

// Opens the engine that a DATABASE_URL names: file:… (or a path) → SQLite, postgres://… →
// PostgreSQL. Only the default SQLite file's folder is created when missing.

export type OpenOptions = {
  /** a SQLite reader: the connection is read-only */
  readonly?: boolean;
  /** a long-lived server connection (SQLite: 64 MB of page cache) */
  server?: boolean;
  /** PostgreSQL: connections in the pool */
  poolSize?: number;
  /** PostgreSQL: read replicas (db/replicas.ts); a server takes DATABASE_READ_URLS by default */
  readUrls?: readonly string[];
};

export function openEngine(url: string | undefined, options: OpenOptions = {}): Engine {
  const target = databaseTargetFromUrl(url);
  if (target.engine === "postgres") {
    const readUrls = options.readUrls ?? (options.server ? databaseReadUrls() : []);
    if (readUrls.length) return replicatedEngine(target.url, readUrls, { poolSize: options.poolSize });
    return postgresEngine(openPostgres(target.url, { max: options.poolSize }));
  }
  const sqlite = openSqlite(target.file, { readonly: options.readonly, createFolder: !options.readonly && isDefaultDatabase(target.file) });
  return sqliteEngine(drizzleOf(options.server ? withServerCache(sqlite) : sqlite));
}

/** Applies the engine's migrations (PostgreSQL: one server at a time, under an advisory lock). */
export async function migrateEngine(url: string | undefined): Promise<void> {
  const target = databaseTargetFromUrl(url);
  if (target.engine === "postgres") return migratePostgres(target.url);
  const e = openEngine(url);
  try {
    migrateDb(e.db);
  } finally {
    await closeEngine(e);
  }
}

/** Closes the engine's connection (or pool). */
export async function closeEngine(e: Engine): Promise<void> {
  if (await closeReplicated(e)) return;
  if (e.dialect === "sqlite") e.db.$client.close();
  else await (e.db as unknown as { $client: { end(): Promise<void> } }).$client.end();
}
