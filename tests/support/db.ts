import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDb, openDb, type Db } from "../../db/sqlite/open";

/** A new, migrated SQLite file in a temporary folder; `close()` removes it. */
export function freshDb(label = "test"): { db: Db; file: string; close: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ipr-${label}-`));
  const file = path.join(dir, "ipr.db");
  const db = openDb(`file:${file}`);
  migrateDb(db);
  return {
    db,
    file,
    close: () => {
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function tempDir(label = "test"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ipr-${label}-`));
}

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
export const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
