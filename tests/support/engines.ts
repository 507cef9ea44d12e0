import { postgresEngine, sqliteEngine, type Dialect, type Engine } from "../../db/engine";
import { freshDb } from "./db";
import { freshPostgres } from "./postgres";

// The integration suite runs against both engines: `describe.each(ENGINES)(…, (dialect) => …)`
// with `freshEngine(dialect)` gives each file (or test) a migrated database of its own — a
// SQLite file in a temporary folder, or a PostgreSQL database copied from the run's template.
// Never skipped: without PostgreSQL the run stops in its global setup, saying how.

export const ENGINES: Dialect[] = ["sqlite", "postgres"];

export type FreshEngine = { e: Engine; url: string; close: () => Promise<void> };

export async function freshEngine(dialect: Dialect, label = "test"): Promise<FreshEngine> {
  if (dialect === "sqlite") {
    const { db, file, close } = freshDb(label);
    return { e: sqliteEngine(db), url: `file:${file}`, close: async () => close() };
  }
  const { db, url, close } = await freshPostgres();
  return { e: postgresEngine(db), url, close };
}
