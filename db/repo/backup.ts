import "server-only";
import { backupToTemp, type BackupResult } from "../sqlite/backup";
import { getDb } from "../client";

// The admin's download of the database: an online backup into a temporary folder.

export { backupFileName } from "../sqlite/backup";
export type { BackupResult };

/** A consistent copy of the live database in a new folder under `tempDir` (the caller removes it). */
export async function backupDatabaseToTemp(tempDir: string): Promise<BackupResult> {
  return backupToTemp(getDb().$client, tempDir);
}
