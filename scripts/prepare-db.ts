import { isEmpty } from "../db/bulk";
import { migrateDb, openDb } from "../db/open";
import { ConfigError } from "../lib/env";
import { seedDatabase } from "../seed/run";

export const DEFAULT_DEMO = { cases: 100_000, seed: 1 };

/** Creates and migrates the database, and seeds the demo data when it holds nothing. */
export function prepareDatabase(options: { seed: boolean; log?: (line: string) => void }): void {
  const log = options.log ?? console.log;
  const db = openDb();
  try {
    migrateDb(db);
    if (options.seed && isEmpty(db.$client)) {
      log(`The database is empty: seeding ${DEFAULT_DEMO.cases.toLocaleString("en-US")} demo cases…`);
      const result = seedDatabase(db.$client, DEFAULT_DEMO);
      log(`Seeded ${result.cases.toLocaleString("en-US")} cases in ${(result.milliseconds / 1000).toFixed(1)} s.`);
    }
  } finally {
    db.$client.close();
  }
}

// As a script: `npm run db:migrate` (no seed) and `npm run dev` (seed when empty).
if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    prepareDatabase({ seed: !process.argv.includes("--no-seed") });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
