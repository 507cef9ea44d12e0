import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrateDb, drizzleOf, openSqlite } from "./open";

// Backup and restore of the SQLite file. A backup is SQLite's online backup (safe while the
// server or another process writes: it copies one consistent snapshot); a restore checks the
// file is a database of this application, then swaps it in atomically.

/** A refusal or failure with one sentence for the user (no stack trace). */
export class BackupError extends Error {
  override name = "BackupError";
}

/** The tables every database of this application has since its first migration (checked before a restore). */
export const APP_TABLES = [
  "cases", "customs_offices", "right_holders", "campaigns", "case_right_holders", "audit_log", "app_meta",
] as const;

const SQLITE_HEADER = "SQLite format 3\0";
const MIGRATIONS_FOLDER = path.join(path.dirname(new URL(import.meta.url).pathname), "migrations");

export type BackupResult = { file: string; bytes: number; cases: number; milliseconds: number };

/**
 * Copies the database open in `source` to `destination` with SQLite's online backup: into a
 * temporary file next to it, in one step (one consistent snapshot; in WAL mode writers go on
 * meanwhile), made self-contained (rollback journal, no -wal file), then moved into place.
 * An existing destination is refused unless `force`.
 */
export async function backupDatabase(
  source: Database.Database,
  destination: string,
  options: { force?: boolean } = {},
): Promise<BackupResult> {
  const started = performance.now();
  const file = path.resolve(destination);
  const dir = path.dirname(file);
  if (!isDirectory(dir)) throw new BackupError(`The folder ${dir} does not exist.`);
  if (fs.existsSync(file)) {
    if (!options.force) throw new BackupError(`The file ${file} exists already; add --force to overwrite it.`);
    if (!fs.statSync(file).isFile()) throw new BackupError(`The path ${file} is not a file.`);
  }
  const temp = tempNameNear(file);
  try {
    try {
      // 0x7fffffff pages per step: the whole file under one read transaction, so the copy is
      // one snapshot and never restarts because another connection wrote meanwhile
      await source.backup(temp, { progress: () => 0x7fffffff });
    } catch (error) {
      throw new BackupError(`Cannot write the backup ${file}: ${reason(error)}.`);
    }
    const copy = new Database(temp);
    let cases: number;
    try {
      copy.pragma("journal_mode = DELETE");
      cases = countCases(copy);
    } finally {
      copy.close();
    }
    fsyncFile(temp);
    if (options.force) {
      removeSidecars(file);
      fs.renameSync(temp, file);
    } else {
      try {
        fs.linkSync(temp, file); // fails if the file appeared meanwhile: never overwrites
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") {
          throw new BackupError(`The file ${file} exists already; add --force to overwrite it.`);
        }
        throw new BackupError(`Cannot write the backup ${file}: ${reason(error)}.`);
      }
      fs.rmSync(temp, { force: true });
    }
    return { file, bytes: fs.statSync(file).size, cases, milliseconds: performance.now() - started };
  } finally {
    removeWithSidecars(temp);
  }
}

