import fs from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { migrateDb, openDb } from "../../db/sqlite/open";
import { seedDatabase } from "../../seed/run";

// The seeded SQLite files of a run: seeding is most of what the integration suite spends (a
// file seeds its demo data once per engine, and several files seed the same arguments), so the
// first file to ask for a seed's arguments seeds a template file for the run, and every later
// ask gets a byte copy of it (fs.copyFileSync: milliseconds where seeding 20,000 cases takes
// seconds). The same arguments give the same rows (tests/integration/determinism.test.ts, which
// seeds on its own), so a copy holds what seeding it anew would. The templates live in a folder
// the integration project's global setup makes for the run (tests/support/postgres-global.ts)
// and removes at its end. Two workers asking at once: the one that creates the lock seeds the
// template, the other seeds its own file as before (no waiting on one another).

export type SeedArgs = { cases: number; seed: number; now?: Date };

function templateFolder(): string | undefined {
  try {
    return inject("sqliteTemplates");
  } catch {
    return undefined; // outside a run with the integration project's global setup: no sharing
  }
}

/** Seeds a migrated, empty SQLite file (closed again) with `args`. */
async function seedFile(file: string, args: SeedArgs): Promise<void> {
  const db = openDb(`file:${file}`);
  try {
    migrateDb(db);
    await seedDatabase(db.$client, args);
  } finally {
    db.$client.close(); // the last connection: SQLite folds the WAL into the file and removes it
  }
}

/** Writes at `file` (which must not exist yet) a migrated SQLite database seeded with `args`, copied from the run's template for them. */
export async function seededFile(file: string, args: SeedArgs): Promise<void> {
  const folder = templateFolder();
  if (!folder) return seedFile(file, args);
  const key = `seed-${args.cases}-${args.seed}-${args.now ? args.now.getTime() : "now"}`;
  const template = path.join(folder, `${key}.db`);
  if (!fs.existsSync(template)) {
    let lock: number | undefined;
    try {
      lock = fs.openSync(path.join(folder, `${key}.lock`), "wx");
    } catch {
      // another worker is seeding this template: seed our own file, as without templates
      return seedFile(file, args);
    }
    try {
      const partial = path.join(folder, `${key}.${process.pid}.partial`);
      await seedFile(partial, args);
      fs.renameSync(partial, template); // whole or absent: a reader never sees half a template
    } finally {
      fs.closeSync(lock);
    }
  }
  fs.copyFileSync(template, file, fs.constants.COPYFILE_EXCL);
}

declare module "vitest" {
  export interface ProvidedContext {
    sqliteTemplates: string;
  }
}
