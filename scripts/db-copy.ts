// `npm run db:copy -- --from <url> --to <url>`: copies a whole deployment between SQLite
// (file:path/to/ipr.db) and PostgreSQL (postgres://…), into an empty database (db/copy.ts).
import { CopyMismatch, copyDatabase } from "../db/copy";
import { ConfigError } from "../lib/env";

const USAGE = "Usage: npm run db:copy -- --from file:data/ipr.db --to postgres://user@host:5432/ipr (or the other way round, into an empty SQLite file).";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const from = option("--from");
  const to = option("--to");
  if (!from || !to || from.startsWith("--") || to.startsWith("--")) {
    console.error(USAGE);
    return 2;
  }
  try {
    const result = await copyDatabase({ from, to, log: (line) => console.log(line) });
    const totals = result.target.totals;
    console.log(
      `Copied ${Object.values(result.rowsPerTable).reduce((a, b) => a + b, 0).toLocaleString("en-US")} rows in ${result.seconds.toFixed(1)} s; ` +
        `both sides hold ${totals.cases.toLocaleString("en-US")} live cases, ${totals.pieces.toLocaleString("en-US")} pieces, ${totals.valueFen.toLocaleString("en-US")} fen.`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CopyMismatch) {
      console.error(`Cannot copy: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
