import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { copyDatabase } from "../../db/copy";
import { postgresEngine, sqliteEngine, type Dialect, type Engine } from "../../db/engine";
import { migrateDb, openDb } from "../../db/sqlite/open";
import { freshDb, tempDir } from "./db";
import { freshPostgres } from "./postgres";
import { seededFile, type SeedArgs } from "./seeded";

// The same data on either engine: a SQLite file filled the existing way (the seed, the
// writer), then — for PostgreSQL — copied whole into a fresh PostgreSQL database by db:copy
// (db/copy.ts, which builds the search table from the copied cases). The SQLite file stays
// open as `sqlite` for the test's own hand-written SQL (tests/support/sql.ts): the figures it
// gives hold for the copy too.

/** `e`: the engine under test; `sqlite` and `source`: the SQLite file (connection, engine) the data came from. */
export type SameData = { e: Engine; sqlite: Database.Database; source: Engine; file: string; close: () => Promise<void> };

type Fill = (sqlite: Database.Database, e: Engine) => unknown;
/** The demo seed with `args`, then `then` (if given): the seeded file comes from the run's template for `args` (tests/support/seeded.ts). */
export type Seeded = { seed: SeedArgs; then?: Fill };
export const seeded = (seed: SeedArgs, then?: Fill): Seeded => ({ seed, then });

/** A migrated SQLite file in a temporary folder, seeded from the run's template when `seed` is given; `close()` removes it. */
async function sourceDb(label: string, seed: SeedArgs | undefined): Promise<ReturnType<typeof freshDb>> {
  if (!seed) return freshDb(label);
  const dir = tempDir(label);
  const file = path.join(dir, "ipr.db");
  try {
    await seededFile(file, seed);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const db = openDb(`file:${file}`);
  migrateDb(db); // applied already: nothing to do, as on any migrated file
  return {
    db,
    file,
    close: () => {
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `fill` writes the SQLite file through its connection or its engine (the writer's functions
 * take either, as they move to the engine); `seeded(args, then)` starts from a copy of the
 * run's seeded template instead of seeding again.
 */
export async function sameData(dialect: Dialect, label: string, fill: Fill | Seeded): Promise<SameData> {
  const seed = typeof fill === "function" ? undefined : fill.seed;
  const source = await sourceDb(label, seed);
  const sourceEngine = sqliteEngine(source.db);
  try {
    if (typeof fill === "function") await fill(source.db.$client, sourceEngine);
    else await fill.then?.(source.db.$client, sourceEngine);
  } catch (error) {
    source.close();
    throw error;
  }
  if (dialect === "sqlite") {
    return { e: sourceEngine, sqlite: source.db.$client, source: sourceEngine, file: source.file, close: async () => source.close() };
  }
  const target = await freshPostgres();
  try {
    await copyDatabase({ from: `file:${source.file}`, to: target.url });
  } catch (error) {
    source.close();
    await target.close();
    throw error;
  }
  return {
    e: postgresEngine(target.db),
    sqlite: source.db.$client,
    source: sourceEngine,
    file: source.file,
    close: async () => {
      source.close();
      await target.close();
    },
  };
}
