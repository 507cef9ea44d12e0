import { ensureDemoAccounts } from "../db/auth";
import { closeEngine, migrateEngine, openEngine } from "../db/open";
import { ConfigError } from "../lib/env";
import { SEED_USAGE, UsageError, parseSeedArgs } from "./args";
import { NotEmptyError, seedDatabase } from "./run";

// npm run seed: into the database DATABASE_URL names, SQLite (file:…, the default) or
// PostgreSQL (postgres://…).

async function main(): Promise<number> {
  let args;
  try {
    args = parseSeedArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`seed: ${error.message}\n${SEED_USAGE}`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    console.log(SEED_USAGE);
    return 0;
  }
  try {
    await migrateEngine(process.env.DATABASE_URL);
    const e = openEngine(process.env.DATABASE_URL);
    try {
      const result = await seedDatabase(e, args);
      await ensureDemoAccounts(e);
      const phases = Object.entries(result.phases).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(", ");
      console.log(`seeded ${result.cases.toLocaleString("en-US")} cases (seed ${args.seed}) in ${(result.milliseconds / 1000).toFixed(1)} s (${phases})`);
    } finally {
      await closeEngine(e);
    }
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof NotEmptyError) {
      console.error(`seed: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main().then((code) => (process.exitCode = code));
