import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
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

/** Drizzle counts a migration as applied when its folder time is at most the newest applied one. */
function appliedMigrations(): number {
  const client = getDb().$client;
  const table = client.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
  if (!table) return 0;
  const row = client.prepare("select max(created_at) as last from __drizzle_migrations").get() as { last: number | string | null };
  const last = row.last === null ? -Infinity : Number(row.last);
  return expected.filter((when) => when <= last).length;
}

export function GET() {
  const health: Health = {
    status: "error",
    database: { reachable: false, migrations: { applied: 0, expected: expected.length, current: false } },
    time: new Date().toISOString(),
  };
  try {
    getDb().$client.prepare("select 1").get();
    health.database.reachable = true;
    const applied = appliedMigrations();
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
