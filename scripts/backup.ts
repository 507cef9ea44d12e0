// npm run backup -- FILE [--force]
// A consistent copy of the database at DATABASE_URL, safe while the server (or anything else)
// writes to it: SQLite's online backup of a SQLite file, `pg_dump -Fc` of a PostgreSQL database.
import fs from "node:fs";
import { backupPostgres } from "../db/postgres/backup";
import { BackupError, backupDatabase } from "../db/sqlite/backup";
import { openSqlite } from "../db/sqlite/open";
import { ConfigError, databaseTargetFromUrl, redactPassword } from "../lib/env";

const USAGE = `usage: npm run backup -- FILE.db [--force]
  copies the database at DATABASE_URL (default file:data/ipr.db) to FILE.db while it may be in use
  (a PostgreSQL DATABASE_URL: a pg_dump -Fc dump, e.g. FILE.dump); an existing FILE is refused
  unless --force is given.`;

class UsageError extends Error {}

function parse(argv: string[]): { file: string; force: boolean } | null {
  let file: string | undefined;
  let force = false;
  for (const arg of argv) {
    if (arg === "--help" || arg === "-h") return null;
    if (arg === "--force") force = true;
    else if (arg.startsWith("-")) throw new UsageError(`unknown argument "${arg}"`);
    else if (file !== undefined) throw new UsageError(`one backup file only, got "${file}" and "${arg}"`);
    else file = arg;
  }
  if (file === undefined) throw new UsageError("the backup file is required");
  return { file, force };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`backup: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (!args) {
    console.log(USAGE);
    return 0;
  }
  try {
    const target = databaseTargetFromUrl(process.env.DATABASE_URL);
    if (target.engine === "postgres") {
      const result = await backupPostgres(target.url, args.file, { force: args.force });
      console.log(
        `Backed up the PostgreSQL database ${redactPassword(target.url)} to ${result.file} (pg_dump -Fc): ${formatBytes(result.bytes)}, ${result.cases.toLocaleString("en-US")} cases, in ${(result.milliseconds / 1000).toFixed(2)} s.`,
      );
      return 0;
    }
    const source = target.file;
    if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source} to back up.`);
    const sqlite = openSqlite(source, { readonly: true });
    try {
      const result = await backupDatabase(sqlite, args.file, { force: args.force });
      console.log(
        `Backed up ${source} to ${result.file}: ${formatBytes(result.bytes)}, ${result.cases.toLocaleString("en-US")} cases, in ${(result.milliseconds / 1000).toFixed(2)} s.`,
      );
    } finally {
      sqlite.close();
    }
    return 0;
  } catch (error) {
    if (error instanceof BackupError || error instanceof ConfigError) {
      console.error(`backup: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main().then((code) => (process.exitCode = code));
