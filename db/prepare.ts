import { sql } from "drizzle-orm";
import type { Engine } from "./engine";

// What `npm start` asks of a database it is about to serve (scripts/prepare-db.ts), on either engine.

/** Whether the database holds no data: no case, office, right holder or account (a fresh, migrated database). */
export async function isEmptyDatabase(e: Engine): Promise<boolean> {
  const row = await e.get<{ n: number }>(sql`select (select count(*) from cases) + (select count(*) from customs_offices)
    + (select count(*) from right_holders) + (select count(*) from "user") as "n"`);
  return Number(row?.n ?? 0) === 0;
}
