import "server-only";
import { backupPostgresToTemp, dumpCommand, findPgTool } from "../postgres/backup";
import { backupFileName as sqliteBackupName, backupToTemp, type BackupResult } from "../sqlite/backup";
import { getEngine } from "../client";
import { sqliteConnectionOf } from "../engine";
import { databaseTarget } from "../../lib/env";

// The admin's download of the database: on SQLite an online backup, on PostgreSQL a
// `pg_dump -Fc` (taken in one snapshot), into a temporary folder; the route streams it.

export type { BackupResult };

export type BackupDownload = BackupResult & { fileName: string; contentType: string };

/** What the download is: a SQLite file, or a PostgreSQL dump (restored differently: the admin page says how). */
export function backupKind(): "sqlite" | "postgres" {
  return databaseTarget().engine;
}

/** Why a PostgreSQL backup cannot be made here (pg_dump is missing), with the command to run instead; null when it can. */
export function backupUnavailable(): string | null {
  const target = databaseTarget();
  if (target.engine !== "postgres" || findPgTool("pg_dump")) return null;
  return `pg_dump is not installed on this server; run on a machine that has PostgreSQL's client programs: ${dumpCommand(target.url)} (then npm run restore -- ipr-backup.dump restores it into an empty database).`;
}

/** A consistent copy of the live database in a new folder under `tempDir` (the caller removes it). */
export async function backupDatabaseToTemp(tempDir: string, now = new Date()): Promise<BackupDownload> {
  const e = getEngine();
  const sqlite = sqliteConnectionOf(e);
  if (sqlite) {
    const result = await backupToTemp(sqlite, tempDir);
    return { ...result, fileName: sqliteBackupName(now), contentType: "application/vnd.sqlite3" };
  }
  const target = databaseTarget();
  if (target.engine !== "postgres") throw new Error("the engine is PostgreSQL but DATABASE_URL names a SQLite file");
  const result = await backupPostgresToTemp(target.url, tempDir);
  return { ...result, fileName: `ipr-backup-${now.toISOString().slice(0, 10)}.dump`, contentType: "application/octet-stream" };
}
