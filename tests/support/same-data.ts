import type Database from "better-sqlite3";
import { copyDatabase } from "../../db/copy";
import { postgresEngine, sqliteEngine, type Dialect, type Engine } from "../../db/engine";
import { freshDb } from "./db";
import { freshPostgres } from "./postgres";

// The same data on either engine: a SQLite file filled the existing way (the seed, the
// writer), then — for PostgreSQL — copied whole into a fresh PostgreSQL database by db:copy
// (db/copy.ts, which builds the search table from the copied cases). The SQLite file stays
// open as `sqlite` for the test's own hand-written SQL (tests/support/sql.ts): the figures it
// gives hold for the copy too.

/** `e`: the engine under test; `sqlite` and `source`: the SQLite file (connection, engine) the data came from. */
export type SameData = { e: Engine; sqlite: Database.Database; source: Engine; file: string; close: () => Promise<void> };

/** `fill` writes the SQLite file through its connection or its engine (the writer's functions take either, as they move to the engine). */
export async function sameData(
  dialect: Dialect,
  label: string,
  fill: (sqlite: Database.Database, e: Engine) => unknown,
): Promise<SameData> {
  const source = freshDb(label);
  const sourceEngine = sqliteEngine(source.db);
  try {
    await fill(source.db.$client, sourceEngine);
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
