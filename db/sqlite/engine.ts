import type Database from "better-sqlite3";
import { sql, type SQL } from "drizzle-orm";
import type { Dialectal } from "../engine";

// SQLite's own words, in one place: what another engine (PostgreSQL, the next issue) says
// differently is said here once, and the rest of db/ calls these by name. A unit test
// (tests/unit/boundaries.test.ts) keeps SQLite-only SQL out of every other folder.

type Sqlite = Database.Database;

const counters = new WeakMap<Sqlite, () => string>();

/**
 * A value that moves whenever the data may have changed: PRAGMA data_version moves when
 * another connection (another server process, an import, a script) commits, total_changes()
 * when this one writes. Kept answers and the aggregate store compare it between reads.
 */
export function changeCounter(sqlite: Sqlite): string {
  let read = counters.get(sqlite);
  if (!read) {
    const changes = sqlite.prepare("select total_changes()").pluck();
    read = () => `${sqlite.pragma("data_version", { simple: true })}:${changes.get()}`;
    counters.set(sqlite, read);
  }
  return read();
}

/**
 * Runs `work` as one write transaction that takes the write lock at its start (BEGIN
 * IMMEDIATE): a transaction that reads before it writes would otherwise fail at once with
 * SQLITE_BUSY when another process writes, instead of waiting out the busy timeout.
 */
export function writeTransaction<T>(sqlite: Sqlite, work: () => T): T {
  return sqlite.transaction(work).immediate();
}

/**
 * The values of a JSON array bound as one parameter, as a table `alias(value)`: a list of any
 * length is one statement with one parameter (SQLite caps parameters at 32,766).
 */
export function jsonValues(alias: string): string {
  return `json_each(?) ${alias}`;
}

/** `in (…)` over a JSON array bound as one parameter. */
export const IN_JSON_LIST = "in (select value from json_each(?))";

/** Names the index SQLite must use for a table (its planner picks badly for some sorts). */
export function indexedBy(index: string): SQL {
  return sql.raw(` indexed by ${index}`);
}

/**
 * Runs a bulk load with the secondary indexes of `cases` dropped, and builds them again
 * afterwards: one sort per index instead of a million random inserts into each.
 */
export async function withCaseIndexesDeferred<T>(sqlite: Sqlite, load: () => Promise<T>): Promise<T> {
  const indexes = sqlite
    .prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = 'cases' and sql is not null")
    .all() as { name: string; sql: string }[];
  for (const { name } of indexes) sqlite.prepare(`drop index "${name.replace(/"/g, '""')}"`).run();
  const result = await load();
  for (const { sql } of indexes) sqlite.prepare(sql).run();
  return result;
}

/** Whether the database has a table of that name. */
export function tableExists(sqlite: Sqlite, name: string): boolean {
  return sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !== undefined;
}

/**
 * The planner's statistics after a bulk load, from a sample of each index: seconds faster at
 * a million cases than a full ANALYZE, and as good for choosing between these indexes.
 */
export function refreshPlannerStatistics(sqlite: Sqlite): void {
  sqlite.pragma("analysis_limit = 2000");
  sqlite.exec("analyze");
}

/** SQLite's side of the words the engines say differently (db/engine.ts Dialectal). */
export const sqliteSays: Dialectal = {
  never: sql`0`,
  jsonArrayOf(fields, orderBy) {
    const pairs = sql.join(Object.entries(fields).map(([k, v]) => sql`'${sql.raw(k)}', ${v}`), sql`, `);
    // SQLite's json_group_array takes the rows in the order the subquery yields them
    void orderBy;
    return sql`coalesce(json_group_array(json_object(${pairs})), '[]')`;
  },
  inList(column, values) {
    return sql`${column} in (select value from json_each(${JSON.stringify(values)}))`;
  },
  ilike(column, pattern) {
    return sql`${column} like ${pattern}`;
  },
  bool(value) {
    return value ? sql`1` : sql`0`;
  },
  // a write transaction holds the whole file's write lock from its start (BEGIN IMMEDIATE)
  forUpdate: sql``,
};
