import "server-only";
import journal from "../sqlite/migrations/meta/_journal.json";
import { newestAppliedMigration } from "../queries/health";

// What GET /api/health reports of the database: whether it answers, and whether it carries
// every migration this build knows. Cheap: one read of drizzle's tiny migrations table.

const expected = journal.entries.map((e) => e.when);

export type MigrationStatus = { applied: number; expected: number; current: boolean };

/** How many of this build's migrations the database carries; throws when the database does not answer. */
export async function migrationStatus(): Promise<MigrationStatus> {
  const last = newestAppliedMigration();
  // drizzle counts a migration as applied when its folder time is at most the newest applied one
  const applied = last === null ? 0 : expected.filter((when) => when <= last).length;
  return { applied, expected: expected.length, current: applied === expected.length };
}

/** The number of migrations this build knows (for an answer when the database does not). */
export const EXPECTED_MIGRATIONS = expected.length;
