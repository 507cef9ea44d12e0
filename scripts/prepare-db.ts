import { ensureDemoAccounts } from "../db/auth";
import { sqliteConnectionOf } from "../db/engine";
import { closeEngine, migrateEngine, openEngine } from "../db/open";
import { isEmptyDatabase } from "../db/prepare";
import { ConfigError, databaseTargetFromUrl, isDefaultDatabase, redactPassword } from "../lib/env";
import { seedDatabase } from "../seed/run";

export const DEFAULT_DEMO = { cases: 100_000, seed: 1 };

/**
 * Migrates the database and makes sure a demo has its accounts. One rule for where data comes
 * from, on both engines: only the default database (data/ipr.db) is created with its folder
 * and, when empty, seeded with the demo data; any other must already exist (a SQLite file's
 * folder; a PostgreSQL database made with createdb), is migrated, and gets demo data only from
 * `npm run seed`. An empty PostgreSQL database is served empty, and the start says so.
 * PostgreSQL's migrations run under an advisory lock (db/postgres/open.ts migratePostgres):
 * of several servers starting together one migrates, the others wait and find nothing to do.
 */
export async function prepareDatabase(options: { seed: boolean; log?: (line: string) => void; demo?: { cases: number; seed: number } }): Promise<void> {
  const demo = options.demo ?? DEFAULT_DEMO;
  const log = options.log ?? console.log;
  const target = databaseTargetFromUrl(process.env.DATABASE_URL);
  const url = target.engine === "sqlite" ? `file:${target.file}` : target.url;
  // SQLite: the default file (and its folder) is created here; PostgreSQL: "Cannot connect to
  // the PostgreSQL database …" when it does not answer, and the advisory lock around the migrations
  await migrateEngine(url);
  const e = openEngine(url, { poolSize: 1 });
  try {
    const sqlite = sqliteConnectionOf(e);
    if (await isEmptyDatabase(e)) {
      if (options.seed && sqlite && target.engine === "sqlite" && isDefaultDatabase(target.file)) {
        log(`The database is empty: seeding ${demo.cases.toLocaleString("en-US")} demo cases…`);
        const result = await seedDatabase(sqlite, demo);
        log(`Seeded ${result.cases.toLocaleString("en-US")} cases in ${(result.milliseconds / 1000).toFixed(1)} s.`);
      } else if (options.seed) {
        const name = target.engine === "sqlite" ? `The database ${target.file}` : `The PostgreSQL database ${redactPassword(target.url)}`;
        const same = target.engine === "sqlite" ? "" : " (with the same DATABASE_URL)";
        log(`${name} is empty: \`npm run seed\`${same} fills it with demo data, \`npm run user:create\` makes the first account.`);
      }
    }
    // a demo database gets its three accounts back if they are missing (on either engine)
    const created = await ensureDemoAccounts(e);
    if (created) log(`Created ${created} demo accounts (password demo-password): admin@demo.test, analyst@demo.test, member@demo.test.`);
  } finally {
    await closeEngine(e);
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
