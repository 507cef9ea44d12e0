// Faults of the database as kinds the API and the forms can name, instead of a stack trace.
//
//   busy        another process held the write lock for longer than busy_timeout (5 s):
//               nothing was written, the user can simply try again
//   read_only   the database file (or its folder, or the mount) cannot be written
//   disk_full   the disk (or the page limit) is full
//   unavailable the file cannot be opened or read/written at the OS level (I/O error,
//               missing, corrupt)
//
// better-sqlite3 throws a SqliteError whose `code` is SQLite's extended result code name
// ("SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_READONLY_DBMOVED", "SQLITE_IOERR_WRITE"…);
// drizzle may wrap it in a DrizzleQueryError with the SqliteError as `cause`.

export type DbFault = "busy" | "read_only" | "disk_full" | "unavailable";

const BY_PRIMARY_CODE: Record<string, DbFault> = {
  SQLITE_BUSY: "busy",
  SQLITE_LOCKED: "busy",
  SQLITE_READONLY: "read_only",
  SQLITE_FULL: "disk_full",
  SQLITE_CANTOPEN: "unavailable",
  SQLITE_IOERR: "unavailable",
  SQLITE_CORRUPT: "unavailable",
  SQLITE_NOTADB: "unavailable",
  SQLITE_PERM: "read_only",
};

/** OS errors that can surface from file writes next to the database (backups, uploads). */
const BY_ERRNO: Record<string, DbFault> = {
  ENOSPC: "disk_full",
  EDQUOT: "disk_full",
  EROFS: "read_only",
};

/** The extended code of a SqliteError (following `cause`), or null. */
export function sqliteCode(error: unknown): string | null {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_")) return code;
  }
  return null;
}

/** Which database fault an error is, or null for anything else (a bug: a plain 500). */
export function classifyDbError(error: unknown): DbFault | null {
  // an error that names its fault itself (db/replicas.ts: the primary, or every server, does not answer)
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const named = (e as { dbFault?: unknown }).dbFault;
    if (typeof named === "string" && Object.hasOwn(DB_FAULT_RETRY_AFTER, named)) return named as DbFault;
  }
  const code = sqliteCode(error);
  if (code) {
    // SQLITE_IOERR_NOMEM etc. keep their primary code before the second underscore
    const primary = code.split("_").slice(0, 2).join("_");
    return BY_PRIMARY_CODE[primary] ?? null;
  }
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const errno = (e as { code?: unknown }).code;
    if (typeof errno === "string" && errno in BY_ERRNO) return BY_ERRNO[errno]!;
  }
  return null;
}

/** One sentence per fault, in English, for the JSON API (the forms translate the kind). */
export const DB_FAULT_MESSAGES: Record<DbFault, string> = {
  busy: "The database is busy with another write; nothing was saved. Try again in a moment.",
  read_only: "The database cannot be written: it is read-only. Nothing was saved; ask the administrator.",
  disk_full: "The database cannot be written: the disk is full. Nothing was saved; ask the administrator.",
  unavailable: "The case database is not available. Try again later or ask the administrator.",
};

/** Seconds a client should wait before trying again (Retry-After), by fault. */
export const DB_FAULT_RETRY_AFTER: Record<DbFault, number> = { busy: 1, read_only: 60, disk_full: 60, unavailable: 30 };

/** How long SQLite itself waits for the write lock (PRAGMA busy_timeout in db/sqlite/open.ts). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Runs a write, trying it again when SQLite answered SQLITE_BUSY without having waited out
 * busy_timeout: a deferred transaction that read first and then needs the write lock
 * (SQLITE_BUSY / SQLITE_BUSY_SNAPSHOT while another process writes) gets it at once, since
 * SQLite cannot wait there without risking a deadlock. A write that already waited the full
 * busy_timeout is not repeated: the user gets "busy, try again". Every write is one
 * transaction, rolled back on the error, so trying again cannot write twice.
 */
export async function retryingBusy<T>(write: () => T | Promise<T>, budgetMs = BUSY_TIMEOUT_MS): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (classifyDbError(error) !== "busy" || Date.now() - started + 25 * attempt >= budgetMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(25 * attempt, 250)));
    }
  }
}
