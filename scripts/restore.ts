// npm run restore -- FILE [--yes]
// SQLite: replaces the database at DATABASE_URL with a backup, after checking that the file is
// a database of this application. Stop the server first: a database in use is refused.
// PostgreSQL: restores a pg_dump -Fc of this application into the EMPTY database at
// DATABASE_URL with pg_restore. A backup of the other engine is refused, saying what to do.
import path from "node:path";
import readline from "node:readline/promises";
import { backupFileKind, planPostgresRestore, restorePostgres } from "../db/postgres/backup";
import { BackupError, planRestore, restoreDatabase } from "../db/sqlite/backup";
import { ConfigError, databaseTargetFromUrl, redactPassword, type DatabaseTarget } from "../lib/env";

const USAGE = `usage: npm run restore -- FILE.db [--yes]
  replaces the database at DATABASE_URL (default file:data/ipr.db) with FILE.db, a backup of this
  application; stop the server first. With a PostgreSQL DATABASE_URL, FILE is a dump of
  npm run backup (pg_dump -Fc), restored into that database, which must be empty.
  --yes restores without asking.`;

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

/** A backup of one engine cannot be restored into the other: one sentence saying what to do instead. */
function refuseOtherEngine(file: string, database: DatabaseTarget): void {
  const kind = backupFileKind(file);
  if (database.engine === "sqlite" && kind === "pg_dump") {
    throw new BackupError(
      `The file ${file} is a PostgreSQL dump (pg_dump), but DATABASE_URL names a SQLite database: restore it into an empty PostgreSQL database (DATABASE_URL=postgres://… npm run restore -- ${file}), then copy that with npm run db:copy -- --from postgres://… --to file:….`,
    );
  }
  if (database.engine === "postgres" && kind === "sqlite") {
    throw new BackupError(
      `The file ${file} is a SQLite backup, but DATABASE_URL names a PostgreSQL database: restore it into a SQLite file (DATABASE_URL=file:… npm run restore -- ${file}), then copy that into an empty PostgreSQL database with npm run db:copy -- --from file:… --to postgres://….`,
    );
  }
  if (database.engine === "postgres" && kind === "other") {
    throw new BackupError(`The file ${file} is neither a PostgreSQL dump in pg_dump's custom format (pg_dump -Fc) nor a SQLite backup.`);
  }
}

async function restoreIntoPostgres(file: string, url: string, yes: boolean): Promise<number> {
  const plan = await planPostgresRestore(file, url);
  if (!yes) {
    if (!process.stdin.isTTY) throw new BackupError(`Restoring fills the PostgreSQL database ${plan.target}; add --yes to do it without a question.`);
    const ok = await confirm(`Restore ${plan.source} into the empty PostgreSQL database ${plan.target}? [y/N] `);
    if (!ok) {
      console.log("Nothing was changed.");
      return 1;
    }
  }
  const result = await restorePostgres(file, url);
  const migrated = result.migrated ? `, ${result.migrated} newer migration${result.migrated === 1 ? "" : "s"} applied` : "";
  console.log(`Restored ${path.resolve(file)} into the PostgreSQL database ${redactPassword(url)}: ${count(result.cases)}${migrated}, in ${(result.milliseconds / 1000).toFixed(2)} s.`);
  return 0;
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
    const database = databaseTargetFromUrl(process.env.DATABASE_URL);
    refuseOtherEngine(args.file, database);
    if (database.engine === "postgres") return await restoreIntoPostgres(args.file, database.url, args.yes);
    const target = database.file;
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
