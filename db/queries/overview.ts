import "server-only";
import { sql } from "drizzle-orm";
import { DEMO_META_KEY } from "../bulk";
import type { Engine } from "../engine";

/** Whether the database holds the generated demo data (the UI then says so). */
export async function isDemoDatabase(e: Engine): Promise<boolean> {
  return (await e.get(sql`select 1 as one from ${e.t.appMeta} where key = ${DEMO_META_KEY}`)) !== undefined;
}
