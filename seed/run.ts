import type Database from "better-sqlite3";
import { createCaseInserter, deleteAllData, insertReference, isEmpty, markDemo, withCaseIndexesDeferred } from "../db/bulk";
import { rebuildRollups } from "../db/rollup";
import { buildReference, generateCases } from "./generate";

export class NotEmptyError extends Error {
  override name = "NotEmptyError";
}

export type SeedResult = { cases: number; milliseconds: number; phases: Record<"insert" | "indexes" | "rollups" | "analyze", number> };

/** Seeds demo data into a migrated database in one transaction: all of it, or nothing. */
export function seedDatabase(sqlite: Database.Database, options: { cases: number; seed: number; reset?: boolean }): SeedResult {
  const started = performance.now();
  if (!options.reset && !isEmpty(sqlite)) {
    throw new NotEmptyError("The database already holds data; run the seed with --reset to replace it.");
  }
  const reference = buildReference();
  let count = 0;
  const phases = { insert: 0, indexes: 0, rollups: 0, analyze: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof phases) => {
    const now = performance.now();
    phases[phase] += now - mark;
    mark = now;
  };
  sqlite.transaction(() => {
    if (options.reset) deleteAllData(sqlite);
    insertReference(sqlite, reference);
    const insert = createCaseInserter(sqlite, reference);
    withCaseIndexesDeferred(sqlite, () => {
      for (const batch of generateCases({ cases: options.cases, seed: options.seed, reference })) {
        insert(batch);
        count += batch.length;
      }
      lap("insert");
    });
    lap("indexes");
    rebuildRollups(sqlite);
    markDemo(sqlite, { cases: count, seed: options.seed });
    lap("rollups");
  })();
  // planner statistics from a sample of each index: seconds faster at a million cases, and
  // as good for choosing between the indexes these queries have
  sqlite.pragma("analysis_limit = 2000");
  sqlite.exec("analyze");
  lap("analyze");
  return { cases: count, milliseconds: performance.now() - started, phases };
}
