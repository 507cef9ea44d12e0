import "server-only";
import type { Db } from "../sqlite/open";
import { isDemo } from "../bulk";
import { sqliteEngine } from "../engine";

/** Whether the database holds the generated demo data (the UI then says so). */
export function isDemoDatabase(db: Db): Promise<boolean> {
  return isDemo(sqliteEngine(db));
}
