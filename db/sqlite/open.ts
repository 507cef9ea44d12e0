import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { ConfigError, databasePath, databasePathFromUrl, isDefaultDatabase } from "../../lib/env";
import { ensureSearchIndexes } from "./search-index";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The engine's raw connection (a better-sqlite3 database), for tools that take one: the seed, the bench. */
export type Connection = Database.Database;

const SQLITE_HEADER = "SQLite format 3\0";

/**
 * Opens (creating the file if needed) the SQLite file with WAL, foreign keys and a busy
 * timeout. Its folder must exist, unless `createFolder` is given: only the default database
 * (data/ipr.db) and files a tool makes on purpose get one, so that a mistyped DATABASE_URL
 * stops with a sentence instead of starting an empty database somewhere unexpected.
 * Every way this can fail for a bad DATABASE_URL becomes a ConfigError with one sentence.
 */
export function openSqlite(file: string, options: { readonly?: boolean; createFolder?: boolean } = {}): Database.Database {
  const dir = path.dirname(file);
  if (options.createFolder) {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new ConfigError(`Cannot create the database folder ${dir}: ${reason(error)}.`);
    }
  }
  let folder: fs.Stats;
  try {
    folder = fs.statSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new ConfigError(`The database folder ${dir} does not exist: create it first, or leave DATABASE_URL unset for the default database.`);
    }
    throw new ConfigError(`Cannot use the database folder ${dir}: ${reason(error)}.`);
  }
  if (!folder.isDirectory()) throw new ConfigError(`The database folder ${dir} is not a folder.`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new ConfigError(`The database folder ${dir} is not writable.`);
  }
  if (fs.existsSync(file)) {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new ConfigError(`The database path ${file} is not a file.`);
    if (stat.size > 0 && !hasSqliteHeader(file)) {
      throw new ConfigError(`The file ${file} is not a SQLite database.`);
    }
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: options.readonly ?? false });
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
  } catch (error) {
    throw new ConfigError(`Cannot open the database ${file}: ${reason(error)}.`);
  }
  return sqlite;
}

/**
 * For the long-lived connections of the server: 64 MB of pages (SQLite's default is 2 MB),
 * so the index pages a write touches and a dashboard reads stay in memory at a million
 * cases (create one case: p50 5.9 → 1.5 ms). Bulk loads keep the default: a larger cache
 * made their index builds slower.
 */
export function withServerCache(sqlite: Database.Database): Database.Database {
  sqlite.pragma("cache_size = -65536");
  return sqlite;
}

export function drizzleOf(sqlite: Database.Database): Db {
  return drizzle(sqlite, { schema }) as Db;
}

/** Opens the database at `url` (DATABASE_URL by default); only the default database's folder is created when missing. */
export function openDb(url?: string): Db {
  const file = url === undefined ? databasePath() : databasePathFromUrl(url);
  return drizzleOf(openSqlite(file, { createFolder: isDefaultDatabase(file) }));
}

/** Applies drizzle's generated migrations; synchronous, idempotent. */
export function migrateDb(db: Db): void {
  const migrationsFolder = path.join(path.dirname(new URL(import.meta.url).pathname), "migrations");
  try {
    migrate(db, { migrationsFolder });
  } catch (error) {
    throw new ConfigError(`Cannot apply the database migrations: ${reason(error)}.`);
  }
  try {
    // a search index whose definition changed since the database was filled is built again
    ensureSearchIndexes(db.$client);
  } catch (error) {
    throw new ConfigError(`Cannot build the search index: ${reason(error)}.`);
  }
}

function hasSqliteHeader(file: string): boolean {
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(16);
    const read = fs.readSync(fd, buffer, 0, 16, 0);
    return read === 16 && buffer.toString("latin1") === SQLITE_HEADER;
  } finally {
    fs.closeSync(fd);
  }
}

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/EACCES|EPERM|readonly/i.test(text)) return "permission denied";
  if (/ENOTDIR|EEXIST/.test(text)) return "a part of the path is a file, not a folder";
  if (/ENOENT/.test(text)) return "no such folder";
  return text.replace(/\.$/, "");
}
