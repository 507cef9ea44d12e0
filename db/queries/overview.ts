import "server-only";
import type { Db } from "../sqlite/open";
import { isDemo } from "../bulk";

/** Whether the database holds the generated demo data (the UI then says so). */
export function isDemoDatabase(db: Db): boolean {
  return isDemo(db.$client);
}
