import { NextResponse } from "next/server";
import { newestAppliedMigration } from "@/db/queries/health";
import journal from "@/db/migrations/meta/_journal.json";

// GET /api/health, for a load balancer or a monitor: no session needed, nothing confidential
// in it. 200 when the database answers and carries every migration this build knows, 503
// otherwise. Cheap: one read of drizzle's tiny migrations table, no scan of the case tables.

export const dynamic = "force-dynamic";

type Health = {
  status: "ok" | "error";
  database: { reachable: boolean; migrations: { applied: number; expected: number; current: boolean } };
  time: string;
};

const expected = journal.entries.map((e) => e.when);

export function GET() {
  const health: Health = {
    status: "error",
    database: { reachable: false, migrations: { applied: 0, expected: expected.length, current: false } },
    time: new Date().toISOString(),
  };
  try {
    const last = newestAppliedMigration();
    health.database.reachable = true;
    // drizzle counts a migration as applied when its folder time is at most the newest applied one
    const applied = last === null ? 0 : expected.filter((when) => when <= last).length;
    health.database.migrations = { applied, expected: expected.length, current: applied === expected.length };
    if (health.database.migrations.current) health.status = "ok";
  } catch (error) {
    // the reason goes to the server's log, not to whoever asks
    console.error("health check:", error instanceof Error ? error.message : error);
  }
  return NextResponse.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
