import "server-only";
import postgresJournal from "../postgres/migrations/meta/_journal.json";
import sqliteJournal from "../sqlite/migrations/meta/_journal.json";
import { databaseTargetFromUrl } from "../../lib/env";
import { getEngine } from "../client";
import type { Dialect } from "../engine";
import { newestAppliedMigration } from "../queries/health";

// What GET /api/health reports of the database: whether it answers, and whether it carries
// every migration this build knows. Cheap: one read of drizzle's tiny migrations table.

const expectedOf = { sqlite: sqliteJournal.entries.map((e) => e.when), postgres: postgresJournal.entries.map((e) => e.when) };

export type MigrationStatus = { applied: number; expected: number; current: boolean };

/** How many of this build's migrations the database carries; throws when the database does not answer. */
export async function migrationStatus(): Promise<MigrationStatus> {
  const e = getEngine();
  const expected = expectedOf[e.dialect];
  const last = await newestAppliedMigration(e);
  // drizzle counts a migration as applied when its folder time is at most the newest applied one
  const applied = last === null ? 0 : expected.filter((when) => when <= last).length;
  return { applied, expected: expected.length, current: applied === expected.length };
}

/** The number of migrations this build knows (for an answer when the database does not). */
export const EXPECTED_MIGRATIONS = expectedOf[dialectOfUrl()].length;

/** The engine DATABASE_URL names (SQLite when it names none a parser accepts: the health answer says the rest). */
function dialectOfUrl(): Dialect {
  try {
    return databaseTargetFromUrl(process.env.DATABASE_URL).engine;
  } catch {
    return "sqlite";
  }
}
