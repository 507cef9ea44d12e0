import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "../open";
import { appMeta } from "../schema";
import { DEMO_META_KEY } from "../bulk";

/** Whether the database holds the generated demo data (the UI then says so). */
export function isDemoDatabase(db: Db): boolean {
  return db.select({ key: appMeta.key }).from(appMeta).where(eq(appMeta.key, DEMO_META_KEY)).get() !== undefined;
}
