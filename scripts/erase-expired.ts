// npm run erase-expired [-- --dry-run]
// The daily PIPL erasure (db/party-erasure.ts runDailyErasure, which each server's job runs once a
// day) run now by an operator on the database at DATABASE_URL: erases the identity numbers of the
// natural persons whose last case is older than the retention period an admin set, as of today
// in Beijing, with one audit entry as the system; the admin page shows it as the last run. Runs
// even when today's automatic run is done (nothing is erased or audited twice). --dry-run says how
// many would be erased and writes nothing. Exit 0 when done, 1 when the database cannot be used,
// 2 for a usage error.
import { closeEngine, migrateEngine, openEngine } from "../db/open";
import { expiredCount, runDailyErasure } from "../db/party-erasure";
import { todayInShanghai } from "../lib/case-schema";
import { ConfigError } from "../lib/env";

const USAGE = `usage: npm run erase-expired [-- --dry-run]
  --dry-run   say how many persons' identity numbers are due for erasure today; erase nothing`;

const persons = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "person's identity number" : "persons' identity numbers"}`;

async function main(argv: string[]): Promise<number> {
  let dryRun = false;
  for (const arg of argv) {
    if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return 0;
    }
    if (arg === "--dry-run") dryRun = true;
    else {
      console.error(`erase-expired: unexpected argument "${arg}"\n${USAGE}`);
      return 2;
    }
  }
  try {
    await migrateEngine(process.env.DATABASE_URL);
    const e = openEngine(process.env.DATABASE_URL);
    try {
      const today = todayInShanghai();
      if (dryRun) {
        const { due, cutoff, retentionMonths } = await expiredCount(e, today);
        if (retentionMonths === null) console.log(`No retention period is set (an admin sets it on /admin): nothing is due for erasure.`);
        else console.log(`${persons(due)} due for erasure on ${today} (retention ${retentionMonths} months: last case before ${cutoff}); nothing erased (--dry-run).`);
        return 0;
      }
      const run = (await runDailyErasure(e, new Date(), { force: true, source: "command" }))!;
      if (run.retentionMonths === null) console.log(`No retention period is set (an admin sets it on /admin): nothing erased.`);
      else {
        console.log(`${persons(run.erased)} erased on ${run.date} (retention ${run.retentionMonths} months: last case before ${run.cutoff})${run.erased ? ", with one audit entry by the system" : ""}.`);
      }
      return 0;
    } finally {
      await closeEngine(e);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`erase-expired: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
