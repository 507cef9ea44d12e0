import { ensureDemoAccounts } from "../db/auth";
import { isEmpty } from "../db/bulk";
import { migrateDb, openDb } from "../db/open";
import { ConfigError } from "../lib/env";
import { seedDatabase } from "../seed/run";

export const DEFAULT_DEMO = { cases: 100_000, seed: 1 };

/** Creates and migrates the database, seeds the demo data when it holds nothing, and makes sure a demo has its accounts. */
export async function prepareDatabase(options: { seed: boolean; log?: (line: string) => void }): Promise<void> {
  const log = options.log ?? console.log;
  const db = openDb();
  try {
    migrateDb(db);
    if (options.seed && isEmpty(db.$client)) {
      log(`The database is empty: seeding ${DEFAULT_DEMO.cases.toLocaleString("en-US")} demo cases…`);
      const result = seedDatabase(db.$client, DEFAULT_DEMO);
      log(`Seeded ${result.cases.toLocaleString("en-US")} cases in ${(result.milliseconds / 1000).toFixed(1)} s.`);
    }
    const created = await ensureDemoAccounts(db);
    if (created) log(`Created ${created} demo accounts (password demo-password): admin@demo.test, analyst@demo.test, member@demo.test.`);
  } finally {
    db.$client.close();
  }
}

// As a script: `npm run db:migrate` (no seed) and `npm run dev` (seed when empty).
if (import.meta.url === `file://${process.argv[1]}`) {
  prepareDatabase({ seed: !process.argv.includes("--no-seed") }).catch((error: unknown) => {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  });
}
