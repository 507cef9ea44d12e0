import { ensureDemoAccounts } from "../db/auth";
import { sqliteEngine } from "../db/engine";
import { migrateDb, openDb } from "../db/sqlite/open";
import { ConfigError } from "../lib/env";
import { SEED_USAGE, UsageError, parseSeedArgs } from "./args";
import { NotEmptyError, seedDatabase } from "./run";

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
    const db = openDb();
    migrateDb(db);
    const result = seedDatabase(db.$client, args);
    await ensureDemoAccounts(sqliteEngine(db));
    db.$client.close();
    const phases = Object.entries(result.phases).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(", ");
    console.log(`seeded ${result.cases.toLocaleString("en-US")} cases (seed ${args.seed}) in ${(result.milliseconds / 1000).toFixed(1)} s (${phases})`);
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
