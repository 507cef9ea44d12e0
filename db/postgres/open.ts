import path from "node:path";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { ConfigError } from "../../lib/env";
import * as schema from "./schema";

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

// bigint (int8) and numeric come back from pg as strings by default: sums and counts in fen
// are read as numbers, as on SQLite (2^53 fen is 90 trillion yuan)
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Whether `url` names a PostgreSQL database (postgres:// or postgresql://). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}

/** A pool of connections to the PostgreSQL database at `url`, through drizzle's node-postgres driver. */
export function openPostgres(url: string, options: { max?: number } = {}): PgDb {
  if (!isPostgresUrl(url)) throw new ConfigError(`"${url}" is not a PostgreSQL URL: use postgres://user@host:5432/database.`);
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4 });
  // an idle connection that the server drops must not crash the process: the next query says so
  pool.on("error", () => {});
  // …nor one that the server drops in the middle of a query or transaction: that query fails
  pool.on("connect", (client) => client.on("error", () => {}));
  return drizzle(pool, { schema }) as PgDb;
}

/** The advisory lock key of the migrations: any fixed bigint, the same on every server. */
export const MIGRATION_LOCK = 0x1b2_0001_5;

export const POSTGRES_MIGRATIONS = path.join(path.dirname(new URL(import.meta.url).pathname), "migrations");

/**
 * Applies drizzle's generated PostgreSQL migrations holding an advisory lock, so that of two
 * servers starting together one migrates and the other waits, then finds nothing to do.
 * The lock belongs to the connection: a migrator that dies releases it with its connection.
 */
export async function migratePostgres(url: string): Promise<void> {
  // a server that does not answer at all (a dropped packet, not a refusal) is given up after 10 s
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new ConfigError(`Cannot connect to the PostgreSQL database ${redactUrl(url)}: ${reason(error)}.`);
  }
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client), { migrationsFolder: POSTGRES_MIGRATIONS });
    } catch (error) {
      throw new ConfigError(`Cannot apply the PostgreSQL migrations: ${reason(error)}.`);
    }
    try {
      // documents whose definition changed since they were written (migration 0016 marks them)
      await ensurePostgresSearch(client);
    } catch (error) {
      throw new ConfigError(`Cannot build the search documents: ${reason(error)}.`);
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

const SEARCH_REBUILD_KEY = "search_rebuild";

/**
 * Writes every live case's search documents again when a migration marked them as written by
 * an older definition (app_meta `search_rebuild`), in one transaction that removes the mark.
 * Returns how many cases were written.
 */
export async function ensurePostgresSearch(client: pg.ClientBase): Promise<number> {
  const { rowCount } = await client.query("select 1 from app_meta where key = $1", [SEARCH_REBUILD_KEY]);
  if (!rowCount) return 0;
  await client.query("begin");
  try {
    const ids = (await client.query<{ id: number }>("select id from cases where deleted_at is null order by id")).rows.map((r) => Number(r.id));
    // loaded only here: the case store is the writer's, and this module is every connection's
    const { reindexCases } = await import("./case-store");
    const written = await reindexCases(client, ids);
    await client.query("delete from app_meta where key = $1", [SEARCH_REBUILD_KEY]);
    await client.query("commit");
    return written;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

function reason(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string } };
  const text = e.cause?.message ? `${e.message}: ${e.cause.message}` : (e.message ?? String(error));
  return text.replace(/\.$/, "");
}
