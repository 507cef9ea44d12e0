import { ensureDemoAccounts } from "../db/auth";
import { isEmpty } from "../db/bulk";
import { sqliteEngine } from "../db/engine";
import { migrateDb, openDb } from "../db/sqlite/open";
import { ConfigError, databasePathFromUrl, isDefaultDatabase } from "../lib/env";
import { seedDatabase } from "../seed/run";

export const DEFAULT_DEMO = { cases: 100_000, seed: 1 };

/**
 * Migrates the database and makes sure a demo has its accounts. One rule for where data comes
 * from: only the default database (data/ipr.db) is created with its folder and, when empty,
 * seeded with the demo data; any other must already exist (its folder, for SQLite), is
 * migrated, and gets demo data only from `npm run seed`.
 */
export async function prepareDatabase(options: { seed: boolean; log?: (line: string) => void; demo?: { cases: number; seed: number } }): Promise<void> {
  const demo = options.demo ?? DEFAULT_DEMO;
  const log = options.log ?? console.log;
  const file = databasePathFromUrl(process.env.DATABASE_URL);
  const db = openDb(`file:${file}`);
  try {
    migrateDb(db);
    if (await isEmpty(sqliteEngine(db))) {
      if (options.seed && isDefaultDatabase(file)) {
        log(`The database is empty: seeding ${demo.cases.toLocaleString("en-US")} demo cases…`);
        const result = await seedDatabase(db.$client, demo);
        log(`Seeded ${result.cases.toLocaleString("en-US")} cases in ${(result.milliseconds / 1000).toFixed(1)} s.`);
      } else if (options.seed) {
        log(`The database ${file} is empty: \`npm run seed\` fills it with demo data, \`npm run user:create\` makes the first account.`);
      }
    }
    const created = await ensureDemoAccounts(sqliteEngine(db));
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
