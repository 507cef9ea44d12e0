// A second (and third) server's notification scan, for the racing test
// (tests/integration/notifications.test.ts):
//
//   tsx tests/support/scanner.ts <db> <now ISO>
//       opens <db> (a SQLite file or file:…, or a PostgreSQL URL) as its engine, prints "ready",
//       waits for a line on stdin (the test starts every scanner at once), runs
//       scanNotifications(e, now) and prints its result as one JSON line.
import { closeEngine, openEngine } from "../../db/open";
import { scanNotifications } from "../../db/notifications";

const [target, nowIso] = process.argv.slice(2);
if (!target || !nowIso) throw new Error("usage: scanner.ts <db> <now ISO>");

const e = openEngine(target);
await e.get((await import("drizzle-orm")).sql`select 1`);
process.stdout.write("ready\n");
await new Promise<void>((resolve) => {
  process.stdin.once("data", () => resolve());
  process.stdin.once("end", () => resolve());
});
const result = await scanNotifications(e, new Date(nowIso));
process.stdout.write(`${JSON.stringify(result)}\n`);
await closeEngine(e);