/** A backup into a new temporary file in the OS temp folder (for the download); the caller deletes it. */
export async function backupToTemp(source: Database.Database, tempDir: string): Promise<BackupResult> {
  const dir = fs.mkdtempSync(path.join(tempDir, "ipr-backup-"));
  try {
    return await backupDatabase(source, path.join(dir, "ipr-backup.db"));
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** `ipr-backup-YYYY-MM-DD.db` for the day given (UTC). */
export function backupFileName(now = new Date()): string {
  return `ipr-backup-${now.toISOString().slice(0, 10)}.db`;
}

// ---- checking a file before a restore -----------------------------------------------------

type JournalEntry = { idx: number; when: number; tag: string };
type KnownMigration = { createdAt: number; hash: string; tag: string };

/** This code's migrations, as drizzle records them: sha256 of each SQL file and the journal's `when`. */
export function knownMigrations(folder = MIGRATIONS_FOLDER): KnownMigration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as { entries: JournalEntry[] };
  return journal.entries.map((e) => ({
    createdAt: e.when,
    tag: e.tag,
    hash: crypto.createHash("sha256").update(fs.readFileSync(path.join(folder, `${e.tag}.sql`)).toString()).digest("hex"),
  }));
}

export type BackupCheck = { cases: number; migrations: number; pending: number };

/**
 * Checks that the SQLite file open in `db` is a database of this application: its integrity
 * check is ok, it has drizzle's migrations table whose entries are the first (or all) of this
 * code's migrations, and it has the application's tables. `name` is the file named in errors.
 */
export function checkAppDatabase(db: Database.Database, name: string): BackupCheck {
  let problems: string[];
  try {
    problems = (db.pragma("integrity_check(5)") as { integrity_check: string }[]).map((r) => r.integrity_check);
  } catch (error) {
    throw new BackupError(`The file ${name} is a damaged SQLite database (${reason(error)}).`);
  }
  if (problems.length !== 1 || problems[0] !== "ok") {
    // one line for the sentence: the first problem SQLite names
    const first = problems.flatMap((p) => p.split("\n")).map((p) => p.trim()).find((p) => p && !/^\*\*\*.*\*\*\*$/.test(p));
    throw new BackupError(`The file ${name} is a damaged SQLite database: its integrity check failed (${first ?? "no details"}).`);
  }
  const tables = new Set(
    (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name),
  );
  if (!tables.has("__drizzle_migrations")) {
    throw new BackupError(`The file ${name} is a SQLite database, but not one of this application: it has no migrations table.`);
  }
  const applied = db.prepare("select hash, created_at as createdAt from __drizzle_migrations order by created_at, id").all() as {
    hash: string;
    createdAt: number | string | null;
  }[];
  const known = knownMigrations();
  for (let i = 0; i < applied.length; i++) {
    const entry = applied[i]!;
    const mine = known[i];
    if (!mine) {
      throw new BackupError(
        `The file ${name} was made by a newer version of this application (${applied.length} migrations, this one knows ${known.length}); update the application first.`,
      );
    }
    if (Number(entry.createdAt) !== mine.createdAt || entry.hash !== mine.hash) {
      if (Number(entry.createdAt) > known[known.length - 1]!.createdAt) {
        throw new BackupError(
          `The file ${name} was made by a newer version of this application (a migration this one does not know); update the application first.`,
        );
      }
      throw new BackupError(`The file ${name} is not a database of this application: its migration ${i + 1} differs from ${mine.tag}.`);
    }
  }
  const missing = APP_TABLES.filter((t) => !tables.has(t));
  if (applied.length === 0 || missing.length) {
    throw new BackupError(
      `The file ${name} is a SQLite database, but not one of this application: it lacks the table${missing.length === 1 ? "" : "s"} ${(missing.length ? missing : APP_TABLES).join(", ")}.`,
    );
  }
  return { cases: countCases(db), migrations: applied.length, pending: known.length - applied.length };
}

// ---- restore --------------------------------------------------------------------------------

export type RestorePlan = { source: string; target: string; check: BackupCheck; currentCases: number | null };
export type RestoreResult = { target: string; cases: number; migrated: number; milliseconds: number };

/** Refuses unless `file` is a readable SQLite file (by its header): one sentence per case. */
function requireSqliteFile(file: string): void {
  if (!fs.existsSync(file)) throw new BackupError(`The file ${file} does not exist.`);
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new BackupError(`The path ${file} is not a file.`);
  const buffer = Buffer.alloc(16);
  let read = 0;
  try {
    const fd = fs.openSync(file, "r");
    try {
      read = fs.readSync(fd, buffer, 0, 16, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    throw new BackupError(`Cannot read the file ${file}: ${reason(error)}.`);
  }
  if (read < 16 || buffer.toString("latin1") !== SQLITE_HEADER) {
    throw new BackupError(`The file ${file} is not a SQLite database.`);
  }
}

/**
 * Copies `source` next to `target` (SQLite's backup, so a -wal beside the source counts) and
 * checks the copy. Returns the temporary copy; the caller renames or deletes it.
 */
async function stageCopy(source: string, target: string): Promise<{ temp: string; check: BackupCheck }> {
  requireSqliteFile(source);
  const temp = tempNameNear(target);
  try {
    let from: Database.Database;
    try {
      from = new Database(source, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw new BackupError(`The file ${source} cannot be opened as a SQLite database (${reason(error)}).`);
    }
    try {
      await from.backup(temp, { progress: () => 0x7fffffff });
    } catch (error) {
      throw new BackupError(`The file ${source} is a damaged SQLite database (${reason(error)}).`);
    } finally {
      from.close();
    }
    const copy = new Database(temp);
    try {
      const check = checkAppDatabase(copy, source);
      copy.pragma("journal_mode = DELETE");
      return { temp, check };
    } catch (error) {
      if (error instanceof BackupError) throw error;
      throw new BackupError(`The file ${source} is a damaged SQLite database (${reason(error)}).`);
    } finally {
      copy.close();
    }
  } catch (error) {
    removeWithSidecars(temp);
    throw error;
  }
}

/** Checks `source` without changing anything: what a restore would bring, and what it would replace. */
export async function planRestore(source: string, target: string): Promise<RestorePlan> {
  const targetDir = path.dirname(target);
  if (!isDirectory(targetDir)) fs.mkdirSync(targetDir, { recursive: true });
  if (path.resolve(source) === path.resolve(target)) {
    throw new BackupError(`The file ${source} is the current database itself.`);
  }
  const { temp, check } = await stageCopy(source, target);
  removeWithSidecars(temp);
  let currentCases: number | null = null;
  if (fs.existsSync(target) && fs.statSync(target).size > 0) {
    try {
      const current = new Database(target, { readonly: true, fileMustExist: true });
      try {
        currentCases = countCases(current);
      } finally {
        current.close();
      }
    } catch {
      currentCases = null;
    }
  }
  return { source: path.resolve(source), target, check, currentCases };
}

/**
 * Replaces the database at `target` with a checked copy of `source`: copy next to the target,
 * check it, lock the target (refused while a server has it open), rename the copy over it,
 * remove the old -wal and -shm, and apply this code's newer migrations.
 */
export async function restoreDatabase(source: string, target: string): Promise<RestoreResult> {
  const started = performance.now();
  const targetDir = path.dirname(target);
  if (!isDirectory(targetDir)) fs.mkdirSync(targetDir, { recursive: true });
  if (path.resolve(source) === path.resolve(target)) {
    throw new BackupError(`The file ${source} is the current database itself.`);
  }
  const { temp, check } = await stageCopy(source, target);
  try {
    const lock = lockTarget(target);
    try {
      fsyncFile(temp);
      fs.renameSync(temp, target);
    } finally {
      // closing also checkpoints the old file's WAL into the old (now unlinked) file and
      // deletes target-wal; whatever is left of the old -wal/-shm goes below
      lock?.close();
    }
    removeSidecars(target);
    fsyncDir(targetDir);
  } finally {
    removeWithSidecars(temp);
  }
  const db = drizzleOf(openSqlite(target));
  try {
    migrateDb(db);
    return { target, cases: countCases(db.$client), migrated: check.pending, milliseconds: performance.now() - started };
  } finally {
    db.$client.close();
  }
}

/**
 * An exclusive lock on the current database, or a refusal when another process (a running
 * server) has it open: in WAL mode every open connection holds a shared lock on the file.
 */
function lockTarget(target: string): Database.Database | null {
  if (!fs.existsSync(target) || fs.statSync(target).size === 0) return null;
  let db: Database.Database;
  try {
    db = new Database(target, { fileMustExist: true, timeout: 250 });
  } catch (error) {
    throw new BackupError(`Cannot open the current database ${target} (${reason(error)}).`);
  }
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
    db.exec("COMMIT"); // in exclusive locking mode the lock stays until the connection closes
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY") || /locked|busy/i.test(String(error))) {
      throw new BackupError(`The database ${target} is in use (is the server running?); stop the server first, then restore.`);
    }
    throw new BackupError(`Cannot lock the current database ${target} (${reason(error)}).`);
  }
}

// ---- helpers --------------------------------------------------------------------------------

export function countCases(db: Database.Database): number {
  return (db.prepare("select count(*) as n from cases").get() as { n: number }).n;
}

function tempNameNear(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${crypto.randomBytes(4).toString("hex")}.tmp`);
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function removeSidecars(file: string): void {
  for (const suffix of ["-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
}

function removeWithSidecars(file: string): void {
  fs.rmSync(file, { force: true });
  removeSidecars(file);
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, "r+");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not every file system lets a folder be synced
  }
}

function reason(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();
  if (/EACCES|EPERM|readonly/i.test(text)) return "permission denied";
  if (/ENOSPC|SQLITE_FULL|disk is full/i.test(text)) return "the disk is full";
  return text.replace(/\.$/, "");
}
