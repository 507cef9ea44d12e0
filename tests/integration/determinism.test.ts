import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { Dialect } from "../../db/engine";
import { seedDatabase } from "../../seed/run";
import { ENGINES } from "../support/engines";
import { sameData, type SameData } from "../support/same-data";

// The demo generator gives the same data for the same --cases and --seed, on either engine
// (on PostgreSQL, the seeded file copied by db:copy): every row of the cases, their links and
// the reference tables, read back through the engine.

const opened: SameData[] = [];
afterAll(async () => {
  for (const t of opened) await t.close();
});

async function dumpHash(dialect: Dialect, cases: number, seed: number): Promise<string> {
  const t = await sameData(dialect, "determinism", (s) => seedDatabase(s, { cases, seed }));
  opened.push(t);
  const hash = createHash("sha256");
  const tables: [string, string][] = [
    ["cases", "id"], ["case_right_holders", "case_id, right_holder_id"], ["customs_offices", "id"], ["right_holders", "id"], ["campaigns", "id"],
  ];
  for (const [table, order] of tables) {
    for (const row of await t.e.all(sql.raw(`select * from ${table} order by ${order}`))) hash.update(JSON.stringify(row));
  }
  return hash.digest("hex");
}

describe.each(ENGINES)("the demo generator on %s", (dialect) => {
  it("produces identical data for the same --cases and --seed, and different data for another seed", async () => {
    const first = await dumpHash(dialect, 5_000, 42);
    const second = await dumpHash(dialect, 5_000, 42);
    const other = await dumpHash(dialect, 5_000, 43);
    expect(second).toBe(first);
    expect(other).not.toBe(first);
  });
});
