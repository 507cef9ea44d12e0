// npm run restore -- path.db [--yes]
// Replaces the database at DATABASE_URL with a backup, after checking that the file is a
// database of this application. Stop the server first: a database in use is refused.
import path from "node:path";
import readline from "node:readline/promises";
import { BackupError, planRestore, restoreDatabase } from "../db/sqlite/backup";
import { ConfigError, databasePathFromUrl } from "../lib/env";

const USAGE = `usage: npm run restore -- FILE.db [--yes]
  replaces the database at DATABASE_URL (default file:data/ipr.db) with FILE.db, a backup of this
  application; stop the server first. --yes replaces without asking.`;

class UsageError extends Error {}

function parse(argv: string[]): { file: string; yes: boolean } | null {
  let file: string | undefined;
  let yes = false;
  for (const arg of argv) {
    if (arg === "--help" || arg === "-h") return null;
    if (arg === "--yes" || arg === "-y") yes = true;
    else if (arg.startsWith("-")) throw new UsageError(`unknown argument "${arg}"`);
    else if (file !== undefined) throw new UsageError(`one backup file only, got "${file}" and "${arg}"`);
    else file = arg;
  }
  if (file === undefined) throw new UsageError("the backup file is required");
  return { file, yes };
}

const count = (n: number) => `${n.toLocaleString("en-US")} case${n === 1 ? "" : "s"}`;

async function confirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`restore: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (!args) {
    console.log(USAGE);
    return 0;
  }
  try {
    const target = databasePathFromUrl(process.env.DATABASE_URL);
    if (!args.yes) {
      const plan = await planRestore(args.file, target);
      if (!process.stdin.isTTY) {
        throw new BackupError(`Restoring replaces ${target}; add --yes to do it without a question.`);
      }
      const current = plan.currentCases === null ? "" : ` (${count(plan.currentCases)})`;
      const ok = await confirm(`Replace ${target}${current} with ${plan.source} (${count(plan.check.cases)})? [y/N] `);
      if (!ok) {
        console.log("Nothing was changed.");
        return 1;
      }
    }
    const result = await restoreDatabase(args.file, target);
    const migrated = result.migrated ? `, ${result.migrated} newer migration${result.migrated === 1 ? "" : "s"} applied` : "";
    console.log(`Restored ${path.resolve(args.file)} to ${target}: ${count(result.cases)}${migrated}, in ${(result.milliseconds / 1000).toFixed(2)} s.`);
    return 0;
  } catch (error) {
    if (error instanceof BackupError || error instanceof ConfigError) {
      console.error(`restore: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main().then((code) => (process.exitCode = code));
