import "server-only";
import { sql } from "drizzle-orm";
import { sqliteConnectionOf, type Engine } from "../engine";
import { tableExists } from "../sqlite/engine";

// What GET /api/health reports of the database: whether it answers, and the newest migration
// drizzle recorded. Cheap: one read of drizzle's tiny migrations table, no scan of the cases.
// SQLite keeps it as `__drizzle_migrations`, PostgreSQL as `drizzle.__drizzle_migrations`.

/** The folder time of the newest applied migration (null before any), or throws when the database does not answer. */
export async function newestAppliedMigration(e: Engine): Promise<number | null> {
  await e.get(sql`select 1 as one`);
  const sqlite = sqliteConnectionOf(e);
  let table;
  if (sqlite) {
    if (!tableExists(sqlite, "__drizzle_migrations")) return null;
    table = sql`__drizzle_migrations`;
  } else {
    const found = await e.get<{ t: string | null }>(sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`);
    if (!found?.t) return null;
    table = sql`drizzle.__drizzle_migrations`;
  }
  const row = await e.get<{ last: number | string | null }>(sql`select max(created_at) as last from ${table}`);
  return row?.last === null || row?.last === undefined ? null : Number(row.last);
}
