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

export type SameData = { e: Engine; sqlite: Database.Database; file: string; close: () => Promise<void> };

/** `fill` writes the SQLite file through its connection or its engine (the writer's functions take either, as they move to the engine). */
export async function sameData(
  dialect: Dialect,
  label: string,
  fill: (sqlite: Database.Database, e: Engine) => unknown,
): Promise<SameData> {
  const source = freshDb(label);
  try {
    await fill(source.db.$client, sqliteEngine(source.db));
  } catch (error) {
    source.close();
    throw error;
  }
  if (dialect === "sqlite") {
    return { e: sqliteEngine(source.db), sqlite: source.db.$client, file: source.file, close: async () => source.close() };
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
    file: source.file,
    close: async () => {
      source.close();
      await target.close();
    },
  };
}
