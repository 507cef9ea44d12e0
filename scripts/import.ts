// npm run import -- FILE.csv|FILE.xlsx [--dry-run] [--update] [--skip-invalid] [--create-holders]
// Imports cases from a CSV or XLSX file with the columns of the case export (headers in
// English or Chinese), in one transaction: every accepted row or nothing. Prints the report;
// exits 1 when a row was rejected and not skipped (or the file cannot be read), 2 for usage.
import fs from "node:fs";
import { commitImport, planImport } from "../db/import";
import { closeEngine, migrateEngine, openEngine } from "../db/open";
import { ConfigError } from "../lib/env";
import { ImportFileError, checkImportSize, parseImportFile } from "../lib/import/parse";
import { formatReport } from "../lib/import/report";

const USAGE = `usage: npm run import -- FILE [--dry-run] [--update] [--skip-invalid] [--create-holders]
  FILE             a CSV (UTF-8, comma or semicolon) or XLSX file with the columns of the case export
  --dry-run        check the file and print the report; write nothing
  --update         a case number already in the database updates that case (otherwise the row is rejected)
  --skip-invalid   import the valid rows even when others are rejected (otherwise nothing is written)
  --create-holders create right holders the database does not know (otherwise their rows are rejected)`;

const FLAGS = { "--dry-run": "dryRun", "--update": "update", "--skip-invalid": "skipInvalid", "--create-holders": "createHolders" } as const;
type Flag = (typeof FLAGS)[keyof typeof FLAGS];

class UsageError extends Error {}

function parseArgs(argv: string[]): { file: string; flags: Record<Flag, boolean> } {
  const flags: Record<Flag, boolean> = { dryRun: false, update: false, skipInvalid: false, createHolders: false };
  let file: string | undefined;
  for (const arg of argv) {
    if (arg === "--help" || arg === "-h") throw new UsageError("");
    if (arg in FLAGS) flags[FLAGS[arg as keyof typeof FLAGS]] = true;
    else if (arg.startsWith("--")) throw new UsageError(`unknown option "${arg}"`);
    else if (file !== undefined) throw new UsageError("give one file");
    else file = arg;
  }
  if (file === undefined) throw new UsageError("which file? give a CSV or XLSX file");
  return { file, flags };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(`import: ${error.message}`);
    console.error(USAGE);
    return error.message ? 2 : 0;
  }
  const { file, flags } = args;
  try {
    let size: number;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) throw new Error("not a file");
      size = stat.size;
    } catch {
      console.error(`import: cannot read ${file}: no such file`);
      return 2;
    }
    checkImportSize(size); // before reading it
    const parsed = await parseImportFile(new Uint8Array(fs.readFileSync(file)), file);
    await migrateEngine(process.env.DATABASE_URL);
    const e = openEngine(process.env.DATABASE_URL);
    try {
      const options = { update: flags.update, skipInvalid: flags.skipInvalid, createHolders: flags.createHolders };
      const started = performance.now();
      const report = flags.dryRun ? await planImport(e, parsed, options) : await commitImport(e, parsed, options, null);
      const seconds = (performance.now() - started) / 1000;
      console.log(formatReport(report, { dryRun: flags.dryRun, skipInvalid: flags.skipInvalid }));
      if (!flags.dryRun && report.committed) {
        const written = report.creates + report.updates;
        console.log(`${seconds.toFixed(1)} s (${Math.round(written / Math.max(seconds, 0.001))} rows/s).`);
      }
      return report.rejected.length && !flags.skipInvalid ? 1 : 0;
    } finally {
      await closeEngine(e);
    }
  } catch (error) {
    if (error instanceof ImportFileError || error instanceof ConfigError) {
      console.error(`import: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main().then((code) => {
  process.exitCode = code;
});
