import "server-only";
import { getDb } from "../client";
import { tableExists } from "../sqlite/engine";

// What GET /api/health reports of the database: whether it answers, and the newest migration
// drizzle recorded. Cheap: one read of drizzle's tiny migrations table, no scan of the cases.

/** The folder time of the newest applied migration (null before any), or throws when the database does not answer. */
export function newestAppliedMigration(): number | null {
  const client = getDb().$client;
  client.prepare("select 1").get();
  if (!tableExists(client, "__drizzle_migrations")) return null;
  const row = client.prepare("select max(created_at) as last from __drizzle_migrations").get() as { last: number | string | null };
  return row.last === null ? null : Number(row.last);
}
