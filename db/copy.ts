import { ConfigError, databaseTargetFromUrl, type DatabaseTarget } from "../lib/env";
import { COPY_TABLES, figureDifferences, type Figures } from "./copy-plan";
import { PostgresCopySource, PostgresCopyTarget } from "./postgres/copy";
import { SqliteCopySource, SqliteCopyTarget } from "./sqlite/copy";

// `npm run db:copy -- --from <url> --to <url>`: a whole deployment (every table) from one
// engine into an empty database of the other, in batches, in one transaction on the target;
// the search indexes are built again on the target from the copied cases. It ends by
// comparing every table's rows and the dashboard's totals (cases, pieces, value in fen; per
// year; per district) on both sides, and fails on any difference.

export class CopyMismatch extends Error {
  override name = "CopyMismatch";
}

export type CopyResult = { source: Figures; target: Figures; seconds: number; rowsPerTable: Record<string, number> };

const BATCH = 10_000;

function describe(target: DatabaseTarget): string {
  return target.engine === "sqlite" ? target.file : "PostgreSQL";
}

/**
 * `rowChecks` keeps PostgreSQL's per-row triggers and foreign-key checks as a superuser too
 * (the path of a role that is not one); by default a superuser's copy checks the keys at the end.
 */
export async function copyDatabase(options: { from: string; to: string; log?: (line: string) => void; rowChecks?: boolean }): Promise<CopyResult> {
  const log = options.log ?? (() => {});
  const from = databaseTargetFromUrl(options.from);
  const to = databaseTargetFromUrl(options.to);
  if (from.engine === to.engine) {
    throw new ConfigError(`db:copy copies between the two engines (SQLite and PostgreSQL); --from and --to are both ${from.engine === "sqlite" ? "SQLite files" : "PostgreSQL databases"}: use \`npm run backup\` to copy a SQLite database.`);
  }
  const started = performance.now();
  const source = from.engine === "sqlite" ? SqliteCopySource.open(from.file) : await PostgresCopySource.open(from.url);
  try {
    const rowsPerTable: Record<string, number> = {};
    let target: Figures;
    if (to.engine === "postgres") {
      const pgTarget = await PostgresCopyTarget.open(to.url);
      try {
        await pgTarget.begin({ rowChecks: options.rowChecks });
        for (const table of COPY_TABLES) {
          const t0 = performance.now();
          rowsPerTable[table.name] = await pgTarget.copy(table, source.batches(table, BATCH));
          log(`${table.name}: ${rowsPerTable[table.name]!.toLocaleString("en-US")} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        }
        const t0 = performance.now();
        await pgTarget.rebuildSearch(BATCH);
        log(`search documents built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        await pgTarget.commit();
        target = await pgTarget.figures();
      } catch (error) {
        await pgTarget.rollback();
        throw error;
      } finally {
        await pgTarget.close();
      }
    } else {
      const sqliteTarget = SqliteCopyTarget.open(to.file);
      try {
        sqliteTarget.begin();
        for (const table of COPY_TABLES) {
          const t0 = performance.now();
          let n = 0;
          for await (const batch of source.batches(table, BATCH)) {
            sqliteTarget.insert(table, batch);
            n += batch.length;
          }
          rowsPerTable[table.name] = n;
          log(`${table.name}: ${n.toLocaleString("en-US")} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        }
        const t0 = performance.now();
        sqliteTarget.rebuildSearch();
        log(`search indexes built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        sqliteTarget.commit();
        target = sqliteTarget.figures();
      } catch (error) {
        sqliteTarget.rollback();
        throw error;
      } finally {
        sqliteTarget.close();
      }
    }
    const sourceFigures = await source.figures();
    const seconds = (performance.now() - started) / 1000;
    const differences = figureDifferences(sourceFigures, target);
    log(`checked on both sides (${describe(from)} → ${describe(to)}): ${summary(sourceFigures)} | ${summary(target)}`);
    for (const [year, f] of Object.entries(target.perYear)) log(`  ${year}: ${f.cases} cases, ${f.pieces} pieces, ${f.valueFen} fen`);
    if (differences.length) {
      throw new CopyMismatch(`The copy does not match its source: ${differences.slice(0, 5).join("; ")}${differences.length > 5 ? ` and ${differences.length - 5} more` : ""}.`);
    }
    return { source: sourceFigures, target, seconds, rowsPerTable };
  } finally {
    await source.close();
  }
}

function summary(f: Figures): string {
  return `${f.totals.cases} cases, ${f.totals.pieces} pieces, ${f.totals.valueFen} fen, ${Object.keys(f.perYear).length} years, ${Object.keys(f.perDistrict).length} districts, ${Object.values(f.rows).reduce((a, b) => a + b, 0)} rows`;
}
