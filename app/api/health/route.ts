import { NextResponse } from "next/server";
import { EXPECTED_MIGRATIONS, migrationStatus } from "@/db/repo/health";

// GET /api/health, for a load balancer or a monitor: no session needed, nothing confidential
// in it. 200 when the database answers and carries every migration this build knows, 503
// otherwise. Cheap: one read of drizzle's tiny migrations table, no scan of the case tables.

export const dynamic = "force-dynamic";

type Health = {
  status: "ok" | "error";
  database: { reachable: boolean; migrations: { applied: number; expected: number; current: boolean } };
  time: string;
};

export async function GET() {
  const health: Health = {
    status: "error",
    database: { reachable: false, migrations: { applied: 0, expected: EXPECTED_MIGRATIONS, current: false } },
    time: new Date().toISOString(),
  };
  try {
    health.database.migrations = await migrationStatus();
    health.database.reachable = true;
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
